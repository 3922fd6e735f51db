package org.matcalc;

import java.util.LinkedHashMap;
import java.util.Map;

import org.matcalc.codegen.Codegen;
import org.matcalc.codegen.Language;
import org.matcalc.diff.Derivative;
import org.matcalc.diff.Derivatives;
import org.matcalc.diff.Layout;
import org.matcalc.expr.Declarations;
import org.matcalc.expr.Expr;
import org.matcalc.expr.LatexPrinter;
import org.matcalc.expr.MatcalcException;
import org.matcalc.expr.MatcalcException.Kind;
import org.matcalc.expr.Elaboration;
import org.matcalc.expr.Parser;
import org.matcalc.expr.Shape;
import org.matcalc.expr.SourceMap;
import org.matcalc.expr.TextPrinter;
import org.matcalc.expr.Typer;
import org.matcalc.numeric.Evaluator;
import org.matcalc.numeric.Mat;
import org.matcalc.numeric.Plan;

/**
 * matcalc as a library, as small as the command: declare, parse, differentiate, print,
 * evaluate.
 * <pre>{@code
 * Matcalc mc = Matcalc.declare("X: matrix(n,m); w: vector(m); y: vector(n)");
 * Matcalc.Formula loss = mc.parse("norm2(X*w - y)^2");
 * Matcalc.Formula grad = loss.gradient("w");          // 2*X'*(X*w - y)
 * grad.text();  grad.latex();  grad.steps();
 * Mat g = grad.evaluate(Map.of("X", x, "w", w, "y", y));
 * Matcalc.Compiled fast = grad.compile(Map.of("X", x, "w", w, "y", y));  // plan once
 * for (...) { g = fast.evaluate(Map.of("X", x, "w", w2, "y", y)); }     // then run often
 * String py = grad.code(Language.NUMPY);   // f_and_g(X, w, y): the loss and its gradient in NumPy
 * }</pre>
 * Refusals are {@link org.matcalc.expr.MatcalcException}s with a position and a message.
 */
public final class Matcalc {
    private final Declarations decls;

    private Matcalc(Declarations decls) {
        this.decls = decls;
    }

    /** Declarations as in a file or on the command line: {@code "X: matrix(n,m); S: spd(n)"}. */
    public static Matcalc declare(String declarations) {
        return new Matcalc(Declarations.fromLines(declarations));
    }

    /** No declarations: names take their kind from their first letter. */
    public static Matcalc undeclared() {
        return new Matcalc(Declarations.NONE);
    }

    /** The declarations this instance parses with. */
    public Declarations declarations() {
        return decls;
    }

    /** Reads and type-checks an expression. */
    public Formula parse(String expression) {
        // broadcasting written out and kinds taken from use (LANGUAGE.md), once, before any derivative
        Elaboration.Elaborated e = Elaboration.of(Parser.parse(expression), decls);
        Typer.check(e.parsed(), e.decls());
        return new Formula(e.parsed().expr(), e.decls(), null, null, null, 0, Layout.MIXED);
    }

    /** An expression with its declarations; a derivative also carries its derivation. */
    public static final class Formula {
        private final Expr expr;
        private final Declarations decls;
        private final Derivative derivative;
        /** For a derivative: the formula differentiated, by what, to which order, in which layout. */
        private final Formula source;
        private final String wrt;
        private final int order;
        private final Layout layout;

        private Formula(Expr expr, Declarations decls, Derivative derivative, Formula source, String wrt, int order, Layout layout) {
            this.expr = expr;
            this.decls = decls;
            this.derivative = derivative;
            this.source = source;
            this.wrt = wrt;
            this.order = order;
            this.layout = layout;
        }

        /** The expression tree (for a derivative: the derivative). */
        public Expr expr() {
            return expr;
        }

        /** The shape of the expression, with its size symbols. */
        public Shape shape() {
            return Typer.check(expr, decls).shape();
        }

        /** The gradient (scalar expression) or Jacobian by {@code wrt}, in mixed layout. */
        public Formula gradient(String wrt) {
            return derive(wrt, 1, Layout.MIXED);
        }

        /** The Hessian of a scalar expression by {@code wrt}. */
        public Formula hessian(String wrt) {
            return derive(wrt, 2, Layout.MIXED);
        }

        /** The derivative of the given order (1 or 2) by {@code wrt} in a layout. */
        public Formula derive(String wrt, int order, Layout layout) {
            Derivative d = Derivatives.derive(expr, decls, wrt, order, layout);
            return new Formula(d.expr(), d.declarations(), d, this, wrt, order, layout);
        }

        /** The expression in the language; it parses back. */
        public String text() {
            return TextPrinter.print(expr);
        }

        /** The expression in LaTeX. */
        public String latex() {
            return LatexPrinter.print(expr);
        }

        /** For a derivative, the derivation as a textbook shows it; empty otherwise. */
        public String steps() {
            return derivative == null ? "" : derivative.derivation().toText();
        }

        /** For a derivative, what it is (gradient, Jacobian, Hessian; shape; layout). */
        public String description() {
            return derivative == null ? "expression of shape " + shape().describe() : derivative.description();
        }

        /** The value at the given values; sizes are read off the values. */
        public Mat evaluate(Map<String, Mat> values) {
            return Evaluator.evaluate(expr, decls, values);
        }

        /**
         * Plans this formula once for values shaped like {@code example} (the entries do not
         * matter), so that evaluating it again skips parsing, typing and planning: the way to
         * evaluate in a loop. The plan applies the structure rules (no diag(v) formed, products
         * ordered by cost, ...) and runs large operations on the native BLAS.
         *
         * @param example a value for every variable of the formula, of the shapes it will be run on
         * @throws org.matcalc.expr.MatcalcException if the shapes do not fit the formula
         */
        public Compiled compile(Map<String, Mat> example) {
            Map<String, Shape> shapes = Evaluator.shapesOf(example);
            return new Compiled(text(), Evaluator.compile(expr, decls, SourceMap.EMPTY, shapes, Map.of()), example);
        }

        /**
         * Code computing this formula: for a derivative, a function returning the value of the
         * formula it was taken of and this derivative (and the gradient too, for a Hessian), in
         * the layout asked; otherwise a function returning the value. NumPy and PyTorch modules
         * define {@code f_and_g} (or {@code f_g_h}, {@code f}) with one parameter per variable and
         * a {@code check_gradient()} self-test; the Java class {@code Generated} has {@code fAndG}
         * (or {@code fGH}, {@code f}) and a {@code main} that runs the same self-check. See
         * docs/codegen.md.
         *
         * @throws org.matcalc.expr.MatcalcException if the target cannot write a primitive of the
         *     formula (the message names it)
         */
        public String code(Language language) {
            return code(language, Codegen.Options.DEFAULT);
        }

        /** As {@link #code(Language)}, with the Java class's name and package and the sizes the plan is made for. */
        public String code(Language language, Codegen.Options options) {
            return source == null ? Codegen.generate(expr, decls, null, 0, Layout.MIXED, language, options)
                    : Codegen.generate(source.expr, source.decls, wrt, order, layout, language, options);
        }

        @Override
        public String toString() {
            return text();
        }
    }

    /** A formula planned for fixed shapes (see {@link Formula#compile}); safe to share between threads. */
    public static final class Compiled {
        private final String text;
        private final Plan plan;
        private final Map<String, int[]> shapes = new LinkedHashMap<>();

        private Compiled(String text, Plan plan, Map<String, Mat> example) {
            this.text = text;
            this.plan = plan;
            example.forEach((name, v) -> shapes.put(name, new int[] {v.rows(), v.cols()}));
        }

        /**
         * The formula's value at {@code values}, which must have the shapes of the example it
         * was compiled for; values are read, never copied or modified.
         *
         * @throws org.matcalc.expr.MatcalcException if a value is missing or shaped otherwise,
         *     or the value is not finite at these inputs
         */
        public Mat evaluate(Map<String, Mat> values) {
            for (Map.Entry<String, int[]> s : shapes.entrySet()) {
                Mat v = values.get(s.getKey());
                int[] want = s.getValue();
                if (v == null) {
                    throw new MatcalcException(Kind.REQUEST, "no value for " + s.getKey() + " (compiled for "
                            + want[0] + "x" + want[1] + ")");
                }
                if (v.rows() != want[0] || v.cols() != want[1]) {
                    throw new MatcalcException(Kind.REQUEST, "the value of " + s.getKey() + " is " + v.shapeString()
                            + ", but " + text + " was compiled for " + want[0] + "x" + want[1]
                            + "; compile it again for other shapes");
                }
            }
            return plan.run(values);
        }

        /** The formula, as text. */
        @Override
        public String toString() {
            return text;
        }
    }
}

