package org.cnn4j.bench;

/**
 * For {@link CompareBuilds}: one forward pass of a zoo model in EVAL mode (inference); items as {@link StepProbe}'s.
 */
public final class InferProbe extends StepProbe {
    public InferProbe(int batch) {
        super(batch, false);
    }
}
