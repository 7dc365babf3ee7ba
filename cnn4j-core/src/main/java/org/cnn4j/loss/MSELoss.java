package org.cnn4j.loss;

import org.cnn4j.tensor.Tensor;

/**
 * Mean squared error, L = mean((prediction - target)²) over every element, as PyTorch's MSELoss. Its gradient is
 * dL/dprediction = 2 (prediction - target) / (number of elements).
 */
public final class MSELoss implements Loss<Tensor> {
    private Tensor diff;

    @Override
    public float forward(Tensor prediction, Tensor target) {
        target.shape().require(prediction.shape(), "MSELoss target");
        Tensor d = prediction.copy();
        float[] dd = d.data();
        float[] t = target.data();
        double sum = 0;
        for (int i = 0; i < dd.length; i++) {
            dd[i] -= t[i];
            sum += (double) dd[i] * dd[i];
        }
        diff = d;
        return (float) (sum / dd.length);
    }

    @Override
    public Tensor backward() {
        Tensor g = diff.copy();
        float[] d = g.data();
        float scale = 2f / d.length;
        for (int i = 0; i < d.length; i++) {
            d[i] *= scale;
        }
        return g;
    }
}
