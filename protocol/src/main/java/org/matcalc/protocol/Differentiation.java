package org.matcalc.protocol;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.matcalc.diff.Derivative;
import org.matcalc.diff.Derivatives;
import org.matcalc.diff.Layout;
import org.matcalc.expr.Decl;
import org.matcalc.expr.Declarations;
import org.matcalc.expr.LatexPrinter;
import org.matcalc.expr.MatcalcException;
import org.matcalc.expr.Shape;
import org.matcalc.expr.Size;
import org.matcalc.expr.TextPrinter;
import org.matcalc.expr.Typing;
import org.matcalc.numeric.Evaluator;
import org.matcalc.numeric.Mat;
import org.matcalc.check.Verify;

/**
 * Orders 1 and 2 of the JSON protocol, on the symbolic engine: the derivative's text, LaTeX,
 * value at {@code at}, and the expression's value; optional {@code steps} and {@code check}.
 */
public final class Differentiation implements DeriveProtocol.Differentiator {

    public static Layout layout(String name) {
        for (Layout l : Layout.values()) {
            if (l.name().equalsIgnoreCase(name == null ? "" : name.trim())) {
                return l;
            }
        }
        throw new org.matcalc.expr.MatcalcException(org.matcalc.expr.MatcalcException.Kind.REQUEST,
                "--layout " + name + ": expected mixed, numerator or denominator");
    }

    /**
     * Undeclared variables get the sizes of their values, so that sizes the derivative needs
     * (an identity, a Kronecker factor) are written as numbers and the answer reads back with
     * the same request (CONTRACT.md §3, round trip).
     */
    public static Declarations withValueSizes(Typing typing, Declarations decls, Map<String, Mat> values) {
        return withValueSizes(typing.variables().keySet(), decls, values);
    }

    /** As {@link #withValueSizes(Typing, Declarations, Map)} for the variables {@code names}. */
    static Declarations withValueSizes(java.util.Collection<String> names, Declarations decls, Map<String, Mat> values) {
        Declarations out = decls;
        for (String name : names) {
            Mat v = values.get(name);
            if (decls.get(name).isEmpty() && v != null) {
                Decl byLetter = Declarations.byLetter(name);
                out = out.with(name, new Decl(byLetter.kind(), Size.of(v.rows()), Size.of(v.cols()), byLetter.properties(), false));
            }
        }
        return out;
    }

    /**
     * Refuses a point at which the zero derivative by a variable that does not occur has no
     * size: no value of the variable, and no other value fixes its declared sizes.
     */
    public static void requireSized(Derivative d, String wrt, Map<String, Mat> values, Map<String, Integer> sizes) {
        if (wrt == null || values.containsKey(wrt)) {
            return;
        }
        Decl decl = d.declarations().get(wrt).orElse(null);
        if (decl == null) {
            return;
        }
        Map<String, Integer> known = Verify.withDeclaredSizes(d.declarations(), values, sizes);
        for (Size s : new Size[] {decl.rows(), decl.cols()}) {
            if (s instanceof Size.Sym y && !known.containsKey(y.name())) {
                throw new MatcalcException(MatcalcException.Kind.REQUEST, wrt + " does not occur in the expression and has no value,"
                        + " so nothing fixes the size " + y.name() + " of its zero derivative: give " + wrt
                        + " a value, or declare it with sizes (e.g. \"" + wrt + ": "
                        + (decl.shape().isColumn() ? "vector(3)" : decl.shape().isRow() ? "rowvector(3)" : "matrix(2, 3)") + "\")");
            }
        }
    }

    @Override
    public void derive(DeriveProtocol.Request req, Typing typing, ObjectNode out) {
        // the variable differentiated by is sized by its value even where the expression does not use it
        java.util.Set<String> named = new java.util.LinkedHashSet<>(typing.variables().keySet());
        if (req.wrt() != null) {
            named.add(req.wrt());
        }
        Declarations decls = req.symbolic() ? req.decls() : withValueSizes(named, req.decls(), req.values());
        Derivative d = Derivatives.derive(req.parsed().expr(), decls, req.wrt(), req.order(), layout(req.layout()));
        out.put("derivative", TextPrinter.print(d.expr()));
        out.put("latex", LatexPrinter.print(d.expr()));
        if (!req.symbolic()) {
            requireSized(d, req.wrt(), req.values(), req.sizes());
            Mat value = Evaluator.evaluate(d.expr(), d.declarations(), req.values(), req.sizes());
            Mat f = Evaluator.evaluate(req.parsed(), req.decls(), req.values(), req.sizes());
            out.set("value", Values.encode(value));
            out.set("expressionValue", Values.encode(f));
        }
        out.put("shape", d.shape().describe());
        out.put("description", d.description());
        if (d.convention() != null) {
            out.put("convention", d.convention());
        }
        if (req.raw().path("steps").asBoolean(false)) {
            out.put("steps", d.derivation().toText());
            out.put("stepsLatex", d.derivation().toLatex());
        }
        if (req.raw().path("check").asBoolean(false)) {
            // At the request's point when it has one, else at random inputs that respect the declarations.
            Verify.Result r = req.symbolic()
                    ? Verify.atRandom(req.parsed().expr(), decls, req.wrt(), d, req.order(), 1L)
                    : Verify.at(req.parsed().expr(), decls, req.wrt(), d, req.order(), req.values(), req.sizes(),
                            new java.util.Random(1));
            ObjectNode c = out.putObject("check");
            c.put("relativeError", r.relativeError());
            c.put("relativeErrorAgainstAD", r.againstAd());
            c.put("passed", r.passed());
            c.put("method", "central finite differences (Richardson) and automatic differentiation, along "
                    + r.directions() + " random directions");
            c.put("summary", r.describe(req.symbolic()));
        }
    }
}
