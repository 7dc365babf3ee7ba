package org.cnn4j.experiment;

import java.util.stream.IntStream;
import org.cnn4j.data.DataLoader;
import org.cnn4j.data.Dataset;
import org.cnn4j.data.Normalize;
import org.cnn4j.tensor.Tensor;

/** Subsets of data for the experiments. */
final class Samples {
    private Samples() {
    }

    /** {@code n} samples of {@code data} drawn at random without replacement (the embedded sets are sorted by class). */
    static Dataset draw(Dataset data, int n, long seed) {
        int[] order = DataLoader.builder(data).shuffle(true).seed(seed).build().order(0);
        return data.subset(IntStream.of(order).limit(n).toArray());
    }

    /** All of {@code data} as one normalized batch (N, C, H, W), a tensor of its own. */
    static Tensor batch(Dataset data, Normalize normalize) {
        return DataLoader.builder(data).batchSize(data.size()).normalize(normalize).build()
                .epoch(0).iterator().next().images().copy();
    }
}
