package org.matcalc.simplify;

import org.matcalc.expr.Declarations;
import org.matcalc.expr.Expr;

/** Placeholder on the diff branch until the real simplifier is merged: returns its input. */
public final class Simplifier {
    private Simplifier() {
    }

    public static Expr simplify(Expr e, Declarations decls) {
        return e;
    }
}
