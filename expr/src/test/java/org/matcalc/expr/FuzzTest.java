package org.matcalc.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Mangled input is either read or refused with a MatcalcException carrying a position inside the
 * text; never another exception. Read input round-trips through the printer.
 */
class FuzzTest {
    private static final String ALPHABET = "xyAXabnT()'*+-/.^,eE0123456789 \n\t_#sintrkoveyzm";

    @Test
    void mangledExpressionsAreReadOrRefusedCleanly() {
        String[] seeds = {"0.5*x'*A*x", "sum(log(exp(-y.*(X*w)) + vector(1)))", "tr(A*X'*B*X*C)", "kron(eye(n), A)*vec(X)",
                "norm2(A*x-y)^2", "-y'*log(softmax(W*x))", "matrix(2, n*m, 3)", "commutation(m, n)", "zeros(n, m) + X^T", "x.^-2 ./ 1e-3"};
        Random rnd = new Random(7);
        int read = 0;
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder(seeds[rnd.nextInt(seeds.length)]);
            for (int k = rnd.nextInt(4); k >= 0; k--) {
                int at = rnd.nextInt(sb.length() + 1);
                switch (rnd.nextInt(3)) {
                    case 0:
                        sb.insert(at, ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
                        break;
                    case 1:
                        if (at < sb.length()) {
                            sb.deleteCharAt(at);
                        }
                        break;
                    default:
                        if (at < sb.length()) {
                            sb.setCharAt(at, ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
                        }
                }
            }
            String text = sb.toString();
            try {
                Parsed p = Parser.parse(text);
                read++;
                assertEquals(p.expr(), Parser.parse(TextPrinter.print(p.expr())).expr(), text);
                assertTrue(!LatexPrinter.print(p.expr()).isEmpty());
                try {
                    Typing t = Typer.check(p, Declarations.NONE);
                    assertNotNull(t.shape());
                } catch (MatcalcException e) {
                    checkPosition(text, e);
                }
            } catch (MatcalcException e) {
                checkPosition(text, e);
            } catch (RuntimeException | StackOverflowError e) {
                throw new AssertionError("input " + quoted(text) + " threw " + e, e);
            }
        }
        assertTrue(read > 1000, "the fuzzer should also produce valid input, got " + read);
    }

    private static void checkPosition(String text, MatcalcException e) {
        assertNotNull(e.getMessage());
        if (e.span() == null) {
            assertTrue(text.isBlank(), "no position for " + quoted(text) + ": " + e.getMessage());
            return;
        }
        Span s = e.span();
        assertTrue(s.offset() >= 0 && s.offset() <= text.length(), quoted(text) + ": " + e.getMessage());
        String[] lines = text.split("\n", -1);
        assertTrue(s.line() >= 1 && s.line() <= lines.length, quoted(text) + ": " + e.getMessage());
        assertTrue(s.column() >= 1 && s.column() <= lines[s.line() - 1].length() + 1, quoted(text) + ": " + e.getMessage());
        // The offset and the line:column agree.
        int lineStart = text.lastIndexOf('\n', s.offset() - 1) + 1;
        assertEquals(s.offset() - lineStart + 1, s.column(), quoted(text) + ": " + e.getMessage());
        assertTrue(e.render(text).contains("^"));
    }

    private static String quoted(String s) {
        return "\"" + s.replace("\n", "\\n").replace("\t", "\\t") + "\"";
    }
}
