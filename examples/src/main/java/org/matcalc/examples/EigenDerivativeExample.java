package org.matcalc.examples;

import java.io.PrintStream;
import java.nio.file.Path;

import org.matcalc.numeric.Kernels;
import org.matcalc.numeric.Mat;
import org.matcalc.ad.AD;
import org.matcalc.methods.eigen.EigenDerivatives;
import org.matcalc.numeric.fd.FiniteDifferences;

/**
 * MIT 18.063 §13.2.1 and ch. 7 on the seeds' 3 x 3 symmetric matrix, the Hessian
 * [[4,0,1],[0,-2,3],[1,3,0]] of f = 2 x0^2 - x1^2 + x0 x2 + 3 x1 x2 (eigenvalues 4.34211128,
 * 1.86236874, -4.20448002): first and second derivatives of each eigenvalue and the derivative
 * of each eigenvector along a symmetric direction E, by perturbation theory, by the reverse
 * tape and by central finite differences of the eigensolver; then d det and d inv along E.
 */
public final class EigenDerivativeExample implements Example {
    static final Mat A = Mat.of(new double[][] {{4, 0, 1}, {0, -2, 3}, {1, 3, 0}});
    static final Mat E = Mat.of(new double[][] {{1, 0.5, 0}, {0.5, 0, -1}, {0, -1, 2}});
    static final double[] SEED_EIGENVALUES = {-4.20448002, 1.86236874, 4.34211128};

    @Override
    public String name() {
        return "eigen-derivative";
    }

    @Override
    public String summary() {
        return "derivatives of eigenvalues and eigenvectors of a symmetric 3x3 matrix, and of det and inv";
    }

    @Override
    public boolean run(PrintStream out, Path outputDir) {
        EigenDerivatives d = EigenDerivatives.of(A);
        out.println("A = [[4, 0, 1], [0, -2, 3], [1, 3, 0]]  (the Hessian of 2 x0^2 - x1^2 + x0 x2 + 3 x1 x2)");
        out.println("E = [[1, 0.5, 0], [0.5, 0, -1], [0, -1, 2]]  (a symmetric direction)");
        out.println("finite differences: central, of Kernels.eigSym along A + t E, eigenvector signs aligned with t = 0");

        boolean ok = true;
        double worstFd = 0, worstAd = 0, worst2 = 0;
        Mat adValues = AD.jvp(x -> x.eigvalsSym(), A, E).tangent();
        Mat adVectors = AD.jvp(x -> x.eigvecsSym(), A, E).tangent();
        out.printf("%n  %-2s %14s %16s %16s %16s %16s %16s%n", "i", "lambda_i", "q_i' E q_i", "tape (jvp)",
                "finite diff.", "d2 lambda_i", "FD of d lambda");
        for (int i = 0; i < 3; i++) {
            final int ii = i;
            double l = d.eigenvalue(i);
            ok &= Math.abs(l - SEED_EIGENVALUES[i]) <= 5e-9;
            double dl = d.eigenvalueDirectional(i, E);
            double fd = FiniteDifferences.directional(m -> Kernels.eigvals(m).at(ii), A, E);
            double d2 = d.eigenvalueSecondDirectional(i, E);
            double fd2 = FiniteDifferences.directional(m -> EigenDerivatives.of(m).eigenvalueDirectional(ii, E), A, E);
            out.printf("  %-2d %14.8f %16.10f %16.10f %16.10f %16.10f %16.10f%n", i, l, dl, adValues.at(i), fd, d2, fd2);
            worstFd = Math.max(worstFd, rel(dl, fd));
            worstAd = Math.max(worstAd, rel(dl, adValues.at(i)));
            worst2 = Math.max(worst2, rel(d2, fd2));
        }

        out.printf("%neigenvector derivatives dq_i = sum_{j != i} q_j (q_j' E q_i) / (lambda_i - lambda_j):%n");
        for (int i = 0; i < 3; i++) {
            final int ii = i;
            Mat q = d.eigenvector(i);
            Mat dq = d.eigenvectorDirectional(i, E);
            Mat fd = FiniteDifferences.directionalMatrix(m -> aligned(m, ii, q), A, E);
            Mat ad = column(adVectors, i);
            out.printf("  q_%d  = %s%n  dq_%d = %s%n  FD    %s%n  tape  %s%n", i, fmt(q), i, fmt(dq), fmt(fd), fmt(ad));
            worstFd = Math.max(worstFd, rel(dq, fd));
            worstAd = Math.max(worstAd, rel(dq, ad));
        }
        Mat g = d.eigenvalueGradient(2);
        Mat gAd = AD.gradient(x -> x.eigvalsSym().get(2, 0), A);
        out.printf("%ngradient of the largest eigenvalue, q_2 q_2' = %s%n  tape: %s%n", fmt(g), fmt(gAd));
        worstAd = Math.max(worstAd, rel(g, gAd));

        double det = Kernels.det(A);
        double dd = AD.jvp(x -> x.det(), A, E).tangent().scalarValue();
        double ddFd = FiniteDifferences.directional(Kernels::det, A, E);
        Mat di = AD.jvp(x -> x.inv(), A, E).tangent();
        Mat diFd = FiniteDifferences.directionalMatrix(Kernels::inv, A, E);
        out.printf("%ndet A = %.10f (= product of the eigenvalues %.10f)%n", det,
                d.eigenvalue(0) * d.eigenvalue(1) * d.eigenvalue(2));
        out.printf("d det = det(A) tr(inv(A) E) = %.10f   finite differences %.10f%n", dd, ddFd);
        out.printf("d inv = -inv(A) E inv(A) = %s%n  finite differences     %s%n", fmt(di), fmt(diFd));
        worstFd = Math.max(worstFd, Math.max(rel(dd, ddFd), rel(di, diFd)));

        out.printf("%nworst relative difference: against finite differences %.1e, against the tape %.1e, "
                + "second derivative against FD %.1e%n", worstFd, worstAd, worst2);
        ok &= worstFd <= 1e-6 && worstAd <= 1e-10 && worst2 <= 1e-6;
        out.println(ok ? "OK: eigenvalues match the seed to 8 decimals; perturbation theory, the tape and finite "
                + "differences agree" : "MISMATCH");
        return ok;
    }

    private static Mat aligned(Mat m, int i, Mat reference) {
        Mat c = column(Kernels.eigSym(m).vectors(), i);
        return c.dot(reference) < 0 ? c.negate() : c;
    }

    private static Mat column(Mat m, int j) {
        double[] c = new double[m.rows()];
        for (int r = 0; r < c.length; r++) {
            c[r] = m.get(r, j);
        }
        return Mat.column(c);
    }

    private static String fmt(Mat m) {
        StringBuilder s = new StringBuilder("[");
        for (int r = 0; r < m.rows(); r++) {
            s.append(r == 0 ? "" : "; ");
            for (int c = 0; c < m.cols(); c++) {
                s.append(c == 0 ? "" : ", ").append(String.format("%.9f", m.get(r, c)));
            }
        }
        return s.append("]").toString();
    }

    /** |a - b| / max(1, |a|, |b|). */
    private static double rel(double a, double b) {
        return Math.abs(a - b) / Math.max(1, Math.max(Math.abs(a), Math.abs(b)));
    }

    private static double rel(Mat a, Mat b) {
        double w = 0;
        for (int r = 0; r < a.rows(); r++) {
            for (int c = 0; c < a.cols(); c++) {
                w = Math.max(w, rel(a.get(r, c), b.get(r, c)));
            }
        }
        return w;
    }
}
