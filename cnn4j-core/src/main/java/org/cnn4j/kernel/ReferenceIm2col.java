package org.cnn4j.kernel;

/**
 * The plain definition of {@link Im2col}: one bounds check per element. Kept as the yardstick for the fast version.
 *
 * <p>Unfolds the patches of one image (C, H, W) into the columns of a matrix of C*kh*kw rows and outH*outW columns,
 * so a convolution becomes one matrix multiply: out[oc, p] = sum_r weight[oc, r] * col[r, p].
 * Row r = (c * kh + i) * kw + j; positions that fall into the zero padding read 0.
 * {@link #col2im} is its adjoint: it adds each column entry back to the input pixel it came from.
 */
public final class ReferenceIm2col {
    private ReferenceIm2col() {
    }

    public static void im2col(float[] x, int xOff, int channels, int h, int w, int kh, int kw, int sh, int sw,
                              int ph, int pw, int dh, int dw, float[] col, int colOff) {
        int oh = Im2col.outSize(h, kh, sh, ph, dh);
        int ow = Im2col.outSize(w, kw, sw, pw, dw);
        int p = colOff;
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++) {
                    for (int y = 0; y < oh; y++) {
                        int iy = y * sh - ph + i * dh;
                        if (iy < 0 || iy >= h) {
                            java.util.Arrays.fill(col, p, p + ow, 0f);
                            p += ow;
                            continue;
                        }
                        int rowBase = xOff + (c * h + iy) * w;
                        for (int xq = 0; xq < ow; xq++) {
                            int ix = xq * sw - pw + j * dw;
                            col[p++] = (ix >= 0 && ix < w) ? x[rowBase + ix] : 0f;
                        }
                    }
                }
            }
        }
    }

    /** Adds the columns back into the image gradient dx (which is not cleared first). */
    public static void col2im(float[] col, int colOff, int channels, int h, int w, int kh, int kw, int sh, int sw,
                              int ph, int pw, int dh, int dw, float[] dx, int dxOff) {
        int oh = Im2col.outSize(h, kh, sh, ph, dh);
        int ow = Im2col.outSize(w, kw, sw, pw, dw);
        int p = colOff;
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++) {
                    for (int y = 0; y < oh; y++) {
                        int iy = y * sh - ph + i * dh;
                        if (iy < 0 || iy >= h) {
                            p += ow;
                            continue;
                        }
                        int rowBase = dxOff + (c * h + iy) * w;
                        for (int xq = 0; xq < ow; xq++) {
                            int ix = xq * sw - pw + j * dw;
                            if (ix >= 0 && ix < w) {
                                dx[rowBase + ix] += col[p];
                            }
                            p++;
                        }
                    }
                }
            }
        }
    }
}
