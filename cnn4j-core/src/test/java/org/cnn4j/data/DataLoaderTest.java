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
}
