package org.cnn4j.kernel;

import java.util.Arrays;

/**
 * Convolution without im2col. At stride 1, each image (C, H, W) is copied once into a zero-padded buffer p of C
 * planes, (H + 2ph) x (W + 2pw) each, stored one after the other (at stride s, C s^2 phase planes: see below).
 * Output pixel (y, x) is then numbered
 * o = y * Wp + x, with Wp the padded width, and the input of filter weight (c, i, j) for that pixel sits at
 * p[off(c, i, j) + o], with off(c, i, j) = c * plane + i * dilation * Wp + j * dilation: the same offset for every
 * pixel. So the im2col matrix needs no building; its row q is p read from off[q] on:
 *
 * <pre>
 *   y[oc, o] = sum over q of w[oc, q] * p[off[q] + o]               (forward)
 *   dw[oc, q] += sum over o of g[oc, o] * p[off[q] + o]              (weight gradient)
 * </pre>
 *
 * The numbering computes Wp - outW wasted columns per output row (the positions that straddle the right border),
 * which are dropped when the result is copied out. Rows and images share their zero borders where the padding allows
 * (see Plan: Wp = W + pw, so 1 wasted column of 33 at 32x32 with padding 1, 1 of 9 at 8x8), and small images are
 * numbered several at a time, up to {@value #GROUP_PIXELS} pixel numbers per product. Against im2col
 * and a GEMM, nothing of size k x pixels is written and read back, and the kernel's loads come from an image-sized
 * buffer (measured on images up to 32x32, whose padded copies stay in L2: 222 KB for 48 channels). The input
 * gradient of a stride-1 convolution is itself such a convolution (of g, padded by dilation * (kernel - 1) -
 * padding, with the filters turned by 180 degrees and in/out swapped), so {@link #forward} serves it too.
 *
 * <p>At stride s, each padded plane is stored as s x s phases: phase (a, b) holds the pixels (s u + a, s v + b), a
 * plane of Hq x Wq = ceil((H + 2ph) / s) x ceil((W + 2pw) / s). The input of weight (c, i, j) for output pixel
 * (y, x) is padded pixel (s y + i d, s x + j d), which is pixel (y + (i d) / s, x + (j d) / s) of phase
 * ((i d) % s, (j d) % s): so with output pixels numbered o = y * Wq + x, it again sits at a fixed offset from o in
 * the buffer, and the same kernels compute strided convolutions, with no wasted multiplications beyond the border
 * columns. (The input gradient of a strided convolution is not such a convolution: Conv2d computes it by GEMM.)
 *
 * <p>The products run on the Vector API kernel when {@link Gemm} uses its vector kernel, otherwise on plain loops.
 * Working arrays are per thread: concurrent calls are safe and a steady state allocates nothing.
 */
public final class DirectConv {
    static final ShiftedRowsKernel KERNEL = Gemm.implementation().equals("vector")
            ? Gemm.loadVector(ShiftedRowsKernel.class, "VectorShiftedRows")
            : new ScalarShiftedRows();
    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);
    /**
     * Pixel numbers one product covers at most, unless one image has more: small images are taken several at a time
     * (forward and weight gradient).
     */
    static final int GROUP_PIXELS = 1024;

    private DirectConv() {
    }

    private static final class Buffers {
        float[] padded = new float[0];
        float[] rows = new float[0];
        int[] offsets = new int[0];

        /** The layout the padded buffer holds images in (see Plan.pad), and its slack; null after growing. */
        Plan paddedFor;
        int paddedSlack;

        float[] padded(int size) {
            if (padded.length < size) {
                padded = new float[size];
                paddedFor = null;
            }
            return padded;
        }

        float[] rows(int size) {
            if (rows.length < size) {
                rows = new float[size];
            }
            return rows;
        }

        int[] offsets(int size) {
            if (offsets.length < size) {
                offsets = new int[size];
            }
            return offsets;
        }
    }

    /**
     * The geometry of one call: padded sizes, output sizes, the pixel numbering and the row offsets. Several images
     * share the padded buffer, phase plane by phase plane: plane f (channel c, phase (a, b), f = (c s + a) s + b) at
     * f * phaseStride, image t of it from t * plane on, its rows phaseW apart; so the pixels of all of them are
     * numbered in one run, o = t * plane + y * phaseW + x, with the same offsets.
     *
     * <p>At stride 1 with padding within the kernel's reach, neighbours share their zero borders: a row holds pw zeros
     * and then its w pixels (phaseW = w + pw: the zeros left of a row are those right of the row before), and an
     * image h rows after ph zero rows (plane = (h + ph) phaseW: the zero rows above an image are those below the one
     * before). That leaves pw instead of 2 pw wasted columns per output row and ph instead of 2 ph wasted rows per
     * image (8x8 images padded by 1: 64 of 81 pixel numbers used instead of 64 of 100).
     */
    private record Plan(int channels, int h, int w, int kh, int kw, int ph, int pw, int stride, int dilation,
                        int images, int phaseW, int plane, int phaseStride, int outH, int outW) {
        static Plan of(int channels, int h, int w, int kh, int kw, int ph, int pw, int stride, int dilation,
                       int images) {
            int hp = h + 2 * ph;
            int wp = w + 2 * pw;
            if (ph < 0 || pw < 0) {
                throw new IllegalArgumentException("DirectConv: negative padding " + ph + "x" + pw);
            }
            if (stride < 1) {
                throw new IllegalArgumentException("DirectConv: stride " + stride);
            }
            if (hp - dilation * (kh - 1) <= 0 || wp - dilation * (kw - 1) <= 0) {
                throw new IllegalArgumentException("DirectConv: kernel " + kh + "x" + kw + " (dilation " + dilation
                        + ") does not fit in " + h + "x" + w + " padded by " + ph + "x" + pw);
            }
            int outH = (hp - dilation * (kh - 1) - 1) / stride + 1;
            int outW = (wp - dilation * (kw - 1) - 1) / stride + 1;
            boolean shared = stride == 1 && ph <= dilation * (kh - 1) && pw <= dilation * (kw - 1);
            int phaseW = shared ? w + pw : (wp + stride - 1) / stride;
            int plane = shared ? (h + ph) * phaseW : (hp + stride - 1) / stride * phaseW;
            int phaseStride = images * plane + (shared ? ph * phaseW + pw : 0); // + the last image's bottom border
            return new Plan(channels, h, w, kh, kw, ph, pw, stride, dilation, images, phaseW, plane, phaseStride, outH,
                    outW);
        }

        int k() {
            return channels * kh * kw;
        }

        /**
         * This plan for as many of its images as one product takes: up to {@value #GROUP_PIXELS} pixel numbers, at
         * least one image.
         */
        Plan perProduct() {
            return withImages(Math.max(1, Math.min(images, GROUP_PIXELS / plane)));
        }

        /** This plan for n images (itself if it has n: a call makes a plan per product, not per group of images). */
        Plan withImages(int n) {
            return n == images ? this : of(channels, h, w, kh, kw, ph, pw, stride, dilation, n);
        }

        /** Pixel numbers up to the last output pixel of the last image, plus one. */
        int pixels() {
            return (images - 1) * plane + (outH - 1) * phaseW + outW;
        }

        /** off[q] for q = (c * kh + i) * kw + j, im2col's row order. */
        int[] offsets(Buffers buf) {
            int[] off = buf.offsets(k());
            int q = 0;
            for (int c = 0; c < channels; c++) {
                for (int i = 0; i < kh; i++) {
                    for (int j = 0; j < kw; j++) {
                        int di = i * dilation;
                        int dj = j * dilation;
                        int phase = (c * stride + di % stride) * stride + dj % stride;
                        off[q++] = phase * phaseStride + di / stride * phaseW + dj / stride;
                    }
                }
            }
            return off;
        }

        /**
         * Copies the images from x[xOff..] into the padded buffer; the padding is zero, and so are the slack floats
         * after it that a kernel reads beyond the last pixel (its column tile: it works on whole tiles of pixels).
         */
        float[] pad(ShiftedRowsKernel kernel, float[] x, int xOff, Buffers buf, int slack) {
            int size = channels * stride * stride * phaseStride + slack;
            float[] p = buf.padded(size);
            // the borders are zeroed once per layout: a call pads image after image into the same places
            if (!equals(buf.paddedFor) || slack != buf.paddedSlack) {
                Arrays.fill(p, 0, size, 0f);
                buf.paddedFor = this;
                buf.paddedSlack = slack;
            }
            for (int t = 0; t < images; t++) {
                for (int c = 0; c < channels; c++) {
                    if (stride == 1) {
                        Rows.copy(x, xOff + (t * channels + c) * h * w, w, p,
                                c * phaseStride + t * plane + ph * phaseW + pw, phaseW, h, w);
                        continue;
                    }
                    if (stride == 2) { // ResNet's downsampling: both column phases of a row in one pass
                        int a = ph % 2;
                        int row = ph / 2 * phaseW;
                        for (int y = 0; y < h; y++) {
                            int at = (c * 2 + a) * 2 * phaseStride + t * plane + row;
                            kernel.splitColumns(x, xOff + ((t * channels + c) * h + y) * w, w, p,
                                    at + pw % 2 * phaseStride + pw / 2, at + (pw + 1) % 2 * phaseStride + (pw + 1) / 2);
                            if (++a == 2) {
                                a = 0;
                                row += phaseW;
                            }
                        }
                        continue;
                    }
                    for (int b = 0; b < stride; b++) { // column phase b: image columns x0, x0 + s, ... (no division
                        int x0 = Math.floorMod(b - pw, stride); // per row: integer division costs 20-40 cycles)
                        int count = x0 < w ? (w - x0 + stride - 1) / stride : 0;
                        int col = (x0 + pw) / stride;
                        int a = ph % stride; // row phase and first pixel of padded row y + ph
                        int row = ph / stride * phaseW;
                        for (int y = 0; y < h; y++) {
                            int src = xOff + ((t * channels + c) * h + y) * w + x0;
                            int dst = ((c * stride + a) * stride + b) * phaseStride + t * plane + row + col;
                            for (int v = 0; v < count; v++) {
                                p[dst + v] = x[src + v * stride];
                            }
                            if (++a == stride) {
                                a = 0;
                                row += phaseW;
                            }
                        }
                    }
                }
            }
            return p;
        }
    }

    /**
     * y[yOff..] = the convolution of {@code images} consecutive images from x[xOff..] (channels x h x w each) with
     * weights w (outChannels x channels x kh x kw), padding ph, pw and the given stride and dilation, plus bias[oc]
     * unless bias is null; the outputs (outChannels x outH x outW each) are overwritten.
     */
    public static void forward(float[] x, int xOff, int images, int channels, int h, int w, float[] weights,
                               float[] bias, int outChannels, int kh, int kw, int ph, int pw, int stride, int dilation,
                               float[] y, int yOff) {
        forward(KERNEL, x, xOff, images, channels, h, w, weights, bias, outChannels, kh, kw, ph, pw, stride, dilation,
                y, yOff);
    }

    /** {@link #forward} on the given kernel (tests run both). */
    static void forward(ShiftedRowsKernel kernel, float[] x, int xOff, int images, int channels, int h, int w,
                        float[] weights, float[] bias, int outChannels, int kh, int kw, int ph, int pw, int stride,
                        int dilation, float[] y, int yOff) {
        Buffers buf = BUFFERS.get();
        Plan full = Plan.of(channels, h, w, kh, kw, ph, pw, stride, dilation, images).perProduct();
        float[] packed = kernel.pack(outChannels, channels * kh * kw, weights);
        for (int t0 = 0; t0 < images; t0 += full.images) {
            Plan plan = full.withImages(Math.min(full.images, images - t0));
            int n = plan.pixels();
            int ldo = roundUp(n, kernel.columnTile());
            float[] out = buf.rows(roundUp(outChannels, kernel.rowTile()) * ldo);
            float[] p = plan.pad(kernel, x, xOff + t0 * channels * h * w, buf, kernel.columnTile());
            kernel.product(outChannels, n, plan.k(), packed, p, plan.offsets(buf), out, ldo);
            int outSize = plan.outH * plan.outW;
            for (int t = 0; t < plan.images; t++) {
                for (int oc = 0; oc < outChannels; oc++) {
                    int dst = yOff + ((t0 + t) * outChannels + oc) * outSize;
                    Rows.copy(out, oc * ldo + t * plan.plane, plan.phaseW, y, dst, plan.outW, plan.outH, plan.outW);
                    if (bias != null) { // while the channel is in L1
                        float b = bias[oc];
                        for (int i = dst; i < dst + outSize; i++) {
                            y[i] += b;
                        }
                    }
                }
            }
        }
    }

    /**
     * dw[oc, q] += sum over output pixels of g[oc, pixel] times the input under weight q, for {@code images}
     * consecutive images from x[xOff..] and their output gradients from g[gOff..] (outChannels x outH x outW each);
     * dw is outChannels x (channels * kh * kw). Small images are taken several at a time (about
     * {@value #GROUP_PIXELS} pixel numbers), so each sum runs longer before its vector lanes are added up.
     */
    public static void weightGradient(float[] x, int xOff, int images, int channels, int h, int w, float[] g,
                                      int gOff, int outChannels, int kh, int kw, int ph, int pw, int stride,
                                      int dilation, float[] dw) {
        weightGradient(KERNEL, x, xOff, images, channels, h, w, g, gOff, outChannels, kh, kw, ph, pw, stride, dilation,
                dw);
    }

    /** {@link #weightGradient} on the given kernel (tests run both). */
    static void weightGradient(ShiftedRowsKernel kernel, float[] x, int xOff, int images, int channels, int h, int w,
                               float[] g, int gOff, int outChannels, int kh, int kw, int ph, int pw, int stride,
                               int dilation, float[] dw) {
        Buffers buf = BUFFERS.get();
        Plan full = Plan.of(channels, h, w, kh, kw, ph, pw, stride, dilation, images).perProduct();
        for (int t0 = 0; t0 < images; t0 += full.images) {
            Plan plan = full.withImages(Math.min(full.images, images - t0));
            float[] p = plan.pad(kernel, x, xOff + t0 * channels * h * w, buf, kernel.columnTile());
            // g in the same numbering: row r of image t at t * plane + r * phaseW, zero in the pixels that straddle the
            // border and up to a whole number of vectors (the padded buffer has that much slack)
            int ldg = roundUp(plan.pixels(), kernel.vectorLength());
            float[] gp = buf.rows(outChannels * ldg);
            Arrays.fill(gp, 0, outChannels * ldg, 0f);
            int outSize = plan.outH * plan.outW;
            for (int t = 0; t < plan.images; t++) {
                for (int oc = 0; oc < outChannels; oc++) {
                    Rows.copy(g, gOff + ((t0 + t) * outChannels + oc) * outSize, plan.outW, gp,
                            oc * ldg + t * plan.plane, plan.phaseW, plan.outH, plan.outW);
                }
            }
            kernel.dots(outChannels, plan.k(), ldg, gp, ldg, p, plan.offsets(buf), dw);
        }
    }

    static int roundUp(int x, int unit) {
        return (x + unit - 1) / unit * unit;
    }
}
