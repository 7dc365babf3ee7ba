package org.cnn4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.cnn4j.onnx.OnnxTestRunner.Result;
import org.cnn4j.onnx.OnnxTestRunner.Status;
import org.junit.jupiter.api.Test;

/**
 * ONNX's own backend tests, as Debian's libonnx-testdata ships them: every case runs; none may fail, and the
 * cases listed in conformance-passing.txt (those that use only what cnn4j supports; docs/ONNX.md says why the
 * others are not run) must pass, so that a case turning "unsupported" shows up as a regression too.
 */
class ConformanceTest {
    private static final Path DATA = Path.of("/usr/share/libonnx-testdata/data");

    @Test
    void applicableBackendTestsPass() throws IOException {
        assertTrue(Files.isDirectory(DATA.resolve("node")),
                "libonnx-testdata is not installed: apt-get install libonnx-testdata (or scripts/test-deps.sh --install)");
        OnnxTestRunner runner = new OnnxTestRunner(OnnxTestRunner.DEFAULT_RTOL, OnnxTestRunner.DEFAULT_ATOL);
        List<String> failures = new ArrayList<>();
        Set<String> passed = new TreeSet<>();
        for (String suite : List.of("node", "pytorch-converted", "pytorch-operator", "simple")) {
            for (Path c : OnnxTestRunner.cases(DATA.resolve(suite))) {
                Result r = runner.run(c);
                if (r.status() == Status.FAILED) {
                    failures.add(suite + "/" + r.name() + ": " + r.detail());
                } else if (r.status() == Status.PASSED) {
                    passed.add(suite + "/" + r.name());
                }
            }
        }
        assertEquals(List.of(), failures);
        Set<String> expected = new TreeSet<>(expectedPassing());
        expected.removeAll(passed);
        assertEquals(Set.of(), expected, "cases that should pass but did not run");
        assertTrue(passed.size() >= expectedPassing().size());
    }

    private static List<String> expectedPassing() throws IOException {
        try (InputStream in = ConformanceTest.class.getResourceAsStream("/conformance-passing.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        }
    }
}
