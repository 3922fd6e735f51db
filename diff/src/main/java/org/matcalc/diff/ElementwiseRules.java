package org.matcalc.diff;

import org.matcalc.expr.BinaryOp;
import org.matcalc.expr.Builtin;
import org.matcalc.expr.Expr;
import org.matcalc.expr.ScalarFunction;
import org.matcalc.expr.Shape;

/**
 * Element-wise operations: Hadamard product and quotient, element-wise power, the scalar
 * functions of {@link ScalarFunction}'s table, and the norms.
 *
 * <pre>
 *   d(A .* B) = dA .* B + A .* dB          A .* dX: dX <- G .* A (the Hadamard swap
 *                                          tr(G'(A .* dX)) = tr((G .* A)' dX))     J = diag(vec(A))
 *   d(A ./ B) = dA ./ B - (A ./ B) .* dB ./ B     dX ./ B: dX <- G ./ B           J = diag(vec(1 ./ B))
 *   d(A .^ B) = B .* A .^ (B - 1) .* dA + A .^ B .* log(A) .* dB
 *   d f(A)    = f'(A) .* dA                f' from the table's symbolic derivative
 *   d log(softmax(z)) = dz - 1*(softmax(z)'*dz)   (log-softmax, so that cross-entropy reads
 *                                          (softmax(z) - y)*... when y sums to one)
 *   d norm1(A) = sum(sign(A) .* dA),  d norm2(A) = tr(A'*dA)/norm2(A),  d norm2(A)^2 = 2*tr(A'*dA)
 *   d max(A) = sum(ismax(A) .* dA), ismax(A) = 1/k at the k largest entries: ties share equally; min alike
 *   d max(A, B) = step(A - B) .* dA + step(B - A) .* dB   (step(0) = 1/2: half each at a tie); min alike
 * </pre>
 * Sources: 矩阵求导术 rules 5-6 and trace trick 5; Matrix Cookbook eq. 23 (log-softmax).
 * Non-smooth functions are differentiated where smooth (CONTRACT.md §4).
 */
final class ElementwiseRules {
    private ElementwiseRules() {
    }

    static void register() {
        Rules.linearOp(BinaryOp.HADAMARD, ElementwiseRules::dHadamard, ElementwiseRules::tHadamard, ElementwiseRules::jHadamard);
        Rules.linearOp(BinaryOp.HADAMARD_DIV, ElementwiseRules::dHadamardDiv, ElementwiseRules::tHadamardDiv,
                ElementwiseRules::jHadamardDiv);
        Rules.op(BinaryOp.ELEM_POW, ElementwiseRules::dElemPow);
        Rules.call(Builtin.NORM1, ElementwiseRules::dNorm1);
        Rules.call(Builtin.NORM2, ElementwiseRules::dNorm2);
        Rules.call(Builtin.MAX, ElementwiseRules::dExtreme);
        Rules.call(Builtin.MIN, ElementwiseRules::dExtreme);
        Rules.call(Builtin.ISMAX, ElementwiseRules::dWeights);
        Rules.call(Builtin.ISMIN, ElementwiseRules::dWeights);
        Rules.call(Builtin.MAXIMUM, ElementwiseRules::dPairwise);
        Rules.call(Builtin.MINIMUM, ElementwiseRules::dPairwise);
    }

    /** d max(A) = sum(ismax(A) .* dA): the entries equal to max(A) share the derivative equally (as JAX's and PyTorch's amax). */
    static Expr dExtreme(Linearizer l, Expr.Call e) {
        Ops o = l.ops;
        Expr a = e.arg();
        Expr da = l.d(a);
        if (o.scalar(a)) {
            return da;
        }
        boolean max = e.fn() == Builtin.MAX;
        return l.step(max ? "d max(A) = sum(ismax(A) .* dA)" : "d min(A) = sum(ismin(A) .* dA)", e,
                o.inner(o.call(max ? Builtin.ISMAX : Builtin.ISMIN, a), da));
    }

    /** ismax and ismin are constant between ties: their differential is zero. */
    static Expr dWeights(Linearizer l, Expr.Call e) {
        return Ops.zeros(l.ops.shape(e));
    }

    /** d max(A, B) = step(A - B) .* dA + step(B - A) .* dB; min with the sides swapped. */
    static Expr dPairwise(Linearizer l, Expr.Call e) {
        Ops o = l.ops;
        Expr a = e.args().get(0), b = e.args().get(1);
        boolean max = e.fn() == Builtin.MAXIMUM;
        Expr wa = step(max ? difference(o, a, b) : difference(o, b, a));
        Expr wb = step(max ? difference(o, b, a) : difference(o, a, b));
        Expr da = l.d(a), db = l.d(b);
        Expr r = Ops.zeros(o.shape(e));
        if (!Ops.isZero(da)) {
            r = o.hadamard(wa, da);
        }
        if (!Ops.isZero(db)) {
            r = o.add(r, o.hadamard(wb, db));
        }
        String name = e.fn().languageName();
        return l.step("d " + name + "(A, B) = step(" + (max ? "A - B" : "B - A") + ") .* dA + step(" + (max ? "B - A" : "A - B")
                + ") .* dB, step(0) = 1/2", e, r);
    }

    /** step(z), a number when z is one (max(t, t) has z = 0: step(0) = 1/2). */
    private static Expr step(Expr z) {
        if (z instanceof Expr.Num n) {
            return Ops.num(ScalarFunction.STEP.apply(n.value()));
        }
        if (z instanceof Expr.Zeros zs) {
            return Ops.filled(Ops.num(0.5), new Shape(zs.rows(), zs.cols()));
        }
        return new Expr.Elementwise(ScalarFunction.STEP, z);
    }

    /** a - b at the shape of the pair (a scalar side spread over it), where a constant 0 on either side drops. */
    private static Expr difference(Ops o, Expr a, Expr b) {
        if (zeroFill(b)) {
            return o.scalar(a) && !o.scalar(b) ? Ops.filled(a, o.shape(b)) : a;
        }
        if (zeroFill(a)) {
            return o.neg(o.scalar(b) && !o.scalar(a) ? Ops.filled(b, o.shape(a)) : b);
        }
        Shape s = o.scalar(a) ? o.shape(b) : o.shape(a);
        return o.sub(o.scalar(a) ? Ops.filled(a, s) : a, o.scalar(b) ? Ops.filled(b, s) : b);
    }

    private static boolean zeroFill(Expr e) {
        if (e instanceof Expr.Transpose t) {
            return zeroFill(t.arg());
        }
        return Ops.isZero(e) || e instanceof Expr.Fill f && Ops.isZero(f.value());
    }

    static Expr dHadamard(Linearizer l, Expr.Binary e) {
        Ops o = l.ops;
        Expr r = o.add(o.hadamard(l.d(e.left()), e.right()), o.hadamard(e.left(), l.d(e.right())));
        return l.step("Hadamard product rule", e, r);
    }

    static Expr dHadamardDiv(Linearizer l, Expr.Binary e) {
        Ops o = l.ops;
        Expr b = e.right();
        Expr r = o.hadamardDiv(l.d(e.left()), b);
        Expr db = l.d(b);
        if (!Ops.isZero(db)) {
            r = o.sub(r, o.hadamardDiv(o.hadamard(e, db), b));
        }
        return l.step("quotient rule", e, r);
    }

    static Expr dElemPow(Linearizer l, Expr.Binary e) {
        Ops o = l.ops;
        Expr a = e.left(), k = e.right();
        Expr da = l.d(a), dk = l.d(k);
        Expr r = Ops.zeros(o.shape(e));
        if (!Ops.isZero(da)) {
            Expr km1 = k instanceof Expr.Num n ? Ops.num(n.value() - 1) : o.sub(k, Ops.ones(o.shape(k)));
            r = o.hadamard(o.hadamard(k, o.elemPow(a, km1)), da);
        }
        if (!Ops.isZero(dk)) {
            r = o.add(r, o.hadamard(o.hadamard(e, new Expr.Elementwise(ScalarFunction.LOG, a)), dk));
        }
        return l.step("power rule", e, r);
    }

    static Expr dElementwise(Linearizer l, Expr.Elementwise e) {
        Ops o = l.ops;
        if (e.fn() == ScalarFunction.LOG && e.arg() instanceof Expr.Call c && c.fn() == Builtin.SOFTMAX) {
            Expr z = c.arg();
            Expr dz = l.d(z);
            Expr r = o.sub(dz, o.mul(Ops.ones(o.shape(z)), o.inner(c, dz)));
            return l.step("log-softmax: d log(softmax(z)) = dz - 1*(softmax(z)'*dz)", e, r);
        }
        if (e.fn() == ScalarFunction.LOG && e.arg() instanceof Expr.Call c && c.fn() == Builtin.SOFTMAX_AXIS) {
            // each row (k = 2) or column (k = 1) is a log-softmax of its own
            int k = Builtin.axisOf(c);
            Expr z = c.arg();
            Shape s = o.shape(z);
            Expr dz = l.d(z);
            Expr sums = o.sumAxis(o.hadamard(c, dz), k);
            Expr spread = o.spread(sums, k, s);
            return l.step(k == 2 ? "log-softmax of each row: d log(softmax(Z, 2)) = dZ - sum(softmax(Z, 2) .* dZ, 2)*1'"
                    : "log-softmax of each column: d log(softmax(Z, 1)) = dZ - 1*sum(softmax(Z, 1) .* dZ, 1)", e, o.sub(dz, spread));
        }
        Expr fp = o.rebuild(e.fn().symbolicDerivative(e.arg()), e.arg());
        return l.step("chain rule: d f(A) = f'(A) .* dA", e, o.hadamard(fp, l.d(e.arg())));
    }

    static Expr dNorm1(Linearizer l, Expr.Call e) {
        Expr a = e.arg();
        return l.step("d norm1(A) = sum(sign(A) .* dA)", e, l.ops.inner(new Expr.Elementwise(ScalarFunction.SIGN, a), l.d(a)));
    }

    static Expr dNorm2(Linearizer l, Expr.Call e) {
        Expr a = e.arg();
        return l.step("d norm2(A) = tr(A'*dA)/norm2(A)", e, l.ops.div(l.ops.inner(a, l.d(a)), e));
    }

    /** d norm2(A)^2 = 2*tr(A'*dA), without the square root. */
    static Expr dSquaredNorm(Linearizer l, Expr.Binary e, Expr.Call norm) {
        Ops o = l.ops;
        Expr a = norm.arg();
        return l.step("d norm2(A)^2 = 2*tr(A'*dA)", e, o.mul(Ops.num(2), o.inner(a, l.d(a))));
    }

    // ---- transposes ---------------------------------------------------------------------------

    static void tHadamard(Transposer t, Expr.Binary e, Expr g) {
        Ops o = t.ops;
        Expr a = e.left(), b = e.right();
        if (t.isLinear(a)) {
            t.send("Hadamard swap: tr(G'*(dA .* B)) = tr((G .* B)'*dA)", e, g, a, adjoint(o, a, b, g));
        }
        if (t.isLinear(b)) {
            t.send("Hadamard swap: tr(G'*(A .* dB)) = tr((G .* A)'*dB)", e, g, b, adjoint(o, b, a, g));
        }
    }

    private static Expr adjoint(Ops o, Expr linear, Expr other, Expr g) {
        Shape sl = o.shape(linear), so = o.shape(other);
        if (sl.isScalar() && !so.isScalar()) {
            return o.inner(other, g);
        }
        return o.hadamard(g, other);
    }

    static void tHadamardDiv(Transposer t, Expr.Binary e, Expr g) {
        Ops o = t.ops;
        Expr a = e.left(), b = e.right();
        Shape sa = o.shape(a), sb = o.shape(b);
        Expr ga;
        if (sb.isScalar()) {
            ga = o.div(g, b);
        } else if (sa.isScalar()) {
            ga = o.sum(o.hadamardDiv(g, b));
        } else {
            ga = o.hadamardDiv(g, b);
        }
        t.send("Hadamard swap: tr(G'*(dA ./ B)) = tr((G ./ B)'*dA)", e, g, a, ga);
    }

    // ---- vec-Jacobians ------------------------------------------------------------------------

    static Expr jHadamard(Jacobians j, Expr.Binary e) {
        Ops o = j.ops;
        Expr r = null;
        if (j.isLinear(e.left())) {
            r = scale(o, e.right(), e.left(), j.j(e.left()));
        }
        if (j.isLinear(e.right())) {
            Expr part = scale(o, e.left(), e.right(), j.j(e.right()));
            r = r == null ? part : o.add(r, part);
        }
        return r;
    }

    /** J of vec(c .* L) from J of L, for constant c. */
    private static Expr scale(Ops o, Expr c, Expr linear, Expr jl) {
        Shape sc = o.shape(c), sl = o.shape(linear);
        if (sc.isScalar()) {
            return o.mul(c, jl);
        }
        if (sl.isScalar()) {
            return o.mul(o.vec(c), jl);
        }
        return o.mul(o.diag(o.vec(c)), jl);
    }

    static Expr jHadamardDiv(Jacobians j, Expr.Binary e) {
        Ops o = j.ops;
        Expr b = e.right();
        Expr ja = j.j(e.left());
        if (o.scalar(b)) {
            return o.div(ja, b);
        }
        return scale(o, o.hadamardDiv(Ops.num(1), b), e.left(), ja);
    }
}
