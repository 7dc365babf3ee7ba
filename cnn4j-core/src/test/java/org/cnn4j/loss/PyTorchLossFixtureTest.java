package org.cnn4j.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.cnn4j.tensor.Tensor;
import org.cnn4j.testing.Fixture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The losses against PyTorch 1.13's F.cross_entropy and F.mse_loss: value and gradient. */
class PyTorchLossFixtureTest {

    @ParameterizedTest
    @ValueSource(strings = {"crossentropy", "crossentropy_large", "mse"})
    void matchesPyTorch(String name) {
        Fixture f = Fixture.load(name);
        Tensor x = f.tensor("x").copy();
        float loss;
        Tensor grad;
        if (f.setting("loss").equals("MSELoss")) {
            MSELoss mse = new MSELoss();
            loss = mse.forward(x, f.tensor("target"));
            grad = mse.backward();
        } else {
            CrossEntropyLoss ce = new CrossEntropyLoss();
            loss = ce.forward(x, f.labels());
            grad = ce.backward();
        }
        float expected = f.tensor("loss").data()[0];
        assertEquals(expected, loss, Fixture.TOLERANCE * Math.max(Math.abs(expected), 1e-6), name + " loss");
        f.assertClose("grad_x", grad);
    }
}
