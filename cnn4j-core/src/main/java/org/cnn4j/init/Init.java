package org.cnn4j.init;

import java.util.SplittableRandom;
import org.cnn4j.tensor.Tensor;

/**
 * Weight initializers and the global seed, in the manner of PyTorch's torch.nn.init and torch.manual_seed:
 * layers draw their initial weights from one seeded generator when they are built, so building the same model
 * after the same {@link #manualSeed} gives the same weights.
 *
 * <p>He (Kaiming) initialization keeps the variance of activations constant through ReLU layers
 * (std = sqrt(2 / fanIn)); it is the default for Conv2d and Linear. Xavier (Glorot) keeps it for
 * symmetric activations such as tanh (std = sqrt(2 / (fanIn + fanOut))).
 */
public final class Init {
    private static SplittableRandom global = new SplittableRandom(0);

    private Init() {
    }

    /** Seeds the generator that layers draw their initial weights from. */
    public static synchronized void manualSeed(long seed) {
        global = new SplittableRandom(seed);
    }

    /**
     * Runs {@code body} with a throwaway generator seeded with {@code seed} in place of the global one, then puts the
     * global one back untouched: for building layers whose weights are about to be overwritten (loading a model
     * file), so that loading does not change what the next model built after {@link #manualSeed} gets.
     */
    public static synchronized <T> T withSeed(long seed, java.util.function.Supplier<T> body) {
        SplittableRandom saved = global;
        global = new SplittableRandom(seed);
        try {
            return body.get();
        } finally {
            global = saved;
        }
    }

    /** A generator split off the global one: deterministic given the seed and the order of calls. */
    public static synchronized SplittableRandom nextRandom() {
        return global.split();
    }

    /** Fills {@code weight} with {@code init}, computing the fans from its shape, using the global generator. */
    public static void apply(Initializer init, Tensor weight) {
        int out = weight.dim(0);
        int in = weight.rank() > 1 ? weight.dim(1) : 1;
        int receptive = 1;
        for (int i = 2; i < weight.rank(); i++) {
            receptive *= weight.dim(i);
        }
        init.fill(weight, in * receptive, out * receptive, nextRandom());
    }

    /** He normal, fan_in mode, for ReLU: N(0, 2 / fanIn). */
    public static Initializer heNormal() {
        return (w, fanIn, fanOut, r) -> normal(w, Math.sqrt(2.0 / fanIn), r);
    }

    /** He uniform, fan_in mode, for ReLU: U(-b, b) with b = sqrt(6 / fanIn). */
    public static Initializer heUniform() {
        return (w, fanIn, fanOut, r) -> uniform(w, Math.sqrt(6.0 / fanIn), r);
    }

    /** Xavier (Glorot) normal: N(0, 2 / (fanIn + fanOut)). */
    public static Initializer xavierNormal() {
        return (w, fanIn, fanOut, r) -> normal(w, Math.sqrt(2.0 / (fanIn + fanOut)), r);
    }

    /** Xavier (Glorot) uniform: U(-b, b) with b = sqrt(6 / (fanIn + fanOut)). */
    public static Initializer xavierUniform() {
        return (w, fanIn, fanOut, r) -> uniform(w, Math.sqrt(6.0 / (fanIn + fanOut)), r);
    }

    /** Normal with a fixed standard deviation, whatever the fans (the "small random numbers" of early nets). */
    public static Initializer normal(double std) {
        return (w, fanIn, fanOut, r) -> normal(w, std, r);
    }

    public static Initializer constant(float value) {
        return (w, fanIn, fanOut, r) -> w.fill(value);
    }

    private static void normal(Tensor w, double std, SplittableRandom r) {
        float[] d = w.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (Tensor.gaussian(r) * std);
        }
    }

    private static void uniform(Tensor w, double bound, SplittableRandom r) {
        float[] d = w.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) ((r.nextDouble() * 2 - 1) * bound);
        }
    }
}
