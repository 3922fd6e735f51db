package org.matcalc.diff;

import java.util.EnumMap;
import java.util.Map;

import org.matcalc.expr.Builtin;

/**
 * One test row per primitive of the language: a scalar expression that uses it on non-square
 * data where it can, the declarations its inputs respect, and the variable to differentiate
 * by. {@link CompletenessTest} checks each row's derivative (symbolic against finite
 * differences and automatic differentiation) and fails by name for a primitive without a row.
 */
final class PrimitiveTable {
    static final String DECLS = "S: spd(n); C: matrix(n); x: vector(n); s: scalar";

    record Row(String expression, String declarations, String wrt) {
    }

    static final Map<Builtin, Row> ROWS = new EnumMap<>(Builtin.class);

    private static void row(Builtin b, String expression) {
        ROWS.put(b, new Row(expression, DECLS, "S"));
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
        row(Builtin.EIGVECS, "sum(eigvecs(S) .* eigvecs(S) .* C)");
        row(Builtin.EIGVEC_MAX, "(x'*eigvec_max(S))^2");
        row(Builtin.EIGVEC_MIN, "(x'*eigvec_min(S))^2");
        row(Builtin.LOGM, "tr(logm(S)*C)");
        row(Builtin.LOGM_FRECHET, "tr(logm_frechet(C*C' + eye(n), S*C)*C)");
    }

    private PrimitiveTable() {
    }
}
