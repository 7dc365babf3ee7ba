package org.cnn4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cnn4j.data.Normalize;
import org.cnn4j.io.LoadedModel;
import org.cnn4j.io.ModelFile;
import org.cnn4j.onnx.OnnxImporter;

/**
 * Loads the model file a command works on (a .cnn4j model file, or an ONNX model imported on the fly when the
 * name ends in .onnx), and what the model was trained with. The training command stores it
 * in the file's metadata:
 * <ul>
 *   <li>{@code normalize.mean}, {@code normalize.std}: one number (the same for every channel, e.g. "0.1307"), or
 *       one per channel separated by commas ("0.4914,0.4822,0.4465");</li>
 *   <li>{@code classes}: the number of classes; {@code class_names}: their names, separated by commas.</li>
 * </ul>
 * Files written before per-channel values and class names existed read as they did.
 */
final class ModelOption {
    static final Path DEFAULT = Path.of("runs", "seed-cnn", "model.cnn4j");

    private ModelOption() {
    }

    static LoadedModel load(Path file) throws java.io.IOException {
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("no model file " + file
                    + (file.equals(DEFAULT) ? " (train one first: ./cnn4j train)" : ""));
        }
        return isOnnx(file) ? OnnxImporter.load(file) : ModelFile.load(file);
    }

    /** Where a conversion of {@code file} goes: its name with {@code extension}, in {@code dir} or beside it. */
    static Path converted(Path file, Path dir, String extension) {
        Path folder = dir != null ? dir : file.toAbsolutePath().getParent();
        return folder.resolve(file.getFileName().toString().replaceFirst("\\.[^.]*$", "") + extension);
    }

    static boolean isOnnx(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx");
    }

    /** The metadata entries that record a normalization and the class names. */
    static Map<String, String> metadata(Normalize norm, List<String> classNames) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("normalize.mean", join(norm.mean()));
        meta.put("normalize.std", join(norm.std()));
        meta.put("classes", Integer.toString(classNames.size()));
        meta.put("class_names", String.join(",", classNames));
        return meta;
    }

    /** The normalization stored with the model (MNIST's when the file does not say). */
    static Normalize normalization(Map<String, String> meta) {
        String mean = meta.get("normalize.mean");
        String std = meta.get("normalize.std");
        return mean == null || std == null ? Normalize.MNIST : Normalize.perChannel(floats(mean), floats(std));
    }

    /** The class names stored with the model, or null when the file has none. */
    static List<String> classNames(Map<String, String> meta) {
        String names = meta.get("class_names");
        return names == null ? null : List.of(names.split(",", -1));
    }

    private static String join(float[] values) {
        StringBuilder sb = new StringBuilder();
        for (float v : values) {
            sb.append(sb.isEmpty() ? "" : ",").append(v);
        }
        return sb.toString();
    }

    private static float[] floats(String list) {
        String[] parts = list.split(",");
        float[] values = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            values[i] = Float.parseFloat(parts[i].strip());
        }
        return values;
    }
}
