package org.cnn4j.onnx;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.cnn4j.io.ModelFormatException;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.ReLU;
import org.cnn4j.nn.Sequential;
import org.cnn4j.onnx.proto.Onnx.GraphProto;
import org.cnn4j.onnx.proto.Onnx.ModelProto;
import org.cnn4j.onnx.proto.Onnx.NodeProto;
import org.cnn4j.onnx.proto.Onnx.TensorProto;
import org.cnn4j.tensor.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed, truncated and hostile .onnx files end in one clear line (ModelFormatException or
 * UnsupportedOnnxException): never a hang, a stack trace for the user, or an OutOfMemoryError.
 */
@Timeout(30)
class HostileFilesTest {
    @TempDir
    Path dir;

    /** A valid model to damage: Gemm, Relu. */
    private static ModelProto valid() {
        return OnnxExporter.toOnnx(new Sequential(Shape.of(4), new Linear(4, 3), new ReLU()), Map.of());
    }

    private RuntimeException load(byte[] bytes) throws Exception {
        Path f = dir.resolve("m.onnx");
        Files.write(f, bytes);
        RuntimeException e = assertThrows(RuntimeException.class, () -> OnnxImporter.load(f));
        assertTrue(e instanceof ModelFormatException || e instanceof UnsupportedOnnxException, e.toString());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e;
    }

    private void assertMessage(RuntimeException e, String part) {
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    @Test
    void emptyRandomAndTruncatedFiles() throws Exception {
        assertMessage(load(new byte[0]), "empty");
        byte[] random = new byte[4096];
        new java.util.Random(1).nextBytes(random);
        load(random);
        byte[] whole = valid().toByteArray();
        for (int cut : new int[] {1, 7, whole.length / 2, whole.length - 1}) {
            load(Arrays.copyOf(whole, cut));
        }
        assertMessage(load("just some text, not protobuf at all\n".getBytes()), "ONNX");
    }

    @Test
    void hugeDeclaredSizesAreRejectedBeforeAllocating() throws Exception {
        ModelProto m = valid();
        TensorProto huge = m.getGraph().getInitializer(0).toBuilder().clearDims().addDims(1L << 40).addDims(1L << 40)
                .build();
        assertMessage(load(m.toBuilder().setGraph(m.getGraph().toBuilder().setInitializer(0, huge)).build()
                .toByteArray()), "invalid dimension");
        TensorProto lying = m.getGraph().getInitializer(0).toBuilder().clearDims().addDims(100_000).addDims(20_000)
                .build();
        assertMessage(load(m.toBuilder().setGraph(m.getGraph().toBuilder().setInitializer(0, lying)).build()
                .toByteArray()), "declares shape");
        // a length prefix claiming 2 GB in a file of a few bytes
        load(new byte[] {0x3a, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07, 1, 2, 3});
        TensorProto external = huge.toBuilder().clearRawData().setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .build();
        assertMessage(load(m.toBuilder().setGraph(m.getGraph().toBuilder().setInitializer(0, external)).build()
                .toByteArray()), "external");
    }

    @Test
    void deeplyNestedMessagesAreRefused() throws Exception {
        // graph -> node -> attribute -> graph -> ..., 200 levels deep
        GraphProto g = GraphProto.getDefaultInstance();
        for (int i = 0; i < 200; i++) {
            g = GraphProto.newBuilder().addNode(NodeProto.newBuilder().setOpType("If").addAttribute(
                    org.cnn4j.onnx.proto.Onnx.AttributeProto.newBuilder().setName("then_branch").setG(g))).build();
        }
        assertMessage(load(valid().toBuilder().setGraph(g).build().toByteArray()), "nested");
    }

    @Test
    void cyclesAndDanglingValues() throws Exception {
        ModelProto m = valid();
        GraphProto.Builder g = m.getGraph().toBuilder();
        // Relu reads the graph output it produces itself through the Gemm: x1 = Gemm(input + cycle)...
        g.setNode(0, g.getNode(0).toBuilder().setInput(0, "output"));
        assertMessage(load(m.toBuilder().setGraph(g).build().toByteArray()), "cycle");
        g = m.getGraph().toBuilder();
        g.setNode(1, g.getNode(1).toBuilder().setInput(0, "nowhere"));
        assertMessage(load(m.toBuilder().setGraph(g).build().toByteArray()), "nothing defines");
    }

    @Test
    void everyUnsupportedNodeIsListedInOneError() throws Exception {
        ModelProto m = valid();
        GraphProto.Builder g = m.getGraph().toBuilder();
        g.setNode(0, g.getNode(0).toBuilder().setOpType("Erf").setName("first"));
        g.setNode(1, g.getNode(1).toBuilder().setOpType("Gelu\nInjected").setName("second"));
        g.addNode(NodeProto.newBuilder().setOpType("Erf").setName("third").setDomain("com.example"));
        RuntimeException e = load(m.toBuilder().setGraph(g).build().toByteArray());
        assertTrue(e instanceof UnsupportedOnnxException);
        for (String part : new String[] {"'first' (Erf)", "'second' (Gelu?Injected)", "'third'", "com.example.Erf",
                "3 nodes"}) {
            assertMessage(e, part);
        }
    }

    @Test
    void unknownOpsetAndMissingGraph() throws Exception {
        ModelProto m = valid();
        assertMessage(load(m.toBuilder().setOpsetImport(0, m.getOpsetImport(0).toBuilder().setVersion(99)).build()
                .toByteArray()), "operator set 99");
        assertMessage(load(m.toBuilder().clearGraph().build().toByteArray()), "no graph");
        assertMessage(load(m.toBuilder().setGraph(m.getGraph().toBuilder().setInitializer(0,
                m.getGraph().getInitializer(0).toBuilder().setRawData(ByteString.copyFrom(new byte[5]))))
                .build().toByteArray()), "declares shape");
    }
}
