package org.cnn4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.cnn4j.data.DataSource;

/**
 * Resolves a --data value to a {@link DataSource}:
 * <ul>
 *   <li>{@code mnist}: the embedded digits; {@code mnist:DIR}: the full MNIST from a folder of IDX files;</li>
 *   <li>{@code fashion-mnist}: Debian's dataset-fashion-mnist; {@code fashion-mnist:DIR}: the same files elsewhere;</li>
 *   <li>{@code cifar10:DIR}: the folder of CIFAR-10's binary version (cifar-10-batches-bin);</li>
 *   <li>any other existing folder: MNIST-format IDX files, normalized like MNIST.</li>
 * </ul>
 */
final class DataOption {
    static final String DESCRIPTION = "Data: mnist (the embedded digits), fashion-mnist (Debian's dataset-fashion-mnist), "
            + "fashion-mnist:DIR, cifar10:DIR (cifar-10-batches-bin), mnist:DIR or DIR (MNIST-format IDX files).";
    /** For commands that run a trained model: by default, the data it was trained on. */
    static final String MODEL_DEFAULT = " Default: the data the model was trained on (mnist when the file does not say).";

    private DataOption() {
    }

    /** The --data value given, else the one the model file records (train stores it), else the embedded digits. */
    static DataSource forModel(String data, Map<String, String> metadata) throws IOException {
        return load(data != null ? data : metadata.getOrDefault("data", "mnist"));
    }

    static DataSource load(String data) throws IOException {
        int colon = data.indexOf(':');
        String kind = colon < 0 ? data : data.substring(0, colon);
        Path folder = colon < 0 ? null : Path.of(data.substring(colon + 1));
        return switch (kind) {
            case "mnist" -> folder == null ? DataSource.mnist() : DataSource.mnist(folder);
            case "fashion-mnist" -> folder == null ? DataSource.fashionMnist() : DataSource.fashionMnist(folder);
            case "cifar10" -> {
                if (folder == null) {
                    throw new IllegalArgumentException("--data cifar10 needs the folder of the binary version: "
                            + "--data cifar10:/path/to/cifar-10-batches-bin");
                }
                yield DataSource.cifar10(folder);
            }
            default -> {
                if (Files.isDirectory(Path.of(data))) {
                    yield DataSource.mnist(Path.of(data));
                }
                throw new IllegalArgumentException("--data: '" + data + "' is none of mnist, fashion-mnist, "
                        + "cifar10:DIR, mnist:DIR, fashion-mnist:DIR, nor a folder of IDX files");
            }
        };
    }

    /** Whether the class names are just the class numbers "0", "1", ... (as for digits). */
    static boolean isNumbered(List<String> names) {
        return IntStream.range(0, names.size()).allMatch(c -> names.get(c).equals(Integer.toString(c)));
    }

    /** "7 (Sneaker)", or "7" when there are no names or the name is the number. */
    static String className(List<String> names, int c) {
        return names == null || c >= names.size() || names.get(c).equals(Integer.toString(c)) ? Integer.toString(c)
                : c + " (" + names.get(c) + ")";
    }

    /** "0 T-shirt/top, 1 Trouser, ...": which number stands for which class. */
    static String legend(List<String> names) {
        return IntStream.range(0, names.size()).mapToObj(c -> c + " " + names.get(c)).collect(Collectors.joining(", "));
    }
}
