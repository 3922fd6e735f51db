package org.matcalc.numeric.ad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.matcalc.numeric.fd.FiniteDifferences;
import org.matcalc.numeric.fd.FiniteDifferences.Scheme;

/** The shared table of scalar derivatives, row by row (DiffRules.jl's tests). */
class ScalarFunctionTest {
    @TestFactory
    Stream<DynamicTest> everyRow() {
        return Stream.of(ScalarFunction.values()).map(fn -> DynamicTest.dynamicTest(fn.symbol(), () -> {
            long seed = 7 + fn.ordinal();
            Random r = new Random(seed);
            for (int i = 0; i < 20; i++) {
                double x = fn.sample(r.nextDouble());
                String at = fn.symbol() + " at " + x + " (seed " + seed + ")";
                double fdDf = FiniteDifferences.derivative(fn::f, x, Scheme.RICHARDSON);
                assertEquals(fdDf, fn.df(x), 1e-8 * Math.max(1, Math.abs(fdDf)), at + ": f' against f");
                double fdD2f = FiniteDifferences.derivative(fn::df, x, Scheme.RICHARDSON);
                assertEquals(fdD2f, fn.d2f(x), 1e-7 * Math.max(1, Math.abs(fdD2f)), at + ": f'' against f'");
                assertEquals(fn.df(x), fn.df(new Real(x)).real(), 1e-14 * Math.max(1, Math.abs(fn.df(x))),
                        at + ": generic f' on Real against f'");
                assertEquals(fn.df(x), fn.dfFromOutput(x, fn.f(x)), 1e-14 * Math.max(1, Math.abs(fn.df(x))),
                        at + ": f' from the output");
                Dual d = fn.df(Dual.variable(x));
                assertEquals(fn.d2f(x), d.derivative(), 1e-12 * Math.max(1, Math.abs(fn.d2f(x))),
                        at + ": generic f' on a dual differentiates to f''");
            }
            assertSame(fn, ScalarFunction.bySymbol(fn.symbol()));
        }));
    }
}
