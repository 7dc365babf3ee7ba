package org.cnn4j.train;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import org.cnn4j.model.Zoo;
import org.cnn4j.nn.Sequential;
import org.cnn4j.optim.SGD;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Once warm, a training step reuses the layers' tensors and the kernels' scratch arrays, so it allocates next to
 * nothing: only small objects such as the tasks handed to the worker threads. Allocation counters are exact, so
 * this is not a timing test. Before the layers reused their tensors a step allocated about 11 MB at this batch size
 * (90 MB at batch 64); now about 6 KB.
 */
class AllocationTest {
    private static final long BOUND = 64 * 1024;

    @Test
    void aWarmTrainingStepOfSeedCnnAllocatesAlmostNothing() {
        assumeTrue(Allocations.supported(), "this JVM does not count allocated bytes per thread");
        Shape sample = Shape.of(1, 28, 28);
        Sequential model = Zoo.seedCnn(sample, 10);
        int batch = 8;
        Tensor x = Tensor.randn(sample.prepend(batch), 1f, 1);
        int[] labels = new SplittableRandom(2).ints(batch, 0, 10).toArray();
        Trainer trainer = new Trainer(model, new SGD(model.parameters(), 0.01, 0.9), null);
        // the first steps allocate while the JIT compiles the kernels (the Vector API boxes its vectors until
        // then), which takes longer on a busy machine, when this test runs alone, or when a kernel compiled during
        // earlier tests hit an uncommon trap and waits to be compiled again (one run in ten of the suite once spent
        // all of 200 rounds, 8 s, so): measure rounds of 5 steps until three in a row are warm, for at most a
        // minute; perStep is the worst of those three
        int steps = 5;
        long perStep = Long.MAX_VALUE;
        int warm = 0;
        int round = 0;
        for (long end = System.nanoTime() + 60_000_000_000L; System.nanoTime() < end && warm < 3; round++) {
            long before = Allocations.allocatedBytes();
            for (int i = 0; i < steps; i++) {
                trainer.step(x, labels);
            }
            long bytes = (Allocations.allocatedBytes() - before) / steps;
            warm = bytes < BOUND ? warm + 1 : 0;
            perStep = warm <= 1 ? bytes : Math.max(perStep, bytes);
        }
        assertTrue(warm == 3 && perStep < BOUND,
                perStep + " bytes allocated per training step after " + round + " rounds (bound " + BOUND + ")");
    }
}
