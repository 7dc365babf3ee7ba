package org.cnn4j.cli;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cnn4j.experiment.Experiment;
import org.cnn4j.experiment.Experiments;
import org.cnn4j.io.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Runs one of the studies of {@link Experiments}: a CSV table and a PNG plot in the output folder. */
@Command(name = "experiment", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run a small study (init, batchnorm or vanishing-gradients); writes NAME.csv and NAME.png and"
                + " prints where.")
final class ExperimentCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", completionCandidates = Names.class,
            description = "init, batchnorm or vanishing-gradients.")
    String name;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: experiments/NAME).")
    Path out;

    @Option(names = "--seed", defaultValue = "42", description = "Seed for weights, data order and sampling. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--quick", description = "A tiny version that runs in seconds (less data, fewer epochs).")
    boolean quick;

    @Option(names = "--json", description = "Print a JSON summary as the last line.")
    boolean json;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        common.apply();
        Experiment experiment = Experiments.create(name);
        Path dir = out != null ? out : Path.of("experiments", name);
        System.out.println("experiment " + name + ": " + experiment.description() + (quick ? " (quick version)" : ""));
        long start = System.nanoTime();
        Experiment.Result result = experiment.run(new Experiment.Settings(dir, seed, quick), System.out);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("wrote %s and %s in %.1f s%n", result.csv(), result.png(), seconds);
        if (json) {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("experiment", name);
            summary.put("quick", quick);
            summary.put("seed", seed);
            summary.put("csv", result.csv().toString());
            summary.put("png", result.png().toString());
            summary.put("seconds", seconds);
            summary.putAll(result.summary());
            System.out.println(Json.write(summary));
        }
        return 0;
    }

    /** The experiment names, for the help text. */
    static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Experiments.names().iterator();
        }
    }
}
