package org.cnn4j.io;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cnn4j.nn.Sequential;

/**
 * A model read from a model file: the network with its weights, and the metadata saved with it (what the trainer
 * recorded for prediction, such as the class names and the input normalization), in the order it was saved.
 */
public record LoadedModel(Sequential model, Map<String, String> metadata) {

    public LoadedModel {
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }
}
