package org.matcalc.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.matcalc.expr.BinaryOp;
import org.matcalc.expr.Builtin;
import org.matcalc.expr.Expr;
import org.matcalc.expr.MatcalcException;

/**
 * Every built-in function and operator has a differential rule (and a transpose rule where it
 * is linear): its derivative is checked against central differences, or, for the documented
 * gaps, refused by name with kind UNSUPPORTED. The switch expressions make a new enum constant
 * a compile error here until it has a row.
 */
class CompletenessTest {
    private static final String DECLS = "S: spd(n); C: matrix(n); x: vector(n); s: scalar";
    private static final Set<Builtin> GAPS = Set.of();

    private static String use(Builtin b) {
        return switch (b) {
            case SUM -> "sum(S)";
            case NORM1 -> "norm1(S)";
            case NORM2 -> "norm2(S)";
            case TR -> "tr(S)";
            case DET -> "det(S)";
            case LOGDET -> "logdet(S)";
            case LOGSUMEXP -> "logsumexp(S)";
            case INV -> "sum(inv(S) .* C)";
            case DIAG -> "x'*diag(S)";
            case VEC -> "x'*kron(x', eye(n))*vec(S)";
            case KRON -> "sum(kron(S, C) .* kron(C, C))";
            case SOFTMAX -> "x'*softmax(S*x)";
            case EXPM -> "tr(expm(S)*C)";
            case SQRTM -> "tr(sqrtm(S)*C)";
            case EIGVALS -> "x'*eigvals(S)";
            case LAMBDA_MAX -> "lambda_max(S)";
            case LAMBDA_MIN -> "lambda_min(S)";
            case EXPM_FRECHET -> "tr(expm_frechet(C, S)*C)";
            case SYLVESTER -> "tr(sylvester(S, S*C)*C)";
            case EIGVECS -> "sum(eigvecs(S) .* eigvecs(S) .* C)";
            case EIGVEC_MAX -> "(x'*eigvec_max(S))^2";
            case EIGVEC_MIN -> "(x'*eigvec_min(S))^2";
        };
    }

    @ParameterizedTest
    @EnumSource(Builtin.class)
    void everyBuiltinHasADifferentialRule(Builtin b) {
        String f = use(b);
        if (GAPS.contains(b)) {
            MatcalcException e = assertThrows(MatcalcException.class,
                    () -> Derivatives.derive(Expr.parse(f), DerivativeCheck.decls(DECLS), "S", 1, Layout.MIXED));
            assertEquals(MatcalcException.Kind.UNSUPPORTED, e.kind());
            assertTrue(e.getMessage().contains(b.languageName()), e.getMessage());
            return;
        }
        DerivativeCheck.check(f, DECLS, "S", b.ordinal(), false);
    }

    private static String use(BinaryOp op) {
        return switch (op) {
            case ADD -> "sum(C + C*C)";
            case SUB -> "sum(C - C*C)";
            case MUL -> "x'*C*C*x";
            case DIV -> "sum(C/(1 + s*s))";
            case HADAMARD -> "sum(C .* C)";
            case HADAMARD_DIV -> "sum(C ./ (C .* C + matrix(1)))";
            case POW -> "tr(C^3) + s^3";
            case ELEM_POW -> "sum(C .^ 3)";
        };
    }

    @ParameterizedTest
    @EnumSource(BinaryOp.class)
    void everyOperatorHasADifferentialRule(BinaryOp op) {
        DerivativeCheck.check(use(op), DECLS, "C", op.ordinal(), false);
        if (use(op).matches(".*\\bs\\b.*")) {
            DerivativeCheck.check(use(op), DECLS, "s", op.ordinal(), false);
        }
    }
}
