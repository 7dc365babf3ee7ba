package org.cnn4j.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Sequential;
import org.cnn4j.tensor.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each experiment's quick version: the CSV columns and rows, a real PNG, and the numbers the claim rests on. */
class ExperimentsTest {
    @TempDir
    Path dir;

    private Experiment.Result run(Experiment e) throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Experiment.Result r = e.run(new Experiment.Settings(dir, 7, true), new PrintStream(log, true));
        assertEquals(dir.resolve(e.name() + ".csv"), r.csv());
        assertEquals(dir.resolve(e.name() + ".png"), r.png());
        BufferedImage png = ImageIO.read(r.png().toFile());
        assertTrue(png.getWidth() >= 600 && png.getHeight() >= 400, png.getWidth() + " x " + png.getHeight());
        assertTrue(pixels(png, 0xFFFFFF) < 0.97 * png.getWidth() * png.getHeight(), "the plot is not blank");
        return r;
    }

    /** How many pixels of {@code png} have exactly the color {@code rgb}. */
    private static int pixels(BufferedImage png, int rgb) {
        int n = 0;
        for (int y = 0; y < png.getHeight(); y++) {
            for (int x = 0; x < png.getWidth(); x++) {
                n += (png.getRGB(x, y) & 0xFFFFFF) == rgb ? 1 : 0;
            }
        }
        return n;
    }

    /** The CSV's rows as fields, after checking its header. */
    private static List<String[]> rows(Path csv, List<String> columns) throws Exception {
        List<String> lines = Files.readAllLines(csv);
        assertEquals(String.join(",", columns), lines.get(0));
        return lines.subList(1, lines.size()).stream().map(l -> l.split(",")).toList();
    }

    @Test
    void initShowsHeKeepingTheSpreadAndSmallWeightsCollapsing() throws Exception {
        Experiment.Result r = run(Experiments.create("init"));
        List<String[]> rows = rows(r.csv(), List.of("layer", "std_he", "std_xavier", "std_normal_0.01"));
        assertEquals(20, rows.size());
        double[] first = Arrays.stream(rows.get(0)).mapToDouble(Double::parseDouble).toArray();
        double[] last = Arrays.stream(rows.get(19)).mapToDouble(Double::parseDouble).toArray();
        // He: within a factor of 2 of where it started after 20 layers
        assertTrue(last[1] > first[1] / 2 && last[1] < first[1] * 2, "He: " + first[1] + " -> " + last[1]);
        // Xavier: loses about half the variance per layer, 2^-10 of the spread in 19 layers
        assertTrue(last[2] < first[2] / 100 && last[2] > first[2] / 1e5, "Xavier: " + first[2] + " -> " + last[2]);
        // std 0.01: shrinks about 9-fold per layer, to practically 0
        assertTrue(last[3] < 1e-15, "small normal: " + first[3] + " -> " + last[3]);
        assertTrue(last[1] > last[2] && last[2] > last[3]);
    }

    @Test
    void batchNormTrainsBothNetworksFromTheSameStart() throws Exception {
        Experiment.Result r = run(Experiments.create("batchnorm"));
        List<String[]> rows = rows(r.csv(), BatchNormExperiment.COLUMNS);
        assertEquals(4, rows.size(), "two networks, two epochs each");
        assertEquals(List.of("with_batchnorm", "with_batchnorm", "without_batchnorm", "without_batchnorm"),
                rows.stream().map(row -> row[0]).toList());
        for (String[] row : rows) {
            double accuracy = Double.parseDouble(row[5]);
            assertTrue(accuracy > 0.5, "test accuracy " + accuracy + " after epoch " + row[1] + " of " + row[0]);
        }
        assertTrue(r.summary().containsKey("with_batchnorm_test_accuracy"));
    }

    @Test
    void vanishingGradientsOfThreeNetworks() throws Exception {
        assertEquals(List.of("plain20-nobn", "plain20", "resnet20"), VanishingGradientsExperiment.NETWORKS);
        Experiment.Result r = run(new VanishingGradientsExperiment());
        List<String[]> rows = rows(r.csv(), VanishingGradientsExperiment.COLUMNS);
        assertEquals(120, rows.size(), "three networks, 20 weight layers at initialization and after one epoch");
        assertEquals(VanishingGradientsExperiment.NETWORKS, rows.stream().map(row -> row[0]).distinct().toList());
        for (int n = 0; n < 3; n++) {
            List<String[]> net = rows.subList(40 * n, 40 * (n + 1));
            assertEquals(1, net.stream().map(row -> row[0]).distinct().count(), rows.get(40 * n)[0]);
            assertEquals("init", net.get(0)[1]);
            assertEquals("1", net.get(0)[2]);
            assertEquals("epoch_1", net.get(20)[1]);
            assertEquals("20", net.get(39)[2]);
            for (String[] row : net) {
                double norm = Double.parseDouble(row[4]);
                assertTrue(norm > 0 && Double.isFinite(norm), Arrays.toString(row));
            }
        }
        assertEquals(VanishingGradientsExperiment.NETWORKS, List.copyOf(r.summary().keySet()));
        // one line (and legend entry) per network, in the palette's first three colors
        BufferedImage png = ImageIO.read(r.png().toFile());
        for (int color : new int[] {0x0072B2, 0xD55E00, 0x009E73}) {
            int n = pixels(png, color);
            assertTrue(n > 50, String.format("%d pixels of #%06X", n, color));
        }
    }

    @Test
    void plain20HasTwentyWeightLayersAndResnetWidthsWithAndWithoutBatchNorm() {
        for (boolean batchNorm : new boolean[] {true, false}) {
            Sequential net = VanishingGradientsExperiment.plain20(Shape.of(3, 32, 32), 10, batchNorm);
            assertEquals(20, VanishingGradientsExperiment.weightLayers(net).size());
            assertEquals(Shape.of(2, 10), net.outputShape(Shape.of(2, 3, 32, 32)));
            List<Shape> shapes = VanishingGradientsExperiment.weightLayers(net).values().stream().map(p -> p.shape()).toList();
            assertEquals(Shape.of(16, 3, 3, 3), shapes.get(0));
            assertEquals(Shape.of(32, 16, 3, 3), shapes.get(7));
            assertEquals(Shape.of(64, 64, 3, 3), shapes.get(18));
            assertEquals(Shape.of(10, 64), shapes.get(19));
            List<Conv2d> convs = net.layers().stream().filter(l -> l instanceof Conv2d).map(l -> (Conv2d) l).toList();
            assertEquals(19, convs.size());
            assertEquals(batchNorm ? 19 : 0, net.layers().stream().filter(l -> l instanceof BatchNorm2d).count());
            // a convolution followed by batch norm needs no bias; without batch norm each has one
            assertTrue(convs.stream().allMatch(c -> (c.bias() == null) == batchNorm), "batchNorm " + batchNorm);
        }
        // the three networks of the experiment build the same output shape on MNIST digits
        Shape digits = Shape.of(4, 1, 28, 28);
        for (String name : List.of("plain20-nobn", "plain20", "resnet20")) {
            Sequential net = VanishingGradientsExperiment.network(name, Shape.of(1, 28, 28), 10);
            assertEquals(Shape.of(4, 10), net.outputShape(digits), name);
            assertEquals(20, VanishingGradientsExperiment.weightLayers(net).size(), name);
        }
        assertEquals(0, VanishingGradientsExperiment.network("plain20-nobn", Shape.of(1, 28, 28), 10).layers().stream()
                .filter(l -> l instanceof BatchNorm2d).count());
        assertEquals(19, VanishingGradientsExperiment.network("plain20", Shape.of(1, 28, 28), 10).layers().stream()
                .filter(l -> l instanceof BatchNorm2d).count());
    }

    @Test
    void unknownNamesAreErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Experiments.create("nope"));
        assertEquals("unknown experiment 'nope' (choose from init, batchnorm, vanishing-gradients)", e.getMessage());
    }
}
