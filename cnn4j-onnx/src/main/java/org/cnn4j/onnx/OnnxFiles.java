package org.cnn4j.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cnn4j.io.ModelFormatException;
import org.cnn4j.onnx.proto.Onnx.ModelProto;
import org.cnn4j.onnx.proto.Onnx.TensorProto;

/**
 * Reads ONNX protobuf files (a model, or one tensor of the backend-test layout) defensively. The file's length is
 * checked against a limit and the JVM's free heap before it is read; protobuf's parser then works on that one byte
 * array with a nesting limit, so a hostile file can neither exhaust memory nor recurse deeply. Anything that does not
 * parse becomes a {@link ModelFormatException} with a one-line message naming the file.
 */
public final class OnnxFiles {
    /** Largest file accepted: protobuf's own limit for one message is 2 GiB. */
    public static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 8;
    /** Deepest nesting of messages accepted (graphs inside attributes inside graphs...). */
    private static final int MAX_NESTING = 64;

    private OnnxFiles() {
    }

    public static ModelProto readModel(Path file) throws IOException {
        return read(file, ModelProto.parser(), "ONNX model");
    }

    public static TensorProto readTensor(Path file) throws IOException {
        return read(file, TensorProto.parser(), "ONNX tensor");
    }

    private static <T extends MessageLite> T read(Path file, Parser<T> parser, String what) throws IOException {
        long size = Files.size(file);
        if (size == 0) {
            throw new ModelFormatException("not an " + what + " (the file is empty): " + file);
        }
        if (size > MAX_FILE_BYTES) {
            throw new ModelFormatException(what + " file of " + size + " bytes is larger than the 2 GiB protobuf limit: "
                    + file);
        }
        // parsing keeps the bytes and the message (about as large again) in memory at the same time
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        if (3 * size > free) {
            throw new ModelFormatException(String.format("%s file of %,d bytes needs more memory than this JVM has free"
                    + " (%,d bytes; raise -Xmx): %s", what, size, free, file));
        }
        return parse(Files.readAllBytes(file), parser, what, file.toString());
    }

    private static <T extends MessageLite> T parse(byte[] bytes, Parser<T> parser, String what, String name) {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        in.setRecursionLimit(MAX_NESTING);
        in.setSizeLimit(bytes.length);
        try {
            T message = parser.parseFrom(in);
            in.checkLastTagWas(0);
            return message;
        } catch (InvalidProtocolBufferException e) {
            throw new ModelFormatException("not a valid " + what + " (" + describe(e) + "): " + name);
        }
    }

    /** protobuf's messages are long and mention internals; say what went wrong in a few words. */
    private static String describe(InvalidProtocolBufferException e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("truncated") || m.contains("end of the stream") || m.contains("size limit")) {
            return "truncated, or a length runs past the end of the file";
        }
        if (m.contains("recursion limit") || m.contains("nesting")) {
            return "messages nested more than " + MAX_NESTING + " deep";
        }
        if (m.contains("UTF-8")) {
            return "a text field is not valid UTF-8";
        }
        return "damaged protobuf data";
    }
}
