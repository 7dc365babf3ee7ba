package org.cnn4j.nn;

import org.cnn4j.kernel.Relu;

/**
 * The rectified linear unit, y = max(0, x). Its derivative is 1 where x > 0 and 0 elsewhere (0 at x = 0, as in
 * PyTorch), so backward passes the gradient through where the input was positive and blocks it elsewhere.
 * As in PyTorch, a NaN input gives a NaN output.
 *
 * <p>Both loops are written without a branch on the sign, because the signs of activations are close to random:
 * a branch there is mispredicted about half the time, which made the plain {@code x > 0 ? x : 0} loops several
 * times slower than reading and writing the memory. {@code Math.max} compiles to a vector max instruction, and
 * backward tests y > 0 through the bits of y ({@link Relu}, in the kernel package, in vectors where the Vector API
 * is present). Backward reads y alone, so {@link Sequential} can compute y inside the layer before this one ({@link
 * FusesRelu}) and hand it over ({@link Activation#remember}).
 */
public final class ReLU extends Activation {

    @Override
    void apply(float[] x, float[] y, int from, int to) {
        for (int i = from; i < to; i++) {
            y[i] = Math.max(x[i], 0f);
        }
    }

    @Override
    void gradient(float[] x, float[] y, float[] g, float[] dx, int from, int to) {
        Relu.gradient(y, g, dx, from, to);
    }

    @Override
    public LayerSpec spec() {
        return LayerSpec.of("ReLU");
    }
}
