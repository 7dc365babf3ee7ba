package org.cnn4j.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.cnn4j.tensor.Shape;

/**
 * The layer table of {@link Sequential#summary(int)}, in the manner of Keras's model.summary(): one row per layer
 * with its output shape (N is the batch), trainable parameters and multiply-adds for one sample, then the totals.
 *
 * <p>Rows are numbered by the prefix of the layer's parameter names ("3", "3.body.0"). A Sequential inside the
 * model adds no row of its own: its layers are listed in its place. Any other container (a {@link Residual}, a
 * {@link Concat}) is one row, described by a sketch of what it holds, e.g. "Residual(Conv3x3/2-BN-ReLU-Conv3x3-BN;
 * shortcut Conv1x1/2-BN)"; within the depth asked for, the layers inside it follow, indented, each shown for the
 * container's input (a branching container feeds every branch the same input).
 */
final class Summary {
    private static final String[] HEAD = {"#", "Layer", "Output shape", "Params", "Mult-adds"};
    /** Settings left out of a layer's description when they have these (PyTorch's default) values. */
    private static final Map<String, Object> DEFAULTS = Map.of("stride", 1, "padding", 0, "dilation", 1, "bias", true,
            "ceilMode", false, "countIncludePad", true, "eps", 1e-5, "momentum", 0.1);

    private final int depth;
    private final List<String[]> rows = new ArrayList<>();

    private Summary(int depth) {
        this.depth = depth;
    }

    static String of(Sequential model, int depth) {
        if (depth < 1) {
            throw new IllegalArgumentException("summary depth must be at least 1, got " + depth);
        }
        Summary t = new Summary(depth);
        Shape s = model.sampleShape().prepend(1);
        t.rows.add(new String[] {"", "Input", batchShape(s), "", ""});
        t.sequence(model, "", s, 0);
        long totalMacs = model.multiplyAdds(s);
        int[] w = new int[HEAD.length];
        for (int c = 0; c < HEAD.length; c++) {
            w[c] = HEAD[c].length();
            for (String[] r : t.rows) {
                w[c] = Math.max(w[c], r[c].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        String rule = "-".repeat(Arrays.stream(w).sum() + 2 * (w.length - 1)) + "\n";
        appendRow(sb, HEAD, w);
        sb.append(rule);
        for (String[] r : t.rows) {
            appendRow(sb, r, w);
        }
        sb.append(rule);
        sb.append(String.format("Total params: %,d%n", model.parameterCount()));
        sb.append(String.format("Mult-adds per sample: %,d%n", totalMacs));
        sb.append(String.format("Parameter memory: %.2f MB (float32)%n", model.parameterCount() * 4 / 1e6));
        return sb.toString();
    }

    /** Rows for the layers of a Sequential, chaining the shapes; returns the output shape. */
    private Shape sequence(Sequential seq, String prefix, Shape s, int level) {
        for (Map.Entry<String, Layer> e : seq.children().entrySet()) {
            s = layer(e.getValue(), prefix + e.getKey(), s, level);
        }
        return s;
    }

    /** The row of one layer (or of the layers of a Sequential), then those inside it within the depth. */
    private Shape layer(Layer l, String name, Shape s, int level) {
        if (l instanceof Sequential seq) {
            return sequence(seq, name + ".", s, level);
        }
        Shape out = l.outputShape(s);
        rows.add(new String[] {name, "  ".repeat(level) + describe(l), batchShape(out),
                String.format("%,d", Parameter.trainableCount(l.parameters())), String.format("%,d", l.multiplyAdds(s))});
        if (level + 1 < depth) {
            for (Map.Entry<String, Layer> c : l.children().entrySet()) {
                layer(c.getValue(), name + "." + c.getKey(), s, level + 1);
            }
        }
        return out;
    }

    private static void appendRow(StringBuilder sb, String[] r, int[] w) {
        sb.append(String.format("%-" + w[0] + "s  %-" + w[1] + "s  %-" + w[2] + "s  %" + w[3] + "s  %" + w[4] + "s%n",
                (Object[]) r));
    }

    /** A batch shape with N for the batch dimension: [N, 16, 32, 32]. */
    static String batchShape(Shape s) {
        StringBuilder sb = new StringBuilder("[N");
        for (int i = 1; i < s.rank(); i++) {
            sb.append(", ").append(s.dim(i));
        }
        return sb.append(']').toString();
    }

    /**
     * A short description in PyTorch's manner: sizes first, then the settings that differ from the defaults,
     * e.g. Conv2d(1, 32, kernel=3, padding=1), MaxPool2d(kernel=2), BatchNorm1d(256). A container is sketched
     * instead, its children named unless they are its "body": Residual(Conv3x3-BN-ReLU-Conv3x3-BN).
     */
    static String describe(Layer layer) {
        Map<String, Layer> kids = layer.children();
        LayerSpec spec = layer.spec();
        if (!kids.isEmpty()) {
            StringJoiner parts = new StringJoiner("; ", spec.type() + "(", ")");
            for (Map.Entry<String, Layer> e : kids.entrySet()) {
                parts.add((e.getKey().equals("body") ? "" : e.getKey() + " ") + sketch(e.getValue()));
            }
            return parts.toString();
        }
        StringJoiner args = new StringJoiner(", ", spec.type() + "(", ")");
        for (Map.Entry<String, Object> e : spec.attrs().entrySet()) {
            String key = e.getKey();
            Object v = e.getValue();
            if (v instanceof int[] a && a.length == 2 && a[0] == a[1]) {
                v = a[0];
            }
            boolean poolStride = key.equals("stride") && v.equals(spec.attrs().get("kernel"));
            if (v.equals(DEFAULTS.get(key)) || poolStride) {
                continue;
            }
            String value = v instanceof int[] a ? Arrays.toString(a) : String.valueOf(v);
            args.add(key.equals("in") || key.equals("out") || key.equals("channels") ? value : key + "=" + value);
        }
        String d = args.toString();
        return d.endsWith("()") ? spec.type() : d;
    }

    /** A compact picture of a chain of layers: Conv3x3/2-BN-ReLU (kernel, and stride when not 1). */
    private static String sketch(Layer layer) {
        if (layer instanceof Sequential seq) {
            StringJoiner chain = new StringJoiner("-");
            seq.layers().forEach(l -> chain.add(sketch(l)));
            return chain.toString();
        }
        LayerSpec spec = layer.spec();
        return switch (spec.type()) {
            case "Conv2d" -> {
                int[] k = spec.getInts("kernel");
                int stride = spec.getInt("stride");
                yield "Conv" + k[0] + "x" + k[1] + (stride == 1 ? "" : "/" + stride);
            }
            case "BatchNorm1d", "BatchNorm2d" -> "BN";
            default -> layer.children().isEmpty() ? spec.type() : describe(layer);
        };
    }
}
