package org.cnn4j.train;

import org.cnn4j.data.Batch;
import org.cnn4j.data.DataLoader;
import org.cnn4j.loss.CrossEntropyLoss;
import org.cnn4j.nn.Mode;
import org.cnn4j.nn.Sequential;
import org.cnn4j.tensor.Tensor;

/**
 * Accuracy, mean cross-entropy loss and the confusion matrix of a model on a data set, in EVAL mode.
 * {@code confusion[t][p]} counts the images of true class t predicted as class p.
 */
public record Evaluation(double accuracy, double loss, int[][] confusion) {

    public static Evaluation of(Sequential model, DataLoader data) {
        int k = data.dataset().numClasses();
        int[][] confusion = new int[k][k];
        CrossEntropyLoss ce = new CrossEntropyLoss();
        double lossSum = 0;
        int correct = 0;
        int total = 0;
        for (Batch b : data.epoch(0)) {
            Tensor logits = model.forward(b.images(), Mode.EVAL);
            if (logits.dim(1) != k) {
                throw new IllegalArgumentException("the model has " + logits.dim(1) + " outputs but the data set has "
                        + k + " classes");
            }
            lossSum += ce.forward(logits, b.labels()) * b.size();
            for (int i = 0; i < b.size(); i++) {
                int p = logits.argmaxRow(i);
                confusion[b.labels()[i]][p]++;
                correct += p == b.labels()[i] ? 1 : 0;
            }
            total += b.size();
        }
        return new Evaluation(total == 0 ? 0 : (double) correct / total, total == 0 ? 0 : lossSum / total, confusion);
    }

    /** The confusion matrix as a table: rows are true classes, columns predictions, with per-class recall. */
    public String confusionTable() {
        int k = confusion.length;
        StringBuilder sb = new StringBuilder("true\\pred");
        for (int p = 0; p < k; p++) {
            sb.append(String.format("%6d", p));
        }
        sb.append("   recall\n");
        for (int t = 0; t < k; t++) {
            sb.append(String.format("%9d", t));
            int rowSum = 0;
            for (int p = 0; p < k; p++) {
                sb.append(String.format("%6d", confusion[t][p]));
                rowSum += confusion[t][p];
            }
            sb.append(String.format("  %6.2f%%%n", rowSum == 0 ? 0.0 : 100.0 * confusion[t][t] / rowSum));
        }
        return sb.toString();
    }
}
