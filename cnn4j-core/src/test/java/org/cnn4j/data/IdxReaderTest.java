package org.cnn4j.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxReaderTest {
    @TempDir
    Path dir;

    @Test
    void rawAndGzipFilesReadTheSame() throws IOException {
        byte[] content = IdxFiles.images(5, 3, 4);
        Path raw = IdxFiles.write(dir.resolve("raw.idx"), content);
        // a misleading name: gzip is detected by its magic bytes
        Path gz = IdxFiles.write(dir.resolve("compressed.idx"), IdxFiles.gzip(content));

        for (Path file : new Path[] {raw, gz}) {
            IdxReader.IdxArray a = IdxReader.read(file);
            assertArrayEquals(new int[] {5, 3, 4}, a.dims());
            assertEquals(IdxReader.IMAGES_MAGIC, a.magic());
            assertEquals(60, a.data().length);
            assertEquals((4 * 7 + 11) % 256, a.value(4 * 12 + 11));
        }
    }

    @Test
    void datasetRoundTrip() throws IOException {
        Path images = IdxFiles.write(dir.resolve("img.gz"), IdxFiles.gzip(IdxFiles.images(40, 2, 3)));
        Path labels = IdxFiles.write(dir.resolve("lab"), IdxFiles.labels(40));
        Dataset d = IdxReader.readDataset(images, labels);
        assertEquals(40, d.size());
        assertEquals(org.cnn4j.tensor.Shape.of(1, 2, 3), d.sampleShape());
        assertEquals(10, d.numClasses());
        assertEquals(7, d.label(17));
        assertEquals(((17 * 7 + 5) % 256) / 255f, d.image(17).get(0, 1, 2));
    }

    @Test
    void pixelsAboveOneTwentySevenAreReadUnsigned() throws IOException {
        byte[] data = {(byte) 255, (byte) 128, 0, 1};
        Path f = IdxFiles.write(dir.resolve("f"), IdxFiles.idx(IdxReader.IMAGES_MAGIC, new int[] {1, 2, 2}, data));
        Path l = IdxFiles.write(dir.resolve("l"), IdxFiles.idx(IdxReader.LABELS_MAGIC, new int[] {1}, new byte[] {(byte) 200}));
        Dataset d = IdxReader.readDataset(f, l);
        assertArrayEquals(new float[] {1f, 128 / 255f, 0f, 1 / 255f}, d.image(0).data());
        assertEquals(200, d.label(0), "labels above 9 are accepted");
        assertEquals(201, d.numClasses());
    }

    @Test
    void truncatedRawFile() throws IOException {
        byte[] content = IdxFiles.images(5, 3, 4);
        Path f = IdxFiles.write(dir.resolve("short"), Arrays.copyOf(content, content.length - 1));
        assertMessage(f, "truncated");
    }

    @Test
    void truncatedGzipFile() throws IOException {
        byte[] gz = IdxFiles.gzip(IdxFiles.images(50, 10, 10));
        Path f = IdxFiles.write(dir.resolve("short.gz"), Arrays.copyOf(gz, gz.length / 2));
        assertMessage(f, "truncated");
    }

    @Test
    void truncatedHeader() throws IOException {
        assertMessage(IdxFiles.write(dir.resolve("h"), new byte[] {0, 0, 8, 3, 0, 0}), "ends inside the IDX header");
        assertMessage(IdxFiles.write(dir.resolve("e"), new byte[0]), "empty file");
    }

    @Test
    void wrongMagic() throws IOException {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10};
        assertMessage(IdxFiles.write(dir.resolve("x.png"), png), "not an IDX file (magic number 0x89504E47");
    }

    @Test
    void unsupportedDataType() throws IOException {
        Path f = IdxFiles.write(dir.resolve("floats"), IdxFiles.idx(0x00000D01, new int[] {1}, new byte[4]));
        assertMessage(f, "unsupported IDX data type 0x0D");
    }

    @Test
    void extraDataAfterTheDeclaredSize() throws IOException {
        Path f = IdxFiles.write(dir.resolve("long"), IdxFiles.idx(IdxReader.LABELS_MAGIC, new int[] {2}, new byte[3]));
        assertMessage(f, "unexpected data after");
    }

    @Test
    void hugeDeclaredSizeIsRejectedBeforeAllocating() throws IOException {
        int big = Integer.MAX_VALUE;
        Path raw = IdxFiles.write(dir.resolve("huge"), IdxFiles.idx(IdxReader.IMAGES_MAGIC, new int[] {big, big, big}, new byte[10]));
        assertMessage(raw, "more than a Java array can hold");
        Path rawShort = IdxFiles.write(dir.resolve("huge2"), IdxFiles.idx(IdxReader.IMAGES_MAGIC, new int[] {1_000_000, 1, 1}, new byte[10]));
        assertMessage(rawShort, "truncated: IDX header declares 1000000 x 1 x 1 = 1000000 bytes of data but the file holds only 10");
        // 2 GB declared in a gzip file of a few dozen bytes: impossible for DEFLATE, so refused before reading
        Path gz = IdxFiles.write(dir.resolve("huge.gz"),
                IdxFiles.gzip(IdxFiles.idx(IdxReader.IMAGES_MAGIC, new int[] {20_000_000, 10, 10}, new byte[10])));
        assertMessage(gz, "more than a gzip file of");
    }

    @Test
    void negativeSize() throws IOException {
        Path f = IdxFiles.write(dir.resolve("neg"), IdxFiles.idx(IdxReader.LABELS_MAGIC, new int[] {-5}, new byte[0]));
        assertMessage(f, "negative size -5");
    }

    @Test
    void imageAndLabelCountsMustMatch() throws IOException {
        Path images = IdxFiles.write(dir.resolve("images"), IdxFiles.images(6, 2, 2));
        Path labels = IdxFiles.write(dir.resolve("labels"), IdxFiles.labels(5));
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.readDataset(images, labels));
        assertEquals(images + " holds 6 images but " + labels + " holds 5 labels", e.getMessage());
    }

    @Test
    void labelFileGivenForImages() throws IOException {
        Path labels = IdxFiles.write(dir.resolve("labels"), IdxFiles.labels(5));
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.readDataset(labels, labels));
        assertTrue(e.getMessage().startsWith(labels + ": expected an image file (IDX magic number 0x00000803) but found"
                + " magic number 0x00000801"), e.getMessage());
    }

    private static void assertMessage(Path file, String part) {
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.read(file));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(part), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line");
    }
}
