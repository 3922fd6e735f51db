package org.matcalc.expr;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures tree depth without recursion, so that a tree too deep for the recursive passes
 * (typing, printing, evaluation) is refused before any of them runs.
 */
public final class TreeDepth {
    private TreeDepth() {
    }

    public static int of(Expr root) {
        Map<Expr, Integer> depth = new IdentityHashMap<>();
        Deque<Expr> stack = new ArrayDeque<>();
        stack.push(root);
        while (!stack.isEmpty()) {
            Expr e = stack.peek();
            if (depth.containsKey(e)) {
                stack.pop();
                continue;
            }
            List<Expr> kids = children(e);
            boolean ready = true;
            for (Expr k : kids) {
                if (!depth.containsKey(k)) {
                    stack.push(k);
                    ready = false;
                }
            }
            if (ready) {
                stack.pop();
                int d = 0;
                for (Expr k : kids) {
                    d = Math.max(d, depth.get(k));
                }
                depth.put(e, d + 1);
            }
        }
        return depth.get(root);
    }

    /** Throws a LIMIT error when {@code e} is deeper than {@link Limits#MAX_TREE_DEPTH}. */
    public static void require(Expr e) {
        int d = of(e);
        if (d > Limits.MAX_TREE_DEPTH) {
            throw new MatcalcException(MatcalcException.Kind.LIMIT, "expression tree is " + d
                    + " levels deep; the limit is " + Limits.MAX_TREE_DEPTH);
        }
    }

    /**
     * Refuses a tree whose written-out form is too large: {@code mean(X)} is written out as
     * {@code sum(X)/numel(X)}, which names X twice, so nested means double at each level and 30
     * of them would print as a billion nodes. Counted on the shared tree, in time linear in its
     * distinct nodes.
     */
    public static void requireWrittenSize(Expr e) {
        java.util.IdentityHashMap<Expr, Long> sizes = new java.util.IdentityHashMap<>();
        long n = writtenSize(e, sizes);
        if (n > Limits.MAX_WRITTEN_NODES) {
            throw new MatcalcException(MatcalcException.Kind.LIMIT, "the expression written out (mean(X) is sum(X)/numel(X),"
                    + " which names X twice) has more than " + Limits.MAX_WRITTEN_NODES + " nodes, the limit (nest fewer means)");
        }
    }

    private static long writtenSize(Expr e, java.util.IdentityHashMap<Expr, Long> sizes) {
        Long known = sizes.get(e);
        if (known != null) {
            return known;
        }
        long n = 1;
        for (Expr c : children(e)) {
            n = Math.min(Long.MAX_VALUE / 4, n + writtenSize(c, sizes));
        }
        sizes.put(e, n);
        return n;
    }

    /** The direct subexpressions of a node, left to right. */
    /**
     * The factors of a chain of matrix products, left to right: {@code A*B*C} gives A, B, C however
     * parenthesised; a product with a scalar side ends the chain (it is one factor).
     */
    public static List<Expr> productFactors(Expr e, java.util.function.Predicate<Expr> scalar) {
        List<Expr> out = new java.util.ArrayList<>();
        productFactors(e, scalar, out);
        return out;
    }

    private static void productFactors(Expr e, java.util.function.Predicate<Expr> scalar, List<Expr> out) {
        if (e instanceof Expr.Binary b && b.op() == BinaryOp.MUL && !scalar.test(b.left()) && !scalar.test(b.right())) {
            productFactors(b.left(), scalar, out);
            productFactors(b.right(), scalar, out);
        } else {
            out.add(e);
        }
    }

    public static List<Expr> children(Expr e) {
        return e.accept(CHILDREN);
    }

    private static final Expr.Visitor<List<Expr>> CHILDREN = new Expr.Visitor<>() {
        public List<Expr> num(Expr.Num e) {
            return List.of();
        }

        public List<Expr> var(Expr.Var e) {
            return List.of();
        }

        public List<Expr> neg(Expr.Neg e) {
            return List.of(e.arg());
        }

        public List<Expr> transpose(Expr.Transpose e) {
            return List.of(e.arg());
        }

        public List<Expr> binary(Expr.Binary e) {
            return List.of(e.left(), e.right());
        }

        public List<Expr> call(Expr.Call e) {
            return e.args();
        }

        public List<Expr> elementwise(Expr.Elementwise e) {
            return List.of(e.arg());
        }

        public List<Expr> identity(Expr.Identity e) {
            return List.of();
        }

        public List<Expr> zeros(Expr.Zeros e) {
            return List.of();
        }

        public List<Expr> fill(Expr.Fill e) {
            return List.of(e.value());
        }

        public List<Expr> commutation(Expr.Commutation e) {
            return List.of();
        }
    };

    /** Every distinct variable name in the tree, in order of first appearance. */
    public static List<String> variables(Expr root) {
        List<String> names = new ArrayList<>();
        Deque<Expr> stack = new ArrayDeque<>();
        stack.push(root);
        Map<Expr, Boolean> seen = new IdentityHashMap<>();
        while (!stack.isEmpty()) {
            Expr e = stack.pop();
            if (seen.put(e, Boolean.TRUE) != null) {
                continue;
            }
            if (e instanceof Expr.Var v && !names.contains(v.name())) {
                names.add(v.name());
            }
            List<Expr> kids = children(e);
            for (int i = kids.size() - 1; i >= 0; i--) {
                stack.push(kids.get(i));
            }
        }
        return names;
    }
}
