package org.matcalc.ad;

import org.matcalc.expr.ScalarFunction;

import static org.matcalc.ad.Agreement.random;
import static org.matcalc.ad.Agreement.wellConditioned;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.matcalc.numeric.Mat;

/**
 * Every primitive of the tape, forward and reverse and forward-over-reverse, against central
 * differences on random non-square inputs (one row per primitive; Agreement.program does the checking).
 * Square-only primitives are wrapped in non-square products. Seeds are fixed and printed in
 * every failure message.
 */
class PrimitiveRulesTest {
    private static final long SEED = 20261124L;

    /** A test row: name, inputs from a seeded generator, and the program. */
    private record Row(String name, Function<Random, Mat[]> inputs, AD.MultiFunction f) {
    }

    private static Mat spd(Random r, int n, int m) {
        Mat b = random(r, n, m);
        return b.timesTranspose(b).plus(Mat.eye(n));
    }

    private static Mat positive(Random r, int rows, int cols) {
        return random(r, rows, cols).map(x -> 0.5 + Math.abs(x));
    }

    private static List<Row> rows() {
        List<Row> t = new ArrayList<>();
        // linear structure
        t.add(new Row("plus", r -> new Mat[] {random(r, 3, 2), random(r, 3, 2)}, x -> x[0].plus(x[1])));
        t.add(new Row("plus broadcast 1x1", r -> new Mat[] {random(r, 1, 1), random(r, 2, 4)}, x -> x[0].plus(x[1])));
        t.add(new Row("minus", r -> new Mat[] {random(r, 2, 3), random(r, 2, 3)}, x -> x[0].minus(x[1])));
        t.add(new Row("minus broadcast 1x1", r -> new Mat[] {random(r, 2, 3), random(r, 1, 1)}, x -> x[0].minus(x[1])));
        t.add(new Row("negate", r -> new Mat[] {random(r, 3, 1)}, x -> x[0].negate()));
        t.add(new Row("scale", r -> new Mat[] {random(r, 2, 3)}, x -> x[0].times(-2.5)));
        t.add(new Row("plusConstant", r -> new Mat[] {random(r, 2, 3)}, x -> x[0].plus(1.75)));
        t.add(new Row("transpose", r -> new Mat[] {random(r, 3, 2)}, x -> x[0].transpose()));
        t.add(new Row("broadcast", r -> new Mat[] {random(r, 1, 1)}, x -> x[0].broadcast(2, 3)));
        // products
        t.add(new Row("times", r -> new Mat[] {random(r, 3, 2), random(r, 2, 4)}, x -> x[0].times(x[1])));
        t.add(new Row("times same input", r -> new Mat[] {random(r, 3, 2)}, x -> x[0].times(x[0].transpose())));
        t.add(new Row("times scalar", r -> new Mat[] {random(r, 1, 1), random(r, 3, 2)}, x -> x[0].times(x[1])));
        t.add(new Row("transposeTimes", r -> new Mat[] {random(r, 3, 2), random(r, 3, 4)}, x -> x[0].transposeTimes(x[1])));
        t.add(new Row("hadamard", r -> new Mat[] {random(r, 2, 3), random(r, 2, 3)}, x -> x[0].hadamard(x[1])));
        t.add(new Row("div", r -> new Mat[] {random(r, 3, 2), positive(r, 3, 2)}, x -> x[0].div(x[1])));
        t.add(new Row("div by 1x1", r -> new Mat[] {random(r, 3, 2), positive(r, 1, 1)}, x -> x[0].div(x[1])));
        t.add(new Row("dot", r -> new Mat[] {random(r, 2, 3), random(r, 2, 3)}, x -> x[0].dot(x[1])));
        // element-wise
        t.add(new Row("pow 3", r -> new Mat[] {random(r, 2, 3)}, x -> x[0].pow(3)));
        t.add(new Row("pow -0.5", r -> new Mat[] {positive(r, 3, 2)}, x -> x[0].pow(-0.5)));
        // reductions
        t.add(new Row("sum", r -> new Mat[] {random(r, 3, 2)}, x -> x[0].sum()));
        t.add(new Row("trace", r -> new Mat[] {random(r, 3, 2), random(r, 2, 3)}, x -> x[0].times(x[1]).trace()));
        t.add(new Row("norm2", r -> new Mat[] {random(r, 2, 3)}, x -> x[0].norm2()));
        t.add(new Row("softmax column", r -> new Mat[] {random(r, 4, 1)}, x -> x[0].softmax()));
        t.add(new Row("softmax matrix", r -> new Mat[] {random(r, 2, 3)}, x -> x[0].softmax()));
        t.add(new Row("logsumexp", r -> new Mat[] {random(r, 3, 2)}, x -> x[0].logsumexp()));
        t.add(new Row("sum of columns", r -> new Mat[] {random(r, 3, 2)}, x -> x[0].sum(1)));
        t.add(new Row("sum of rows", r -> new Mat[] {random(r, 3, 2)}, x -> x[0].sum(2)));
        t.add(new Row("softmax of each row", r -> new Mat[] {random(r, 3, 4)}, x -> x[0].softmax(2)));
        t.add(new Row("softmax of each column", r -> new Mat[] {random(r, 3, 4)}, x -> x[0].softmax(1)));
        t.add(new Row("logsumexp of each row", r -> new Mat[] {random(r, 3, 4)}, x -> x[0].logsumexp(2)));
        t.add(new Row("logsumexp of each column", r -> new Mat[] {random(r, 3, 4)}, x -> x[0].logsumexp(1)));
        // non-smooth: random entries are apart (ties have probability zero)
        t.add(new Row("max of entries", r -> new Mat[] {random(r, 3, 4)}, x -> x[0].max()));
        t.add(new Row("min of entries", r -> new Mat[] {random(r, 3, 4)}, x -> x[0].min()));
        t.add(new Row("max element-wise", r -> new Mat[] {random(r, 3, 2), random(r, 3, 2)}, x -> x[0].max(x[1])));
        t.add(new Row("max element-wise with a scalar", r -> new Mat[] {random(r, 3, 2), random(r, 1, 1)}, x -> x[0].max(x[1])));
        t.add(new Row("min element-wise", r -> new Mat[] {random(r, 3, 2), random(r, 3, 2)}, x -> x[0].min(x[1])));
        // linear algebra (square arguments inside non-square programs)
        t.add(new Row("inv", r -> new Mat[] {wellConditioned(r, 3, 4), random(r, 3, 2)}, x -> x[0].inv().times(x[1])));
        t.add(new Row("solve", r -> new Mat[] {wellConditioned(r, 3, 4), random(r, 3, 2)}, x -> x[0].solve(x[1])));
        t.add(new Row("det", r -> new Mat[] {random(r, 3, 2), random(r, 2, 3)},
                x -> x[0].times(x[1]).plus(x[0].constant(Mat.eye(3).scale(2))).det()));
        t.add(new Row("logdet", r -> new Mat[] {wellConditioned(r, 3, 4)}, x -> x[0].logdet()));
        t.add(new Row("logdet spd", r -> new Mat[] {random(r, 3, 5)},
                x -> x[0].times(x[0].transpose()).plus(x[0].constant(Mat.eye(3))).logdet()));
        t.add(new Row("cholesky", r -> new Mat[] {random(r, 3, 4)},
                x -> x[0].times(x[0].transpose()).plus(x[0].constant(Mat.eye(3))).cholesky()));
        t.add(new Row("eigvalsSym", r -> new Mat[] {random(r, 3, 3)}, x -> x[0].plus(x[0].transpose()).eigvalsSym()));
        t.add(new Row("eigvalsSym of B B'", r -> new Mat[] {random(r, 4, 2)},
                x -> x[0].times(x[0].transpose()).plus(x[0].constant(Mat.of(new double[][] {{1, 0, 0, 0}, {0, 2, 0, 0}, {0, 0, 3, 0}, {0, 0, 0, 4}}))).eigvalsSym()));
        t.add(new Row("eigvecsSym", r -> new Mat[] {random(r, 3, 3)}, x -> x[0].plus(x[0].transpose()).eigvecsSym()));
        t.add(new Row("eigvecsSym of B B'", r -> new Mat[] {random(r, 4, 2)},
                x -> x[0].times(x[0].transpose()).plus(x[0].constant(Mat.of(new double[][] {{1, 0, 0, 0}, {0, 2, 0, 0}, {0, 0, 3, 0}, {0, 0, 0, 4}}))).eigvecsSym()));
        // matrix functions (square arguments inside non-square programs; spd ones built as B B' + I)
        t.add(new Row("expm", r -> new Mat[] {random(r, 3, 2), random(r, 2, 3)}, x -> x[0].times(x[1]).times(0.5).expm()));
        t.add(new Row("expmFrechet", r -> new Mat[] {random(r, 3, 3), random(r, 3, 2)},
                x -> x[0].times(0.5).expmFrechet(x[1].times(x[1].transpose()))));
        t.add(new Row("sqrtm", r -> new Mat[] {random(r, 3, 4)},
                x -> x[0].times(x[0].transpose()).plus(x[0].constant(Mat.eye(3))).sqrtm()));
        t.add(new Row("sylvester", r -> new Mat[] {random(r, 3, 4), random(r, 3, 2)},
                x -> x[0].times(x[0].transpose()).plus(x[0].constant(Mat.eye(3))).sylvester(x[1].times(x[0].transpose().slice(0, 2, 0, 3)))));
        // structure
        t.add(new Row("vec", r -> new Mat[] {random(r, 3, 2)}, x -> x[0].vec()));
        t.add(new Row("diag of a column", r -> new Mat[] {random(r, 3, 1)}, x -> x[0].diag()));
        t.add(new Row("diag of a row", r -> new Mat[] {random(r, 1, 4)}, x -> x[0].diag()));
        t.add(new Row("diag of a square", r -> new Mat[] {random(r, 3, 2), random(r, 2, 3)}, x -> x[0].times(x[1]).diag()));
        t.add(new Row("kron", r -> new Mat[] {random(r, 2, 3), random(r, 3, 1)}, x -> x[0].kron(x[1])));
        t.add(new Row("slice", r -> new Mat[] {random(r, 3, 4)}, x -> x[0].slice(1, 3, 0, 2)));
        t.add(new Row("get", r -> new Mat[] {random(r, 3, 4)}, x -> x[0].get(2, 1).times(x[0].get(0, 3))));
        t.add(new Row("hcat", r -> new Mat[] {random(r, 3, 2), random(r, 3, 1)}, x -> x[0].hcat(x[1])));
        t.add(new Row("call kron by its registry name", r -> new Mat[] {random(r, 2, 3), random(r, 3, 1)},
                x -> x[0].call(org.matcalc.expr.Builtin.KRON, x[1])));
        t.add(new Row("vcat", r -> new Mat[] {random(r, 2, 3), random(r, 1, 3)}, x -> x[0].vcat(x[1])));
        return t;
    }

    /**
     * Completeness: every public Node operation has a row here (a row's first word names the
     * method it tests). A new primitive without a row fails this test by name.
     */
    @org.junit.jupiter.api.Test
    void everyNodeOperationHasARow() {
        java.util.Set<String> covered = new java.util.HashSet<>();
        for (Row r : rows()) {
            covered.add(r.name().split(" ")[0]);
        }
        covered.add("apply"); // everyElementwiseFunction
        covered.add("map");   // alias of apply
        java.util.Map<String, String> rowName = java.util.Map.of("times(double)", "scale", "plus(double)", "plusConstant");
        java.util.List<String> missing = new ArrayList<>();
        for (java.lang.reflect.Method m : Node.class.getDeclaredMethods()) {
            if (!java.lang.reflect.Modifier.isPublic(m.getModifiers()) || m.getReturnType() != Node.class
                    || m.getName().equals("constant") || m.isSynthetic() || m.isBridge()) {
                continue;
            }
            String sig = m.getName() + (m.getParameterCount() == 1 && m.getParameterTypes()[0] == double.class ? "(double)" : "");
            String name = rowName.getOrDefault(sig, m.getName());
            if (!covered.contains(name)) {
                missing.add(sig);
            }
        }
        org.junit.jupiter.api.Assertions.assertTrue(missing.isEmpty(), "no test row for Node." + missing);
    }

    @TestFactory
    Stream<DynamicTest> everyPrimitiveAgainstFiniteDifferences() {
        return rows().stream().map(row -> DynamicTest.dynamicTest(row.name(), () -> {
            long seed = SEED + row.name().hashCode();
            Agreement.program(row.name(), seed, row.f(), row.inputs().apply(new Random(seed)));
        }));
    }

    /** One row per element-wise function of the shared table, inputs drawn from its domain. */
    @TestFactory
    Stream<DynamicTest> everyElementwiseFunction() {
        return Stream.of(ScalarFunction.values()).map(fn -> DynamicTest.dynamicTest(fn.languageName(), () -> {
            long seed = SEED + fn.ordinal();
            Random r = new Random(seed);
            double[] d = new double[6];
            for (int k = 0; k < d.length; k++) d[k] = Domains.sample(fn, r);
            Agreement.program("map " + fn.languageName(), seed, x -> x[0].apply(fn), Mat.rowMajor(2, 3, d));
        }));
    }
}
