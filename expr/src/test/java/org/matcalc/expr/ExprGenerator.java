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
 *       built rule by rule from the shape rules of LANGUAGE.md; for typing.</li>
 *   <li>{@link #valid(Shape, int)}: a well-typed tree over a vocabulary of declared variables
 *       whose value is defined at any inputs: every primitive's arguments come from the domain
 *       the registry gives it ({@link Builtin#domain}), every element-wise function's from its
 *       row's domain; for evaluation and differentiation.</li>
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
    /** The variables {@link #valid} draws leaves from. */
    private final Declarations vocabulary;

    public ExprGenerator(long seed) {
        this(new Random(seed), DECLARATIONS);
    }

    /** Whether {@link #valid} also builds the forms a simplifier rewrites (see {@link #withStructure}). */
    private boolean structure;

    /** A generator whose {@link #valid} trees use the variables declared in {@code vocabulary}. */
    public ExprGenerator(Random rnd, Declarations vocabulary) {
        this.rnd = rnd;
        this.vocabulary = vocabulary;
    }

    /**
     * Makes {@link #valid} also build every remaining node kind and operator and the forms that
     * simplify: zeros, identities and fills (sized and context-sized), commutation matrices,
     * ./ and ^, negations, x*eye, x + zeros, (x')', inv(inv(S)), and the numbers 0, 1 and -1.
     */
    public ExprGenerator withStructure() {
        this.structure = true;
        return this;
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
                    // a dimension is a literal 1 or 2 in the grammar
                    args.add(i == 1 && fn.arguments() == Builtin.Args.AXIS ? new Expr.Num(1 + rnd.nextInt(2)) : arbitrary(d));
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
            switch (rnd.nextInt(17)) {
                case 15: {
                    // the reductions and functions along a dimension, max and min
                    int k = 1 + rnd.nextInt(2);
                    switch (rnd.nextInt(5)) {
                        case 0:
                            if (s.isScalar()) {
                                return new Expr.Call(pick(new Builtin[] {Builtin.MAX, Builtin.MIN, Builtin.NUMEL}), List.of(wellTyped(anyShape(), d)));
                            }
                            if (rnd.nextInt(4) == 0) {
                                return new Expr.Call(pick(new Builtin[] {Builtin.ISMAX, Builtin.ISMIN}), List.of(wellTyped(s, d)));
                            }
                            return new Expr.Call(pick(new Builtin[] {Builtin.MAXIMUM, Builtin.MINIMUM}),
                                    List.of(wellTyped(s, d), wellTyped(rnd.nextBoolean() ? s : scalar, d)));
                        case 1:
                            if (s.isScalar()) {
                                return new Expr.Call(Builtin.SIZE, List.of(wellTyped(anyShape(), d), new Expr.Num(k)));
                            }
                            return new Expr.Call(Builtin.SOFTMAX_AXIS, List.of(wellTyped(s, d), new Expr.Num(k)));
                        default:
                            if (s.isRow() && !s.isScalar()) {
                                return new Expr.Call(pick(new Builtin[] {Builtin.SUM_AXIS, Builtin.LOGSUMEXP_AXIS}),
                                        List.of(wellTyped(new Shape(pick(new Size[] {N, M}), s.cols()), d), new Expr.Num(1)));
                            }
                            if (s.isColumn() && !s.isScalar()) {
                                return new Expr.Call(pick(new Builtin[] {Builtin.SUM_AXIS, Builtin.LOGSUMEXP_AXIS}),
                                        List.of(wellTyped(new Shape(s.rows(), pick(new Size[] {N, M})), d), new Expr.Num(2)));
                            }
                    }
                    break;
                }
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
                    if (s.isMatrix() && s.rows().equals(s.cols()) && rnd.nextInt(8) == 0) {
                        return new Expr.Call(Builtin.EXPM_FRECHET2, List.of(wellTyped(s, d), wellTyped(s, d), wellTyped(s, d)));
                    }
                    if (s.isScalar() && rnd.nextInt(64) == 0) {
                        // (rarely: their own derivatives are third ones of expm, refused) a Kronecker form of expm's derivatives, read through vec(P)'*K*vec(Q)
                        Shape sq = new Shape(N, N);
                        Expr k = rnd.nextBoolean() ? new Expr.Call(Builtin.EXPM_FRECHET_KRON, List.of(wellTyped(sq, d)))
                                : new Expr.Call(Builtin.EXPM_FRECHET2_KRON, List.of(wellTyped(sq, d), wellTyped(sq, d)));
                        Expr p = new Expr.Transpose(new Expr.Call(Builtin.VEC, List.of(wellTyped(sq, d))));
                        return new Expr.Binary(BinaryOp.MUL, new Expr.Binary(BinaryOp.MUL, p, k),
                                new Expr.Call(Builtin.VEC, List.of(wellTyped(sq, d))));
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
            // expm_frechet2 (three arguments) is drawn rarely, below: its derivative in A is a third one of expm, refused
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

    // ---- trees whose values are defined at any inputs ------------------------------------------

    /** The sizes of the vocabulary's variables: 1 and every size symbol they use. */
    private List<Size> sizes() {
        List<Size> out = new ArrayList<>(List.of(Size.ONE));
        for (Decl d : vocabulary.asMap().values()) {
            for (Size z : List.of(d.rows(), d.cols())) {
                if (!out.contains(z) && z instanceof Size.Sym) {
                    out.add(z);
                }
            }
        }
        return out;
    }

    private Size anySize() {
        List<Size> z = sizes();
        return z.get(rnd.nextInt(z.size()));
    }

    /** The declared variables of exactly this shape, as they are or transposed. */
    private List<Expr> variablesOf(Shape s) {
        List<Expr> out = new ArrayList<>();
        for (java.util.Map.Entry<String, Decl> v : vocabulary.asMap().entrySet()) {
            Shape vs = new Shape(v.getValue().rows(), v.getValue().cols());
            if (vs.equals(s)) {
                out.add(new Expr.Var(v.getKey()));
            } else if (vs.transpose().equals(s) && !vs.isScalar()) {
                out.add(new Expr.Transpose(new Expr.Var(v.getKey())));
            }
        }
        return out;
    }

    /** A tree of shape {@code s} over the vocabulary, defined at any inputs, at most {@code depth} deep. */
    public Expr valid(Shape s, int depth) {
        if (depth <= 0 || rnd.nextInt(6) == 0) {
            return validLeaf(s);
        }
        int d = depth - 1;
        Shape scalar = Shape.SCALAR;
        for (int attempt = 0; attempt < 20; attempt++) {
            if (structure && rnd.nextInt(3) == 0) {
                Expr e = structural(s, d);
                if (e != null) {
                    return e;
                }
                continue;
            }
            switch (rnd.nextInt(s.isScalar() ? 14 : 11)) {
                case 0:
                    return Expr.add(valid(s, d), valid(s, d));
                case 1:
                    return Expr.sub(valid(s, d), valid(s, d));
                case 2: {
                    Size k = anySize();
                    return Expr.mul(valid(new Shape(s.rows(), k), d), valid(new Shape(k, s.cols()), d));
                }
                case 3:
                    return Expr.transpose(valid(s.transpose(), d));
                case 4:
                    return Expr.mul(valid(scalar, d), valid(s, d));
                case 5:
                    return Expr.hadamard(valid(s, d), valid(s, d));
                case 6:
                    return validElementwise(s, valid(s, d));
                case 7:
                    return new Expr.Binary(BinaryOp.ELEM_POW, valid(s, d), new Expr.Num(2));
                case 8:
                    // a quotient by something kept away from zero
                    return Expr.div(valid(s, d), Expr.add(new Expr.Num(2), new Expr.Binary(BinaryOp.ELEM_POW, valid(scalar, d), new Expr.Num(2))));
                default: {
                    Expr call = primitive(s, d);
                    if (call != null) {
                        return call;
                    }
                }
            }
        }
        return validLeaf(s);
    }

    /** The forms of {@link #withStructure}, for shape s; null when the drawn one does not fit s. */
    private Expr structural(Shape s, int d) {
        boolean square = s.isMatrix() && s.rows().equals(s.cols());
        switch (rnd.nextInt(10)) {
            case 0:
                return new Expr.Binary(BinaryOp.HADAMARD_DIV, valid(s, d), positive(s, valid(s, d)));
            case 1:
                return s.isScalar() || square ? new Expr.Binary(BinaryOp.POW, valid(s, d), new Expr.Num(2)) : null;
            case 2:
                return Expr.neg(valid(s, d));
            case 3:
                return square ? Expr.mul(valid(s, d), new Expr.Identity(null)) : null;
            case 4:
                return s.isScalar() ? null : Expr.add(valid(s, d), new Expr.Zeros(s.rows(), s.cols()));
            case 5:
                return Expr.transpose(Expr.transpose(valid(s, d)));
            case 6:
                return square ? new Expr.Call(Builtin.INV, List.of(new Expr.Call(Builtin.INV, List.of(argument(Builtin.Domain.SPD, s, d)))))
                        : null;
            case 7:
                return Expr.add(valid(s, d), constant(s, 1));
            case 8: {
                // vec(A)'*commutation(r, c)*vec(B) = tr(A*B) for A c x r and B r x c
                if (!s.isScalar()) {
                    return null;
                }
                Size r = anySize(), c = anySize();
                return Expr.mul(Expr.mul(Expr.transpose(new Expr.Call(Builtin.VEC, List.of(valid(new Shape(c, r), d)))),
                        new Expr.Commutation(r, c)), new Expr.Call(Builtin.VEC, List.of(valid(new Shape(r, c), d))));
            }
            default:
                return Expr.mul(new Expr.Num(rnd.nextBoolean() ? 1 : -1), valid(s, d));
        }
    }

    private Expr validLeaf(Shape s) {
        if (structure && rnd.nextInt(8) == 0) {
            if (s.isScalar()) {
                return new Expr.Num(new double[] {0, 1, -1, 3}[rnd.nextInt(4)]);
            }
            if (rnd.nextBoolean()) {
                return new Expr.Zeros(s.rows(), s.cols());
            }
            if (s.rows().equals(s.cols())) {
                return new Expr.Identity(s.rows());
            }
            return new Expr.Fill(new Expr.Num(2), !s.isColumn(), s.rows(), s.isColumn() ? null : s.cols());
        }
        List<Expr> vars = variablesOf(s);
        if (s.isScalar() && (vars.isEmpty() || rnd.nextInt(3) == 0)) {
            return new Expr.Num(rnd.nextBoolean() ? 0.5 : 2);
        }
        if (!vars.isEmpty()) {
            return vars.get(rnd.nextInt(vars.size()));
        }
        // no variable of this shape: a product through a size that has them on both sides, or a fill
        for (Size k : sizes()) {
            List<Expr> l = variablesOf(new Shape(s.rows(), k)), r = variablesOf(new Shape(k, s.cols()));
            if (!l.isEmpty() && !r.isEmpty() && !k.isOne()) {
                return Expr.mul(l.get(rnd.nextInt(l.size())), r.get(rnd.nextInt(r.size())));
            }
        }
        return new Expr.Fill(new Expr.Num(0.5), !s.isColumn(), s.rows(), s.isColumn() ? null : s.cols());
    }

    /** An element-wise function of the table applied so that its argument is in its domain. */
    private Expr validElementwise(Shape s, Expr a) {
        ScalarFunction f = pick(ScalarFunction.values());
        Expr bounded = Expr.apply(ScalarFunction.TANH, a);
        Expr arg = switch (f.domain()) {
            case POSITIVE -> rnd.nextBoolean() ? positive(s, a) : Expr.apply(ScalarFunction.EXP, bounded);
            case OPEN_UNIT -> Expr.mul(new Expr.Num(0.5), bounded);
            case NEAR_ZERO -> bounded;
            case AWAY_FROM_ZERO -> { // kinks at 0 stay far away, on either side
                Expr away = Expr.add(positive(s, a), constant(s, 0.5));
                yield rnd.nextBoolean() ? away : Expr.neg(away);
            }
            // bounded arguments: exp(exp(..)) stays finite, and sin of a large value does not oscillate
            // faster than finite differences can follow
            case ANY -> bounded;
        };
        return Expr.apply(f, arg);
    }

    /** u .* u + 1 (of u's shape): positive, so log, sqrt and division are safe. */
    private static Expr positive(Shape s, Expr u) {
        return Expr.add(Expr.hadamard(u, u), constant(s, 1));
    }

    /** The constant c of shape s, sized by its context: c, c*vector(1), (c*vector(1))' or c*matrix(1). */
    private static Expr constant(Shape s, double c) {
        if (s.isScalar()) {
            return new Expr.Num(c);
        }
        if (s.isColumn()) {
            return new Expr.Fill(new Expr.Num(c), false, null, null);
        }
        if (s.isRow()) {
            return new Expr.Transpose(new Expr.Fill(new Expr.Num(c), false, null, null));
        }
        return new Expr.Fill(new Expr.Num(c), true, null, null);
    }

    /**
     * A primitive of the registry whose result has shape s, each argument drawn from the domain
     * the registry gives it; null when none fits. Primitives of symmetric matrices are used only
     * on a variable declared symmetric (distinct eigenvalues at random inputs).
     */
    private Expr primitive(Shape s, int d) {
        List<Builtin> all = new ArrayList<>(List.of(Builtin.values()));
        java.util.Collections.shuffle(all, rnd);
        for (Builtin b : all) {
            if (!structure && (b == Builtin.ISMAX || b == Builtin.ISMIN)) {
                // piecewise constant with jumps at ties: finite differences across a jump mean nothing, so only
                // the value tests (withStructure) draw them; their rows and the derivatives of max and min cover the rest
                continue;
            }
            if (b.arguments() == Builtin.Args.AXIS) {
                Expr e = alongAxis(b, s, d);
                if (e != null) {
                    return e;
                }
                continue;
            }
            if (isKronForm(b)) {
                if (!structure && rnd.nextInt(16) != 0) {
                    // rarely where derivatives are taken: theirs in the arguments are third ones of expm, refused
                    continue;
                }
                Expr e = s.isScalar() ? kronFormRead(b, d) : null;
                if (e != null) {
                    return e;
                }
                continue;
            }
            List<Shape> args = argumentShapes(b, s);
            if (args == null) {
                continue;
            }
            List<Expr> out = new ArrayList<>();
            for (int i = 0; i < args.size() && out != null; i++) {
                Expr a = argument(b.domain(i), args.get(i), d);
                if (a == null) {
                    out = null;
                } else {
                    out.add(a);
                }
            }
            if (out != null) {
                return new Expr.Call(b, out);
            }
        }
        return null;
    }

    /** A primitive whose n x n arguments give an n^2 x n^2 result (the Kronecker forms of expm's derivatives). */
    private static boolean isKronForm(Builtin b) {
        Shape sq = new Shape(N, N);
        return b.arguments() != Builtin.Args.AXIS
                && b.resultShape(java.util.Collections.nCopies(b.arity(), sq)).equals(new Shape(Size.times(N, N), Size.times(N, N)));
    }

    /** vec(P)'*K*vec(Q), a scalar reading of the Kronecker form K = b(A, ...) of k x k arguments, or null. */
    private Expr kronFormRead(Builtin b, int d) {
        Size k = anySize();
        if (k.isOne()) {
            return null;
        }
        Shape sq = new Shape(k, k);
        List<Expr> args = new ArrayList<>();
        for (int i = 0; i < b.arity(); i++) {
            Expr a = argument(b.domain(i), sq, d);
            if (a == null) {
                return null;
            }
            args.add(a);
        }
        Expr p = new Expr.Transpose(new Expr.Call(Builtin.VEC, List.of(valid(sq, d))));
        return Expr.mul(Expr.mul(p, new Expr.Call(b, args)), new Expr.Call(Builtin.VEC, List.of(valid(sq, d))));
    }

    /** sum(X, k), logsumexp(X, k), softmax(X, k) or size(X, k) of shape s, or null. */
    private Expr alongAxis(Builtin b, Shape s, int d) {
        Shape x;
        int k;
        if (b == Builtin.SIZE) {
            if (!s.isScalar()) {
                return null;
            }
            x = new Shape(anySize(), anySize());
            k = 1 + rnd.nextInt(2);
        } else if (b == Builtin.SOFTMAX_AXIS) {
            if (s.isScalar()) {
                return null;
            }
            x = s;
            k = 1 + rnd.nextInt(2);
        } else if (s.isRow() && !s.isScalar()) {
            x = new Shape(anySize(), s.cols());
            k = 1;
        } else if (s.isColumn() && !s.isScalar()) {
            x = new Shape(s.rows(), anySize());
            k = 2;
        } else {
            return null;
        }
        Expr a = argument(b.domain(0), x, d);
        return a == null ? null : new Expr.Call(b, List.of(a, new Expr.Num(k)));
    }

    /** Argument shapes for which b's result has shape s, or null. */
    private List<Shape> argumentShapes(Builtin b, Shape s) {
        Shape arg = switch (b.arguments()) {
            case SQUARE, SQUARE_PAIR, SQUARE_TRIPLE -> {
                Size k = anySize();
                yield k.isOne() ? null : new Shape(k, k);
            }
            case DIAG -> s.isColumn() && !s.isScalar() ? new Shape(s.rows(), s.rows())
                    : s.isMatrix() && s.rows().equals(s.cols()) ? Shape.vector(s.rows()) : null;
            case ANY, ANY_PAIR -> s.isScalar() ? new Shape(anySize(), anySize()) : s;
            case ELEMENTWISE_PAIR -> s;
            case AXIS -> null;
        };
        if (arg == null) {
            return null;
        }
        List<Shape> args = b.arity() == 2 && b.arguments() == Builtin.Args.ANY_PAIR ? List.of(Shape.SCALAR, arg)
                : java.util.Collections.nCopies(b.arity(), arg);
        return b.resultShape(args).equals(s) ? args : null;
    }

    /** A value in {@code domain} of shape {@code s}; null where the vocabulary cannot give one. */
    private Expr argument(Builtin.Domain domain, Shape s, int d) {
        return switch (domain) {
            case ANY -> valid(s, d);
            case NONZERO -> { // entries between 0.5 and 1.5 in size, of either sign
                Expr away = Expr.add(constant(s, 0.5), Expr.apply(ScalarFunction.SIGMOID, valid(s, d)));
                yield rnd.nextBoolean() ? away : Expr.neg(away);
            }
            case SQUARE -> Expr.mul(new Expr.Num(0.2), Expr.apply(ScalarFunction.SIN, valid(s, d)));
            // I + 0.1*sin(A): eigenvalues within 0.1*n of 1 (Gershgorin), so neither singular nor of huge determinant
            case WELL_CONDITIONED -> Expr.add(new Expr.Identity(s.rows()),
                    Expr.mul(new Expr.Num(0.1), Expr.apply(ScalarFunction.SIN, valid(s, d))));
            case SPD -> { // I + Z*Z' with a square Z: distinct eigenvalues at random inputs
                Expr z = valid(s, d);
                yield Expr.add(new Expr.Identity(s.rows()), Expr.mul(z, Expr.transpose(z)));
            }
            case SYMMETRIC -> {
                List<Expr> sym = new ArrayList<>();
                for (java.util.Map.Entry<String, Decl> v : vocabulary.asMap().entrySet()) {
                    if (v.getValue().isSymmetric() && v.getValue().rows().equals(s.rows())) {
                        sym.add(new Expr.Var(v.getKey()));
                    }
                }
                yield sym.isEmpty() ? null : sym.get(rnd.nextInt(sym.size()));
            }
        };
    }

    private <T> T pick(T[] options) {
        return options[rnd.nextInt(options.length)];
    }
}
