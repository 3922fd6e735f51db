package org.matcalc.diff;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.matcalc.expr.BinaryOp;
import org.matcalc.expr.Builtin;
import org.matcalc.expr.Expr;
import org.matcalc.expr.MatcalcException;
import org.matcalc.expr.Shape;

/**
 * Pass 2 of DESIGN.md: given a linear expression L(dX) with a scalar value and an adjoint
 * seed, finds G with L = tr(G' dX), by applying the transpose rule of each linear primitive
 * from the output back to dX (the trace trick of 矩阵求导术, done mechanically; the backward
 * pass of reverse mode, on symbols). Adjoints of a shared node are summed before they move on.
 * Each node's move is recorded as one equation, {@code tr(G'*node) = tr(G1'*child1) + ...} over
 * the children that carry dX, and a node reached from several parents first collects its
 * terms, {@code tr(G1'*node) + tr(G2'*node) = tr((G1 + G2)'*node)}: every step holds as written.
 */
final class Transposer {
    final Ops ops;
    private final String dx;
    private final Derivation steps;
    private final Map<Expr, Boolean> linear = new IdentityHashMap<>();
    private final Map<Expr, Expr> adjoints = new IdentityHashMap<>();
    /** The adjoints each node received, one per parent, for the collecting step. */
    private final Map<Expr, List<Expr>> received = new IdentityHashMap<>();
    /** The current node's move: its rules' names and the terms it sends on. */
    private final List<String> movedBy = new ArrayList<>();
    private final List<Expr> movedTo = new ArrayList<>();

    Transposer(Ops ops, String dx, Derivation steps) {
        this.ops = ops;
        this.dx = dx;
        this.steps = steps;
    }

    /** G such that tr(seed' * L) = tr(G' * dX); zeros shaped like dX if L does not involve it. */
    Expr transpose(Expr l, Expr seed, Shape dxShape) {
        List<Expr> order = new ArrayList<>();
        postorder(l, Collections.newSetFromMap(new IdentityHashMap<>()), order);
        Collections.reverse(order);
        adjoints.put(l, seed);
        Expr result = Ops.zeros(dxShape);
        for (Expr node : order) {
            Expr g = adjoints.get(node);
            if (g == null || Ops.isZero(g)) {
                continue;
            }
            List<Expr> parts = received.get(node);
            if (parts != null && parts.size() > 1) {
                Expr terms = null;
                for (Expr part : parts) {
                    Expr t = innerForm(part, node);
                    terms = terms == null ? t : new Expr.Binary(BinaryOp.ADD, terms, t);
                }
                steps.add(new Step(Step.Kind.TRACE, "collect terms: tr(G1'*A) + tr(G2'*A) = tr((G1 + G2)'*A)", terms,
                        innerForm(g, node)));
            }
            if (node instanceof Expr.Var) {
                result = ops.add(result, g);
            } else {
                movedBy.clear();
                movedTo.clear();
                rule(node, g);
                if (!movedTo.isEmpty()) {
                    Expr to = movedTo.get(0);
                    for (int k = 1; k < movedTo.size(); k++) {
                        Expr t = movedTo.get(k);
                        to = t instanceof Expr.Neg n ? new Expr.Binary(BinaryOp.SUB, to, n.arg()) : new Expr.Binary(BinaryOp.ADD, to, t);
                    }
                    Expr from = innerForm(g, node);
                    if (!from.equals(to)) { // the sum of a linear form's terms, with G = 1, moves nothing
                        steps.add(new Step(Step.Kind.TRACE, String.join("; ", movedBy), from, to));
                    }
                }
            }
        }
        return result;
    }

    boolean isLinear(Expr e) {
        Boolean b = linear.get(e);
        if (b == null) {
            if (e instanceof Expr.Var v) {
                b = v.name().equals(dx);
            } else if (e instanceof Expr.Neg n) {
                b = isLinear(n.arg());
            } else if (e instanceof Expr.Transpose t) {
                b = isLinear(t.arg());
            } else if (e instanceof Expr.Binary x) {
                b = isLinear(x.left()) || isLinear(x.right());
            } else if (e instanceof Expr.Call c) {
                b = false;
                for (Expr a : c.args()) {
                    b |= isLinear(a);
                }
            } else if (e instanceof Expr.Elementwise f) {
                b = isLinear(f.arg());
            } else if (e instanceof Expr.Fill f) {
                b = isLinear(f.value());
            } else {
                b = false;
            }
            linear.put(e, b);
        }
        return b;
    }

    private void postorder(Expr e, java.util.Set<Expr> seen, List<Expr> out) {
        if (!isLinear(e) || !seen.add(e)) {
            return;
        }
        if (e instanceof Expr.Neg n) {
            postorder(n.arg(), seen, out);
        } else if (e instanceof Expr.Transpose t) {
            postorder(t.arg(), seen, out);
        } else if (e instanceof Expr.Binary b) {
            postorder(b.left(), seen, out);
            postorder(b.right(), seen, out);
        } else if (e instanceof Expr.Call c) {
            for (Expr a : c.args()) {
                postorder(a, seen, out);
            }
        } else if (e instanceof Expr.Elementwise f) {
            postorder(f.arg(), seen, out);
        } else if (e instanceof Expr.Fill f) {
            postorder(f.value(), seen, out);
        }
        out.add(e);
    }

    /** Sends adjoint g of node to child (if it carries dX), as one term of the node's move. */
    void send(String rule, Expr node, Expr g, Expr child, Expr childAdjoint) {
        if (!isLinear(child)) {
            return;
        }
        if (!movedBy.contains(rule)) {
            movedBy.add(rule);
        }
        movedTo.add(innerForm(childAdjoint, child));
        adjoints.merge(child, childAdjoint, ops::add);
        received.computeIfAbsent(child, k -> new ArrayList<>()).add(childAdjoint);
    }

    /** tr(G'*L) as the textbooks write it: G*L for scalars, G'*L for vectors. */
    Expr innerForm(Expr g, Expr l) {
        Shape s = ops.shape(l);
        if (Ops.isNum(g, 1)) {
            return s.isScalar() ? l : new Expr.Call(Builtin.TR, List.of(l));
        }
        if (s.isScalar()) {
            return Ops.isNum(g, -1) ? new Expr.Neg(l) : new Expr.Binary(BinaryOp.MUL, g, l);
        }
        Expr gt = g instanceof Expr.Transpose t ? t.arg() : new Expr.Transpose(g);
        Expr prod = new Expr.Binary(BinaryOp.MUL, gt, l);
        return s.isColumn() ? prod : new Expr.Call(Builtin.TR, List.of(prod));
    }

    static MatcalcException notImplemented(String what) {
        return new MatcalcException(MatcalcException.Kind.UNSUPPORTED, "transpose rule for " + what + " not implemented");
    }

    private void rule(Expr node, Expr g) {
        if (node instanceof Expr.Neg n) {
            StructureRules.tNeg(this, n, g);
        } else if (node instanceof Expr.Transpose t) {
            StructureRules.tTranspose(this, t, g);
        } else if (node instanceof Expr.Binary b) {
            Rules.transpose(b.op()).send(this, b, g);
        } else if (node instanceof Expr.Call c) {
            Rules.transpose(c.fn()).send(this, c, g);
        } else if (node instanceof Expr.Fill f) {
            StructureRules.tFill(this, f, g);
        } else {
            throw notImplemented(node.getClass().getSimpleName());
        }
    }
}
