package org.cnn4j.viz;

import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.cnn4j.io.AtomicFile;

/** Writes images as PNG files, atomically (see {@link AtomicFile}): a reader never sees half a picture. */
public final class Png {
    private Png() {
    }

    public static void write(RenderedImage image, Path file) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (!ImageIO.write(image, "png", bytes)) {
            throw new IOException("no PNG writer available");
        }
        AtomicFile.write(file, bytes.toByteArray());
    }
}
