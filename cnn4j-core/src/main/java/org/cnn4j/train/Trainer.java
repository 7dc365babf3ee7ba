package org.cnn4j.train;

import java.util.ArrayList;
import java.util.List;
import org.cnn4j.data.Batch;
import org.cnn4j.data.DataLoader;
import org.cnn4j.loss.CrossEntropyLoss;
import org.cnn4j.nn.Layer;
import org.cnn4j.nn.Mode;
import org.cnn4j.nn.Sequential;
import org.cnn4j.optim.LrSchedule;
import org.cnn4j.optim.Optimizer;
import org.cnn4j.tensor.Tensor;

/**
 * The training loop for classification: for each batch, forward, cross-entropy on the logits, backward,
 * one optimizer step; after each epoch, an evaluation on the test data. The learning-rate schedule is
 * stepped per batch. Listeners show progress and write metrics and checkpoints.
 */
public final class Trainer {
    private final Sequential model;
    private final Optimizer optimizer;
    private final LrSchedule schedule;
    private final double baseLr;
    private final CrossEntropyLoss loss = new CrossEntropyLoss();
    private final List<TrainingListener> listeners = new ArrayList<>();

    /** @param schedule the learning rate per batch step, from the optimizer's current rate; null for a constant rate */
    public Trainer(Sequential model, Optimizer optimizer, LrSchedule schedule) {
        this.model = model;
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.baseLr = optimizer.learningRate();
    }

    public Trainer addListener(TrainingListener listener) {
        listeners.add(listener);
        return this;
    }

    /** The loss of one training step and the logits it was computed from (owned by the model: see {@link Layer}). */
    public record Step(float loss, Tensor logits) {
    }

    /**
     * One training step on a batch: forward in TRAIN mode, cross-entropy, backward and one optimizer step (the
     * schedule is left to the caller). If the loss is not finite, the weights are left as they were.
     */
    public Step step(Tensor images, int[] labels) {
        Tensor logits = model.forward(images, Mode.TRAIN);
        float l = loss.forward(logits, labels);
        if (Float.isFinite(l)) {
            optimizer.zeroGrad();
            model.backwardParameters(loss.backward()); // the images need no gradient
            optimizer.step();
        }
        return new Step(l, logits);
    }

    /** Trains for {@code epochs} epochs; {@code test} may be null. Returns each epoch's figures. */
    public List<EpochStats> fit(DataLoader train, DataLoader test, int epochs) {
        return fit(train, test, epochs, 1);
    }

    /**
     * Continues a run of {@code epochs} epochs from epoch {@code firstEpoch}: the schedule picks up at that epoch's
     * first step. With the weights and optimizer state the run had at the end of epoch {@code firstEpoch - 1} (a
     * {@link TrainingCheckpoint}), the result is the same as if the run had not stopped, since the data loader's
     * order and augmentation depend only on its seed and the epoch. Returns the figures of the epochs run here.
     */
    public List<EpochStats> fit(DataLoader train, DataLoader test, int epochs, int firstEpoch) {
        if (firstEpoch < 1 || firstEpoch > epochs) {
            throw new IllegalArgumentException("first epoch " + firstEpoch + " is not within 1.." + epochs);
        }
        List<EpochStats> history = new ArrayList<>();
        int batches = train.batchesPerEpoch();
        int step = (firstEpoch - 1) * batches;
        for (int epoch = firstEpoch; epoch <= epochs; epoch++) {
            for (TrainingListener l : listeners) {
                l.onEpochStart(epoch, epochs, batches);
            }
            long start = System.nanoTime();
            double lossSum = 0;
            int correct = 0;
            int seen = 0;
            int batch = 0;
            for (Batch b : train.epoch(epoch)) {
                if (schedule != null) {
                    schedule.apply(optimizer, baseLr, step);
                }
                Step result = step(b.images(), b.labels());
                float l = result.loss();
                if (!Float.isFinite(l)) {
                    throw new TrainingDivergedException(String.format(
                            "the loss became %s at epoch %d, batch %d: lower the learning rate (now %.3g)",
                            l, epoch, batch + 1, optimizer.learningRate()));
                }
                Tensor logits = result.logits();
                step++;
                batch++;
                lossSum += (double) l * b.size();
                for (int i = 0; i < b.size(); i++) {
                    correct += logits.argmaxRow(i) == b.labels()[i] ? 1 : 0;
                }
                seen += b.size();
                double secs = (System.nanoTime() - start) / 1e9;
                for (TrainingListener tl : listeners) {
                    tl.onBatchEnd(epoch, batch, batches, lossSum / seen, (double) correct / seen, seen, secs);
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Evaluation ev = test == null ? null : Evaluation.of(model, test);
            EpochStats stats = new EpochStats(epoch, epochs, lossSum / seen, (double) correct / seen,
                    ev == null ? Double.NaN : ev.loss(), ev == null ? Double.NaN : ev.accuracy(), seconds,
                    seen / seconds, optimizer.learningRate());
            history.add(stats);
            for (TrainingListener l : listeners) {
                l.onEpochEnd(stats);
            }
        }
        return history;
    }
}
