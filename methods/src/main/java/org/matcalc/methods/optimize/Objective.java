package org.matcalc.methods.optimize;

import org.matcalc.numeric.Mat;
import org.matcalc.ad.AD;
import org.matcalc.ad.ScalarProgram;
import org.matcalc.ad.ScalarTape;

/** A smooth objective f: R^n -> R with its gradient, evaluated together (they share work). */
@FunctionalInterface
public interface Objective {
    /**
     * Returns f(x) and writes the gradient of f at x into {@code gradient}.
     *
     * @param x        the point. Not modified.
     * @param gradient length x.length. Modified: overwritten with the gradient.
     */
    double evaluate(double[] x, double[] gradient);

    /** A scalar program with its gradient by one reverse sweep over a flat scalar tape. */
    static Objective of(ScalarProgram f) {
        return (x, gradient) -> {
            ScalarTape tape = new ScalarTape();
            ScalarTape.Var[] xs = tape.variables(x);
            ScalarTape.Var out = f.apply(xs);
            double[] g = ScalarTape.gradient(xs, tape.backward(new ScalarTape.Var[] {out}, new double[] {1}));
            System.arraycopy(g, 0, gradient, 0, g.length);
            return out.real();
        };
    }

    /** A scalar matrix program of a column vector x, with its gradient by one reverse-mode sweep. */
    static Objective of(AD.MatFunction f) {
        return (x, gradient) -> {
            AD.ValueAndGradient vg = AD.valueAndGradient(f, Mat.column(x));
            double[] g = vg.gradient().toRowMajor();
            System.arraycopy(g, 0, gradient, 0, g.length);
            return vg.value();
        };
    }
}
