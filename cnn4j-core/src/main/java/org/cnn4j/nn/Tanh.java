package org.cnn4j.nn;

/**
 * The hyperbolic tangent y = tanh(x), squashing any input into (-1, 1). Its derivative from the output is
 * dy/dx = 1 - y², so backward is dL/dx = g * (1 - y²).
 */
public final class Tanh extends Activation {

    @Override
    void apply(float[] x, float[] y, int from, int to) {
        for (int i = from; i < to; i++) {
            y[i] = (float) Math.tanh(x[i]);
        }
    }

    @Override
    void gradient(float[] x, float[] y, float[] g, float[] dx, int from, int to) {
        for (int i = from; i < to; i++) {
            dx[i] = g[i] * (1f - y[i] * y[i]);
        }
    }

    @Override
    public LayerSpec spec() {
        return LayerSpec.of("Tanh");
    }
}
