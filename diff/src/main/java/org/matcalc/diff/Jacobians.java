package org.matcalc.diff;

import java.util.IdentityHashMap;
import java.util.Map;

import org.matcalc.expr.Expr;
import org.matcalc.expr.MatcalcException;
import org.matcalc.expr.Shape;
import org.matcalc.expr.Size;

/**
 * Reads the Jacobian J with vec(L) = J vec(dX) off a linear expression L(dX), forward from dX:
 * {@code vec(A*dX*B) = kron(B', A) vec(dX)}, {@code vec(dX') = commutation(n, m) vec(dX)},
 * {@code vec(a .* dX) = diag(vec(a)) vec(dX)} (Magnus and Neudecker ch. 2; Matrix Cookbook
 * §10.2). Each linear primitive's rule sits in its family file next to its transpose rule,
 * registered in {@link Rules}.
 */
final class Jacobians {
    final Ops ops;
    private final Transposer linearity;
    private final Size dxLength;
    private final Map<Expr, Expr> memo = new IdentityHashMap<>();

    Jacobians(Ops ops, Transposer linearity, Shape dxShape) {
        this.ops = ops;
        this.linearity = linearity;
        this.dxLength = Size.times(dxShape.rows(), dxShape.cols());
    }

    /** J of vec(e) by vec(dX): len(vec e) x len(vec dX). */
    Expr j(Expr e) {
        Expr r = memo.get(e);
        if (r == null) {
            r = compute(e);
            memo.put(e, r);
        }
        return r;
    }

    boolean isLinear(Expr e) {
        return linearity.isLinear(e);
    }

    Size length(Expr e) {
        Shape s = ops.shape(e);
        return Size.times(s.rows(), s.cols());
    }

    private Expr compute(Expr e) {
        if (!linearity.isLinear(e)) {
            return Ops.zeros(new Shape(length(e), dxLength));
        }
        if (e instanceof Expr.Var) {
            return dxLength.isOne() ? Ops.num(1) : Ops.eye(dxLength);
        }
        if (e instanceof Expr.Neg n) {
            return ops.neg(j(n.arg()));
        }
        if (e instanceof Expr.Transpose t) {
            return StructureRules.jTranspose(this, t);
        }
        if (e instanceof Expr.Binary b) {
            return Rules.vecJacobian(b.op()).j(this, b);
        }
        if (e instanceof Expr.Call c) {
            return Rules.vecJacobian(c.fn()).j(this, c);
        }
        if (e instanceof Expr.Fill f) {
            return ops.mul(Ops.ones(Shape.vector(length(f))), j(f.value()));
        }
        throw notImplemented(e.getClass().getSimpleName());
    }

    static MatcalcException notImplemented(String what) {
        return new MatcalcException(MatcalcException.Kind.UNSUPPORTED, "Jacobian (vec) rule for " + what + " not implemented");
    }
}
