package org.matcalc.minimize;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.matcalc.diff.Derivative;
import org.matcalc.diff.Derivatives;
import org.matcalc.diff.Layout;
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
import org.matcalc.numeric.Evaluator;
import org.matcalc.numeric.Mat;
import org.matcalc.numeric.Plan;
import org.matcalc.methods.optimize.Hessian;
import org.matcalc.methods.optimize.Objective;

/**
 * A scalar objective written in the language, with its data fixed, as a function of one
 * variable: the objective and its symbolic gradient compiled once, together, to one evaluation
 * {@link Plan} for the data's sizes (so what they share, such as {@code X*w} in logistic
 * regression, is computed once), then run at every trial point; the Hessian on demand.
 *
 * <p>The unknowns are the variable's free entries, packed into a {@code double[]}: all entries in
 * column-major order (vec) for a plain variable; for a {@code symmetric(n)} or {@code spd(n)}
 * variable the upper triangle scaled so that the packing is an isometry ("svec": diagonal
 * entries as they are, off-diagonal ones times sqrt(2)), so the solver's gradient norm is the
 * Frobenius norm of the symmetric gradient of CONTRACT.md §5 and the n(n+1)/2 unknowns are
 * truly independent (Newton's system stays nonsingular); for a {@code diagonal(n)} variable its
 * diagonal.
 *
 * <p>Points where the objective cannot be evaluated (a non-finite value, a singular matrix, an
 * {@code spd} variable whose Cholesky factorisation fails) give {@code +Infinity} from
 * {@link #objective()}, which the line searches treat as a step that went too far.
 */
public final class Problem {
    /** How the variable's entries map to the unknowns. */
    public enum Structure {
        /** every entry is an unknown */
        FULL,
        /** the upper triangle, mirrored */
        SYMMETRIC,
        /** the diagonal */
        DIAGONAL
    }

    private static final double SQRT2 = Math.sqrt(2);

    private final Parsed parsed;
    private final String wrt;
    private final Declarations decls;
    private final Map<String, Mat> data;
    private final Map<String, Shape> shapes;
    private final int rows;
    private final int cols;
    private final Decl wrtDecl;
    private final Structure structure;
    private final Derivative gradient;
    /** With source positions, for values asked directly (errors point into the objective). */
    private final Plan valuePlan;
    /** The value with data-only subexpressions computed once: the solvers' hot path. */
    private final Plan fastValuePlan;
    private final Plan gradientPlan;
    /** Value and gradient in one plan, sharing their common steps: the solvers' objective. */
    private final Plan valueAndGradientPlan;
    private final PlanRewrites.Constants constants;
    private Derivative hessian;
    private Plan hessianPlan;
    private MatcalcException hessianRefusal;
    private int evaluations;
    private String lastFailure;

    private Problem(Parsed parsed, String wrt, Declarations decls, Map<String, Mat> data, Map<String, Shape> shapes,
                    int rows, int cols, Decl wrtDecl) {
        this.parsed = parsed;
        this.wrt = wrt;
        this.decls = decls;
        this.data = data;
        this.shapes = shapes;
        this.rows = rows;
        this.cols = cols;
        this.wrtDecl = wrtDecl;
        this.structure = wrtDecl.isSymmetric() ? Structure.SYMMETRIC
                : wrtDecl.has(Decl.Property.DIAGONAL) ? Structure.DIAGONAL : Structure.FULL;
        this.valuePlan = Evaluator.compile(parsed.expr(), decls, parsed.spans(), shapes, Map.of());
        this.gradient = Derivatives.derive(parsed.expr(), decls, wrt, 1, Layout.MIXED);
        this.constants = new PlanRewrites.Constants(wrt, data);
        this.fastValuePlan = constants.compile(parsed.expr(), decls, shapes);
        this.gradientPlan = constants.compile(gradient.expr(), gradient.declarations(), shapes);
        // The gradient's declarations are the objective's plus any size symbols the engine named.
        this.valueAndGradientPlan = constants.compile(List.of(parsed.expr(), gradient.expr()), gradient.declarations(), shapes);
    }

    /**
     * Reads the objective and fixes its data.
     *
     * @param expression  the objective, a scalar expression
     * @param declarations declarations (may be {@link Declarations#NONE}); undeclared data names
     *                    take their shape from their values (a 1 x 1 value is a scalar)
     * @param wrt         the variable to minimise over; every other name needs a value in {@code data}
     * @param data        values of the other names. Not modified.
     * @param start       a starting value for {@code wrt}, used only to tell its size when the data
     *                    do not; may be null
     * @throws MatcalcException with a position for errors in the expression and its shapes, and a
     *                          clear message for a variable that does not appear, a non-scalar
     *                          objective, missing data, or a size that cannot be told
     */
    public static Problem of(String expression, Declarations declarations, String wrt, Map<String, Mat> data, Mat start) {
        if (wrt == null || wrt.isBlank()) {
            throw new MinimizeException(Kind.REQUEST, MinimizeException.Needs.VARIABLE, "no variable to minimise over; name one (wrt)");
        }
        Parsed parsed = Parser.parse(expression);
        Declarations decls = declarations;
        Map<String, Shape> shapes = new LinkedHashMap<>(Evaluator.shapesOf(data));
        for (Map.Entry<String, Mat> d : data.entrySet()) {
            if (d.getKey().equals(wrt)) {
                throw new MinimizeException(Kind.REQUEST, MinimizeException.Needs.START, wrt + " is the variable to minimise over; it cannot also be data "
                        + "(give it a starting point instead)");
            }
            if (decls.get(d.getKey()).isEmpty()) {
                decls = decls.with(d.getKey(), declFromValue(d.getKey(), d.getValue()));
            }
        }
        if (start != null) {
            shapes.put(wrt, new Shape(Size.of(start.rows()), Size.of(start.cols())));
            if (decls.get(wrt).isEmpty()) {
                decls = decls.with(wrt, declFromValue(wrt, start));
            }
        }
        Elaboration.Elaborated elaborated = Elaboration.of(parsed, decls);
        parsed = elaborated.parsed();
        decls = elaborated.decls();
        Typing typing = Typer.check(parsed.expr(), decls, parsed.spans(), Map.of(), shapes);
        Shape x = typing.variables().get(wrt);
        if (x == null) {
            throw new MatcalcException(Kind.REQUEST, wrt + " does not appear in the objective; it uses "
                    + String.join(", ", typing.variables().keySet()));
        }
        if (!typing.shape().isScalar()) {
            throw new MatcalcException(Kind.REQUEST, "the objective must be a scalar; this one is "
                    + typing.shape().describe() + " (sum(...) or norm2(...)^2 make a scalar of it)");
        }
        for (Map.Entry<String, Shape> v : typing.variables().entrySet()) {
            if (!v.getKey().equals(wrt) && !data.containsKey(v.getKey())) {
                throw new MinimizeException(Kind.REQUEST, MinimizeException.Needs.DATA, "no data for " + v.getKey() + " (" + v.getValue().describe()
                        + "); give its value in the data");
            }
        }
        for (String name : data.keySet()) {
            if (!typing.variables().containsKey(name)) {
                throw new MatcalcException(Kind.REQUEST, "data " + name + " is given but the objective does not use it");
            }
        }
        if (!(x.rows() instanceof Size.Fixed r) || !(x.cols() instanceof Size.Fixed c)) {
            throw new MinimizeException(Kind.REQUEST, MinimizeException.Needs.START, "cannot tell the size of " + wrt + " (" + x.describe()
                    + ") from the data; declare it (e.g. \"" + wrt + ": vector(5)\") or give a starting point");
        }
        Decl declared = typing.declOf(wrt);
        Decl wrtDecl = new Decl(declared.kind(), Size.of(r.value()), Size.of(c.value()), declared.properties(), false);
        if (wrtDecl.has(Decl.Property.ORTHOGONAL) || wrtDecl.has(Decl.Property.SIMPLEX)) {
            throw new MatcalcException(Kind.REQUEST, wrt + " is declared " + declared.describe()
                    + "; minimize handles unconstrained, symmetric, spd and diagonal variables, not that constraint");
        }
        decls = decls.with(wrt, wrtDecl);
        shapes.put(wrt, new Shape(Size.of(r.value()), Size.of(c.value())));
        return new Problem(parsed, wrt, decls, Map.copyOf(data), Map.copyOf(shapes), r.value(), c.value(), wrtDecl);
    }

    /** A value's declaration: 1 x 1 is a scalar, otherwise the kind of the name's first letter, sized. */
    private static Decl declFromValue(String name, Mat v) {
        if (v.isScalar()) {
            return Decl.scalar();
        }
        Decl.VarKind k = Declarations.kindByLetter(name);
        if (k == Decl.VarKind.SCALAR || k == Decl.VarKind.VECTOR) {
            k = v.cols() == 1 ? Decl.VarKind.VECTOR : Decl.VarKind.MATRIX;
        }
        return new Decl(k, Size.of(v.rows()), Size.of(v.cols()), Set.of(), false);
    }

    /** The name of the variable minimised over. */
    public String variable() {
        return wrt;
    }

    /** The variable's declaration, with its concrete sizes. */
    public Decl declaration() {
        return wrtDecl;
    }

    /** How the variable's entries map to the unknowns. */
    public Structure structure() {
        return structure;
    }

    /** The number of rows of the variable. */
    public int rows() {
        return rows;
    }

    /** The number of columns of the variable. */
    public int cols() {
        return cols;
    }

    /** The number of unknowns the solver sees. */
    public int dimension() {
        return switch (structure) {
            case FULL -> rows * cols;
            case SYMMETRIC -> rows * (rows + 1) / 2;
            case DIAGONAL -> rows;
        };
    }

    /** How many numbers the data hold, all matrices together: what one pass over the data costs. */
    public long dataEntries() {
        long n = 0;
        for (Mat m : data.values()) {
            n += (long) m.rows() * m.cols();
        }
        return n;
    }

    /** The objective as written (normalised). */
    public String objectiveText() {
        return TextPrinter.print(parsed.expr());
    }

    /** The symbolic gradient the solver is fed. */
    public Derivative gradient() {
        return gradient;
    }

    /** How many times the objective (with its gradient) was evaluated. */
    public int evaluations() {
        return evaluations;
    }

    /** Why the last point that gave +Infinity could not be evaluated, or null. */
    public String lastFailure() {
        return lastFailure;
    }

    /** The default start: zeros, or the identity for a symmetric, spd or diagonal square variable. */
    public Mat defaultStart() {
        return structure == Structure.FULL ? Mat.zeros(rows, cols) : Mat.eye(rows);
    }

    /** The unknowns of a value of the variable (see the class comment for the packing). */
    public double[] pack(Mat v) {
        if (v.rows() != rows || v.cols() != cols) {
            throw new MatcalcException(Kind.REQUEST, "the starting value of " + wrt + " is " + v.rows() + "x" + v.cols()
                    + " but " + wrt + " is " + rows + "x" + cols + " here");
        }
        double[] x = new double[dimension()];
        switch (structure) {
            case FULL -> {
                for (int j = 0, k = 0; j < cols; j++) {
                    for (int i = 0; i < rows; i++) {
                        x[k++] = v.get(i, j);
                    }
                }
            }
            case SYMMETRIC -> {
                for (int j = 0, k = 0; j < rows; j++) {
                    for (int i = 0; i <= j; i++) {
                        // A slightly asymmetric value is read by its symmetric part.
                        x[k++] = i == j ? v.get(i, i) : SQRT2 * 0.5 * (v.get(i, j) + v.get(j, i));
                    }
                }
            }
            case DIAGONAL -> {
                for (int i = 0; i < rows; i++) {
                    x[i] = v.get(i, i);
                }
            }
            default -> throw new AssertionError(structure);
        }
        return x;
    }

    /** The value of the variable at the unknowns {@code x}. */
    public Mat unpack(double[] x) {
        double[][] m = new double[rows][cols];
        switch (structure) {
            case FULL -> {
                for (int j = 0, k = 0; j < cols; j++) {
                    for (int i = 0; i < rows; i++) {
                        m[i][j] = x[k++];
                    }
                }
            }
            case SYMMETRIC -> {
                for (int j = 0, k = 0; j < rows; j++) {
                    for (int i = 0; i <= j; i++, k++) {
                        double v = i == j ? x[k] : x[k] / SQRT2;
                        m[i][j] = v;
                        m[j][i] = v;
                    }
                }
            }
            case DIAGONAL -> {
                for (int i = 0; i < rows; i++) {
                    m[i][i] = x[i];
                }
            }
            default -> throw new AssertionError(structure);
        }
        return Mat.of(m);
    }

    /** The gradient of the unknowns from the (already structured, CONTRACT.md §5) gradient G. */
    private void packGradient(Mat g, double[] out) {
        switch (structure) {
            case FULL -> {
                for (int j = 0, k = 0; j < cols; j++) {
                    for (int i = 0; i < rows; i++) {
                        out[k++] = g.get(i, j);
                    }
                }
            }
            // df/dx_k = <G, dS/dx_k>: 1 on the diagonal, (E_ij + E_ji)/sqrt(2) off it.
            case SYMMETRIC -> {
                for (int j = 0, k = 0; j < rows; j++) {
                    for (int i = 0; i <= j; i++) {
                        out[k++] = i == j ? g.get(i, i) : (g.get(i, j) + g.get(j, i)) / SQRT2;
                    }
                }
            }
            case DIAGONAL -> {
                for (int i = 0; i < rows; i++) {
                    out[i] = g.get(i, i);
                }
            }
            default -> throw new AssertionError(structure);
        }
    }

    private Map<String, Mat> valuesAt(Mat v) {
        Map<String, Mat> values = new LinkedHashMap<>(data);
        values.putAll(constants.values());
        values.put(wrt, v);
        return values;
    }

    /** The objective at a value of the variable; a refusal says why it cannot be evaluated. */
    public double value(Mat v) {
        Map<String, Mat> values = valuesAt(v);
        try {
            return fastValuePlan.run(values).scalarValue();
        } catch (MatcalcException e) {
            valuePlan.run(values); // the same failure, but pointing into the objective's text
            throw e;
        }
    }

    /** The data-only subexpressions computed once, by the names that replace them in the plans. */
    Map<String, Mat> hoisted() {
        return Map.copyOf(constants.values());
    }

    /** The symbolic gradient at a value of the variable, shaped like it. */
    public Mat gradientAt(Mat v) {
        return gradientPlan.run(valuesAt(v));
    }

    /**
     * The objective over the unknowns, with the symbolic gradient; +Infinity (and a NaN
     * gradient) where it cannot be evaluated.
     */
    public Objective objective() {
        return (x, grad) -> {
            evaluations++;
            Map<String, Mat> values = valuesAt(unpack(x));
            try {
                // The value's steps run first, so a failure is the one the value alone would meet.
                Mat[] fg = valueAndGradientPlan.runAll(values);
                packGradient(fg[1], grad);
                return fg[0].scalarValue();
            } catch (MatcalcException e) {
                if (e.kind() != Kind.EVALUATION && e.kind() != Kind.REQUEST) {
                    throw e;
                }
                lastFailure = e.detail();
                java.util.Arrays.fill(grad, Double.NaN);
                return Double.POSITIVE_INFINITY;
            }
        };
    }

    /**
     * Whether a Hessian can be had: derived symbolically (order 2) and compiled; the reason is
     * in {@link #hessianRefusal()} when not.
     */
    public boolean hasHessian() {
        prepareHessian();
        return hessianPlan != null;
    }

    /** Why there is no Hessian, or null. */
    public String hessianRefusal() {
        prepareHessian();
        return hessianRefusal == null ? null : hessianRefusal.getMessage();
    }

    /** The symbolic Hessian (over vec of the variable, entries independent), or null. */
    public Derivative hessian() {
        prepareHessian();
        return hessian;
    }

    private void prepareHessian() {
        if (hessian != null || hessianRefusal != null) {
            return;
        }
        try {
            Derivative h = Derivatives.derive(parsed.expr(), decls, wrt, 2, Layout.MIXED);
            hessianPlan = constants.compile(h.expr(), h.declarations(), shapes);
            hessian = h;
        } catch (MatcalcException e) {
            hessianRefusal = e;
        }
    }

    /** The Hessian over the unknowns, for {@link org.matcalc.methods.optimize.NewtonMinimizer}. */
    public Hessian hessianOfUnknowns() {
        if (!hasHessian()) {
            throw new MatcalcException(Kind.REQUEST, "no Hessian: " + hessianRefusal());
        }
        return x -> Mat.of(hessianAt(x));
    }

    /**
     * The Hessian over the unknowns at {@code x}: H itself for a plain variable; D'HD for the
     * packings D of the class comment; symmetrised, since rounding in H may leave it slightly not.
     *
     * @throws MatcalcException when there is no Hessian or it cannot be evaluated at x
     */
    public double[][] hessianAt(double[] x) {
        if (!hasHessian()) {
            throw new MatcalcException(Kind.REQUEST, "no Hessian: " + hessianRefusal());
        }
        Mat h = hessianPlan.run(valuesAt(unpack(x)));
        int d = dimension();
        double[][] out = new double[d][d];
        switch (structure) {
            case FULL -> {
                for (int i = 0; i < d; i++) {
                    for (int j = 0; j < d; j++) {
                        out[i][j] = h.get(i, j);
                    }
                }
            }
            case DIAGONAL -> {
                for (int i = 0; i < d; i++) {
                    for (int j = 0; j < d; j++) {
                        out[i][j] = h.get(i + rows * i, j + rows * j);
                    }
                }
            }
            case SYMMETRIC -> {
                // Column k of D: vec(E_ii), or (vec(E_ij) + vec(E_ji))/sqrt(2) for i < j.
                int[][] idx = new int[d][];
                double[] w = new double[d];
                for (int j = 0, k = 0; j < rows; j++) {
                    for (int i = 0; i <= j; i++, k++) {
                        idx[k] = i == j ? new int[] {i + rows * i} : new int[] {i + rows * j, j + rows * i};
                        w[k] = i == j ? 1 : 1 / SQRT2;
                    }
                }
                for (int a = 0; a < d; a++) {
                    for (int b = 0; b < d; b++) {
                        double s = 0;
                        for (int p : idx[a]) {
                            for (int q : idx[b]) {
                                s += h.get(p, q);
                            }
                        }
                        out[a][b] = s * w[a] * w[b];
                    }
                }
            }
            default -> throw new AssertionError(structure);
        }
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < a; b++) {
                double s = 0.5 * (out[a][b] + out[b][a]);
                out[a][b] = s;
                out[b][a] = s;
            }
        }
        return out;
    }
}
