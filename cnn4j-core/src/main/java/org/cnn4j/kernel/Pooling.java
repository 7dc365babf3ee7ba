package org.cnn4j.kernel;

/**
 * Max and average pooling over a stack of planes (a batch (N, C, H, W) is N*C planes of H x W), with PyTorch's
 * window rules. Output pixel (oy, ox) looks at the window that starts at row oy*sh - ph and column ox*sw - pw.
 * Each function works on a range of planes [planeFrom, planeTo), so a layer can split the planes between threads.
 */
public final class Pooling {
    private Pooling() {
    }

    /**
     * Output size along one axis, PyTorch's pooling_output_shape: floor((in + 2*pad - dilation*(kernel-1) - 1) /
     * stride) + 1, or with ceil mode the same rounded up, minus one if that last window would start beyond the
     * input and its left padding (it must start inside the input or the left padding). May be zero or negative
     * when the input is too small.
     */
    public static int outSize(int in, int kernel, int stride, int pad, int dilation, boolean ceilMode) {
        int span = in + 2 * pad - dilation * (kernel - 1) - 1;
        int out = Math.floorDiv(span + (ceilMode ? stride - 1 : 0), stride) + 1;
        if (ceilMode && (out - 1) * stride >= in + pad) {
            out--;
        }
        return out;
    }

    /**
     * Max pooling of planes [planeFrom, planeTo): padding counts as -infinity, so it never wins. {@code argmax}
     * receives, for every output, the index in {@code x} of the value that won (the first one on ties, NaN always
     * wins, as in PyTorch), or -1 if the window holds no input pixel at all (then the output is -infinity).
     * Each window's rows and columns inside the image are worked out once, so the inner loops have no bounds
     * checks; {@link ReferencePooling#maxPool} is the plain version.
     */
    public static void maxPool(float[] x, int planeFrom, int planeTo, int h, int w, int kh, int kw, int sh, int sw,
                               int ph, int pw, int dh, int dw, int oh, int ow, float[] y, int[] argmax) {
        if (dh == 1 && dw == 1 && twoByTwo(h, w, kh, kw, sh, sw, ph, pw, oh, ow)) {
            KERNEL.maxPool2x2(x, planeFrom, planeTo, h, w, oh, ow, y, argmax);
            return;
        }
        for (int plane = planeFrom; plane < planeTo; plane++) {
            int base = plane * h * w;
            int o = plane * oh * ow;
            for (int oy = 0; oy < oh; oy++) {
                int y0 = oy * sh - ph;
                int i0 = firstInside(y0, dh);
                int i1 = endInside(y0, dh, h, kh);
                for (int ox = 0; ox < ow; ox++, o++) {
                    int x0 = ox * sw - pw;
                    int j0 = firstInside(x0, dw);
                    int j1 = endInside(x0, dw, w, kw);
                    float best = Float.NEGATIVE_INFINITY;
                    int bestIndex = -1;
                    for (int i = i0; i < i1; i++) {
                        int row = base + (y0 + i * dh) * w + x0;
                        for (int j = j0; j < j1; j++) {
                            int idx = row + j * dw;
                            float v = x[idx];
                            if (v > best || v != v || bestIndex < 0) {
                                best = v;
                                bestIndex = idx;
                            }
                        }
                    }
                    y[o] = best;
                    argmax[o] = bestIndex;
                }
            }
        }
    }

    /**
     * The common 2x2 window at stride 2 without padding, every window inside the image, as the implementations
     * provide it: {@code VectorPooling} with the Vector API (chosen as {@link Gemm} chooses its kernel), {@link Scalar}
     * otherwise.
     */
    interface Kernel {
        void maxPool2x2(float[] x, int planeFrom, int planeTo, int h, int w, int oh, int ow, float[] y, int[] argmax);

        /**
         * {@link #avgPool} of 2x2 windows: forward y = ((((0 + x00) + x01) + x10) + x11) / 4, summed in the order of
         * {@link #avgPoolWindows} (and of PyTorch), or backward g / 4 added to each pixel of the window.
         */
        void avgPool2x2(boolean backward, float[] in, float[] out, int planeFrom, int planeTo, int h, int w, int oh,
                        int ow);
    }

    private static final Kernel KERNEL = Gemm.implementation().equals("vector")
            ? Gemm.loadVector(Kernel.class, "VectorPooling") : new Scalar();

    /**
     * The 2x2 windows one at a time. The winner is chosen by selecting an index rather than by branching on each
     * compare: which of four activations is largest is close to random, so branches there are mispredicted often,
     * and the JIT turns these selects into conditional moves (twice as fast as the general loop on seed-cnn's first
     * pooling layer).
     */
    static final class Scalar implements Kernel {
        @Override
        public void maxPool2x2(float[] x, int planeFrom, int planeTo, int h, int w, int oh, int ow, float[] y,
                               int[] argmax) {
            for (int plane = planeFrom; plane < planeTo; plane++) {
                int base = plane * h * w;
                int o = plane * oh * ow;
                for (int oy = 0; oy < oh; oy++) {
                    int row = base + 2 * oy * w;
                    for (int ox = 0; ox < ow; ox++, o++) {
                        int i = row + 2 * ox;
                        int best = i;
                        best = wins(x[i + 1], x[best]) ? i + 1 : best;
                        best = wins(x[i + w], x[best]) ? i + w : best;
                        best = wins(x[i + w + 1], x[best]) ? i + w + 1 : best;
                        y[o] = x[best];
                        argmax[o] = best;
                    }
                }
            }
        }

        @Override
        public void avgPool2x2(boolean backward, float[] in, float[] out, int planeFrom, int planeTo, int h, int w,
                               int oh, int ow) {
            for (int plane = planeFrom; plane < planeTo; plane++) {
                int o = plane * oh * ow;
                for (int oy = 0; oy < oh; oy++) {
                    int row = (plane * h + 2 * oy) * w;
                    for (int ox = 0; ox < ow; ox++, o++) {
                        int i = row + 2 * ox;
                        if (backward) {
                            float share = in[o] / 4f;
                            out[i] += share;
                            out[i + 1] += share;
                            out[i + w] += share;
                            out[i + w + 1] += share;
                        } else {
                            out[o] = (0f + in[i] + in[i + 1] + in[i + w] + in[i + w + 1]) / 4f;
                        }
                    }
                }
            }
        }

        /** Whether v takes over from the best so far: larger, or NaN (NaN always wins, as in PyTorch). */
        private static boolean wins(float v, float best) {
            return v > best || v != v;
        }
    }

    /**
     * Whether the windows are the {@link Kernel}'s: 2x2 at stride 2 without padding, every output's window inside
     * the image (not so for a ceil-mode last window of an odd size).
     */
    private static boolean twoByTwo(int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, int oh, int ow) {
        return kh == 2 && kw == 2 && sh == 2 && sw == 2 && ph == 0 && pw == 0 && 2 * oh <= h && 2 * ow <= w;
    }

    /** First window tap t (>= 0) whose position start + t * dilation is >= 0. */
    private static int firstInside(int start, int dilation) {
        return start >= 0 ? 0 : (-start + dilation - 1) / dilation;
    }

    /** One past the last window tap t (< kernel) whose position start + t * dilation is < size. */
    private static int endInside(int start, int dilation, int size, int kernel) {
        int last = size - 1 - start;
        return last < 0 ? 0 : Math.min(kernel, last / dilation + 1);
    }

    /**
     * Max pooling backward for outputs [from, to): each output's gradient is added to the input pixel that won its
     * window. Outputs of whole planes only touch the input of those planes, so plane ranges can run in parallel.
     */
    public static void maxPoolBackward(float[] g, int[] argmax, int from, int to, float[] dx) {
        for (int o = from; o < to; o++) {
            if (argmax[o] >= 0) {
                dx[argmax[o]] += g[o];
            }
        }
    }

    /**
     * Average pooling of planes [planeFrom, planeTo), forward ({@code backward} false: y = window sums / divisor) or
     * backward ({@code backward} true: each g / divisor is added to every input pixel of its window). The two
     * directions share one loop so they use the same windows and divisors, as PyTorch's avg_pool2d does: the window is
     * first clipped to the padded input (a ceil-mode window may run past it), which gives the divisor when padding is
     * counted; it is then clipped to the input itself, which gives the divisor when it is not. A window with no input
     * pixel outputs 0.
     *
     * <p>The 2x2 window at stride 2 without padding, every window inside the image (DenseNet's transitions), goes to
     * the {@link Kernel}'s {@code avgPool2x2}; the others to {@link #avgPoolWindows}.
     *
     * @param in  x when forward, g when backward
     * @param out y when forward, dx (accumulated into) when backward
     */
    public static void avgPool(boolean backward, float[] in, float[] out, int planeFrom, int planeTo, int h, int w,
                               int kh, int kw, int sh, int sw, int ph, int pw, int oh, int ow,
                               boolean countIncludePad) {
        if (twoByTwo(h, w, kh, kw, sh, sw, ph, pw, oh, ow)) {
            KERNEL.avgPool2x2(backward, in, out, planeFrom, planeTo, h, w, oh, ow);
            return;
        }
        avgPoolWindows(backward, in, out, planeFrom, planeTo, h, w, kh, kw, sh, sw, ph, pw, oh, ow, countIncludePad);
    }

    /** {@link #avgPool} for any window, one output at a time: the reference the 2x2 kernels are tested against. */
    static void avgPoolWindows(boolean backward, float[] in, float[] out, int planeFrom, int planeTo, int h, int w,
                               int kh, int kw, int sh, int sw, int ph, int pw, int oh, int ow,
                               boolean countIncludePad) {
        for (int plane = planeFrom; plane < planeTo; plane++) {
            int base = plane * h * w;
            int o = plane * oh * ow;
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++, o++) {
                    int y0 = oy * sh - ph;
                    int x0 = ox * sw - pw;
                    int y1 = Math.min(y0 + kh, h + ph);
                    int x1 = Math.min(x0 + kw, w + pw);
                    int paddedCount = (y1 - y0) * (x1 - x0);
                    y0 = Math.max(y0, 0);
                    x0 = Math.max(x0, 0);
                    y1 = Math.min(y1, h);
                    x1 = Math.min(x1, w);
                    if (y0 >= y1 || x0 >= x1) {
                        if (!backward) {
                            out[o] = 0f;
                        }
                        continue;
                    }
                    int divisor = countIncludePad ? paddedCount : (y1 - y0) * (x1 - x0);
                    if (backward) {
                        float share = in[o] / divisor;
                        for (int iy = y0; iy < y1; iy++) {
                            for (int ix = x0; ix < x1; ix++) {
                                out[base + iy * w + ix] += share;
                            }
                        }
                    } else {
                        float sum = 0f;
                        for (int iy = y0; iy < y1; iy++) {
                            for (int ix = x0; ix < x1; ix++) {
                                sum += in[base + iy * w + ix];
                            }
                        }
                        out[o] = sum / divisor;
                    }
                }
            }
        }
    }
}
