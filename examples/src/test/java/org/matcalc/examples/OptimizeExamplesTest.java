package org.matcalc.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The figures the chapter quotes appear in the optimisation examples' output. */
class OptimizeExamplesTest {
    @TempDir
    Path out;

    String run(String name) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        boolean ok = Examples.byName(name).orElseThrow().run(new PrintStream(buf, true, StandardCharsets.UTF_8), out);
        String text = buf.toString(StandardCharsets.UTF_8);
        assertTrue(ok, name + " failed:\n" + text);
        return text;
    }

    @Test
    void registeredAfterTheEarlierOnesInOrder() {
        List<String> names = Examples.all().stream().map(Example::name).toList();
        int i = names.indexOf("newton-sqrt2");
        assertTrue(i > names.indexOf("fd-error"), names.toString());
        assertTrue(names.indexOf("critical-points") == i + 1 && names.indexOf("hessian-saddle") == i + 2, names.toString());
    }

    @Test
    void newtonSqrt2PrintsTheIteratesAndWritesAPlot() throws Exception {
        String t = run("newton-sqrt2");
        for (String s : List.of("1.416666666666667", "1.414215686274510", "1.414213562373095", "p_3 = 1.9998")) {
            assertTrue(t.contains(s), s + " missing:\n" + t);
        }
        byte[] b = Files.readAllBytes(out.resolve("newton-sqrt2.png"));
        assertTrue(b.length > 1000 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G');
    }

    @Test
    void criticalPointsPrintsTheThreePoints() throws Exception {
        String t = run("critical-points");
        assertTrue(t.contains("(0, 0)      [[4, 0], [0, 2]]    [4, 2]          unstable node"), t);
        assertTrue(t.contains("(0, 1)      [[2, 0], [1, -2]]   [2, -2]         saddle"), t);
        assertTrue(t.contains("(2, 2)      [[0, -4], [2, -4]]  [-2+2i, -2-2i]  stable spiral"), t);
    }

    @Test
    void hessianSaddlePrintsTheEigenvalues() throws Exception {
        String t = run("hessian-saddle");
        assertTrue(t.contains("{4.34211128, 1.86236874, -4.20448002}: saddle"), t);
        assertTrue(t.contains("[[4, 0, 1], [0, -2, 3], [1, 3, 0]]"), t);
    }
}
