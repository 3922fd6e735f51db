package org.matcalc.expr;

import java.util.EnumMap;
import java.util.Map;


/**
 * One test row per primitive of the language: a scalar expression that uses it, the
 * declarations its inputs respect, the variable to differentiate by, and whether its second
 * derivative is implemented. The diff layer's CompletenessTest checks each row's symbolic
 * derivative and fails by name for a primitive without a row; the ad layer's ExprADTest runs
 * each row in every mode of automatic differentiation.
 */
public final class PrimitiveTable {
    public static final String DECLS = "S: spd(n); T: symmetric(n); C: matrix(n); x: vector(n); s: scalar";

    public record Row(String expression, String declarations, String wrt, boolean secondOrder) {
    }

    public static final Map<Builtin, Row> ROWS = new EnumMap<>(Builtin.class);

    private static void row(Builtin b, String expression) {
        ROWS.put(b, new Row(expression, DECLS, "S", true));
    }

    /** A row by another variable than S. */
    private static void row(Builtin b, String expression, String wrt) {
        ROWS.put(b, new Row(expression, DECLS, wrt, true));
    }

    /** A row whose second derivative is refused by name (not implemented). */
    private static void firstOrderRow(Builtin b, String expression) {
        ROWS.put(b, new Row(expression, DECLS, "S", false));
    }

    static {
        row(Builtin.SUM, "sum(S)");
        row(Builtin.NORM1, "norm1(S)");
        row(Builtin.NORM2, "norm2(S)");
        row(Builtin.TR, "tr(S)");
        row(Builtin.DET, "det(S)");
        row(Builtin.LOGDET, "logdet(S)");
        row(Builtin.LOGSUMEXP, "logsumexp(S)");
        row(Builtin.INV, "sum(inv(S) .* C)");
        row(Builtin.DIAG, "x'*diag(S)");
        row(Builtin.VEC, "x'*kron(x', eye(n))*vec(S)");
        row(Builtin.KRON, "sum(kron(S, C) .* kron(C, C))");
        row(Builtin.SOFTMAX, "x'*softmax(S*x)");
        row(Builtin.EXPM, "tr(expm(S)*C)");
        row(Builtin.SQRTM, "tr(sqrtm(S)*C)");
        row(Builtin.EIGVALS, "x'*eigvals(S)");
        row(Builtin.LAMBDA_MAX, "lambda_max(S)");
        row(Builtin.LAMBDA_MIN, "lambda_min(S)");
        row(Builtin.EXPM_FRECHET, "tr(expm_frechet(C, S)*C)");
        row(Builtin.SYLVESTER, "tr(sylvester(S, S*C)*C)");
        // a symmetric T: its random eigenvalues are well apart, which second differences of eigenvectors need
        row(Builtin.EIGVECS, "sum(eigvecs(T) .* eigvecs(T) .* C)", "T");
        row(Builtin.EIGVEC_MAX, "(x'*eigvec_max(S))^2");
        row(Builtin.EIGVEC_MIN, "(x'*eigvec_min(T))^2", "T");
        firstOrderRow(Builtin.LOGM, "tr(logm(S)*C)");
        row(Builtin.LOGM_FRECHET, "tr(logm_frechet(C*C' + eye(n), S*C)*C)");
        // the derivatives of expm: a Kronecker form is constant here (its own derivatives, third ones of expm, are refused)
        row(Builtin.EXPM_FRECHET2, "tr(expm_frechet2(C, S*C, S)*C)");
        row(Builtin.EXPM_FRECHET_KRON, "x'*kron(x', eye(n))*expm_frechet_kron(C)*vec(S)");
        row(Builtin.EXPM_FRECHET2_KRON, "x'*kron(x', eye(n))*expm_frechet2_kron(C, C')*vec(S*S)");
        row(Builtin.SUM_AXIS, "x'*sum(S*C, 2) + sum(S .* C, 1)*x");
        row(Builtin.SOFTMAX_AXIS, "sum(softmax(S*C, 2) .* C) + sum(softmax(S, 1) .* C)");
        row(Builtin.LOGSUMEXP_AXIS, "x'*logsumexp(S*C, 2) + logsumexp(S, 1)*x");
        row(Builtin.MAX, "max(S*C)");
        row(Builtin.MIN, "min(S*C)");
        row(Builtin.MAXIMUM, "sum(max(S, C) .* C)");
        row(Builtin.MINIMUM, "sum(min(S*C, 0.5) .* C)");
        row(Builtin.ISMAX, "sum(ismax(S*C) .* C) + s*max(S)");
        row(Builtin.ISMIN, "sum(ismin(S*C) .* C) + s*min(S)");
        row(Builtin.NUMEL, "sum(S)/numel(S)");
        row(Builtin.SIZE, "sum(S, 1)*x/size(S, 2)");
    }

    private PrimitiveTable() {
    }
}
