package org.cnn4j.nn;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a layer is, without its weights: a type name (the class name, as in PyTorch), its settings, and for
 * containers the specs of the layers inside. Model files store the architecture as a tree of specs; values are
 * Integer, Double, Boolean, String or int[].
 */
public record LayerSpec(String type, Map<String, Object> attrs, List<LayerSpec> children) {

    public LayerSpec {
        attrs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(attrs));
        children = List.copyOf(children);
    }

    public static LayerSpec of(String type) {
        return new LayerSpec(type, Map.of(), List.of());
    }

    /** A spec from alternating keys and values, in order: {@code LayerSpec.of("Linear", "in", 4, "out", 2)}. */
    public static LayerSpec of(String type, Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values must come in pairs");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return new LayerSpec(type, m, List.of());
    }

    public LayerSpec withChildren(List<LayerSpec> kids) {
        return new LayerSpec(type, attrs, kids);
    }

    /** This spec with the specs of {@code layers}, in order, as its children (for containers). */
    public LayerSpec withChildLayers(java.util.Collection<? extends Layer> layers) {
        return withChildren(layers.stream().map(Layer::spec).toList());
    }

    public int getInt(String key) {
        return ((Number) require(key)).intValue();
    }

    public double getDouble(String key) {
        return ((Number) require(key)).doubleValue();
    }

    public boolean getBoolean(String key) {
        return (Boolean) require(key);
    }

    public int[] getInts(String key) {
        return ((int[]) require(key)).clone();
    }

    private Object require(String key) {
        Object v = attrs.get(key);
        if (v == null) {
            throw new IllegalArgumentException(type + " spec is missing '" + key + "'");
        }
        return v;
    }
}
