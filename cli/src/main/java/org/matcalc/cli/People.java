package org.matcalc.cli;

import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.matcalc.diff.Derivative;
import org.matcalc.diff.Derivatives;
import org.matcalc.expr.Declarations;
import org.matcalc.expr.Elaboration;
import org.matcalc.expr.Expr;
import org.matcalc.expr.LatexPrinter;
import org.matcalc.expr.MatcalcException;
import org.matcalc.expr.Parsed;
import org.matcalc.expr.Parser;
import org.matcalc.expr.TextPrinter;
import org.matcalc.expr.Typer;
import org.matcalc.expr.Typing;
import org.matcalc.numeric.Evaluator;
import org.matcalc.numeric.Mat;
import org.matcalc.expr.Shared;
import org.matcalc.expr.Temporaries;
import org.matcalc.protocol.Deadline;
import org.matcalc.protocol.DeriveProtocol;
import org.matcalc.protocol.Differentiation;
import org.matcalc.check.Verify;

/** {@code matcalc derive} for people: the formula, what it is, and on request LaTeX, steps, value, check. */
final class People {
    private People() {
    }

    static int derive(DeriveCommand c, Main.Io io) {
        if (c.order == 0) {
            ObjectNode req = Requests.build(c.expression, c.decls, c.at, null, 0, c.layout);
            DeriveProtocol.Answer a = Deadline.run(c.timeout, () -> DeriveCommand.protocol().handle(req.toString()));
            if (a.refused()) {
                io.err.println("error: " + a.body().get("error").get("message").asText());
                return 2;
            }
            io.out.println(a.body().get("derivative").asText() + " = " + a.body().get("value"));
            return 0;
        }
        if (c.wrt == null) {
            throw new MatcalcException(MatcalcException.Kind.REQUEST, "say which variable to differentiate by: --wrt NAME");
        }
        Parsed written = Parser.parse(c.expression);
        Elaboration.Elaborated elaborated = Elaboration.of(written, Declarations.fromLines(String.join("\n", c.decls)));
        Parsed parsed = elaborated.parsed();
        Declarations decls = elaborated.decls();
        Typing typing = Typer.check(parsed, decls);
        String[] names = Declarations.wrtNames("--wrt", c.wrt).toArray(new String[0]);
        int worst = 0;
        for (int i = 0; i < names.length; i++) {
            if (i > 0) {
                io.out.println();
            }
            worst = Math.max(worst, deriveOne(c, io, names[i], written, elaborated, typing));
        }
        return worst;
    }

    /** One variable of {@code --wrt}: the formula and what was asked about it. */
    private static int deriveOne(DeriveCommand c, Main.Io io, String wrt, Parsed written, Elaboration.Elaborated elaborated,
                                 Typing typing) {
        Parsed parsed = elaborated.parsed();
        Declarations decls = elaborated.decls();
        Derivative d = Deadline.run(c.timeout, () -> Derivatives.derive(parsed.expr(), decls, wrt, c.order,
                Differentiation.layout(c.layout)));
        String what = c.order == 2 ? "d²/d" + wrt + "²" : "d/d" + wrt;
        String f = TextPrinter.print(written.expr());
        Shared shared = Temporaries.share(d.expr(), Set.copyOf(typing.variables().keySet()));
        io.out.println(what + " " + (f.length() > 40 ? "f" : "(" + f + ")") + " = " + shared.print());
        io.out.println("  " + d.description() + "  [layout: " + c.layout + ", shape " + d.shape().describe() + "]");
        if (d.convention() != null) {
            io.out.println("  convention: " + d.convention());
        }
        for (String note : elaborated.notes()) {
            io.out.println("  note: " + note);
        }
        if (c.latex) {
            io.out.println("LaTeX: " + LatexPrinter.print(d.expr()));
        }
        if (c.steps) {
            io.out.println();
            io.out.print(c.latex ? d.derivation().toLatex() : d.derivation().toText());
        }
        if (!c.at.isEmpty()) {
            ObjectNode req = Requests.build(c.expression, c.decls, c.at, wrt, c.order, c.layout);
            DeriveProtocol.Request r = DeriveProtocol.read(req);
            Differentiation.requireSized(d, wrt, r.values(), r.sizes());
            // the derivative's own declarations may name sizes (zeros(1, m)) that the given values fix
            Mat v = Evaluator.evaluate(d.expr(), d.declarations(), r.values(),
                    Verify.withDeclaredSizes(d.declarations(), r.values(), r.sizes()));
            io.out.println("value at the given point:" + (v.isScalar() ? " " : "") + Format.value(v, "  "));
        }
        if (c.check) {
            Verify.Result r = Deadline.run(c.timeout, () -> Verify.atRandom(parsed.expr(), decls, wrt, d, c.order, 1L));
            boolean ok = r.passed();
            io.out.println((ok ? "verified numerically: " : "CHECK FAILED: ") + r.describe());
            return ok ? 0 : 1;
        }
        return 0;
    }

}
