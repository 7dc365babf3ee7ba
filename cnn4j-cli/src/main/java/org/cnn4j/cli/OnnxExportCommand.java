package org.cnn4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cnn4j.io.LoadedModel;
import org.cnn4j.onnx.OnnxExporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Writes a model file as ONNX (opset 13), keeping its metadata (input normalization) as metadata properties. */
@Command(name = "onnx-export", mixinStandardHelpOptions = true,
        description = "Export a model file to ONNX (operator set 13): writes DIR/NAME.onnx.")
final class OnnxExportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL_FILE", description = "The .cnn4j model file to export.")
    Path modelFile;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder. Default: the model file's folder.")
    Path out;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        common.apply();
        LoadedModel lm = ModelOption.load(modelFile);
        Path file = ModelOption.converted(modelFile, out, ".onnx");
        OnnxExporter.save(lm.model(), lm.metadata(), file);
        System.out.println("wrote " + file);
        return 0;
    }
}
