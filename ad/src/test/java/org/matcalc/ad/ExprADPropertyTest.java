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
import org.matcalc.expr.ScalarFunction;
import org.matcalc.numeric.Mat;
import org.matcalc.numeric.RandomInputs;

/**
 * Seeded property test: random well-typed scalar expressions in X, Y (n x m), A (n x n),
 * B (m x m) and c (scalar), with domains kept valid by construction (log and sqrt of
 * {@code u .* u + matrix(1)} or of {@code exp(..)}, arcsin of {@code 0.5 * tanh(..)}, exp of
 * bounded arguments); for every variable the reverse gradient, the forward jvp and Richardson
 * differences agree. Run more seeds with {@code -Dmatcalc.seeds=N}.
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

    /** A random n x m expression of depth at most {@code d}. */
    static Expr matrix(Random r, int d) {
        if (d == 0 || r.nextInt(5) == 0) {
            return Expr.var(r.nextBoolean() ? "X" : "Y");
        }
        Expr a = matrix(r, d - 1);
        return switch (r.nextInt(12)) {
            case 0 -> Expr.add(a, matrix(r, d - 1));
            case 1 -> Expr.sub(a, matrix(r, d - 1));
            case 2 -> Expr.hadamard(a, matrix(r, d - 1));
            case 3 -> Expr.mul(Expr.var("A"), a);
            case 4 -> Expr.mul(a, Expr.var("B"));
            case 5 -> Expr.mul(Expr.var("c"), a);
            case 6 -> Expr.transpose(Expr.mul(Expr.var("B"), Expr.transpose(a)));
            case 7 -> Expr.hadamardDiv(a, positive(matrix(r, d - 1)));
            case 8 -> Expr.elemPow(Expr.apply(ScalarFunction.TANH, a), Expr.num(2));
            case 9 -> Expr.neg(a);
            default -> elementwise(r, a);
        };
    }

    /** u .* u + matrix(1): positive, so log, sqrt and division are safe. */
    private static Expr positive(Expr u) {
        return Expr.add(Expr.hadamard(u, u), Expr.parse("matrix(1)"));
    }

    /** An element-wise function of the table applied so that its argument is in its domain. */
    private static Expr elementwise(Random r, Expr a) {
        ScalarFunction[] all = ScalarFunction.values();
        ScalarFunction f = all[r.nextInt(all.length)];
        Expr bounded = Expr.apply(ScalarFunction.TANH, a);
        Expr arg = switch (f.domain()) {
            case POSITIVE -> r.nextBoolean() ? positive(a) : Expr.apply(ScalarFunction.EXP, bounded);
            case OPEN_UNIT -> Expr.mul(Expr.num(0.5), bounded);
            case NEAR_ZERO -> bounded;
            case AWAY_FROM_ZERO -> { // kinks at 0 stay far away, on either side
                Expr away = Expr.add(positive(a), Expr.parse("matrix(0.5)"));
                yield r.nextBoolean() ? away : Expr.neg(away);
            }
            case ANY -> f == ScalarFunction.EXP || f == ScalarFunction.SINH || f == ScalarFunction.COSH ? bounded : a;
        };
        return Expr.apply(f, arg);
    }

}
