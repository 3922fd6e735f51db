package org.matcalc.codegen;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.matcalc.diff.Layout;
import org.matcalc.expr.Builtin;
import org.matcalc.expr.Declarations;
import org.matcalc.expr.ExprGenerator;
import org.matcalc.expr.PrimitiveTable;
import org.matcalc.expr.ScalarFunction;
import org.matcalc.expr.Shape;
import org.matcalc.expr.Size;
import org.matcalc.expr.TextPrinter;
import org.matcalc.numeric.Mat;

/**
 * Generated code, run: for every primitive's test row, every element-wise function, every
 * example of the web page's gallery (in each layout) and 500 random expressions, the NumPy and
 * PyTorch modules run under Debian's python3 and the Java class is compiled and called; each
 * agrees with matcalc's own evaluation to 1e-10 relative and its self-checks pass.
 */
class CodegenRunTest {
    private static final String RANDOM_DECLS = "X: matrix(n,m); Y: matrix(n,m); B: matrix(m,n); C: matrix(n); D: matrix(m); "
            + "x: vector(n); y: vector(n); w: vector(m); b: vector(m); s: scalar; t: scalar; lambda: scalar";
    static final int RANDOM = 500;

    private static List<GeneratedCode.Prepared> cases;
    private static int unsupported;

    @BeforeAll
    static void prepare() throws IOException {
        List<GeneratedCode.Case> all = new ArrayList<>();
        for (Map.Entry<Builtin, PrimitiveTable.Row> r : PrimitiveTable.ROWS.entrySet()) {
            PrimitiveTable.Row row = r.getValue();
            all.add(new GeneratedCode.Case("row_" + r.getKey().languageName(), row.expression(), row.declarations(), row.wrt(), 1, Layout.MIXED));
            if (row.secondOrder()) {
                all.add(new GeneratedCode.Case("row2_" + r.getKey().languageName(), row.expression(), row.declarations(), row.wrt(), 2, Layout.MIXED));
            }
        }
        all.add(new GeneratedCode.Case("value_undeclared", "x'*A*x + sum(vector(1))", "", null, 0, Layout.MIXED));
        for (ScalarFunction f : ScalarFunction.values()) {
            String name = f.name().toLowerCase(java.util.Locale.ROOT);
            all.add(new GeneratedCode.Case("fn_" + name, "sum(" + name + "(X*w))", "X: matrix(n,m); w: vector(m)", "w", 2, Layout.MIXED));
            all.add(new GeneratedCode.Case("jac_" + name, name + "(x)", "x: vector(n)", "x", 1, Layout.NUMERATOR));
        }
        int k = 0;
        for (String[] g : gallery()) {
            for (Layout layout : Layout.values()) {
                all.add(new GeneratedCode.Case("gallery" + (k++) + "_" + layout.name().toLowerCase(java.util.Locale.ROOT), g[0], g[2], g[1],
                        Integer.parseInt(g[3]), layout));
            }
        }
        all.addAll(randomCases());
        cases = new ArrayList<>();
        for (GeneratedCode.Case c : all) {
            GeneratedCode.Prepared p = GeneratedCode.prepare(c);
            if (p == null) {
                unsupported++;
            } else {
                cases.add(p);
            }
        }
    }

    /** The gallery of the web page (server/src/main/resources/web/app.js): expression, wrt, declarations, order. */
    static List<String[]> gallery() throws IOException {
        String js = Files.readString(Path.of("../server/src/main/resources/web/app.js"));
        String list = js.substring(js.indexOf("const GALLERY = ["), js.indexOf("];", js.indexOf("const GALLERY = [")));
        Matcher m = Pattern.compile("\\{ id: \"[^\"]+\", title: \"[^\"]+\", expr: \"([^\"]+)\", wrt: \"([^\"]+)\"(, order: (\\d))?\\s*(,\\s*decls: \\{([^}]*)\\})?")
                .matcher(list);
        List<String[]> out = new ArrayList<>();
        while (m.find()) {
            String decls = m.group(6) == null ? "" : m.group(6).trim().replaceAll("\\s*([A-Za-z_0-9]+): \"([^\"]+)\",?\\s*", "$1: $2; ");
            out.add(new String[] {m.group(1).replace("\\'", "'"), m.group(2), decls.trim(), m.group(4) == null ? "1" : m.group(4)});
        }
        assertTrue(out.size() >= 15, "the gallery has " + out.size() + " examples");
        return out;
    }

    /** Random expressions from expr's generator: mostly scalars (gradients, a fifth Hessians), some Jacobians, a tenth values only, every layout. */
    static List<GeneratedCode.Case> randomCases() {
        Random rnd = new Random(Long.getLong("matcalc.seed", 20261202L));
        ExprGenerator g = new ExprGenerator(rnd, Declarations.fromLines(RANDOM_DECLS));
        List<GeneratedCode.Case> out = new ArrayList<>();
        Pattern vars = Pattern.compile("\\b(X|Y|B|C|D|x|y|w|b|s|t|lambda)\\b(?!\\()");
        while (out.size() < RANDOM) {
            boolean scalar = rnd.nextInt(5) > 0;
            Shape shape = scalar ? Shape.SCALAR : new Shape(Size.sym(rnd.nextBoolean() ? "n" : "m"), rnd.nextBoolean() ? Size.ONE : Size.sym("n"));
            String f = TextPrinter.print(g.valid(shape, 2 + rnd.nextInt(3)));
            List<String> names = new ArrayList<>();
            Matcher m = vars.matcher(f);
            while (m.find()) {
                if (!names.contains(m.group(1))) {
                    names.add(m.group(1));
                }
            }
            if (names.isEmpty()) {
                continue;
            }
            int order = scalar && rnd.nextInt(5) == 0 ? 2 : rnd.nextInt(10) == 0 ? 0 : 1;
            Layout layout = Layout.values()[rnd.nextInt(3)];
            out.add(new GeneratedCode.Case("random" + out.size(), f, RANDOM_DECLS, names.get(rnd.nextInt(names.size())), order, layout));
        }
        return out;
    }

    @Test
    void enoughCasesRun() {
        assertTrue(cases.size() >= RANDOM, "only " + cases.size() + " cases could be prepared (" + unsupported + " unsupported)");
        assertTrue(unsupported < cases.size() / 20, unsupported + " cases are documented gaps of the derivative engine");
    }

    @Test
    void numpyRunsAndAgrees() throws Exception {
        python(Language.NUMPY, "numpy");
    }

    @Test
    void torchRunsAndAgrees() throws Exception {
        python(Language.TORCH, "torch");
    }

    private void python(Language lang, String module) throws Exception {
        String missing = GeneratedCode.missingPython(module);
        Assumptions.assumeTrue(missing == null, missing);
        String scipy = lang == Language.NUMPY ? GeneratedCode.missingPython("scipy.linalg") : null;
        Assumptions.assumeTrue(scipy == null, scipy);
        List<String> failures = new ArrayList<>();
        Map<String, String> code = new LinkedHashMap<>();
        for (GeneratedCode.Prepared p : cases) {
            try {
                code.put(p.c().id(), GeneratedCode.generate(p, lang, "G"));
            } catch (RuntimeException e) {
                failures.add(p.c().id() + ": " + p.c().expression() + ": cannot generate: " + e);
            }
        }
        Map<String, JsonNode> results = GeneratedCode.runPython(cases, code);
        for (GeneratedCode.Prepared p : cases) {
            JsonNode r = results.get(p.c().id());
            String what = p.c().id() + ": " + p.c().expression() + " by " + p.c().wrt() + " order " + p.c().order() + " " + p.c().layout();
            if (!code.containsKey(p.c().id())) {
                continue;
            }
            if (r == null) {
                failures.add(what + ": no result");
            } else if (!r.get("ok").asBoolean()) {
                failures.add(what + ": " + r.get("error").asText());
            } else if (!(r.get("agreement").asDouble() <= GeneratedCode.AGREE)) {
                failures.add(what + ": differs from matcalc by " + r.get("agreement").asDouble());
            } else if (p.c().order() > 0 && !r.has("check_gradient")) {
                failures.add(what + ": no check_gradient"); // it raises when it fails, reported above
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " of " + cases.size() + " " + lang.id() + " cases failed:\n"
                + String.join("\n", failures.subList(0, Math.min(12, failures.size()))));
    }

    /** The self-checks can fail: a derivative off by 0.1% in one generated file is caught by each. */
    @Test
    void selfChecksCatchAWrongDerivative(@TempDir Path dir) throws Exception {
        GeneratedCode.Prepared p = GeneratedCode.prepare(new GeneratedCode.Case("wrong", "sum(softplus(-y .* (X*w)))",
                "X: matrix(n,m); w: vector(m); y: vector(n)", "w", 1, Layout.MIXED));
        String java = GeneratedCode.generate(p, Language.JAVA, "Wrong");
        String tampered = java.replaceFirst("return new Result\\((\\w+), (\\w+)\\);", "return new Result($1, $2.scale(1.001));");
        assertTrue(!tampered.equals(java), "the return line was found");
        Class<?> k = GeneratedCode.compileJava(Map.of("Wrong", tampered), dir).loadClass("generated.Wrong");
        Object check = k.getMethod("checkGradient", long.class).invoke(null, 0L);
        assertTrue(!(boolean) check.getClass().getMethod("passed").invoke(check), check.toString());

        for (Language lang : List.of(Language.NUMPY, Language.TORCH)) {
            String missing = GeneratedCode.missingPython(lang == Language.NUMPY ? "numpy" : "torch");
            Assumptions.assumeTrue(missing == null, missing);
            String py = GeneratedCode.generate(p, lang, "G");
            // the function replaced by one whose gradient is 0.1% too large; check_gradient calls it by name
            String bad = py + "\n_right = f_and_g\n\n\ndef f_and_g(**values):\n    f, g = _right(**values)\n    return f, 1.001 * g\n";
            JsonNode r = GeneratedCode.runPython(List.of(p), Map.of("wrong", bad)).get("wrong");
            assertTrue(!r.get("ok").asBoolean() && r.get("error").asText().contains("disagrees with"), r.toString());
        }
    }

    @Test
    void javaCompilesRunsAndAgrees(@TempDir Path dir) throws Exception {
        Map<String, String> sources = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            try {
                sources.put("G" + i, GeneratedCode.generate(cases.get(i), Language.JAVA, "G" + i));
            } catch (RuntimeException e) {
                failures.add(cases.get(i).c().id() + ": cannot generate: " + e);
            }
        }
        ClassLoader loader = GeneratedCode.compileJava(sources, dir);
        for (int i = 0; i < cases.size(); i++) {
            GeneratedCode.Prepared p = cases.get(i);
            String what = p.c().id() + ": " + p.c().expression() + " by " + p.c().wrt() + " order " + p.c().order() + " " + p.c().layout();
            if (!sources.containsKey("G" + i)) {
                continue;
            }
            try {
                Class<?> k = loader.loadClass("generated.G" + i);
                String name = p.c().order() == 0 ? "f" : p.c().order() == 1 ? "fAndG" : "fGH";
                Method m = null;
                for (Method x : k.getMethods()) {
                    if (x.getName().equals(name)) {
                        m = x;
                    }
                }
                Object[] args = new Object[m.getParameterCount()];
                for (int a = 0; a < args.length; a++) {
                    args[a] = p.values().get(p.parameters().get(a));
                }
                Object result = m.invoke(null, args);
                java.lang.reflect.RecordComponent[] parts = result.getClass().getRecordComponents();
                for (int o = 0; o < parts.length; o++) {
                    Mat got = (Mat) parts[o].getAccessor().invoke(result);
                    double err = GeneratedCode.relative(got, p.expected().get(o));
                    if (!(err <= GeneratedCode.AGREE)) {
                        failures.add(what + ": " + parts[o].getName() + " differs from matcalc by " + err);
                    }
                }
                if (p.c().order() > 0) {
                    Object check = k.getMethod("checkGradient", long.class).invoke(null, 0L);
                    if (!(boolean) check.getClass().getMethod("passed").invoke(check)) {
                        failures.add(what + ": checkGradient " + check);
                    }
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                Throwable cause = e instanceof java.lang.reflect.InvocationTargetException t ? t.getCause() : e;
                failures.add(what + ": " + cause);
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " of " + cases.size() + " Java cases failed:\n"
                + String.join("\n", failures.subList(0, Math.min(12, failures.size()))));
    }
}
