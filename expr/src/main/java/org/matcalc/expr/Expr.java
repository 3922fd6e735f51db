package org.matcalc.expr;

import java.util.List;

/**
 * An expression of the language (LANGUAGE.md): an immutable tree of records. Equality is
 * structural, so equal subtrees compare and hash equal (the evaluator and the simplifier share
 * them; equals and hashCode are iterative ({@link Structural}) so that deep trees cannot overflow the
 * stack). Nodes carry no source positions and no shapes: positions live in the parser's
 * {@link SourceMap}, shapes in a {@link Typing}, so that a tree built by the engine and one read
 * from text are the same value.
 *
 * <p>Traversals use {@link Visitor}: adding a node is a compile error in every traversal that
 * does not handle it yet. Operators and functions are enums, whose switch expressions the
 * compiler also checks for completeness.
 */
public sealed interface Expr {

    <R> R accept(Visitor<R> v);

    interface Visitor<R> {
        R num(Num e);

        R var(Var e);

        R neg(Neg e);

        R transpose(Transpose e);

        R binary(Binary e);

        R call(Call e);

        R elementwise(Elementwise e);

        R identity(Identity e);

        R zeros(Zeros e);

        R fill(Fill e);

        R commutation(Commutation e);
    }

    /** A number literal; negative only when built by the engine or folded from {@code -2}. */
    record Num(double value) implements Expr {
        public Num {
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException("not a finite number: " + value);
            }
        }

        public <R> R accept(Visitor<R> v) {
            return v.num(this);
        }

        @Override
        public boolean equals(Object o) {
            return Structural.equal(this, o);
        }

        @Override
        public int hashCode() {
            return Structural.hash(this);
        }
    }

    /** A named variable; its kind and size come from declarations or its first letter. */
    record Var(String name) implements Expr {
        public <R> R accept(Visitor<R> v) {
            return v.var(this);
        }

        @Override
        public boolean equals(Object o) {
            return Structural.equal(this, o);
        }

        @Override
        public int hashCode() {
            return Structural.hash(this);
        }
    }

    /** {@code -a}. */
    record Neg(Expr arg) implements Expr {
        public <R> R accept(Visitor<R> v) {
            return v.neg(this);
        }

        @Override
        public boolean equals(Object o) {
            return Structural.equal(this, o);
        }

        @Override
        public int hashCode() {
            return Structural.hash(this);
        }
    }

    /** {@code a'} or {@code a^T}. */
    record Transpose(Expr arg) implements Expr {
        public <R> R accept(Visitor<R> v) {
            return v.transpose(this);
        }

        @Override
        public boolean equals(Object o) {
            return Structural.equal(this, o);
        }

        @Override
        public int hashCode() {
            return Structural.hash(this);
        }
    }

    /** An infix operator. */
    record Binary(BinaryOp op, Expr left, Expr right) implements Expr {
        public <R> R accept(Visitor<R> v) {
            return v.binary(this);
        }

        @Override
        public boolean equals(Object o) {
            return Structural.equal(this, o);
        }

        @Override
        public int hashCode() {
            return Structural.hash(this);
        }
    }

    /** A built-in function that is not element-wise, e.g. {@code tr(X)} or {@code kron(A, B)}. */
    record Call(Builtin fn, List<Expr> args) implements Expr {
        public Call {
            args = List.copyOf(args);
            if (args.size() != fn.arity()) {
                throw new IllegalArgumentException(fn.languageName() + " takes " + fn.arity() + " argument(s)");
            }
        }

        public Expr arg() {
            return args.get(0);
        }

        public <R> R accept(Visitor<R> v) {
            return v.call(this);
        }

        @Override
        public boolean equals(Object o) {
            return Structural.equal(this, o);
        }

        @Override
        public int hashCode() {
            return Structural.hash(this);
        }
    }

    /** An element-wise function from the table {@link ScalarFunction}, e.g. {@code exp(x)}. */
    record Elementwise(ScalarFunction fn, Expr arg) implements Expr {
        public <R> R accept(Visitor<R> v) {
            return v.elementwise(this);
        }

        @Override
        public boolean equals(Object o) {
            return Structural.equal(this, o);
        }

        @Override
        public int hashCode() {
            return Structural.hash(this);
        }
    }

    /** {@code eye} (size null: sized by context) or {@code eye(n)}. */
    record Identity(Size size) implements Expr {
        public <R> R accept(Visitor<R> v) {
            return v.identity(this);
        }

        @Override
        public boolean equals(Object o) {
            return Structural.equal(this, o);
        }

        @Override
        public int hashCode() {
            return Structural.hash(this);
        }
    }

    /** {@code zeros(rows, cols)}. */
    record Zeros(Size rows, Size cols) implements Expr {
        public <R> R accept(Visitor<R> v) {
            return v.zeros(this);
        }

        @Override
        public boolean equals(Object o) {
            return Structural.equal(this, o);
        }

        @Override
        public int hashCode() {
            return Structural.hash(this);
        }
    }

    /**
     * {@code vector(c)} / {@code matrix(c)}: every entry equals the scalar c, sized by context
     * (rows and cols null), or with explicit sizes {@code vector(c, n)} / {@code matrix(c, n, m)}.
     */
    record Fill(Expr value, boolean matrix, Size rows, Size cols) implements Expr {
        public Fill {
            if (!matrix && cols != null) {
                throw new IllegalArgumentException("a vector fill has no column size");
            }
            if ((rows == null) != (cols == null) && matrix) {
                throw new IllegalArgumentException("a matrix fill gives both sizes or neither");
            }
        }

        public <R> R accept(Visitor<R> v) {
            return v.fill(this);
        }

        @Override
        public boolean equals(Object o) {
            return Structural.equal(this, o);
        }

        @Override
        public int hashCode() {
            return Structural.hash(this);
        }
    }

    /** {@code commutation(m, n)}: the mn x mn matrix K with K*vec(X) = vec(X') for X m x n. */
    record Commutation(Size m, Size n) implements Expr {
        public <R> R accept(Visitor<R> v) {
            return v.commutation(this);
        }

        @Override
        public boolean equals(Object o) {
            return Structural.equal(this, o);
        }

        @Override
        public int hashCode() {
            return Structural.hash(this);
        }
    }

    // Constructors that read like the language.

    static Num num(double v) {
        return new Num(v);
    }

    static Var var(String name) {
        return new Var(name);
    }

    static Expr neg(Expr a) {
        return new Neg(a);
    }

    static Expr transpose(Expr a) {
        return new Transpose(a);
    }

    static Expr add(Expr a, Expr b) {
        return new Binary(BinaryOp.ADD, a, b);
    }

    static Expr sub(Expr a, Expr b) {
        return new Binary(BinaryOp.SUB, a, b);
    }

    static Expr mul(Expr a, Expr b) {
        return new Binary(BinaryOp.MUL, a, b);
    }

    static Expr div(Expr a, Expr b) {
        return new Binary(BinaryOp.DIV, a, b);
    }

    static Expr hadamard(Expr a, Expr b) {
        return new Binary(BinaryOp.HADAMARD, a, b);
    }

    static Expr hadamardDiv(Expr a, Expr b) {
        return new Binary(BinaryOp.HADAMARD_DIV, a, b);
    }

    static Expr pow(Expr a, Expr b) {
        return new Binary(BinaryOp.POW, a, b);
    }

    static Expr elemPow(Expr a, Expr b) {
        return new Binary(BinaryOp.ELEM_POW, a, b);
    }

    static Expr call(Builtin fn, Expr... args) {
        return new Call(fn, List.of(args));
    }

    static Expr apply(ScalarFunction fn, Expr arg) {
        return new Elementwise(fn, arg);
    }

    /** Reads an expression; throws {@link MatcalcException} with a position when it is not one. */
    static Expr parse(String text) {
        return Parser.parse(text).expr();
    }
}
