package org.cnn4j.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A data set ready for training, evaluation and prediction: its training and test parts, the normalization its
 * images need (applied after augmentation, and to every image the trained model sees later), and the name of
 * each class, so that outputs can say "Sneaker" rather than "class 7".
 *
 * @param name       short name of the data set ("mnist", "fashion-mnist", "cifar10")
 * @param classNames the name of each class, index = label; as many as the data sets have classes
 */
public record DataSource(String name, Dataset train, Dataset test, Normalize normalize, List<String> classNames) {
    /** Digit classes "0" to "9". */
    private static final List<String> DIGITS = IntStream.range(0, Mnist.NUM_CLASSES).mapToObj(Integer::toString).toList();

    public DataSource {
        classNames = List.copyOf(classNames);
        if (classNames.size() != train.numClasses() || classNames.size() != test.numClasses()) {
            throw new IllegalArgumentException("DataSource " + name + ": " + classNames.size() + " class names for "
                    + train.numClasses() + " training and " + test.numClasses() + " test classes");
        }
        if (!train.sampleShape().equals(test.sampleShape())) {
            throw new IllegalArgumentException("DataSource " + name + ": training images " + train.sampleShape()
                    + " but test images " + test.sampleShape());
        }
    }

    /** The 10,000 MNIST digits embedded in cnn4j-core, split 8,000 / 2,000 (see {@link Mnist#embedded()}). */
    public static DataSource mnist() {
        return mnist(Mnist.embedded());
    }

    /** The full MNIST from a folder of the four standard IDX files (see {@link Mnist#fromFolder}). */
    public static DataSource mnist(Path folder) throws IOException {
        return mnist(Mnist.fromFolder(folder));
    }

    /** Fashion-MNIST as Debian's package installs it (see {@link FashionMnist#installed()}). */
    public static DataSource fashionMnist() throws IOException {
        return fashionMnist(FashionMnist.installed());
    }

    /** Fashion-MNIST from a folder of the four standard IDX files. */
    public static DataSource fashionMnist(Path folder) throws IOException {
        return fashionMnist(FashionMnist.fromFolder(folder));
    }

    /** CIFAR-10 from the folder of its binary version (see {@link Cifar10}). */
    public static DataSource cifar10(Path folder) throws IOException {
        return new DataSource("cifar10", Cifar10.trainSet(folder), Cifar10.testSet(folder), Normalize.CIFAR10,
                Cifar10.CLASS_NAMES);
    }

    /** The name of class {@code label}. */
    public String className(int label) {
        return classNames.get(label);
    }

    private static DataSource mnist(Mnist.Split split) {
        return new DataSource("mnist", split.train(), split.test(), Normalize.MNIST, DIGITS);
    }

    private static DataSource fashionMnist(Mnist.Split split) {
        return new DataSource("fashion-mnist", split.train(), split.test(), Normalize.FASHION_MNIST,
                FashionMnist.CLASS_NAMES);
    }
}
