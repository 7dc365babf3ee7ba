package org.cnn4j.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

    /**
     * Continues the metrics file of a run that completed {@code epochs} epochs: keeps its first {@code epochs} rows
     * (rows of later, unfinished work are dropped) and appends from there.
     */
    public static MetricsFile resume(Path file, int epochs) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !(lines.get(0) + "\n").equals(HEADER)) {
            throw new IOException("metrics file " + file + " does not start with cnn4j's header");
        }
        for (int e = 1; e <= epochs; e++) {
            if (lines.size() <= e || !lines.get(e).startsWith(e + ",")) {
                throw new IOException("metrics file " + file + " has no row for epoch " + e + ", which the checkpoint"
                        + " has done");
            }
        }
        MetricsFile m = new MetricsFile(file);
        for (String row : lines.subList(1, epochs + 1)) {
            m.rows.append(row).append('\n');
        }
        return m;
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
