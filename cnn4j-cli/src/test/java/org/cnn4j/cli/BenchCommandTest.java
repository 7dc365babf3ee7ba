package org.cnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.cnn4j.io.Json;
import org.junit.jupiter.api.Test;

/** The bench command on one small model and one timed batch: the shape of its output, not the speed. */
class BenchCommandTest {
    private static final String[] TINY = {"bench", "--models", "mlp", "--batch", "4", "--warmup", "1",
            "--iterations", "1", "--seconds", "0", "--threads", "1"};

    private static String[] tiny(String... more) {
        String[] args = java.util.Arrays.copyOf(TINY, TINY.length + more.length);
        System.arraycopy(more, 0, args, TINY.length, more.length);
        return args;
    }

    @Test
    @SuppressWarnings("unchecked")
    void printsATableRowAndAJsonSummary() {
        CliTest.Run r = CliTest.run(tiny("--json"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("cnn4j bench: batch 4, 1 thread"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("model ") && l.contains("train img/s")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("mlp\\s+[\\d,]+\\s+[\\d,]+\\s+[\\d,]+")), r.out());
        Map<String, Object> summary = (Map<String, Object>) Json.parse(r.lastLine());
        assertEquals(4, ((Number) summary.get("batch")).intValue());
        List<Object> models = (List<Object>) summary.get("models");
        Map<String, Object> mlp = (Map<String, Object>) models.get(0);
        assertEquals("mlp", mlp.get("model"));
        assertTrue(((Number) mlp.get("train_images_per_second")).doubleValue() > 0);
        assertTrue(((Number) mlp.get("infer_images_per_second")).doubleValue() > 0);
    }

    /**
     * With PyTorch installed, ratio columns and PyTorch's BLAS in the header; without it, a one-line note and cnn4j's
     * figures alone.
     */
    @Test
    void comparesWithPytorchOrSaysWhyNot() {
        CliTest.Run r = CliTest.run(tiny("--compare-pytorch", "--json"));
        assertEquals(0, r.code(), r.err());
        @SuppressWarnings("unchecked")
        Map<String, Object> summary = (Map<String, Object>) Json.parse(r.lastLine());
        if (r.out().contains("PyTorch comparison skipped")) {
            assertFalse(summary.containsKey("pytorch"), r.lastLine());
            assertTrue(r.out().lines().anyMatch(l -> l.matches("mlp\\s+[\\d,]+\\s+[\\d,]+\\s+[\\d,]+")), r.out());
        } else {
            assertTrue(r.out().lines().findFirst().orElseThrow()
                    .matches(".*, PyTorch \\S+ \\((OpenBLAS \\w+|no OpenBLAS: .*)\\).*"), r.out());
            assertTrue(summary.get("pytorch") instanceof String && summary.get("pytorch_blas") instanceof String,
                    r.lastLine());
            assertTrue(r.out().lines().anyMatch(l -> l.matches("mlp(\\s+[\\d,]+\\s+[\\d,]+\\s+[\\d.]+x){2}\\s+[\\d,]+")),
                    r.out());
        }
    }

    /** --profile: one line per top-level layer of the model, with its times in training and in inference. */
    @Test
    void profilesEachTopLevelLayer() {
        CliTest.Run r = CliTest.run(tiny("--profile"));
        assertEquals(0, r.code(), r.err());
        String number = "\\s+[\\d.]+ ms";
        List<String> rows = r.out().lines().filter(l -> l.matches("\\s+\\d+ \\w+\\s+\\[.*\\]\\s+fwd" + number
                + "\\s+bwd(" + number + "|\\s+-)\\s+infer" + number)).toList();
        // mlp: Flatten, then Linear, BatchNorm1d, ReLU twice, then the output Linear
        assertEquals(List.of("Flatten", "Linear", "BatchNorm1d", "ReLU", "Linear", "BatchNorm1d", "ReLU", "Linear"),
                rows.stream().map(l -> l.trim().split("\\s+")[1]).toList(), r.out());
        // a training step runs no backward before the first layer with parameters: Flatten's is "-"
        assertTrue(rows.get(0).matches(".*bwd\\s+-\\s+infer.*") && rows.get(1).matches(".*bwd\\s+[\\d.]+ ms.*"),
                r.out());
    }

    @Test
    void roundsMustBeAtLeastOne() {
        CliTest.Run r = CliTest.run(tiny("--rounds", "0"));
        assertEquals(1, r.code());
        assertTrue(r.err().contains("--rounds at least 1"), r.err());
        CliTest.Run two = CliTest.run(tiny("--rounds", "2"));
        assertEquals(0, two.code(), two.err());
        assertTrue(two.out().startsWith("cnn4j bench: batch 4, 1 thread") && two.out().lines().findFirst().orElseThrow()
                .endsWith("best of 2 rounds"), two.out());
        assertTrue(two.out().lines().anyMatch(l -> l.matches("mlp\\s+[\\d,]+\\s+[\\d,]+\\s+[\\d,]+")), two.out());
    }

    @Test
    void unknownModelIsAOneLineError() {
        CliTest.Run r = CliTest.run("bench", "--models", "nope");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("unknown model 'nope'"), r.err());
    }
}
