package org.matcalc.minimize;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.matcalc.diff.Derivatives;
import org.matcalc.diff.Layout;
import org.matcalc.expr.BinaryOp;
import org.matcalc.expr.Builtin;
import org.matcalc.expr.Decl;
import org.matcalc.expr.Declarations;
import org.matcalc.expr.Elaboration;
import org.matcalc.expr.Expr;
import org.matcalc.expr.MatcalcException;
import org.matcalc.expr.MatcalcException.Kind;
import org.matcalc.expr.Parsed;
import org.matcalc.expr.Parser;
import org.matcalc.expr.Shape;
import org.matcalc.expr.Size;
import org.matcalc.expr.SourceMap;
import org.matcalc.expr.TextPrinter;
import org.matcalc.expr.Typer;
import org.matcalc.expr.Typing;
import org.matcalc.methods.optimize.Objective;
import org.matcalc.numeric.Evaluator;
import org.matcalc.numeric.Mat;
import org.matcalc.numeric.Plan;

/**
 * An objective that is a sum over the rows of its data plus a part without data,
 * {@code f(w) = sum_i g(x_i, y_i, w) + r(w)}, found symbolically: the data matrices that share the
 * row count of the first data matrix ("row data") enter only through row-wise operations
 * ({@code X*w}, element-wise functions of such, sums and differences with scalars) reduced over
 * the rows ({@code sum(...)}, {@code y'*(...)}, {@code norm2(...)^2}, {@code norm1(...)}); other
 * data (sized otherwise) is the same on every block. The row part evaluated on any partition of
 * the rows into blocks, summed, plus the rest evaluated once, is the objective, and so for the
 * gradient: what a cluster computes partition by partition, and a single machine block by block
 * in bounded memory. Anything else (a whole-matrix function of the data such as
 * {@code inv(X'*X)} inside a nonlinearity, {@code det(X)}, {@code norm2(X*w - y)} without the
 * square) is refused, naming the subexpression and why.
 */
public final class Separable {
    private final String wrt;
    private final Decl wrtDecl;
    private final Declarations decls;
    private final Set<String> rowData;
    private final Map<String, Mat> otherData;
    private final Expr rowPart;
    private final Expr rest;
    private final Expr rowGradient;
    private final Expr restGradient;
    private final int rows;
    private final int cols;
    private final Map<Integer, Plan> plans = new HashMap<>();
    private final Map<Integer, Plan> hvpPlans = new HashMap<>();
    private Plan restPlan;
    private Plan restHvpPlan;
    /** The direction's name in the Hessian-vector products, and the products (built on first use). */
    private final String direction;
    private Expr rowHvp;
    private Expr restHvp;

    private Separable(String wrt, Decl wrtDecl, Declarations decls, Set<String> rowData, Map<String, Mat> otherData,
                      Expr rowPart, Expr rest, Expr rowGradient, Expr restGradient) {
        this.wrt = wrt;
        this.wrtDecl = wrtDecl;
        this.decls = decls;
        this.rowData = rowData;
        this.otherData = otherData;
        this.rowPart = rowPart;
        this.rest = rest;
        this.rowGradient = rowGradient;
        this.restGradient = restGradient;
        this.rows = ((Size.Fixed) wrtDecl.rows()).value();
        this.cols = ((Size.Fixed) wrtDecl.cols()).value();
        String d = "dir_" + wrt;
        while (decls.get(d).isPresent()) {
            d = d + "_";
        }
        this.direction = d;
    }

    /**
     * Splits {@code expression} for data of the given shapes (the whole data's, rows included).
     *
     * @param dataShapes every data name with its full shape; the names with the row count of the
     *                   first data matrix (the first data if none is a matrix) are split by rows
     * @param otherData  the values of the data that is not split by rows (the rest may be omitted)
     * @throws MatcalcException if the objective is not separable (the message names the part and why),
     *                          or the variable is structured
     */
    public static Separable of(String expression, Declarations given, String wrt, Map<String, Shape> dataShapes,
                               Map<String, Mat> otherData) {
        int rowCount = rowCount(dataShapes);
        Set<String> rowData = new LinkedHashSet<>();
        for (Map.Entry<String, Shape> d : dataShapes.entrySet()) {
            if (d.getValue().rows() instanceof Size.Fixed f && f.value() == rowCount || d.getValue().rows() == Size.ONE && rowCount == 1) {
                rowData.add(d.getKey());
            }
        }
        return of(expression, given, wrt, dataShapes, rowData, otherData);
    }

    /** As {@link #of(String, Declarations, String, Map, Map)}, with the row data named (those that share the rows of a table). */
    public static Separable of(String expression, Declarations given, String wrt, Map<String, Shape> dataShapes,
                               Set<String> rowData, Map<String, Mat> otherData) {
        Parsed parsed = Parser.parse(expression);
        // the full problem's typing gives the variable's size (as minimize reads it)
        Map<String, Shape> shapes = new LinkedHashMap<>(dataShapes);
        Declarations concrete = given;
        for (Map.Entry<String, Shape> d : dataShapes.entrySet()) {
            if (given.get(d.getKey()).isEmpty()) {
                concrete = concrete.with(d.getKey(), declFromShape(d.getKey(), d.getValue()));
            }
        }
        Elaboration.Elaborated elaborated = Elaboration.of(parsed, concrete);
        parsed = elaborated.parsed();
        concrete = elaborated.decls();
        Typing full = Typer.check(parsed.expr(), concrete, parsed.spans(), Map.of(), shapes);
        Shape x = full.variables().get(wrt);
        if (x == null) {
            throw new MatcalcException(Kind.REQUEST, wrt + " does not appear in the objective");
        }
        if (!(x.rows() instanceof Size.Fixed) || !(x.cols() instanceof Size.Fixed)) {
            throw new MatcalcException(Kind.REQUEST, "cannot tell the size of " + wrt + " from the data; declare it");
        }
        Decl declared = full.declOf(wrt);
        if (declared.isSymmetric() || declared.has(Decl.Property.DIAGONAL) || declared.has(Decl.Property.ORTHOGONAL)
                || declared.has(Decl.Property.SIMPLEX)) {
            throw new MatcalcException(Kind.REQUEST, wrt + " is declared " + declared.describe()
                    + "; a separable objective is minimised over an unconstrained variable");
        }
        Decl wrtDecl = new Decl(declared.kind(), x.rows(), x.cols(), Set.of(), false);

        // the row data get one size symbol for their rows, so that blocks of any length type
        String rowsName = freshSizeName(given);
        Declarations decls = concrete.with(wrt, wrtDecl);
        for (String name : rowData) {
            Decl d = decls.get(name).orElseThrow();
            decls = decls.with(name, new Decl(d.kind() == Decl.VarKind.SCALAR ? Decl.VarKind.VECTOR : d.kind(),
                    Size.sym(rowsName), fixed(dataShapes.get(name).cols()), d.properties(), d.constant()));
        }
        Typing t = Typer.check(parsed.expr(), decls);
        if (!t.shape().isScalar()) {
            throw new MatcalcException(Kind.REQUEST, "the objective must be a scalar; this one is " + t.shape().describe());
        }
        Splitter s = new Splitter(t, rowData, parsed.spans());
        s.terms(parsed.expr(), false);
        Expr rowPart = sum(s.rowTerms);
        Expr rest = sum(s.restTerms);
        if (rowPart == null) {
            throw new MatcalcException(Kind.REQUEST, "the objective has no sum over the rows of the data; minimise it on one machine");
        }
        Expr rowGradient = Derivatives.derive(rowPart, decls, wrt, 1, Layout.MIXED).expr();
        Expr restGradient = rest == null || !mentions(rest, wrt) ? null : Derivatives.derive(rest, decls, wrt, 1, Layout.MIXED).expr();
        return new Separable(wrt, wrtDecl, decls, java.util.Collections.unmodifiableSet(new LinkedHashSet<>(rowData)), Map.copyOf(otherData), rowPart, rest, rowGradient, restGradient);
    }

    /** The data names split by rows. */
    public Set<String> rowData() {
        return rowData;
    }

    /** The sum over rows, as an expression evaluated on each block. */
    public String rowPart() {
        return TextPrinter.print(rowPart);
    }

    /** The part without row data (evaluated once), or null. */
    public String rest() {
        return rest == null ? null : TextPrinter.print(rest);
    }

    /** The name of the variable minimised over. */
    public String variable() {
        return wrt;
    }

    /** How many unknowns: the entries of the variable. */
    public int dimension() {
        return rows * cols;
    }

    /** The number of rows of the variable. */
    public int variableRows() {
        return rows;
    }

    /** The number of columns of the variable. */
    public int variableCols() {
        return cols;
    }

    /** Value and gradient of the row part on one block of rows (its values for the row data), at the variable's value w. */
    public Mat[] onBlock(Map<String, Mat> block, Mat w) {
        Map<String, Mat> values = new HashMap<>(block);
        values.putAll(otherData);
        values.put(wrt, w);
        int n = block.values().iterator().next().rows();
        Plan p;
        synchronized (plans) {
            p = plans.computeIfAbsent(n, k -> Evaluator.compile(List.of(rowPart, rowGradient), decls, SourceMap.EMPTY,
                    Evaluator.shapesOf(values), Map.of()));
        }
        return p.runAll(values);
    }

    /** Value and gradient of the part without row data at w (zeros when there is none). */
    public Mat[] rest(Mat w) {
        if (rest == null) {
            return new Mat[] {Mat.scalar(0), Mat.zeros(rows, cols)};
        }
        Map<String, Mat> values = new HashMap<>(otherData);
        values.put(wrt, w);
        synchronized (plans) {
            if (restPlan == null) {
                restPlan = Evaluator.compile(restGradient == null ? List.of(rest) : List.of(rest, restGradient), decls, SourceMap.EMPTY,
                        Evaluator.shapesOf(values), Map.of());
            }
        }
        Mat[] r = restPlan.runAll(values);
        return r.length == 2 ? r : new Mat[] {r[0], Mat.zeros(rows, cols)};
    }

    /** The Hessian of the row part on one block, at w, applied to v (for Newton-CG: summed over blocks as gradients are). */
    public Mat hvpOnBlock(Map<String, Mat> block, Mat w, Mat v) {
        Map<String, Mat> values = new HashMap<>(block);
        values.putAll(otherData);
        values.put(wrt, w);
        values.put(direction, v);
        int n = block.values().iterator().next().rows();
        Plan p;
        synchronized (plans) {
            if (rowHvp == null) {
                rowHvp = Derivatives.hvp(rowPart, decls, wrt, direction);
            }
            p = hvpPlans.computeIfAbsent(n, k -> Evaluator.compile(List.of(rowHvp), decls.with(direction, wrtDecl), SourceMap.EMPTY,
                    Evaluator.shapesOf(values), Map.of()));
        }
        return p.run(values);
    }

    /** The Hessian of the part without row data at w applied to v (zeros when there is none). */
    public Mat hvpRest(Mat w, Mat v) {
        if (rest == null || !mentions(rest, wrt)) {
            return Mat.zeros(rows, cols);
        }
        Map<String, Mat> values = new HashMap<>(otherData);
        values.put(wrt, w);
        values.put(direction, v);
        synchronized (plans) {
            if (restHvpPlan == null) {
                restHvp = Derivatives.hvp(rest, decls, wrt, direction);
                restHvpPlan = Evaluator.compile(List.of(restHvp), decls.with(direction, wrtDecl), SourceMap.EMPTY,
                        Evaluator.shapesOf(values), Map.of());
            }
        }
        return restHvpPlan.run(values);
    }

    /** Hessian-vector products over blocks in memory: the single-machine form of the cluster's sum. */
    public org.matcalc.methods.optimize.NewtonCg.HessianTimes hessianTimes(List<Map<String, Mat>> blocks) {
        return (x, v) -> {
            Mat w = unpack(x), d = unpack(v);
            Mat h = hvpRest(w, d);
            for (Map<String, Mat> b : blocks) {
                h = h.plus(hvpOnBlock(b, w, d));
            }
            return pack(h);
        };
    }

    /** The variable's value from the unknowns (column-major, as minimize packs a plain variable). */
    public Mat unpack(double[] x) {
        return Mat.unvec(Mat.column(x), rows, cols);
    }

    /** The unknowns of a value of the variable: vec, column-major. */
    public double[] pack(Mat v) {
        return v.vec().toRowMajor();
    }

    /**
     * The objective over blocks held in memory (each a map from the row data's names to their rows):
     * each block's value and gradient, summed, plus the rest's. The single-machine form of what the
     * cluster computes partition by partition.
     */
    public Objective over(List<Map<String, Mat>> blocks) {
        return (x, gradient) -> {
            Mat w = unpack(x);
            Mat[] total = rest(w);
            double f = total[0].scalarValue();
            Mat g = total[1];
            for (Map<String, Mat> b : blocks) {
                Mat[] fg = onBlock(b, w);
                f += fg[0].scalarValue();
                g = g.plus(fg[1]);
            }
            System.arraycopy(pack(g), 0, gradient, 0, gradient.length);
            return f;
        };
    }

    /** Splits row data into blocks of at most {@code blockRows} rows (the other data is not in the blocks). */
    public List<Map<String, Mat>> blocks(Map<String, Mat> data, int blockRows) {
        int total = data.get(rowData.iterator().next()).rows();
        Map<String, double[]> all = new HashMap<>(); // each matrix's entries read once
        for (String name : rowData) {
            all.put(name, data.get(name).toRowMajor());
        }
        List<Map<String, Mat>> out = new ArrayList<>();
        for (int from = 0; from < total; from += blockRows) {
            int to = Math.min(total, from + blockRows);
            Map<String, Mat> b = new LinkedHashMap<>();
            for (String name : rowData) {
                int cols = data.get(name).cols();
                b.put(name, Mat.rowMajor(to - from, cols, java.util.Arrays.copyOfRange(all.get(name), from * cols, to * cols)));
            }
            out.add(b);
        }
        return out;
    }

    // ---- the split ----

    /** Walks the objective's sum of terms, sorting each into the row part or the rest, or refusing it. */
    private static final class Splitter {
        final Typing typing;
        final Set<String> rowData;
        final SourceMap spans;
        final List<Expr> rowTerms = new ArrayList<>();
        final List<Expr> restTerms = new ArrayList<>();

        Splitter(Typing typing, Set<String> rowData, SourceMap spans) {
            this.typing = typing;
            this.rowData = rowData;
            this.spans = spans;
        }

        void terms(Expr e, boolean negated) {
            if (e instanceof Expr.Binary b && (b.op() == BinaryOp.ADD || b.op() == BinaryOp.SUB)) {
                terms(b.left(), negated);
                terms(b.right(), negated ^ (b.op() == BinaryOp.SUB));
                return;
            }
            Expr term = negated ? new Expr.Neg(e) : e;
            if (!usesRows(e)) {
                restTerms.add(term);
                return;
            }
            String why = separable(e);
            if (why != null) {
                throw new MatcalcException(Kind.REQUEST, spans.spanOf(e), "not separable over the rows of the data: "
                        + TextPrinter.print(e) + " " + why);
            }
            rowTerms.add(term);
        }

        /** Null when the scalar e is a sum over rows (times data-free scalars); else why not. */
        String separable(Expr e) {
            if (e instanceof Expr.Neg n) {
                return separable(n.arg());
            }
            if (e instanceof Expr.Binary b && b.op() == BinaryOp.MUL && scalar(b.left()) && scalar(b.right())) {
                if (!usesRows(b.left())) {
                    return separable(b.right());
                }
                if (!usesRows(b.right())) {
                    return separable(b.left());
                }
                return "multiplies two sums over the rows (a product of sums is not a sum)";
            }
            if (e instanceof Expr.Binary b && b.op() == BinaryOp.DIV && !usesRows(b.right())) {
                return separable(b.left());
            }
            if (e instanceof Expr.Binary b && (b.op() == BinaryOp.ADD || b.op() == BinaryOp.SUB)) {
                String l = usesRows(b.left()) ? separable(b.left()) : null;
                return l != null ? l : usesRows(b.right()) ? separable(b.right()) : null;
            }
            if (e instanceof Expr.Call c && (c.fn() == Builtin.SUM || c.fn() == Builtin.NORM1)) {
                return rowwise(c.arg()) ? null : "(its argument is not computed row by row: " + brief(c.arg()) + ")";
            }
            if (e instanceof Expr.Binary b && (b.op() == BinaryOp.POW || b.op() == BinaryOp.ELEM_POW)
                    && b.left() instanceof Expr.Call c && c.fn() == Builtin.NORM2 && b.right() instanceof Expr.Num k && k.value() == 2) {
                return rowwise(c.arg()) ? null : "(its argument is not computed row by row: " + brief(c.arg()) + ")";
            }
            if (e instanceof Expr.Call c && c.fn() == Builtin.NORM2) {
                return "(a norm without its square is not a sum over rows; norm2(...)^2 is)";
            }
            if (e instanceof Expr.Binary b && b.op() == BinaryOp.MUL && innerProductOverRows(b)) {
                return null; // y'*(X*w) however parenthesised: a sum over rows of y_i (X*w)_i
            }
            return "(the data must enter through row-by-row operations reduced over the rows: sum(...), y'*(...), "
                    + "norm2(...)^2 or norm1(...))";
        }

        /**
         * Whether the product chain f1*...*fk (a scalar) is a'*r with a and r row-wise columns: some
         * fj is the transpose of row data's function, the factors before it and after f(j+1) are
         * free of row data, and f(j+1) is row-wise (y'*X*w, w'*X'*y).
         */
        boolean innerProductOverRows(Expr.Binary product) {
            List<Expr> fs = org.matcalc.expr.TreeDepth.productFactors(product, this::scalar);
            for (int j = 0; j + 1 < fs.size(); j++) {
                boolean before = fs.subList(0, j).stream().noneMatch(this::usesRows);
                boolean after = fs.subList(j + 2, fs.size()).stream().noneMatch(this::usesRows);
                if (before && after && rowwiseTransposed(fs.get(j)) && rowwise(fs.get(j + 1))) {
                    return true;
                }
            }
            return false;
        }

        /** Whether e' is row-wise: e = r' for a row-wise r, or c*r' with c free of row data. */
        boolean rowwiseTransposed(Expr e) {
            if (e instanceof Expr.Transpose t) {
                return rowwise(t.arg());
            }
            if (e instanceof Expr.Neg n) {
                return rowwiseTransposed(n.arg());
            }
            if (e instanceof Expr.Binary b && b.op() == BinaryOp.MUL) {
                return !usesRows(b.left()) && rowwiseTransposed(b.right()) || scalar(b.right()) && !usesRows(b.right()) && rowwiseTransposed(b.left());
            }
            return false;
        }

        /** Whether row i of e depends only on row i of the row data. */
        boolean rowwise(Expr e) {
            if (e instanceof Expr.Var v) {
                return rowData.contains(v.name());
            }
            if (e instanceof Expr.Fill) {
                return true; // the same in every row
            }
            if (e instanceof Expr.Neg n) {
                return rowwise(n.arg());
            }
            if (e instanceof Expr.Elementwise f) {
                return rowwise(f.arg());
            }
            if (e instanceof Expr.Binary b) {
                Expr l = b.left(), r = b.right();
                return switch (b.op()) {
                    case ADD, SUB, HADAMARD, HADAMARD_DIV, ELEM_POW ->
                            rowwise(l) && (rowwise(r) || constantScalar(r)) || constantScalar(l) && rowwise(r);
                    case MUL -> rowwise(l) && !usesRows(r) || constantScalar(l) && rowwise(r);
                    case DIV -> rowwise(l) && constantScalar(r);
                    case POW -> false;
                };
            }
            return false;
        }

        boolean constantScalar(Expr e) {
            return scalar(e) && !usesRows(e);
        }

        boolean scalar(Expr e) {
            return typing.shapeOf(e).isScalar();
        }

        boolean usesRows(Expr e) {
            return mentionsAny(e, rowData);
        }
    }

    /** t1 + t2 - t3 ... of signed terms (a negated term is subtracted), or null for none. */
    private static Expr sum(List<Expr> terms) {
        Expr out = null;
        for (Expr t : terms) {
            boolean minus = t instanceof Expr.Neg;
            Expr e = minus ? ((Expr.Neg) t).arg() : t;
            out = out == null ? t : new Expr.Binary(minus ? BinaryOp.SUB : BinaryOp.ADD, out, e);
        }
        return out;
    }

    private static String brief(Expr e) {
        String s = TextPrinter.print(e);
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    static boolean mentions(Expr e, String name) {
        return mentionsAny(e, Set.of(name));
    }

    static boolean mentionsAny(Expr e, Set<String> names) {
        if (e instanceof Expr.Var v) {
            return names.contains(v.name());
        }
        for (Expr c : org.matcalc.expr.TreeDepth.children(e)) {
            if (mentionsAny(c, names)) {
                return true;
            }
        }
        return false;
    }

    private static int rowCount(Map<String, Shape> dataShapes) {
        if (dataShapes.isEmpty()) {
            throw new MatcalcException(Kind.REQUEST, "a separable objective needs data to split by rows");
        }
        for (Shape s : dataShapes.values()) {
            if (!s.isVector() && !s.isScalar()) {
                return fixed(s.rows()).value();
            }
        }
        return fixed(dataShapes.values().iterator().next().rows()).value();
    }

    private static Size.Fixed fixed(Size s) {
        if (s instanceof Size.Fixed f) {
            return f;
        }
        if (s == Size.ONE) {
            return new Size.Fixed(1);
        }
        throw new IllegalArgumentException("data shapes are concrete: " + s);
    }

    private static String freshSizeName(Declarations given) {
        Set<String> used = new java.util.HashSet<>();
        for (Decl d : given.asMap().values()) {
            used.add(String.valueOf(d.rows()));
            used.add(String.valueOf(d.cols()));
        }
        String name = "rows";
        while (used.contains(name)) {
            name = name + "_";
        }
        return name;
    }

    private static Decl declFromShape(String name, Shape s) {
        if (s.isScalar()) {
            return Decl.scalar();
        }
        Decl.VarKind k = Declarations.kindByLetter(name);
        if (k == Decl.VarKind.SCALAR || k == Decl.VarKind.VECTOR) {
            k = s.isColumn() ? Decl.VarKind.VECTOR : Decl.VarKind.MATRIX;
        }
        return new Decl(k, s.rows(), s.cols(), Set.of(), false);
    }
}
