package org.cnn4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.cnn4j.data.DataLoader;
import org.cnn4j.data.Dataset;
import org.cnn4j.data.Mnist;
import org.cnn4j.data.Normalize;
import org.cnn4j.init.Init;
import org.cnn4j.model.Zoo;
import org.cnn4j.nn.Parameter;
import org.cnn4j.nn.Sequential;
import org.cnn4j.optim.Adam;
import org.cnn4j.optim.CosineAnnealingLR;
import org.cnn4j.optim.SGD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
    private static final Mnist.Split DATA = Mnist.embedded();

    private static Dataset first(Dataset d, int n) {
        return d.subset(IntStream.range(0, d.size()).filter(i -> i % (d.size() / n) == 0).limit(n).toArray());
    }

    private static DataLoader loader(Dataset d, boolean shuffle) {
        return DataLoader.builder(d).batchSize(32).shuffle(shuffle).seed(5).translate(shuffle ? 1 : 0)
                .normalize(Normalize.MNIST).build();
    }

    private static Sequential trainLenet(int epochs, List<EpochStats> history) {
        Init.manualSeed(11);
        Sequential model = Zoo.lenet5(DATA.train().sampleShape(), 10);
        Adam adam = new Adam(model.parameters(), 0.003);
        DataLoader train = loader(first(DATA.train(), 640), true);
        Trainer t = new Trainer(model, adam, new CosineAnnealingLR(epochs * train.batchesPerEpoch()));
        history.addAll(t.fit(train, loader(first(DATA.test(), 400), false), epochs));
        return model;
    }

    @Test
    void learnsDigitsAndReportsEachEpoch() {
        List<EpochStats> h = new java.util.ArrayList<>();
        trainLenet(3, h);
        assertEquals(3, h.size());
        assertTrue(h.get(2).trainLoss() < h.get(0).trainLoss(), "loss should fall: " + h);
        assertTrue(h.get(2).testAccuracy() > 0.7, "640 digits, 3 epochs of LeNet-5 should pass 70%: " + h.get(2));
        assertEquals(0.0, h.get(2).learningRate(), 1e-4, "cosine schedule ends near 0");
        assertTrue(h.get(0).summaryLine().startsWith("epoch 1/3  train loss"), h.get(0).summaryLine());
    }

    @Test
    void theSameSeedGivesTheSameRun() {
        List<EpochStats> h1 = new java.util.ArrayList<>();
        List<EpochStats> h2 = new java.util.ArrayList<>();
        Map<String, Parameter> a = trainLenet(1, h1).namedParameters();
        Map<String, Parameter> b = trainLenet(1, h2).namedParameters();
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k).value().data(), b.get(k).value().data(), k);
        }
        assertEquals(h1.get(0).trainLoss(), h2.get(0).trainLoss());
    }

    @Test
    void aLossThatTurnsNaNStopsTrainingWithAClearMessage() {
        Init.manualSeed(1);
        Sequential model = Zoo.lenet5(DATA.train().sampleShape(), 10);
        Trainer t = new Trainer(model, new SGD(model.parameters(), 1e36), null);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> t.fit(loader(first(DATA.train(), 320), true), null, 2));
        assertTrue(e.getMessage().contains("lower the learning rate"), e.getMessage());
    }

    @Test
    void listenersShowProgressAndWriteMetrics(@TempDir Path dir) throws Exception {
        Init.manualSeed(2);
        Sequential model = Zoo.mlp(DATA.train().sampleShape(), 10);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MetricsFile metrics = new MetricsFile(dir.resolve("metrics.csv"));
        new Trainer(model, new Adam(model.parameters(), 0.002), null)
                .addListener(new ProgressBar(new PrintStream(out, true, StandardCharsets.UTF_8), false))
                .addListener(metrics)
                .fit(loader(first(DATA.train(), 640), true), loader(first(DATA.test(), 200), false), 2);
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("epoch 1  batch 5/20") && text.contains("img/s") && text.contains("ETA"), text);
        assertTrue(text.contains("epoch 2/2  train loss"), text);
        assertTrue(!text.contains("\r"), "plain lines when not on a terminal");
        List<String> csv = Files.readAllLines(metrics.file());
        assertEquals(3, csv.size());
        assertEquals(MetricsFile.HEADER.strip(), csv.get(0));
        assertTrue(csv.get(2).startsWith("2,"), csv.get(2));
        assertEquals(List.of(metrics.file()), Files.list(dir).toList(), "no temporary files left");
    }

    @Test
    void evaluationCountsEveryImageInTheConfusionMatrix() {
        Init.manualSeed(3);
        Sequential model = Zoo.mlp(DATA.test().sampleShape(), 10);
        Evaluation ev = Evaluation.of(model, loader(first(DATA.test(), 300), false));
        int total = 0;
        int diagonal = 0;
        for (int t = 0; t < 10; t++) {
            for (int p = 0; p < 10; p++) {
                total += ev.confusion()[t][p];
            }
            diagonal += ev.confusion()[t][t];
        }
        assertEquals(300, total);
        assertEquals(ev.accuracy(), diagonal / 300.0, 1e-12);
        assertTrue(ev.confusionTable().lines().count() == 11, ev.confusionTable());
    }
}
