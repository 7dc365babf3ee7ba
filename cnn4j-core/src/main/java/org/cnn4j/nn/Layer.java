package org.cnn4j.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * One step of a network that knows both directions. Forward caches what backward needs; backward takes
 * dL/doutput, accumulates dL/dparameter into each {@link Parameter#grad()} and returns dL/dinput.
 * Shapes include the batch dimension first (N, C, H, W for images; N, features for vectors).
 *
 * <p><b>Who owns a returned tensor.</b> The tensor that forward or backward returns belongs to the layer (or, for a
 * layer that passes a tensor through, to whoever made it): the layer writes into the same tensor again on its next
 * call in that direction when the shape has not changed, so a training step allocates nothing once warm. It stays
 * valid until that next call. Callers read it and do not write into it; a caller that keeps a result past the
 * layer's next call copies it ({@link Tensor#copy}). In the same way a layer may keep a reference to its input until
 * its backward, so the input must not change in between: the tensors handed from layer to layer satisfy this,
 * because each layer's next forward comes after the backward of the layers it feeds.
 */
public interface Layer {

    Tensor forward(Tensor input, Mode mode);

    /** Backward for the most recent forward; returns the gradient with respect to that forward's input. */
    Tensor backward(Tensor gradOutput);

    /**
     * Backward when nobody needs the gradient with respect to the input, as for the first layers of a model, whose
     * input is data (PyTorch skips it the same way for inputs that do not require grad): accumulates the parameter
     * gradients exactly as {@link #backward} does. Layers whose input gradient is real work (Linear, Conv2d) skip it,
     * and Sequential runs backward only down to its first layer with parameters; by default this is backward with
     * its result dropped.
     */
    default void backwardParameters(Tensor gradOutput) {
        backward(gradOutput);
    }

    /** The output shape for an input of the given shape; throws with a clear message if the input does not fit. */
    Shape outputShape(Shape input);

    /** What the layer is, for model files: a type and its settings. */
    LayerSpec spec();

    /**
     * For a container, the layers directly inside it, in order, under the names that prefix their parameters
     * ("0", "1", ... in a {@link Sequential}; "body" and "shortcut" in a {@link Residual}); empty for other layers.
     */
    default Map<String, Layer> children() {
        return Map.of();
    }

    /**
     * Parameters and buffers owned by this layer; by default those of its {@link #children()}, in order, so a
     * container need not override this and a plain layer with parameters returns its own.
     */
    default List<Parameter> parameters() {
        List<Parameter> ps = new ArrayList<>();
        for (Layer child : children().values()) {
            ps.addAll(child.parameters());
        }
        return ps;
    }

    /**
     * Adds this layer's parameters to {@code out} under PyTorch-style dotted names: a plain layer's as prefix +
     * name ("weight"), a container's children's under prefix + child name + "." ("3.body.0.weight").
     */
    default void namedParameters(String prefix, Map<String, Parameter> out) {
        Map<String, Layer> kids = children();
        if (kids.isEmpty()) {
            for (Parameter p : parameters()) {
                out.put(prefix + p.name(), p);
            }
        }
        for (Map.Entry<String, Layer> e : kids.entrySet()) {
            e.getValue().namedParameters(prefix + e.getKey() + ".", out);
        }
    }

    /** Multiply-accumulate operations of one forward pass for this input shape (0 where negligible). */
    default long multiplyAdds(Shape input) {
        return 0;
    }
}
