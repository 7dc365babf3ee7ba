package org.cnn4j.nn;

/** Whether a forward pass is part of training (dropout active, batch statistics) or evaluation. */
public enum Mode {
    TRAIN,
    EVAL
}
