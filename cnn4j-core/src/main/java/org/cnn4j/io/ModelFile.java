package org.cnn4j.io;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import org.cnn4j.init.Init;
import org.cnn4j.nn.Layer;
import org.cnn4j.nn.LayerFactory;
import org.cnn4j.nn.LayerSpec;
import org.cnn4j.nn.Parameter;
import org.cnn4j.nn.Sequential;
import org.cnn4j.tensor.Shape;

/**
 * Saves and loads a model: its architecture, every parameter and buffer, and free-form metadata, in one binary
 * file (format described in docs/MODEL-FORMAT.md). In short, all numbers little-endian:
 *
 * <pre>
 *   0      8  magic "CNN4JMDL"
 *   8      4  format version (1; 2 when the file holds training state, see below)
 *   12     4  header length H (bytes)
 *   16     8  data length D (bytes)
 *   24     4  CRC32 of bytes 0..23
 *   28     H  header: UTF-8 JSON {"architecture": spec tree, "metadata": {...}, "tensors": [{name, shape, offset}],
 *                                  optionally "state": [{length, offset}]}
 *   28+H   D  tensor data, float32, in the order of "tensors", then the "state" arrays
 *   28+H+D 4  CRC32 of every byte before it
 * </pre>
 *
 * Loading never runs code named by the file: the architecture is rebuilt by {@link LayerFactory}, which knows a
 * fixed list of layer types. Every check happens before anything large is allocated: sizes declared in the file
 * are compared with the file's length, and the checksums are verified before the header is parsed. Saving is
 * atomic: the file either keeps its old content or gets the complete new one.
 */
public final class ModelFile {
    /** The first 8 bytes of every model file. */
    public static final String MAGIC = "CNN4JMDL";
    /**
     * The newest format version this code reads and writes: 2, for files with training state ("state" arrays after the
     * weights, which a version-1 reader would take for damage). Files without state are still written as version 1,
     * readable by every cnn4j.
     */
    public static final int VERSION = 2;
    /** The version of files without training state. */
    static final int VERSION_WITHOUT_STATE = 1;
    /** Largest header accepted, in bytes; headers of real models are a few kilobytes. */
    public static final int MAX_HEADER_BYTES = 16 << 20;

    /** Magic and version: the part of the layout every version shares. */
    private static final int VERSION_END = 12;
    private static final int PREAMBLE_BYTES = 28;
    private static final int CHECKSUM_BYTES = 4;
    private static final int CHUNK_BYTES = 1 << 16;

    private ModelFile() {
    }

    /**
     * Writes {@code model} and {@code metadata} to {@code file}, replacing it atomically: the bytes go to a temporary
     * file in the same directory, which is synced to disk and then renamed over {@code file}. If anything fails,
     * the temporary file is deleted and {@code file} is left as it was.
     */
    public static void save(Sequential model, Path file, Map<String, String> metadata) throws IOException {
        save(model, file, metadata, List.of());
    }

    /**
     * As {@link #save(Sequential, Path, Map)}, plus training state that is not part of the model (an optimizer's
     * momentum or moment arrays, for a checkpoint to continue from): float arrays stored after the weights, read back
     * by {@link LoadedModel#state()}.
     */
    public static void save(Sequential model, Path file, Map<String, String> metadata, List<float[]> state)
            throws IOException {
        try {
            model.sampleShape();
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException("cannot save a model without an input shape: build the outer Sequential"
                    + " with one, e.g. new Sequential(Shape.of(1, 28, 28), ...)", e);
        }
        Map<String, Parameter> named = model.namedParameters();
        byte[] header = Json.write(header(model.spec(), metadata, named, state)).getBytes(UTF_8);
        if (header.length > MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("model header of " + header.length + " bytes exceeds the limit of "
                    + MAX_HEADER_BYTES);
        }
        List<float[]> arrays = new ArrayList<>();
        named.values().forEach(p -> arrays.add(p.value().data()));
        arrays.addAll(state);
        long dataBytes = arrays.stream().mapToLong(a -> 4L * a.length).sum();
        int version = state.isEmpty() ? VERSION_WITHOUT_STATE : VERSION;
        AtomicFile.write(file, ch -> writeFile(ch, version, header, dataBytes, arrays));
    }

    /**
     * Reads a model file. Throws {@link ModelFormatException} with a one-line message when the file is not a cnn4j
     * model file, is damaged or truncated, comes from a newer format version, or its weights do not fit its
     * architecture; IOException when it cannot be read at all.
     */
    public static LoadedModel load(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return new Reader(file, ch).read();
        }
    }

    /** Writes the whole file: preamble, header, the arrays' data and the final checksum. */
    private static void writeFile(FileChannel ch, int version, byte[] header, long dataBytes, List<float[]> arrays)
            throws IOException {
        CRC32 crc = new CRC32();
        ByteBuffer buf = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC.getBytes(US_ASCII)).putInt(version).putInt(header.length).putLong(dataBytes);
        CRC32 preamble = new CRC32();
        preamble.update(buf.array(), 0, buf.position());
        buf.putInt((int) preamble.getValue());
        write(ch, buf.flip(), crc);
        write(ch, ByteBuffer.wrap(header), crc);
        for (float[] data : arrays) {
            for (int off = 0; off < data.length; off += CHUNK_BYTES / 4) {
                int n = Math.min(CHUNK_BYTES / 4, data.length - off);
                buf.clear();
                buf.asFloatBuffer().put(data, off, n);
                buf.limit(4 * n);
                write(ch, buf, crc);
            }
        }
        buf.clear();
        buf.putInt((int) crc.getValue());
        write(ch, buf.flip(), new CRC32());
    }

    /** Writes the buffer's remaining bytes and adds them to the checksum. */
    private static void write(FileChannel ch, ByteBuffer buf, CRC32 crc) throws IOException {
        crc.update(buf.duplicate());
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    private static Map<String, Object> header(LayerSpec spec, Map<String, String> metadata,
            Map<String, Parameter> named, List<float[]> state) {
        List<Object> tensors = new ArrayList<>();
        long offset = 0;
        for (Map.Entry<String, Parameter> e : named.entrySet()) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("name", e.getKey());
            t.put("shape", e.getValue().shape().dims());
            t.put("offset", offset);
            tensors.add(t);
            offset += 4L * e.getValue().value().size();
        }
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new IllegalArgumentException("model metadata cannot hold null: " + e);
            }
        }
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("architecture", specToJson(spec));
        h.put("metadata", metadata);
        h.put("tensors", tensors);
        if (!state.isEmpty()) {
            List<Object> arrays = new ArrayList<>();
            for (float[] a : state) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("length", a.length);
                entry.put("offset", offset);
                arrays.add(entry);
                offset += 4L * a.length;
            }
            h.put("state", arrays);
        }
        return h;
    }

    private static Map<String, Object> specToJson(LayerSpec spec) {
        for (Map.Entry<String, Object> a : spec.attrs().entrySet()) {
            Object v = a.getValue();
            if (!(v instanceof Integer || v instanceof Double || v instanceof Boolean || v instanceof String
                    || v instanceof int[])) {
                throw new IllegalArgumentException(spec.type() + " spec attribute '" + a.getKey() + "' has type "
                        + (v == null ? "null" : v.getClass().getSimpleName())
                        + "; model files hold Integer, Double, Boolean, String and int[]");
            }
        }
        List<Object> children = new ArrayList<>();
        for (LayerSpec c : spec.children()) {
            children.add(specToJson(c));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", spec.type());
        m.put("attrs", spec.attrs());
        m.put("children", children);
        return m;
    }

    /** One load: the open file and its length, and the checks in the order the format allows them. */
    private static final class Reader {
        private final Path file;
        private final FileChannel ch;
        private final long size;

        Reader(Path file, FileChannel ch) throws IOException {
            this.file = file;
            this.ch = ch;
            this.size = ch.size();
        }

        LoadedModel read() throws IOException {
            checkMagic();
            if (size < VERSION_END) {
                throw truncated();
            }
            int version = bytes(VERSION_END - 4, 4).getInt();
            if (version < VERSION_WITHOUT_STATE || version > VERSION) {
                // every version ends with a CRC32 of all bytes before it, so a damaged version number shows as damage
                if (size < VERSION_END + CHECKSUM_BYTES) {
                    throw truncated();
                }
                verifyChecksum(size - CHECKSUM_BYTES);
                throw new ModelFormatException(version > VERSION
                        ? "model file version " + version + " is newer than this cnn4j supports (" + VERSION + "): " + file
                        : "model file version " + version + " is not supported: " + file);
            }
            if (size < PREAMBLE_BYTES) {
                throw truncated();
            }
            ByteBuffer pre = bytes(0, PREAMBLE_BYTES);
            CRC32 crc = new CRC32();
            crc.update(pre.array(), 0, PREAMBLE_BYTES - CHECKSUM_BYTES);
            if (pre.getInt(PREAMBLE_BYTES - CHECKSUM_BYTES) != (int) crc.getValue()) {
                throw checksumMismatch();
            }
            long headerBytes = Integer.toUnsignedLong(pre.getInt(12));
            long dataBytes = pre.getLong(16);
            if (dataBytes < 0 || dataBytes % 4 != 0) {
                throw new ModelFormatException("corrupt model file (invalid data length " + dataBytes + "): " + file);
            }
            if (dataBytes > size || headerBytes + dataBytes > size - PREAMBLE_BYTES - CHECKSUM_BYTES) {
                throw truncated();
            }
            long end = PREAMBLE_BYTES + headerBytes + dataBytes;
            if (size > end + CHECKSUM_BYTES) {
                throw new ModelFormatException("corrupt model file (unexpected bytes after the checksum): " + file);
            }
            if (headerBytes > MAX_HEADER_BYTES) {
                throw new ModelFormatException("model file header of " + headerBytes + " bytes exceeds the limit of "
                        + MAX_HEADER_BYTES + ": " + file);
            }
            verifyChecksum(end);

            Map<String, Object> header = parseHeader((int) headerBytes);
            Sequential model = buildArchitecture(header.get("architecture"), dataBytes / 4);
            Map<String, String> metadata = metadata(header.get("metadata"));
            long dataStart = PREAMBLE_BYTES + headerBytes;
            Map<Parameter, Long> tensors = tensors(header.get("tensors"), model, dataBytes);
            long stateStart = tensors.entrySet().stream()
                    .mapToLong(t -> t.getValue() + 4L * t.getKey().value().size()).max().orElse(0);
            List<float[]> state = state(header.get("state"), stateStart, dataBytes);
            for (Map.Entry<Parameter, Long> t : tensors.entrySet()) {
                readFloats(dataStart + t.getValue(), t.getKey().value().data());
            }
            long offset = stateStart;
            for (float[] a : state) {
                readFloats(dataStart + offset, a);
                offset += 4L * a.length;
            }
            return new LoadedModel(model, metadata, state);
        }

        private void checkMagic() throws IOException {
            if (size == 0) {
                throw new ModelFormatException("not a cnn4j model file (it is empty): " + file);
            }
            byte[] magic = MAGIC.getBytes(US_ASCII);
            int n = (int) Math.min(size, magic.length);
            if (!Arrays.equals(bytes(0, n).array(), Arrays.copyOf(magic, n))) {
                throw new ModelFormatException("not a cnn4j model file: " + file);
            }
            if (n < magic.length) {
                throw truncated();
            }
        }

        /** Compares the CRC32 of bytes [0, end) with the 4 bytes stored at {@code end}. */
        private void verifyChecksum(long end) throws IOException {
            CRC32 crc = new CRC32();
            ByteBuffer buf = ByteBuffer.allocate(CHUNK_BYTES);
            for (long pos = 0; pos < end; pos += buf.capacity()) {
                buf.clear().limit((int) Math.min(buf.capacity(), end - pos));
                readFully(pos, buf);
                buf.flip();
                crc.update(buf);
            }
            if (bytes(end, CHECKSUM_BYTES).getInt() != (int) crc.getValue()) {
                throw checksumMismatch();
            }
        }

        private Map<String, Object> parseHeader(int length) throws IOException {
            String text;
            try {
                text = UTF_8.newDecoder().decode(bytes(PREAMBLE_BYTES, length)).toString();
            } catch (CharacterCodingException e) {
                throw invalidHeader("it is not valid UTF-8");
            }
            Object json;
            try {
                json = Json.parse(text);
            } catch (IllegalArgumentException e) {
                throw invalidHeader(e.getMessage());
            }
            return object(json, "the header");
        }

        /** Builds the architecture, allowing its parameters no more values than the data section holds. */
        private Sequential buildArchitecture(Object json, long values) {
            Layer layer;
            try {
                LayerSpec spec = specFromJson(json);
                if (spec.type().equals("Sequential") && !spec.attrs().containsKey("input")) {
                    throw invalidHeader("its architecture declares no input shape");
                }
                // the weights come from the file
                layer = Parameter.withinBudget(values, () -> Init.withSeed(0, () -> LayerFactory.create(spec)));
            } catch (ModelFormatException e) {
                throw e;
            } catch (ClassCastException e) {
                throw invalidHeader("its architecture has an attribute of the wrong type");
            } catch (RuntimeException e) {
                throw invalidHeader("its architecture cannot be built: " + e.getMessage());
            } catch (OutOfMemoryError e) {
                throw invalidHeader("its architecture is too large to build in this JVM");
            }
            if (!(layer instanceof Sequential model)) {
                throw invalidHeader("its architecture is a " + layer.spec().type() + ", not a Sequential");
            }
            return model;
        }

        private LayerSpec specFromJson(Object json) {
            Map<String, Object> m = object(json, "a layer");
            if (!(m.get("type") instanceof String type)) {
                throw invalidHeader("a layer has no type");
            }
            Map<String, Object> attrs = new LinkedHashMap<>();
            for (Map.Entry<String, Object> a : object(m.get("attrs"), type + " attrs").entrySet()) {
                attrs.put(a.getKey(), attribute(a.getValue(), type + " attribute '" + a.getKey() + "'"));
            }
            List<LayerSpec> children = new ArrayList<>();
            for (Object c : list(m.get("children"), type + " children")) {
                children.add(specFromJson(c));
            }
            return new LayerSpec(type, attrs, children);
        }

        /** A spec attribute from JSON: integers become Integer, integer arrays int[]. */
        private Object attribute(Object v, String what) {
            return switch (v) {
                case Long l -> intValue(l, what);
                case Double d -> d;
                case Boolean b -> b;
                case String s -> s;
                case List<?> l -> {
                    int[] a = new int[l.size()];
                    for (int i = 0; i < a.length; i++) {
                        a[i] = intValue(l.get(i), what);
                    }
                    yield a;
                }
                case null, default -> throw invalidHeader(what + " has an unsupported value");
            };
        }

        private int intValue(Object v, String what) {
            if (v instanceof Long l && l == l.intValue()) {
                return l.intValue();
            }
            throw invalidHeader(what + " is not a 32-bit integer");
        }

        private Map<String, String> metadata(Object json) {
            Map<String, String> out = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : object(json, "metadata").entrySet()) {
                if (!(e.getValue() instanceof String s)) {
                    throw invalidHeader("metadata value '" + e.getKey() + "' is not a string");
                }
                out.put(e.getKey(), s);
            }
            return out;
        }

        /**
         * Matches the tensor list to the architecture's parameters: the same names and shapes, stored one after
         * another from offset 0 and, with the state arrays after them, filling the data section exactly. Returns
         * each parameter with its offset.
         */
        private Map<Parameter, Long> tensors(Object json, Sequential model, long dataBytes) {
            Map<String, Parameter> needed = model.namedParameters();
            Set<String> seen = new HashSet<>();
            Map<Parameter, Long> out = new LinkedHashMap<>();
            long offset = 0;
            for (Object o : list(json, "tensors")) {
                Map<String, Object> t = object(o, "a tensor entry");
                if (!(t.get("name") instanceof String name)) {
                    throw invalidHeader("a tensor entry has no name");
                }
                if (!seen.add(name)) {
                    throw invalidHeader("tensor " + name + " is listed twice");
                }
                if (!(t.get("offset") instanceof Long at) || at != offset) {
                    throw invalidHeader("tensor " + name + " does not start at byte " + offset + " of the data");
                }
                List<?> dims = list(t.get("shape"), "the shape of tensor " + name);
                int[] shape = new int[dims.size()];
                long bytes = 4;
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = intValue(dims.get(i), "the shape of tensor " + name);
                    if (shape[i] < 0) {
                        throw invalidHeader("tensor " + name + " has a negative dimension");
                    }
                    if (shape[i] > 0 && bytes > (dataBytes - offset) / shape[i]) {
                        throw invalidHeader("tensor " + name + " needs more data than the file holds");
                    }
                    bytes *= shape[i];
                }
                Parameter p = needed.get(name);
                if (p == null) {
                    throw new ModelFormatException("model file tensor " + name + " is not part of the architecture: "
                            + file);
                }
                if (!p.shape().equals(Shape.of(shape))) {
                    throw new ModelFormatException("model file tensor " + name + " has shape " + Arrays.toString(shape)
                            + " but the architecture needs " + p.shape());
                }
                out.put(p, offset);
                offset += bytes;
            }
            for (String name : needed.keySet()) {
                if (!seen.contains(name)) {
                    throw new ModelFormatException("model file has no tensor " + name + ", which the architecture needs: "
                            + file);
                }
            }
            return out;
        }

        /**
         * The optional state arrays (absent: none), stored one after another from {@code start} to the end of the
         * data section. Allocates them only after every length has been checked against the data section.
         */
        private List<float[]> state(Object json, long start, long dataBytes) {
            List<Long> lengths = new ArrayList<>();
            long offset = start;
            for (Object o : json == null ? List.of() : list(json, "state")) {
                Map<String, Object> a = object(o, "a state entry");
                if (!(a.get("offset") instanceof Long at) || at != offset) {
                    throw invalidHeader("state array " + lengths.size() + " does not start at byte " + offset
                            + " of the data");
                }
                if (!(a.get("length") instanceof Long length) || length < 0 || length > (dataBytes - offset) / 4) {
                    throw invalidHeader("state array " + lengths.size() + " has an invalid length or needs more data"
                            + " than the file holds");
                }
                lengths.add(length);
                offset += 4 * length;
            }
            if (offset != dataBytes) {
                throw invalidHeader("its tensors and state hold " + offset + " bytes but the data section has "
                        + dataBytes);
            }
            List<float[]> out = new ArrayList<>();
            for (long length : lengths) {
                if (length > Integer.MAX_VALUE - 8) {
                    throw invalidHeader("a state array is too large");
                }
                out.add(new float[(int) length]);
            }
            return out;
        }

        private void readFloats(long pos, float[] dst) throws IOException {
            ByteBuffer buf = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (int off = 0; off < dst.length; off += CHUNK_BYTES / 4) {
                int n = Math.min(CHUNK_BYTES / 4, dst.length - off);
                buf.clear().limit(4 * n);
                readFully(pos + 4L * off, buf);
                buf.flip();
                buf.asFloatBuffer().get(dst, off, n);
            }
        }

        /** {@code n} bytes from {@code pos}, little-endian. */
        private ByteBuffer bytes(long pos, int n) throws IOException {
            ByteBuffer buf = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
            readFully(pos, buf);
            return buf.flip();
        }

        private void readFully(long pos, ByteBuffer buf) throws IOException {
            long at = pos;
            while (buf.hasRemaining()) {
                int n = ch.read(buf, at);
                if (n < 0) {
                    throw truncated(); // the file shrank while it was read
                }
                at += n;
            }
        }

        private Map<String, Object> object(Object json, String what) {
            if (!(json instanceof Map<?, ?> m)) {
                throw invalidHeader(what + " is not a JSON object");
            }
            @SuppressWarnings("unchecked") // the parser makes every object a Map<String, Object>
            Map<String, Object> typed = (Map<String, Object>) m;
            return typed;
        }

        private List<?> list(Object json, String what) {
            if (!(json instanceof List<?> l)) {
                throw invalidHeader(what + " is not a JSON array");
            }
            return l;
        }

        private ModelFormatException truncated() {
            return new ModelFormatException("truncated model file: " + file);
        }

        private ModelFormatException checksumMismatch() {
            return new ModelFormatException("corrupt model file (checksum mismatch): " + file);
        }

        private ModelFormatException invalidHeader(String why) {
            return new ModelFormatException("invalid model file header (" + why + "): " + file);
        }
    }
}
