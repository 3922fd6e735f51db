package org.matcalc.diff;

import org.matcalc.expr.Declarations;
import org.matcalc.expr.Expr;
import org.matcalc.expr.Shape;

/**
 * One answer of {@link Derivatives}: the derivative as an expression of the language (it
 * prints with TextPrinter and parses back), its shape, the layout it is in, what it is in
 * words, the convention used for a structured variable (null if none), the declarations it
 * is to be read with (the given ones plus any size symbols the engine named), and the steps.
 */
public record Derivative(Expr expr, Shape shape, Layout layout, String description, String convention,
                         Declarations declarations, Derivation derivation) {
}
