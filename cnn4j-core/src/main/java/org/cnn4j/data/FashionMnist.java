package org.cnn4j.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Fashion-MNIST (Xiao, Rasul, Vollgraf 2017, Zalando Research): 70,000 grayscale 28 x 28 pictures of clothing in
 * ten classes, in exactly MNIST's format (60,000 training and 10,000 test images in the four standard IDX files).
 * It is a harder drop-in replacement for the digits: a small CNN that reaches 99% on MNIST stays near 92% here.
 * <p>
 * Debian ships it as the package {@value #DEBIAN_PACKAGE}, gzipped, in {@link #DEFAULT_FOLDER}. Pixels are in
 * [0, 1]; normalize them with {@link Normalize#FASHION_MNIST}.
 */
public final class FashionMnist {
    /** Where Debian's package puts the four files. */
    public static final Path DEFAULT_FOLDER = Path.of("/usr/share/datasets/fashion-mnist");
    /** The Debian package that installs them. */
    public static final String DEBIAN_PACKAGE = "dataset-fashion-mnist";
    /** The names of classes 0 to 9. */
    public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private FashionMnist() {
    }

    /** The copy that the Debian package installed; a missing package is an error that says how to install it. */
    public static Mnist.Split installed() throws IOException {
        return installed(DEFAULT_FOLDER);
    }

    /** Fashion-MNIST from the four standard IDX files in {@code folder}, raw or gzipped. */
    public static Mnist.Split fromFolder(Path folder) throws IOException {
        return Mnist.fromFolder(folder, "Fashion-MNIST");
    }

    /** {@link #installed()} with another folder in place of {@link #DEFAULT_FOLDER}: for tests. */
    static Mnist.Split installed(Path folder) throws IOException {
        if (!Mnist.hasFiles(folder)) {
            throw new IllegalArgumentException("Fashion-MNIST not found in " + folder + ": install it with 'apt-get install "
                    + DEBIAN_PACKAGE + "'");
        }
        return fromFolder(folder);
    }
}
