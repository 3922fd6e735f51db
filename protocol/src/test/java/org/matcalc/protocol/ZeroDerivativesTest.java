package org.matcalc.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Zero derivatives have the shape the description states, in every layout and order: each row
 * pairs an expression whose derivative is zero with a live one of the same output shape by the
 * same variable, and the two answers must agree on shape and description (but for the note on a
 * variable that does not occur), the zero one print as {@code zeros(r, c)} of that shape (or
 * {@code 0}), and its value be zeros of that shape.
 */
class ZeroDerivativesTest {
    private static final DeriveProtocol PROTOCOL = new DeriveProtocol(new Differentiation());

    /** zero expression, live expression of the same output shape, variable, declarations, values. */
    private record Row(String zero, String live, String wrt, String decls, String at) {
    }

    private static final String DECLS = "\"D\": \"matrix(2,3)\", \"u\": \"vector(2)\", \"v\": \"vector(3)\", \"a\": \"scalar\","
            + " \"S\": \"symmetric(2)\", \"r\": \"vector(3)\"";
    private static final String AT = "\"D\": [[1,2,3],[4,5,6]], \"u\": [1,2], \"v\": [1,-1,2], \"a\": 0.5,"
            + " \"S\": [[2,1],[1,3]], \"r\": [0.5,1,2]";

    private static final List<Row> ROWS = List.of(
            // scalar output
            new Row("0*a", "a^2", "a", DECLS, AT),
            new Row("u'*(0*D)*v", "u'*D*v", "D", DECLS, AT),
            new Row("u'*u - u'*u + a", "u'*u", "u", DECLS, AT),
            new Row("tr(S - S)", "tr(S*S)", "S", DECLS, AT),
            // vector output
            new Row("(0*D)'*u", "D'*u", "D", DECLS, AT),
            new Row("D*v - D*v", "D*v", "v", DECLS, AT),
            new Row("0*a*u", "a*u", "a", DECLS, AT),
            new Row("(S - S)*u", "S*u", "S", DECLS, AT),
            // row output
            new Row("u'*(0*D)", "u'*D", "D", DECLS, AT),
            new Row("(0*v)'", "v'", "v", DECLS, AT),
            // matrix output
            new Row("0*D", "a*D", "a", DECLS, AT),
            new Row("D - D", "D", "D", DECLS, AT),
            new Row("u*(0*v)'", "u*v'", "v", DECLS, AT),
            new Row("S - S + D*D'", "S*S", "S", DECLS, AT));

    @TestFactory
    List<DynamicTest> zeroDerivativesHaveTheirDescribedShape() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Row row : ROWS) {
            for (String layout : List.of("mixed", "numerator", "denominator")) {
                for (int order : List.of(1, 2)) {
                    String name = row.zero() + " by " + row.wrt() + ", " + layout + ", order " + order;
                    tests.add(DynamicTest.dynamicTest(name, () -> check(row, layout, order)));
                }
            }
        }
        return tests;
    }

    private static void check(Row row, String layout, int order) {
        JsonNode live = answer(row.live(), row, layout, order);
        JsonNode zero = answer(row.zero(), row, layout, order);
        if (live.has("error")) {
            // order 2 of a non-scalar: the zero one must be refused in the same words
            assertTrue(zero.has("error"), zero.toString());
            assertEquals(live.get("error").get("message").asText().replace(row.live(), "F"),
                    zero.get("error").get("message").asText().replace(row.zero(), "F"));
            return;
        }
        assertFalse(zero.has("error"), zero.toString());
        assertEquals(live.get("shape").asText(), zero.get("shape").asText(), zero.toString());
        String note = "; " + row.wrt() + " does not occur in the expression, so the derivative is zero";
        assertEquals(live.get("description").asText(), zero.get("description").asText().replace(note, ""), zero.toString());
        int[] dims = dims(zero.get("shape").asText());
        String printed = zero.get("derivative").asText();
        if (dims[0] == 1 && dims[1] == 1) {
            assertEquals("0", printed);
        } else {
            assertEquals("zeros(" + dims[0] + ", " + dims[1] + ")", printed, zero.toString());
        }
        JsonNode value = zero.get("value");
        int rows = value.isArray() ? value.size() : 1;
        int cols = value.isArray() && value.get(0).isArray() ? value.get(0).size() : 1;
        // a row vector is one list of rows
        assertEquals(dims[0] * dims[1], rows * cols, zero.toString());
        assertEquals(dims[0], rows, zero.toString());
        for (JsonNode r : value.isArray() ? value : List.of(value)) {
            for (JsonNode x : r.isArray() ? r : List.of(r)) {
                assertEquals(0.0, x.asDouble(), zero.toString());
            }
        }
    }

    /** Found by fuzzing: a check at the request's point by a variable that does not occur and has no value there. */
    @org.junit.jupiter.api.Test
    void aVariableThatDoesNotOccurIsCheckedWithoutAValue() {
        String at = ", \"check\": true, \"at\": {\"x\": [5,2], \"A\": [[1,2],[3,4]]}";
        JsonNode scalar = PROTOCOL.handle("{\"expression\": \"x'*A*8\", \"wrt\": \"c\"" + at + "}").body();
        assertEquals("zeros(1, 2)", scalar.path("derivative").asText(), scalar.toString());
        assertTrue(scalar.path("check").path("passed").asBoolean(), scalar.toString());
        // a matrix whose sizes nothing fixes: refused, naming it
        DeriveProtocol.Answer unsized = PROTOCOL.handle("{\"expression\": \"x'*A*8\", \"wrt\": \"B\"" + at + "}");
        assertEquals(org.matcalc.expr.MatcalcException.Kind.REQUEST, unsized.errorKind());
        assertTrue(unsized.text().contains("B does not occur in the expression and has no value"), unsized.text());
        // declared with sizes, it is drawn for the check
        JsonNode sized = PROTOCOL.handle("{\"expression\": \"x'*A*8\", \"wrt\": \"B\", \"variables\": {\"B\": \"matrix(2,3)\"}"
                + at + "}").body();
        assertEquals("zeros(2, 6)", sized.path("derivative").asText(), sized.toString());
        assertTrue(sized.path("check").path("passed").asBoolean(), sized.toString());
    }

    private static JsonNode answer(String expression, Row row, String layout, int order) {
        String request = "{\"expression\": \"" + expression + "\", \"wrt\": \"" + row.wrt() + "\", \"order\": " + order
                + ", \"layout\": \"" + layout + "\", \"variables\": {" + row.decls() + "}, \"at\": {" + row.at() + "}}";
        return PROTOCOL.handle(request).body();
    }

    /** rows and columns of "scalar", "vector(3)", "row(3)", "matrix(3,6)". */
    private static int[] dims(String shape) {
        String s = shape.replace(" ", "");
        if (s.equals("scalar")) {
            return new int[] {1, 1};
        }
        String[] n = s.substring(s.indexOf('(') + 1, s.length() - 1).split(",");
        if (s.startsWith("vector")) {
            return new int[] {Integer.parseInt(n[0]), 1};
        }
        if (s.startsWith("row")) {
            return new int[] {1, Integer.parseInt(n[0])};
        }
        return new int[] {Integer.parseInt(n[0]), Integer.parseInt(n[1])};
    }
}
