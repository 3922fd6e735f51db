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
