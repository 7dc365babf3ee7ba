package org.cnn4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.cnn4j.data.Normalize;
import org.cnn4j.io.LoadedModel;
import org.cnn4j.io.ModelFile;

/** Loads the model file a command works on, and the input normalization the model was trained with. */
final class ModelOption {
    static final Path DEFAULT = Path.of("runs", "seed-cnn", "model.cnn4j");

    private ModelOption() {
    }

    static LoadedModel load(Path file) throws java.io.IOException {
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("no model file " + file
                    + (file.equals(DEFAULT) ? " (train one first: ./cnn4j train)" : ""));
        }
        return ModelFile.load(file);
    }

    /** The normalization stored with the model (MNIST's when the file does not say). */
    static Normalize normalization(Map<String, String> meta) {
        String mean = meta.get("normalize.mean");
        String std = meta.get("normalize.std");
        return mean == null || std == null ? Normalize.MNIST : Normalize.of(Float.parseFloat(mean), Float.parseFloat(std));
    }
}
