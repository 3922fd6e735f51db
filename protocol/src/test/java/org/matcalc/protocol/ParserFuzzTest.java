package org.matcalc.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.matcalc.expr.Parser;
import org.matcalc.expr.TextPrinter;

/**
 * The parser on arbitrary text: it parses or refuses with a positioned message, and whatever
 * it parses prints as text that parses back to the same print (RoundTripTest's property).
 * Stored inputs: src/test/resources/org/matcalc/protocol/ParserFuzzTestInputs/parse.
 */
class ParserFuzzTest {
    @FuzzTest(maxDuration = "4h", maxExecutions = 10_000_000)
    void parse(byte[] input) {
        String text = Fuzzing.text(input);
        Fuzzing.refusedCleanly(text, () -> {
            String once = TextPrinter.print(Parser.parse(text).expr());
            assertEquals(once, TextPrinter.print(Parser.parse(once).expr()), "printing is not stable for " + text);
        });
    }
}
