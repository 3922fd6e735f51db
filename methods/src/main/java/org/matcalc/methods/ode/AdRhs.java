package org.matcalc.methods.ode;

import java.util.Arrays;

import org.matcalc.numeric.Mat;
import org.matcalc.ad.DualVec;
import org.matcalc.numeric.Num;
import org.matcalc.ad.ScalarTape;
import org.matcalc.ad.Real;

/** {@link Rhs#of(Rhs.Program)}: f from a program over {@link Num}, its derivatives from AD. */
final class AdRhs implements Rhs {
    private final Rhs.Program program;

    AdRhs(Rhs.Program program) {
        this.program = program;
    }

    @Override
    public double[] value(double t, double[] u, double[] p) {
        Real[] us = Seeds.reals(u), ps = Seeds.reals(p);
        Real[] du = new Real[u.length];
        program.apply(t, us, ps, du);
        double[] f = new double[u.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = written(du, i).real();
        }
        return f;
    }

    @Override
    public Mat dfdu(double t, double[] u, double[] p) {
        return jacobian(t, u, p, true);
    }

    @Override
    public Mat dfdp(double t, double[] u, double[] p) {
        return jacobian(t, u, p, false);
    }

    /** One forward pass seeding u (or p) with unit directions. */
    private Mat jacobian(double t, double[] u, double[] p, boolean byU) {
        int n = u.length, np = p.length, dirs = byU ? n : np;
        DualVec[] us = new DualVec[n], ps = new DualVec[np];
        for (int i = 0; i < n; i++) {
            us[i] = byU ? DualVec.variable(u[i], i, dirs) : DualVec.of(u[i], new double[dirs]);
        }
        for (int k = 0; k < np; k++) {
            ps[k] = byU ? DualVec.of(p[k], new double[dirs]) : DualVec.variable(p[k], k, dirs);
        }
        return tangents(t, us, ps, dirs);
    }

    @Override
    public Mat sensitivity(double t, double[] u, double[] p, Mat s) {
        int n = u.length, np = p.length;
        DualVec[] us = new DualVec[n], ps = new DualVec[np];
        double[] rows = s.toRowMajor();
        for (int i = 0; i < n; i++) {
            us[i] = DualVec.of(u[i], Arrays.copyOfRange(rows, i * np, (i + 1) * np)); // du_i = S[i,:] dp
        }
        for (int k = 0; k < np; k++) {
            ps[k] = DualVec.variable(p[k], k, np);
        }
        return tangents(t, us, ps, np);
    }

    /** The n x dirs matrix whose row i is the tangent of f_i for the seeded inputs. */
    private Mat tangents(double t, DualVec[] us, DualVec[] ps, int dirs) {
        int n = us.length;
        DualVec[] du = new DualVec[n];
        program.apply(t, us, ps, du);
        double[] out = new double[n * dirs];
        for (int i = 0; i < n; i++) {
            System.arraycopy(written(du, i).gradient(), 0, out, i * dirs, dirs);
        }
        return Mat.rowMajor(n, dirs, out);
    }

    @Override
    public Vjp vjp(double t, double[] u, double[] p, double[] lambda) {
        // One reverse sweep seeded with lambda_i on du_i (scalar tape: see ScalarTape for why not ad.Tape).
        ScalarTape tape = new ScalarTape();
        ScalarTape.Var[] us = tape.variables(u), ps = tape.variables(p);
        ScalarTape.Var[] du = new ScalarTape.Var[u.length];
        program.apply(t, us, ps, du);
        for (int i = 0; i < du.length; i++) {
            written(du, i);
        }
        double[] adj = tape.backward(du, lambda);
        return new Vjp(ScalarTape.gradient(us, adj), ScalarTape.gradient(ps, adj));
    }

    private static <T> T written(T[] du, int i) {
        if (du[i] == null) {
            throw new IllegalArgumentException("Rhs program: du[" + i + "] was not written (it must set all "
                    + du.length + " entries)");
        }
        return du[i];
    }
}
