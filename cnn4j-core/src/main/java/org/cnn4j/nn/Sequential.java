package org.cnn4j.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * Layers applied one after another; backward runs them in reverse. Declared with the shape of one input
 * sample (for example 1, 28, 28), so shapes are checked when the model is built, not when it first runs.
 */
public final class Sequential implements Layer {
    private final Shape sampleShape;
    private final List<Layer> layers;

    /** @param sampleShape the shape of one input sample, without the batch dimension */
    public Sequential(Shape sampleShape, List<Layer> layers) {
        this.sampleShape = sampleShape;
        this.layers = List.copyOf(layers);
        outputShape(sampleShape.prepend(1)); // fail now, naming the layer, if the shapes do not chain
    }

    public Sequential(Shape sampleShape, Layer... layers) {
        this(sampleShape, List.of(layers));
    }

    public Shape sampleShape() {
        return sampleShape;
    }

    public List<Layer> layers() {
        return layers;
    }

    @Override
    public Tensor forward(Tensor input, Mode mode) {
        Shape s = input.shape();
        if (s.rank() != sampleShape.rank() + 1 || !s.dropFirst().equals(sampleShape)) {
            throw new IllegalArgumentException("model input: expected shape " + batchShape(sampleShape.prepend(1))
                    + " but got " + s);
        }
        Tensor x = input;
        for (Layer layer : layers) {
            x = layer.forward(x, mode);
        }
        return x;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        Tensor g = gradOutput;
        for (int i = layers.size() - 1; i >= 0; i--) {
            g = layers.get(i).backward(g);
        }
        return g;
    }

    @Override
    public Shape outputShape(Shape input) {
        Shape s = input;
        for (int i = 0; i < layers.size(); i++) {
            try {
                s = layers.get(i).outputShape(s);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("layer " + i + " (" + layers.get(i).spec().type() + "): " + e.getMessage(), e);
            }
        }
        return s;
    }

    /** The shape of one output sample, without the batch dimension. */
    public Shape sampleOutputShape() {
        return outputShape(sampleShape.prepend(1)).dropFirst();
    }

    @Override
    public LayerSpec spec() {
        List<LayerSpec> kids = new ArrayList<>();
        for (Layer l : layers) {
            kids.add(l.spec());
        }
        return LayerSpec.of("Sequential", "input", sampleShape.dims()).withChildren(kids);
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> ps = new ArrayList<>();
        for (Layer l : layers) {
            ps.addAll(l.parameters());
        }
        return ps;
    }

    @Override
    public void namedParameters(String prefix, Map<String, Parameter> out) {
        for (int i = 0; i < layers.size(); i++) {
            layers.get(i).namedParameters(prefix + i + ".", out);
        }
    }

    /** All parameters and buffers under PyTorch state_dict names ("0.weight", "0.bias", ...). */
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        namedParameters("", out);
        return out;
    }

    @Override
    public long multiplyAdds(Shape input) {
        long total = 0;
        Shape s = input;
        for (Layer l : layers) {
            total += l.multiplyAdds(s);
            s = l.outputShape(s);
        }
        return total;
    }

    /** Number of trainable values (weights and biases, not buffers). */
    public long parameterCount() {
        long n = 0;
        for (Parameter p : parameters()) {
            if (p.isTrainable()) {
                n += p.value().size();
            }
        }
        return n;
    }

    public void zeroGrad() {
        for (Parameter p : parameters()) {
            p.zeroGrad();
        }
    }

    /**
     * A table of the layers in the manner of Keras's model.summary(): each layer's output shape (N is the
     * batch), its parameter count and multiply-adds for one sample, then the totals.
     */
    public String summary() {
        String[] head = {"#", "Layer", "Output shape", "Params", "Mult-adds"};
        List<String[]> rows = new ArrayList<>();
        Shape s = sampleShape.prepend(1);
        rows.add(new String[] {"", "Input", batchShape(s), "", ""});
        long totalMacs = 0;
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            long params = 0;
            for (Parameter p : l.parameters()) {
                params += p.isTrainable() ? p.value().size() : 0;
            }
            long macs = l.multiplyAdds(s);
            totalMacs += macs;
            s = l.outputShape(s);
            rows.add(new String[] {String.valueOf(i), describe(l.spec()), batchShape(s), String.format("%,d", params),
                    String.format("%,d", macs)});
        }
        int[] w = new int[head.length];
        for (int c = 0; c < head.length; c++) {
            w[c] = head[c].length();
            for (String[] r : rows) {
                w[c] = Math.max(w[c], r[c].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        String rule = "-".repeat(w[0] + w[1] + w[2] + w[3] + w[4] + 8) + "\n";
        appendRow(sb, head, w);
        sb.append(rule);
        for (String[] r : rows) {
            appendRow(sb, r, w);
        }
        sb.append(rule);
        sb.append(String.format("Total params: %,d%n", parameterCount()));
        sb.append(String.format("Mult-adds per sample: %,d%n", totalMacs));
        sb.append(String.format("Parameter memory: %.2f MB (float32)%n", parameterCount() * 4 / 1e6));
        return sb.toString();
    }

    private static void appendRow(StringBuilder sb, String[] r, int[] w) {
        sb.append(String.format("%-" + w[0] + "s  %-" + w[1] + "s  %-" + w[2] + "s  %" + w[3] + "s  %" + w[4] + "s%n",
                (Object[]) r));
    }

    private static String batchShape(Shape s) {
        StringBuilder sb = new StringBuilder("[N");
        for (int i = 1; i < s.rank(); i++) {
            sb.append(", ").append(s.dim(i));
        }
        return sb.append(']').toString();
    }

    /** Settings left out of a layer's description when they have these (PyTorch's default) values. */
    private static final Map<String, Object> DEFAULTS = Map.of("stride", 1, "padding", 0, "dilation", 1, "bias", true,
            "ceilMode", false, "countIncludePad", true, "eps", 1e-5, "momentum", 0.1);

    /**
     * A short description in PyTorch's manner: sizes first, then the settings that differ from the defaults,
     * e.g. Conv2d(1, 32, kernel=3, padding=1), MaxPool2d(kernel=2), BatchNorm1d(256).
     */
    static String describe(LayerSpec spec) {
        java.util.StringJoiner args = new java.util.StringJoiner(", ", spec.type() + "(", ")");
        for (Map.Entry<String, Object> e : spec.attrs().entrySet()) {
            String key = e.getKey();
            Object v = e.getValue();
            if (v instanceof int[] a && a.length == 2 && a[0] == a[1]) {
                v = a[0];
            }
            boolean poolStride = key.equals("stride") && v.equals(spec.attrs().get("kernel"));
            if (v.equals(DEFAULTS.get(key)) || poolStride || spec.type().equals("Sequential")) {
                continue;
            }
            String value = v instanceof int[] a ? java.util.Arrays.toString(a) : String.valueOf(v);
            args.add(key.equals("in") || key.equals("out") || key.equals("channels") ? value : key + "=" + value);
        }
        String d = args.toString();
        return d.endsWith("()") ? spec.type() : d;
    }
}
