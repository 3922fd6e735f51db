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
    /** logm(S): the principal matrix logarithm of a symmetric positive definite S (log of its eigenvalues). */
    LOGM(        "logm",         Args.SQUARE,        Result.SAME,        Symmetric.OF_ARGS,   Linear.NONE,    List.of(Domain.SPD),              "\\operatorname{logm}"),
    /** logm_frechet(S, E): the Frechet derivative of logm at spd S in direction E, by the Daleckii-Krein formula. */
    LOGM_FRECHET("logm_frechet", Args.SQUARE_PAIR,   Result.SAME,        Symmetric.OF_ARGS,   Linear.LAST,    List.of(Domain.SPD, Domain.SQUARE), "L_{\\log}");

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
        /** a vector or a square matrix */
        DIAG(1);

        final int arity;

        Args(int arity) {
            this.arity = arity;
        }
    }

    /** The shape of the result. */
    public enum Result {
        SCALAR, SAME, EIGENVECTOR, VEC, DIAG, KRON
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
        NONE, EACH, LAST
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
        };
    }

    public static Optional<Builtin> byName(String name) {
        for (Builtin b : values()) {
            if (b.name.equals(name)) {
                return Optional.of(b);
            }
        }
        return Optional.empty();
    }
}
