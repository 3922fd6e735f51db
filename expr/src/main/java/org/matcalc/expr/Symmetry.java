package org.matcalc.expr;

import java.util.List;

/**
 * Which expressions are symmetric for every value of their variables: a sufficient,
 * structural test, in one place for the symbolic engine and the simplifier. A scalar is
 * symmetric; so is a variable declared symmetric, spd or diagonal; identities, zeros, constant
 * fills, {@code commutation(n, n)} and {@code diag(x)}; sums, Hadamard products and element-wise
 * functions of symmetric terms; {@code inv}, {@code expm}, {@code sqrtm} of a symmetric matrix,
 * {@code kron}, {@code expm_frechet} and {@code sylvester} of symmetric arguments; and a product
 * whose factors read the same backwards up to transposition ({@code A'*A}, {@code L*M*L'} with
 * symmetric M).
 *
 * <p>Each module supplies how it reads shapes, declarations, the factors of a product and
 * transposes (they keep different canonical forms), and memoises {@link #recurse}.
 */
public abstract class Symmetry {

    protected abstract Shape shape(Expr e);

    protected abstract Decl declOf(String name);

    /** The matrix factors of a product, left to right; scalar factors may be left out. */
    protected abstract List<Expr> factors(Expr product);

    /** Whether {@code b} is the transpose of {@code a}, in the module's canonical form. */
    protected abstract boolean transposes(Expr a, Expr b);

    /** The test for a subexpression; modules memoise it and call {@link #decide} on a miss. */
    protected abstract boolean recurse(Expr e);

    public final boolean decide(Expr e) {
        Shape s = shape(e);
        if (s.isScalar()) {
            return true;
        }
        if (!s.rows().equals(s.cols()) || s.isVector()) {
            return false;
        }
        if (e instanceof Expr.Var v) {
            Decl d = declOf(v.name());
            return d.isSymmetric() || d.has(Decl.Property.DIAGONAL);
        }
        if (e instanceof Expr.Identity || e instanceof Expr.Zeros || e instanceof Expr.Fill) {
            return true;
        }
        if (e instanceof Expr.Commutation k) {
            return k.m().equals(k.n());
        }
        if (e instanceof Expr.Neg n) {
            return recurse(n.arg());
        }
        if (e instanceof Expr.Transpose t) {
            return recurse(t.arg());
        }
        if (e instanceof Expr.Elementwise f) {
            return recurse(f.arg());
        }
        if (e instanceof Expr.Call c) {
            return switch (c.fn().symmetric()) {
                case OF_VECTOR -> shape(c.args().get(0)).isVector();
                case OF_ARGS -> c.args().stream().allMatch(this::recurse);
                case NEVER -> false;
            };
        }
        if (e instanceof Expr.Binary b) {
            return switch (b.op()) {
                case ADD, SUB, HADAMARD, HADAMARD_DIV, ELEM_POW -> recurse(b.left()) && recurse(b.right());
                case DIV, POW -> recurse(b.left());
                case MUL -> shape(b.left()).isScalar() ? recurse(b.right())
                        : shape(b.right()).isScalar() ? recurse(b.left()) : palindrome(factors(e));
            };
        }
        return false;
    }

    private boolean palindrome(List<Expr> fs) {
        List<Expr> m = fs.stream().filter(f -> !shape(f).isScalar()).toList();
        int k = m.size();
        for (int i = 0; i < k / 2; i++) {
            if (!transposes(m.get(i), m.get(k - 1 - i))) {
                return false;
            }
        }
        return k % 2 == 0 || recurse(m.get(k / 2));
    }
}
