package org.cnn4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import org.cnn4j.kernel.Parallel;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Conv2d's backward sums over several images at a time: by im2col and GEMM it unfolds several images side by side per
 * matrix product (about {@link Conv2d#GEMM_COLUMNS} pixels), and at stride 1 DirectConv's weight gradient lays the
 * padded planes of several small images side by side (about 1,024 pixel numbers). A batch's gradients must equal the
 * sums of the gradients of its images taken one at a time, also when the batch does not split into whole groups and
 * when it is split between threads.
 */
class Conv2dBatchTest {
    private final int threadsBefore = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(threadsBefore);
    }

    @Test
    void batchGradientsAreTheSumsOfPerImageGradients() {
        // stride 1, 16x16 images: padded planes of 18x18, three images per sum; on one thread 7 images make sums
        // of 3, 3 and 1 images, on two threads (chunks of 3 and 4 images) 3, and 3 and 1
        for (int threads : new int[] {1, 2}) {
            Parallel.setThreads(threads);
            check(new Conv2d(3, 5, 3, 1, 1), 7, 16);
            check(new Conv2d(8, 3, 3, 1, 1), 6, 16); // fewer outputs than inputs
            check(new Conv2d(2, 3, 3, 1, 1), 3, 32); // planes of 34x34: one image per sum
            // by im2col and GEMM: 256 output pixels, four images per product
            check(new Conv2d(4, 6, 3, 2, 1), 9, 31); // stride 2: 16x16 outputs from 31x31
            check(new Conv2d(6, 3, 1), 5, 16); // pointwise
            check(new Conv2d(3, 4, 3, 1, 1, 1, 1, true), 5, 16); // 3x1 kernel, padding 1 beyond its width
            check(new Conv2d(4, 3, 1), 3, 32); // 1,024 pixels: one image per product, g and the input used in place
        }
    }

    private static void check(Conv2d conv, int batch, int size) {
        int c = conv.weight().value().dim(1);
        Tensor x = Tensor.randn(Shape.of(batch, c, size, size), 1f, 11);
        Shape os = conv.outputShape(x.shape());
        Tensor g = Tensor.randn(os, 1f, 12);
        conv.weight().zeroGrad();
        conv.bias().zeroGrad();
        conv.forward(x, Mode.TRAIN);
        float[] dx = conv.backward(g).data().clone();
        float[] dw = conv.weight().grad().data().clone();
        float[] db = conv.bias().grad().data().clone();

        int inSize = x.size() / batch;
        int outSize = os.size() / batch;
        float[] dxSum = new float[dx.length];
        conv.weight().zeroGrad();
        conv.bias().zeroGrad();
        for (int n = 0; n < batch; n++) { // gradients accumulate over the calls
            Tensor xi = new Tensor(Shape.of(1, c, size, size),
                    Arrays.copyOfRange(x.data(), n * inSize, (n + 1) * inSize));
            Tensor gi = new Tensor(Shape.of(1, os.dim(1), os.dim(2), os.dim(3)), Arrays.copyOfRange(g.data(), n * outSize, (n + 1) * outSize));
            conv.forward(xi, Mode.TRAIN);
            System.arraycopy(conv.backward(gi).data(), 0, dxSum, n * inSize, inSize);
        }
        String what = "Conv2d with weight " + conv.weight().value().shape() + ", batch " + batch + ", " + Parallel.threads() + " thread(s)";
        assertArrayEquals(dxSum, dx, 1e-4f, "input gradient of " + what);
        assertArrayEquals(conv.weight().grad().data(), dw, 1e-3f, "weight gradient of " + what);
        assertArrayEquals(conv.bias().grad().data(), db, 1e-3f, "bias gradient of " + what);
    }
}
