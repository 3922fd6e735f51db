package org.matcalc.diff;

import org.matcalc.expr.Expr;
import org.matcalc.expr.LatexPrinter;
import org.matcalc.expr.TextPrinter;

/**
 * One move of a derivation, justified by {@code rule}, each an equation that holds for every
 * value of the variables and of the differential (DerivationStepsTest evaluates both sides):
 * <ul>
 *   <li>DIFFERENTIAL: {@code d(before) = after}, after linear in the differential;</li>
 *   <li>TRACE: {@code before = after}, both inner products tr(G'*L) of the differential;</li>
 *   <li>RESULT: {@code d/dX = after}, read off the linear form {@code before}
 *       ({@code before = tr(after'*dX)}, or {@code vec(before) = after*vec(dX)});</li>
 *   <li>CONVENTION: {@code d/dX = before = after}, a convention's definition (before) and its
 *       value (after);</li>
 *   <li>SIMPLIFY: {@code before = after}, an identity the simplifier used.</li>
 * </ul>
 */
public record Step(Kind kind, String rule, Expr before, Expr after, String wrt) {

    public enum Kind {
        /** d(expr) = linear expression, by a differential rule. */
        DIFFERENTIAL,
        /** A move of the trace trick (cyclic permutation, transpose, Hadamard swap, collecting terms...). */
        TRACE,
        /** The result read off df = tr(G' dX), or a Jacobian read off vec(dF) = J vec(dX). */
        RESULT,
        /** Projection onto a structured variable's space, or the layout's transpose. */
        CONVENTION,
        /** The result rewritten to a shorter equal form. */
        SIMPLIFY
    }

    Step(Kind kind, String rule, Expr before, Expr after) {
        this(kind, rule, before, after, null);
    }

    public String toText() {
        return switch (kind) {
            case DIFFERENTIAL -> "d(" + TextPrinter.print(before) + ") = " + TextPrinter.print(after) + "    [" + rule + "]";
            case RESULT -> "d/d" + wrt + " = " + TextPrinter.print(after) + "    [" + rule + "]";
            case CONVENTION -> "d/d" + wrt + " = " + TextPrinter.print(before)
                    + (before.equals(after) ? "" : " = " + TextPrinter.print(after)) + "    [" + rule + "]";
            default -> TextPrinter.print(before) + " = " + TextPrinter.print(after) + "    [" + rule + "]";
        };
    }

    public String toLatex() {
        String rhs = switch (kind) {
            case CONVENTION -> LatexPrinter.print(before) + (before.equals(after) ? "" : " = " + LatexPrinter.print(after));
            default -> LatexPrinter.print(after);
        };
        String lhs = switch (kind) {
            case DIFFERENTIAL -> "d\\left(" + LatexPrinter.print(before) + "\\right)";
            case RESULT, CONVENTION -> "\\frac{\\partial}{\\partial " + LatexPrinter.print(new Expr.Var(wrt)) + "}";
            default -> LatexPrinter.print(before);
        };
        return lhs + " &= " + rhs + " && \\text{" + textMode(rule) + "}";
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
