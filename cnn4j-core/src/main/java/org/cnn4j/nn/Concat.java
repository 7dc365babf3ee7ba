package org.cnn4j.nn;

import java.util.Map;
import org.cnn4j.kernel.Parallel;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * A dense connection (Huang et al. 2017): y = concat(x, body(x)) along the channels, so (N, C, H, W) becomes
 * (N, C + K, H, W) when the body makes K new channels (the growth rate) of the same size. A dense block is a
 * Sequential of these: every layer sees the channels of all layers before it, and features are reused, not
 * recomputed.
 *
 * <p>Backward splits g = dL/dy by channel: its first C channels are the gradient of the copy of x, the other K go
 * into the body, so dL/dx = g[:, :C] + body.backward(g[:, C:]).
 *
 * <p>Per sample the C and K channels are contiguous in NCHW order, so both directions are two array copies per
 * sample. The child, and so its parameter-name prefix, is "body": "2.0.body.2.weight".
 */
public final class Concat implements Layer {
    private final Layer body;
    private Shape inputShape;
    private Tensor output;
    private Tensor bodyGrad;
    private Tensor gradInput;

    public Concat(Layer body) {
        this.body = java.util.Objects.requireNonNull(body, "body");
    }

    public Layer body() {
        return body;
    }

    @Override
    public Map<String, Layer> children() {
        return Map.of("body", body);
    }

    @Override
    public Shape outputShape(Shape input) {
        input.requireRank(4, "Concat", "N, C, H, W");
        Shape b;
        try {
            b = body.outputShape(input);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Concat: " + e.getMessage(), e);
        }
        if (b.rank() != 4 || b.dim(0) != input.dim(0) || b.dim(2) != input.dim(2) || b.dim(3) != input.dim(3)) {
            throw new IllegalArgumentException("Concat: the body's output " + b + " must keep the batch and image size"
                    + " of the input " + input + " to be concatenated with it");
        }
        return Shape.of(input.dim(0), input.dim(1) + b.dim(1), input.dim(2), input.dim(3));
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Shape out = outputShape(x.shape());
        Tensor f = body.forward(x, mode);
        int xs = x.size() / x.dim(0);
        int fs = f.size() / x.dim(0);
        Tensor y = Tensor.reuse(output, out);
        Parallel.forRange(x.dim(0), grain(xs + fs), (from, to) -> {
            for (int n = from; n < to; n++) {
                System.arraycopy(x.data(), n * xs, y.data(), n * (xs + fs), xs);
                System.arraycopy(f.data(), n * fs, y.data(), n * (xs + fs) + xs, fs);
            }
        });
        inputShape = x.shape();
        output = y;
        return y;
    }

    @Override
    public Tensor backward(Tensor g) {
        Tensor bodyDx = body.backward(bodyGradient(g));
        bodyDx.shape().require(inputShape, "Concat backward: the body's input gradient");
        int batch = inputShape.dim(0);
        int xs = inputShape.size() / batch;
        int ys = g.size() / batch;
        float[] gd = g.data();
        Tensor dx = Tensor.reuse(gradInput, inputShape);
        float[] bd = bodyDx.data();
        float[] dxd = dx.data();
        Parallel.forRange(batch, grain(ys), (from, to) -> {
            for (int n = from; n < to; n++) {
                int src = n * ys;
                int dst = n * xs;
                for (int i = 0; i < xs; i++) {
                    dxd[dst + i] = bd[dst + i] + gd[src + i];
                }
            }
        });
        gradInput = dx;
        return dx;
    }

    /** The body's parameter gradients; the copy of x has none. */
    @Override
    public void backwardParameters(Tensor g) {
        body.backwardParameters(bodyGradient(g));
    }

    /** g's channels of the body's output, per sample after the C channels of x. */
    private Tensor bodyGradient(Tensor g) {
        Shape out = outputShape(inputShape);
        g.shape().require(out, "Concat backward gradient");
        int batch = inputShape.dim(0);
        int xs = inputShape.size() / batch;
        int ys = out.size() / batch;
        int fs = ys - xs;
        Tensor gf = Tensor.reuse(bodyGrad, Shape.of(out.dim(0), out.dim(1) - inputShape.dim(1), out.dim(2),
                out.dim(3)));
        bodyGrad = gf;
        float[] gd = g.data();
        float[] gfd = gf.data();
        Parallel.forRange(batch, grain(ys), (from, to) -> {
            for (int n = from; n < to; n++) {
                System.arraycopy(gd, n * ys + xs, gfd, n * fs, fs);
            }
        });
        return gf;
    }

    /** Samples per chunk of the copies: enough floats that handing a chunk to another thread pays. */
    private static int grain(int floatsPerSample) {
        return Math.max(1, Parallel.MIN_ELEMENTS / floatsPerSample);
    }

    @Override
    public long multiplyAdds(Shape input) {
        return body.multiplyAdds(input);
    }

    @Override
    public LayerSpec spec() {
        return LayerSpec.of("Concat").withChildLayers(children().values());
    }

    static Concat fromSpec(LayerSpec s) {
        if (s.children().size() != 1) {
            throw new IllegalArgumentException("Concat spec needs exactly one body, got " + s.children().size()
                    + " children");
        }
        return new Concat(LayerFactory.create(s.children().get(0)));
    }
}
