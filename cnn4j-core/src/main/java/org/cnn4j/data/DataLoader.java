package org.cnn4j.data;

import org.cnn4j.tensor.Tensor;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * Cuts a {@link Dataset} into mini-batches for training or evaluation, one epoch at a time:
 * <pre>
 *   DataLoader loader = DataLoader.builder(train).batchSize(64).shuffle(true).seed(42)
 *           .translate(2).normalize(Normalize.MNIST).build();
 *   for (int epoch = 0; epoch &lt; epochs; epoch++) {
 *       for (Batch batch : loader.epoch(epoch)) { ... batch.images() is (N, C, H, W) ... }
 *   }
 * </pre>
 * <ul>
 *   <li><b>Order.</b> Every sample appears exactly once per epoch. With {@code shuffle(true)} the order is a new
 *       random permutation each epoch that depends only on the seed and the epoch number, so a run can be repeated
 *       (or resumed at any epoch) exactly. Without shuffling the order is the data set's.</li>
 *   <li><b>Last batch.</b> When the batch size does not divide the data set, the last batch is smaller; it is kept.</li>
 *   <li><b>Augmentation.</b> {@code translate(k)} shifts each image by a random whole number of pixels in
 *       [-k, k] in each direction, filling the uncovered border with 0 (the background of [0, 1] pixels). It shows
 *       the model digits that are slightly off-centre, which helps when training data is scarce. This is exactly
 *       torchvision's {@code RandomCrop(size, padding=k)}: padding by k zeros and cutting a window of the original
 *       size at a random offset in [0, 2k] is a shift by k minus that offset; {@code randomCrop(k)} is the same
 *       setting under that name. {@code horizontalFlip(true)} mirrors each image left-right with probability 1/2
 *       (after the shift), for data whose mirror image is as likely as itself (clothes, CIFAR's animals and
 *       vehicles; not digits). Shifts and flips come from the seed and the epoch too, each from its own stream, and
 *       are done in the batch buffer without allocating.</li>
 *   <li><b>Normalization.</b> {@code normalize(n)} applies {@link Normalize} to each batch <em>after</em>
 *       translation, so that filled-in pixels are normalized background like all others.</li>
 *   <li><b>Buffers.</b> The loader writes every batch into the same two tensors (one of the full batch size, one
 *       for the smaller last batch), so a {@link Batch} is only valid until the next one is produced, and only one
 *       epoch should be iterated at a time.</li>
 * </ul>
 * Use one loader with shuffling and augmentation for training and another without for evaluation.
 */
public final class DataLoader {
    /** Odd constants that tell the random streams of one epoch apart. */
    private static final long ORDER_STREAM = 0xD1B54A32D192ED03L;
    private static final long SHIFT_STREAM = 0xAEF17502108EF2D9L;
    private static final long FLIP_STREAM = 0x9E3779B97F4A7C15L;

    private final Dataset dataset;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private final int maxShift;
    private final boolean flip;
    private final Normalize normalize;
    private final Batch fullBatch;
    private final Batch lastBatch;

    private DataLoader(Builder b) {
        this.dataset = b.dataset;
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.seed = b.seed;
        this.maxShift = b.maxShift;
        this.flip = b.flip;
        this.normalize = b.normalize;
        int rest = dataset.size() % batchSize;
        this.fullBatch = dataset.size() >= batchSize ? newBatch(batchSize) : null;
        this.lastBatch = rest > 0 ? newBatch(rest) : null;
    }

    public static Builder builder(Dataset dataset) {
        return new Builder(dataset);
    }

    public Dataset dataset() {
        return dataset;
    }

    public int batchSize() {
        return batchSize;
    }

    /** Number of batches in one epoch, the smaller last one included. */
    public int batchesPerEpoch() {
        return (dataset.size() + batchSize - 1) / batchSize;
    }

    /** The order in which epoch {@code epoch} visits the samples: a permutation of 0 .. size-1. */
    public int[] order(int epoch) {
        int[] order = new int[dataset.size()];
        Arrays.setAll(order, i -> i);
        if (shuffle) {
            shuffle(order, random(epoch, ORDER_STREAM));
        }
        return order;
    }

    /** The batches of epoch {@code epoch} (counting from 0), each valid until the next is produced. */
    public Iterable<Batch> epoch(int epoch) {
        return () -> new Iterator<>() {
            private final int[] order = order(epoch);
            private final SplittableRandom shifts = random(epoch, SHIFT_STREAM);
            private final SplittableRandom flips = random(epoch, FLIP_STREAM);
            private int next = 0;

            @Override
            public boolean hasNext() {
                return next < order.length;
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("epoch " + epoch + " has no more batches");
                }
                Batch batch = order.length - next >= batchSize ? fullBatch : lastBatch;
                fill(batch, order, next, shifts, flips);
                next += batch.size();
                return batch;
            }
        };
    }

    /** Fisher-Yates shuffle of {@code a} in place: every permutation is equally likely. */
    static void shuffle(int[] a, SplittableRandom random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /**
     * Copies image {@code src[srcOff ..]} of shape (channels, h, w) into {@code dst[dstOff ..]} moved by {@code dx}
     * pixels to the right and {@code dy} pixels down; pixels moved in from outside are 0.
     */
    static void translate(float[] src, int srcOff, float[] dst, int dstOff, int channels, int h, int w, int dx, int dy) {
        // destination columns [x0, x1) come from source columns [x0 - dx, x1 - dx)
        int x0 = Math.clamp(dx, 0, w);
        int x1 = Math.clamp(w + dx, 0, w);
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < h; y++) {
                int out = dstOff + (c * h + y) * w;
                int sy = y - dy;
                if (sy < 0 || sy >= h || x0 >= x1) {
                    Arrays.fill(dst, out, out + w, 0f);
                    continue;
                }
                int in = srcOff + (c * h + sy) * w;
                Arrays.fill(dst, out, out + x0, 0f);
                System.arraycopy(src, in + x0 - dx, dst, out + x0, x1 - x0);
                Arrays.fill(dst, out + x1, out + w, 0f);
            }
        }
    }

    /** Mirrors image {@code a[off ..]} of shape (channels, h, w) left-right in place: column x swaps with w - 1 - x. */
    static void flipHorizontal(float[] a, int off, int channels, int h, int w) {
        for (int row = off, end = off + channels * h * w; row < end; row += w) {
            for (int l = row, r = row + w - 1; l < r; l++, r--) {
                float t = a[l];
                a[l] = a[r];
                a[r] = t;
            }
        }
    }

    private Batch newBatch(int n) {
        return new Batch(Tensor.zeros(dataset.sampleShape().prepend(n)), new int[n]);
    }

    /** Writes the samples order[from .. from + batch.size()) into the batch, translated, flipped and normalized. */
    private void fill(Batch batch, int[] order, int from, SplittableRandom shifts, SplittableRandom flips) {
        int c = dataset.sampleShape().dim(0);
        int h = dataset.sampleShape().dim(1);
        int w = dataset.sampleShape().dim(2);
        int sample = c * h * w;
        float[] src = dataset.pixels();
        float[] dst = batch.images().data();
        for (int k = 0; k < batch.size(); k++) {
            int i = order[from + k];
            batch.labels()[k] = dataset.label(i);
            if (maxShift > 0) {
                int dx = shifts.nextInt(-maxShift, maxShift + 1);
                int dy = shifts.nextInt(-maxShift, maxShift + 1);
                translate(src, i * sample, dst, k * sample, c, h, w, dx, dy);
            } else {
                System.arraycopy(src, i * sample, dst, k * sample, sample);
            }
            if (flip && flips.nextBoolean()) {
                flipHorizontal(dst, k * sample, c, h, w);
            }
        }
        if (normalize != null) {
            normalize.apply(batch.images());
        }
    }

    /**
     * A generator that depends only on the seed, the epoch and the stream (one each for the order, the shifts and the
     * flips, so that switching one on or off leaves the others as they were). {@code split()} gives a generator with
     * well-mixed state, so nearby seeds do not give related sequences.
     */
    private SplittableRandom random(int epoch, long stream) {
        return new SplittableRandom(seed ^ (stream * (epoch + 1L))).split();
    }

    /**
     * Options of a {@link DataLoader}; defaults: batch size 64, no shuffling, seed 0, no translation, no flips, no
     * normalization.
     */
    public static final class Builder {
        private final Dataset dataset;
        private int batchSize = 64;
        private boolean shuffle;
        private long seed;
        private int maxShift;
        private boolean flip;
        private Normalize normalize;

        private Builder(Dataset dataset) {
            this.dataset = dataset;
        }

        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be at least 1 but is " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** Whether each epoch visits the samples in a new random order. */
        public Builder shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /** The seed of the shuffling, the translations and the flips. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Random translation of each image by up to {@code maxShift} pixels in x and in y; 0 turns it off. */
        public Builder translate(int maxShift) {
            if (maxShift < 0) {
                throw new IllegalArgumentException("translation must not be negative but is " + maxShift);
            }
            this.maxShift = maxShift;
            return this;
        }

        /**
         * Random crop with zero padding, as torchvision's {@code RandomCrop(size, padding)}: the same as
         * {@link #translate translate(padding)} (see the class comment).
         */
        public Builder randomCrop(int padding) {
            return translate(padding);
        }

        /** Mirror each image left-right with probability 1/2. */
        public Builder horizontalFlip(boolean flip) {
            this.flip = flip;
            return this;
        }

        /** Normalization applied to each batch after translation and flipping; {@code null} for none. */
        public Builder normalize(Normalize normalize) {
            this.normalize = normalize;
            return this;
        }

        public DataLoader build() {
            return new DataLoader(this);
        }
    }
}
