package org.matcalc.ad;

import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.matcalc.expr.Builtin;
import org.matcalc.expr.Declarations;
import org.matcalc.expr.Expr;
import org.matcalc.expr.ExprGenerator;
import org.matcalc.expr.Shape;
import org.matcalc.expr.Size;
import org.matcalc.expr.TextPrinter;
import org.matcalc.expr.ScalarFunction;
import org.matcalc.numeric.Kinks;
import org.matcalc.numeric.Mat;
import org.matcalc.numeric.RandomInputs;

/**
 * Seeded property test: random well-typed scalar expressions in X, Y (n x m), A (n x n),
 * B (m x m) and c (scalar), from the one expression generator (every primitive's and
 * element-wise function's argument in its domain by construction); for every variable the
 * reverse gradient, the forward jvp and Richardson differences agree. Run more seeds with {@code -Dmatcalc.seeds=N}.
 */
class ExprADPropertyTest {
    private static final Declarations DECLS = Declarations.fromStrings(Map.of(
            "X", "matrix(n,m)", "Y", "matrix(n,m)", "A", "matrix(n,n)", "B", "matrix(m,m)", "c", "scalar"));
    private static final int SEEDS = Integer.getInteger("matcalc.seeds", 200);

    @TestFactory
    Stream<DynamicTest> reverseEqualsForwardEqualsFiniteDifferences() {
        return IntStream.range(0, SEEDS).mapToObj(seed -> {
            Expr f = scalar(new Random(seed));
            return DynamicTest.dynamicTest("seed " + seed, () -> {
                Random rnd = new Random(1000 + seed);
                Map<String, Mat> values = RandomInputs.sample(f, DECLS, Map.of(), rnd, RandomInputs.Style.SIGNED).values();
                for (int again = 0; again < 20 && Kinks.nearest(f, DECLS, values, Map.of()).distance() < 1e-2; again++) {
                    // finite differences would step across a kink of max, abs...: draw again
                    values = RandomInputs.sample(f, DECLS, Map.of(), rnd, RandomInputs.Style.SIGNED).values();
                }
                Agreement.expression("seed " + seed, f, DECLS, values, rnd, Agreement.Depth.FIRST);
            });
        });
    }

    /** A scalar reduction of a random n x m expression. */
    static Expr scalar(Random r) {
        Expr m = matrix(r, 3);
        return switch (r.nextInt(5)) {
            case 0 -> Expr.call(Builtin.SUM, m);
            case 1 -> Expr.call(Builtin.NORM2, Expr.add(m, Expr.parse("matrix(1)")));
            case 2 -> Expr.call(Builtin.LOGSUMEXP, m);
            case 3 -> Expr.call(Builtin.TR, Expr.mul(Expr.transpose(m), m));
            default -> Expr.call(Builtin.SUM, Expr.hadamard(m, Expr.var("Y")));
        };
    }

    /** A random n x m expression of depth at most {@code d}, defined at any inputs (expr's ExprGenerator over DECLS). */
    static Expr matrix(Random r, int d) {
        ExprGenerator g = new ExprGenerator(r, DECLS);
        Expr e;
        do { // a variable that fixes both n and m, so that every size has a value
            e = g.valid(new Shape(Size.sym("n"), Size.sym("m")), d);
        } while (!TextPrinter.print(e).matches("(?s).*\\b[XY]\\b.*"));
        return e;
    }
}
