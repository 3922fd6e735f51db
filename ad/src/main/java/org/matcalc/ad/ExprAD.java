package org.matcalc.ad;

import java.util.LinkedHashMap;
import java.util.Map;

import org.matcalc.expr.Declarations;
import org.matcalc.expr.Expr;
import org.matcalc.expr.MatcalcException;
import org.matcalc.expr.MatcalcException.Kind;
import org.matcalc.expr.Shape;
import org.matcalc.expr.SourceMap;
import org.matcalc.expr.Typer;
import org.matcalc.expr.Typing;
import org.matcalc.numeric.Evaluator;
import org.matcalc.numeric.Mat;
import org.matcalc.numeric.Plan;

/**
 * Automatic differentiation of expressions of the language: any expression runs on the
 * reverse {@link Tape} and in forward mode, so that its symbolic, forward, reverse and
 * finite-difference derivatives can be compared. The expression is typed and compiled once to
 * the same {@link Plan} that dense evaluation runs, then run on a {@link TapeBackend}: each
 * primitive's forward and reverse rule come from its block ({@code numeric.primitives}).
 *
 * <pre>{@code
 * Expr f = Expr.parse("logdet(S) + tr(inv(S)*C)");
 * Mat g  = ExprAD.gradient(f, decls, values, "S");            // reverse, shaped like S
 * AD.Jacobian j = ExprAD.jacobian(Expr.parse("A*x"), decls, values, "x");  // mode by shape
 * Mat h  = ExprAD.hessian(f, decls, values, "S");             // forward-over-reverse, over vec(S)
 * }</pre>
 *
 * Gradients are unconstrained (not projected onto a variable's symmetric or diagonal
 * space), like the rest of the tape; Jacobians and Hessians index vec(X), column-major, rows =
 * outputs (CONTRACT.md). Variables other than {@code wrt} are held at their values.
 */
public final class ExprAD {
    private ExprAD() {
    }

    /** {@code f} as a matrix program of the variable {@code wrt}, the others held at {@code values}. */
    public static AD.MatFunction function(Expr f, Declarations decls, Map<String, Mat> values, String wrt) {
        return function(f, decls, values, Map.of(), wrt);
    }

    /** As {@link #function(Expr, Declarations, Map, String)}, with size symbols bound by {@code sizes} as well. */
    public static AD.MatFunction function(Expr f, Declarations decls, Map<String, Mat> values, Map<String, Integer> sizes,
                                          String wrt) {
        Plan plan = Evaluator.compile(typing(f, decls, values, sizes), sizes);
        if (!values.containsKey(wrt)) {
            throw new MatcalcException(Kind.REQUEST, "no value for " + wrt + ", the variable to differentiate by");
        }
        return x -> plan.run(new TapeBackend(x.tape, Map.of(wrt, x), values)).get(0);
    }

    /** The gradient of a scalar {@code f} by {@code wrt}, shaped like it: one reverse sweep. */
    public static Mat gradient(Expr f, Declarations decls, Map<String, Mat> values, String wrt) {
        return AD.gradient(function(f, decls, values, wrt), values.get(wrt));
    }

    /** The gradients of a scalar {@code f} by every variable, from one reverse sweep. */
    public static Map<String, Mat> gradients(Expr f, Declarations decls, Map<String, Mat> values) {
        return gradients(f, decls, values, null);
    }

    /**
     * The gradients of a scalar {@code f} by the variables {@code wrt} (null: all), from one
     * reverse sweep; the others are constants, so no adjoint is computed for them (the data of
     * a model: as PyTorch's requires_grad).
     */
    public static Map<String, Mat> gradients(Expr f, Declarations decls, Map<String, Mat> values, java.util.Collection<String> wrt) {
        Typing typing = typing(f, decls, values, Map.of());
        Plan plan = Evaluator.compile(typing, Map.of());
        if (wrt != null && !typing.variables().keySet().containsAll(wrt)) {
            throw new MatcalcException(Kind.REQUEST, "cannot differentiate by " + wrt + ": the expression's variables are "
                    + typing.variables().keySet());
        }
        Tape tape = new Tape();
        Map<String, Node> bound = new LinkedHashMap<>();
        for (String name : typing.variables().keySet()) {
            if (wrt == null || wrt.contains(name)) {
                bound.put(name, tape.variable(values.get(name)));
            }
        }
        Node out = plan.run(new TapeBackend(tape, bound, values)).get(0);
        tape.backward(out);
        Map<String, Mat> g = new LinkedHashMap<>();
        bound.forEach((name, node) -> g.put(name, node.grad()));
        return g;
    }

    /** d vec(f) / d vec(wrt), rows = outputs; forward or reverse chosen by shape and reported. */
    public static AD.Jacobian jacobian(Expr f, Declarations decls, Map<String, Mat> values, String wrt) {
        return AD.jacobian(function(f, decls, values, wrt), values.get(wrt));
    }

    /** The Jacobian of vec(f) by vec(wrt) at {@code values}, in the given mode. */
    public static AD.Jacobian jacobian(Expr f, Declarations decls, Map<String, Mat> values, String wrt, AD.Mode mode) {
        return AD.jacobian(function(f, decls, values, wrt), values.get(wrt), mode);
    }

    /** f and its directional derivative along {@code v} (shaped like wrt): one forward pass of matrix duals. */
    public static AD.Jvp jvp(Expr f, Declarations decls, Map<String, Mat> values, String wrt, Mat v) {
        return AD.jvp(function(f, decls, values, wrt), values.get(wrt), v);
    }

    /** f and w' J (shaped like wrt), {@code w} shaped like f: one reverse sweep. */
    public static AD.Vjp vjp(Expr f, Declarations decls, Map<String, Mat> values, String wrt, Mat w) {
        return AD.vjp(function(f, decls, values, wrt), values.get(wrt), w);
    }

    /** The Hessian of a scalar f over vec(wrt), by forward-over-reverse (one hvp per column). */
    public static Mat hessian(Expr f, Declarations decls, Map<String, Mat> values, String wrt) {
        return AD.hessian(function(f, decls, values, wrt), values.get(wrt));
    }

    /** H v (shaped like wrt) by forward-over-reverse, without forming H. */
    public static Mat hvp(Expr f, Declarations decls, Map<String, Mat> values, String wrt, Mat v) {
        return AD.hvp(function(f, decls, values, wrt), values.get(wrt), v);
    }

    private static Typing typing(Expr f, Declarations decls, Map<String, Mat> values, Map<String, Integer> sizes) {
        Typing typing = Typer.check(f, decls, SourceMap.EMPTY, sizes, Evaluator.shapesOf(values));
        for (Map.Entry<String, Shape> v : typing.variables().entrySet()) {
            if (!values.containsKey(v.getKey())) {
                throw new MatcalcException(Kind.REQUEST, "no value for " + v.getKey() + " (" + v.getValue().describe() + ")");
            }
        }
        return typing;
    }
}
