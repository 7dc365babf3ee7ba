package org.cnn4j.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.cnn4j.io.LoadedModel;
import org.cnn4j.model.Zoo;
import org.cnn4j.nn.AvgPool2d;
import org.cnn4j.nn.BatchNorm;
import org.cnn4j.nn.BatchNorm1d;
import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Dropout;
import org.cnn4j.nn.Flatten;
import org.cnn4j.nn.Layer;
import org.cnn4j.nn.LeakyReLU;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.MaxPool2d;
import org.cnn4j.nn.Mode;
import org.cnn4j.nn.Parameter;
import org.cnn4j.nn.ReLU;
import org.cnn4j.nn.Sequential;
import org.cnn4j.nn.Sigmoid;
import org.cnn4j.nn.Softmax;
import org.cnn4j.nn.Tanh;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Export to ONNX, re-import, and the same outputs; the files pass onnx.checker where python3-onnx is installed. */
class ExportTest {
    @TempDir
    Path dir;

    /** Every exportable layer type, with settings away from the defaults and batch norms with real statistics. */
    static Sequential everyLayer() {
        Sequential s = new Sequential(Shape.of(3, 12, 12),
                new Conv2d(3, 4, 3, 3, 1, 1, 1, true), new BatchNorm2d(4, 1e-3, 0.2), new LeakyReLU(0.2),
                new MaxPool2d(3, 2, 1, 1, true), new Conv2d(4, 6, 3, 3, 1, 2, 2, false), new Tanh(),
                new AvgPool2d(3, 2, 1, true, false), new Sigmoid(), new Flatten(), new Dropout(0.25),
                new Linear(6 * 4 * 4, 8), new BatchNorm1d(8), new ReLU(), new Linear(8, 5, false), new Softmax());
        randomizeBatchNorm(s);
        return s;
    }

    static void randomizeBatchNorm(Sequential model) {
        long seed = 7;
        for (Layer l : model.layers()) {
            if (l instanceof BatchNorm bn) {
                List<Parameter> p = bn.parameters();
                p.get(0).value().copyFrom(Tensor.randn(p.get(0).shape(), 0.3f, seed++).addInPlace(
                        Tensor.full(p.get(0).shape(), 1f)));
                p.get(1).value().copyFrom(Tensor.randn(p.get(1).shape(), 0.1f, seed++));
                p.get(2).value().copyFrom(Tensor.randn(p.get(2).shape(), 0.5f, seed++));
                float[] var = p.get(3).value().data();
                for (int i = 0; i < var.length; i++) {
                    var[i] = 0.5f + (i % 7) * 0.25f;
                }
            }
        }
    }

    static Sequential model(String name) {
        if (name.equals("every-layer")) {
            return everyLayer();
        }
        Sequential s = Zoo.create(name, Shape.of(1, 28, 28), 10);
        randomizeBatchNorm(s);
        return s;
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "lenet5", "seed-cnn", "every-layer"})
    void reimportGivesTheSameModelAndOutputs(String name) throws Exception {
        Sequential original = model(name);
        Path file = dir.resolve(name + ".onnx");
        OnnxExporter.save(original, Map.of("normalize.mean", "0.5", "normalize.std", "0.25"), file);
        LoadedModel back = OnnxImporter.load(file);
        assertEquals(original.summary(), back.model().summary());
        assertEquals(Map.of("normalize.mean", "0.5", "normalize.std", "0.25"), back.metadata());
        Tensor x = Tensor.randn(original.sampleShape().prepend(3), 1f, 42);
        Tensor expected = original.forward(x, Mode.EVAL);
        Tensor actual = back.model().forward(x, Mode.EVAL);
        assertArrayEquals(expected.data(), actual.data(), 0f);
        checkWithPythonOnnx(file);
    }

    @Test
    void nestedSequentialsAreFlattened() {
        Sequential nested = new Sequential(Shape.of(4), new Sequential(Shape.of(4), new Linear(4, 2)));
        assertEquals(1, OnnxExporter.toOnnx(nested, Map.of()).getGraph().getNodeCount());
    }

    /** onnx.checker.check_model(full_check=True), when Debian's python3-onnx is there (CI installs it). */
    private static void checkWithPythonOnnx(Path file) throws Exception {
        Path python = Path.of("/usr/bin/python3");
        assumeTrue(Files.isExecutable(python), "no /usr/bin/python3");
        Process p = new ProcessBuilder(python.toString(), "-c",
                "import sys\ntry:\n import onnx\nexcept ImportError:\n sys.exit(3)\n"
                        + "onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)", file.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assumeTrue(p.exitValue() != 3, "python3-onnx is not installed");
        assertEquals(0, p.exitValue(), out);
    }
}
