package org.matcalc.diff;

import java.util.IdentityHashMap;
import java.util.Map;

import org.matcalc.expr.Expr;
import org.matcalc.expr.Limits;
import org.matcalc.expr.MatcalcException;

/**
 * Pass 1 of DESIGN.md: rewrites d(f) into an expression linear in the differential variable
 * {@code dX}, one differential rule per primitive (registered by the family files in {@link Rules}). Results are shared
 * per node (by identity), so a subexpression used twice is differentiated once; a subtree
 * that does not contain the variable has differential Zero without being visited.
 */
final class Linearizer {
    final Ops ops;
    private final String wrt;
    private final Expr.Var dx;
    private final Derivation steps;
    private final Map<Expr, Expr> memo = new IdentityHashMap<>();
    private final Map<Expr, Boolean> depends = new IdentityHashMap<>();

    Linearizer(Ops ops, String wrt, Expr.Var dx, Derivation steps) {
        this.ops = ops;
        this.wrt = wrt;
        this.dx = dx;
        this.steps = steps;
    }

    /** The differential of e, linear in dX; {@code zeros(..)} when e does not depend on the variable. */
    Expr d(Expr e) {
        Expr r = memo.get(e);
        if (r == null) {
            Limits.checkInterrupted();
            r = dependsOnVariable(e) ? e.accept(rules) : Ops.zeros(ops.shape(e));
            memo.put(e, r);
        }
        return r;
    }

    boolean dependsOnVariable(Expr e) {
        Boolean b = depends.get(e);
        if (b == null) {
            b = e.accept(new Expr.Visitor<Boolean>() {
                public Boolean num(Expr.Num n) {
                    return false;
                }

                public Boolean var(Expr.Var v) {
                    return v.name().equals(wrt);
                }

                public Boolean neg(Expr.Neg n) {
                    return dependsOnVariable(n.arg());
                }

                public Boolean transpose(Expr.Transpose t) {
                    return dependsOnVariable(t.arg());
                }

                public Boolean binary(Expr.Binary x) {
                    return dependsOnVariable(x.left()) | dependsOnVariable(x.right());
                }

                public Boolean call(Expr.Call c) {
                    boolean any = false;
                    for (Expr a : c.args()) {
                        any |= dependsOnVariable(a);
                    }
                    return any;
                }

                public Boolean elementwise(Expr.Elementwise f) {
                    return dependsOnVariable(f.arg());
                }

                public Boolean identity(Expr.Identity i) {
                    return false;
                }

                public Boolean zeros(Expr.Zeros z) {
                    return false;
                }

                public Boolean fill(Expr.Fill f) {
                    return dependsOnVariable(f.value());
                }

                public Boolean commutation(Expr.Commutation c) {
                    return false;
                }
            });
            depends.put(e, b);
        }
        return b;
    }

    /** Records d(subject) = result under a rule's name and returns the result. */
    Expr step(String rule, Expr subject, Expr result) {
        if (!(subject instanceof Expr.Var)) {
            steps.add(new Step(Step.Kind.DIFFERENTIAL, rule, subject, result));
        }
        return result;
    }

    static MatcalcException notImplemented(String what) {
        return new MatcalcException(MatcalcException.Kind.UNSUPPORTED, "differential rule for " + what + " not implemented");
    }

    private final Expr.Visitor<Expr> rules = new Expr.Visitor<>() {
        public Expr num(Expr.Num n) {
            return Ops.zeros(ops.shape(n));
        }

        public Expr var(Expr.Var v) {
            return dx;
        }

        public Expr neg(Expr.Neg n) {
            return StructureRules.dNeg(Linearizer.this, n);
        }

        public Expr transpose(Expr.Transpose t) {
            return StructureRules.dTranspose(Linearizer.this, t);
        }

        public Expr binary(Expr.Binary b) {
            return Rules.differential(b.op()).d(Linearizer.this, b);
        }

        public Expr call(Expr.Call c) {
            return Rules.differential(c.fn()).d(Linearizer.this, c);
        }

        public Expr elementwise(Expr.Elementwise f) {
            return ElementwiseRules.dElementwise(Linearizer.this, f);
        }

        public Expr identity(Expr.Identity i) {
            return Ops.zeros(ops.shape(i));
        }

        public Expr zeros(Expr.Zeros z) {
            return z;
        }

        public Expr fill(Expr.Fill f) {
            return StructureRules.dFill(Linearizer.this, f);
        }

        public Expr commutation(Expr.Commutation c) {
            return Ops.zeros(ops.shape(c));
        }
    };
}
