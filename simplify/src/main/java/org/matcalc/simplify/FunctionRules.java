package org.matcalc.simplify;

import java.util.ArrayList;
import java.util.List;

import org.matcalc.expr.BinaryOp;
import org.matcalc.expr.Builtin;
import org.matcalc.expr.Decl;
import org.matcalc.expr.Expr;
import org.matcalc.expr.ScalarFunction;
import org.matcalc.expr.Shape;

/**
 * The rules of the built-in functions and the element-wise functions, one case each:
 * reductions of scalars and transposes ({@code tr(A') = tr(A)}, {@code sum(a) = a}), the
 * cyclic trace of a rank-one product ({@code tr(x*y') = y'*x}), inverses
 * ({@code inv(inv(X)) = X}, {@code inv(Q) = Q'} for orthogonal Q), and the element-wise
 * identities that hold wherever the input is defined ({@code log(exp(x)) = x}; {@code exp(log(x))}
 * only for x known positive).
 */
final class FunctionRules {
    private final Rewriter r;

    FunctionRules(Rewriter r) {
        this.r = r;
    }

    /** A variable of shape s inside e (e itself included), looking a few levels down; else null. */
    private Expr sameShapedVariable(Expr e, Shape s, int depth) {
        if (e instanceof Expr.Var) {
            return r.shape(e).equals(s) ? e : null;
        }
        if (depth > 6) {
            return null;
        }
        for (Expr k : org.matcalc.expr.TreeDepth.children(e)) {
            Expr v = sameShapedVariable(k, s, depth + 1);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    Expr call(Expr.Call c) {
        Expr x = c.arg();
        Shape xs = r.shape(x);
        Expr inner = x instanceof Expr.Transpose t ? t.arg() : null;
        switch (c.fn()) {
            case TR:
                if (xs.isScalar()) {
                    return x;
                }
                if (r.view(x).isZero()) {
                    return r.num(0);
                }
                if (inner != null) {
                    return r.mk(new Expr.Call(Builtin.TR, List.of(inner)));
                }
                return cyclicTrace(c);
            case SUM:
                if (xs.isScalar()) {
                    return x;
                }
                if (isSimplex(x) || inner != null && isSimplex(inner)) {
                    return r.num(1); // declared simplex(n): the entries sum to one
                }
                if (r.view(x).isZero()) {
                    return r.num(0);
                }
                return inner != null ? r.mk(new Expr.Call(Builtin.SUM, List.of(inner))) : c;
            case NORM1:
            case NORM2:
                if (xs.isScalar()) {
                    return elementwise((Expr.Elementwise) r.mk(new Expr.Elementwise(ScalarFunction.ABS, x)));
                }
                if (r.view(x).isZero()) {
                    return r.num(0);
                }
                if (inner != null) {
                    return r.mk(new Expr.Call(c.fn(), List.of(inner)));
                }
                if (x instanceof Expr.Neg n) {
                    return r.mk(new Expr.Call(c.fn(), List.of(n.arg())));
                }
                return c;
            case DIAG:
                if (xs.isColumn() && leadingMinus(x)) {
                    // diag(-v) = -diag(v), so that the sign joins the product around it
                    return r.mk(new Expr.Neg(r.mk(new Expr.Call(Builtin.DIAG, List.of(r.negated(x))))));
                }
                return xs.isScalar() ? x : c;
            case DET:
            case LAMBDA_MAX:
            case LAMBDA_MIN:
            case LOGSUMEXP:
            case EIGVALS:
                if (xs.isScalar()) {
                    return x;
                }
                return inner != null && c.fn() != Builtin.LOGSUMEXP
                        ? r.mk(new Expr.Call(c.fn(), List.of(inner))) : c;
            case LOGDET:
                if (xs.isScalar()) {
                    return elementwise((Expr.Elementwise) r.mk(new Expr.Elementwise(ScalarFunction.LOG, x)));
                }
                return inner != null ? r.mk(new Expr.Call(Builtin.LOGDET, List.of(inner))) : c;
            case NUMEL: {
                // numel counts entries only: numel((x - vector(c)).^2) = numel(x)
                Expr v = sameShapedVariable(x, xs, 0);
                return v != null && v != x ? r.mk(new Expr.Call(Builtin.NUMEL, List.of(v))) : c;
            }
            case SUM_AXIS:
                // sum(diag(v), 1) = v' and sum(diag(v), 2) = v: one entry in each row and column
                if (x instanceof Expr.Call d && d.fn() == Builtin.DIAG && r.shape(d.arg()).isColumn()
                        && c.args().get(1) instanceof Expr.Num k) {
                    return k.value() == 1 ? r.transpose(d.arg()) : d.arg();
                }
                return c;
            case VEC:
                if (xs.isScalar() || xs.isColumn()) {
                    return x;
                }
                if (xs.isRow()) {
                    return r.transpose(x);
                }
                return c;
            case INV:
                if (xs.isScalar()) {
                    return r.sum(r.termsOf(r.bin(BinaryOp.DIV, r.num(1), x)), xs);
                }
                if (x instanceof Expr.Call ic && ic.fn() == Builtin.INV) {
                    return ic.arg();
                }
                if (x instanceof Expr.Identity) {
                    return x;
                }
                if (r.isOrthogonal(x) != null) {
                    return r.transpose(x); // inv(Q) = Q'
                }
                return c;
            case EXPM:
                if (xs.isScalar()) {
                    return elementwise((Expr.Elementwise) r.mk(new Expr.Elementwise(ScalarFunction.EXP, x)));
                }
                // expm(A') = expm(A)': the transpose outside, where it joins the product around it
                return inner != null ? r.transpose(r.mk(new Expr.Call(Builtin.EXPM, List.of(inner)))) : c;
            case EXPM_FRECHET: {
                // L(A, E) = E*expm(A) when E commutes with A: E = I, or A and E multiples of one matrix
                Expr e = c.args().get(1);
                Term a = r.view(x), d = r.view(e);
                boolean identity = e instanceof Expr.Identity;
                if (!identity && (a.isZero() || d.isZero() || a.chain().isEmpty() || !a.chain().equals(d.chain()))) {
                    return c;
                }
                Expr expm = call((Expr.Call) r.mk(new Expr.Call(Builtin.EXPM, List.of(x))));
                return identity ? expm : r.sum(r.termsOf(r.bin(BinaryOp.MUL, e, expm)), xs);
            }
            case EXPM_FRECHET2: {
                // L2(A; I, F) = d/dt L(A + t*F, I) = d/dt expm(A + t*F) = L(A, F); symmetric in E and F
                Expr e = c.args().get(1), f = c.args().get(2);
                if (e instanceof Expr.Identity || f instanceof Expr.Identity) {
                    return r.mk(new Expr.Call(Builtin.EXPM_FRECHET, List.of(x, e instanceof Expr.Identity ? f : e)));
                }
                return c;
            }
            case EXPM_FRECHET2_KRON:
                // its columns are vec(L2(A; I, E_j)) = vec(L(A, E_j))
                return c.args().get(1) instanceof Expr.Identity ? r.mk(new Expr.Call(Builtin.EXPM_FRECHET_KRON, List.of(x))) : c;
            case SYLVESTER: {
                // S*Y + Y*S = I has the one solution Y = inv(S)/2 (S positive definite); c*I likewise by linearity
                Expr e = c.args().get(1);
                Term d = r.view(e);
                if (d.chain().size() == 1 && d.chain().get(0) instanceof Expr.Identity) {
                    Expr half = r.bin(BinaryOp.DIV, r.mk(new Expr.Call(Builtin.INV, List.of(x))), r.num(2));
                    Term scaled = r.multiply(new Term(d.coef(), d.scalars(), List.of(), Shape.SCALAR), r.view(half));
                    Expr out = r.buildTerm(scaled);
                    return out == null ? c : out;
                }
                return c;
            }
            case SQRTM:
                return xs.isScalar() ? elementwise((Expr.Elementwise) r.mk(new Expr.Elementwise(ScalarFunction.SQRT, x))) : c;
            case KRON: {
                Expr y = c.args().get(1);
                if (xs.isScalar() || r.shape(y).isScalar()) {
                    return r.sum(r.termsOf(r.bin(BinaryOp.MUL, x, y)), r.shape(c));
                }
                if (x instanceof Expr.Identity i && y instanceof Expr.Identity j && i.size() != null && j.size() != null) {
                    return r.mk(new Expr.Identity(org.matcalc.expr.Size.times(i.size(), j.size()))); // kron(I, I) = I
                }
                return c;
            }
            case LOGM:
                return xs.isScalar() ? elementwise((Expr.Elementwise) r.mk(new Expr.Elementwise(ScalarFunction.LOG, x))) : c;
            case LOGM_FRECHET: {
                // d logm(S)[I] = inv(S) (the Daleckii-Krein form with E = I), and it is linear in E
                Expr e = c.args().get(1);
                if (e instanceof Expr.Identity) {
                    return r.mk(new Expr.Call(Builtin.INV, List.of(x)));
                }
                if (e instanceof Expr.Neg n && n.arg() instanceof Expr.Identity) {
                    return r.mk(new Expr.Neg(r.mk(new Expr.Call(Builtin.INV, List.of(x)))));
                }
                return c;
            }
            default:
                return c; // a primitive without identities of its own stays as it is
        }
    }

    /** tr(x*y'*A) = y'*A*x: a chain that starts with a column (or ends with a row) turns into a scalar product. */
    private Expr cyclicTrace(Expr.Call c) {
        Term v = r.view(c.arg());
        List<Expr> chain = v.chain();
        if (chain.size() < 2) {
            return c;
        }
        List<Expr> rotated;
        if (r.shape(chain.get(0)).isColumn()) {
            rotated = new ArrayList<>(chain.subList(1, chain.size()));
            rotated.add(chain.get(0));
        } else if (r.shape(chain.get(chain.size() - 1)).isRow()) {
            rotated = new ArrayList<>();
            rotated.add(chain.get(chain.size() - 1));
            rotated.addAll(chain.subList(0, chain.size() - 1));
        } else {
            return c;
        }
        Term acc = new Term(v.coef(), v.scalars(), List.of(), Shape.SCALAR);
        for (Expr f : rotated) {
            acc = r.multiply(acc, r.view(f));
        }
        Expr out = r.buildTerm(acc);
        return out == null ? c : out;
    }

    /** Whether x is written with a minus in front: -v, -a.*b, -2*v. */
    private static boolean leadingMinus(Expr x) {
        while (x instanceof Expr.Binary b && (b.op() == BinaryOp.HADAMARD || b.op() == BinaryOp.HADAMARD_DIV
                || b.op() == BinaryOp.MUL || b.op() == BinaryOp.DIV)) {
            x = b.left();
        }
        return x instanceof Expr.Neg || x instanceof Expr.Num n && n.value() < 0;
    }

    private boolean isSimplex(Expr x) {
        return x instanceof Expr.Var v && r.declOf(v.name()).has(Decl.Property.SIMPLEX);
    }

    Expr elementwise(Expr.Elementwise f) {
        Expr x = f.arg();
        ScalarFunction fn = f.fn();
        if (x instanceof Expr.Num n) {
            double v = fn.apply(n.value());
            if (Double.isFinite(v)) {
                return r.num(v);
            }
            return f;
        }
        Expr.Elementwise g = x instanceof Expr.Elementwise e ? e : null;
        switch (fn) {
            case LOG:
                // log(exp(x)) = x for every real x.
                return g != null && g.fn() == ScalarFunction.EXP ? g.arg() : f;
            case EXP:
                // exp(log(x)) = x only where log is defined; the original is NaN elsewhere, so
                // only when x is known to be positive.
                return g != null && g.fn() == ScalarFunction.LOG && isPositive(g.arg()) ? g.arg() : f;
            case ABS:
            case COS:
            case COSH:
                if (x instanceof Expr.Neg n) {
                    return elementwise((Expr.Elementwise) r.mk(new Expr.Elementwise(fn, n.arg())));
                }
                return fn == ScalarFunction.ABS && g != null && g.fn() == ScalarFunction.ABS ? x : f;
            case RELU:
            case SIGN:
                return g != null && g.fn() == fn ? x : f;
            default:
                return f;
        }
    }

    private static boolean isPositive(Expr e) {
        if (e instanceof Expr.Num n) {
            return n.value() > 0;
        }
        if (e instanceof Expr.Elementwise f) {
            return f.fn() == ScalarFunction.EXP || f.fn() == ScalarFunction.SIGMOID || f.fn() == ScalarFunction.SOFTPLUS;
        }
        if (e instanceof Expr.Call c) {
            return c.fn() == Builtin.SOFTMAX;
        }
        return e instanceof Expr.Fill f && isPositive(f.value());
    }
}
