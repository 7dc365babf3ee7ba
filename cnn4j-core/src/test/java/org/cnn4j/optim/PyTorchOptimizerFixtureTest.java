package org.cnn4j.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.cnn4j.loss.CrossEntropyLoss;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Flatten;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.MaxPool2d;
import org.cnn4j.nn.Mode;
import org.cnn4j.nn.Parameter;
import org.cnn4j.nn.ReLU;
import org.cnn4j.nn.Sequential;
import org.cnn4j.tensor.Shape;
import org.cnn4j.testing.Fixture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Three training steps of a small seed-cnn (forward, cross-entropy, backward, optimizer step) from PyTorch's initial
 * weights must reach PyTorch's losses and final weights: this checks the whole pipeline, not one layer at a time.
 */
class PyTorchOptimizerFixtureTest {

    /** The same network as small_seed_cnn() in scripts/make-fixtures.py. */
    static Sequential smallSeedCnn() {
        return new Sequential(Shape.of(1, 12, 12),
                new Conv2d(1, 4, 3, 1, 1), new ReLU(), new Conv2d(4, 4, 3, 1, 1), new ReLU(), new MaxPool2d(2),
                new Conv2d(4, 8, 3, 1, 1), new ReLU(), new Conv2d(8, 8, 3, 1, 1), new ReLU(), new MaxPool2d(2),
                new Flatten(), new Linear(8 * 3 * 3, 10));
    }

    @ParameterizedTest
    @ValueSource(strings = {"optim_sgd_momentum", "optim_sgd_nesterov", "optim_adam", "optim_adamw"})
    void threeStepsMatchPyTorch(String name) {
        Fixture f = Fixture.load(name);
        Sequential model = smallSeedCnn();
        Map<String, Parameter> params = model.namedParameters();
        params.forEach((k, p) -> p.value().copyFrom(f.tensor("init." + k)));
        double lr = Double.parseDouble(f.setting("lr"));
        double wd = Double.parseDouble(f.setting("weight_decay"));
        Optimizer opt = switch (f.setting("optimizer")) {
            case "SGD" -> new SGD(model.parameters(), lr, Double.parseDouble(f.setting("momentum")), 0, wd,
                    Boolean.parseBoolean(f.setting("nesterov")));
            case "Adam" -> new Adam(model.parameters(), lr, Double.parseDouble(f.setting("beta1")),
                    Double.parseDouble(f.setting("beta2")), Double.parseDouble(f.setting("eps")), wd);
            case "AdamW" -> new AdamW(model.parameters(), lr, Double.parseDouble(f.setting("beta1")),
                    Double.parseDouble(f.setting("beta2")), Double.parseDouble(f.setting("eps")), wd);
            default -> throw new IllegalArgumentException("no optimizer " + f.setting("optimizer"));
        };
        CrossEntropyLoss loss = new CrossEntropyLoss();
        int steps = f.intSetting("steps");
        for (int step = 0; step < steps; step++) {
            opt.zeroGrad();
            float l = loss.forward(model.forward(f.tensor("x").copy(), Mode.TRAIN), f.labels());
            model.backward(loss.backward());
            opt.step();
            float expected = f.tensor("loss" + step).data()[0];
            assertEquals(expected, l, Fixture.TOLERANCE * Math.abs(expected), name + " loss at step " + step);
        }
        params.forEach((k, p) -> f.assertClose("final." + k, p.value()));
    }
}
