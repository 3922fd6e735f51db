package org.matcalc.ad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.matcalc.expr.BinaryOp;
import org.matcalc.expr.Builtin;
import org.matcalc.expr.Declarations;
import org.matcalc.expr.Expr;
import org.matcalc.expr.PrimitiveTable;
import org.matcalc.expr.ScalarFunction;
import org.matcalc.expr.TreeDepth;
import org.matcalc.numeric.Evaluator;
import org.matcalc.numeric.Mat;
import org.matcalc.numeric.RandomInputs;

/**
 * Every primitive of the language through ExprAD: forward, reverse, both Jacobians,
 * forward-over-reverse Hessians, against Richardson differences of the dense evaluator, at
 * random non-square inputs from {@link RandomInputs} (spd and symmetric where the primitive
 * needs it). One row per primitive; {@link #everyPrimitiveHasARow} walks the enums.
 */
class ExprADTest {
    private static final long SEED = 4_2026_1124L;

    static final Declarations DECLS = Declarations.fromStrings(Map.ofEntries(
            Map.entry("X", "matrix(n,m)"), Map.entry("Y", "matrix(n,m)"), Map.entry("A", "matrix(n,n)"),
            Map.entry("Z", "matrix(n,n)"), Map.entry("B", "matrix(m,p)"), Map.entry("S", "spd(n)"),
            Map.entry("T", "symmetric(n)"), Map.entry("x", "vector(n)"), Map.entry("c", "scalar")));

    /** A row: the text, how entries are drawn, and whether entries must stay away from 0 (kinks). */
    record Row(String text, RandomInputs.Style style, boolean awayFromZero) {
        Row(String text) {
            this(text, RandomInputs.Style.SIGNED, false);
        }
    }

    static List<Row> rows() {
        List<Row> t = new ArrayList<>();
        // operators
        t.add(new Row("X + Y"));
        t.add(new Row("X - Y"));
        t.add(new Row("-X'"));
        t.add(new Row("A*X*B"));
        t.add(new Row("c*X"));
        t.add(new Row("X/c", RandomInputs.Style.POSITIVE, false));
        t.add(new Row("X .* Y"));
        t.add(new Row("X ./ (Y .* Y + matrix(1))"));
        t.add(new Row("A^3"));
        t.add(new Row("(c*c + 1)^c"));
        t.add(new Row("X .^ 3"));
        t.add(new Row("(X .* X + matrix(1)) .^ Y"));
        t.add(new Row("c .^ 2 + vector(c)' * x"));
        // built-ins
        t.add(new Row("sum(X)"));
        t.add(new Row("norm1(X)", RandomInputs.Style.SIGNED, true));
        t.add(new Row("norm2(X)"));
        t.add(new Row("tr(X'*A*X)"));
        t.add(new Row("det(A*A' + eye)"));
        t.add(new Row("logdet(S)"));
        t.add(new Row("logsumexp(X)"));
        t.add(new Row("inv(S) * X"));
        t.add(new Row("diag(x) * X"));
        t.add(new Row("diag(A)"));
        t.add(new Row("vec(X)"));
        t.add(new Row("kron(X, B)"));
        t.add(new Row("softmax(x)"));
        t.add(new Row("expm(A) * X"));
        t.add(new Row("sqrtm(S) * X"));
        t.add(new Row("eigvals(T)"));
        t.add(new Row("lambda_max(S) - lambda_min(T)"));
        t.add(new Row("expm_frechet(A, Z)"));
        t.add(new Row("sylvester(S, Z)"));
        t.add(new Row("eigvecs(T)"));
        t.add(new Row("eigvec_max(T) + eigvec_min(S)"));
        t.add(new Row("commutation(n, m) * vec(X)"));
        t.add(new Row("zeros(n, m) + X"));
        t.add(new Row("logdet(S + eye(n)) + tr(inv(S) * A * A')"));
        // every row of the element-wise table
        for (ScalarFunction f : ScalarFunction.values()) {
            String name = f.languageName();
            t.add(switch (f.domain()) {
                case ANY, NEAR_ZERO -> new Row(name + "(X)");
                case POSITIVE -> new Row(name + "(X)", RandomInputs.Style.POSITIVE, false);
                case OPEN_UNIT -> new Row(name + "(0.5 * X)");
                case AWAY_FROM_ZERO -> new Row(name + "(X) .* X", RandomInputs.Style.SIGNED, true);
            });
        }
        return t;
    }

    /** Completeness: every operator, built-in and element-wise function occurs in some row. */
    @Test
    void everyPrimitiveHasARow() {
        Set<BinaryOp> ops = EnumSet.noneOf(BinaryOp.class);
        Set<Builtin> builtins = EnumSet.noneOf(Builtin.class);
        Set<ScalarFunction> fns = EnumSet.noneOf(ScalarFunction.class);
        for (Row r : rows()) {
            collect(Expr.parse(r.text()), ops, builtins, fns);
        }
        for (PrimitiveTable.Row r : PrimitiveTable.ROWS.values()) {
            collect(Expr.parse(r.expression()), ops, builtins, fns);
        }
        List<String> missing = new ArrayList<>();
        for (BinaryOp o : BinaryOp.values()) if (!ops.contains(o)) missing.add(o.symbol());
        for (Builtin b : Builtin.values()) if (!builtins.contains(b)) missing.add(b.languageName());
        for (ScalarFunction f : ScalarFunction.values()) if (!fns.contains(f)) missing.add(f.languageName());
        assertTrue(missing.isEmpty(), "no ExprAD test row for " + missing);
    }

    private static void collect(Expr e, Set<BinaryOp> ops, Set<Builtin> builtins, Set<ScalarFunction> fns) {
        if (e instanceof Expr.Binary b) ops.add(b.op());
        if (e instanceof Expr.Call c) builtins.add(c.fn());
        if (e instanceof Expr.Elementwise f) fns.add(f.fn());
        for (Expr child : TreeDepth.children(e)) collect(child, ops, builtins, fns);
    }

    @TestFactory
    Stream<DynamicTest> everyPrimitiveInEveryMode() {
        return rows().stream().map(row -> DynamicTest.dynamicTest(row.text(), () -> {
            long seed = SEED + row.text().hashCode();
            Random rnd = new Random(seed);
            Expr f = Expr.parse(row.text());
            Map<String, Mat> values = sample(f, rnd, row);
            Agreement.expression(row.text() + " (seed " + seed + ")", f, DECLS, values, rnd, Agreement.Depth.ALL);
        }));
    }

    /** The one primitive table's rows (expr's PrimitiveTable), each with its own declarations, in every mode. */
    @TestFactory
    Stream<DynamicTest> everyRowOfThePrimitiveTable() {
        return PrimitiveTable.ROWS.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey().languageName(), () -> {
            PrimitiveTable.Row row = e.getValue();
            long seed = SEED + row.expression().hashCode();
            Random rnd = new Random(seed);
            Expr f = Expr.parse(row.expression());
            Declarations decls = Declarations.fromLines(row.declarations());
            Map<String, Mat> values = RandomInputs.sample(f, decls, Map.of(), rnd, RandomInputs.Style.SIGNED).values();
            Agreement.expression(row.expression() + " (seed " + seed + ")", f, decls, values, List.of(row.wrt()), rnd,
                    row.secondOrder() ? Agreement.Depth.ALL : new Agreement.Depth(true, false));
        }));
    }

    static Map<String, Mat> sample(Expr f, Random rnd, Row row) {
        RandomInputs.Sample s = RandomInputs.sample(f, DECLS, Map.of(), rnd, row.style());
        Map<String, Mat> values = new LinkedHashMap<>(s.values());
        if (row.awayFromZero()) {
            values.replaceAll((k, v) -> v.map(a -> a + (a < 0 ? -0.2 : 0.2)));
        }
        return values;
    }

    /** The sizes are non-square: the typer gives n, m and p distinct values. */
    @Test
    void inputsAreNonSquare() {
        Expr f = Expr.parse("A*X*B");
        Map<String, Mat> v = sample(f, new Random(SEED), new Row("A*X*B"));
        assertTrue(v.get("X").rows() != v.get("X").cols() && v.get("B").rows() != v.get("B").cols(), v.toString());
    }

    /** The cookbook example covariance MLE by every variable at once, and a named reference value. */
    @Test
    void gradientsOfEveryVariableFromOneSweep() {
        Expr f = Expr.parse("logdet(S) + tr(inv(S)*A*A')");
        Random rnd = new Random(SEED);
        Map<String, Mat> values = sample(f, rnd, new Row("x"));
        Map<String, Mat> g = ExprAD.gradients(f, DECLS, values);
        Mat s = values.get("S"), a = values.get("A");
        Mat si = org.matcalc.numeric.Kernels.inv(s);
        // d/dS = inv(S)' - (inv(S) A A' inv(S))', d/dA = (inv(S) + inv(S)') A
        Mat gs = si.transpose().minus(si.times(a).timesTranspose(a).times(si).transpose());
        assertTrue(g.get("S").approxEquals(gs, 1e-10), g.get("S") + " vs " + gs);
        assertTrue(g.get("A").approxEquals(si.plus(si.transpose()).times(a), 1e-10));
        assertEquals(Evaluator.evaluate(f, DECLS, values).scalarValue(),
                ExprAD.jvp(f, DECLS, values, "A", a).value().scalarValue(), 1e-12);
    }

    /** By a subset of the variables: the same adjoints as by all, none for the others, and an unknown name refused. */
    @Test
    void gradientsByChosenVariablesOnly() {
        Expr f = Expr.parse("logdet(S) + tr(inv(S)*A*A')");
        Map<String, Mat> values = sample(f, new Random(SEED + 1), new Row("x"));
        Map<String, Mat> all = ExprAD.gradients(f, DECLS, values);
        Map<String, Mat> onlyA = ExprAD.gradients(f, DECLS, values, java.util.Set.of("A"));
        assertEquals(java.util.Set.of("A"), onlyA.keySet());
        assertTrue(onlyA.get("A").approxEquals(all.get("A"), 1e-14));
        org.matcalc.expr.MatcalcException e = org.junit.jupiter.api.Assertions.assertThrows(org.matcalc.expr.MatcalcException.class,
                () -> ExprAD.gradients(f, DECLS, values, java.util.Set.of("A", "q")));
        assertTrue(e.getMessage().contains("cannot differentiate by"), e.getMessage());
    }

    /** Jacobian mode chosen by shape and reported. */
    @Test
    void jacobianModeByShape() {
        Expr wide = Expr.parse("A*x");
        Map<String, Mat> values = sample(wide, new Random(SEED), new Row("A*x"));
        assertEquals(AD.Mode.FORWARD, ExprAD.jacobian(wide, DECLS, values, "x").mode());
        assertEquals(AD.Mode.REVERSE, ExprAD.jacobian(wide, DECLS, values, "A").mode());
        assertTrue(ExprAD.jacobian(wide, DECLS, values, "x").matrix().approxEquals(values.get("A"), 1e-14));
    }

    /** Matrix powers: the typer refuses a variable exponent (so no derivative by it is ever silently zero). */
    @Test
    void matrixPowers() {
        Map<String, Mat> values = Map.of("A", Mat.eye(3).scale(2), "c", Mat.scalar(2));
        org.matcalc.expr.MatcalcException e = org.junit.jupiter.api.Assertions.assertThrows(
                org.matcalc.expr.MatcalcException.class, () -> ExprAD.gradient(Expr.parse("sum(A^c)"), DECLS, values, "c"));
        assertEquals(org.matcalc.expr.MatcalcException.Kind.SHAPE, e.kind());
        // d sum(A^2) = 1'(dA A + A dA)1: gradient 1 (A 1)' + (A' 1) 1' = 4 * ones at A = 2I
        assertEquals(Mat.fill(3, 3, 4), ExprAD.gradient(Expr.parse("sum(A^2)"), DECLS, values, "A"));
        assertTrue(ExprAD.gradient(Expr.parse("tr(A^(-1))"), DECLS, values, "A").approxEquals(Mat.eye(3).scale(-0.25), 1e-14));
    }
}
