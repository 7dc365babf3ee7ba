package org.cnn4j.nn;

/**
 * The rectified linear unit, y = max(0, x). Its derivative is 1 where x > 0 and 0 elsewhere (0 at x = 0, as in
 * PyTorch), so backward passes the gradient through where the input was positive and blocks it elsewhere.
 */
public final class ReLU extends Activation {

    @Override
    void apply(float[] x, float[] y) {
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] > 0f ? x[i] : 0f;
        }
    }

    @Override
    void gradient(float[] x, float[] y, float[] g, float[] dx) {
        for (int i = 0; i < x.length; i++) {
            dx[i] = x[i] > 0f ? g[i] : 0f;
        }
    }

    @Override
    public LayerSpec spec() {
        return LayerSpec.of("ReLU");
    }
}
