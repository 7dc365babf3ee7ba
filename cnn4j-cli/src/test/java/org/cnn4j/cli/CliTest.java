package org.cnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cnn4j.data.DigitImage;
import org.cnn4j.data.Mnist;
import org.cnn4j.model.Zoo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line end to end, in-process: output, files written, exit codes and one-line errors. */
class CliTest {
    @TempDir
    static Path dir;

    static Path modelFile;

    record Run(int code, String out, String err) {
        String lastLine() {
            String[] lines = out.strip().split("\n");
            return lines[lines.length - 1];
        }
    }

    static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @BeforeAll
    static void trainSmallModel() {
        Path out = dir.resolve("runs").resolve("mlp");
        Run r = run("train", "--model", "mlp", "--epochs", "1", "--out", out.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        modelFile = out.resolve("model.cnn4j");
        assertTrue(Files.isRegularFile(modelFile));
        assertTrue(Files.isRegularFile(out.resolve("best.cnn4j")));
        assertTrue(Files.isRegularFile(out.resolve("metrics.csv")));
        assertTrue(r.lastLine().startsWith("{") && r.lastLine().contains("\"test_accuracy\""), r.lastLine());
    }

    @Test
    void trainedMlpIsFarBetterThanChanceAndReportsParameters() throws Exception {
        Run r = run("eval", modelFile.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("true\\pred"), r.out());
        String json = r.lastLine();
        double acc = Double.parseDouble(json.replaceAll(".*\"accuracy\":([0-9.Ee-]+).*", "$1"));
        assertTrue(acc > 0.9, "one epoch of the MLP should pass 90% but got " + acc);
        java.util.List<String> csv = Files.readAllLines(modelFile.resolveSibling("metrics.csv"));
        assertEquals(2, csv.size(), "header and one epoch");
    }

    @Test
    void predictByIndexAndFromPng() throws Exception {
        Run byIndex = run("predict", "--model-file", modelFile.toString(), "--index", "3");
        assertEquals(0, byIndex.code(), byIndex.err());
        assertTrue(byIndex.out().contains("1. class"), byIndex.out());
        Mnist.Split split = Mnist.embedded();
        Path png = dir.resolve("digit.png");
        int label = split.test().label(3);
        DigitImage.writePng(split.test().image(3), png);
        Run fromPng = run("predict", "--model-file", modelFile.toString(), png.toString(), "--json");
        assertEquals(0, fromPng.code(), fromPng.err());
        String first = byIndex.out().lines().filter(l -> l.contains("1. class")).findFirst().orElseThrow();
        assertTrue(fromPng.out().contains(first.substring(0, first.indexOf('%') - 7)), fromPng.out());
        assertTrue(byIndex.out().contains("(label " + label + ")"));
    }

    @Test
    void summaryPrintsTheLayerTable() {
        Run r = run("summary", "--model", "seed-cnn");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Conv2d"), r.out());
        assertTrue(r.out().contains("Total params: 96,362"), r.out());
        assertTrue(r.out().contains("[N, 64, 7, 7]"), r.out());
    }

    @Test
    void summaryShowsResidualBlocksAsRowsOrExpanded() {
        Run r = run("summary", "--model", "resnet20", "--input", "3,32,32");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Total params: 272,474"), r.out());
        assertTrue(r.out().contains("Residual(Conv3x3/2-BN-ReLU-Conv3x3-BN; shortcut Conv1x1/2-BN)  [N, 32, 16, 16]"),
                r.out());
        Run deep = run("summary", "--model", "densenet-bc40", "--input", "3,32,32", "--depth", "2");
        assertEquals(0, deep.code(), deep.err());
        assertTrue(deep.out().contains("1.0.body.2"), deep.out());
        assertTrue(deep.out().contains("[N, 132, 8, 8]"), deep.out());
    }

    @Test
    void badInputGivesOneLineErrors() throws Exception {
        Run unknownModel = run("train", "--model", "nope");
        assertEquals(1, unknownModel.code());
        assertEquals("cnn4j train: error: unknown model 'nope' (choose from " + String.join(", ", Zoo.names()) + ")",
                unknownModel.err().strip());

        Run unknownOption = run("train", "--frobnicate");
        assertEquals(2, unknownOption.code());
        assertEquals(1, unknownOption.err().strip().lines().count(), unknownOption.err());
        assertTrue(unknownOption.err().contains("--frobnicate"));

        Path corrupt = dir.resolve("corrupt.cnn4j");
        byte[] bytes = Files.readAllBytes(modelFile);
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(corrupt, bytes);
        Run bad = run("eval", corrupt.toString());
        assertEquals(1, bad.code());
        assertEquals(1, bad.err().strip().lines().count(), bad.err());
        assertTrue(bad.err().contains("corrupt"), bad.err());

        Path notAnImage = dir.resolve("notes.png");
        Files.writeString(notAnImage, "hello");
        Run noImage = run("predict", "--model-file", modelFile.toString(), notAnImage.toString());
        assertEquals(1, noImage.code());
        assertFalse(noImage.err().contains("Exception"), noImage.err());

        Run missing = run("eval", dir.resolve("none.cnn4j").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("no model file"), missing.err());
    }

    @Test
    void resumeContinuesAnInterruptedRunAndRefusesWhatItCannot() throws Exception {
        Path finished = modelFile.getParent();
        Path checkpoint = finished.resolve("checkpoint.cnn4j");
        assertTrue(Files.isRegularFile(checkpoint), "every run leaves a checkpoint");
        Run done = run("train", "--resume", finished.toString());
        assertEquals(1, done.code());
        assertEquals("cnn4j train: error: the run in " + finished + " has already finished its 1 epochs",
                done.err().strip());
        Run mixed = run("train", "--resume", finished.toString(), "--epochs", "3");
        assertEquals(1, mixed.code());
        assertEquals("cnn4j train: error: --resume continues a run with the options it was started with: leave out"
                + " --epochs", mixed.err().strip());
        Run nothing = run("train", "--resume", dir.toString());
        assertEquals(1, nothing.code());
        assertTrue(nothing.err().strip().endsWith("holds no checkpoint.cnn4j (a run writes one at the end of each"
                + " epoch)"), nothing.err());

        // A run planned for 2 epochs that stopped after the first: the finished run's files, with its checkpoint
        // saying 2 epochs were planned. (That the continued run equals an uninterrupted one is checked in
        // TrainingCheckpointTest; here, the command's side.)
        Path stopped = dir.resolve("runs").resolve("stopped");
        Files.createDirectories(stopped);
        for (String f : new String[] {"metrics.csv", "best.cnn4j"}) {
            Files.copy(finished.resolve(f), stopped.resolve(f));
        }
        org.cnn4j.io.LoadedModel c = org.cnn4j.io.ModelFile.load(checkpoint);
        java.util.Map<String, String> meta = new java.util.LinkedHashMap<>(c.metadata());
        meta.put("planned_epochs", "2");
        org.cnn4j.io.ModelFile.save(c.model(), stopped.resolve("checkpoint.cnn4j"), meta, c.state());
        int threads = Integer.parseInt(meta.get("threads"));
        int before = org.cnn4j.kernel.Parallel.threads();
        Run resumed = run("train", "--resume", stopped.toString(), "--json", "--threads", Integer.toString(threads + 1));
        org.cnn4j.kernel.Parallel.setThreads(before);
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().startsWith("note: the run used " + threads + " threads; with " + (threads + 1)
                + " its results will differ from an uninterrupted run's in the last bits\ncontinuing after epoch 1:"
                + " mlp"), resumed.out());
        java.util.List<String> csv = Files.readAllLines(stopped.resolve("metrics.csv"));
        assertEquals(3, csv.size(), "header and two epochs: " + csv);
        assertEquals(Files.readAllLines(finished.resolve("metrics.csv")).get(1), csv.get(1), "epoch 1's row is kept");
        assertTrue(csv.get(2).startsWith("2,"), csv.get(2));
        assertEquals("2", org.cnn4j.io.ModelFile.load(stopped.resolve("checkpoint.cnn4j")).metadata()
                .get("checkpoint_epoch"));
        assertEquals("2", org.cnn4j.io.ModelFile.load(stopped.resolve("model.cnn4j")).metadata().get("epochs"));
    }
}
