package org.matcalc.expr;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * From the expression a user wrote to the tree every layer reads (LANGUAGE.md, "Broadcasting" and
 * "Kinds from use"). Two steps, both before any derivative is taken:
 * <ol>
 *   <li><b>Kinds from use.</b> An undeclared name whose first-letter kind would make an operand
 *   broadcast takes the kind its use requires: a scalar-letter name added to a vector or matrix
 *   becomes one ({@code W1*x + b1}: b1 a vector), and a vector- or matrix-letter name that scales
 *   something added to a scalar becomes a scalar ({@code loss + lambda*norm2(w)^2}: lambda a
 *   scalar). Only names that occur once are re-kinded, and only when that removes the broadcast;
 *   declarations always decide.</li>
 *   <li><b>Broadcasting written out.</b> Each operand that broadcasts becomes the explicit
 *   expression of the same value: a scalar {@code c} added to a vector becomes {@code vector(c)}
 *   (to a matrix {@code matrix(c)}, to a row {@code vector(c)'}), a row {@code r} against a matrix
 *   {@code vector(1)*r}, a column {@code c} against a matrix {@code c*vector(1)'}. The derivative
 *   rules then need nothing new: the adjoint of {@code vector(1)*r} is the column sum of the
 *   adjoint, the sum over the broadcast axis.</li>
 * </ol>
 */
public final class Elaboration {
    /** Rounds of re-kinding: each removes one broadcast, so a few suffice; the bound keeps hostile input cheap. */
    private static final int MAX_ROUNDS = 16;
    /** Candidate kinds tried in all (each a typing of the whole tree): past it, the rest broadcast as written. */
    private static final int MAX_TRIES = 64;

    /**
     * The elaborated expression: the tree with broadcasting written out (with source positions
     * carried over), the declarations with the inferred kinds added, and those kinds by name.
     */
    public record Elaborated(Parsed parsed, Declarations decls, Map<String, Decl> inferred) {
        /** One line per inferred kind, e.g. {@code b1 is taken as a vector from its use in W1*x + b1}. */
        public List<String> notes() {
            List<String> out = new ArrayList<>();
            inferred.forEach((name, d) -> out.add(name + " is taken as a " + d.kind().name().toLowerCase(java.util.Locale.ROOT)
                    + " from its use (its first letter says " + Declarations.kindByLetter(name).name().toLowerCase(java.util.Locale.ROOT)
                    + "; declare it to choose)"));
            return out;
        }
    }

    private Elaboration() {
    }

    /** Elaborates a parsed expression under its declarations. */
    public static Elaborated of(Parsed parsed, Declarations decls) {
        Declarations d = decls;
        Map<String, Decl> inferred = new LinkedHashMap<>();
        Typer t = Typer.run(parsed.expr(), d, parsed.spans(), Map.of(), Map.of(), true);
        Map<String, Integer> uses = uses(parsed.expr());
        int[] tries = {0};
        for (int round = 0; round < MAX_ROUNDS && !t.expansions.isEmpty(); round++) {
            Rekind r = rekind(parsed, d, t, uses, tries);
            if (r == null) {
                break;
            }
            d = d.with(r.name, r.decl);
            inferred.put(r.name, r.decl);
            t = r.typer;
        }
        Parsed explicit = t.expansions.isEmpty() ? parsed : writeOut(parsed, t);
        return new Elaborated(explicit, d, inferred);
    }

    /** Elaborates text: parse, then {@link #of(Parsed, Declarations)}. */
    public static Elaborated of(String text, Declarations decls) {
        return of(Parser.parse(text), decls);
    }

    // ---- kinds from use ----

    private record Rekind(String name, Decl decl, Typer typer) {
    }

    /** The first re-kinding that lowers the broadcasting (scalar expansions count 2, rows and columns 1). */
    private static Rekind rekind(Parsed parsed, Declarations d, Typer t, Map<String, Integer> uses, int[] tries) {
        int before = weight(t);
        for (Expr node : t.expansionOrder) {
            List<String> names = new ArrayList<>();
            Map<String, Boolean> coefficient = new HashMap<>();
            collect(node, null, names, coefficient);
            for (int pass = 0; pass < 2; pass++) {
                for (String name : names) {
                    if (uses.getOrDefault(name, 0) != 1 || d.get(name).isPresent()) {
                        continue;
                    }
                    Decl.VarKind letter = Declarations.kindByLetter(name);
                    List<Decl.VarKind> kinds = pass == 0
                            ? (letter == Decl.VarKind.SCALAR ? List.of(Decl.VarKind.VECTOR, Decl.VarKind.MATRIX) : List.of())
                            : (letter != Decl.VarKind.SCALAR && coefficient.getOrDefault(name, false) ? List.of(Decl.VarKind.SCALAR) : List.of());
                    for (Decl.VarKind k : kinds) {
                        if (++tries[0] > MAX_TRIES) {
                            return null;
                        }
                        Decl decl = Declarations.ofKind(k);
                        try {
                            Typer u = Typer.run(parsed.expr(), d.with(name, decl), parsed.spans(), Map.of(), Map.of(), true);
                            if (weight(u) < before) {
                                return new Rekind(name, decl, u);
                            }
                        } catch (MatcalcException e) {
                            // this kind does not type the expression: try the next
                        }
                    }
                }
            }
        }
        return null;
    }

    private static int weight(Typer t) {
        int w = 0;
        for (Map.Entry<Expr, Integer> x : t.expansions.entrySet()) {
            Expr operand = operand(x.getKey(), x.getValue());
            w += t.resolvedShape(operand).isScalar() ? 2 : 1;
        }
        return w;
    }

    /** Variable names under {@code e} in order, and whether each stands as a factor of a product with a non-number. */
    private static void collect(Expr e, Expr parent, List<String> names, Map<String, Boolean> coefficient) {
        if (e instanceof Expr.Var v) {
            if (!names.contains(v.name())) {
                names.add(v.name());
            }
            boolean factor = parent instanceof Expr.Binary b && b.op() == BinaryOp.MUL
                    && !((b.left() == e ? b.right() : b.left()) instanceof Expr.Num);
            coefficient.merge(v.name(), factor, Boolean::logicalOr);
            return;
        }
        for (Expr c : TreeDepth.children(e)) {
            collect(c, e, names, coefficient);
        }
    }

    private static Map<String, Integer> uses(Expr e) {
        Map<String, Integer> out = new HashMap<>();
        java.util.ArrayDeque<Expr> todo = new java.util.ArrayDeque<>(List.of(e));
        while (!todo.isEmpty()) {
            Expr x = todo.pop();
            if (x instanceof Expr.Var v) {
                out.merge(v.name(), 1, Integer::sum);
            }
            TreeDepth.children(x).forEach(todo::push);
        }
        return out;
    }

    private static Expr operand(Expr node, int i) {
        if (node instanceof Expr.Binary b) {
            return i == 0 ? b.left() : b.right();
        }
        return ((Expr.Call) node).args().get(i);
    }

    // ---- broadcasting written out ----

    private static Parsed writeOut(Parsed parsed, Typer t) {
        SourceMap spans = SourceMap.mutable();
        Expr e = new Writer(parsed.spans(), spans, t).rebuild(parsed.expr());
        return new Parsed(e, parsed.source(), spans);
    }

    private static final class Writer {
        private final SourceMap from;
        private final SourceMap to;
        private final Typer t;
        private final Map<Expr, Expr> done = new IdentityHashMap<>();

        Writer(SourceMap from, SourceMap to, Typer t) {
            this.from = from;
            this.to = to;
            this.t = t;
        }

        /** Bottom-up, iteratively: expressions may be deep. */
        Expr rebuild(Expr root) {
            java.util.ArrayDeque<Expr> stack = new java.util.ArrayDeque<>(List.of(root));
            while (!stack.isEmpty()) {
                Expr e = stack.peek();
                if (done.containsKey(e)) {
                    stack.pop();
                    continue;
                }
                boolean ready = true;
                for (Expr c : TreeDepth.children(e)) {
                    if (!done.containsKey(c)) {
                        stack.push(c);
                        ready = false;
                    }
                }
                if (ready) {
                    stack.pop();
                    done.put(e, mark(build(e), e));
                }
            }
            return done.get(root);
        }

        private Expr mark(Expr built, Expr original) {
            Span s = from.spanOf(original);
            if (s != null && to.spanOf(built) == null) {
                to.put(built, s);
            }
            return built;
        }

        private Expr arg(Expr node, int i, Expr child) {
            Expr c = done.get(child);
            Integer side = t.expansions.get(node);
            if (side == null || side != i) {
                return c;
            }
            Shape have = t.resolvedShape(child), want = t.resolvedShape(node);
            Expr out;
            if (have.isScalar()) {
                Expr fill = new Expr.Fill(c, want.isMatrix(), null, null);
                out = want.isRow() ? new Expr.Transpose(mark(fill, child)) : fill;
            } else if (have.isRow()) {
                out = new Expr.Binary(BinaryOp.MUL, mark(new Expr.Fill(new Expr.Num(1), false, null, null), child), c);
            } else {
                Expr ones = mark(new Expr.Fill(new Expr.Num(1), false, null, null), child);
                out = new Expr.Binary(BinaryOp.MUL, c, mark(new Expr.Transpose(ones), child));
            }
            return mark(out, child);
        }

        private Expr build(Expr e) {
            if (e instanceof Expr.Neg n) {
                return new Expr.Neg(done.get(n.arg()));
            }
            if (e instanceof Expr.Transpose x) {
                return new Expr.Transpose(done.get(x.arg()));
            }
            if (e instanceof Expr.Binary b) {
                return new Expr.Binary(b.op(), arg(b, 0, b.left()), arg(b, 1, b.right()));
            }
            if (e instanceof Expr.Call c) {
                List<Expr> args = new ArrayList<>();
                for (int i = 0; i < c.args().size(); i++) {
                    args.add(arg(c, i, c.args().get(i)));
                }
                return new Expr.Call(c.fn(), args);
            }
            if (e instanceof Expr.Elementwise f) {
                return new Expr.Elementwise(f.fn(), done.get(f.arg()));
            }
            if (e instanceof Expr.Fill f) {
                return new Expr.Fill(done.get(f.value()), f.matrix(), f.rows(), f.cols());
            }
            return e;
        }
    }
}
