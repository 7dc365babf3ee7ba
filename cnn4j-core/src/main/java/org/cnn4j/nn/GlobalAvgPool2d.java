package org.cnn4j.nn;

import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * Global average pooling, (N, C, H, W) -> (N, C): each channel's mean over the whole image, the step between the
 * convolutional part of ResNet or DenseNet and its final Linear layer. It equals PyTorch's AdaptiveAvgPool2d(1)
 * followed by flatten(1) (torchvision's models do exactly that), and Keras's GlobalAveragePooling2D; the output is
 * already flat, so no Flatten layer follows. Having no weights, it works for any image size.
 *
 * <p>Backward: each of the H*W inputs of a channel contributed 1/(H*W) of its mean, so each gets g[n, c] / (H*W).
 */
public final class GlobalAvgPool2d implements Layer {
    private Shape inputShape;
    private Tensor output;
    private Tensor gradInput;

    @Override
    public Shape outputShape(Shape s) {
        s.requireRank(4, "GlobalAvgPool2d", "N, C, H, W");
        if (s.dim(2) == 0 || s.dim(3) == 0) {
            throw new IllegalArgumentException("GlobalAvgPool2d: empty image in input shape " + s);
        }
        return Shape.of(s.dim(0), s.dim(1));
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Tensor y = Tensor.reuse(output, outputShape(x.shape()));
        int hw = x.dim(2) * x.dim(3);
        float[] xd = x.data();
        float[] yd = y.data();
        for (int nc = 0; nc < yd.length; nc++) {
            double sum = 0;
            for (int i = nc * hw; i < (nc + 1) * hw; i++) {
                sum += xd[i];
            }
            yd[nc] = (float) (sum / hw);
        }
        inputShape = x.shape();
        output = y;
        return y;
    }

    @Override
    public Tensor backward(Tensor g) {
        g.shape().require(outputShape(inputShape), "GlobalAvgPool2d backward gradient");
        int hw = inputShape.dim(2) * inputShape.dim(3);
        Tensor dx = Tensor.reuse(gradInput, inputShape);
        float[] gd = g.data();
        float[] dxd = dx.data();
        for (int nc = 0; nc < gd.length; nc++) {
            java.util.Arrays.fill(dxd, nc * hw, (nc + 1) * hw, gd[nc] / hw);
        }
        gradInput = dx;
        return dx;
    }

    @Override
    public LayerSpec spec() {
        return LayerSpec.of("GlobalAvgPool2d");
    }
}
