package org.matcalc.diff;

/**
 * How a derivative is presented (CONTRACT.md §4). The engine computes one canonical form
 * (gradient shaped like the variable; Jacobian of vec(F) by vec(X) with rows = outputs);
 * the layout is a last transpose.
 */
public enum Layout {
    /** matrixcalculus.org's default: gradients shaped like the variable, Jacobians in numerator layout. */
    MIXED,
    /** The book's convention: df/dx is a row vector, a Jacobian has one row per output. */
    NUMERATOR,
    /** df/dx is a column vector, a Jacobian has one column per output. */
    DENOMINATOR
}
