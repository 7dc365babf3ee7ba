package org.cnn4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.cnn4j.onnx.OnnxTestRunner;
import org.cnn4j.onnx.OnnxTestRunner.Result;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Runs ONNX backend-test cases (see {@link OnnxTestRunner}): one line per case with its largest error, then a line
 * "N passed, M failed". Cases using what cnn4j cannot import are listed as unsupported and counted separately, in a
 * line before the closing one. Exit code 1 if any case failed.
 */
@Command(name = "onnx-test", mixinStandardHelpOptions = true,
        description = "Run ONNX backend-test cases (model.onnx + test_data_set_N/input_K.pb, output_K.pb).")
final class OnnxTestCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "DIR",
            description = "A case folder, or a folder of case folders (such as /usr/share/libonnx-testdata/data/node).")
    List<Path> dirs;

    @Option(names = "--rtol", defaultValue = "1e-3", description = "Relative tolerance. Default: ${DEFAULT-VALUE}.")
    double rtol;

    @Option(names = "--atol", defaultValue = "1e-7", description = "Absolute tolerance. Default: ${DEFAULT-VALUE}.")
    double atol;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        common.apply();
        OnnxTestRunner runner = new OnnxTestRunner(rtol, atol);
        List<Path> cases = new ArrayList<>();
        for (Path d : dirs) {
            cases.addAll(OnnxTestRunner.cases(d));
        }
        int passed = 0;
        int failed = 0;
        int unsupported = 0;
        for (Path c : cases) {
            Result r = runner.run(c);
            switch (r.status()) {
                case PASSED -> {
                    passed++;
                    System.out.printf("ok           %s  (max error %.3g)%n", r.name(), r.maxError());
                }
                case FAILED -> {
                    failed++;
                    System.out.printf("FAILED       %s  (max error %.3g) %s%n", r.name(), r.maxError(), r.detail());
                }
                case UNSUPPORTED -> {
                    unsupported++;
                    System.out.printf("unsupported  %s: %s%n", r.name(), r.detail());
                }
            }
        }
        if (unsupported > 0) {
            System.out.println(unsupported + " unsupported (not counted below)");
        }
        System.out.println(passed + " passed, " + failed + " failed");
        return failed > 0 ? 1 : 0;
    }
}
