package org.matcalc.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class TyperTest {

    @Test
    void everyNodeOfAWellTypedTreeHasAResolvedShape() {
        for (long seed = 0; seed < 1000; seed++) {
            Expr e = new ExprGenerator(seed).wellTyped(new ExprGenerator(seed).anyShape(), 5);
            Typing t = Typer.check(e, ExprGenerator.DECLARATIONS);
            ArrayDeque<Expr> todo = new ArrayDeque<>(List.of(e));
            while (!todo.isEmpty()) {
                Expr node = todo.pop();
                Shape s = t.shapeOf(node);
                // The recorded shape is the one the primitive's own shape rule gives for its arguments' shapes.
                if (node instanceof Expr.Call c) {
                    assertEquals(c.fn().resultShape(c, c.args().stream().map(t::shapeOf).toList()), s, "seed " + seed + ": " + TextPrinter.print(node));
                } else if (node instanceof Expr.Binary b) {
                    assertEquals(b.op().resultShape(t.shapeOf(b.left()), t.shapeOf(b.right())), s, "seed " + seed + ": " + TextPrinter.print(node));
                }
                assertTrue(!s.toString().contains("?"), "seed " + seed + ": " + TextPrinter.print(node) + " in " + TextPrinter.print(e) + " is " + s);
                todo.addAll(TreeDepth.children(node));
            }
        }
    }

    @Test
    void typingAnswersForItsOwnNodesOnly() {
        Parsed p = Parser.parse("x'*A*x");
        Typing t = Typer.check(p, Declarations.NONE);
        assertEquals(p.expr(), t.root());
        assertEquals(Shape.SCALAR, t.shape());
        assertThrows(IllegalArgumentException.class, () -> t.shapeOf(Expr.parse("x'*A*x")));
        assertEquals(List.of("x", "A"), List.copyOf(t.variables().keySet()));
        assertThrows(UnsupportedOperationException.class, () -> t.variables().put("y", Shape.SCALAR));
        assertEquals(t.variables().get("A").rows(), t.variables().get("x").rows());
    }

    @Test
    void engineBuiltTreesAreRefusedWithoutAPosition() {
        MatcalcException e = assertThrows(MatcalcException.class,
                () -> Typer.check(Expr.mul(Expr.var("x"), Expr.var("y")), Declarations.NONE));
        assertNull(e.span());
        assertEquals("cannot multiply vector by vector; did you mean x'*y (inner product) or x*y' (outer product)?", e.getMessage());
    }

    @Test
    void concreteSizesResolveEverything() {
        Declarations d = Declarations.fromStrings(Map.of("X", "matrix(n,m)", "w", "vector(m)"));
        Typing t = Typer.check(Parser.parse("kron(X, eye)*vec(w*w') + X*w").expr(), d, SourceMap.EMPTY, Map.of("n", 3, "m", 2), Map.of());
        assertEquals(Shape.vector(Size.of(3)), t.shape());
        assertEquals(new Shape(Size.of(3), Size.of(2)), t.variables().get("X"));
        // Values give sizes to undeclared names.
        Typing t2 = Typer.check(Parser.parse("A*x").expr(), Declarations.NONE, SourceMap.EMPTY, Map.of(),
                Map.of("A", new Shape(Size.of(2), Size.of(5)), "x", Shape.vector(Size.of(5))));
        assertEquals(Shape.vector(Size.of(2)), t2.shape());
    }

    /**
     * Found by fuzzing: an unknown size bound to a product (vec of an undeclared matrix) whose
     * factors were bound later was read through to the stale factors, and binding one of those
     * again made a cycle that type checking looped on for ever.
     */
    @Test
    void sizesBoundToProductsResolveAllTheWay() {
        for (String e : List.of("((sum((kron(C, A)*(C + B)), 1)*(kron((y*B), B) + (A .* kron(C, y))))*((B .* B)' + vec(C))')",
                "(kron(sum(a, 1)', ((kron(x, C) + A') .* (kron(x, B) .* kron(a, A)))) + vec(kron(B, kron(x, a))))")) {
            MatcalcException ex = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(5),
                    () -> assertThrows(MatcalcException.class, () -> Typer.check(Expr.parse(e), Declarations.NONE)));
            assertEquals(MatcalcException.Kind.SHAPE, ex.kind(), e);
        }
        // the same reading through, where the shapes agree: vec(A) sized by A's product of sizes
        assertEquals("vector(?*?)", Typer.check(Expr.parse("vec(A) + vec(B') + x"), Declarations.NONE).shape().describe());
    }

    @Test
    void substitutionAndTreeQueries() {
        Expr e = Expr.parse("x'*A*x + sum(vector(x'*y, n))");
        Expr r = Substitution.replace(e, Map.of("x", Expr.parse("B*z")));
        assertEquals(Expr.parse("(B*z)'*A*(B*z) + sum(vector((B*z)'*y, n))"), r);
        assertEquals(List.of("B", "z", "A", "y"), TreeDepth.variables(r));
        assertEquals(e, Substitution.replace(e, Map.of()));
        assertEquals(List.of("x", "A", "y"), TreeDepth.variables(e));
        assertEquals(1, TreeDepth.of(Expr.parse("x")));
        assertEquals(4, TreeDepth.of(Expr.parse("x'*A*x")));
        for (long seed = 0; seed < 500; seed++) {
            Expr g = new ExprGenerator(seed).arbitrary(6);
            assertEquals(g, Substitution.replace(g, Map.of()));
            assertTrue(TreeDepth.of(g) <= 6, "seed " + seed);
            Expr renamed = Substitution.replace(g, Map.of("x", Expr.var("fresh")));
            assertTrue(!TreeDepth.variables(renamed).contains("x"));
            assertEquals(TreeDepth.of(g), TreeDepth.of(renamed));
        }
    }
}
