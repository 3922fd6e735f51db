package org.matcalc.methods.optimize;

/**
 * One row of a solver's history: iteration k (0 is the starting point), the objective (or the
 * residual norm for root finding), the gradient or residual norm, the step length taken and
 * the distance |x_k - x_{k-1}|.
 */
public record Iteration(int k, double value, double gradientNorm, double stepLength, double stepNorm) {
}
