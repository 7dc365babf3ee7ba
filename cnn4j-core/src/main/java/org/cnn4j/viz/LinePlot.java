package org.cnn4j.viz;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A line chart drawn with Java2D: axes with "nice" ticks (1, 2 or 5 times a power of ten), tick labels, axis
 * labels, a title, grid lines, a legend, any number of series, and an optional logarithmic y axis.
 * <pre>
 *   LinePlot plot = new LinePlot("Activation spread", "layer", "standard deviation").logY();
 *   plot.add("He", layers, heStd);
 *   plot.add("Xavier", layers, xavierStd);
 *   Png.write(plot.render(800, 500), Path.of("init.png"));
 * </pre>
 * Series take their colors in order from a palette that color-blind readers can tell apart (Okabe and Ito);
 * a series can be dashed, to pair it with a solid one of the same color (train and test, for example). A point
 * whose value is not finite, or not positive on a log axis, leaves a gap in its line. The legend goes into the
 * corner of the plot area that covers the fewest points.
 */
public final class LinePlot {
    /** Okabe-Ito colors, minus yellow (too pale on white). */
    private static final Color[] PALETTE = {new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73),
            new Color(0xCC79A7), new Color(0x56B4E9), new Color(0xE69F00), new Color(0x000000)};
    private static final Color AXIS = new Color(0x333333);
    private static final Color GRID = new Color(0xE4E4E4);
    private static final int TICK = 5;
    private static final int PAD = 12;

    /** One line: its legend name, points, color index into the palette, and whether it is dashed. */
    public record Series(String name, double[] x, double[] y, int color, boolean dashed) {
        public Series {
            if (x.length != y.length) {
                throw new IllegalArgumentException("series " + name + ": " + x.length + " x values but " + y.length + " y values");
            }
            x = x.clone();
            y = y.clone();
        }
    }

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private boolean logY;

    public LinePlot(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    /** Makes the y axis logarithmic (decades), for values that span orders of magnitude. */
    public LinePlot logY() {
        this.logY = true;
        return this;
    }

    /** Adds a solid line in the next palette color. */
    public LinePlot add(String name, double[] x, double[] y) {
        return add(new Series(name, x, y, series.size(), false));
    }

    public LinePlot add(Series s) {
        series.add(s);
        return this;
    }

    public List<Series> series() {
        return List.copyOf(series);
    }

    /** The chart as an image of {@code width} x {@code height} pixels on white. */
    public BufferedImage render(int width, int height) {
        return renderRow(width, height, List.of(this));
    }

    /** Several charts side by side, each {@code width} x {@code height} pixels, on white. */
    public static BufferedImage renderRow(int width, int height, List<LinePlot> plots) {
        BufferedImage image = new BufferedImage(width * plots.size(), height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            for (int i = 0; i < plots.size(); i++) {
                plots.get(i).draw(g, new Rectangle(i * width, 0, width, height));
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    /** Renders and writes a PNG (atomically). */
    public void writePng(Path file, int width, int height) throws IOException {
        Png.write(render(width, height), file);
    }

    /** Draws the chart into {@code area} of {@code g}. */
    public void draw(Graphics2D g, Rectangle area) {
        Font base = new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(11, area.height / 36));
        Font small = base.deriveFont(base.getSize2D() * 0.9f);
        Font bold = base.deriveFont(Font.BOLD, base.getSize2D() * 1.15f);
        Axis x = Axis.linear(range(true));
        Axis y = logY ? Axis.log(range(false)) : Axis.linear(range(false));

        g.setFont(small);
        FontMetrics fm = g.getFontMetrics();
        int yTickWidth = 0;
        for (double t : y.ticks) {
            yTickWidth = Math.max(yTickWidth, tickLabelWidth(g, y, t));
        }
        int top = area.y + PAD + g.getFontMetrics(bold).getHeight() + PAD / 2;
        int left = area.x + PAD + g.getFontMetrics(base).getHeight() + PAD / 2 + yTickWidth + TICK + 4;
        int bottom = area.y + area.height - PAD - g.getFontMetrics(base).getHeight() - fm.getHeight() - TICK - 6;
        int right = area.x + area.width - 2 * PAD;
        Rectangle plot = new Rectangle(left, top, right - left, bottom - top);

        // grid and ticks
        g.setStroke(new BasicStroke(1f));
        for (double t : x.ticks) {
            int px = (int) Math.round(x.toPixel(t, plot.x, plot.x + plot.width));
            g.setColor(GRID);
            g.drawLine(px, plot.y, px, plot.y + plot.height);
            g.setColor(AXIS);
            g.drawLine(px, plot.y + plot.height, px, plot.y + plot.height + TICK);
            String label = x.label(t);
            g.drawString(label, px - fm.stringWidth(label) / 2, plot.y + plot.height + TICK + 2 + fm.getAscent());
        }
        for (double t : y.ticks) {
            int py = (int) Math.round(y.toPixel(t, plot.y + plot.height, plot.y));
            g.setColor(GRID);
            g.drawLine(plot.x, py, plot.x + plot.width, py);
            g.setColor(AXIS);
            g.drawLine(plot.x - TICK, py, plot.x, py);
            drawTickLabel(g, y, t, plot.x - TICK - 3, py);
        }
        g.setColor(AXIS);
        g.drawRect(plot.x, plot.y, plot.width, plot.height);

        // titles
        g.setFont(bold);
        centered(g, title, plot.x + plot.width / 2, area.y + PAD + g.getFontMetrics().getAscent());
        g.setFont(base);
        centered(g, xLabel, plot.x + plot.width / 2, area.y + area.height - PAD - g.getFontMetrics().getDescent());
        AffineTransform saved = g.getTransform();
        g.rotate(-Math.PI / 2);
        centered(g, yLabel, -(plot.y + plot.height / 2), area.x + PAD + g.getFontMetrics().getAscent());
        g.setTransform(saved);

        // the lines, clipped to the plot area
        java.awt.Shape clip = g.getClip();
        g.clip(plot);
        float width = Math.max(2f, area.height / 250f);
        for (Series s : series) {
            g.setColor(PALETTE[s.color() % PALETTE.length]);
            g.setStroke(stroke(width, s.dashed()));
            Path2D.Double line = new Path2D.Double();
            boolean pen = false;
            for (int i = 0; i < s.x().length; i++) {
                if (!y.accepts(s.y()[i]) || !Double.isFinite(s.x()[i])) {
                    pen = false;
                    continue;
                }
                double px = x.toPixel(s.x()[i], plot.x, plot.x + plot.width);
                double py = y.toPixel(s.y()[i], plot.y + plot.height, plot.y);
                if (pen) {
                    line.lineTo(px, py);
                } else {
                    line.moveTo(px, py);
                    pen = true;
                }
                if (s.x().length <= 30) {
                    double r = width * 1.3;
                    g.fill(new Ellipse2D.Double(px - r, py - r, 2 * r, 2 * r));
                }
            }
            g.draw(line);
        }
        g.setClip(clip);
        drawLegend(g, small, plot, x, y, width);
    }

    private void drawLegend(Graphics2D g, Font font, Rectangle plot, Axis x, Axis y, float lineWidth) {
        if (series.isEmpty()) {
            return;
        }
        g.setFont(font);
        FontMetrics fm = g.getFontMetrics();
        int sample = 28;
        int textWidth = 0;
        for (Series s : series) {
            textWidth = Math.max(textWidth, fm.stringWidth(s.name()));
        }
        int rowHeight = fm.getHeight();
        int w = 8 + sample + 6 + textWidth + 8;
        int h = 6 + rowHeight * series.size() + 6;
        Rectangle box = bestCorner(plot, w, h, x, y);
        g.setColor(new Color(255, 255, 255, 230));
        g.fill(box);
        g.setColor(new Color(0xBBBBBB));
        g.setStroke(new BasicStroke(1f));
        g.draw(box);
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            int cy = box.y + 6 + rowHeight * i + rowHeight / 2;
            g.setColor(PALETTE[s.color() % PALETTE.length]);
            g.setStroke(stroke(lineWidth, s.dashed()));
            g.drawLine(box.x + 8, cy, box.x + 8 + sample, cy);
            g.setColor(AXIS);
            g.drawString(s.name(), box.x + 8 + sample + 6, cy + fm.getAscent() / 2 - 1);
        }
    }

    /** The corner box of size w x h inside the plot area that covers the least of the lines. */
    private Rectangle bestCorner(Rectangle plot, int w, int h, Axis x, Axis y) {
        int m = 8;
        Rectangle[] corners = {
            new Rectangle(plot.x + plot.width - w - m, plot.y + m, w, h),
            new Rectangle(plot.x + m, plot.y + m, w, h),
            new Rectangle(plot.x + plot.width - w - m, plot.y + plot.height - h - m, w, h),
            new Rectangle(plot.x + m, plot.y + plot.height - h - m, w, h)};
        int[] covered = new int[corners.length];
        for (Series s : series) {
            double lastX = Double.NaN;
            double lastY = Double.NaN;
            for (int i = 0; i < s.x().length; i++) {
                if (!y.accepts(s.y()[i]) || !Double.isFinite(s.x()[i])) {
                    lastX = Double.NaN;
                    continue;
                }
                double px = x.toPixel(s.x()[i], plot.x, plot.x + plot.width);
                double py = y.toPixel(s.y()[i], plot.y + plot.height, plot.y);
                // points every few pixels along the segment from the previous point (or just this point)
                int steps = Double.isNaN(lastX) ? 0 : (int) (Math.hypot(px - lastX, py - lastY) / 3);
                for (int k = 0; k <= steps; k++) {
                    double f = steps == 0 ? 1 : (double) k / steps;
                    for (int c = 0; c < corners.length; c++) {
                        covered[c] += corners[c].contains(px + (1 - f) * ((Double.isNaN(lastX) ? px : lastX) - px),
                                py + (1 - f) * ((Double.isNaN(lastX) ? py : lastY) - py)) ? 1 : 0;
                    }
                }
                lastX = px;
                lastY = py;
            }
        }
        int best = 0;
        for (int c = 1; c < corners.length; c++) {
            best = covered[c] < covered[best] ? c : best;
        }
        return corners[best];
    }

    /** The smallest and largest x (or y) of all series, over the points the axis can show. */
    private double[] range(boolean xAxis) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            double[] v = xAxis ? s.x() : s.y();
            for (double d : v) {
                if (Double.isFinite(d) && (xAxis || !logY || d > 0)) {
                    lo = Math.min(lo, d);
                    hi = Math.max(hi, d);
                }
            }
        }
        return lo <= hi ? new double[] {lo, hi} : new double[] {logY && !xAxis ? 0.1 : 0, 1};
    }

    private static Stroke stroke(float width, boolean dashed) {
        return dashed
                ? new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {4 * width, 3 * width}, 0f)
                : new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    }

    private static void centered(Graphics2D g, String text, int cx, int baseline) {
        g.drawString(text, cx - g.getFontMetrics().stringWidth(text) / 2, baseline);
    }

    private static int tickLabelWidth(Graphics2D g, Axis axis, double t) {
        FontMetrics fm = g.getFontMetrics();
        if (!axis.decades) {
            return fm.stringWidth(axis.label(t));
        }
        return fm.stringWidth("10") + g.getFontMetrics(exponentFont(g)).stringWidth(exponent(t));
    }

    /** A y tick label, right-aligned at {@code rightX} and centered on {@code py}: "0.25", or 10 with a raised exponent. */
    private static void drawTickLabel(Graphics2D g, Axis axis, double t, int rightX, int py) {
        FontMetrics fm = g.getFontMetrics();
        int baseline = py + fm.getAscent() / 2 - 1;
        if (!axis.decades) {
            String label = axis.label(t);
            g.drawString(label, rightX - fm.stringWidth(label), baseline);
            return;
        }
        Font font = g.getFont();
        Font expFont = exponentFont(g);
        String exp = exponent(t);
        int expWidth = g.getFontMetrics(expFont).stringWidth(exp);
        int x = rightX - expWidth - fm.stringWidth("10");
        g.drawString("10", x, baseline);
        g.setFont(expFont);
        g.drawString(exp, x + fm.stringWidth("10"), baseline - fm.getAscent() / 2);
        g.setFont(font);
    }

    private static Font exponentFont(Graphics2D g) {
        return g.getFont().deriveFont(g.getFont().getSize2D() * 0.75f);
    }

    private static String exponent(double decade) {
        return Long.toString(Math.round(Math.log10(decade))).replace('-', '\u2212');
    }

    /** Maps data values to pixels along one axis, with its ticks. */
    private static final class Axis {
        /** Share of the data range left free at each end, so that no line runs along the frame. */
        private static final double MARGIN = 0.05;
        final boolean log;
        final double lo;
        final double hi;
        final List<Double> ticks = new ArrayList<>();
        /** Whether tick labels are powers of ten, drawn as 10 with a raised exponent. */
        final boolean decades;
        private final int decimals;

        private Axis(boolean log, double lo, double hi, boolean decades, int decimals) {
            this.log = log;
            this.lo = lo;
            this.hi = hi;
            this.decades = decades;
            this.decimals = decimals;
        }

        /** A linear axis a little wider than the data, with ticks at about five multiples of a nice step. */
        static Axis linear(double[] range) {
            double lo = range[0];
            double hi = range[1];
            if (hi - lo < 1e-12 * Math.max(1, Math.abs(hi))) {
                double half = Math.max(Math.abs(lo) * 0.1, 0.5);
                lo -= half;
                hi += half;
            }
            double pad = MARGIN * (hi - lo);
            double step = niceStep((hi - lo) / 5);
            Axis axis = new Axis(false, lo - pad, hi + pad, false,
                    Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9)));
            for (long k = (long) Math.ceil(axis.lo / step); k * step <= axis.hi; k++) {
                axis.ticks.add(k * step);
            }
            return axis;
        }

        /**
         * A logarithmic axis a little wider than the data. Over two decades or more the ticks are powers of ten (every
         * second, third, ... one when there are many); over less, 1, 2 and 5 times powers of ten.
         */
        static Axis log(double[] range) {
            double a = Math.log10(range[0]);
            double b = Math.log10(range[1]);
            if (b - a < 0.3) {
                a -= 0.15;
                b += 0.15;
            }
            double pad = MARGIN * (b - a);
            a -= pad;
            b += pad;
            boolean decades = b - a >= 2;
            Axis axis = new Axis(true, Math.pow(10, a), Math.pow(10, b), decades, 0);
            int every = decades ? (int) Math.ceil((b - a) / 8) : 1;
            // multiples of every: 10^0 is always among the candidates
            for (int d = Math.floorDiv((int) Math.floor(a), every) * every; d <= Math.ceil(b); d += every) {
                for (double m : decades ? new double[] {1} : new double[] {1, 2, 5}) {
                    double t = m * Math.pow(10, d);
                    if (t >= axis.lo && t <= axis.hi) {
                        axis.ticks.add(t);
                    }
                }
            }
            return axis;
        }

        /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
        static double niceStep(double raw) {
            double power = Math.pow(10, Math.floor(Math.log10(raw)));
            double f = raw / power;
            return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * power;
        }

        boolean accepts(double v) {
            return Double.isFinite(v) && (!log || v > 0);
        }

        /** The pixel coordinate of {@code v}, with lo at {@code from} and hi at {@code to}. */
        double toPixel(double v, double from, double to) {
            double f = log ? (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo)) : (v - lo) / (hi - lo);
            return from + f * (to - from);
        }

        /** The label of a tick that is not drawn as a power of ten: "0.25", "20", "0.002". */
        String label(double v) {
            if (log) {
                return java.math.BigDecimal.valueOf(v).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
            }
            return String.format(Locale.ROOT, "%." + decimals + "f", v);
        }
    }
}
