package org.cnn4j.onnx;

import static org.cnn4j.onnx.UnsupportedOnnxException.quote;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cnn4j.io.LoadedModel;
import org.cnn4j.io.ModelFormatException;
import org.cnn4j.nn.AvgPool2d;
import org.cnn4j.nn.BatchNorm;
import org.cnn4j.nn.BatchNorm1d;
import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.Concat;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Dropout;
import org.cnn4j.nn.Flatten;
import org.cnn4j.nn.GlobalAvgPool2d;
import org.cnn4j.nn.Layer;
import org.cnn4j.nn.LeakyReLU;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.MaxPool2d;
import org.cnn4j.nn.Parameter;
import org.cnn4j.nn.ReLU;
import org.cnn4j.nn.Residual;
import org.cnn4j.nn.Sequential;
import org.cnn4j.nn.Sigmoid;
import org.cnn4j.nn.Softmax;
import org.cnn4j.nn.Tanh;
import org.cnn4j.onnx.proto.Onnx.AttributeProto;
import org.cnn4j.onnx.proto.Onnx.GraphProto;
import org.cnn4j.onnx.proto.Onnx.ModelProto;
import org.cnn4j.onnx.proto.Onnx.NodeProto;
import org.cnn4j.onnx.proto.Onnx.OperatorSetIdProto;
import org.cnn4j.onnx.proto.Onnx.StringStringEntryProto;
import org.cnn4j.onnx.proto.Onnx.TensorProto;
import org.cnn4j.onnx.proto.Onnx.TensorShapeProto;
import org.cnn4j.onnx.proto.Onnx.ValueInfoProto;
import org.cnn4j.tensor.Shape;

/**
 * Turns an ONNX model into an ordinary cnn4j model: a {@link Sequential} of cnn4j layers holding the ONNX weights,
 * which can then be evaluated, saved as a .cnn4j file or trained further.
 *
 * <p>How: the graph's nodes are sorted topologically (a cycle, or a value nothing produces, is an error), nodes that
 * compute only on constants (Constant, Identity) are evaluated, then the graph is walked from the one runtime input.
 * Every operator either becomes a layer (Conv -> Conv2d, Gemm/MatMul -> Linear, BatchNormalization ->
 * BatchNorm1d/2d, GlobalAveragePool and Flatten -> GlobalAvgPool2d, ...), folds into its neighbour (an Add or Mul of a
 * per-channel constant after Conv, Gemm or MatMul becomes the bias or scales the weights; a zero Pad before Conv or
 * AveragePool becomes their padding), or disappears (Identity, Dropout in inference, Constant, a Reshape or Flatten
 * that keeps the shape). Before anything is built, every node is checked; an unsupported model fails with one
 * {@link UnsupportedOnnxException} listing every unsupported node and its op.
 *
 * <p>Branches: a value read by several nodes starts branches, each walked as a chain of its own until it reaches a
 * node with several computed inputs. When exactly two branches meet at one node, that join becomes a container:
 * an Add a {@link Residual} (ResNet: body(x) + shortcut(x), the shortcut empty for the identity), a Concat on the
 * channels of the branch point itself and the other branch's end a {@link Concat} (DenseNet: concat(x, body(x))).
 * Branches nest (a block inside a body), and a dense block is simply a run of Concats. Other graphs (a Concat of
 * several earlier layers' outputs, a branch that never joins) are reported as unsupported.
 *
 * <p>Operator sets up to {@value #MAX_OPSET} of the default domain are read, with each operator's inputs, attributes
 * and defaults as of the model's opset (for example Softmax's axis, 1 before opset 13 and -1 from 13; Reshape's shape
 * and Pad's pads as attributes in early opsets and as inputs later).
 */
public final class OnnxImporter {
    /** The newest operator set whose semantics this importer knows. */
    public static final int MAX_OPSET = 17;
    /** The oldest operator set accepted: where an operator changed, the importer follows the model's version. */
    public static final int MIN_OPSET = 1;

    /** Operators that can map onto cnn4j layers (depending on their attributes and neighbours). */
    static final Set<String> OPS = Set.of("Conv", "Gemm", "MatMul", "Add", "Mul", "Relu", "LeakyRelu", "Sigmoid",
            "Tanh", "MaxPool", "AveragePool", "GlobalAveragePool", "BatchNormalization", "Concat", "Flatten",
            "Reshape", "Softmax", "Dropout", "Identity", "Constant", "Pad");

    private final ModelProto model;
    private final int opset;
    private final List<NodeProto> nodes;
    private final Map<String, TensorData> constants = new HashMap<>();
    private final Map<String, List<Integer>> consumers = new HashMap<>();
    private final String output;
    /**
     * The chain being built: its layers, the value it has reached and that value's shape (batch first); and a zero
     * Pad waiting to fold into the next node.
     */
    private List<Layer> layers;
    private String tip;
    private Shape shape;
    private int pendingPad;

    private OnnxImporter(ModelProto model, Map<String, TensorData> bound) {
        this.model = model;
        if (!model.hasGraph()) {
            throw new ModelFormatException("the ONNX model has no graph");
        }
        GraphProto g = model.getGraph();
        this.opset = opset(model);
        this.nodes = g.getNodeList();
        if (g.getSparseInitializerCount() > 0) {
            throw new UnsupportedOnnxException("sparse initializers are not supported");
        }
        for (TensorProto t : g.getInitializerList()) {
            constants.put(t.getName(), TensorData.of(t, "initializer " + quote(t.getName())));
        }
        constants.putAll(bound);
        if (g.getOutputCount() != 1) {
            throw new UnsupportedOnnxException("the graph has " + g.getOutputCount()
                    + " outputs; a cnn4j model has one");
        }
        this.output = g.getOutput(0).getName();
        for (int i = 0; i < nodes.size(); i++) {
            for (String in : new LinkedHashSet<>(nodes.get(i).getInputList())) {
                consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(i);
            }
        }
    }

    /** Reads and imports an .onnx file; errors name the file. */
    public static LoadedModel load(Path file) throws IOException {
        ModelProto m = OnnxFiles.readModel(file);
        try {
            return importModel(m, Map.of(), null);
        } catch (UnsupportedOnnxException e) {
            throw new UnsupportedOnnxException(e.getMessage() + " (" + file + ")");
        } catch (ModelFormatException e) {
            throw new ModelFormatException("invalid ONNX model: " + e.getMessage() + " (" + file + ")");
        }
    }

    /**
     * Imports a parsed model. Metadata properties of the model become the metadata of the result (an exported cnn4j
     * model keeps its input normalization there).
     *
     * @param bound values for graph inputs that are to be constants (the backend-test runner binds every input but
     *              the first this way, since backend tests feed weights as inputs)
     * @param inputShape the input's shape with its batch dimension, or null to take it from the graph (where the
     *              batch dimension may be symbolic)
     * @throws UnsupportedOnnxException if the model uses what cnn4j cannot represent
     * @throws ModelFormatException if the model is inconsistent (cycles, missing values, wrong sizes)
     */
    public static LoadedModel importModel(ModelProto model, Map<String, TensorData> bound, Shape inputShape) {
        OnnxImporter im = new OnnxImporter(model, bound);
        Sequential seq = im.build(inputShape);
        Map<String, String> meta = new LinkedHashMap<>();
        for (StringStringEntryProto e : model.getMetadataPropsList()) {
            meta.put(e.getKey(), e.getValue());
        }
        return new LoadedModel(seq, meta);
    }

    private static int opset(ModelProto m) {
        Integer v = null;
        for (OperatorSetIdProto o : m.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                v = (int) Math.min(Integer.MAX_VALUE, Math.max(Integer.MIN_VALUE, o.getVersion()));
            }
        }
        if (v == null) {
            throw new ModelFormatException("the model imports no version of the standard ONNX operator set");
        }
        if (v < MIN_OPSET || v > MAX_OPSET) {
            throw new UnsupportedOnnxException("the model uses ONNX operator set " + v + "; cnn4j reads " + MIN_OPSET
                    + " to " + MAX_OPSET);
        }
        return v;
    }

    private Sequential build(Shape inputShape) {
        checkOps();
        String input = runtimeInput();
        Shape first = inputShape != null ? inputShape : declaredShape(input);
        if (first.rank() < 2) {
            throw new UnsupportedOnnxException("the input " + quote(input) + " has shape " + first
                    + "; cnn4j models take a batch dimension and at least one more");
        }
        for (int i : topologicalOrder(input)) {
            if (liveInputs(i).isEmpty()) {
                constantNode(i);
            }
        }
        Chain model = chain(input, first, -1);
        if (!output.equals(model.end())) {
            throw new UnsupportedOnnxException("the graph output " + quote(output)
                    + (constants.containsKey(output) ? " is a constant" : " is not reached from the input (the"
                    + " layers end at " + quote(model.end()) + ")"));
        }
        try {
            return new Sequential(first.dropFirst(), model.layers());
        } catch (IllegalArgumentException e) {
            throw new UnsupportedOnnxException("the imported layers do not fit together: " + e.getMessage());
        }
    }

    /** A run of layers from a value up to the graph output or a join node, and where it ended. */
    private record Chain(List<Layer> layers, String end, int join) {
    }

    /**
     * Follows the graph from {@code start} (of shape {@code in}), mapping each node onto layers, until the graph
     * output, a value that nothing reads, or a node joining several computed values (which is not mapped: the
     * caller joins the branches). A value read by several nodes starts branches, which {@link #branch} maps onto a
     * container before the walk goes on from the join's output.
     *
     * @param first the node to start with (one branch of several from {@code start}), or -1 for start's one reader
     */
    private Chain chain(String start, Shape in, int first) {
        List<Layer> outerLayers = layers;
        String outerTip = tip;
        Shape outerShape = shape;
        layers = new ArrayList<>();
        tip = start;
        shape = in;
        try {
            int next = first;
            while (true) {
                if (next < 0) {
                    List<Integer> readers = consumers.getOrDefault(tip, List.of());
                    if (tip.equals(output) && !readers.isEmpty()) {
                        throw new UnsupportedOnnxException("the graph output " + quote(output) + " also feeds "
                                + readers.size() + " node" + (readers.size() > 1 ? "s" : "") + " (" + describe(
                                readers.get(0)) + "); a cnn4j model's output is its last layer's");
                    }
                    if (readers.isEmpty()) {
                        return new Chain(layers, tip, -1);
                    }
                    if (readers.size() > 1) {
                        branch(readers);
                        continue;
                    }
                    next = readers.get(0);
                }
                if (liveInputs(next).size() > 1) {
                    return new Chain(layers, tip, next);
                }
                map(next);
                next = -1;
            }
        } finally {
            layers = outerLayers;
            tip = outerTip;
            shape = outerShape;
        }
    }

    /**
     * Maps the branches leaving the tip, and the node that joins them, onto one container layer: an Add of the
     * two becomes a {@link Residual}, a Concat of the tip and the other branch's end along the channels a
     * {@link Concat}. Each branch becomes a Sequential (an empty branch is the identity). Any other shape of graph,
     * such as a Concat of the outputs of several earlier layers, is reported as unsupported.
     */
    private void branch(List<Integer> readers) {
        String from = tip;
        Map<String, Chain> arms = new HashMap<>();
        int join = -1;
        for (int r : readers) {
            Chain arm = chain(from, shape, r);
            if (arm.join() < 0) {
                throw new UnsupportedOnnxException("the branch from " + quote(from) + " through " + describe(r)
                        + " ends at " + quote(arm.end()) + (arm.end().equals(output) ? " (the graph output)" : "")
                        + " without joining the others; cnn4j's Residual and Concat join the branches of a block");
            }
            if (join >= 0 && arm.join() != join) {
                throw unsupported(arm.join(), "and " + describe(join) + " join different branches from "
                        + quote(from) + "; cnn4j's Residual and Concat join two branches of one value at one node");
            }
            join = arm.join();
            arms.put(arm.end(), arm);
        }
        List<String> joined = liveInputs(join);
        if (joined.size() != 2 || !arms.keySet().equals(Set.copyOf(joined))) {
            throw unsupported(join, "joins " + String.join(", ", joined.stream().map(UnsupportedOnnxException::quote)
                    .toList()) + ", not the two branches from " + quote(from) + "; cnn4j's Residual and Concat join"
                    + " two branches of one value");
        }
        Chain first = arms.get(joined.get(0));
        Chain second = arms.get(joined.get(1));
        Layer block = switch (nodes.get(join).getOpType()) {
            case "Add" -> residual(first, second);
            case "Concat" -> concat(join, first, second);
            default -> throw unsupported(join, "joins two branches; cnn4j joins them with Add (Residual) or Concat"
                    + " (Concat) only");
        };
        try {
            tip = add(block, join);
        } catch (IllegalArgumentException e) {
            throw unsupported(join, e.getMessage());
        }
    }

    /** The Add's first input is the body (PyTorch writes body(x) + shortcut(x) so) unless it is the identity. */
    private static Residual residual(Chain first, Chain second) {
        Chain body = first.layers().isEmpty() ? second : first;
        Chain shortcut = body == first ? second : first;
        return new Residual(new Sequential(body.layers()),
                shortcut.layers().isEmpty() ? null : new Sequential(shortcut.layers()));
    }

    private Concat concat(int join, Chain first, Chain second) {
        NodeProto n = nodes.get(join);
        int axis = axis(join, 1);
        if (axis != 1) {
            throw unsupported(join, "concatenates along axis " + axis + "; cnn4j's Concat joins channels (axis 1)");
        }
        if (n.getInputCount() != 2 || !first.layers().isEmpty()) {
            throw unsupported(join, "concatenates " + String.join(", ", n.getInputList().stream()
                    .map(UnsupportedOnnxException::quote).toList()) + "; cnn4j's Concat puts a block's input first"
                    + " and its body's output second");
        }
        return new Concat(new Sequential(second.layers()));
    }

    /** The distinct inputs of node {@code i} that are computed (not constants), in order. */
    private List<String> liveInputs(int i) {
        List<String> live = new ArrayList<>();
        for (String in : nodes.get(i).getInputList()) {
            if (!in.isEmpty() && !constants.containsKey(in) && !live.contains(in)) {
                live.add(in);
            }
        }
        return live;
    }

    /** Lists every node whose operator cannot be mapped at all, in one error. */
    private void checkOps() {
        List<String> bad = new ArrayList<>();
        Set<String> ops = new LinkedHashSet<>();
        for (int i = 0; i < nodes.size(); i++) {
            NodeProto n = nodes.get(i);
            boolean standard = n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx");
            if (!standard || !OPS.contains(n.getOpType())) {
                bad.add(describe(i));
                ops.add(quote(standard ? n.getOpType() : n.getDomain() + "." + n.getOpType()));
            }
        }
        if (!bad.isEmpty()) {
            int shown = Math.min(bad.size(), 20);
            throw new UnsupportedOnnxException("unsupported ONNX operator" + (ops.size() > 1 ? "s " : " ")
                    + String.join(", ", ops) + " in " + bad.size() + " node" + (bad.size() > 1 ? "s: " : ": ")
                    + String.join(", ", bad.subList(0, shown)) + (bad.size() > shown ? ", ..." : ""));
        }
    }

    /** The one graph input that is not a constant: the model's input. */
    private String runtimeInput() {
        List<String> inputs = new ArrayList<>();
        for (ValueInfoProto v : model.getGraph().getInputList()) {
            if (!constants.containsKey(v.getName())) {
                inputs.add(v.getName());
            }
        }
        if (inputs.size() != 1) {
            throw new UnsupportedOnnxException("the graph has " + inputs.size() + " runtime inputs"
                    + (inputs.isEmpty() ? "" : " (" + String.join(", ", inputs.stream().map(UnsupportedOnnxException::quote)
                    .toList()) + ")") + "; a cnn4j model has one");
        }
        return inputs.get(0);
    }

    /** The input's declared shape; a symbolic or missing first (batch) dimension is taken as 1. */
    private Shape declaredShape(String input) {
        ValueInfoProto v = model.getGraph().getInputList().stream().filter(i -> i.getName().equals(input))
                .findFirst().orElseThrow();
        if (!v.getType().hasTensorType() || !v.getType().getTensorType().hasShape()) {
            throw new UnsupportedOnnxException("the input " + quote(input) + " has no declared tensor shape");
        }
        int elem = v.getType().getTensorType().getElemType();
        if (elem != TensorProto.DataType.FLOAT_VALUE) {
            throw new UnsupportedOnnxException("the input " + quote(input) + " has element type "
                    + TensorProto.DataType.forNumber(elem) + "; cnn4j models take float");
        }
        List<TensorShapeProto.Dimension> dims = v.getType().getTensorType().getShape().getDimList();
        int[] d = new int[dims.size()];
        for (int i = 0; i < d.length; i++) {
            long value = dims.get(i).hasDimValue() ? dims.get(i).getDimValue() : -1;
            if (i == 0 && value < 1) {
                value = 1;
            }
            if (value < 1 || value > Integer.MAX_VALUE) {
                throw new UnsupportedOnnxException("the input " + quote(input) + " has dimension " + i + " of size "
                        + (value < 0 ? "unknown" : value) + "; cnn4j needs every dimension but the batch fixed");
            }
            d[i] = (int) value;
        }
        return Shape.of(d);
    }

    /** Kahn's algorithm over the nodes; reports cycles and values that nothing produces. */
    private List<Integer> topologicalOrder(String input) {
        Map<String, Integer> producer = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            for (String out : nodes.get(i).getOutputList()) {
                if (!out.isEmpty() && (producer.put(out, i) != null || constants.containsKey(out) || out.equals(input))) {
                    throw new ModelFormatException("value " + quote(out) + " is defined more than once");
                }
            }
        }
        int[] missing = new int[nodes.size()];
        Deque<Integer> ready = new ArrayDeque<>();
        for (int i = 0; i < nodes.size(); i++) {
            for (String in : new LinkedHashSet<>(nodes.get(i).getInputList())) {
                if (in.isEmpty() || constants.containsKey(in) || in.equals(input)) {
                    continue;
                }
                if (!producer.containsKey(in)) {
                    throw new ModelFormatException(describe(i) + " uses value " + quote(in) + ", which nothing defines");
                }
                missing[i]++;
            }
            if (missing[i] == 0) {
                ready.add(i);
            }
        }
        List<Integer> order = new ArrayList<>(nodes.size());
        while (!ready.isEmpty()) {
            int i = ready.poll();
            order.add(i);
            for (String out : new LinkedHashSet<>(nodes.get(i).getOutputList())) {
                for (int c : consumers.getOrDefault(out, List.of())) {
                    if (--missing[c] == 0) {
                        ready.add(c);
                    }
                }
            }
        }
        if (order.size() < nodes.size()) {
            int stuck = 0;
            while (missing[stuck] == 0) {
                stuck++;
            }
            throw new ModelFormatException("the graph has a cycle (through " + describe(stuck) + ")");
        }
        return order;
    }

    /**
     * Maps node {@code i}, whose one computed input is the tip (read by this node only), onto layers, or folds it
     * away; the chain's tip and shape move past it.
     */
    private void map(int i) {
        NodeProto n = nodes.get(i);
        if (pendingPad > 0 && !n.getOpType().equals("Conv") && !n.getOpType().equals("AveragePool")) {
            throw unsupported(i, "follows a Pad: Pad is supported only right before Conv or AveragePool");
        }
        if (!n.getInput(0).equals(tip) && !n.getOpType().equals("Add") && !n.getOpType().equals("Mul")) {
            throw unsupported(i, "takes the model's data as input " + n.getInputList().indexOf(tip)
                    + "; cnn4j supports it as input 0");
        }
        if (n.getOutputCount() > 1) {
            for (int k = 1; k < n.getOutputCount(); k++) {
                if (consumers.containsKey(n.getOutput(k)) || n.getOutput(k).equals(output)) {
                    throw unsupported(i, "uses its optional output " + k + ", which cnn4j does not compute");
                }
            }
        }
        try {
            String out = switch (n.getOpType()) {
                case "Relu" -> add(new ReLU(), i);
                case "Sigmoid" -> add(new Sigmoid(), i);
                case "Tanh" -> add(new Tanh(), i);
                case "LeakyRelu" -> add(new LeakyReLU(attrFloat(n, "alpha", 0.01)), i);
                case "Identity" -> n.getOutput(0);
                case "Dropout" -> dropout(i);
                case "Softmax" -> softmax(i);
                case "Flatten" -> flatten(i);
                case "Reshape" -> reshape(i);
                case "Conv" -> conv(i);
                case "Gemm" -> gemm(i);
                case "MatMul" -> matmul(i);
                case "BatchNormalization" -> batchNorm(i);
                case "MaxPool", "AveragePool" -> pool(i);
                case "GlobalAveragePool" -> globalAveragePool(i);
                case "Pad" -> pad(i);
                case "Add" -> throw unsupported(i, "is supported as a per-channel bias right after Conv, Gemm or"
                        + " MatMul, or as the join of a residual block");
                case "Mul" -> throw unsupported(i, "is supported as a per-channel scale right after Conv, Gemm or"
                        + " MatMul");
                case "Concat" -> throw unsupported(i, "is supported as the join of a dense block (its input and its"
                        + " body's output), not with constants");
                default -> throw unsupported(i, "is not supported");
            };
            tip = out;
        } catch (IllegalArgumentException e) {
            throw unsupported(i, e.getMessage());
        }
    }

    private void constantNode(int i) {
        NodeProto n = nodes.get(i);
        String what = describe(i);
        TensorData value = switch (n.getOpType()) {
            case "Constant" -> constantValue(n, what);
            case "Identity" -> constants.get(n.getInput(0));
            default -> throw unsupported(i, "computes on constants only (cnn4j does not fold constants)");
        };
        constants.put(n.getOutput(0), value);
    }

    private TensorData constantValue(NodeProto n, String what) {
        if (n.getAttributeCount() != 1) {
            throw new ModelFormatException(what + " must have exactly one value attribute");
        }
        AttributeProto a = n.getAttribute(0);
        return switch (a.getName()) {
            case "value" -> TensorData.of(a.getT(), what);
            case "value_float" -> new TensorData(new int[0], new float[] {a.getF()}, null);
            case "value_floats" -> floats(a);
            case "value_int" -> new TensorData(new int[0], null, new long[] {a.getI()});
            case "value_ints" -> new TensorData(new int[] {a.getIntsCount()}, null,
                    a.getIntsList().stream().mapToLong(Long::longValue).toArray());
            default -> throw new UnsupportedOnnxException(what + " has a " + quote(a.getName()) + " value");
        };
    }

    private static TensorData floats(AttributeProto a) {
        float[] f = new float[a.getFloatsCount()];
        for (int k = 0; k < f.length; k++) {
            f[k] = a.getFloats(k);
        }
        return new TensorData(new int[] {f.length}, f, null);
    }

    /** Appends a layer to the chain being built; returns node i's output, now the tip. */
    private String add(Layer layer, int i) {
        shape = layer.outputShape(shape);
        layers.add(layer);
        return nodes.get(i).getOutput(0);
    }

    private String dropout(int i) {
        NodeProto n = nodes.get(i);
        double ratio = opset >= 12 ? optionalScalar(i, 1, 0.5) : attrFloat(n, "ratio", 0.5);
        if (opset >= 12 && optionalScalar(i, 2, 0) != 0 || opset < 7 && attrInt(n, "is_test", 0) == 0) {
            throw unsupported(i, "runs in training mode");
        }
        return add(new Dropout(ratio), i);
    }

    private String softmax(int i) {
        int axis = axis(i, opset >= 13 ? -1 : 1);
        if (axis != shape.rank() - 1) {
            throw unsupported(i, "has axis " + axis + " on a rank-" + shape.rank() + " input; cnn4j's Softmax works"
                    + " over the last dimension");
        }
        return add(new Softmax(), i);
    }

    private String flatten(int i) {
        int axis = axis(i, 1);
        if (axis != 1) {
            throw unsupported(i, "has axis " + axis + "; cnn4j's Flatten keeps the batch dimension (axis 1)");
        }
        return shape.rank() == 2 ? nodes.get(i).getOutput(0) : add(new Flatten(), i);
    }

    private String reshape(int i) {
        NodeProto n = nodes.get(i);
        long[] target = opset >= 5 ? constant(i, 1, "shape").ints(describe(i) + " shape")
                : attrInts(n, "shape", new long[0]);
        boolean allowZero = attrInt(n, "allowzero", 0) != 0;
        long[] dims = new long[target.length];
        int unknown = -1;
        long known = 1;
        for (int k = 0; k < target.length; k++) {
            long t = target[k];
            if (t == 0 && !allowZero) {
                if (k >= shape.rank()) {
                    throw unsupported(i, "copies dimension " + k + " that the input does not have");
                }
                t = shape.dim(k);
            }
            if (t == -1 && unknown < 0) {
                unknown = k;
            } else if (t < 0) {
                throw unsupported(i, "has an invalid target shape " + Arrays.toString(target));
            } else {
                known = Math.multiplyExact(known, Math.max(t, 1));
            }
            dims[k] = t;
        }
        if (unknown >= 0) {
            dims[unknown] = shape.size() / known;
        }
        long[] flat = {shape.dim(0), shape.size() / Math.max(shape.dim(0), 1)};
        if (Arrays.equals(dims, Arrays.stream(shape.dims()).asLongStream().toArray())) {
            return n.getOutput(0);
        }
        if (Arrays.equals(dims, flat)) {
            return add(new Flatten(), i);
        }
        throw unsupported(i, "reshapes " + shape + " to " + Arrays.toString(dims) + "; cnn4j supports reshaping to"
                + " (batch, features) only, as Flatten");
    }

    private String conv(int i) {
        NodeProto n = nodes.get(i);
        requireRank(i, 4);
        TensorData w = constant(i, 1, "weight");
        if (w.dims().length != 4 || !w.isFloat()) {
            throw unsupported(i, "has a weight of shape " + Arrays.toString(w.dims()) + "; cnn4j supports 2D"
                    + " convolutions of float data");
        }
        long group = attrInt(n, "group", 1);
        if (group != 1) {
            throw unsupported(i, "has group " + group + "; cnn4j's Conv2d supports group 1 only");
        }
        int out = w.dims()[0];
        int kh = w.dims()[2];
        int kw = w.dims()[3];
        requireKernel(i, kh, kw);
        int stride = same(i, "strides", attrInts(n, "strides", new long[] {1, 1}));
        int dilation = same(i, "dilations", attrInts(n, "dilations", new long[] {1, 1}));
        int padding = symmetricPadding(i, kh, kw, stride, dilation) + pendingPad;
        pendingPad = 0;
        float[] bias = n.getInputCount() > 2 && !n.getInput(2).isEmpty() ? constant(i, 2, "bias").floats().clone() : null;
        float[] weight = w.floats().clone();
        Affine fused = foldAffine(i, out, weight, bias);
        Conv2d conv = new Conv2d(shape.dim(1), out, kh, kw, stride, padding, dilation, fused.bias != null);
        set(conv.weight(), weight);
        if (fused.bias != null) {
            set(conv.bias(), fused.bias);
        }
        add(conv, i);
        return fused.output;
    }

    private String gemm(int i) {
        NodeProto n = nodes.get(i);
        requireRank(i, 2);
        if (attrInt(n, "transA", 0) != 0) {
            throw unsupported(i, "transposes its data input (transA)");
        }
        TensorData b = constant(i, 1, "B");
        if (b.dims().length != 2 || !b.isFloat()) {
            throw unsupported(i, "has a B of shape " + Arrays.toString(b.dims()) + "; expected a float matrix");
        }
        boolean transB = attrInt(n, "transB", 0) != 0;
        float[] weight = transB ? b.floats().clone() : transpose(b.floats(), b.dims()[0], b.dims()[1]);
        int out = transB ? b.dims()[0] : b.dims()[1];
        float alpha = (float) attrFloat(n, "alpha", 1);
        float beta = (float) attrFloat(n, "beta", 1);
        for (int k = 0; k < weight.length; k++) {
            weight[k] *= alpha;
        }
        float[] bias = null;
        if (n.getInputCount() > 2 && !n.getInput(2).isEmpty()) {
            bias = perChannel(constant(i, 2, "C"), out, 2);
            if (bias == null) {
                throw unsupported(i, "has a C that is not one value per output; cnn4j's Linear has a bias vector");
            }
            for (int k = 0; k < bias.length; k++) {
                bias[k] *= beta;
            }
        }
        return linear(i, out, weight, bias);
    }

    private String matmul(int i) {
        requireRank(i, 2);
        TensorData b = constant(i, 1, "B");
        if (b.dims().length != 2 || !b.isFloat()) {
            throw unsupported(i, "has a B of shape " + Arrays.toString(b.dims()) + "; expected a float matrix");
        }
        return linear(i, b.dims()[1], transpose(b.floats(), b.dims()[0], b.dims()[1]), null);
    }

    private String linear(int i, int out, float[] weight, float[] bias) {
        int in = shape.dim(1);
        if (weight.length != (long) in * out) {
            throw unsupported(i, "has a weight of " + weight.length + " values for " + in + " inputs and " + out
                    + " outputs");
        }
        Affine fused = foldAffine(i, out, weight, bias);
        Linear lin = new Linear(in, out, fused.bias != null);
        set(lin.weight(), weight);
        if (fused.bias != null) {
            set(lin.bias(), fused.bias);
        }
        add(lin, i);
        return fused.output;
    }

    /** The bias after folding, and the value the chain has reached: the last folded node's output. */
    private record Affine(float[] bias, String output) {
    }

    /**
     * Folds the Add and Mul nodes that directly follow a Conv or Linear (node {@code i}) and apply a per-channel
     * constant: a Mul scales the weight rows and the bias, an Add adds to the bias. {@code weight} is scaled in place.
     */
    private Affine foldAffine(int i, int channels, float[] weight, float[] bias) {
        String value = nodes.get(i).getOutput(0);
        int rank = shape.rank();
        float[] b = bias;
        while (!value.equals(output) && consumers.getOrDefault(value, List.of()).size() == 1) {
            int next = consumers.get(value).get(0);
            NodeProto m = nodes.get(next);
            boolean isAdd = m.getOpType().equals("Add");
            if (!isAdd && !m.getOpType().equals("Mul") || m.getInputCount() != 2) {
                break;
            }
            String other = m.getInput(0).equals(value) ? m.getInput(1) : m.getInput(0);
            TensorData c = constants.get(other);
            float[] k = c == null ? null : perChannel(c, channels, rank);
            if (k == null) {
                break;
            }
            if (isAdd) {
                b = b == null ? new float[channels] : b;
                for (int ch = 0; ch < channels; ch++) {
                    b[ch] += k[ch];
                }
            } else {
                int row = weight.length / channels;
                for (int ch = 0; ch < channels; ch++) {
                    for (int j = 0; j < row; j++) {
                        weight[ch * row + j] *= k[ch];
                    }
                    if (b != null) {
                        b[ch] *= k[ch];
                    }
                }
            }
            value = m.getOutput(0);
        }
        return new Affine(b, value);
    }

    /**
     * The constant as one value per channel of an output of the given rank (channels at dimension 1), if it
     * broadcasts that way: a scalar, or a shape like (C), (1, C), (C, 1, 1) or (1, C, 1, 1). Null otherwise.
     */
    private static float[] perChannel(TensorData c, int channels, int rank) {
        int[] d = c.dims();
        if (d.length > rank) {
            return null;
        }
        int channelAxis = d.length - (rank - 1); // where dimension 1 of the output lines up in c's dims
        for (int k = 0; k < d.length; k++) {
            if (d[k] != 1 && !(k == channelAxis && d[k] == channels)) {
                return null;
            }
        }
        float[] out = new float[channels];
        boolean perChannel = c.size() == channels && channels > 1;
        for (int ch = 0; ch < channels; ch++) {
            out[ch] = (float) c.value(perChannel ? ch : 0);
        }
        return out;
    }

    private String batchNorm(int i) {
        NodeProto n = nodes.get(i);
        if (attrInt(n, "training_mode", 0) != 0 || opset < 7 && attrInt(n, "is_test", 0) == 0) {
            throw unsupported(i, "runs in training mode");
        }
        if (attrInt(n, "spatial", 1) != 1) {
            throw unsupported(i, "has spatial=0");
        }
        int channels = shape.dim(1);
        double eps = attrFloat(n, "epsilon", 1e-5);
        // ONNX's momentum weighs the old running value, PyTorch's (and cnn4j's) the new batch statistic
        double momentum = BigDecimal.ONE.subtract(BigDecimal.valueOf(attrFloat(n, "momentum", 0.9))).doubleValue();
        BatchNorm bn = switch (shape.rank()) {
            case 2 -> new BatchNorm1d(channels, eps, momentum);
            case 4 -> new BatchNorm2d(channels, eps, momentum);
            default -> throw unsupported(i, "has a rank-" + shape.rank() + " input; cnn4j has BatchNorm1d (N, C) and"
                    + " BatchNorm2d (N, C, H, W)");
        };
        List<Parameter> params = bn.parameters(); // weight, bias, running_mean, running_var: ONNX's input order
        for (int k = 0; k < 4; k++) {
            TensorData t = constant(i, k + 1, List.of("scale", "B", "mean", "var").get(k));
            if (t.size() != channels || !t.isFloat()) {
                throw unsupported(i, "has " + t.size() + " values of input " + (k + 1) + " for " + channels
                        + " channels");
            }
            set(params.get(k), t.floats());
        }
        return add(bn, i);
    }

    private String pool(int i) {
        NodeProto n = nodes.get(i);
        requireRank(i, 4);
        boolean max = n.getOpType().equals("MaxPool");
        long[] k = attrInts(n, "kernel_shape", null);
        if (k == null || k.length != 2) {
            throw unsupported(i, "needs a 2D kernel_shape");
        }
        int kernel = same(i, "kernel_shape", k);
        requireKernel(i, kernel, kernel);
        int stride = same(i, "strides", attrInts(n, "strides", new long[] {1, 1}));
        int dilation = same(i, "dilations", attrInts(n, "dilations", new long[] {1, 1}));
        int padding = symmetricPadding(i, kernel, kernel, stride, dilation);
        boolean ceil = attrInt(n, "ceil_mode", 0) != 0;
        if (max) {
            return add(new MaxPool2d(kernel, stride, padding, dilation, ceil), i);
        }
        if (dilation != 1) {
            throw unsupported(i, "has dilations; cnn4j's AvgPool2d has none");
        }
        boolean countPad = attrInt(n, "count_include_pad", 0) != 0;
        if (pendingPad > 0) {
            if (padding > 0 && !countPad) {
                throw unsupported(i, "combines a Pad with its own padding that is not counted");
            }
            padding += pendingPad;
            countPad = true;
            pendingPad = 0;
        }
        return add(new AvgPool2d(kernel, stride, padding, ceil, countPad), i);
    }

    /**
     * GlobalAveragePool and the Flatten after it (as PyTorch exports adaptive_avg_pool2d(x, 1) and flatten(x, 1))
     * are one GlobalAvgPool2d, for any image size; alone, it is an AvgPool2d over the whole (square) input, which
     * keeps the (N, C, 1, 1) shape.
     */
    private String globalAveragePool(int i) {
        requireRank(i, 4);
        String out = nodes.get(i).getOutput(0);
        List<Integer> next = consumers.getOrDefault(out, List.of());
        if (!out.equals(output) && next.size() == 1 && nodes.get(next.get(0)).getOpType().equals("Flatten")
                && axis(next.get(0), 1) == 1) {
            add(new GlobalAvgPool2d(), i);
            return nodes.get(next.get(0)).getOutput(0);
        }
        if (shape.dim(2) != shape.dim(3)) {
            throw unsupported(i, "averages a " + shape.dim(2) + "x" + shape.dim(3) + " input; cnn4j expresses it as"
                    + " AvgPool2d, whose kernel is square");
        }
        return add(new AvgPool2d(shape.dim(2)), i);
    }

    private String pad(int i) {
        NodeProto n = nodes.get(i);
        requireRank(i, 4);
        String mode = attrString(n, "mode", "constant");
        if (!mode.equals("constant")) {
            throw unsupported(i, "has mode " + quote(mode) + "; only zero padding folds into Conv or AveragePool");
        }
        long[] pads = opset >= 11 ? constant(i, 1, "pads").ints(describe(i) + " pads")
                : attrInts(n, opset >= 2 ? "pads" : "paddings", new long[0]);
        double value = opset >= 11 ? optionalScalar(i, 2, 0) : attrFloat(n, "value", 0);
        if (value != 0 || n.getInputCount() > 3 && !n.getInput(3).isEmpty()) {
            throw unsupported(i, "pads with " + value + " or on chosen axes; only zero padding folds into Conv or"
                    + " AveragePool");
        }
        if (pads.length != 8 || pads[0] != 0 || pads[1] != 0 || pads[4] != 0 || pads[5] != 0 || pads[2] < 0
                || Arrays.stream(pads, 2, 8).anyMatch(p -> p != pads[2]) || pads[2] > Integer.MAX_VALUE / 4) {
            throw unsupported(i, "has pads " + Arrays.toString(pads) + "; only equal padding of height and width"
                    + " folds into Conv or AveragePool");
        }
        List<Integer> next = consumers.getOrDefault(n.getOutput(0), List.of());
        if (next.size() != 1 || !Set.of("Conv", "AveragePool").contains(nodes.get(next.get(0)).getOpType())) {
            throw unsupported(i, "is supported only right before one Conv or AveragePool, whose padding it becomes");
        }
        pendingPad = (int) pads[2];
        return n.getOutput(0);
    }

    /** The padding of a Conv or pool, from pads or auto_pad, if it is the same on all four sides. */
    private int symmetricPadding(int i, int kh, int kw, int stride, int dilation) {
        NodeProto n = nodes.get(i);
        String autoPad = attrString(n, "auto_pad", "NOTSET");
        long[] pads = switch (autoPad) {
            case "NOTSET" -> attrInts(n, "pads", new long[4]);
            case "VALID" -> new long[4];
            case "SAME_UPPER", "SAME_LOWER" -> {
                long[] p = new long[4];
                int[] k = {kh, kw};
                for (int axis = 0; axis < 2; axis++) {
                    long in = shape.dim(2 + axis);
                    long outSize = (in + stride - 1) / stride;
                    long total = Math.max(0, (outSize - 1) * stride + (long) (k[axis] - 1) * dilation + 1 - in);
                    long small = total / 2;
                    p[axis] = autoPad.equals("SAME_UPPER") ? small : total - small;
                    p[axis + 2] = total - p[axis];
                }
                yield p;
            }
            default -> throw unsupported(i, "has an unknown auto_pad " + quote(autoPad));
        };
        if (pads.length != 4 || Arrays.stream(pads).anyMatch(p -> p != pads[0]) || pads[0] < 0
                || pads[0] > Integer.MAX_VALUE / 4) {
            throw unsupported(i, "has pads " + Arrays.toString(pads) + "; cnn4j pads all four sides equally");
        }
        return (int) pads[0];
    }

    private void requireKernel(int i, int kh, int kw) {
        long[] k = attrInts(nodes.get(i), "kernel_shape", null);
        if (k != null && (k.length != 2 || k[0] != kh || k[1] != kw)) {
            throw new ModelFormatException(describe(i) + " has kernel_shape " + Arrays.toString(k)
                    + " but a " + kh + "x" + kw + " kernel");
        }
    }

    /** The one value of a two-element attribute that cnn4j applies to both height and width. */
    private int same(int i, String attr, long[] v) {
        if (v.length != 2 || v[0] != v[1] || v[0] < 1 || v[0] > Integer.MAX_VALUE / 4) {
            throw unsupported(i, "has " + attr + " " + Arrays.toString(v) + "; cnn4j uses one positive value for"
                    + " height and width");
        }
        return (int) v[0];
    }

    private void requireRank(int i, int rank) {
        if (shape.rank() != rank) {
            throw unsupported(i, "has a rank-" + shape.rank() + " input " + shape + "; cnn4j supports rank " + rank);
        }
    }

    /** The axis attribute, made non-negative. */
    private int axis(int i, int defaultAxis) {
        long a = attrInt(nodes.get(i), "axis", defaultAxis);
        long axis = a < 0 ? a + shape.rank() : a;
        if (axis < 0 || axis >= shape.rank()) {
            throw new ModelFormatException(describe(i) + " has axis " + a + " outside a rank-" + shape.rank()
                    + " input");
        }
        return (int) axis;
    }

    /** Input {@code k} of node {@code i}, which must be a constant. */
    private TensorData constant(int i, int k, String what) {
        NodeProto n = nodes.get(i);
        TensorData t = k < n.getInputCount() ? constants.get(n.getInput(k)) : null;
        if (t == null) {
            throw unsupported(i, "needs its " + what + " (input " + k + ") to be a constant");
        }
        return t;
    }

    /** An optional scalar constant input (Dropout's ratio, Pad's value), or {@code def} when it is absent. */
    private double optionalScalar(int i, int k, double def) {
        NodeProto n = nodes.get(i);
        if (k >= n.getInputCount() || n.getInput(k).isEmpty()) {
            return def;
        }
        TensorData t = constant(i, k, "input " + k);
        if (t.size() != 1) {
            throw unsupported(i, "needs input " + k + " to be a single value");
        }
        return Double.parseDouble(Float.toString((float) t.value(0))); // the written decimal, as in attrFloat
    }

    private static float[] transpose(float[] m, int rows, int cols) {
        float[] t = new float[m.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = m[r * cols + c];
            }
        }
        return t;
    }

    private static void set(Parameter p, float[] values) {
        float[] dst = p.value().data();
        if (dst.length != values.length) {
            throw new IllegalArgumentException(p.name() + " needs " + dst.length + " values but the model has "
                    + values.length);
        }
        System.arraycopy(values, 0, dst, 0, dst.length);
    }

    private static AttributeProto attr(NodeProto n, String name) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a;
            }
        }
        return null;
    }

    private static long attrInt(NodeProto n, String name, long def) {
        AttributeProto a = attr(n, name);
        return a == null ? def : a.getI();
    }

    /**
     * A float attribute as the decimal it was most likely written as (the shortest one that rounds to the stored
     * float): an epsilon stored as 1e-5f reads as 1e-5, not 9.99999974e-6.
     */
    private static double attrFloat(NodeProto n, String name, double def) {
        AttributeProto a = attr(n, name);
        return a == null ? def : Double.parseDouble(Float.toString(a.getF()));
    }

    private static long[] attrInts(NodeProto n, String name, long[] def) {
        AttributeProto a = attr(n, name);
        return a == null ? def : a.getIntsList().stream().mapToLong(Long::longValue).toArray();
    }

    private static String attrString(NodeProto n, String name, String def) {
        AttributeProto a = attr(n, name);
        return a == null ? def : a.getS().toStringUtf8();
    }

    /** "node 'conv1' (Conv)", or "node #3 (Conv)" for an unnamed node. */
    private String describe(int i) {
        NodeProto n = nodes.get(i);
        return "node " + (n.getName().isEmpty() ? "#" + i : quote(n.getName())) + " (" + quote(n.getOpType())
                .replace("'", "") + ")";
    }

    private UnsupportedOnnxException unsupported(int i, String why) {
        return new UnsupportedOnnxException(describe(i) + " " + why);
    }
}
