package org.cnn4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.cnn4j.io.LoadedModel;
import org.cnn4j.model.Zoo;
import org.cnn4j.nn.Layer;
import org.cnn4j.nn.Mode;
import org.cnn4j.nn.Sequential;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Models exported by PyTorch (scripts/make-onnx-fixtures.py: the reference models of DESIGN.md, in eval mode with
 * non-trivial batch-norm statistics, and a small residual CNN trained on Fashion-MNIST) import and reproduce
 * PyTorch's outputs within ONNX's default tolerances.
 */
class PyTorchModelsTest {
    @TempDir
    Path dir;

    static Path fixture(String name) throws URISyntaxException {
        return Path.of(PyTorchModelsTest.class.getResource("/onnx/" + name).toURI());
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "lenet5", "seed-cnn", "bn-cnn", "resnet20", "densenet-bc40", "fashion-cnn"})
    void reproducesPyTorchOutputs(String name) throws Exception {
        OnnxTestRunner.Result r = new OnnxTestRunner(OnnxTestRunner.DEFAULT_RTOL, OnnxTestRunner.DEFAULT_ATOL)
                .run(fixture(name));
        assertEquals(OnnxTestRunner.Status.PASSED, r.status(), r.detail());
    }

    /** Without batch norms to fold, the import is exactly the zoo's architecture. */
    @ParameterizedTest
    @ValueSource(strings = {"mlp", "lenet5", "seed-cnn"})
    void importsAsTheZooArchitecture(String name) throws Exception {
        LoadedModel lm = OnnxImporter.load(fixture(name).resolve("model.onnx"));
        Sequential zoo = Zoo.create(name, lm.model().sampleShape(), 10);
        assertEquals(zoo.summary(), lm.model().summary());
    }

    /**
     * The script's PyTorch definitions are the zoo's: the same state_dict names and shapes (parameters.txt, written
     * by the script before the export folds batch norms into convolutions).
     */
    @ParameterizedTest
    @ValueSource(strings = {"mlp", "lenet5", "seed-cnn", "resnet20", "densenet-bc40"})
    void pyTorchDefinitionsHaveTheZoosParameters(String name) throws Exception {
        LoadedModel lm = OnnxImporter.load(fixture(name).resolve("model.onnx"));
        Sequential zoo = Zoo.create(name, lm.model().sampleShape(), 10);
        List<String> expected = zoo.namedParameters().entrySet().stream().map(e -> e.getKey() + " "
                + Arrays.stream(e.getValue().shape().dims()).mapToObj(Integer::toString)
                .collect(Collectors.joining("x"))).toList();
        assertEquals(expected, Files.readAllLines(fixture(name).resolve("parameters.txt")));
    }

    /**
     * Residual blocks come back as Residual (9 in resnet20, 2 with a projection shortcut), dense layers as Concat,
     * GlobalAveragePool + Flatten as GlobalAvgPool2d; batch norms after a convolution arrive folded into it (no
     * BatchNorm2d left in resnet20), the pre-activation ones of densenet-bc40 as BatchNormalization nodes (21).
     */
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "resnet20; {BatchNorm2d=0, Concat=0, Conv2d=21, GlobalAvgPool2d=1, Residual=9}",
        "densenet-bc40; {BatchNorm2d=21, Concat=18, Conv2d=39, GlobalAvgPool2d=1, Residual=0}",
        "fashion-cnn; {BatchNorm2d=0, Concat=0, Conv2d=4, GlobalAvgPool2d=1, Residual=1}"})
    void branchesImportAsContainers(String name, String counts) throws Exception {
        Map<String, Integer> found = new TreeMap<>();
        for (String type : List.of("BatchNorm2d", "Concat", "Conv2d", "GlobalAvgPool2d", "Residual")) {
            found.put(type, 0);
        }
        count(OnnxImporter.load(fixture(name).resolve("model.onnx")).model(), found);
        assertEquals(counts, found.toString());
    }

    private static void count(Layer layer, Map<String, Integer> found) {
        found.computeIfPresent(layer.spec().type(), (k, v) -> v + 1);
        for (Layer child : layer.children().values()) {
            count(child, found);
        }
    }

    /** The imported branching models export (passing onnx.checker) and re-import to the same model and outputs. */
    @ParameterizedTest
    @ValueSource(strings = {"resnet20", "densenet-bc40", "fashion-cnn"})
    void importedModelsExportAndReimportIdentically(String name) throws Exception {
        LoadedModel imported = OnnxImporter.load(fixture(name).resolve("model.onnx"));
        Path file = dir.resolve(name + ".onnx");
        OnnxExporter.save(imported.model(), imported.metadata(), file);
        ExportTest.checkWithPythonOnnx(file);
        LoadedModel back = OnnxImporter.load(file);
        assertEquals(imported.model().summary(), back.model().summary());
        ExportTest.assertSameParameters(imported.model(), back.model());
        assertEquals(imported.metadata(), back.metadata());
        Tensor x = Tensor.randn(imported.model().sampleShape().prepend(2), 1f, 5);
        ExportTest.assertSameOutputs(imported.model().forward(x, Mode.EVAL), back.model().forward(x, Mode.EVAL));
    }
}
