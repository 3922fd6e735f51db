package org.matcalc.ad;

import org.matcalc.numeric.Num;

/**
 * A scalar function of n scalar inputs written once over any {@link Num}, so that it runs on
 * plain values, dual numbers, nested duals and the reverse tape alike. Java lambdas cannot be
 * generic, so write it as an anonymous class:
 *
 * <pre>{@code
 * ScalarProgram f = new ScalarProgram() {
 *     public <T extends Num<T>> T apply(T[] x) {
 *         return x[0].sin().div(x[1]).plus(x[0]);
 *     }
 * };
 * }</pre>
 */
public interface ScalarProgram {
    /** The program at x, in any number type (reals, duals, tape variables). */
    <T extends Num<T>> T apply(T[] x);
}
