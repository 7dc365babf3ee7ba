package org.cnn4j.onnx;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cnn4j.io.AtomicFile;
import org.cnn4j.nn.Concat;
import org.cnn4j.nn.GlobalAvgPool2d;
import org.cnn4j.nn.Layer;
import org.cnn4j.nn.LayerSpec;
import org.cnn4j.nn.Parameter;
import org.cnn4j.nn.Residual;
import org.cnn4j.nn.Sequential;
import org.cnn4j.onnx.proto.Onnx.AttributeProto;
import org.cnn4j.onnx.proto.Onnx.GraphProto;
import org.cnn4j.onnx.proto.Onnx.ModelProto;
import org.cnn4j.onnx.proto.Onnx.NodeProto;
import org.cnn4j.onnx.proto.Onnx.OperatorSetIdProto;
import org.cnn4j.onnx.proto.Onnx.StringStringEntryProto;
import org.cnn4j.onnx.proto.Onnx.TensorProto;
import org.cnn4j.onnx.proto.Onnx.TensorShapeProto;
import org.cnn4j.onnx.proto.Onnx.TypeProto;
import org.cnn4j.onnx.proto.Onnx.ValueInfoProto;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * Writes a cnn4j model as an ONNX model of operator set {@value #OPSET}: one node per layer (Conv2d -> Conv,
 * Linear -> Gemm with transB, BatchNorm1d/2d -> BatchNormalization, pooling, activations, Flatten, Dropout, Softmax
 * over the last axis, GlobalAvgPool2d -> GlobalAveragePool and Flatten), the weights as initializers under their
 * PyTorch-style names ("0.weight", "3.body.0.weight"), a symbolic batch dimension "N", and the model's metadata (such
 * as its input normalization) as metadata properties, which {@link OnnxImporter} reads back. Containers are
 * written as the graphs PyTorch exports for them: a Sequential as its layers one after another (no node of its
 * own), a {@link Residual} as its body and shortcut branches joined by Add (body first), a {@link Concat} as its body
 * joined to its input by a Concat on the channels (input first).
 */
public final class OnnxExporter {
    public static final int OPSET = 13;
    /** The ONNX IR version that goes with operator set 13. */
    private static final int IR_VERSION = 7;

    private final GraphProto.Builder g;
    /** Intermediate values are named x1, x2, ... */
    private int values;

    private OnnxExporter(GraphProto.Builder g) {
        this.g = g;
    }

    /** Writes {@code model} to {@code file} atomically (the file keeps its old content if anything fails). */
    public static void save(Sequential model, Map<String, String> metadata, Path file) throws IOException {
        byte[] bytes = toOnnx(model, metadata).toByteArray();
        AtomicFile.write(file, bytes);
    }

    /** The ONNX model; throws IllegalArgumentException naming every layer that has no ONNX counterpart here. */
    public static ModelProto toOnnx(Sequential model, Map<String, String> metadata) {
        List<String> unsupported = new ArrayList<>();
        findUnsupported(model, "", unsupported);
        if (!unsupported.isEmpty()) {
            throw new IllegalArgumentException("cannot export to ONNX: no ONNX mapping for " + String.join(", ",
                    unsupported));
        }
        GraphProto.Builder g = GraphProto.newBuilder().setName("cnn4j");
        Shape in = model.sampleShape().prepend(1);
        g.addInput(valueInfo("input", in));
        if (new OnnxExporter(g).emit(model, "", "input").equals("input")) {
            g.addNode(NodeProto.newBuilder().setOpType("Identity").setName("identity").addInput("input")
                    .addOutput("output"));
        } else {
            // every layer's last node computes its result, so the graph's last node computes the model's output
            g.getNodeBuilder(g.getNodeCount() - 1).setOutput(0, "output");
        }
        g.addOutput(valueInfo("output", model.outputShape(in)));
        ModelProto.Builder m = ModelProto.newBuilder().setIrVersion(IR_VERSION).setProducerName("cnn4j")
                .setGraph(g).addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET));
        metadata.forEach((k, v) -> m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return m.build();
    }

    private static final List<String> CONTAINERS = List.of("Sequential", "Residual", "Concat");
    private static final List<String> EXPORTABLE = List.of("Conv2d", "Linear", "BatchNorm1d", "BatchNorm2d", "ReLU",
            "LeakyReLU", "Sigmoid", "Tanh", "MaxPool2d", "AvgPool2d", "GlobalAvgPool2d", "Flatten", "Dropout",
            "Softmax");

    /** Adds "layer PATH (TYPE)" for every layer under {@code layer} that has no ONNX mapping. */
    private static void findUnsupported(Layer layer, String path, List<String> out) {
        String type = layer.spec().type();
        if (CONTAINERS.contains(type)) {
            layer.children().forEach((name, child) -> findUnsupported(child, child(path, name), out));
        } else if (!EXPORTABLE.contains(type)) {
            out.add("layer " + path + " (" + type + ")");
        }
    }

    /** The name of a child layer: its parameter-name prefix without the final dot ("3.body.0"). */
    private static String child(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /** Adds the nodes computing {@code layer} (named by its path) on value {@code x}; returns its output value. */
    private String emit(Layer layer, String path, String x) {
        return switch (layer) {
            case Sequential seq -> {
                String y = x;
                for (Map.Entry<String, Layer> e : seq.children().entrySet()) {
                    y = emit(e.getValue(), child(path, e.getKey()), y);
                }
                yield y;
            }
            case Residual r -> {
                String body = emit(r.body(), child(path, "body"), x);
                String shortcut = r.shortcut() == null ? x : emit(r.shortcut(), child(path, "shortcut"), x);
                yield node(path, "Add", List.of(body, shortcut));
            }
            case Concat c -> {
                String body = emit(c.body(), child(path, "body"), x);
                yield node(path, "Concat", List.of(x, body), intAttr("axis", 1));
            }
            case GlobalAvgPool2d _ -> node(path, "Flatten", List.of(node(path, "GlobalAveragePool", List.of(x))),
                    intAttr("axis", 1));
            default -> addNode(layer, path, x);
        };
    }

    /** Adds a node of the given op on the given inputs, named path_op; returns its (new) output value. */
    private String node(String path, String op, List<String> inputs, AttributeProto... attributes) {
        String y = "x" + ++values;
        g.addNode(NodeProto.newBuilder().setName(path + "_" + op).setOpType(op).addAllInput(inputs).addOutput(y)
                .addAllAttribute(List.of(attributes)));
        return y;
    }

    private String addNode(Layer layer, String path, String x) {
        LayerSpec spec = layer.spec();
        String y = "x" + ++values;
        NodeProto.Builder n = NodeProto.newBuilder().setName(path + "_" + spec.type()).addInput(x).addOutput(y);
        List<String> params = new ArrayList<>();
        for (Parameter p : layer.parameters()) {
            String name = path + "." + p.name();
            g.addInitializer(TensorData.toProto(name, p.value()));
            params.add(name);
        }
        n.addAllInput(params);
        switch (spec.type()) {
            case "Conv2d" -> {
                int[] k = spec.getInts("kernel");
                int s = spec.getInt("stride");
                int p = spec.getInt("padding");
                int d = spec.getInt("dilation");
                n.setOpType("Conv").addAttribute(ints("kernel_shape", k[0], k[1])).addAttribute(ints("strides", s, s))
                        .addAttribute(ints("pads", p, p, p, p)).addAttribute(ints("dilations", d, d));
            }
            case "Linear" -> n.setOpType("Gemm").addAttribute(intAttr("transB", 1));
            case "BatchNorm1d", "BatchNorm2d" -> n.setOpType("BatchNormalization")
                    .addAttribute(floatAttr("epsilon", spec.getDouble("eps")))
                    .addAttribute(floatAttr("momentum", 1 - spec.getDouble("momentum")));
            case "ReLU" -> n.setOpType("Relu");
            case "LeakyReLU" -> n.setOpType("LeakyRelu").addAttribute(floatAttr("alpha", spec.getDouble("negativeSlope")));
            case "Sigmoid" -> n.setOpType("Sigmoid");
            case "Tanh" -> n.setOpType("Tanh");
            case "MaxPool2d", "AvgPool2d" -> {
                int k = spec.getInt("kernel");
                int s = spec.getInt("stride");
                int p = spec.getInt("padding");
                boolean max = spec.type().equals("MaxPool2d");
                n.setOpType(max ? "MaxPool" : "AveragePool").addAttribute(ints("kernel_shape", k, k))
                        .addAttribute(ints("strides", s, s)).addAttribute(ints("pads", p, p, p, p))
                        .addAttribute(intAttr("ceil_mode", spec.getBoolean("ceilMode") ? 1 : 0));
                if (max) {
                    int d = spec.getInt("dilation");
                    n.addAttribute(ints("dilations", d, d));
                } else {
                    n.addAttribute(intAttr("count_include_pad", spec.getBoolean("countIncludePad") ? 1 : 0));
                }
            }
            case "Flatten" -> n.setOpType("Flatten").addAttribute(intAttr("axis", 1));
            case "Dropout" -> {
                String ratio = path + ".ratio";
                g.addInitializer(TensorData.toProto(ratio, Tensor.full(Shape.of(), (float) spec.getDouble("p"))));
                n.setOpType("Dropout").addInput(ratio);
            }
            case "Softmax" -> n.setOpType("Softmax").addAttribute(intAttr("axis", -1));
            default -> throw new IllegalStateException("no ONNX mapping for " + spec.type()); // excluded by EXPORTABLE
        }
        g.addNode(n);
        return y;
    }

    private static ValueInfoProto valueInfo(String name, Shape s) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"));
        for (int i = 1; i < s.rank(); i++) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(s.dim(i)));
        }
        TypeProto type = TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                .setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape)).build();
        return ValueInfoProto.newBuilder().setName(name).setType(type).build();
    }

    private static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    private static AttributeProto intAttr(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    private static AttributeProto floatAttr(String name, double value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT)
                .setF((float) value).build();
    }
}
