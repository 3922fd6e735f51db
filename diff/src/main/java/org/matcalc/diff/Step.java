package org.matcalc.diff;

import org.matcalc.expr.Expr;
import org.matcalc.expr.LatexPrinter;
import org.matcalc.expr.TextPrinter;

/**
 * One move of a derivation: {@code before = after}, justified by {@code rule}. For the
 * differential, {@code before} is the expression whose differential is taken; for the trace
 * trick, both sides are inner products of the form tr(G'*L).
 */
public record Step(Kind kind, String rule, Expr before, Expr after) {

    public enum Kind {
        /** d(expr) = linear expression, by a differential rule. */
        DIFFERENTIAL,
        /** A move of the trace trick (cyclic permutation, transpose, Hadamard swap...). */
        TRACE,
        /** The result read off df = tr(G' dX), or a Jacobian read off vec(dF) = J vec(dX). */
        RESULT,
        /** Projection onto a structured variable's space, or the layout's transpose. */
        CONVENTION
    }

    public String toText() {
        if (kind == Kind.RESULT && before instanceof Expr.Var v) {
            return "d/d" + v.name() + " = " + TextPrinter.print(after) + "    [" + rule + "]";
        }
        String lhs = kind == Kind.DIFFERENTIAL ? "d(" + TextPrinter.print(before) + ")" : TextPrinter.print(before);
        return lhs + " = " + TextPrinter.print(after) + "    [" + rule + "]";
    }

    public String toLatex() {
        if (kind == Kind.RESULT && before instanceof Expr.Var v) {
            return "\\frac{\\partial}{\\partial " + LatexPrinter.print(v) + "} &= " + LatexPrinter.print(after)
                    + " && \\text{" + textMode(rule) + "}";
        }
        String lhs = kind == Kind.DIFFERENTIAL ? "d\\left(" + LatexPrinter.print(before) + "\\right)" : LatexPrinter.print(before);
        return lhs + " &= " + LatexPrinter.print(after) + " && \\text{" + textMode(rule) + "}";
    }

    /** A rule's words inside \text{...}: LaTeX's special characters are escaped, so any rule renders. */
    static String textMode(String words) {
        StringBuilder b = new StringBuilder();
        for (char c : words.toCharArray()) {
            switch (c) {
                case '\\' -> b.append("\\textbackslash{}");
                case '^' -> b.append("\\textasciicircum{}");
                case '~' -> b.append("\\textasciitilde{}");
                case '_', '#', '%', '&', '$', '{', '}' -> b.append('\\').append(c);
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
