package org.cnn4j.nn;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Wrong shapes fail early with a message that names what was expected and what came. */
class ShapeErrorTest {

    private static void failsNaming(Executable action, String... parts) {
        String msg = assertThrows(IllegalArgumentException.class, action).getMessage();
        for (String p : parts) {
            assertTrue(msg.contains(p), () -> "message '" + msg + "' should contain '" + p + "'");
        }
    }

    @Test
    void wrongRank() {
        failsNaming(() -> new MaxPool2d(2).outputShape(Shape.of(2, 8, 8)), "MaxPool2d", "4D", "N, C, H, W",
                "[2, 8, 8]");
        failsNaming(() -> new AvgPool2d(2).outputShape(Shape.of(4, 10)), "AvgPool2d", "4D", "[4, 10]");
        failsNaming(() -> new Conv2d(1, 2, 3).outputShape(Shape.of(1, 28, 28)), "Conv2d", "4D", "[1, 28, 28]");
        failsNaming(() -> new Linear(8, 2).outputShape(Shape.of(2, 2, 2, 2)), "(N, 8)", "[2, 2, 2, 2]", "Flatten");
        failsNaming(() -> new Flatten().outputShape(Shape.of(5)), "Flatten", "(N, ...)", "[5]");
        failsNaming(() -> new Softmax().outputShape(Shape.of(3, 0)), "Softmax", "[3, 0]");
    }

    @Test
    void wrongChannelsOrFeatures() {
        failsNaming(() -> new Conv2d(3, 8, 3).outputShape(Shape.of(2, 1, 28, 28)), "3 input channels",
                "[2, 1, 28, 28]");
        failsNaming(() -> new Linear(400, 120).outputShape(Shape.of(2, 256)), "(N, 400)", "[2, 256]");
    }

    @Test
    void inputSmallerThanTheWindow() {
        failsNaming(() -> new MaxPool2d(3).outputShape(Shape.of(1, 1, 2, 2)), "MaxPool2d", "[1, 1, 2, 2]", "3x3");
        failsNaming(() -> new AvgPool2d(4, 1, 1).outputShape(Shape.of(1, 1, 1, 5)), "AvgPool2d", "[1, 1, 1, 5]");
        // with stride > 1 a truncating division would round the negative span up to one output pixel
        failsNaming(() -> new Conv2d(1, 1, 4, 3, 0).outputShape(Shape.of(1, 1, 2, 2)), "Conv2d", "[1, 1, 2, 2]",
                "smaller than the kernel 4x4");
    }

    @Test
    void containersNameTheMismatch() {
        Layer widen = new Conv2d(2, 3, 3, 1, 1);
        failsNaming(() -> new Residual(widen).outputShape(Shape.of(1, 2, 5, 5)), "Residual", "[1, 3, 5, 5]",
                "[1, 2, 5, 5]", "projection");
        failsNaming(() -> new Residual(widen, new Conv2d(2, 3, 1, 2, 0)).outputShape(Shape.of(1, 2, 5, 5)),
                "Residual", "[1, 3, 5, 5]", "[1, 3, 3, 3]");
        failsNaming(() -> new Residual(widen).outputShape(Shape.of(1, 4, 5, 5)), "Residual", "Conv2d", "2 input channels");
        failsNaming(() -> new Concat(new Conv2d(2, 3, 3)).outputShape(Shape.of(1, 2, 5, 5)), "Concat", "[1, 3, 3, 3]",
                "image size");
        failsNaming(() -> new Concat(widen).outputShape(Shape.of(2, 5)), "Concat", "4D", "[2, 5]");
        failsNaming(() -> new GlobalAvgPool2d().outputShape(Shape.of(2, 5)), "GlobalAvgPool2d", "4D", "[2, 5]");
    }

    @Test
    void badPoolingSettings() {
        failsNaming(() -> new MaxPool2d(2, 2, 2), "padding 2", "kernel size 2");
        failsNaming(() -> new AvgPool2d(0), "kernel=0");
    }

    @Test
    void wrongGradientShapeInBackward() {
        Tensor x = Tensor.zeros(2, 3, 4, 4);
        Layer[] layers = {new ReLU(), new MaxPool2d(2), new AvgPool2d(2), new Flatten(), new Dropout(0.5, 1),
                new Softmax(), new GlobalAvgPool2d(), new Residual(new ReLU()), new Concat(new ReLU())};
        for (Layer l : layers) {
            Shape out = l.forward(x, Mode.TRAIN).shape();
            failsNaming(() -> l.backward(Tensor.zeros(1, 2)), "backward gradient", out.toString(), "[1, 2]");
        }
    }

    @Test
    void sequentialNamesTheLayerThatDoesNotFit() {
        failsNaming(() -> new Sequential(Shape.of(1, 28, 28), new Conv2d(1, 4, 5), new MaxPool2d(2), new Flatten(),
                new Linear(100, 10)), "layer 3 (Linear)", "(N, 100)", "[1, 576]");
    }
}
