package org.cnn4j.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinePlotTest {
    /** How many pixels of {@code image} have exactly the color {@code rgb}. */
    static int count(BufferedImage image, int rgb) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                n += (image.getRGB(x, y) & 0xFFFFFF) == rgb ? 1 : 0;
            }
        }
        return n;
    }

    @Test
    void writesADecodablePngWithTheSeriesColors(@TempDir Path dir) throws Exception {
        double[] layers = new double[20];
        double[] flat = new double[20];
        double[] falling = new double[20];
        for (int i = 0; i < 20; i++) {
            layers[i] = i + 1;
            flat[i] = 0.8 + 0.05 * Math.sin(i);
            falling[i] = Math.pow(0.1, i);
        }
        LinePlot plot = new LinePlot("Activation spread", "layer", "standard deviation").logY()
                .add("He", layers, flat).add("small normal", layers, falling);
        Path file = dir.resolve("sub").resolve("plot.png");
        plot.writePng(file, 640, 400);
        BufferedImage image = ImageIO.read(file.toFile());
        assertEquals(640, image.getWidth());
        assertEquals(400, image.getHeight());
        int white = count(image, 0xFFFFFF);
        assertTrue(white < 640 * 400 * 0.97, "not blank: " + white + " white pixels");
        assertTrue(count(image, 0x0072B2) > 200, "the first series is drawn in the first palette color");
        assertTrue(count(image, 0xD55E00) > 200, "the second series in the second");
        try (var files = Files.list(file.getParent())) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void panelsSideBySideAndGapsForPointsTheAxisCannotShow() {
        LinePlot a = new LinePlot("loss", "epoch", "loss").logY()
                .add("with gap", new double[] {1, 2, 3, 4}, new double[] {1, 0, Double.NaN, 0.1});
        LinePlot b = new LinePlot("accuracy", "epoch", "accuracy")
                .add(new LinePlot.Series("test", new double[] {1, 2}, new double[] {0.5, 0.9}, 1, true));
        BufferedImage image = LinePlot.renderRow(300, 200, java.util.List.of(a, b));
        assertEquals(600, image.getWidth());
        assertEquals(200, image.getHeight());
        assertThrows(IllegalArgumentException.class, () -> new LinePlot.Series("bad", new double[2], new double[3], 0, false));
    }
}
