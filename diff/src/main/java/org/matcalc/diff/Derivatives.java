package org.matcalc.diff;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.matcalc.expr.BinaryOp;
import org.matcalc.expr.Decl;
import org.matcalc.expr.Declarations;
import org.matcalc.expr.Expr;
import org.matcalc.expr.MatcalcException;
import org.matcalc.expr.MatcalcException.Kind;
import org.matcalc.expr.Shape;
import org.matcalc.expr.Size;
import org.matcalc.expr.Substitution;
import org.matcalc.expr.TextPrinter;
import org.matcalc.expr.Typer;
import org.matcalc.expr.Typing;
import org.matcalc.simplify.Simplifier;

/**
 * The public API of the symbolic engine (DESIGN.md, "the one idea"): linearise, then
 * transpose. {@link #derive} gives gradients, Jacobians (of vec(F) by vec(X), with kron and
 * commutation where exact) and Hessians over vec(X), in the layouts of CONTRACT.md §4;
 * {@link #hvp} gives a Hessian-vector product that never forms the Hessian.
 *
 * <p>Every answer is an expression of the language with explicit sizes ({@code eye(m)},
 * {@code vector(1, n)}, {@code zeros(n, m)}): names whose sizes were left to inference get size
 * symbols, returned in {@link Derivative#declarations()}.
 */
public final class Derivatives {
    private Derivatives() {
    }

    /**
     * The derivative of {@code f} by the variable {@code wrt}: order 0 (the expression itself,
     * with explicit sizes), 1 or 2, in {@code layout}.
     */
    public static Derivative derive(Expr f, Declarations decls, String wrt, int order, Layout layout) {
        if (order < 0 || order > 2) {
            throw new MatcalcException(Kind.REQUEST, "order must be 0, 1 or 2, got " + order);
        }
        if (order > 0 && (wrt == null || wrt.isBlank())) {
            throw new MatcalcException(Kind.REQUEST, "no variable to differentiate by (wrt)");
        }
        Layout lay = layout == null ? Layout.MIXED : layout;
        Prepared p = prepare(f, decls, order == 0 ? null : wrt);
        Derivation steps = new Derivation(p.dx == null ? null : p.dx.name());
        Shape fShape = p.ops.shape(p.f);
        if (order == 0) {
            return new Derivative(p.f, fShape, lay, "the expression itself", null, p.declsOut, steps);
        }
        Shape xShape = p.xShape;
        Expr lin = new Linearizer(p.ops, wrt, p.dx, steps).d(p.f);
        if (p.f instanceof Expr.Var) {
            steps.add(new Step(Step.Kind.DIFFERENTIAL, "differential", p.f, lin));
        }
        Transposer tr = new Transposer(p.ops, p.dx.name(), steps);
        String xWords = p.xDecl.describe();
        String convention = null;
        Expr result;
        String description;
        if (order == 1 && !fShape.isScalar()) {
            if (xShape.isScalar()) {
                result = p.ops.rebuild(Substitution.replace(lin, Map.of(p.dx.name(), Ops.num(1))));
                steps.add(new Step(Step.Kind.RESULT, "read off dF = D*d" + wrt, lin, result, wrt));
                description = "derivative of " + fShape.describe() + " by a scalar, shaped like the expression";
                if (lay == Layout.DENOMINATOR) {
                    Expr d = result;
                    result = p.ops.transpose(result);
                    steps.add(new Step(Step.Kind.CONVENTION, "denominator layout: transposed", new Expr.Transpose(d), result, wrt));
                    description = "derivative of " + fShape.describe() + " by a scalar in denominator layout, "
                            + "transposed to " + fShape.transpose().describe();
                }
            } else {
                result = new Jacobians(p.ops, tr, xShape).j(lin);
                steps.add(new Step(Step.Kind.RESULT, "read off vec(dF) = J*vec(d" + wrt + ")", lin, result, wrt));
                Expr projector = Projection.vecProjector(p.xDecl);
                if (projector != null) {
                    convention = p.xDecl.isSymmetric() ? Projection.JACOBIAN_SYMMETRIC : Projection.JACOBIAN_DIAGONAL;
                    Expr j = result;
                    result = p.ops.mul(j, p.ops.rebuild(projector));
                    steps.add(new Step(Step.Kind.CONVENTION, convention, new Expr.Binary(BinaryOp.MUL, j, projector), result, wrt));
                }
                Size pq = Size.times(fShape.rows(), fShape.cols()), nm = Size.times(xShape.rows(), xShape.cols());
                description = "Jacobian of vec(F) by vec(" + wrt + ") for F " + fShape.describe() + " and " + wrt + " "
                        + xWords + ": " + pq + " x " + nm + ", rows = outputs";
                if (lay == Layout.DENOMINATOR) {
                    Expr j = result;
                    result = p.ops.transpose(result);
                    steps.add(new Step(Step.Kind.CONVENTION, "denominator layout: the transposed Jacobian", new Expr.Transpose(j),
                            result, wrt));
                    description = "transposed Jacobian (denominator layout) of vec(F) by vec(" + wrt + "): " + nm + " x " + pq
                            + ", rows = entries of " + wrt;
                }
            }
        } else if (order == 1) {
            Expr g = tr.transpose(lin, Ops.num(1), xShape);
            steps.add(new Step(Step.Kind.RESULT, "read off df = tr(G'*d" + wrt + ")", lin, g, wrt));
            Projection.Projected pr = Projection.apply(p.ops, p.xDecl, g);
            convention = pr.convention();
            result = pr.gradient();
            if (convention != null) {
                steps.add(new Step(Step.Kind.CONVENTION, convention, Projection.definition(p.xDecl, g), result, wrt));
            }
            if (xShape.isScalar()) {
                description = "derivative of a scalar by a scalar";
            } else if (lay == Layout.NUMERATOR) {
                result = p.ops.transpose(result);
                description = "gradient of a scalar by " + xWords + " in numerator layout: "
                        + xShape.transpose().describe() + ", the transpose of the variable's shape";
                steps.add(new Step(Step.Kind.CONVENTION, "numerator layout: the transposed gradient",
                        new Expr.Transpose(pr.gradient()), result, wrt));
            } else {
                description = "gradient of a scalar by " + xWords + ", shaped like the variable";
            }
        } else {
            if (!fShape.isScalar()) {
                throw new MatcalcException(Kind.REQUEST, "a Hessian (order 2) is defined here only for a scalar expression; this one is "
                        + fShape.describe());
            }
            Expr g = tr.transpose(lin, Ops.num(1), xShape);
            steps.add(new Step(Step.Kind.RESULT, "gradient: read off df = tr(G'*d" + wrt + ")", lin, g, wrt));
            Linearizer second = new Linearizer(p.ops, wrt, p.dx, steps);
            Expr lin2 = second.d(g);
            steps.add(new Step(Step.Kind.DIFFERENTIAL, "differential of the gradient", g, lin2));
            if (xShape.isScalar()) {
                result = p.ops.rebuild(Substitution.replace(lin2, Map.of(p.dx.name(), Ops.num(1))));
                description = "second derivative of a scalar by a scalar";
            } else {
                Transposer tr2 = new Transposer(p.ops, p.dx.name(), steps);
                result = new Jacobians(p.ops, tr2, xShape).j(lin2);
                Size nm = Size.times(xShape.rows(), xShape.cols());
                description = "Hessian of a scalar by " + xWords + (xShape.isColumn() ? "" : " over vec(" + wrt + ")")
                        + ": " + nm + " x " + nm + " (the same in every layout)";
            }
            steps.add(new Step(Step.Kind.RESULT, xShape.isScalar() ? "read off dG = H*d" + wrt
                    : "read off vec(dG) = H*vec(d" + wrt + ")", lin2, result, wrt));
            Expr projector = Projection.vecProjector(p.xDecl);
            if (projector != null) {
                convention = p.xDecl.isSymmetric() ? Projection.HESSIAN_SYMMETRIC : Projection.HESSIAN_DIAGONAL;
                Expr h = result, pr = p.ops.rebuild(projector);
                result = p.ops.mul(p.ops.mul(pr, h), pr);
                Expr definition = new Expr.Binary(BinaryOp.MUL, new Expr.Binary(BinaryOp.MUL, projector, h), projector);
                steps.add(new Step(Step.Kind.CONVENTION, convention, definition, result, wrt));
            }
        }
        Shape shape = p.ops.shape(result);
        Expr out = finish(p, result, steps);
        if (p.absent) {
            description += "; " + wrt + " does not occur in the expression, so the derivative is zero";
        }
        return new Derivative(out, shape, lay, description, convention, p.declsOut, steps);
    }

    /** The derivative by each of several variables, in their order (one linearisation each). */
    public static List<Derivative> deriveEach(Expr f, Declarations decls, List<String> wrts, int order, Layout layout) {
        List<Derivative> out = new ArrayList<>();
        for (String w : wrts) {
            out.add(derive(f, decls, w, order, layout));
        }
        return out;
    }

    /**
     * The Hessian-vector product H*v of a scalar f by {@code wrt}, in the direction named
     * {@code directionName} (declared like the variable if it is not declared), as a formula
     * that never forms H: the gradient linearised in the direction v. For a matrix variable
     * the result is shaped like it: unvec(H*vec(V)).
     */
    public static Expr hvp(Expr f, Declarations decls, String wrt, String directionName) {
        if (wrt == null || wrt.isBlank() || directionName == null || directionName.isBlank()) {
            throw new MatcalcException(Kind.REQUEST, "a Hessian-vector product needs a variable (wrt) and a direction name");
        }
        Prepared p0 = prepare(f, decls, wrt);
        Decl vDecl = decls.get(directionName).orElse(null);
        if (vDecl != null && !vDecl.shape().equals(p0.xShape)) {
            throw new MatcalcException(Kind.REQUEST, "the direction " + directionName + " is declared " + vDecl.describe()
                    + " but " + wrt + " is " + p0.xDecl.describe());
        }
        Declarations withV = p0.declsOut.with(directionName, new Decl(p0.xDecl.kind(), p0.xShape.rows(), p0.xShape.cols(),
                Set.of(), false));
        Prepared p = prepare(p0.f, withV, wrt);
        if (!p.ops.shape(p.f).isScalar()) {
            throw new MatcalcException(Kind.REQUEST, "a Hessian-vector product needs a scalar expression");
        }
        Derivation steps = new Derivation(p.dx.name());
        Expr lin = new Linearizer(p.ops, wrt, p.dx, steps).d(p.f);
        Expr g = new Transposer(p.ops, p.dx.name(), steps).transpose(lin, Ops.num(1), p.xShape);
        Expr hv = new Linearizer(p.ops, wrt, new Expr.Var(directionName), steps).d(g);
        Expr projector = Projection.vecProjector(p.xDecl);
        if (projector != null) {
            // P*H*P*vec(v), as the Hessian's convention: v projected, then the result
            Expr v = new Expr.Var(directionName);
            Expr pv = p.ops.rebuild(Projection.definition(p.xDecl, v));
            hv = Projection.apply(p.ops, p.xDecl, p.ops.rebuild(Substitution.replace(hv, Map.of(directionName, pv)))).gradient();
        }
        return finish(p, hv, steps);
    }

    /** Shown at most: the first use of each identity, each side typed as it reads on its own. */
    private static final int MAX_SIMPLIFY_STEPS = 8;

    /**
     * The identities worth a step of their own: the first use of each named one, where both sides
     * type on their own with one shape (a filled constant sized by its context may not).
     */
    private static List<Simplifier.Rewrite> namedRewrites(List<Simplifier.Rewrite> used, Declarations decls) {
        List<Simplifier.Rewrite> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int tried = 0;
        for (Simplifier.Rewrite r : used) {
            if (out.size() == MAX_SIMPLIFY_STEPS || tried++ == 8 * MAX_SIMPLIFY_STEPS) {
                break;
            }
            if (seen.contains(r.identity()) || TextPrinter.print(r.before()).equals(TextPrinter.print(r.after()))) {
                continue;
            }
            try {
                Expr before = Expr.parse(TextPrinter.print(r.before())), after = Expr.parse(TextPrinter.print(r.after()));
                if (!Typer.check(before, decls).shape().equals(Typer.check(after, decls).shape())) {
                    continue;
                }
                out.add(new Simplifier.Rewrite(r.identity(), before, after));
                seen.add(r.identity());
            } catch (MatcalcException e) {
                // not readable on its own: the whole step below still shows it
            }
        }
        return out;
    }

    private static Expr finish(Prepared p, Expr result, Derivation steps) {
        Expr out = result;
        try {
            Expr simpler = Simplifier.simplify(Ops.present(out), p.declsOut);
            // The engine's own form is kept unless the simplifier's prints strictly shorter.
            if (TextPrinter.print(simpler).length() >= TextPrinter.print(Ops.present(out)).length()) {
                simpler = out;
            }
            if (!simpler.equals(out)) {
                Expr unsimplified = out, shorter = simpler;
                steps.addLater(() -> {
                    // the same simplification again, writing down the identities it uses
                    List<Simplifier.Rewrite> used = new ArrayList<>();
                    List<Step> shown = new ArrayList<>();
                    try {
                        Simplifier.simplify(Ops.present(unsimplified), p.declsOut, used);
                    } catch (RuntimeException e) {
                        used.clear();
                    }
                    for (Simplifier.Rewrite r : namedRewrites(used, p.declsOut)) {
                        shown.add(new Step(Step.Kind.SIMPLIFY, "simplify: " + r.identity(), r.before(), r.after()));
                    }
                    shown.add(new Step(Step.Kind.SIMPLIFY, shown.isEmpty() ? "simplify"
                            : "simplify: the whole result, by the identities above and collecting terms", unsimplified, shorter));
                    return shown;
                });
            }
            out = simpler;
        } catch (RuntimeException | AssertionError e) {
            // The simplifier is an optimisation: the unsimplified result is exact, so keep it
            // and say why in the derivation (e.g. a simplifier without a rule for a new primitive).
            steps.add(new Step(Step.Kind.SIMPLIFY, "not simplified: " + e.getMessage(), out, out));
        }
        if (Ops.isZero(out) && p.ops.shape(out).isScalar()) {
            out = Ops.num(0);
        }
        return Ops.present(out);
    }

    // ---- preparing the input: explicit sizes everywhere ---------------------------------------

    private record Prepared(Expr f, Declarations declsOut, Ops ops, Expr.Var dx, Decl xDecl, Shape xShape, boolean absent) {
    }

    /**
     * The declarations with a size symbol for every size that {@code f} leaves open (x of
     * {@code x'*x} gets n), named n, m, p, ... avoiding the symbols in use: the declarations a
     * derivative is read with ({@link Derivative#declarations()}), for code written for f itself.
     */
    public static Declarations withNamedSizes(Expr f, Declarations decls) {
        Typing t = Typer.check(f, decls);
        Set<String> used = new HashSet<>();
        for (Decl d : decls.asMap().values()) {
            collectSymbols(d.rows(), used);
            collectSymbols(d.cols(), used);
        }
        for (Shape s : t.variables().values()) {
            collectSymbols(s.rows(), used);
            collectSymbols(s.cols(), used);
        }
        // a size is never named as a variable is: with n a scalar, x of sum(x)/n has size m
        used.addAll(decls.asMap().keySet());
        used.addAll(t.variables().keySet());
        Map<Size, Size> named = new LinkedHashMap<>();
        Map<String, Decl> out = new LinkedHashMap<>(decls.asMap());
        for (Map.Entry<String, Shape> v : t.variables().entrySet()) {
            Shape s = v.getValue();
            Size rows = name(s.rows(), named, used), cols = name(s.cols(), named, used);
            Decl given = t.declOf(v.getKey());
            out.put(v.getKey(), new Decl(given.kind(), rows, cols, given.properties(), given.constant()));
        }
        return Declarations.of(out);
    }

    private static Prepared prepare(Expr f, Declarations decls, String wrt) {
        Declarations full = withNamedSizes(f, decls);
        Typing t2 = Typer.check(f, full);
        Expr sized = Sizing.explicit(f, t2);
        Decl xDecl = null;
        Shape xShape = null;
        Expr.Var dx = null;
        boolean absent = false;
        Declarations engineDecls = full;
        if (wrt != null) {
            if (wrt.isEmpty()) {
                throw new MatcalcException(Kind.REQUEST, "no variable to differentiate by (wrt)");
            }
            xDecl = full.get(wrt).orElse(null);
            absent = !t2.variables().containsKey(wrt);
            if (absent && (xDecl == null || xDecl.rows() == null || xDecl.cols() == null)) {
                // a variable the expression does not use: the zero derivative of its shape (as SymPy
                // answers), its unknown sizes named afresh
                xDecl = withFreshSizes(xDecl == null ? Declarations.byLetter(wrt) : xDecl, full);
                full = full.with(wrt, xDecl);
            }
            if (xDecl.constant()) {
                throw new MatcalcException(Kind.REQUEST, wrt + " is declared const, so it cannot be differentiated by;"
                        + " drop 'const " + wrt + "' to treat it as a variable");
            }
            xShape = xDecl.shape();
            String dn = "d" + wrt;
            while (full.get(dn).isPresent()) {
                dn = dn + "_";
            }
            dx = new Expr.Var(dn);
            engineDecls = full.with(dn, new Decl(xDecl.kind(), xShape.rows(), xShape.cols(), Set.of(), false));
        }
        Ops ops = new Ops(new Shapes(engineDecls));
        return new Prepared(sized, full, ops, dx, xDecl, xShape, absent);
    }

    /** {@code d} with each unknown size named by a symbol no declaration or name uses. */
    private static Decl withFreshSizes(Decl d, Declarations decls) {
        Set<String> used = new HashSet<>(decls.asMap().keySet());
        for (Decl e : decls.asMap().values()) {
            collectSymbols(e.rows(), used);
            collectSymbols(e.cols(), used);
        }
        Map<Size, Size> named = new LinkedHashMap<>();
        Size rows = d.rows() == null ? name(new Size.Unknown(-1), named, used) : d.rows();
        Size cols = d.cols() == null ? name(new Size.Unknown(-2), named, used) : d.cols();
        return new Decl(d.kind(), rows, cols, d.properties(), d.constant());
    }

    private static void collectSymbols(Size s, Set<String> used) {
        if (s instanceof Size.Sym y) {
            used.add(y.name());
        } else if (s instanceof Size.Prod p) {
            p.factors().forEach(x -> collectSymbols(x, used));
        }
    }

    private static final String[] FRESH = {"n", "m", "p", "q", "r", "k", "l", "s", "t", "u"};

    private static Size name(Size s, Map<Size, Size> named, Set<String> used) {
        if (!(s instanceof Size.Unknown)) {
            return s;
        }
        Size got = named.get(s);
        if (got == null) {
            String pick = null;
            for (int i = 0; pick == null; i++) {
                String c = i < FRESH.length ? FRESH[i] : "n" + (i - FRESH.length + 1);
                if (!used.contains(c)) {
                    pick = c;
                }
            }
            used.add(pick);
            got = Size.sym(pick);
            named.put(s, got);
        }
        return got;
    }
}
