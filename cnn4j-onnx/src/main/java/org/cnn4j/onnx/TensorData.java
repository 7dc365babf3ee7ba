package org.cnn4j.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.cnn4j.io.ModelFormatException;
import org.cnn4j.onnx.proto.Onnx.TensorProto;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * The values of an ONNX tensor (an initializer, a Constant, or a backend-test input/output) as Java arrays:
 * floating-point types become {@code float[]}, integer and boolean types {@code long[]}. Conversion checks the
 * declared dimensions against the data the message actually holds before allocating anything, so a tensor that
 * claims billions of elements but carries a few bytes is rejected rather than allocated.
 */
record TensorData(int[] dims, float[] floats, long[] longs) {

    /** Converts {@code t}; {@code what} names it in errors ("initializer 'w'"). */
    static TensorData of(TensorProto t, String what) {
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL || t.getExternalDataCount() > 0) {
            throw new UnsupportedOnnxException(what + " keeps its data in an external file, which cnn4j does not read");
        }
        int[] dims = new int[t.getDimsCount()];
        long count = 1;
        for (int i = 0; i < dims.length; i++) {
            long d = t.getDims(i);
            if (d < 0 || d > Integer.MAX_VALUE) {
                throw new ModelFormatException(what + " has an invalid dimension " + d);
            }
            dims[i] = (int) d;
            // past 2^31-1 values the count stays just above the limit: no Java array holds more anyway
            count = d == 0 ? 0 : count > Integer.MAX_VALUE / d ? Integer.MAX_VALUE + 1L : count * d;
        }
        int type = t.getDataType();
        int width = elementBytes(type, what);
        long held = t.hasRawData() ? t.getRawData().size() / width : switch (type) {
            case TensorProto.DataType.FLOAT_VALUE -> t.getFloatDataCount();
            case TensorProto.DataType.DOUBLE_VALUE -> t.getDoubleDataCount();
            case TensorProto.DataType.INT64_VALUE -> t.getInt64DataCount();
            default -> t.getInt32DataCount();
        };
        if (t.hasRawData() && t.getRawData().size() % width != 0 || held != count) {
            throw new ModelFormatException(what + " declares shape " + Arrays.toString(dims) + " (" + count
                    + " values) but holds " + held);
        }
        int n = (int) count;
        ByteBuffer raw = t.hasRawData() ? t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN) : null;
        return switch (type) {
            case TensorProto.DataType.FLOAT_VALUE -> {
                float[] f = new float[n];
                for (int i = 0; i < n; i++) {
                    f[i] = raw != null ? raw.getFloat() : t.getFloatData(i);
                }
                yield new TensorData(dims, f, null);
            }
            case TensorProto.DataType.DOUBLE_VALUE -> {
                float[] f = new float[n];
                for (int i = 0; i < n; i++) {
                    f[i] = (float) (raw != null ? raw.getDouble() : t.getDoubleData(i));
                }
                yield new TensorData(dims, f, null);
            }
            default -> {
                long[] l = new long[n];
                for (int i = 0; i < n; i++) {
                    l[i] = raw == null ? (type == TensorProto.DataType.INT64_VALUE ? t.getInt64Data(i) : t.getInt32Data(i))
                            : switch (width) {
                                case 8 -> raw.getLong();
                                case 4 -> raw.getInt();
                                default -> raw.get();
                            };
                }
                yield new TensorData(dims, null, l);
            }
        };
    }

    /** Bytes per element in raw_data for the types cnn4j reads. */
    private static int elementBytes(int type, String what) {
        return switch (type) {
            case TensorProto.DataType.FLOAT_VALUE, TensorProto.DataType.INT32_VALUE -> 4;
            case TensorProto.DataType.DOUBLE_VALUE, TensorProto.DataType.INT64_VALUE -> 8;
            case TensorProto.DataType.BOOL_VALUE, TensorProto.DataType.INT8_VALUE -> 1;
            default -> throw new UnsupportedOnnxException(what + " has element type " + typeName(type)
                    + " (cnn4j reads float, double, int8, int32, int64 and bool tensors)");
        };
    }

    private static String typeName(int type) {
        TensorProto.DataType t = TensorProto.DataType.forNumber(type);
        return t == null ? "#" + type : t.name();
    }

    int size() {
        return floats != null ? floats.length : longs.length;
    }

    boolean isFloat() {
        return floats != null;
    }

    /** The values as a cnn4j tensor (integers converted to float). */
    Tensor toTensor() {
        float[] f = floats;
        if (f == null) {
            f = new float[longs.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = longs[i];
            }
        }
        return new Tensor(Shape.of(dims), f.clone());
    }

    /** The value at flat index {@code i} as a double, whatever the element type. */
    double value(int i) {
        return floats != null ? floats[i] : longs[i];
    }

    /** The values as integers (for shapes and pads); float tensors are rejected. */
    long[] ints(String what) {
        if (longs == null) {
            throw new UnsupportedOnnxException(what + " must be an integer tensor");
        }
        return longs.clone();
    }

    /** A float tensor from a cnn4j tensor, for export. */
    static TensorProto toProto(String name, Tensor t) {
        TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE);
        for (int d : t.shape().dims()) {
            b.addDims(d);
        }
        ByteBuffer buf = ByteBuffer.allocate(4 * t.size()).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(t.data());
        return b.setRawData(com.google.protobuf.ByteString.copyFrom(buf)).build();
    }
}
