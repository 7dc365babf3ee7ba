package org.cnn4j.data;

import org.cnn4j.tensor.Tensor;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files, the simple array format in which MNIST is distributed (http://yann.lecun.com/exdb/mnist/).
 * <p>
 * An IDX file is a header followed by the array's values in row-major order:
 * <pre>
 *   magic    4 bytes: 0x00, 0x00, data type, number of dimensions d
 *   sizes    d big-endian int32 values, outermost first
 *   data     the values; for type 0x08, one unsigned byte each
 * </pre>
 * MNIST uses magic 0x00000803 for images (unsigned bytes, 3 dimensions: N x 28 x 28) and 0x00000801 for labels
 * (unsigned bytes, 1 dimension: N). This reader supports the unsigned-byte type only, which is all that MNIST-like
 * data sets use.
 * <p>
 * Files may be raw or gzip-compressed; gzip is recognised by its magic bytes 0x1f 0x8b, not by the file name.
 * Every size in the header is checked before anything is allocated from it: a raw file must be exactly as long as
 * its header says, and a gzip file cannot hold more than 1032 bytes per compressed byte (the largest expansion
 * DEFLATE can reach). Bad files end in a {@link DataFormatException} whose message names the file and the problem.
 */
public final class IdxReader {
    /** IDX data type code of unsigned bytes. */
    public static final int UNSIGNED_BYTE = 0x08;
    /** Magic number of an MNIST-style image file: unsigned bytes, 3 dimensions. */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an MNIST-style label file: unsigned bytes, 1 dimension. */
    public static final int LABELS_MAGIC = 0x00000801;

    /** Largest expansion factor of DEFLATE (RFC 1951): compressed data of n bytes inflates to at most ~1032 n bytes. */
    private static final long MAX_DEFLATE_RATIO = 1032;
    /** The most bytes a Java array can hold. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private IdxReader() {
    }

    /**
     * The content of an IDX file of unsigned bytes.
     *
     * @param source where it came from (a file name), for error messages
     * @param dims   the sizes from the header, outermost first
     * @param data   the values, row-major; read them with {@link #value(int)} since Java bytes are signed
     */
    public record IdxArray(String source, int[] dims, byte[] data) {
        /** Value {@code i} of the flat data as the unsigned number it stands for, 0 to 255. */
        public int value(int i) {
            return data[i] & 0xFF;
        }

        /** The magic number this array's file has: {@code 0x0000_08_dd} with dd the number of dimensions. */
        public int magic() {
            return (UNSIGNED_BYTE << 8) | dims.length;
        }
    }

    /** Reads an IDX file of unsigned bytes, raw or gzip. */
    public static IdxArray read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, Files.size(file), file.toString());
        }
    }

    /**
     * Reads an IDX array of unsigned bytes, raw or gzip, from a stream of {@code storedLength} bytes (its length as
     * stored, before any decompression) that is named {@code source} in error messages. Closes the stream.
     */
    public static IdxArray read(InputStream stream, long storedLength, String source) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(stream);
        boolean gzip = startsWithGzipMagic(buffered);
        try (InputStream in = gzip ? new GZIPInputStream(buffered) : buffered) {
            return readContent(in, gzip, storedLength, source);
        } catch (EOFException e) {
            throw new DataFormatException(source + ": truncated gzip data");
        } catch (ZipException e) {
            throw new DataFormatException(source + ": corrupt gzip data (" + e.getMessage() + ")");
        }
    }

    /** Reads an image file (magic 0x00000803) and its label file (0x00000801) into a data set of (N, 1, H, W) images. */
    public static Dataset readDataset(Path images, Path labels) throws IOException {
        return toDataset(read(images), read(labels), 1);
    }

    /**
     * Combines an image array (N x H x W) and a label array (N) into a data set with pixels scaled from 0..255 to
     * [0, 1]. It has {@code minClasses} classes, or more if a label is larger.
     */
    static Dataset toDataset(IdxArray images, IdxArray labels, int minClasses) {
        requireMagic(images, IMAGES_MAGIC, "an image file");
        requireMagic(labels, LABELS_MAGIC, "a label file");
        int n = images.dims()[0];
        if (labels.dims()[0] != n) {
            throw new DataFormatException(images.source() + " holds " + n + " images but " + labels.source() + " holds "
                    + labels.dims()[0] + " labels");
        }
        int h = images.dims()[1];
        int w = images.dims()[2];
        Tensor pixels = Tensor.zeros(n, 1, h, w);
        float[] p = pixels.data();
        for (int i = 0; i < p.length; i++) {
            p[i] = images.value(i) / 255f;
        }
        int[] classes = new int[n];
        int numClasses = minClasses;
        for (int i = 0; i < n; i++) {
            classes[i] = labels.value(i);
            numClasses = Math.max(numClasses, classes[i] + 1);
        }
        return Dataset.wrap(pixels, classes, numClasses);
    }

    private static boolean startsWithGzipMagic(BufferedInputStream in) throws IOException {
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b;
    }

    private static IdxArray readContent(InputStream in, boolean gzip, long storedLength, String source) throws IOException {
        long maxContent = gzip ? storedLength * MAX_DEFLATE_RATIO : storedLength;
        byte[] magic = in.readNBytes(4);
        if (magic.length == 0) {
            throw new DataFormatException(source + ": empty file, not an IDX file");
        }
        if (magic.length < 4) {
            throw new DataFormatException(source + ": truncated: the file ends inside the IDX header");
        }
        if (magic[0] != 0 || magic[1] != 0) {
            throw new DataFormatException(source + ": not an IDX file (magic number " + hex(magic)
                    + "; an IDX file starts with two zero bytes)");
        }
        int type = magic[2] & 0xFF;
        if (type != UNSIGNED_BYTE) {
            throw new DataFormatException(source + ": unsupported IDX data type 0x" + String.format("%02X", type)
                    + " (magic number " + hex(magic) + "); only 0x08, unsigned byte, is supported");
        }
        int rank = magic[3] & 0xFF;
        if (rank == 0) {
            throw new DataFormatException(source + ": IDX header declares 0 dimensions");
        }
        byte[] sizes = in.readNBytes(4 * rank);
        if (sizes.length < 4 * rank) {
            throw new DataFormatException(source + ": truncated: the file ends inside the IDX header");
        }
        int[] dims = new int[rank];
        long count = 1;
        for (int i = 0; i < rank; i++) {
            dims[i] = ((sizes[4 * i] & 0xFF) << 24) | ((sizes[4 * i + 1] & 0xFF) << 16)
                    | ((sizes[4 * i + 2] & 0xFF) << 8) | (sizes[4 * i + 3] & 0xFF);
            if (dims[i] < 0) {
                throw new DataFormatException(source + ": IDX header declares a negative size " + dims[i]);
            }
            // stop as soon as the product passes the limit, so that it cannot overflow a long
            count = Math.min(count * dims[i], MAX_ARRAY + 1);
        }
        if (count > MAX_ARRAY) {
            throw new DataFormatException(source + ": IDX header declares " + describe(dims)
                    + " bytes of data, more than a Java array can hold");
        }
        long available = maxContent - (4 + 4L * rank);
        if (count > available) {
            throw new DataFormatException(source + (gzip
                    ? ": IDX header declares " + describe(dims) + " bytes of data, more than a gzip file of "
                            + storedLength + " bytes can hold (" + available + " at most)"
                    : ": truncated: IDX header declares " + describe(dims) + " bytes of data but the file holds only "
                            + Math.max(0, available)));
        }
        byte[] data = in.readNBytes((int) count);
        if (data.length < count) {
            throw new DataFormatException(source + ": truncated: IDX header declares " + describe(dims)
                    + " bytes of data but the file holds only " + data.length);
        }
        if (in.read() != -1) {
            throw new DataFormatException(source + ": unexpected data after the " + describe(dims)
                    + " bytes that the IDX header declares");
        }
        return new IdxArray(source, dims, data);
    }

    private static void requireMagic(IdxArray array, int magic, String what) {
        if (array.magic() != magic) {
            throw new DataFormatException(array.source() + ": expected " + what + " (IDX magic number "
                    + String.format("0x%08X", magic) + ") but found magic number "
                    + String.format("0x%08X", array.magic()) + " (" + array.dims().length + " dimensions)");
        }
    }

    /** The sizes and their product, e.g. "10000 x 28 x 28 = 7840000". */
    private static String describe(int[] dims) {
        BigInteger product = BigInteger.ONE;
        StringBuilder sb = new StringBuilder();
        for (int d : dims) {
            sb.append(sb.isEmpty() ? "" : " x ").append(d);
            product = product.multiply(BigInteger.valueOf(d));
        }
        return dims.length == 1 ? sb.toString() : sb + " = " + product;
    }

    private static String hex(byte[] four) {
        return String.format("0x%02X%02X%02X%02X", four[0], four[1], four[2], four[3]);
    }
}
