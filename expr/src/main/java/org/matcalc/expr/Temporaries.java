package org.matcalc.expr;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;


/**
 * Names the repeated subexpressions of a derivative for display ({@code where t1 = ...}), in
 * time linear in the number of distinct subtrees. Derivatives of deep chains repeat each
 * forward value in the backward pass, so their tree is quadratic in the input while their DAG
 * is linear; naming every composite subtree used more than once (counting uses from named
 * definitions once) prints the DAG, and the displayed size stays proportional to the input.
 * Substituting the definitions back, last first, gives the expression exactly.
 */
public final class Temporaries {
    private final Map<Expr, Integer> ids = new IdentityHashMap<>();
    private final Map<String, Integer> byKey = new HashMap<>();
    private final List<Expr> nodes = new ArrayList<>();
    private final List<int[]> children = new ArrayList<>();
    private final List<Integer> weight = new ArrayList<>();

    private Temporaries() {
    }

    /** The expression with its repeated parts named; just the expression when naming does not shorten it. */
    public static Shared share(Expr e, Set<String> takenNames) {
        Temporaries t = new Temporaries();
        int root = t.intern(e);
        int n = t.nodes.size();
        long[] refs = new long[n];
        boolean[] named = new boolean[n];
        refs[root] = 1;
        for (int v = n - 1; v >= 0; v--) {
            named[v] = v != root && refs[v] >= 2 && t.weight.get(v) >= 4 && composite(t.nodes.get(v));
            long uses = named[v] ? 1 : refs[v];
            for (int c : t.children.get(v)) {
                refs[c] = Math.min(Long.MAX_VALUE / 4, refs[c] + uses);
            }
        }
        Set<String> taken = new HashSet<>(takenNames);
        collectNames(e, taken, new HashSet<>());
        String[] names = new String[n];
        int next = 1;
        for (int v = 0; v < n; v++) {
            if (named[v]) {
                while (taken.contains("t" + next)) {
                    next++;
                }
                names[v] = "t" + next++;
            }
        }
        Map<Integer, Expr> built = new HashMap<>();
        List<Map.Entry<String, Expr>> defs = new ArrayList<>();
        for (int v = 0; v < n; v++) {
            if (named[v]) {
                defs.add(new AbstractMap.SimpleImmutableEntry<>(names[v], t.build(v, true, names, built)));
            }
        }
        Shared shared = new Shared(t.build(root, true, names, built), defs);
        if (defs.isEmpty() || shared.print().length() >= TextPrinter.print(e).length()) {
            return new Shared(e, List.of());
        }
        return shared;
    }

    private static boolean composite(Expr e) {
        if (e instanceof Expr.Transpose tr) {
            return composite(tr.arg());
        }
        return e instanceof Expr.Binary || e instanceof Expr.Call || e instanceof Expr.Elementwise || e instanceof Expr.Neg;
    }

    private static void collectNames(Expr e, Set<String> out, Set<Expr> seen) {
        if (!seen.add(e)) {
            return;
        }
        if (e instanceof Expr.Var v) {
            out.add(v.name());
        }
        for (Expr c : TreeDepth.children(e)) {
            collectNames(c, out, seen);
        }
    }

    /** Hash-consing by identity first, then by structure: equal subtrees get one id; children before parents. */
    private int intern(Expr e) {
        Integer known = ids.get(e);
        if (known != null) {
            return known;
        }
        List<Expr> ks = TreeDepth.children(e);
        int[] cs = new int[ks.size()];
        int w = 1;
        StringBuilder key = new StringBuilder(label(e));
        for (int i = 0; i < cs.length; i++) {
            cs[i] = intern(ks.get(i));
            w = Math.min(1000, w + weight.get(cs[i]));
            key.append(':').append(cs[i]);
        }
        String k = key.toString();
        Integer id = byKey.get(k);
        if (id == null) {
            id = nodes.size();
            nodes.add(e);
            children.add(cs);
            weight.add(w);
            byKey.put(k, id);
        }
        ids.put(e, id);
        return id;
    }

    private static String label(Expr e) {
        if (e instanceof Expr.Num n) {
            return "num " + Double.doubleToLongBits(n.value());
        }
        if (e instanceof Expr.Var v) {
            return "var " + v.name();
        }
        if (e instanceof Expr.Binary b) {
            return "bin " + b.op();
        }
        if (e instanceof Expr.Call c) {
            return "call " + c.fn();
        }
        if (e instanceof Expr.Elementwise f) {
            return "fn " + f.fn();
        }
        if (e instanceof Expr.Identity i) {
            return "eye " + i.size();
        }
        if (e instanceof Expr.Zeros z) {
            return "zeros " + z.rows() + " " + z.cols();
        }
        if (e instanceof Expr.Fill f) {
            return "fill " + f.matrix() + " " + f.rows() + " " + f.cols();
        }
        if (e instanceof Expr.Commutation k) {
            return "K " + k.m() + " " + k.n();
        }
        return e instanceof Expr.Neg ? "neg" : "transpose";
    }

    private Expr build(int v, boolean top, String[] names, Map<Integer, Expr> built) {
        if (!top && names[v] != null) {
            return new Expr.Var(names[v]);
        }
        if (!top && built.containsKey(v)) {
            return built.get(v);
        }
        Expr e = nodes.get(v);
        int[] cs = children.get(v);
        List<Expr> args = new ArrayList<>();
        for (int c : cs) {
            args.add(build(c, false, names, built));
        }
        Expr out;
        if (e instanceof Expr.Neg) {
            out = new Expr.Neg(args.get(0));
        } else if (e instanceof Expr.Transpose) {
            out = new Expr.Transpose(args.get(0));
        } else if (e instanceof Expr.Binary b) {
            out = new Expr.Binary(b.op(), args.get(0), args.get(1));
        } else if (e instanceof Expr.Call c) {
            out = new Expr.Call(c.fn(), args);
        } else if (e instanceof Expr.Elementwise f) {
            out = new Expr.Elementwise(f.fn(), args.get(0));
        } else if (e instanceof Expr.Fill f) {
            out = new Expr.Fill(args.get(0), f.matrix(), f.rows(), f.cols());
        } else {
            out = e;
        }
        if (!top) {
            built.put(v, out);
        }
        return out;
    }
}
