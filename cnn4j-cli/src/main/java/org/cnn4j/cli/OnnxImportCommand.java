package org.cnn4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cnn4j.io.LoadedModel;
import org.cnn4j.io.ModelFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Converts an ONNX model into a .cnn4j model file, which can then be evaluated, inspected or trained further. */
@Command(name = "onnx-import", mixinStandardHelpOptions = true,
        description = "Import an ONNX model as a .cnn4j model file: writes DIR/NAME.cnn4j.")
final class OnnxImportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ONNX_FILE", description = "The .onnx model to import.")
    Path onnxFile;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder. Default: the ONNX file's folder.")
    Path out;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        common.apply();
        if (!ModelOption.isOnnx(onnxFile)) {
            throw new IllegalArgumentException("expected an .onnx file but got " + onnxFile);
        }
        LoadedModel lm = ModelOption.load(onnxFile);
        Path file = ModelOption.converted(onnxFile, out, ".cnn4j");
        ModelFile.save(lm.model(), file, lm.metadata());
        System.out.println("wrote " + file);
        System.out.print(lm.model().summary());
        return 0;
    }
}
