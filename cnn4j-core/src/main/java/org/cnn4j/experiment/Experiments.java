package org.cnn4j.experiment;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The experiments by name. */
public final class Experiments {
    private static final Map<String, Supplier<Experiment>> ALL = new LinkedHashMap<>();

    static {
        ALL.put(InitExperiment.NAME, InitExperiment::new);
        ALL.put(BatchNormExperiment.NAME, BatchNormExperiment::new);
        ALL.put(VanishingGradientsExperiment.NAME, VanishingGradientsExperiment::new);
    }

    private Experiments() {
    }

    public static List<String> names() {
        return List.copyOf(ALL.keySet());
    }

    public static Experiment create(String name) {
        Supplier<Experiment> e = ALL.get(name);
        if (e == null) {
            throw new IllegalArgumentException("unknown experiment '" + name + "' (choose from " + String.join(", ", names()) + ")");
        }
        return e.get();
    }
}
