package org.cnn4j.nn;

import java.util.Arrays;
import java.util.List;
import org.cnn4j.kernel.Affine;
import org.cnn4j.kernel.Parallel;
import org.cnn4j.kernel.Reductions;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * Batch normalization per channel, shared by {@link BatchNorm1d} (N, C) and {@link BatchNorm2d} (N, C, H, W):
 * the values of channel c across the batch (and across the image for 2d) are normalized to mean 0 and variance 1,
 * then scaled by a learnable gamma ("weight", starts at 1) and shifted by a learnable beta ("bias", starts at 0):
 * y = gamma * (x - mean) / sqrt(var + eps) + beta.
 *
 * <p>In TRAIN mode mean and (biased) variance come from the batch, and the running estimates move towards them:
 * running = (1 - momentum) * running + momentum * batch, with the unbiased variance, as PyTorch does. In EVAL mode
 * the running estimates are used, so a prediction does not depend on the rest of the batch.
 *
 * <p>Backward in TRAIN mode, with M values per channel, xhat the normalized input and dxhat = g * gamma:
 * dx = (M * dxhat - sum(dxhat) - xhat * sum(dxhat * xhat)) / (M * sqrt(var + eps)); dgamma = sum(g * xhat);
 * dbeta = sum(g). In EVAL mode the statistics are constants, so dx = dxhat / sqrt(runningVar + eps).
 *
 * <p>xhat is not stored: backward recomputes it from the input (kept, as PyTorch does) and the mean and 1/std of
 * the forward pass. Per channel both directions are then linear in x - mean, y = a * (x - mean) + beta and
 * dx = a' * g + b' * (x - mean) + c', which read and write each array once (batch norm runs at memory speed, and
 * DenseNet normalizes its whole growing input in every layer). The mean is subtracted first: folded into the
 * constant, it would cancel against a * x when the mean is large against the spread.
 *
 * <p>Channels are independent in both directions, so large inputs split them between {@link Parallel}'s threads.
 */
public abstract class BatchNorm implements FusesRelu {
    private final int channels;
    private final double eps;
    private final double momentum;
    private final Parameter weight;
    private final Parameter bias;
    private final Parameter runningMean;
    private final Parameter runningVar;
    private Tensor input;
    private Tensor output;
    private Tensor gradInput;
    /** The mean and 1 / sqrt(var + eps) per channel that the last forward pass normalized with. */
    private final float[] mean;
    private final float[] invStd;
    private boolean batchStatistics;
    /** Per channel, for one pass (threads write disjoint ranges): sums over its values, then the pass's constants. */
    private final double[] sums;
    private final double[] dots;
    private final float[] scale;
    private final float[] xScale;
    private final float[] shift;

    protected BatchNorm(int channels, double eps, double momentum) {
        if (channels <= 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + "(" + channels + "): channels must be positive");
        }
        this.channels = channels;
        this.eps = eps;
        this.momentum = momentum;
        this.weight = Parameter.trainable("weight", Shape.of(channels));
        this.weight.value().fill(1f);
        this.bias = Parameter.trainable("bias", Shape.of(channels));
        this.runningMean = Parameter.buffer("running_mean", Tensor.zeros(channels));
        this.runningVar = Parameter.buffer("running_var", Tensor.full(Shape.of(channels), 1f));
        this.mean = new float[channels];
        this.invStd = new float[channels];
        this.sums = new double[channels];
        this.dots = new double[channels];
        this.scale = new float[channels];
        this.xScale = new float[channels];
        this.shift = new float[channels];
    }

    /** Checks the rank this variant accepts (2 for 1d, 4 for 2d). */
    protected abstract void checkRank(Shape s);

    public int channels() {
        return channels;
    }

    public Parameter runningMean() {
        return runningMean;
    }

    public Parameter runningVar() {
        return runningVar;
    }

    @Override
    public Shape outputShape(Shape s) {
        checkRank(s);
        if (s.dim(1) != channels) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " expects " + channels
                    + " channels but got " + s.dim(1) + " (input shape " + s + ")");
        }
        return s;
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        return forward(x, mode, false);
    }

    /** With relu, max(0, y) in the same pass (see {@link FusesRelu}; backward recomputes from the input). */
    @Override
    public Tensor forward(Tensor x, Mode mode, boolean relu) {
        Shape s = outputShape(x.shape());
        int n = s.dim(0);
        int spatial = s.size() / (n * channels);
        int m = n * spatial;
        if (mode == Mode.TRAIN && m < 2) {
            throw new IllegalArgumentException(getClass().getSimpleName()
                    + ": training needs more than 1 value per channel (input shape " + s + ")");
        }
        float[] xd = x.data();
        output = Tensor.reuse(output, s);
        float[] yd = output.data();
        float[] beta = bias.value().data();
        float floor = relu ? 0f : Float.NEGATIVE_INFINITY;
        boolean train = mode == Mode.TRAIN;
        Parallel.forRange(channels, Math.max(1, Parallel.MIN_ELEMENTS / m), (from, to) -> {
            if (spatial == 1) { // BatchNorm1d: along the rows of the (N, C) input, across channels
                if (train) {
                    columnSums(xd, xd, n, from, to);
                }
                for (int c = from; c < to; c++) {
                    prepareForward(c, train, m);
                }
                Affine.normalizeColumns(xd, n, channels, from, to, scale, mean, beta, floor, yd);
                return;
            }
            double[] acc = new double[2];
            for (int c = from; c < to; c++) { // channel by channel: normalized while its planes are in cache
                if (train) {
                    planeSums(xd, xd, n, spatial, c, acc);
                }
                prepareForward(c, train, m);
                for (int i = 0; i < n; i++) {
                    Affine.normalize(xd, (i * channels + c) * spatial, spatial, scale[c], mean[c], beta[c], floor, yd);
                }
            }
        });
        input = x;
        batchStatistics = mode == Mode.TRAIN;
        return output;
    }

    /** sums[c] = the sum of channel c of g over its n planes of spatial values, dots[c] = that of g * h. */
    private void planeSums(float[] g, float[] h, int n, int spatial, int c, double[] acc) {
        acc[0] = 0;
        acc[1] = 0;
        Reductions.sumAndDot(g, h, c * spatial, spatial, n, channels * spatial, acc);
        sums[c] = acc[0];
        dots[c] = acc[1];
    }

    /**
     * planeSums for channels [from, to) of BatchNorm1d's (N, C) input: along its rows, across channels (one call per
     * value, a plane of one, was most of an MLP's training step).
     */
    private void columnSums(float[] g, float[] h, int n, int from, int to) {
        Arrays.fill(sums, from, to, 0);
        Arrays.fill(dots, from, to, 0);
        Reductions.sumAndDotColumns(g, h, n, channels, from, to, sums, dots);
    }

    /**
     * Channel c's mean and 1 / std (from sums and dots over its m values in TRAIN mode, which also moves the running
     * estimates; the running estimates otherwise) and the forward pass's scale gamma / std.
     */
    private void prepareForward(int c, boolean train, int m) {
        if (train) {
            double mu = sums[c] / m;
            // one pass, E[x^2] - mean^2 in double: loses about log10(mean^2 / var) of double's 16 digits,
            // harmless for activations (a two-pass sum of squared deviations would read x twice)
            double var = Math.max(0, dots[c] / m - mu * mu);
            float[] rm = runningMean.value().data();
            float[] rv = runningVar.value().data();
            rm[c] = (float) ((1 - momentum) * rm[c] + momentum * mu);
            rv[c] = (float) ((1 - momentum) * rv[c] + momentum * var * m / (m - 1));
            mean[c] = (float) mu;
            invStd[c] = invStd(var);
        } else {
            useRunningStatistics(c);
        }
        scale[c] = weight.value().data()[c] * invStd[c];
    }

    /**
     * Channel c's parameter gradients from sums (of g) and dots (of g * x) over its m values, and the constants of
     * dx = scale * g + xScale * (x - mean) + shift.
     */
    private void prepareBackward(int c, int m) {
        double sumG = sums[c];
        double sumGH = invStd[c] * (dots[c] - mean[c] * sumG); // sum(g * xhat), xhat = (x - mean) * invStd
        weight.grad().data()[c] += (float) sumGH;
        bias.grad().data()[c] += (float) sumG;
        scale[c] = weight.value().data()[c] * invStd[c];
        float meanG = batchStatistics ? (float) (sumG / m) : 0f;
        float meanGH = batchStatistics ? (float) (sumGH / m) : 0f;
        // dx = scale * (g - meanG - xhat * meanGH) = scale * g + xScale * (x - mean) + shift
        xScale[c] = -scale[c] * meanGH * invStd[c];
        shift[c] = -scale[c] * meanG;
    }

    private float invStd(double var) {
        return (float) (1.0 / Math.sqrt(var + eps));
    }

    /** This layer's output tensor for an input of shape s, the one forward returns: see {@link #normalizeInPlace}. */
    Tensor outputTensor(Shape s) {
        output = Tensor.reuse(output, s);
        return output;
    }

    /** EVAL mode's constants for every channel, as the forward pass prepares them (see {@link #normalizeInPlace}). */
    void useRunningStatistics() {
        for (int c = 0; c < channels; c++) {
            prepareForward(c, false, 0);
        }
    }

    /** EVAL mode's constants for channel c: the running mean and 1 / sqrt(running var + eps). */
    private void useRunningStatistics(int c) {
        mean[c] = runningMean.value().data()[c];
        invStd[c] = invStd(runningVar.value().data()[c]);
    }

    /**
     * EVAL mode's forward pass in place on {@code images} images of {@code spatial} values per channel from y[off]:
     * how {@link Sequential} applies this layer within the convolution before it, on the convolution's output while
     * it is in cache, in {@link #outputTensor} (the same numbers as {@link #forward(Tensor, Mode, boolean)} on that
     * output). Call {@link #useRunningStatistics()} first. No input is remembered: a backward pass needs the layer's
     * own forward pass first.
     */
    void normalizeInPlace(float[] y, int off, int images, int spatial, boolean relu) {
        float[] beta = bias.value().data();
        float floor = relu ? 0f : Float.NEGATIVE_INFINITY;
        for (int i = 0; i < images; i++) {
            for (int c = 0; c < channels; c++) {
                Affine.normalize(y, off + (i * channels + c) * spatial, spatial, scale[c], mean[c], beta[c], floor, y);
            }
        }
    }

    @Override
    public Tensor backward(Tensor g) {
        Shape s = input.shape();
        g.shape().require(s, getClass().getSimpleName() + " backward gradient");
        int n = s.dim(0);
        int spatial = s.size() / (n * channels);
        int m = n * spatial;
        float[] gd = g.data();
        float[] xd = input.data();
        gradInput = Tensor.reuse(gradInput, s);
        float[] dxd = gradInput.data();
        Parallel.forRange(channels, Math.max(1, Parallel.MIN_ELEMENTS / m), (from, to) -> {
            if (spatial == 1) {
                columnSums(gd, xd, n, from, to);
                for (int c = from; c < to; c++) {
                    prepareBackward(c, m);
                }
                Affine.normalizeGradientColumns(gd, xd, n, channels, from, to, scale, xScale, mean, shift, dxd);
                return;
            }
            double[] acc = new double[2];
            for (int c = from; c < to; c++) {
                planeSums(gd, xd, n, spatial, c, acc);
                prepareBackward(c, m);
                for (int i = 0; i < n; i++) {
                    Affine.normalizeGradient(gd, xd, (i * channels + c) * spatial, spatial, scale[c], xScale[c],
                            mean[c], shift[c], dxd);
                }
            }
        });
        return gradInput;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(weight, bias, runningMean, runningVar);
    }

    @Override
    public long multiplyAdds(Shape s) {
        return s.size();
    }

    @Override
    public LayerSpec spec() {
        return LayerSpec.of(getClass().getSimpleName(), "channels", channels, "eps", eps, "momentum", momentum);
    }
}
