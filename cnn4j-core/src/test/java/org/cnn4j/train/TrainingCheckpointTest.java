package org.cnn4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.cnn4j.data.DataLoader;
import org.cnn4j.data.Dataset;
import org.cnn4j.data.Mnist;
import org.cnn4j.data.Normalize;
import org.cnn4j.init.Init;
import org.cnn4j.io.LoadedModel;
import org.cnn4j.io.ModelFile;
import org.cnn4j.model.Zoo;
import org.cnn4j.nn.Parameter;
import org.cnn4j.nn.Sequential;
import org.cnn4j.optim.Adam;
import org.cnn4j.optim.CosineAnnealingLR;
import org.cnn4j.optim.Optimizer;
import org.cnn4j.optim.SGD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run stopped after an epoch and continued from its checkpoint ends exactly where the uninterrupted run does. */
class TrainingCheckpointTest {
    private static final Mnist.Split DATA = Mnist.embedded();
    private static final int EPOCHS = 3;

    @TempDir
    Path dir;

    private static Dataset every(Dataset d, int n) {
        return d.subset(IntStream.range(0, n).map(i -> i * (d.size() / n)).toArray());
    }

    private final DataLoader train = DataLoader.builder(every(DATA.train(), 320)).batchSize(32).shuffle(true).seed(3)
            .translate(2).normalize(Normalize.MNIST).build();
    private final DataLoader test = DataLoader.builder(every(DATA.test(), 200)).batchSize(100)
            .normalize(Normalize.MNIST).build();

    /** Stops a run by throwing at the end of an epoch (after the listeners added before it have run). */
    private static final class Interrupt extends RuntimeException implements TrainingListener {
        private final int after;

        Interrupt(int after) {
            this.after = after;
        }

        @Override
        public void onEpochEnd(EpochStats s) {
            if (s.epoch() == after) {
                throw this;
            }
        }
    }

    private Trainer trainer(Sequential model, Optimizer opt) {
        return new Trainer(model, opt, new CosineAnnealingLR(EPOCHS * train.batchesPerEpoch()));
    }

    private void check(Function<Sequential, Optimizer> optimizer) throws Exception {
        Init.manualSeed(7);
        Sequential straight = Zoo.mlp(DATA.train().sampleShape(), 10); // batch norm: running statistics too
        List<EpochStats> whole = trainer(straight, optimizer.apply(straight)).fit(train, test, EPOCHS);

        Init.manualSeed(7);
        Sequential first = Zoo.mlp(DATA.train().sampleShape(), 10);
        Optimizer opt = optimizer.apply(first);
        Path file = dir.resolve("checkpoint.cnn4j");
        Interrupt stop = new Interrupt(2);
        Trainer interrupted = trainer(first, opt)
                .addListener(new TrainingCheckpoint(first, opt, file, Map.of("note", "kept"), -1, 0))
                .addListener(stop);
        assertThrows(Interrupt.class, () -> interrupted.fit(train, test, EPOCHS));

        LoadedModel loaded = ModelFile.load(file);
        assertEquals("2", loaded.metadata().get(TrainingCheckpoint.EPOCH));
        assertEquals(Long.toString(2L * train.batchesPerEpoch()), loaded.metadata().get(TrainingCheckpoint.STEPS));
        assertEquals("kept", loaded.metadata().get("note"));
        assertEquals(Math.max(whole.get(0).testAccuracy(), whole.get(1).testAccuracy()),
                Double.parseDouble(loaded.metadata().get(TrainingCheckpoint.BEST)));
        Sequential resumed = loaded.model();
        Optimizer resumedOpt = optimizer.apply(resumed);
        TrainingCheckpoint.restore(loaded, resumedOpt, file);
        List<EpochStats> rest = trainer(resumed, resumedOpt).fit(train, test, EPOCHS, 3);

        assertEquals(1, rest.size());
        assertEquals(whole.get(2).trainLoss(), rest.get(0).trainLoss(), "epoch 3's training loss");
        assertEquals(whole.get(2).testAccuracy(), rest.get(0).testAccuracy());
        Map<String, Parameter> a = straight.namedParameters();
        Map<String, Parameter> b = resumed.namedParameters();
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) { // weights and batch norm's running statistics, to the last bit
            assertArrayEquals(a.get(k).value().data(), b.get(k).value().data(), k);
        }
    }

    @Test
    void adamContinuesExactly() throws Exception {
        check(m -> new Adam(m.parameters(), 0.003));
    }

    @Test
    void sgdWithMomentumContinuesExactly() throws Exception {
        check(m -> new SGD(m.parameters(), 0.05, 0.9, 0, 1e-4, true));
    }

    /** The checkpoint an MLP trained with SGD writes at the end of an epoch with this test accuracy. */
    private LoadedModel sgdCheckpoint(Path file, double testAccuracy) throws Exception {
        Init.manualSeed(7);
        Sequential model = Zoo.mlp(DATA.train().sampleShape(), 10);
        new TrainingCheckpoint(model, new SGD(model.parameters(), 0.05, 0.9), file, Map.of(), -1, 0).onEpochEnd(
                new EpochStats(1, 1, 1, 0.5, testAccuracy, testAccuracy, 1, 1, 0.05));
        return ModelFile.load(file);
    }

    @Test
    void aCheckpointOfAnotherOptimizerOrModelIsRefusedInOneLine() throws Exception {
        Path file = dir.resolve("sgd.cnn4j");
        LoadedModel loaded = sgdCheckpoint(file, 0.5);

        Optimizer adam = new Adam(loaded.model().parameters(), 0.003);
        IllegalArgumentException kind = assertThrows(IllegalArgumentException.class,
                () -> TrainingCheckpoint.restore(loaded, adam, file));
        assertEquals("checkpoint " + file + " holds the state of SGD, not of Adam", kind.getMessage());

        Sequential other = Zoo.lenet5(DATA.train().sampleShape(), 10); // other parameters: other array sizes
        IllegalArgumentException sizes = assertThrows(IllegalArgumentException.class,
                () -> TrainingCheckpoint.restore(loaded, new SGD(other.parameters(), 0.05, 0.9), file));
        assertEquals("checkpoint " + file + " does not fit the optimizer: SGD state array 0 holds 150 values, not"
                + " 200704", sizes.getMessage()); // LeNet-5's first weights (6x1x5x5) against the MLP's (256x784)
        assertFalse(sizes.getMessage().contains("\n"));
    }

    @Test
    void noTestDataLeavesTheBestAccuracyUnset() throws Exception {
        Path file = dir.resolve("no-test.cnn4j");
        assertEquals(-1.0, TrainingCheckpoint.Progress.of(sgdCheckpoint(file, Double.NaN), file).best());
    }

    private static EpochStats epoch(int e, double trainLoss) {
        return new EpochStats(e, 3, trainLoss, 0.5, 1, 0.5, 1, 1, 0.05);
    }

    @Test
    void metricsOfAResumedRunKeepTheRowsOfTheEpochsDone() throws Exception {
        Path csv = dir.resolve("metrics.csv");
        MetricsFile first = new MetricsFile(csv);
        for (int e = 1; e <= 3; e++) { // epoch 3 was finished, but the run stopped before its checkpoint
            first.onEpochEnd(epoch(e, e));
        }
        MetricsFile resumed = MetricsFile.resume(csv, 2);
        resumed.onEpochEnd(epoch(3, 9));
        List<String> rows = Files.readAllLines(csv);
        assertEquals(4, rows.size(), rows.toString());
        assertTrue(rows.get(1).startsWith("1,1.0") && rows.get(2).startsWith("2,2.0"), rows.toString());
        assertTrue(rows.get(3).startsWith("3,9.0"), "epoch 3 again, from the checkpoint: " + rows);

        java.io.IOException missing = assertThrows(java.io.IOException.class, () -> MetricsFile.resume(csv, 5));
        assertEquals("metrics file " + csv + " has no row for epoch 4, which the checkpoint has done",
                missing.getMessage());
        Files.writeString(csv, "something else\n1,2,3\n");
        assertTrue(assertThrows(java.io.IOException.class, () -> MetricsFile.resume(csv, 1)).getMessage()
                .endsWith("does not start with cnn4j's header"));
    }
}
