package org.matcalc.expr;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Seeded random expression trees for property tests. Two families:
 * <ul>
 *   <li>{@link #arbitrary(int)}: any node type in any combination, shapes ignored; for
 *       printing and parsing, which must not care about shapes.</li>
 *   <li>{@link #wellTyped(Shape, int)}: a tree of the requested shape over {@link #DECLARATIONS},
 *       built rule by rule from the shape rules of LANGUAGE.md; for typing, evaluation and
 *       differentiation.</li>
 * </ul>
 * Every tree is one that the parser can produce (no variable named like a function, negative
 * numbers only where a minus could fold). Same seed, same trees.
 */
public final class ExprGenerator {
    public static final Size N = Size.sym("n");
    public static final Size M = Size.sym("m");
    public static final Size NM = Size.times(N, M);

    /** The variables {@link #wellTyped} uses, by shape. */
    public static final Declarations DECLARATIONS = Declarations.fromStrings(Map.ofEntries(
            Map.entry("a", "scalar"), Map.entry("b", "scalar"), Map.entry("lambda", "scalar"),
            Map.entry("x", "vector(n)"), Map.entry("y", "vector(n)"),
            Map.entry("w", "vector(m)"), Map.entry("v", "vector(m)"),
            Map.entry("A", "matrix(n)"), Map.entry("S", "spd(n)"),
            Map.entry("B", "matrix(m,m)"), Map.entry("X", "matrix(n,m)"), Map.entry("Y", "matrix(n,m)")));

    /** Names for arbitrary trees: every first-letter kind, Greek, digits, underscores, and T (which is also transpose). */
    private static final String[] NAMES = {"a", "b", "x", "y", "A", "X", "S", "T", "lambda", "x1", "theta_2", "W_out", "e", "E"};
    private static final String[] SIZE_NAMES = {"n", "m", "k", "N", "T"};

    private final Random rnd;

    public ExprGenerator(long seed) {
        this.rnd = new Random(seed);
    }

    // ---- arbitrary trees ----------------------------------------------------------------------

    /** Any tree of at most {@code depth} levels over every node type. */
    public Expr arbitrary(int depth) {
        if (depth <= 1 || rnd.nextInt(5) == 0) {
            return arbitraryLeaf();
        }
        int d = depth - 1;
        switch (rnd.nextInt(9)) {
            case 0:
                return new Expr.Neg(arbitrary(d));
            case 1:
                return new Expr.Transpose(arbitrary(d));
            case 2:
            case 3:
                return new Expr.Binary(pick(BinaryOp.values()), arbitrary(d), arbitrary(d));
            case 4: {
                Builtin fn = pick(Builtin.values());
                List<Expr> args = new ArrayList<>();
                for (int i = 0; i < fn.arity(); i++) {
                    args.add(arbitrary(d));
                }
                return new Expr.Call(fn, args);
            }
            case 5:
            case 6:
                return new Expr.Elementwise(pick(ScalarFunction.values()), arbitrary(d));
            case 7: {
                boolean matrix = rnd.nextBoolean();
                boolean sized = rnd.nextBoolean();
                return new Expr.Fill(arbitrary(d), matrix, sized ? size() : null, sized && matrix ? size() : null);
            }
            default:
                return new Expr.Binary(pick(BinaryOp.values()), arbitrary(d), arbitraryLeaf());
        }
    }

    private Expr arbitraryLeaf() {
        switch (rnd.nextInt(8)) {
            case 0:
            case 1:
                return new Expr.Num(number());
            case 2:
                return new Expr.Identity(rnd.nextBoolean() ? null : size());
            case 3:
                return new Expr.Zeros(size(), size());
            case 4:
                return new Expr.Commutation(size(), size());
            default:
                return new Expr.Var(pick(NAMES));
        }
    }

    /** Integers, fractions, tiny and huge magnitudes, negative values and -0. */
    public double number() {
        switch (rnd.nextInt(8)) {
            case 0:
                return rnd.nextInt(10);
            case 1:
                return -rnd.nextInt(10);
            case 2:
                return rnd.nextInt(2000) / 8.0 - 125;
            case 3:
                return rnd.nextGaussian();
            case 4:
                return Math.pow(10, rnd.nextInt(40) - 20) * (rnd.nextBoolean() ? 1 : -1.5);
            case 5:
                return rnd.nextBoolean() ? -0.0 : 0.0;
            case 6:
                return rnd.nextDouble() * 1e17;
            default:
                return 0.5;
        }
    }

    /** An integer, a symbol, or a normalised product of them. */
    public Size size() {
        switch (rnd.nextInt(4)) {
            case 0:
                return Size.of(rnd.nextInt(7));
            case 1:
                return Size.times(Size.sym(pick(SIZE_NAMES)), rnd.nextBoolean() ? Size.sym(pick(SIZE_NAMES)) : Size.of(1 + rnd.nextInt(4)));
            default:
                return Size.sym(pick(SIZE_NAMES));
        }
    }

    // ---- well-typed trees ---------------------------------------------------------------------

    /** A tree of shape {@code s} (sizes among 1, n, m, n*m) that types under {@link #DECLARATIONS}. */
    public Expr wellTyped(Shape s, int depth) {
        if (depth <= 1 || rnd.nextInt(6) == 0) {
            return leaf(s);
        }
        int d = depth - 1;
        Shape scalar = Shape.SCALAR;
        for (int attempt = 0; attempt < 20; attempt++) {
            switch (rnd.nextInt(16)) {
                case 0:
                    return new Expr.Neg(wellTyped(s, d));
                case 1:
                    return new Expr.Transpose(wellTyped(s.transpose(), d));
                case 2:
                    return new Expr.Binary(rnd.nextBoolean() ? BinaryOp.ADD : BinaryOp.SUB, wellTyped(s, d), wellTyped(s, d));
                case 3:
                    return new Expr.Binary(rnd.nextBoolean() ? BinaryOp.HADAMARD : BinaryOp.HADAMARD_DIV,
                            wellTyped(s, d), wellTyped(rnd.nextBoolean() ? s : scalar, d));
                case 4:
                    return rnd.nextBoolean() ? new Expr.Binary(BinaryOp.MUL, wellTyped(scalar, d), wellTyped(s, d))
                            : new Expr.Binary(BinaryOp.MUL, wellTyped(s, d), wellTyped(scalar, d));
                case 5:
                    return new Expr.Binary(BinaryOp.DIV, wellTyped(s, d), wellTyped(scalar, d));
                case 6:
                    return new Expr.Elementwise(pick(ScalarFunction.values()), wellTyped(s, d));
                case 7:
                    return new Expr.Binary(BinaryOp.ELEM_POW, wellTyped(s, d), wellTyped(rnd.nextBoolean() ? s : scalar, d));
                case 8: {
                    // A matrix product through an inner size k.
                    Size k = pick(new Size[] {Size.ONE, N, M});
                    if (k.isOne() && s.isScalar()) {
                        break;
                    }
                    return new Expr.Binary(BinaryOp.MUL, wellTyped(new Shape(s.rows(), k), d), wellTyped(new Shape(k, s.cols()), d));
                }
                case 9:
                    if (s.isScalar()) {
                        switch (rnd.nextInt(4)) {
                            case 0:
                                return new Expr.Call(pick(new Builtin[] {Builtin.SUM, Builtin.NORM1, Builtin.NORM2}), List.of(wellTyped(anyShape(), d)));
                            case 1:
                                return new Expr.Call(Builtin.LOGSUMEXP, List.of(wellTyped(Shape.vector(pick(new Size[] {N, M})), d)));
                            case 2:
                                return new Expr.Call(pick(new Builtin[] {Builtin.TR, Builtin.DET, Builtin.LOGDET, Builtin.LAMBDA_MAX, Builtin.LAMBDA_MIN}),
                                        List.of(wellTyped(square(), d)));
                            default:
                                return new Expr.Binary(BinaryOp.POW, wellTyped(scalar, d), wellTyped(scalar, d));
                        }
                    }
                    break;
                case 10:
                    if (isSquare(s)) {
                        switch (rnd.nextInt(4)) {
                            case 0:
                                return squareCall(s, d);
                            case 1:
                                if (rnd.nextBoolean()) {
                                    return squareCall(s, d);
                                }
                                return new Expr.Binary(BinaryOp.POW, wellTyped(s, d), new Expr.Num(rnd.nextInt(7) - 3));
                            case 2:
                                return new Expr.Call(Builtin.DIAG, List.of(wellTyped(Shape.vector(s.rows()), d)));
                            default:
                                return new Expr.Binary(BinaryOp.ADD, wellTyped(s, d), new Expr.Identity(null));
                        }
                    }
                    break;
                case 11:
                    if (s.isColumn()) {
                        switch (rnd.nextInt(4)) {
                            case 0:
                                return new Expr.Call(Builtin.SOFTMAX, List.of(wellTyped(s, d)));
                            case 1:
                                return new Expr.Call(pick(new Builtin[] {Builtin.EIGVALS, Builtin.DIAG, Builtin.EIGVEC_MAX, Builtin.EIGVEC_MIN}),
                                        List.of(wellTyped(new Shape(s.rows(), s.rows()), d)));
                            case 2:
                                return new Expr.Binary(BinaryOp.SUB, wellTyped(s, d), new Expr.Fill(wellTyped(scalar, d), false, null, null));
                            default:
                                if (s.rows().equals(NM)) {
                                    return new Expr.Call(Builtin.VEC, List.of(wellTyped(rnd.nextBoolean() ? new Shape(N, M) : new Shape(M, N), d)));
                                }
                        }
                    }
                    break;
                case 12:
                    if (s.isMatrix() && !s.rows().equals(NM) && !s.cols().equals(NM)) {
                        return new Expr.Binary(BinaryOp.ADD, wellTyped(s, d), new Expr.Fill(wellTyped(scalar, d), true, null, null));
                    }
                    break;
                case 13:
                    if (s.rows().equals(NM) && (s.cols().equals(NM) || s.cols().isOne())) {
                        // kron of an n-row and an m-row factor, in either order of the size product.
                        Size c = s.cols().isOne() ? Size.ONE : N;
                        Size c2 = s.cols().isOne() ? Size.ONE : M;
                        return new Expr.Call(Builtin.KRON, List.of(wellTyped(new Shape(N, c), d), wellTyped(new Shape(M, c2), d)));
                    }
                    break;
                case 14:
                    if (s.rows().equals(NM) && s.cols().equals(NM)) {
                        return new Expr.Binary(BinaryOp.MUL, (rnd.nextBoolean() ? new Expr.Commutation(N, M) : new Expr.Commutation(M, N)), wellTyped(s, d));
                    }
                    break;
                default:
                    return leaf(s);
            }
        }
        return leaf(s);
    }

    /**
     * A primitive of the registry whose result is shaped like its square argument(s) (inv,
     * expm, sqrtm, eigvecs, expm_frechet, sylvester, logm, ...), read off the registry so that
     * a new primitive is generated without a line here.
     */
    private Expr squareCall(Shape s, int d) {
        List<Builtin> fits = new ArrayList<>();
        for (Builtin b : Builtin.values()) {
            if ((b.arguments() == Builtin.Args.SQUARE || b.arguments() == Builtin.Args.SQUARE_PAIR)
                    && b.resultShape(java.util.Collections.nCopies(b.arity(), s)).equals(s)) {
                fits.add(b);
            }
        }
        Builtin b = fits.get(rnd.nextInt(fits.size()));
        List<Expr> args = new ArrayList<>();
        for (int i = 0; i < b.arity(); i++) {
            args.add(wellTyped(s, d));
        }
        return new Expr.Call(b, args);
    }

    /** A scalar, a column or row vector, or a matrix, over sizes n and m. */
    public Shape anyShape() {
        switch (rnd.nextInt(6)) {
            case 0:
                return Shape.SCALAR;
            case 1:
                return Shape.vector(N);
            case 2:
                return Shape.vector(M).transpose();
            case 3:
                return new Shape(N, M);
            case 4:
                return new Shape(M, M);
            default:
                return new Shape(N, N);
        }
    }

    private Shape square() {
        return rnd.nextBoolean() ? new Shape(N, N) : new Shape(M, M);
    }

    private static boolean isSquare(Shape s) {
        return s.isMatrix() && s.rows().equals(s.cols());
    }

    private Expr leaf(Shape s) {
        if (s.isScalar()) {
            switch (rnd.nextInt(4)) {
                case 0:
                    return new Expr.Num(number());
                case 1:
                    return new Expr.Num(rnd.nextInt(5) + 0.25);
                default:
                    return new Expr.Var(pick(new String[] {"a", "b", "lambda"}));
            }
        }
        if (s.isRow()) {
            return new Expr.Transpose(leaf(s.transpose()));
        }
        int r = rnd.nextInt(5);
        if (r == 0) {
            return new Expr.Zeros(s.rows(), s.cols());
        }
        if (r == 1) {
            return new Expr.Fill(new Expr.Num(number()), !s.isColumn(), s.rows(), s.isColumn() ? null : s.cols());
        }
        if (isSquare(s) && r == 2) {
            return new Expr.Identity(s.rows());
        }
        if (s.equals(Shape.vector(N))) {
            return new Expr.Var(rnd.nextBoolean() ? "x" : "y");
        }
        if (s.equals(Shape.vector(M))) {
            return new Expr.Var(rnd.nextBoolean() ? "w" : "v");
        }
        if (s.equals(new Shape(N, N))) {
            return new Expr.Var(rnd.nextBoolean() ? "A" : "S");
        }
        if (s.equals(new Shape(M, M))) {
            return new Expr.Var("B");
        }
        if (s.equals(new Shape(N, M))) {
            return new Expr.Var(rnd.nextBoolean() ? "X" : "Y");
        }
        if (s.equals(new Shape(M, N))) {
            return new Expr.Transpose(new Expr.Var("X"));
        }
        if (s.equals(new Shape(NM, NM)) && r == 3) {
            return new Expr.Commutation(N, M);
        }
        if (s.equals(Shape.vector(NM))) {
            return new Expr.Call(Builtin.VEC, List.of(new Expr.Var("X")));
        }
        return new Expr.Zeros(s.rows(), s.cols());
    }

    private <T> T pick(T[] options) {
        return options[rnd.nextInt(options.length)];
    }
}
