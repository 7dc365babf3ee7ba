package org.cnn4j.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.cnn4j.loss.Loss;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * Checks a hand-written backward pass against numerical derivatives, the standard test for backpropagation code.
 *
 * <p>A layer's output is a tensor, so it is first reduced to a number with a random projection, L = sum(out * R)
 * with R drawn once: then dL/dout = R, every output matters, and a mistake cannot hide in a symmetric sum. Backward
 * gives the analytical gradient a = dL/dv for every element v of the input and of each trainable parameter; the
 * numerical one comes from central differences, n = (L(v + ε) - L(v - ε)) / 2ε, which is off by only O(ε²).
 * The loss is summed in double; ε must still be large enough that float32 rounding of the outputs, divided by
 * 2ε, stays small, hence ε around 1e-2 rather than the 1e-6 one would use in double precision.
 *
 * <p>Each element's error is taken relative to the size of its two gradients, |a - n| / max(|a| + |n|, floor),
 * where the floor is {@value #RELATIVE_FLOOR} times the largest |a| + |n| of the tensor: elements whose gradient
 * is nearly zero are judged by their absolute error against the tensor's scale, so float rounding noise on them
 * does not count as a large relative error. A tensor passes if its largest error is within the tolerance.
 *
 * <p>Kinks (ReLU at 0, a tie in max pooling) have no derivative, and a perturbation across one gives nonsense:
 * {@link #check(Layer, Shape, long)} therefore feeds an input whose values are distinct, spaced apart and away from
 * 0, and perturbs it by at most a quarter of the spacing. Inside a network a hidden value can still sit near a kink
 * (perturbing a first-layer weight moves every value behind it), so each element is also judged by its one-sided
 * slopes s+ = (L(v + ε) - L(v)) / ε and s- = (L(v) - L(v - ε)) / ε: if the function is linear on each side of a kink
 * between v - ε and v + ε, the central difference is off by exactly |s+ - s-| / 2, while a smooth function's
 * one-sided slopes differ only by about ε times its curvature. An element whose error is within |s+ - s-| is
 * counted as a kink crossed and left out of the maximum (the report says how many); a tensor with more than a
 * quarter of its elements left out fails, as there is too little left to judge. A wrong backward still shows: its
 * error does not follow the forward's kinks. The layer must
 * compute the same function on every forward pass: a {@link Dropout} in TRAIN mode needs {@link Dropout#setMaskFrozen frozen masks} (or use EVAL mode).
 * Checking zeroes the parameters' gradients.
 */
public record GradCheck(double epsilon, double tolerance) {
    public static final double DEFAULT_EPSILON = 1e-2;
    public static final double DEFAULT_TOLERANCE = 1e-2;
    /** Gradients below this fraction of a tensor's largest are compared by their error against that largest. */
    public static final double RELATIVE_FLOOR = 1e-2;

    public GradCheck {
        if (!(epsilon > 0) || !(tolerance > 0)) {
            throw new IllegalArgumentException("GradCheck(epsilon=" + epsilon + ", tolerance=" + tolerance
                    + "): both must be positive");
        }
    }

    /** With the default step {@value #DEFAULT_EPSILON} and tolerance {@value #DEFAULT_TOLERANCE}. */
    public GradCheck() {
        this(DEFAULT_EPSILON, DEFAULT_TOLERANCE);
    }

    /** The result for one tensor: the input, a parameter (by its dotted name) or a loss's prediction. */
    /** The errors of one tensor, over its elements except the {@code kinks} where the step crossed a kink. */
    public record Entry(String name, int size, double epsilon, double maxAbsError, double maxRelError, int kinks,
                        boolean passed) {
    }

    public record Report(List<Entry> entries, double tolerance) {
        public Report {
            entries = List.copyOf(entries);
        }

        public boolean passed() {
            return entries.stream().allMatch(Entry::passed);
        }

        /** One line per tensor: size, step, largest absolute and relative error, and whether it passed. */
        @Override
        public String toString() {
            int w = Math.max(6, entries.stream().mapToInt(e -> e.name().length()).max().orElse(0));
            StringBuilder sb = new StringBuilder(String.format("%-" + w + "s  %8s  %8s  %12s  %12s  %5s  %s%n",
                    "tensor", "size", "epsilon", "max abs err", "max rel err", "kinks", "result"));
            for (Entry e : entries) {
                sb.append(String.format("%-" + w + "s  %8d  %8.1e  %12.3e  %12.3e  %5d  %s%n", e.name(), e.size(),
                        e.epsilon(), e.maxAbsError(), e.maxRelError(), e.kinks(), e.passed() ? "ok" : "FAIL"));
            }
            return sb.append(passed() ? "passed" : "FAILED").append(" (tolerance ").append(tolerance).append(")")
                    .toString();
        }
    }

    /**
     * Checks {@code layer} in TRAIN mode on a kink-free input of the given shape (see {@link #kinkFreeInput});
     * the input step is at most a quarter of that input's spacing. {@code seed} fixes the input and projection.
     */
    public Report check(Layer layer, Shape inputShape, long seed) {
        return check(layer, inputShape, Mode.TRAIN, seed);
    }

    /** As {@link #check(Layer, Shape, long)}, in the given mode. */
    public Report check(Layer layer, Shape inputShape, Mode mode, long seed) {
        double inputEpsilon = Math.min(epsilon, kinkFreeSpacing(inputShape.size()) / 4);
        return check(layer, kinkFreeInput(inputShape, seed), inputEpsilon, mode, seed + 1);
    }

    /** Checks {@code layer} at the given input (not modified) in the given mode; {@code seed} fixes the projection. */
    public Report check(Layer layer, Tensor input, Mode mode, long seed) {
        return check(layer, input.copy(), epsilon, mode, seed);
    }

    private Report check(Layer layer, Tensor x, double inputEpsilon, Mode mode, long seed) {
        Tensor out = layer.forward(x, mode);
        float[] first = out.data().clone();
        Tensor r = Tensor.randn(out.shape(), 1f, seed);
        Map<String, Parameter> named = new LinkedHashMap<>();
        layer.namedParameters("", named);
        named.values().removeIf(p -> !p.isTrainable());
        named.values().forEach(Parameter::zeroGrad);
        float[] dx = layer.backward(r).data().clone();
        if (!Arrays.equals(first, layer.forward(x, mode).data())) {
            throw new IllegalStateException("GradCheck: the layer's output changed between two forward passes on the"
                    + " same input, so it has no fixed gradient (a Dropout in TRAIN mode? freeze its mask or check"
                    + " in EVAL mode)");
        }
        DoubleSupplier projection = () -> {
            float[] o = layer.forward(x, mode).data();
            float[] rd = r.data();
            double sum = 0;
            for (int i = 0; i < o.length; i++) {
                sum += (double) o[i] * rd[i];
            }
            return sum;
        };
        List<Entry> entries = new ArrayList<>();
        entries.add(compare("input", x.data(), dx, inputEpsilon, projection));
        for (Map.Entry<String, Parameter> e : named.entrySet()) {
            Parameter p = e.getValue();
            entries.add(compare(e.getKey(), p.value().data(), p.grad().data().clone(), epsilon, projection));
        }
        return new Report(entries, tolerance);
    }

    /** Checks a loss's backward against the numerical gradient of its forward at {@code prediction}. */
    public <T> Report checkLoss(Loss<T> loss, Tensor prediction, T target) {
        Tensor x = prediction.copy();
        loss.forward(x, target);
        float[] analytic = loss.backward().data().clone();
        Entry e = compare("prediction", x.data(), analytic, epsilon, () -> loss.forward(x, target));
        return new Report(List.of(e), tolerance);
    }

    /**
     * Perturbs each element of {@code values} in turn (restoring it after), evaluates the loss {@code f} on both
     * sides and compares the central difference with {@code analytic}, leaving out the elements where the step
     * crossed a kink (see the class comment). The step actually taken is the difference of the two perturbed floats,
     * not ε itself, so float rounding of v ± ε does not bias the quotient.
     */
    private Entry compare(String name, float[] values, float[] analytic, double eps, DoubleSupplier f) {
        double[] numeric = new double[values.length];
        double[] slopeGap = new double[values.length];
        double loss = f.getAsDouble();
        double scale = 0;
        for (int i = 0; i < values.length; i++) {
            float v = values[i];
            float plus = (float) (v + eps);
            float minus = (float) (v - eps);
            values[i] = plus;
            double lossPlus = f.getAsDouble();
            values[i] = minus;
            double lossMinus = f.getAsDouble();
            values[i] = v;
            numeric[i] = (lossPlus - lossMinus) / ((double) plus - minus);
            slopeGap[i] = Math.abs((lossPlus - loss) / ((double) plus - v) - (loss - lossMinus) / ((double) v - minus));
            scale = Math.max(scale, Math.abs(analytic[i]) + Math.abs(numeric[i]));
        }
        double floor = Math.max(RELATIVE_FLOOR * scale, Double.MIN_NORMAL);
        double maxAbs = 0;
        double maxRel = 0;
        int kinks = 0;
        for (int i = 0; i < values.length; i++) {
            double abs = Math.abs(analytic[i] - numeric[i]);
            double rel = abs / Math.max(Math.abs(analytic[i]) + Math.abs(numeric[i]), floor);
            if (rel > tolerance && abs <= slopeGap[i]) {
                kinks++;
                continue;
            }
            maxAbs = Math.max(maxAbs, Double.isNaN(abs) ? Double.POSITIVE_INFINITY : abs);
            maxRel = Math.max(maxRel, Double.isNaN(rel) ? Double.POSITIVE_INFINITY : rel);
        }
        return new Entry(name, values.length, eps, maxAbs, maxRel, kinks,
                maxRel <= tolerance && kinks <= values.length / 4);
    }

    /**
     * An input with no kinks nearby: the values (j - size/2 + 1/2) * spacing for j = 0 .. size-1 with spacing
     * 4 / size (so about -2 to 2), in a seeded random order. They are all distinct, at least a spacing apart and at least half a spacing from 0, so
     * a step below a quarter spacing changes neither a ReLU's sign nor a max pool's winner.
     */
    public static Tensor kinkFreeInput(Shape shape, long seed) {
        int size = shape.size();
        double spacing = kinkFreeSpacing(size);
        float[] v = new float[size];
        for (int j = 0; j < size; j++) {
            v[j] = (float) ((j - size / 2 + 0.5) * spacing);
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int j = size - 1; j > 0; j--) {
            int k = random.nextInt(j + 1);
            float t = v[j];
            v[j] = v[k];
            v[k] = t;
        }
        return new Tensor(shape, v);
    }

    private static double kinkFreeSpacing(int size) {
        return 4.0 / Math.max(size, 1);
    }
}
