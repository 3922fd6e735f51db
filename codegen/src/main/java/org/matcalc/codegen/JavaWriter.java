package org.matcalc.codegen;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.matcalc.expr.Decl;
import org.matcalc.expr.Expr;
import org.matcalc.expr.MatcalcException;
import org.matcalc.expr.Shape;
import org.matcalc.expr.Size;
import org.matcalc.numeric.Plan;

/**
 * A Java class over matcalc's {@code Mat}, written by one walk over the plan's steps: each step
 * is the call the dense plan makes for it (a {@code Mat} method, a {@code Kernels} routine, or
 * the primitive's kernel through {@code Primitives.apply}), so the class runs on the same
 * kernels, native BLAS included, without the plan's interpretation and per-step checks. Its
 * only dependency is matcalc's numeric module.
 */
final class JavaWriter {
    private static final Set<String> RESERVED = Set.of("abstract", "assert", "boolean", "break", "byte", "case", "catch",
            "char", "class", "const", "continue", "default", "do", "double", "else", "enum", "extends", "final", "finally",
            "float", "for", "goto", "if", "implements", "import", "instanceof", "int", "interface", "long", "native", "new",
            "package", "private", "protected", "public", "return", "short", "static", "strictfp", "super", "switch",
            "synchronized", "this", "throw", "throws", "transient", "try", "void", "volatile", "while", "var", "record",
            "yield", "sealed", "permits", "true", "false", "null", "_", "Mat", "Kernels", "Builtin", "ScalarFunction",
            "Primitives", "RandomInputs", "Result", "Math", "String", "System", "args", "rnd", "out", "worst", "trial", "h", "v",
            "s", "D", "J", "F", "seed", "Check", "c", "checked", "attempt", "drawn", "value", "gradient", "smooth", "finite", "require", "symmetric", "simplex", "along", "error", "main", "checkGradient");

    private final Program p;
    private final String className;
    private final Map<String, String> names = new HashMap<>();
    private final Set<String> taken = new HashSet<>();
    private final Map<Integer, String> code = new HashMap<>();
    /** The step's value as a double, for steps that are 1 x 1 (a literal for numbers). */
    private final Map<Integer, String> scalar = new HashMap<>();
    private final Map<Integer, Shape> shapes = new HashMap<>();
    private final StringBuilder body = new StringBuilder();
    private int temporaries;

    private JavaWriter(Program p) {
        this.p = p;
        this.className = p.options.className();
        if (!className.matches("[A-Za-z_$][A-Za-z0-9_$]*") || RESERVED.contains(className)) {
            throw new MatcalcException(MatcalcException.Kind.REQUEST, "class name \"" + className + "\" is not a Java identifier");
        }
        String pkg = p.options.packageName();
        if (pkg != null && !pkg.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*")) {
            throw new MatcalcException(MatcalcException.Kind.REQUEST, "package \"" + pkg + "\" is not a Java package name");
        }
        taken.add(className);
    }

    static String write(Program p) {
        return new JavaWriter(p).type();
    }

    private String name(String languageName) {
        return names.computeIfAbsent(languageName, n -> {
            String s = n;
            while (RESERVED.contains(s) || taken.contains(s) || s.matches("[td][0-9]+")) {
                s = s + "_";
            }
            taken.add(s);
            return s;
        });
    }

    private String fresh(String prefix) {
        String t;
        do {
            t = prefix + (++temporaries);
        } while (taken.contains(t));
        return t;
    }

    private String size(Size s) {
        return Program.sizeCode(s, this::name);
    }

    private String methodName() {
        return switch (p.order) {
            case 0 -> "f";
            case 1 -> "fAndG";
            default -> "fGH";
        };
    }

    private String type() {
        p.parameters.forEach(this::name);
        p.freeSizes.forEach(this::name);
        StringBuilder params = new StringBuilder();
        for (String v : p.parameters) {
            params.append(params.length() > 0 ? ", " : "").append("Mat ").append(name(v));
        }
        for (String f : p.freeSizes) {
            params.append(params.length() > 0 ? ", " : "").append("int ").append(name(f));
        }
        String checks = conversions();
        walk();

        StringBuilder c = new StringBuilder();
        if (p.options.packageName() != null) {
            c.append("package ").append(p.options.packageName()).append(";\n\n");
        }
        c.append("""
                import org.matcalc.expr.Builtin;
                import org.matcalc.expr.ScalarFunction;
                import org.matcalc.numeric.Kernels;
                import org.matcalc.numeric.Mat;
                import org.matcalc.numeric.RandomInputs;
                import org.matcalc.numeric.primitives.Primitives;

                """);
        c.append("/**\n");
        c.append(" * {@code ").append(javadoc(p.outputs.get(0).formula())).append("}: ").append(what()).append(", written by matcalc codegen.\n");
        c.append(" *\n * <p>Declarations: {@code ").append(javadoc(p.declarationText())).append("}");
        if (p.order > 0) {
            c.append("; ").append(p.layout.name().toLowerCase(Locale.ROOT)).append(" layout");
        }
        c.append(".\n * <ul>\n");
        for (Program.Output o : p.outputs) {
            c.append(" * <li>").append(o.role()).append(": {@code ").append(javadoc(o.formula())).append("}");
            if (!o.role().equals("value")) {
                c.append(" (").append(javadoc(o.description())).append(")");
            }
            c.append("</li>\n");
        }
        c.append(" * </ul>\n");
        c.append(" * Arguments and results are {@link Mat}s: a scalar 1 x 1, a vector one column, a row vector one row,\n");
        c.append(" * as matcalc derive --json writes values. It runs on matcalc's kernels (native BLAS for large sizes).\n");
        if (p.order > 0) {
            c.append(" * {@link #main} checks the derivative by central finite differences at random inputs and exits 1\n");
            c.append(" * if they disagree.\n");
        }
        c.append(" */\n");
        c.append("public final class ").append(className).append(" {\n");
        c.append("    private ").append(className).append("() {\n    }\n\n");
        c.append("    /** ").append(capital(resultWords())).append(". */\n");
        c.append("    public record Result(").append(resultFields()).append(") {\n    }\n\n");
        c.append("    /**\n     * ").append(capital(what())).append(".\n     *\n");
        for (String v : p.parameters) {
            c.append("     * @param ").append(name(v)).append(' ').append(javadoc(p.declOf(v).describe())).append('\n');
        }
        for (String f : p.freeSizes) {
            c.append("     * @param ").append(name(f)).append(" the size ").append(f).append('\n');
        }
        c.append("     * @throws IllegalArgumentException if an argument's shape does not fit the declarations\n");
        c.append("     */\n");
        c.append("    public static Result ").append(methodName()).append('(').append(params).append(") {\n");
        c.append(checks);
        c.append(body);
        c.append("        return new Result(");
        for (int i = 0; i < p.outputs.size(); i++) {
            c.append(i > 0 ? ", " : "").append(code.get(p.plan.outputStep(i)));
        }
        c.append(");\n    }\n\n");
        c.append("""
                    private static void require(Mat a, int rows, int cols, String what) {
                        if ((rows >= 0 && a.rows() != rows) || (cols >= 0 && a.cols() != cols)) {
                            throw new IllegalArgumentException(what + ", got " + a.shapeString());
                        }
                    }

                """);
        c.append(selfCheck());
        c.append("}\n");
        return c.toString();
    }

    private static String javadoc(String s) {
        return s.replace("*/", "*&#47;").replace("@", "{@literal @}");
    }

    private static String capital(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private String what() {
        return p.what();
    }

    private String resultWords() {
        return switch (p.order) {
            case 0 -> "the value";
            case 1 -> "the value and the " + p.outputs.get(1).role();
            default -> "the value, the gradient and the Hessian";
        };
    }

    private String resultFields() {
        StringBuilder s = new StringBuilder();
        for (Program.Output o : p.outputs) {
            s.append(s.length() > 0 ? ", " : "").append("Mat ").append(o.role());
        }
        return s.toString();
    }

    private String conversions() {
        StringBuilder s = new StringBuilder();
        Set<String> bound = new LinkedHashSet<>();
        Map<String, String> origin = new HashMap<>();
        for (String v : p.parameters) {
            String n = name(v);
            Decl d = p.declOf(v);
            Size[] dims = {d.rows(), d.cols()};
            String[] read = {n + ".rows()", n + ".cols()"};
            String[] words = {"rows", "columns"};
            StringBuilder want = new StringBuilder();
            String[] check = new String[2];
            for (int k = 0; k < 2; k++) {
                Size z = dims[k];
                if (z instanceof Size.Sym y && !bound.contains(y.name())) {
                    s.append("        int ").append(name(y.name())).append(" = ").append(read[k]).append(";\n");
                    bound.add(y.name());
                    origin.put(y.name(), "the number of " + words[k] + " of " + n);
                    check[k] = "-1";
                } else {
                    Set<String> syms = new LinkedHashSet<>();
                    Program.collect(z, syms);
                    check[k] = bound.containsAll(syms) ? size(z) : "-1";
                }
            }
            if (!check[0].equals("-1") || !check[1].equals("-1")) {
                want.append(n).append(" must be ").append(dimText(check[0], dims[0])).append('x').append(dimText(check[1], dims[1]))
                        .append(" (").append(v).append(": ").append(d.describe());
                for (int k = 0; k < 2; k++) {
                    if (dims[k] instanceof Size.Sym y && !check[k].equals("-1") && origin.containsKey(y.name())) {
                        want.append("; ").append(y.name()).append(" is ").append(origin.get(y.name()));
                    }
                }
                s.append("        require(").append(n).append(", ").append(check[0]).append(", ").append(check[1]).append(", \"")
                        .append(want).append(")\");\n");
            }
        }
        return s.toString();
    }

    /** A dimension in a message: a number as written, a size bound at run time by its value. */
    private static String dimText(String check, Size declared) {
        if (check.equals("-1") || check.matches("[0-9]+")) {
            return check.equals("-1") ? declared.toString() : check;
        }
        return "\" + " + check + " + \"";
    }

    private void walk() {
        for (Plan.Step st : p.plan.schedule()) {
            shapes.put(st.index(), st.shape());
            Expr e = st.expr();
            if (st.structure() == null && e instanceof Expr.Var v) {
                code.put(st.index(), name(v.name()));
                scalar.put(st.index(), name(v.name()) + ".scalarValue()");
                continue;
            }
            if (st.structure() == null && e instanceof Expr.Num n) {
                String lit = literal(n.value());
                code.put(st.index(), "Mat.scalar(" + lit + ")");
                scalar.put(st.index(), lit);
                continue;
            }
            if (st.structure() == Plan.Fused.IDENTITY_LEFT || st.structure() == Plan.Fused.IDENTITY_RIGHT) {
                code.put(st.index(), code.get(st.args()[0]));
                scalar.put(st.index(), scalar.get(st.args()[0]));
                continue;
            }
            String rhs = st.structure() != null ? structured(st) : plain(st);
            String t = fresh("t");
            body.append("        Mat ").append(t).append(" = ").append(rhs).append(";\n");
            code.put(st.index(), t);
            scalar.put(st.index(), t + ".scalarValue()");
        }
    }

    static String literal(double v) {
        String s = Double.toString(v);
        return v < 0 ? "(" + s + ")" : s;
    }

    private String arg(Plan.Step st, int k) {
        return code.get(st.args()[k]);
    }

    private String value(Plan.Step st, int k) {
        return scalar.get(st.args()[k]);
    }

    /** A 1 x 1 argument's value where a lambda reads it: a literal, or a local computed once. */
    private String captured(Plan.Step st, int k) {
        String v = value(st, k);
        if (v.matches("\\(?-?[0-9.E+-]+\\)?")) {
            return v;
        }
        String d = fresh("d");
        body.append("        double ").append(d).append(" = ").append(v).append(";\n");
        return d;
    }

    private boolean isScalar(Plan.Step st, int k) {
        return shapes.get(st.args()[k]).isScalar();
    }

    private String plain(Plan.Step st) {
        Expr e = st.expr();
        Shape out = st.shape();
        if (e instanceof Expr.Neg) {
            return arg(st, 0) + ".negate()";
        }
        if (e instanceof Expr.Transpose) {
            return isScalar(st, 0) ? arg(st, 0) : arg(st, 0) + ".transpose()";
        }
        if (e instanceof Expr.Binary b) {
            String l = arg(st, 0), r = arg(st, 1);
            boolean ls = isScalar(st, 0), rs = isScalar(st, 1);
            return switch (b.op()) {
                case ADD -> l + ".plus(" + r + ")";
                case SUB -> l + ".minus(" + r + ")";
                case MUL -> ls ? r + ".scale(" + value(st, 0) + ")" : rs ? l + ".scale(" + value(st, 1) + ")" : l + ".times(" + r + ")";
                case DIV -> l + ".scale(1 / " + value(st, 1) + ")";
                case HADAMARD -> ls && !rs ? r + ".scale(" + value(st, 0) + ")" : rs ? l + ".scale(" + value(st, 1) + ")" : l + ".hadamard(" + r + ")";
                case HADAMARD_DIV -> {
                    if (ls && !rs) {
                        String c = captured(st, 0);
                        yield r + ".map(v -> " + c + " / v)";
                    }
                    if (rs) {
                        String c = captured(st, 1);
                        yield l + ".map(v -> v / " + c + ")";
                    }
                    yield l + ".hadamardDiv(" + r + ")";
                }
                case ELEM_POW, POW -> {
                    if (st.matrixPower()) {
                        yield "Kernels.power(" + l + ", (int) " + value(st, 1) + ")";
                    }
                    if (rs) {
                        String c = captured(st, 1);
                        yield l + ".map(v -> Math.pow(v, " + c + "))";
                    }
                    if (ls) {
                        String c = captured(st, 0);
                        yield r + ".map(v -> Math.pow(" + c + ", v))";
                    }
                    yield l + ".zip(" + r + ", Math::pow)";
                }
            };
        }
        if (e instanceof Expr.Call c) {
            StringBuilder s = new StringBuilder("Primitives.apply(Builtin.").append(c.fn().name());
            for (int k = 0; k < st.args().length; k++) {
                s.append(", ").append(arg(st, k));
            }
            return s.append(')').toString();
        }
        if (e instanceof Expr.Elementwise f) {
            return arg(st, 0) + ".map(ScalarFunction." + f.fn().name() + "::apply)";
        }
        if (e instanceof Expr.Identity) {
            return "Mat.eye(" + size(out.rows()) + ")";
        }
        if (e instanceof Expr.Zeros) {
            return "Mat.zeros(" + size(out.rows()) + ", " + size(out.cols()) + ")";
        }
        if (e instanceof Expr.Fill) {
            return "Mat.fill(" + size(out.rows()) + ", " + size(out.cols()) + ", " + value(st, 0) + ")";
        }
        if (e instanceof Expr.Commutation k) {
            return "Kernels.commutation(" + size(k.m()) + ", " + size(k.n()) + ")";
        }
        throw new MatcalcException(MatcalcException.Kind.UNSUPPORTED, e.getClass().getSimpleName() + " has no Java form in matcalc's code generator");
    }

    private String structured(Plan.Step st) {
        Shape out = st.shape();
        String a = arg(st, 0);
        return switch (st.structure()) {
            case TRANSPOSE_TIMES -> a + ".transposeTimes(" + arg(st, 1) + ")";
            case TIMES_TRANSPOSE -> a + ".timesTranspose(" + arg(st, 1) + ")";
            case INNER -> "Kernels.inner(" + a + ")";
            case SCALED_INNER -> "Kernels.scaledInner(" + a + ", " + arg(st, 1) + ")";
            case SCALE_ROWS -> "Kernels.scaleRows(" + a + ", " + arg(st, 1) + ")";
            case SCALE_COLUMNS -> "Kernels.scaleColumns(" + a + ", " + arg(st, 1) + ")";
            case SOLVE -> "Kernels.solve(" + a + ", " + arg(st, 1) + ")";
            case ZERO_PRODUCT -> "Mat.zeros(" + size(out.rows()) + ", " + size(out.cols()) + ")";
            // c times the column (row) sums of X, repeated
            case FILL_TIMES -> "Mat.fill(" + size(out.rows()) + ", 1, 1).times(Mat.fill(1, " + size(shapes.get(st.args()[1]).rows()) + ", "
                    + value(st, 0) + ").times(" + arg(st, 1) + "))";
            case TIMES_FILL -> a + ".times(Mat.fill(" + size(shapes.get(st.args()[0]).cols()) + ", 1, " + value(st, 1) + ")).times(Mat.fill(1, "
                    + size(out.cols()) + ", 1))";
            case IDENTITY_LEFT, IDENTITY_RIGHT -> a;
            case COMMUTE_ROWS -> {
                Expr.Commutation k = (Expr.Commutation) ((Expr.Binary) st.expr()).left();
                yield "Kernels.commuteRows(" + a + ", " + size(k.m()) + ", " + size(k.n()) + ")";
            }
            case KRON_TIMES -> "Kernels.kronTimes(" + a + ", " + arg(st, 1) + ", " + arg(st, 2) + ")";
        };
    }

    // ---- main: the self-check ----

    private String draw(Decl d, String rows, String cols) {
        String style = "RandomInputs.Style." + (p.positive ? "POSITIVE" : "SIGNED");
        if (d.has(Decl.Property.SPD)) {
            return "RandomInputs.spd(" + rows + ", rnd)";
        }
        if (d.has(Decl.Property.SYMMETRIC)) {
            return "symmetric(RandomInputs.entries(" + rows + ", " + rows + ", rnd, " + style + "))";
        }
        if (d.has(Decl.Property.DIAGONAL)) {
            return "Kernels.diag(RandomInputs.entries(" + rows + ", 1, rnd, RandomInputs.Style.POSITIVE))";
        }
        if (d.has(Decl.Property.ORTHOGONAL)) {
            return "RandomInputs.orthogonal(" + rows + ", rnd)";
        }
        if (d.has(Decl.Property.SIMPLEX)) {
            return "simplex(RandomInputs.entries(" + rows + ", " + cols + ", rnd, RandomInputs.Style.POSITIVE))";
        }
        return "RandomInputs.entries(" + rows + ", " + cols + ", rnd, " + style + ")";
    }

    private String selfCheck() {
        StringBuilder s = new StringBuilder();
        s.append("""
                    private static Mat symmetric(Mat b) {
                        return b.plus(b.transpose()).scale(0.5);
                    }

                    private static Mat simplex(Mat q) {
                        return q.scale(1 / q.sum());
                    }

                """);
        String call = methodName() + "(" + String.join(", ", p.parameters.stream().map(this::name).toList())
                + (p.freeSizes.isEmpty() ? "" : ", " + String.join(", ", p.freeSizes.stream().map(this::name).toList())) + ")";
        StringBuilder inputs = new StringBuilder();
        p.checkSizes.forEach((k, v) -> inputs.append("            int ").append(name(k)).append(" = ").append(v).append(";\n"));
        for (String v : p.parameters) {
            Decl d = p.declOf(v);
            inputs.append("            Mat ").append(name(v)).append(" = ").append(draw(d, size(d.rows()), size(d.cols()))).append(";\n");
        }
        if (p.order == 0) {
            s.append("    /** Prints the value at random inputs of the declared kinds. */\n");
            s.append("    public static void main(String[] args) {\n");
            s.append("        java.util.Random rnd = new java.util.Random(args.length > 0 ? Long.parseLong(args[0]) : 0);\n");
            s.append("        {\n").append(inputs).append("            System.out.println(").append(call).append(".value());\n        }\n    }\n");
            return s.toString();
        }
        String x = name(p.wrt);
        Decl xd = p.declOf(p.wrt);
        String t = p.derivativeTransposed() ? ".transpose()" : "";
        String jac = p.valueIsScalar() ? "out.gradient()" + t + ".vec().transpose()"
                : p.shapeOf(p.wrt).isScalar() ? "out.jacobian()" + t + ".vec()" : "out.jacobian()" + t;
        if (p.order == 2) {
            jac = "out.gradient()" + t + ".vec().transpose()";
        }
        String direction = "RandomInputs.gaussian(" + x + ".rows(), " + x + ".cols(), rnd)";
        if (xd.isSymmetric()) {
            direction = "symmetric(" + direction + ")";
        } else if (xd.has(Decl.Property.DIAGONAL)) {
            direction = "Kernels.diag(Kernels.diag(" + direction + "))";
        }
        String project = xd.isSymmetric() ? "symmetric(Mat.unvec(%s, " + x + ".rows(), " + x + ".cols())).vec()"
                : xd.has(Decl.Property.DIAGONAL) ? "Kernels.diag(Kernels.diag(Mat.unvec(%s, " + x + ".rows(), " + x + ".cols()))).vec()" : "%s";
        s.append("""
                    /** The derivative of F at 0 by central differences, Richardson-extrapolated twice, and the spread of the last two estimates. */
                    private static Mat[] along(java.util.function.DoubleFunction<Mat> F, double h) {
                        Mat[] d = new Mat[3];
                        for (int k = 0; k < 3; k++) {
                            double s = h / (1 << k);
                            d[k] = F.apply(s).vec().minus(F.apply(-s).vec()).scale(1 / (2 * s));
                        }
                        Mat r1 = d[1].scale(4).minus(d[0]).scale(1.0 / 3), r2 = d[2].scale(4).minus(d[1]).scale(1.0 / 3);
                        Mat f = F.apply(0);
                        double rounding = 1e3 * 2.2e-16 * (1 + Math.sqrt(f.dot(f))) / h; // about 1000 ulps of F, divided by the step
                        return new Mat[] {r2, r1.minus(r2), f, Mat.scalar(rounding)};
                    }

                    /** What {@link #checkGradient} found: the worst relative error, and the part beyond the differences' resolution. */
                    public record Check(double relativeError, double beyondResolution) {
                        public boolean passed() {
                            return beyondResolution <= 1e-6;
                        }

                        Check worse(Check c) {
                            return new Check(Math.max(relativeError, c.relativeError), Math.max(beyondResolution, c.beyondResolution));
                        }
                    }

                    /**
                     * The relative difference of a and the estimate, and its part beyond the estimate's own resolution (the
                     * spread of two Richardson estimates, and rounding); a derivative below 1e-6 of the function's size is
                     * compared absolutely.
                     */
                    private static Check error(Mat a, Mat[] estimate) {
                        Mat b = estimate[0], d = a.minus(b), f = estimate[2];
                        double scale = Math.max(Math.max(Math.sqrt(a.dot(a)), Math.sqrt(b.dot(b))), 1e-6 * (1 + Math.sqrt(f.dot(f))));
                        double diff = Math.sqrt(d.dot(d));
                        return new Check(diff / scale,
                                Math.max(0, diff - 2 * Math.sqrt(estimate[1].dot(estimate[1])) - estimate[3].scalarValue()) / scale);
                    }

                    /** Whether the two Richardson estimates agree: no kink between the points the differences use. */
                    private static boolean smooth(Mat[] estimate) {
                        Mat b = estimate[0], f = estimate[2];
                        double spread = Math.sqrt(estimate[1].dot(estimate[1]));
                        return spread <= 1e-4 * Math.max(Math.sqrt(b.dot(b)), 1e-6 * (1 + Math.sqrt(f.dot(f)))) + estimate[3].scalarValue();
                    }

                    private static boolean finite(Result r) {
                        for (java.lang.reflect.RecordComponent c : Result.class.getRecordComponents()) {
                            try {
                                if (((Mat) c.getAccessor().invoke(r)).firstNonFinite() >= 0) {
                                    return false;
                                }
                            } catch (ReflectiveOperationException e) {
                                throw new IllegalStateException(e);
                            }
                        }
                        return true;
                    }

                """);
        s.append("    /**\n     * Compares the derivative").append(p.order == 2 ? "s" : "")
                .append(" with central finite differences (Richardson-extrapolated) along random\n")
                .append("     * directions at random inputs of the declared kinds (drawn again where a value is not finite): the\n")
                .append("     * worst relative error of three trials, and its part beyond the differences' own resolution.\n     */\n");
        s.append("    public static Check checkGradient(long seed) {\n");
        s.append("        java.util.Random rnd = new java.util.Random(seed);\n");
        s.append("        Check worst = new Check(0, 0);\n");
        p.checkSizes.forEach((k, v) -> s.append("        int ").append(name(k)).append(" = ").append(v).append(";\n"));
        s.append("        int checked = 0;\n");
        s.append("        for (int trial = 0; trial < 60 && checked < 3; trial++) {\n");
        for (String v : p.parameters) {
            s.append("            Mat ").append(name(v)).append(" = null;\n");
        }
        s.append("            Result drawn = null;\n");
        s.append("            for (int attempt = 0; attempt < 20 && (drawn == null || !finite(drawn)); attempt++) {\n");
        for (String v : p.parameters) {
            Decl d = p.declOf(v);
            s.append("                ").append(name(v)).append(" = ").append(draw(d, size(d.rows()), size(d.cols()))).append(";\n");
        }
        s.append("                drawn = ").append(call).append(";\n");
        s.append("            }\n");
        s.append("            Result out = drawn;\n");
        // effectively final copies for the lambdas ($ never occurs in the language's names)
        for (String v : p.parameters) {
            s.append("            Mat ").append(name(v)).append("$ = ").append(name(v)).append(";\n");
        }
        String moved = methodName() + "(" + String.join(", ", p.parameters.stream()
                .map(v -> v.equals(p.wrt) ? name(v) + "$.plus(D.scale(s))" : name(v) + "$").toList())
                + (p.freeSizes.isEmpty() ? "" : ", " + String.join(", ", p.freeSizes.stream().map(this::name).toList())) + ")";
        s.append("            Mat D = ").append(direction).append(";\n");
        s.append("            double h = 1e-4 * Math.max(1, ").append(x).append(".maxAbs());\n");
        s.append("            Mat J = ").append(jac).append(";\n");
        s.append("            Mat[] value = along(s -> ").append(moved).append(".value(), h);\n");
        if (p.order == 2) {
            s.append("            Mat[] gradient = along(s -> ").append(moved).append(".gradient()").append(t).append(", h);\n");
        }
        s.append("            if (!smooth(value)").append(p.order == 2 ? " || !smooth(gradient)" : "").append(") {\n");
        s.append("                continue; // a kink (abs, relu, sign...) within reach of the differences: another point\n");
        s.append("            }\n");
        s.append("            worst = worst.worse(error(J.times(D.vec()), value));\n");
        if (p.order == 2) {
            s.append("            worst = worst.worse(error(").append(String.format(project, "out.hessian().times(D.vec())")).append(", gradient));\n");
        }
        s.append("            checked++;\n");
        s.append("        }\n");
        s.append("        return checked == 0 ? new Check(Double.NaN, Double.NaN) : worst;\n");
        s.append("    }\n\n");
        s.append("    /** Runs {@link #checkGradient} (the optional argument is the seed); exits 1 if it did not pass. */\n");
        s.append("    public static void main(String[] args) {\n");
        s.append("        Check c = checkGradient(args.length > 0 ? Long.parseLong(args[0]) : 0);\n");
        s.append("        System.out.printf(\"checkGradient: relative error %.1e against central finite differences%n\", c.relativeError());\n");
        s.append("        if (!c.passed()) {\n");
        s.append("            System.err.println(\"the derivative disagrees with finite differences\");\n");
        s.append("            System.exit(1);\n");
        s.append("        }\n");
        s.append("    }\n");
        return s.toString();
    }
}
