package org.cnn4j.tensor;

import java.util.Arrays;

/**
 * The dimensions of a tensor, outermost first (PyTorch order: a batch of images is N, C, H, W).
 * Immutable; equal when the dimensions are equal.
 */
public final class Shape {
    private final int[] dims;

    private Shape(int[] dims) {
        for (int d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(dims));
            }
        }
        this.dims = dims;
    }

    public static Shape of(int... dims) {
        return new Shape(dims.clone());
    }

    public int rank() {
        return dims.length;
    }

    /** The size of dimension {@code i}; negative {@code i} counts from the end, as in Python. */
    public int dim(int i) {
        int k = i < 0 ? dims.length + i : i;
        if (k < 0 || k >= dims.length) {
            throw new IllegalArgumentException("dimension " + i + " out of range for shape " + this);
        }
        return dims[k];
    }

    public int[] dims() {
        return dims.clone();
    }

    /** Number of elements: the product of the dimensions (1 for a scalar of rank 0). */
    public int size() {
        long n = 1;
        for (int d : dims) {
            n *= d;
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("shape " + this + " has more than 2^31-1 elements");
        }
        return (int) n;
    }

    /** The shape without its first dimension: the shape of one sample in a batch. */
    public Shape dropFirst() {
        return new Shape(Arrays.copyOfRange(dims, 1, dims.length));
    }

    /** The shape with {@code first} put in front: a batch of samples of this shape. */
    public Shape prepend(int first) {
        int[] d = new int[dims.length + 1];
        d[0] = first;
        System.arraycopy(dims, 0, d, 1, dims.length);
        return new Shape(d);
    }

    /** Throws with a message naming both shapes unless this shape equals {@code expected}. */
    public void require(Shape expected, String what) {
        if (!equals(expected)) {
            throw new IllegalArgumentException(what + ": expected shape " + expected + " but got " + this);
        }
    }

    /** Throws unless this shape has rank {@code rank}; {@code layout} names the dimensions, e.g. "N, C, H, W". */
    public void requireRank(int rank, String what, String layout) {
        if (dims.length != rank) {
            throw new IllegalArgumentException(what + ": expected a " + rank + "D input (" + layout + ") but got shape " + this);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
