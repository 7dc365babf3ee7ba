package org.cnn4j.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Lists the committed PyTorch fixtures by name prefix. */
public final class Fixtures {
    private Fixtures() {
    }

    public static List<String> named(String prefix) {
        try {
            Path dir = Path.of(Fixtures.class.getResource("/fixtures").toURI());
            try (Stream<Path> files = Files.list(dir)) {
                return files.map(p -> p.getFileName().toString())
                        .filter(f -> f.startsWith(prefix) && f.endsWith(".fix"))
                        .map(f -> f.substring(0, f.length() - 4))
                        .sorted()
                        .toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
