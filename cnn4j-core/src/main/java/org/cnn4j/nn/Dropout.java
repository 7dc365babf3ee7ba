package org.cnn4j.nn;

import java.util.SplittableRandom;
import org.cnn4j.init.Init;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * Inverted dropout, as PyTorch's Dropout(p): in training each element is zeroed with probability p and the
 * survivors are scaled by 1/(1-p), so the expected output equals the input and evaluation needs no rescaling;
 * in evaluation it is the identity. Forward draws a mask m (0 or 1/(1-p) per element) and y = x * m; y is
 * linear in x, so backward is dL/dx = g * m with the same mask.
 *
 * <p>The masks come from the layer's own seeded generator (split off {@link Init#nextRandom()} unless a seed is
 * given), so training runs are reproducible. {@link #setMaskFrozen} makes training forwards reuse the last mask,
 * which turns the layer into a fixed function whose gradient can be checked numerically.
 */
public final class Dropout implements Layer {
    private final double p;
    private final SplittableRandom random;
    private boolean maskFrozen;
    private float[] mask; // of the last forward; null when it ran in EVAL mode (identity)
    private Shape inputShape;
    private Tensor output;
    private Tensor gradInput;

    public Dropout(double p) {
        this(p, Init.nextRandom());
    }

    public Dropout(double p, long seed) {
        this(p, new SplittableRandom(seed));
    }

    private Dropout(double p, SplittableRandom random) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("Dropout(p=" + p + "): p must be between 0 and 1");
        }
        this.p = p;
        this.random = random;
    }

    public double p() {
        return p;
    }

    /** While frozen, TRAIN forwards reuse the last mask (a new one is drawn only if the input size changed). */
    public void setMaskFrozen(boolean frozen) {
        this.maskFrozen = frozen;
    }

    @Override
    public Shape outputShape(Shape input) {
        return input;
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        inputShape = x.shape();
        if (mode == Mode.EVAL) {
            mask = null;
            return x;
        }
        if (!maskFrozen || mask == null || mask.length != x.size()) {
            if (mask == null || mask.length != x.size()) {
                mask = new float[x.size()];
            }
            float scale = p < 1 ? (float) (1 / (1 - p)) : 0f;
            for (int i = 0; i < mask.length; i++) {
                mask[i] = random.nextDouble() < p ? 0f : scale;
            }
        }
        Tensor y = Tensor.reuse(output, x.shape());
        output = y;
        float[] xd = x.data();
        float[] yd = y.data();
        for (int i = 0; i < xd.length; i++) {
            yd[i] = xd[i] * mask[i];
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor g) {
        g.shape().require(inputShape, "Dropout backward gradient");
        if (mask == null) {
            return g;
        }
        Tensor dx = Tensor.reuse(gradInput, g.shape());
        gradInput = dx;
        float[] gd = g.data();
        float[] d = dx.data();
        for (int i = 0; i < gd.length; i++) {
            d[i] = gd[i] * mask[i];
        }
        return dx;
    }

    @Override
    public LayerSpec spec() {
        return LayerSpec.of("Dropout", "p", p);
    }

    static Dropout fromSpec(LayerSpec s) {
        return new Dropout(s.getDouble("p"));
    }
}
