package org.matcalc.diff;

import org.matcalc.expr.Builtin;
import org.matcalc.expr.Expr;
import org.matcalc.expr.Shape;

/**
 * Matrix functions, exactly, with the primitives the language gained for them.
 *
 * <pre>
 *   d logsumexp(x) = softmax(x)'*dx
 *   d softmax(x)   = s .* dx - s*(s'*dx),  s = softmax(x)            (diag(s) - s*s')*dx
 *   d expm(X)      = expm_frechet(X, dX)        transpose: E <- expm_frechet(X', G)
 *                                               (L(A, .)' = L(A', .); Higham, Functions of Matrices, 3.2)
 *   d sqrtm(S)     = sylvester(sqrtm(S), dS)    R*dR + dR*R = dS; sylvester(R, .) is self-adjoint for
 *                                               symmetric R; vec form inv(kron(eye(n), R) + kron(R, eye(n)))
 *   d sylvester(S, C) = sylvester(S, dC - dS*Y - Y*dS),  Y = sylvester(S, C)
 *   d eigvals(S)   = diag(U'*dS*U),  U = eigvecs(S)    (simple eigenvalues; Magnus 1985)
 *   d lambda_max(S)= u'*dS*u,  u = eigvec_max(S);  lambda_min likewise with eigvec_min
 * </pre>
 *   d eigvecs(S)   = U*(F .* (U'*dS*U)),  F_ij = 1/(lambda_j - lambda_i), F_ii = 0   (simple spectrum;
 *                    Magnus 1985; written (J - I) ./ (1*lambda' - lambda*1' + I))
 *   d eigvec_max(S) = U*(g .* (U'*dS*u)),  g_j = 1/(lambda_max - lambda_j), 0 at u's own index (U'*u = e_k)
 *   d expm_frechet(A, E) = expm_frechet(A, dE) + expm_frechet2(A, E, dA)      (second derivatives of expm)
 *   d expm_frechet2(A, E, F) = expm_frechet2(A, F, dE) + expm_frechet2(A, E, dF)  (symmetric in E and F)
 *                    transpose in F: expm_frechet2(A', G, E')  (differentiate tr(G'*L(A, E)) = tr(L(A', G)'*E) in A)
 *   vec Jacobians:   expm_frechet_kron(A)*J(E), expm_frechet2_kron(A, E)*J(F)
 * Third derivatives of expm (expm_frechet2 in A, and the Kronecker forms) are refused by name.
 */
final class MatrixFunctionRules {
    private MatrixFunctionRules() {
    }

    static void register() {
        Rules.call(Builtin.LOGSUMEXP, MatrixFunctionRules::dLogsumexp);
        Rules.call(Builtin.SOFTMAX, MatrixFunctionRules::dSoftmax);
        Rules.call(Builtin.LOGSUMEXP_AXIS, MatrixFunctionRules::dLogsumexpAxis);
        Rules.call(Builtin.SOFTMAX_AXIS, MatrixFunctionRules::dSoftmaxAxis);
        Rules.call(Builtin.EXPM, MatrixFunctionRules::dExpm);
        Rules.call(Builtin.SQRTM, MatrixFunctionRules::dSqrtm);
        Rules.call(Builtin.EIGVALS, MatrixFunctionRules::dEigvals);
        Rules.call(Builtin.LAMBDA_MAX, MatrixFunctionRules::dLambda);
        Rules.call(Builtin.LAMBDA_MIN, MatrixFunctionRules::dLambda);
        Rules.call(Builtin.EIGVECS, MatrixFunctionRules::dEigvecs);
        Rules.call(Builtin.EIGVEC_MAX, MatrixFunctionRules::dEigvec);
        Rules.call(Builtin.EIGVEC_MIN, MatrixFunctionRules::dEigvec);
        Rules.linearCall(Builtin.EXPM_FRECHET, MatrixFunctionRules::dExpmFrechet, MatrixFunctionRules::tExpmFrechet,
                MatrixFunctionRules::jExpmFrechet);
        Rules.linearCall(Builtin.SYLVESTER, MatrixFunctionRules::dSylvester, MatrixFunctionRules::tSylvester,
                MatrixFunctionRules::jSylvester);
        Rules.linearCall(Builtin.EXPM_FRECHET2, MatrixFunctionRules::dExpmFrechet2, MatrixFunctionRules::tExpmFrechet2,
                MatrixFunctionRules::jExpmFrechet2);
        Rules.call(Builtin.EXPM_FRECHET_KRON, MatrixFunctionRules::thirdDerivative);
        Rules.call(Builtin.EXPM_FRECHET2_KRON, MatrixFunctionRules::thirdDerivative);
        Rules.call(Builtin.LOGM, MatrixFunctionRules::dLogm);
        Rules.linearCall(Builtin.LOGM_FRECHET, MatrixFunctionRules::dLogmFrechet, MatrixFunctionRules::tLogmFrechet,
                MatrixFunctionRules::jLogmFrechet);
    }

    // ---- logm (Daleckii-Krein: d logm(S) = U*(F .* (U'*dS*U))*U', F_ij = (log l_i - log l_j)/(l_i - l_j), F_ii = 1/l_i) ----

    static Expr dLogm(Linearizer l, Expr.Call e) {
        return l.step("d logm(S) = logm_frechet(S, dS)", e, l.ops.call(Builtin.LOGM_FRECHET, e.arg(), l.d(e.arg())));
    }

    static Expr dLogmFrechet(Linearizer l, Expr.Call e) {
        Expr s = e.arg();
        if (l.dependsOnVariable(s)) {
            throw Linearizer.notImplemented("logm_frechet in its first argument (second derivatives of logm)");
        }
        return l.step("logm_frechet(S, E) is linear in E", e, call(l.ops, Builtin.LOGM_FRECHET, s, l.d(e.args().get(1))));
    }

    /** Self-adjoint: F is symmetric, so tr(G'*U*(F .* (U'*E*U))*U') = tr(logm_frechet(S, G)'*E). */
    static void tLogmFrechet(Transposer t, Expr.Call e, Expr g) {
        Expr s = notLinearInFirst(t, e);
        t.send("logm_frechet(S, .) is self-adjoint", e, g, e.args().get(1), t.ops.call(Builtin.LOGM_FRECHET, s, g));
    }

    /**
     * vec(U*(F .* (U'*E*U))*U') = kron(U, U)*diag(vec(F))*kron(U, U)'*vec(E), with F written as
     * (log(l)*1' - 1*log(l)') ./ (l*1' - 1*l' + I) + diag(1 ./ l): distinct eigenvalues only (a
     * repeated one gives 0/0, which evaluation reports).
     */
    static Expr jLogmFrechet(Jacobians j, Expr.Call e) {
        Ops o = j.ops;
        Expr s = e.arg();
        Shape sh = o.shape(s);
        Expr u = o.call(Builtin.EIGVECS, s);
        Expr lambda = o.call(Builtin.EIGVALS, s);
        Expr logl = new Expr.Elementwise(org.matcalc.expr.ScalarFunction.LOG, lambda);
        Expr ones = Ops.ones(Shape.vector(sh.rows()));
        Expr num = o.sub(o.mul(logl, o.transpose(ones)), o.mul(ones, o.transpose(logl)));
        Expr den = o.add(o.sub(o.mul(lambda, o.transpose(ones)), o.mul(ones, o.transpose(lambda))), Ops.eye(sh.rows()));
        Expr f = o.add(o.hadamardDiv(num, den), o.diag(o.hadamardDiv(Ops.num(1), lambda)));
        Expr uu = o.kron(u, u);
        return o.mul(o.mul(o.mul(uu, o.diag(o.vec(f))), o.transpose(uu)), j.j(e.args().get(1)));
    }

    static Expr dLogsumexp(Linearizer l, Expr.Call e) {
        Expr x = e.arg();
        return l.step("d logsumexp(x) = softmax(x)'*dx", e, l.ops.inner(l.ops.call(Builtin.SOFTMAX, x), l.d(x)));
    }

    static Expr dSoftmax(Linearizer l, Expr.Call e) {
        Ops o = l.ops;
        Expr dx = l.d(e.arg());
        return l.step("d softmax(x) = s .* dx - s*(s'*dx)", e, o.sub(o.hadamard(e, dx), o.mul(e, o.inner(e, dx))));
    }

    static Expr dLogsumexpAxis(Linearizer l, Expr.Call e) {
        Ops o = l.ops;
        int k = Builtin.axisOf(e);
        Expr s = o.call(Builtin.SOFTMAX_AXIS, e.arg(), Ops.num(k));
        return l.step("d logsumexp(X, k) = sum(softmax(X, k) .* dX, k)", e, o.sumAxis(o.hadamard(s, l.d(e.arg())), k));
    }

    /** Each row (k = 2) or column (k = 1) is a softmax: dS = S .* (dX - the row sums of S .* dX, spread along the row). */
    static Expr dSoftmaxAxis(Linearizer l, Expr.Call e) {
        Ops o = l.ops;
        int k = Builtin.axisOf(e);
        Shape sh = o.shape(e);
        Expr dx = l.d(e.arg());
        Expr sums = o.sumAxis(o.hadamard(e, dx), k);
        Expr spread = o.spread(sums, k, sh);
        String rule = k == 2 ? "d softmax(X, 2) = S .* (dX - sum(S .* dX, 2)*ones')" : "d softmax(X, 1) = S .* (dX - ones*sum(S .* dX, 1))";
        return l.step(rule, e, o.hadamard(e, o.sub(dx, spread)));
    }

    static Expr dExpm(Linearizer l, Expr.Call e) {
        Expr x = e.arg();
        return l.step("d expm(X) = expm_frechet(X, dX)", e, l.ops.call(Builtin.EXPM_FRECHET, x, l.d(x)));
    }

    static Expr dSqrtm(Linearizer l, Expr.Call e) {
        return l.step("d sqrtm(S) = sylvester(sqrtm(S), dS)", e, l.ops.call(Builtin.SYLVESTER, e, l.d(e.arg())));
    }

    static Expr dEigvals(Linearizer l, Expr.Call e) {
        Ops o = l.ops;
        Expr x = e.arg();
        Expr u = o.call(Builtin.EIGVECS, x);
        return l.step("d eigvals(S) = diag(U'*dS*U)", e, o.diag(o.mul(o.mul(o.transpose(u), l.d(x)), u)));
    }

    /** lambda_max and lambda_min. */
    static Expr dLambda(Linearizer l, Expr.Call e) {
        Ops o = l.ops;
        Expr x = e.arg();
        Expr u = o.call(e.fn() == Builtin.LAMBDA_MAX ? Builtin.EIGVEC_MAX : Builtin.EIGVEC_MIN, x);
        return l.step("d lambda(S) = u'*dS*u", e, o.mul(o.mul(o.transpose(u), l.d(x)), u));
    }

    static Expr dExpmFrechet(Linearizer l, Expr.Call e) {
        Ops o = l.ops;
        Expr a = e.arg(), dir = e.args().get(1);
        Expr linear = call(o, Builtin.EXPM_FRECHET, a, l.d(dir));
        if (!l.dependsOnVariable(a)) {
            return l.step("expm_frechet(A, E) is linear in E", e, linear);
        }
        Expr second = o.call(Builtin.EXPM_FRECHET2, a, dir, l.d(a));
        return l.step("d expm_frechet(A, E) = expm_frechet(A, dE) + expm_frechet2(A, E, dA)", e, o.add(linear, second));
    }

    /** Bilinear in E and F, so each carries its differential into the last place (the form the transpose reads). */
    static Expr dExpmFrechet2(Linearizer l, Expr.Call e) {
        Ops o = l.ops;
        Expr a = e.arg(), dir1 = e.args().get(1), dir2 = e.args().get(2);
        if (l.dependsOnVariable(a)) {
            throw Linearizer.notImplemented("expm_frechet2 in its first argument (third derivatives of expm)");
        }
        Expr r = o.add(call3(o, a, dir2, l.d(dir1)), call3(o, a, dir1, l.d(dir2)));
        return l.step("d expm_frechet2(A, E, F) = expm_frechet2(A, F, dE) + expm_frechet2(A, E, dF)", e, r);
    }

    /** The Kronecker forms are where the chain of expm's derivatives stops. */
    static Expr thirdDerivative(Linearizer l, Expr.Call e) {
        throw Linearizer.notImplemented(e.fn().languageName() + " (third derivatives of expm)");
    }

    private static Expr call3(Ops o, Expr a, Expr e, Expr linear) {
        return Ops.isZero(linear) ? Ops.zeros(o.shape(linear)) : o.call(Builtin.EXPM_FRECHET2, a, e, linear);
    }

    static Expr dSylvester(Linearizer l, Expr.Call e) {
        Ops o = l.ops;
        Expr s = e.arg(), c = e.args().get(1);
        Expr ds = l.d(s);
        Expr rhs = o.sub(l.d(c), o.add(o.mul(ds, e), o.mul(e, ds)));
        return l.step("d sylvester(S, C) = sylvester(S, dC - dS*Y - Y*dS)", e, call(o, Builtin.SYLVESTER, s, rhs));
    }

    /** dU = U*(F .* (U'*dS*U)), F_ij = 1/(lambda_j - lambda_i) off the diagonal, 0 on it. */
    static Expr dEigvecs(Linearizer l, Expr.Call e) {
        Ops o = l.ops;
        Expr x = e.arg();
        Shape sh = o.shape(x);
        Expr lambda = o.call(Builtin.EIGVALS, x);
        Expr ones = Ops.ones(Shape.vector(sh.rows()));
        Expr eye = Ops.eye(sh.rows());
        Expr gaps = o.add(o.sub(o.mul(ones, o.transpose(lambda)), o.mul(lambda, o.transpose(ones))), eye);
        Expr f = o.hadamardDiv(o.sub(Ops.ones(sh), eye), gaps);
        Expr r = o.mul(e, o.hadamard(f, o.mul(o.mul(o.transpose(e), l.d(x)), e)));
        return l.step("d eigvecs(S) = U*(F .* (U'*dS*U)), F_ij = 1/(lambda_j - lambda_i)", e, r);
    }

    /**
     * eigvec_max and eigvec_min: du = U*(g .* (U'*dS*u)), g_j = 1/(lambda - lambda_j) for j !=
     * the index of u, 0 there; that index is picked out by U'*u, the unit vector e_k.
     */
    static Expr dEigvec(Linearizer l, Expr.Call e) {
        Ops o = l.ops;
        Expr x = e.arg();
        Shape sh = o.shape(x);
        boolean max = e.fn() == Builtin.EIGVEC_MAX;
        Expr u = o.call(Builtin.EIGVECS, x);
        Expr lambda = o.call(Builtin.EIGVALS, x);
        Expr lam = o.call(max ? Builtin.LAMBDA_MAX : Builtin.LAMBDA_MIN, x);
        Expr ones = Ops.ones(Shape.vector(sh.rows()));
        Expr ek = o.mul(o.transpose(u), e);
        Expr g = o.hadamardDiv(o.sub(ones, ek), o.add(o.sub(o.mul(lam, ones), lambda), ek));
        Expr r = o.mul(u, o.hadamard(g, o.mul(o.mul(o.transpose(u), l.d(x)), e)));
        return l.step("d u = U*(g .* (U'*dS*u)), g_j = 1/(lambda - lambda_j)", e, r);
    }

    /** A call linear in its last argument: Zero in, Zero out. */
    private static Expr call(Ops o, Builtin fn, Expr a, Expr linear) {
        return Ops.isZero(linear) ? Ops.zeros(o.shape(linear)) : o.call(fn, a, linear);
    }

    static void tExpmFrechet(Transposer t, Expr.Call e, Expr g) {
        Expr a = notLinearInFirst(t, e);
        t.send("adjoint of the Frechet derivative: L(A, .)' = L(A', .)", e, g, e.args().get(1),
                t.ops.call(Builtin.EXPM_FRECHET, t.ops.transpose(a), g));
    }

    /** tr(G'*L2(A; E, F)) = tr(L2(A'; G, E')'*F): tr(G'*L(A, E)) = tr(L(A', G)'*E) differentiated in A, with E and F swapped. */
    static void tExpmFrechet2(Transposer t, Expr.Call e, Expr g) {
        Expr a = notLinearInFirst(t, e);
        Expr dir = e.args().get(1);
        if (t.isLinear(dir)) {
            throw Transposer.notImplemented("expm_frechet2 in its second argument (it is linear in the last one only)");
        }
        t.send("adjoint of the second Frechet derivative: L2(A; E, .)' = L2(A'; ., E')", e, g, e.args().get(2),
                t.ops.call(Builtin.EXPM_FRECHET2, t.ops.transpose(a), g, t.ops.transpose(dir)));
    }

    static void tSylvester(Transposer t, Expr.Call e, Expr g) {
        Expr a = notLinearInFirst(t, e);
        t.send("sylvester(S, .) is self-adjoint for symmetric S", e, g, e.args().get(1), t.ops.call(Builtin.SYLVESTER, a, g));
    }

    private static Expr notLinearInFirst(Transposer t, Expr.Call e) {
        Expr a = e.args().get(0);
        if (t.isLinear(a)) {
            throw Transposer.notImplemented(e.fn().languageName() + " in its first argument (it is not linear there)");
        }
        return a;
    }

    static Expr jExpmFrechet(Jacobians j, Expr.Call e) {
        return j.ops.mul(j.ops.call(Builtin.EXPM_FRECHET_KRON, e.arg()), j.j(e.args().get(1)));
    }

    static Expr jExpmFrechet2(Jacobians j, Expr.Call e) {
        return j.ops.mul(j.ops.call(Builtin.EXPM_FRECHET2_KRON, e.arg(), e.args().get(1)), j.j(e.args().get(2)));
    }

    static Expr jSylvester(Jacobians j, Expr.Call e) {
        Ops o = j.ops;
        Expr s = e.args().get(0);
        Shape sh = o.shape(s);
        Expr op = o.add(o.kron(Ops.eye(sh.rows()), s), o.kron(o.transpose(s), Ops.eye(sh.rows())));
        return o.mul(o.call(Builtin.INV, op), j.j(e.args().get(1)));
    }
}
