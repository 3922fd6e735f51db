package org.matcalc.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.matcalc.expr.MatcalcException;
import org.matcalc.expr.TextPrinter;
import org.matcalc.expr.Typer;
import org.matcalc.numeric.Evaluator;
import org.matcalc.numeric.Mat;
import org.matcalc.protocol.Deadline;
import org.matcalc.protocol.DeriveProtocol;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(mixinStandardHelpOptions = true, usageHelpWidth = 80,
        name = "eval",
        description = {"Evaluate an expression at given values.", ""},
        footerHeading = "%nExamples:%n",
        footer = {
            "  matcalc eval \"x'*A*x\" --at x=[1,2] --at A=[[2,0],[0,3]]",
            "      x'*A*x = 14",
            "  matcalc eval \"softmax(x)\" --at x=[1000,1000,0]",
            "  matcalc eval \"logdet(S)\" --decl \"S: spd(3)\" --at S=@examples/data/C.csv",
            "  matcalc eval \"eye(n) + matrix(2)\" --at n=2",
            "",
            "Values are JSON: a number, a list (a column vector) or a list of rows (a",
            "matrix); or @file.csv (one row per line), @file.npy (NumPy float64 or",
            "float32) or @file.mtx (Matrix Market). NAME=integer also sets a size",
            "symbol such as n."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:the value", "2:the input was refused: the message says where and why"})
final class EvalCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "EXPR", description = "the expression, e.g. \"norm2(A*x - y)^2\"")
    String expression;

    @Option(names = "--at", paramLabel = "NAME=VALUE", description = "a value for a variable or a size (repeatable)")
    List<String> at = new ArrayList<>();

    @Option(names = "--decl", paramLabel = "DECL", description = "a declaration such as \"X: matrix(n,m)\" or \"S: spd(n)\" (repeatable; ';' separates several)")
    List<String> decls = new ArrayList<>();

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "time limit (default: ${DEFAULT-VALUE})")
    double timeout = Deadline.DEFAULT_SECONDS;

    @Override
    public Integer call() {
        Main.Io io = Main.Io.get();
        try {
            Mat v = Deadline.run(timeout, () -> {
                ObjectNode req = Requests.build(expression, decls, at, null, 0, "mixed");
                DeriveProtocol.Request r = DeriveProtocol.read(req);
                Typer.check(r.parsed(), r.decls());
                return Evaluator.evaluate(r.parsed(), r.decls(), r.values(), r.sizes());
            });
            String text = TextPrinter.print(org.matcalc.expr.Expr.parse(expression));
            io.out.println(text + (v.isScalar() ? " = " : " =") + Format.value(v, "  "));
            return 0;
        } catch (MatcalcException e) {
            io.err.println(e.render(expression));
            return 2;
        }
    }
}
