package org.cnn4j.nn;

/**
 * The logistic function y = 1 / (1 + e^-x), squashing any input into (0, 1). Its derivative can be written with
 * the output alone, dy/dx = y (1 - y), so backward is dL/dx = g * y * (1 - y).
 */
public final class Sigmoid extends Activation {

    @Override
    void apply(float[] x, float[] y, int from, int to) {
        for (int i = from; i < to; i++) {
            y[i] = (float) (1.0 / (1.0 + Math.exp(-x[i])));
        }
    }

    @Override
    void gradient(float[] x, float[] y, float[] g, float[] dx, int from, int to) {
        for (int i = from; i < to; i++) {
            dx[i] = g[i] * y[i] * (1f - y[i]);
        }
    }

    @Override
    public LayerSpec spec() {
        return LayerSpec.of("Sigmoid");
    }
}
