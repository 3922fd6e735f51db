package org.matcalc.methods.ode;

import org.matcalc.ad.Real;

/** Turning u and p into plain inputs of a {@code Num} program (no derivatives), for the AD-backed models. */
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
}
