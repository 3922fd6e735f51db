package org.matcalc.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.matcalc.expr.MatcalcException;

/**
 * The protocol's extensions for the web page, shared by {@code derive --json} and the HTTP
 * API: a request without {@code at} answers symbolically; {@link Inspect} gives shape and
 * variables; malformed JSON is refused whatever Jackson reports.
 */
class SymbolicAndInspectTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DeriveProtocol PROTOCOL = new DeriveProtocol(new Differentiation());

    @Test
    void codeIsAnOptionalField() throws Exception {
        DeriveProtocol.Answer a = PROTOCOL.handle("{\"expression\": \"norm2(X*w - y)^2\", \"wrt\": \"w\", \"code\": \"numpy\"}");
        assertFalse(a.refused(), a.text());
        assertTrue(a.body().get("code").asText().contains("def f_and_g(X, w, y):"), a.text());
        assertEquals("2*X'*(X*w - y)", a.body().get("derivative").asText()); // the rest of the answer as without code
        DeriveProtocol.Answer hessian = PROTOCOL.handle("{\"expression\": \"norm2(X*w - y)^2\", \"wrt\": \"w\", \"order\": 2, \"code\": \"java\"}");
        assertTrue(hessian.body().get("code").asText().contains("public static Result fGH(Mat X, Mat w, Mat y)"), hessian.text());
        DeriveProtocol.Answer value = PROTOCOL.handle("{\"expression\": \"x'*x\", \"order\": 0, \"at\": {\"x\": [1, 2]}, \"code\": \"torch\"}");
        assertTrue(value.body().get("code").asText().contains("def f(x):"), value.text());
        assertEquals(5.0, value.body().get("value").asDouble());

        DeriveProtocol.Answer bad = PROTOCOL.handle("{\"expression\": \"x'*x\", \"wrt\": \"x\", \"code\": 3}");
        assertTrue(bad.refused());
        assertTrue(bad.body().get("error").get("message").asText().contains("\"code\" must be"), bad.text());
        DeriveProtocol.Answer unknown = PROTOCOL.handle("{\"expression\": \"x'*x\", \"wrt\": \"x\", \"code\": \"fortran\"}");
        assertTrue(unknown.refused() && unknown.body().get("error").get("message").asText().contains("fortran"), unknown.text());
    }

    @Test
    void kindsFromUseAreInTheAnswerAndTheInspection() throws Exception {
        DeriveProtocol.Answer a = PROTOCOL.handle("{\"expression\": \"W1*x + b1\", \"wrt\": \"b1\"}");
        assertFalse(a.refused(), a.text());
        assertEquals("vector", a.body().get("inferred").get("b1").asText(), a.text());
        assertEquals("eye(n)", a.body().get("derivative").asText(), a.text());
        // a value for b1 as the use says: a vector, broadcast nowhere
        DeriveProtocol.Answer valued = PROTOCOL.handle("{\"expression\": \"W1*x + b1\", \"order\": 0,"
                + " \"at\": {\"W1\": [[1,0],[0,1]], \"x\": [1,2], \"b1\": [10,20]}}");
        assertEquals("[11.0,22.0]", valued.body().get("value").toString(), valued.text());
        DeriveProtocol.Answer declared = PROTOCOL.handle("{\"expression\": \"W1*x + b1\", \"wrt\": \"b1\", \"variables\": {\"b1\": \"scalar\"}}");
        assertFalse(declared.body().has("inferred"), declared.text());
        assertEquals("vector(1, n)", declared.body().get("derivative").asText(), declared.text());
        JsonNode vars = Inspect.inspect(new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"expression\": \"W1*x + b1\"}"))
                .get("variables");
        assertEquals("b1", vars.get(2).get("name").asText());
        assertEquals("vector(n)", vars.get(2).get("kind").asText(), vars.toString());
        assertTrue(vars.get(2).get("inferred").asBoolean(), vars.toString());
        assertFalse(vars.get(0).has("inferred"), vars.toString());
    }

    @Test
    void withoutAtTheAnswerIsTheFormula() throws Exception {
        DeriveProtocol.Answer a = PROTOCOL.handle("{\"expression\": \"-y'*log(softmax(W*x))\", \"wrt\": \"W\", \"check\": true}");
        assertFalse(a.refused(), a.text());
        JsonNode b = a.body();
        assertEquals("(sum(y)*softmax(W*x) - y)*x'", b.get("derivative").asText());
        assertFalse(b.has("value") || b.has("expressionValue"));
        assertTrue(b.get("check").get("passed").asBoolean(), b.toString());
        assertTrue(b.get("check").get("relativeError").asDouble() < 1e-6);
        // The same formula as with a point to evaluate at.
        DeriveProtocol.Answer valued = PROTOCOL.handle("{\"expression\": \"-y'*log(softmax(W*x))\", \"wrt\": \"W\","
                + " \"at\": {\"W\": [[1,2],[3,4],[5,6]], \"x\": [1,-1], \"y\": [0.2,0.3,0.5]}}");
        assertEquals(b.get("derivative"), valued.body().get("derivative"));
        assertTrue(b.get("check").get("summary").asText().contains("at random inputs"), b.toString());
        // A check with a point runs there, and says so.
        DeriveProtocol.Answer checked = PROTOCOL.handle("{\"expression\": \"x'*x\", \"wrt\": \"x\", \"check\": true,"
                + " \"at\": {\"x\": [1,2]}}");
        assertTrue(checked.body().get("check").get("summary").asText().endsWith("at the given point"), checked.text());
        // Order 0 without at: the expression's shape, open sizes named as /api/parse names them.
        assertEquals("vector(n)", PROTOCOL.handle("{\"expression\": \"A*x\", \"order\": 0}").body().get("shape").asText());
        // "at": {} is still a request to evaluate, so a missing value is refused.
        DeriveProtocol.Answer empty = PROTOCOL.handle("{\"expression\": \"x'*x\", \"wrt\": \"x\", \"at\": {}}");
        assertTrue(empty.refused());
        assertTrue(empty.body().get("error").get("message").asText().contains("no value for x"));
    }

    @Test
    void symbolicRequestsAreValidatedLikeOthers() {
        assertEquals(MatcalcException.Kind.REQUEST, PROTOCOL.handle("{\"expression\": \"A*x\", \"wrt\": \"x\", \"order\": 2}").errorKind());
        assertEquals(MatcalcException.Kind.SHAPE, PROTOCOL.handle("{\"expression\": \"x*y\", \"wrt\": \"x\"}").errorKind());
        assertEquals(MatcalcException.Kind.REQUEST, PROTOCOL.handle("{\"expression\": \"x'*x\", \"wrt\": \"q r\"}").errorKind());
        // a variable that does not occur: the zero derivative of its shape, not a refusal
        assertFalse(PROTOCOL.handle("{\"expression\": \"x'*x\", \"wrt\": \"q\"}").refused());
    }

    @Test
    void inspectNamesOpenSizesConsistently() throws Exception {
        JsonNode a = Inspect.handle("{\"expression\": \"u'*X*v + tr(S)\", \"variables\": {\"S\": \"symmetric(n)\"}}").body();
        assertEquals("{\"shape\":\"scalar\",\"variables\":["
                + "{\"name\":\"u\",\"kind\":\"vector(m)\",\"declared\":false},"
                + "{\"name\":\"X\",\"kind\":\"matrix(m,p)\",\"declared\":false},"
                + "{\"name\":\"v\",\"kind\":\"vector(p)\",\"declared\":false},"
                + "{\"name\":\"S\",\"kind\":\"symmetric(n)\",\"declared\":true}]}", a.toString());
        // Scalars stay scalars; fixed sizes stay numbers.
        JsonNode b = Inspect.handle("{\"expression\": \"c*x\", \"variables\": {\"x\": \"vector(3)\"}}").body();
        assertEquals("scalar", b.get("variables").get(0).get("kind").asText());
        assertEquals("vector(3)", b.get("variables").get(1).get("kind").asText());
        assertEquals("vector(3)", b.get("shape").asText());
    }

    @Test
    void inspectRefusesWithPositions() {
        DeriveProtocol.Answer a = Inspect.handle("{\"expression\": \"x'*x + \\nexp(x\"}");
        assertTrue(a.refused());
        assertEquals(MatcalcException.Kind.SYNTAX, a.errorKind());
        assertEquals(2, a.body().get("error").get("line").asInt());
        assertEquals(MatcalcException.Kind.SHAPE, Inspect.handle("{\"expression\": \"x + y'\"}").errorKind()); // a column and a row do not broadcast
    }

    @Test
    void malformedJsonIsAlwaysARefusal() {
        String deep = "{\"expression\": \"x\", \"at\": " + "[".repeat(3000) + "]".repeat(3000) + "}";
        for (String bad : new String[] {"", "{", "nul", "{\"expression\": }", deep}) {
            DeriveProtocol.Answer a = PROTOCOL.handle(bad);
            assertTrue(a.refused(), bad);
            assertTrue(a.body().get("error").get("message").asText().startsWith("malformed JSON")
                    || a.body().get("error").get("message").asText().contains("JSON object"), a.text());
            assertFalse(a.text().contains("REDACTED"), a.text());
            assertTrue(Inspect.handle(bad).refused());
        }
    }
}
