package org.matcalc.methods.optimize;

import java.util.Random;

import org.matcalc.numeric.Mat;

/** Test objectives with their gradients (and Hessians), each checked against finite differences in the tests. */
final class Problems {
    private Problems() {
    }

    /** f = 0.5 x'Ax - b'x, minimised at the solution of A x = b. */
    static Objective quadratic(Mat a, Mat b) {
        return (x, g) -> {
            Mat xv = Mat.column(x);
            Mat ax = a.times(xv);
            double[] gr = ax.minus(b).toRowMajor();
            System.arraycopy(gr, 0, g, 0, g.length);
            return 0.5 * xv.dot(ax) - b.dot(xv);
        };
    }

    /**
     * Q diag(d) Q' with Q a seeded random orthogonal matrix (the identity when rnd is null):
     * condition number max(d)/min(d).
     */
    static Mat rotatedDiagonal(Random rnd, double... d) {
        int n = d.length;
        Mat q = rnd == null ? Mat.eye(n) : org.matcalc.numeric.RandomInputs.orthogonal(n, rnd);
        double[][] dd = new double[n][n];
        for (int i = 0; i < n; i++) dd[i][i] = d[i];
        Mat h = q.times(Mat.of(dd)).timesTranspose(q);
        return h.plus(h.transpose()).scale(0.5);
    }

    static Mat gaussian(Random rnd, int rows, int cols) {
        double[] v = new double[rows * cols];
        for (int k = 0; k < v.length; k++) v[k] = rnd.nextGaussian();
        return Mat.rowMajor(rows, cols, v);
    }

    /** Rosenbrock's banana 100 (x1 - x0^2)^2 + (1 - x0)^2, minimum 0 at (1, 1). */
    static final Objective ROSENBROCK = (x, g) -> {
        double a = x[1] - x[0] * x[0], b = 1 - x[0];
        g[0] = -400 * a * x[0] - 2 * b;
        g[1] = 200 * a;
        return 100 * a * a + b * b;
    };

    static Mat rosenbrockHessian(double[] x) {
        return Mat.of(new double[][] {{1200 * x[0] * x[0] - 400 * x[1] + 2, -400 * x[0]}, {-400 * x[0], 200}});
    }

    /**
     * Ridge-regularised logistic regression: sum_i [log(1 + exp(z_i)) - y_i z_i] + lambda/2 |w|^2
     * with z = X w; labels drawn from a seeded model so the classes overlap (a finite minimiser).
     */
    static final class Logistic {
        final Mat x;
        final double[] y;
        final double lambda;

        Logistic(long seed, int rows, int features, double lambda) {
            Random rnd = new Random(seed);
            this.x = gaussian(rnd, rows, features);
            double[] w = new double[features];
            for (int j = 0; j < features; j++) w[j] = rnd.nextGaussian();
            double[] z = x.times(Mat.column(w)).toRowMajor();
            this.y = new double[rows];
            for (int i = 0; i < rows; i++) y[i] = rnd.nextDouble() < 1 / (1 + Math.exp(-z[i])) ? 1 : 0;
            this.lambda = lambda;
        }

        final Objective objective = this::evaluate;

        double evaluate(double[] w, double[] g) {
            double[] z = x.times(Mat.column(w)).toRowMajor();
            double f = 0;
            double[] r = new double[z.length];
            for (int i = 0; i < z.length; i++) {
                // log(1 + exp(z)) without overflow
                f += (z[i] > 0 ? z[i] + Math.log1p(Math.exp(-z[i])) : Math.log1p(Math.exp(z[i]))) - y[i] * z[i];
                r[i] = 1 / (1 + Math.exp(-z[i])) - y[i];
            }
            double[] gr = x.transposeTimes(Mat.column(r)).toRowMajor();
            for (int j = 0; j < w.length; j++) {
                g[j] = gr[j] + lambda * w[j];
                f += 0.5 * lambda * w[j] * w[j];
            }
            return f;
        }

        Mat hessian(double[] w) {
            double[] z = x.times(Mat.column(w)).toRowMajor();
            double[][] d = new double[z.length][z.length];
            for (int i = 0; i < z.length; i++) {
                double s = 1 / (1 + Math.exp(-z[i]));
                d[i][i] = s * (1 - s);
            }
            return x.transposeTimes(Mat.of(d)).times(x).plus(Mat.eye(w.length).scale(lambda));
        }
    }

    /** The gradient an objective writes, as a column. */
    static Mat gradient(Objective f, double[] x) {
        double[] g = new double[x.length];
        f.evaluate(x, g);
        return Mat.column(g);
    }

    static double value(Objective f, Mat x) {
        return f.evaluate(x.toRowMajor(), new double[x.size()]);
    }
}
