package org.matcalc.expr;

import java.util.Optional;

/** The built-in functions that are not element-wise (those are {@link ScalarFunction}). */
public enum Builtin {
    SUM("sum", 1, "\\operatorname{sum}"),
    NORM1("norm1", 1, null),
    NORM2("norm2", 1, null),
    TR("tr", 1, "\\operatorname{tr}"),
    DET("det", 1, "\\det"),
    LOGDET("logdet", 1, "\\log\\det"),
    LOGSUMEXP("logsumexp", 1, "\\operatorname{logsumexp}"),
    INV("inv", 1, null),
    DIAG("diag", 1, "\\operatorname{diag}"),
    VEC("vec", 1, "\\operatorname{vec}"),
    KRON("kron", 2, null),
    SOFTMAX("softmax", 1, "\\operatorname{softmax}"),
    EXPM("expm", 1, "\\operatorname{expm}"),
    SQRTM("sqrtm", 1, null),
    EIGVALS("eigvals", 1, "\\lambda"),
    LAMBDA_MAX("lambda_max", 1, "\\lambda_{\\max}"),
    LAMBDA_MIN("lambda_min", 1, "\\lambda_{\\min}"),
    // Primitives that derivatives need (documented in LANGUAGE.md's "Functions for derivatives"):
    /** expm_frechet(A, E): the Frechet derivative of expm at A in direction E, d/dt expm(A + t*E) at t = 0. */
    EXPM_FRECHET("expm_frechet", 2, "L_{\\exp}"),
    /** sylvester(S, C): the Y with S*Y + Y*S = C, for symmetric positive definite S (so d sqrtm(S) = sylvester(sqrtm(S), dS)). */
    SYLVESTER("sylvester", 2, "\\operatorname{sylv}"),
    /** eigvecs(S): orthonormal eigenvectors of symmetric S as columns, in the order of eigvals(S) (ascending). */
    EIGVECS("eigvecs", 1, "\\operatorname{eigvecs}"),
    /** eigvec_max(S): the unit eigenvector of symmetric S for lambda_max(S) (last column of eigvecs(S)). */
    EIGVEC_MAX("eigvec_max", 1, "v_{\\max}"),
    /** eigvec_min(S): the unit eigenvector of symmetric S for lambda_min(S) (first column of eigvecs(S)). */
    EIGVEC_MIN("eigvec_min", 1, "v_{\\min}");

    private final String name;
    private final int arity;
    private final String latexName;

    Builtin(String name, int arity, String latexName) {
        this.name = name;
        this.arity = arity;
        this.latexName = latexName;
    }

    public String languageName() {
        return name;
    }

    public int arity() {
        return arity;
    }

    /** The operator name for LaTeX when it is written as a named function, else null (special form). */
    public String latexName() {
        return latexName;
    }

    /**
     * The shape of the result, given the shapes of well-typed arguments: the one shape rule of
     * each function, read by the typer (after its checks and unification), the symbolic engine
     * and the simplifier. A switch expression, so a new function without a rule does not compile.
     */
    public Shape resultShape(java.util.List<Shape> args) {
        Shape a = args.get(0);
        return switch (this) {
            case SUM, NORM1, NORM2, LOGSUMEXP, TR, DET, LOGDET, LAMBDA_MAX, LAMBDA_MIN -> Shape.SCALAR;
            case INV, EXPM, SQRTM, SOFTMAX, EIGVECS, EXPM_FRECHET, SYLVESTER -> a;
            case EIGVALS, EIGVEC_MAX, EIGVEC_MIN -> Shape.vector(a.rows());
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
