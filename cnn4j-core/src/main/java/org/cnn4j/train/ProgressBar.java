package org.cnn4j.train;

import java.io.PrintStream;

/**
 * Shows training progress: on a terminal a bar redrawn in place (rate, ETA, running loss and accuracy), otherwise
 * (a log file, a pipe, CI) a plain line at each quarter of an epoch. Either way a summary line ends each epoch.
 */
public final class ProgressBar implements TrainingListener {
    private static final int WIDTH = 24;
    private final PrintStream out;
    private final boolean terminal;
    private long lastDraw;
    private int nextQuarter;

    public ProgressBar(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** A progress bar on standard output, redrawn in place when it is a terminal. */
    public static ProgressBar onStdout() {
        java.io.Console c = System.console();
        return new ProgressBar(System.out, c != null && c.isTerminal());
    }

    @Override
    public void onEpochStart(int epoch, int epochs, int batches) {
        lastDraw = 0;
        nextQuarter = 1;
    }

    @Override
    public void onBatchEnd(int epoch, int batch, int batches, double loss, double accuracy, int images, double seconds) {
        double rate = images / Math.max(seconds, 1e-9);
        double eta = seconds / batch * (batches - batch);
        if (terminal) {
            long now = System.nanoTime();
            if (batch == batches || now - lastDraw > 100_000_000L) {
                lastDraw = now;
                int filled = (int) ((long) WIDTH * batch / batches);
                out.printf("\r%d [%s%s] %d/%d  %,.0f img/s  ETA %s  loss %.4f  acc %.2f%%  ", epoch,
                        "=".repeat(filled), " ".repeat(WIDTH - filled), batch, batches, rate, clock(eta), loss,
                        100 * accuracy);
                out.flush();
            }
        } else if (batch * 4 >= nextQuarter * batches && batch < batches) {
            while (batch * 4 >= nextQuarter * batches) {
                nextQuarter++;
            }
            out.printf("epoch %d  batch %d/%d  %,.0f img/s  ETA %s  loss %.4f  acc %.2f%%%n", epoch, batch, batches,
                    rate, clock(eta), loss, 100 * accuracy);
        }
    }

    @Override
    public void onEpochEnd(EpochStats stats) {
        if (terminal) {
            out.print("\r\033[K");
        }
        out.println(stats.summaryLine());
        out.flush();
    }

    /** Seconds as m:ss (or h:mm:ss). */
    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format("%d:%02d", s / 60, s % 60);
    }
}
