package org.cnn4j.nn;

import java.util.Arrays;
import java.util.List;
import org.cnn4j.init.Init;
import org.cnn4j.kernel.Affine;
import org.cnn4j.kernel.DirectConv;
import org.cnn4j.kernel.Gemm;
import org.cnn4j.kernel.Im2col;
import org.cnn4j.kernel.Parallel;
import org.cnn4j.kernel.Reductions;
import org.cnn4j.kernel.Relu;
import org.cnn4j.kernel.Scratch;
import org.cnn4j.kernel.Winograd;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * 2D convolution over a batch of images (N, C, H, W) -> (N, outChannels, outH, outW), with PyTorch's
 * stride, padding and dilation. The weight has shape (outChannels, inChannels, kh, kw), He-normal at start;
 * the bias starts at zero.
 *
 * <p>How it is computed: each image's patches are unfolded into a matrix (im2col: one column per output
 * pixel, one row per weight of a filter), so the convolution is one matrix multiply, out = W · col. A 1x1
 * convolution with stride 1 and no padding needs no unfolding: the image already is that matrix. Other convolutions
 * with a kernel larger than 1x1 (unless padded beyond the kernel's reach, see {@link #direct}) use
 * {@link DirectConv}, which reads the rows of col straight from a padded copy of the image instead of building col
 * (1.5-2.5x faster on 3x3 layers, docs/BENCHMARKS.md; a strided convolution reads a copy split into phases).
 * 3x3 convolutions at stride 1 with 12 to 128 channels (ResNet's 16-channel 32x32 layers excepted) go to
 * {@link Winograd} instead, which needs 4 times fewer multiplications, where it measured faster
 * ({@link Winograd#pays}); so does their weight gradient from 32 channels in and out
 * ({@link Winograd#paysForWeights}).
 *
 * <p>Backward, with g = dL/dout: dL/dW += g · colᵀ, dL/db += row sums of g, and dL/dcol = Wᵀ · g, which col2im
 * folds back onto the input pixels each column came from. Here small images are unfolded several at a time, side
 * by side (and g laid out the same way), so that one product covers up to {@value #GEMM_COLUMNS} pixels: the
 * weight gradient is a sum over pixels, and a longer sum per call spends less on the GEMM's final reductions.
 * (Forward keeps one image per call: the wider column matrix would no longer fit in the L2 cache, which measured
 * slower.) Where DirectConv does forward, dL/dW comes from {@link DirectConv#weightGradient}; at stride 1, dL/dx is
 * a convolution too: of g, padded by dilation * (kernel - 1) - padding, with the filters turned by 180 degrees and
 * in/out channels swapped ({@link #flippedWeights}): dx[c, y, x] = sum over oc, i, j of W[oc, c, i, j]
 * g[oc, y + padding - i * dilation, x + padding - j * dilation]. At larger strides dL/dx is col2im of Wᵀ · g,
 * image by image. {@link #backwardParameters} (a model's first layer) computes no dL/dx at all.
 */
public final class Conv2d implements FusesRelu {
    /** {@link Scratch} slots of the im2col columns, of their gradient, and of the output gradient as one matrix. */
    private static final int COLUMNS = 0;
    private static final int COLUMN_GRADIENTS = 1;
    private static final int OUTPUT_GRADIENTS = 2;
    /** Pixels one GEMM call of backward covers at most, images side by side, unless one image has more. */
    static final int GEMM_COLUMNS = 1024;
    /**
     * Output floats (1 MB, half of L2 here) a forward pass with an {@link OutputPass} computes before running the pass
     * over them: a few images at a time, so that pass reads them from cache, not from memory. 256 KB made Winograd's
     * calls too small (64 -> 64 channels at 14x14 with a ReLU: 5.85 ms against 4.89 at 1 MB and 5.45 unfused).
     */
    private static final int PASS_FLOATS = 1 << 18;
    private final int inChannels;
    private final int outChannels;
    private final int kh;
    private final int kw;
    private final int stride;
    private final int padding;
    private final int dilation;
    private final Parameter weight;
    private final Parameter bias;
    private Tensor input;
    private Tensor output;
    /** {@link #relu} as an {@link OutputPass}, made once. */
    private final OutputPass reluPass = this::relu;
    private Tensor gradInput;
    /** Backward's per-chunk weight and bias gradients, indexed by the chunk's first image, and which were used. */
    private float[][] dwParts;
    private float[][] dbParts;
    private boolean[] chunkUsed;
    /** The weights as the input gradient's convolution uses them (see {@link #flippedWeights}), reused. */
    private float[] flipped;

    /** A convolution with stride 1, no padding, dilation 1 and a bias: Conv2d(in, out, kernel). */
    public Conv2d(int inChannels, int outChannels, int kernel) {
        this(inChannels, outChannels, kernel, 1, 0, 1, true);
    }

    public Conv2d(int inChannels, int outChannels, int kernel, int stride, int padding) {
        this(inChannels, outChannels, kernel, stride, padding, 1, true);
    }

    public Conv2d(int inChannels, int outChannels, int kernel, int stride, int padding, int dilation, boolean bias) {
        this(inChannels, outChannels, kernel, kernel, stride, padding, dilation, bias);
    }

    /** The general form, with a rectangular kernel (kh x kw); stride, padding and dilation apply to both axes. */
    public Conv2d(int inChannels, int outChannels, int kh, int kw, int stride, int padding, int dilation, boolean bias) {
        if (inChannels <= 0 || outChannels <= 0 || kh <= 0 || kw <= 0 || stride <= 0 || padding < 0 || dilation <= 0) {
            throw new IllegalArgumentException(String.format(
                    "Conv2d(in=%d, out=%d, kernel=%dx%d, stride=%d, padding=%d, dilation=%d): sizes, stride and dilation"
                            + " must be positive and padding non-negative", inChannels, outChannels, kh, kw, stride,
                    padding, dilation));
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kh = kh;
        this.kw = kw;
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
        this.weight = Parameter.trainable("weight", Shape.of(outChannels, inChannels, kh, kw));
        this.bias = bias ? Parameter.trainable("bias", Shape.of(outChannels)) : null;
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
        s.requireRank(4, "Conv2d", "N, C, H, W");
        if (s.dim(1) != inChannels) {
            throw new IllegalArgumentException("Conv2d expects " + inChannels + " input channels but got " + s.dim(1)
                    + " (input shape " + s + ")");
        }
        int oh = Im2col.outSize(s.dim(2), kh, stride, padding, dilation);
        int ow = Im2col.outSize(s.dim(3), kw, stride, padding, dilation);
        if (oh <= 0 || ow <= 0) {
            throw new IllegalArgumentException("Conv2d: input " + s + " is smaller than the kernel " + kh + "x" + kw
                    + " (padding " + padding + ", dilation " + dilation + ")");
        }
        return Shape.of(s.dim(0), outChannels, oh, ow);
    }

    /** Images per backward GEMM call, p output pixels each: as many as fit in GEMM_COLUMNS, at least one. */
    private static int imagesPerProduct(int p) {
        return Math.max(1, GEMM_COLUMNS / p);
    }

    /** 1x1, stride 1, no padding: the input image is already the im2col matrix. */
    private boolean pointwise() {
        return kh == 1 && kw == 1 && stride == 1 && padding == 0;
    }

    /** Unfolds images [n, n + g) of x side by side into col, whose rows are cols = g * (output pixels) long. */
    private void unfold(Tensor x, int n, int g, float[] col, int cols) {
        int h = x.dim(2);
        int w = x.dim(3);
        for (int i = 0; i < g; i++) {
            Im2col.im2col(x.data(), (n + i) * inChannels * h * w, inChannels, h, w, kh, kw, stride, stride, padding,
                    padding, dilation, dilation, col, i * (cols / g), cols);
        }
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        return forward(x, mode, false);
    }

    /** With relu, max(0, y) on each few images' output while it is in cache (see {@link FusesRelu}). */
    @Override
    public Tensor forward(Tensor x, Mode mode, boolean relu) {
        output = Tensor.reuse(output, outputShape(x.shape()));
        return forward(x, output, relu ? reluPass : null);
    }

    /**
     * A pass over {@code images} consecutive images of a forward pass's output (channels x pixels each) from y[off],
     * in place: see {@link #forward(Tensor, Tensor, OutputPass)}.
     */
    @FunctionalInterface
    interface OutputPass {
        void apply(float[] y, int off, int images, int pixels);
    }

    /** max(0, 1 * (y - 0) + 0) as an OutputPass: ReLU's numbers (-0 becomes +0 either way). */
    private void relu(float[] y, int off, int images, int pixels) {
        Affine.normalize(y, off, images * outChannels * pixels, 1f, 0f, 0f, 0f, y);
    }

    /**
     * The forward pass into y, a tensor of the output's shape, each few images' output then run through pass (unless
     * null) while they are in cache: how {@link Sequential} runs a ReLU or, in EVAL mode, a batch norm after this
     * layer without writing the output out and reading it back.
     */
    Tensor forward(Tensor x, Tensor y, OutputPass pass) {
        Shape os = y.shape();
        int p = os.dim(2) * os.dim(3);
        boolean winograd = Winograd.pays(inChannels, outChannels, x.dim(2), x.dim(3), kh, kw, stride, dilation,
                padding, padding);
        float[][] u = winograd ? Winograd.transformWeights(weight.value().data(), outChannels, inChannels) : null;
        int group = pass == null ? x.dim(0) : Math.max(1, PASS_FLOATS / (outChannels * p));
        Parallel.forRange(x.dim(0), (from, to) -> {
            for (int n = from; n < to; n += group) {
                int images = Math.min(group, to - n);
                forward(x, n, images, u, y.data(), p);
                if (pass != null) {
                    pass.apply(y.data(), n * outChannels * p, images, p);
                }
            }
        });
        input = x;
        return y;
    }

    /** Images [n, n + images) of the forward pass into y (p output pixels each), by Winograd if u is not null. */
    private void forward(Tensor x, int n, int images, float[][] u, float[] y, int p) {
        int inSize = inChannels * x.dim(2) * x.dim(3);
        float[] b = bias == null ? null : bias.value().data();
        if (u != null) {
            Winograd.forward(x.data(), n * inSize, images, inChannels, x.dim(2), x.dim(3), u, b, outChannels, padding,
                    padding, y, n * outChannels * p);
        } else if (direct()) {
            DirectConv.forward(x.data(), n * inSize, images, inChannels, x.dim(2), x.dim(3), weight.value().data(), b,
                    outChannels, kh, kw, padding, padding, stride, dilation, y, n * outChannels * p);
        } else {
            int k = inChannels * kh * kw;
            float[] col = pointwise() ? null : Scratch.floats(COLUMNS, k * p);
            for (int i = n; i < n + images; i++) {
                float[] src = x.data();
                int srcOff = i * inSize;
                if (col != null) {
                    unfold(x, i, 1, col, p);
                    src = col;
                    srcOff = 0;
                }
                Gemm.sgemm(false, false, outChannels, p, k, 1f, weight.value().data(), 0, k, src, srcOff, p, 0f, y,
                        i * outChannels * p, p);
                if (b != null) {
                    addBias(y, i * outChannels * p, p);
                }
            }
        }
    }

    private void addBias(float[] y, int off, int p) {
        float[] b = bias.value().data();
        for (int c = 0; c < outChannels; c++) {
            float bc = b[c];
            int base = off + c * p;
            for (int i = 0; i < p; i++) {
                y[base + i] += bc;
            }
        }
    }

    @Override
    public Tensor backward(Tensor g) {
        return backward(g, true, false);
    }

    @Override
    public void backwardParameters(Tensor g) {
        backward(g, false, false);
    }

    /**
     * Backward when this layer's input is a ReLU's output: dL/dx then passes the ReLU's backward too (kept where the
     * input is positive, see {@link Relu#gradient(float[], float[], float[], int, int)}), applied to a few images at
     * a time while they are in cache. How {@link Sequential} runs a ReLU's backward and the convolution's after it.
     */
    Tensor backwardThroughRelu(Tensor g) {
        return backward(g, true, true);
    }

    private Tensor backward(Tensor g, boolean inputGradient, boolean relu) {
        Shape os = outputShape(input.shape());
        g.shape().require(os, "Conv2d backward gradient");
        int batch = input.dim(0);
        int k = inChannels * kh * kw;
        int p = os.dim(2) * os.dim(3);
        int group = imagesPerProduct(p);
        Tensor dx = inputGradient ? Tensor.reuse(gradInput, input.shape()) : null;
        float[] dxd = inputGradient ? dx.data() : null; // null: no dL/dx
        float[] gd = g.data();
        // Images are split between threads; each chunk sums its own weight and bias gradients (kept between calls,
        // under the chunk's first image), which are then added in chunk order, so the result does not depend on
        // which thread finished first.
        if (chunkUsed == null || chunkUsed.length != batch) {
            chunkUsed = new boolean[batch];
            dwParts = new float[batch][];
            dbParts = new float[batch][];
        }
        boolean direct = direct();
        float[] wf = direct && stride == 1 && inputGradient ? flippedWeights() : null;
        boolean winograd = wf != null && Winograd.pays(outChannels, inChannels, os.dim(2), os.dim(3), kh, kw, stride,
                dilation, inputGradientPadding(kh), inputGradientPadding(kw));
        float[][] uf = winograd ? Winograd.transformWeights(wf, inChannels, outChannels) : null;
        Parallel.forRange(batch, (from, to) -> {
            float[] dw = zeroedPart(dwParts, from, outChannels * k);
            float[] db = bias == null ? null : zeroedPart(dbParts, from, outChannels); // null: no dL/db
            chunkUsed[from] = true;
            if (direct) {
                backwardDirect(from, to - from, gd, os, wf, uf, dw, db, dxd, relu);
            } else {
                for (int n = from; n < to; n += group) {
                    int images = Math.min(group, to - n);
                    backwardByGemm(n, images, gd, p, dw, db, dxd);
                    if (relu) {
                        reluGradient(n, images, dxd);
                    }
                }
            }
        });
        for (int from = 0; from < batch; from++) {
            if (chunkUsed[from]) {
                chunkUsed[from] = false;
                addTo(weight.grad().data(), dwParts[from]);
                if (bias != null) {
                    addTo(bias.grad().data(), dbParts[from]);
                }
            }
        }
        if (inputGradient) {
            gradInput = dx;
        }
        return dx;
    }

    /**
     * Backward of images [n, n + images) by {@link DirectConv}: dL/dx (unless dxd is null) at stride 1 as a
     * convolution of g with the flipped filters wf (by Winograd with their transform uf unless that is null),
     * a few images at a time, otherwise by GEMM, image by image; then through the ReLU before this layer if relu.
     */
    private void backwardDirect(int n, int images, float[] gd, Shape os, float[] wf, float[][] uf, float[] dw,
                                float[] db, float[] dxd, boolean relu) {
        int h = input.dim(2);
        int w = input.dim(3);
        int inSize = inChannels * h * w;
        int p = os.dim(2) * os.dim(3);
        int outSize = outChannels * p;
        if (Winograd.paysForWeights(inChannels, outChannels, kh, kw, stride, dilation, padding, padding)) {
            Winograd.weightGradient(input.data(), n * inSize, images, inChannels, h, w, gd, n * outSize, outChannels,
                    padding, padding, dw);
        } else {
            DirectConv.weightGradient(input.data(), n * inSize, images, inChannels, h, w, gd, n * outSize,
                    outChannels, kh, kw, padding, padding, stride, dilation, dw);
        }
        if (db != null) {
            addRowSums(gd, n * outSize, images, outChannels, p, db);
        }
        if (dxd == null) {
            return;
        }
        int group = stride > 1 ? 1 : relu ? Math.max(1, PASS_FLOATS / inSize) : images;
        for (int i = n; i < n + images; i += group) {
            int count = Math.min(group, n + images - i);
            if (uf != null) {
                Winograd.forward(gd, i * outSize, count, outChannels, os.dim(2), os.dim(3), uf, null, inChannels,
                        inputGradientPadding(kh), inputGradientPadding(kw), dxd, i * inSize);
            } else if (stride == 1) {
                DirectConv.forward(gd, i * outSize, count, outChannels, os.dim(2), os.dim(3), wf, null, inChannels,
                        kh, kw, inputGradientPadding(kh), inputGradientPadding(kw), 1, dilation, dxd, i * inSize);
            } else {
                inputGradientByGemm(i, 1, gd, i * outSize, p, dxd);
            }
            if (relu) {
                reluGradient(i, count, dxd);
            }
        }
    }

    /** dL/dx of images [n, n + images) through the ReLU whose output this layer's input is, in place. */
    private void reluGradient(int n, int images, float[] dxd) {
        int inSize = inChannels * input.dim(2) * input.dim(3);
        Relu.gradient(input.data(), dxd, dxd, n * inSize, (n + images) * inSize);
    }

    /**
     * Backward of images [n, n + images), p output pixels each, by im2col and GEMM: their columns side by side as
     * one matrix (and g laid out the same way); one image needs no copy of g, nor of a 1x1 input. No dL/dx when dxd
     * is null.
     */
    private void backwardByGemm(int n, int images, float[] gd, int p, float[] dw, float[] db, float[] dxd) {
        int inSize = inChannels * input.dim(2) * input.dim(3);
        int k = inChannels * kh * kw;
        int cols = images * p;
        float[] gm = gd;
        int gOff = n * outChannels * p;
        if (images > 1) {
            gm = Scratch.floats(OUTPUT_GRADIENTS, outChannels * cols);
            Im2col.imagesToRows(gd, gOff, images, outChannels, p, gm, 0);
            gOff = 0;
        }
        boolean inPlace = pointwise() && images == 1;
        float[] col = inPlace ? input.data() : Scratch.floats(COLUMNS, k * cols);
        if (!inPlace) {
            unfold(input, n, images, col, cols);
        }
        Gemm.sgemm(false, true, outChannels, k, cols, 1f, gm, gOff, cols, col, inPlace ? n * inSize : 0, cols, 1f, dw,
                0, k);
        if (db != null) {
            addRowSums(gm, gOff, 1, outChannels, cols, db);
        }
        if (dxd != null) {
            inputGradientByGemm(n, images, gm, gOff, p, dxd);
        }
    }

    /**
     * dL/dx of images [n, n + images) as col2im of Wᵀ · g, with g's images side by side in gm from gOff (images * p
     * columns); a 1x1 convolution at stride 1 without padding needs no col2im.
     */
    private void inputGradientByGemm(int n, int images, float[] gm, int gOff, int p, float[] dxd) {
        int h = input.dim(2);
        int w = input.dim(3);
        int inSize = inChannels * h * w;
        int k = inChannels * kh * kw;
        int cols = images * p;
        float[] wd = weight.value().data();
        if (pointwise() && images == 1) {
            Gemm.sgemm(true, false, k, p, outChannels, 1f, wd, 0, k, gm, gOff, p, 0f, dxd, n * inSize, p);
            return;
        }
        float[] dcol = Scratch.floats(COLUMN_GRADIENTS, k * cols);
        Gemm.sgemm(true, false, k, cols, outChannels, 1f, wd, 0, k, gm, gOff, cols, 0f, dcol, 0, cols);
        Arrays.fill(dxd, n * inSize, (n + images) * inSize, 0f);
        for (int i = 0; i < images; i++) {
            Im2col.col2im(dcol, i * p, cols, inChannels, h, w, kh, kw, stride, stride, padding, padding, dilation,
                    dilation, dxd, (n + i) * inSize);
        }
    }

    /**
     * Whether {@link DirectConv} computes this convolution (forward, and in backward dL/dW, and dL/dx at stride 1): a
     * kernel larger than 1x1, and at stride 1 padding small enough that dL/dx's padding, dilation * (kernel - 1) -
     * padding, is not negative. 1x1 convolutions go to the GEMM instead (with im2col only when strided or padded):
     * read in place, a 1x1 kernel's rows come from as many planes as there are channels, too many streams for the
     * prefetcher (measured 1.25-1.5x slower than the GEMM, which packs them into one).
     */
    private boolean direct() {
        boolean reach = inputGradientPadding(kh) >= 0 && inputGradientPadding(kw) >= 0;
        return (kh > 1 || kw > 1) && (stride > 1 || reach);
    }

    /** The padding of g under which dL/dx at stride 1 is a convolution of it: dilation * (kernel - 1) - padding. */
    private int inputGradientPadding(int kernel) {
        return dilation * (kernel - 1) - padding;
    }

    /** wf[c][oc][i][j] = W[oc][c][kh-1-i][kw-1-j]: the filters turned by 180 degrees, in and out swapped. */
    private float[] flippedWeights() {
        float[] wd = weight.value().data();
        if (flipped == null) {
            flipped = new float[wd.length];
        }
        for (int oc = 0; oc < outChannels; oc++) {
            for (int c = 0; c < inChannels; c++) {
                for (int i = 0; i < kh; i++) {
                    for (int j = 0; j < kw; j++) {
                        flipped[((c * outChannels + oc) * kh + i) * kw + j] =
                                wd[((oc * inChannels + c) * kh + kh - 1 - i) * kw + kw - 1 - j];
                    }
                }
            }
        }
        return flipped;
    }

    /** db[r] += the sums of row r of {@code count} consecutive rows x cols matrices from m[off..]. */
    private static void addRowSums(float[] m, int off, int count, int rows, int cols, float[] db) {
        for (int i = 0; i < count; i++) {
            for (int r = 0; r < rows; r++) {
                db[r] += (float) Reductions.sum(m, off + (i * rows + r) * cols, cols);
            }
        }
    }

    /** parts[index], allocated on first use, cleared. */
    private static float[] zeroedPart(float[][] parts, int index, int size) {
        if (parts[index] == null) {
            parts[index] = new float[size];
        } else {
            Arrays.fill(parts[index], 0f);
        }
        return parts[index];
    }

    private static void addTo(float[] grad, float[] part) {
        for (int i = 0; i < part.length; i++) {
            grad[i] += part[i];
        }
    }

    @Override
    public List<Parameter> parameters() {
        return bias == null ? List.of(weight) : List.of(weight, bias);
    }

    @Override
    public long multiplyAdds(Shape s) {
        Shape os = outputShape(s);
        return (long) os.size() * inChannels * kh * kw;
    }

    @Override
    public LayerSpec spec() {
        return LayerSpec.of("Conv2d", "in", inChannels, "out", outChannels, "kernel", new int[] {kh, kw},
                "stride", stride, "padding", padding, "dilation", dilation, "bias", bias != null);
    }

    static Conv2d fromSpec(LayerSpec s) {
        int[] k = s.getInts("kernel");
        return new Conv2d(s.getInt("in"), s.getInt("out"), k[0], k[1], s.getInt("stride"), s.getInt("padding"),
                s.getInt("dilation"), s.getBoolean("bias"));
    }
}
