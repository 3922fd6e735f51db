package org.matcalc.diff;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.matcalc.expr.Declarations;
import org.matcalc.expr.Expr;
import org.matcalc.expr.ExprGenerator;
import org.matcalc.expr.MatcalcException;
import org.matcalc.expr.Parser;
import org.matcalc.expr.Shape;
import org.matcalc.expr.Size;
import org.matcalc.expr.TextPrinter;
import org.matcalc.expr.Typer;

/**
 * Property: for thousands of random well-typed expressions over the primitives (seeded, so a
 * failure reproduces), the symbolic derivative equals central finite differences at random
 * non-square inputs, and its printed form parses back and evaluates to the same numbers.
 * Opt in to exploring other seeds with -Dmatcalc.seed=N.
 */
class RandomExpressionPropertyTest {
    private static final int CASES = 4000;
    private static final String DECLS = "X: matrix(n,m); Y: matrix(n,m); B: matrix(m,n); C: matrix(n); D: matrix(m); "
            + "x: vector(n); y: vector(n); w: vector(m); b: vector(m); s: scalar; t: scalar";
    private static final String[] SIZES = {"1", "n", "m"};

    private final Random rnd;
    private final ExprGenerator generator;

    RandomExpressionPropertyTest() {
        rnd = new Random(Long.getLong("matcalc.seed", 20261124L));
        generator = new ExprGenerator(rnd, DerivativeCheck.decls(DECLS));
    }

    /** Whether every eye / vector(c) / matrix(c) written without sizes has its sizes fixed by the typing. */
    private static boolean contextSized(Expr e, org.matcalc.expr.Typing typing) {
        if (e instanceof Expr.Identity i && i.size() == null || e instanceof Expr.Fill f && f.rows() == null) {
            Shape s = typing.shapeOf(e);
            if (!known(s.rows()) || !known(s.cols())) {
                return false;
            }
        }
        return org.matcalc.expr.TreeDepth.children(e).stream().allMatch(k -> contextSized(k, typing));
    }

    private static boolean known(Size s) {
        return s instanceof Size.Fixed || s instanceof Size.Sym
                || s instanceof Size.Prod p && p.factors().stream().allMatch(RandomExpressionPropertyTest::known);
    }

    @Test
    void symbolicDerivativesAgreeWithFiniteDifferences() {
        int vectorOutputs = 0;
        int unsupported = 0;
        for (int i = 0; i < CASES; i++) {
            boolean scalarOut = rnd.nextInt(5) > 0;
            int r = scalarOut ? 0 : 1 + rnd.nextInt(2);
            String f = gen(r, 0, 2 + rnd.nextInt(3));
            List<String> vars = variables(f);
            if (vars.isEmpty()) {
                continue;
            }
            String wrt = vars.get(rnd.nextInt(vars.size()));
            try {
                DerivativeCheck.check(f, DECLS, wrt, i, false);
            } catch (MatcalcException e) {
                // The documented gaps: third derivatives of expm (expm_frechet2 in A, the Kronecker forms
                // in anything) and logm_frechet in its first argument.
                if (e.kind() != MatcalcException.Kind.UNSUPPORTED || !e.getMessage().matches("(?s).*(expm|logm)_frechet.*")) {
                    throw new AssertionError("case " + i + ": " + f + " by " + wrt + ": " + e.getMessage(), e);
                }
                unsupported++;
                continue;
            } catch (AssertionError | RuntimeException | StackOverflowError e) {
                throw new AssertionError("case " + i + ": " + f + " by " + wrt + ": " + e.getMessage(), e);
            }
            vectorOutputs += scalarOut ? 0 : 1;
        }
        assertTrue(vectorOutputs > CASES / 10, "too few Jacobian cases: " + vectorOutputs);
        assertTrue(unsupported < CASES / 50, "too many unsupported cases: " + unsupported);
    }

    @Test
    void structuredVariablesGetProjectedGradients() {
        String[] variants = {DECLS.replace("C: matrix(n)", "C: symmetric(n)"), DECLS.replace("C: matrix(n)", "C: diagonal(n)"),
                DECLS.replace("C: matrix(n)", "C: spd(n)")};
        int checked = 0;
        for (int i = 0; checked < 600; i++) {
            String f = gen(0, 0, 2 + rnd.nextInt(3));
            if (!variables(f).contains("C")) {
                continue;
            }
            String decls = variants[checked % variants.length];
            try {
                DerivativeCheck.check(f, decls, "C", i, false);
            } catch (MatcalcException e) {
                if (e.kind() == MatcalcException.Kind.UNSUPPORTED && e.getMessage().matches("(?s).*(expm|logm)_frechet.*")) {
                    continue; // the documented gaps: second derivatives of logm, third ones of expm
                }
                throw new AssertionError("structured case " + i + ": " + f + " with " + decls + ": " + e.getMessage(), e);
            } catch (AssertionError | RuntimeException | StackOverflowError e) {
                throw new AssertionError("structured case " + i + ": " + f + " with " + decls + ": " + e.getMessage(), e);
            }
            checked++;
        }
    }

    @Test
    void hessiansAndHvpsAgreeWithFiniteDifferencesOfTheGradient() {
        int checked = 0;
        for (int i = 0; checked < 200; i++) {
            String f = gen(0, 0, 2 + rnd.nextInt(2));
            List<String> vars = variables(f);
            if (vars.isEmpty() || f.contains("logm") || f.contains("expm_frechet")) {
                continue; // second derivatives of logm, and third ones of expm, are documented gaps
            }
            String wrt = vars.get(rnd.nextInt(vars.size()));
            try {
                DerivativeCheck.checkHessian(f, DECLS, wrt, i, false);
            } catch (AssertionError | RuntimeException | StackOverflowError e) {
                throw new AssertionError("Hessian case " + i + ": " + f + " by " + wrt + ": " + e.getMessage(), e);
            }
            checked++;
        }
    }

    @Test
    void everyOrderAndLayoutAnswersOrRefusesByName() {
        Declarations decls = DerivativeCheck.decls(DECLS);
        for (int i = 0; i < 1500; i++) {
            boolean scalarOut = rnd.nextBoolean();
            String f = gen(scalarOut ? 0 : 1 + rnd.nextInt(2), scalarOut ? 0 : rnd.nextInt(3), 1 + rnd.nextInt(3));
            Expr e = Expr.parse(f);
            for (String wrt : List.of("X", "x", "s", "C")) {
                for (int order = 0; order <= 2; order++) {
                    for (Layout layout : Layout.values()) {
                        try {
                            Derivative d = Derivatives.derive(e, decls, wrt, order, layout);
                            String text = TextPrinter.print(d.expr());
                            Expr back = Parser.parse(text).expr();
                            org.matcalc.expr.Typing typed = Typer.check(back, d.declarations());
                            // a constant written without sizes (vector(1) - tanh(x).^2) takes them from its context
                            assertTrue(contextSized(back, typed), "a constant without a size in " + text);
                            assertTrue(d.description() != null && d.shape() != null, f);
                            d.derivation().toText();
                            d.derivation().toLatex();
                        } catch (MatcalcException ex) {
                            boolean documented = ex.kind() == MatcalcException.Kind.UNSUPPORTED && ex.getMessage().matches("(?s).*(expm|logm)_frechet.*")
                                    || ex.kind() == MatcalcException.Kind.REQUEST && order == 2;
                            assertTrue(documented, "case " + i + ": " + f + " by " + wrt + " order " + order + " " + layout + ": " + ex);
                        }
                    }
                }
            }
        }
    }

    private static List<String> variables(String f) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("\\b([XYBCDxywbst])\\b(?!\\()").matcher(f);
        while (m.find()) {
            if (!out.contains(m.group(1))) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    /** A random expression of shape SIZES[r] x SIZES[c], defined at any inputs (expr's ExprGenerator, over DECLS). */
    private String gen(int r, int c, int depth) {
        return TextPrinter.print(generator.valid(new Shape(size(r), size(c)), depth));
    }

    private static Size size(int k) {
        return k == 0 ? Size.ONE : Size.sym(SIZES[k]);
    }
}
