package org.cnn4j.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code cnn4j} command. Errors in what the user gave (bad options, files, shapes) end the program with a
 * one-line message and a non-zero exit code; {@code --verbose} adds the stack trace.
 */
@Command(name = "cnn4j", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Convolutional neural networks from scratch in Java: train, evaluate and inspect models.",
        subcommands = {TrainCommand.class, EvalCommand.class, PredictCommand.class, SummaryCommand.class,
                GradcheckCommand.class, BenchCommand.class, ExperimentCommand.class, OnnxTestCommand.class, OnnxExportCommand.class,
                OnnxImportCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (0 success, 1 failure, 2 usage error). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            PrintWriter err = cmd.getErr();
            boolean verbose = parsed.originalArgs().contains("--verbose");
            if (verbose) {
                ex.printStackTrace(err);
            }
            err.println("cnn4j " + cmd.getCommandName() + ": error: " + message(ex));
            err.flush();
            return 1;
        });
        cl.setParameterExceptionHandler((ex, args2) -> {
            CommandLine cmd = ex.getCommandLine();
            PrintWriter err = cmd.getErr();
            err.println("cnn4j " + cmd.getCommandName() + ": " + ex.getMessage() + " (see 'cnn4j " + cmd.getCommandName()
                    + " --help')");
            err.flush();
            return 2;
        });
        return cl.execute(args);
    }

    private static String message(Throwable ex) {
        Throwable t = ex;
        while (t.getMessage() == null && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof java.nio.file.NoSuchFileException) {
            return "no such file: " + t.getMessage();
        }
        if (t instanceof java.nio.file.AccessDeniedException) {
            return "permission denied: " + t.getMessage();
        }
        if (t instanceof OutOfMemoryError) {
            return "out of memory (" + t.getMessage() + "): try a smaller --batch-size, or more heap, e.g. JAVA_OPTS=-Xmx8g";
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"cnn4j " + (v == null ? "(development build)" : v) + " on Java "
                    + Runtime.version() + ", " + org.cnn4j.kernel.Gemm.implementation() + " kernels"};
        }
    }
}
