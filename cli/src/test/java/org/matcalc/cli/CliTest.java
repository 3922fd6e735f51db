package org.matcalc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The command in-process: outputs, exit codes and the JSON protocol of CONTRACT.md. */
class CliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Run(int code, String out, String err) {
        JsonNode json() throws Exception {
            return JSON.readTree(out);
        }
    }

    static Run run(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void codegenWritesCodeThatNamesItsPartsAndRefusesBadRequests(@TempDir Path dir) throws Exception {
        Run py = run("", "codegen", "sum(softplus(-y .* (X*w)))", "--wrt", "w", "--order", "2");
        assertEquals(0, py.code(), py.err());
        assertTrue(py.out().contains("def f_g_h(y, X, w):") && py.out().contains("def check_gradient(") && py.out().contains("np.logaddexp"),
                py.out());
        Run java = run("", "codegen", "x'*A*x", "--wrt", "x", "--lang", "java", "--class", "Quadratic", "--package", "org.example");
        assertEquals(0, java.code(), java.err());
        assertTrue(java.out().startsWith("package org.example;") && java.out().contains("public final class Quadratic")
                && java.out().contains("public static Result fAndG(Mat x, Mat A)"), java.out());
        Path file = dir.resolve("q.py");
        Run written = run("", "codegen", "x'*A*x", "--wrt", "x", "--lang", "torch", "--out", file.toString());
        assertEquals(0, written.code(), written.err());
        assertTrue(Files.readString(file).contains("import torch") && written.err().contains("wrote"), written.err());

        Run lang = run("", "codegen", "x'*x", "--wrt", "x", "--lang", "julia");
        assertEquals(2, lang.code());
        assertTrue(lang.err().contains("unknown code language \"julia\"; expected numpy, torch or java"), lang.err());
        Run syntax = run("", "codegen", "x'*x +", "--wrt", "x");
        assertEquals(2, syntax.code());
        assertTrue(syntax.err().contains("1:7"), syntax.err());
        Run toDir = run("", "codegen", "x'*x", "--wrt", "x", "--out", dir.toString());
        assertEquals(2, toDir.code());
        assertTrue(toDir.err().contains("is a directory"), toDir.err());
        Run size = run("", "codegen", "x'*x", "--wrt", "x", "--size", "n=big");
        assertEquals(2, size.code());
        assertTrue(size.err().contains("expected NAME=N"), size.err());
        Run orderWithoutWrt = run("", "codegen", "x'*x", "--order", "2");
        assertEquals(2, orderWithoutWrt.code());
        assertTrue(orderWithoutWrt.err().contains("needs --wrt"), orderWithoutWrt.err());
    }

    @Test
    void theSparkEngineNeedsItsModule(@TempDir Path dir) throws Exception {
        Path x = dir.resolve("X.csv"), y = dir.resolve("y.csv");
        Files.writeString(x, "1,2\n3,4\n5,7\n");
        Files.writeString(y, "1\n2\n3\n");
        Run r = run("", "minimize", "norm2(X*w - y)^2", "--wrt", "w", "--data", "X=" + x, "--data", "y=" + y, "--engine", "spark");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("the spark engine is not on the class path"), r.err()); // bin/matcalc adds it
        Run method = run("", "minimize", "norm2(X*w - y)^2", "--wrt", "w", "--data", "X=" + x, "--data", "y=" + y, "--engine", "spark",
                "--method", "gd");
        assertEquals(2, method.code());
        assertTrue(method.err().contains("L-BFGS or Newton-CG"), method.err());
    }

    @Test
    void noCommandIsARefusalAndEveryHelpFitsEightyColumnsWithItsExitStatuses() {
        Run none = run("");
        assertEquals(2, none.code());
        assertTrue(none.err().startsWith("Usage: matcalc"), none.err());
        for (String command : new String[] {"derive", "codegen", "eval", "example", "minimize", "serve"}) {
            Run help = run("", command, "--help");
            assertEquals(0, help.code(), command);
            assertTrue(help.out().contains("Exit status:"), command + " --help lists its exit statuses");
            for (String line : help.out().split("\n")) {
                assertTrue(line.length() <= 80, command + " --help: a line of " + line.length() + " columns: " + line);
            }
        }
        Run completion = run("", "generate-completion");
        assertEquals(0, completion.code());
        assertTrue(completion.out().contains("matcalc Bash Completion"), completion.out().substring(0, 100));
    }

    /** Reproducers of the hardening issue: each a clean refusal (exit 2, what and where), none an internal error. */
    @Test
    void badOptionsAndRequestsAreRefusedByName(@TempDir Path dir) throws Exception {
        String[][] cases = {
            {"--layout bogus: expected mixed, numerator or denominator", "derive", "x'*x", "--wrt", "x", "--layout", "bogus"},
            {"--wrt ',,,': an empty name", "derive", "x'*x", "--wrt", ",,,"},
            {"--wrt 'x\u3000': character 2 is U+3000 (a space character)", "derive", "x'*x", "--wrt", "x\u3000"},
            {"--wrt 'x\u0000': character 2 is U+0000", "derive", "x'*x", "--wrt", "x\u0000"},
            {"--timeout 1.0E300: expected a number of seconds above 0 and at most 86400", "derive", "x'*x", "--wrt", "x", "--timeout", "1e300"},
            {"is larger than any matrix can be", "eval", "sum(commutation(n, n))", "--at", "n=100000"},
            {"A is declared const, so it cannot be differentiated by", "derive", "x'*A*x", "--wrt", "A", "--decl", "const A"},
            {"/dev/zero is not a regular file", "eval", "sum(x)", "--at", "x=@/dev/zero"},
            {"the check needs a random X of 100000 x 100000 entries; the limit on one matrix is 25000000",
                "derive", "sum(X)", "--wrt", "X", "--decl", "X: matrix(100000)", "--check"},
        };
        for (String[] c : cases) {
            Run r = run("", java.util.Arrays.copyOfRange(c, 1, c.length));
            assertEquals(2, r.code(), String.join(" ", c));
            assertTrue(r.err().contains(c[0]) && !r.err().contains("internal error"), r.err());
        }
        Path x = dir.resolve("X.csv"), y = dir.resolve("y.csv");
        Files.writeString(x, "1,2\n3,4\n5,7\n");
        Files.writeString(y, "1\n2\n3\n");
        Files.writeString(dir.resolve("file"), "not a directory");
        String[][] outs = {
            {dir.toString(), "it is a directory"},
            {dir.resolve("file").resolve("w.csv").toString(), "is a file, not a directory"},
            {"", "an empty file name"},
        };
        for (String[] o : outs) {
            Run r = run("", "minimize", "norm2(X*w - y)^2", "--wrt", "w", "--data", "X=" + x, "--data", "y=" + y, "--out", o[0], "--quiet");
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains("--out") && r.err().contains(o[1]), r.err());
            assertTrue(r.out().isEmpty(), "refused before the work: " + r.out());
        }
        // a request with content after it, or a key given twice, is malformed
        Run trailing = run("{\"expression\": \"a\", \"order\": 0, \"at\": {\"a\": 1}} garbage", "derive", "--json");
        assertEquals(2, trailing.code());
        assertTrue(trailing.out().contains("malformed JSON"), trailing.out());
        Run twice = run("{\"expression\": \"a\", \"expression\": \"b\", \"order\": 0, \"at\": {\"a\": 1, \"b\": 2}}", "derive", "--json");
        assertEquals(2, twice.code());
        assertTrue(twice.out().contains("Duplicate field 'expression'"), twice.out());
    }

    @Test
    void theLanguageOfModels() {
        // attention: a row-wise softmax, checked three ways
        Run attention = run("", "derive", "softmax(Q*K'/sqrt(d), 2)*V", "--wrt", "V", "--check");
        assertEquals(0, attention.code(), attention.err());
        assertTrue(attention.out().startsWith("d/dV (softmax(Q*K'/sqrt(d), 2)*V) = kron(eye(q), softmax(Q*K'/sqrt(d), 2))"), attention.out());
        assertTrue(attention.out().contains("verified numerically"), attention.out());
        // a kind taken from use is said
        Run bias = run("", "derive", "W1*x + b1", "--wrt", "b1");
        assertEquals(0, bias.code(), bias.err());
        assertTrue(bias.out().contains("note: b1 is taken as a vector from its use"), bias.out());
        // broadcasting in eval: 1 + x adds one to every entry; mean, sum along a dimension, max
        Run eval = run("", "eval", "1 + x - mean(x) + max(x)", "--at", "x=[1,2,6]");
        assertEquals(0, eval.code(), eval.err());
        assertTrue(eval.out().replace(" ", "").contains("[5\n6\n10]"), eval.out());
        Run rows = run("", "eval", "sum(X, 2)", "--at", "X=[[1,2],[3,4]]");
        assertTrue(rows.out().replace(" ", "").contains("[3\n7]"), rows.out());
        // refusals with a position and a hint
        Run axis = run("", "derive", "sum(X, 3)", "--wrt", "X");
        assertEquals(2, axis.code());
        assertTrue(axis.err().contains("1:8: the dimension of sum(X, k) must be 1 (down each column) or 2 (along each row), got 3"), axis.err());
        Run power = run("", "derive", "x^2", "--wrt", "x");
        assertEquals(2, power.code());
        assertTrue(power.err().contains("e.g. x.^2"), power.err());
    }

    @Test
    void evalPrintsTheValue() {
        Run r = run("", "eval", "x'*A*x", "--at", "x=[1,2]", "--at", "A=[[2,0],[0,3]]");
        assertEquals(0, r.code(), r.err());
        assertEquals("x'*A*x = 14\n", r.out());
    }

    @Test
    void evalReadsCsvAndSizes(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("A.csv");
        Files.writeString(csv, "a,b\n1,2\n3,4\n");
        Run r = run("", "eval", "tr(A) + sum(eye(n))", "--at", "A=@" + csv, "--at", "n=3");
        assertEquals(0, r.code(), r.err());
        assertEquals("tr(A) + sum(eye(n)) = 8\n", r.out());
    }

    /** The matrix logarithm (added through the primitive registry) checks out against finite differences and AD. */
    @Test
    void logmDerivativesVerify() {
        Run r = run("", "derive", "tr(logm(S)*C)", "--wrt", "S", "--decl", "S: spd(n); C: matrix(n)", "--check");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("d/dS (tr(logm(S)*C)) = "), r.out());
        assertTrue(r.out().contains("logm_frechet(S, C')") && r.out().contains("verified numerically"), r.out());
        Run zero = run("", "derive", "logdet(S) - tr(logm(S))", "--wrt", "S", "--decl", "S: spd(n)", "--check");
        assertEquals(0, zero.code(), zero.err());
        assertTrue(zero.out().startsWith("d/dS (logdet(S) - tr(logm(S))) = zeros(n, n)"), zero.out());
        assertTrue(zero.out().contains("verified numerically"), zero.out());
    }

    /** minimize's refusals speak of the library; the command adds the flag that gives what is missing. */
    @Test
    void minimizeRefusalsNameTheFlag(@TempDir Path dir) throws Exception {
        Path x = dir.resolve("X.csv");
        Files.writeString(x, "1,2\n3,4\n5,6\n");
        Run r = run("", "minimize", "norm2(X*w - y)^2", "--wrt", "w", "--data", "X=" + x);
        assertEquals(2, r.code());
        assertTrue(r.err().contains("no data for y (vector(3)); give its value in the data"), r.err());
        assertTrue(r.err().contains("give data with --data NAME=FILE.csv"), r.err());
    }

    @Test
    void evalRefusesWithCaretAndExitTwo() {
        Run r = run("", "eval", "x*y", "--at", "x=[1,2]", "--at", "y=[3,4]");
        assertEquals(2, r.code());
        assertEquals("", r.out());
        assertEquals("error: 1:2: cannot multiply vector by vector; did you mean x'*y (inner product) or x*y' (outer product)?\n"
                + "  x*y\n   ^\n", r.err());
    }

    @Test
    void jsonOrderZeroAnswersAndRoundTrips() throws Exception {
        String req = "{\"expression\": \"norm2(X*w - y)^2\", \"variables\": {\"X\": \"matrix(n,m)\", \"w\": \"vector(m)\", "
                + "\"y\": \"vector(n)\"}, \"order\": 0, \"at\": {\"X\": [[1,2],[3,4],[5,6]], \"w\": [1,-1], \"y\": [0,1,2], \"n\": 3, \"m\": 2}}";
        Run r = run(req, "derive", "--json");
        assertEquals(0, r.code(), r.out());
        JsonNode a = r.json();
        assertEquals("norm2(X*w - y)^2", a.get("derivative").asText());
        assertEquals(14.0, a.get("value").asDouble(), 1e-12);   // residual (-1, -2, -3)
        assertEquals(a.get("value"), a.get("expressionValue"));
        assertFalse(a.get("latex").asText().isEmpty());
    }

    @Test
    void jsonEncodesShapesExactly() throws Exception {
        Run col = run("{\"expression\": \"A*x\", \"order\": 0, \"at\": {\"A\": [[1,2],[3,4]], \"x\": [1,1]}}", "derive", "--json");
        assertEquals("[3.0,7.0]", col.json().get("value").toString());
        Run row = run("{\"expression\": \"x'*A\", \"order\": 0, \"at\": {\"A\": [[1,2],[3,4]], \"x\": [1,1]}}", "derive", "--json");
        assertEquals("[[4.0,6.0]]", row.json().get("value").toString());
        Run mat = run("{\"expression\": \"x*x'\", \"order\": 0, \"at\": {\"x\": [1,2]}}", "derive", "--json");
        assertEquals("[[1.0,2.0],[2.0,4.0]]", mat.json().get("value").toString());
        Run rowIn = run("{\"expression\": \"r*x\", \"variables\": {\"r\": \"rowvector(2)\"}, \"order\": 0, "
                + "\"at\": {\"r\": [[1,2]], \"x\": [3,4]}}", "derive", "--json");
        assertEquals("11.0", rowIn.json().get("value").toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "not json at all | malformed JSON",
        "[1,2] | the request must be a JSON object",
        "{\"order\": 0} | missing \"expression\"",
        "{\"expression\": 3, \"order\": 0} | \"expression\" must be a string",
        "{\"expression\": \"x\", \"order\": 0, \"layout\": \"sideways\", \"at\": {\"x\": [1]}} | \"layout\" must be",
        "{\"expression\": \"x\", \"order\": 3, \"wrt\": \"x\", \"at\": {\"x\": [1]}} | \"order\" must be 0, 1 or 2",
        "{\"expression\": \"x\", \"order\": 1, \"at\": {\"x\": [1]}} | missing \"wrt\"",
        "{\"expression\": \"A*x\", \"order\": 2, \"wrt\": \"x\", \"at\": {}} | a Hessian (order 2) is defined for a scalar",
        "{\"expression\": \"x'*x\", \"order\": 0, \"at\": {}} | \"at\" has no value for x",
        "{\"expression\": \"x'*x\", \"order\": 0, \"at\": {\"x\": [[1,2]]}} | at.x: x is vector, so its value is a flat list",
        "{\"expression\": \"x'*x\", \"variables\": {\"x\": \"vector(3)\"}, \"order\": 0, \"at\": {\"x\": [1,2]}} | the value of x is 2x1 but it is declared vector(3)",
        "{\"expression\": \"x'*x\", \"variables\": {\"x\": \"vektor(3)\"}, \"order\": 0, \"at\": {\"x\": [1,2]}} | declaration of x: expected scalar",
        "{\"expression\": \"\", \"order\": 0} | empty expression",
        "{\"expression\": \"a\", \"order\": 0, \"at\": {\"a\": \"high\"}} | at.a: expected a number",
    })
    void requestErrorsHaveNoPosition(String request, String messageStart) throws Exception {
        Run r = run(request, "derive", "--json");
        assertEquals(2, r.code(), r.out());
        JsonNode err = r.json().get("error");
        assertTrue(err.get("message").asText().contains(messageStart), err.toString());
        assertFalse(err.has("line"), err.toString());
        assertFalse(r.out().contains("Exception"), r.out());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "(x + y | 1 | 7",
        "x + y) | 1 | 6",
        "x +* y | 1 | 4",
        "det(X) | 1 | 1",
        "foo(x) | 1 | 1",
        "x # y | 1 | 3",
        "1.2.3 | 1 | 1",
    })
    void expressionErrorsHavePositions(String expression, int line, int column) throws Exception {
        String vars = expression.startsWith("det") ? ", \"variables\": {\"X\": \"matrix(n,m)\"}" : "";
        Run r = run("{\"expression\": " + JSON.writeValueAsString(expression) + vars + ", \"order\": 0, \"at\": {}}", "derive", "--json");
        assertEquals(2, r.code(), r.out());
        JsonNode err = r.json().get("error");
        assertEquals(line, err.get("line").asInt(), err.toString());
        assertEquals(column, err.get("column").asInt(), err.toString());
        assertTrue(err.get("message").asText().startsWith(line + ":" + column + ": "), err.toString());
    }

    @Test
    void hugeAndDeepInputsAreRefusedQuickly() {
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            String deep = "(".repeat(10_000) + "x" + ")".repeat(10_000);
            Run r = run("{\"expression\": \"" + deep + "\", \"order\": 0, \"at\": {\"x\": [1]}}", "derive", "--json");
            assertEquals(2, r.code());
            assertTrue(r.json().get("error").get("message").asText().contains("exceeds the limit of 64 levels"), r.out());
            String huge = "x+".repeat(500_000) + "x";
            Run h = run("{\"expression\": \"" + huge + "\", \"order\": 0, \"at\": {\"x\": [1]}}", "derive", "--json");
            assertEquals(2, h.code());
            assertTrue(h.json().get("error").get("message").asText().contains("characters long; the limit is"), h.out());
        });
    }

    @Test
    void jsonlAnswersEveryLine() throws Exception {
        String in = "{\"expression\": \"a*b\", \"order\": 0, \"at\": {\"a\": 2, \"b\": 3}}\n\n"
                + "{\"expression\": \"x*y\", \"order\": 0, \"at\": {}}\n"
                + "{\"expression\": \"sum(x)\", \"order\": 0, \"at\": {\"x\": [1,2,3]}}\n";
        Run r = run(in, "derive", "--jsonl");
        String[] lines = r.out().split("\n");
        assertEquals(3, lines.length);
        assertEquals(6.0, JSON.readTree(lines[0]).get("value").asDouble());
        assertTrue(JSON.readTree(lines[1]).has("error"));
        assertEquals(6.0, JSON.readTree(lines[2]).get("value").asDouble());
        assertEquals(2, r.code());
    }

    /**
     * Lines are computed several at a time: a slow line first and quick ones after it still come
     * back in the order they were read, and a line past the time limit is refused on its own line.
     */
    @Test
    void jsonlKeepsTheOrderOfItsLines() throws Exception {
        StringBuilder in = new StringBuilder();
        String slow = "{\"expression\": \"" + "x'*A*x*".repeat(60) + "sum(x)\", \"wrt\": \"x\", \"order\": 2}";
        in.append(slow).append('\n');
        for (int i = 1; i <= 30; i++) {
            in.append("{\"expression\": \"a*b\", \"order\": 0, \"at\": {\"a\": ").append(i).append(", \"b\": 2}}\n");
        }
        in.append("{\"expression\": \"x*y\", \"order\": 0, \"at\": {}}\n");
        Run r = run(in.toString(), "derive", "--jsonl", "--timeout", "1");
        String[] lines = r.out().split("\n");
        assertEquals(32, lines.length, r.out());
        com.fasterxml.jackson.databind.JsonNode first = JSON.readTree(lines[0]);
        assertTrue(first.has("derivative") || first.get("error").get("message").asText().contains("time limit"), lines[0]);
        for (int i = 1; i <= 30; i++) {
            assertEquals(2.0 * i, JSON.readTree(lines[i]).get("value").asDouble(), 0, "line " + (i + 1));
        }
        assertTrue(JSON.readTree(lines[31]).has("error"));
        assertEquals(2, r.code());
    }

    @Test
    void helpTeachesByExample() {
        Run r = run("", "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("matcalc derive \"x'*A*x\" --wrt x"), r.out());
        Run d = run("", "derive", "--help");
        assertTrue(d.out().contains("--layout"), d.out());
        assertTrue(d.out().contains("Examples:"), d.out());
    }

    @Test
    void anExpressionMayStartWithMinus() {
        Run r = run("", "eval", "-x'*y", "--at", "x=[1,2]", "--at", "y=[3,4]");
        assertEquals(0, r.code(), r.err());
        assertEquals("-x'*y = -11\n", r.out());
    }

    @Test
    void unknownOptionIsAUsageError() {
        Run r = run("", "eval", "x", "y", "--bogus");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Unmatched arguments") || r.err().contains("Unknown option"), r.err());
    }
}
