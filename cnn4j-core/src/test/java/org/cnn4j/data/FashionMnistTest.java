package org.cnn4j.data;

import org.cnn4j.tensor.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FashionMnistTest {
    /**
     * The real files of Debian's dataset-fashion-mnist (.ci/run installs the package; without it the test is
     * skipped): sizes, balanced classes, and the pixel statistics behind {@link Normalize#FASHION_MNIST}.
     */
    @Test
    void readsTheInstalledPackage() throws IOException {
        assertTrue(Mnist.hasFiles(FashionMnist.DEFAULT_FOLDER), "apt-get install " + FashionMnist.DEBIAN_PACKAGE);
        DataSource source = DataSource.fashionMnist();
        assertEquals("fashion-mnist", source.name());
        assertEquals(60_000, source.train().size());
        assertEquals(10_000, source.test().size());
        assertEquals(Shape.of(1, 28, 28), source.train().sampleShape());
        int[] sixThousand = new int[10];
        java.util.Arrays.fill(sixThousand, 6000);
        assertArrayEquals(sixThousand, source.train().classCounts());
        assertEquals("Ankle boot", source.className(9));
        double sum = 0;
        double squares = 0;
        float[] pixels = source.train().pixels();
        for (float p : pixels) {
            sum += p;
            squares += (double) p * p;
        }
        double mean = sum / pixels.length;
        double std = Math.sqrt(squares / pixels.length - mean * mean);
        assertEquals(source.normalize().mean()[0], mean, 5e-5);
        assertEquals(source.normalize().std()[0], std, 5e-5);
    }

    @Test
    void missingPackageNamesThePackage(@TempDir Path dir) throws IOException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FashionMnist.installed(dir));
        assertEquals("Fashion-MNIST not found in " + dir + ": install it with 'apt-get install dataset-fashion-mnist'",
                e.getMessage());
        Path absent = dir.resolve("absent");
        e = assertThrows(IllegalArgumentException.class, () -> FashionMnist.installed(absent));
        assertEquals("Fashion-MNIST not found in " + absent + ": install it with 'apt-get install dataset-fashion-mnist'",
                e.getMessage());
    }

    @Test
    void readsAFolderOfGzippedFiles(@TempDir Path dir) throws IOException {
        IdxFiles.write(dir.resolve("train-images-idx3-ubyte.gz"), IdxFiles.gzip(IdxFiles.images(12, 28, 28)));
        IdxFiles.write(dir.resolve("train-labels-idx1-ubyte.gz"), IdxFiles.gzip(IdxFiles.labels(12)));
        IdxFiles.write(dir.resolve("t10k-images-idx3-ubyte.gz"), IdxFiles.gzip(IdxFiles.images(4, 28, 28)));
        IdxFiles.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), IdxFiles.gzip(IdxFiles.labels(4)));
        DataSource source = DataSource.fashionMnist(dir);
        assertEquals(12, source.train().size());
        assertEquals(4, source.test().size());
        assertEquals(Normalize.FASHION_MNIST, source.normalize());
        assertEquals(FashionMnist.CLASS_NAMES, source.classNames());
        assertEquals(4, FashionMnist.installed(dir).test().size(), "the package check passes for a complete folder");

        Files.delete(dir.resolve("train-labels-idx1-ubyte.gz"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DataSource.fashionMnist(dir));
        assertEquals("Fashion-MNIST folder " + dir + " has no train-labels-idx1-ubyte (nor train-labels-idx1-ubyte.gz)",
                e.getMessage());
    }
}
