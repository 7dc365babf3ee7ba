package org.cnn4j.data;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Test helper: writes small IDX files, correct or deliberately broken. */
final class IdxFiles {
    private IdxFiles() {
    }

    /** The bytes of an IDX file: magic, the sizes, then {@code data} as it is (which may disagree with the sizes). */
    static byte[] idx(int magic, int[] dims, byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(magic);
        for (int d : dims) {
            out.writeInt(d);
        }
        out.write(data);
        return bytes.toByteArray();
    }

    static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(content);
        }
        return bytes.toByteArray();
    }

    static Path write(Path file, byte[] content) throws IOException {
        return Files.write(file, content);
    }

    /** n images of h x w whose pixel j of image i is (i * 7 + j) % 256, and labels i % 10. */
    static byte[] images(int n, int h, int w) throws IOException {
        byte[] data = new byte[n * h * w];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < h * w; j++) {
                data[i * h * w + j] = (byte) ((i * 7 + j) % 256);
            }
        }
        return idx(IdxReader.IMAGES_MAGIC, new int[] {n, h, w}, data);
    }

    static byte[] labels(int n) throws IOException {
        byte[] data = new byte[n];
        for (int i = 0; i < n; i++) {
            data[i] = (byte) (i % 10);
        }
        return idx(IdxReader.LABELS_MAGIC, new int[] {n}, data);
    }
}
