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
 * The derivative of expm_frechet in its first argument (second derivatives of expm) is not
 * implemented and says so.
 */
final class MatrixFunctionRules {
    private MatrixFunctionRules() {
    }

    static Expr dCall(Linearizer l, Expr.Call e) {
        Ops o = l.ops;
        Expr x = e.arg();
        switch (e.fn()) {
            case LOGSUMEXP:
                return l.step("d logsumexp(x) = softmax(x)'*dx", e, o.inner(o.call(Builtin.SOFTMAX, x), l.d(x)));
            case SOFTMAX: {
                Expr dx = l.d(x);
                return l.step("d softmax(x) = s .* dx - s*(s'*dx)", e, o.sub(o.hadamard(e, dx), o.mul(e, o.inner(e, dx))));
            }
            case EXPM:
                return l.step("d expm(X) = expm_frechet(X, dX)", e, o.call(Builtin.EXPM_FRECHET, x, l.d(x)));
            case SQRTM:
                return l.step("d sqrtm(S) = sylvester(sqrtm(S), dS)", e, o.call(Builtin.SYLVESTER, e, l.d(x)));
            case EIGVALS: {
                Expr u = o.call(Builtin.EIGVECS, x);
                return l.step("d eigvals(S) = diag(U'*dS*U)", e, o.diag(o.mul(o.mul(o.transpose(u), l.d(x)), u)));
            }
            case LAMBDA_MAX:
            case LAMBDA_MIN: {
                Expr u = o.call(e.fn() == Builtin.LAMBDA_MAX ? Builtin.EIGVEC_MAX : Builtin.EIGVEC_MIN, x);
                return l.step("d lambda(S) = u'*dS*u", e, o.mul(o.mul(o.transpose(u), l.d(x)), u));
            }
            case EXPM_FRECHET: {
                if (l.dependsOnVariable(x)) {
                    throw Linearizer.notImplemented("expm_frechet in its first argument (second derivatives of expm)");
                }
                return l.step("expm_frechet(A, E) is linear in E", e, call(o, Builtin.EXPM_FRECHET, x, l.d(e.args().get(1))));
            }
            case SYLVESTER: {
                Expr s = x, c = e.args().get(1);
                Expr ds = l.d(s);
                Expr rhs = o.sub(l.d(c), o.add(o.mul(ds, e), o.mul(e, ds)));
                return l.step("d sylvester(S, C) = sylvester(S, dC - dS*Y - Y*dS)", e, call(o, Builtin.SYLVESTER, s, rhs));
            }
            case EIGVECS: {
                // dU = U*(F .* (U'*dS*U)), F_ij = 1/(lambda_j - lambda_i) off the diagonal, 0 on it
                Shape sh = o.shape(x);
                Expr lambda = o.call(Builtin.EIGVALS, x);
                Expr ones = Ops.ones(Shape.vector(sh.rows()));
                Expr eye = Ops.eye(sh.rows());
                Expr gaps = o.add(o.sub(o.mul(ones, o.transpose(lambda)), o.mul(lambda, o.transpose(ones))), eye);
                Expr f = o.hadamardDiv(o.sub(Ops.ones(sh), eye), gaps);
                Expr r = o.mul(e, o.hadamard(f, o.mul(o.mul(o.transpose(e), l.d(x)), e)));
                return l.step("d eigvecs(S) = U*(F .* (U'*dS*U)), F_ij = 1/(lambda_j - lambda_i)", e, r);
            }
            case EIGVEC_MAX:
            case EIGVEC_MIN: {
                // du = U*(g .* (U'*dS*u)), g_j = 1/(lambda - lambda_j) for j != the index of u, 0 there;
                // that index is picked out by U'*u, the unit vector e_k
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
            default:
                throw new AssertionError(e.fn());
        }
    }

    /** A call linear in its last argument: Zero in, Zero out. */
    private static Expr call(Ops o, Builtin fn, Expr a, Expr linear) {
        return Ops.isZero(linear) ? Ops.zeros(o.shape(linear)) : o.call(fn, a, linear);
    }

    static void tCall(Transposer t, Expr.Call e, Expr g) {
        Ops o = t.ops;
        Expr a = e.args().get(0), lin = e.args().get(1);
        if (t.isLinear(a)) {
            throw Transposer.notImplemented(e.fn().languageName() + " in its first argument (it is not linear there)");
        }
        if (e.fn() == Builtin.EXPM_FRECHET) {
            t.send("adjoint of the Frechet derivative: L(A, .)' = L(A', .)", e, g, lin, o.call(Builtin.EXPM_FRECHET, o.transpose(a), g));
        } else {
            t.send("sylvester(S, .) is self-adjoint for symmetric S", e, g, lin, o.call(Builtin.SYLVESTER, a, g));
        }
    }

    static Expr jCall(Jacobians j, Expr.Call e) {
        Ops o = j.ops;
        if (e.fn() == Builtin.EXPM_FRECHET) {
            throw Jacobians.notImplemented("expm_frechet (the Kronecker form of the Frechet derivative of expm)");
        }
        Expr s = e.args().get(0);
        Shape sh = o.shape(s);
        Expr op = o.add(o.kron(Ops.eye(sh.rows()), s), o.kron(o.transpose(s), Ops.eye(sh.rows())));
        return o.mul(o.call(Builtin.INV, op), j.j(e.args().get(1)));
    }
}
