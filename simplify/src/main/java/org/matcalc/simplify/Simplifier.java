package org.matcalc.simplify;

import org.matcalc.expr.Declarations;
import org.matcalc.expr.Expr;
import org.matcalc.expr.TreeDepth;
import org.matcalc.expr.Typer;
import org.matcalc.expr.Typing;

/**
 * Rewrites an expression to a canonical, compact form that a careful person would write:
 * sums and products flattened, constants folded, identities and zeros removed, transposes
 * pushed onto factors (and dropped on scalars and symmetric matrices), like terms collected
 * and common factors taken out ({@code A'*X + A*X} becomes {@code (A + A')*X}).
 *
 * <p>The result is equal in value to the input wherever the input is defined, parses back, and
 * never prints longer than the input. Work is linear in the number of distinct subtrees, up to
 * the (small) cost of collecting the terms of each sum. See {@link Rewriter} for the rules.
 */
public final class Simplifier {
    private Simplifier() {
    }

    /** A canonical, compact form equal in value to e (for every value of its variables consistent with decls). */
    public static Expr simplify(Expr e, Declarations decls) {
        TreeDepth.require(e);
        Typing typing = Typer.check(e, decls);
        return new Rewriter(new Store(typing)).simplify(e);
    }
}
