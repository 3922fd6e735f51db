package org.matcalc.numeric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.matcalc.expr.Declarations;
import org.matcalc.expr.Expr;
import org.matcalc.expr.MatcalcException;
import org.matcalc.expr.SourceMap;
import org.matcalc.expr.TreeDepth;

/** Plans with several outputs: the same values as separate plans, shared steps computed once. */
class PlanTest {
    private final Random rnd = new Random(20261124);
    private final Mat x = RandomInputs.entries(7, 3, rnd, RandomInputs.Style.SIGNED);     // X: 7x3
    private final Mat w = RandomInputs.entries(3, 1, rnd, RandomInputs.Style.SIGNED);     // w: 3
    private final Mat y = RandomInputs.entries(7, 1, rnd, RandomInputs.Style.POSITIVE);   // y: 7
    private final Map<String, Mat> values = Map.of("X", x, "w", w, "y", y);

    private static final String VALUE = "sum(softplus(X*w)) - y'*X*w";
    private static final String GRADIENT = "X'*(sigmoid(X*w) - y)";

    private Plan compile(List<String> texts, Map<String, Mat> vals) {
        List<Expr> roots = texts.stream().map(Expr::parse).toList();
        return Evaluator.compile(roots, Declarations.NONE, SourceMap.EMPTY, Evaluator.shapesOf(vals), Map.of());
    }

    private Plan compile(String text, Map<String, Mat> vals) {
        return compile(List.of(text), vals);
    }

    /** Distinct subtrees of all roots: the steps a plan with shared subexpressions needs (no context-sized leaves here). */
    private static Set<Expr> subtrees(List<String> texts) {
        Set<Expr> seen = new HashSet<>();
        Deque<Expr> todo = new ArrayDeque<>();
        texts.forEach(t -> todo.push(Expr.parse(t)));
        while (!todo.isEmpty()) {
            Expr e = todo.pop();
            if (seen.add(e)) {
                TreeDepth.children(e).forEach(todo::push);
            }
        }
        return seen;
    }

    @Test
    void valueAndGradientTogetherEqualSeparatePlansBitForBit() {
        Plan joint = compile(List.of(VALUE, GRADIENT), values);
        Mat[] out = joint.runAll(values);
        assertEquals(2, out.length);
        assertEquals(2, joint.outputs());
        assertEquals(compile(VALUE, values).run(values), out[0]);
        assertEquals(compile(GRADIENT, values).run(values), out[1]);
        // run() is the first output; shapes per output.
        assertEquals(out[0], joint.run(values));
        assertEquals(List.of(1, 1), List.of(joint.shape(0)[0], joint.shape(0)[1]));
        assertEquals(List.of(3, 1), List.of(joint.shape(1)[0], joint.shape(1)[1]));
        // And against the gradient computed by hand: X'(s - y) with s the logistic sigmoid of X*w.
        Mat s = x.times(w).map(t -> 1 / (1 + Math.exp(-t)));
        assertTrue(x.transpose().times(s.minus(y)).approxEquals(out[1], 1e-12));
    }

    @Test
    void sharedSubexpressionsAreComputedOnce() {
        Plan value = compile(VALUE, values), gradient = compile(GRADIENT, values);
        Plan joint = compile(List.of(VALUE, GRADIENT), values);
        Set<Expr> inValue = subtrees(List.of(VALUE)), inGradient = subtrees(List.of(GRADIENT));
        Set<Expr> shared = new HashSet<>(inValue);
        shared.retainAll(inGradient);
        // X, w, y, X*w, y' ... at least X*w is shared; each shared step appears once in the joint plan.
        assertTrue(shared.contains(Expr.parse("X*w")));
        assertEquals(inValue.size(), value.size());
        assertEquals(inGradient.size(), gradient.size());
        assertEquals(value.size() + gradient.size() - shared.size(), joint.size());
        assertEquals(subtrees(List.of(VALUE, GRADIENT)).size(), joint.size());
    }

    @Test
    void outputsMayRepeatOrNestInEachOther() {
        Plan joint = compile(List.of("sum(X*w)", "X*w", "sum(X*w)"), values);
        Mat[] out = joint.runAll(values);
        assertEquals(compile("sum(X*w)", values).size(), joint.size());
        assertEquals(x.times(w), out[1]);
        assertEquals(out[0], out[2]);
        assertEquals(x.times(w).sum(), out[0].scalarValue(), 1e-12);
    }

    @Test
    void contextSizedLeavesTakeEachOutputsSize() {
        // vector(1) is 7 long in the first output and 3 long in the second: two steps, not one.
        List<String> texts = List.of("X*w + vector(1)", "w + vector(1)");
        Mat[] out = compile(texts, values).runAll(values);
        assertEquals(compile(texts.get(0), values).run(values), out[0]);
        assertEquals(compile(texts.get(1), values).run(values), out[1]);
        assertEquals(7, out[0].rows());
        assertEquals(3, out[1].rows());
    }

    @Test
    void failuresNameTheStepAndComeInOutputOrder() {
        MatcalcException second = assertThrows(MatcalcException.class,
                () -> compile(List.of("sum(X*w)", "sum(log(w - 100*vector(1)))"), values).runAll(values));
        assertEquals(MatcalcException.Kind.EVALUATION, second.kind());
        assertTrue(second.detail().contains("log("), second.detail());
        // Both fail: the first output's failure is reported, as evaluating them one by one would.
        MatcalcException first = assertThrows(MatcalcException.class,
                () -> compile(List.of("sum(sqrt(w - 100*vector(1)))", "sum(log(w - 100*vector(1)))"), values).runAll(values));
        assertTrue(first.detail().contains("sqrt("), first.detail());
        // A variable only the second output uses still needs a value.
        Map<String, Mat> withZ = Map.of("X", x, "w", w, "z", w);
        Plan needsZ = compile(List.of("sum(w)", "sum(z)"), withZ);
        MatcalcException missing = assertThrows(MatcalcException.class, () -> needsZ.runAll(Map.of("X", x, "w", w)));
        assertTrue(missing.detail().contains("no value for z"), missing.detail());
    }

    @Test
    void noExpressionsIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> Evaluator.compile(List.of(), Declarations.NONE, SourceMap.EMPTY, Map.of(), Map.of()));
    }
}
