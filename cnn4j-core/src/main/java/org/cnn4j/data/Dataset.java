package org.cnn4j.data;

import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * A labelled image data set held in memory: {@code size()} images of {@code sampleShape()} = (C, H, W) as float
 * pixels, one tensor of shape (N, C, H, W), and one integer class label per image.
 * <p>
 * A data set is immutable: {@link #of} copies its inputs, and {@link #image} returns a copy. The labels run from 0
 * to {@code numClasses() - 1}. Batching, shuffling, augmentation and normalization are the job of {@link DataLoader}.
 */
public final class Dataset {
    private final Tensor images;
    private final int[] labels;
    private final int numClasses;

    /** Takes ownership of the arrays: callers pass fresh ones or copies. */
    private Dataset(Tensor images, int[] labels, int numClasses) {
        images.shape().requireRank(4, "Dataset images", "N, C, H, W");
        if (images.dim(0) != labels.length) {
            throw new IllegalArgumentException("Dataset: " + images.dim(0) + " images but " + labels.length + " labels");
        }
        if (numClasses < 1) {
            throw new IllegalArgumentException("Dataset: numClasses must be at least 1 but is " + numClasses);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException("Dataset: label " + labels[i] + " of sample " + i
                        + " is outside [0, " + numClasses + ")");
            }
        }
        this.images = images;
        this.labels = labels;
        this.numClasses = numClasses;
    }

    /**
     * A data set of the images in {@code images} (N, C, H, W) and their {@code labels} (length N, each in
     * [0, numClasses)); both are copied.
     */
    public static Dataset of(Tensor images, int[] labels, int numClasses) {
        return new Dataset(images.copy(), labels.clone(), numClasses);
    }

    /** A data set whose number of classes is one more than its largest label. */
    public static Dataset of(Tensor images, int[] labels) {
        int max = 0;
        for (int label : labels) {
            max = Math.max(max, label);
        }
        return of(images, labels, max + 1);
    }

    /** Number of samples N. */
    public int size() {
        return labels.length;
    }

    /** The shape of one image: (C, H, W). */
    public Shape sampleShape() {
        return images.shape().dropFirst();
    }

    public int numClasses() {
        return numClasses;
    }

    public int label(int i) {
        return labels[i];
    }

    /** A copy of all labels, in sample order. */
    public int[] labels() {
        return labels.clone();
    }

    /** A copy of image {@code i}, shape (C, H, W). */
    public Tensor image(int i) {
        int n = sampleShape().size();
        float[] pixels = new float[n];
        System.arraycopy(images.data(), i * n, pixels, 0, n);
        return new Tensor(sampleShape(), pixels);
    }

    /** How many samples each class has: {@code counts[c]} for c in [0, numClasses). */
    public int[] classCounts() {
        int[] counts = new int[numClasses];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    /** The samples at the given indices, in that order (an index may repeat); keeps {@link #numClasses()}. */
    public Dataset subset(int[] indices) {
        int n = sampleShape().size();
        Tensor picked = Tensor.zeros(sampleShape().prepend(indices.length));
        int[] pickedLabels = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            if (i < 0 || i >= size()) {
                throw new IndexOutOfBoundsException("subset: index " + i + " out of range for a data set of " + size());
            }
            System.arraycopy(images.data(), i * n, picked.data(), k * n, n);
            pickedLabels[k] = labels[i];
        }
        return new Dataset(picked, pickedLabels, numClasses);
    }

    /** A data set over the given arrays without copying them: for readers that have just made them. */
    static Dataset wrap(Tensor images, int[] labels, int numClasses) {
        return new Dataset(images, labels, numClasses);
    }

    /** The shared pixel array, (N, C, H, W) row-major, for {@link DataLoader}; never written. */
    float[] pixels() {
        return images.data();
    }

    @Override
    public String toString() {
        return "Dataset[" + size() + " samples of " + sampleShape() + ", " + numClasses + " classes]";
    }
}
