package org.cnn4j.data;

import org.cnn4j.tensor.Tensor;
import org.cnn4j.viz.Png;

import javax.imageio.ImageIO;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Turns a picture of a handwritten digit (PNG or JPEG, any size) into a 1 x 28 x 28 tensor prepared the way the
 * MNIST digits were, so that a model trained on MNIST sees the kind of input it knows; and writes a 28 x 28 digit out
 * as a PNG.
 * <p>
 * MNIST's recipe (LeCun et al.): the digit was scaled to fit a 20 x 20 box, keeping its aspect ratio, with
 * anti-aliasing, then placed in a 28 x 28 image so that its center of mass lies at the center; white ink on black.
 * {@link #fromImage} repeats it:
 * <ol>
 *   <li><b>Gray.</b> Each pixel becomes its luma 0.299 R + 0.587 G + 0.114 B in [0, 1]; transparent pixels are
 *       composited over white, as a viewer shows them.</li>
 *   <li><b>Ink is bright.</b> The background level is the median of the border pixels. If it is light (above 0.5)
 *       the image is inverted, since MNIST has white digits on black.</li>
 *   <li><b>Already MNIST-like?</b> A 28 x 28 image with a dark background is returned as it is (gray values only).</li>
 *   <li><b>Contrast.</b> Values are stretched so that the background becomes 0 and the strongest ink 1; this removes
 *       the gray of paper or of a camera photo.</li>
 *   <li><b>Crop</b> to the bounding box of the pixels above {@link #INK_THRESHOLD}.</li>
 *   <li><b>Scale</b> the box so that its longer side is 20 pixels, keeping the aspect ratio, by area averaging: each
 *       new pixel is the mean of the source area it covers, the smooth anti-aliased result MNIST has.</li>
 *   <li><b>Center</b> in a 28 x 28 frame with the center of mass (the ink-weighted mean row and column) at
 *       row 14, column 14, rounded to whole pixels; that is where it lies in the MNIST digits on average.</li>
 * </ol>
 * The result has pixels in [0, 1], like {@link Dataset}s; apply the model's {@link Normalize} to it before
 * prediction, as during training.
 */
public final class DigitImage {
    /** Side of an MNIST image. */
    public static final int SIZE = 28;
    /** Side of the box the digit is scaled into. */
    public static final int BOX = 20;
    /** Stretched value above which a pixel counts as ink for the bounding box. */
    public static final float INK_THRESHOLD = 0.2f;

    private DigitImage() {
    }

    /** Reads a PNG or JPEG file and prepares it as a 1 x 28 x 28 MNIST-style digit (see the class comment). */
    public static Tensor read(Path file) throws IOException {
        return fromImage(readImage(file));
    }

    /** Reads an image file with javax.imageio; bad content gives a {@link DataFormatException}. */
    public static BufferedImage readImage(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
        if (!Files.isReadable(file)) {
            throw new AccessDeniedException(file.toString(), null, "cannot read the file");
        }
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new DataFormatException("not a PNG or JPEG image: " + file + " (" + e.getMessage() + ")");
        }
        if (image == null) {
            throw new DataFormatException("not a PNG or JPEG image: " + file);
        }
        return image;
    }

    /** Prepares an image as a 1 x 28 x 28 MNIST-style digit, values in [0, 1] (see the class comment). */
    public static Tensor fromImage(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        float[] ink = grayscale(image);
        float background = borderMedian(ink, w, h);
        boolean light = background > 0.5f;
        if (light) {
            for (int i = 0; i < ink.length; i++) {
                ink[i] = 1f - ink[i];
            }
            background = 1f - background;
        }
        if (w == SIZE && h == SIZE && !light) {
            return Tensor.of(ink, 1, SIZE, SIZE);
        }

        float peak = 0f;
        for (float v : ink) {
            peak = Math.max(peak, v);
        }
        if (peak - background < 0.1f) {
            throw new IllegalArgumentException("no digit found: the image is blank");
        }
        for (int i = 0; i < ink.length; i++) {
            ink[i] = Math.clamp((ink[i] - background) / (peak - background), 0f, 1f);
        }

        // bounding box of the ink: columns [x0, x1), rows [y0, y1); the brightest pixel is in it, so it is not empty
        int x0 = w, x1 = 0, y0 = h, y1 = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (ink[y * w + x] > INK_THRESHOLD) {
                    x0 = Math.min(x0, x);
                    x1 = Math.max(x1, x + 1);
                    y0 = Math.min(y0, y);
                    y1 = Math.max(y1, y + 1);
                }
            }
        }
        int bw = x1 - x0;
        int bh = y1 - y0;
        float[] box = new float[bw * bh];
        for (int y = 0; y < bh; y++) {
            System.arraycopy(ink, (y0 + y) * w + x0, box, y * bw, bw);
        }

        int longer = Math.max(bw, bh);
        int dw = Math.max(1, Math.round((float) bw * BOX / longer));
        int dh = Math.max(1, Math.round((float) bh * BOX / longer));
        float[] digit = resize(box, bw, bh, dw, dh);
        return centerOfMassFrame(digit, dw, dh);
    }

    /** Writes a single-channel image (shape (H, W), (1, H, W) or (1, 1, H, W)) with values in [0, 1] as a gray PNG. */
    public static void writePng(Tensor image, Path file) throws IOException {
        Png.write(toImage(image), file);
    }

    /** A gray image of a single-channel tensor (see {@link #writePng}); values are clamped to [0, 1]. */
    public static BufferedImage toImage(Tensor image) {
        if (image.rank() < 2 || image.size() != image.dim(-2) * image.dim(-1)) {
            throw new IllegalArgumentException("expected one single-channel image (H, W) or (1, H, W) but got shape "
                    + image.shape());
        }
        int h = image.dim(-2);
        int w = image.dim(-1);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster raster = out.getRaster();
        float[] v = image.data();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                raster.setSample(x, y, 0, Math.round(Math.clamp(v[y * w + x], 0f, 1f) * 255f));
            }
        }
        return out;
    }

    /**
     * Brightness in [0, 1] of each pixel, row by row. Gray images are read from their samples directly: going through
     * {@code getRGB} would apply a gamma conversion and change the values.
     */
    static float[] grayscale(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        float[] gray = new float[w * h];
        ColorModel cm = image.getColorModel();
        Raster raster = image.getRaster();
        if (cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY && cm.getNumComponents() == raster.getNumBands()) {
            float max = (1 << cm.getComponentSize(0)) - 1;
            float maxAlpha = cm.hasAlpha() ? (1 << cm.getComponentSize(1)) - 1 : 1;
            int[] value = new int[w];
            int[] alpha = new int[w];
            Arrays.fill(alpha, 1);
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, value);
                if (cm.hasAlpha()) {
                    raster.getSamples(0, y, w, 1, 1, alpha);
                }
                for (int x = 0; x < w; x++) {
                    float a = alpha[x] / maxAlpha;
                    gray[y * w + x] = a * (value[x] / max) + (1f - a);
                }
            }
            return gray;
        }
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int argb = row[x];
                float a = (argb >>> 24) / 255f;
                float luma = (0.299f * ((argb >> 16) & 0xFF) + 0.587f * ((argb >> 8) & 0xFF) + 0.114f * (argb & 0xFF)) / 255f;
                gray[y * w + x] = a * luma + (1f - a);
            }
        }
        return gray;
    }

    /** The median of the pixels on the image's outer border. */
    private static float borderMedian(float[] v, int w, int h) {
        float[] border = new float[2 * w + 2 * Math.max(0, h - 2)];
        int n = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (y == 0 || y == h - 1 || x == 0 || x == w - 1) {
                    border[n++] = v[y * w + x];
                }
            }
        }
        Arrays.sort(border, 0, n);
        return border[n / 2];
    }

    /** Resizes an sw x sh image to dw x dh by area averaging, one direction after the other. */
    static float[] resize(float[] src, int sw, int sh, int dw, int dh) {
        float[] rows = new float[dw * sh];
        for (int y = 0; y < sh; y++) {
            resample(src, y * sw, 1, sw, rows, y * dw, 1, dw);
        }
        float[] out = new float[dw * dh];
        for (int x = 0; x < dw; x++) {
            resample(rows, x, dw, sh, out, x, dw, dh);
        }
        return out;
    }

    /**
     * One line of {@code n} values (at {@code off}, {@code off + stride}, ...) to {@code m} values: output pixel i
     * covers the source interval [i * n / m, (i + 1) * n / m) and is the mean of the source over it, each source pixel
     * weighted by how much of it lies inside.
     */
    private static void resample(float[] src, int srcOff, int srcStride, int n, float[] dst, int dstOff, int dstStride, int m) {
        double scale = (double) n / m;
        for (int i = 0; i < m; i++) {
            double lo = i * scale;
            double hi = (i + 1) * scale;
            double sum = 0;
            for (int j = (int) lo; j < Math.min(n, Math.ceil(hi)); j++) {
                double overlap = Math.min(hi, j + 1) - Math.max(lo, j);
                sum += overlap * src[srcOff + j * srcStride];
            }
            dst[dstOff + i * dstStride] = (float) (sum / scale);
        }
    }

    /** Places a dw x dh digit in a 28 x 28 frame with its center of mass at (14, 14); anything beyond the frame is cut. */
    private static Tensor centerOfMassFrame(float[] digit, int dw, int dh) {
        double mass = 0, sx = 0, sy = 0;
        for (int y = 0; y < dh; y++) {
            for (int x = 0; x < dw; x++) {
                float v = digit[y * dw + x];
                mass += v;
                sx += v * x;
                sy += v * y;
            }
        }
        int ox = (int) Math.round(SIZE / 2.0 - sx / mass);
        int oy = (int) Math.round(SIZE / 2.0 - sy / mass);
        Tensor frame = Tensor.zeros(1, SIZE, SIZE);
        float[] f = frame.data();
        for (int y = 0; y < dh; y++) {
            for (int x = 0; x < dw; x++) {
                int fx = x + ox;
                int fy = y + oy;
                if (fx >= 0 && fx < SIZE && fy >= 0 && fy < SIZE) {
                    f[fy * SIZE + fx] = digit[y * dw + x];
                }
            }
        }
        return frame;
    }
}
