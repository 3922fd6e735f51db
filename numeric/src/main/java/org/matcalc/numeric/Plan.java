package org.matcalc.numeric;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.matcalc.expr.BinaryOp;
import org.matcalc.expr.Builtin;
import org.matcalc.expr.Decl;
import org.matcalc.expr.Expr;
import org.matcalc.expr.Limits;
import org.matcalc.expr.MatcalcException;
import org.matcalc.expr.MatcalcException.Kind;
import org.matcalc.expr.Shape;
import org.matcalc.expr.Size;
import org.matcalc.expr.SourceMap;
import org.matcalc.expr.TextPrinter;
import org.matcalc.expr.TreeDepth;
import org.matcalc.expr.Typing;

/**
 * One or more expressions compiled for concrete sizes: their distinct subexpressions in
 * evaluation order (equal subtrees are computed once, since {@link Expr} equality is structural,
 * also across the outputs of a plan with several), each with its resolved shape. It is the one
 * interpreter of the language: {@link #run(Backend)} walks the steps on any backend (dense
 * values, {@code ad}'s tape nodes), each primitive's meaning read from its block in
 * {@code numeric.primitives}. Dense runs ({@link #run(Map)}, {@link #runAll}) check every value
 * for non-finite entries and name the subexpression that produced them.
 */
public final class Plan {
    private final SourceMap spans;
    private final List<Expr> steps = new ArrayList<>();
    /** Each step's arguments as step indices, in {@link TreeDepth#children} order. */
    private final List<int[]> args = new ArrayList<>();
    /** Steps by value and shape: equal context-sized leaves (eye, vector(1)) may differ in size. */
    private final Map<Key, Integer> index = new HashMap<>();
    private final List<int[]> shapes = new ArrayList<>();
    /** Each step's shape as typed: size symbols where the plan was typed without values ({@link #symbolic}). */
    private final List<Shape> typedShapes = new ArrayList<>();
    /** Steps that are a power of a matrix (as typed: a size symbol bound to 1 still counts), not of a number. */
    private final BitSet matrixPowers = new BitSet();
    /** The product chains planned in another order than written, as planned. */
    private final List<String> chains = new ArrayList<>();
    /** Each step's structure rule (see {@link Fused}), or null for a step computed as written. */
    private final List<Fused> fused = new ArrayList<>();
    /** Whether structure rules apply (off only to compare with the plain evaluation). */
    private final boolean structured;
    /**
     * Typed with size symbols and planned for the sizes bound in {@code givenSizes}: a plan
     * that code emitters read ({@link #schedule}), whose steps keep their symbolic shapes so the
     * emitted code works at every size. Its entry limit is not checked (it is never run here).
     */
    private final boolean symbolic;
    /** The step of each output. */
    private final int[] outputs;
    private final Map<String, Shape> variables = new LinkedHashMap<>();
    private final Map<String, Decl> decls = new HashMap<>();

    private final Map<String, Integer> givenSizes;

    /**
     * Products that the plan computes from their operands' parts, so that the operand is never
     * formed: a transpose folded into the product (no copy), diag(v) as row or column scaling
     * (an m-vector never becomes an m x m matrix), inv(A)*B as a solve. Each is a named rule.
     */
    public enum Fused {
        TRANSPOSE_TIMES("A'*B: the transpose folded into the product"),
        TIMES_TRANSPOSE("A*B': the transpose folded into the product"),
        SCALE_ROWS("diag(v)*X: rows of X scaled by v"),
        SCALE_COLUMNS("X*diag(v): columns of X scaled by v"),
        SOLVE("inv(A)*B: a solve, A never inverted"),
        INNER("X'*X: one symmetric product of X with itself"),
        ZERO_PRODUCT("zeros*X, X*zeros: zeros, no product (X is still computed, so its domain errors show)"),
        FILL_TIMES("c*ones*X: the column sums of X, repeated; the fill never formed"),
        TIMES_FILL("X*c*ones: the row sums of X, repeated; the fill never formed"),
        IDENTITY_LEFT("eye*X: X itself"),
        IDENTITY_RIGHT("X*eye: X itself"),
        COMMUTE_ROWS("commutation(m, n)*M: the rows of M permuted, the permutation matrix never formed"),
        KRON_TIMES("kron(A, B)*M: vec(B*X*A') for each column vec(X) of M, the Kronecker product never formed"),
        SCALED_INNER("X'*diag(d)*X: X' times the scaled rows of X, neither diag(d) nor X' formed");

        private final String rule;

        Fused(String rule) {
            this.rule = rule;
        }

        public String rule() {
            return rule;
        }
    }

    private Plan(SourceMap spans, Map<String, Integer> givenSizes, int outputs, boolean structured, boolean symbolic) {
        this.spans = spans;
        this.givenSizes = givenSizes;
        this.outputs = new int[outputs];
        this.structured = structured;
        this.symbolic = symbolic;
    }

    static Plan of(Typing typing, SourceMap spans, Map<String, Integer> sizes) {
        return of(List.of(typing), spans, sizes);
    }

    /** A plan whose outputs are the roots of {@code typings}, in order, sharing their equal subexpressions. */
    static Plan of(List<Typing> typings, SourceMap spans, Map<String, Integer> sizes) {
        return of(typings, spans, sizes, true);
    }

    /** As {@link #of(List, SourceMap, Map)}; {@code structured} false evaluates every node as written (for comparison). */
    static Plan of(List<Typing> typings, SourceMap spans, Map<String, Integer> sizes, boolean structured) {
        return of(typings, spans, sizes, structured, false);
    }

    /**
     * A plan of expressions typed with size symbols ({@code Typer.check(e, decls)}), its
     * decisions (product order, which rules apply) taken at the sizes {@code sizes} binds: what
     * code emitters walk, so that generated code inherits the plan's rewrites.
     */
    static Plan symbolic(List<Typing> typings, Map<String, Integer> sizes) {
        return of(typings, SourceMap.EMPTY, sizes, true, true);
    }

    private static Plan of(List<Typing> typings, SourceMap spans, Map<String, Integer> sizes, boolean structured, boolean symbolic) {
        Plan p = new Plan(spans, sizes, typings.size(), structured, symbolic);
        for (int i = 0; i < typings.size(); i++) {
            Typing t = structured ? EvaluationForm.apply(typings.get(i), spans, symbolic ? Map.of() : sizes, p.chains) : typings.get(i);
            for (Map.Entry<String, Shape> v : t.variables().entrySet()) {
                p.variables.putIfAbsent(v.getKey(), v.getValue());
                p.decls.putIfAbsent(v.getKey(), t.declOf(v.getKey()));
            }
            p.outputs[i] = p.add(t.root(), t);
        }
        p.needed();
        if (!symbolic) {
            p.checkSizes();
        }
        p.symbolValues(); // so a published plan is never written again: runs may share it across threads
        return p;
    }

    /** The shape of the (first) result. */
    public int[] shape() {
        return shape(0);
    }

    /** The shape of output {@code i}. */
    public int[] shape(int i) {
        return shapes.get(outputs[i]).clone();
    }

    /** How many outputs {@link #runAll} returns. */
    public int outputs() {
        return outputs.length;
    }

    /** How many distinct subexpressions the plan holds (for all outputs together). */
    public int size() {
        return steps.size();
    }

    /** How many of them a run computes: those read only by structure rules' products are not. */
    public int computed() {
        return needed().cardinality();
    }

    /** The structure rules this plan applies, one entry per step they compute, after the product chains it reorders. */
    public List<String> rewrites() {
        List<String> out = new ArrayList<>(chains);
        for (Fused f : fused) {
            if (f != null) {
                out.add(f.rule());
            }
        }
        return out;
    }

    /** A step's identity: equal trees of the same shape (by size symbol too, in a symbolic plan, so eye(n) and eye(m) stay two). */
    private record Key(Expr expr, int rows, int cols, Shape typed) {
    }

    private Key key(Expr e, Typing typing) {
        Shape s = typing.shapeOf(e);
        return new Key(e, concrete(s.rows(), e), concrete(s.cols(), e), s);
    }

    /** The step computing {@code e}, as typed by {@code typing}, added with its arguments if new. */
    private int add(Expr e, Typing typing) {
        Key k = key(e, typing);
        Integer known = index.get(k);
        if (known != null) {
            return known;
        }
        boolean product = structured && e instanceof Expr.Binary b && b.op() == BinaryOp.MUL && !isScalar(b.left(), typing)
                && !isScalar(b.right(), typing);
        if (product) {
            Integer chain = reordered((Expr.Binary) e, typing);
            if (chain != null) {
                index.put(k, chain);
                return chain;
            }
        }
        List<Expr> children = TreeDepth.children(e);
        int[] childSteps = new int[children.size()];
        for (int c = 0; c < childSteps.length; c++) {
            childSteps[c] = add(children.get(c), typing);
        }
        return addStep(e, k, childSteps, product ? fusedProduct((Expr.Binary) e, typing) : null,
                e instanceof Expr.Binary b && b.op() == BinaryOp.POW && !typing.shapeOf(b.left()).isScalar());
    }

    /** Appends a step; a structure rule's product reads its operands' own arguments (the operand is then skipped unless needed). */
    private int addStep(Expr e, Key k, int[] childSteps, Fused rule, boolean matrixPower) {
        if (rule != null) {
            childSteps = switch (rule) {
                case SOLVE, SCALE_ROWS, TRANSPOSE_TIMES -> new int[] {args.get(childSteps[0])[0], childSteps[1]};
                case SCALE_COLUMNS, TIMES_TRANSPOSE -> new int[] {childSteps[0], args.get(childSteps[1])[0]};
                case ZERO_PRODUCT -> new int[] {steps.get(childSteps[0]) instanceof Expr.Zeros ? childSteps[1] : childSteps[0]};
                case FILL_TIMES -> new int[] {args.get(childSteps[0])[0], childSteps[1]};
                case TIMES_FILL -> new int[] {childSteps[0], args.get(childSteps[1])[0]};
                case INNER, IDENTITY_LEFT, COMMUTE_ROWS -> new int[] {childSteps[1]};
                case IDENTITY_RIGHT -> new int[] {childSteps[0]};
                case KRON_TIMES -> new int[] {args.get(childSteps[0])[0], args.get(childSteps[0])[1], childSteps[1]};
                // (X'*diag(d))*X: read X and d off the left factor's own operands
                case SCALED_INNER -> new int[] {childSteps[1], diagonalOf(childSteps[0])};
            };
        }
        steps.add(e);
        args.add(childSteps);
        fused.add(rule);
        if (matrixPower) {
            matrixPowers.set(steps.size() - 1);
        }
        shapes.add(new int[] {k.rows(), k.cols()});
        typedShapes.add(k.typed());
        index.put(k, steps.size() - 1);
        return steps.size() - 1;
    }

    // ---- matrix-chain order: A*B*C computed in the order of fewest multiplications ----

    /**
     * The step of the product chain e = F1*F2*...*Fk (k >= 3 matrix factors), planned in the
     * order of fewest scalar multiplications when that beats the order written (X'*X*w as
     * X'*(X*w)); null when the written order is already best.
     */
    private Integer reordered(Expr.Binary e, Typing typing) {
        List<Expr> fs = TreeDepth.productFactors(e, x -> isScalar(x, typing));
        int k = fs.size();
        if (k < 3) {
            return null;
        }
        long[] d = new long[k + 1];
        Size[] typed = new Size[k + 1];
        for (int i = 0; i < k; i++) {
            Shape s = typing.shapeOf(fs.get(i));
            d[i] = concrete(s.rows(), fs.get(i));
            d[i + 1] = concrete(s.cols(), fs.get(i));
            typed[i] = s.rows();
            typed[i + 1] = s.cols();
        }
        long[][] cost = new long[k][k];
        int[][] split = new int[k][k];
        for (int len = 2; len <= k; len++) {
            for (int i = 0; i + len - 1 < k; i++) {
                int j = i + len - 1;
                cost[i][j] = Long.MAX_VALUE;
                for (int s = i; s < j; s++) {
                    long c = cost[i][s] + cost[s + 1][j] + d[i] * d[s + 1] * d[j + 1];
                    if (c < cost[i][j]) {
                        cost[i][j] = c;
                        split[i][j] = s;
                    }
                }
            }
        }
        long written = 0;
        for (int j = 1; j < k; j++) {
            written += d[0] * d[j] * d[j + 1]; // ((F1*F2)*F3)*...
        }
        if (cost[0][k - 1] >= written) {
            return null;
        }
        chains.add("matrix chain in the order of fewest multiplications: " + TextPrinter.print(chainExpr(fs, split, 0, k - 1)));
        return chainStep(fs, d, typed, split, 0, k - 1, typing);
    }

    private Expr chainExpr(List<Expr> fs, int[][] split, int i, int j) {
        if (i == j) {
            return fs.get(i);
        }
        int s = split[i][j];
        return new Expr.Binary(BinaryOp.MUL, chainExpr(fs, split, i, s), chainExpr(fs, split, s + 1, j));
    }

    private int chainStep(List<Expr> fs, long[] d, Size[] typed, int[][] split, int i, int j, Typing typing) {
        if (i == j) {
            return add(fs.get(i), typing);
        }
        int s = split[i][j];
        Expr.Binary prod = (Expr.Binary) chainExpr(fs, split, i, j);
        Key k = new Key(prod, (int) d[i], (int) d[j + 1], new Shape(typed[i], typed[j + 1]));
        Integer known = index.get(k);
        if (known != null) {
            return known;
        }
        int[] childSteps = {chainStep(fs, d, typed, split, i, s, typing), chainStep(fs, d, typed, split, s + 1, j, typing)};
        return addStep(prod, k, childSteps, fusedProduct(prod, typing), false);
    }

    /** Every step a run computes fits the entry limit (a diag(v) that only scales rows is never formed). */
    private void checkSizes() {
        BitSet needs = needed();
        for (int i = 0; i < steps.size(); i++) {
            long entries = (long) shapes.get(i)[0] * shapes.get(i)[1];
            if (needs.get(i) && entries > Limits.MAX_ENTRIES) {
                Expr e = steps.get(i);
                throw new MatcalcException(Kind.LIMIT, spans.spanOf(e), TextPrinter.print(e) + " would have " + shapes.get(i)[0]
                        + "x" + shapes.get(i)[1] + " entries; the limit is " + Limits.MAX_ENTRIES);
            }
        }
    }

    /** The step of d in the step of X'*diag(d): planned by the column-scaling rule as (X', d), else as (X', diag(d)). */
    private int diagonalOf(int leftStep) {
        int[] a = args.get(leftStep);
        return fused.get(leftStep) == Fused.SCALE_COLUMNS ? a[1] : args.get(a[1])[0];
    }

    private boolean isScalar(Expr e, Typing typing) {
        Shape s = typing.shapeOf(e);
        return concrete(s.rows(), e) == 1 && concrete(s.cols(), e) == 1;
    }

    /** The structure rule for the product l*r of two matrices, or null (the most specific rule first). */
    private static Fused fusedProduct(Expr.Binary b, Typing typing) {
        Expr l = b.left(), r = b.right();
        if (l instanceof Expr.Zeros || r instanceof Expr.Zeros) {
            return Fused.ZERO_PRODUCT;
        }
        if (l instanceof Expr.Fill) {
            return Fused.FILL_TIMES;
        }
        if (r instanceof Expr.Fill) {
            return Fused.TIMES_FILL;
        }
        if (l instanceof Expr.Identity) {
            return Fused.IDENTITY_LEFT;
        }
        if (r instanceof Expr.Identity) {
            return Fused.IDENTITY_RIGHT;
        }
        if (l instanceof Expr.Commutation) {
            return Fused.COMMUTE_ROWS;
        }
        if (l instanceof Expr.Call c && c.fn() == Builtin.KRON) {
            return Fused.KRON_TIMES;
        }
        if (l instanceof Expr.Transpose t && t.arg().equals(r)) {
            return Fused.INNER;
        }
        if (l instanceof Expr.Binary lb && lb.op() == BinaryOp.MUL && lb.left() instanceof Expr.Transpose t && t.arg().equals(r)
                && lb.right() instanceof Expr.Call c && c.fn() == Builtin.DIAG && typing.shapeOf(c.arg()).isVector()) {
            return Fused.SCALED_INNER;
        }
        if (l instanceof Expr.Call c && c.fn() == Builtin.INV) {
            return Fused.SOLVE;
        }
        if (l instanceof Expr.Call c && c.fn() == Builtin.DIAG && typing.shapeOf(c.arg()).isVector()) {
            return Fused.SCALE_ROWS;
        }
        if (r instanceof Expr.Call c && c.fn() == Builtin.DIAG && typing.shapeOf(c.arg()).isVector()) {
            return Fused.SCALE_COLUMNS;
        }
        if (l instanceof Expr.Transpose) {
            return Fused.TRANSPOSE_TIMES;
        }
        if (r instanceof Expr.Transpose) {
            return Fused.TIMES_TRANSPOSE;
        }
        return null;
    }

    private int concrete(Size s, Expr at) {
        if (s instanceof Size.Fixed f) {
            return f.value();
        }
        if (symbolic && s instanceof Size.Sym sym && givenSizes.containsKey(sym.name())) {
            return givenSizes.get(sym.name());
        }
        if (symbolic && s instanceof Size.Prod p) {
            long v = 1;
            for (Size f : p.factors()) {
                v *= concrete(f, at);
            }
            return (int) Math.min(Integer.MAX_VALUE, v);
        }
        String what = s instanceof Size.Sym sym ? "size " + sym.name() + " has no value; give it (e.g. \"" + sym.name() + "\": 3)"
                : "cannot tell the size of " + TextPrinter.print(at) + " from its context; write it with explicit sizes (e.g. eye(n), vector(1, n))";
        throw new MatcalcException(Kind.REQUEST, spans.spanOf(at), what);
    }

    /**
     * One step as code emitters read it: the subexpression, its arguments (indices of earlier
     * steps, in {@link TreeDepth#children} order, or the operands a structure rule reads), the
     * structure rule computing it (null: as written), its shape as typed (size symbols in a
     * symbolic plan), and whether it is a matrix power.
     */
    public record Step(int index, Expr expr, int[] args, Fused structure, Shape shape, boolean matrixPower) {
    }

    /** The steps a run computes, in evaluation order. */
    public List<Step> schedule() {
        List<Step> out = new ArrayList<>();
        BitSet needs = needed();
        for (int i = 0; i < steps.size(); i++) {
            if (needs.get(i)) {
                out.add(new Step(i, steps.get(i), args.get(i).clone(), fused.get(i), typedShapes.get(i), matrixPowers.get(i)));
            }
        }
        return out;
    }

    /** The step index of output {@code i} (see {@link Step#index}). */
    public int outputStep(int i) {
        return outputs[i];
    }

    /** The variables of the plan with their shapes (as typed), in order of first appearance. */
    public Map<String, Shape> variables() {
        return java.util.Collections.unmodifiableMap(variables);
    }

    /** The declaration each variable was typed with. */
    public Decl declOf(String name) {
        return decls.get(name);
    }

    /** Evaluates on {@code values}, which must have the shapes the plan was compiled for; the first output. */
    public Mat run(Map<String, Mat> values) {
        return (Mat) steps(values)[outputs[0]];
    }

    /**
     * Evaluates every output on {@code values}, each shared subexpression once. Steps run in
     * order of the outputs, so a failure is the one evaluating the outputs one by one would
     * meet first.
     *
     * @return the outputs' values, in the order the expressions were compiled
     */
    public Mat[] runAll(Map<String, Mat> values) {
        Object[] all = steps(values);
        Mat[] result = new Mat[outputs.length];
        for (int i = 0; i < outputs.length; i++) {
            result[i] = (Mat) all[outputs[i]];
        }
        return result;
    }

    private Object[] steps(Map<String, Mat> values) {
        for (Map.Entry<String, Shape> v : variables.entrySet()) {
            Mat m = values.get(v.getKey());
            if (m == null) {
                throw new MatcalcException(Kind.REQUEST, "no value for " + v.getKey() + " (" + v.getValue().describe() + ")");
            }
            checkProperties(v.getKey(), decls.get(v.getKey()), m);
        }
        return walk(Backend.dense(values));
    }

    /**
     * Runs the plan on {@code backend}: the values of its outputs, in order. The backend
     * supplies the variables' values; a dense backend's steps are checked for non-finite
     * entries, and its kernels' argument errors name the step that raised them.
     */
    @SuppressWarnings("unchecked")
    public <V> List<V> run(Backend<V> backend) {
        Object[] all = walk(backend);
        List<V> result = new ArrayList<>();
        for (int o : outputs) {
            result.add((V) all[o]);
        }
        return result;
    }

    /** The steps some output needs: a step read only by structure rules' products is never computed. */
    private BitSet needed;

    private BitSet needed() {
        if (needed == null) {
            BitSet n = new BitSet();
            java.util.ArrayDeque<Integer> todo = new java.util.ArrayDeque<>();
            for (int o : outputs) {
                todo.push(o);
            }
            while (!todo.isEmpty()) {
                int i = todo.pop();
                if (!n.get(i)) {
                    n.set(i);
                    for (int a : args.get(i)) {
                        todo.push(a);
                    }
                }
            }
            needed = n;
        }
        return needed;
    }

    /** Steps whose result or an operand has more entries than this are large kernels. */
    private static final long LARGE_ENTRIES = 250_000;

    private boolean large(int i) {
        if ((long) shapes.get(i)[0] * shapes.get(i)[1] > LARGE_ENTRIES) {
            return true;
        }
        for (int a : args.get(i)) {
            if (a >= 0 && a < i && (long) shapes.get(a)[0] * shapes.get(a)[1] > LARGE_ENTRIES) {
                return true;
            }
        }
        return false;
    }

    private <V> Object[] walk(Backend<V> backend) {
        Object[] out = new Object[steps.size()];
        BitSet needs = needed();
        for (int i = 0; i < steps.size(); i++) {
            if (!needs.get(i)) {
                continue;
            }
            Limits.checkInterrupted();
            if (large(i)) {
                Limits.expensiveAhead(); // one kernel on large operands: the server moves the request to its heavy lane first
            }
            Expr e = steps.get(i);
            V r;
            try {
                r = step(i, out, backend);
            } catch (IllegalArgumentException | ArithmeticException ex) {
                if (!backend.checksValues()) {
                    throw ex;
                }
                throw new MatcalcException(Kind.EVALUATION, spans.spanOf(e), "cannot evaluate " + brief(e) + ": " + ex.getMessage());
            }
            // inputs are the caller's, checked where they were read (JSON, CSV), never again per run
            Mat dense = e instanceof Expr.Var ? null : backend.checked(r);
            int bad = dense == null ? -1 : dense.firstNonFinite();
            if (bad >= 0) {
                throw new MatcalcException(Kind.EVALUATION, spans.spanOf(e), "the value of " + brief(e)
                        + " is not finite (" + dense.at(bad) + "); check that the inputs are in its domain");
            }
            out[i] = r;
        }
        return out;
    }

    private static String brief(Expr e) {
        String s = TextPrinter.print(e);
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    /** Step {@code step} on the backend, its arguments' values already in {@code out}. */
    private <V> V step(int step, Object[] out, Backend<V> b) {
        Expr e = steps.get(step);
        int[] shape = shapes.get(step);
        int[] argSteps = args.get(step);
        Fused rule = fused.get(step);
        if (rule != null) {
            @SuppressWarnings("unchecked")
            V x = argSteps.length > 0 ? (V) out[argSteps[0]] : null, y = argSteps.length > 1 ? (V) out[argSteps[1]] : null,
                    z = argSteps.length > 2 ? (V) out[argSteps[2]] : null;
            return switch (rule) {
                case ZERO_PRODUCT -> b.constant(Mat.zeros(shape[0], shape[1]));
                // c*ones(r, k)*X and X*c*ones(k, q), with k read off X's step
                case FILL_TIMES -> b.fillTimes(x, y, shape[0], shapes.get(argSteps[1])[0]);
                case TIMES_FILL -> b.timesFill(x, y, shapes.get(argSteps[0])[1], shape[1]);
                case IDENTITY_LEFT, IDENTITY_RIGHT -> x;
                case COMMUTE_ROWS -> {
                    int m = commutationRows((Expr.Commutation) ((Expr.Binary) e).left());
                    yield b.commuteRows(x, m, shape[0] / Math.max(1, m));
                }
                case KRON_TIMES -> b.kronTimes(x, y, z);
                case INNER -> b.inner(x);
                case SCALED_INNER -> b.scaledInner(x, y);
                case TRANSPOSE_TIMES -> b.transposeTimes(x, y);
                case TIMES_TRANSPOSE -> b.timesTranspose(x, y);
                case SCALE_ROWS -> b.scaleRows(x, y);
                case SCALE_COLUMNS -> b.scaleColumns(x, y);
                case SOLVE -> b.solve(x, y);
            };
        }
        return e.accept(new Expr.Visitor<V>() {
            /** The value of the step's k-th argument (children order). */
            @SuppressWarnings("unchecked")
            private V arg(int k) {
                return (V) out[argSteps[k]];
            }

            public V num(Expr.Num n) {
                return b.constant(Mat.scalar(n.value()));
            }

            public V var(Expr.Var v) {
                return b.variable(v.name());
            }

            public V neg(Expr.Neg n) {
                return b.negate(arg(0));
            }

            public V transpose(Expr.Transpose t) {
                return b.transpose(arg(0));
            }

            public V binary(Expr.Binary x) {
                V l = arg(0), r = arg(1);
                return switch (x.op()) {
                    case ADD -> b.plus(l, r);
                    case SUB -> b.minus(l, r);
                    case MUL -> b.times(l, r);
                    case DIV -> b.divide(l, r);
                    case HADAMARD -> b.hadamard(l, r);
                    case HADAMARD_DIV -> b.hadamardDiv(l, r);
                    case POW -> matrixPowers.get(step) ? b.matrixPower(l, r, x) : b.elementPower(l, r);
                    case ELEM_POW -> b.elementPower(l, r);
                };
            }

            public V call(Expr.Call c) {
                List<V> x = new ArrayList<>(argSteps.length);
                for (int k = 0; k < argSteps.length; k++) {
                    x.add(arg(k));
                }
                return b.call(c.fn(), x);
            }

            public V elementwise(Expr.Elementwise f) {
                return b.map(f.fn(), arg(0));
            }

            public V identity(Expr.Identity i) {
                return b.constant(Mat.eye(shape[0]));
            }

            public V zeros(Expr.Zeros z) {
                return b.constant(Mat.zeros(shape[0], shape[1]));
            }

            public V fill(Expr.Fill f) {
                return b.fill(arg(0), shape[0], shape[1]);
            }

            public V commutation(Expr.Commutation c) {
                int m = commutationRows(c);
                return b.constant(Kernels.commutation(m, shape[0] / Math.max(1, m)));
            }
        });
    }

    /** The m of commutation(m, n), whose side is m*n: a number, a size symbol bound by some variable, or a product of those. */
    private int commutationRows(Expr.Commutation c) {
        return concreteSymbol(c.m());
    }

    private int concreteSymbol(Size s) {
        if (s instanceof Size.Fixed f) {
            return f.value();
        }
        if (s instanceof Size.Prod p) {
            long v = 1;
            for (Size f : p.factors()) {
                v *= concreteSymbol(f);
            }
            return (int) Math.min(Integer.MAX_VALUE, v);
        }
        Integer v = symbolValues().get(s.toString());
        if (v == null) {
            throw new MatcalcException(Kind.REQUEST, "size " + s + " has no value");
        }
        return v;
    }

    private Map<String, Integer> symbolValues;

    /** Values of size symbols, read off the variables' resolved shapes against their declarations. */
    private Map<String, Integer> symbolValues() {
        if (symbolValues == null) {
            Map<String, Integer> m = new HashMap<>(givenSizes);
            for (Map.Entry<String, Shape> v : variables.entrySet()) {
                Decl d = decls.get(v.getKey());
                record(m, d.rows(), v.getValue().rows());
                record(m, d.cols(), v.getValue().cols());
            }
            symbolValues = m;
        }
        return symbolValues;
    }

    private static void record(Map<String, Integer> m, Size declared, Size resolved) {
        if (declared instanceof Size.Sym s && resolved instanceof Size.Fixed f) {
            m.put(s.name(), f.value());
        }
    }

    /** Values of structured variables must have their structure (CONTRACT.md §2). */
    private void checkProperties(String name, Decl d, Mat m) {
        if (d.isSymmetric() && !Kernels.isSymmetric(m, 1e-9)) {
            throw new MatcalcException(Kind.REQUEST, "the value of " + name + " is not symmetric, but it is declared " + d.describe());
        }
        if (d.has(Decl.Property.SPD)) {
            try {
                Kernels.cholesky(m);
            } catch (IllegalArgumentException ex) {
                throw new MatcalcException(Kind.REQUEST, "the value of " + name + " is not positive definite, but it is declared " + d.describe());
            }
        }
        if (d.has(Decl.Property.DIAGONAL)) {
            for (int i = 0; i < m.rows(); i++) {
                for (int j = 0; j < m.cols(); j++) {
                    if (i != j && m.get(i, j) != 0) {
                        throw new MatcalcException(Kind.REQUEST, "the value of " + name + " has a nonzero entry off the diagonal at ("
                                + (i + 1) + "," + (j + 1) + "), but it is declared " + d.describe());
                    }
                }
            }
        }
        if (d.has(Decl.Property.SIMPLEX) && !(Math.abs(m.sum() - 1) <= 1e-9 * Math.max(1, m.size()))) {
            throw new MatcalcException(Kind.REQUEST, "the entries of " + name + " sum to " + m.sum()
                    + ", but it is declared " + d.describe() + " (entries summing to one)");
        }
        if (d.has(Decl.Property.ORTHOGONAL)) {
            Mat qtq = m.transposeTimes(m);
            if (!qtq.approxEquals(Mat.eye(m.cols()), 1e-8)) {
                throw new MatcalcException(Kind.REQUEST, "the value of " + name + " is not orthogonal (Q'*Q != I), but it is declared " + d.describe());
            }
        }
    }
}
