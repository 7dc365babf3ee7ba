package org.cnn4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.cnn4j.io.LoadedModel;
import org.cnn4j.io.ModelFile;
import org.cnn4j.onnx.OnnxImporter;

/**
 * Loads the model file a command works on (a .cnn4j model file, or an ONNX model imported on the fly when the name
 * ends in .onnx).
 */
final class ModelOption {
    static final Path DEFAULT = Path.of("runs", "seed-cnn", "model.cnn4j");

    private ModelOption() {
    }

    static LoadedModel load(Path file) throws java.io.IOException {
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("no model file " + file
                    + (file.equals(DEFAULT) ? " (train one first: ./cnn4j train)" : ""));
        }
        return isOnnx(file) ? OnnxImporter.load(file) : ModelFile.load(file);
    }

    static boolean isOnnx(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx");
    }
}
