package org.matcalc.expr;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The size of one dimension: an integer, a symbol such as {@code n}, a product such as
 * {@code n*m} (the length of {@code vec(X)}), or, only while shapes are being inferred, an
 * unknown to be solved for.
 */
public sealed interface Size permits Size.Fixed, Size.Sym, Size.Prod, Size.Unknown {

    Fixed ONE = new Fixed(1);

    record Fixed(int value) implements Size {
        public Fixed {
            if (value < 0) {
                throw new IllegalArgumentException("negative size " + value);
            }
        }

        @Override
        public String toString() {
            return Integer.toString(value);
        }
    }

    record Sym(String name) implements Size {
        @Override
        public String toString() {
            return name;
        }
    }

    /** A product of at least two factors, none of them Fixed(1) and at most one Fixed, which comes first. */
    record Prod(List<Size> factors) implements Size {
        public Prod {
            factors = List.copyOf(factors);
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            for (Size f : factors) {
                if (sb.length() > 0) {
                    sb.append('*');
                }
                sb.append(f);
            }
            return sb.toString();
        }
    }

    /** A size still to be inferred; never appears in a finished tree. */
    record Unknown(int id) implements Size {
        @Override
        public String toString() {
            return "?";
        }
    }

    static Size of(int value) {
        return value == 1 ? ONE : new Fixed(value);
    }

    static Size sym(String name) {
        return new Sym(name);
    }

    /** The normalised product a*b: fixed factors multiplied out, the rest in a stable order. */
    static Size times(Size a, Size b) {
        long fixed = 1;
        List<Size> rest = new ArrayList<>();
        for (Size s : List.of(a, b)) {
            for (Size f : s instanceof Prod p ? p.factors() : List.of(s)) {
                if (f instanceof Fixed x) {
                    fixed *= x.value();
                } else {
                    rest.add(f);
                }
            }
        }
        if (fixed > Integer.MAX_VALUE) {
            // refused where the product is formed (kron, vec, commutation of large sizes), before any allocation
            throw new MatcalcException(MatcalcException.Kind.LIMIT, "a size of " + a + "*" + b + " = " + fixed
                    + " (a product of sizes, as kron, vec and commutation form) is larger than any matrix can be; the limit on"
                    + " the entries of one matrix is " + Limits.MAX_ENTRIES);
        }
        if (rest.isEmpty() || fixed == 0) {
            return of((int) fixed);
        }
        rest.sort(Comparator.comparing(Size::toString));
        if (fixed != 1) {
            rest.add(0, new Fixed((int) fixed));
        }
        return rest.size() == 1 ? rest.get(0) : new Prod(rest);
    }

    default boolean isOne() {
        return this instanceof Fixed f && f.value() == 1;
    }
}
