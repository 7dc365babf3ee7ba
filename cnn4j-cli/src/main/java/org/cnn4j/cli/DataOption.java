package org.cnn4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cnn4j.data.Mnist;

/** Resolves a --data value: "mnist" is the embedded digits, anything else a folder of MNIST-format IDX files. */
final class DataOption {
    private DataOption() {
    }

    static Mnist.Split load(String data) throws IOException {
        if (data.equals("mnist")) {
            return Mnist.embedded();
        }
        Path folder = Path.of(data);
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("--data: '" + data + "' is neither 'mnist' nor a folder of IDX files");
        }
        return Mnist.fromFolder(folder);
    }
}
