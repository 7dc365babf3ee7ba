package org.cnn4j.train;

/** What one epoch of training measured; test figures are NaN when there is no test set. */
public record EpochStats(int epoch, int epochs, double trainLoss, double trainAccuracy, double testLoss,
                         double testAccuracy, double seconds, double imagesPerSecond, double learningRate) {

    /** The one-line summary printed after each epoch. */
    public String summaryLine() {
        String test = Double.isNaN(testAccuracy) ? ""
                : String.format("  test loss %.4f  test acc %.2f%%", testLoss, 100 * testAccuracy);
        return String.format("epoch %d/%d  train loss %.4f  train acc %.2f%%%s  %.1f s  %,.0f img/s  lr %.3g",
                epoch, epochs, trainLoss, 100 * trainAccuracy, test, seconds, imagesPerSecond, learningRate);
    }
}
