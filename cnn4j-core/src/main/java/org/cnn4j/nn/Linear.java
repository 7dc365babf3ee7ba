package org.cnn4j.nn;

import java.util.List;
import org.cnn4j.init.Init;
import org.cnn4j.kernel.Gemm;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * A fully connected layer, y = x Wᵀ + b, on a batch of vectors (N, in) -> (N, out). The weight has PyTorch's
 * shape (out, in); it starts He-normal and the bias at zero.
 *
 * <p>Backward, with g = dL/dy: dL/dW = gᵀ x (summed over the batch), dL/db = column sums of g, dL/dx = g W.
 */
public final class Linear implements Layer {
    private final int in;
    private final int out;
    private final Parameter weight;
    private final Parameter bias;
    private Tensor input;
    private Tensor output;
    private Tensor gradInput;

    public Linear(int in, int out) {
        this(in, out, true);
    }

    public Linear(int in, int out, boolean bias) {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException("Linear(" + in + ", " + out + "): sizes must be positive");
        }
        this.in = in;
        this.out = out;
        this.weight = Parameter.trainable("weight", Shape.of(out, in));
        this.bias = bias ? Parameter.trainable("bias", Shape.of(out)) : null;
        Init.apply(Init.heNormal(), weight.value());
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }

    @Override
    public Shape outputShape(Shape s) {
        if (s.rank() != 2 || s.dim(1) != in) {
            throw new IllegalArgumentException("Linear(" + in + ", " + out + ") expects input (N, " + in + ") but got "
                    + s + (s.rank() > 2 ? " (add a Flatten before it)" : ""));
        }
        return Shape.of(s.dim(0), out);
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Shape os = outputShape(x.shape());
        int n = x.dim(0);
        Tensor y = Tensor.reuse(output, os);
        Gemm.sgemm(false, true, n, out, in, 1f, x.data(), 0, in, weight.value().data(), 0, in, 0f, y.data(), 0, out);
        if (bias != null) {
            float[] yd = y.data();
            float[] b = bias.value().data();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < out; j++) {
                    yd[i * out + j] += b[j];
                }
            }
        }
        input = x;
        output = y;
        return y;
    }

    @Override
    public Tensor backward(Tensor g) {
        return backward(g, true);
    }

    @Override
    public void backwardParameters(Tensor g) {
        backward(g, false);
    }

    private Tensor backward(Tensor g, boolean inputGradient) {
        int n = input.dim(0);
        g.shape().require(Shape.of(n, out), "Linear backward gradient");
        Gemm.sgemm(true, false, out, in, n, 1f, g.data(), 0, out, input.data(), 0, in, 1f, weight.grad().data(), 0, in);
        if (bias != null) {
            float[] gd = g.data();
            float[] db = bias.grad().data();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < out; j++) {
                    db[j] += gd[i * out + j];
                }
            }
        }
        if (!inputGradient) {
            return null;
        }
        Tensor dx = Tensor.reuse(gradInput, input.shape());
        Gemm.sgemm(false, false, n, in, out, 1f, g.data(), 0, out, weight.value().data(), 0, in, 0f, dx.data(), 0, in);
        gradInput = dx;
        return dx;
    }

    @Override
    public List<Parameter> parameters() {
        return bias == null ? List.of(weight) : List.of(weight, bias);
    }

    @Override
    public long multiplyAdds(Shape s) {
        return (long) s.dim(0) * in * out;
    }

    @Override
    public LayerSpec spec() {
        return LayerSpec.of("Linear", "in", in, "out", out, "bias", bias != null);
    }

    static Linear fromSpec(LayerSpec s) {
        return new Linear(s.getInt("in"), s.getInt("out"), s.getBoolean("bias"));
    }
}
