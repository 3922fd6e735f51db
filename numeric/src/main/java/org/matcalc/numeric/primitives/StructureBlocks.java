package org.matcalc.numeric.primitives;

import static org.matcalc.numeric.primitives.Primitive.unary;

import org.matcalc.expr.Builtin;
import org.matcalc.numeric.Kernels;
import org.matcalc.numeric.Mat;
import org.matcalc.numeric.MatDual;
import org.matcalc.numeric.MatOps;

/**
 * Structure: sum, tr, vec, diag and kron, each as one block of kernel, forward rule and reverse
 * rule. All are linear (kron bilinear), so each forward rule applies the map to value and
 * tangent alike and each reverse rule is the map's adjoint.
 */
final class StructureBlocks {
    private StructureBlocks() {
    }

    static void register() {
        Primitives.add(Builtin.SUM, StructureBlocks::sum, StructureBlocks::sumJvp, unary(StructureBlocks::sumVjp));
        Primitives.add(Builtin.TR, StructureBlocks::tr, StructureBlocks::trJvp, unary(StructureBlocks::trVjp));
        Primitives.add(Builtin.VEC, StructureBlocks::vec, StructureBlocks::vecJvp, unary(StructureBlocks::vecVjp));
        Primitives.add(Builtin.DIAG, StructureBlocks::diag, StructureBlocks::diagJvp, unary(StructureBlocks::diagVjp));
        Primitives.add(Builtin.KRON, StructureBlocks::kron, StructureBlocks::kronJvp, StructureBlocks::kronVjp);

        Primitives.add(Builtin.SUM_AXIS, StructureBlocks::sumAxis, StructureBlocks::sumAxisJvp, StructureBlocks::sumAxisVjp);
        Primitives.add(Builtin.NUMEL, x -> Mat.scalar(x[0].size()), x -> MatDual.constant(Mat.scalar(x[0].value().size())),
                StructureBlocks::countVjp);
        Primitives.add(Builtin.SIZE, x -> Mat.scalar(count(x[0], axis(x[1]))),
                x -> MatDual.constant(Mat.scalar(count(x[0].value(), axis(x[1].value())))), StructureBlocks::countVjp);

        Primitives.code(Builtin.SUM, Emitters.of("np.sum({0})", "torch.sum({0})"));
        Primitives.code(Builtin.SUM_AXIS, new Emitters(x -> x.shape(0).isScalar() ? x.arg(0)
                : "np.sum(" + x.arg(0) + ", axis=" + (Emitters.axis(x) - 1) + ", keepdims=True)",
                x -> x.shape(0).isScalar() ? x.arg(0) : "torch.sum(" + x.arg(0) + ", dim=" + (Emitters.axis(x) - 1) + ", keepdim=True)"));
        Primitives.code(Builtin.NUMEL, new Emitters(x -> "np.float64(" + x.size(x.shape(0).rows()) + " * " + x.size(x.shape(0).cols()) + ")",
                x -> "torch.as_tensor(float(" + x.size(x.shape(0).rows()) + " * " + x.size(x.shape(0).cols()) + "), dtype=torch.float64, device=dev)"));
        Primitives.code(Builtin.SIZE, new Emitters(x -> "np.float64(" + countCode(x) + ")",
                x -> "torch.as_tensor(float(" + countCode(x) + "), dtype=torch.float64, device=dev)"));
        Primitives.code(Builtin.TR, Emitters.of("np.trace({0})", "torch.trace({0})"));
        // column-major, as vec(X) stacks columns; torch has no order="F", and X.T's rows are X's columns
        Primitives.code(Builtin.VEC, new Emitters(x -> x.shape(0).isScalar() ? x.arg(0) : x.arg(0) + ".reshape(-1, 1, order=\"F\")",
                x -> x.shape(0).isScalar() ? x.arg(0) : x.arg(0) + ".T.reshape(-1, 1)"));
        Primitives.code(Builtin.DIAG, new Emitters(x -> diag("np", x), x -> diag("torch", x)));
        Primitives.code(Builtin.KRON, new Emitters(x -> kron("np", x), x -> kron("torch", x)));
    }

    // ---- sum(X, k): linear; the adjoint spreads G back along the summed dimension ----

    static int axis(Mat k) {
        return (int) k.scalarValue();
    }

    static Mat sumAxis(Mat[] x) {
        return Kernels.sumAxis(x[0], axis(x[1]));
    }

    static MatDual sumAxisJvp(MatDual[] x) {
        int k = axis(x[1].value());
        return x[0].linear(m -> Kernels.sumAxis(m, k));
    }

    static MatDual[] sumAxisVjp(MatDual[] x, MatDual y, MatDual g, boolean[] needs) {
        int n = x[0].rows(), m = x[0].cols();
        MatDual spread = axis(x[1].value()) == 1 ? MatDual.constant(Mat.fill(n, 1, 1)).times(g)
                : g.times(MatDual.constant(Mat.fill(1, m, 1)));
        return new MatDual[] {spread, needs.length > 1 && needs[1] ? MatDual.constant(Mat.scalar(0)) : null};
    }

    // ---- numel(X), size(X, k): constants ----

    static double count(Mat x, int k) {
        return k == 1 ? x.rows() : x.cols();
    }

    private static String countCode(Emitters.Operands x) {
        return x.size(Emitters.axis(x) == 1 ? x.shape(0).rows() : x.shape(0).cols());
    }

    static MatDual[] countVjp(MatDual[] x, MatDual y, MatDual g, boolean[] needs) {
        MatDual[] out = new MatDual[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = needs[i] ? MatDual.constant(Mat.zeros(x[i].rows(), x[i].cols())) : null;
        }
        return out;
    }

    /** diag of a vector (a square matrix), of a square matrix (its diagonal as a column), of a scalar (itself). */
    private static String diag(String lib, Emitters.Operands x) {
        org.matcalc.expr.Shape s = x.shape(0);
        if (s.isScalar()) {
            return x.arg(0);
        }
        if (s.isColumn()) {
            return lib + ".diag(" + x.arg(0) + "[:, 0])";
        }
        if (s.isRow()) {
            return lib + ".diag(" + x.arg(0) + "[0])";
        }
        return lib + ".diag(" + x.arg(0) + ").reshape(-1, 1)";
    }

    private static String kron(String lib, Emitters.Operands x) {
        if (x.shape(0).isScalar() || x.shape(1).isScalar()) {
            return x.arg(0) + " * " + x.arg(1);
        }
        if (lib.equals("np")) {
            return "np.kron(" + x.arg(0) + ", " + x.arg(1) + ")";
        }
        // by broadcasting: torch 1.13's kron fails on some strided operands (an eigenvector column)
        x.define("_kron", """
                def _kron(A, B):
                    # kron(A, B)[i*p + k, j*q + l] = A[i, j] * B[k, l]
                    return (A[:, None, :, None] * B[None, :, None, :]).reshape(A.shape[0] * B.shape[0], A.shape[1] * B.shape[1])
                """);
        return "_kron(" + x.arg(0) + ", " + x.arg(1) + ")";
    }

    // ---- sum(A): adjoint g*ones ----

    static Mat sum(Mat[] x) {
        return Mat.scalar(x[0].sum());
    }

    static MatDual sumJvp(MatDual[] x) {
        return x[0].sum();
    }

    static MatDual sumVjp(MatDual x, MatDual y, MatDual g) {
        return g.broadcast(x.rows(), x.cols());
    }

    // ---- tr(A): adjoint g*I ----

    static Mat tr(Mat[] x) {
        return Mat.scalar(x[0].trace());
    }

    static MatDual trJvp(MatDual[] x) {
        MatOps.requireSquare("trace", x[0].value());
        return x[0].trace();
    }

    static MatDual trVjp(MatDual x, MatDual y, MatDual g) {
        int n = x.rows();
        return g.linear(s -> Mat.eye(n).scale(s.scalarValue()));
    }

    // ---- vec(A), column-major: adjoint unvec(G) ----

    static Mat vec(Mat[] x) {
        return x[0].vec();
    }

    static MatDual vecJvp(MatDual[] x) {
        return x[0].linear(Mat::vec);
    }

    static MatDual vecVjp(MatDual x, MatDual y, MatDual g) {
        return g.linear(m -> Mat.unvec(m, x.rows(), x.cols()));
    }

    // ---- diag: a vector's diagonal matrix, a square matrix's diagonal; self-adjoint ----

    static Mat diag(Mat[] x) {
        return Kernels.diag(x[0]);
    }

    static MatDual diagJvp(MatDual[] x) {
        return x[0].linear(Kernels::diag);
    }

    /** A vector's diag is a matrix, whose adjoint's diagonal comes back; a matrix's diag is a column, whose adjoint is diag(g). */
    static MatDual diagVjp(MatDual x, MatDual y, MatDual g) {
        int r = x.rows(), c = x.cols();
        if (r == 1 && c == 1) {
            return g;
        }
        if (r == 1 || c == 1) {
            return g.linear(m -> Mat.unvec(MatOps.diagOf(m), r, c));
        }
        return g.linear(MatOps::diag);
    }

    // ---- kron(A, B): Abar_ij = <G_ij, B>, Bbar = sum_ij a_ij G_ij (G_ij the (i, j) block of G) ----

    static Mat kron(Mat[] x) {
        return Kernels.kron(x[0], x[1]);
    }

    static MatDual kronJvp(MatDual[] x) {
        return x[0].bilinear(x[1], Kernels::kron);
    }

    static MatDual[] kronVjp(MatDual[] x, MatDual y, MatDual g, boolean[] needs) {
        MatDual a = x[0], b = x[1];
        int ra = a.rows(), ca = a.cols(), rb = b.rows(), cb = b.cols();
        return new MatDual[] {
            needs[0] ? g.bilinear(b, (gg, bb) -> MatOps.kronAdjointLeft(gg, bb, ra, ca)) : null,
            needs[1] ? g.bilinear(a, (gg, aa) -> MatOps.kronAdjointRight(gg, aa, rb, cb)) : null};
    }
}
