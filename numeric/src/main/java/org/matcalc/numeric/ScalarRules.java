package org.matcalc.numeric;

import java.util.EnumMap;
import java.util.Map;

import org.matcalc.expr.Expr;
import org.matcalc.expr.ScalarFunction;

/**
 * What AD needs from the one table of element-wise functions, {@link ScalarFunction} (in
 * {@code expr}), beyond f and f' on doubles: f' on any {@link Num} (so that nested duals can
 * differentiate f again) and f'' on doubles (for forward-over-reverse). Both are derived from
 * the row's symbolic derivative, a template in {@code x} written in the language
 * ({@code "1 ./ cos(x).^2"}, {@code "sign(relu(x))"}), by a tiny interpreter on Num: f'' is
 * that template run on a {@link Dual}. There is no second table, so a new row works in every
 * mode at once; {@code ScalarRulesTest} walks the rows.
 */
public final class ScalarRules {
    private static final Map<ScalarFunction, Expr> TEMPLATES = new EnumMap<>(ScalarFunction.class);

    static {
        for (ScalarFunction f : ScalarFunction.values()) {
            TEMPLATES.put(f, f.symbolicDerivative(Expr.var("x")));
        }
    }

    private ScalarRules() {
    }

    /** f'(x) on any number type, by running the row's derivative template on x. */
    public static <T extends Num<T>> T derivative(ScalarFunction f, T x) {
        return TEMPLATES.get(f).accept(new Interpreter<>(x));
    }

    /** f''(x): the derivative template run on the dual number x + eps. */
    public static double secondDerivative(ScalarFunction f, double x) {
        return derivative(f, Dual.variable(x)).derivative();
    }

    /** Evaluates an element-wise template in x on a Num; anything else in a template is a table bug. */
    private static final class Interpreter<T extends Num<T>> implements Expr.Visitor<T> {
        private final T x;

        Interpreter(T x) {
            this.x = x;
        }

        public T num(Expr.Num e) {
            return x.constant(e.value());
        }

        public T var(Expr.Var e) {
            if (!e.name().equals("x")) {
                throw new IllegalStateException("derivative template uses " + e.name() + ", only x is bound");
            }
            return x;
        }

        public T neg(Expr.Neg e) {
            return e.arg().accept(this).negate();
        }

        public T transpose(Expr.Transpose e) {
            return e.arg().accept(this);
        }

        public T binary(Expr.Binary e) {
            T l = e.left().accept(this);
            if ((e.op() == org.matcalc.expr.BinaryOp.POW || e.op() == org.matcalc.expr.BinaryOp.ELEM_POW)
                    && e.right() instanceof Expr.Num p) {
                return l.pow(p.value());
            }
            T r = e.right().accept(this);
            return switch (e.op()) {
                case ADD -> l.plus(r);
                case SUB -> l.minus(r);
                case MUL, HADAMARD -> l.times(r);
                case DIV, HADAMARD_DIV -> l.div(r);
                case POW, ELEM_POW -> r.times(l.apply(ScalarFunction.LOG)).apply(ScalarFunction.EXP);
            };
        }

        public T elementwise(Expr.Elementwise e) {
            return e.arg().accept(this).apply(e.fn());
        }

        public T call(Expr.Call e) {
            throw notElementwise(e);
        }

        public T identity(Expr.Identity e) {
            throw notElementwise(e);
        }

        public T zeros(Expr.Zeros e) {
            throw notElementwise(e);
        }

        public T fill(Expr.Fill e) {
            throw notElementwise(e);
        }

        public T commutation(Expr.Commutation e) {
            throw notElementwise(e);
        }

        private static IllegalStateException notElementwise(Expr e) {
            return new IllegalStateException("derivative template is not element-wise: " + e);
        }
    }
}
