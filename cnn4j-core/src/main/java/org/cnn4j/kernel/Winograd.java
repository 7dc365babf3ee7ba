package org.cnn4j.kernel;

import java.util.Arrays;

/**
 * 3x3 convolutions at stride 1 by Winograd's minimal filtering F(4x4, 3x3) (Lavin and Gray, "Fast Algorithms for
 * Convolutional Neural Networks", 2015): 36 multiplications per 4x4 block of outputs and input channel instead of
 * 144. The output is cut into tiles of 4x4 pixels; each needs the 6x6 patch d of padded input under it, and with
 * g a 3x3 filter,
 *
 * <pre>
 *   Y = Aᵀ [ (G g Gᵀ) ⊙ (Bᵀ d B) ] A              (⊙: element by element, 6x6)
 *
 *   Bᵀ = | 4  0 -5  0  1  0 |    G = |  1/4     0     0  |    Aᵀ = | 1  1  1  1  1  0 |
 *        | 0 -4 -4  1  1  0 |        | -1/6  -1/6  -1/6  |         | 0  1 -1  2 -2  0 |
 *        | 0  4 -4 -1  1  0 |        | -1/6   1/6  -1/6  |         | 0  1  1  4  4  0 |
 *        | 0 -2 -1  2  1  0 |        |  1/24  1/12  1/6  |         | 0  1 -1  8 -8  1 |
 *        | 0  2 -1 -2  1  0 |        |  1/24 -1/12  1/6  |
 *        | 0  4  0 -5  0  1 |        |   0     0     1   |
 * </pre>
 *
 * Summed over the input channels, the element-by-element products become 36 matrix products, one per position ξ of
 * the 6x6: M_ξ[oc, t] = sum over c of U_ξ[oc, c] V_ξ[c, t], with U = G g Gᵀ (the filters, transformed once per call)
 * and V = Bᵀ d B (the input patch of tile t, channel c). The products run on {@link DirectConv}'s product kernel, whose
 * row offsets here point at the rows of V. Then Y = Aᵀ M A gives the tile's 16 outputs. The input gradient of a
 * stride-1 convolution is a convolution too (see DirectConv), and the weight gradient runs through the same
 * transforms ({@link #weightGradient}). The transforms are additions and multiplications by small constants, a few
 * dozen per value and channel; the products, 4 times fewer multiply-adds than the direct convolution's, outweigh
 * them from about 12 channels in and out (see {@link #pays}).
 *
 * <p>In float, the transforms cost some precision: over 64 input channels, the largest error among 300,000 outputs
 * was 4e-5 of their typical size (root mean square), against 5e-6 for the direct sum.
 *
 * <p>The transforms run on L tiles at once with the Vector API ({@code VectorWinograd}: gathers the patches, writes the
 * outputs back one value at a time), one tile at a time otherwise ({@link ScalarTransforms}). Images are transformed a
 * group at a time (in forward V and M of a group at most about 0.5 MB each, so they stay in L2; in the weight gradient
 * 4 MB, for longer sums), preferably a number of images whose tiles fill whole vectors (8x8 images: 8 at a time, 32
 * tiles, rather than 14 and a remainder: 1.2x faster). Working arrays are per thread: concurrent calls are safe and a
 * steady state allocates nothing.
 */
public final class Winograd {
    /** Positions of the transformed 6x6 tile. */
    static final int POSITIONS = 36;
    /**
     * Filters (channels x outChannels) beyond which Conv2d keeps the direct convolution: each thread holds 36
     * transformed values per filter, and the weight gradient as many (2.4 MB each at 128 x 128; measured up to 64 x
     * 64).
     */
    static final int MAX_FILTERS = 128 * 128;
    /** Floats of V (and of M) that one group of images fills at most, unless one image has more. */
    private static final int GROUP_FLOATS = 1 << 17;
    /**
     * The same for the weight gradient, whose products are sums over the group's tiles: longer sums spend less on
     * adding up vector lanes at the end (64 channels at 14x14: 1.0x of DirectConv with 2^17 floats, 1.3x with 2^20
     * and 2^21).
     */
    private static final int GROUP_FLOATS_WEIGHTS = 1 << 20;
    private static final ShiftedRowsKernel KERNEL = DirectConv.KERNEL;
    private static final Transforms TRANSFORMS = Gemm.implementation().equals("vector")
            ? Gemm.loadVector(Transforms.class, "VectorWinograd") : new ScalarTransforms();
    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    private Winograd() {
    }

    /**
     * The input and output transforms of many tiles. Tile t's patch of channel c is d[i][j] = p[base[t] + c * plane
     * + i * ld + j] (i, j &lt; 6); its output pixel (r, s) of channel oc goes to y[base[t] + oc * plane + r * ld + s]
     * (r, s &lt; 4). The base arrays have room for the tiles rounded up to {@link #lanes}, and the entries beyond the
     * last tile hold valid bases (they are read, not used).
     */
    interface Transforms {
        /** Tiles transformed at once: base arrays are read this many entries at a time. */
        int lanes();

        /**
         * U = G g Gᵀ of filters f &lt; count, whose weight e = 3 i + j is g[from + e * ld + f]: U_ξ into
         * u[to + ξ * ld + f]; the arrays have room for count rounded up to {@link #lanes}.
         */
        void filters(float[] g, int from, int count, int ld, float[] u, int to);

        /**
         * V_ξ[c, t] = (Bᵀ d B)_ξ into v[ξ * block + c * ldv + t], for t &lt; tiles and c &lt; channels (the columns up
         * to tiles rounded up to {@link #lanes} are overwritten too).
         */
        void input(float[] p, int[] base, int tiles, int channels, int plane, int ld, float[] v, int block, int ldv);

        /**
         * dM = A dY Aᵀ of the tiles' output gradients dY (read where the outputs go) into m[ξ][oc * ldm + t], for
         * t &lt; tiles (the entries up to tiles rounded up to {@link #lanes} are overwritten too).
         */
        void gradient(float[] dy, int[] base, int tiles, int outChannels, int plane, int ld, float[][] m, int ldm);

        /** The tiles' outputs, (Aᵀ M A) + bias[oc] (unless bias is null), with M_ξ[oc, t] = m[ξ][oc * ldm + t]. */
        void output(float[][] m, int ldm, int tiles, int outChannels, float[] bias, float[] y, int[] base, int plane,
                    int ld);
    }

    /** Whether this convolution is one Winograd computes: 3x3, stride 1, no dilation, padding at most 2. */
    public static boolean suits(int kh, int kw, int stride, int dilation, int ph, int pw) {
        return kh == 3 && kw == 3 && stride == 1 && dilation == 1 && ph <= 2 && pw <= 2;
    }

    /**
     * Whether Winograd {@link #suits} this convolution of h x w images and measured faster than {@link DirectConv}
     * on it (docs/BENCHMARKS.md): at least 12 channels in and out, and either 512 or more filters (channels x
     * outChannels) or outputs of at most 16x16 pixels; and at most {@value #MAX_FILTERS} filters. The transforms cost
     * per tile and channel, the products they save per tile and pair of channels: with 16 channels in and out of 32x32
     * images (ResNet's first stage), DirectConv stays 1.15x faster; with 3 input channels 2x.
     */
    public static boolean pays(int channels, int outChannels, int h, int w, int kh, int kw, int stride, int dilation,
                               int ph, int pw) {
        int pixels = (h + 2 * ph - 2) * (w + 2 * pw - 2);
        return suits(kh, kw, stride, dilation, ph, pw) && Math.min(channels, outChannels) >= 12
                && (channels * outChannels >= 512 || pixels <= 256) && channels * outChannels <= MAX_FILTERS;
    }

    /**
     * Whether {@link #weightGradient} measured faster than {@link DirectConv}'s on this convolution (which Winograd
     * must {@link #suits}): 32 channels or more in and out, at most {@value #MAX_FILTERS} filters
     * (docs/BENCHMARKS.md). With 16 channels in and out, or 12
     * out, the two are about even or DirectConv is faster (its dot products need no transforms).
     */
    public static boolean paysForWeights(int channels, int outChannels, int kh, int kw, int stride, int dilation,
                                         int ph, int pw) {
        return suits(kh, kw, stride, dilation, ph, pw) && channels >= 32 && outChannels >= 32
                && channels * outChannels <= MAX_FILTERS;
    }

    private static final class Buffers {
        float[] padded = new float[0];
        /** The layout the padded buffer's zero borders were written for: {channels, h, w, ph, pw, images}. */
        final int[] paddedFor = new int[6];
        int[] inBase = new int[0];
        int[] outBase = new int[0];
        float[] v = new float[0];
        int[] offsets = new int[0];
        final float[][] m = new float[POSITIONS][0];
        /** Output tiles that are cut by the image's edge are written here first (rows of whole tiles). */
        float[] tiled = new float[0];
        /** The filters' weights by tap and their transforms (see transformWeights), and one position's. */
        float[] filters = new float[0];
        float[] one = new float[0];
        /** The transformed filters that transformWeights returns, one packed matrix per position. */
        final float[][] u = new float[POSITIONS][0];
        /** The weight gradient in the transformed domain, dU_ξ[oc, c] at du[ξ][oc * channels + c]. */
        final float[][] du = new float[POSITIONS][0];
        /** Gᵀ dU of one filter, 3 x 6, then one row of dw. */
        final float[] filter = new float[21];

        float[] tiled(int size) {
            if (tiled.length < size) {
                tiled = new float[size];
            }
            return tiled;
        }

        /** The offsets of V's rows of position ξ (row c at ξ * block + c * ld), as the product kernels read them. */
        int[] offsets(int xi, int block, int ld, int channels) {
            offsets = Winograd.grow(offsets, channels);
            for (int c = 0; c < channels; c++) {
                offsets[c] = xi * block + c * ld;
            }
            return offsets;
        }
    }

    /**
     * The filters w (outChannels x channels x 3 x 3) transformed, U_ξ = (G g Gᵀ)_ξ for each of the 36 positions, each
     * packed for the product kernel: arrays of the calling thread, valid until its next call. Compute once per batch,
     * before the threads that share it call {@link #forward}. From 2,048 filters on it runs on {@link Parallel}'s
     * threads itself (with one thread for it, the transform was the serial fifth of a 64-channel layer's forward at
     * 8x8 on two threads).
     */
    public static float[][] transformWeights(float[] w, int outChannels, int channels) {
        return transformWeights(KERNEL, TRANSFORMS, w, outChannels, channels);
    }

    /** {@link #transformWeights} on the given kernels, packed for the product kernel (tests run both). */
    static float[][] transformWeights(ShiftedRowsKernel kernel, Transforms transforms, float[] w, int outChannels,
                                      int channels) {
        int length = kernel.packedLength(outChannels, channels);
        Buffers buf = BUFFERS.get();
        float[][] u = grow(buf.u, length);
        int pairs = outChannels * channels;
        // + 16: the 36 positions of a filter on different cache sets
        int ld = DirectConv.roundUp(pairs, transforms.lanes()) + 16;
        if (buf.filters.length < (9 + POSITIONS) * ld) {
            buf.filters = new float[(9 + POSITIONS) * ld];
        }
        float[] all = buf.filters; // weight e = 3 i + j of filter f at e * ld + f, then U_ξ[f] at (9 + ξ) * ld + f
        int lanes = transforms.lanes();
        int vectors = (pairs + lanes - 1) / lanes;
        // on all threads when there is enough to share: it runs once per call (handing work to another thread costs
        // about as much as transforming 16 x 16 filters)
        boolean share = pairs >= 2048;
        Parallel.forRange(vectors, share ? 1 : vectors, (from, to) -> {
            int f0 = from * lanes;
            int f1 = Math.min(pairs, to * lanes);
            for (int f = f0; f < f1; f++) {
                for (int e = 0; e < 9; e++) {
                    all[e * ld + f] = w[f * 9 + e];
                }
            }
            transforms.filters(all, f0, f1 - f0, ld, all, 9 * ld + f0);
        });
        Parallel.forRange(POSITIONS, share ? 1 : POSITIONS, (from, to) -> {
            Buffers mine = BUFFERS.get();
            if (mine.one.length < pairs) {
                mine.one = new float[pairs];
            }
            for (int xi = from; xi < to; xi++) {
                System.arraycopy(all, (9 + xi) * ld, mine.one, 0, pairs);
                System.arraycopy(kernel.pack(outChannels, channels, mine.one), 0, u[xi], 0, length);
            }
        });
        return u;
    }

    /**
     * y[yOff..] = the convolution of {@code images} consecutive images from x[xOff..] (channels x h x w each) with the
     * 3x3 filters u ({@link #transformWeights}), padding ph, pw, stride 1, plus bias[oc] unless bias is null; the
     * outputs (outChannels x (h + 2ph - 2) x (w + 2pw - 2) each) are overwritten.
     */
    public static void forward(float[] x, int xOff, int images, int channels, int h, int w, float[][] u, float[] bias,
                               int outChannels, int ph, int pw, float[] y, int yOff) {
        forward(KERNEL, TRANSFORMS, x, xOff, images, channels, h, w, u, bias, outChannels, ph, pw, y, yOff);
    }

    /** {@link #forward} on the given kernels, with filters transformed for the product kernel. */
    static void forward(ShiftedRowsKernel kernel, Transforms transforms, float[] x, int xOff, int images, int channels,
                        int h, int w, float[][] u, float[] bias, int outChannels, int ph, int pw, float[] y,
                        int yOff) {
        Tiling tl = Tiling.of(images, channels, h, w, outChannels, ph, pw, transforms.lanes(), GROUP_FLOATS);
        Buffers buf = BUFFERS.get();
        for (int t0 = 0; t0 < images; t0 += tl.group) {
            int g = Math.min(tl.group, images - t0);
            int tiles = g * tl.tilesPerImage();
            int ld = DirectConv.roundUp(tiles, kernel.columnTile());
            int block = transformInput(transforms, buf, tl, x, xOff, t0, g, channels, outChannels, ld, yOff);
            float[][] m = grow(buf.m, DirectConv.roundUp(outChannels, kernel.rowTile()) * ld);
            for (int xi = 0; xi < POSITIONS; xi++) {
                kernel.product(outChannels, tiles, channels, u[xi], buf.v, buf.offsets(xi, block, ld, channels), m[xi],
                        ld);
            }
            if (tl.whole) {
                transforms.output(m, ld, tiles, outChannels, bias, y, buf.outBase, tl.outPlane(), tl.outLd());
            } else {
                float[] tiled = buf.tiled(g * outChannels * tl.outPlane());
                transforms.output(m, ld, tiles, outChannels, bias, tiled, buf.outBase, tl.outPlane(), tl.outLd());
                for (int ic = 0; ic < g * outChannels; ic++) {
                    int to = yOff + (t0 * outChannels + ic) * tl.outH * tl.outW;
                    Rows.copy(tiled, ic * tl.outPlane(), tl.outLd(), y, to, tl.outW, tl.outH, tl.outW);
                }
            }
        }
    }

    /**
     * dw[oc, c, i, j] += the weight gradient of the 3x3 convolution of {@code images} images from x[xOff..] (channels
     * x h x w each, padding ph, pw, stride 1) whose output gradients start at g[gOff..] (outChannels x outH x outW
     * each), by the same transforms: with dM = A dY Aᵀ the output gradient of a tile turned into the 6x6 domain,
     * dU_ξ[oc, c] = sum over tiles of dM_ξ[oc, t] V_ξ[c, t] (36 products over the tiles, by the dot-product kernel
     * of {@link DirectConv}'s weight gradient), and dw = Gᵀ dU G.
     */
    public static void weightGradient(float[] x, int xOff, int images, int channels, int h, int w, float[] g,
                                      int gOff, int outChannels, int ph, int pw, float[] dw) {
        weightGradient(KERNEL, TRANSFORMS, x, xOff, images, channels, h, w, g, gOff, outChannels, ph, pw, dw);
    }

    /** {@link #weightGradient} on the given kernels (tests run both). */
    static void weightGradient(ShiftedRowsKernel kernel, Transforms transforms, float[] x, int xOff, int images,
                               int channels, int h, int w, float[] g, int gOff, int outChannels, int ph, int pw,
                               float[] dw) {
        Tiling tl = Tiling.of(images, channels, h, w, outChannels, ph, pw, transforms.lanes(),
                GROUP_FLOATS_WEIGHTS);
        Buffers buf = BUFFERS.get();
        int pairs = outChannels * channels;
        float[][] du = grow(buf.du, pairs);
        for (int xi = 0; xi < POSITIONS; xi++) {
            Arrays.fill(du[xi], 0, pairs, 0f);
        }
        for (int t0 = 0; t0 < images; t0 += tl.group) {
            int n = Math.min(tl.group, images - t0);
            int tiles = n * tl.tilesPerImage();
            int ld = DirectConv.roundUp(tiles, kernel.columnTile());
            int block = transformInput(transforms, buf, tl, x, xOff, t0, n, channels, outChannels, ld, gOff);
            float[] q = g;
            if (!tl.whole) { // the gradients of pixels beyond the edge, in the cut tiles, are zero
                q = buf.tiled(n * outChannels * tl.outPlane());
                Arrays.fill(q, 0, n * outChannels * tl.outPlane(), 0f);
                for (int ic = 0; ic < n * outChannels; ic++) {
                    Rows.copy(g, gOff + (t0 * outChannels + ic) * tl.outH * tl.outW, tl.outW, q, ic * tl.outPlane(),
                            tl.outLd(), tl.outH, tl.outW);
                }
            }
            float[][] dm = grow(buf.m, outChannels * ld);
            transforms.gradient(q, buf.outBase, tiles, outChannels, tl.outPlane(), tl.outLd(), dm, ld);
            for (int xi = 0; xi < POSITIONS; xi++) {
                kernel.dots(outChannels, channels, tiles, dm[xi], ld, buf.v, buf.offsets(xi, block, ld, channels),
                        du[xi]);
            }
        }
        float[] t = buf.filter;
        for (int f = 0; f < pairs; f++) { // dw = Gᵀ dU G
            for (int j = 0; j < 6; j++) { // columns of dU: Gᵀ dU, 3 x 6
                filterGradientTransform(du[j][f], du[6 + j][f], du[12 + j][f], du[18 + j][f], du[24 + j][f],
                        du[30 + j][f], t, j, 6);
            }
            for (int i = 0; i < 3; i++) { // rows: (Gᵀ dU) G, 3 x 3
                filterGradientTransform(t[6 * i], t[6 * i + 1], t[6 * i + 2], t[6 * i + 3], t[6 * i + 4],
                        t[6 * i + 5], t, 18, 1);
                for (int k = 0; k < 3; k++) {
                    dw[f * 9 + 3 * i + k] += t[18 + k];
                }
            }
        }
    }

    /** out[o + r * os] = (Gᵀ u)_r, r &lt; 3. */
    private static void filterGradientTransform(float u0, float u1, float u2, float u3, float u4, float u5,
                                                float[] out, int o, int os) {
        out[o] = u0 * (1f / 4) - (u1 + u2) * (1f / 6) + (u3 + u4) * (1f / 24);
        out[o + os] = (u2 - u1) * (1f / 6) + (u3 - u4) * (1f / 12);
        out[o + 2 * os] = (u3 + u4 - u1 - u2) * (1f / 6) + u5;
    }

    /** The tiles of one call: output size, tiles, padded size, and how many images are transformed at a time. */
    private record Tiling(int h, int w, int ph, int pw, int outH, int outW, int tilesH, int tilesW, int hp, int wp,
                          boolean whole, int group) {
        static Tiling of(int images, int channels, int h, int w, int outChannels, int ph, int pw, int lanes,
                         int groupFloats) {
            int outH = h + 2 * ph - 2;
            int outW = w + 2 * pw - 2;
            if (outH <= 0 || outW <= 0 || ph < 0 || pw < 0 || ph > 2 || pw > 2) {
                throw new IllegalArgumentException("Winograd: a 3x3 filter on " + h + "x" + w + " padded by " + ph
                        + "x" + pw);
            }
            int tilesH = (outH + 3) / 4;
            int tilesW = (outW + 3) / 4;
            int perImage = tilesH * tilesW;
            int group = Math.max(1, Math.min(images, groupFloats / (POSITIONS * Math.max(channels, outChannels)
                    * perImage)));
            for (int g = group; g > 0; g--) { // prefer whole vectors of tiles: the product works on 2 vectors
                if (g * perImage % (2 * lanes) == 0) {
                    group = g;
                    break;
                }
            }
            // the padded image holds the tiles' patches, 6x6 every 4 pixels; no tile cut by the edge: outputs (and
            // output gradients) are read and written in place
            return new Tiling(h, w, ph, pw, outH, outW, tilesH, tilesW, 4 * tilesH + 2, 4 * tilesW + 2,
                    outH % 4 == 0 && outW % 4 == 0, group);
        }

        int tilesPerImage() {
            return tilesH * tilesW;
        }

        /** Floats per channel of the outputs as stored: the image's, or whole tiles' when cut by the edge. */
        int outPlane() {
            return whole ? outH * outW : 16 * tilesPerImage();
        }

        int outLd() {
            return whole ? outW : 4 * tilesW;
        }
    }

    /**
     * For images [t0, t0 + g): the tiles' bases (buf.inBase into the padded images, buf.outBase into the outputs:
     * from yOff when whole, else into buf.tiled), the padded copy, and V into buf.v with rows ld long; returns V's
     * block (floats per position).
     */
    private static int transformInput(Transforms transforms, Buffers buf, Tiling tl, float[] x, int xOff, int t0,
                                      int g, int channels, int outChannels, int ld, int yOff) {
        int tiles = g * tl.tilesPerImage();
        int[] inBase = buf.inBase = grow(buf.inBase, DirectConv.roundUp(tiles, transforms.lanes()));
        int[] outBase = buf.outBase = grow(buf.outBase, inBase.length);
        int outPlane = tl.outPlane();
        for (int i = 0; i < g; i++) {
            for (int ty = 0; ty < tl.tilesH; ty++) {
                for (int tx = 0; tx < tl.tilesW; tx++) {
                    int t = (i * tl.tilesH + ty) * tl.tilesW + tx;
                    inBase[t] = i * channels * tl.hp * tl.wp + 4 * ty * tl.wp + 4 * tx;
                    outBase[t] = (tl.whole ? yOff + (t0 + i) * outChannels * outPlane : i * outChannels * outPlane)
                            + 4 * ty * tl.outLd() + 4 * tx;
                }
            }
        }
        // lanes beyond the last tile read the first one's patch (and write nothing, but their index is checked)
        Arrays.fill(inBase, tiles, inBase.length, 0);
        Arrays.fill(outBase, tiles, outBase.length, outBase[0]);
        float[] p = pad(buf, x, xOff + t0 * channels * tl.h * tl.w, g, channels, tl);
        // V_ξ[c, t] at ξ * block + c * ld + t; the 16 floats between blocks keep the 36 values of one tile off
        // a single cache set (block a multiple of 4 KB would have them evict each other from L1)
        int block = channels * ld + 16;
        if (buf.v.length < POSITIONS * block) {
            buf.v = new float[POSITIONS * block];
        }
        transforms.input(p, inBase, tiles, channels, tl.hp * tl.wp, tl.wp, buf.v, block, ld);
        return block;
    }

    private static int[] grow(int[] a, int size) {
        return a.length < size ? new int[size] : a;
    }

    /** arrays, each of its 36 positions' arrays replaced by a longer one if shorter than size. */
    private static float[][] grow(float[][] arrays, int size) {
        for (int xi = 0; xi < POSITIONS; xi++) {
            if (arrays[xi].length < size) {
                arrays[xi] = new float[size];
            }
        }
        return arrays;
    }

    /**
     * Copies g images from x[xOff..] into the padded buffer, image i's channel c at (i * channels + c) * hp * wp with
     * its pixel (r, s) at (r + ph) * wp + s + pw; everything else is zero (written once per layout).
     */
    private static float[] pad(Buffers buf, float[] x, int xOff, int g, int channels, Tiling tl) {
        int h = tl.h;
        int w = tl.w;
        int hp = tl.hp;
        int wp = tl.wp;
        int size = g * channels * hp * wp;
        int[] layout = buf.paddedFor;
        boolean same = layout[0] == channels && layout[1] == h && layout[2] == w && layout[3] == tl.ph
                && layout[4] == tl.pw && layout[5] == g;
        if (buf.padded.length < size) {
            buf.padded = new float[size];
        } else if (!same) {
            Arrays.fill(buf.padded, 0, size, 0f);
        }
        layout[0] = channels;
        layout[1] = h;
        layout[2] = w;
        layout[3] = tl.ph;
        layout[4] = tl.pw;
        layout[5] = g;
        float[] p = buf.padded;
        for (int ic = 0; ic < g * channels; ic++) {
            Rows.copy(x, xOff + ic * h * w, w, p, ic * hp * wp + tl.ph * wp + tl.pw, wp, h, w);
        }
        return p;
    }

    /** The transforms one tile at a time, in plain Java: for JVMs without the Vector API, and as tests' reference. */
    static final class ScalarTransforms implements Transforms {
        /** Per thread: one tile half transformed. */
        private static final ThreadLocal<float[]> TILE = ThreadLocal.withInitial(() -> new float[36]);

        @Override
        public int lanes() {
            return 1;
        }

        @Override
        public void filters(float[] g, int from, int count, int ld, float[] u, int to) {
            float[] t = TILE.get();
            for (int f = 0; f < count; f++) {
                for (int j = 0; j < 3; j++) { // columns of g: G g, 6 x 3
                    filterTransform(g, from + j * ld + f, 3 * ld, t, j, 3);
                }
                for (int i = 0; i < 6; i++) { // rows of G g: (G g) Gᵀ, 6 x 6, position ξ = 6 i + j
                    filterTransform(t, 3 * i, 1, u, to + 6 * i * ld + f, ld);
                }
            }
        }

        @Override
        public void input(float[] p, int[] base, int tiles, int channels, int plane, int ld, float[] v, int block,
                          int ldv) {
            float[] t = TILE.get();
            for (int c = 0; c < channels; c++) {
                for (int k = 0; k < tiles; k++) {
                    int at = base[k] + c * plane;
                    for (int j = 0; j < 6; j++) { // columns: Bᵀ d
                        inputTransform(p, at + j, ld, t, j, 6);
                    }
                    for (int i = 0; i < 6; i++) { // rows: (Bᵀ d) B, position ξ = 6 i + j
                        inputTransform(t, 6 * i, 1, v, 6 * i * block + c * ldv + k, block);
                    }
                }
            }
        }

        @Override
        public void gradient(float[] dy, int[] base, int tiles, int outChannels, int plane, int ld, float[][] m,
                             int ldm) {
            float[] t = TILE.get();
            for (int oc = 0; oc < outChannels; oc++) {
                for (int k = 0; k < tiles; k++) {
                    int at = base[k] + oc * plane;
                    for (int j = 0; j < 4; j++) { // columns: A dY, 6 x 4
                        gradientTransform(dy[at + j], dy[at + ld + j], dy[at + 2 * ld + j], dy[at + 3 * ld + j], t, j,
                                4);
                    }
                    for (int i = 0; i < 6; i++) { // rows: (A dY) Aᵀ, 6 x 6, position ξ = 6 i + j
                        gradientTransform(t[4 * i], t[4 * i + 1], t[4 * i + 2], t[4 * i + 3], t, 24, 1);
                        for (int j = 0; j < 6; j++) {
                            m[6 * i + j][oc * ldm + k] = t[24 + j];
                        }
                    }
                }
            }
        }

        /** out[o + r * os] = (A y)_r, r &lt; 6. */
        private static void gradientTransform(float y0, float y1, float y2, float y3, float[] out, int o, int os) {
            float e = y0 + y2;
            float f = y1 + y3;
            float e4 = y0 + 4 * y2;
            float f2 = 2 * y1 + 8 * y3;
            out[o] = y0;
            out[o + os] = e + f;
            out[o + 2 * os] = e - f;
            out[o + 3 * os] = e4 + f2;
            out[o + 4 * os] = e4 - f2;
            out[o + 5 * os] = y3;
        }

        @Override
        public void output(float[][] m, int ldm, int tiles, int outChannels, float[] bias, float[] y, int[] base,
                           int plane, int ld) {
            float[] t = TILE.get();
            for (int oc = 0; oc < outChannels; oc++) {
                float b = bias == null ? 0f : bias[oc];
                for (int k = 0; k < tiles; k++) {
                    int at = oc * ldm + k;
                    for (int j = 0; j < 6; j++) { // columns: Aᵀ M, 4 x 6
                        outputTransform(m[j][at], m[6 + j][at], m[12 + j][at], m[18 + j][at], m[24 + j][at],
                                m[30 + j][at], t, j, 6);
                    }
                    int o = base[k] + oc * plane;
                    for (int r = 0; r < 4; r++) { // rows: (Aᵀ M) A, 4 x 4
                        int i = 6 * r;
                        outputTransform(t[i], t[i + 1], t[i + 2], t[i + 3], t[i + 4], t[i + 5], y, o + r * ld, 1);
                        for (int s = 0; s < 4; s++) {
                            y[o + r * ld + s] += b;
                        }
                    }
                }
            }
        }

        /** out[o + r * os] = (G g)_r for the three values g_i = in[i0 + i * is]. */
        private static void filterTransform(float[] in, int i0, int is, float[] out, int o, int os) {
            float g0 = in[i0];
            float g1 = in[i0 + is];
            float g2 = in[i0 + 2 * is];
            out[o] = g0 * (1f / 4);
            out[o + os] = -(g0 + g1 + g2) * (1f / 6);
            out[o + 2 * os] = -(g0 - g1 + g2) * (1f / 6);
            out[o + 3 * os] = g0 * (1f / 24) + g1 * (1f / 12) + g2 * (1f / 6);
            out[o + 4 * os] = g0 * (1f / 24) - g1 * (1f / 12) + g2 * (1f / 6);
            out[o + 5 * os] = g2;
        }

        /** out[o + r * os] = (Bᵀ d)_r for the six values d_i = in[i0 + i * is]. */
        private static void inputTransform(float[] in, int i0, int is, float[] out, int o, int os) {
            float d0 = in[i0];
            float d1 = in[i0 + is];
            float d2 = in[i0 + 2 * is];
            float d3 = in[i0 + 3 * is];
            float d4 = in[i0 + 4 * is];
            float d5 = in[i0 + 5 * is];
            out[o] = 4 * d0 - 5 * d2 + d4;
            out[o + os] = (d3 + d4) - 4 * (d1 + d2);
            out[o + 2 * os] = (d4 - d3) + 4 * (d1 - d2);
            out[o + 3 * os] = (d4 - d2) + 2 * (d3 - d1);
            out[o + 4 * os] = (d4 - d2) - 2 * (d3 - d1);
            out[o + 5 * os] = 4 * d1 - 5 * d3 + d5;
        }

        /** out[o + r * os] = (Aᵀ m)_r, r &lt; 4. */
        private static void outputTransform(float m0, float m1, float m2, float m3, float m4, float m5, float[] out,
                                            int o, int os) {
            float a = m1 + m2;
            float s = m1 - m2;
            float c = m3 + m4;
            float d = m3 - m4;
            out[o] = m0 + a + c;
            out[o + os] = s + 2 * d;
            out[o + 2 * os] = a + 4 * c;
            out[o + 3 * os] = s + 8 * d + m5;
        }
    }
}
