package org.cnn4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cnn4j.init.Init;
import org.cnn4j.nn.Mode;
import org.cnn4j.nn.Sequential;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class ZooTest {
    private static final Shape MNIST = Shape.of(1, 28, 28);
    private static final Shape CIFAR = Shape.of(3, 32, 32);

    @Test
    void referenceModelsHaveTheDesignedSizes() {
        // counted by hand from the design notes' layer lists (weights + biases, batch norm's gamma and beta)
        assertEquals(784 * 256 + 256 + 512 + 256 * 256 + 256 + 512 + 256 * 10 + 10, Zoo.create("mlp", MNIST, 10).parameterCount());
        assertEquals(156 + 2416 + 48120 + 10164 + 850, Zoo.create("lenet5", MNIST, 10).parameterCount());
        assertEquals(320 + 9248 + 18496 + 36928 + 31370, Zoo.create("seed-cnn", MNIST, 10).parameterCount());
        assertEquals(18_320_512, Zoo.create("seed-cnn", MNIST, 10).multiplyAdds(MNIST.prepend(1)));
        // seed-cnn without the four convolution biases, with batch norm's gamma and beta per channel instead
        assertEquals(96_362 - 192 + 2 * 192, Zoo.create("seed-cnn-bn", MNIST, 10).parameterCount());
    }

    /** Weights of a basic block from {@code in} to {@code out} channels: two 3x3 convolutions, two batch norms. */
    private static long basicBlock(int in, int out) {
        long body = 9L * in * out + 2 * out + 9L * out * out + 2 * out;
        return body + (in == out ? 0 : (long) in * out + 2 * out); // projection: 1x1 convolution and batch norm
    }

    @Test
    void resNetsHaveTheSizesOfPyTorchsModels() {
        // the stem (3x3 convolution to 16 and its batch norm), 3 stages of n blocks, the final Linear(64, 10)
        for (int n : new int[] {3, 5, 9}) {
            long expected = 27 * 16 + 32 + n * basicBlock(16, 16) + basicBlock(16, 32) + (n - 1) * basicBlock(32, 32)
                    + basicBlock(32, 64) + (n - 1) * basicBlock(64, 64) + 650;
            assertEquals(expected, Zoo.create("resnet" + (6 * n + 2), CIFAR, 10).parameterCount(), "n = " + n);
        }
        // the same count from the PyTorch model of the CIFAR ResNet with projection shortcuts (the "option B" of
        // He et al.; the usual 269,722 is option A, with parameter-free zero-padding shortcuts)
        assertEquals(272_474, Zoo.create("resnet20", CIFAR, 10).parameterCount());
        // the ResNet-18 and -50 for CIFAR-10 of github.com/kuangliu/pytorch-cifar (counted in PyTorch 1.13)
        Sequential resnet18 = Zoo.create("resnet18", CIFAR, 10);
        Sequential resnet50 = Zoo.create("resnet50", CIFAR, 10);
        assertEquals(11_173_962, resnet18.parameterCount());
        assertEquals(23_520_842, resnet50.parameterCount());
        for (Sequential m : new Sequential[] {resnet18, resnet50}) {
            assertEquals(Shape.of(10), m.sampleOutputShape());
            assertEquals(Shape.of(2, 10), m.outputShape(Shape.of(2, 3, 28, 28)), "28x28 images go down to 4x4");
        }
    }

    @Test
    void denseNetsHaveTheSizesOfPyTorchsModels() {
        // per dense layer from c channels: BN(c), 1x1 conv c -> 48, BN(48), 3x3 conv 48 -> 12; per transition:
        // BN(c), 1x1 conv c -> c/2; then BN(132), Linear(132, 10). Channels 24 -> 96 -> 48 -> 120 -> 60 -> 132.
        long expected = 27 * 24;
        int c = 24;
        for (int block = 0; block < 3; block++) {
            for (int i = 0; i < 6; i++, c += 12) {
                expected += 2 * c + 48L * c + 2 * 48 + 9 * 48 * 12;
            }
            if (block < 2) {
                expected += 2 * c + (long) c * (c / 2);
                c /= 2;
            }
        }
        expected += 2 * 132 + 1330;
        assertEquals(expected, Zoo.create("densenet-bc40", CIFAR, 10).parameterCount());
        // and as counted in PyTorch 1.13 from the same architecture (the modules of scripts/make-fixtures.py)
        assertEquals(176_122, Zoo.create("densenet-bc40", CIFAR, 10).parameterCount());
        assertEquals(71_686, Zoo.create("densenet-bc22", CIFAR, 10).parameterCount());
    }

    @Test
    void parameterNamesNestLikePyTorch() {
        var names = Zoo.create("resnet20", CIFAR, 10).namedParameters().keySet();
        assertTrue(names.containsAll(java.util.List.of("0.weight", "1.running_var", "3.body.0.weight",
                "3.body.4.bias", "9.shortcut.0.weight", "9.shortcut.1.running_mean", "22.weight")), names::toString);
        var dense = Zoo.create("densenet-bc40", CIFAR, 10).namedParameters().keySet();
        assertTrue(dense.containsAll(java.util.List.of("0.weight", "1.0.body.0.weight", "1.5.body.5.weight",
                "2.2.weight", "6.running_mean", "9.bias")), dense::toString);
    }

    @Test
    void everyModelMapsABatchToLogits() {
        Init.manualSeed(4);
        // the ImageNet-sized ResNets (11 and 23 million weights) only slow the tests down: their shapes are checked
        // in resNetsHaveTheSizesOfPyTorchsModels
        for (String name : Zoo.names().stream().filter(n -> !n.equals("resnet18") && !n.equals("resnet50")).toList()) {
            assertEquals(Shape.of(7), Zoo.create(name, CIFAR, 7).sampleOutputShape(), name);
            Sequential m = Zoo.create(name, MNIST, 7);
            assertEquals(Shape.of(7), m.sampleOutputShape(), name);
            Tensor y = m.forward(Tensor.randn(MNIST.prepend(1), 1f, 1), Mode.EVAL);
            assertEquals(Shape.of(1, 7), y.shape(), name);
        }
    }

    @Test
    void unknownNamesAndWrongInputsGiveClearErrors() {
        String msg = assertThrows(IllegalArgumentException.class, () -> Zoo.create("resnet9000", MNIST, 10)).getMessage();
        assertEquals("unknown model 'resnet9000' (choose from mlp, lenet5, seed-cnn, seed-cnn-bn, resnet20, resnet32,"
                + " resnet56, resnet18, resnet50, densenet-bc22, densenet-bc40)", msg);
        msg = assertThrows(IllegalArgumentException.class, () -> Zoo.resnet(CIFAR, 10, 21)).getMessage();
        assertTrue(msg.contains("6n + 2"), msg);
        msg = assertThrows(IllegalArgumentException.class, () -> Zoo.densenetBc(CIFAR, 10, 41, 12)).getMessage();
        assertTrue(msg.contains("6n + 4"), msg);
        Sequential m = Zoo.create("seed-cnn", MNIST, 10);
        msg = assertThrows(IllegalArgumentException.class,
                () -> m.forward(Tensor.zeros(2, 3, 28, 28), Mode.EVAL)).getMessage();
        assertTrue(msg.contains("[N, 1, 28, 28]") && msg.contains("[2, 3, 28, 28]"), msg);
    }
}
