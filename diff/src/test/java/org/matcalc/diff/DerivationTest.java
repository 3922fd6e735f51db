package org.matcalc.diff;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.matcalc.expr.Expr;
import org.matcalc.expr.Parser;

/** The derivation record: differential, trace-trick moves, read-off result; text and LaTeX. */
class DerivationTest {

    private static Derivation derive(String f, String wrt) {
        return Derivatives.derive(Expr.parse(f), DerivativeCheck.decls(RuleTables.DECLS), wrt, 1, Layout.MIXED).derivation();
    }

    @Test
    void aXbShowsTheTextbookSteps() {
        Derivation d = derive("a'*X*b", "X");
        String text = d.toText();
        assertTrue(text.contains("d(a'*X*b) = a'*dX*b"), text);
        assertTrue(text.contains("cyclic permutation"), text);
        assertTrue(text.contains("d/dX = a*b'"), text);
        assertEquals(Step.Kind.RESULT, d.steps().stream().filter(s -> s.kind() == Step.Kind.RESULT).findFirst().orElseThrow().kind());
    }

    @Test
    void hadamardSwapIsNamed() {
        String text = derive("sum(Y .* sin(X))", "X").toText();
        assertTrue(text.contains("Hadamard swap"), text);
        assertTrue(text.contains("chain rule"), text);
    }

    @Test
    void structuredAndLayoutStepsAreRecorded() {
        Derivation d = Derivatives.derive(Expr.parse("tr(C*S)"), DerivativeCheck.decls(RuleTables.DECLS), "S", 1, Layout.NUMERATOR)
                .derivation();
        assertTrue(d.steps().stream().anyMatch(s -> s.kind() == Step.Kind.CONVENTION && s.rule().startsWith("symmetric")), d.toText());
        assertTrue(d.steps().stream().anyMatch(s -> s.rule().startsWith("numerator layout")), d.toText());
    }

    /** The simplification shows the identities it used, each a step of its own that DerivationSteps checks by value. */
    @Test
    void simplifyStepsNameTheIdentitiesTheyUse() {
        String[][] rows = {
            {"-(y'*log(sigmoid(X*w)) + (vector(1)-y)'*log(vector(1)-sigmoid(X*w)))", "w", "simplify: 1 - sigmoid(u) = sigmoid(-u)",
                "simplify: sigmoid(u) + sigmoid(-u) = 1"},
            {"(x - mean(x))/sqrt(mean((x - mean(x)).^2) + s^2)", "x", "simplify: the centring matrix", null},
            {"log(det(inv(S)))", "S", "simplify: A*inv(A) = I", "simplify: the rule of inv"},
            {"tr(C^2*C^3)", "C", "simplify: powers of one matrix merge", null},
        };
        for (String[] row : rows) {
            Derivative d = DerivativeCheck.check(row[0], RuleTables.DECLS, row[1], row[0].hashCode(), false);
            List<Step> simplify = d.derivation().steps().stream().filter(s -> s.kind() == Step.Kind.SIMPLIFY).toList();
            for (int k = 2; k < row.length; k++) {
                String rule = row[k];
                assertTrue(rule == null || simplify.stream().anyMatch(s -> s.rule().startsWith(rule)), row[0] + " lacks " + rule + ":\n"
                        + d.derivation().toText());
            }
            assertTrue(simplify.get(simplify.size() - 1).rule().startsWith("simplify: the whole result"), d.derivation().toText());
        }
    }

    @Test
    void latexIsAnAlignedBlock() {
        String latex = derive("norm2(X*w - y)^2", "w").toLatex();
        assertTrue(latex.startsWith("\\begin{aligned}") && latex.endsWith("\\end{aligned}"), latex);
        assertTrue(latex.contains("\\frac{\\partial}{\\partial w}"), latex);
    }

    @Test
    void everyStepSidePrintsAsTheLanguage() {
        for (String f : new String[] {"a'*X*b", "-y'*log(softmax(X*w))", "logdet(S) + tr(inv(S)*C)", "tr(expm(C))"}) {
            String wrt = f.contains("S") ? "S" : f.contains("C") ? "C" : f.contains("w))") ? "w" : "X";
            for (Step s : derive(f, wrt).steps()) {
                Parser.parse(org.matcalc.expr.TextPrinter.print(s.after()));
                Parser.parse(org.matcalc.expr.TextPrinter.print(s.before()));
            }
        }
    }

    @Test
    void ruleWordsAreEscapedForLatexTextMode() {
        assertEquals("d norm2(A)\\textasciicircum{}2 \\& 50\\% \\_ \\$", Step.textMode("d norm2(A)^2 & 50% _ $"));
        // Every step of a derivation whose rule names a power renders without a bare ^ in text mode.
        Derivative d = Derivatives.derive(Parser.parse("norm2(A*x)^2").expr(), org.matcalc.expr.Declarations.NONE, "x", 1,
                Layout.MIXED);
        for (String line : d.derivation().toLatex().split("\n")) {
            int t = line.indexOf("\\text{");
            if (t >= 0) {
                String words = line.substring(t);
                assertTrue(!words.replace("\\textasciicircum{}", "").contains("^"), line);
            }
        }
    }
}
