package org.matcalc.numeric;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;

import org.matcalc.expr.Builtin;
import org.matcalc.expr.Declarations;
import org.matcalc.expr.Expr;
import org.matcalc.expr.ScalarFunction;
import org.matcalc.expr.TextPrinter;
import org.matcalc.expr.TreeDepth;

/**
 * How far a point is from the kinks of an expression's non-smooth functions (docs/language.md,
 * "Non-smooth functions"): a derivative there holds by convention, and finite differences that
 * step across a kink measure something else. The checks draw their random inputs again when one
 * sits closer to a kink than their steps reach. Ties and zeros to rounding (1e-12 of the scale)
 * count as structure (the zeros of a diagonal matrix, the mirrored entries of a symmetric one),
 * not as kinks: directions in the variable's space keep them.
 */
public final class Kinks {
    private Kinks() {
    }

    /** The nearest kink: how far, and of which subexpression. */
    public record Nearest(double distance, String where) {
        public static final Nearest NONE = new Nearest(Double.POSITIVE_INFINITY, null);
    }

    /** The nearest kink of {@code f} at these values, over abs, sign, step, relu, norm1, max, min and the jumps of ismax, ismin. */
    public static Nearest nearest(Expr f, Declarations decls, Map<String, Mat> values, Map<String, Integer> sizes) {
        Nearest best = Nearest.NONE;
        ArrayDeque<Expr> todo = new ArrayDeque<>(List.of(f));
        java.util.Set<Expr> seen = new java.util.HashSet<>();
        while (!todo.isEmpty()) {
            Expr e = todo.pop();
            if (!seen.add(e)) {
                continue;
            }
            double d;
            try {
                d = distance(e, decls, values, sizes);
            } catch (RuntimeException notAlone) {
                d = Double.POSITIVE_INFINITY; // a part that cannot be evaluated alone (vector(1) sized by its context)
            }
            if (d < best.distance()) {
                best = new Nearest(d, TextPrinter.print(e));
            }
            todo.addAll(TreeDepth.children(e));
        }
        return best;
    }

    private static double distance(Expr e, Declarations decls, Map<String, Mat> values, Map<String, Integer> sizes) {
        if (e instanceof Expr.Elementwise f && (f.fn() == ScalarFunction.ABS || f.fn() == ScalarFunction.SIGN
                || f.fn() == ScalarFunction.STEP || f.fn() == ScalarFunction.RELU)) {
            return fromZero(eval(f.arg(), decls, values, sizes));
        }
        if (e instanceof Expr.Call c) {
            switch (c.fn()) {
                case NORM1:
                    return fromZero(eval(c.arg(), decls, values, sizes));
                case MAX:
                case MIN:
                case ISMAX:
                case ISMIN:
                    return gap(eval(c.arg(), decls, values, sizes), c.fn() == Builtin.MAX || c.fn() == Builtin.ISMAX);
                case MAXIMUM:
                case MINIMUM: {
                    Mat a = eval(c.args().get(0), decls, values, sizes), b = eval(c.args().get(1), decls, values, sizes);
                    double best = Double.POSITIVE_INFINITY;
                    double floor = Math.max(floor(a), floor(b));
                    for (int k = 0; k < Math.max(a.size(), b.size()); k++) {
                        double diff = Math.abs(a.at(a.isScalar() ? 0 : k) - b.at(b.isScalar() ? 0 : k));
                        if (diff > floor) {
                            best = Math.min(best, diff);
                        }
                    }
                    return best;
                }
                default:
                    return Double.POSITIVE_INFINITY;
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    private static Mat eval(Expr e, Declarations decls, Map<String, Mat> values, Map<String, Integer> sizes) {
        return Evaluator.evaluate(e, decls, values, sizes);
    }

    /** Below this, a difference is rounding: a structural tie or zero (the tie of ismax, Kernels.TIE). */
    private static double floor(Mat m) {
        return Kernels.TIE * Math.max(1, m.maxAbs());
    }

    /** The entry nearest zero, structural zeros aside. */
    private static double fromZero(Mat m) {
        double best = Double.POSITIVE_INFINITY;
        double floor = floor(m);
        for (int k = 0; k < m.size(); k++) {
            double v = Math.abs(m.at(k));
            if (v > floor) {
                best = Math.min(best, v);
            }
        }
        return best;
    }

    /** How far the runner-up is from the largest (smallest) entry, exact ties aside. */
    private static double gap(Mat m, boolean max) {
        double extreme = Kernels.extreme(m, max);
        double best = Double.POSITIVE_INFINITY;
        double floor = floor(m);
        for (int k = 0; k < m.size(); k++) {
            double d = Math.abs(m.at(k) - extreme);
            if (d > floor) {
                best = Math.min(best, d);
            }
        }
        return best;
    }
}
