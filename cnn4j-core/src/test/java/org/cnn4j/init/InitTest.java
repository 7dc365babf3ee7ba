package org.cnn4j.init;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.cnn4j.io.ModelFile;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.Sequential;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitTest {

    private static double std(float[] v) {
        double sum = 0;
        double sq = 0;
        for (float x : v) {
            sum += x;
            sq += (double) x * x;
        }
        double mean = sum / v.length;
        return Math.sqrt(sq / v.length - mean * mean);
    }

    private static double maxAbs(float[] v) {
        double m = 0;
        for (float x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    @Test
    void fansComeFromTheWeightShapeAsInPyTorch() {
        Init.manualSeed(1);
        Tensor conv = Tensor.zeros(64, 32, 3, 3); // fanIn 32*9 = 288, fanOut 64*9 = 576
        Init.apply(Init.heNormal(), conv);
        assertEquals(Math.sqrt(2.0 / 288), std(conv.data()), 0.02 * Math.sqrt(2.0 / 288));
        Init.apply(Init.xavierNormal(), conv);
        assertEquals(Math.sqrt(2.0 / (288 + 576)), std(conv.data()), 0.02 * Math.sqrt(2.0 / 864));
        Init.apply(Init.heUniform(), conv);
        double bound = Math.sqrt(6.0 / 288);
        assertTrue(maxAbs(conv.data()) <= bound && maxAbs(conv.data()) > 0.99 * bound);
        assertEquals(bound / Math.sqrt(3), std(conv.data()), 0.02 * bound);
        Init.apply(Init.xavierUniform(), conv);
        bound = Math.sqrt(6.0 / 864);
        assertTrue(maxAbs(conv.data()) <= bound && maxAbs(conv.data()) > 0.99 * bound);
        Init.apply(Init.constant(0.25f), conv);
        assertEquals(0.25, maxAbs(conv.data()));
        assertEquals(0.0, std(conv.data()), 1e-9);
    }

    @Test
    void theSameSeedGivesTheSameWeightsEvenWhenAModelIsLoadedInBetween(@TempDir Path dir) throws Exception {
        Init.manualSeed(5);
        float[] first = new Linear(30, 20).weight().value().data();
        Path file = dir.resolve("m.cnn4j");
        ModelFile.save(new Sequential(Shape.of(8), new Linear(8, 4)), file, Map.of());

        Init.manualSeed(5);
        ModelFile.load(file);
        float[] again = new Linear(30, 20).weight().value().data();
        assertArrayEquals(first, again);
        assertTrue(Files.isRegularFile(file));
    }
}
