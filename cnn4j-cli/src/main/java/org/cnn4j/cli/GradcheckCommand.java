package org.cnn4j.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.cnn4j.init.Init;
import org.cnn4j.loss.CrossEntropyLoss;
import org.cnn4j.loss.MSELoss;
import org.cnn4j.nn.GradCheck;
import org.cnn4j.nn.GradCheckCases;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Compares every layer's hand-written backward pass with central differences: one line per case, with the
 * largest relative error over its input and parameter gradients. Exit code 1 if any case fails.
 */
@Command(name = "gradcheck", mixinStandardHelpOptions = true,
        description = "Check every layer's and loss's backward pass against numerical gradients.")
final class GradcheckCommand implements Callable<Integer> {
    @Option(names = "--layer", paramLabel = "TEXT", description = "Only the cases whose name contains TEXT (e.g. Conv2d).")
    String filter;

    @Option(names = "--seed", defaultValue = "7", description = "Seed for inputs and weights. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--details", description = "Print every tensor's errors, not only one line per case.")
    boolean details;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        common.apply();
        GradCheck check = new GradCheck();
        List<String[]> rows = new ArrayList<>();
        int failed = 0;
        for (GradCheckCases.Case c : GradCheckCases.all()) {
            if (selected(c.name())) {
                Init.manualSeed(seed);
                failed += report(rows, c.name() + " " + c.input(), c.run(check, seed));
            }
        }
        Shape s = Shape.of(4, 5);
        if (selected("CrossEntropyLoss")) {
            failed += report(rows, "CrossEntropyLoss " + s,
                    check.checkLoss(new CrossEntropyLoss(), Tensor.randn(s, 2f, seed), new int[] {0, 4, 2, 2}));
        }
        if (selected("MSELoss")) {
            failed += report(rows, "MSELoss " + s,
                    check.checkLoss(new MSELoss(), Tensor.randn(s, 1f, seed), Tensor.randn(s, 1f, seed + 1)));
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("--layer: no case matches '" + filter + "'");
        }
        if (!details) {
            int w = rows.stream().mapToInt(r -> r[0].length()).max().orElse(10);
            for (String[] r : rows) {
                System.out.printf("%-" + w + "s  %s  %s%n", r[0], r[1], r[2]);
            }
        }
        System.out.printf("%d passed, %d failed (tolerance %.0e on the relative error)%n", rows.size() - failed, failed,
                check.tolerance());
        return failed == 0 ? 0 : 1;
    }

    /** Whether --layer lets this case through (no --layer: every case). */
    private boolean selected(String name) {
        return filter == null || name.toLowerCase(Locale.ROOT).contains(filter.toLowerCase(Locale.ROOT));
    }

    private int report(List<String[]> rows, String name, GradCheck.Report r) {
        double worst = r.entries().stream().mapToDouble(GradCheck.Entry::maxRelError).max().orElse(0);
        rows.add(new String[] {name, String.format("max rel err %.2e", worst), r.passed() ? "ok" : "FAIL"});
        if (details) {
            System.out.println(name + "\n" + r + "\n");
        }
        return r.passed() ? 0 : 1;
    }
}
