package org.cnn4j.cli;

import java.util.Map;
import org.cnn4j.data.Normalize;
import picocli.CommandLine.Option;

/**
 * The input normalization for a command that runs a model: the one given with --normalize, else the one stored in
 * the model's metadata (a cnn4j model file, or an ONNX file exported by cnn4j), else MNIST's (an ONNX file from
 * elsewhere says nothing about how its inputs were prepared).
 */
final class NormalizeOption {
    @Option(names = "--normalize", paramLabel = "MEAN,STD",
            description = "Input normalization (x - MEAN) / STD. Default: the model's own, else MNIST's (0.1307,0.3081).")
    String normalize;

    Normalize resolve(Map<String, String> meta) {
        if (normalize != null) {
            String[] parts = normalize.split(",");
            try {
                if (parts.length == 2) {
                    float std = Float.parseFloat(parts[1].trim());
                    if (std > 0) {
                        return Normalize.of(Float.parseFloat(parts[0].trim()), std);
                    }
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("--normalize expects MEAN,STD with STD > 0, e.g. 0.1307,0.3081 (got '"
                    + normalize + "')");
        }
        return ModelOption.normalization(meta);
    }
}
