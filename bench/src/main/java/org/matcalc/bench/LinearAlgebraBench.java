package org.matcalc.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.ejml.interfaces.decomposition.LUDecomposition_F64;
import org.ojalgo.RecoverableCondition;
import org.ojalgo.matrix.decomposition.Eigenvalue;
import org.ojalgo.matrix.decomposition.LU;
import org.ojalgo.matrix.store.MatrixStore;
import org.ojalgo.matrix.store.R064Store;
import org.ojalgo.matrix.task.InverterTask;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * EJML (matcalc's backend behind {@code Mat}) against ojAlgo on the dense operations the
 * numeric layer leans on: product, inverse, LU determinant, symmetric eigendecomposition.
 *
 * <p>Both sides get the same random inputs (fixed seed), preallocated outputs and reused
 * decomposition objects, so the figures compare kernels rather than allocation. Results
 * and the command that produced them are in docs/linear-algebra.md.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LinearAlgebraBench {

    /** Random n x n data; symmetric positive definite when asked (for the eigensolver). */
    static double[][] random(int n, long seed, boolean spd) {
        Random rnd = new Random(seed);
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                a[i][j] = rnd.nextGaussian();
            }
        }
        if (spd) {
            double[][] s = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double t = 0;
                    for (int k = 0; k < n; k++) {
                        t += a[k][i] * a[k][j];
                    }
                    s[i][j] = t + (i == j ? n : 0);
                }
            }
            return s;
        }
        for (int i = 0; i < n; i++) {
            a[i][i] += n; // diagonally dominant: well conditioned, never singular
        }
        return a;
    }

    /** Inputs in both libraries' formats. */
    public abstract static class Inputs {
        DMatrixRMaj ejA, ejB, ejOut;
        R064Store ojA, ojB, ojOut;

        void build(int n, boolean spd) {
            double[][] a = random(n, 42, spd), b = random(n, 43, spd);
            ejA = new DMatrixRMaj(a);
            ejB = new DMatrixRMaj(b);
            ejOut = new DMatrixRMaj(n, n);
            ojA = R064Store.FACTORY.copy(org.ojalgo.structure.Access2D.wrap(a));
            ojB = R064Store.FACTORY.copy(org.ojalgo.structure.Access2D.wrap(b));
            ojOut = R064Store.FACTORY.make(n, n);
        }
    }

    @State(Scope.Thread)
    public static class ProductState extends Inputs {
        @Param({"10", "50", "200"})
        public int n;

        @Setup(Level.Trial)
        public void setup() {
            build(n, false);
        }
    }

    @State(Scope.Thread)
    public static class InverseState extends Inputs {
        @Param({"3", "50"})
        public int n;
        InverterTask<Double> ojInverter;

        @Setup(Level.Trial)
        public void setup() {
            build(n, false);
            ojInverter = InverterTask.R064.make(ojA, false, false);
        }
    }

    @State(Scope.Thread)
    public static class DetState extends Inputs {
        @Param({"50"})
        public int n;
        LUDecomposition_F64<DMatrixRMaj> ejLu;
        LU<Double> ojLu;

        @Setup(Level.Trial)
        public void setup() {
            build(n, false);
            ejLu = DecompositionFactory_DDRM.lu(n, n);
            ojLu = LU.R064.make(ojA);
        }
    }

    @State(Scope.Thread)
    public static class EigState extends Inputs {
        @Param({"50"})
        public int n;
        EigenDecomposition_F64<DMatrixRMaj> ejEig;
        Eigenvalue<Double> ojEig;

        @Setup(Level.Trial)
        public void setup() {
            build(n, true);
            ejEig = DecompositionFactory_DDRM.eig(n, true, true);
            ojEig = Eigenvalue.R064.make(ojA, true);
        }
    }

    @Benchmark
    public DMatrixRMaj productEjml(ProductState s) {
        CommonOps_DDRM.mult(s.ejA, s.ejB, s.ejOut);
        return s.ejOut;
    }

    @Benchmark
    public R064Store productOjalgo(ProductState s) {
        s.ojOut.fillByMultiplying(s.ojA, s.ojB);
        return s.ojOut;
    }

    @Benchmark
    public DMatrixRMaj inverseEjml(InverseState s) {
        if (!CommonOps_DDRM.invert(s.ejA, s.ejOut)) {
            throw new IllegalStateException("singular");
        }
        return s.ejOut;
    }

    @Benchmark
    public MatrixStore<Double> inverseOjalgo(InverseState s) throws RecoverableCondition {
        return s.ojInverter.invert(s.ojA, s.ojOut);
    }

    @Benchmark
    public double luDetEjml(DetState s) {
        // EJML's LU copies its input (inputModified() == false), so ejA stays intact.
        s.ejLu.decompose(s.ejA);
        return s.ejLu.computeDeterminant().real;
    }

    @Benchmark
    public double luDetOjalgo(DetState s) {
        s.ojLu.decompose(s.ojA);
        return s.ojLu.getDeterminant();
    }

    @Benchmark
    public Object eigSymEjml(EigState s) {
        // EJML's symmetric eigensolver works in place (inputModified() == true): copy first,
        // as Mat callers must. ojAlgo copies internally, so both sides pay for one copy.
        s.ejOut.setTo(s.ejA);
        s.ejEig.decompose(s.ejOut);
        return s.ejEig.getEigenVector(0);
    }

    @Benchmark
    public Object eigSymOjalgo(EigState s) {
        s.ojEig.decompose(s.ojA);
        return s.ojEig.getV();
    }
}
