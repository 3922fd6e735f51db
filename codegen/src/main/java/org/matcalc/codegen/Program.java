package org.matcalc.codegen;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.matcalc.diff.Derivative;
import org.matcalc.diff.Derivatives;
import org.matcalc.diff.Layout;
import org.matcalc.expr.Decl;
import org.matcalc.expr.Declarations;
import org.matcalc.expr.Expr;
import org.matcalc.expr.MatcalcException;
import org.matcalc.expr.Shape;
import org.matcalc.expr.Size;
import org.matcalc.expr.TextPrinter;
import org.matcalc.expr.Typer;
import org.matcalc.numeric.Evaluator;
import org.matcalc.numeric.Mat;
import org.matcalc.numeric.Plan;
import org.matcalc.numeric.RandomInputs;

/**
 * What every target writes, prepared once: the expression and its derivatives, the one plan
 * that computes them together (shared subexpressions once, the plan's structure rules and
 * product order), the parameters with their declarations and size symbols, and the sizes and
 * input style at which the generated self-check draws its random inputs.
 */
final class Program {
    /** One returned value: its role, shape as typed, the formula and what it is. */
    record Output(String role, Shape shape, String formula, String description) {
    }

    final Expr f;
    final Declarations decls;
    final String wrt;
    final int order;
    final Layout layout;
    final Plan plan;
    final List<Output> outputs = new ArrayList<>();
    /** The variables, in order of first appearance (the variable differentiated by last if it does not occur). */
    final List<String> parameters = new ArrayList<>();
    /** Size symbols no variable's shape binds: extra parameters. */
    final List<String> freeSizes = new ArrayList<>();
    /** Sizes of the self-check's random inputs. */
    final Map<String, Integer> checkSizes;
    /** Whether the self-check draws positive entries (for log, sqrt...) rather than signed ones. */
    final boolean positive;
    final Codegen.Options options;

    private Program(Expr f, Declarations decls, String wrt, int order, Layout layout, Plan plan,
                    Map<String, Integer> checkSizes, boolean positive, Codegen.Options options) {
        this.f = f;
        this.decls = decls;
        this.wrt = wrt;
        this.order = order;
        this.layout = layout;
        this.plan = plan;
        this.checkSizes = checkSizes;
        this.positive = positive;
        this.options = options;
    }

    /** The planning size of a symbol that neither the options nor the declarations fix. */
    static final int DEFAULT_PLAN_SIZE = 100;

    static Program of(Expr f, Declarations given, String wrt, int order, Layout layout, Codegen.Options options) {
        if (order < 0 || order > 2) {
            throw new MatcalcException(MatcalcException.Kind.REQUEST, "order must be 0, 1 or 2, got " + order);
        }
        if (order > 0 && (wrt == null || wrt.isBlank())) {
            throw new MatcalcException(MatcalcException.Kind.REQUEST, "code for a derivative needs the variable to differentiate by (wrt)");
        }
        List<Derivative> ds = new ArrayList<>();
        Declarations decls = given;
        if (order >= 1) {
            Derivative d1 = Derivatives.derive(f, given, wrt, 1, layout);
            ds.add(d1);
            decls = d1.declarations();
            if (order == 2) {
                ds.add(Derivatives.derive(f, given, wrt, 2, layout));
            }
        }
        if (order == 0) {
            decls = Derivatives.withNamedSizes(f, given);
        }
        Shape fShape = Typer.check(f, decls).shape();
        List<Expr> roots = new ArrayList<>(List.of(f));
        List<Output> outs = new ArrayList<>(List.of(new Output("value", fShape, TextPrinter.print(f), "the value, " + fShape.describe())));
        for (int i = 0; i < ds.size(); i++) {
            Derivative d = ds.get(i);
            roots.add(d.expr());
            String role = i == 1 ? "hessian" : fShape.isScalar() ? "gradient" : "jacobian";
            outs.add(new Output(role, d.shape(), TextPrinter.print(d.expr()), d.description()));
        }

        Set<String> symbols = new LinkedHashSet<>();
        for (Decl d : decls.asMap().values()) {
            collect(d.rows(), symbols);
            collect(d.cols(), symbols);
        }
        Map<String, Integer> planSizes = new LinkedHashMap<>();
        for (String s : symbols) {
            int v = options.planSizes().getOrDefault(s, DEFAULT_PLAN_SIZE);
            if (v < 2) {
                throw new MatcalcException(MatcalcException.Kind.REQUEST, "plan size " + s + " = " + v
                        + ": code is planned for sizes of at least 2 (it runs at every size)");
            }
            planSizes.put(s, v);
        }
        Plan plan = Evaluator.compileSymbolic(roots, decls, planSizes);

        // the self-check's inputs: random values of the declared kinds at which everything is finite
        Random rnd = new Random(1);
        RandomInputs.Sample sample = null;
        boolean positive = false;
        // the last attempts draw every size at 2: a derivative whose formula has intermediates of many
        // times its own size (the Hessian through a kron) fits the evaluator's entry limit only there
        Map<String, Integer> smallest = new LinkedHashMap<>();
        symbols.forEach(s -> smallest.put(s, 2));
        for (int attempt = 0; attempt < 8; attempt++) {
            RandomInputs.Style style = attempt % 2 == 0 ? RandomInputs.Style.SIGNED : RandomInputs.Style.POSITIVE;
            RandomInputs.Sample s = RandomInputs.sample(f, decls, attempt < 6 ? Map.of() : smallest, rnd, style);
            if (sample == null) {
                sample = s;
            }
            if (finiteAt(roots, decls, s)) {
                sample = s;
                positive = style == RandomInputs.Style.POSITIVE;
                break;
            }
        }
        // the sizes the code needs: the parameters' and those of the computed steps (eye(n) ...)
        Set<String> used = new LinkedHashSet<>();
        for (String v : plan.variables().keySet()) {
            collect(decls.get(v).map(Decl::rows).orElse(Size.ONE), used);
            collect(decls.get(v).map(Decl::cols).orElse(Size.ONE), used);
        }
        for (Plan.Step st : plan.schedule()) {
            collect(st.shape().rows(), used);
            collect(st.shape().cols(), used);
            if (st.expr() instanceof Expr.Commutation k) {
                collect(k.m(), used);
                collect(k.n(), used);
            }
        }
        if (wrt != null) {
            collect(decls.get(wrt).map(Decl::rows).orElse(Size.ONE), used);
            collect(decls.get(wrt).map(Decl::cols).orElse(Size.ONE), used);
        }
        Map<String, Integer> checkSizes = new LinkedHashMap<>();
        for (String s : used) {
            checkSizes.put(s, sample.sizes().getOrDefault(s, 3));
        }
        Program p = new Program(f, decls, wrt, order, layout, plan, checkSizes, positive, options);
        p.outputs.addAll(outs);
        p.parameters.addAll(Typer.check(f, decls).variables().keySet()); // in the order the expression names them
        for (String v : plan.variables().keySet()) {
            if (!p.parameters.contains(v)) {
                p.parameters.add(v);
            }
        }
        if (wrt != null && !p.parameters.contains(wrt)) {
            p.parameters.add(wrt);
        }
        Set<String> bound = new LinkedHashSet<>();
        for (String v : p.parameters) {
            Decl d = p.declOf(v);
            collect(d.rows(), bound);
            collect(d.cols(), bound);
        }
        for (String s : used) {
            if (!bound.contains(s)) {
                p.freeSizes.add(s);
            }
        }
        return p;
    }

    private static boolean finiteAt(List<Expr> roots, Declarations decls, RandomInputs.Sample s) {
        try {
            for (Expr e : roots) {
                Mat v = Evaluator.evaluate(e, decls, s.values(), s.sizes());
                if (v.firstNonFinite() >= 0) {
                    return false;
                }
            }
            return true;
        } catch (MatcalcException | IllegalArgumentException | ArithmeticException ex) {
            return false;
        }
    }

    static void collect(Size s, Set<String> out) {
        if (s instanceof Size.Sym y) {
            out.add(y.name());
        } else if (s instanceof Size.Prod p) {
            p.factors().forEach(x -> collect(x, out));
        }
    }

    /** The code of a size: a number, a size name (as {@code name} spells it in the target), or a product of them. */
    static String sizeCode(Size s, java.util.function.UnaryOperator<String> name) {
        if (s instanceof Size.Fixed f) {
            return Integer.toString(f.value());
        }
        if (s instanceof Size.Sym y) {
            return name.apply(y.name());
        }
        if (s instanceof Size.Prod pr) {
            StringBuilder b = new StringBuilder();
            for (Size f : pr.factors()) {
                b.append(b.length() > 0 ? " * " : "").append(sizeCode(f, name));
            }
            return b.toString();
        }
        throw new MatcalcException(MatcalcException.Kind.REQUEST, "cannot write code for a size that is not known (" + s + ")");
    }

    Decl declOf(String name) {
        return decls.get(name).orElseGet(() -> Declarations.byLetter(name));
    }

    Shape shapeOf(String name) {
        return declOf(name).shape();
    }

    boolean valueIsScalar() {
        return outputs.get(0).shape().isScalar();
    }

    /**
     * Whether the derivative is read transposed to give the Jacobian of vec(F) by vec(X)
     * (CONTRACT.md section 4): numerator layout writes a gradient as G', denominator layout
     * writes a Jacobian as J'.
     */
    boolean derivativeTransposed() {
        return valueIsScalar() ? layout == Layout.NUMERATOR : layout == Layout.DENOMINATOR;
    }

    /** The declarations of the parameters, as a user would write them. */
    String declarationText() {
        StringBuilder s = new StringBuilder();
        for (String v : parameters) {
            if (s.length() > 0) {
                s.append("; ");
            }
            s.append(v).append(": ").append(declOf(v).describe());
        }
        return s.toString();
    }

    /** What the function returns, in words: "the value and its gradient by w". */
    String what() {
        return switch (order) {
            case 0 -> "the value";
            case 1 -> "the value and its " + (valueIsScalar() ? "gradient" : "Jacobian") + " by " + wrt;
            default -> "the value, gradient and Hessian by " + wrt;
        };
    }

    String functionName() {
        return switch (order) {
            case 0 -> "f";
            case 1 -> "f_and_g";
            default -> "f_g_h";
        };
    }
}
