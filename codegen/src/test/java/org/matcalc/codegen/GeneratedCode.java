package org.matcalc.codegen;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Assertions;

import org.matcalc.diff.Derivative;
import org.matcalc.diff.Derivatives;
import org.matcalc.diff.Layout;
import org.matcalc.expr.Decl;
import org.matcalc.expr.Declarations;
import org.matcalc.expr.Expr;
import org.matcalc.expr.MatcalcException;
import org.matcalc.numeric.Evaluator;
import org.matcalc.numeric.Mat;
import org.matcalc.numeric.RandomInputs;

/**
 * Runs generated code, not only reads it: each case's NumPy and PyTorch modules under Debian's
 * {@code /usr/bin/python3} (one process per language for all cases, {@code run_generated.py}),
 * its Java class compiled in-process ({@code javax.tools}) and called by reflection. Each is
 * compared with matcalc's own evaluation of the value and derivatives at random inputs, and its
 * self-checks ({@code check_gradient}, {@code check_autograd}, {@code checkGradient}) run.
 */
final class GeneratedCode {
    static final Path PYTHON = Path.of("/usr/bin/python3");
    static final double AGREE = 1e-10;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One expression to generate code for. */
    record Case(String id, String expression, String declarations, String wrt, int order, Layout layout) {
    }

    /** A case made ready: its inputs and matcalc's values there. */
    record Prepared(Case c, Expr f, Declarations decls, Map<String, Mat> values, Map<String, Integer> sizes, List<Mat> expected,
                    List<String> parameters) {
    }

    private GeneratedCode() {
    }

    /**
     * The inputs and matcalc's values of a case, or null when its derivative is a documented gap
     * (refused as unsupported by name) or no random input lies in its domain.
     */
    static Prepared prepare(Case c) {
        // read as every surface reads text: broadcasting written out, kinds taken from use
        org.matcalc.expr.Elaboration.Elaborated el = org.matcalc.expr.Elaboration.of(c.expression(), Declarations.fromLines(c.declarations()));
        Expr f = el.parsed().expr();
        Declarations given = el.decls();
        List<Expr> roots = new ArrayList<>(List.of(f));
        Declarations decls = given;
        try {
            if (c.order() >= 1) {
                Derivative d1 = Derivatives.derive(f, given, c.wrt(), 1, c.layout());
                decls = d1.declarations();
                roots.add(d1.expr());
                if (c.order() == 2) {
                    roots.add(Derivatives.derive(f, given, c.wrt(), 2, c.layout()).expr());
                }
            }
        } catch (MatcalcException e) {
            if (e.kind() == MatcalcException.Kind.UNSUPPORTED) {
                return null;
            }
            throw e;
        }
        Random rnd = new Random(c.id().hashCode());
        for (int attempt = 0; attempt < 8; attempt++) {
            RandomInputs.Style style = attempt % 2 == 0 ? RandomInputs.Style.SIGNED : RandomInputs.Style.POSITIVE;
            RandomInputs.Sample s = RandomInputs.sample(f, decls, Map.of(), rnd, style);
            try {
                List<Mat> out = new ArrayList<>();
                for (Expr e : roots) {
                    out.add(Evaluator.evaluate(e, decls, s.values(), s.sizes()));
                }
                List<String> params = new ArrayList<>(s.values().keySet());
                if (c.wrt() != null && !params.contains(c.wrt())) {
                    return null; // differentiating by an absent variable: nothing to run
                }
                return new Prepared(c, f, decls, s.values(), s.sizes(), out, params);
            } catch (MatcalcException | IllegalArgumentException | ArithmeticException e) {
                // outside the domain at these inputs: draw again
            }
        }
        return null;
    }

    static String generate(Prepared p, Language lang, String className) {
        Declarations given = org.matcalc.expr.Elaboration.of(p.c().expression(), Declarations.fromLines(p.c().declarations())).decls();
        return Codegen.generate(p.f(), given, p.c().wrt(), p.c().order(), p.c().layout(), lang,
                new Codegen.Options(className, "generated", planSizes(p)));
    }

    /**
     * The sizes the case runs at, to plan its products for: an order planned for the default 100
     * can need intermediates far larger than the result at small sizes (a Hessian through a kron
     * needs an n^6 x n^6 one), as the --size option of codegen says.
     */
    private static Map<String, Integer> planSizes(Prepared p) {
        Map<String, Integer> out = new java.util.HashMap<>();
        p.sizes().forEach((k, v) -> {
            if (v >= 2) {
                out.put(k, v);
            }
        });
        return out;
    }

    static String pythonFunction(int order) {
        return order == 0 ? "f" : order == 1 ? "f_and_g" : "f_g_h";
    }

    /** Why Python cannot run here, or null; with MATCALC_REQUIRE_PYTHON=1 (CI) a missing package fails instead. */
    static String missingPython(String module) {
        String why = null;
        if (!Files.isExecutable(PYTHON)) {
            why = PYTHON + " is missing";
        } else {
            try {
                Process pr = new ProcessBuilder(PYTHON.toString(), "-c", "import " + module).redirectErrorStream(true).start();
                pr.getInputStream().readAllBytes();
                if (pr.waitFor() != 0) {
                    why = "python3 cannot import " + module + " (Debian's python3-" + (module.equals("scipy.linalg") ? "scipy" : module) + ")";
                }
            } catch (IOException | InterruptedException e) {
                why = "cannot start python3: " + e.getMessage();
            }
        }
        if (why != null && "1".equals(System.getenv("MATCALC_REQUIRE_PYTHON"))) {
            Assertions.fail("generated Python must run here (MATCALC_REQUIRE_PYTHON=1) but " + why);
        }
        return why;
    }

    /** A value as derive --json encodes it, by the variable's kind (a vector a flat list, a row vector one row). */
    static JsonNode encode(Mat m, Decl d) {
        JsonNodeFactory j = JsonNodeFactory.instance;
        if (d != null ? d.shape().isScalar() : m.isScalar()) {
            return j.numberNode(m.scalarValue());
        }
        boolean flat = d != null ? d.kind() == Decl.VarKind.VECTOR : m.cols() == 1;
        ArrayNode a = j.arrayNode();
        if (flat) {
            for (int i = 0; i < m.rows(); i++) {
                a.add(m.get(i, 0));
            }
            return a;
        }
        for (int i = 0; i < m.rows(); i++) {
            ArrayNode row = a.addArray();
            for (int k = 0; k < m.cols(); k++) {
                row.add(m.get(i, k));
            }
        }
        return a;
    }

    /** Runs every case's module in one Python process; the results by case id. */
    static Map<String, JsonNode> runPython(List<Prepared> cases, Map<String, String> code) throws IOException, InterruptedException {
        Path script = Files.createTempFile("run_generated", ".py");
        try (InputStream in = GeneratedCode.class.getResourceAsStream("/run_generated.py")) {
            Files.write(script, in.readAllBytes());
        }
        Process pr = new ProcessBuilder(PYTHON.toString(), script.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Map<String, JsonNode> results = new LinkedHashMap<>();
        Thread writer = new Thread(() -> {
            try (OutputStream os = pr.getOutputStream()) {
                for (Prepared p : cases) {
                    if (!code.containsKey(p.c().id())) {
                        continue;
                    }
                    ObjectNode c = JSON.createObjectNode();
                    c.put("id", p.c().id());
                    c.put("code", code.get(p.c().id()));
                    c.put("fn", pythonFunction(p.c().order()));
                    ObjectNode args = c.putObject("args");
                    p.values().forEach((name, v) -> args.set(PythonWriter.identifier(name), encode(v, p.decls().get(name).orElse(null))));
                    ArrayNode exp = c.putArray("expected");
                    p.expected().forEach(m -> exp.add(encode(m, null)));
                    os.write((JSON.writeValueAsString(c) + "\n").getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        writer.start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(pr.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                JsonNode n = JSON.readTree(line);
                results.put(n.get("id").asText(), n);
            }
        }
        writer.join();
        Assertions.assertEquals(0, pr.waitFor(), "python3 exited with an error");
        Files.deleteIfExists(script);
        return results;
    }

    /** Compiles the classes (name to source) in one javac run; a loader for them. */
    static ClassLoader compileJava(Map<String, String> sources, Path dir) throws IOException {
        Path src = dir.resolve("src/generated"), out = dir.resolve("classes");
        Files.createDirectories(src);
        Files.createDirectories(out);
        List<String> args = new ArrayList<>(List.of("-d", out.toString(), "-classpath", classPath(), "-nowarn", "-proc:none"));
        for (Map.Entry<String, String> s : sources.entrySet()) {
            Path f = src.resolve(s.getKey() + ".java");
            Files.writeString(f, s.getValue());
            args.add(f.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int rc = javac.run(null, err, err, args.toArray(new String[0]));
        Assertions.assertEquals(0, rc, () -> "generated Java does not compile:\n" + err.toString(StandardCharsets.UTF_8));
        return new URLClassLoader(new URL[] {out.toUri().toURL()}, GeneratedCode.class.getClassLoader());
    }

    /** The numeric module and what it needs: where the test's own classes come from (surefire may use a manifest-only jar). */
    private static String classPath() {
        List<String> parts = new ArrayList<>(List.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator)));
        for (Class<?> k : List.of(Mat.class, org.matcalc.expr.Builtin.class, org.ejml.data.DMatrixRMaj.class)) {
            try {
                parts.add(Path.of(k.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
            } catch (java.net.URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        return String.join(java.io.File.pathSeparator, parts);
    }

    /**
     * The (Frobenius) difference of two matrices relative to the second, or absolute when its norm
     * is below 1 (inputs are of order one, so a result far below is a cancellation, zero up to
     * rounding); infinity when their shapes differ.
     */
    static double relative(Mat got, Mat want) {
        if (got.rows() != want.rows() || got.cols() != want.cols()) {
            return Double.POSITIVE_INFINITY;
        }
        Mat d = got.minus(want);
        return Math.sqrt(d.dot(d)) / Math.max(Math.sqrt(want.dot(want)), 1);
    }
}
