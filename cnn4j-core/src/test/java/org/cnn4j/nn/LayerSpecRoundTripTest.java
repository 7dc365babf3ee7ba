package org.cnn4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.cnn4j.tensor.Shape;
import org.junit.jupiter.api.Test;

/** Every layer rebuilt by LayerFactory from its spec has the same spec (non-default settings, to catch mix-ups). */
class LayerSpecRoundTripTest {

    private static void assertSameSpec(LayerSpec a, LayerSpec b) {
        assertEquals(a.type(), b.type());
        assertEquals(a.attrs().keySet(), b.attrs().keySet(), a.type());
        for (Map.Entry<String, Object> e : a.attrs().entrySet()) {
            assertTrue(Objects.deepEquals(e.getValue(), b.attrs().get(e.getKey())), a.type() + "." + e.getKey());
        }
        assertEquals(a.children().size(), b.children().size());
        for (int i = 0; i < a.children().size(); i++) {
            assertSameSpec(a.children().get(i), b.children().get(i));
        }
    }

    private static void roundTrips(Layer layer) {
        Layer rebuilt = LayerFactory.create(layer.spec());
        assertEquals(layer.getClass(), rebuilt.getClass());
        assertSameSpec(layer.spec(), rebuilt.spec());
    }

    @Test
    void everyLayer() {
        List<Layer> layers = List.of(new ReLU(), new LeakyReLU(0.2), new Sigmoid(), new Tanh(), new Flatten(),
                new Softmax(), new Dropout(0.3), new MaxPool2d(3, 2, 1, 2, true), new AvgPool2d(3, 1, 1, true, false),
                new Linear(3, 2, false), new Conv2d(2, 3, 3, 1, 2, 0, 2, false));
        for (Layer l : layers) {
            roundTrips(l);
        }
    }

    @Test
    void sequentialWithEveryKindOfChild() {
        roundTrips(new Sequential(Shape.of(1, 8, 8), new Conv2d(1, 2, 3, 1, 1), new LeakyReLU(), new MaxPool2d(2),
                new AvgPool2d(2, 1, 0, false, true), new Flatten(), new Dropout(0.5), new Linear(18, 4), new Sigmoid(),
                new Tanh(), new ReLU(), new Softmax()));
    }

    @Test
    void containersWithTheirChildren() {
        roundTrips(new GlobalAvgPool2d());
        roundTrips(new Sequential(new Conv2d(2, 2, 1), new ReLU()));
        roundTrips(new Residual(new Sequential(new Conv2d(2, 2, 3, 1, 1), new BatchNorm2d(2))));
        roundTrips(new Residual(new Conv2d(2, 4, 3, 2, 1), new Sequential(new Conv2d(2, 4, 1, 2, 0), new BatchNorm2d(4))));
        roundTrips(new Concat(new Sequential(new BatchNorm2d(3), new ReLU(), new Conv2d(3, 2, 3, 1, 1))));
        Layer rebuilt = LayerFactory.create(new Residual(new ReLU(), new Tanh()).spec());
        assertEquals(Tanh.class, ((Residual) rebuilt).shortcut().getClass());
        assertEquals(null, ((Residual) LayerFactory.create(new Residual(new ReLU()).spec())).shortcut());
    }

    @Test
    void defaultsMatchPyTorch() {
        assertEquals(0.01, new LeakyReLU().negativeSlope());
        assertSameSpec(new MaxPool2d(3, 3, 0, 1, false).spec(), new MaxPool2d(3).spec());
        assertSameSpec(new AvgPool2d(3, 3, 0, false, true).spec(), new AvgPool2d(3).spec());
    }
}
