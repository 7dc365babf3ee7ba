package org.cnn4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URISyntaxException;
import java.nio.file.Path;
import org.cnn4j.io.LoadedModel;
import org.cnn4j.nn.Sequential;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Models exported by PyTorch (scripts/make-onnx-fixtures.py: the reference models of DESIGN.md, in eval mode with
 * non-trivial batch-norm statistics) import and reproduce PyTorch's outputs within ONNX's default tolerances.
 */
class PyTorchModelsTest {

    static Path fixture(String name) throws URISyntaxException {
        return Path.of(PyTorchModelsTest.class.getResource("/onnx/" + name).toURI());
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "lenet5", "seed-cnn", "bn-cnn"})
    void reproducesPyTorchOutputs(String name) throws Exception {
        OnnxTestRunner.Result r = new OnnxTestRunner(OnnxTestRunner.DEFAULT_RTOL, OnnxTestRunner.DEFAULT_ATOL)
                .run(fixture(name));
        assertEquals(OnnxTestRunner.Status.PASSED, r.status(), r.detail());
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "lenet5", "seed-cnn"})
    void importsAsTheZooArchitecture(String name) throws Exception {
        LoadedModel lm = OnnxImporter.load(fixture(name).resolve("model.onnx"));
        Sequential zoo = org.cnn4j.model.Zoo.create(name, org.cnn4j.tensor.Shape.of(1, 28, 28), 10);
        assertEquals(zoo.summary(), lm.model().summary());
    }
}
