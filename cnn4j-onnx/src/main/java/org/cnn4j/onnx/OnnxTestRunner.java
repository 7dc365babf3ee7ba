package org.cnn4j.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.cnn4j.io.LoadedModel;
import org.cnn4j.io.ModelFormatException;
import org.cnn4j.nn.Mode;
import org.cnn4j.onnx.proto.Onnx.ModelProto;
import org.cnn4j.onnx.proto.Onnx.TensorProto;
import org.cnn4j.onnx.proto.Onnx.ValueInfoProto;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * Runs test cases in the layout of ONNX's backend tests: a folder with model.onnx and test_data_set_N folders of
 * input_K.pb and output_K.pb (serialized TensorProtos). For each data set the model is imported with input_0 as its
 * runtime input and every further input bound as a constant (backend tests feed weights as inputs; cnn4j layers own
 * them), run in evaluation mode, and its output compared with output_0 as numpy's assert_allclose does:
 * |actual - expected| <= atol + rtol * |expected| for every element.
 */
public final class OnnxTestRunner {
    /** ONNX's default tolerances for its backend tests. */
    public static final double DEFAULT_RTOL = 1e-3;
    public static final double DEFAULT_ATOL = 1e-7;

    public enum Status { PASSED, FAILED, UNSUPPORTED }

    /**
     * The outcome of one case: its status, the largest absolute difference over its data sets (NaN when nothing
     * was compared) and, for failures and unsupported cases, why.
     */
    public record Result(String name, Status status, double maxError, String detail) {
    }

    private final double rtol;
    private final double atol;

    public OnnxTestRunner(double rtol, double atol) {
        if (!(rtol >= 0) || !(atol >= 0)) {
            throw new IllegalArgumentException("tolerances must be non-negative (rtol " + rtol + ", atol " + atol + ")");
        }
        this.rtol = rtol;
        this.atol = atol;
    }

    /** The case folders under {@code dir}: {@code dir} itself if it holds model.onnx, else its sub-folders that do. */
    public static List<Path> cases(Path dir) throws IOException {
        if (Files.isRegularFile(dir.resolve("model.onnx"))) {
            return List.of(dir);
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("not a folder: " + dir);
        }
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> found = s.filter(p -> Files.isRegularFile(p.resolve("model.onnx"))).sorted().toList();
            if (found.isEmpty()) {
                throw new IllegalArgumentException("no model.onnx in " + dir + " or its sub-folders");
            }
            return found;
        }
    }

    /** Runs one case folder; never throws for a bad case (a damaged file is a failure with its reason). */
    public Result run(Path dir) {
        String name = dir.getFileName().toString();
        try {
            ModelProto model = OnnxFiles.readModel(dir.resolve("model.onnx"));
            for (ValueInfoProto v : model.getGraph().getInputList()) {
                requireTensor(v, "input");
            }
            for (ValueInfoProto v : model.getGraph().getOutputList()) {
                requireTensor(v, "output");
            }
            List<Path> sets;
            try (Stream<Path> s = Files.list(dir)) {
                sets = s.filter(p -> p.getFileName().toString().startsWith("test_data_set_") && Files.isDirectory(p))
                        .sorted().toList();
            }
            if (sets.isEmpty()) {
                return new Result(name, Status.FAILED, Double.NaN, "no test_data_set_N folder");
            }
            double worst = 0;
            for (Path set : sets) {
                Comparison c = runDataSet(model, set);
                worst = Math.max(worst, c.maxError());
                if (c.mismatch() != null) {
                    return new Result(name, Status.FAILED, worst, set.getFileName() + ": " + c.mismatch());
                }
            }
            return new Result(name, Status.PASSED, worst, "");
        } catch (UnsupportedOnnxException e) {
            return new Result(name, Status.UNSUPPORTED, Double.NaN, e.getMessage());
        } catch (ModelFormatException | IOException | IllegalArgumentException e) {
            return new Result(name, Status.FAILED, Double.NaN, String.valueOf(e.getMessage()));
        }
    }

    /** The largest absolute error of one data set, and the first element out of tolerance (null if none). */
    private record Comparison(double maxError, String mismatch) {
    }

    private Comparison runDataSet(ModelProto model, Path set) throws IOException {
        List<TensorData> inputs = numbered(set, "input");
        List<TensorData> outputs = numbered(set, "output");
        if (inputs.isEmpty() || outputs.size() != 1) {
            throw new UnsupportedOnnxException(inputs.size() + " inputs and " + outputs.size()
                    + " outputs; cnn4j runs models with one input and one output");
        }
        Map<String, TensorData> bound = new HashMap<>();
        List<String> runtime = new ArrayList<>();
        for (ValueInfoProto v : model.getGraph().getInputList()) {
            if (model.getGraph().getInitializerList().stream().noneMatch(t -> t.getName().equals(v.getName()))) {
                runtime.add(v.getName());
            }
        }
        if (runtime.size() != inputs.size()) {
            throw new ModelFormatException(inputs.size() + " input files for " + runtime.size() + " graph inputs");
        }
        for (int k = 1; k < inputs.size(); k++) {
            bound.put(runtime.get(k), inputs.get(k));
        }
        TensorData x = inputs.get(0);
        if (!x.isFloat()) {
            throw new UnsupportedOnnxException("input_0 is not a float tensor");
        }
        LoadedModel lm = OnnxImporter.importModel(model, bound, Shape.of(x.dims()));
        Tensor y = lm.model().forward(x.toTensor(), Mode.EVAL);
        Tensor expected = outputs.get(0).toTensor();
        if (!y.shape().equals(expected.shape())) {
            return new Comparison(Double.POSITIVE_INFINITY, "output shape " + y.shape() + ", expected "
                    + expected.shape());
        }
        return compare(y.data(), expected.data());
    }

    /** Sequences, maps and optionals are stored differently from tensors; cnn4j models take and give tensors. */
    private static void requireTensor(ValueInfoProto v, String what) {
        if (!v.getType().hasTensorType()) {
            throw new UnsupportedOnnxException("the graph " + what + " " + UnsupportedOnnxException.quote(v.getName())
                    + " is a " + v.getType().getValueCase().name().toLowerCase(java.util.Locale.ROOT).replace("_type", "")
                    + ", not a tensor");
        }
    }

    private Comparison compare(float[] actual, float[] expected) {
        double worst = 0;
        String mismatch = null;
        for (int i = 0; i < actual.length; i++) {
            double a = actual[i];
            double e = expected[i];
            if (Double.isNaN(a) && Double.isNaN(e) || a == e) {
                continue;
            }
            double err = Math.abs(a - e);
            if (!(err <= atol + rtol * Math.abs(e)) && mismatch == null) {
                mismatch = String.format("element %d is %s, expected %s", i, a, e);
            }
            worst = Double.isNaN(err) ? Double.POSITIVE_INFINITY : Math.max(worst, err);
        }
        return new Comparison(worst, mismatch);
    }

    private static List<TensorData> numbered(Path set, String prefix) throws IOException {
        List<TensorData> out = new ArrayList<>();
        for (int k = 0; Files.exists(set.resolve(prefix + "_" + k + ".pb")); k++) {
            Path f = set.resolve(prefix + "_" + k + ".pb");
            TensorProto t = OnnxFiles.readTensor(f);
            out.add(TensorData.of(t, f.getFileName().toString()));
        }
        return out;
    }
}
