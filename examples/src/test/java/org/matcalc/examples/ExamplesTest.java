package org.matcalc.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

class ExamplesTest {
    @TempDir
    static Path out;

    static String run(Example e) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        boolean ok = e.run(new PrintStream(buf, true, StandardCharsets.UTF_8), out);
        String text = buf.toString(StandardCharsets.UTF_8);
        assertTrue(ok, e.name() + " failed:\n" + text);
        return text;
    }

    @TestFactory
    Stream<DynamicTest> everyExampleRunsAndChecksItself() {
        return Examples.all().stream().map(e -> DynamicTest.dynamicTest(e.name(), () -> run(e)));
    }

    @Test
    void registryHasTheIssueExamplesWithUniqueNames() {
        List<String> names = Examples.all().stream().map(Example::name).toList();
        assertTrue(names.containsAll(List.of("babylonian", "graph", "forward-over-reverse", "fd-error")), names.toString());
        assertEquals(names.size(), new HashSet<>(names).size());
        assertTrue(Examples.byName("graph").isPresent());
    }

    @Test
    void babylonianPrintsTheExactFigures() throws Exception {
        String text = run(Examples.byName("babylonian").orElseThrow());
        assertTrue(text.contains("= 7.0"), text);
        assertTrue(text.contains("0.07142857142857142"), text);
    }

    @Test
    void fdErrorWritesAPngPlot() throws Exception {
        run(Examples.byName("fd-error").orElseThrow());
        Path png = out.resolve("fd-error.png");
        assertTrue(Files.exists(png));
        byte[] b = Files.readAllBytes(png);
        assertTrue(b.length > 1000 && b[0] == (byte) 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G');
    }
}
