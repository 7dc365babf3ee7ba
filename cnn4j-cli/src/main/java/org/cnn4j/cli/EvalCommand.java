package org.cnn4j.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cnn4j.data.DataLoader;
import org.cnn4j.data.DataSource;
import org.cnn4j.data.Dataset;
import org.cnn4j.io.Json;
import org.cnn4j.io.LoadedModel;
import org.cnn4j.train.Evaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Evaluates a model file on the test data: accuracy, loss and the confusion matrix. */
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Evaluate a trained model on the test data.")
final class EvalCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL_FILE",
            description = "A .cnn4j model file or an .onnx model. Default: runs/seed-cnn/model.cnn4j.")
    Path modelFile = ModelOption.DEFAULT;

    @Option(names = "--data", description = DataOption.DESCRIPTION + DataOption.MODEL_DEFAULT)
    String data;

    @Option(names = "--json", description = "Print a JSON summary as the last line.")
    boolean json;

    @Mixin
    NormalizeOption normalize;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        common.apply();
        LoadedModel lm = ModelOption.load(modelFile);
        DataSource source = DataOption.forModel(data, lm.metadata());
        Dataset test = source.test();
        test.sampleShape().require(lm.model().sampleShape(), "data set images vs the model's input");
        DataLoader loader = DataLoader.builder(test).batchSize(256).normalize(normalize.resolve(lm.metadata()))
                .build();
        Evaluation ev = Evaluation.of(lm.model(), loader);
        System.out.printf("%s on %s test data (%,d images): accuracy %.2f%%, loss %.4f%n%n", modelFile, source.name(),
                test.size(), 100 * ev.accuracy(), ev.loss());
        System.out.print(ev.confusionTable());
        if (!DataOption.isNumbered(source.classNames())) {
            System.out.println("classes: " + DataOption.legend(source.classNames()));
        }
        if (json) {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("model_file", modelFile.toString());
            summary.put("accuracy", ev.accuracy());
            summary.put("loss", ev.loss());
            summary.put("images", test.size());
            System.out.println(Json.write(summary));
        }
        return 0;
    }
}
