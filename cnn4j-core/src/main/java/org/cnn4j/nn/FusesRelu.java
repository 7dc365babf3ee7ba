package org.cnn4j.nn;

import org.cnn4j.tensor.Tensor;

/**
 * A layer that can apply the ReLU after it in its own last pass over memory: forward with {@code relu} gives
 * max(0, y), bit for bit what ReLU would make of its output y, without writing y out and reading it back. Its
 * backward must not need y (the ReLU's backward gets max(0, y) instead). {@link Sequential} fuses such pairs.
 */
interface FusesRelu extends Layer {
    /** {@link #forward(Tensor, Mode)}, followed by max(0, .) when relu is true. */
    Tensor forward(Tensor x, Mode mode, boolean relu);
}
