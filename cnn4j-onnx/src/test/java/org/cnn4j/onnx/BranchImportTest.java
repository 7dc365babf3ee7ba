package org.cnn4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.cnn4j.io.LoadedModel;
import org.cnn4j.nn.Concat;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.GlobalAvgPool2d;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.Mode;
import org.cnn4j.nn.ReLU;
import org.cnn4j.nn.Residual;
import org.cnn4j.nn.Sequential;
import org.cnn4j.onnx.proto.Onnx.AttributeProto;
import org.cnn4j.onnx.proto.Onnx.GraphProto;
import org.cnn4j.onnx.proto.Onnx.ModelProto;
import org.cnn4j.onnx.proto.Onnx.NodeProto;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Branching graphs: which map onto Residual and Concat (nested ones too, either operand order of Add, a negative
 * Concat axis), and which are reported in one line as unsupported.
 */
class BranchImportTest {

    /** A graph on input x (N, 2, 3, 3) with output y, from nodes written as "Op out in1 in2 ...". */
    private static ModelProto graph(String... nodes) {
        GraphProto.Builder g = OnnxExporter.toOnnx(new Sequential(Shape.of(2, 3, 3)), Map.of()).getGraph().toBuilder()
                .clearNode().clearOutput();
        g.setInput(0, g.getInput(0).toBuilder().setName("x"));
        for (String n : nodes) {
            String[] p = n.split(" ");
            NodeProto.Builder b = NodeProto.newBuilder().setOpType(p[0]).addOutput(p[1]);
            for (int k = 2; k < p.length; k++) {
                b.addInput(p[k]);
            }
            if (p[0].equals("Concat")) {
                b.addAttribute(AttributeProto.newBuilder().setName("axis").setType(AttributeProto.AttributeType.INT)
                        .setI(-3));
            }
            g.addNode(b);
        }
        g.addOutput(g.getInput(0).toBuilder().setName("y").clearType());
        return ModelProto.newBuilder().setIrVersion(7).setGraph(g).addOpsetImport(
                org.cnn4j.onnx.proto.Onnx.OperatorSetIdProto.newBuilder().setVersion(13)).build();
    }

    private static Sequential load(String... nodes) {
        return OnnxImporter.importModel(graph(nodes), Map.of(), null).model();
    }

    private static void assertUnsupported(String part, String... nodes) {
        UnsupportedOnnxException e = assertThrows(UnsupportedOnnxException.class, () -> load(nodes));
        assertTrue(e.getMessage().contains(part) && !e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void identityShortcutsAndDenseLayers() {
        Sequential m = load("Relu a x", "Add b x a", "Sigmoid c b", "Concat d c a2", "Relu a2 c", "Tanh y d");
        assertEquals(List.of("Residual", "Sigmoid", "Concat", "Tanh"),
                m.layers().stream().map(l -> l.spec().type()).toList());
        Residual r = (Residual) m.layers().get(0);
        assertEquals(null, r.shortcut());
        assertEquals("ReLU", ((Sequential) r.body()).layers().get(0).spec().type());
        assertEquals(Shape.of(4, 3, 3), m.sampleOutputShape());
    }

    @Test
    void nestedContainersRoundTrip() {
        Sequential inner = new Sequential(new Conv2d(2, 2, 3, 1, 1), new Concat(new Sequential(new ReLU(),
                new Conv2d(2, 1, 3, 1, 1))), new Residual(new Sequential(new ReLU())), new Conv2d(3, 4, 1));
        Sequential model = new Sequential(Shape.of(2, 5, 5), new Residual(inner, new Sequential(new Conv2d(2, 4, 1))),
                new ReLU(), new GlobalAvgPool2d(), new Linear(4, 3));
        LoadedModel back = OnnxImporter.importModel(OnnxExporter.toOnnx(model, Map.of()), Map.of(), null);
        assertEquals(model.summary(9), back.model().summary(9));
        Tensor x = Tensor.randn(Shape.of(2, 2, 5, 5), 1f, 3);
        ExportTest.assertSameOutputs(model.forward(x, Mode.EVAL), back.model().forward(x, Mode.EVAL));
    }

    @Test
    void unmappableBranchesAreReported() {
        assertUnsupported("puts a block's input first", "Relu a x", "Concat y a x");
        assertUnsupported("joins them with Add (Residual) or Concat (Concat) only", "Relu a x", "Mul y a x");
        assertUnsupported("without joining", "Relu y x", "Sigmoid b x");
        // DenseNet as torchvision writes it: each layer concatenates all earlier outputs
        assertUnsupported("join different branches", "Relu f1 x", "Concat c1 x f1", "Relu f2 c1",
                "Concat y x f1 f2");
        assertUnsupported("also feeds", "Relu y x", "Sigmoid b y");
    }
}
