package org.cnn4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cnn4j.data.DataSource;
import org.cnn4j.data.Dataset;
import org.cnn4j.data.DigitImage;
import org.cnn4j.io.Json;
import org.cnn4j.io.LoadedModel;
import org.cnn4j.nn.Mode;
import org.cnn4j.nn.Softmax;
import org.cnn4j.tensor.Tensor;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Classifies one image: a PNG or JPEG file (converted to 28x28 grayscale the way MNIST digits were prepared,
 * see {@link DigitImage}), or a test image of the data set by index. Prints the three most likely classes.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Classify a PNG/JPEG image or a test image by index; prints the top-3 classes.")
final class PredictCommand implements Callable<Integer> {
    @ArgGroup(multiplicity = "1")
    Input input;

    static final class Input {
        @Parameters(paramLabel = "IMAGE", description = "A PNG or JPEG image of a digit.")
        Path image;

        @Option(names = "--index", paramLabel = "N", description = "The N-th image of the test data instead.")
        Integer index;
    }

    @Option(names = "--model-file", paramLabel = "FILE",
            description = "A .cnn4j model file or an .onnx model. Default: runs/seed-cnn/model.cnn4j.")
    Path modelFile = ModelOption.DEFAULT;

    @Option(names = "--data", description = "For --index. " + DataOption.DESCRIPTION + DataOption.MODEL_DEFAULT)
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
        Tensor pixels;
        String what;
        Integer truth = null;
        List<String> names = ModelOption.classNames(lm.metadata());
        if (input.image != null) {
            pixels = DigitImage.read(input.image);
            what = input.image.toString();
        } else {
            DataSource source = DataOption.forModel(data, lm.metadata());
            Dataset test = source.test();
            names = names != null ? names : source.classNames();
            if (input.index < 0 || input.index >= test.size()) {
                throw new IllegalArgumentException("--index " + input.index + " is outside the test data (0.."
                        + (test.size() - 1) + ")");
            }
            pixels = test.image(input.index);
            truth = test.label(input.index);
            what = source.name() + " test image " + input.index;
        }
        Tensor batch = pixels.copy().reshape(pixels.shape().prepend(1));
        batch.shape().dropFirst().require(lm.model().sampleShape(), "image vs the model's input");
        normalize.resolve(lm.metadata()).apply(batch);
        Tensor probs = new Softmax().forward(lm.model().forward(batch, Mode.EVAL), Mode.EVAL);
        List<Integer> order = new ArrayList<>();
        for (int c = 0; c < probs.dim(1); c++) {
            order.add(c);
        }
        float[] p = probs.data();
        order.sort((a, b) -> Float.compare(p[b], p[a]));
        List<String> classNames = names;
        System.out.println(what + (truth != null ? " (label " + DataOption.className(names, truth) + ")" : "") + ":");
        Map<String, Object> top = new LinkedHashMap<>();
        List<Integer> best = order.subList(0, Math.min(3, order.size()));
        List<String> labels = best.stream().map(c -> DataOption.className(classNames, c)).toList();
        int width = labels.stream().mapToInt(String::length).max().orElse(1);
        for (int i = 0; i < best.size(); i++) {
            int c = best.get(i);
            System.out.printf("  %d. class %-" + width + "s  %6.2f%%%n", i + 1, labels.get(i), 100 * p[c]);
            top.put(Integer.toString(c), (double) p[c]);
        }
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("input", what);
            m.put("prediction", order.get(0));
            if (names != null) {
                m.put("class_name", names.get(order.get(0)));
            }
            m.put("top3", top);
            System.out.println(Json.write(m));
        }
        return 0;
    }
}
