package org.matcalc.codegen;

import java.util.Map;

import org.matcalc.diff.Layout;
import org.matcalc.expr.Declarations;
import org.matcalc.expr.Expr;

/**
 * Code for an expression and its derivatives: a NumPy or PyTorch module, or a Java class,
 * computing the value and the derivatives together at inputs of any size that fits the
 * declarations. The code is written from the plan the evaluator runs (one walk over its steps,
 * shared subexpressions once, its structure rules and product order), so it never forms
 * {@code diag(v)} or a Kronecker product the plan avoids; each primitive is written by the
 * emitters registered in its numeric block. docs/codegen.md shows each target.
 * <pre>{@code
 * String py = Codegen.generate(expr, decls, "w", 1, Layout.MIXED, Language.NUMPY, Codegen.Options.DEFAULT);
 * }</pre>
 */
public final class Codegen {
    private Codegen() {
    }

    /**
     * How the code is named and planned.
     *
     * @param className  the Java class (default {@code Generated})
     * @param packageName the Java package, or null for none
     * @param planSizes  sizes the plan's decisions (the order of a product chain) are taken at;
     *                   unnamed sizes are planned at {@value Program#DEFAULT_PLAN_SIZE}. The code runs at every size.
     */
    public record Options(String className, String packageName, Map<String, Integer> planSizes) {
        public static final Options DEFAULT = new Options("Generated", null, Map.of());

        public Options {
            className = className == null ? "Generated" : className;
            planSizes = Map.copyOf(planSizes == null ? Map.of() : planSizes);
        }
    }

    /**
     * The program computing {@code f} and, for order 1 or 2, its derivatives by {@code wrt} in
     * {@code layout}: the NumPy and PyTorch modules define {@code f}, {@code f_and_g} or
     * {@code f_g_h}; the Java class {@code f}, {@code fAndG} or {@code fGH}.
     *
     * @throws org.matcalc.expr.MatcalcException if the expression does not type-check, its
     *     derivative is not implemented, or the target cannot express a primitive (by name)
     */
    public static String generate(Expr f, Declarations decls, String wrt, int order, Layout layout, Language language,
                                  Options options) {
        Program p = Program.of(f, decls, order == 0 ? null : wrt, order, layout, options);
        return switch (language) {
            case NUMPY -> PythonWriter.write(p, false);
            case TORCH -> PythonWriter.write(p, true);
            case JAVA -> JavaWriter.write(p);
        };
    }

    /** The file name the code is usually saved under: {@code matcalc_f.py}, or the class name + .java. */
    public static String fileName(Language language, Options options) {
        return language == Language.JAVA ? options.className() + ".java" : "matcalc_f.py";
    }
}
