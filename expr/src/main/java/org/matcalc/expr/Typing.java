package org.matcalc.expr;

import java.util.Collections;
import java.util.Map;

/**
 * The result of {@link Typer}: the shape of every node of one tree, with sizes resolved as far
 * as the declarations (and, when evaluating, the values) allow.
 */
public final class Typing {
    private final Expr root;
    private final Map<Expr, Shape> shapes;
    private final Map<String, Shape> variables;
    private final Declarations declarations;

    Typing(Expr root, Map<Expr, Shape> shapes, Map<String, Shape> variables, Declarations declarations) {
        this.root = root;
        this.shapes = shapes;
        this.variables = Collections.unmodifiableMap(variables);
        this.declarations = declarations;
    }

    public Expr root() {
        return root;
    }

    public Shape shape() {
        return shapes.get(root);
    }

    /** The shape of a node of this tree (by identity). */
    public Shape shapeOf(Expr node) {
        Shape s = shapes.get(node);
        if (s == null) {
            throw new IllegalArgumentException("not a node of this tree: " + node);
        }
        return s;
    }

    /** Every variable of the tree with its shape, in order of first appearance. */
    public Map<String, Shape> variables() {
        return variables;
    }

    /** The declaration of a variable: the given one, or the one its first letter implies. */
    public Decl declOf(String name) {
        return declarations.get(name).orElseGet(() -> Declarations.byLetter(name));
    }

    public Declarations declarations() {
        return declarations;
    }
}
