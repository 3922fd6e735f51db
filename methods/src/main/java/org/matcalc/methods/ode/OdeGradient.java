package org.matcalc.methods.ode;

import org.matcalc.numeric.Mat;

/**
 * A scalar objective G(p) of an ODE solution, its gradient by p (N x 1) and the number of
 * right-hand-side evaluations of the integrations that produced them.
 */
public record OdeGradient(double value, Mat gradient, int evaluations) {
}
