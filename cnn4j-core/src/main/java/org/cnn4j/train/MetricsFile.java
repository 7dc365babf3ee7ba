package org.cnn4j.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.cnn4j.io.AtomicFile;

/**
 * Writes one CSV row per epoch (loss, train and test accuracy, seconds, images/s, learning rate). The whole file
 * is rewritten atomically after each epoch, so it is always complete, even if training is interrupted.
 */
public final class MetricsFile implements TrainingListener {
    static final String HEADER = "epoch,train_loss,train_accuracy,test_loss,test_accuracy,seconds,images_per_second,lr\n";
    private final Path file;
    private final StringBuilder rows = new StringBuilder(HEADER);

    public MetricsFile(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    @Override
    public void onEpochEnd(EpochStats s) {
        rows.append(String.format(java.util.Locale.ROOT, "%d,%.6f,%.6f,%.6f,%.6f,%.3f,%.1f,%.6g%n", s.epoch(),
                s.trainLoss(), s.trainAccuracy(), s.testLoss(), s.testAccuracy(), s.seconds(), s.imagesPerSecond(),
                s.learningRate()));
        try {
            AtomicFile.write(file, rows.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write metrics file " + file + ": " + e.getMessage(), e);
        }
    }
}
