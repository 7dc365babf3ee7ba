package org.cnn4j.data;

/**
 * A data file whose content is not what it claims to be: wrong magic number, truncated, inconsistent sizes.
 * The message is one line that names the file and the problem, fit to show to a user as it is.
 * <p>
 * Unchecked, and an {@link IllegalArgumentException} (bad input), unlike the checked
 * {@code java.util.zip.DataFormatException} of the same simple name.
 */
public class DataFormatException extends IllegalArgumentException {
    public DataFormatException(String message) {
        super(message);
    }
}
