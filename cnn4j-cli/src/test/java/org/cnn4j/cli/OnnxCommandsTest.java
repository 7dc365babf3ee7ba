package org.cnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.cnn4j.io.ModelFile;
import org.cnn4j.model.Zoo;
import org.cnn4j.tensor.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** onnx-export, onnx-import, onnx-test, and .onnx files where eval and predict take a model file. */
class OnnxCommandsTest {
    @TempDir
    Path dir;

    @Test
    void exportEvaluateAndImportAgree() throws Exception {
        Path model = dir.resolve("lenet5.cnn4j");
        ModelFile.save(Zoo.lenet5(Shape.of(1, 28, 28), 10), model, java.util.Map.of());
        CliTest.Run exported = CliTest.run("onnx-export", model.toString(), "--out", dir.resolve("onnx").toString());
        assertEquals(0, exported.code(), exported.err());
        Path onnx = dir.resolve("onnx").resolve("lenet5.onnx");
        assertEquals("wrote " + onnx, exported.lastLine());

        CliTest.Run viaOnnx = CliTest.run("eval", onnx.toString(), "--json");
        CliTest.Run viaCnn4j = CliTest.run("eval", model.toString(), "--json");
        assertEquals(0, viaOnnx.code(), viaOnnx.err());
        assertEquals(viaCnn4j.lastLine().replace(model.toString(), ""), viaOnnx.lastLine().replace(onnx.toString(), ""));
        CliTest.Run predicted = CliTest.run("predict", "--index", "0", "--model-file", onnx.toString());
        assertEquals(0, predicted.code(), predicted.err());

        CliTest.Run imported = CliTest.run("onnx-import", onnx.toString(), "--out", dir.toString());
        assertEquals(0, imported.code(), imported.err());
        assertTrue(Files.isRegularFile(dir.resolve("lenet5.cnn4j")));
    }

    @Test
    void onnxTestClosesWithTheCounts() throws Exception {
        Path cases = Path.of(OnnxCommandsTest.class.getResource("/").toURI()).resolve("../../../cnn4j-onnx/src/test/"
                + "resources/onnx").normalize();
        CliTest.Run r = CliTest.run("onnx-test", cases.toString(), "--rtol", "1e-3");
        assertEquals(0, r.code(), r.err());
        assertEquals("7 passed, 0 failed", r.lastLine());
        assertTrue(r.out().contains("ok           seed-cnn  (max error"), r.out());
        assertTrue(r.out().contains("ok           resnet20  (max error"), r.out());
    }

    @Test
    void damagedOnnxFilesGiveOneLineErrors() throws Exception {
        Path bad = dir.resolve("bad.onnx");
        Files.write(bad, new byte[] {0x3a, (byte) 0xff, (byte) 0xff, 0x7f, 1});
        CliTest.Run r = CliTest.run("eval", bad.toString());
        assertEquals(1, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("cnn4j eval: error: not a valid ONNX model"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }
}
