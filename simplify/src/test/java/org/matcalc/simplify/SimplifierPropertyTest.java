package org.matcalc.simplify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.matcalc.expr.BinaryOp;
import org.matcalc.expr.Builtin;
import org.matcalc.expr.Decl;
import org.matcalc.expr.ScalarFunction;
import org.matcalc.expr.Declarations;
import org.matcalc.expr.Expr;
import org.matcalc.expr.ExprGenerator;
import org.matcalc.expr.MatcalcException;
import org.matcalc.expr.Shape;
import org.matcalc.expr.SourceMap;
import org.matcalc.expr.Typing;
import org.matcalc.expr.Size;
import org.matcalc.expr.TextPrinter;
import org.matcalc.expr.TreeDepth;
import org.matcalc.expr.Typer;
import org.matcalc.numeric.Evaluator;
import org.matcalc.numeric.Mat;
import org.matcalc.numeric.RandomInputs;

/**
 * Thousands of seeded random well-typed expressions (expr's ExprGenerator, with the forms that
 * simplify): the simplified
 * form evaluates to the same numbers, parses back, never prints longer, and is a fixed point.
 */
class SimplifierPropertyTest {
    /** Fixed in CI; explore with -Dsimplify.seed=... -Dsimplify.cases=... */
    private static final int CASES = Integer.getInteger("simplify.cases", 4000);
    private static final long SEED = Long.getLong("simplify.seed", 20261124L);
    private static final int MAX_DEPTH = Integer.getInteger("simplify.depth", 4);
    private static final double TOLERANCE = 1e-7;

    /** One random case: an expression, its declarations, sizes and values. */
    record Case(Expr expr, Declarations decls, Map<String, Integer> sizes, Map<String, Mat> values) {
    }

    /**
     * The variables of the cases: scalars, vectors and matrices over sizes n, m, p (distinct, so
     * transposition mistakes show), and spd, symmetric, diagonal and orthogonal matrices, whose
     * structure the simplifier's rules read.
     */
    static final Declarations VOCABULARY = vocabulary();

    private static Declarations vocabulary() {
        Map<String, Decl> v = new LinkedHashMap<>();
        String[] sizes = {"n", "m", "p"};
        for (int k = 1; k <= 2; k++) {
            v.put("s" + k, Decl.scalar());
            for (String a : sizes) {
                v.put("v" + k + "_" + a, Decl.vector(Size.sym(a)));
                for (String b : sizes) {
                    v.put("M" + k + "_" + a + "_" + b, Decl.matrix(Size.sym(a), Size.sym(b)));
                }
            }
        }
        for (String a : sizes) {
            for (String kind : new String[] {"spd", "symmetric", "diagonal", "orthogonal"}) {
                String name = kind.substring(0, 1).toUpperCase() + "1_" + a;
                v.put(name, Decl.parse(name, kind + "(" + a + ")"));
            }
        }
        return Declarations.of(v);
    }

    static Case randomCase(Random rnd) {
        ExprGenerator g = new ExprGenerator(rnd, VOCABULARY).withStructure();
        Size[] shapes = {Size.ONE, Size.sym("n"), Size.sym("m"), Size.sym("p")};
        Size r = shapes[rnd.nextInt(4)], c = shapes[rnd.nextInt(4)];
        Expr e = g.valid(new Shape(r, c), 1 + rnd.nextInt(MAX_DEPTH));
        Declarations d = VOCABULARY;
        if (rnd.nextInt(3) == 0) {
            // Some cases leave plain matrices and vectors undeclared: kinds by first letter, sizes inferred.
            Map<String, Decl> some = new LinkedHashMap<>(d.asMap());
            some.keySet().removeIf(name -> name.startsWith("M") || name.startsWith("v"));
            d = Declarations.of(some);
        }
        List<Integer> dims = new ArrayList<>(List.of(2, 3, 4, 5));
        Collections.shuffle(dims, rnd);
        Map<String, Integer> sizes = new LinkedHashMap<>();
        sizes.put("n", dims.get(0));
        sizes.put("m", dims.get(1));
        sizes.put("p", dims.get(2));
        Map<String, Mat> values = new HashMap<>();
        for (String name : TreeDepth.variables(e)) {
            Decl decl = VOCABULARY.get(name).orElseThrow();
            int rows = dim(decl.rows(), sizes), cols = dim(decl.cols(), sizes);
            values.put(name, RandomInputs.value(decl, rows, cols, rnd, RandomInputs.Style.SIGNED));
        }
        return new Case(e, d, sizes, values);
    }

    private static int dim(Size s, Map<String, Integer> sizes) {
        return s instanceof Size.Fixed f ? f.value() : sizes.get(((Size.Sym) s).name());
    }

    @Test
    void simplifiedFormsAreEqualShortParseBackAndFixed() {
        Random rnd = new Random(SEED);
        int checked = 0;
        int shrunk = 0;
        Set<Object> covered = new HashSet<>();
        for (int i = 0; i < CASES; i++) {
            Case k = randomCase(rnd);
            cover(k.expr(), covered);
            String input = TextPrinter.print(k.expr());
            String where = "case " + i + ": " + input;
            Expr s;
            try {
                s = Simplifier.simplify(k.expr(), k.decls());
            } catch (RuntimeException ex) {
                throw new AssertionError(where, ex);
            }
            String out = TextPrinter.print(s);
            where += "\n  simplified: " + out;
            assertTrue(out.length() <= input.length(), "grew: " + where);
            shrunk += out.length() < input.length() ? 1 : 0;
            Expr back = Expr.parse(out);
            try {
                assertEquals(out, TextPrinter.print(Simplifier.simplify(s, k.decls())), "not idempotent: " + where);
                assertEquals(out, TextPrinter.print(Simplifier.simplify(back, k.decls())), "not idempotent (parsed): " + where);
            } catch (MatcalcException ex) {
                throw new AssertionError("output refused: " + where, ex);
            }
            Store store = new Store(Typer.check(k.expr(), k.decls()));
            assertEquals(input.length(), store.length(store.internTree(k.expr(), new IdentityHashMap<>())), "length: " + where);
            Mat expected;
            try {
                expected = evaluate(k.expr(), k);
            } catch (MatcalcException ex) {
                continue; // outside the domain after all (e.g. a singular matrix); rare
            }
            Mat actual;
            try {
                actual = evaluate(back, k);
            } catch (MatcalcException ex) {
                throw new AssertionError(where, ex);
            }
            if (!actual.approxEquals(expected, TOLERANCE * scale(expected)) && !illConditioned(k, expected, rnd)) {
                fail("values differ: " + where + "\n  expected " + expected + "\n  actual " + actual);
            }
            checked++;
        }
        Set<Object> all = new HashSet<>();
        all.addAll(List.of(Builtin.values()));
        all.addAll(List.of(ScalarFunction.values()));
        all.addAll(List.of(BinaryOp.values()));
        for (Class<?> c : Expr.class.getPermittedSubclasses()) {
            all.add(c);
        }
        all.removeAll(covered);
        assertTrue(all.isEmpty(), "never generated: " + all);
        assertTrue(checked > CASES * 3 / 4, "only " + checked + " of " + CASES + " cases could be evaluated");
        assertTrue(shrunk > CASES / 4, "only " + shrunk + " of " + CASES + " cases shrank");
    }

    /**
     * Evaluates with eye, vector(c) and matrix(c) given their sizes: Plan merges structurally
     * equal subtrees, so two context-sized matrix(1) of different shapes would share one value
     * (reported to the numeric module's owner).
     */
    static Mat evaluate(Expr e, Case k) {
        Typing t = Typer.check(e, k.decls(), SourceMap.EMPTY, k.sizes(), Evaluator.shapesOf(k.values()));
        return Evaluator.evaluate(sized(e, t), k.decls(), k.values(), k.sizes());
    }

    private static Expr sized(Expr e, Typing t) {
        if (e instanceof Expr.Identity i && i.size() == null) {
            return new Expr.Identity(t.shapeOf(e).rows());
        }
        if (e instanceof Expr.Fill f && f.rows() == null) {
            Shape s = t.shapeOf(e);
            return new Expr.Fill(sized(f.value(), t), f.matrix(), s.rows(), f.matrix() ? s.cols() : null);
        }
        if (e instanceof Expr.Neg n) {
            return new Expr.Neg(sized(n.arg(), t));
        }
        if (e instanceof Expr.Transpose x) {
            return new Expr.Transpose(sized(x.arg(), t));
        }
        if (e instanceof Expr.Binary b) {
            return new Expr.Binary(b.op(), sized(b.left(), t), sized(b.right(), t));
        }
        if (e instanceof Expr.Call c) {
            return new Expr.Call(c.fn(), c.args().stream().map(a -> sized(a, t)).toList());
        }
        if (e instanceof Expr.Elementwise f) {
            return new Expr.Elementwise(f.fn(), sized(f.arg(), t));
        }
        if (e instanceof Expr.Fill f) {
            return new Expr.Fill(sized(f.value(), t), f.matrix(), f.rows(), f.cols());
        }
        return e;
    }

    /** Records the node kinds, operators and functions of e. */
    private static void cover(Expr e, Set<Object> covered) {
        covered.add(e.getClass());
        if (e instanceof Expr.Binary b) {
            covered.add(b.op());
        } else if (e instanceof Expr.Call c) {
            covered.add(c.fn());
        } else if (e instanceof Expr.Elementwise f) {
            covered.add(f.fn());
        }
        for (Expr k : TreeDepth.children(e)) {
            cover(k, covered);
        }
    }

    /**
     * Whether the difference is rounding error magnified by the expression itself (sin of a
     * huge argument, say): moving the inputs by a relative 1e-12, about the rounding error of
     * a few operations, already moves the value by more than the tolerance.
     */
    private static boolean illConditioned(Case k, Mat expected, Random rnd) {
        Map<String, Mat> moved = new HashMap<>();
        Random r = new Random(rnd.nextLong());
        k.values().forEach((name, v) -> moved.put(name, v.map(x -> x * (1 + 1e-12 * (2 * r.nextDouble() - 1)))));
        Mat perturbed;
        try {
            perturbed = evaluate(k.expr(), new Case(k.expr(), k.decls(), k.sizes(), moved));
        } catch (MatcalcException ex) {
            return true;
        }
        return !perturbed.approxEquals(expected, TOLERANCE * scale(expected));
    }

    private static double scale(Mat m) {
        double s = 1;
        for (int k = 0; k < m.size(); k++) {
            s = Math.max(s, Math.abs(m.at(k)));
        }
        return s;
    }
}
