package org.cnn4j.experiment;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cnn4j.data.DataLoader;
import org.cnn4j.data.Dataset;
import org.cnn4j.data.Mnist;
import org.cnn4j.data.Normalize;
import org.cnn4j.init.Init;
import org.cnn4j.loss.CrossEntropyLoss;
import org.cnn4j.model.Zoo;
import org.cnn4j.nn.AvgPool2d;
import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Flatten;
import org.cnn4j.nn.Layer;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.Mode;
import org.cnn4j.nn.Parameter;
import org.cnn4j.nn.ReLU;
import org.cnn4j.nn.Sequential;
import org.cnn4j.optim.SGD;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.train.EpochStats;
import org.cnn4j.train.Trainer;
import org.cnn4j.viz.LinePlot;
import org.cnn4j.viz.Png;

/**
 * Why residual connections help: the gradient that reaches each weight layer of a plain 20-layer CNN, without and
 * with batch normalization, versus resnet20, which has the same depth and widths but adds a shortcut around every
 * pair of convolutions.
 * <p>
 * The plain networks ({@link #plain20}) are resnet20 without its shortcuts: 19 times a 3x3 convolution (16, 32, 64
 * channels, stride 2 at the first convolution of the second and third stage) and a ReLU, then global average pooling
 * and Linear 64 - 10: 20 weight layers. {@value #PLAIN_NO_BN} has nothing else (its convolutions have a bias; He
 * initialization, the library's default), so it shows what depth alone does to the gradient; {@value #PLAIN} puts
 * a BatchNorm2d after each convolution (which then has no bias), as resnet20 does, so it shows how much of the
 * difference batch normalization alone accounts for; resnet20 adds the shortcuts on top. For each network the
 * experiment computes, on one fixed batch of embedded MNIST digits in training mode, the L2 norm of the
 * cross-entropy loss's gradient with respect to the weights of each layer, in forward order (resnet20's 1x1 shortcut
 * projections are left out, so all have 20 layers): once at initialization and once after one epoch of SGD
 * (learning rate 0.05, momentum 0.9, the same for all three) over 1,000 of the embedded training digits, whose test
 * loss and accuracy on 500 test digits it also reports (these deep conv nets run at only some tens of images per
 * second on two CPUs). The norms are of whole weight tensors, so they also grow with a layer's size: the first
 * convolution has 16 x 1 x 3 x 3 = 144 weights on MNIST and the Linear layer 640, against 2,304 to 36,864 for the
 * other convolutions. The numbers are what one seed gives on this small sample.
 * <p>
 * Writes vanishing-gradients.csv (network, when, layer, parameter, grad_norm) and vanishing-gradients.png (gradient
 * norm against layer, log scale, one line per network, at initialization and after one epoch).
 */
public final class VanishingGradientsExperiment implements Experiment {
    public static final String NAME = "vanishing-gradients";
    /** The plain network with batch normalization, built here. */
    public static final String PLAIN = "plain20";
    /** The plain network without batch normalization, built here. */
    public static final String PLAIN_NO_BN = "plain20-nobn";
    /** The networks compared by default; any other name is taken from the {@link Zoo}. */
    public static final List<String> NETWORKS = List.of(PLAIN_NO_BN, PLAIN, "resnet20");
    static final List<String> COLUMNS = List.of("network", "when", "layer", "parameter", "grad_norm");
    static final double LEARNING_RATE = 0.05;

    private final List<String> networks;

    public VanishingGradientsExperiment() {
        this(NETWORKS);
    }

    public VanishingGradientsExperiment(List<String> networks) {
        this.networks = List.copyOf(networks);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "per-layer gradient norms of a plain 20-layer CNN without and with batch norm and of resnet20,"
                + " at initialization and after one epoch";
    }

    @Override
    public Result run(Settings settings, PrintStream log) throws IOException {
        Mnist.Split split = Mnist.embedded();
        Dataset train = Samples.draw(split.train(), settings.quick() ? 32 : 1000, settings.seed());
        Dataset test = Samples.draw(split.test(), settings.quick() ? 32 : 500, settings.seed());
        Dataset probe = Samples.draw(split.train(), settings.quick() ? 16 : 128, settings.seed() + 1);
        Tensor probeImages = Samples.batch(probe, Normalize.MNIST);
        int[] probeLabels = probe.labels();

        Table table = new Table(COLUMNS.toArray(String[]::new));
        LinePlot atInit = new LinePlot("At initialization", "weight layer (input to output)", "gradient norm").logY();
        LinePlot afterEpoch = new LinePlot("After one epoch", "weight layer (input to output)", "gradient norm").logY();
        Map<String, Object> summary = new LinkedHashMap<>();
        for (String name : networks) {
            Init.manualSeed(settings.seed());
            Sequential net = network(name, train.sampleShape(), train.numClasses());
            Map<String, Parameter> weights = weightLayers(net);
            log.printf("%s: %d weight layers, %,d parameters; one epoch on %,d digits%n", name, weights.size(),
                    net.parameterCount(), train.size());
            double[] before = gradientNorms(net, weights, probeImages, probeLabels);
            DataLoader trainLoader = DataLoader.builder(train).batchSize(64).shuffle(true).seed(settings.seed())
                    .normalize(Normalize.MNIST).build();
            DataLoader testLoader = DataLoader.builder(test).batchSize(256).normalize(Normalize.MNIST).build();
            EpochStats epoch = new Trainer(net, new SGD(net.parameters(), LEARNING_RATE, 0.9), null)
                    .fit(trainLoader, testLoader, 1).get(0);
            log.println("  " + epoch.summaryLine());
            double[] after = gradientNorms(net, weights, probeImages, probeLabels);

            double[] layers = new double[weights.size()];
            List<String> names = new ArrayList<>(weights.keySet());
            for (int l = 0; l < layers.length; l++) {
                layers[l] = l + 1;
                table.add(name, "init", l + 1, names.get(l), before[l]);
            }
            for (int l = 0; l < layers.length; l++) {
                table.add(name, "epoch_1", l + 1, names.get(l), after[l]);
            }
            atInit.add(name, layers, before);
            afterEpoch.add(name, layers, after);
            log.printf("  gradient norm, layer 1 / layer %d: %.3g / %.3g at initialization, %.3g / %.3g after one epoch%n",
                    layers.length, before[0], before[layers.length - 1], after[0], after[layers.length - 1]);
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("first_layer_grad_norm_init", before[0]);
            s.put("last_layer_grad_norm_init", before[layers.length - 1]);
            s.put("first_layer_grad_norm_epoch_1", after[0]);
            s.put("last_layer_grad_norm_epoch_1", after[layers.length - 1]);
            s.put("test_loss_after_one_epoch", epoch.testLoss());
            s.put("test_accuracy_after_one_epoch", epoch.testAccuracy());
            summary.put(name, s);
        }
        Result result = new Result(settings.out().resolve(NAME + ".csv"), settings.out().resolve(NAME + ".png"), summary);
        table.write(result.csv());
        Png.write(LinePlot.renderRow(700, 500, List.of(atInit, afterEpoch)), result.png());
        return result;
    }

    /** {@link #PLAIN} and {@link #PLAIN_NO_BN} built here, any other name from the zoo. */
    static Sequential network(String name, Shape sample, int numClasses) {
        return switch (name) {
            case PLAIN -> plain20(sample, numClasses, true);
            case PLAIN_NO_BN -> plain20(sample, numClasses, false);
            default -> Zoo.create(name, sample, numClasses);
        };
    }

    /**
     * resnet20 without shortcuts: (Conv 3x3, ReLU) x 19 with 16, 32, 64 channels (stride 2 at the first convolution
     * of stages 2 and 3), global average pooling, Linear 64 - numClasses. With {@code batchNorm} each convolution
     * has no bias and is followed by a BatchNorm2d (as in resnet20); without, each convolution has a bias and
     * nothing normalizes. Square images only.
     */
    public static Sequential plain20(Shape sample, int numClasses, boolean batchNorm) {
        if (sample.dim(1) != sample.dim(2)) {
            throw new IllegalArgumentException("plain20: needs square images but got " + sample);
        }
        List<Layer> layers = new ArrayList<>();
        int channels = sample.dim(0);
        int size = sample.dim(1);
        for (int stage = 0; stage < 3; stage++) {
            int out = 16 << stage;
            // six convolutions per stage, and the first stage starts with the stem (i = -1) from the input channels
            for (int i = stage == 0 ? -1 : 0; i < 6; i++) {
                int stride = stage > 0 && i == 0 ? 2 : 1;
                layers.add(new Conv2d(channels, out, 3, stride, 1, 1, !batchNorm));
                if (batchNorm) {
                    layers.add(new BatchNorm2d(out));
                }
                layers.add(new ReLU());
                channels = out;
                size = (size - 1) / stride + 1;
            }
        }
        layers.add(new AvgPool2d(size));
        layers.add(new Flatten());
        layers.add(new Linear(channels, numClasses));
        return new Sequential(sample, layers);
    }

    /**
     * The weights of the convolutions and linear layers, in forward order, by name; 1x1 convolutions (resnet's
     * shortcut projections) are left out.
     */
    static Map<String, Parameter> weightLayers(Sequential net) {
        Map<String, Parameter> weights = new LinkedHashMap<>();
        net.namedParameters().forEach((name, p) -> {
            boolean pointwise = p.shape().rank() == 4 && p.shape().dim(2) == 1 && p.shape().dim(3) == 1;
            if (p.isTrainable() && p.shape().rank() >= 2 && !pointwise) {
                weights.put(name, p);
            }
        });
        return weights;
    }

    /** The L2 norm of dLoss/dWeight for each of {@code weights}, from one training-mode pass over the batch. */
    static double[] gradientNorms(Sequential net, Map<String, Parameter> weights, Tensor images, int[] labels) {
        CrossEntropyLoss loss = new CrossEntropyLoss();
        net.zeroGrad();
        loss.forward(net.forward(images, Mode.TRAIN), labels);
        net.backward(loss.backward());
        double[] norms = new double[weights.size()];
        int l = 0;
        for (Parameter p : weights.values()) {
            double sum = 0;
            for (float g : p.grad().data()) {
                sum += (double) g * g;
            }
            norms[l++] = Math.sqrt(sum);
        }
        net.zeroGrad();
        return norms;
    }
}
