package org.matcalc.simplify;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.matcalc.expr.BinaryOp;
import org.matcalc.expr.Builtin;
import org.matcalc.expr.Decl;
import org.matcalc.expr.Expr;
import org.matcalc.expr.Limits;
import org.matcalc.expr.Shape;
import org.matcalc.expr.Symmetry;
import org.matcalc.expr.Size;
import org.matcalc.expr.TextPrinter;
import org.matcalc.expr.TreeDepth;
import org.matcalc.expr.Typing;

/**
 * The rewriting engine behind {@link Simplifier}. Every node is simplified once, bottom-up
 * (memoised by identity, so shared subtrees cost nothing twice), and then read through two
 * views that make the rules short:
 * <ul>
 *   <li>a product is a {@link Term}: number x commuting scalar factors x a chain of matrix
 *       factors, with transposes pushed onto the factors ({@code (A*B)' = B'*A'}), identities
 *       dropped and scalar sub-products kept whole;</li>
 *   <li>a sum is a list of terms, in which equal monomials are added, zeros dropped, and a
 *       common left or right chain factor taken out ({@code A*X + A'*X = (A + A')*X}).</li>
 * </ul>
 * Output is built back from the views in one canonical way. At every node the rewritten form
 * competes with the node rebuilt from its simplified children and with the node as given; the
 * shortest printed form wins (ties in that order), so the result never prints longer than the
 * input. The rules of built-in and element-wise functions are in {@link FunctionRules}.
 */
final class Rewriter {
    private final Store store;
    private final Typing typing;
    private final IdentityHashMap<Expr, Expr> simplified = new IdentityHashMap<>();
    private final Map<Expr, Expr> originals = new IdentityHashMap<>();
    private final Map<Integer, Term> views = new HashMap<>();
    private final Map<Integer, List<Term>> termLists = new HashMap<>();
    private final Map<Integer, Boolean> symmetric = new HashMap<>();
    private final Map<Integer, Expr> transposes = new HashMap<>();
    private final Map<Integer, Expr> orientations = new HashMap<>();

    private final FunctionRules functions = new FunctionRules(this);
    private final ElementwiseAlgebra algebra;

    /** Where the identities used are written down (for the derivation's Simplify steps); null: nowhere. */
    private final List<Simplifier.Rewrite> log;
    /** The named identities the element-wise algebra applied in the rewrite under way. */
    private final java.util.Set<String> fired = new java.util.LinkedHashSet<>();

    Rewriter(Store store, List<Simplifier.Rewrite> log) {
        this.store = store;
        this.typing = store.typing();
        this.algebra = new ElementwiseAlgebra(this, store);
        this.log = log;
    }

    /** The algebra names an identity it applied. */
    void fired(String identity) {
        if (log != null) {
            fired.add(identity);
        }
    }

    /** A rewrite of a subexpression by the named identity, written down when someone listens. */
    private void logged(String identity, Expr before, Expr after) {
        if (log != null && after != null && after != before && log.size() < MAX_LOGGED) {
            log.add(new Simplifier.Rewrite(identity, before, after));
        }
    }

    private static final int MAX_LOGGED = 1000;

    /**
     * sum(u)/numel(x) for an x with as many entries as u is sum(u)/numel(u), which prints as
     * mean(u) (the numel rule had made it numel(x), layer normalisation's variance); else null.
     */
    private Expr meanOf(Expr.Binary b) {
        if (b.op() == BinaryOp.DIV && b.left() instanceof Expr.Call s && s.fn() == Builtin.SUM && b.right() instanceof Expr.Call n
                && n.fn() == Builtin.NUMEL && !n.arg().equals(s.arg()) && !shape(s.arg()).isScalar()
                && entries(shape(n.arg())).equals(entries(shape(s.arg())))) {
            return mk(new Expr.Binary(BinaryOp.DIV, s, mk(new Expr.Call(Builtin.NUMEL, List.of(s.arg())))));
        }
        return null;
    }

    /** The algebra's form of an expression, and the identities it named on the way. */
    private record Algebraic(Expr out, String identities) {
    }

    private Algebraic algebraOf(Expr e) {
        if (log == null) {
            return new Algebraic(algebra.rewrite(e), null);
        }
        List<String> outer = new ArrayList<>(fired); // the algebra may simplify parts again, which names its own
        fired.clear();
        Expr out = algebra.rewrite(e);
        String names = fired.isEmpty() ? "element-wise algebra: products expanded, like terms and factors merged, cancelled above and below the line"
                : String.join("; ", fired);
        fired.clear();
        fired.addAll(outer);
        return new Algebraic(out, names);
    }

    /** The chosen form, logged as the algebra's when it is the algebra's. */
    private Expr byAlgebra(Expr p, Algebraic a, Expr chosen) {
        if (a.out() != null && chosen == a.out()) {
            logged(a.identities(), p, chosen);
        }
        return chosen;
    }

    /** The simplified form of a node of the typed tree. */
    Expr simplify(Expr e) {
        Expr done = simplified.get(e);
        if (done != null) {
            return done;
        }
        Expr original = store.internTree(e, originals);
        List<Expr> kids = new ArrayList<>();
        for (Expr k : TreeDepth.children(e)) {
            kids.add(simplify(k));
        }
        Expr plain = store.rebuild(e, kids, typing.shapeOf(e));
        Expr best = shortest(rewrite(plain), plain, original);
        best = shortest(withoutFillSizes(best), best);
        simplified.put(e, best);
        return best;
    }

    /**
     * vector(1, n) - tanh(x).^2 written vector(1) - tanh(x).^2: a filled operand of + - .* ./
     * whose other operand has the result's shape takes its size from there (null when there is none).
     */
    private Expr withoutFillSizes(Expr e) {
        if (!(e instanceof Expr.Binary b) || shape(e).isScalar() || !(isSum(b) || b.op() == BinaryOp.HADAMARD
                || b.op() == BinaryOp.HADAMARD_DIV)) {
            return null;
        }
        Expr l = unsized(b.left(), b.right(), shape(e)), r = unsized(b.right(), b.left(), shape(e));
        return l == b.left() && r == b.right() ? null : bin(b.op(), l, r);
    }

    private Expr unsized(Expr fill, Expr other, Shape s) {
        if (fill instanceof Expr.Fill f && f.rows() != null && shape(fill).equals(s) && shape(other).equals(s)
                && !store.needsContext(other) && (!f.matrix() || !s.isColumn())) {
            return store.intern(new Expr.Fill(f.value(), f.matrix(), null, null), s);
        }
        return fill;
    }

    private Expr shortest(Expr... candidates) {
        Expr best = null;
        for (Expr c : candidates) {
            if (c != null && (best == null || store.length(c) < store.length(best))) {
                best = c;
            }
        }
        return best;
    }

    // ---- node construction -------------------------------------------------------------

    Expr mk(Expr e) {
        return store.intern(e);
    }

    Expr num(double v) {
        return mk(new Expr.Num(v));
    }

    Expr bin(BinaryOp op, Expr l, Expr r) {
        return mk(new Expr.Binary(op, l, r));
    }

    Shape shape(Expr e) {
        return store.shape(e);
    }

    private int len(Expr e) {
        return store.length(e);
    }

    private static boolean printable(Size s) {
        if (s instanceof Size.Prod p) {
            return p.factors().stream().allMatch(Rewriter::printable);
        }
        return s instanceof Size.Fixed || s instanceof Size.Sym;
    }

    /** The zero of a shape, or null when its sizes are not known well enough to write zeros(n, m). */
    private Expr zeroOf(Shape s) {
        if (s.isScalar()) {
            return num(0);
        }
        if (printable(s.rows()) && printable(s.cols())) {
            return mk(new Expr.Zeros(s.rows(), s.cols()));
        }
        return null;
    }

    private final Map<Integer, Expr> negations = new HashMap<>();

    /** -u as the rewriter writes it (the shorter of its rewritten form and -u itself). */
    Expr negated(Expr u) {
        int id = store.id(u);
        Expr done = negations.get(id);
        if (done == null) {
            if (u instanceof Expr.Neg n) {
                done = n.arg();
            } else {
                Expr plain = mk(new Expr.Neg(u));
                done = shortest(rewrite(plain), plain);
            }
            negations.put(id, done);
        }
        return done;
    }

    /** value filled out to the shape, vector(c, n) or matrix(c, n, m); null when the sizes cannot be written. */
    Expr fillOf(Expr value, Shape s) {
        if (!printable(s.rows()) || !printable(s.cols())) {
            return null;
        }
        return mk(s.isColumn() ? new Expr.Fill(value, false, s.rows(), null) : new Expr.Fill(value, true, s.rows(), s.cols()));
    }

    private static boolean isSum(Expr e) {
        return e instanceof Expr.Binary b && (b.op() == BinaryOp.ADD || b.op() == BinaryOp.SUB);
    }

    // ---- the rule for each kind of node ---------------------------------------------------

    /** A shorter equal form of {@code p}, whose children are simplified; null when there is none. */
    private Expr rewrite(Expr p) {
        if (p instanceof Expr.Neg) {
            Expr sum = sum(termsOf(p), shape(p));
            Algebraic alg = algebraOf(p);
            return byAlgebra(p, alg, shortest(sum, alg.out()));
        }
        if (p instanceof Expr.Transpose t) {
            return transpose(t.arg());
        }
        Expr mean = p instanceof Expr.Binary b ? meanOf(b) : null;
        if (mean != null) {
            logged("sum(u)/numel(u) = mean(u)", p, mean);
            return mean;
        }
        if (p instanceof Expr.Binary b) {
            // on element-wise nodes the algebra's form wins ties: the sign first, equal factors merged
            boolean elementwise = b.op() == BinaryOp.HADAMARD || b.op() == BinaryOp.HADAMARD_DIV || b.op() == BinaryOp.ELEM_POW;
            if (elementwise) {
                Algebraic alg = algebraOf(b);
                return byAlgebra(p, alg, shortest(alg.out(), binary(b)));
            }
            Expr bin = binary(b);
            Algebraic alg = algebraOf(b);
            return byAlgebra(p, alg, shortest(bin, alg.out()));
        }
        if (p instanceof Expr.Call c) {
            Expr out = functions.call(c);
            logged("the rule of " + c.fn().languageName(), p, out);
            return out;
        }
        if (p instanceof Expr.Elementwise f) {
            Expr out = functions.elementwise(f);
            logged("the rule of " + f.fn().name().toLowerCase(java.util.Locale.ROOT), p, out);
            return out;
        }
        return p;
    }

    private Expr binary(Expr.Binary b) {
        Expr l = b.left(), r = b.right();
        Shape ls = shape(l), rs = shape(r);
        switch (b.op()) {
            case ADD:
            case SUB:
            case MUL:
            case DIV:
                return sum(termsOf(b), shape(b));
            case POW:
                if (r instanceof Expr.Num k && k.value() == 1) {
                    return l;
                }
                if (ls.isScalar()) {
                    if (l instanceof Expr.Num x && r instanceof Expr.Num k) {
                        double v = Math.pow(x.value(), k.value());
                        if (Double.isFinite(v)) {
                            return num(v);
                        }
                    }
                    return sum(termsOf(b), shape(b));
                }
                return b;
            case ELEM_POW:
                if (r instanceof Expr.Num k && k.value() == 1) {
                    return l;
                }
                if (ls.isScalar() && rs.isScalar()) {
                    return binary((Expr.Binary) bin(BinaryOp.POW, l, r));
                }
                return b;
            case HADAMARD: {
                Expr cancelled = cancelHadamard(b);
                if (cancelled != null) {
                    return cancelled;
                }
                if (ls.isScalar() || rs.isScalar()) {
                    return sum(termsOf(bin(BinaryOp.MUL, l, r)), shape(b));
                }
                if (view(l).isZero() || view(r).isZero()) {
                    return zeroOf(shape(b));
                }
                if (constantFill(r) != null && ls.equals(shape(b))) {
                    return sum(termsOf(bin(BinaryOp.MUL, constantFill(r), l)), shape(b));
                }
                if (constantFill(l) != null && rs.equals(shape(b))) {
                    return sum(termsOf(bin(BinaryOp.MUL, constantFill(l), r)), shape(b));
                }
                return b;
            }
            case HADAMARD_DIV: {
                Expr cancelled = cancelHadamard(b);
                if (cancelled != null) {
                    return cancelled;
                }
                if (rs.isScalar()) {
                    return sum(termsOf(bin(BinaryOp.DIV, l, r)), shape(b));
                }
                if (constantFill(r) != null && ls.equals(shape(b)) && ((Expr.Num) constantFill(r)).value() != 0) {
                    return sum(termsOf(bin(BinaryOp.DIV, l, constantFill(r))), shape(b));
                }
                return b;
            }
            default:
                throw new AssertionError(b.op());
        }
    }

    /**
     * An element-wise product and quotient with a factor above and below the line, cancelled:
     * {@code 1./a.*(a.*b) = b}, {@code (a.*b)./(a.*c) = b./c} — what the chain rule through log
     * meets, e.g. d log(sigmoid(t)) = 1./sigmoid(t) .* (sigmoid(t).*sigmoid(-t)) dt. It holds
     * wherever the expression is defined (where a = 0 it is not). Null when nothing cancels, or
     * when no factor of the full shape would remain to carry it.
     */
    private Expr cancelHadamard(Expr.Binary b) {
        List<Expr> above = new ArrayList<>();
        List<Expr> below = new ArrayList<>();
        double[] coefficient = {1};
        if (!hadamardFactors(b, false, above, below, coefficient)) {
            return null;
        }
        boolean cancelled = false;
        for (int i = below.size() - 1; i >= 0; i--) {
            int id = store.id(below.get(i));
            for (int j = 0; j < above.size(); j++) {
                if (store.id(above.get(j)) == id) {
                    above.remove(j);
                    below.remove(i);
                    cancelled = true;
                    break;
                }
            }
        }
        Shape s = shape(b);
        boolean carried = above.stream().anyMatch(f -> shape(f).equals(s)) || below.stream().anyMatch(f -> shape(f).equals(s));
        if (!cancelled || !carried) {
            return null;
        }
        Expr top = coefficient[0] == 1 && !above.isEmpty() ? null : num(coefficient[0]);
        for (Expr f : above) {
            top = top == null ? f : bin(BinaryOp.HADAMARD, top, f);
        }
        Expr bottom = null;
        for (Expr f : below) {
            bottom = bottom == null ? f : bin(BinaryOp.HADAMARD, bottom, f);
        }
        Expr out = bottom == null ? top : bin(BinaryOp.HADAMARD_DIV, top, bottom);
        // What is left may take other rules (a number times a vector is 2*y, not 2.*y).
        return out instanceof Expr.Binary rest ? shortest(binary(rest), out) : out;
    }

    /**
     * Collects the factors of an element-wise product/quotient: those above the line, those
     * below, and numbers into one coefficient. False when a number below the line is zero.
     */
    private boolean hadamardFactors(Expr e, boolean below, List<Expr> above, List<Expr> under, double[] coefficient) {
        if (e instanceof Expr.Binary b && b.op() == BinaryOp.HADAMARD) {
            return hadamardFactors(b.left(), below, above, under, coefficient)
                    && hadamardFactors(b.right(), below, above, under, coefficient);
        }
        if (e instanceof Expr.Binary b && b.op() == BinaryOp.HADAMARD_DIV) {
            return hadamardFactors(b.left(), below, above, under, coefficient)
                    && hadamardFactors(b.right(), !below, above, under, coefficient);
        }
        if (e instanceof Expr.Num n) {
            if (below && n.value() == 0) {
                return false;
            }
            coefficient[0] = below ? coefficient[0] / n.value() : coefficient[0] * n.value();
            return true;
        }
        (below ? under : above).add(e);
        return true;
    }

    /** The number c of vector(c) / matrix(c), or null. */
    private static Expr constantFill(Expr e) {
        return e instanceof Expr.Fill f && f.value() instanceof Expr.Num ? f.value() : null;
    }

    // ---- transposes and symmetry -------------------------------------------------------

    /** f', as short as it can be written: scalars and symmetric matrices are their own transpose. */
    Expr transpose(Expr f) {
        int id = store.id(f);
        Expr done = transposes.get(id);
        if (done == null) {
            done = computeTranspose(f);
            transposes.put(id, done);
        }
        return done;
    }

    private Expr computeTranspose(Expr f) {
        Shape s = shape(f);
        if (s.isScalar()) {
            return f;
        }
        if (f instanceof Expr.Transpose t) {
            return t.arg();
        }
        if (isSymmetric(f)) {
            return f;
        }
        Expr plain = mk(new Expr.Transpose(f));
        if (f instanceof Expr.Neg || f instanceof Expr.Binary b
                && (isSum(b) || b.op() == BinaryOp.MUL || b.op() == BinaryOp.DIV)) {
            // Pushed inside only where that is strictly shorter: (A*B)' -> B'*A', (A' + B')' -> A + B.
            Expr pushed = sum(termsOf(plain), s.transpose());
            return pushed != null && len(pushed) < len(plain) ? pushed : plain;
        }
        if (f instanceof Expr.Zeros z) {
            return mk(new Expr.Zeros(z.cols(), z.rows()));
        }
        if (f instanceof Expr.Fill fill && fill.matrix()) {
            Expr flipped = new Expr.Fill(fill.value(), true, fill.cols(), fill.rows());
            return store.intern(flipped, fill.rows() == null ? s.transpose() : null);
        }
        if (f instanceof Expr.Commutation k) {
            return mk(new Expr.Commutation(k.n(), k.m()));
        }
        return plain;
    }

    /** Whether f' = f follows from the declarations and the structure of f. */
    boolean isSymmetric(Expr f) {
        int id = store.id(f);
        Boolean done = symmetric.get(id);
        if (done == null) {
            done = symmetry.decide(f);
            symmetric.put(id, done);
        }
        return done;
    }

    private final Symmetry symmetry = new Symmetry() {
        protected Shape shape(Expr e) {
            return Rewriter.this.shape(e);
        }

        protected Decl declOf(String name) {
            return typing.declOf(name);
        }

        protected List<Expr> factors(Expr product) {
            return view(product).chain();
        }

        protected boolean transposes(Expr a, Expr b) {
            return a == transpose(b);   // hash-consed: equal trees are the same object
        }

        protected boolean recurse(Expr e) {
            return isSymmetric(e);
        }
    };

    // ---- products ----------------------------------------------------------------------

    Term view(Expr x) {
        int id = store.id(x);
        Term t = views.get(id);
        if (t == null) {
            t = computeView(x);
            views.put(id, t);
        }
        return t;
    }

    private Term computeView(Expr x) {
        Shape s = shape(x);
        if (x instanceof Expr.Num n) {
            return Term.number(n.value());
        }
        if (x instanceof Expr.Zeros || x instanceof Expr.Fill f && f.value() instanceof Expr.Num z && z.value() == 0) {
            return Term.zero(s);
        }
        if (x instanceof Expr.Neg n) {
            return view(n.arg()).scale(-1);
        }
        if (s.isScalar() && x instanceof Expr.Identity) {
            return Term.number(1); // x*eye for a scalar x*... sizes eye as 1x1
        }
        if (s.isScalar() && x instanceof Expr.Fill f) {
            return view(f.value());
        }
        if (x instanceof Expr.Call c && linear(c.fn()) && c.args().stream().anyMatch(a -> view(a).isZero())
                || x instanceof Expr.Binary h && h.op() == BinaryOp.HADAMARD && (view(h.left()).isZero() || view(h.right()).isZero())) {
            return Term.zero(s);
        }
        if (x instanceof Expr.Binary b) {
            switch (b.op()) {
                case MUL:
                    return multiply(view(b.left()), view(b.right()));
                case DIV: {
                    Term d = view(b.right());
                    if (shape(b.right()).isScalar() && !d.isZero()) {
                        return multiply(view(b.left()), power(d, -1));
                    }
                    break;
                }
                case POW:
                    if (s.isScalar() && b.right() instanceof Expr.Num k && k.value() == Math.rint(k.value())
                            && Math.abs(k.value()) <= 64) {
                        Term base = view(b.left());
                        Term raised = base.isZero() && k.value() < 0 ? null : power(base, (int) k.value());
                        if (raised != null) {
                            return raised;
                        }
                    }
                    break;
                default:
                    break;
            }
        }
        if (x instanceof Expr.Transpose t) {
            Term inner = view(t.arg());
            if (s.isScalar()) {
                return inner;
            }
            boolean atomic = inner.coef() == 1 && inner.scalars().isEmpty() && inner.chain().size() == 1
                    && inner.chain().get(0) == t.arg();
            if (!atomic) {
                return transposeTerm(inner);
            }
        }
        return atom(x);
    }

    /** Functions that are zero at zero (linear in each argument). */
    private static boolean linear(Builtin fn) {
        return fn == Builtin.VEC || fn == Builtin.DIAG || fn == Builtin.KRON || fn == Builtin.TR || fn == Builtin.SUM;
    }

    private Term atom(Expr x) {
        Shape s = shape(x);
        if (s.isScalar()) {
            return new Term(1, Map.of(store.id(x), 1), List.of(), s);
        }
        return new Term(1, Map.of(), List.of(x), s);
    }

    Term multiply(Term a, Term b) {
        boolean as = a.shape().isScalar(), bs = b.shape().isScalar();
        Shape s = as ? b.shape() : bs ? a.shape() : new Shape(a.shape().rows(), b.shape().cols());
        if (a.isZero() || b.isZero()) {
            return Term.zero(s);
        }
        if (as && !a.chain().isEmpty() && (!bs || !b.chain().isEmpty())) {
            a = atomise(a);
        }
        if (bs && !b.chain().isEmpty() && !a.chain().isEmpty()) {
            b = atomise(b);
        }
        double coef = Term.product(a.coef(), b.coef());
        Map<Integer, Integer> scalars = signs(Term.mergeScalars(a.scalars(), b.scalars()));
        List<Expr> chain = Term.concat(a.chain(), b.chain());
        if (!as && !bs) {
            double[] sign = {1};
            List<Expr> given = chain;
            List<Expr> centred = absorbCentring(chain);
            List<Expr> cancelled = cancelOrthogonal(dropIdentities(centred));
            List<Expr> diagonal = mergeDiagonals(cancelled, sign);
            chain = mergePowers(diagonal);
            if (log != null) {
                logChain("the centring matrix H = I - 11'/n: H*c = c, c'*H = c', H*H = H", given, centred);
                logChain("A*inv(A) = I, Q'*Q = I for orthogonal Q, K(m, n)*K(n, m) = I", dropIdentities(centred), cancelled);
                logChain("diag(a)*diag(b) = diag(a.*b)", cancelled, diagonal, sign[0]);
                logChain("powers of one matrix merge: X^a*X^b = X^(a+b)", diagonal, chain);
            }
            coef *= sign[0];
            // A prefix whose product is 1x1 (x'*A*y inside x'*A*y*z') becomes one scalar factor,
            // so that each product has one chain.
            int start = 0;
            Size rows = shape(chain.get(0)).rows();
            for (int i = 0; i < chain.size() - 1 && rows.isOne(); i++) {
                if (shape(chain.get(i)).cols().isOne()) {
                    Expr p = innerProduct(chain.subList(start, i + 1));
                    scalars = Term.mergeScalars(scalars, Map.of(store.id(p), 1));
                    start = i + 1;
                    rows = shape(chain.get(i + 1)).rows();
                }
            }
            chain = chain.subList(start, chain.size());
            if (s.isScalar() && chain.size() == 2) {
                Expr p = innerProduct(chain);
                if (!(p instanceof Expr.Binary pb && pb.op() == BinaryOp.MUL)) {
                    scalars = Term.mergeScalars(scalars, Map.of(store.id(p), 1)); // vec(P)'*vec(Q) = tr(P'*Q)
                    chain = List.of();
                }
            }
        }
        return new Term(coef, scalars, chain, s);
    }

    /**
     * sign(u)*u = abs(u) and sign(u)*abs(u) = u among commuting factors (by node id, with
     * exponents), which the derivative of abs leaves behind: d log(abs(det(X))) is
     * det(X)*sign(det(X))*inv(X)'/abs(det(X)) = inv(X)'. The map itself when nothing applies.
     */
    private Map<Integer, Integer> signs(Map<Integer, Integer> powers) {
        Map<Integer, Integer> out = null;
        for (Map.Entry<Integer, Integer> e : powers.entrySet()) {
            if (e.getValue() != 1 || !(store.node(e.getKey()) instanceof Expr.Elementwise f)
                    || f.fn() != org.matcalc.expr.ScalarFunction.SIGN) {
                continue;
            }
            Map<Integer, Integer> cur = out == null ? powers : out;
            int u = store.id(f.arg());
            int abs = store.id(mk(new Expr.Elementwise(org.matcalc.expr.ScalarFunction.ABS, f.arg())));
            int from = cur.getOrDefault(u, 0) > 0 ? u : cur.getOrDefault(abs, 0) > 0 ? abs : -1;
            if (from < 0 || !cur.containsKey(e.getKey())) {
                continue;
            }
            out = new LinkedHashMap<>(cur);
            out.remove(e.getKey());
            out.merge(from, -1, Integer::sum);
            out.merge(from == u ? abs : u, 1, Integer::sum);
            out.values().removeIf(k -> k == 0);
        }
        return out == null ? powers : out;
    }

    /**
     * Adjacent powers of one matrix multiplied: X*X^2 = X^3, X^a*X^b = X^(a+b), and the same
     * transposed, A'*A' = (A^2)' and (A^k)'*A' = (A^(k+1))'; an inverse is a negative power,
     * inv(X^5)*X^4 = inv(X), inv(X)*inv(X) = inv(X^2). The derivative of tr(X^k) is a sum of k such products, which then
     * collect into k*(X^(k-1))', and that of det(X^5) collects into 5*det(X^5)*inv(X)'.
     */
    private List<Expr> mergePowers(List<Expr> chain) {
        if (chain.size() < 2) {
            return chain;
        }
        List<Expr> out = new ArrayList<>();
        boolean merged = false;
        for (Expr f : chain) {
            Expr last = out.isEmpty() ? null : out.get(out.size() - 1);
            Power a = last == null ? null : power(last), b = power(f);
            if (a != null && b != null && a.base() == b.base() && a.transposed() == b.transposed()
                    && Math.abs((long) a.k() + b.k()) <= MAX_EXPONENT) {
                int k = a.k() + b.k();
                out.remove(out.size() - 1);
                if (k != 0) {
                    Expr p = k == 1 ? a.base() : k == -1 ? mk(new Expr.Call(Builtin.INV, List.of(a.base())))
                            : k > 0 ? bin(BinaryOp.POW, a.base(), num(k))
                            : mk(new Expr.Call(Builtin.INV, List.of(bin(BinaryOp.POW, a.base(), num(-k)))));
                    out.add(a.transposed() ? transpose(p) : p);
                }
                merged = true;
            } else {
                out.add(f);
            }
        }
        if (out.isEmpty()) {
            out.add(mk(new Expr.Identity(shape(chain.get(0)).rows())));
        }
        return merged ? out : chain;
    }

    /**
     * Adjacent diagonal matrices multiplied: diag(a)*diag(b) = diag(a.*b) and diag(a)^k =
     * diag(a.^k), the product simplified element-wise; what a Hessian through element-wise
     * functions is made of (X'*diag(y)*diag(s)*diag(y)*X). A sign that comes out of the
     * diagonal (diag(-v) = -diag(v)) goes to {@code sign[0]}.
     */
    private List<Expr> mergeDiagonals(List<Expr> chain, double[] sign) {
        List<Expr> out = new ArrayList<>();
        boolean merged = false;
        for (Expr f : chain) {
            Expr last = out.isEmpty() ? null : out.get(out.size() - 1);
            Expr a = last == null ? null : diagonalOf(last), b = a == null ? null : diagonalOf(f);
            if (a != null && b != null && shape(a).equals(shape(b))) {
                Expr d = functions.call((Expr.Call) mk(new Expr.Call(Builtin.DIAG, List.of(elementwise(bin(BinaryOp.HADAMARD, a, b))))));
                if (d instanceof Expr.Neg n) {
                    sign[0] = -sign[0];
                    d = n.arg();
                }
                out.set(out.size() - 1, d);
                merged = true;
            } else {
                out.add(f);
            }
        }
        return merged ? out : chain;
    }

    /** v when f is diag(v) for a column v, v.^k when f is diag(v)^k; else null. */
    private Expr diagonalOf(Expr f) {
        if (f instanceof Expr.Call c && c.fn() == Builtin.DIAG && shape(c.arg()).isColumn()) {
            return c.arg();
        }
        if (f instanceof Expr.Binary b && b.op() == BinaryOp.POW && b.right() instanceof Expr.Num) {
            Expr v = diagonalOf(b.left());
            return v == null ? null : elementwise(bin(BinaryOp.ELEM_POW, v, b.right()));
        }
        return null;
    }

    /** The shortest form of an element-wise node made here (its operands already simplified). */
    private Expr elementwise(Expr e) {
        return shortest(rewrite(e), e);
    }

    /**
     * A sum of diagonal matrices is the diagonal of the sum: c*diag(a) - diag(b) = diag(c*a - b);
     * null unless every term is a scalar multiple of one diag(v) of a column v.
     */
    private Expr diagonalSum(List<Term> terms, Shape shape) {
        if (terms.size() < 2) {
            return null;
        }
        List<Term> inner = new ArrayList<>();
        Shape v = null;
        for (Term t : terms) {
            Expr d = t.chain().size() == 1 ? diagonalOf(t.chain().get(0)) : null;
            if (d == null || v != null && !shape(d).equals(v)) {
                return null;
            }
            v = shape(d);
            inner.add(new Term(t.coef(), t.scalars(), List.of(d), v));
        }
        Expr sum = render(collect(inner, v), v);
        return sum == null ? null : functions.call((Expr.Call) mk(new Expr.Call(Builtin.DIAG, List.of(elementwise(sum)))));
    }

    /** A chain factor read as base^k, or its transpose (base^k)'; inv(X^k) is X^-k. Null for a non-square factor. */
    private record Power(Expr base, int k, boolean transposed) {
    }

    private Power power(Expr f) {
        boolean transposed = f instanceof Expr.Transpose;
        Expr inner = transposed ? ((Expr.Transpose) f).arg() : f;
        Shape sh = shape(inner);
        if (sh.isScalar() || !sh.rows().equals(sh.cols())) {
            return null;
        }
        int sign = 1;
        if (inner instanceof Expr.Call c && c.fn() == Builtin.INV) {
            sign = -1;
            inner = c.arg();
        }
        if (inner instanceof Expr.Binary b && b.op() == BinaryOp.POW && b.right() instanceof Expr.Num n
                && n.value() == Math.rint(n.value()) && n.value() >= 1 && n.value() <= MAX_EXPONENT) {
            return new Power(b.left(), sign * (int) n.value(), transposed);
        }
        return new Power(inner, sign, transposed);
    }

    private void logChain(String identity, List<Expr> before, List<Expr> after) {
        logChain(identity, before, after, 1);
    }

    private void logChain(String identity, List<Expr> before, List<Expr> after, double sign) {
        if (before != after && !before.equals(after)) {
            Expr a = chainProduct(after);
            logged(identity, chainProduct(before), sign < 0 ? negated(a) : a);
        }
    }

    /**
     * The centring matrix H = eye(n) - vector(1, n)*vector(1, n)'/n leaves a centred vector
     * c = y - vector(mean(y)) as it is: H*c = c and c'*H = c', since sum(c) = 0; and H*H = H.
     * Layer normalisation's Jacobian carries c*c'*H from the chain rule through mean.
     */
    private List<Expr> absorbCentring(List<Expr> chain) {
        List<Expr> out = new ArrayList<>();
        for (Expr f : chain) {
            Expr last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && isCentring(f) && (isCentring(last) || centred(last, true))) {
                continue; // c'*H = c', H*H = H
            }
            if (last != null && isCentring(last) && centred(f, false)) {
                out.set(out.size() - 1, f); // H*c = c
                continue;
            }
            out.add(f);
        }
        return out.size() == chain.size() ? chain : out;
    }

    /** eye(n) - vector(1, n)*vector(1, n)'/k with k = n: numel of something with n entries, or the number n. */
    private boolean isCentring(Expr h) {
        if (!(h instanceof Expr.Binary b && b.op() == BinaryOp.SUB && b.left() instanceof Expr.Identity id)) {
            return false;
        }
        Expr t = b.right(), k;
        Expr u, v;
        if (t instanceof Expr.Binary d && d.op() == BinaryOp.DIV && d.left() instanceof Expr.Binary m && m.op() == BinaryOp.MUL) {
            k = d.right(); // vector(1, n)*vector(1, n)'/k
            u = m.left();
            v = m.right();
        } else if (t instanceof Expr.Binary m && m.op() == BinaryOp.MUL && m.right() instanceof Expr.Binary d && d.op() == BinaryOp.DIV) {
            k = d.right(); // vector(1, n)*(vector(1, n)'/k)
            u = m.left();
            v = d.left();
        } else if (t instanceof Expr.Binary m && m.op() == BinaryOp.MUL && m.left() instanceof Expr.Binary d && d.op() == BinaryOp.DIV) {
            k = d.right(); // (vector(1, n)/k)*vector(1, n)'
            u = d.left();
            v = m.right();
        } else {
            return false;
        }
        return onesColumn(u) && v instanceof Expr.Transpose vt && onesColumn(vt.arg()) && countsEntries(k, id.size());
    }

    private boolean onesColumn(Expr e) {
        return e instanceof Expr.Fill f && !f.matrix() && f.value() instanceof Expr.Num one && one.value() == 1 && shape(e).isColumn();
    }

    /** k is the number n: numel of something with n entries, or n itself. */
    private boolean countsEntries(Expr k, Size n) {
        if (k instanceof Expr.Num num) {
            return n instanceof Size.Fixed f && f.value() == num.value();
        }
        return k instanceof Expr.Call c && c.fn() == Builtin.NUMEL && entries(shape(c.arg())).equals(n);
    }

    private static Size entries(Shape s) {
        return s.cols().isOne() ? s.rows() : s.rows().isOne() ? s.cols() : Size.times(s.rows(), s.cols());
    }

    /** c = y - vector(mean(y)) for a column y (row: its transpose, either way round), whose entries sum to 0. */
    private boolean centred(Expr c, boolean row) {
        if (row && c instanceof Expr.Transpose t) {
            return centred(t.arg(), false);
        }
        if (!(c instanceof Expr.Binary b && b.op() == BinaryOp.SUB)) {
            return false;
        }
        Expr y = b.left(), m = b.right();
        if (row) {
            if (!(y instanceof Expr.Transpose yt)) {
                return false;
            }
            y = yt.arg();
            if (m instanceof Expr.Transpose mt) {
                m = mt.arg();
            }
        }
        if (!shape(y).isColumn() || !(m instanceof Expr.Fill f) || f.matrix()) {
            return false;
        }
        return f.value() instanceof Expr.Binary d && d.op() == BinaryOp.DIV && d.left() instanceof Expr.Call sum
                && sum.fn() == Builtin.SUM && sum.args().get(0).equals(y) && countsEntries(d.right(), shape(y).rows());
    }

    private static List<Expr> dropIdentities(List<Expr> chain) {
        List<Expr> out = new ArrayList<>();
        for (Expr f : chain) {
            if (!(f instanceof Expr.Identity)) {
                out.add(f);
            }
        }
        return out.isEmpty() ? List.of(chain.get(0)) : out;
    }

    /**
     * Q'*Q = Q*Q' = I for a variable declared orthogonal, and A*inv(A) = inv(A)*A = I (also
     * transposed: inv(A)'*A' = I), which d inv(X) = -inv(X)*dX*inv(X) leaves behind, e.g. in
     * the derivative of log(det(inv(X))).
     */
    private List<Expr> cancelOrthogonal(List<Expr> chain) {
        List<Expr> out = new ArrayList<>();
        for (Expr f : chain) {
            push(out, f);
        }
        if (out.isEmpty()) {
            out.add(mk(new Expr.Identity(shape(chain.get(0)).rows())));
        }
        return out.size() == chain.size() ? chain : out;
    }

    private void push(List<Expr> out, Expr f) {
        Expr last = out.isEmpty() ? null : out.get(out.size() - 1);
        if (last != null && (isOrthogonal(f) != null && transpose(f) == last
                || inverseFactor(f) == last || inverseFactor(last) == f
                || last instanceof Expr.Commutation a && f instanceof Expr.Commutation b && a.m().equals(b.n()) && a.n().equals(b.m()))) {
            out.remove(out.size() - 1); // ... and commutation(m, n)*commutation(n, m) = I
            return;
        }
        Expr shortened = last == null ? null : inverseOfProduct(last, f);
        if (shortened == null && last != null) {
            shortened = mixedProduct(last, f);
        }
        if (shortened != null) {
            out.remove(out.size() - 1);
            push(out, shortened);
            return;
        }
        out.add(f);
    }

    /**
     * An inverse of a product next to its outer factor: inv(A*R)*A = inv(R) and
     * B*inv(L*B) = inv(L) for square A, B (invertible, as the product is), and the same
     * transposed (A'*inv(A*R)' = inv(R)'); what d det(A*X*B) = det(A*X*B)*A'*inv(A*X*B)'*B' reduces
     * by to det(A*X*B)*inv(X)'. Null when it does not apply.
     */
    private Expr inverseOfProduct(Expr left, Expr right) {
        boolean transposed = left instanceof Expr.Transpose && right instanceof Expr.Transpose;
        Expr l = transposed ? ((Expr.Transpose) right).arg() : left;
        Expr r = transposed ? ((Expr.Transpose) left).arg() : right;
        // now l*r (or, transposed, (l*r)' = left*right)
        Expr out = null;
        if (l instanceof Expr.Call c && c.fn() == Builtin.INV) {
            List<Expr> p = productChain(c.arg());
            if (p != null && p.get(0) == r) {
                out = inverseOf(p.subList(1, p.size()));
            }
        } else if (r instanceof Expr.Call c && c.fn() == Builtin.INV) {
            List<Expr> p = productChain(c.arg());
            if (p != null && p.get(p.size() - 1) == l) {
                out = inverseOf(p.subList(0, p.size() - 1));
            }
        }
        return out == null ? null : transposed ? transpose(out) : out;
    }

    /** kron(A, B)*kron(C, D) = kron(A*C, B*D) when A*C and B*D are products; null otherwise. */
    private Expr mixedProduct(Expr left, Expr right) {
        if (!(left instanceof Expr.Call l) || l.fn() != Builtin.KRON || !(right instanceof Expr.Call r) || r.fn() != Builtin.KRON) {
            return null;
        }
        Expr a = l.args().get(0), b = l.args().get(1), c = r.args().get(0), d = r.args().get(1);
        if (!shape(a).cols().equals(shape(c).rows()) || !shape(b).cols().equals(shape(d).rows())) {
            return null;
        }
        Expr ac = buildTerm(multiply(view(a), view(c))), bd = buildTerm(multiply(view(b), view(d)));
        return ac == null || bd == null ? null : mk(new Expr.Call(Builtin.KRON, List.of(ac, bd)));
    }

    /** vec(P)'*vec(Q) = tr(P'*Q) for P, Q of one shape; else the chain's product. */
    private Expr innerProduct(List<Expr> chain) {
        if (chain.size() == 2 && chain.get(0) instanceof Expr.Transpose t && t.arg() instanceof Expr.Call p && p.fn() == Builtin.VEC
                && chain.get(1) instanceof Expr.Call q && q.fn() == Builtin.VEC && shape(p.arg()).equals(shape(q.arg()))) {
            Expr product = buildTerm(multiply(view(transpose(p.arg())), view(q.arg())));
            if (product != null) {
                return functions.call((Expr.Call) mk(new Expr.Call(Builtin.TR, List.of(product))));
            }
        }
        return chainProduct(chain);
    }

    /** The chain of a product of square factors with no number or scalar in it; null otherwise. */
    private List<Expr> productChain(Expr p) {
        Term t = view(p);
        if (t.coef() != 1 || !t.scalars().isEmpty() || t.chain().size() < 2) {
            return null;
        }
        for (Expr f : t.chain()) {
            Shape s = shape(f);
            if (!s.rows().equals(s.cols())) {
                return null;
            }
        }
        return t.chain();
    }

    private Expr inverseOf(List<Expr> chain) {
        Expr inner = chainProduct(chain);
        return functions.call((Expr.Call) mk(new Expr.Call(Builtin.INV, List.of(inner))));
    }

    /** The node g with f*g = g*f = I when f is inv(A) (g = A) or inv(A)' (g = A'); else null. */
    private Expr inverseFactor(Expr f) {
        boolean transposed = f instanceof Expr.Transpose;
        Expr inner = transposed ? ((Expr.Transpose) f).arg() : f;
        if (inner instanceof Expr.Call c && c.fn() == Builtin.INV) {
            return transposed ? transpose(c.args().get(0)) : c.args().get(0);
        }
        return null;
    }

    Decl declOf(String name) {
        return typing.declOf(name);
    }

    /** The variable Q when f is Q or Q' for Q declared orthogonal, else null. */
    Expr isOrthogonal(Expr f) {
        Expr v = f instanceof Expr.Transpose t ? t.arg() : f;
        return v instanceof Expr.Var var && typing.declOf(var.name()).has(Decl.Property.ORTHOGONAL) ? v : null;
    }

    /** The left-to-right product of a chain, as one node. */
    Expr chainProduct(List<Expr> chain) {
        Expr acc = chain.get(0);
        for (int i = 1; i < chain.size(); i++) {
            acc = bin(BinaryOp.MUL, acc, chain.get(i));
        }
        return acc;
    }

    /** A scalar term whose chain (x'*A*y) becomes one scalar factor. */
    private Term atomise(Term t) {
        Expr p = chainProduct(t.chain());
        return new Term(t.coef(), Term.mergeScalars(t.scalars(), Map.of(store.id(p), 1)), List.of(), t.shape());
    }

    private static final int MAX_EXPONENT = 1 << 16;

    /** t^k for a scalar term and a whole number k; null when an exponent would be huge. */
    private Term power(Term t, int k) {
        if (k == 0) {
            return Term.number(1);
        }
        Term u = t.chain().isEmpty() ? t : atomise(t);
        Map<Integer, Integer> scalars = new LinkedHashMap<>();
        for (Map.Entry<Integer, Integer> e : u.scalars().entrySet()) {
            long p = (long) e.getValue() * k;
            if (Math.abs(p) > MAX_EXPONENT) {
                return null; // ((a^64)^64)^64...: left as written
            }
            scalars.put(e.getKey(), (int) p);
        }
        return new Term(Term.power(u.coef(), k), scalars, List.of(), Shape.SCALAR);
    }

    private Term transposeTerm(Term t) {
        if (t.isZero()) {
            return Term.zero(t.shape().transpose());
        }
        Term acc = new Term(t.coef(), t.scalars(), List.of(), Shape.SCALAR);
        for (int i = t.chain().size() - 1; i >= 0; i--) {
            acc = multiply(acc, view(transpose(t.chain().get(i))));
        }
        return acc;
    }

    /** The canonical text of a product: number, scalar factors, chain, then divisions. Null if unwritable. */
    Expr buildTerm(Term t) {
        if (!Double.isFinite(t.coef())) {
            return null;
        }
        if (t.isZero()) {
            return zeroOf(t.shape());
        }
        Expr main = buildProduct(t.coef(), t.scalars(), t.chain());
        if (t.chain().size() >= 2) {
            // (A*B*C*D)' is shorter than D'*C'*B'*A'.
            List<Expr> flipped = new ArrayList<>();
            for (int i = t.chain().size() - 1; i >= 0 && flipped != null; i--) {
                Expr g = transpose(t.chain().get(i));
                if (g instanceof Expr.Neg || g instanceof Expr.Binary b && (b.op() == BinaryOp.MUL || b.op() == BinaryOp.DIV)) {
                    flipped = null;
                } else {
                    flipped.add(g);
                }
            }
            if (flipped != null) {
                Expr alt = buildProduct(t.coef(), t.scalars(), List.of(mk(new Expr.Transpose(chainProduct(flipped)))));
                if (len(alt) < len(main)) {
                    main = alt;
                }
            }
        }
        return main;
    }

    private Expr buildProduct(double coef, Map<Integer, Integer> scalars, List<Expr> chain) {
        if (scalars.isEmpty() && chain.isEmpty()) {
            return num(coef);
        }
        boolean negative = coef < 0;
        double c = Math.abs(coef);
        List<Expr> num = new ArrayList<>();
        List<Expr> den = new ArrayList<>();
        if (c != 1) {
            double inverse = 1 / c;
            if (c < 1 && inverse == Math.rint(inverse) && inverse < 1e9) {
                den.add(num(inverse));
            } else {
                num.add(num(c));
            }
        }
        List<Expr> spliced = new ArrayList<>();
        scalars.forEach((id, k) -> {
            Expr a = store.node(id);
            if (k == 1 && a instanceof Expr.Binary b && b.op() == BinaryOp.MUL) {
                spliced.addAll(view(a).chain()); // x'*y written inline, after the other scalars: 2*a*x'*y*A
            } else if (k > 0) {
                num.add(k == 1 ? a : bin(BinaryOp.POW, a, num(k)));
            } else {
                den.add(k == -1 ? a : bin(BinaryOp.POW, a, num(-k)));
            }
        });
        num.addAll(spliced);
        num.addAll(chain);
        if (num.isEmpty()) {
            num.add(num(1));
        }
        if (negative) {
            // -(a - b)*X is written (b - a)*X.
            for (int i = 0; i < num.size() && negative; i++) {
                Expr f = num.get(i);
                if (isSum(f)) {
                    Expr flipped = sum(termsOf(f).stream().map(t -> t.scale(-1)).toList(), shape(f));
                    if (flipped != null && isSum(flipped) && len(flipped) <= len(f) + 1) {
                        num.set(i, flipped);
                        negative = false;
                    }
                }
            }
        }
        if (negative) {
            Expr first = num.get(0);
            num.set(0, first instanceof Expr.Num n ? num(-n.value()) : mk(new Expr.Neg(first)));
        }
        Expr tail = num.get(num.size() - 1);
        for (Expr d : den) {
            tail = bin(BinaryOp.DIV, tail, d);
        }
        num.set(num.size() - 1, tail);
        return chainProduct(num);
    }

    // ---- sums --------------------------------------------------------------------------

    List<Term> termsOf(Expr x) {
        int id = store.id(x);
        List<Term> t = termLists.get(id);
        if (t == null) {
            t = computeTerms(x);
            termLists.put(id, t);
        }
        return t;
    }

    private List<Term> computeTerms(Expr x) {
        if (x instanceof Expr.Binary b && isSum(b)) {
            List<Term> out = new ArrayList<>(termsOf(b.left()));
            for (Term t : termsOf(b.right())) {
                out.add(b.op() == BinaryOp.SUB ? t.scale(-1) : t);
            }
            return out;
        }
        if (x instanceof Expr.Neg n) {
            return termsOf(n.arg()).stream().map(t -> t.scale(-1)).toList();
        }
        if (x instanceof Expr.Transpose t && (isSum(t.arg()) || t.arg() instanceof Expr.Neg)) {
            if (shape(x).isScalar()) {
                return termsOf(t.arg());
            }
            return termsOf(t.arg()).stream().map(this::transposeTerm).toList();
        }
        return List.of(view(x));
    }

    /** c*(A + B) read as c*A + c*B; the original list when there is nothing to expand. */
    private List<Term> expand(List<Term> terms) {
        List<Term> out = new ArrayList<>();
        boolean changed = false;
        for (Term t : terms) {
            Expr inner = null;
            if (t.scalars().isEmpty() && t.chain().size() == 1 && isSum(t.chain().get(0))) {
                inner = t.chain().get(0);
            } else if (t.chain().isEmpty() && t.scalars().size() == 1) {
                Map.Entry<Integer, Integer> only = t.scalars().entrySet().iterator().next();
                if (only.getValue() == 1 && isSum(store.node(only.getKey()))) {
                    inner = store.node(only.getKey());
                }
            }
            if (inner == null) {
                out.add(t);
            } else {
                changed = true;
                for (Term u : termsOf(inner)) {
                    out.add(u.scale(t.coef()));
                }
            }
        }
        return changed ? out : terms;
    }

    /** The shortest canonical sum of the terms; null when it cannot be written. */
    Expr sum(List<Term> terms, Shape shape) {
        List<Term> collected = collect(terms, shape);
        if (collected.isEmpty()) {
            return zeroSum(terms, shape);
        }
        Expr best = render(collected, shape);
        Expr diagonal = diagonalSum(collected, shape);
        if (diagonal != null && (best == null || len(diagonal) < len(best))) {
            best = diagonal;
        }
        List<Term> expanded = expand(terms);
        if (expanded != terms) {
            Expr e = render(collect(expanded, shape), shape);
            if (e != null && (best == null || len(e) < len(best))) {
                best = e;
            }
        }
        return best;
    }

    /**
     * A sum whose terms cancel: {@code zeros(n, m)} when that is no longer than the sum as
     * given, else the shortest term times 0 ({@code x - x} gives {@code 0*x}), which keeps the
     * result no longer than the input.
     */
    private Expr zeroSum(List<Term> terms, Shape shape) {
        Expr zeros = zeroOf(shape);
        Expr given = render(terms, shape);
        if (zeros != null && (given == null || len(zeros) <= len(given))) {
            return zeros;
        }
        Expr best = zeros;
        for (Term t : terms) {
            if (!t.isZero() && Double.isFinite(t.coef())) {
                Expr w = buildProduct(0, t.scalars(), t.chain());
                if (best == null || len(w) < len(best)) {
                    best = w;
                }
            }
        }
        return best;
    }

    /**
     * Adds equal monomials and drops zeros. Scalar factors x'*y and y'*x count as equal, and
     * where such terms meet they are written one way.
     */
    private List<Term> merge(List<Term> terms) {
        Map<String, List<Term>> byMonomial = new LinkedHashMap<>();
        for (Term t : terms) {
            Limits.checkInterrupted(); // sums of thousands of terms: the request's limits are observed here
            byMonomial.computeIfAbsent(canonical(t).monomialKey(store), k -> new ArrayList<>()).add(t);
        }
        List<Term> out = new ArrayList<>();
        for (List<Term> same : byMonomial.values()) {
            Term t = same.get(0);
            if (same.size() > 1) {
                double coef = 0;
                boolean alike = true;
                for (Term u : same) {
                    coef += u.coef();
                    alike &= u.monomialKey(store).equals(t.monomialKey(store));
                }
                t = (alike ? t : canonical(t)).withCoef(coef);
            }
            if (!t.isZero()) {
                out.add(t);
            }
        }
        return out;
    }

    /** t with each scalar product written in its canonical orientation (x'*y rather than y'*x). */
    private Term canonical(Term t) {
        if (t.shape().isScalar() && !t.chain().isEmpty()) {
            t = atomise(t);
        }
        Map<Integer, Integer> scalars = new LinkedHashMap<>();
        t.scalars().forEach((id, k) -> scalars.merge(store.id(orientation(store.node(id))), k, Integer::sum));
        return new Term(t.coef(), scalars, t.chain(), t.shape());
    }

    /** Of a scalar product or trace and its transpose (x'*A*y, y'*A'*x), the shorter, then the first in text order. */
    private Expr orientation(Expr a) {
        boolean product = a instanceof Expr.Binary b && b.op() == BinaryOp.MUL;
        boolean trace = a instanceof Expr.Call c && c.fn() == Builtin.TR;
        if (!product && !trace) {
            return a;
        }
        int id = store.id(a);
        Expr done = orientations.get(id);
        if (done == null) {
            done = a;
            Expr other = null;
            if (trace) {
                // tr(M') = tr(M)
                Expr t = transpose(((Expr.Call) a).arg());
                other = t instanceof Expr.Transpose ? null : mk(new Expr.Call(Builtin.TR, List.of(t)));
            } else {
                Term flipped = transposeTerm(view(a));
                if (flipped.coef() == 1 && flipped.scalars().isEmpty() && !flipped.chain().isEmpty()) {
                    other = chainProduct(flipped.chain());
                }
            }
            if (other != null) {
                int c = Integer.compare(len(other), len(a));
                if (c < 0 || c == 0 && TextPrinter.print(other).compareTo(TextPrinter.print(a)) < 0) {
                    done = other;
                }
            }
            orientations.put(id, done);
        }
        return done;
    }

    private List<Term> collect(List<Term> terms, Shape shape) {
        List<Term> out = merge(terms);
        orderTransposes(out);
        out = factor(out, shape, true);
        out = factor(out, shape, false);
        return out;
    }

    /** A' + A is written A + A'. */
    private static void orderTransposes(List<Term> ts) {
        for (int j = 1; j < ts.size(); j++) {
            Term b = ts.get(j);
            for (int i = 0; i < j; i++) {
                Term a = ts.get(i);
                if (a.chain().size() == 1 && b.chain().size() == 1 && a.coef() == b.coef()
                        && a.scalars().equals(b.scalars())
                        && a.chain().get(0) instanceof Expr.Transpose t && t.arg() == b.chain().get(0)) {
                    ts.set(i, b);
                    ts.set(j, a);
                    break;
                }
            }
        }
    }

    /**
     * Takes a chain factor common to several terms out of them: on the right
     * ({@code A*X + B*X = (A + B)*X}) or on the left ({@code X*a + X*b = X*(a + b)}), when the
     * sum does not print longer for it.
     */
    private List<Term> factor(List<Term> terms, Shape shape, boolean right) {
        List<Term> cur = terms;
        boolean changed = true;
        while (changed && cur.size() > 1) {
            Limits.checkInterrupted();
            changed = false;
            Map<String, List<Integer>> groups = new LinkedHashMap<>();
            for (int i = 0; i < cur.size(); i++) {
                List<Expr> ch = cur.get(i).chain();
                if (ch.isEmpty()) {
                    continue;
                }
                Expr end = right ? ch.get(ch.size() - 1) : ch.get(0);
                groups.computeIfAbsent(store.id(end) + (ch.size() == 1 ? "s" : "m"), k -> new ArrayList<>()).add(i);
            }
            for (List<Integer> group : groups.values()) {
                if (group.size() < 2) {
                    continue;
                }
                Limits.checkInterrupted();
                List<Term> candidate = factorGroup(cur, group, shape, right);
                if (candidate == null) {
                    continue;
                }
                Expr before = render(cur, shape);
                Expr after = render(candidate, shape);
                if (after != null && (before == null || len(after) <= len(before))) {
                    cur = candidate;
                    changed = true;
                    break;
                }
            }
        }
        return cur;
    }

    private List<Term> factorGroup(List<Term> cur, List<Integer> group, Shape shape, boolean right) {
        List<Term> members = new ArrayList<>();
        for (int i : group) {
            members.add(cur.get(i));
        }
        int minLen = Integer.MAX_VALUE;
        for (Term m : members) {
            minLen = Math.min(minLen, m.chain().size());
        }
        int k = 1;
        if (minLen > 1) {
            while (k + 1 < minLen) {
                Expr f = at(members.get(0).chain(), k, right);
                boolean same = true;
                for (Term m : members) {
                    same &= at(m.chain(), k, right) == f;
                }
                if (!same) {
                    break;
                }
                k++;
            }
        }
        List<Expr> first = members.get(0).chain();
        List<Expr> common = right ? first.subList(first.size() - k, first.size()) : first.subList(0, k);
        Shape commonShape = right ? new Shape(shape(common.get(0)).rows(), shape.cols())
                : new Shape(shape.rows(), shape(common.get(common.size() - 1)).cols());
        List<Term> rests = new ArrayList<>();
        for (Term m : members) {
            List<Expr> ch = m.chain();
            List<Expr> rest = right ? ch.subList(0, ch.size() - k) : ch.subList(k, ch.size());
            Shape rs = rest.isEmpty() ? Shape.SCALAR
                    : right ? new Shape(shape.rows(), shape(rest.get(rest.size() - 1)).cols())
                    : new Shape(shape(rest.get(0)).rows(), shape.cols());
            rests.add(new Term(m.coef(), m.scalars(), rest, rs));
        }
        Shape restShape = rests.get(0).shape();
        Expr inner = sum(rests, restShape);
        if (inner == null) {
            return null;
        }
        Term commonTerm = new Term(1, Map.of(), common, commonShape);
        Term joined = right ? multiply(view(inner), commonTerm) : multiply(commonTerm, view(inner));
        List<Term> out = new ArrayList<>();
        for (int i = 0; i < cur.size(); i++) {
            if (i == group.get(0)) {
                out.add(joined);
            } else if (!group.contains(i)) {
                out.add(cur.get(i));
            }
        }
        return merge(out);
    }

    private static Expr at(List<Expr> chain, int fromEnd, boolean right) {
        return right ? chain.get(chain.size() - 1 - fromEnd) : chain.get(fromEnd);
    }

    /** The list with its first positive item moved to the front when it starts with a negative one (b - a, not -a + b). */
    static <T> List<T> positiveFirst(List<T> items, java.util.function.ToDoubleFunction<T> coef) {
        List<T> ts = new ArrayList<>(items);
        if (coef.applyAsDouble(ts.get(0)) < 0) {
            for (int j = 1; j < ts.size(); j++) {
                if (coef.applyAsDouble(ts.get(j)) > 0) {
                    ts.add(0, ts.remove(j));
                    break;
                }
            }
        }
        return ts;
    }

    /** Terms joined with + and -, a positive term first when there is one. */
    private Expr render(List<Term> terms, Shape shape) {
        if (terms.isEmpty()) {
            return zeroOf(shape);
        }
        List<Term> ts = positiveFirst(terms, Term::coef);
        Expr acc = buildTerm(ts.get(0));
        if (acc == null) {
            return null;
        }
        for (int i = 1; i < ts.size(); i++) {
            Term t = ts.get(i);
            boolean minus = t.coef() < 0;
            Expr e = buildTerm(minus ? t.scale(-1) : t);
            if (e == null) {
                return null;
            }
            acc = bin(minus ? BinaryOp.SUB : BinaryOp.ADD, acc, e);
        }
        return acc;
    }
}
