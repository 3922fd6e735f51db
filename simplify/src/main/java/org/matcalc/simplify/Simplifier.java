package org.matcalc.simplify;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.matcalc.expr.Declarations;
import org.matcalc.expr.Shape;
import org.matcalc.expr.Size;
import org.matcalc.expr.Expr;
import org.matcalc.expr.Limits;
import org.matcalc.expr.MatcalcException;
import org.matcalc.expr.TreeDepth;
import org.matcalc.expr.Typer;
import org.matcalc.expr.Typing;

/**
 * Rewrites an expression to a canonical, compact form that a careful person would write.
 * The rules, each pinned by a row of {@code SimplifierTableTest}:
 * <ul>
 *   <li>sums and products flattened; numbers folded ({@code 6*X/3 = 2*X}, {@code X*0.5 = X/2});
 *       {@code 1*X}, {@code --X}, {@code X''}, {@code X*eye}, zero terms and {@code x .* vector(1, n)}
 *       removed; a sum that cancels is {@code zeros(n, m)} (or {@code 0*x} where that is shorter);</li>
 *   <li>scalar factors to the front ({@code A*(2*x) = 2*A*x}), equal scalar factors merged into
 *       powers and cancelled against divisions ({@code a*X/a = X});</li>
 *   <li>transposes pushed onto factors where that is shorter ({@code (A*B)' = B'*A'}), dropped on
 *       scalars ({@code (x'*y)' = x'*y}), on symmetric, spd and diagonal variables and on
 *       expressions that are symmetric by structure ({@code X'*S*X}, {@code inv(S)},
 *       {@code diag(x)}); {@code inv(X)'} kept unless X is symmetric; {@code Q'*Q = I},
 *       {@code inv(Q) = Q'} for orthogonal Q;</li>
 *   <li>like terms collected, with {@code x'*y} and {@code y'*x}, {@code tr(M)} and {@code tr(M')}
 *       alike; a common left or right factor taken out
 *       ({@code A'*X + A*X = (A + A')*X}, {@code X*h + X*k = X*(h + k)});</li>
 *   <li>the centring matrix {@code H = eye(n) - vector(1, n)*vector(1, n)'/n} leaves a centred
 *       vector {@code c = x - vector(mean(x))} as it is ({@code H*c = c}, {@code c'*H = c'},
 *       {@code H*H = H}); {@code sum(u)/numel(x)} for x of u's size is {@code mean(u)};</li>
 *   <li>function rules ({@link FunctionRules}): {@code tr(A') = tr(A)}, {@code tr(x*y') = y'*x},
 *       reductions of scalars, {@code inv(inv(X)) = X}, {@code kron(a, X) = a*X},
 *       {@code sum(y) = 1} for {@code simplex(n)} y, {@code log(exp(x)) = x}, and
 *       {@code exp(log(x)) = x} only for x known positive.</li>
 * </ul>
 *
 * <p>The result is equal in value to the input wherever the input is defined, parses back,
 * types as the input did, and never prints longer than the input. Work is memoised over
 * distinct subtrees, so trees with shared subtrees (as derivatives have) cost what their
 * distinct parts cost.
 */
public final class Simplifier {
    private Simplifier() {
    }

    /** A canonical, compact form equal in value to e (for every value of its variables consistent with decls). */
    public static Expr simplify(Expr e, Declarations decls) {
        return simplify(e, decls, null);
    }

    /**
     * A rewrite of a subexpression by a named identity ({@code before = after}), as the
     * simplifier used it; the derivation shows these as its Simplify steps.
     */
    public record Rewrite(String identity, Expr before, Expr after) {
    }

    /** As {@link #simplify(Expr, Declarations)}, writing the identities it uses into {@code log} (when not null). */
    public static Expr simplify(Expr e, Declarations decls, List<Rewrite> log) {
        // One pass is local: a product rebuilt at the top may read differently once its parts
        // are themselves simplified. A few passes reach the fixed point; none is longer.
        Expr cur = e;
        for (int pass = 0; pass < MAX_PASSES; pass++) {
            Limits.checkInterrupted();
            int logged = log == null ? 0 : log.size();
            Expr next = pass(cur, decls, log);
            if (next == null && log != null) {
                log.subList(logged, log.size()).clear(); // a pass that changed nothing used nothing
            }
            if (next == null) {
                return cur;
            }
            cur = next;
        }
        return cur;
    }

    private static final int MAX_PASSES = 4;

    /** One pass of rewriting; null when it changes nothing. */
    private static Expr pass(Expr e, Declarations decls, List<Rewrite> log) {
        TreeDepth.require(e);
        Typing typing = Typer.check(e, decls);
        Store store = new Store(typing);
        Expr original = store.internTree(e, new IdentityHashMap<>());
        Expr out = new Rewriter(store, log).simplify(e);
        if (out == original) {
            return null;
        }
        if (contextLost(out, decls, store)) {
            // A term that fixed the size of eye / vector(c) / matrix(c) was simplified away:
            // write the sizes out, unless that makes the result longer than the input.
            Expr explicit = explicitSizes(out, store, new IdentityHashMap<>());
            return explicit != null && store.length(explicit) <= store.length(original) ? explicit : null;
        }
        return out;
    }

    private static boolean contextLost(Expr out, Declarations decls, Store store) {
        // Each context-sized leaf is typed on its own, as it will be once printed and read back
        // (the store shares one instance among equal leaves).
        Expr copy = separateLeaves(out);
        Typing typing;
        try {
            typing = Typer.check(copy, decls);
        } catch (MatcalcException ex) {
            return true; // e.g. matrix(1) now stands where only a vector fits
        }
        return contextLost(out, copy, typing, store, new IdentityHashMap<>()) || unsizedWhenEvaluated(copy, decls, store);
    }

    private static final int[] PRIMES = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47};

    /**
     * Whether some eye / vector(c) / matrix(c) would have no size when evaluated: typed as the
     * evaluator types, with every size a number and every variable's shape known (distinct
     * primes, so that products of sizes stay distinct). A size once fixed by a variable that
     * simplification removed is caught here.
     */
    private static boolean unsizedWhenEvaluated(Expr copy, Declarations decls, Store store) {
        Map<Size, Integer> numbers = new java.util.HashMap<>();
        Map<String, Integer> sizeValues = new java.util.HashMap<>();
        Map<String, Shape> shapes = new java.util.HashMap<>();
        for (Map.Entry<String, Shape> v : store.typing().variables().entrySet()) {
            Integer rows = number(v.getValue().rows(), numbers, sizeValues);
            Integer cols = number(v.getValue().cols(), numbers, sizeValues);
            if (rows == null || cols == null) {
                return false; // too many sizes to number; the symbolic check stands
            }
            shapes.put(v.getKey(), new Shape(Size.of(rows), Size.of(cols)));
        }
        Typing typing;
        try {
            typing = Typer.check(copy, decls, org.matcalc.expr.SourceMap.EMPTY, sizeValues, shapes);
        } catch (MatcalcException ex) {
            return true;
        }
        return unsized(copy, typing, new IdentityHashMap<>());
    }

    private static Integer number(Size s, Map<Size, Integer> numbers, Map<String, Integer> sizeValues) {
        if (s instanceof Size.Fixed f) {
            return f.value();
        }
        if (s instanceof Size.Prod p) {
            long v = 1;
            for (Size f : p.factors()) {
                Integer x = number(f, numbers, sizeValues);
                if (x == null) {
                    return null;
                }
                v *= x;
            }
            return v > 100_000 ? null : (int) v;
        }
        Integer known = numbers.get(s);
        if (known == null) {
            if (numbers.size() >= PRIMES.length) {
                return null;
            }
            known = PRIMES[numbers.size()];
            numbers.put(s, known);
            if (s instanceof Size.Sym sym) {
                sizeValues.put(sym.name(), known);
            }
        }
        return known;
    }

    private static boolean unsized(Expr e, Typing typing, Map<Expr, Boolean> seen) {
        if (seen.put(e, Boolean.TRUE) != null) {
            return false;
        }
        if (Store.needsContext(e) && unresolved(typing.shapeOf(e))) {
            return true;
        }
        for (Expr k : TreeDepth.children(e)) {
            if (unsized(k, typing, seen)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A copy of e in which each occurrence of a subtree holding eye / vector(c) / matrix(c) is
     * a distinct instance, as after printing and reading back (up to a budget of copied
     * nodes, past which such subtrees stay shared).
     */
    private static Expr separateLeaves(Expr e) {
        return new Separator().copy(e);
    }

    private static final class Separator {
        private int budget = 100_000;
        private final Map<Expr, Boolean> holds = new IdentityHashMap<>();
        private final Map<Expr, Expr> shared = new IdentityHashMap<>();

        boolean holdsContext(Expr e) {
            Boolean h = holds.get(e);
            if (h == null) {
                h = Store.needsContext(e);
                for (Expr k : TreeDepth.children(e)) {
                    h |= holdsContext(k);
                }
                holds.put(e, h);
            }
            return h;
        }

        Expr copy(Expr e) {
            if (!holdsContext(e)) {
                return e;
            }
            if (Store.needsContext(e)) {
                return e instanceof Expr.Identity ? new Expr.Identity(null)
                        : new Expr.Fill(((Expr.Fill) e).value(), ((Expr.Fill) e).matrix(), null, null);
            }
            boolean separate = budget-- > 0;
            if (!separate && shared.containsKey(e)) {
                return shared.get(e);
            }
            List<Expr> kids = new ArrayList<>();
            for (Expr k : TreeDepth.children(e)) {
                kids.add(copy(k));
            }
            Expr out;
            if (e instanceof Expr.Neg) {
                out = new Expr.Neg(kids.get(0));
            } else if (e instanceof Expr.Transpose) {
                out = new Expr.Transpose(kids.get(0));
            } else if (e instanceof Expr.Binary b) {
                out = new Expr.Binary(b.op(), kids.get(0), kids.get(1));
            } else if (e instanceof Expr.Call c) {
                out = new Expr.Call(c.fn(), kids);
            } else if (e instanceof Expr.Elementwise f) {
                out = new Expr.Elementwise(f.fn(), kids.get(0));
            } else if (e instanceof Expr.Fill f) {
                out = new Expr.Fill(kids.get(0), f.matrix(), f.rows(), f.cols());
            } else {
                out = e;
            }
            if (!separate) {
                shared.put(e, out);
            }
            return out;
        }
    }

    /** Whether some context-sized leaf of {@code out} no longer gets the size it had in the input. */
    private static boolean contextLost(Expr out, Expr copy, Typing typing, Store store, Map<Expr, Boolean> seen) {
        if (seen.put(copy, Boolean.TRUE) != null) {
            return false;
        }
        // Every node must type as the rewriter assumed: a lost context can otherwise bind a
        // size symbol to 1 somewhere else in the tree.
        if (!sameShape(typing.shapeOf(copy), store.shape(out))) {
            return true;
        }
        if (Store.needsContext(out) && unresolved(typing.shapeOf(copy))) {
            return true;
        }
        List<Expr> kids = TreeDepth.children(out), copies = TreeDepth.children(copy);
        for (int i = 0; i < kids.size(); i++) {
            if (contextLost(kids.get(i), copies.get(i), typing, store, seen)) {
                return true;
            }
        }
        return false;
    }

    /** Equal shapes, where an inferred size of one typing matches any inferred size of the other. */
    private static boolean sameShape(Shape a, Shape b) {
        return sameSize(a.rows(), b.rows()) && sameSize(a.cols(), b.cols());
    }

    private static boolean sameSize(Size a, Size b) {
        if (a instanceof Size.Unknown || b instanceof Size.Unknown) {
            return a instanceof Size.Unknown && b instanceof Size.Unknown;
        }
        if (a instanceof Size.Prod p && b instanceof Size.Prod q) {
            if (p.factors().size() != q.factors().size()) {
                return false;
            }
            for (int i = 0; i < p.factors().size(); i++) {
                if (!sameSize(p.factors().get(i), q.factors().get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    private static boolean unresolved(Shape s) {
        return !(known(s.rows()) && known(s.cols()));
    }

    private static boolean known(Size s) {
        if (s instanceof Size.Prod p) {
            return p.factors().stream().allMatch(Simplifier::known);
        }
        return s instanceof Size.Fixed || s instanceof Size.Sym;
    }

    /** {@code out} with eye, vector(c), matrix(c) given explicit sizes; null where a size is unknown. */
    private static Expr explicitSizes(Expr e, Store store, Map<Expr, Expr> memo) {
        if (memo.containsKey(e)) {
            return memo.get(e);
        }
        Expr out;
        if (Store.needsContext(e)) {
            Shape s = store.shape(e);
            if (unresolved(s)) {
                out = null;
            } else if (e instanceof Expr.Identity) {
                out = store.intern(new Expr.Identity(s.rows()));
            } else {
                Expr.Fill f = (Expr.Fill) e;
                out = store.intern(new Expr.Fill(f.value(), f.matrix(), s.rows(), f.matrix() ? s.cols() : null));
            }
        } else {
            List<Expr> kids = new ArrayList<>();
            out = e;
            for (Expr k : TreeDepth.children(e)) {
                Expr x = explicitSizes(k, store, memo);
                if (x == null) {
                    out = null;
                    break;
                }
                kids.add(x);
            }
            if (out != null && !kids.isEmpty()) {
                out = store.rebuild(e, kids, null);
            }
        }
        memo.put(e, out);
        return out;
    }
}
