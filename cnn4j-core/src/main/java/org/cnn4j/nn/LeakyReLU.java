package org.cnn4j.nn;

/**
 * ReLU with a small slope for negative inputs, y = x for x > 0 and negativeSlope * x otherwise (PyTorch's default
 * slope 0.01), so negative units still get a gradient: dL/dx = g for x > 0, negativeSlope * g otherwise.
 */
public final class LeakyReLU extends Activation {
    private final double negativeSlope;

    public LeakyReLU() {
        this(0.01);
    }

    public LeakyReLU(double negativeSlope) {
        this.negativeSlope = negativeSlope;
    }

    public double negativeSlope() {
        return negativeSlope;
    }

    @Override
    void apply(float[] x, float[] y, int from, int to) {
        float slope = (float) negativeSlope;
        for (int i = from; i < to; i++) {
            y[i] = x[i] > 0f ? x[i] : slope * x[i];
        }
    }

    @Override
    void gradient(float[] x, float[] y, float[] g, float[] dx, int from, int to) {
        float slope = (float) negativeSlope;
        for (int i = from; i < to; i++) {
            dx[i] = x[i] > 0f ? g[i] : slope * g[i];
        }
    }

    @Override
    public LayerSpec spec() {
        return LayerSpec.of("LeakyReLU", "negativeSlope", negativeSlope);
    }

    static LeakyReLU fromSpec(LayerSpec s) {
        return new LeakyReLU(s.getDouble("negativeSlope"));
    }
}
