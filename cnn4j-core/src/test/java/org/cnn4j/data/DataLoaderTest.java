package org.cnn4j.data;

import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataLoaderTest {
    /** The sample indices an epoch visits, read back from the pixels (each image is filled with its index). */
    private static int[] visited(DataLoader loader, int epoch) {
        List<Integer> seen = new ArrayList<>();
        for (Batch b : loader.epoch(epoch)) {
            for (int k = 0; k < b.size(); k++) {
                int index = (int) b.images().get(k, 0, 0, 0);
                assertEquals(index % 3, b.labels()[k], "label travels with its image");
                seen.add(index);
            }
        }
        return seen.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void everySampleOncePerEpochWithPartialLastBatch() {
        DataLoader loader = DataLoader.builder(DatasetTest.tiny(10)).batchSize(4).shuffle(true).seed(1).build();
        assertEquals(3, loader.batchesPerEpoch());
        List<Integer> sizes = new ArrayList<>();
        for (Batch b : loader.epoch(0)) {
            sizes.add(b.size());
            assertEquals(Shape.of(b.size(), 1, 2, 2), b.images().shape());
        }
        assertEquals(List.of(4, 4, 2), sizes);
        for (int epoch = 0; epoch < 3; epoch++) {
            int[] order = visited(loader, epoch);
            assertArrayEquals(loader.order(epoch), order);
            int[] sorted = order.clone();
            Arrays.sort(sorted);
            assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, sorted);
        }
    }

    @Test
    void newOrderEachEpochSameForSameSeed() {
        Dataset d = DatasetTest.tiny(50);
        DataLoader a = DataLoader.builder(d).batchSize(8).shuffle(true).seed(7).build();
        DataLoader b = DataLoader.builder(d).batchSize(8).shuffle(true).seed(7).build();
        DataLoader c = DataLoader.builder(d).batchSize(8).shuffle(true).seed(8).build();
        assertArrayEquals(visited(a, 3), visited(b, 3));
        assertFalse(Arrays.equals(a.order(0), a.order(1)));
        assertFalse(Arrays.equals(a.order(0), c.order(0)));
    }

    @Test
    void withoutShuffleKeepsDatasetOrder() {
        DataLoader loader = DataLoader.builder(DatasetTest.tiny(5)).batchSize(2).build();
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, visited(loader, 0));
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, visited(loader, 1));
    }

    @Test
    void batchBuffersAreReused() {
        DataLoader loader = DataLoader.builder(DatasetTest.tiny(9)).batchSize(3).build();
        List<Batch> batches = new ArrayList<>();
        loader.epoch(0).forEach(batches::add);
        assertSame(batches.get(0).images(), batches.get(2).images());
    }

    @Test
    void translateMovesAPixelAndZeroFills() {
        // a 1 x 4 x 5 image with a single 1 at (y=1, x=2)
        float[] src = new float[20];
        src[1 * 5 + 2] = 1f;
        float[] dst = new float[20];
        Arrays.fill(dst, 9f);
        DataLoader.translate(src, 0, dst, 0, 1, 4, 5, 2, -1);
        float[] expected = new float[20];
        expected[0 * 5 + 4] = 1f;
        assertArrayEquals(expected, dst);

        // shifted out entirely: all zero
        DataLoader.translate(src, 0, dst, 0, 1, 4, 5, 5, 0);
        assertArrayEquals(new float[20], dst);
    }

    @Test
    void loaderTranslationKeepsShapeAndInk() {
        Tensor images = Tensor.zeros(20, 1, 8, 8);
        for (int i = 0; i < 20; i++) {
            images.set(1f, i, 0, 4, 4);
        }
        DataLoader loader = DataLoader.builder(Dataset.of(images, new int[20])).batchSize(20).seed(3).translate(2).build();
        Batch b = loader.epoch(0).iterator().next();
        assertEquals(Shape.of(20, 1, 8, 8), b.images().shape());
        boolean moved = false;
        for (int k = 0; k < 20; k++) {
            int ones = 0;
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 8; x++) {
                    if (b.images().get(k, 0, y, x) == 1f) {
                        ones++;
                        assertTrue(Math.abs(y - 4) <= 2 && Math.abs(x - 4) <= 2);
                        moved |= y != 4 || x != 4;
                    }
                }
            }
            assertEquals(1, ones);
        }
        assertTrue(moved);
        // same seed and epoch: same shifts
        float[] first = b.images().data().clone();
        assertArrayEquals(first, loader.epoch(0).iterator().next().images().data());
    }

    @Test
    void normalizesAfterTranslation() {
        Tensor images = Tensor.zeros(1, 1, 3, 3);
        DataLoader loader = DataLoader.builder(Dataset.of(images, new int[1])).batchSize(1).translate(1)
                .normalize(Normalize.of(0.5f, 0.25f)).build();
        Batch b = loader.epoch(0).iterator().next();
        for (float v : b.images().data()) {
            assertEquals(-2f, v);
        }
    }

    @Test
    void flipHorizontalMirrorsEveryRowOfEveryChannel() {
        // 2 channels x 2 rows x 3 columns, after a 1-value offset
        float[] a = {-1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        DataLoader.flipHorizontal(a, 1, 2, 2, 3);
        assertArrayEquals(new float[] {-1, 3, 2, 1, 6, 5, 4, 9, 8, 7, 12, 11, 10}, a);
    }

    /** n copies of a 3-channel 4 x 5 image that is 0 except for the value c + 1 at (c, 1, 0) in each channel c. */
    private static Dataset markedImages(int n) {
        Tensor images = Tensor.zeros(n, 3, 4, 5);
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                images.set(c + 1f, i, c, 1, 0);
            }
        }
        return Dataset.of(images, new int[n]);
    }

    @Test
    void horizontalFlipMirrorsAboutHalfTheImagesRepeatably() {
        DataLoader loader = DataLoader.builder(markedImages(200)).batchSize(64).seed(5).horizontalFlip(true).build();
        int flipped = 0;
        List<Boolean> pattern = new ArrayList<>();
        for (Batch b : loader.epoch(0)) {
            for (int k = 0; k < b.size(); k++) {
                boolean mirrored = b.images().get(k, 0, 1, 4) == 1f;
                for (int c = 0; c < 3; c++) {
                    // the marked pixel is at column 0 or, mirrored, at column 4, in every channel alike
                    assertEquals(mirrored ? 0f : c + 1f, b.images().get(k, c, 1, 0));
                    assertEquals(mirrored ? c + 1f : 0f, b.images().get(k, c, 1, 4));
                }
                flipped += mirrored ? 1 : 0;
                pattern.add(mirrored);
            }
        }
        assertTrue(flipped > 70 && flipped < 130, flipped + " of 200 flipped");
        List<Boolean> again = new ArrayList<>();
        for (Batch b : loader.epoch(0)) {
            for (int k = 0; k < b.size(); k++) {
                again.add(b.images().get(k, 0, 1, 4) == 1f);
            }
        }
        assertEquals(pattern, again, "same seed and epoch: same flips");
    }

    @Test
    void flipsLeaveTheShiftsAsTheyWere() {
        Dataset d = markedImages(50);
        DataLoader shifted = DataLoader.builder(d).batchSize(50).seed(9).shuffle(true).translate(1).build();
        DataLoader both = DataLoader.builder(d).batchSize(50).seed(9).shuffle(true).translate(1).horizontalFlip(true).build();
        float[] a = shifted.epoch(2).iterator().next().images().data().clone();
        float[] b = both.epoch(2).iterator().next().images().data();
        int sample = 3 * 4 * 5;
        int flipped = 0;
        for (int k = 0; k < 50; k++) {
            float[] one = Arrays.copyOfRange(b, k * sample, (k + 1) * sample);
            float[] expected = Arrays.copyOfRange(a, k * sample, (k + 1) * sample);
            if (!Arrays.equals(one, expected)) {
                DataLoader.flipHorizontal(one, 0, 3, 4, 5);
                assertArrayEquals(expected, one, "sample " + k + " is the shifted image, or its mirror image");
                flipped++;
            }
        }
        assertTrue(flipped > 0);
    }

    @Test
    void randomCropWithPaddingReachesEveryOffset() {
        // torchvision's RandomCrop(8, padding=2): the pixel at (4, 4) lands anywhere in [2, 6] x [2, 6]
        Tensor images = Tensor.zeros(400, 1, 8, 8);
        for (int i = 0; i < 400; i++) {
            images.set(1f, i, 0, 4, 4);
        }
        Dataset d = Dataset.of(images, new int[400]);
        DataLoader crop = DataLoader.builder(d).batchSize(400).seed(11).randomCrop(2).build();
        Batch b = crop.epoch(0).iterator().next();
        int[][] hits = new int[8][8];
        for (int k = 0; k < 400; k++) {
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 8; x++) {
                    hits[y][x] += b.images().get(k, 0, y, x) == 1f ? 1 : 0;
                }
            }
        }
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                boolean reachable = y >= 2 && y <= 6 && x >= 2 && x <= 6;
                assertEquals(reachable, hits[y][x] > 0, "offset (" + y + ", " + x + "): " + hits[y][x] + " hits");
            }
        }
        float[] cropped = b.images().data().clone();
        DataLoader shift = DataLoader.builder(d).batchSize(400).seed(11).translate(2).build();
        assertArrayEquals(cropped, shift.epoch(0).iterator().next().images().data(), "randomCrop(k) is translate(k)");
    }

    @Test
    void augmentationAllocatesNothingPerSample() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        DataLoader loader = DataLoader.builder(markedImages(2000)).batchSize(100).seed(1).shuffle(true)
                .randomCrop(2).horizontalFlip(true).normalize(Normalize.of(0.5f, 0.5f)).build();
        long bytes = Long.MAX_VALUE;
        for (int epoch = 0; epoch < 10; epoch++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            loader.epoch(epoch).forEach(b -> { });
            // the least of several epochs: the first ones also allocate while the code is being compiled
            bytes = Math.min(bytes, threads.getCurrentThreadAllocatedBytes() - before);
        }
        // per epoch: the order (8 kB for 2,000 samples), generators, the iterator, a few shapes per batch; nothing per sample
        assertTrue(bytes < 16_000, bytes + " bytes allocated for an epoch of 2,000 samples");
    }
}
