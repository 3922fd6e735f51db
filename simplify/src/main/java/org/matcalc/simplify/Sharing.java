package org.matcalc.simplify;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.matcalc.expr.Expr;
import org.matcalc.expr.TextPrinter;
import org.matcalc.expr.TreeDepth;

/**
 * Names repeated subexpressions for display ({@code where t1 = ...}), greedily: each round
 * names the repeated subtree whose naming shortens the printed result most, until none does.
 * The body and every definition stay expressions of the language; substituting the
 * definitions back (last first) gives the input exactly.
 */
public final class Sharing {
    /** Trees larger than this (counting repeats) are shown as they are. */
    private static final int MAX_NODES = 20_000;
    /** How many of the most promising repeated subtrees are tried each round. */
    private static final int CANDIDATES = 24;

    private Sharing() {
    }

    public static Shared share(Expr e, Set<String> takenNames) {
        Set<String> taken = new HashSet<>(takenNames);
        taken.addAll(TreeDepth.variables(e));
        Expr body = e;
        List<Map.Entry<String, Expr>> temps = new ArrayList<>();
        if (size(e, MAX_NODES) > MAX_NODES) {
            return new Shared(body, temps);
        }
        int best = new Shared(body, temps).print().length();
        int next = 1;
        while (true) {
            while (taken.contains("t" + next)) {
                next++;
            }
            String name = "t" + next;
            Expr var = new Expr.Var(name);
            Map<Expr, Integer> counts = new HashMap<>();
            count(body, counts);
            for (Map.Entry<String, Expr> t : temps) {
                count(t.getValue(), counts);
            }
            List<Expr> candidates = new ArrayList<>();
            Map<Expr, Integer> lengths = new HashMap<>();
            counts.forEach((sub, n) -> {
                if (n >= 2 && !TreeDepth.children(sub).isEmpty()) {
                    candidates.add(sub);
                    lengths.put(sub, TextPrinter.print(sub).length());
                }
            });
            candidates.sort(Comparator.comparingInt((Expr c) -> -(counts.get(c) - 1) * lengths.get(c))
                    .thenComparing(TextPrinter::print));
            Expr chosenBody = null;
            List<Map.Entry<String, Expr>> chosenTemps = null;
            for (Expr c : candidates.subList(0, Math.min(CANDIDATES, candidates.size()))) {
                Expr nb = replace(body, c, var);
                List<Map.Entry<String, Expr>> nt = new ArrayList<>();
                for (Map.Entry<String, Expr> t : temps) {
                    nt.add(entry(t.getKey(), replace(t.getValue(), c, var)));
                }
                nt.add(entry(name, c));
                nt = ordered(nt);
                int length = new Shared(nb, nt).print().length();
                if (length < best) {
                    best = length;
                    chosenBody = nb;
                    chosenTemps = nt;
                }
            }
            if (chosenBody == null) {
                return new Shared(body, temps);
            }
            body = chosenBody;
            temps = chosenTemps;
            taken.add(name);
        }
    }

    private static Map.Entry<String, Expr> entry(String name, Expr e) {
        return new AbstractMap.SimpleImmutableEntry<>(name, e);
    }

    /** Definitions before their uses; otherwise in order of naming. */
    private static List<Map.Entry<String, Expr>> ordered(List<Map.Entry<String, Expr>> temps) {
        Map<String, Expr> byName = new LinkedHashMap<>();
        for (Map.Entry<String, Expr> t : temps) {
            byName.put(t.getKey(), t.getValue());
        }
        List<Map.Entry<String, Expr>> out = new ArrayList<>();
        Set<String> placed = new HashSet<>();
        for (String n : byName.keySet()) {
            place(n, byName, placed, out);
        }
        return out;
    }

    private static void place(String n, Map<String, Expr> byName, Set<String> placed, List<Map.Entry<String, Expr>> out) {
        if (!placed.add(n)) {
            return;
        }
        for (String used : TreeDepth.variables(byName.get(n))) {
            if (byName.containsKey(used)) {
                place(used, byName, placed, out);
            }
        }
        out.add(entry(n, byName.get(n)));
    }

    private static int size(Expr e, int cap) {
        int n = 1;
        for (Expr k : TreeDepth.children(e)) {
            if (n > cap) {
                break;
            }
            n += size(k, cap - n);
        }
        return n;
    }

    private static void count(Expr e, Map<Expr, Integer> counts) {
        counts.merge(e, 1, Integer::sum);
        for (Expr k : TreeDepth.children(e)) {
            count(k, counts);
        }
    }

    private static Expr replace(Expr e, Expr target, Expr by) {
        if (e.equals(target)) {
            return by;
        }
        List<Expr> kids = TreeDepth.children(e);
        if (kids.isEmpty()) {
            return e;
        }
        List<Expr> nk = new ArrayList<>();
        boolean changed = false;
        for (Expr k : kids) {
            Expr r = replace(k, target, by);
            changed |= r != k;
            nk.add(r);
        }
        if (!changed) {
            return e;
        }
        if (e instanceof Expr.Neg) {
            return new Expr.Neg(nk.get(0));
        }
        if (e instanceof Expr.Transpose) {
            return new Expr.Transpose(nk.get(0));
        }
        if (e instanceof Expr.Binary b) {
            return new Expr.Binary(b.op(), nk.get(0), nk.get(1));
        }
        if (e instanceof Expr.Call c) {
            return new Expr.Call(c.fn(), nk);
        }
        if (e instanceof Expr.Elementwise f) {
            return new Expr.Elementwise(f.fn(), nk.get(0));
        }
        if (e instanceof Expr.Fill f) {
            return new Expr.Fill(nk.get(0), f.matrix(), f.rows(), f.cols());
        }
        throw new AssertionError(e);
    }
}
