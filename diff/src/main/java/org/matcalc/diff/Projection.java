package org.matcalc.diff;

import java.util.List;

import org.matcalc.expr.BinaryOp;
import org.matcalc.expr.Builtin;
import org.matcalc.expr.Decl;
import org.matcalc.expr.Expr;
import org.matcalc.expr.Size;

/**
 * The one place where structured variables are handled (ChainRules' ProjectTo; CONTRACT.md
 * §5). The engine differentiates as if every entry were free, giving G; a structured variable
 * then gets the gradient in its own space under the inner product tr(A'B):
 * <ul>
 *   <li>symmetric(n), spd(n): {@code (G + G')/2}, simplified using symmetry (a symmetric G is
 *       kept as is, so {@code logdet(S)} gives {@code inv(S)}; {@code L*M*L'} projects to
 *       {@code L*sym(M)*L'});</li>
 *   <li>diagonal(n): the diagonal part {@code diag(diag(G))}.</li>
 * </ul>
 * (The Matrix Cookbook's {@code 2G - G .* I} is another convention and is not used.)
 */
final class Projection {
    static final String SYMMETRIC = "symmetric: (G + G')/2, the gradient in the space of symmetric matrices";
    static final String DIAGONAL = "diagonal: diag(diag(G)), the diagonal part of G";

    record Projected(Expr gradient, String convention) {
    }

    private Projection() {
    }

    static Projected apply(Ops o, Decl d, Expr g) {
        if (d.isSymmetric()) {
            return new Projected(symmetricPart(o, g), SYMMETRIC);
        }
        if (d.has(Decl.Property.DIAGONAL)) {
            if (g instanceof Expr.Call c && c.fn() == Builtin.DIAG && o.shape(c.arg()).isColumn()) {
                return new Projected(g, DIAGONAL);
            }
            // diag(G') = diag(G): the diagonal part does not see a transpose
            Expr inner = g instanceof Expr.Transpose t ? t.arg() : g;
            return new Projected(Ops.isZero(g) ? g : o.diag(o.diag(inner)), DIAGONAL);
        }
        return new Projected(g, null);
    }

    /** The convention's definition applied to G as written: (G + G')/2 or diag(diag(G)). */
    static Expr definition(Decl d, Expr g) {
        if (d.isSymmetric()) {
            return new Expr.Binary(BinaryOp.DIV, new Expr.Binary(BinaryOp.ADD, g, new Expr.Transpose(g)), Ops.num(2));
        }
        Expr diagonal = new Expr.Call(Builtin.DIAG, List.of(g));
        return new Expr.Call(Builtin.DIAG, List.of(diagonal));
    }

    static final String JACOBIAN_SYMMETRIC = "symmetric: J*P with P = (I + commutation(n, n))/2, "
            + "the projection of vec(dX) onto the symmetric matrices";
    static final String JACOBIAN_DIAGONAL = "diagonal: J*P with P = diag(vec(eye(n))), the projection of vec(dX) onto the diagonal";
    static final String HESSIAN_SYMMETRIC = "symmetric: P*H*P with P = (I + commutation(n, n))/2, "
            + "the Hessian on the symmetric matrices";
    static final String HESSIAN_DIAGONAL = "diagonal: P*H*P with P = diag(vec(eye(n))), the Hessian on the diagonal matrices";

    /**
     * The projection onto a structured variable's space as a matrix acting on vec(dX), or null
     * for an unstructured one: {@code (I + K)/2} (K = commutation(n, n), vec(X') = K vec(X))
     * for symmetric(n) and spd(n), {@code diag(vec(eye(n)))} for diagonal(n). A Jacobian by such
     * a variable is {@code J*P}, a Hessian {@code P*H*P}: for scalar f, vec of the projected
     * gradient is {@code P*vec(G)}, so the three conventions agree.
     */
    static Expr vecProjector(Decl d) {
        Size n = d.rows();
        if (d.isSymmetric()) {
            Expr sum = new Expr.Binary(BinaryOp.ADD, Ops.eye(Size.times(n, n)), new Expr.Commutation(n, n));
            return new Expr.Binary(BinaryOp.DIV, sum, Ops.num(2));
        }
        if (d.has(Decl.Property.DIAGONAL)) {
            return new Expr.Call(Builtin.DIAG, List.of(new Expr.Call(Builtin.VEC, List.of(Ops.eye(n)))));
        }
        return null;
    }

    static Expr symmetricPart(Ops o, Expr g) {
        if (o.isSymmetric(g)) {
            return g;
        }
        if (g instanceof Expr.Neg n) {
            return o.neg(symmetricPart(o, n.arg()));
        }
        if (g instanceof Expr.Binary b) {
            switch (b.op()) {
                case ADD:
                    return o.add(symmetricPart(o, b.left()), symmetricPart(o, b.right()));
                case SUB:
                    return o.sub(symmetricPart(o, b.left()), symmetricPart(o, b.right()));
                case DIV:
                    return o.div(symmetricPart(o, b.left()), b.right());
                case MUL:
                    if (o.scalar(b.left())) {
                        return o.mul(b.left(), symmetricPart(o, b.right()));
                    }
                    List<Expr> fs = o.factors(g);
                    int k = fs.size();
                    if (k >= 3 && o.transpose(fs.get(0)).equals(fs.get(k - 1))) {
                        // sym(L*M*L') = L*sym(M)*L'
                        // built as written, L*((M + M')/2)*L', not moving the /2 outward
                        Expr inner = symmetricPart(o, o.product(fs, 1, k - 1));
                        return new Expr.Binary(BinaryOp.MUL, new Expr.Binary(BinaryOp.MUL, fs.get(0), inner), fs.get(k - 1));
                    }
                    break;
                default:
                    break;
            }
        }
        if (g instanceof Expr.Call c && (c.fn() == Builtin.SYLVESTER || c.fn() == Builtin.EXPM_FRECHET)
                && o.isSymmetric(c.args().get(0))) {
            // both are linear in their second argument and commute with transposition there
            return o.call(c.fn(), c.args().get(0), symmetricPart(o, c.args().get(1)));
        }
        return o.div(o.add(g, o.transpose(g)), Ops.num(2));
    }
}
