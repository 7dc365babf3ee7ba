package org.cnn4j.cli;

import org.cnn4j.kernel.Parallel;
import picocli.CommandLine.Option;

/** Options every command takes. */
final class CommonOptions {
    @Option(names = "--verbose", description = "Show stack traces on errors.")
    boolean verbose;

    @Option(names = "--threads", paramLabel = "N",
            description = "Worker threads for the kernels (default: the number of CPUs).")
    Integer threads;

    void apply() {
        if (threads != null) {
            if (threads < 1) {
                throw new IllegalArgumentException("--threads must be at least 1 (got " + threads + ")");
            }
            Parallel.setThreads(threads);
        }
    }
}
