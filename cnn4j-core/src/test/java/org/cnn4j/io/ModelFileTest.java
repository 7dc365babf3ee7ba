package org.cnn4j.io;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.cnn4j.init.Init;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Layer;
import org.cnn4j.nn.LayerSpec;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.Mode;
import org.cnn4j.nn.Parameter;
import org.cnn4j.nn.Sequential;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model files: exact round trips, and a clear {@link ModelFormatException} for every kind of bad file. Hostile
 * files are built by {@link #craft}, an independent writer of the documented layout.
 */
class ModelFileTest {
    @TempDir
    Path dir;

    private static Sequential convModel() {
        Init.manualSeed(7);
        return new Sequential(Shape.of(2, 6, 6), new Conv2d(2, 3, 3, 1, 1), new Conv2d(3, 2, 3, 3, 2, 1, 2, false));
    }

    /** A nested Sequential, so the architecture is a real tree. */
    private static Sequential mlp() {
        Init.manualSeed(8);
        return new Sequential(Shape.of(4), new Linear(4, 3), new Sequential(Shape.of(3), new Linear(3, 2, false)));
    }

    private static Map<String, String> metadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("model", "test-net");
        m.put("classes", "zero,one,\"two\",\n三");
        m.put("mean", "0.1307");
        m.put("accuracy", "0.987");
        return m;
    }

    private Path saved(Sequential model) throws IOException {
        Path f = dir.resolve("model.cnn4j");
        ModelFile.save(model, f, metadata());
        return f;
    }

    private static String failure(Path f) {
        return assertThrows(ModelFormatException.class, () -> ModelFile.load(f)).getMessage();
    }

    @Test
    void roundTripIsBitExact() throws IOException {
        Sequential model = convModel();
        float[] w = ((Conv2d) model.layers().get(0)).weight().value().data();
        w[0] = -0.0f;
        w[1] = Float.MIN_VALUE;
        w[2] = Float.intBitsToFloat(0x7fc01234); // a NaN with a payload
        w[3] = Float.MAX_VALUE;
        LoadedModel loaded = ModelFile.load(saved(model));

        assertSameSpec(model.spec(), loaded.model().spec());
        assertEquals(Sequential.class, loaded.model().getClass());
        assertEquals(metadata(), loaded.metadata());
        assertEquals(List.copyOf(metadata().keySet()), List.copyOf(loaded.metadata().keySet()));
        Map<String, Parameter> a = model.namedParameters();
        Map<String, Parameter> b = loaded.model().namedParameters();
        assertEquals(List.of("0.weight", "0.bias", "1.weight"), List.copyOf(b.keySet()));
        for (String name : a.keySet()) {
            assertEquals(a.get(name).shape(), b.get(name).shape(), name);
            assertEquals(a.get(name).isTrainable(), b.get(name).isTrainable(), name);
            assertArrayEquals(rawBits(a.get(name).value().data()), rawBits(b.get(name).value().data()), name);
        }
    }

    private static void assertSameSpec(LayerSpec expected, LayerSpec actual) {
        assertEquals(expected.type(), actual.type());
        assertEquals(List.copyOf(expected.attrs().keySet()), List.copyOf(actual.attrs().keySet()), expected.type());
        for (String k : expected.attrs().keySet()) {
            assertTrue(Objects.deepEquals(expected.attrs().get(k), actual.attrs().get(k)), expected.type() + "." + k);
            assertEquals(expected.attrs().get(k).getClass(), actual.attrs().get(k).getClass(), expected.type() + "." + k);
        }
        assertEquals(expected.children().size(), actual.children().size());
        for (int i = 0; i < expected.children().size(); i++) {
            assertSameSpec(expected.children().get(i), actual.children().get(i));
        }
    }

    private static int[] rawBits(float[] f) {
        int[] bits = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            bits[i] = Float.floatToRawIntBits(f[i]);
        }
        return bits;
    }

    @Test
    void batchNormRunningStatisticsAreSavedAsBuffers() throws IOException {
        Init.manualSeed(3);
        Sequential model = org.cnn4j.model.Zoo.mlp(Shape.of(1, 4, 4), 3);
        for (int i = 0; i < 3; i++) {
            model.forward(Tensor.randn(Shape.of(8, 1, 4, 4), 2f, i), Mode.TRAIN); // moves the running statistics
        }
        Map<String, Parameter> a = model.namedParameters();
        Map<String, Parameter> b = ModelFile.load(saved(model)).model().namedParameters();
        assertEquals(List.copyOf(a.keySet()), List.copyOf(b.keySet()));
        Parameter runningVar = b.get("2.running_var");
        assertFalse(runningVar.isTrainable());
        assertArrayEquals(a.get("2.running_var").value().data(), runningVar.value().data());
        assertArrayEquals(a.get("2.running_mean").value().data(), b.get("2.running_mean").value().data());
        assertNotEquals(1f, runningVar.value().data()[0]);
    }

    @Test
    void loadedModelsComputeTheSameOutputs() throws IOException {
        for (Sequential model : List.of(convModel(), mlp())) {
            Shape in = model.sampleShape().prepend(3);
            Tensor x = Tensor.randn(in, 1f, 11);
            Tensor expected = model.forward(x, Mode.EVAL);
            Sequential loaded = ModelFile.load(saved(model)).model();
            assertArrayEquals(expected.data(), loaded.forward(x, Mode.EVAL).data());
            assertSameSpec(model.spec(), loaded.spec());
        }
    }

    @Test
    void nestedContainersRoundTrip() throws IOException {
        Init.manualSeed(5);
        for (String name : List.of("resnet20", "densenet-bc40")) {
            Sequential model = org.cnn4j.model.Zoo.create(name, Shape.of(3, 32, 32), 10);
            for (Parameter p : model.parameters()) { // running statistics away from 0 and 1, biases away from 0
                p.value().copyFrom(Tensor.randn(p.shape(), 0.1f, p.value().size()).addInPlace(p.value()));
            }
            Tensor x = Tensor.randn(Shape.of(1, 3, 32, 32), 1f, 3);
            Tensor expected = model.forward(x, Mode.EVAL);
            Sequential loaded = ModelFile.load(saved(model)).model();
            assertSameSpec(model.spec(), loaded.spec());
            assertEquals(List.copyOf(model.namedParameters().keySet()), List.copyOf(loaded.namedParameters().keySet()));
            assertArrayEquals(expected.data(), loaded.forward(x, Mode.EVAL).data(), name);
        }
    }

    @Test
    void anArchitectureWithoutInputShapeIsRejected() throws IOException {
        Path f = dir.resolve("no-input.cnn4j");
        Files.write(f, craft(header("{\"type\":\"Sequential\",\"attrs\":{},\"children\":[]}", "[]"), 0));
        assertTrue(failure(f).contains("declares no input shape"), failure(f));
    }

    @Test
    void saveReplacesAnExistingFileAndLeavesNoTemporaryFile() throws IOException {
        Path f = saved(convModel());
        ModelFile.save(mlp(), f, Map.of());
        assertEquals(Map.of(), ModelFile.load(f).metadata());
        assertEquals(Set.of(f), filesIn(dir));
    }

    @Test
    void everyFlippedByteIsDetected() throws IOException {
        byte[] good = Files.readAllBytes(saved(mlp()));
        Path f = dir.resolve("flipped");
        for (int i = 0; i < good.length; i++) {
            byte[] bad = good.clone();
            bad[i] ^= 0x10;
            Files.write(f, bad);
            String msg = failure(f);
            String expected = i < 8 ? "not a cnn4j model file: " + f : "corrupt model file (checksum mismatch): " + f;
            assertEquals(expected, msg, "byte " + i);
        }
    }

    @Test
    void truncationIsDetected() throws IOException {
        byte[] good = Files.readAllBytes(saved(mlp()));
        Path f = dir.resolve("short");
        // every length inside the magic and the fixed preamble, then a sample through header, data and checksum
        for (int n = 1; n < good.length; n += n < 32 || n > good.length - 6 ? 1 : 7) {
            Files.write(f, Arrays.copyOf(good, n));
            assertEquals("truncated model file: " + f, failure(f), "length " + n);
        }
    }

    @Test
    void foreignAndEmptyFiles() throws IOException {
        Path f = dir.resolve("notes.txt");
        Files.writeString(f, "hello, these are not weights at all");
        assertEquals("not a cnn4j model file: " + f, failure(f));
        Files.write(f, new byte[] {(byte) 0x89, 'P', 'N', 'G'});
        assertEquals("not a cnn4j model file: " + f, failure(f));
        Files.write(f, new byte[0]);
        assertEquals("not a cnn4j model file (it is empty): " + f, failure(f));
        assertThrows(java.nio.file.NoSuchFileException.class, () -> ModelFile.load(dir.resolve("missing")));
    }

    @Test
    void newerVersionIsNamed() throws IOException {
        byte[] b = Files.readAllBytes(saved(mlp()));
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 3);
        Path f = dir.resolve("future");
        Files.write(f, withTrailingChecksum(b));
        assertEquals("model file version 3 is newer than this cnn4j supports (2): " + f, failure(f));
    }

    @Test
    void trailingBytesAreRejected() throws IOException {
        byte[] good = Files.readAllBytes(saved(mlp()));
        Path f = dir.resolve("longer");
        Files.write(f, Arrays.copyOf(good, good.length + 3));
        assertTrue(failure(f).startsWith("corrupt model file (unexpected bytes after the checksum)"));
    }

    // ---- hostile but correctly checksummed files ----

    private static final String MLP_ARCH = "{\"type\":\"Sequential\",\"attrs\":{\"input\":[2]},\"children\":["
            + "{\"type\":\"Linear\",\"attrs\":{\"in\":2,\"out\":1,\"bias\":false},\"children\":[]}]}";

    private static String header(String architecture, String tensors) {
        return "{\"architecture\":" + architecture + ",\"metadata\":{},\"tensors\":" + tensors + "}";
    }

    /** The documented layout, written independently of ModelFile, with valid checksums. */
    private static byte[] craft(int version, long headerLength, long dataLength, byte[] header, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(28 + header.length + data.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.put("CNN4JMDL".getBytes(UTF_8)).putInt(version).putInt((int) headerLength).putLong(dataLength);
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, 24);
        b.putInt((int) crc.getValue()).put(header).put(data);
        return withTrailingChecksum(b.array());
    }

    private static byte[] craft(String header, int dataBytes) {
        byte[] h = header.getBytes(UTF_8);
        return craft(1, h.length, dataBytes, h, new byte[dataBytes]);
    }

    /** Recomputes the last 4 bytes as the CRC32 of all bytes before them. */
    private static byte[] withTrailingChecksum(byte[] b) {
        CRC32 crc = new CRC32();
        crc.update(b, 0, b.length - 4);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length - 4, (int) crc.getValue());
        return b;
    }

    private String load(byte[] file) throws IOException {
        Path f = dir.resolve("hostile");
        Files.write(f, file);
        return failure(f);
    }

    @Test
    void craftedFileOfTheDocumentedLayoutLoads() throws IOException {
        Path f = dir.resolve("crafted");
        ByteBuffer data = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(1.5f).putFloat(-2f);
        byte[] h = header(MLP_ARCH, "[{\"name\":\"0.weight\",\"shape\":[1,2],\"offset\":0}]").getBytes(UTF_8);
        Files.write(f, craft(1, h.length, 8, h, data.array()));
        Sequential m = ModelFile.load(f).model();
        assertArrayEquals(new float[] {1.5f, -2f}, m.namedParameters().get("0.weight").value().data());
    }

    @Test
    void hugeDeclaredSizesAreTruncationNotAllocation() throws IOException {
        byte[] h = header(MLP_ARCH, "[]").getBytes(UTF_8);
        assertTrue(load(craft(1, h.length, 1L << 40, h, new byte[0])).startsWith("truncated model file"));
        assertTrue(load(craft(1, 0xFFFF_FFF0L, 0, h, new byte[0])).startsWith("truncated model file"));
        assertTrue(load(craft(1, h.length, Long.MAX_VALUE - 3, h, new byte[0])).startsWith("truncated model file"));
        assertTrue(load(craft(1, h.length, -4, h, new byte[0])).startsWith("corrupt model file (invalid data length"));
        assertTrue(load(craft(1, h.length, 2, h, new byte[2])).startsWith("corrupt model file (invalid data length"));
        String bigTensor = "[{\"name\":\"0.weight\",\"shape\":[100000,100000,100000,100000],\"offset\":0}]";
        assertTrue(load(craft(header(MLP_ARCH, bigTensor), 8)).contains("needs more data than the file holds"));
    }

    @Test
    void hostileHeaders() throws IOException {
        String weight = "[{\"name\":\"0.weight\",\"shape\":[1,2],\"offset\":0}]";
        String deep = "[".repeat(50_000) + "]".repeat(50_000);
        assertTrue(load(craft(header(deep, weight), 8)).contains("nested deeper than 64 levels"));
        assertTrue(load(craft("not json", 0)).startsWith("invalid model file header (invalid JSON at character 0"));
        assertTrue(load(craft("[1,2]", 0)).contains("the header is not a JSON object"));
        byte[] latin1 = "{\"x\":\"\u00e9\"}".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(load(craft(1, latin1.length, 0, latin1, new byte[0])).contains("not valid UTF-8"));
        String evil = "{\"type\":\"java.lang.Runtime\",\"attrs\":{},\"children\":[]}";
        assertTrue(load(craft(header(evil, "[]"), 0)).contains("unknown layer type 'java.lang.Runtime'"));
        String wrongType = MLP_ARCH.replace("\"in\":2", "\"in\":\"two\"");
        assertTrue(load(craft(header(wrongType, weight), 8)).contains("attribute of the wrong type"));
        String notInt = MLP_ARCH.replace("\"in\":2", "\"in\":3000000000");
        assertTrue(load(craft(header(notInt, weight), 8)).contains("is not a 32-bit integer"));
        String linear = "{\"type\":\"Linear\",\"attrs\":{\"in\":2,\"out\":1,\"bias\":false},\"children\":[]}";
        assertTrue(load(craft(header(linear, "[]"), 8)).contains("its architecture is a Linear, not a Sequential"));
        String control = "{\"type\":\"a\\nb\",\"attrs\":{},\"children\":[]}";
        assertFalse(load(craft(header(control, "[]"), 0)).contains("\n"), "messages stay on one line");
        assertTrue(load(craft(header(MLP_ARCH, weight).replace("{}", "{\"k\":1}"), 8)).contains("not a string"));
    }

    @Test
    void anArchitectureLargerThanItsDataIsRefusedBeforeAllocating() throws IOException {
        // 46340 x 46340 weights would be 8.6 GB: refused from the 8 bytes of data the file holds, before allocating
        String huge = MLP_ARCH.replace("\"in\":2,\"out\":1", "\"in\":46340,\"out\":46340");
        assertEquals("invalid model file header (its architecture cannot be built: parameter weight [46340, 46340]"
                + " needs more values than the model's data holds): " + dir.resolve("hostile"),
                load(craft(header(huge, "[]"), 8)));
        String overflow = MLP_ARCH.replace("\"in\":2,\"out\":1", "\"in\":1000000,\"out\":1000000");
        assertTrue(load(craft(header(overflow, "[]"), 0)).contains("cannot be built"));
        // many layers, each small enough alone: the budget is for all of them together
        String layer = "{\"type\":\"Linear\",\"attrs\":{\"in\":2,\"out\":2,\"bias\":false},\"children\":[]}";
        String many = "{\"type\":\"Sequential\",\"attrs\":{\"input\":[2]},\"children\":["
                + String.join(",", java.util.Collections.nCopies(3, layer)) + "]}";
        assertTrue(load(craft(header(many, "[]"), 8 * 4)).contains("parameter weight [2, 2] needs more values"));
    }

    @Test
    void tensorsMustMatchTheArchitecture() throws IOException {
        assertEquals("model file tensor 0.weight has shape [2, 1] but the architecture needs [1, 2]",
                load(craft(header(MLP_ARCH, "[{\"name\":\"0.weight\",\"shape\":[2,1],\"offset\":0}]"), 8)));
        assertTrue(load(craft(header(MLP_ARCH, "[]"), 8))
                .startsWith("model file has no tensor 0.weight, which the architecture needs"));
        String extra = "[{\"name\":\"0.weight\",\"shape\":[1,2],\"offset\":0},"
                + "{\"name\":\"0.bias\",\"shape\":[1],\"offset\":8}]";
        assertTrue(load(craft(header(MLP_ARCH, extra), 12)).startsWith("model file tensor 0.bias is not part of"));
        String twice = "[{\"name\":\"0.weight\",\"shape\":[1,2],\"offset\":0},"
                + "{\"name\":\"0.weight\",\"shape\":[1,2],\"offset\":8}]";
        assertTrue(load(craft(header(MLP_ARCH, twice), 16)).contains("listed twice"));
        String gap = "[{\"name\":\"0.weight\",\"shape\":[1,2],\"offset\":4}]";
        assertTrue(load(craft(header(MLP_ARCH, gap), 12)).contains("does not start at byte 0"));
        String weight = "[{\"name\":\"0.weight\",\"shape\":[1,2],\"offset\":0}]";
        assertTrue(load(craft(header(MLP_ARCH, weight), 12)).contains("hold 8 bytes but the data section has 12"));
    }

    @Test
    void trainingStateRoundTripsAfterTheWeights() throws IOException {
        Path f = dir.resolve("checkpoint.cnn4j");
        Sequential m = mlp();
        List<float[]> state = List.of(new float[] {1.5f, -0f, Float.MIN_VALUE}, new float[0], new float[] {7f});
        ModelFile.save(m, f, metadata(), state);
        LoadedModel loaded = ModelFile.load(f);
        assertEquals(3, loaded.state().size());
        for (int i = 0; i < state.size(); i++) {
            assertArrayEquals(rawBits(state.get(i)), rawBits(loaded.state().get(i)), "state array " + i);
        }
        for (Map.Entry<String, Parameter> e : m.namedParameters().entrySet()) {
            assertArrayEquals(e.getValue().value().data(),
                    loaded.model().namedParameters().get(e.getKey()).value().data(), e.getKey());
        }
        assertEquals(2, ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN).getInt(8),
                "files with state are version 2: a version-1 reader says they are newer, not damaged");
        ModelFile.save(m, f, metadata());
        assertTrue(ModelFile.load(f).state().isEmpty(), "a model file without state");
        assertEquals(1, ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN).getInt(8),
                "files without state stay version 1, readable by every cnn4j");
    }

    @Test
    void stateEntriesAreChecked() throws IOException {
        String weight = "[{\"name\":\"0.weight\",\"shape\":[1,2],\"offset\":0}]";
        String ok = "{\"architecture\":" + MLP_ARCH + ",\"metadata\":{},\"tensors\":" + weight
                + ",\"state\":[{\"length\":1,\"offset\":8}]}";
        Path f = dir.resolve("state");
        Files.write(f, craft(ok, 12));
        assertEquals(1, ModelFile.load(f).state().get(0).length);
        assertTrue(load(craft(ok.replace("\"offset\":8}]}", "\"offset\":4}]}"), 12))
                .contains("state array 0 does not start at byte 8"));
        assertTrue(load(craft(ok.replace("\"length\":1", "\"length\":1000000000000"), 12))
                .contains("state array 0 has an invalid length or needs more data than the file holds"));
        assertTrue(load(craft(ok.replace("\"length\":1", "\"length\":-1"), 12)).contains("invalid length"));
        assertTrue(load(craft(ok, 16)).contains("tensors and state hold 12 bytes but the data section has 16"));
        assertTrue(load(craft(ok.replace("[{\"length\":1,\"offset\":8}]", "{}"), 12)).contains("state is not"));
    }

    // ---- atomic writes ----

    /** A layer whose spec holds a float, which model files do not store: saving it must fail. */
    private static final class OddLayer implements Layer {
        @Override
        public Tensor forward(Tensor input, Mode mode) {
            return input;
        }

        @Override
        public Tensor backward(Tensor gradOutput) {
            return gradOutput;
        }

        @Override
        public Shape outputShape(Shape input) {
            return input;
        }

        @Override
        public LayerSpec spec() {
            return LayerSpec.of("Odd", "scale", 1.5f);
        }
    }

    private static Set<Path> filesIn(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return Set.copyOf(s.toList());
        }
    }

    @Test
    void aFailedSaveLeavesTheOldFileUntouched() throws IOException {
        Path f = saved(mlp());
        byte[] before = Files.readAllBytes(f);
        Sequential odd = new Sequential(Shape.of(4), new Linear(4, 3), new OddLayer());
        assertThrows(IllegalArgumentException.class, () -> ModelFile.save(odd, f, Map.of()));
        Map<String, String> withNull = new LinkedHashMap<>();
        withNull.put("k", null);
        assertThrows(IllegalArgumentException.class, () -> ModelFile.save(mlp(), f, withNull));
        assertArrayEquals(before, Files.readAllBytes(f));
        assertEquals(Set.of(f), filesIn(dir));
    }

    @Test
    void aSaveFailingWhileWritingDeletesItsTemporaryFile() throws IOException {
        Path f = saved(mlp());
        byte[] before = Files.readAllBytes(f);
        // an interrupted thread makes the first write to the (already created) temporary file fail
        Thread.currentThread().interrupt();
        try {
            assertThrows(java.nio.channels.ClosedByInterruptException.class,
                    () -> ModelFile.save(convModel(), f, Map.of()));
        } finally {
            Thread.interrupted();
        }
        assertArrayEquals(before, Files.readAllBytes(f));
        assertEquals(Set.of(f), filesIn(dir));
    }

    @Test
    void aSaveFailingAtTheRenameDeletesItsTemporaryFile() throws IOException {
        Path target = dir.resolve("occupied");
        Files.createDirectory(target);
        Files.writeString(target.resolve("keep"), "x");
        assertThrows(IOException.class, () -> ModelFile.save(mlp(), target, Map.of()));
        assertEquals(Set.of(target), filesIn(dir));
        assertEquals("x", Files.readString(target.resolve("keep")));
    }
}
