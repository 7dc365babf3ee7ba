package org.cnn4j.data;

import org.cnn4j.tensor.Tensor;

import java.util.Arrays;

/**
 * Standardizes pixels: {@code x -> (x - mean) / std}, so that inputs are centred near 0 with unit spread, which
 * makes training faster and steadier than raw [0, 1] pixels.
 * <p>
 * The mean and standard deviation are those of the training pixels, and the <em>same</em> values must be applied
 * to every input the model sees afterwards: the test set, and each image at prediction time. At prediction time,
 * turn the image into [0, 1] pixels with {@link DigitImage#fromImage} and then call {@link #apply} with the
 * normalization the model was trained with; a model file should record it (see {@link #mean()} and {@link #std()}).
 * <p>
 * One value for all channels ({@link #of}) suits grayscale data such as MNIST ({@link #MNIST}); there is one value per
 * channel for color data ({@link #perChannel}).
 */
public final class Normalize {
    /** The usual MNIST statistics (mean 0.1307, standard deviation 0.3081 of the 60,000 training pixels in [0, 1]). */
    public static final Normalize MNIST = of(0.1307f, 0.3081f);
    /** The usual Fashion-MNIST statistics (mean 0.2860, standard deviation 0.3530 of the 60,000 training images). */
    public static final Normalize FASHION_MNIST = of(0.2860f, 0.3530f);
    /** The usual CIFAR-10 statistics per channel (R, G, B) of the 50,000 training images. */
    public static final Normalize CIFAR10 = perChannel(new float[] {0.4914f, 0.4822f, 0.4465f},
            new float[] {0.2470f, 0.2435f, 0.2616f});

    private final float[] mean;
    private final float[] std;

    private Normalize(float[] mean, float[] std) {
        if (mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException("Normalize: need as many means as standard deviations, at least one, but got "
                    + mean.length + " and " + std.length);
        }
        for (float s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("Normalize: standard deviation must be positive but is " + s);
            }
        }
        this.mean = mean;
        this.std = std;
    }

    /** The same mean and standard deviation for every channel. */
    public static Normalize of(float mean, float std) {
        return new Normalize(new float[] {mean}, new float[] {std});
    }

    /** One mean and standard deviation per channel. */
    public static Normalize perChannel(float[] mean, float[] std) {
        return new Normalize(mean.clone(), std.clone());
    }

    /** The means: one value, or one per channel. */
    public float[] mean() {
        return mean.clone();
    }

    /** The standard deviations: one value, or one per channel. */
    public float[] std() {
        return std.clone();
    }

    /**
     * Normalizes {@code images} in place and returns it. The tensor is one image (C, H, W) or a batch (N, C, H, W);
     * its channels are dimension -3.
     */
    public Tensor apply(Tensor images) {
        if (images.rank() != 3 && images.rank() != 4) {
            throw new IllegalArgumentException("Normalize: expected an image (C, H, W) or a batch (N, C, H, W) but got shape "
                    + images.shape());
        }
        int channels = images.dim(-3);
        if (mean.length != 1 && mean.length != channels) {
            throw new IllegalArgumentException("Normalize: " + mean.length + " channel statistics for images of "
                    + channels + " channels");
        }
        int plane = images.dim(-2) * images.dim(-1);
        float[] x = images.data();
        for (int start = 0, c = 0; start < x.length; start += plane, c = (c + 1) % channels) {
            int k = mean.length == 1 ? 0 : c;
            float m = mean[k];
            float inv = 1f / std[k];
            for (int i = start; i < start + plane; i++) {
                x[i] = (x[i] - m) * inv;
            }
        }
        return images;
    }

    @Override
    public String toString() {
        return "Normalize[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
    }
}
