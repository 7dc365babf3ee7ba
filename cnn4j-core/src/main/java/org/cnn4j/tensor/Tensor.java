package org.cnn4j.tensor;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A float32 tensor of any rank over one flat array in row-major (C) order: the last dimension varies fastest.
 * A 1D tensor is a vector, 2D a matrix, 3D an image (C, H, W) and 4D a batch of images (N, C, H, W).
 * Tensors are mutable; {@link #reshape} shares the data, {@link #copy} does not.
 */
public final class Tensor {
    private final Shape shape;
    private final float[] data;

    public Tensor(Shape shape, float[] data) {
        if (data.length != shape.size()) {
            throw new IllegalArgumentException("shape " + shape + " needs " + shape.size() + " values but got " + data.length);
        }
        this.shape = shape;
        this.data = data;
    }

    public static Tensor zeros(Shape shape) {
        return new Tensor(shape, new float[shape.size()]);
    }

    public static Tensor zeros(int... dims) {
        return zeros(Shape.of(dims));
    }

    /**
     * {@code buffer} itself if it is not null and has this shape, otherwise a new zero tensor of the shape: how a
     * layer keeps its output and gradient tensors from one call to the next. A reused buffer keeps its old values,
     * so the caller overwrites every element, or clears it first where it accumulates.
     */
    public static Tensor reuse(Tensor buffer, Shape shape) {
        return buffer != null && buffer.shape.equals(shape) ? buffer : zeros(shape);
    }

    /** A tensor over a copy of {@code values}. */
    public static Tensor of(float[] values, int... dims) {
        return new Tensor(Shape.of(dims), values.clone());
    }

    public static Tensor full(Shape shape, float value) {
        Tensor t = zeros(shape);
        Arrays.fill(t.data, value);
        return t;
    }

    /** Standard-normal values scaled by {@code std}, from a seeded generator. */
    public static Tensor randn(Shape shape, float std, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor t = zeros(shape);
        for (int i = 0; i < t.data.length; i++) {
            t.data[i] = (float) (gaussian(r) * std);
        }
        return t;
    }

    /** A standard-normal sample (Box-Muller), so results do not depend on java.util.Random's internals. */
    public static double gaussian(SplittableRandom r) {
        double u1 = 1.0 - r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    public Shape shape() {
        return shape;
    }

    public int rank() {
        return shape.rank();
    }

    public int dim(int i) {
        return shape.dim(i);
    }

    public int size() {
        return data.length;
    }

    /** The backing array, shared: writes change the tensor. */
    public float[] data() {
        return data;
    }

    /** A view with another shape of the same size, sharing the data (like PyTorch's view). */
    public Tensor reshape(Shape newShape) {
        if (newShape.size() != data.length) {
            throw new IllegalArgumentException("cannot reshape " + shape + " (" + data.length + " values) to " + newShape
                    + " (" + newShape.size() + " values)");
        }
        return new Tensor(newShape, data);
    }

    public Tensor reshape(int... dims) {
        return reshape(Shape.of(dims));
    }

    public Tensor copy() {
        return new Tensor(shape, data.clone());
    }

    /** Row-major flat index of the given coordinates, checked against the shape. */
    public int index(int... idx) {
        if (idx.length != shape.rank()) {
            throw new IllegalArgumentException("index of rank " + idx.length + " for tensor of shape " + shape);
        }
        int flat = 0;
        for (int i = 0; i < idx.length; i++) {
            int d = shape.dim(i);
            if (idx[i] < 0 || idx[i] >= d) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(idx) + " out of bounds for shape " + shape);
            }
            flat = flat * d + idx[i];
        }
        return flat;
    }

    public float get(int... idx) {
        return data[index(idx)];
    }

    public void set(float value, int... idx) {
        data[index(idx)] = value;
    }

    public Tensor fill(float value) {
        Arrays.fill(data, value);
        return this;
    }

    /** Copies {@code other}'s values into this tensor; the shapes must be equal. */
    public void copyFrom(Tensor other) {
        other.shape.require(shape, "copyFrom");
        System.arraycopy(other.data, 0, data, 0, data.length);
    }

    /** this += other, element-wise; the shapes must be equal. */
    public Tensor addInPlace(Tensor other) {
        other.shape.require(shape, "addInPlace");
        for (int i = 0; i < data.length; i++) {
            data[i] += other.data[i];
        }
        return this;
    }

    /** Index of the largest value in row {@code row} of a 2D tensor (ties: the first). */
    public int argmaxRow(int row) {
        shape.requireRank(2, "argmaxRow", "rows, columns");
        int cols = shape.dim(1);
        int base = row * cols;
        int best = 0;
        for (int j = 1; j < cols; j++) {
            if (data[base + j] > data[base + best]) {
                best = j;
            }
        }
        return best;
    }

    @Override
    public String toString() {
        int n = Math.min(data.length, 8);
        StringBuilder sb = new StringBuilder("Tensor").append(shape).append(" [");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ", ").append(data[i]);
        }
        return sb.append(data.length > n ? ", ...]" : "]").toString();
    }
}
