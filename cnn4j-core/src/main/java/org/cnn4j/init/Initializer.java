package org.cnn4j.init;

import java.util.SplittableRandom;
import org.cnn4j.tensor.Tensor;

/**
 * Fills a weight tensor. {@code fanIn} and {@code fanOut} follow PyTorch: for a weight of shape
 * (out, in, k...) fanIn = in * prod(k) and fanOut = out * prod(k).
 */
@FunctionalInterface
public interface Initializer {
    void fill(Tensor weight, int fanIn, int fanOut, SplittableRandom random);
}
