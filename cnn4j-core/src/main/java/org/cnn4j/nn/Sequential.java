package org.cnn4j.nn;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * Layers applied one after another; backward runs them in reverse. A model is declared with the shape of one input
 * sample (for example 1, 28, 28), so shapes are checked when the model is built, not when it first runs. Inside
 * another container (the body of a {@link Residual}, a dense block) a Sequential needs no declared shape, as in
 * PyTorch, and takes whatever input its first layer accepts.
 *
 * <p>Its children are named by position, so parameters get PyTorch's state_dict names: "0.weight", "3.body.1.bias".
 *
 * <p>A convolution, a batch norm or a residual connection followed by a ReLU runs as one pass ({@link FusesRelu}: the
 * layer writes max(0, y) directly, or, for a convolution, applies it to a few images' output while they are in
 * cache): the same numbers, but y is not written out and read back, which in DenseNet, where every layer normalizes
 * its whole growing input, is a large part of the time. The ReLU's backward then reads that output. Backward, a
 * Conv2d whose input is a ReLU's output runs the ReLU's backward on its input gradient, a few images at a time while
 * they are in cache ({@link Conv2d#backwardThroughRelu}).
 *
 * <p>In EVAL mode a Conv2d followed by a BatchNorm2d (and a ReLU) runs as one layer: the batch norm is applied to a
 * few images of the convolution's output at a time while they are in cache ({@link Conv2d#forward(Tensor, Tensor,
 * Conv2d.OutputPass)}), again the same numbers. The batch norm then has no input to differentiate against, so a
 * backward pass after such a forward pass (gradient checks in EVAL mode do that) first runs the forward pass again
 * without folding. Calling the layers one by one, as {@code bench --profile} does, runs them unfused (the containers
 * among them, such as a Residual, still fuse the layers inside).
 */
public final class Sequential implements Layer {
    /** The shape of one input sample; null for a Sequential inside another container. */
    private final Shape sampleShape;
    private final List<Layer> layers;
    /** The index of the first layer with parameters, layers.size() if none has any (see backwardParameters). */
    private final int firstWithParameters;
    /** The last forward pass's input if it folded batch norms into convolutions, else null (see rerunIfFolded). */
    private Tensor foldedInput;

    /** @param sampleShape the shape of one input sample, without the batch dimension */
    public Sequential(Shape sampleShape, List<Layer> layers) {
        this.sampleShape = java.util.Objects.requireNonNull(sampleShape, "sampleShape");
        this.layers = List.copyOf(layers);
        this.firstWithParameters = firstWithParameters(this.layers);
        outputShape(sampleShape.prepend(1)); // fail now, naming the layer, if the shapes do not chain
    }

    public Sequential(Shape sampleShape, Layer... layers) {
        this(sampleShape, List.of(layers));
    }

    /** A Sequential without a declared input shape, for use inside another container. */
    public Sequential(List<Layer> layers) {
        this.sampleShape = null;
        this.layers = List.copyOf(layers);
        this.firstWithParameters = firstWithParameters(this.layers);
    }

    private static int firstWithParameters(List<Layer> layers) {
        int first = 0;
        while (first < layers.size() && layers.get(first).parameters().isEmpty()) {
            first++;
        }
        return first;
    }

    public Sequential(Layer... layers) {
        this(List.of(layers));
    }

    /** The shape of one input sample; throws for a Sequential declared without one. */
    public Shape sampleShape() {
        if (sampleShape == null) {
            throw new IllegalStateException("this Sequential was declared without an input shape");
        }
        return sampleShape;
    }

    public List<Layer> layers() {
        return layers;
    }

    /**
     * The index of the first layer with parameters (layers().size() if none has any): {@link #backwardParameters}
     * runs backward on the layers after it, backwardParameters on it, and nothing before it.
     */
    public int firstLayerWithParameters() {
        return firstWithParameters;
    }

    @Override
    public Map<String, Layer> children() {
        Map<String, Layer> kids = new LinkedHashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            kids.put(String.valueOf(i), layers.get(i));
        }
        return kids;
    }

    @Override
    public Tensor forward(Tensor input, Mode mode) {
        Shape s = input.shape();
        if (sampleShape != null && (s.rank() != sampleShape.rank() + 1 || !s.dropFirst().equals(sampleShape))) {
            throw new IllegalArgumentException("model input: expected shape "
                    + Summary.batchShape(sampleShape.prepend(1)) + " but got " + s);
        }
        return run(input, mode, mode == Mode.EVAL, null, null);
    }

    /** Whether the last two layers are a Conv2d and a BatchNorm2d, which {@link #forwardInto} needs. */
    boolean endsInConvolutionAndNorm() {
        int n = layers.size();
        return n >= 2 && layers.get(n - 2) instanceof Conv2d && layers.get(n - 1) instanceof BatchNorm2d;
    }

    /**
     * The forward pass in EVAL mode, its last two layers (see {@link #endsInConvolutionAndNorm}) folded into
     * {@code into} and followed by {@code after} on each few images while they are in cache: how a {@link Residual}
     * adds its shortcut to its body's output without writing that out and reading it back.
     */
    Tensor forwardInto(Tensor input, Tensor into, Conv2d.OutputPass after) {
        return run(input, Mode.EVAL, true, into, after);
    }

    /**
     * The layers in order, fusing as the class comment says; a Conv2d and a BatchNorm2d after it only if foldNorms,
     * the last such pair into {@code into} (unless null) and then through {@code after}.
     */
    private Tensor run(Tensor input, Mode mode, boolean foldNorms, Tensor into, Conv2d.OutputPass after) {
        Tensor x = input;
        boolean folded = false;
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            Layer next = i + 1 < layers.size() ? layers.get(i + 1) : null;
            if (foldNorms && layer instanceof Conv2d conv && next instanceof BatchNorm2d norm) {
                boolean relu = i + 2 < layers.size() && layers.get(i + 2) instanceof ReLU;
                i += relu ? 2 : 1;
                boolean last = into != null && i == layers.size() - 1;
                x = fold(conv, norm, x, relu, last ? into : null, last ? after : null);
                folded = true;
            } else if (layer instanceof FusesRelu f && next instanceof ReLU relu) {
                // the layer and the ReLU in one pass over memory: the same numbers, one array written instead of two
                x = f.forward(x, mode, true);
                relu.remember(x);
                i++;
            } else {
                x = layer.forward(x, mode);
            }
        }
        foldedInput = folded ? input : null;
        return x;
    }

    /**
     * conv, then norm in EVAL mode (and max(0, .) if relu) on each few images of conv's output while they are in
     * cache, into norm's output tensor (or into, then through after): the numbers of the layers one by one, one pass
     * over memory fewer.
     */
    private static Tensor fold(Conv2d conv, BatchNorm2d norm, Tensor x, boolean relu, Tensor into,
                               Conv2d.OutputPass after) {
        Shape s = norm.outputShape(conv.outputShape(x.shape())); // the checks the layers make one by one
        norm.useRunningStatistics();
        return conv.forward(x, into != null ? into : norm.outputTensor(s), (y, off, images, pixels) -> {
            norm.normalizeInPlace(y, off, images, pixels, relu);
            if (after != null) {
                after.apply(y, off, images, pixels);
            }
        });
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        rerunIfFolded();
        Tensor g = gradOutput;
        for (int i = layers.size() - 1; i >= 0; i--) {
            g = backward(i, g);
            i -= skipped(i);
        }
        return g;
    }

    /**
     * Layer i's backward pass; a Conv2d after a ReLU also runs the ReLU's (see {@link #skipped}), on its input
     * gradient while it is in cache ({@link Conv2d#backwardThroughRelu}): the same numbers, one pass fewer.
     */
    private Tensor backward(int i, Tensor g) {
        return skipped(i) == 1 ? ((Conv2d) layers.get(i)).backwardThroughRelu(g) : layers.get(i).backward(g);
    }

    /** 1 if layer i is a Conv2d whose input is a ReLU's output, layer i - 1 (its backward runs in layer i's). */
    private int skipped(int i) {
        return i > 0 && layers.get(i) instanceof Conv2d && layers.get(i - 1) instanceof ReLU ? 1 : 0;
    }

    /** Whether the last forward pass folded a batch norm into a convolution (for tests). */
    boolean foldedLastForward() {
        return foldedInput != null;
    }

    /** A folded batch norm kept no input for its backward pass: runs the forward pass again, unfolded. */
    private void rerunIfFolded() {
        if (foldedInput != null) {
            run(foldedInput, Mode.EVAL, false, null, null);
        }
    }

    /** Backward down to the first layer with parameters, which skips its input gradient; the layers before it idle. */
    @Override
    public void backwardParameters(Tensor gradOutput) {
        rerunIfFolded();
        Tensor g = gradOutput;
        for (int i = layers.size() - 1; i > firstWithParameters; i--) {
            g = backward(i, g);
            i -= skipped(i);
        }
        if (firstWithParameters < layers.size()) {
            layers.get(firstWithParameters).backwardParameters(g);
        }
    }

    @Override
    public Shape outputShape(Shape input) {
        Shape s = input;
        for (int i = 0; i < layers.size(); i++) {
            try {
                s = layers.get(i).outputShape(s);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("layer " + i + " (" + layers.get(i).spec().type() + "): " + e.getMessage(), e);
            }
        }
        return s;
    }

    /** The shape of one output sample, without the batch dimension. */
    public Shape sampleOutputShape() {
        return outputShape(sampleShape().prepend(1)).dropFirst();
    }

    @Override
    public LayerSpec spec() {
        LayerSpec spec = sampleShape == null ? LayerSpec.of("Sequential")
                : LayerSpec.of("Sequential", "input", sampleShape.dims());
        return spec.withChildLayers(layers);
    }

    /** All parameters and buffers under PyTorch state_dict names ("0.weight", "0.bias", ...). */
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        namedParameters("", out);
        return out;
    }

    @Override
    public long multiplyAdds(Shape input) {
        long total = 0;
        Shape s = input;
        for (Layer l : layers) {
            total += l.multiplyAdds(s);
            s = l.outputShape(s);
        }
        return total;
    }

    /** Number of trainable values (weights and biases, not buffers). */
    public long parameterCount() {
        return Parameter.trainableCount(parameters());
    }

    public void zeroGrad() {
        for (Parameter p : parameters()) {
            p.zeroGrad();
        }
    }

    /**
     * A table of the layers in the manner of Keras's model.summary(): each layer's output shape (N is the batch),
     * its parameter count and multiply-adds for one sample, then the totals. Containers such as {@link Residual}
     * are one row each; see {@link #summary(int)} to list the layers inside them too.
     */
    public String summary() {
        return summary(1);
    }

    /**
     * The layer table with the layers inside containers listed too, down to {@code depth} levels of nesting
     * (1: one row per block), indented under their container and numbered by their parameter-name prefix.
     */
    public String summary(int depth) {
        return Summary.of(this, depth);
    }
}
