package org.cnn4j.io;

/**
 * A model file that cannot be used: not a cnn4j model file, damaged or truncated, written by a newer cnn4j, or
 * holding weights that do not fit its architecture. The message is one line that names the problem and, where it
 * helps, the file, fit to show a user as it is.
 */
public final class ModelFormatException extends RuntimeException {
    private static final int MAX_MESSAGE_LENGTH = 1000;

    public ModelFormatException(String message) {
        super(oneLine(message));
    }

    public ModelFormatException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    /** Control characters (which a hostile file could put in a name) become '?', and very long text is cut. */
    private static String oneLine(String message) {
        StringBuilder sb = new StringBuilder(Math.min(message.length(), MAX_MESSAGE_LENGTH + 3));
        for (int i = 0; i < message.length() && i < MAX_MESSAGE_LENGTH; i++) {
            char c = message.charAt(i);
            sb.append(Character.isISOControl(c) ? '?' : c);
        }
        return message.length() > MAX_MESSAGE_LENGTH ? sb.append("...").toString() : sb.toString();
    }
}
