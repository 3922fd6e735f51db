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

    public static Optional<Builtin> byName(String name) {
        for (Builtin b : values()) {
            if (b.name.equals(name)) {
                return Optional.of(b);
            }
        }
        return Optional.empty();
    }
}
