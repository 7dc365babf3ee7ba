package org.cnn4j.experiment;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * A small study that backs one of the outline's claims with numbers anyone can repeat: it computes a table,
 * writes it as {@code NAME.csv} and a plot of it as {@code NAME.png} into the output folder, and returns where.
 * The same settings give the same numbers (up to the order of floating-point sums across threads).
 */
public interface Experiment {
    /** The name on the command line: {@code ./cnn4j experiment NAME}. */
    String name();

    /** One line on what the study shows. */
    String description();

    /** Runs the study, printing progress and a short table to {@code log}. */
    Result run(Settings settings, PrintStream log) throws IOException;

    /**
     * @param out   the folder for the CSV and PNG files
     * @param seed  seeds weights, data order and any sampling
     * @param quick a tiny version (seconds, not minutes) for tests: same columns and plot, less data
     */
    record Settings(Path out, long seed, boolean quick) {
    }

    /** Where the table and plot went, and the headline numbers (for a JSON summary). */
    record Result(Path csv, Path png, Map<String, Object> summary) {
    }
}
