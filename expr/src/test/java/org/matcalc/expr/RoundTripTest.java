package org.matcalc.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** print then parse gives back the same tree, for thousands of random trees (seeded, reproducible). */
class RoundTripTest {
    private static final int BLOCKS = 20;
    private static final int PER_BLOCK = 250;

    @TestFactory
    Stream<DynamicTest> arbitraryTreesRoundTrip() {
        return IntStream.range(0, BLOCKS).mapToObj(block -> DynamicTest.dynamicTest("arbitrary seeds " + block * PER_BLOCK + ".." + ((block + 1) * PER_BLOCK - 1), () -> {
            for (int i = 0; i < PER_BLOCK; i++) {
                long seed = block * PER_BLOCK + i;
                Expr e = new ExprGenerator(seed).arbitrary(2 + (int) (seed % 6));
                assertRoundTrip(seed, e);
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> wellTypedTreesRoundTripAndKeepTheirShape() {
        List<Shape> shapes = new ArrayList<>(List.of(Shape.SCALAR, Shape.vector(ExprGenerator.N), Shape.vector(ExprGenerator.M).transpose(),
                new Shape(ExprGenerator.N, ExprGenerator.M), new Shape(ExprGenerator.N, ExprGenerator.N),
                Shape.vector(ExprGenerator.NM), new Shape(ExprGenerator.NM, ExprGenerator.NM)));
        return IntStream.range(0, BLOCKS).mapToObj(block -> DynamicTest.dynamicTest("well-typed seeds " + block * PER_BLOCK + ".." + ((block + 1) * PER_BLOCK - 1), () -> {
            for (int i = 0; i < PER_BLOCK; i++) {
                long seed = 1_000_000 + block * PER_BLOCK + i;
                Shape want = shapes.get((int) (seed % shapes.size()));
                Expr e = new ExprGenerator(seed).wellTyped(want, 2 + (int) (seed % 5));
                Expr back = assertRoundTrip(seed, e);
                String text = TextPrinter.print(e);
                try {
                    assertEquals(want, Typer.check(e, ExprGenerator.DECLARATIONS).shape(), "built tree");
                    assertEquals(want, Typer.check(Parser.parse(text), ExprGenerator.DECLARATIONS).shape(), "parsed tree");
                    assertEquals(want, Typer.check(back, ExprGenerator.DECLARATIONS).shape());
                } catch (RuntimeException | AssertionError ex) {
                    fail("seed " + seed + ": " + text + " should type as " + want + ": " + ex.getMessage(), ex);
                }
            }
        }));
    }

    @Test
    void printingIsStable() {
        for (long seed = 0; seed < 500; seed++) {
            Expr e = new ExprGenerator(seed).arbitrary(6);
            String once = TextPrinter.print(e);
            assertEquals(once, TextPrinter.print(Parser.parse(once).expr()), "seed " + seed);
        }
    }

    @Test
    void generatorIsDeterministicAndCoversEveryNodeType() {
        assertEquals(new ExprGenerator(42).arbitrary(6), new ExprGenerator(42).arbitrary(6));
        java.util.Set<Class<?>> seen = new java.util.HashSet<>();
        java.util.Set<Object> ops = new java.util.HashSet<>();
        for (long seed = 0; seed < 2000; seed++) {
            java.util.ArrayDeque<Expr> todo = new java.util.ArrayDeque<>(List.of(new ExprGenerator(seed).arbitrary(6)));
            while (!todo.isEmpty()) {
                Expr e = todo.pop();
                seen.add(e.getClass());
                if (e instanceof Expr.Binary b) {
                    ops.add(b.op());
                } else if (e instanceof Expr.Call c) {
                    ops.add(c.fn());
                } else if (e instanceof Expr.Elementwise f) {
                    ops.add(f.fn());
                }
                todo.addAll(TreeDepth.children(e));
            }
        }
        assertEquals(java.util.Set.of(Expr.class.getPermittedSubclasses()), seen);
        assertEquals(BinaryOp.values().length + Builtin.values().length + ScalarFunction.values().length, ops.size());
    }

    @Test
    void wellTypedTreesCoverEveryOperatorFunctionAndNodeType() {
        java.util.Set<Object> seen = new java.util.HashSet<>();
        Shape[] shapes = {Shape.SCALAR, Shape.vector(ExprGenerator.N), new Shape(ExprGenerator.N, ExprGenerator.N),
                Shape.vector(ExprGenerator.NM), new Shape(ExprGenerator.NM, ExprGenerator.NM)};
        for (long seed = 0; seed < 3000; seed++) {
            java.util.ArrayDeque<Expr> todo = new java.util.ArrayDeque<>(List.of(new ExprGenerator(seed).wellTyped(shapes[(int) (seed % shapes.length)], 6)));
            while (!todo.isEmpty()) {
                Expr e = todo.pop();
                seen.add(e.getClass());
                if (e instanceof Expr.Binary b) {
                    seen.add(b.op());
                } else if (e instanceof Expr.Call c) {
                    seen.add(c.fn());
                } else if (e instanceof Expr.Elementwise f) {
                    seen.add(f.fn());
                } else if (e instanceof Expr.Identity i) {
                    seen.add(i.size() == null ? "eye" : "eye(n)");
                } else if (e instanceof Expr.Fill f) {
                    seen.add(f.rows() == null ? "fill by context" : "fill with sizes");
                }
                todo.addAll(TreeDepth.children(e));
            }
        }
        java.util.Set<Object> want = new java.util.HashSet<>(List.of(Expr.class.getPermittedSubclasses()));
        want.addAll(List.of(BinaryOp.values()));
        want.addAll(List.of(Builtin.values()));
        want.addAll(List.of(ScalarFunction.values()));
        want.addAll(List.of("eye", "eye(n)", "fill by context", "fill with sizes"));
        want.removeAll(seen);
        assertEquals(java.util.Set.of(), want, "never generated");
    }

    static Expr assertRoundTrip(long seed, Expr e) {
        String text = TextPrinter.print(e);
        Expr back;
        try {
            back = Parser.parse(text).expr();
        } catch (RuntimeException ex) {
            throw new AssertionError("seed " + seed + ": printed text does not parse: " + text + "\n  " + ex.getMessage(), ex);
        }
        if (!back.equals(e)) {
            fail("seed " + seed + ": " + text + "\n  built:  " + e + "\n  parsed: " + back + "\n  reprinted: " + TextPrinter.print(back));
        }
        return back;
    }
}
