package org.cnn4j.kernel;

/**
 * Max pooling in plain loops that check every window position against the image: the reference that the faster
 * {@link Pooling#maxPool} is tested against (same results, bit for bit, on odd sizes, padding and dilation).
 */
public final class ReferencePooling {
    private ReferencePooling() {
    }

    /**
     * Max pooling: padding counts as -infinity, so it never wins. {@code argmax} receives, for every output, the
     * index in {@code x} of the value that won (the first one on ties, NaN always wins, as in PyTorch), or -1 if the
     * window holds no input pixel at all (then the output is -infinity).
     */
    public static void maxPool(float[] x, int planes, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw,
                               int dh, int dw, int oh, int ow, float[] y, int[] argmax) {
        int o = 0;
        for (int plane = 0; plane < planes; plane++) {
            int base = plane * h * w;
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    float best = Float.NEGATIVE_INFINITY;
                    int bestIndex = -1;
                    for (int i = 0; i < kh; i++) {
                        int iy = oy * sh - ph + i * dh;
                        if (iy < 0 || iy >= h) {
                            continue;
                        }
                        for (int j = 0; j < kw; j++) {
                            int ix = ox * sw - pw + j * dw;
                            if (ix < 0 || ix >= w) {
                                continue;
                            }
                            int idx = base + iy * w + ix;
                            float v = x[idx];
                            if (v > best || Float.isNaN(v) || bestIndex < 0) {
                                best = v;
                                bestIndex = idx;
                            }
                        }
                    }
                    y[o] = best;
                    argmax[o] = bestIndex;
                    o++;
                }
            }
        }
    }
}
