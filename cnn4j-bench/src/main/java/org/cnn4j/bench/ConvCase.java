package org.cnn4j.bench;

import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Mode;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * One convolution of the benchmarks, with random input and output gradient, from a layer description
 * "[name:]in-out-kernel-stride-padding-size-bias" (size = input height and width, bias "b" or "n"), such as
 * "seed-cnn/conv4:64-64-3-1-1-14-b". The layer has run forward once, so backward can run at once.
 */
record ConvCase(Conv2d conv, Tensor input, Tensor gradOutput) {
    static ConvCase of(String layer, int batch) {
        String[] f = layer.substring(layer.indexOf(':') + 1).split("-");
        if (f.length != 7) {
            throw new IllegalArgumentException("layer " + layer + ": expected in-out-kernel-stride-padding-size-bias");
        }
        int in = Integer.parseInt(f[0]);
        int size = Integer.parseInt(f[5]);
        Conv2d conv = new Conv2d(in, Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]),
                Integer.parseInt(f[4]), 1, f[6].equals("b"));
        Tensor x = Tensor.randn(Shape.of(batch, in, size, size), 1f, 1);
        Tensor y = conv.forward(x, Mode.TRAIN);
        return new ConvCase(conv, x, Tensor.randn(y.shape(), 1f, 2));
    }

    /** Multiply-adds of one forward pass (backward does twice as many). */
    long multiplyAdds() {
        return conv.multiplyAdds(input.shape());
    }
}
