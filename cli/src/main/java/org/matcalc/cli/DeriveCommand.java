package org.matcalc.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;


import org.matcalc.expr.MatcalcException;
import org.matcalc.protocol.Deadline;
import org.matcalc.protocol.DeriveProtocol;
import org.matcalc.protocol.Differentiation;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(mixinStandardHelpOptions = true, usageHelpWidth = 80,
        name = "derive",
        description = {"Differentiate: a gradient, Jacobian or Hessian as a formula.", ""},
        footerHeading = "%nExamples:%n",
        footer = {
            "  matcalc derive \"x'*A*x\" --wrt x",
            "  matcalc derive \"tr(X'*A*X)\" --wrt X --layout numerator",
            "  matcalc derive \"norm2(X*w - y)^2\" --wrt w --order 2",
            "  matcalc derive \"logdet(S) + tr(inv(S)*C)\" --wrt S \\",
            "      --decl \"S: spd(n); C: symmetric(n)\" --steps",
            "  matcalc derive \"-y'*log(softmax(W*x))\" --wrt W --check",
            "  matcalc derive \"softmax(Q*K'/sqrt(d), 2)*V\" --wrt Q,K,V",
            "  matcalc derive --json < request.json      (one request: docs/json-protocol.md)",
            "  matcalc derive --jsonl < requests.jsonl   (one request, one answer per line)",
            "",
            "Layouts: mixed (default): gradients shaped like the variable, Jacobians",
            "rows = outputs; numerator: df/dx is a row; denominator: df/dx is a column.",
            "Declarations: scalar, vector(n), rowvector(n), matrix(n,m), symmetric(n),",
            "spd(n), diagonal(n), orthogonal(n), simplex(n). Undeclared names: a-g",
            "scalars, h-z vectors, A-Z matrices, or the kind their use requires.",
            "See docs/language.md and docs/json-protocol.md."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:the derivative (and, with --check, it agreed)", "1:--check found a disagreement",
            "2:the input was refused: the message says where and why"})
final class DeriveCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "EXPR", description = "the expression, e.g. \"x'*A*x\"")
    String expression;

    @Option(names = "--wrt", paramLabel = "VAR", description = "the variable to differentiate by; several as W1,W2")
    String wrt;

    @Option(names = "--order", paramLabel = "N", description = "1 (gradient/Jacobian) or 2 (Hessian); 0 evaluates (default: ${DEFAULT-VALUE})")
    int order = 1;

    @Option(names = "--layout", paramLabel = "L", description = "mixed, numerator or denominator (default: ${DEFAULT-VALUE})")
    String layout = "mixed";

    @Option(names = "--decl", paramLabel = "DECL", description = "a declaration such as \"X: matrix(n,m)\" (repeatable; ';' separates several)")
    List<String> decls = new ArrayList<>();

    @Option(names = "--at", paramLabel = "NAME=VALUE", description = "evaluate the result here (repeatable); values as in 'matcalc eval'")
    List<String> at = new ArrayList<>();

    @Option(names = "--latex", description = "also print the result as LaTeX")
    boolean latex;

    @Option(names = "--steps", description = "show the derivation: differential, trace trick, result")
    boolean steps;

    @Option(names = "--check", description = "check the derivative against central finite differences and automatic differentiation, at random inputs that respect the declarations")
    boolean check;

    @Option(names = "--json", description = "read one JSON request on standard input, write one JSON answer (CONTRACT.md)")
    boolean json;

    @Option(names = "--jsonl", description = "read one JSON request per line, write one answer per line")
    boolean jsonl;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "time limit per request (default: ${DEFAULT-VALUE})")
    double timeout = Deadline.DEFAULT_SECONDS;

    static DeriveProtocol protocol() {
        return new DeriveProtocol(new Differentiation());
    }

    @Override
    public Integer call() throws IOException {
        Main.Io io = Main.Io.get();
        if (json || jsonl) {
            BufferedReader in = new BufferedReader(new InputStreamReader(io.in, StandardCharsets.UTF_8));
            if (json) {
                DeriveProtocol.Answer a = answer(in.lines().collect(Collectors.joining("\n")));
                io.out.println(a.text());
                return a.refused() ? 2 : 0;
            }
            boolean anyRefused = false;
            String line;
            // Lines are independent: up to cores + 1 are computed at once, on reused big-stack
            // threads, and answered in their order, each within its time limit from its start.
            int inFlight = Runtime.getRuntime().availableProcessors() + 1;
            org.matcalc.numeric.Blas.shareCores(inFlight - 1);
            ExecutorService workers = Executors.newCachedThreadPool(Deadline.bigStackThreads("matcalc-work"));
            ArrayDeque<Deadline.Pending<DeriveProtocol.Answer>> pending = new ArrayDeque<>();
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                String request = line;
                pending.add(Deadline.start(timeout, () -> protocol().handle(request), workers));
                if (pending.size() >= inFlight) {
                    anyRefused |= write(io, pending.poll());
                }
            }
            while (!pending.isEmpty()) {
                anyRefused |= write(io, pending.poll());
            }
            return anyRefused ? 2 : 0;
        }
        if (expression == null) {
            io.err.println("error: give an expression, e.g. matcalc derive \"x'*A*x\" --wrt x (or --json to read a request)");
            return 2;
        }
        try {
            return People.derive(this, io);
        } catch (MatcalcException e) {
            io.err.println(e.render(expression));
            return 2;
        }
    }

    private DeriveProtocol.Answer answer(String request) {
        try {
            return Deadline.run(timeout, () -> protocol().handle(request));
        } catch (MatcalcException e) {
            return DeriveProtocol.refusal(e);
        }
    }

    /** Prints the answer of one line of a stream; whether it was a refusal. */
    private static boolean write(Main.Io io, Deadline.Pending<DeriveProtocol.Answer> p) {
        DeriveProtocol.Answer a;
        try {
            a = p.await();
        } catch (MatcalcException e) {
            a = DeriveProtocol.refusal(e);
        }
        io.out.println(a.text());
        io.out.flush();
        return a.refused();
    }
}
