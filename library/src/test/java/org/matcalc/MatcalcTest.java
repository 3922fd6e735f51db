package org.matcalc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.matcalc.expr.MatcalcException;
import org.matcalc.numeric.Mat;
import org.matcalc.numeric.RandomInputs;

/** The library facade: declare, parse, differentiate, print, evaluate, on non-square inputs. */
class MatcalcTest {
    @Test
    void leastSquaresGradientEndToEnd() {
        Matcalc mc = Matcalc.declare("X: matrix(n,m); w: vector(m); y: vector(n)");
        Matcalc.Formula loss = mc.parse("norm2(X*w - y)^2");
        Matcalc.Formula grad = loss.gradient("w");
        assertEquals("2*X'*(X*w - y)", grad.text());
        assertTrue(grad.latex().contains("X^{T}"), grad.latex());
        assertTrue(!grad.steps().isEmpty());
        Random rnd = new Random(3);
        Mat x = RandomInputs.entries(5, 3, rnd, RandomInputs.Style.SIGNED);
        Mat w = RandomInputs.entries(3, 1, rnd, RandomInputs.Style.SIGNED);
        Mat y = RandomInputs.entries(5, 1, rnd, RandomInputs.Style.SIGNED);
        Mat want = x.transposeTimes(x.times(w).minus(y)).scale(2);
        assertTrue(want.approxEquals(grad.evaluate(Map.of("X", x, "w", w, "y", y)), 1e-12));
        Mat hessian = loss.hessian("w").evaluate(Map.of("X", x, "w", w, "y", y));
        assertTrue(x.transposeTimes(x).scale(2).approxEquals(hessian, 1e-12));
    }

    @Test
    void refusalsCarryPositions() {
        MatcalcException e = assertThrows(MatcalcException.class, () -> Matcalc.undeclared().parse("x*y"));
        assertEquals(1, e.span().line());
        assertEquals(2, e.span().column());
    }
}
