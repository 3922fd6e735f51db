package org.matcalc.ad;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.matcalc.expr.ScalarFunction;
import org.matcalc.numeric.fd.FiniteDifferences;
import org.matcalc.numeric.fd.FiniteDifferences.Scheme;
import org.matcalc.numeric.Dual;
import org.matcalc.numeric.ScalarRules;

/**
 * What AD reads from the one table of element-wise functions, row by row (DiffRules.jl's
 * tests): f' against Richardson differences of f, the derived f'' against differences of f',
 * and the generic f' on Real, Dual and nested duals against the double one.
 */
class ScalarRulesTest {
    @TestFactory
    Stream<DynamicTest> everyRow() {
        return Stream.of(ScalarFunction.values()).map(fn -> DynamicTest.dynamicTest(fn.languageName(), () -> {
            long seed = 7 + fn.ordinal();
            Random r = new Random(seed);
            for (int i = 0; i < 20; i++) {
                double x = Domains.sample(fn, r);
                String at = fn.languageName() + " at " + x + " (seed " + seed + ")";
                double df = fn.derivative(x);
                double d2f = ScalarRules.secondDerivative(fn, x);
                double fdDf = FiniteDifferences.derivative(fn::apply, x, Scheme.RICHARDSON);
                assertEquals(fdDf, df, 1e-8 * Math.max(1, Math.abs(fdDf)), at + ": f' against f");
                double fdD2f = FiniteDifferences.derivative(fn::derivative, x, Scheme.RICHARDSON);
                assertEquals(fdD2f, d2f, 1e-7 * Math.max(1, Math.abs(fdD2f)), at + ": f'' against f'");
                assertEquals(df, ScalarRules.derivative(fn, new Real(x)).real(), 1e-13 * Math.max(1, Math.abs(df)),
                        at + ": generic f' on Real against f'");
                Dual d = ScalarRules.derivative(fn, Dual.variable(x));
                assertEquals(d2f, d.derivative(), 0, at + ": generic f' on a dual differentiates to f''");
                NDual<Dual> nd = new NDual<>(Dual.variable(x), new Dual(1, 0)).apply(fn);
                assertEquals(d2f, nd.derivative().derivative(), 1e-12 * Math.max(1, Math.abs(d2f)), at + ": nested duals give f''");
            }
        }));
    }
}
