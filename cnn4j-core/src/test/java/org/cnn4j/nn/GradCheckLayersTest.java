package org.cnn4j.nn;

import static org.cnn4j.nn.GradAssertions.assertPassed;

import java.util.stream.Stream;
import org.cnn4j.init.Init;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Gradient checks of every layer, for the input and every trainable parameter: the cases of {@link GradCheckCases}. */
class GradCheckLayersTest {

    static Stream<GradCheckCases.Case> cases() {
        return GradCheckCases.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void backwardMatchesCentralDifferences(GradCheckCases.Case c) {
        Init.manualSeed(42);
        assertPassed(c.run(new GradCheck(), 7));
    }
}
