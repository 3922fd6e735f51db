package org.matcalc.expr;

import java.util.List;
import java.util.Optional;

/**
 * The primitive registry: every built-in function that is not element-wise (those are
 * {@link ScalarFunction} rows), declared once with what every layer needs to know of it. Its
 * arguments and result shape (read by the typer, the symbolic engine and the simplifier), when
 * it is symmetric ({@link Symmetry}), the arguments it is linear in (linear primitives have
 * transpose and vec-Jacobian rules in the diff layer, the others do not), and the domain its
 * random test inputs come from (the expression generator and the agreement checker). The
 * differential rules (diff), kernels, forward and reverse rules (numeric) are registered by
 * family in those layers; their completeness tests walk this enum.
 */
public enum Builtin {
    //            name           arguments           result              symmetric when       linear in       test inputs                       LaTeX
    SUM(         "sum",          Args.ANY,           Result.SCALAR,      Symmetric.NEVER,     Linear.EACH,    List.of(Domain.ANY),              "\\operatorname{sum}"),
    NORM1(       "norm1",        Args.ANY,           Result.SCALAR,      Symmetric.NEVER,     Linear.NONE,    List.of(Domain.NONZERO),          null),
    NORM2(       "norm2",        Args.ANY,           Result.SCALAR,      Symmetric.NEVER,     Linear.NONE,    List.of(Domain.NONZERO),          null),
    TR(          "tr",           Args.SQUARE,        Result.SCALAR,      Symmetric.NEVER,     Linear.EACH,    List.of(Domain.SQUARE),           "\\operatorname{tr}"),
    DET(         "det",          Args.SQUARE,        Result.SCALAR,      Symmetric.NEVER,     Linear.NONE,    List.of(Domain.WELL_CONDITIONED), "\\det"),
    LOGDET(      "logdet",       Args.SQUARE,        Result.SCALAR,      Symmetric.NEVER,     Linear.NONE,    List.of(Domain.SPD),              "\\log\\det"),
    LOGSUMEXP(   "logsumexp",    Args.ANY,           Result.SCALAR,      Symmetric.NEVER,     Linear.NONE,    List.of(Domain.ANY),              "\\operatorname{logsumexp}"),
    INV(         "inv",          Args.SQUARE,        Result.SAME,        Symmetric.OF_ARGS,   Linear.NONE,    List.of(Domain.WELL_CONDITIONED), null),
    DIAG(        "diag",         Args.DIAG,          Result.DIAG,        Symmetric.OF_VECTOR, Linear.EACH,    List.of(Domain.ANY),              "\\operatorname{diag}"),
    VEC(         "vec",          Args.ANY,           Result.VEC,         Symmetric.NEVER,     Linear.EACH,    List.of(Domain.ANY),              "\\operatorname{vec}"),
    KRON(        "kron",         Args.ANY_PAIR,      Result.KRON,        Symmetric.OF_ARGS,   Linear.EACH,    List.of(Domain.ANY, Domain.ANY),  null),
    SOFTMAX(     "softmax",      Args.ANY,           Result.SAME,        Symmetric.NEVER,     Linear.NONE,    List.of(Domain.ANY),              "\\operatorname{softmax}"),
    EXPM(        "expm",         Args.SQUARE,        Result.SAME,        Symmetric.OF_ARGS,   Linear.NONE,    List.of(Domain.SQUARE),           "\\operatorname{expm}"),
    SQRTM(       "sqrtm",        Args.SQUARE,        Result.SAME,        Symmetric.OF_ARGS,   Linear.NONE,    List.of(Domain.SPD),              null),
    EIGVALS(     "eigvals",      Args.SQUARE,        Result.EIGENVECTOR, Symmetric.NEVER,     Linear.NONE,    List.of(Domain.SYMMETRIC),        "\\lambda"),
    LAMBDA_MAX(  "lambda_max",   Args.SQUARE,        Result.SCALAR,      Symmetric.NEVER,     Linear.NONE,    List.of(Domain.SYMMETRIC),        "\\lambda_{\\max}"),
    LAMBDA_MIN(  "lambda_min",   Args.SQUARE,        Result.SCALAR,      Symmetric.NEVER,     Linear.NONE,    List.of(Domain.SYMMETRIC),        "\\lambda_{\\min}"),
    // Reductions and functions along one dimension, k = 1 (down each column) or 2 (along each row), as MATLAB numbers them:
    /** sum(X, k): column sums (1 x m) for k = 1, row sums (n x 1) for k = 2. */
    SUM_AXIS(    "sum",          Args.AXIS,          Result.AXIS,        Symmetric.NEVER,     Linear.FIRST,   List.of(Domain.ANY, Domain.ANY),  "\\operatorname{sum}"),
    /** softmax(X, k): the softmax of each column (k = 1) or of each row (k = 2). */
    SOFTMAX_AXIS("softmax",      Args.AXIS,          Result.SAME,        Symmetric.NEVER,     Linear.NONE,    List.of(Domain.ANY, Domain.ANY),  "\\operatorname{softmax}"),
    /** logsumexp(X, k): log of the sums of exp down each column (1 x m) or along each row (n x 1). */
    LOGSUMEXP_AXIS("logsumexp",  Args.AXIS,          Result.AXIS,        Symmetric.NEVER,     Linear.NONE,    List.of(Domain.ANY, Domain.ANY),  "\\operatorname{logsumexp}"),
    /** max(X): the largest entry; where several are largest the derivative is shared equally among them. */
    MAX(         "max",          Args.ANY,           Result.SCALAR,      Symmetric.NEVER,     Linear.NONE,    List.of(Domain.ANY),              "\\max"),
    MIN(         "min",          Args.ANY,           Result.SCALAR,      Symmetric.NEVER,     Linear.NONE,    List.of(Domain.ANY),              "\\min"),
    /** max(A, B): the element-wise larger (broadcast as + is); at a tie the derivative is half of each side's. */
    MAXIMUM(     "max",          Args.ELEMENTWISE_PAIR, Result.BROADCAST, Symmetric.OF_ARGS,  Linear.NONE,    List.of(Domain.ANY, Domain.ANY),  "\\max"),
    MINIMUM(     "min",          Args.ELEMENTWISE_PAIR, Result.BROADCAST, Symmetric.OF_ARGS,  Linear.NONE,    List.of(Domain.ANY, Domain.ANY),  "\\min"),
    /** numel(X): the number of entries of X, a constant (mean(X) is sum(X)/numel(X)). */
    NUMEL(       "numel",        Args.ANY,           Result.SCALAR,      Symmetric.NEVER,     Linear.NONE,    List.of(Domain.ANY),              "\\operatorname{numel}"),
    /** size(X, k): the number of rows (k = 1) or columns (k = 2) of X, a constant (mean(X, k) is sum(X, k)/size(X, k)). */
    SIZE(        "size",         Args.AXIS,          Result.SCALAR,      Symmetric.NEVER,     Linear.NONE,    List.of(Domain.ANY, Domain.ANY),  "\\operatorname{size}"),
    // Primitives that derivatives need (documented in LANGUAGE.md's "Functions for derivatives"):
    /** expm_frechet(A, E): the Frechet derivative of expm at A in direction E, d/dt expm(A + t*E) at t = 0. */
    EXPM_FRECHET("expm_frechet", Args.SQUARE_PAIR,   Result.SAME,        Symmetric.OF_ARGS,   Linear.LAST,    List.of(Domain.SQUARE, Domain.SQUARE), "L_{\\exp}"),
    /** sylvester(S, C): the Y with S*Y + Y*S = C, for symmetric positive definite S (so d sqrtm(S) = sylvester(sqrtm(S), dS)). */
    SYLVESTER(   "sylvester",    Args.SQUARE_PAIR,   Result.SAME,        Symmetric.OF_ARGS,   Linear.LAST,    List.of(Domain.SPD, Domain.SQUARE), "\\operatorname{sylv}"),
    /** eigvecs(S): orthonormal eigenvectors of symmetric S as columns, in the order of eigvals(S) (ascending). */
    EIGVECS(     "eigvecs",      Args.SQUARE,        Result.SAME,        Symmetric.NEVER,     Linear.NONE,    List.of(Domain.SYMMETRIC),        "\\operatorname{eigvecs}"),
    /** eigvec_max(S): the unit eigenvector of symmetric S for lambda_max(S) (last column of eigvecs(S)). */
    EIGVEC_MAX(  "eigvec_max",   Args.SQUARE,        Result.EIGENVECTOR, Symmetric.NEVER,     Linear.NONE,    List.of(Domain.SYMMETRIC),        "v_{\\max}"),
    /** eigvec_min(S): the unit eigenvector of symmetric S for lambda_min(S) (first column of eigvecs(S)). */
    EIGVEC_MIN(  "eigvec_min",   Args.SQUARE,        Result.EIGENVECTOR, Symmetric.NEVER,     Linear.NONE,    List.of(Domain.SYMMETRIC),        "v_{\\min}"),
    /**
     * ismax(X): 1/k at each of the k entries of X equal to max(X), 0 elsewhere: d max(X) = sum(ismax(X) .* dX).
     * Not taken as symmetric: rounding breaks the mirrored tie of a symmetric X, and the projection restores it.
     */
    ISMAX(       "ismax",        Args.ANY,           Result.SAME,        Symmetric.NEVER,   Linear.NONE,    List.of(Domain.ANY),              "\\operatorname{ismax}"),
    /** ismin(X): 1/k at each of the k entries of X equal to min(X), 0 elsewhere: d min(X) = sum(ismin(X) .* dX). */
    ISMIN(       "ismin",        Args.ANY,           Result.SAME,        Symmetric.NEVER,   Linear.NONE,    List.of(Domain.ANY),              "\\operatorname{ismin}"),
    /** logm(S): the principal matrix logarithm of a symmetric positive definite S (log of its eigenvalues). */
    LOGM(        "logm",         Args.SQUARE,        Result.SAME,        Symmetric.OF_ARGS,   Linear.NONE,    List.of(Domain.SPD),              "\\operatorname{logm}"),
    /** logm_frechet(S, E): the Frechet derivative of logm at spd S in direction E, by the Daleckii-Krein formula. */
    LOGM_FRECHET("logm_frechet", Args.SQUARE_PAIR,   Result.SAME,        Symmetric.OF_ARGS,   Linear.LAST,    List.of(Domain.SPD, Domain.SQUARE), "L_{\\log}"),
    /**
     * expm_frechet2(A, E, F): the second Frechet derivative of expm at A in directions E and F, the derivative of
     * expm_frechet(A, E) in A along F; symmetric in E and F (Higham and Relton 2014).
     */
    EXPM_FRECHET2("expm_frechet2", Args.SQUARE_TRIPLE, Result.SAME,      Symmetric.OF_ARGS,   Linear.LAST,    List.of(Domain.SQUARE, Domain.SQUARE, Domain.SQUARE), "L^{(2)}_{\\exp}"),
    /** expm_frechet_kron(A): the n^2 x n^2 Kronecker form K of expm's Frechet derivative, vec(expm_frechet(A, E)) = K*vec(E). */
    EXPM_FRECHET_KRON("expm_frechet_kron", Args.SQUARE, Result.KRON_FORM, Symmetric.NEVER,    Linear.NONE,    List.of(Domain.SQUARE), "K_{\\exp}"),
    /** expm_frechet2_kron(A, E): the Kronecker form of expm_frechet2 in F, vec(expm_frechet2(A, E, F)) = expm_frechet2_kron(A, E)*vec(F). */
    EXPM_FRECHET2_KRON("expm_frechet2_kron", Args.SQUARE_PAIR, Result.KRON_FORM, Symmetric.NEVER, Linear.NONE, List.of(Domain.SQUARE, Domain.SQUARE), "K^{(2)}_{\\exp}");

    /** What a function accepts; the typer's checks and unifications. */
    public enum Args {
        /** one argument of any shape */
        ANY(1),
        /** two arguments of any shapes */
        ANY_PAIR(2),
        /** one square matrix */
        SQUARE(1),
        /** two square matrices of the same size */
        SQUARE_PAIR(2),
        /** three square matrices of the same size */
        SQUARE_TRIPLE(3),
        /** a vector or a square matrix */
        DIAG(1),
        /** any shape and a dimension number, the literal 1 or 2 */
        AXIS(2),
        /** two arguments of equal shapes, or broadcast as in + (a scalar, or a row or column against a matrix) */
        ELEMENTWISE_PAIR(2);

        final int arity;

        Args(int arity) {
            this.arity = arity;
        }
    }

    /** The shape of the result. */
    public enum Result {
        SCALAR, SAME, EIGENVECTOR, VEC, DIAG, KRON,
        /** n^2 x n^2 for an n x n first argument: the Kronecker form of a linear map of n x n matrices */
        KRON_FORM,
        /** reduced along the dimension of the second argument: 1 x m for 1, n x 1 for 2 */
        AXIS,
        /** the larger shape of two that broadcast */
        BROADCAST
    }

    /** When the result is symmetric for every value of the variables. */
    public enum Symmetric {
        /** not in general */
        NEVER,
        /** when every argument is symmetric */
        OF_ARGS,
        /** when its argument is a vector (diag(v)) */
        OF_VECTOR
    }

    /** The arguments a function is linear in, the others held fixed. */
    public enum Linear {
        NONE, EACH, LAST, FIRST
    }

    /** Where random test inputs of an argument come from. */
    public enum Domain {
        /** any real matrix of a shape that fits */
        ANY,
        /** entries away from zero, where a kink is (norm1, and norm2 at 0) */
        NONZERO,
        /** a square matrix of moderate norm */
        SQUARE,
        /** a square matrix far from singular */
        WELL_CONDITIONED,
        /** a symmetric matrix with well-separated eigenvalues */
        SYMMETRIC,
        /** a symmetric positive definite matrix */
        SPD
    }

    private final String name;
    private final Args arguments;
    private final Result result;
    private final Symmetric symmetric;
    private final Linear linear;
    private final List<Domain> domains;
    private final String latexName;

    Builtin(String name, Args arguments, Result result, Symmetric symmetric, Linear linear, List<Domain> domains,
            String latexName) {
        if (domains.size() != arguments.arity) {
            throw new IllegalArgumentException(name + ": one test domain per argument");
        }
        this.name = name;
        this.arguments = arguments;
        this.result = result;
        this.symmetric = symmetric;
        this.linear = linear;
        this.domains = domains;
        this.latexName = latexName;
    }

    public String languageName() {
        return name;
    }

    public int arity() {
        return arguments.arity;
    }

    public Args arguments() {
        return arguments;
    }

    public Symmetric symmetric() {
        return symmetric;
    }

    /** Whether the function is linear in argument {@code i} (0-based) with the others held fixed. */
    public boolean linearIn(int i) {
        return switch (linear) {
            case NONE -> false;
            case EACH -> true;
            case LAST -> i == arity() - 1;
            case FIRST -> i == 0;
        };
    }

    /** Whether it is linear in some argument: then it has a transpose and a vec-Jacobian rule. */
    public boolean isLinear() {
        return linear != Linear.NONE;
    }

    /** The domain random test inputs for argument {@code i} come from. */
    public Domain domain(int i) {
        return domains.get(i);
    }

    /** The operator name for LaTeX when it is written as a named function, else null (special form). */
    public String latexName() {
        return latexName;
    }

    /**
     * The shape of the result, given the shapes of well-typed arguments: the one shape rule of
     * each function, read by the typer (after its checks and unification), the symbolic engine
     * and the simplifier.
     */
    public Shape resultShape(List<Shape> args) {
        Shape a = args.get(0);
        return switch (result) {
            case SCALAR -> Shape.SCALAR;
            case SAME -> a;
            case EIGENVECTOR -> Shape.vector(a.rows());
            case VEC -> Shape.vector(Size.times(a.rows(), a.cols()));
            case DIAG -> a.isScalar() ? a : a.isColumn() ? new Shape(a.rows(), a.rows())
                    : a.isRow() ? new Shape(a.cols(), a.cols()) : Shape.vector(a.rows());
            case KRON -> new Shape(Size.times(a.rows(), args.get(1).rows()), Size.times(a.cols(), args.get(1).cols()));
            case KRON_FORM -> new Shape(Size.times(a.rows(), a.rows()), Size.times(a.rows(), a.rows()));
            case AXIS -> throw new IllegalArgumentException(name + ": the shape depends on the dimension; use resultShape(args, axis)");
            case BROADCAST -> {
                Shape b = args.get(1);
                yield a.isMatrix() ? a : b.isMatrix() ? b : a.isScalar() ? b : a;
            }
        };
    }

    /** The shape of call {@code c} of this function, given the shapes of its arguments (the dimension of sum(X, k) read from c). */
    public Shape resultShape(Expr.Call c, List<Shape> args) {
        if (result != Result.AXIS) {
            return resultShape(args);
        }
        Shape a = args.get(0);
        return axisOf(c) == 1 ? new Shape(Size.ONE, a.cols()) : new Shape(a.rows(), Size.ONE);
    }

    /** The dimension number of a call of a function of {@link Args#AXIS}: its second argument, 1 or 2. */
    public static int axisOf(Expr.Call c) {
        return (int) ((Expr.Num) c.args().get(1)).value();
    }

    /** The first function of this name (max and sum have two: by arity, see {@link #byName(String, int)}). */
    public static Optional<Builtin> byName(String name) {
        for (Builtin b : values()) {
            if (b.name.equals(name)) {
                return Optional.of(b);
            }
        }
        return Optional.empty();
    }

    /** The function of this name taking {@code arity} arguments. */
    public static Optional<Builtin> byName(String name, int arity) {
        for (Builtin b : values()) {
            if (b.name.equals(name) && b.arity() == arity) {
                return Optional.of(b);
            }
        }
        return Optional.empty();
    }

    /** The numbers of arguments functions of this name take, e.g. "1 or 2". */
    public static String aritiesOf(String name) {
        java.util.TreeSet<Integer> a = new java.util.TreeSet<>();
        for (Builtin b : values()) {
            if (b.name.equals(name)) {
                a.add(b.arity());
            }
        }
        return a.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(" or "));
    }
}
