package org.matcalc.ad;

import java.util.Random;

import org.matcalc.expr.ScalarFunction;

/** Test inputs inside an element-wise function's domain and away from its kinks (the table's {@link ScalarFunction.Domain}). */
final class Domains {
    private Domains() {
    }

    static double sample(ScalarFunction f, Random rnd) {
        double u = rnd.nextDouble();
        return switch (f.domain()) {
            case ANY -> -3 + 6 * u;
            case POSITIVE -> 0.2 + 3 * u;
            case OPEN_UNIT -> -0.9 + 1.8 * u;
            case NEAR_ZERO -> -1.2 + 2.4 * u;
            case AWAY_FROM_ZERO -> (rnd.nextBoolean() ? 1 : -1) * (0.2 + 2 * u);
        };
    }
}
