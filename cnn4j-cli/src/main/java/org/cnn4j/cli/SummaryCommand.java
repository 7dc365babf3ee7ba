package org.cnn4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cnn4j.model.Zoo;
import org.cnn4j.nn.Sequential;
import org.cnn4j.tensor.Shape;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Prints a model's layer table (output shapes, parameters, multiply-adds), like Keras's model.summary(). */
@Command(name = "summary", mixinStandardHelpOptions = true,
        description = "Print a model's layers, output shapes, parameter counts and multiply-adds.")
final class SummaryCommand implements Callable<Integer> {
    @ArgGroup(multiplicity = "0..1")
    Source source;

    static final class Source {
        @Option(names = "--model", description = "A zoo model: ${COMPLETION-CANDIDATES}.", completionCandidates = ModelNames.class)
        String model;

        @Option(names = "--model-file", paramLabel = "FILE", description = "A .cnn4j model file or an .onnx model.")
        Path file;
    }

    @Option(names = "--input", defaultValue = "1,28,28", paramLabel = "C,H,W",
            description = "Input sample shape for a zoo model. Default: ${DEFAULT-VALUE}.")
    String input;

    @Option(names = "--classes", defaultValue = "10", description = "Number of classes for a zoo model. Default: ${DEFAULT-VALUE}.")
    int classes;

    @Option(names = "--depth", defaultValue = "1", paramLabel = "N",
            description = "Levels of nesting to list: 1 shows a residual or dense block as one row, 2 also the layers"
                    + " inside it. Default: ${DEFAULT-VALUE}.")
    int depth;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws java.io.IOException {
        Sequential net;
        String name;
        if (source != null && source.file != null) {
            net = ModelOption.load(source.file).model();
            name = source.file.toString();
        } else {
            name = source == null ? "seed-cnn" : source.model;
            net = Zoo.create(name, parseShape(input), classes);
        }
        System.out.println(name + " for input " + net.sampleShape() + ":");
        if (depth < 1) {
            throw new IllegalArgumentException("--depth must be at least 1 (got " + depth + ")");
        }
        System.out.print(net.summary(depth));
        return 0;
    }

    static Shape parseShape(String s) {
        String[] parts = s.split(",");
        int[] dims = new int[parts.length];
        try {
            for (int i = 0; i < parts.length; i++) {
                dims[i] = Integer.parseInt(parts[i].trim());
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--input: expected sizes like 1,28,28 but got '" + s + "'");
        }
        if (dims.length != 3) {
            throw new IllegalArgumentException("--input: expected 3 sizes C,H,W but got '" + s + "'");
        }
        return Shape.of(dims);
    }
}
