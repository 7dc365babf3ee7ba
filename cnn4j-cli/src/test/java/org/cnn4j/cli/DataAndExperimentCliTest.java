package org.cnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.cnn4j.data.Cifar10;
import org.cnn4j.io.ModelFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --data forms with small generated folders, the metadata they leave in model files, and the experiment command. */
class DataAndExperimentCliTest {
    @TempDir
    Path dir;

    /** An IDX file of unsigned bytes: magic 0x0000080d, the sizes, the values. */
    private static byte[] idx(int[] dims, byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x0800 | dims.length);
        for (int d : dims) {
            out.writeInt(d);
        }
        out.write(data);
        return bytes.toByteArray();
    }

    /** n images whose class c is a bright square at a place of its own, so that a model can learn them. */
    private static byte[][] imagesAndLabels(int n, int channels, int size) {
        byte[] images = new byte[n * channels * size * size];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) (i % 10);
            int cy = 2 + (i % 10) / 5 * 12;
            int cx = 2 + (i % 5) * 5;
            for (int c = 0; c < channels; c++) {
                for (int y = cy; y < cy + 4; y++) {
                    for (int x = cx; x < cx + 4; x++) {
                        images[((i * channels + c) * size + y) * size + x] = (byte) 255;
                    }
                }
            }
        }
        return new byte[][] {images, labels};
    }

    @Test
    void fashionMnistFolderStoresItsNormalizationAndClassNames() throws Exception {
        Path data = dir.resolve("fashion");
        Files.createDirectories(data);
        for (String part : new String[] {"train", "t10k"}) {
            byte[][] il = imagesAndLabels(part.equals("train") ? 100 : 20, 1, 28);
            Files.write(data.resolve(part + "-images-idx3-ubyte"), idx(new int[] {il[1].length, 28, 28}, il[0]));
            Files.write(data.resolve(part + "-labels-idx1-ubyte"), idx(new int[] {il[1].length}, il[1]));
        }
        Path out = dir.resolve("runs").resolve("fashion");
        String spec = "fashion-mnist:" + data;
        CliTest.Run train = CliTest.run("train", "--model", "mlp", "--data", spec, "--epochs", "2", "--flip", "--out", out.toString());
        assertEquals(0, train.code(), train.err());
        Map<String, String> meta = ModelFile.load(out.resolve("model.cnn4j")).metadata();
        assertEquals("0.286", meta.get("normalize.mean"));
        assertEquals("0.353", meta.get("normalize.std"));
        assertTrue(meta.get("class_names").startsWith("T-shirt/top,Trouser,Pullover,"), meta.get("class_names"));

        CliTest.Run eval = CliTest.run("eval", out.resolve("model.cnn4j").toString(), "--data", spec);
        assertEquals(0, eval.code(), eval.err());
        assertTrue(eval.out().contains("classes: 0 T-shirt/top, 1 Trouser,"), eval.out());
        CliTest.Run predict = CliTest.run("predict", "--model-file", out.resolve("model.cnn4j").toString(), "--data", spec,
                "--index", "9", "--json");
        assertEquals(0, predict.code(), predict.err());
        assertTrue(predict.out().contains("(label 9 (Ankle boot))"), predict.out());
        assertTrue(predict.lastLine().contains("\"class_name\":"), predict.lastLine());
    }

    @Test
    void cifar10FolderStoresPerChannelNormalization() throws Exception {
        Path data = dir.resolve("cifar-10-batches-bin");
        Files.createDirectories(data);
        for (String name : Cifar10.TRAIN_FILES) {
            Files.write(data.resolve(name), records(20));
        }
        Files.write(data.resolve(Cifar10.TEST_FILE), records(10));
        Path out = dir.resolve("runs").resolve("cifar");
        String spec = "cifar10:" + data;
        CliTest.Run train = CliTest.run("train", "--model", "mlp", "--data", spec, "--epochs", "1", "--out", out.toString());
        assertEquals(0, train.code(), train.err());
        Map<String, String> meta = ModelFile.load(out.resolve("model.cnn4j")).metadata();
        assertEquals("0.4914,0.4822,0.4465", meta.get("normalize.mean"));
        assertEquals("0.247,0.2435,0.2616", meta.get("normalize.std"));
        CliTest.Run eval = CliTest.run("eval", out.resolve("model.cnn4j").toString(), "--data", spec);
        assertEquals(0, eval.code(), eval.err());
        assertTrue(eval.out().contains("9 truck"), eval.out());

        CliTest.Run missing = CliTest.run("eval", out.resolve("model.cnn4j").toString(), "--data", "cifar10");
        assertEquals(1, missing.code());
        assertEquals("cnn4j eval: error: --data cifar10 needs the folder of the binary version: "
                + "--data cifar10:/path/to/cifar-10-batches-bin", missing.err().strip());
    }

    /** CIFAR-10 records of the images of {@link #imagesAndLabels} at 32 x 32 in 3 channels. */
    private static byte[] records(int n) {
        byte[][] il = imagesAndLabels(n, 3, 32);
        byte[] bytes = new byte[n * Cifar10.RECORD_BYTES];
        for (int i = 0; i < n; i++) {
            bytes[i * Cifar10.RECORD_BYTES] = il[1][i];
            System.arraycopy(il[0], i * Cifar10.IMAGE_BYTES, bytes, i * Cifar10.RECORD_BYTES + 1, Cifar10.IMAGE_BYTES);
        }
        return bytes;
    }

    @Test
    void experimentWritesCsvAndPngAndSaysWhere() throws Exception {
        Path out = dir.resolve("exp");
        CliTest.Run r = CliTest.run("experiment", "init", "--quick", "--out", out.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("wrote " + out.resolve("init.csv") + " and " + out.resolve("init.png")), r.out());
        assertTrue(Files.size(out.resolve("init.png")) > 1000);
        assertEquals(21, Files.readAllLines(out.resolve("init.csv")).size());
        assertTrue(r.lastLine().startsWith("{\"experiment\":\"init\"") && r.lastLine().contains("\"std_he\""), r.lastLine());

        CliTest.Run bad = CliTest.run("experiment", "nope");
        assertEquals(1, bad.code());
        assertEquals("cnn4j experiment: error: unknown experiment 'nope' (choose from init, batchnorm, vanishing-gradients)",
                bad.err().strip());
    }
}
