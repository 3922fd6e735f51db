package org.matcalc.numeric.optimize;

import org.matcalc.numeric.Mat;
import org.matcalc.numeric.ad.AD;
import org.matcalc.numeric.ad.Node;
import org.matcalc.numeric.ad.ScalarProgram;
import org.matcalc.numeric.ad.Tape;

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

    /** A scalar program with its gradient by one reverse-mode sweep. */
    static Objective of(ScalarProgram f) {
        return (x, gradient) -> {
            Tape tape = new Tape();
            Node[] xs = new Node[x.length];
            for (int k = 0; k < x.length; k++) xs[k] = tape.variable(Mat.scalar(x[k]));
            Node out = f.apply(xs);
            if (!out.isScalar()) {
                throw new IllegalArgumentException("objective: required a scalar output, got " + out.value().shapeString());
            }
            tape.backward(out);
            for (int k = 0; k < x.length; k++) gradient[k] = xs[k].grad().scalarValue();
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
