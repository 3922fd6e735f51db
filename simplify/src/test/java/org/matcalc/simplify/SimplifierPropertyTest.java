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

import org.junit.jupiter.api.Test;
import org.matcalc.expr.Decl;
import org.matcalc.expr.Declarations;
import org.matcalc.expr.Expr;
import org.matcalc.expr.MatcalcException;
import org.matcalc.expr.Size;
import org.matcalc.expr.TextPrinter;
import org.matcalc.expr.TreeDepth;
import org.matcalc.expr.Typer;
import org.matcalc.numeric.Evaluator;
import org.matcalc.numeric.Mat;
import org.matcalc.numeric.RandomInputs;

/**
 * Thousands of seeded random well-typed expressions (see {@link RandomExprs}): the simplified
 * form evaluates to the same numbers, parses back, never prints longer, and is a fixed point.
 */
class SimplifierPropertyTest {
    private static final int CASES = 4000;
    private static final double TOLERANCE = 1e-7;

    /** One random case: an expression, its declarations, sizes and values. */
    record Case(Expr expr, Declarations decls, Map<String, Integer> sizes, Map<String, Mat> values) {
    }

    static Case randomCase(Random rnd) {
        RandomExprs g = new RandomExprs(rnd);
        Size[] shapes = {Size.ONE, g.n, g.m, g.p};
        Size r = shapes[rnd.nextInt(4)], c = shapes[rnd.nextInt(4)];
        Expr e = g.gen(r, c, 1 + rnd.nextInt(4), false);
        Declarations d = g.declarations();
        List<Integer> dims = new ArrayList<>(List.of(2, 3, 4, 5));
        Collections.shuffle(dims, rnd);
        Map<String, Integer> sizes = new LinkedHashMap<>();
        sizes.put("n", dims.get(0));
        sizes.put("m", dims.get(1));
        sizes.put("p", dims.get(2));
        Map<String, Mat> values = new HashMap<>();
        for (String name : TreeDepth.variables(e)) {
            Decl decl = d.get(name).orElseThrow();
            int rows = dim(decl.rows(), sizes), cols = dim(decl.cols(), sizes);
            RandomInputs.Style style = RandomExprs.isPositiveName(name) ? RandomInputs.Style.POSITIVE : RandomInputs.Style.SIGNED;
            values.put(name, RandomInputs.value(decl, rows, cols, rnd, style));
        }
        return new Case(e, d, sizes, values);
    }

    private static int dim(Size s, Map<String, Integer> sizes) {
        return s instanceof Size.Fixed f ? f.value() : sizes.get(((Size.Sym) s).name());
    }

    @Test
    void simplifiedFormsAreEqualShortParseBackAndFixed() {
        Random rnd = new Random(20261124);
        int checked = 0;
        int shrunk = 0;
        for (int i = 0; i < CASES; i++) {
            Case k = randomCase(rnd);
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
            assertEquals(out, TextPrinter.print(Simplifier.simplify(s, k.decls())), "not idempotent: " + where);
            assertEquals(out, TextPrinter.print(Simplifier.simplify(back, k.decls())), "not idempotent (parsed): " + where);
            Store store = new Store(Typer.check(k.expr(), k.decls()));
            assertEquals(input.length(), store.length(store.internTree(k.expr(), new IdentityHashMap<>())), "length: " + where);
            Mat expected;
            try {
                expected = Evaluator.evaluate(k.expr(), k.decls(), k.values(), k.sizes());
            } catch (MatcalcException ex) {
                continue; // outside the domain after all (e.g. a singular matrix); rare
            }
            Mat actual;
            try {
                actual = Evaluator.evaluate(back, k.decls(), k.values(), k.sizes());
            } catch (MatcalcException ex) {
                throw new AssertionError(where, ex);
            }
            if (!actual.approxEquals(expected, TOLERANCE * scale(expected))) {
                fail("values differ: " + where + "\n  expected " + expected + "\n  actual " + actual);
            }
            checked++;
        }
        assertTrue(checked > CASES * 3 / 4, "only " + checked + " of " + CASES + " cases could be evaluated");
        assertTrue(shrunk > CASES / 4, "only " + shrunk + " of " + CASES + " cases shrank");
    }

    private static double scale(Mat m) {
        double s = 1;
        for (int k = 0; k < m.size(); k++) {
            s = Math.max(s, Math.abs(m.at(k)));
        }
        return s;
    }
}
