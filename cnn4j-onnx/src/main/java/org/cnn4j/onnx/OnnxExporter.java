package org.cnn4j.onnx;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cnn4j.io.AtomicFile;
import org.cnn4j.nn.Layer;
import org.cnn4j.nn.LayerSpec;
import org.cnn4j.nn.Parameter;
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
 * over the last axis), the weights as initializers under their PyTorch-style names ("0.weight"), a symbolic batch
 * dimension "N", and the model's metadata (such as its input normalization) as metadata properties, which
 * {@link OnnxImporter} reads back. Nested Sequentials are flattened.
 */
public final class OnnxExporter {
    public static final int OPSET = 13;
    /** The ONNX IR version that goes with operator set 13. */
    private static final int IR_VERSION = 7;

    private OnnxExporter() {
    }

    /** Writes {@code model} to {@code file} atomically (the file keeps its old content if anything fails). */
    public static void save(Sequential model, Map<String, String> metadata, Path file) throws IOException {
        byte[] bytes = toOnnx(model, metadata).toByteArray();
        AtomicFile.write(file, bytes);
    }

    /** The ONNX model; throws IllegalArgumentException naming every layer that has no ONNX counterpart here. */
    public static ModelProto toOnnx(Sequential model, Map<String, String> metadata) {
        List<Layer> flat = new ArrayList<>();
        flatten(model, flat);
        List<String> unsupported = new ArrayList<>();
        for (int i = 0; i < flat.size(); i++) {
            if (!EXPORTABLE.contains(flat.get(i).spec().type())) {
                unsupported.add("layer " + i + " (" + flat.get(i).spec().type() + ")");
            }
        }
        if (!unsupported.isEmpty()) {
            throw new IllegalArgumentException("cannot export to ONNX: no ONNX mapping for " + String.join(", ",
                    unsupported));
        }
        GraphProto.Builder g = GraphProto.newBuilder().setName("cnn4j");
        Shape in = model.sampleShape().prepend(1);
        g.addInput(valueInfo("input", in));
        String x = "input";
        Shape s = in;
        for (int i = 0; i < flat.size(); i++) {
            Layer layer = flat.get(i);
            String y = i == flat.size() - 1 ? "output" : "x" + (i + 1);
            addNode(g, layer, i, x, y);
            s = layer.outputShape(s);
            x = y;
        }
        if (flat.isEmpty()) {
            g.addNode(NodeProto.newBuilder().setOpType("Identity").setName("identity").addInput("input")
                    .addOutput("output"));
        }
        g.addOutput(valueInfo("output", s));
        ModelProto.Builder m = ModelProto.newBuilder().setIrVersion(IR_VERSION).setProducerName("cnn4j")
                .setGraph(g).addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET));
        metadata.forEach((k, v) -> m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return m.build();
    }

    private static final List<String> EXPORTABLE = List.of("Conv2d", "Linear", "BatchNorm1d", "BatchNorm2d", "ReLU",
            "LeakyReLU", "Sigmoid", "Tanh", "MaxPool2d", "AvgPool2d", "Flatten", "Dropout", "Softmax");

    private static void flatten(Layer layer, List<Layer> out) {
        if (layer instanceof Sequential seq) {
            for (Layer l : seq.layers()) {
                flatten(l, out);
            }
        } else {
            out.add(layer);
        }
    }

    private static void addNode(GraphProto.Builder g, Layer layer, int index, String x, String y) {
        LayerSpec spec = layer.spec();
        NodeProto.Builder n = NodeProto.newBuilder().setName(index + "_" + spec.type()).addInput(x).addOutput(y);
        List<String> params = new ArrayList<>();
        for (Parameter p : layer.parameters()) {
            String name = index + "." + p.name();
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
                String ratio = index + ".ratio";
                g.addInitializer(TensorData.toProto(ratio, Tensor.full(Shape.of(), (float) spec.getDouble("p"))));
                n.setOpType("Dropout").addInput(ratio);
            }
            case "Softmax" -> n.setOpType("Softmax").addAttribute(intAttr("axis", -1));
            default -> throw new IllegalStateException("no ONNX mapping for " + spec.type()); // excluded by EXPORTABLE
        }
        g.addNode(n);
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
