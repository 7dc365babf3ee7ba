package org.cnn4j.experiment;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cnn4j.data.Mnist;
import org.cnn4j.data.Normalize;
import org.cnn4j.init.Init;
import org.cnn4j.init.Initializer;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.Mode;
import org.cnn4j.nn.ReLU;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.viz.LinePlot;

/**
 * Why initialization matters: a batch of real MNIST digits goes forward through a deep stack of Linear + ReLU
 * layers (784-256, then 256-256, 20 layers in all, biases 0), and the standard deviation of the activations after
 * each layer is measured under three initializations of the weights:
 * <ul>
 *   <li><b>He</b> (std sqrt(2 / fanIn)): each layer keeps the mean square of its input, since ReLU halves it and the
 *       weights double it; the spread stays roughly constant through all 20 layers;</li>
 *   <li><b>Xavier</b> (std sqrt(2 / (fanIn + fanOut)) = sqrt(1 / 256) here): made for symmetric activations, it
 *       does not make up for ReLU's halving, so the spread falls by about 1/sqrt(2) per layer;</li>
 *   <li><b>small normal</b> (std 0.01, the "small random numbers" of early nets): each layer multiplies the spread
 *       by about 0.01 sqrt(256 / 2) = 0.11, so it collapses towards 0, and the gradients with it.</li>
 * </ul>
 * Writes init.csv (layer, std under each initialization) and init.png (std against layer, log scale).
 */
public final class InitExperiment implements Experiment {
    public static final String NAME = "init";
    static final int LAYERS = 20;
    static final int WIDTH = 256;
    /** The initializations compared: CSV column, legend name, initializer. */
    static final List<String> COLUMNS = List.of("std_he", "std_xavier", "std_normal_0.01");
    private static final List<String> LEGEND = List.of("He normal", "Xavier normal", "normal, std 0.01");
    private static final List<Initializer> INITS = List.of(Init.heNormal(), Init.xavierNormal(), Init.normal(0.01));

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "activation spread through 20 Linear+ReLU layers under He, Xavier and small-normal initialization";
    }

    @Override
    public Result run(Settings settings, PrintStream log) throws IOException {
        int samples = settings.quick() ? 64 : 1000;
        Tensor digits = Samples.batch(Samples.draw(Mnist.embedded().train(), samples, settings.seed()), Normalize.MNIST);
        digits = digits.reshape(samples, digits.size() / samples);
        double[][] std = new double[INITS.size()][];
        for (int i = 0; i < INITS.size(); i++) {
            Init.manualSeed(settings.seed());
            std[i] = activationStd(INITS.get(i), digits);
        }

        List<String> header = new ArrayList<>(List.of("layer"));
        header.addAll(COLUMNS);
        Table table = new Table(header.toArray(String[]::new));
        double[] layers = new double[LAYERS];
        log.printf("standard deviation of the activations after each Linear+ReLU layer (%d MNIST digits):%n", samples);
        log.printf("  %5s %14s %14s %14s%n", "layer", LEGEND.get(0), LEGEND.get(1), LEGEND.get(2));
        for (int l = 0; l < LAYERS; l++) {
            layers[l] = l + 1;
            table.add(l + 1, std[0][l], std[1][l], std[2][l]);
            log.printf("  %5d %14.4g %14.4g %14.4g%n", l + 1, std[0][l], std[1][l], std[2][l]);
        }
        LinePlot plot = new LinePlot("Activation spread through " + LAYERS + " Linear+ReLU layers",
                "layer", "standard deviation of the activations").logY();
        for (int i = 0; i < INITS.size(); i++) {
            plot.add(LEGEND.get(i), layers, std[i]);
        }
        Result result = new Result(settings.out().resolve(NAME + ".csv"), settings.out().resolve(NAME + ".png"),
                summary(std));
        table.write(result.csv());
        plot.writePng(result.png(), 900, 560);
        return result;
    }

    /** The standard deviation of the activations after each layer, for weights drawn with {@code init}. */
    static double[] activationStd(Initializer init, Tensor input) {
        double[] std = new double[LAYERS];
        Tensor x = input;
        ReLU relu = new ReLU();
        for (int l = 0; l < LAYERS; l++) {
            Linear layer = new Linear(l == 0 ? input.dim(1) : WIDTH, WIDTH);
            Init.apply(init, layer.weight().value());
            layer.bias().value().fill(0f);
            x = relu.forward(layer.forward(x, Mode.EVAL), Mode.EVAL);
            std[l] = std(x.data());
        }
        return std;
    }

    static double std(float[] v) {
        double sum = 0;
        for (float f : v) {
            sum += f;
        }
        double mean = sum / v.length;
        double squares = 0;
        for (float f : v) {
            squares += (f - mean) * (f - mean);
        }
        return Math.sqrt(squares / v.length);
    }

    private static Map<String, Object> summary(double[][] std) {
        Map<String, Object> last = new LinkedHashMap<>();
        for (int i = 0; i < COLUMNS.size(); i++) {
            last.put(COLUMNS.get(i), std[i][LAYERS - 1]);
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("layer_" + LAYERS, last);
        return summary;
    }
}
