package org.matcalc.methods.optimize;

/** The few dense-vector operations the solvers need, on plain arrays (no allocation in loops). */
final class Vec {
    private Vec() {
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    /** The Euclidean norm, scaled so that it neither overflows nor underflows. */
    static double norm(double[] a) {
        double scale = 0;
        for (double v : a) scale = Math.max(scale, Math.abs(v));
        if (scale == 0 || !Double.isFinite(scale)) return scale;
        double s = 0;
        for (double v : a) {
            double t = v / scale;
            s += t * t;
        }
        return scale * Math.sqrt(s);
    }

    /** out = x + alpha * p. */
    static void step(double[] x, double alpha, double[] p, double[] out) {
        for (int i = 0; i < x.length; i++) out[i] = x[i] + alpha * p[i];
    }

    static double distance(double[] a, double[] b) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i] - b[i];
        return norm(d);
    }

    static boolean allFinite(double[] a) {
        for (double v : a) if (!Double.isFinite(v)) return false;
        return true;
    }
}
