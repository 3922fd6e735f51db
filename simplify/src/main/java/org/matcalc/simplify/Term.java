package org.matcalc.simplify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.matcalc.expr.Expr;
import org.matcalc.expr.Shape;

/**
 * A product read as {@code coef * s1^k1 * s2^k2 * ... * F1*F2*...*Fm}: a number, scalar
 * factors with integer exponents (they commute with everything, so their order does not
 * matter), and a chain of non-commuting factors whose matrix product is valid. Scalar
 * factors are keyed by node id in a {@link Store}; chain factors are canonical nodes.
 * A zero product has {@code coef == 0}.
 */
record Term(double coef, Map<Integer, Integer> scalars, List<Expr> chain, Shape shape) {

    Term {
        scalars = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(scalars));
        chain = List.copyOf(chain);
    }

    static Term number(double v) {
        return new Term(v, Map.of(), List.of(), Shape.SCALAR);
    }

    static Term zero(Shape shape) {
        return new Term(0, Map.of(), List.of(), shape);
    }

    boolean isZero() {
        return coef == 0;
    }

    Term scale(double c) {
        return new Term(product(coef, c), scalars, chain, shape);
    }

    /**
     * a*b, or NaN (a coefficient no term can be written with) when the product of two nonzero
     * numbers underflows to zero or overflows: 1e-300*1e-300 is not 0, and a term with a NaN
     * coefficient is never built, so the input is kept as written.
     */
    static double product(double a, double b) {
        double p = a * b;
        return p == 0 && a != 0 && b != 0 || Double.isInfinite(p) && Double.isFinite(a) && Double.isFinite(b) ? Double.NaN : p;
    }

    /** a^k by the same rule as {@link #product}. */
    static double power(double a, int k) {
        double p = Math.pow(a, k);
        return p == 0 && a != 0 && k > 0 || Double.isInfinite(p) && Double.isFinite(a) && a != 0 ? Double.NaN : p;
    }

    Term withCoef(double c) {
        return new Term(c, scalars, chain, shape);
    }

    /** Equal monomials (up to the number) have equal keys; scalar factors compare as a multiset. */
    String monomialKey(Store store) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(scalars).forEach((id, k) -> sb.append(id).append('^').append(k).append(','));
        sb.append('|');
        for (Expr f : chain) {
            sb.append(store.id(f)).append(',');
        }
        return sb.toString();
    }

    static Map<Integer, Integer> mergeScalars(Map<Integer, Integer> a, Map<Integer, Integer> b) {
        Map<Integer, Integer> out = new LinkedHashMap<>(a);
        b.forEach((id, k) -> out.merge(id, k, Integer::sum));
        out.values().removeIf(k -> k == 0);
        return out;
    }

    static List<Expr> concat(List<Expr> a, List<Expr> b) {
        List<Expr> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
