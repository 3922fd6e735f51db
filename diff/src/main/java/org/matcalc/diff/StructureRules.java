package org.matcalc.diff;

import org.matcalc.expr.BinaryOp;
import org.matcalc.expr.Builtin;
import org.matcalc.expr.Expr;
import org.matcalc.expr.Shape;
import org.matcalc.expr.Size;

/**
 * Structure: negation, transpose, sums, products, division by a scalar, tr, sum, vec, diag,
 * kron and constant fills.
 *
 * <pre>
 *   differential                     transpose (adjoint G of the node)      vec-Jacobian
 *   d(-A)    = -dA                    A <- -G                                -J
 *   d(A')    = dA'                    A <- G'                                commutation(r, c)*J
 *   d(A + B) = dA + dB                A <- G, B <- G                         JA + JB
 *   d(A*B)   = dA*B + A*dB            A*dX: dX <- A'*G;  dX*B: dX <- G*B'     kron(eye(q), A)*J; kron(B', eye(p))*J
 *   d(A/c)   = dA/c - A*dc/c^2        dX/c: dX <- G/c                        J/c
 *   d tr(A)  = tr(dA)                 tr(dX): dX <- G*eye(n)                 vec(eye(n))'*J
 *   d sum(A) = sum(dA)                sum(dX): dX <- G*ones                  ones'*J
 *   d vec(A) = vec(dA)                vec(dX): dX <- unvec(G)                J
 *   d diag(A)= diag(dA)               diag(dX): dX <- diag(G)                selection matrices
 *   d kron(A, B) = kron(dA, B) + kron(A, dB)  kron(A, dX): dX <- sum_ij A_ij G_ij  P*(vec(A) ⊗ I)*J
 *   d sum(A, 1) = sum(dA, 1)          dX <- ones(n)*G (G is 1 x m)            kron(eye(m), ones(n)')*J
 *   d sum(A, 2) = sum(dA, 2)          dX <- G*ones(m)' (G is n x 1)           kron(ones(m)', eye(n))*J
 *   d numel(A) = d size(A, k) = 0     (constants: the counts in mean)
 * </pre>
 * Sources: 矩阵求导术 (the differential rules and the trace trick: tr(AB) = tr(BA),
 * tr(A') = tr(A)); Matrix Cookbook eqs. 33-37, 520 (vec(AXB) = (B' ⊗ A) vec X); Magnus and
 * Neudecker ch. 3 (commutation matrix). The inverse of vec is written in the language as
 * unvec(g) = kron(vec(eye(m))', eye(n))*kron(eye(m), g) for an n x m matrix.
 */
final class StructureRules {
    private StructureRules() {
    }

    static void register() {
        Rules.linearOp(BinaryOp.ADD, StructureRules::dSum, StructureRules::tSum, StructureRules::jSum);
        Rules.linearOp(BinaryOp.SUB, StructureRules::dSum, StructureRules::tSum, StructureRules::jSum);
        Rules.linearOp(BinaryOp.MUL, StructureRules::dProduct, StructureRules::tProduct, StructureRules::jProduct);
        Rules.linearOp(BinaryOp.DIV, StructureRules::dQuotient, StructureRules::tQuotient, StructureRules::jQuotient);
        Rules.linearCall(Builtin.SUM, StructureRules::dSumOf, StructureRules::tSumOf, StructureRules::jSumOf);
        Rules.linearCall(Builtin.TR, StructureRules::dTr, StructureRules::tTr, StructureRules::jTr);
        Rules.linearCall(Builtin.VEC, StructureRules::dVec, StructureRules::tVec, StructureRules::jVec);
        Rules.linearCall(Builtin.DIAG, StructureRules::dDiag, StructureRules::tDiag, StructureRules::jDiag);
        Rules.linearCall(Builtin.KRON, StructureRules::dKron, StructureRules::tKron, StructureRules::jKron);
        Rules.linearCall(Builtin.SUM_AXIS, StructureRules::dSumAxis, StructureRules::tSumAxis, StructureRules::jSumAxis);
        Rules.call(Builtin.NUMEL, StructureRules::dCount);
        Rules.call(Builtin.SIZE, StructureRules::dCount);
    }

    // ---- differentials ------------------------------------------------------------------------

    static Expr dNeg(Linearizer l, Expr.Neg e) {
        return l.step("negation", e, l.ops.neg(l.d(e.arg())));
    }

    static Expr dTranspose(Linearizer l, Expr.Transpose e) {
        Expr da = l.d(e.arg());
        // A zero differential keeps the transpose's shape: zeros(1, n)' is zeros(n, 1).
        return l.step("transpose: d(A') = dA'", e, Ops.isZero(da) ? Ops.zeros(l.ops.shape(e)) : l.ops.transpose(da));
    }

    static Expr dSum(Linearizer l, Expr.Binary e) {
        Expr da = l.d(e.left()), db = l.d(e.right());
        Expr r = e.op() == BinaryOp.ADD ? l.ops.add(da, db) : l.ops.sub(da, db);
        return l.step("sum rule", e, r);
    }

    static Expr dProduct(Linearizer l, Expr.Binary e) {
        Ops o = l.ops;
        Expr r = o.add(o.mul(l.d(e.left()), e.right()), o.mul(e.left(), l.d(e.right())));
        return l.step("product rule: d(A*B) = dA*B + A*dB", e, r);
    }

    static Expr dQuotient(Linearizer l, Expr.Binary e) {
        Ops o = l.ops;
        Expr c = e.right();
        Expr dc = l.d(c);
        Expr r = o.div(l.d(e.left()), c);
        if (!Ops.isZero(dc)) {
            // d(A/c) = dA/c - (A/c)*dc/c
            r = o.sub(r, o.div(o.mul(dc, e), c));
        }
        return l.step("quotient rule", e, r);
    }

    static Expr dSumOf(Linearizer l, Expr.Call e) {
        return l.step("d sum(A) = sum(dA)", e, l.ops.sum(l.d(e.arg())));
    }

    static Expr dSumAxis(Linearizer l, Expr.Call e) {
        return l.step("d sum(A, k) = sum(dA, k)", e, l.ops.sumAxis(l.d(e.arg()), Builtin.axisOf(e)));
    }

    static Expr dCount(Linearizer l, Expr.Call e) {
        return Ops.num(0);
    }

    static Expr dTr(Linearizer l, Expr.Call e) {
        return l.step("d tr(A) = tr(dA)", e, l.ops.tr(l.d(e.arg())));
    }

    static Expr dVec(Linearizer l, Expr.Call e) {
        return l.step("d vec(A) = vec(dA)", e, l.ops.vec(l.d(e.arg())));
    }

    static Expr dDiag(Linearizer l, Expr.Call e) {
        return l.step("d diag(A) = diag(dA)", e, l.ops.diag(l.d(e.arg())));
    }

    static Expr dKron(Linearizer l, Expr.Call e) {
        Ops o = l.ops;
        Expr a = e.args().get(0), b = e.args().get(1);
        Expr r = o.add(o.kron(l.d(a), b), o.kron(a, l.d(b)));
        return l.step("d kron(A, B) = kron(dA, B) + kron(A, dB)", e, r);
    }

    static Expr dFill(Linearizer l, Expr.Fill e) {
        Expr dv = l.d(e.value());
        return Ops.isZero(dv) ? Ops.zeros(l.ops.shape(e)) : new Expr.Fill(dv, e.matrix(), e.rows(), e.cols());
    }

    // ---- transposes ---------------------------------------------------------------------------

    static void tNeg(Transposer t, Expr.Neg e, Expr g) {
        t.send("negation", e, g, e.arg(), t.ops.neg(g));
    }

    static void tTranspose(Transposer t, Expr.Transpose e, Expr g) {
        t.send("transpose: tr(G'*A') = tr(G*A) = tr((G')'*A)", e, g, e.arg(), t.ops.transpose(g));
    }

    static void tSum(Transposer t, Expr.Binary e, Expr g) {
        t.send("linearity of tr", e, g, e.left(), g);
        t.send("linearity of tr", e, g, e.right(), e.op() == BinaryOp.ADD ? g : t.ops.neg(g));
    }

    static void tProduct(Transposer t, Expr.Binary e, Expr g) {
        Ops o = t.ops;
        Expr a = e.left(), b = e.right();
        boolean sa = o.scalar(a), sb = o.scalar(b);
        if (t.isLinear(a)) {
            Expr ga;
            if (sa && !sb) {
                ga = o.inner(b, g);
            } else if (sb) {
                ga = o.mul(b, g);
            } else {
                ga = o.mul(g, o.transpose(b));
            }
            t.send(sb ? "scalar factor" : "cyclic permutation: tr(G'*dA*B) = tr((G*B')'*dA)", e, g, a, ga);
        }
        if (t.isLinear(b)) {
            Expr gb;
            if (sa) {
                gb = o.mul(a, g);
            } else if (sb) {
                gb = o.inner(a, g);
            } else {
                gb = o.mul(o.transpose(a), g);
            }
            t.send(sa ? "scalar factor" : "transpose and cyclic permutation: tr(G'*A*dB) = tr((A'*G)'*dB)", e, g, b, gb);
        }
    }

    static void tQuotient(Transposer t, Expr.Binary e, Expr g) {
        t.send("scalar factor", e, g, e.left(), t.ops.div(g, e.right()));
    }

    static void tTr(Transposer t, Expr.Call e, Expr g) {
        Expr a = e.arg();
        t.send("tr(G*tr(dA)) = tr((G*I)'*dA)", e, g, a, t.ops.mul(g, Ops.eye(t.ops.shape(a).rows())));
    }

    static void tSumOf(Transposer t, Expr.Call e, Expr g) {
        Expr a = e.arg();
        t.send("sum(dA) = tr(ones'*dA)", e, g, a, t.ops.mul(g, Ops.ones(t.ops.shape(a))));
    }

    static void tSumAxis(Transposer t, Expr.Call e, Expr g) {
        Expr a = e.arg();
        int k = Builtin.axisOf(e);
        t.send(k == 1 ? "sum(dA, 1) = ones'*dA: dA <- ones*G" : "sum(dA, 2) = dA*ones: dA <- G*ones'", e, g, a,
                t.ops.spread(g, k, t.ops.shape(a)));
    }

    static void tVec(Transposer t, Expr.Call e, Expr g) {
        Expr a = e.arg();
        t.send("vec(G)'*vec(dA) = tr(G'*dA)", e, g, a, unvec(t.ops, g, t.ops.shape(a)));
    }

    static void tDiag(Transposer t, Expr.Call e, Expr g) {
        Ops o = t.ops;
        Expr a = e.arg();
        Expr ga = o.shape(a).isRow() ? o.transpose(o.diag(g)) : o.diag(g);
        t.send("diag is self-adjoint: tr(G'*diag(dv)) = diag(G)'*dv", e, g, a, ga);
    }

    /**
     * kron(A, B), A n x m, B p x q, G np x mq. For B: the sum of A_ij times the (i,j) block of
     * G, kron(vec(A)', eye(p))*kron(eye(m), G)*kron(vec(eye(m)), eye(q)). For A: the same after
     * swapping the factors, kron(A, B) = commutation(n, p)*kron(B, A)*commutation(q, m)
     * (Magnus and Neudecker, thm 3.9).
     */
    static void tKron(Transposer t, Expr.Call e, Expr g) {
        Ops o = t.ops;
        Expr a = e.args().get(0), b = e.args().get(1);
        Shape sa = o.shape(a), sb = o.shape(b);
        if (t.isLinear(b)) {
            t.send("blocks of G weighted by A", e, g, b, kronAdjointOfSecond(o, a, sa, sb, g));
        }
        if (t.isLinear(a)) {
            Expr swapped = o.mul(o.mul(new Expr.Commutation(sb.rows(), sa.rows()), g), new Expr.Commutation(sa.cols(), sb.cols()));
            t.send("kron(A, B) = K*kron(B, A)*K, then blocks of G weighted by B", e, g, a,
                    kronAdjointOfSecond(o, b, sb, sa, swapped));
        }
    }

    /** The adjoint of Y in kron(F, Y) for fixed F (r x c) and Y of shape sy, given G. */
    private static Expr kronAdjointOfSecond(Ops o, Expr f, Shape sf, Shape sy, Expr g) {
        Expr left = o.kron(o.transpose(o.vec(f)), Ops.eye(sy.rows()));
        Expr spread = o.kron(Ops.eye(sf.cols()), g);
        Expr right = o.kron(o.vec(Ops.eye(sf.cols())), Ops.eye(sy.cols()));
        return o.mul(o.mul(left, spread), right);
    }

    static void tFill(Transposer t, Expr.Fill e, Expr g) {
        t.send("constant fill: tr(G'*(c*ones)) = c*sum(G)", e, g, e.value(), t.ops.sum(g));
    }

    /** The n x m matrix whose vec is g (nm x 1), in the language. */
    static Expr unvec(Ops o, Expr g, Shape s) {
        if (s.isColumn() || s.isScalar()) {
            return g;
        }
        if (s.isRow()) {
            return o.transpose(g);
        }
        Expr left = o.kron(o.transpose(o.vec(Ops.eye(s.cols()))), Ops.eye(s.rows()));
        return o.mul(left, o.kron(Ops.eye(s.cols()), g));
    }

    // ---- vec-Jacobians ------------------------------------------------------------------------

    static Expr jSum(Jacobians j, Expr.Binary e) {
        Expr jl = j.j(e.left()), jr = j.j(e.right());
        return e.op() == BinaryOp.ADD ? j.ops.add(jl, jr) : j.ops.sub(jl, jr);
    }

    static Expr jQuotient(Jacobians j, Expr.Binary e) {
        return j.ops.div(j.j(e.left()), e.right());
    }

    static Expr jTranspose(Jacobians j, Expr.Transpose e) {
        Shape s = j.ops.shape(e.arg());
        Expr ja = j.j(e.arg());
        if (s.isColumn() || s.isRow() || s.isScalar()) {
            return ja;
        }
        return j.ops.mul(new Expr.Commutation(s.rows(), s.cols()), ja);
    }

    static Expr jProduct(Jacobians j, Expr.Binary e) {
        Ops o = j.ops;
        Expr a = e.left(), b = e.right();
        Shape sa = o.shape(a), sb = o.shape(b);
        Expr r = null;
        if (j.isLinear(b)) {
            Expr jb = j.j(b);
            Expr part;
            if (sa.isScalar()) {
                part = o.mul(a, jb);
            } else if (sb.isScalar()) {
                part = o.mul(o.vec(a), jb);
            } else if (sb.cols().isOne()) {
                part = o.mul(a, jb);
            } else {
                part = o.mul(o.kron(Ops.eye(sb.cols()), a), jb);
            }
            r = part;
        }
        if (j.isLinear(a)) {
            Expr ja = j.j(a);
            Expr part;
            if (sb.isScalar()) {
                part = o.mul(b, ja);
            } else if (sa.isScalar()) {
                part = o.mul(o.vec(b), ja);
            } else if (sa.rows().isOne()) {
                part = o.mul(o.transpose(b), ja);
            } else {
                part = o.mul(o.kron(o.transpose(b), Ops.eye(sa.rows())), ja);
            }
            r = r == null ? part : o.add(r, part);
        }
        return r;
    }

    static Expr jTr(Jacobians j, Expr.Call e) {
        return j.ops.mul(j.ops.transpose(j.ops.vec(Ops.eye(j.ops.shape(e.arg()).rows()))), j.j(e.arg()));
    }

    static Expr jSumOf(Jacobians j, Expr.Call e) {
        return j.ops.mul(j.ops.transpose(Ops.ones(Shape.vector(j.length(e.arg())))), j.j(e.arg()));
    }

    static Expr jSumAxis(Jacobians j, Expr.Call e) {
        Ops o = j.ops;
        Shape s = o.shape(e.arg());
        Expr k = Builtin.axisOf(e) == 1
                ? o.kron(Ops.eye(s.cols()), o.transpose(Ops.ones(Shape.vector(s.rows()))))
                : o.kron(o.transpose(Ops.ones(Shape.vector(s.cols()))), Ops.eye(s.rows()));
        return o.mul(k, j.j(e.arg()));
    }

    static Expr jVec(Jacobians j, Expr.Call e) {
        return j.j(e.arg());
    }

    static Expr jDiag(Jacobians j, Expr.Call e) {
        Ops o = j.ops;
        Expr a = e.arg();
        Shape s = o.shape(a);
        Expr ja = j.j(a);
        if (s.isScalar()) {
            return ja;
        }
        Size n = s.isMatrix() ? s.rows() : s.isColumn() ? s.rows() : s.cols();
        Expr spread = o.kron(Ops.ones(Shape.vector(n)), Ops.eye(n));
        Expr mask = o.diag(o.vec(Ops.eye(n)));
        if (s.isMatrix()) {
            // diag(M) = kron(1, I)' * diag(vec(I)) * vec(M)
            return o.mul(o.mul(o.transpose(spread), mask), ja);
        }
        // vec(diag(v)) = diag(vec(I)) * kron(1, I) * v
        return o.mul(o.mul(mask, spread), ja);
    }

    /**
     * vec(kron(A, B)) = P*(vec(A) ⊗ vec(B)), P = kron(kron(eye(m), commutation(q, n)), eye(p))
     * for A n x m, B p x q (Magnus and Neudecker, thm 3.10).
     */
    static Expr jKron(Jacobians j, Expr.Call e) {
        Ops o = j.ops;
        Expr x = e.args().get(0), y = e.args().get(1);
        Shape sx = o.shape(x), sy = o.shape(y);
        Expr perm = o.kron(o.kron(Ops.eye(sx.cols()), new Expr.Commutation(sy.cols(), sx.rows())), Ops.eye(sy.rows()));
        Expr r = null;
        if (j.isLinear(y)) {
            r = o.mul(o.mul(perm, o.kron(o.vec(x), Ops.eye(j.length(y)))), j.j(y));
        }
        if (j.isLinear(x)) {
            Expr part = o.mul(o.mul(perm, o.kron(Ops.eye(j.length(x)), o.vec(y))), j.j(x));
            r = r == null ? part : o.add(r, part);
        }
        return r;
    }
}
