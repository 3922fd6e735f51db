package org.matcalc.methods.optimize;

import java.util.List;

import org.matcalc.numeric.Num;

/**
 * A system F: R^n -> R^m written once over any {@link Num}, so that one run on
 * {@link org.matcalc.ad.DualVec} numbers gives F and its whole Jacobian (forward mode,
 * n directions at once). Java lambdas cannot be generic, so write it as an anonymous class:
 *
 * <pre>{@code
 * SystemProgram f = new SystemProgram() {
 *     public <T extends Num<T>> List<T> apply(T[] u) {
 *         T x = u[0], y = u[1];
 *         return List.of(x.times(4).minus(x.times(y).times(2)),
 *                        y.times(2).plus(x.times(y)).minus(y.square().times(2)));
 *     }
 * };
 * }</pre>
 */
public interface SystemProgram {
    /** F(x), in any number type. */
    <T extends Num<T>> List<T> apply(T[] x);
}
