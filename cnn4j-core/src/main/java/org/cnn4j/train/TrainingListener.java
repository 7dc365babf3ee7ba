package org.cnn4j.train;

/** Observes a {@link Trainer}: progress display, metrics files and checkpoints are listeners. */
public interface TrainingListener {

    default void onEpochStart(int epoch, int epochs, int batches) {
    }

    /**
     * After each batch: {@code batch} counts from 1; loss and accuracy are running means over the epoch so far;
     * {@code images} is the number of images seen this epoch and {@code seconds} the time spent on them.
     */
    default void onBatchEnd(int epoch, int batch, int batches, double loss, double accuracy, int images, double seconds) {
    }

    default void onEpochEnd(EpochStats stats) {
    }
}
