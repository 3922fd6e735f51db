package org.matcalc.cli;

import java.io.InputStream;
import java.io.PrintStream;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code matcalc} command and its subcommands. Each request runs under {@link Deadline}: on
 * a thread with a large stack (so that the documented depth limits, not the JVM's stack, decide
 * what is refused) and within a time limit.
 */
@Command(name = "matcalc",
        mixinStandardHelpOptions = true,
        usageHelpWidth = 80,
        versionProvider = Main.Version.class,
        description = {"Matrix calculus for the JVM: exact derivatives of expressions in scalars,",
            "vectors and matrices, as compact matrix formulas, evaluated and checked.", ""},
        subcommands = {DeriveCommand.class, CodegenCommand.class, EvalCommand.class, ExampleCommand.class, MinimizeCommand.class, ServeCommand.class,
            CommandLine.HelpCommand.class, AutoComplete.GenerateCompletion.class},
        footerHeading = "%nExamples:%n",
        footer = {
            "  matcalc derive \"x'*A*x\" --wrt x",
            "  matcalc derive \"logdet(S) + tr(inv(S)*C)\" --wrt S --decl \"S: spd(n)\" \\",
            "      --steps",
            "  matcalc derive \"softmax(Q*K'/sqrt(d), 2)*V\" --wrt V --check",
            "  matcalc codegen \"sum(softplus(-y .* (X*w)))\" --wrt w > logistic.py",
            "  matcalc eval \"norm2(A*x - y)^2\" --at A=[[1,2],[3,4]] --at x=[1,1] \\",
            "      --at y=[0,1]",
            "  echo '{\"expression\": \"x'\"'\"'*y\", \"order\": 0,",
            "        \"at\": {\"x\": [1,2], \"y\": [3,4]}}' | matcalc derive --json",
            "  matcalc example babylonian",
            "  matcalc minimize \"norm2(X*w - y)^2 + 0.1*norm2(w)^2\" --wrt w \\",
            "      --data X=examples/data/X.csv --data y=examples/data/y.csv",
            "  matcalc serve --port 8080      (the web page and the HTTP API)",
            "  source <(matcalc generate-completion)      (tab completion in bash or zsh)",
            "",
            "The language: docs/language.md. The JSON protocol: docs/json-protocol.md.",
            "HTTP: docs/http-api.md."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:success", "1:a check failed (derive --check), or minimize stopped short",
            "2:the input was refused, or no command was given: the message says where and why"})
public final class Main implements java.util.concurrent.Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** No command: the usage on standard error, and the status of a refusal. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    public static void main(String[] args) {
        int code = run(args, System.in, System.out, System.err);
        System.out.flush();
        System.exit(code);
    }

    /** Runs the command in-process (tests use this); returns the exit status. */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        Io.set(in, out, err);
        // large data files (--at X=@big.csv, --data) say how far their reading has got
        org.matcalc.protocol.Progress.reportTo(err::println);
        CommandLine cl = new CommandLine(new Main());
        // An expression may start with '-', as in "-y'*log(softmax(W*x))".
        cl.setUnmatchedOptionsArePositionalParams(true);
        java.io.PrintWriter outWriter = new java.io.PrintWriter(out, true);
        java.io.PrintWriter errWriter = new java.io.PrintWriter(err, true);
        cl.setOut(outWriter);
        cl.setErr(errWriter);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            err.println("error: internal error: " + ex + " (please report this with the command that caused it)");
            return 2;
        });
        int code = cl.execute(args);
        outWriter.flush();
        errWriter.flush();
        return code;
    }

    /** The command's streams, set per run so that tests can capture them. */
    static final class Io {
        private static final ThreadLocal<Io> CURRENT = new ThreadLocal<>();
        final InputStream in;
        final PrintStream out;
        final PrintStream err;

        private Io(InputStream in, PrintStream out, PrintStream err) {
            this.in = in;
            this.out = out;
            this.err = err;
        }

        static void set(InputStream in, PrintStream out, PrintStream err) {
            CURRENT.set(new Io(in, out, err));
        }

        static Io get() {
            Io io = CURRENT.get();
            return io != null ? io : new Io(System.in, System.out, System.err);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"matcalc " + (v == null ? "0.1.0-SNAPSHOT" : v),
                    "large matrices: " + org.matcalc.numeric.Blas.status(),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }
}
