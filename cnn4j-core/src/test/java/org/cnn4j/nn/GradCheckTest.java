package org.cnn4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The checker itself: it must catch a wrong backward, not only pass right ones. */
class GradCheckTest {

    /** Tanh whose backward is off by 3%: a plausible bug (a wrong constant) that the check must catch. */
    private static final class SlightlyWrongTanh implements Layer {
        private final Tanh tanh = new Tanh();

        @Override
        public Tensor forward(Tensor input, Mode mode) {
            return tanh.forward(input, mode);
        }

        @Override
        public Tensor backward(Tensor g) {
            Tensor dx = tanh.backward(g);
            float[] d = dx.data();
            for (int i = 0; i < d.length; i++) {
                d[i] *= 1.03f;
            }
            return dx;
        }

        @Override
        public Shape outputShape(Shape input) {
            return input;
        }

        @Override
        public LayerSpec spec() {
            return LayerSpec.of("SlightlyWrongTanh");
        }
    }

    @Test
    void catchesAWrongBackward() {
        GradCheck.Report r = new GradCheck().check(new SlightlyWrongTanh(), Shape.of(3, 4), 1);
        assertFalse(r.passed());
        assertTrue(r.entries().get(0).maxRelError() > 0.01);
        assertTrue(r.toString().contains("FAIL"), r.toString());
    }

    @Test
    void reportsEveryTrainableParameterByName() {
        GradCheck.Report r = new GradCheck().check(new Sequential(Shape.of(3), new Linear(3, 2), new Tanh(),
                new Linear(2, 2, false)), Shape.of(2, 3), 1);
        assertEquals(Arrays.asList("input", "0.weight", "0.bias", "2.weight"),
                r.entries().stream().map(GradCheck.Entry::name).toList());
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void refusesALayerWhoseOutputChangesBetweenPasses() {
        String msg = assertThrows(IllegalStateException.class,
                () -> new GradCheck().check(new Dropout(0.5, 1), Shape.of(4, 4), 1)).getMessage();
        assertTrue(msg.contains("Dropout"), msg);
    }

    @Test
    void dropoutInEvalModeAndExplicitInputs() {
        Tensor x = Tensor.randn(Shape.of(3, 5), 1f, 4);
        Tensor before = x.copy();
        GradCheck.Report r = new GradCheck().check(new Dropout(0.5, 1), x, Mode.EVAL, 2);
        assertTrue(r.passed(), r.toString());
        assertArrayEquals(before.data(), x.data());
    }

    @Test
    void kinkFreeInputIsDistinctAndAwayFromZero() {
        Tensor x = GradCheck.kinkFreeInput(Shape.of(2, 3, 5), 1);
        float[] v = x.data().clone();
        Arrays.sort(v);
        double spacing = 4.0 / v.length;
        for (int i = 0; i < v.length; i++) {
            assertTrue(Math.abs(v[i]) >= spacing / 2 - 1e-6);
            assertTrue(i == 0 || v[i] - v[i - 1] >= spacing - 1e-6);
        }
        assertArrayEquals(x.data(), GradCheck.kinkFreeInput(Shape.of(2, 3, 5), 1).data());
    }

    @Test
    void aStepAcrossAKinkIsLeftOutButAWrongBackwardIsNot() {
        // one value 0.004 from ReLU's kink: a step of 0.01 crosses it, the others are far from it
        Tensor x = new Tensor(Shape.of(1, 4), new float[] {0.004f, -0.7f, 0.9f, 1.3f});
        GradCheck.Report right = new GradCheck().check(new ReLU(), x, Mode.EVAL, 3);
        assertTrue(right.passed(), right.toString());
        assertEquals(1, right.entries().get(0).kinks(), right.toString());

        Layer wrong = new Sequential(Shape.of(4), new ReLU(), new SlightlyWrongTanh());
        GradCheck.Report r = new GradCheck().check(wrong, x, Mode.EVAL, 3);
        assertFalse(r.passed(), r.toString());
    }
}
