package org.matcalc.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.matcalc.codegen.Codegen;
import org.matcalc.codegen.Language;
import org.matcalc.expr.Declarations;
import org.matcalc.expr.Elaboration;
import org.matcalc.expr.MatcalcException;
import org.matcalc.expr.Parsed;
import org.matcalc.expr.Parser;
import org.matcalc.expr.Typer;
import org.matcalc.protocol.Deadline;
import org.matcalc.protocol.Differentiation;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(mixinStandardHelpOptions = true, usageHelpWidth = 80,
        name = "codegen",
        description = {"Write NumPy, PyTorch or Java code for an expression and its derivative.",
            "The function returns the value and the derivative together (f_and_g;",
            "f_g_h with --order 2), one argument per",
            "variable, in the shapes and layout of derive --json's values, and the file",
            "checks itself by finite differences when run.", ""},
        footerHeading = "%nExamples:%n",
        footer = {
            "  matcalc codegen \"sum(softplus(-y .* (X*w)))\" --wrt w > logistic.py",
            "  python3 logistic.py                     (runs its self-check)",
            "  matcalc codegen \"norm2(X*w - y)^2\" --wrt w --order 2 --lang torch \\",
            "      --out lsq.py",
            "  matcalc codegen \"logdet(S) + tr(inv(S)*C)\" --wrt S \\",
            "      --decl \"S: spd(n); C: symmetric(n)\" --lang java \\",
            "      --class GaussianLoss --package org.example --out GaussianLoss.java",
            "  matcalc codegen \"X'*X*w\" --lang numpy     (no --wrt: the value only)",
            "",
            "Products are ordered for the sizes of --size (default 100 each); the code",
            "runs at every size. Languages: numpy (SciPy only for expm), torch (float64",
            "tensors on any device, check_autograd too), java (needs matcalc's numeric",
            "module; main exits 1 if the check fails). See docs/codegen.md."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:the code was written", "2:the input was refused: the message says where and why"})
final class CodegenCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "EXPR", description = "the expression, e.g. \"x'*A*x\"")
    String expression;

    @Option(names = "--wrt", paramLabel = "VAR", description = "the variable to differentiate by (none: code for the value only)")
    String wrt;

    @Option(names = "--order", paramLabel = "N", description = "1 (gradient/Jacobian) or 2 (gradient and Hessian) (default: 1 with --wrt)")
    Integer order;

    @Option(names = "--layout", paramLabel = "L", description = "mixed, numerator or denominator (default: ${DEFAULT-VALUE})")
    String layout = "mixed";

    @Option(names = "--lang", paramLabel = "LANG", description = "numpy, torch or java (default: ${DEFAULT-VALUE})")
    String lang = "numpy";

    @Option(names = "--decl", paramLabel = "DECL", description = "a declaration such as \"X: matrix(n,m)\" (repeatable; ';' separates several)")
    List<String> decls = new ArrayList<>();

    @Option(names = "--size", paramLabel = "NAME=N", description = "a size to order products for, e.g. n=10000 (repeatable)")
    List<String> sizes = new ArrayList<>();

    @Option(names = "--class", paramLabel = "NAME", description = "the Java class (default: ${DEFAULT-VALUE})")
    String className = "Generated";

    @Option(names = "--package", paramLabel = "P", description = "the Java package (default: none)")
    String packageName;

    @Option(names = "--out", paramLabel = "FILE", description = "write the code here instead of standard output")
    Path out;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "time limit (default: ${DEFAULT-VALUE})")
    double timeout = Deadline.DEFAULT_SECONDS;

    @Override
    public Integer call() {
        Main.Io io = Main.Io.get();
        String code;
        try {
            Language language = Language.of(lang);
            Elaboration.Elaborated elaborated = Elaboration.of(Parser.parse(expression),
                    Declarations.fromLines(String.join("\n", decls)));
            Parsed parsed = elaborated.parsed();
            Declarations d = elaborated.decls();
            Typer.check(parsed, d);
            elaborated.notes().forEach(n -> io.err.println("note: " + n));
            int n = order != null ? order : wrt == null ? 0 : 1;
            if (n > 0 && wrt == null) {
                throw new MatcalcException(MatcalcException.Kind.REQUEST, "--order " + n + " needs --wrt, the variable to differentiate by");
            }
            Codegen.Options options = new Codegen.Options(className, packageName, planSizes());
            code = Deadline.run(timeout, () -> Codegen.generate(parsed.expr(), d, wrt, n, Differentiation.layout(layoutName()), language, options));
        } catch (MatcalcException e) {
            io.err.println(e.render(expression));
            return 2;
        }
        if (out == null) {
            io.out.print(code);
            return 0;
        }
        try {
            Path dir = out.toAbsolutePath().getParent();
            if (dir != null && !Files.isDirectory(dir)) {
                io.err.println("error: cannot write " + out + ": " + dir + " is not a directory");
                return 2;
            }
            if (Files.isDirectory(out)) {
                io.err.println("error: cannot write " + out + ": it is a directory; give a file name such as "
                        + out.resolve(Codegen.fileName(Language.of(lang), new Codegen.Options(className, packageName, Map.of()))));
                return 2;
            }
            Path tmp = Files.createTempFile(dir == null ? Path.of(".") : dir, ".matcalc-", ".tmp");
            Files.writeString(tmp, code);
            Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            io.err.println("error: cannot write " + out + ": " + e.getMessage());
            return 2;
        }
        io.err.println("wrote " + out);
        return 0;
    }

    private String layoutName() {
        String l = layout.toLowerCase(java.util.Locale.ROOT);
        if (!List.of("mixed", "numerator", "denominator").contains(l)) {
            throw new MatcalcException(MatcalcException.Kind.REQUEST, "unknown layout \"" + layout + "\"; expected mixed, numerator or denominator");
        }
        return l;
    }

    private Map<String, Integer> planSizes() {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (String s : sizes) {
            for (String part : s.split(",")) {
                String[] kv = part.trim().split("=", 2);
                if (kv.length != 2 || !kv[0].trim().matches("[A-Za-z_][A-Za-z0-9_]*") || !kv[1].trim().matches("[0-9]{1,9}")) {
                    throw new MatcalcException(MatcalcException.Kind.REQUEST, "--size " + part + ": expected NAME=N, such as n=1000");
                }
                m.put(kv[0].trim(), Integer.parseInt(kv[1].trim()));
            }
        }
        return m;
    }
}
