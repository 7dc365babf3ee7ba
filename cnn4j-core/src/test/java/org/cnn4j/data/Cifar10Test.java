package org.cnn4j.data;

import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Cifar10Test {
    /** {@code n} records whose label is (first + r) % 10 and whose pixel byte k is (first + r + k) % 256. */
    private static byte[] records(int first, int n) {
        byte[] bytes = new byte[n * Cifar10.RECORD_BYTES];
        for (int r = 0; r < n; r++) {
            int base = r * Cifar10.RECORD_BYTES;
            bytes[base] = (byte) ((first + r) % 10);
            for (int k = 0; k < Cifar10.IMAGE_BYTES; k++) {
                bytes[base + 1 + k] = (byte) ((first + r + k) % 256);
            }
        }
        return bytes;
    }

    /** A folder in the layout of cifar-10-batches-bin: batches of 1, 2, 3, 4, 5 records and a test batch of 3. */
    private static Path folder(Path dir) throws IOException {
        int first = 0;
        for (int b = 0; b < 5; b++) {
            Files.write(dir.resolve(Cifar10.TRAIN_FILES.get(b)), records(first, b + 1));
            first += b + 1;
        }
        Files.write(dir.resolve(Cifar10.TEST_FILE), records(100, 3));
        return dir;
    }

    @Test
    void readsRecordsInOrderWithChannelFirstPixels(@TempDir Path dir) throws IOException {
        DataSource source = DataSource.cifar10(folder(dir));
        Dataset train = source.train();
        assertEquals(15, train.size());
        assertEquals(3, source.test().size());
        assertEquals(Shape.of(3, 32, 32), train.sampleShape());
        assertEquals(10, train.numClasses());
        assertEquals(Cifar10.CLASS_NAMES, source.classNames());
        assertEquals("truck", source.className(9));
        assertEquals(Normalize.CIFAR10, source.normalize());
        for (int i = 0; i < 15; i++) {
            assertEquals(i % 10, train.label(i));
        }
        // record 7 (the second of data_batch_4): byte k = c * 1024 + y * 32 + x is pixel (c, y, x)
        Tensor image = train.image(7);
        for (int[] cyx : new int[][] {{0, 0, 0}, {0, 3, 5}, {1, 0, 0}, {2, 31, 31}}) {
            int k = cyx[0] * 1024 + cyx[1] * 32 + cyx[2];
            assertEquals(((7 + k) % 256) / 255f, image.get(cyx[0], cyx[1], cyx[2]), "pixel " + Arrays.toString(cyx));
        }
        assertEquals(100 % 10, source.test().label(0));
    }

    @Test
    void badFilesGiveClearErrors(@TempDir Path dir) throws IOException {
        folder(dir);
        Path batch = dir.resolve("data_batch_2.bin");
        Files.write(batch, Arrays.copyOf(records(0, 2), 2 * Cifar10.RECORD_BYTES - 5));
        String message = assertThrows(DataFormatException.class, () -> Cifar10.trainSet(dir)).getMessage();
        assertEquals(batch + ": 6141 bytes is not a whole number of 3073-byte records (1 label byte + 3072 pixel bytes): "
                + "truncated, or not a CIFAR-10 binary batch (the Python and MATLAB versions are not supported)", message);

        Files.write(batch, new byte[0]);
        message = assertThrows(DataFormatException.class, () -> Cifar10.read(List.of(batch))).getMessage();
        assertEquals(batch + ": empty file, not a CIFAR-10 binary batch", message);

        byte[] badLabel = records(0, 2);
        badLabel[Cifar10.RECORD_BYTES] = 10;
        Files.write(batch, badLabel);
        message = assertThrows(DataFormatException.class, () -> Cifar10.read(List.of(batch))).getMessage();
        assertEquals(batch + ": record 1 has label 10 but CIFAR-10 labels are 0 to 9 (not a CIFAR-10 binary batch?)", message);

        Files.delete(dir.resolve(Cifar10.TEST_FILE));
        message = assertThrows(IllegalArgumentException.class, () -> Cifar10.testSet(dir)).getMessage();
        assertTrue(message.startsWith("CIFAR-10 folder " + dir + " has no test_batch.bin (expected data_batch_1.bin"), message);
        message = assertThrows(IllegalArgumentException.class, () -> Cifar10.testSet(dir.resolve("nope"))).getMessage();
        assertEquals("CIFAR-10: not a folder: " + dir.resolve("nope"), message);
    }
}
