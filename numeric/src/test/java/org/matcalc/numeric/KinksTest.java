package org.matcalc.numeric;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.matcalc.expr.Declarations;
import org.matcalc.expr.Expr;

/** The distance to the nearest kink, by function, with rounding-size ties and zeros read as structure. */
class KinksTest {
    private static Kinks.Nearest at(String f, String name, Mat value) {
        return Kinks.nearest(Expr.parse(f), Declarations.NONE, Map.of(name, value), Map.of());
    }

    @Test
    void eachNonSmoothFunctionMeasuresItsOwnKink() {
        Mat x = Mat.column(0.3, -0.004, 2);
        assertEquals(0.004, at("sum(abs(x))", "x", x).distance(), 1e-15);
        assertEquals("abs(x)", at("sum(abs(x))", "x", x).where());
        assertEquals(0.004, at("sum(relu(x))", "x", x).distance(), 1e-15);
        assertEquals(0.004, at("norm1(x)", "x", x).distance(), 1e-15);
        // max: the gap to the runner-up; min alike
        assertEquals(1.7, at("max(x)", "x", x).distance(), 1e-12);
        assertEquals(0.304, at("min(x)", "x", x).distance(), 1e-12);
        // max(a, b): the nearest tie of the pair
        assertEquals(0.3, at("sum(max(x, 0.6))", "x", x).distance(), 1e-12);
        assertEquals(Double.POSITIVE_INFINITY, at("x'*x", "x", x).distance());
    }

    @Test
    void exactTiesAndZerosAreStructureNotKinks() {
        // the zeros of a diagonal matrix, the mirrored entries of a symmetric one
        Mat d = Mat.of(new double[][] {{2, 0}, {0, 3}});
        assertEquals(2, at("norm1(D)", "D", d).distance(), 1e-15);
        Mat s = Mat.of(new double[][] {{1, 5}, {5, 2}});
        assertEquals(3, at("max(S)", "S", s).distance(), 1e-15);
    }
}
