package org.matcalc.numeric;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.matcalc.expr.Declarations;
import org.matcalc.expr.Decl;
import org.matcalc.expr.Expr;
import org.matcalc.expr.ExprGenerator;
import org.matcalc.expr.MatcalcException;
import org.matcalc.expr.Shape;
import org.matcalc.expr.Size;
import org.matcalc.expr.SourceMap;
import org.matcalc.expr.TextPrinter;
import org.matcalc.expr.TreeDepth;

/**
 * The structured plan (the evaluation form's rewrites, the structure rules, chain order) gives
 * the value of the plan that evaluates every node as written, on random well-typed expressions
 * with every node kind (zeros, identities, fills, diag, kron, commutation, inverses, ...), at
 * random non-square sizes; and each refuses exactly where the other does.
 */
class StructuredPlanPropertyTest {
    private static final int CASES = 3000;

    @Test
    void structuredAndAsWrittenAgreeOnRandomExpressions() {
        Random rnd = new Random(20261202);
        int compared = 0;
        java.util.Set<String> rules = new java.util.TreeSet<>();
        int rewritten = 0;
        for (int i = 0; i < CASES; i++) {
            ExprGenerator g = new ExprGenerator(rnd, ExprGenerator.DECLARATIONS).withStructure();
            Size[] sizes = {Size.ONE, ExprGenerator.N, ExprGenerator.M};
            Expr e = g.valid(new Shape(sizes[rnd.nextInt(3)], sizes[rnd.nextInt(3)]), 1 + rnd.nextInt(5));
            Map<String, Integer> dims = Map.of("n", 2 + rnd.nextInt(4), "m", 2 + rnd.nextInt(4));
            Map<String, Mat> values = new HashMap<>();
            for (String name : TreeDepth.variables(e)) {
                Decl d = ExprGenerator.DECLARATIONS.get(name).orElseThrow();
                values.put(name, RandomInputs.value(d, dim(d.rows(), dims), dim(d.cols(), dims), rnd, RandomInputs.Style.SIGNED));
            }
            String where = "case " + i + ": " + TextPrinter.print(e) + " at " + dims;
            Mat structured = null, plain = null;
            String structuredError = null, plainError = null;
            try {
                Plan p = Evaluator.compile(e, ExprGenerator.DECLARATIONS, SourceMap.EMPTY, Evaluator.shapesOf(values), dims);
                for (String r : p.rewrites()) {
                    rules.add(r.substring(0, r.indexOf(':')));
                }
                rewritten += p.rewrites().isEmpty() ? 0 : 1;
                structured = p.run(values);
            } catch (MatcalcException ex) {
                structuredError = ex.getMessage();
            }
            try {
                plain = Evaluator.compileAsWritten(e, ExprGenerator.DECLARATIONS, Evaluator.shapesOf(values), dims).run(values);
            } catch (MatcalcException ex) {
                plainError = ex.getMessage();
            }
            assertTrue((structuredError == null) == (plainError == null),
                    where + ": structured " + (structuredError == null ? "ran" : structuredError)
                            + ", as written " + (plainError == null ? "ran" : plainError));
            if (structured != null) {
                double scale = Math.max(1, plain.maxAbs());
                assertTrue(structured.sameShape(plain) && structured.minus(plain).maxAbs() <= 1e-8 * scale,
                        where + ": " + structured + " vs " + plain);
                compared++;
            }
        }
        assertTrue(compared > CASES / 2, "only " + compared + " of " + CASES + " cases evaluated");
        // the generator reaches the rules: a tenth of the cases or more are rewritten, by many rules
        assertTrue(rewritten > CASES / 10 && rules.size() >= 10, rewritten + " rewritten cases, rules " + rules);
    }

    private static int dim(Size s, Map<String, Integer> dims) {
        return s instanceof Size.Fixed f ? f.value() : dims.get(((Size.Sym) s).name());
    }
}
