package org.cnn4j.nn;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.cnn4j.model.Zoo;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.testing.Fixture;
import org.cnn4j.testing.Fixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every layer, and the residual and dense blocks of the zoo, against PyTorch 1.13: the same input and weights must
 * give the same output, input gradient and parameter gradients (and batch norm the same running statistics), within
 * {@link Fixture#TOLERANCE}. The blocks' parameters have the same nested names in both (scripts/make-fixtures.py
 * defines PyTorch modules Residual and Concat with cnn4j's child names), so they are copied over by name.
 */
class PyTorchLayerFixtureTest {

    static Stream<String> cases() {
        List<String> names = Stream.of("conv2d", "linear", "relu", "leakyrelu", "sigmoid", "tanh", "softmax",
                "flatten", "maxpool2d", "avgpool2d", "globalavgpool2d", "batchnorm", "block").flatMap(p -> Fixtures.named(p).stream()).toList();
        assertFalse(names.isEmpty(), "no fixtures found");
        return names.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorch(String name) {
        Fixture f = Fixture.load(name);
        Layer layer = build(f);
        Map<String, Parameter> params = new java.util.LinkedHashMap<>();
        layer.namedParameters("", params);
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            e.getValue().value().copyFrom(f.tensor(e.getKey()));
        }
        Mode mode = f.setting("mode").equals("train") ? Mode.TRAIN : Mode.EVAL;
        Tensor y = layer.forward(f.tensor("x").copy(), mode);
        f.assertClose("y", y);
        Tensor dx = layer.backward(f.tensor("g").copy());
        f.assertClose("grad_x", dx);
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            if (e.getValue().isTrainable()) {
                f.assertClose("grad_" + e.getKey(), e.getValue().grad());
            } else {
                f.assertClose(e.getKey() + "_after", e.getValue().value());
            }
        }
    }

    private static Layer build(Fixture f) {
        return switch (f.setting("layer")) {
            case "Conv2d" -> new Conv2d(f.intSetting("in"), f.intSetting("out"), f.intSetting("kernel"),
                    f.intSetting("stride"), f.intSetting("padding"), f.intSetting("dilation"),
                    Boolean.parseBoolean(f.setting("bias")));
            case "Linear" -> new Linear(f.intSetting("in"), f.intSetting("out"), Boolean.parseBoolean(f.setting("bias")));
            case "ReLU" -> new ReLU();
            case "LeakyReLU" -> new LeakyReLU(Double.parseDouble(f.setting("negative_slope")));
            case "Sigmoid" -> new Sigmoid();
            case "Tanh" -> new Tanh();
            case "Softmax" -> new Softmax();
            case "Flatten" -> new Flatten();
            case "GlobalAvgPool2d" -> new GlobalAvgPool2d();
            case "MaxPool2d" -> new MaxPool2d(f.intSetting("kernel"), f.intSetting("stride"), f.intSetting("padding"),
                    f.intSetting("dilation", 1), Boolean.parseBoolean(f.setting("ceil_mode")));
            case "AvgPool2d" -> new AvgPool2d(f.intSetting("kernel"), f.intSetting("stride"), f.intSetting("padding"),
                    Boolean.parseBoolean(f.setting("ceil_mode")), Boolean.parseBoolean(f.setting("count_include_pad")));
            case "BatchNorm1d" -> new BatchNorm1d(f.intSetting("channels"));
            case "BatchNorm2d" -> new BatchNorm2d(f.intSetting("channels"));
            // the blocks of the deeper zoo models; the residual ones with the ReLU after the addition
            case "BasicBlock" -> new Sequential(Zoo.basicBlock(f.intSetting("in"), f.intSetting("out"),
                    f.intSetting("stride")), new ReLU());
            case "BottleneckBlock" -> new Sequential(Zoo.bottleneckBlock(f.intSetting("in"), f.intSetting("width"),
                    f.intSetting("stride")), new ReLU());
            case "DenseLayer" -> Zoo.denseLayer(f.intSetting("in"), f.intSetting("growth"));
            default -> throw new IllegalArgumentException("no builder for " + f.setting("layer"));
        };
    }
}
