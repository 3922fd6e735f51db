package org.matcalc.bench;

import java.util.Map;
import java.util.Random;

import org.matcalc.expr.Declarations;
import org.matcalc.expr.Expr;
import org.matcalc.expr.MatcalcException;
import org.matcalc.expr.SourceMap;
import org.matcalc.numeric.Evaluator;
import org.matcalc.numeric.Mat;
import org.matcalc.numeric.Plan;

/**
 * The plan's structure rules against the same expression evaluated as written, in one JVM:
 * the logistic Hessian as the engine derives it, X'*diag(sigmoid(X*w).*sigmoid(-X*w))*X, and
 * the chain X'*X*w, for X of m = 10 n rows. Best of {@code reps} runs each, after one warm-up run;
 * one thread (EJML). Run:
 * {@code java -cp bench/target/benchmarks.jar org.matcalc.bench.StructuredPlanBench 100,300,1000 5}.
 */
public final class StructuredPlanBench {
    private static final String[] EXPRESSIONS = {"X'*diag(sigmoid(X*w).*sigmoid(-X*w))*X", "X'*X*w"};

    private StructuredPlanBench() {
    }

    public static void main(String[] args) {
        String[] sizes = (args.length > 0 ? args[0] : "100,300").split(",");
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        System.out.printf("%-42s %6s %7s %14s %14s %8s%n", "expression", "n", "m", "as written ms", "structured ms", "ratio");
        for (String e : EXPRESSIONS) {
            for (String size : sizes) {
                int n = Integer.parseInt(size.trim()), m = 10 * n;
                Random r = new Random(1);
                Map<String, Mat> v = Map.of("X", Mat.rowMajor(m, n, gaussian(r, m * n, 1)), "w", Mat.rowMajor(n, 1, gaussian(r, n, 0.1)));
                Expr f = Expr.parse(e);
                Plan structured = Evaluator.compile(f, Declarations.NONE, SourceMap.EMPTY, Evaluator.shapesOf(v), Map.of());
                double s = best(structured, v, reps);
                String plainText;
                String ratio;
                try {
                    Plan plain = Evaluator.compileAsWritten(f, Declarations.NONE, Evaluator.shapesOf(v), Map.of());
                    double p = best(plain, v, reps);
                    if (!plain.run(v).approxEquals(structured.run(v), 1e-9 * Math.max(1, plain.run(v).maxAbs()))) {
                        throw new AssertionError("the structured plan disagrees with the plain one on " + e);
                    }
                    plainText = String.format("%.2f", p);
                    ratio = String.format("%.3f", s / p);
                } catch (MatcalcException refused) {
                    plainText = "refused";   // an operand over the entry limit, e.g. a 10n x 10n diag
                    ratio = "-";
                }
                System.out.printf("%-42s %6d %7d %14s %14.2f %8s%n", e, n, m, plainText, s, ratio);
            }
        }
    }

    private static double best(Plan p, Map<String, Mat> v, int reps) {
        p.run(v);
        double best = Double.POSITIVE_INFINITY;
        for (int k = 0; k < reps; k++) {
            long t0 = System.nanoTime();
            p.run(v);
            best = Math.min(best, (System.nanoTime() - t0) / 1e6);
        }
        return best;
    }

    private static double[] gaussian(Random r, int count, double scale) {
        double[] d = new double[count];
        for (int i = 0; i < count; i++) {
            d[i] = scale * r.nextGaussian();
        }
        return d;
    }
}
