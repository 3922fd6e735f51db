package org.matcalc.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.matcalc.expr.BinaryOp;
import org.matcalc.expr.Builtin;
import org.matcalc.expr.Expr;
import org.matcalc.expr.LatexPrinter;
import org.matcalc.expr.PrimitiveTable;
import org.matcalc.expr.TextPrinter;
import org.matcalc.numeric.primitives.Primitives;

/**
 * Every primitive of the expression layer has every piece each layer needs: a differential
 * rule; a transpose and a vec-Jacobian rule exactly when it is linear in some argument; a
 * numeric block with kernel, forward and reverse rule; a text form that reads back and a LaTeX
 * form; and a row in {@link PrimitiveTable}, whose derivative is then checked. A missing piece
 * fails by the primitive's name and the piece's.
 */
class CompletenessTest {
    private static final String DECLS = PrimitiveTable.DECLS;

    /** What the layers have of one primitive. */
    record Pieces(boolean differential, boolean transpose, boolean vecJacobian, boolean kernel, boolean jvp, boolean vjp,
                  boolean printer, boolean row) {
    }

    static Pieces piecesOf(Builtin b) {
        var block = Primitives.find(b);
        return new Pieces(Rules.hasDifferential(b), Rules.hasTranspose(b), Rules.hasVecJacobian(b),
                block.map(p -> p.kernel() != null).orElse(false), block.map(p -> p.jvp() != null).orElse(false),
                block.map(p -> p.vjp() != null).orElse(false), prints(b), PrimitiveTable.ROWS.containsKey(b));
    }

    /** The text form of b(X, ...) reads back to the same tree, and its LaTeX has no hole. */
    private static boolean prints(Builtin b) {
        List<Expr> args = new ArrayList<>();
        for (int i = 0; i < b.arity(); i++) {
            // a dimension is the literal 1 or 2
            args.add(i == 1 && b.arguments() == Builtin.Args.AXIS ? Expr.num(2) : Expr.var(i == 0 ? "X" : "Y"));
        }
        Expr call = new Expr.Call(b, args);
        String latex = LatexPrinter.print(call);
        return Expr.parse(TextPrinter.print(call)).equals(call) && !latex.isBlank() && !latex.contains("null");
    }

    /** The missing pieces of primitive b, by name; empty when it is complete. */
    static List<String> gaps(Builtin b, Pieces p) {
        List<String> out = new ArrayList<>();
        String n = b.languageName() + ": ";
        if (!p.differential()) out.add(n + "no differential rule (diff, Rules)");
        if (b.isLinear() && !p.transpose()) out.add(n + "no transpose rule, though it is linear (diff, Rules)");
        if (!b.isLinear() && p.transpose()) out.add(n + "a transpose rule, though it is not linear (diff, Rules)");
        if (b.isLinear() && !p.vecJacobian()) out.add(n + "no vec-Jacobian rule, though it is linear (diff, Rules)");
        if (!b.isLinear() && p.vecJacobian()) out.add(n + "a vec-Jacobian rule, though it is not linear (diff, Rules)");
        if (!p.kernel()) out.add(n + "no kernel (numeric.primitives)");
        if (!p.jvp()) out.add(n + "no forward rule (numeric.primitives)");
        if (!p.vjp()) out.add(n + "no reverse rule (numeric.primitives)");
        if (!p.printer()) out.add(n + "no text or LaTeX form that reads back (expr printers)");
        if (!p.row()) out.add(n + "no test row (PrimitiveTable)");
        return out;
    }

    @Test
    void everyPrimitiveHasEveryPiece() {
        List<String> missing = new ArrayList<>();
        for (Builtin b : Builtin.values()) {
            missing.addAll(gaps(b, piecesOf(b)));
        }
        assertTrue(missing.isEmpty(), "missing: " + missing);
    }

    @Test
    void aMissingPieceIsNamed() {
        Pieces none = new Pieces(false, false, false, false, false, false, false, false);
        List<String> g = gaps(Builtin.KRON, none);
        assertEquals(10 - 2, g.size(), g.toString()); // kron is linear: the two "though it is not linear" cannot apply
        assertTrue(g.contains("kron: no transpose rule, though it is linear (diff, Rules)"), g.toString());
        assertTrue(g.contains("kron: no test row (PrimitiveTable)"), g.toString());
        Pieces extra = new Pieces(true, true, true, true, true, true, true, true);
        assertEquals(List.of("logdet: a transpose rule, though it is not linear (diff, Rules)",
                "logdet: a vec-Jacobian rule, though it is not linear (diff, Rules)"), gaps(Builtin.LOGDET, extra));
        assertEquals(List.of(), gaps(Builtin.LOGDET, piecesOf(Builtin.LOGDET)));
    }

    @ParameterizedTest
    @EnumSource(Builtin.class)
    void everyBuiltinHasADifferentialRule(Builtin b) {
        PrimitiveTable.Row row = PrimitiveTable.ROWS.get(b);
        assertTrue(row != null, b.languageName() + ": no test row (PrimitiveTable)");
        DerivativeCheck.check(row.expression(), row.declarations(), row.wrt(), b.ordinal(), false);
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
