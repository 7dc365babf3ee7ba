package org.cnn4j.data;

import org.cnn4j.tensor.Tensor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CIFAR-10 (Krizhevsky 2009): 60,000 color images of 32 x 32 pixels in ten classes, read from the "binary version"
 * (cifar-10-binary.tar.gz, unpacked to a folder cifar-10-batches-bin).
 * <p>
 * The folder holds five training batches data_batch_1.bin .. data_batch_5.bin and one test batch test_batch.bin, of
 * 10,000 images each. A batch file is nothing but records, back to back, with no header:
 * <pre>
 *   label    1 byte, 0 to 9
 *   pixels   3072 bytes: the 1024 red values, then the 1024 green, then the 1024 blue; each plane row by row
 * </pre>
 * so the pixels are already in the (C, H, W) order of a tensor. This reader accepts batch files of any whole
 * number of records (tests write small ones) and rejects a file whose length is not a multiple of 3073 bytes, or
 * whose labels are out of range, with a message that names the file.
 * <p>
 * Pixels become floats in [0, 1]; normalize them per channel with {@link Normalize#CIFAR10}. The whole training
 * set takes 50,000 x 3072 x 4 bytes = 614 MB as floats.
 */
public final class Cifar10 {
    public static final int CHANNELS = 3;
    public static final int SIZE = 32;
    /** Pixel bytes of one image: 3 x 32 x 32. */
    public static final int IMAGE_BYTES = CHANNELS * SIZE * SIZE;
    /** Bytes of one record: the label byte and the pixels. */
    public static final int RECORD_BYTES = 1 + IMAGE_BYTES;
    public static final List<String> CLASS_NAMES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog",
            "frog", "horse", "ship", "truck");
    public static final List<String> TRAIN_FILES = List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin",
            "data_batch_4.bin", "data_batch_5.bin");
    public static final String TEST_FILE = "test_batch.bin";

    private Cifar10() {
    }

    /** The 50,000 training images: the five data batches of {@code folder}, in order. */
    public static Dataset trainSet(Path folder) throws IOException {
        List<Path> files = new ArrayList<>();
        for (String name : TRAIN_FILES) {
            files.add(find(folder, name));
        }
        return read(files);
    }

    /** The 10,000 test images: test_batch.bin of {@code folder}. */
    public static Dataset testSet(Path folder) throws IOException {
        return read(List.of(find(folder, TEST_FILE)));
    }

    /** The records of the given batch files, one after another, as one data set of (3, 32, 32) images. */
    public static Dataset read(List<Path> files) throws IOException {
        long total = 0;
        for (Path file : files) {
            total += records(file);
        }
        if (total * IMAGE_BYTES > Integer.MAX_VALUE - 8) {
            throw new DataFormatException("CIFAR-10: " + total + " images are more than one array can hold");
        }
        int n = (int) total;
        Tensor images = Tensor.zeros(n, CHANNELS, SIZE, SIZE);
        float[] pixels = images.data();
        int[] labels = new int[n];
        byte[] record = new byte[RECORD_BYTES];
        int i = 0;
        for (Path file : files) {
            long count = records(file);
            try (InputStream in = Files.newInputStream(file)) {
                for (long r = 0; r < count; r++, i++) {
                    if (in.readNBytes(record, 0, RECORD_BYTES) < RECORD_BYTES) {
                        throw new DataFormatException(file + ": truncated: the file ended while it was being read");
                    }
                    labels[i] = record[0] & 0xFF;
                    if (labels[i] >= CLASS_NAMES.size()) {
                        throw new DataFormatException(file + ": record " + r + " has label " + labels[i]
                                + " but CIFAR-10 labels are 0 to 9 (not a CIFAR-10 binary batch?)");
                    }
                    int base = i * IMAGE_BYTES;
                    for (int k = 0; k < IMAGE_BYTES; k++) {
                        pixels[base + k] = (record[1 + k] & 0xFF) / 255f;
                    }
                }
            }
        }
        return Dataset.wrap(images, labels, CLASS_NAMES.size());
    }

    /** Number of records in a batch file, from its length; the length must be a positive multiple of 3073. */
    private static long records(Path file) throws IOException {
        long length = Files.size(file);
        if (length == 0) {
            throw new DataFormatException(file + ": empty file, not a CIFAR-10 binary batch");
        }
        if (length % RECORD_BYTES != 0) {
            throw new DataFormatException(file + ": " + length + " bytes is not a whole number of " + RECORD_BYTES
                    + "-byte records (1 label byte + " + IMAGE_BYTES + " pixel bytes): truncated, or not a CIFAR-10 "
                    + "binary batch (the Python and MATLAB versions are not supported)");
        }
        return length / RECORD_BYTES;
    }

    private static Path find(Path folder, String name) {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("CIFAR-10: not a folder: " + folder);
        }
        Path file = folder.resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("CIFAR-10 folder " + folder + " has no " + name + " (expected "
                    + String.join(", ", TRAIN_FILES) + " and " + TEST_FILE
                    + " of the binary version, cifar-10-binary.tar.gz, unpacked: cifar-10-batches-bin)");
        }
        return file;
    }
}
