package org.matcalc.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.matcalc.examples.Example;
import org.matcalc.examples.Examples;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(mixinStandardHelpOptions = true, usageHelpWidth = 80,
        name = "example",
        description = {"List the runnable examples, or run one (it prints what it checks).", ""},
        footerHeading = "%nExamples:%n",
        footer = {"  matcalc example", "  matcalc example babylonian", "  matcalc example fd-error --out plots/"},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:the example ran and its checks held", "2:no such example, or its output cannot be written"})
final class ExampleCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "the example to run; omit to list them")
    String name;

    @Option(names = "--out", paramLabel = "DIR", description = "where examples write files such as plots (default: ${DEFAULT-VALUE})")
    Path out = Path.of("matcalc-output");

    @Override
    public Integer call() throws Exception {
        Main.Io io = Main.Io.get();
        if (name == null) {
            io.out.println("Examples (run one with: matcalc example NAME):");
            for (Example e : Examples.all()) {
                io.out.printf("  %-22s %s%n", e.name(), e.summary());
            }
            return 0;
        }
        Optional<Example> e = Examples.byName(name);
        if (e.isEmpty()) {
            io.err.println("error: no example named '" + name + "'; run 'matcalc example' to list them");
            return 2;
        }
        Files.createDirectories(out);
        boolean ok = e.get().run(io.out, out);
        io.out.println(ok ? "all checks passed" : "SOME CHECKS FAILED");
        return ok ? 0 : 1;
    }
}
