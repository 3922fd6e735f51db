package org.matcalc.protocol;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.matcalc.expr.Declarations;
import org.matcalc.expr.Elaboration;
import org.matcalc.expr.Typer;

/**
 * The typer, with broadcasting written out and kinds taken from use, on arbitrary text: lines
 * before a line "%%" are declarations ({@code A: matrix(n,m)}), the rest is the expression. It
 * types or refuses cleanly, and what elaboration writes out types strictly (the engine's trees
 * never broadcast). Stored inputs: .../protocol/TyperFuzzTestInputs/type.
 */
class TyperFuzzTest {
    @FuzzTest(maxDuration = "4h", maxExecutions = 10_000_000)
    void type(byte[] input) {
        String text = Fuzzing.text(input);
        int split = text.indexOf("\n%%\n");
        String decls = split < 0 ? "" : text.substring(0, split);
        String expression = split < 0 ? text : text.substring(split + 4);
        Fuzzing.refusedCleanly(expression, () -> {
            Elaboration.Elaborated e = Elaboration.of(expression, Declarations.fromLines(decls));
            Typer.check(e.parsed(), e.decls());
        });
    }
}
