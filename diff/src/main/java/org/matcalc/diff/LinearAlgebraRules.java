package org.matcalc.diff;

import org.matcalc.expr.BinaryOp;
import org.matcalc.expr.Builtin;
import org.matcalc.expr.Expr;
import org.matcalc.expr.Limits;
import org.matcalc.expr.MatcalcException;
import org.matcalc.expr.ScalarFunction;
import org.matcalc.expr.TextPrinter;

/**
 * Linear algebra: det, logdet, inv and powers. None is linear, so there are no transpose rules.
 *
 * <pre>
 *   d det(X)    = det(X)*tr(inv(X)*dX)           Matrix Cookbook eq. 46; 矩阵求导术 rule 3
 *   d logdet(X) = tr(inv(X)*dX)                   Cookbook eq. 51
 *   d inv(X)    = -inv(X)*dX*inv(X)               Cookbook eq. 59; 矩阵求导术 rule 4
 *   d(X^k)      = sum_{i<k} X^i*dX*X^(k-1-i)      k a positive integer (18.063: d(A^2) = dA*A + A*dA)
 *   d(X^-k)     = the same with B = inv(X), dB = -B*dX*B
 *   d(a^k)      = k*a^(k-1)*da + a^k*log(a)*dk    scalars
 * </pre>
 */
final class LinearAlgebraRules {
    private LinearAlgebraRules() {
    }

    static void register() {
        Rules.call(Builtin.DET, LinearAlgebraRules::dDet);
        Rules.call(Builtin.LOGDET, LinearAlgebraRules::dLogdet);
        Rules.call(Builtin.INV, LinearAlgebraRules::dInv);
        Rules.op(BinaryOp.POW, LinearAlgebraRules::dPower);
    }

    static Expr dDet(Linearizer l, Expr.Call e) {
        Ops o = l.ops;
        return l.step("d det(X) = det(X)*tr(inv(X)*dX)", e, o.mul(e, o.tr(o.mul(o.call(Builtin.INV, e.arg()), l.d(e.arg())))));
    }

    static Expr dLogdet(Linearizer l, Expr.Call e) {
        Ops o = l.ops;
        return l.step("d logdet(X) = tr(inv(X)*dX)", e, o.tr(o.mul(o.call(Builtin.INV, e.arg()), l.d(e.arg()))));
    }

    static Expr dInv(Linearizer l, Expr.Call e) {
        Ops o = l.ops;
        return l.step("d inv(X) = -inv(X)*dX*inv(X)", e, o.neg(o.mul(o.mul(e, l.d(e.arg())), e)));
    }

    static Expr dPower(Linearizer l, Expr.Binary e) {
        Ops o = l.ops;
        Expr a = e.left(), k = e.right();
        if (o.scalar(a)) {
            if (a instanceof Expr.Call c && c.fn() == Builtin.NORM2 && Ops.isNum(k, 2)) {
                return ElementwiseRules.dSquaredNorm(l, e, c);
            }
            Expr da = l.d(a), dk = l.d(k);
            Expr r = Ops.zeros(o.shape(e));
            if (!Ops.isZero(da)) {
                Expr km1 = k instanceof Expr.Num n ? Ops.num(n.value() - 1) : o.sub(k, Ops.num(1));
                r = o.mul(o.mul(k, o.pow(a, km1)), da);
            }
            if (!Ops.isZero(dk)) {
                r = o.add(r, o.mul(o.mul(e, new Expr.Elementwise(ScalarFunction.LOG, a)), dk));
            }
            return l.step("power rule", e, r);
        }
        if (!(k instanceof Expr.Num n) || n.value() != Math.rint(n.value())) {
            throw Linearizer.notImplemented("a matrix power with a non-integer exponent");
        }
        if (Math.abs(n.value()) > Limits.MAX_DIFFERENTIATED_POWER) {
            throw new MatcalcException(MatcalcException.Kind.LIMIT, "the differential of a matrix power X^k is a sum of k terms;"
                    + " k = " + TextPrinter.print(k) + " is past the limit of " + Limits.MAX_DIFFERENTIATED_POWER);
        }
        int p = (int) n.value();
        Expr base = a;
        Expr dBase = l.d(a);
        if (p < 0) {
            base = o.call(Builtin.INV, a);
            dBase = o.neg(o.mul(o.mul(base, dBase), base));
            p = -p;
        }
        Expr r = Ops.zeros(o.shape(e));
        for (int i = 0; i < p; i++) {
            r = o.add(r, o.mul(o.mul(o.pow(base, Ops.num(i)), dBase), o.pow(base, Ops.num(p - 1 - i))));
        }
        return l.step("matrix power: d(X^k) = sum X^i*dX*X^(k-1-i)", e, r);
    }
}
