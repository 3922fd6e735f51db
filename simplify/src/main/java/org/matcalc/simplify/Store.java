package org.matcalc.simplify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.matcalc.expr.BinaryOp;
import org.matcalc.expr.BinaryOp.Precedence;
import org.matcalc.expr.Expr;
import org.matcalc.expr.Shape;
import org.matcalc.expr.Size;
import org.matcalc.expr.TextPrinter;
import org.matcalc.expr.TreeDepth;
import org.matcalc.expr.Typing;

/**
 * Hash-consed nodes for one simplification: structurally equal nodes are one object, so the
 * rewriter compares and memoises by identity and never hashes a whole (possibly shared,
 * exponentially large when unfolded) tree. Each node also carries its shape and its printed
 * length, both computed once from its children.
 *
 * <p>Context-sized leaves ({@code eye}, {@code vector(c)}, {@code matrix(c)} without sizes)
 * take their shape from where they stood, so the shape is part of their key.
 */
final class Store {
    private record Key(Object tag, List<Integer> kids) {
    }

    private final Typing typing;
    private final Map<Key, Expr> table = new HashMap<>();
    private final IdentityHashMap<Expr, Integer> ids = new IdentityHashMap<>();
    private final List<Expr> nodes = new ArrayList<>();
    private final List<Shape> shapes = new ArrayList<>();
    private final List<Integer> lengths = new ArrayList<>();
    /**
     * Printed lengths are capped here: a tree with shared subtrees can print exponentially
     * long, and a few capped lengths still add up without overflow.
     */
    static final int MAX_LENGTH = 1 << 28;

    Store(Typing typing) {
        this.typing = typing;
    }

    Typing typing() {
        return typing;
    }

    /** The canonical instance of {@code e}, whose children must already be canonical instances. */
    Expr intern(Expr e, Shape contextShape) {
        org.matcalc.expr.Limits.checkInterrupted(); // every node the simplifier makes passes here
        List<Expr> kids = TreeDepth.children(e);
        List<Integer> kidIds = new ArrayList<>(kids.size());
        for (Expr k : kids) {
            Integer id = ids.get(k);
            if (id == null) {
                throw new IllegalStateException("child not interned: " + k);
            }
            kidIds.add(id);
        }
        Key key = new Key(tag(e, contextShape), kidIds);
        Expr found = table.get(key);
        if (found != null) {
            return found;
        }
        table.put(key, e);
        ids.put(e, nodes.size());
        nodes.add(e);
        shapes.add(computeShape(e, contextShape));
        lengths.add(Math.min(MAX_LENGTH, computeLength(e)));
        return e;
    }

    Expr intern(Expr e) {
        return intern(e, null);
    }

    /** Interns a whole tree, taking context shapes from the typing (nodes of the typed tree only). */
    Expr internTree(Expr e, Map<Expr, Expr> memo) {
        Expr done = memo.get(e);
        if (done != null) {
            return done;
        }
        Expr out = rebuild(e, TreeDepth.children(e).stream().map(k -> internTree(k, memo)).toList(), typing.shapeOf(e));
        memo.put(e, out);
        return out;
    }

    /** {@code e} with its children replaced by {@code kids} (canonical), interned. */
    Expr rebuild(Expr e, List<Expr> kids, Shape contextShape) {
        Expr n;
        if (e instanceof Expr.Neg) {
            n = new Expr.Neg(kids.get(0));
        } else if (e instanceof Expr.Transpose) {
            n = new Expr.Transpose(kids.get(0));
        } else if (e instanceof Expr.Binary b) {
            n = new Expr.Binary(b.op(), kids.get(0), kids.get(1));
        } else if (e instanceof Expr.Call c) {
            n = new Expr.Call(c.fn(), kids);
        } else if (e instanceof Expr.Elementwise f) {
            n = new Expr.Elementwise(f.fn(), kids.get(0));
        } else if (e instanceof Expr.Fill f) {
            n = new Expr.Fill(kids.get(0), f.matrix(), f.rows(), f.cols());
        } else {
            n = e;
        }
        return intern(n, needsContext(e) ? contextShape : null);
    }

    int id(Expr e) {
        Integer id = ids.get(e);
        if (id == null) {
            throw new IllegalStateException("not interned: " + e);
        }
        return id;
    }

    Expr node(int id) {
        return nodes.get(id);
    }

    Shape shape(Expr e) {
        return shapes.get(id(e));
    }

    int length(Expr e) {
        return lengths.get(id(e));
    }

    static boolean needsContext(Expr e) {
        return e instanceof Expr.Identity i && i.size() == null || e instanceof Expr.Fill f && f.rows() == null;
    }

    private static Object tag(Expr e, Shape contextShape) {
        if (e instanceof Expr.Num n) {
            return n.value(); // Double.equals tells 0.0 from -0.0, as printing does
        }
        if (e instanceof Expr.Var v) {
            return "var " + v.name();
        }
        if (e instanceof Expr.Neg) {
            return "neg";
        }
        if (e instanceof Expr.Transpose) {
            return "transpose";
        }
        if (e instanceof Expr.Binary b) {
            return b.op();
        }
        if (e instanceof Expr.Call c) {
            return c.fn();
        }
        if (e instanceof Expr.Elementwise f) {
            return f.fn();
        }
        if (e instanceof Expr.Identity i) {
            return Arrays.asList("eye", i.size(), i.size() == null ? contextShape : null);
        }
        if (e instanceof Expr.Zeros z) {
            return Arrays.asList("zeros", z.rows(), z.cols());
        }
        if (e instanceof Expr.Fill f) {
            return Arrays.asList("fill", f.matrix(), f.rows(), f.cols(), f.rows() == null ? contextShape : null);
        }
        if (e instanceof Expr.Commutation c) {
            return Arrays.asList("commutation", c.m(), c.n());
        }
        throw new AssertionError(e);
    }

    // ---- shapes: the operators' and functions' own shape rules, on resolved shapes --------

    private Shape computeShape(Expr e, Shape context) {
        if (e instanceof Expr.Num) {
            return Shape.SCALAR;
        }
        if (e instanceof Expr.Var v) {
            Shape s = typing.variables().get(v.name());
            if (s == null) {
                throw new IllegalStateException("unknown variable " + v.name());
            }
            return s;
        }
        if (e instanceof Expr.Neg n) {
            return shape(n.arg());
        }
        if (e instanceof Expr.Transpose t) {
            return shape(t.arg()).transpose();
        }
        if (e instanceof Expr.Binary b) {
            return b.op().resultShape(shape(b.left()), shape(b.right()));
        }
        if (e instanceof Expr.Call c) {
            java.util.List<Shape> args = new java.util.ArrayList<>();
            for (Expr a : c.args()) {
                args.add(shape(a));
            }
            return c.fn().resultShape(c, args);
        }
        if (e instanceof Expr.Elementwise f) {
            return shape(f.arg());
        }
        if (e instanceof Expr.Identity i) {
            return i.size() == null ? context : new Shape(i.size(), i.size());
        }
        if (e instanceof Expr.Zeros z) {
            return new Shape(z.rows(), z.cols());
        }
        if (e instanceof Expr.Fill f) {
            if (f.rows() == null) {
                return context;
            }
            return new Shape(f.rows(), f.matrix() ? f.cols() : Size.ONE);
        }
        if (e instanceof Expr.Commutation c) {
            Size mn = Size.times(c.m(), c.n());
            return new Shape(mn, mn);
        }
        throw new AssertionError(e);
    }

    // ---- printed length: the rules of TextPrinter ----------------------------------------

    static int level(Expr e) {
        if (e instanceof Expr.Binary b) {
            return b.op().precedence();
        }
        if (e instanceof Expr.Neg) {
            return Precedence.UNARY;
        }
        if (e instanceof Expr.Num n) {
            return n.value() < 0 || (n.value() == 0 && Double.doubleToRawLongBits(n.value()) != 0)
                    ? Precedence.UNARY : Precedence.ATOM;
        }
        if (e instanceof Expr.Transpose) {
            return Precedence.POSTFIX;
        }
        return Precedence.ATOM;
    }

    private int computeLength(Expr e) {
        if (e instanceof Expr.Num) {
            return TextPrinter.print(e).length();
        }
        if (e instanceof Expr.Var v) {
            return v.name().length();
        }
        if (e instanceof Expr.Neg n) {
            boolean paren = level(n.arg()) < Precedence.UNARY || n.arg() instanceof Expr.Num;
            return 1 + length(n.arg()) + (paren ? 2 : 0);
        }
        if (e instanceof Expr.Transpose t) {
            return length(t.arg()) + 1 + (level(t.arg()) < Precedence.POSTFIX ? 2 : 0);
        }
        if (e instanceof Expr.Binary b && TextPrinter.meanArgs(b) != null) {
            List<Expr> args = TextPrinter.meanArgs(b); // printed mean(u) or mean(X, k)
            int n = 6 + 2 * (args.size() - 1);
            for (Expr a : args) {
                n += length(a);
            }
            return n;
        }
        if (e instanceof Expr.Binary b) {
            int p = b.op().precedence();
            boolean leftParen;
            boolean rightParen;
            if (b.op().rightAssociative()) {
                leftParen = level(b.left()) < Precedence.POSTFIX;
                rightParen = level(b.right()) < Precedence.UNARY;
            } else {
                leftParen = level(b.left()) < p;
                rightParen = level(b.right()) <= p;
            }
            boolean spaced = b.op() == BinaryOp.ADD || b.op() == BinaryOp.SUB;
            return length(b.left()) + (leftParen ? 2 : 0) + b.op().symbol().length() + (spaced ? 2 : 0)
                    + length(b.right()) + (rightParen ? 2 : 0);
        }
        if (e instanceof Expr.Call c) {
            int n = c.fn().languageName().length() + 2 + 2 * (c.args().size() - 1);
            for (Expr a : c.args()) {
                n += length(a);
            }
            return n;
        }
        if (e instanceof Expr.Elementwise f) {
            return f.fn().languageName().length() + 2 + length(f.arg());
        }
        if (e instanceof Expr.Identity i) {
            return 3 + (i.size() == null ? 0 : i.size().toString().length() + 2);
        }
        if (e instanceof Expr.Zeros z) {
            return 6 + z.rows().toString().length() + 2 + z.cols().toString().length() + 1;
        }
        if (e instanceof Expr.Fill f) {
            return 7 + length(f.value()) + (f.rows() == null ? 0 : 2 + f.rows().toString().length())
                    + (f.cols() == null ? 0 : 2 + f.cols().toString().length()) + 1;
        }
        if (e instanceof Expr.Commutation c) {
            return 12 + c.m().toString().length() + 2 + c.n().toString().length() + 1;
        }
        throw new AssertionError(e);
    }
}
