package org.matcalc.simplify;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.matcalc.expr.BinaryOp;
import org.matcalc.expr.Expr;
import org.matcalc.expr.Limits;
import org.matcalc.expr.ScalarFunction;
import org.matcalc.expr.Shape;

/**
 * Element-wise algebra: an expression built of same-shaped arrays with {@code + - .* ./ .^}
 * (and scalars times arrays) is commutative, so it is read as a sum of monomials
 * {@code c * a1^k1 .* a2^k2 ...} over its atoms (variables, matrix products, function
 * applications) with whole exponents. In that form equal factors merge
 * ({@code 1./x.*(1./x) = 1./x.^2}, {@code 0.5./s.*(2*x) = x./s}) and the identities of the
 * logistic function hold as equations on monomials:
 * <ul>
 *   <li>{@code 1 - sigmoid(u) = sigmoid(-u)} and {@code sigmoid(u) + sigmoid(-u) = 1}, which
 *       turn the gradient of the logistic loss into {@code X'*(sigmoid(X*w) - y)};</li>
 *   <li>{@code 1./(1 + exp(u)) = sigmoid(-u)} and {@code exp(u).*sigmoid(-u) = sigmoid(u)}, which
 *       write the derivative of {@code log(1 + exp(u))} (softplus) in the terms a person uses.</li>
 * </ul>
 * A factor common to every monomial is taken out when that prints shorter
 * ({@code y.^2.*s - y.^2.*s.^2 = y.^2.*s.*sigmoid(-u)} for {@code s = sigmoid(u)}). Each identity
 * holds wherever both sides are defined (cancelling {@code a./a} assumes a is not zero there, as
 * {@link Rewriter} does); the rows of ElementwiseAlgebraTest check each by value.
 */
final class ElementwiseAlgebra {
    /** Above this many monomials a product is not expanded, and a sum is left as it is. */
    private static final int MAX_MONOMIALS = 24;
    private static final int MAX_POWER = 64;

    /** {@code coef * prod(atom^k)}: atoms by node id, in id order (the order they were made). */
    private record Mono(double coef, TreeMap<Integer, Integer> powers) {
        Mono scale(double c) {
            return new Mono(Term.product(coef, c), powers);
        }
    }

    private final Rewriter r;
    private final Store store;
    private final Map<Integer, List<Mono>> polys = new HashMap<>();

    ElementwiseAlgebra(Rewriter r, Store store) {
        this.r = r;
        this.store = store;
    }

    /** The shortest form of {@code e} this algebra finds, or null when it does not apply. */
    Expr rewrite(Expr e) {
        Shape s = store.shape(e);
        if (s.isScalar() || !worthReading(e)) {
            return null;
        }
        List<Mono> p = poly(e);
        if (p == null) {
            return null;
        }
        return render(normalize(p), s);
    }

    // ---- reading an expression as monomials ---------------------------------------------

    private final Map<Integer, Boolean> worth = new HashMap<>();

    /**
     * Whether e has something only this algebra reads: an element-wise product, quotient or
     * power, a division, a filled constant or a sigmoid among its sums and scalar multiples. Sums and
     * scalar multiples of matrix products alone are the term view's (and cost nothing here).
     */
    private boolean worthReading(Expr e) {
        int id = store.id(e);
        Boolean done = worth.get(id);
        if (done == null) {
            done = e instanceof Expr.Fill || e instanceof Expr.Elementwise f && f.fn() == ScalarFunction.SIGMOID;
            if (e instanceof Expr.Neg n) {
                done = worthReading(n.arg());
            } else if (e instanceof Expr.Binary b) {
                switch (b.op()) {
                    case HADAMARD, HADAMARD_DIV, ELEM_POW, DIV -> done = true;
                    case ADD, SUB -> done = worthReading(b.left()) || worthReading(b.right());
                    case MUL -> done = (store.shape(b.left()).isScalar() || store.shape(b.right()).isScalar())
                            && (worthReading(b.left()) || worthReading(b.right()));
                    default -> done = false;
                }
            }
            worth.put(id, done);
        }
        return done;
    }

    private List<Mono> poly(Expr e) {
        int id = store.id(e);
        if (polys.containsKey(id)) {
            return polys.get(id);
        }
        List<Mono> p = computePoly(e);
        if (p != null && p.size() > MAX_MONOMIALS) {
            p = null;
        }
        polys.put(id, p);
        return p;
    }

    /** The monomials of e, or null when e is not element-wise arithmetic over atoms of its shape or scalars. */
    private List<Mono> computePoly(Expr e) {
        Limits.checkInterrupted();
        if (e instanceof Expr.Num n) {
            return List.of(new Mono(n.value(), new TreeMap<>()));
        }
        if (e instanceof Expr.Fill f && store.shape(f.value()).isScalar()) {
            return polyOrAtom(f.value());
        }
        if (e instanceof Expr.Neg n) {
            List<Mono> a = polyOrAtom(n.arg());
            return a.stream().map(m -> m.scale(-1)).toList();
        }
        if (e instanceof Expr.Binary b) {
            Shape ls = store.shape(b.left()), rs = store.shape(b.right());
            switch (b.op()) {
                case ADD:
                case SUB: {
                    List<Mono> out = new ArrayList<>(polyOrAtom(b.left()));
                    for (Mono m : polyOrAtom(b.right())) {
                        out.add(b.op() == BinaryOp.SUB ? m.scale(-1) : m);
                    }
                    return merge(out);
                }
                case MUL:
                    if (!ls.isScalar() && !rs.isScalar()) {
                        return product(e);
                    }
                    return times(polyOrAtom(b.left()), polyOrAtom(b.right()), b);
                case HADAMARD:
                    return times(polyOrAtom(b.left()), polyOrAtom(b.right()), b);
                case DIV:
                case HADAMARD_DIV: {
                    List<Mono> inv = raise(b.right(), -1); // a sum below the line is one atom to the power -1
                    return inv == null ? null : times(polyOrAtom(b.left()), inv, b);
                }
                case POW:
                case ELEM_POW: {
                    if (!(b.right() instanceof Expr.Num k) || k.value() != Math.rint(k.value())
                            || Math.abs(k.value()) > MAX_POWER || k.value() == 0 || b.op() == BinaryOp.POW && !ls.isScalar()) {
                        return atom(e);
                    }
                    return raise(b.left(), (int) k.value());
                }
                default:
                    return atom(e);
            }
        }
        return atom(e);
    }

    /** A matrix product as the term view reads it: its number and scalar factors, times the chain as one atom. */
    private List<Mono> product(Expr e) {
        Term t = r.view(e);
        if (t.isZero() || t.chain().isEmpty() || t.coef() == 1 && t.scalars().isEmpty()) {
            return atom(e);
        }
        TreeMap<Integer, Integer> powers = new TreeMap<>(t.scalars());
        powers.merge(store.id(r.chainProduct(t.chain())), 1, Integer::sum);
        return List.of(new Mono(t.coef(), powers));
    }

    private List<Mono> polyOrAtom(Expr e) {
        List<Mono> p = poly(e);
        return p != null ? p : atom(e);
    }

    private List<Mono> atom(Expr e) {
        TreeMap<Integer, Integer> powers = new TreeMap<>();
        powers.put(store.id(e), 1);
        return List.of(new Mono(1, powers));
    }

    private List<Mono> raise(Expr base, int k) {
        List<Mono> p = polyOrAtom(base);
        if (p.size() != 1) {
            TreeMap<Integer, Integer> powers = new TreeMap<>();
            powers.put(store.id(base), k);
            return List.of(new Mono(1, powers));
        }
        Mono m = p.get(0);
        if (m.coef() == 0 && k < 0) {
            return null;
        }
        TreeMap<Integer, Integer> powers = new TreeMap<>();
        for (Map.Entry<Integer, Integer> a : m.powers().entrySet()) {
            long e = (long) a.getValue() * k;
            if (Math.abs(e) > MAX_POWER) {
                return null;
            }
            powers.put(a.getKey(), (int) e);
        }
        return List.of(new Mono(Term.power(m.coef(), k), powers));
    }

    private List<Mono> times(List<Mono> a, List<Mono> b, Expr whole) {
        if ((long) a.size() * b.size() > MAX_MONOMIALS) {
            return atom(whole);
        }
        List<Mono> out = new ArrayList<>();
        for (Mono x : a) {
            for (Mono y : b) {
                Mono m = multiply(x, y);
                if (m == null) {
                    return atom(whole);
                }
                out.add(m);
            }
        }
        return merge(out);
    }

    private static Mono multiply(Mono x, Mono y) {
        TreeMap<Integer, Integer> powers = new TreeMap<>(x.powers());
        for (Map.Entry<Integer, Integer> a : y.powers().entrySet()) {
            int k = powers.merge(a.getKey(), a.getValue(), Integer::sum);
            if (Math.abs(k) > MAX_POWER) {
                return null;
            }
            if (k == 0) {
                powers.remove(a.getKey());
            }
        }
        return new Mono(Term.product(x.coef(), y.coef()), powers);
    }

    /** Equal monomials added, zeros dropped. */
    private static List<Mono> merge(List<Mono> ms) {
        Map<TreeMap<Integer, Integer>, Double> sum = new LinkedHashMap<>();
        for (Mono m : ms) {
            sum.merge(m.powers(), m.coef(), Double::sum);
        }
        List<Mono> out = new ArrayList<>();
        sum.forEach((powers, c) -> {
            if (c != 0) {
                out.add(new Mono(c, powers));
            }
        });
        return out;
    }

    // ---- the identities -----------------------------------------------------------------

    /** The monomials with the logistic identities applied until none applies (each step removes a monomial or an atom). */
    private List<Mono> normalize(List<Mono> p) {
        List<Mono> cur = merge(p.stream().map(this::logistic).toList());
        for (int round = 0; round < 2 * MAX_MONOMIALS; round++) {
            Limits.checkInterrupted();
            List<Mono> next = complement(cur);
            if (next == null) {
                return cur;
            }
            cur = merge(next.stream().map(this::logistic).toList());
        }
        return cur;
    }

    /**
     * Within one monomial: {@code 1./(1 + exp(u))} is {@code sigmoid(-u)}, and
     * {@code exp(u).*sigmoid(-u)} is {@code sigmoid(u)} (so {@code exp(u)./(1 + exp(u))} is too).
     */
    private Mono logistic(Mono m) {
        TreeMap<Integer, Integer> powers = new TreeMap<>(m.powers());
        boolean changed = false;
        for (Map.Entry<Integer, Integer> a : m.powers().entrySet()) {
            Expr u = onePlusExp(store.node(a.getKey()));
            if (u != null && a.getValue() < 0) {
                powers.remove(a.getKey());
                powers.merge(store.id(sigmoid(r.negated(u))), -a.getValue(), Integer::sum);
                changed = true;
                r.fired("1./(1 + exp(u)) = sigmoid(-u)");
            }
        }
        for (Map.Entry<Integer, Integer> a : new ArrayList<>(powers.entrySet())) {
            if (!(store.node(a.getKey()) instanceof Expr.Elementwise f) || f.fn() != ScalarFunction.EXP) {
                continue;
            }
            int k = powers.getOrDefault(a.getKey(), 0);
            Expr complement = sigmoid(r.negated(f.arg()));
            int cid = store.id(complement);
            int j = powers.getOrDefault(cid, 0);
            int same = store.id(sigmoid(f.arg()));
            int i = powers.getOrDefault(same, 0);
            if (k > 0 && j > 0) {
                int pairs = Math.min(k, j);
                bump(powers, a.getKey(), -pairs);
                bump(powers, cid, -pairs);
                bump(powers, same, pairs);
                changed = true;
                r.fired("exp(u).*sigmoid(-u) = sigmoid(u)");
            } else if (k < 0 && i > 0) {
                // sigmoid(u)./exp(u) = sigmoid(-u)
                int pairs = Math.min(-k, i);
                bump(powers, a.getKey(), pairs);
                bump(powers, same, -pairs);
                bump(powers, cid, pairs);
                changed = true;
                r.fired("sigmoid(u)./exp(u) = sigmoid(-u)");
            }
        }
        return changed ? new Mono(m.coef(), powers) : m;
    }

    private static void bump(TreeMap<Integer, Integer> powers, int id, int by) {
        int k = powers.merge(id, by, Integer::sum);
        if (k == 0) {
            powers.remove(id);
        }
    }

    /** u when e is 1 + exp(u) (in either order, the 1 possibly a filled array); else null. */
    private Expr onePlusExp(Expr e) {
        if (!(e instanceof Expr.Binary b) || b.op() != BinaryOp.ADD) {
            return null;
        }
        List<Mono> p = poly(e);
        if (p == null || p.size() != 2) {
            return null;
        }
        Mono one = p.get(0).powers().isEmpty() ? p.get(0) : p.get(1);
        Mono other = one == p.get(0) ? p.get(1) : p.get(0);
        if (!one.powers().isEmpty() || one.coef() != 1 || other.coef() != 1 || other.powers().size() != 1) {
            return null;
        }
        Map.Entry<Integer, Integer> a = other.powers().firstEntry();
        return a.getValue() == 1 && store.node(a.getKey()) instanceof Expr.Elementwise f && f.fn() == ScalarFunction.EXP
                ? f.arg() : null;
    }

    /**
     * One step across two monomials: {@code c*M - c*M.*sigmoid(u) = c*M.*sigmoid(-u)} and
     * {@code c*M.*sigmoid(u) + c*M.*sigmoid(-u) = c*M}; null when neither applies.
     */
    private List<Mono> complement(List<Mono> ms) {
        for (int i = 0; i < ms.size(); i++) {
            Mono m = ms.get(i);
            for (Map.Entry<Integer, Integer> a : m.powers().entrySet()) {
                if (a.getValue() != 1 || !(store.node(a.getKey()) instanceof Expr.Elementwise f) || f.fn() != ScalarFunction.SIGMOID) {
                    continue;
                }
                TreeMap<Integer, Integer> rest = new TreeMap<>(m.powers());
                rest.remove(a.getKey());
                int flipped = store.id(sigmoid(r.negated(f.arg())));
                TreeMap<Integer, Integer> withFlipped = new TreeMap<>(rest);
                withFlipped.merge(flipped, 1, Integer::sum);
                for (int j = 0; j < ms.size(); j++) {
                    Mono o = ms.get(j);
                    if (j == i) {
                        continue;
                    }
                    if (o.powers().equals(rest) && o.coef() == -m.coef()) {
                        r.fired("1 - sigmoid(u) = sigmoid(-u)");
                        return replace(ms, i, j, new Mono(o.coef(), withFlipped));
                    }
                    if (o.powers().equals(withFlipped) && o.coef() == m.coef() && !withFlipped.containsKey(a.getKey())) {
                        r.fired("sigmoid(u) + sigmoid(-u) = 1");
                        return replace(ms, i, j, new Mono(m.coef(), rest));
                    }
                }
            }
        }
        return null;
    }

    private static List<Mono> replace(List<Mono> ms, int i, int j, Mono with) {
        List<Mono> out = new ArrayList<>();
        for (int k = 0; k < ms.size(); k++) {
            if (k == Math.min(i, j)) {
                out.add(with);
            } else if (k != i && k != j) {
                out.add(ms.get(k));
            }
        }
        return out;
    }

    private Expr sigmoid(Expr u) {
        return r.mk(new Expr.Elementwise(ScalarFunction.SIGMOID, u));
    }

    // ---- writing monomials back ---------------------------------------------------------

    /** The sum, and the sum with its common factor taken out; the shorter, or null when it cannot be written. */
    private Expr render(List<Mono> ms, Shape s) {
        if (ms.isEmpty()) {
            return null; // a zero: the term view writes it
        }
        Expr expanded = renderSum(ms, s);
        Expr factored = factored(ms, s);
        if (factored != null && (expanded == null || store.length(factored) < store.length(expanded))) {
            return factored;
        }
        return expanded;
    }

    /** G .* (rest) for the factor G common to every monomial, the rest simplified again (1 - sigmoid(u) in it is sigmoid(-u)). */
    private Expr factored(List<Mono> ms, Shape s) {
        if (ms.size() < 2) {
            return null;
        }
        TreeMap<Integer, Integer> common = new TreeMap<>(ms.get(0).powers());
        for (Mono m : ms.subList(1, ms.size())) {
            common.entrySet().removeIf(a -> {
                Integer k = m.powers().get(a.getKey());
                return k == null || Integer.signum(k) != Integer.signum(a.getValue());
            });
            common.replaceAll((id, k) -> k > 0 ? Math.min(k, m.powers().get(id)) : Math.max(k, m.powers().get(id)));
        }
        if (common.isEmpty()) {
            return null;
        }
        Mono g = new Mono(1, common);
        TreeMap<Integer, Integer> inverse = new TreeMap<>();
        common.forEach((id, k) -> inverse.put(id, -k));
        List<Mono> rest = new ArrayList<>();
        for (Mono m : ms) {
            rest.add(multiply(m, new Mono(1, inverse)));
        }
        rest = normalize(rest);
        if (rest.isEmpty()) {
            return null;
        }
        if (rest.size() == 1) {
            Mono joined = multiply(g, rest.get(0));
            return joined == null ? null : renderMono(joined, s);
        }
        Expr inner = renderSum(rest, s);
        if (inner == null) {
            return null;
        }
        if (g.powers().keySet().stream().allMatch(id -> store.shape(store.node(id)).isScalar())) {
            return scaled(g, inner); // (A + A')/(x'*A*x), not a filled matrix .* (A + A')
        }
        Expr outer = renderMono(g, s);
        return outer == null ? null : r.bin(BinaryOp.HADAMARD, outer, inner);
    }

    /** A monomial of scalars times an array: the factors above the line, the array, then a division. */
    private Expr scaled(Mono g, Expr array) {
        Expr acc = null;
        Expr below = null;
        for (Map.Entry<Integer, Integer> a : g.powers().entrySet()) {
            Expr atom = store.node(a.getKey());
            int k = a.getValue();
            Expr f = Math.abs(k) == 1 ? atom : r.bin(BinaryOp.POW, atom, r.num(Math.abs(k)));
            if (k > 0) {
                acc = acc == null ? f : r.bin(BinaryOp.MUL, acc, f);
            } else {
                below = below == null ? f : r.bin(BinaryOp.MUL, below, f);
            }
        }
        acc = acc == null ? array : r.bin(BinaryOp.MUL, acc, array);
        return below == null ? acc : r.bin(BinaryOp.DIV, acc, below);
    }

    /** Monomials joined with + and -, a positive one first when there is one. */
    private Expr renderSum(List<Mono> ms, Shape s) {
        List<Mono> ts = Rewriter.positiveFirst(ms, Mono::coef);
        Expr acc = renderMono(ts.get(0), s);
        for (int i = 1; i < ts.size() && acc != null; i++) {
            Mono m = ts.get(i);
            Expr e = renderMono(m.coef() < 0 ? m.scale(-1) : m, s);
            acc = e == null ? null : r.bin(m.coef() < 0 ? BinaryOp.SUB : BinaryOp.ADD, acc, e);
        }
        return acc;
    }

    /**
     * One monomial: the number, scalar factors, array factors joined by .*, then what is below
     * the line; a monomial of scalars only is filled out to the shape (vector(c, n)).
     */
    private Expr renderMono(Mono m, Shape s) {
        if (!Double.isFinite(m.coef())) {
            return null;
        }
        List<Expr> scalarsUp = new ArrayList<>(), arraysUp = new ArrayList<>();
        List<Expr> scalarsDown = new ArrayList<>(), arraysDown = new ArrayList<>();
        for (Map.Entry<Integer, Integer> a : m.powers().entrySet()) {
            Expr atom = store.node(a.getKey());
            boolean scalar = store.shape(atom).isScalar();
            int k = a.getValue();
            Expr f = Math.abs(k) == 1 ? atom : r.bin(scalar ? BinaryOp.POW : BinaryOp.ELEM_POW, atom, r.num(Math.abs(k)));
            (k > 0 ? scalar ? scalarsUp : arraysUp : scalar ? scalarsDown : arraysDown).add(f);
        }
        // shorter factors first, as a person writes y.*sigmoid(z) (stable: otherwise in the order made)
        arraysUp.sort(java.util.Comparator.comparingInt(store::length));
        scalarsUp.sort(java.util.Comparator.comparingInt(store::length));
        double c = m.coef();
        Expr acc = null;
        if (c != 1 && c != -1 || scalarsUp.isEmpty() && arraysUp.isEmpty()) {
            acc = r.num(c);
        } else if (c == -1) {
            // -x.*y: the sign on the first factor
            List<Expr> first = scalarsUp.isEmpty() ? arraysUp : scalarsUp;
            first.set(0, r.mk(new Expr.Neg(first.get(0))));
        }
        for (Expr f : scalarsUp) {
            acc = acc == null ? f : r.bin(BinaryOp.MUL, acc, f);
        }
        for (Expr f : scalarsDown) {
            acc = r.bin(BinaryOp.DIV, acc == null ? r.num(1) : acc, f);
        }
        if (arraysUp.isEmpty() && arraysDown.isEmpty()) {
            return r.fillOf(acc, s);
        }
        for (Expr f : arraysUp) {
            acc = acc == null ? f : r.bin(store.shape(acc).isScalar() ? BinaryOp.MUL : BinaryOp.HADAMARD, acc, f);
        }
        for (Expr f : arraysDown) {
            acc = r.bin(BinaryOp.HADAMARD_DIV, acc == null ? r.num(1) : acc, f);
        }
        return acc;
    }
}
