package org.cnn4j.onnx;

/**
 * A well-formed ONNX model that cnn4j cannot represent: an operator it does not implement, an attribute value its
 * layers do not support, or a graph shape (branches, several inputs) that a chain of layers cannot express. The
 * message is one line, fit to show a user as it is; names taken from the file pass through {@link #quote}.
 */
public final class UnsupportedOnnxException extends RuntimeException {
    private static final int MAX_NAME_LENGTH = 80;

    public UnsupportedOnnxException(String message) {
        super(message);
    }

    /**
     * A name from the file, quoted for a message: control characters (a hostile file could put line breaks in a
     * node name) become '?', and very long names are cut.
     */
    static String quote(String name) {
        StringBuilder sb = new StringBuilder("'");
        for (int i = 0; i < name.length() && i < MAX_NAME_LENGTH; i++) {
            char c = name.charAt(i);
            sb.append(Character.isISOControl(c) ? '?' : c);
        }
        return sb.append(name.length() > MAX_NAME_LENGTH ? "...'" : "'").toString();
    }
}
