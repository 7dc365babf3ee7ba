package org.cnn4j.io;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cnn4j.nn.Sequential;

/**
 * A model read from a model file: the network with its weights, the metadata saved with it (what the trainer
 * recorded for prediction, such as the class names and the input normalization), in the order it was saved, and
 * the training state a checkpoint holds besides the model (empty in other files: see
 * {@link ModelFile#save(Sequential, java.nio.file.Path, Map, List)}).
 */
public record LoadedModel(Sequential model, Map<String, String> metadata, List<float[]> state) {

    public LoadedModel {
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        state = List.copyOf(state);
    }

    /** A model without training state. */
    public LoadedModel(Sequential model, Map<String, String> metadata) {
        this(model, metadata, List.of());
    }
}
