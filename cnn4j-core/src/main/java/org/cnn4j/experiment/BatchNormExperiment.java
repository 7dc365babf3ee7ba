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
import org.cnn4j.nn.BatchNorm1d;
import org.cnn4j.nn.Flatten;
import org.cnn4j.nn.Layer;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.ReLU;
import org.cnn4j.nn.Sequential;
import org.cnn4j.optim.SGD;
import org.cnn4j.tensor.Shape;
import org.cnn4j.train.EpochStats;
import org.cnn4j.train.Trainer;
import org.cnn4j.viz.LinePlot;
import org.cnn4j.viz.Png;

/**
 * What batch normalization buys: the same deep MLP (Flatten, then {@value #HIDDEN} hidden layers of Linear {@value #WIDTH},
 * optionally BatchNorm1d, and ReLU, then Linear to 10 classes) is trained twice on the embedded MNIST digits from
 * the same initial weights, the same batches and the same plain SGD (momentum 0.9, learning rate
 * {@value #LEARNING_RATE}), once with and once without batch normalization. With it, every layer sees inputs of
 * zero mean and unit variance whatever the layers before it do, so training goes faster at the same learning rate.
 * <p>
 * Writes batchnorm.csv (one row per network and epoch: training and test loss and accuracy) and batchnorm.png
 * (loss and test accuracy against epoch).
 */
public final class BatchNormExperiment implements Experiment {
    public static final String NAME = "batchnorm";
    static final int HIDDEN = 6;
    static final int WIDTH = 128;
    static final double LEARNING_RATE = 0.05;
    static final List<String> COLUMNS = List.of("network", "epoch", "train_loss", "train_accuracy", "test_loss",
            "test_accuracy", "seconds");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "a " + HIDDEN + "-hidden-layer MLP trained with and without batch normalization: loss and accuracy per epoch";
    }

    @Override
    public Result run(Settings settings, PrintStream log) throws IOException {
        Mnist.Split split = Mnist.embedded();
        Dataset train = settings.quick() ? Samples.draw(split.train(), 1000, settings.seed()) : split.train();
        Dataset test = settings.quick() ? Samples.draw(split.test(), 500, settings.seed()) : split.test();
        int epochs = settings.quick() ? 2 : 6;
        Table table = new Table(COLUMNS.toArray(String[]::new));
        LinePlot loss = new LinePlot("Loss", "epoch", "cross-entropy loss (log scale)").logY();
        LinePlot accuracy = new LinePlot("Test accuracy", "epoch", "accuracy");
        Map<String, Object> summary = new LinkedHashMap<>();
        boolean[] variants = {true, false};
        for (int v = 0; v < variants.length; v++) {
            String network = variants[v] ? "with_batchnorm" : "without_batchnorm";
            String legend = variants[v] ? "with batch norm" : "without batch norm";
            log.printf("%s: %s%n", legend, train.size() + " training digits, " + epochs + " epochs");
            Init.manualSeed(settings.seed());
            Sequential net = mlp(train.sampleShape(), train.numClasses(), variants[v]);
            DataLoader trainLoader = DataLoader.builder(train).batchSize(64).shuffle(true).seed(settings.seed())
                    .normalize(Normalize.MNIST).build();
            DataLoader testLoader = DataLoader.builder(test).batchSize(256).normalize(Normalize.MNIST).build();
            List<EpochStats> history = new Trainer(net, new SGD(net.parameters(), LEARNING_RATE, 0.9), null)
                    .fit(trainLoader, testLoader, epochs);
            double[] x = new double[epochs];
            double[] trainLoss = new double[epochs];
            double[] testLoss = new double[epochs];
            double[] testAccuracy = new double[epochs];
            for (EpochStats s : history) {
                int e = s.epoch() - 1;
                x[e] = s.epoch();
                trainLoss[e] = s.trainLoss();
                testLoss[e] = s.testLoss();
                testAccuracy[e] = s.testAccuracy();
                table.add(network, s.epoch(), s.trainLoss(), s.trainAccuracy(), s.testLoss(), s.testAccuracy(), s.seconds());
                log.println("  " + s.summaryLine());
            }
            loss.add(new LinePlot.Series(legend + ", training", x, trainLoss, v, false));
            loss.add(new LinePlot.Series(legend + ", test", x, testLoss, v, true));
            accuracy.add(new LinePlot.Series(legend, x, testAccuracy, v, false));
            summary.put(network + "_test_accuracy", testAccuracy[epochs - 1]);
        }
        Result result = new Result(settings.out().resolve(NAME + ".csv"), settings.out().resolve(NAME + ".png"), summary);
        table.write(result.csv());
        Png.write(LinePlot.renderRow(700, 500, List.of(loss, accuracy)), result.png());
        return result;
    }

    /** Flatten, HIDDEN x (Linear, [BatchNorm1d], ReLU), Linear. */
    static Sequential mlp(Shape sample, int numClasses, boolean batchNorm) {
        List<Layer> layers = new ArrayList<>(List.of(new Flatten()));
        for (int i = 0; i < HIDDEN; i++) {
            layers.add(new Linear(i == 0 ? sample.size() : WIDTH, WIDTH));
            if (batchNorm) {
                layers.add(new BatchNorm1d(WIDTH));
            }
            layers.add(new ReLU());
        }
        layers.add(new Linear(WIDTH, numClasses));
        return new Sequential(sample, layers);
    }
}
