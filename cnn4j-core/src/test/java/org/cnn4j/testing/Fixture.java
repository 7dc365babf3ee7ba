package org.cnn4j.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * A PyTorch reference case written by scripts/make-fixtures.py (the layout is described there): settings plus
 * named float32 tensors. Read from the test class path, so the tests need no Python.
 */
public final class Fixture {
    /** Agreement required with PyTorch: max |actual - expected| <= TOLERANCE * max |expected| per tensor. */
    public static final double TOLERANCE = 1e-4;

    private final String name;
    private final Map<String, String> settings = new LinkedHashMap<>();
    private final Map<String, Tensor> tensors = new LinkedHashMap<>();

    private Fixture(String name, byte[] bytes) {
        this.name = name;
        int pos = 0;
        Map<String, Shape> shapes = new LinkedHashMap<>();
        boolean first = true;
        while (true) {
            int eol = pos;
            while (bytes[eol] != '\n') {
                eol++;
            }
            String line = new String(bytes, pos, eol - pos, StandardCharsets.UTF_8);
            pos = eol + 1;
            if (first) {
                if (!line.equals("CNN4J-FIXTURE 1")) {
                    throw new IllegalArgumentException(name + ": not a version 1 fixture");
                }
                first = false;
            } else if (line.equals("end")) {
                break;
            } else if (line.startsWith("tensor ")) {
                String[] parts = line.split(" ");
                int[] dims = parts[2].equals("-") ? new int[0]
                        : java.util.Arrays.stream(parts[2].split(",")).mapToInt(Integer::parseInt).toArray();
                shapes.put(parts[1], Shape.of(dims));
            } else {
                int eq = line.indexOf('=');
                settings.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes, pos, bytes.length - pos).order(ByteOrder.LITTLE_ENDIAN);
        for (Map.Entry<String, Shape> e : shapes.entrySet()) {
            float[] v = new float[e.getValue().size()];
            buf.asFloatBuffer().get(v);
            buf.position(buf.position() + 4 * v.length);
            tensors.put(e.getKey(), new Tensor(e.getValue(), v));
        }
    }

    public static Fixture load(String name) {
        String resource = "/fixtures/" + name + ".fix";
        try (InputStream in = Fixture.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + resource + " (run scripts/make-fixtures.py)");
            }
            return new Fixture(name, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String name() {
        return name;
    }

    public String setting(String key) {
        String v = settings.get(key);
        if (v == null) {
            throw new IllegalArgumentException(name + ": no setting " + key);
        }
        return v;
    }

    public int intSetting(String key) {
        return Integer.parseInt(setting(key));
    }

    /** An integer setting, or {@code orElse} for fixtures written before the setting existed. */
    public int intSetting(String key, int orElse) {
        return settings.containsKey(key) ? intSetting(key) : orElse;
    }

    public boolean has(String tensor) {
        return tensors.containsKey(tensor);
    }

    public Tensor tensor(String key) {
        Tensor t = tensors.get(key);
        if (t == null) {
            throw new IllegalArgumentException(name + ": no tensor " + key);
        }
        return t;
    }

    /** The fixture's class labels (stored as floats) as ints. */
    public int[] labels() {
        float[] f = tensor("labels").data();
        int[] l = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            l[i] = Math.round(f[i]);
        }
        return l;
    }

    /** Asserts that {@code actual} has the shape of tensor {@code key} and agrees with it to {@link #TOLERANCE}. */
    public void assertClose(String key, Tensor actual) {
        assertClose(key, tensor(key), actual, name);
    }

    public static void assertClose(String what, Tensor expected, Tensor actual, String context) {
        actual.shape().require(expected.shape(), context + " " + what);
        double maxRef = 0;
        double maxErr = 0;
        float[] e = expected.data();
        float[] a = actual.data();
        for (int i = 0; i < e.length; i++) {
            maxRef = Math.max(maxRef, Math.abs(e[i]));
            maxErr = Math.max(maxErr, Math.abs(e[i] - a[i]));
        }
        double rel = maxErr / Math.max(maxRef, 1e-12);
        assertTrue(rel <= TOLERANCE || maxErr == 0, String.format(
                "%s %s: max error %.3g is %.3g of max |expected| %.3g (tolerance %.0e)",
                context, what, maxErr, rel, maxRef, TOLERANCE));
    }
}
