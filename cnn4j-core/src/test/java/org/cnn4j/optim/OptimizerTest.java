package org.cnn4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Function;
import org.cnn4j.nn.Parameter;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * SGD and Adam against hand-computed values for the first steps, and against a plain double-precision
 * implementation of the update rules as documented for torch.optim, written out here independently of the
 * float32 loops in the optimizers.
 */
class OptimizerTest {
    private static final double[] START = {1.0, -0.5, 0.25, 2.0};

    /** A loss with a different curvature per weight: L = sum c_i w_i^2 / 2 + d_i w_i, so dL/dw_i = c_i w_i + d_i. */
    private static final double[] C = {1.0, 3.0, 0.5, 2.0};
    private static final double[] D = {0.5, -1.0, 0.2, 0.0};

    private static double[] gradient(double[] w) {
        double[] g = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            g[i] = C[i] * w[i] + D[i];
        }
        return g;
    }

    private static Parameter param(double... values) {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return new Parameter("w", Tensor.of(f, f.length), true);
    }

    /** Runs {@code steps} optimizer steps on the quadratic loss and returns the weights after each step. */
    private static double[][] run(Function<List<Parameter>, Optimizer> make, int steps) {
        Parameter p = param(START);
        Optimizer opt = make.apply(List.of(p));
        double[][] out = new double[steps][];
        for (int s = 0; s < steps; s++) {
            opt.zeroGrad();
            float[] w = p.value().data();
            double[] wd = new double[w.length];
            for (int i = 0; i < w.length; i++) {
                wd[i] = w[i];
            }
            double[] g = gradient(wd);
            for (int i = 0; i < g.length; i++) {
                p.grad().data()[i] += (float) g[i];
            }
            opt.step();
            out[s] = new double[w.length];
            for (int i = 0; i < w.length; i++) {
                out[s][i] = p.value().data()[i];
            }
        }
        return out;
    }

    /** torch.optim.SGD's documented algorithm, in double precision. */
    private static double[][] referenceSgd(double lr, double momentum, double dampening, double weightDecay,
            boolean nesterov, int steps) {
        double[] w = START.clone();
        double[] b = new double[w.length];
        double[][] out = new double[steps][];
        for (int t = 1; t <= steps; t++) {
            double[] g = gradient(w);
            for (int i = 0; i < w.length; i++) {
                double gi = g[i] + weightDecay * w[i];
                if (momentum != 0) {
                    b[i] = t == 1 ? gi : momentum * b[i] + (1 - dampening) * gi;
                    gi = nesterov ? gi + momentum * b[i] : b[i];
                }
                w[i] = w[i] - lr * gi;
            }
            out[t - 1] = w.clone();
        }
        return out;
    }

    /** torch.optim.Adam's documented algorithm (amsgrad off), in double precision. */
    private static double[][] referenceAdam(double lr, double beta1, double beta2, double eps, double weightDecay,
            int steps) {
        double[] w = START.clone();
        double[] m = new double[w.length];
        double[] v = new double[w.length];
        double[][] out = new double[steps][];
        for (int t = 1; t <= steps; t++) {
            double[] g = gradient(w);
            for (int i = 0; i < w.length; i++) {
                double gi = g[i] + weightDecay * w[i];
                m[i] = beta1 * m[i] + (1 - beta1) * gi;
                v[i] = beta2 * v[i] + (1 - beta2) * gi * gi;
                double mHat = m[i] / (1 - Math.pow(beta1, t));
                double vHat = v[i] / (1 - Math.pow(beta2, t));
                w[i] = w[i] - lr * mHat / (Math.sqrt(vHat) + eps);
            }
            out[t - 1] = w.clone();
        }
        return out;
    }

    /** torch.optim.AdamW's documented algorithm (amsgrad off), in double precision: decay first, then Adam. */
    private static double[][] referenceAdamW(double lr, double weightDecay, int steps) {
        double[] w = START.clone();
        double[] m = new double[w.length];
        double[] v = new double[w.length];
        double[][] out = new double[steps][];
        for (int t = 1; t <= steps; t++) {
            double[] g = gradient(w);
            for (int i = 0; i < w.length; i++) {
                w[i] -= lr * weightDecay * w[i];
                m[i] = 0.9 * m[i] + 0.1 * g[i];
                v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
                double mHat = m[i] / (1 - Math.pow(0.9, t));
                double vHat = v[i] / (1 - Math.pow(0.999, t));
                w[i] -= lr * mHat / (Math.sqrt(vHat) + 1e-8);
            }
            out[t - 1] = w.clone();
        }
        return out;
    }

    private static void assertClose(double[][] expected, double[][] actual) {
        for (int s = 0; s < expected.length; s++) {
            assertArrayEquals(expected[s], actual[s], 2e-6, "after step " + (s + 1));
        }
    }

    @Test
    void plainSgdByHand() {
        Parameter p = param(1.0);
        SGD sgd = new SGD(List.of(p), 0.1);
        p.grad().fill(0.5f);
        sgd.step();
        assertEquals(0.95f, p.value().data()[0], 1e-7f);
        sgd.step();
        assertEquals(0.90f, p.value().data()[0], 1e-7f);
    }

    @Test
    void momentumBufferStartsAtTheFirstGradient() {
        Parameter p = param(1.0);
        SGD sgd = new SGD(List.of(p), 0.1, 0.9);
        p.grad().fill(0.5f);
        sgd.step(); // b = 0.5 (not 0.05): w = 1 - 0.1 * 0.5
        assertEquals(0.95f, p.value().data()[0], 1e-7f);
        sgd.step(); // b = 0.9 * 0.5 + 0.5 = 0.95: w = 0.95 - 0.095
        assertEquals(0.855f, p.value().data()[0], 1e-6f);
    }

    @Test
    void sgdMatchesTheDocumentedRule() {
        assertClose(referenceSgd(0.1, 0, 0, 0, false, 3), run(ps -> new SGD(ps, 0.1), 3));
        assertClose(referenceSgd(0.05, 0.9, 0, 0, false, 3), run(ps -> new SGD(ps, 0.05, 0.9), 3));
        assertClose(referenceSgd(0.05, 0.9, 0.3, 0, false, 3), run(ps -> new SGD(ps, 0.05, 0.9, 0.3, 0, false), 3));
    }

    @Test
    void sgdWeightDecayIsAddedToTheGradient() {
        Parameter p = param(2.0);
        SGD sgd = new SGD(List.of(p), 0.1, 0, 0, 0.01, false);
        p.grad().fill(0.5f);
        sgd.step(); // g = 0.5 + 0.01 * 2 = 0.52
        assertEquals(2.0f - 0.052f, p.value().data()[0], 1e-6f);
        assertClose(referenceSgd(0.05, 0.9, 0, 0.1, false, 3), run(ps -> new SGD(ps, 0.05, 0.9, 0, 0.1, false), 3));
    }

    @Test
    void nesterov() {
        Parameter p = param(1.0);
        SGD sgd = new SGD(List.of(p), 0.1, 0.9, 0, 0, true);
        p.grad().fill(0.5f);
        sgd.step(); // b = 0.5, g = 0.5 + 0.9 * 0.5 = 0.95
        assertEquals(0.905f, p.value().data()[0], 1e-6f);
        assertClose(referenceSgd(0.05, 0.9, 0, 0.01, true, 3), run(ps -> new SGD(ps, 0.05, 0.9, 0, 0.01, true), 3));
        assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(p), 0.1, 0, 0, 0, true));
        assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(p), 0.1, 0.9, 0.1, 0, true));
    }

    @Test
    void adamByHand() {
        // with a constant gradient the bias-corrected moments are exactly g and g^2, so each step is lr * sign(g)
        Parameter p = param(1.0);
        Adam adam = new Adam(List.of(p), 0.1);
        p.grad().fill(0.5f);
        adam.step();
        assertEquals(0.9f, p.value().data()[0], 1e-6f);
        adam.step();
        assertEquals(0.8f, p.value().data()[0], 1e-6f);
        assertEquals(2, adam.steps());
    }

    @Test
    void adamMatchesTheDocumentedRule() {
        assertClose(referenceAdam(1e-3, 0.9, 0.999, 1e-8, 0, 3), run(Adam::new, 3));
        assertClose(referenceAdam(0.05, 0.8, 0.99, 1e-3, 0, 3), run(ps -> new Adam(ps, 0.05, 0.8, 0.99, 1e-3, 0), 3));
    }

    @Test
    void adamWeightDecayIsAddedToTheGradient() {
        assertClose(referenceAdam(0.05, 0.9, 0.999, 1e-8, 0.1, 3),
                run(ps -> new Adam(ps, 0.05, 0.9, 0.999, 1e-8, 0.1), 3));
    }

    @Test
    void adamWDecaysTheWeightsApartFromTheGradient() {
        // one step from w = 2 with g = 0.5: the decay 2 * (1 - 0.1 * 0.5) = 1.9, then Adam's first step of lr * sign(g)
        Parameter p = param(2.0);
        AdamW adamW = new AdamW(List.of(p), 0.1, 0.9, 0.999, 1e-8, 0.5);
        p.grad().fill(0.5f);
        adamW.step();
        assertEquals(1.8f, p.value().data()[0], 1e-6f);
        assertClose(referenceAdamW(0.05, 0.1, 3), run(ps -> new AdamW(ps, 0.05, 0.9, 0.999, 1e-8, 0.1), 3));
        assertClose(referenceAdamW(1e-3, 0.01, 3), run(AdamW::new, 3));
        assertEquals("AdamW(lr=0.00100, betas=(0.9, 0.999), eps=1.0E-8, weight_decay=0.01)",
                new AdamW(List.of(p)).toString());
        String msg = assertThrows(IllegalArgumentException.class, () -> new AdamW(List.of(p), 0.1, 0.9, 0.999, 1e-8, -1))
                .getMessage();
        assertTrue(msg.startsWith("AdamW: invalid"), msg);
    }

    @Test
    void adamEpsIsAddedAfterTheSquareRootOfTheCorrectedMoment() {
        // one step, g = 1e-4, eps = 1e-4: v-hat = g^2, so w moves by lr * g / (g + eps) = lr / 2;
        // adding eps inside the root or before the correction would give a different value
        Parameter p = param(0.0);
        Adam adam = new Adam(List.of(p), 0.1, 0.9, 0.999, 1e-4, 0);
        p.grad().fill(1e-4f);
        adam.step();
        assertEquals(-0.05f, p.value().data()[0], 1e-6f);
    }

    @Test
    void buffersAreNotUpdated() {
        Parameter w = param(1.0);
        Parameter running = Parameter.buffer("running_mean", Tensor.of(new float[] {3f}, 1));
        running.grad().fill(1f);
        w.grad().fill(1f);
        for (Optimizer opt : List.of(new SGD(List.of(w, running), 0.1, 0.9, 0, 0.1, false),
                new Adam(List.of(w, running), 0.1))) {
            opt.step();
            assertEquals(List.of(w), opt.parameters());
            assertEquals(3f, running.value().data()[0]);
        }
    }

    @Test
    void zeroGradAndLearningRate() {
        Parameter p = param(1.0, 2.0);
        SGD sgd = new SGD(List.of(p), 0.1);
        p.grad().fill(2f);
        sgd.zeroGrad();
        assertArrayEquals(new float[] {0f, 0f}, p.grad().data());
        sgd.setLearningRate(0.5);
        assertEquals(0.5, sgd.learningRate());
        p.grad().fill(1f);
        sgd.step();
        assertArrayEquals(new float[] {0.5f, 1.5f}, p.value().data());
        assertThrows(IllegalArgumentException.class, () -> sgd.setLearningRate(-1));
        assertThrows(IllegalArgumentException.class, () -> sgd.setLearningRate(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(p, p), 0.1));
        assertThrows(IllegalArgumentException.class, () -> new Adam(List.of(p), 0.1, 1.0, 0.999, 1e-8, 0));
    }
}
