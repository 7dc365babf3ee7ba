package org.cnn4j.data;

import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DigitImageTest {
    @TempDir
    Path dir;

    /** A big photo-like "7": black strokes on white, off-center in a 300 x 200 RGB image. */
    private static BufferedImage drawnSeven() {
        BufferedImage img = new BufferedImage(300, 200, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 300, 200);
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(12, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.drawLine(180, 30, 260, 30);
        g.drawLine(260, 30, 200, 170);
        g.dispose();
        return img;
    }

    @Test
    void drawnDigitBecomesMnistLike() {
        Tensor t = DigitImage.fromImage(drawnSeven());
        assertEquals(Shape.of(1, 28, 28), t.shape());

        double mass = 0, cx = 0, cy = 0;
        int top = 28, bottom = -1, left = 28, right = -1;
        float max = 0;
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                float v = t.get(0, y, x);
                assertTrue(v >= 0f && v <= 1f);
                mass += v;
                cx += v * x;
                cy += v * y;
                max = Math.max(max, v);
                if (v > 0.05f) {
                    top = Math.min(top, y);
                    bottom = Math.max(bottom, y);
                    left = Math.min(left, x);
                    right = Math.max(right, x);
                }
            }
        }
        assertEquals(0f, t.get(0, 0, 0), "dark background");
        assertTrue(max > 0.9f, "bright ink");
        assertEquals(14.0, cx / mass, 0.5, "center of mass, column");
        assertEquals(14.0, cy / mass, 0.5, "center of mass, row");
        int height = bottom - top + 1;
        int width = right - left + 1;
        assertTrue(height >= 19 && height <= 21, "the longer side is scaled to 20 px: " + height);
        assertTrue(width < height, "aspect ratio kept: " + width + " x " + height);
    }

    @Test
    void mnistDigitSurvivesPngRoundTrip() throws IOException {
        Dataset test = Mnist.embedded().test();
        Tensor digit = test.image(123);
        Path png = dir.resolve("digit.png");
        DigitImage.writePng(digit, png);
        BufferedImage read = ImageIO.read(png.toFile());
        assertEquals(28, read.getWidth());
        // an MNIST-like 28 x 28 dark image is taken as it is; pixels are multiples of 1/255, so nothing is lost
        assertArrayEquals(digit.data(), DigitImage.read(png).data(), 1e-6f);
    }

    @Test
    void lightBackgroundTwentyEightSquareIsInvertedAndCentered() {
        Tensor digit = Mnist.embeddedAll().image(0);
        BufferedImage inverted = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                int g = 255 - Math.round(digit.get(0, y, x) * 255);
                inverted.setRGB(x, y, (g << 16) | (g << 8) | g);
            }
        }
        Tensor t = DigitImage.fromImage(inverted);
        assertEquals(0f, t.get(0, 0, 0));
        assertTrue(t.get(0, 14, 14) >= 0f);
        double diff = 0;
        for (int i = 0; i < 784; i++) {
            diff += Math.abs(t.data()[i] - digit.data()[i]);
        }
        // prepared the MNIST way again, so close to the original (not equal: rescaled and re-centered)
        assertTrue(diff / 784 < 0.08, "mean difference " + diff / 784);
    }

    @Test
    void transparentBackgroundCountsAsWhite() {
        BufferedImage img = new BufferedImage(60, 60, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.BLACK);
        g.fillRect(25, 10, 8, 40);
        g.dispose();
        Tensor t = DigitImage.fromImage(img);
        assertEquals(0f, t.get(0, 0, 0));
        assertEquals(1f, t.get(0, 14, 14));
    }

    @Test
    void grayWithAlphaIsReadFromItsSamples() {
        // 8-bit gray + alpha, as ImageIO reads such PNGs
        ComponentColorModel grayAlpha = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), true, false,
                Transparency.TRANSLUCENT, DataBuffer.TYPE_BYTE);
        BufferedImage img = new BufferedImage(grayAlpha, Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 2, 1, 2, null),
                false, null);
        img.getRaster().setPixel(0, 0, new int[] {51, 255});
        img.getRaster().setPixel(1, 0, new int[] {0, 0});
        assertArrayEquals(new float[] {0.2f, 1f}, DigitImage.grayscale(img), 1e-6f);
    }

    @Test
    void blankImageIsAnError() {
        BufferedImage img = new BufferedImage(40, 40, BufferedImage.TYPE_BYTE_GRAY);
        assertThrows(IllegalArgumentException.class, () -> DigitImage.fromImage(img));
    }

    @Test
    void notAnImage() throws IOException {
        Path f = Files.writeString(dir.resolve("digit.png"), "hello, not a picture");
        DataFormatException e = assertThrows(DataFormatException.class, () -> DigitImage.read(f));
        assertEquals("not a PNG or JPEG image: " + f, e.getMessage());
        assertThrows(NoSuchFileException.class, () -> DigitImage.read(dir.resolve("missing.png")));
    }

    @Test
    void areaAveragingKeepsTheMean() {
        float[] src = {0, 1, 1, 0, 0, 1};
        float[] out = DigitImage.resize(src, 6, 1, 4, 1);
        // each output pixel covers 1.5 source pixels
        assertArrayEquals(new float[] {1 / 3f, 1f, 0f, 2 / 3f}, out, 1e-6f);
    }
}
