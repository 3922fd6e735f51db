package org.matcalc.methods.optimize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Newton-CG from Hessian-vector products: a quadratic in one step, Rosenbrock to its minimum in fewer steps than L-BFGS. */
class NewtonCgTest {
    static final Options TIGHT = Options.defaults().withMaxIterations(500).withGradientTolerance(1e-10);

    @Test
    void aQuadraticIsSolvedByItsNewtonStep() {
        // f = 1/2 x'Ax - b'x with A spd (5 x 5): CG reaches the forcing tolerance, then one more step at most
        double[][] a = new double[5][5];
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 5; j++) {
                a[i][j] = (i == j ? 5 : 0) + 1.0 / (1 + i + j);
            }
        }
        double[] b = {1, -2, 3, 0.5, -1};
        Objective f = (x, g) -> {
            double v = 0;
            for (int i = 0; i < 5; i++) {
                double ax = 0;
                for (int j = 0; j < 5; j++) {
                    ax += a[i][j] * x[j];
                }
                g[i] = ax - b[i];
                v += 0.5 * x[i] * ax - b[i] * x[i];
            }
            return v;
        };
        NewtonCg.HessianTimes hv = (x, v) -> {
            double[] out = new double[5];
            for (int i = 0; i < 5; i++) {
                for (int j = 0; j < 5; j++) {
                    out[i] += a[i][j] * v[j];
                }
            }
            return out;
        };
        Result r = NewtonCg.minimize(f, hv, new double[5], TIGHT);
        assertTrue(r.converged(), r.message());
        assertTrue(r.iterations() <= 6, "iterations " + r.iterations()); // the forcing term min(0.1, sqrt|g|): linear, then superlinear
        Result l = Lbfgs.minimize(f, new double[5], TIGHT);
        for (int i = 0; i < 5; i++) {
            assertEquals(l.x()[i], r.x()[i], 1e-9);
        }
    }

    @Test
    void rosenbrockWithItsExactHessian() {
        Objective f = (x, g) -> {
            double a = 1 - x[0], b = x[1] - x[0] * x[0];
            g[0] = -2 * a - 400 * x[0] * b;
            g[1] = 200 * b;
            return a * a + 100 * b * b;
        };
        NewtonCg.HessianTimes hv = (x, v) -> {
            double h00 = 2 - 400 * (x[1] - x[0] * x[0]) + 800 * x[0] * x[0], h01 = -400 * x[0], h11 = 200;
            return new double[] {h00 * v[0] + h01 * v[1], h01 * v[0] + h11 * v[1]};
        };
        Result r = NewtonCg.minimize(f, hv, new double[] {-1.2, 1}, TIGHT);
        assertTrue(r.converged(), r.message());
        assertEquals(1, r.x()[0], 1e-8);
        assertEquals(1, r.x()[1], 1e-8);
        // the valley is indefinite: directions of negative curvature end CG early, and are said
        assertTrue(r.message().contains("Hessian-vector products") && r.message().contains("non-positive curvature"), r.message());
    }

    @Test
    void aConvexLossTakesFewerStepsThanLbfgs() {
        // sum(softplus(A*x)) - b'*x + |x|^2/2 with A 60 x 8: the logistic loss, strongly convex
        java.util.Random rnd = new java.util.Random(3);
        int m = 60, n = 8;
        double[][] a = new double[m][n];
        double[] b = new double[n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                a[i][j] = rnd.nextGaussian();
            }
        }
        for (int j = 0; j < n; j++) {
            b[j] = 3 * rnd.nextGaussian();
        }
        Objective f = (x, g) -> {
            double v = 0;
            for (int j = 0; j < n; j++) {
                g[j] = x[j] - b[j];
                v += 0.5 * x[j] * x[j] - b[j] * x[j];
            }
            for (int i = 0; i < m; i++) {
                double z = 0;
                for (int j = 0; j < n; j++) {
                    z += a[i][j] * x[j];
                }
                v += Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
                double s = 1 / (1 + Math.exp(-z));
                for (int j = 0; j < n; j++) {
                    g[j] += s * a[i][j];
                }
            }
            return v;
        };
        NewtonCg.HessianTimes hv = (x, v) -> {
            double[] out = v.clone();
            for (int i = 0; i < m; i++) {
                double z = 0, av = 0;
                for (int j = 0; j < n; j++) {
                    z += a[i][j] * x[j];
                    av += a[i][j] * v[j];
                }
                double s = 1 / (1 + Math.exp(-z));
                for (int j = 0; j < n; j++) {
                    out[j] += s * (1 - s) * av * a[i][j];
                }
            }
            return out;
        };
        Result r = NewtonCg.minimize(f, hv, new double[n], TIGHT), l = Lbfgs.minimize(f, new double[n], TIGHT);
        assertTrue(r.converged() && l.converged());
        assertEquals(l.value(), r.value(), 1e-12 * Math.abs(l.value()));
        assertTrue(r.iterations() < l.iterations(), r.iterations() + " Newton-CG iterations against " + l.iterations() + " for L-BFGS");
    }
}
