package org.matcalc.methods.variations;

import org.matcalc.numeric.Num;

/**
 * The integrand F(x, y, y') of a functional J[y] = ∫_a^b F(x, y(x), y'(x)) dx (MIT 18.063
 * §10.4), written once over any {@link Num} so that dual numbers and the reverse tape
 * differentiate it. Its Euler–Lagrange equation is ∂F/∂y - (∂F/∂y')' = 0.
 */
@FunctionalInterface
public interface Lagrangian {
    /** L(x, y, y'). */
    <T extends Num<T>> T apply(double x, T y, T yPrime);
}
