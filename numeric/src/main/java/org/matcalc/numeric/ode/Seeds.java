package org.matcalc.numeric.ode;

import org.matcalc.numeric.Mat;
import org.matcalc.numeric.ad.Node;
import org.matcalc.numeric.ad.Real;
import org.matcalc.numeric.ad.Tape;

/** Turning u and p into the inputs of a {@code Num} program, and reading gradients back, for the AD-backed models. */
final class Seeds {
    private Seeds() {
    }

    /** v as plain values (no derivative carried). */
    static Real[] reals(double[] v) {
        Real[] r = new Real[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = new Real(v[i]);
        }
        return r;
    }

    /** v as variables on the tape, one node per entry. */
    static Node[] variables(Tape tape, double[] v) {
        Node[] r = new Node[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = tape.variable(Mat.scalar(v[i]));
        }
        return r;
    }

    /** The adjoints of the nodes after a backward sweep. */
    static double[] gradients(Node[] nodes) {
        double[] g = new double[nodes.length];
        for (int i = 0; i < nodes.length; i++) {
            g[i] = nodes[i].grad().scalarValue();
        }
        return g;
    }
}
