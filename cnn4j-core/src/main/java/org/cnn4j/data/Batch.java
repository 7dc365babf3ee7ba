package org.cnn4j.data;

import org.cnn4j.tensor.Tensor;

/**
 * A mini-batch: {@code images} of shape (N, C, H, W) and their N class {@code labels}.
 * A {@link DataLoader} reuses the arrays of its batches: a batch is valid until the loader produces the next one.
 */
public record Batch(Tensor images, int[] labels) {
    public Batch {
        if (images.rank() != 4 || images.dim(0) != labels.length) {
            throw new IllegalArgumentException("Batch: images of shape " + images.shape() + " for " + labels.length + " labels");
        }
    }

    /** Number of samples N. */
    public int size() {
        return labels.length;
    }
}
