package org.cnn4j.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Assertions shared by the gradient-check tests. */
public final class GradAssertions {
    private GradAssertions() {
    }

    /** Fails with the whole report (every tensor's errors) unless every tensor passed. */
    public static void assertPassed(GradCheck.Report report) {
        if (Boolean.getBoolean("gradcheck.print")) {
            System.out.println(report);
        }
        assertTrue(report.passed(), () -> "gradient check failed:\n" + report);
    }
}
