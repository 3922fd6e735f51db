package org.matcalc.numeric.primitives;

import static org.matcalc.numeric.primitives.Primitive.unary;

import org.matcalc.expr.Builtin;
import org.matcalc.numeric.Kernels;
import org.matcalc.numeric.Mat;
import org.matcalc.numeric.MatDual;
import org.matcalc.numeric.MatOps;

/**
 * Structure: sum, tr, vec, diag and kron. All are linear (kron bilinear), so each forward rule
 * applies the map to value and tangent alike and each reverse rule is the map's adjoint.
 * <pre>
 *   sum(A):    adjoint g*ones              tr(A):  g*I
 *   vec(A):    unvec(G)                    diag:   the diagonal of G, or diag(g) of a vector's adjoint
 *   kron(A, B): Abar_ij = &lt;G_ij, B&gt;, Bbar = sum_ij a_ij G_ij   (G_ij the (i, j) block of G)
 * </pre>
 */
final class StructureBlocks {
    private StructureBlocks() {
    }

    static void register() {
        Primitives.add(Builtin.SUM, x -> Mat.scalar(x[0].sum()), x -> x[0].sum(),
                unary((x, y, g) -> g.broadcast(x.rows(), x.cols())));
        Primitives.add(Builtin.TR, x -> Mat.scalar(x[0].trace()), StructureBlocks::trace, unary(StructureBlocks::traceAdjoint));
        Primitives.add(Builtin.VEC, x -> x[0].vec(), x -> x[0].linear(Mat::vec),
                unary((x, y, g) -> g.linear(m -> Mat.unvec(m, x.rows(), x.cols()))));
        Primitives.add(Builtin.DIAG, x -> Kernels.diag(x[0]), x -> x[0].linear(Kernels::diag), unary(StructureBlocks::diagAdjoint));
        Primitives.add(Builtin.KRON, x -> Kernels.kron(x[0], x[1]), x -> x[0].bilinear(x[1], Kernels::kron),
                StructureBlocks::kronAdjoint);
    }

    private static MatDual trace(MatDual[] x) {
        MatOps.requireSquare("trace", x[0].value());
        return x[0].trace();
    }

    private static MatDual traceAdjoint(MatDual x, MatDual y, MatDual g) {
        int n = x.rows();
        return g.linear(s -> Mat.eye(n).scale(s.scalarValue()));
    }

    /** A vector's diag is a matrix, whose adjoint's diagonal comes back; a matrix's diag is a column, whose adjoint is diag(g). */
    private static MatDual diagAdjoint(MatDual x, MatDual y, MatDual g) {
        int r = x.rows(), c = x.cols();
        if (r == 1 && c == 1) {
            return g;
        }
        if (r == 1 || c == 1) {
            return g.linear(m -> Mat.unvec(MatOps.diagOf(m), r, c));
        }
        return g.linear(MatOps::diag);
    }

    private static MatDual[] kronAdjoint(MatDual[] x, MatDual y, MatDual g, boolean[] needs) {
        MatDual a = x[0], b = x[1];
        int ra = a.rows(), ca = a.cols(), rb = b.rows(), cb = b.cols();
        return new MatDual[] {
            needs[0] ? g.bilinear(b, (gg, bb) -> MatOps.kronAdjointLeft(gg, bb, ra, ca)) : null,
            needs[1] ? g.bilinear(a, (gg, aa) -> MatOps.kronAdjointRight(gg, aa, rb, cb)) : null};
    }
}
