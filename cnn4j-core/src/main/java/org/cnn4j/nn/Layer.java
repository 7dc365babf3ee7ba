package org.cnn4j.nn;

import java.util.List;
import java.util.Map;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * One step of a network that knows both directions. Forward caches what backward needs; backward takes
 * dL/doutput, accumulates dL/dparameter into each {@link Parameter#grad()} and returns dL/dinput.
 * Shapes include the batch dimension first (N, C, H, W for images; N, features for vectors).
 */
public interface Layer {

    Tensor forward(Tensor input, Mode mode);

    /** Backward for the most recent forward; returns the gradient with respect to that forward's input. */
    Tensor backward(Tensor gradOutput);

    /** The output shape for an input of the given shape; throws with a clear message if the input does not fit. */
    Shape outputShape(Shape input);

    /** What the layer is, for model files: a type and its settings. */
    LayerSpec spec();

    /** Parameters and buffers owned by this layer (for containers: by the layers inside, in order). */
    default List<Parameter> parameters() {
        return List.of();
    }

    /** Adds this layer's parameters to {@code out} under PyTorch-style dotted names ("0.weight"). */
    default void namedParameters(String prefix, Map<String, Parameter> out) {
        for (Parameter p : parameters()) {
            out.put(prefix + p.name(), p);
        }
    }

    /** Multiply-accumulate operations of one forward pass for this input shape (0 where negligible). */
    default long multiplyAdds(Shape input) {
        return 0;
    }
}
