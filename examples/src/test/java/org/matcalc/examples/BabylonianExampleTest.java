package org.matcalc.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.matcalc.ad.AD;

/** Dual numbers through the Babylonian square root (moved from ad's DualTest with the example). */
class BabylonianExampleTest {
    @Test
    void derivativeOfBabylonianSqrt() {
        double d = AD.derivative(x -> BabylonianExample.babylonian(x, 10), 2);
        assertEquals(0.5 / Math.sqrt(2), d, 1e-15);
    }
}
