package org.cnn4j.nn;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cnn4j.kernel.Parallel;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * A residual connection (He et al. 2015): y = body(x) + shortcut(x). The shortcut is the identity when absent,
 * or a layer that projects x to the body's output shape when the body changes it (in ResNet a 1x1 convolution with
 * the body's stride, then batch norm). The body only has to learn the difference from its input, and the
 * identity path carries the gradient past it undiminished, which is what makes very deep networks trainable.
 * The ReLU that ResNet applies after the addition is the next layer of the enclosing Sequential.
 *
 * <p>Backward: both branches received x, and the sum passes g = dL/dy to each unchanged, so
 * dL/dx = body.backward(g) + shortcut.backward(g) (or + g for the identity). Each branch accumulates its own
 * parameter gradients on the way.
 *
 * <p>Children, and so parameter names, are "body" and "shortcut": with a Sequential body the second convolution
 * of the block at position 3 of a model has the weight "3.body.3.weight", its projection "3.shortcut.0.weight".
 */
public final class Residual implements FusesRelu {
    private final Layer body;
    private final Layer shortcut;
    private Tensor output;
    private Tensor gradInput;

    /** A residual connection with an identity shortcut. */
    public Residual(Layer body) {
        this(body, null);
    }

    /** @param shortcut the projection applied to x before the addition; null for the identity */
    public Residual(Layer body, Layer shortcut) {
        this.body = java.util.Objects.requireNonNull(body, "body");
        this.shortcut = shortcut;
    }

    public Layer body() {
        return body;
    }

    /** The projection shortcut, or null for the identity. */
    public Layer shortcut() {
        return shortcut;
    }

    @Override
    public Map<String, Layer> children() {
        Map<String, Layer> kids = new LinkedHashMap<>();
        kids.put("body", body);
        if (shortcut != null) {
            kids.put("shortcut", shortcut);
        }
        return kids;
    }

    @Override
    public Shape outputShape(Shape input) {
        Shape b;
        Shape s;
        try {
            b = body.outputShape(input);
            s = shortcut == null ? input : shortcut.outputShape(input);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Residual: " + e.getMessage(), e);
        }
        if (!b.equals(s)) {
            throw new IllegalArgumentException("Residual: the body's output " + b + " and the shortcut's "
                    + (shortcut == null ? "(identity) " : "") + s + " differ for input " + input
                    + (shortcut == null ? "; a shortcut projection is needed" : ""));
        }
        return b;
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        return forward(x, mode, false);
    }

    /**
     * With relu, max(0, y) in the same pass as the sum (see {@link FusesRelu}; backward only needs g). In EVAL mode,
     * when the body ends in a convolution and a batch norm (ResNet's), the sum runs on each few images of the body's
     * output while they are in cache ({@link Sequential#forwardInto}): the same numbers, one pass over memory fewer.
     */
    @Override
    public Tensor forward(Tensor x, Mode mode, boolean relu) {
        Shape out = outputShape(x.shape());
        float floor = relu ? 0f : Float.NEGATIVE_INFINITY;
        output = Tensor.reuse(output, out);
        if (mode == Mode.EVAL && body instanceof Sequential folds && folds.endsInConvolutionAndNorm()) {
            float[] s = shortcutOutput(x, mode);
            int imageSize = out.size() / out.dim(0);
            return folds.forwardInto(x, output,
                    (y, off, images, pixels) -> sum(y, s, floor, y, off, off + images * imageSize));
        }
        float[] b = body.forward(x, mode).data();
        return sum(b, shortcutOutput(x, mode), floor, output);
    }

    /** The shortcut's output for x: x itself for the identity. */
    private float[] shortcutOutput(Tensor x, Mode mode) {
        return shortcut == null ? x.data() : shortcut.forward(x, mode).data();
    }

    @Override
    public Tensor backward(Tensor g) {
        Tensor gb = body.backward(g);
        Tensor gs = shortcut == null ? g : shortcut.backward(g);
        gs.shape().require(gb.shape(), "Residual backward: the shortcut's input gradient vs the body's");
        gradInput = sum(gb.data(), gs.data(), Float.NEGATIVE_INFINITY, Tensor.reuse(gradInput, gb.shape()));
        return gradInput;
    }

    /** Both branches' parameter gradients, without the input gradient of either. */
    @Override
    public void backwardParameters(Tensor g) {
        body.backwardParameters(g);
        if (shortcut != null) {
            shortcut.backwardParameters(g);
        }
    }

    /**
     * y = max(a + b, floor) into the layer's own tensor y (floor -infinity: the plain sum, NaN included; 0: the
     * ReLU of it): neither input is written, as a branch may still hold either.
     */
    private static Tensor sum(float[] a, float[] b, float floor, Tensor y) {
        float[] yd = y.data();
        Parallel.forRange(yd.length, Parallel.MIN_ELEMENTS, (from, to) -> sum(a, b, floor, yd, from, to));
        return y;
    }

    /** y[i] = max(a[i] + b[i], floor) for i in [from, to) (y may be a). */
    private static void sum(float[] a, float[] b, float floor, float[] y, int from, int to) {
        for (int i = from; i < to; i++) {
            y[i] = Math.max(a[i] + b[i], floor);
        }
    }

    @Override
    public long multiplyAdds(Shape input) {
        return body.multiplyAdds(input) + (shortcut == null ? 0 : shortcut.multiplyAdds(input));
    }

    @Override
    public LayerSpec spec() {
        return LayerSpec.of("Residual").withChildLayers(children().values());
    }

    static Residual fromSpec(LayerSpec s) {
        List<LayerSpec> kids = s.children();
        if (kids.isEmpty() || kids.size() > 2) {
            throw new IllegalArgumentException("Residual spec needs a body and at most one shortcut, got "
                    + kids.size() + " children");
        }
        return new Residual(LayerFactory.create(kids.get(0)), kids.size() == 2 ? LayerFactory.create(kids.get(1)) : null);
    }
}
