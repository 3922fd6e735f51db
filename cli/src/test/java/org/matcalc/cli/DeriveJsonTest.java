package org.matcalc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Orders 1 and 2 of CONTRACT.md through the command: the printed form of the contract's own
 * examples, the value against that form evaluated independently, and the round trip (the
 * derivative sent back as an order-0 expression gives the same value).
 */
class DeriveJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String DECLS = "{\"A\": \"matrix(p,n)\", \"X\": \"matrix(n,m)\", \"B\": \"matrix(m,p)\", "
            + "\"w\": \"vector(m)\", \"x\": \"vector(n)\", \"S\": \"spd(n)\", \"C\": \"matrix(n)\", \"a\": \"vector(n)\", \"b\": \"vector(m)\"}";
    private static final String AT = "{\"A\": [[1,2,0],[0,1,1]], \"X\": [[1,0,2,1],[0,1,1,0],[2,1,0,1]], "
            + "\"B\": [[1,0],[0,1],[1,1],[2,0]], \"w\": [1,-1,2,0.5], \"x\": [0.5,-1,2], "
            + "\"S\": [[3,1,0],[1,2,0.5],[0,0.5,1]], \"C\": [[1,2,0],[0,1,3],[1,0,1]], \"a\": [1,2,3], \"b\": [1,0,-1,2], "
            + "\"p\": 2, \"n\": 3, \"m\": 4}";

    static JsonNode ask(String expression, String wrt, int order, String layout) throws Exception {
        ObjectNode req = (ObjectNode) JSON.readTree("{}");
        req.put("expression", expression);
        req.set("variables", JSON.readTree(DECLS));
        req.put("wrt", wrt);
        req.put("order", order);
        req.put("layout", layout);
        req.set("at", JSON.readTree(AT));
        CliTest.Run r = CliTest.run(req.toString(), "derive", "--json");
        assertEquals(0, r.code(), r.out());
        return r.json();
    }

    static JsonNode value(String expression) throws Exception {
        return ask(expression, "x", 0, "mixed").get("value");
    }

    @ParameterizedTest(name = "{0} by {1}, {3}")
    @CsvSource(delimiter = '|', value = {
        // CONTRACT.md §4's examples and §5's structured ones.
        "tr(A*X*B)           | X | 1 | mixed       | A'*B'",
        "tr(A*X*B)           | X | 1 | denominator | A'*B'",
        "tr(A*X*B)           | X | 1 | numerator   | B*A",
        "A*X                 | X | 1 | mixed       | kron(eye(m), A)",
        "X*w                 | X | 1 | mixed       | kron(w', eye(n))",
        "logdet(S)           | S | 1 | mixed       | inv(S)",
        "a'*X*b              | X | 1 | mixed       | a*b'",
        "norm2(X*w - x)^2    | w | 1 | mixed       | 2*X'*(X*w - x)",
        "x'*C*x              | x | 2 | mixed       | C + C'",
    })
    void contractExamples(String f, String wrt, int order, String layout, String want) throws Exception {
        JsonNode a = ask(f, wrt, order, layout);
        assertEquals(want, a.get("derivative").asText());
        assertEquals(value(want), a.get("value"), "the value is the printed formula's value");
        assertEquals(value(f), a.get("expressionValue"));
        assertEquals(a.get("value"), value(a.get("derivative").asText()), "round trip");
        assertTrue(!a.get("latex").asText().isEmpty());
    }

    @Test
    void layoutsShapeVectorGradients() throws Exception {
        JsonNode mixed = ask("x'*C*x", "x", 1, "mixed").get("value");
        JsonNode numerator = ask("x'*C*x", "x", 1, "numerator").get("value");
        JsonNode denominator = ask("x'*C*x", "x", 1, "denominator").get("value");
        assertTrue(mixed.isArray() && !mixed.get(0).isArray(), mixed.toString());
        assertEquals(1, numerator.size());
        assertEquals(mixed, numerator.get(0), "the numerator layout is one row");
        assertEquals(mixed, denominator);
    }

    @Test
    void checkAndStepsOnRequest() throws Exception {
        ObjectNode req = (ObjectNode) JSON.readTree("{}");
        req.put("expression", "logdet(S) + tr(inv(S)*C)");
        req.set("variables", JSON.readTree(DECLS));
        req.put("wrt", "S");
        req.put("steps", true);
        req.put("check", true);
        req.set("at", JSON.readTree(AT));
        CliTest.Run r = CliTest.run(req.toString(), "derive", "--json");
        assertEquals(0, r.code(), r.out());
        JsonNode a = r.json();
        assertTrue(a.get("check").get("passed").asBoolean(), a.toString());
        assertTrue(a.get("check").get("relativeError").asDouble() < 1e-6, a.toString());
        assertTrue(a.get("steps").asText().contains("tr("), a.toString());
        assertTrue(a.get("convention").asText().contains("(G + G')/2"), a.toString());
    }

    @Test
    void peopleModeChecksThreeWays() {
        CliTest.Run r = CliTest.run("", "derive", "-y'*log(softmax(W*x))", "--wrt", "W", "--check");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("d/dW (-y'*log(softmax(W*x))) = "), r.out());
        assertTrue(r.out().contains("verified numerically"), r.out());
        assertTrue(r.out().contains("against automatic differentiation"), r.out());
        CliTest.Run steps = CliTest.run("", "derive", "tr(X'*A*X)", "--wrt", "X", "--steps", "--latex");
        assertEquals(0, steps.code(), steps.err());
        assertTrue(steps.out().contains("(A + A')*X"), steps.out());
        assertTrue(steps.out().contains("LaTeX: "), steps.out());
    }

    @Test
    void severalVariablesAtOnce() {
        CliTest.Run r = CliTest.run("", "derive", "-y'*log(softmax(W2*relu(W1*x)))", "--wrt", "W1,W2", "--check");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("d/dW1 "), r.out());
        assertTrue(r.out().contains("d/dW2 "), r.out());
        assertEquals(2, r.out().split("verified numerically").length - 1, r.out());
    }

    @Test
    void aVariableThatDoesNotOccurHasTheZeroDerivativeOfItsShape() {
        // as SymPy answers: c by a matrix A is zeros of A's shape, and the description says why
        CliTest.Run r = CliTest.run("", "derive", "c", "--wrt", "A");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("d/dA (c) = zeros(n, m)"), r.out());
        assertTrue(r.out().contains("A does not occur in the expression, so the derivative is zero"), r.out());
        CliTest.Run declared = CliTest.run("", "derive", "x'*x", "--wrt", "A", "--decl", "A: matrix(2,3)", "--check");
        assertEquals(0, declared.code(), declared.err());
        assertTrue(declared.out().startsWith("d/dA (x'*x) = zeros(2, 3)"), declared.out());
        assertTrue(declared.out().contains("verified numerically"), declared.out());
        CliTest.Run hessian = CliTest.run("", "derive", "a*b", "--wrt", "x", "--order", "2");
        assertEquals(0, hessian.code(), hessian.err());
        assertTrue(hessian.out().startsWith("d²/dx² (a*b) = zeros(n, n)"), hessian.out());
        // evaluated at a point that gives no value for it: the other values fix the sizes
        CliTest.Run at = CliTest.run("", "derive", "x'*A*8", "--wrt", "c", "--at", "x=[5,2]", "--at", "A=[[1,2],[3,4]]");
        assertEquals(0, at.code(), at.err());
        assertTrue(at.out().contains("value at the given point:\n  [ 0  0 ]"), at.out());
        CliTest.Run unsized = CliTest.run("", "derive", "x'*A*8", "--wrt", "B", "--at", "x=[5,2]", "--at", "A=[[1,2],[3,4]]");
        assertEquals(2, unsized.code(), unsized.out());
        assertTrue(unsized.err().contains("B does not occur in the expression and has no value"), unsized.err());
    }
}
