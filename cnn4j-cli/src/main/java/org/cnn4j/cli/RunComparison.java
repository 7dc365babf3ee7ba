package org.cnn4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.cnn4j.io.LoadedModel;
import org.cnn4j.io.ModelFile;

/**
 * Puts a finished run beside the other runs in the same folder (runs/mlp, runs/seed-cnn, ...): parameters,
 * multiply-adds per image, test accuracy and training time. This is where the MLP-versus-CNN point shows.
 */
final class RunComparison {
    private RunComparison() {
    }

    static String table(Path runsDir, Path current) throws IOException {
        List<Path> models = new ArrayList<>();
        if (runsDir != null && Files.isDirectory(runsDir)) {
            try (Stream<Path> dirs = Files.list(runsDir)) {
                dirs.map(d -> d.resolve("model.cnn4j")).filter(Files::isRegularFile).sorted().forEach(models::add);
            }
        }
        if (models.size() < 2) {
            return "";
        }
        StringBuilder sb = new StringBuilder(String.format("%nruns in %s:%n", runsDir));
        sb.append(String.format("  %-22s %-10s %12s %14s %9s %8s %9s%n", "run", "model", "parameters", "mult-adds/img",
                "test acc", "epochs", "seconds"));
        for (Path m : models) {
            try {
                LoadedModel lm = ModelFile.load(m);
                var meta = lm.metadata();
                String run = m.getParent().getFileName() + (m.getParent().equals(current) ? " *" : "");
                sb.append(String.format("  %-22s %-10s %,12d %,14d %8.2f%% %8s %9s%n", run,
                        meta.getOrDefault("model", "?"), lm.model().parameterCount(),
                        lm.model().multiplyAdds(lm.model().sampleShape().prepend(1)),
                        100 * Double.parseDouble(meta.getOrDefault("test_accuracy", "NaN")),
                        meta.getOrDefault("epochs", "?"), meta.getOrDefault("train_seconds", "?")));
            } catch (IOException | RuntimeException e) {
                // a run from another version, a damaged file or odd metadata: not part of the comparison
            }
        }
        return sb.toString();
    }
}
