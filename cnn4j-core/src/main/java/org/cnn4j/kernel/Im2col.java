package org.cnn4j.kernel;

import java.util.Arrays;

/**
 * Unfolds the patches of one image (C, H, W) into the columns of a matrix of C*kh*kw rows and outH*outW columns,
 * so a convolution becomes one matrix multiply: out[oc, p] = sum_r weight[oc, r] * col[r, p].
 * Row r = (c * kh + i) * kw + j; positions that fall into the zero padding read 0.
 * {@link #col2im} is its adjoint: it adds each column entry back to the input pixel it came from.
 * Row r of the matrix starts at {@code colOff + r * ldcol}: with {@code ldcol} = outH*outW the rows are packed;
 * with a multiple of it, several images unfold side by side into one wider matrix (one image per block of columns).
 *
 * <p>This is the fast version of {@link ReferenceIm2col}: for each output row it works out once which output
 * columns read inside the image, so the inner loop has no bounds checks (and is a plain array copy at stride 1).
 */
public final class Im2col {
    private Im2col() {
    }

    /** Output size of a convolution along one axis (PyTorch's formula); 0 or less when the kernel does not fit. */
    public static int outSize(int in, int kernel, int stride, int pad, int dilation) {
        return Pooling.outSize(in, kernel, stride, pad, dilation, false);
    }

    /** First output position q (>= 0) whose input position q * stride + offset is >= 0. */
    private static int firstInside(int offset, int stride) {
        return offset >= 0 ? 0 : (-offset + stride - 1) / stride;
    }

    /** One past the last output position q (< out) whose input position q * stride + offset is < in. */
    private static int endInside(int offset, int stride, int in, int out) {
        int last = in - 1 - offset;
        return last < 0 ? 0 : Math.min(out, last / stride + 1);
    }

    public static void im2col(float[] x, int xOff, int channels, int h, int w, int kh, int kw, int sh, int sw,
                              int ph, int pw, int dh, int dw, float[] col, int colOff, int ldcol) {
        int oh = outSize(h, kh, sh, ph, dh);
        int ow = outSize(w, kw, sw, pw, dw);
        int row = colOff;
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++, row += ldcol) {
                    int xShift = j * dw - pw; // input column = q * sw + xShift
                    int q0 = Math.min(ow, firstInside(xShift, sw));
                    int q1 = Math.max(q0, endInside(xShift, sw, w, ow));
                    int p = row;
                    for (int y = 0; y < oh; y++, p += ow) {
                        int iy = y * sh - ph + i * dh;
                        if (iy < 0 || iy >= h) {
                            Arrays.fill(col, p, p + ow, 0f);
                            continue;
                        }
                        int src = xOff + (c * h + iy) * w + xShift;
                        Arrays.fill(col, p, p + q0, 0f);
                        if (sw == 1 && q1 > q0) {
                            System.arraycopy(x, src + q0, col, p + q0, q1 - q0);
                        } else if (sw > 1) {
                            for (int q = q0; q < q1; q++) {
                                col[p + q] = x[src + q * sw];
                            }
                        }
                        Arrays.fill(col, p + q1, p + ow, 0f);
                    }
                }
            }
        }
    }

    /** Adds the columns back into the image gradient dx (which is not cleared first). */
    public static void col2im(float[] col, int colOff, int ldcol, int channels, int h, int w, int kh, int kw,
                              int sh, int sw, int ph, int pw, int dh, int dw, float[] dx, int dxOff) {
        int oh = outSize(h, kh, sh, ph, dh);
        int ow = outSize(w, kw, sw, pw, dw);
        int row = colOff;
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++, row += ldcol) {
                    int xShift = j * dw - pw;
                    int q0 = Math.min(ow, firstInside(xShift, sw));
                    int q1 = Math.max(q0, endInside(xShift, sw, w, ow));
                    int p = row;
                    for (int y = 0; y < oh; y++, p += ow) {
                        int iy = y * sh - ph + i * dh;
                        if (iy < 0 || iy >= h) {
                            continue;
                        }
                        int dst = dxOff + (c * h + iy) * w + xShift;
                        if (sw == 1) {
                            addTo(dx, dst + q0, col, p + q0, q1 - q0);
                        } else if (sw == 2) { // a constant stride: perf put 20% less time in col2im (ResNet's
                            // stride-2 3x3 layer, 16 -> 32 channels at 32x32) than with sw in the index
                            for (int q = q0; q < q1; q++) {
                                dx[dst + 2 * q] += col[p + q];
                            }
                        } else {
                            for (int q = q0; q < q1; q++) {
                                dx[dst + q * sw] += col[p + q];
                            }
                        }
                    }
                }
            }
        }
    }

    /** dst[dOff + i] += src[sOff + i] for i < len: a loop simple enough for the JIT to vectorize. */
    private static void addTo(float[] dst, int dOff, float[] src, int sOff, int len) {
        for (int i = 0; i < len; i++) {
            dst[dOff + i] += src[sOff + i];
        }
    }

    /**
     * Lays {@code images} consecutive blocks of {@code rows} x {@code p} (images in NCHW order: channels x pixels)
     * side by side as one rows x (images * p) matrix: m[r, i * p + q] = x[i][r][q].
     */
    public static void imagesToRows(float[] x, int xOff, int images, int rows, int p, float[] m, int mOff) {
        int ld = images * p;
        for (int i = 0; i < images; i++) {
            for (int r = 0; r < rows; r++) {
                System.arraycopy(x, xOff + (i * rows + r) * p, m, mOff + r * ld + i * p, p);
            }
        }
    }
}
