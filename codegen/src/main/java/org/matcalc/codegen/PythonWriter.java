package org.matcalc.codegen;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.matcalc.expr.BinaryOp;
import org.matcalc.expr.Builtin;
import org.matcalc.expr.Decl;
import org.matcalc.expr.Expr;
import org.matcalc.expr.MatcalcException;
import org.matcalc.expr.Shape;
import org.matcalc.expr.Size;
import org.matcalc.numeric.Plan;
import org.matcalc.numeric.primitives.Emitters;
import org.matcalc.numeric.primitives.Primitives;

/**
 * A Python module, for NumPy or PyTorch, written by one walk over the plan's steps: one line per
 * computed subexpression, in evaluation order, each primitive written by its registered
 * {@link Emitters}. Inside the function a scalar is a 0-d value and every vector or matrix a 2-D
 * array (vectors as columns), so that {@code @}, {@code .T} and broadcasting mean what the
 * language means; arguments are converted on entry and results on return to the shapes of
 * {@code derive --json}'s values (a vector 1-D, a row vector one row, a scalar a float).
 */
final class PythonWriter {
    private static final Set<String> RESERVED = Set.of("False", "None", "True", "and", "as", "assert", "async", "await",
            "break", "class", "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if",
            "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with",
            "yield", "np", "torch", "scipy", "dev", "float", "int", "max", "min", "abs", "sum", "range", "print", "dict",
            "args", "out", "rng", "gen");

    private final Program p;
    private final boolean torch;
    private final String lib;
    private final Map<String, String> helpers = new LinkedHashMap<>();
    private final Set<String> imports = new LinkedHashSet<>();
    /** Python identifiers of variables and size symbols. */
    private final Map<String, String> names = new HashMap<>();
    private final Set<String> taken = new java.util.HashSet<>();
    private final Map<Integer, String> code = new HashMap<>();
    private final Map<Integer, Shape> shapes = new HashMap<>();
    /** Steps whose value is a Python number (a literal, or arithmetic of literals): library functions want arrays. */
    private final Set<Integer> numbers = new java.util.HashSet<>();
    private final StringBuilder body = new StringBuilder();
    private int temporaries;

    private PythonWriter(Program p, boolean torch) {
        this.p = p;
        this.torch = torch;
        this.lib = torch ? "torch" : "np";
    }

    static String write(Program p, boolean torch) {
        return new PythonWriter(p, torch).module();
    }

    // ---- names ----

    /** The Python parameter name of a variable: its own, with a trailing underscore if Python or the module reserves it ({@code lambda_}). */
    static String identifier(String languageName) {
        String s = languageName;
        while (RESERVED.contains(s) || s.matches("t[0-9]+")) {
            s = s + "_";
        }
        return s;
    }

    private String name(String languageName) {
        return names.computeIfAbsent(languageName, n -> {
            String s = identifier(n);
            while (taken.contains(s)) {
                s = s + "_";
            }
            taken.add(s);
            return s;
        });
    }

    private String fresh() {
        String t;
        do {
            t = "t" + (++temporaries);
        } while (taken.contains(t));
        return t;
    }

    String size(Size s) {
        return Program.sizeCode(s, this::name);
    }

    private String floatTensor() {
        return "dtype=torch.float64, device=dev";
    }

    // ---- the module ----

    private String module() {
        for (String v : p.parameters) {
            name(v);
        }
        for (String s : p.freeSizes) {
            name(s);
        }
        StringBuilder fn = new StringBuilder();
        List<String> all = new java.util.ArrayList<>(p.parameters.stream().map(this::name).toList());
        p.freeSizes.forEach(s -> all.add(name(s)));
        String params = String.join(", ", all);
        fn.append("def ").append(p.functionName()).append('(').append(params).append("):\n");
        fn.append(indent(functionDoc(), "    "));
        fn.append(conversions());
        walk();
        fn.append(body);
        fn.append("    return ").append(returns()).append('\n');

        StringBuilder m = new StringBuilder();
        m.append(moduleDoc());
        m.append(torch ? "import torch\n" : "import numpy as np\n");
        for (String i : imports) {
            m.append("import ").append(i).append('\n');
        }
        m.append("\n\n");
        for (String h : helpers.values()) {
            m.append(h.strip()).append("\n\n\n");
        }
        m.append(fn).append("\n\n");
        m.append(checks());
        return m.toString();
    }

    private static String indent(String text, String by) {
        StringBuilder b = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            if (!line.isEmpty()) {
                b.append(by).append(line);
            }
            b.append('\n');
        }
        return b.substring(0, b.length() - 1);
    }

    private String what() {
        return p.what();
    }

    private String moduleDoc() {
        StringBuilder s = new StringBuilder("\"\"\"");
        s.append(p.outputs.get(0).formula()).append(": ").append(what()).append(", written by matcalc codegen (")
                .append(torch ? "PyTorch" : "NumPy").append(").\n\n");
        s.append("Declarations: ").append(p.declarationText()).append('\n');
        if (p.order > 0) {
            s.append("Layout: ").append(p.layout.name().toLowerCase(Locale.ROOT)).append('\n');
        }
        for (Program.Output o : p.outputs) {
            s.append(capital(o.role())).append(": ").append(o.formula()).append('\n');
            if (!o.role().equals("value")) {
                s.append("    (").append(o.description()).append(")\n");
            }
        }
        s.append('\n').append(p.functionName()).append("(**values) returns ").append(returnNames()).append(";\n");
        s.append(torch ? "tensors are float64 on the arguments' device; " : "")
                .append("vectors are 1-D arrays, row vectors one row, matrices 2-D, scalars ")
                .append(torch ? "0-d tensors" : "floats").append(",\nin the shapes and layout of `matcalc derive --json`'s values.\n");
        if (p.order > 0) {
            s.append("Run this file to check the derivative").append(torch ? " by finite differences and torch.autograd" : " by central finite differences")
                    .append(" at random inputs.\n");
        }
        s.append("\"\"\"\n");
        return s.toString();
    }

    private static String capital(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private String returnNames() {
        return switch (p.order) {
            case 0 -> "the value";
            case 1 -> "(value, " + p.outputs.get(1).role() + ")";
            default -> "(value, gradient, hessian)";
        };
    }

    private String functionDoc() {
        StringBuilder s = new StringBuilder("\"\"\"");
        s.append(capital(what())).append(" of ").append(p.outputs.get(0).formula()).append(".\n\n");
        for (String v : p.parameters) {
            Decl d = p.declOf(v);
            s.append(name(v)).append(": ").append(d.describe()).append(", ").append(pythonShape(d)).append('\n');
        }
        for (String f : p.freeSizes) {
            s.append(name(f)).append(": the size ").append(f).append(" (no argument's shape gives it)\n");
        }
        s.append("Returns ").append(returnNames()).append(".\n\"\"\"\n");
        return s.toString();
    }

    private String pythonShape(Decl d) {
        String kind = torch ? "tensor" : "array";
        if (d.shape().isScalar()) {
            return torch ? "a number or 0-d tensor" : "a float";
        }
        return switch (d.kind()) {
            case VECTOR -> "1-D " + kind + " of length " + d.rows();
            case ROWVECTOR -> "1-D " + kind + " of length " + d.cols() + " (or one row)";
            default -> "2-D " + kind + " of shape (" + d.rows() + ", " + d.cols() + ")";
        };
    }

    // ---- arguments in, results out ----

    /** Converts each argument to the internal form, binding size symbols from the first shape that has them and checking the rest. */
    private String conversions() {
        StringBuilder s = new StringBuilder();
        Map<String, String> origin = new HashMap<>();
        for (String v : p.parameters) {
            String n = name(v);
            Decl d = p.declOf(v);
            String decl = v + ": " + d.describe();
            s.append("    ").append(n).append(" = ").append(torch ? "torch.as_tensor(" + n + ", dtype=torch.float64)" : "np.asarray(" + n + ", dtype=float)").append('\n');
            if (d.shape().isScalar()) {
                s.append("    if ").append(n).append(".ndim > 1 or ").append(sizeOf(n)).append(" != 1:\n");
                s.append("        raise ValueError(f\"").append(n).append(" must be a number (").append(decl).append("), got shape {tuple(").append(n).append(".shape)}\")\n");
                s.append("    ").append(n).append(" = ").append(n).append(".reshape(())\n");
                continue;
            }
            String[] dims;
            Size[] sizes;
            switch (d.kind()) {
                case VECTOR -> {
                    s.append("    if ").append(n).append(".ndim != 1:\n");
                    s.append("        raise ValueError(f\"").append(n).append(" must be a 1-D ").append(torch ? "tensor" : "array").append(" (")
                            .append(decl).append("), got shape {tuple(").append(n).append(".shape)}\")\n");
                    dims = new String[] {n + ".shape[0]"};
                    sizes = new Size[] {d.rows()};
                }
                case ROWVECTOR -> {
                    s.append("    if not (").append(n).append(".ndim == 1 or (").append(n).append(".ndim == 2 and ").append(n).append(".shape[0] == 1)):\n");
                    s.append("        raise ValueError(f\"").append(n).append(" must be a 1-D ").append(torch ? "tensor" : "array").append(" or one row (")
                            .append(decl).append("), got shape {tuple(").append(n).append(".shape)}\")\n");
                    s.append("    ").append(n).append(" = ").append(n).append(".reshape(1, -1)\n");
                    dims = new String[] {n + ".shape[1]"};
                    sizes = new Size[] {d.cols()};
                }
                default -> {
                    s.append("    if ").append(n).append(".ndim != 2:\n");
                    s.append("        raise ValueError(f\"").append(n).append(" must be a 2-D ").append(torch ? "tensor" : "array").append(" (")
                            .append(decl).append("), got shape {tuple(").append(n).append(".shape)}\")\n");
                    dims = new String[] {n + ".shape[0]", n + ".shape[1]"};
                    sizes = new Size[] {d.rows(), d.cols()};
                }
            }
            String[] which = dims.length == 1 ? new String[] {"length"} : new String[] {"rows", "columns"};
            for (int k = 0; k < dims.length; k++) {
                Size z = sizes[k];
                if (z instanceof Size.Sym y && !origin.containsKey(y.name())) {
                    s.append("    ").append(name(y.name())).append(" = ").append(dims[k]).append('\n');
                    origin.put(y.name(), which[k].equals("length") ? "the length of " + n : "the number of " + which[k] + " of " + n);
                } else if (boundIn(z, origin)) {
                    String want = size(z);
                    String from = z instanceof Size.Sym y ? "; " + z + " is " + origin.get(y.name()) : "";
                    s.append("    if ").append(dims[k]).append(" != ").append(want).append(":\n");
                    s.append("        raise ValueError(f\"").append(n).append(" must have ").append(z).append(z instanceof Size.Fixed ? "" : " = {" + want + "}")
                            .append(' ').append(which[k].equals("length") ? "entries" : which[k]).append(" (").append(decl).append(from).append(')')
                            .append(", got shape {tuple(").append(n).append(".shape)}\")\n");
                }
            }
            if (d.kind() == Decl.VarKind.VECTOR) {
                s.append("    ").append(n).append(" = ").append(n).append(".reshape(-1, 1)\n");
            }
        }
        if (torch) {
            String first = null;
            for (String v : p.parameters) {
                if (!p.declOf(v).shape().isScalar()) {
                    first = name(v);
                    break;
                }
            }
            s.append("    dev = ").append(first == null ? "torch.device(\"cpu\")" : first + ".device").append('\n');
        }
        return s.toString();
    }

    private String sizeOf(String n) {
        return torch ? n + ".numel()" : n + ".size";
    }

    private static boolean boundIn(Size z, Map<String, String> origin) {
        Set<String> syms = new LinkedHashSet<>();
        Program.collect(z, syms);
        return origin.keySet().containsAll(syms);
    }

    private String returns() {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < p.outputs.size(); i++) {
            if (i > 0) {
                s.append(", ");
            }
            Shape sh = p.outputs.get(i).shape();
            String c = code.get(p.plan.outputStep(i));
            if (sh.isScalar()) {
                s.append(torch ? "torch.as_tensor(" + c + ", " + floatTensor() + ")" : "float(" + c + ")");
            } else if (sh.isColumn()) {
                s.append(c).append(".reshape(-1)");
            } else {
                s.append(c);
            }
        }
        return s.toString();
    }

    // ---- the steps ----

    /**
     * The steps written into their one use rather than named: those used once, by an operator
     * (+, -, *, @, .T, unary minus) or as a result, so that {@code X.T @ (sigmoid(X @ w) - y)}
     * reads as a person writes it. A function's argument stays a name (an emitter may use it twice).
     */
    private Set<Integer> inlined() {
        Map<Integer, Integer> alias = new HashMap<>();
        Map<Integer, Integer> uses = new HashMap<>();
        Map<Integer, Boolean> byOperator = new HashMap<>();
        for (Plan.Step st : p.plan.schedule()) {
            if (st.structure() == Plan.Fused.IDENTITY_LEFT || st.structure() == Plan.Fused.IDENTITY_RIGHT) {
                alias.put(st.index(), alias.getOrDefault(st.args()[0], st.args()[0]));
                continue;
            }
            boolean operator = st.structure() == null && !st.matrixPower()
                    && (st.expr() instanceof Expr.Neg || st.expr() instanceof Expr.Transpose || st.expr() instanceof Expr.Binary);
            for (int a : st.args()) {
                int r = alias.getOrDefault(a, a);
                uses.merge(r, 1, Integer::sum);
                byOperator.merge(r, operator, Boolean::logicalAnd);
            }
        }
        for (int i = 0; i < p.outputs.size(); i++) {
            int o = p.plan.outputStep(i);
            uses.merge(alias.getOrDefault(o, o), 1, Integer::sum);
        }
        Set<Integer> out = new java.util.HashSet<>();
        uses.forEach((step, n) -> {
            if (n == 1 && byOperator.getOrDefault(step, true)) {
                out.add(step);
            }
        });
        return out;
    }

    /** Whether code can stand as an operand without parentheses: a name, a call, an attribute, an index; no operator at its top level. */
    private static boolean atomic(String c) {
        if (c.startsWith("-")) {
            return false; // -y ** 2 is -(y ** 2)
        }
        int depth = 0;
        for (int i = 0; i < c.length(); i++) {
            char ch = c.charAt(i);
            if (ch == '(' || ch == '[') {
                depth++;
            } else if (ch == ')' || ch == ']') {
                depth--;
            } else if (ch == ' ' && depth == 0) {
                return false;
            }
        }
        return true;
    }

    private void walk() {
        Set<Integer> inline = inlined();
        for (Plan.Step st : p.plan.schedule()) {
            shapes.put(st.index(), st.shape());
            Expr e = st.expr();
            if (st.structure() == null && e instanceof Expr.Var v) {
                code.put(st.index(), name(v.name()));
                continue;
            }
            if (st.structure() == null && e instanceof Expr.Num n) {
                code.put(st.index(), literal(n.value()));
                numbers.add(st.index());
                continue;
            }
            if (st.structure() == null && (e instanceof Expr.Neg || e instanceof Expr.Transpose || e instanceof Expr.Binary)
                    && java.util.Arrays.stream(st.args()).allMatch(numbers::contains)) {
                numbers.add(st.index());
            }
            if (st.structure() == Plan.Fused.IDENTITY_LEFT || st.structure() == Plan.Fused.IDENTITY_RIGHT) {
                code.put(st.index(), code.get(st.args()[0]));
                continue;
            }
            String rhs = st.structure() != null ? structured(st) : plain(st);
            if (inline.contains(st.index())) {
                code.put(st.index(), atomic(rhs) ? rhs : "(" + rhs + ")");
                continue;
            }
            String t = fresh();
            body.append("    ").append(t).append(" = ").append(rhs).append('\n');
            code.put(st.index(), t);
        }
    }

    static String literal(double v) {
        String s = v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) + ".0" : Double.toString(v);
        return v < 0 ? "(" + s + ")" : s;
    }

    private String arg(Plan.Step st, int k) {
        return code.get(st.args()[k]);
    }

    private Shape argShape(Plan.Step st, int k) {
        return shapes.get(st.args()[k]);
    }

    /** A matrix product whose typed result is 1 x 1 gives a 1 x 1 array: take its entry, a 0-d value. */
    private static String product(String text, Shape result) {
        return result.isScalar() ? "(" + text + ")[0, 0]" : text;
    }

    private static String transposed(String c, Shape s) {
        return s.isScalar() ? c : c + ".T";
    }

    private String plain(Plan.Step st) {
        Expr e = st.expr();
        Shape out = st.shape();
        if (e instanceof Expr.Neg) {
            return "-" + arg(st, 0);
        }
        if (e instanceof Expr.Transpose) {
            return transposed(arg(st, 0), argShape(st, 0));
        }
        if (e instanceof Expr.Binary b) {
            String l = arg(st, 0), r = arg(st, 1);
            boolean scalarSide = argShape(st, 0).isScalar() || argShape(st, 1).isScalar();
            return switch (b.op()) {
                case ADD -> l + " + " + r;
                case SUB -> l + " - " + r;
                case MUL -> scalarSide ? l + " * " + r : product(l + " @ " + r, out);
                case DIV, HADAMARD_DIV -> l + " / " + r;
                case HADAMARD -> l + " * " + r;
                case ELEM_POW -> l + " ** " + r;
                case POW -> st.matrixPower() ? lib + ".linalg.matrix_power(" + l + ", " + exponent(st) + ")" : l + " ** " + r;
            };
        }
        if (e instanceof Expr.Call c) {
            Emitters em = Primitives.emitters(c.fn()).orElse(null);
            Emitters.Emitter x = em == null ? null : torch ? em.torch() : em.numpy();
            if (x == null) {
                throw unsupported(c.fn().languageName());
            }
            boolean square = c.fn().arguments() == Builtin.Args.SQUARE || c.fn().arguments() == Builtin.Args.SQUARE_PAIR
                    || c.fn().arguments() == Builtin.Args.SQUARE_TRIPLE;
            boolean anyScalar = false;
            for (int k = 0; k < st.args().length; k++) {
                anyScalar |= argShape(st, k).isScalar();
            }
            String call = x.emit(operands(st, square));
            // a 1 x 1 matrix in, a 1 x 1 result back to a scalar
            return square && anyScalar && out.isScalar() ? lib + ".reshape(" + call + ", ())" : call;
        }
        if (e instanceof Expr.Elementwise f) {
            Emitters em = Primitives.emitters(f.fn()).orElse(null);
            Emitters.Emitter x = em == null ? null : torch ? em.torch() : em.numpy();
            if (x == null) {
                throw unsupported(f.fn().name().toLowerCase(Locale.ROOT));
            }
            return x.emit(operands(st, false));
        }
        if (e instanceof Expr.Identity) {
            return out.isScalar() ? "1.0" : torch ? "torch.eye(" + size(out.rows()) + ", " + floatTensor() + ")" : "np.eye(" + size(out.rows()) + ")";
        }
        if (e instanceof Expr.Zeros) {
            return out.isScalar() ? "0.0" : lib + ".zeros((" + size(out.rows()) + ", " + size(out.cols()) + ")" + (torch ? ", " + floatTensor() : "") + ")";
        }
        if (e instanceof Expr.Fill) {
            return out.isScalar() ? arg(st, 0) : arg(st, 0) + " * " + ones(out.rows(), out.cols());
        }
        if (e instanceof Expr.Commutation k) {
            define("_commutation", torch ? """
                    def _commutation(m, n, dev):
                        # K @ vec(A) = vec(A.T) for an m x n A (vec stacks columns)
                        K = torch.zeros((m * n, m * n), dtype=torch.float64, device=dev)
                        for i in range(m):
                            for j in range(n):
                                K[j + n * i, i + m * j] = 1.0
                        return K
                    """ : """
                    def _commutation(m, n):
                        # K @ vec(A) = vec(A.T) for an m x n A (vec stacks columns)
                        K = np.zeros((m * n, m * n))
                        for i in range(m):
                            for j in range(n):
                                K[j + n * i, i + m * j] = 1.0
                        return K
                    """);
            return "_commutation(" + size(k.m()) + ", " + size(k.n()) + (torch ? ", dev" : "") + ")";
        }
        throw unsupported(e.getClass().getSimpleName());
    }

    private String ones(Size rows, Size cols) {
        return lib + ".ones((" + size(rows) + ", " + size(cols) + ")" + (torch ? ", " + floatTensor() : "") + ")";
    }

    private String exponent(Plan.Step st) {
        Plan.Step k = null;
        for (Plan.Step s : p.plan.schedule()) {
            if (s.index() == st.args()[1]) {
                k = s;
            }
        }
        if (k != null && k.expr() instanceof Expr.Num n) {
            return Long.toString((long) n.value());
        }
        return "int(" + arg(st, 1) + ")";
    }

    private String structured(Plan.Step st) {
        Shape out = st.shape();
        String a = arg(st, 0);
        boolean scalarSide = st.args().length == 2 && (argShape(st, 0).isScalar() || argShape(st, 1).isScalar());
        return switch (st.structure()) {
            // a 1 x 1 factor of a reordered chain (y'*y in y*y'*y*y') scales
            case TRANSPOSE_TIMES -> scalarSide ? transposed(a, argShape(st, 0)) + " * " + arg(st, 1)
                    : product(a + ".T @ " + arg(st, 1), out);
            case TIMES_TRANSPOSE -> scalarSide ? a + " * " + transposed(arg(st, 1), argShape(st, 1)) : product(a + " @ " + arg(st, 1) + ".T", out);
            case INNER -> product(a + ".T @ " + a, out);
            case SCALED_INNER -> {
                if (torch) {
                    yield product(a + ".T @ (" + column(arg(st, 1), argShape(st, 1)) + " * " + a + ")", out);
                }
                // as Kernels.scaledInner: with d >= 0 one symmetric product, which NumPy hands to BLAS's syrk (half the work)
                define("_scaled_inner", """
                        def _scaled_inner(X, d):
                            # X.T @ (d * X) for a column d; with d >= 0 as Y.T @ Y, Y = sqrt(d) * X, which BLAS computes at half the work
                            if np.all(d >= 0):
                                Y = np.sqrt(d) * X
                                return Y.T @ Y
                            return X.T @ (d * X)
                        """);
                yield product("_scaled_inner(" + a + ", " + column(arg(st, 1), argShape(st, 1)) + ")", out);
            }
            case SCALE_ROWS -> column(a, argShape(st, 0)) + " * " + arg(st, 1);
            case SCALE_COLUMNS -> a + " * " + row(arg(st, 1), argShape(st, 1));
            case SOLVE -> lib + ".linalg.solve(" + a + ", " + arg(st, 1) + ")";
            case ZERO_PRODUCT -> out.isScalar() ? "0.0" : lib + ".zeros((" + size(out.rows()) + ", " + size(out.cols()) + ")" + (torch ? ", " + floatTensor() : "") + ")";
            case FILL_TIMES -> product(torch ? "(" + a + " * torch.sum(" + arg(st, 1) + ", 0, keepdim=True)).repeat(" + size(out.rows()) + ", 1)"
                    : "np.tile(" + a + " * np.sum(" + arg(st, 1) + ", axis=0, keepdims=True), (" + size(out.rows()) + ", 1))", out);
            case TIMES_FILL -> product(torch ? "(" + arg(st, 1) + " * torch.sum(" + a + ", 1, keepdim=True)).repeat(1, " + size(out.cols()) + ")"
                    : "np.tile(" + arg(st, 1) + " * np.sum(" + a + ", axis=1, keepdims=True), (1, " + size(out.cols()) + "))", out);
            case IDENTITY_LEFT, IDENTITY_RIGHT -> a;
            case COMMUTE_ROWS -> {
                Expr.Commutation k = (Expr.Commutation) ((Expr.Binary) st.expr()).left();
                String m = size(k.m()), n = size(k.n());
                yield a + ".reshape(" + n + ", " + m + ", -1)." + (torch ? "permute" : "transpose") + "(1, 0, 2).reshape(" + m + " * " + n + ", -1)";
            }
            case KRON_TIMES -> {
                if (argShape(st, 0).isScalar() || argShape(st, 1).isScalar()) {
                    yield product("(" + a + " * " + arg(st, 1) + ") @ " + arg(st, 2), out);
                }
                define("_kron_times", """
                        def _kron_times(A, B, M):
                            # kron(A, B) @ M, kron never formed: column k of M is vec(X_k), and kron(A, B) @ vec(X) = vec(B @ X @ A.T)
                            q, s = A.shape[1], B.shape[1]
                            Xt = M.T.reshape(-1, q, s)
                            return (A @ Xt @ B.T).reshape(M.shape[1], -1).T
                        """);
                yield product("_kron_times(" + a + ", " + arg(st, 1) + ", " + arg(st, 2) + ")", out);
            }
        };
    }

    /** A vector as a column (diag(v)*X scales rows by v). */
    private static String column(String c, Shape s) {
        return s.isRow() && !s.isColumn() ? c + ".T" : c;
    }

    private static String row(String c, Shape s) {
        return s.isColumn() && !s.isRow() ? c + ".T" : c;
    }

    private void define(String name, String definition) {
        if (!definition.isEmpty()) {
            helpers.putIfAbsent(name, definition);
        }
    }

    /**
     * The operands of a call as its emitter sees them: a number as an array (functions of the
     * library take no Python floats), and for a function of square matrices a scalar as 1 x 1.
     */
    private Emitters.Operands operands(Plan.Step st, boolean square) {
        return new Emitters.Operands() {
            public int count() {
                return st.args().length;
            }

            public String arg(int i) {
                String c = PythonWriter.this.arg(st, i);
                boolean literal = numbers.contains(st.args()[i]);
                if (square && argShape(st, i).isScalar()) {
                    return torch ? "torch.as_tensor(" + c + ", " + floatTensor() + ").reshape(1, 1)" : "np.reshape(" + c + ", (1, 1))";
                }
                if (literal) {
                    return torch ? "torch.as_tensor(" + c + ", " + floatTensor() + ")" : "np.float64(" + c + ")";
                }
                return c;
            }

            public Shape shape(int i) {
                return argShape(st, i);
            }

            public String literal(int i) {
                return numbers.contains(st.args()[i]) ? PythonWriter.this.arg(st, i) : null;
            }

            public String size(Size s) {
                return PythonWriter.this.size(s);
            }

            public void define(String name, String definition) {
                PythonWriter.this.define(name, definition);
            }

            public void require(String module) {
                imports.add(module);
            }
        };
    }

    private MatcalcException unsupported(String what) {
        return new MatcalcException(MatcalcException.Kind.UNSUPPORTED, what + " has no " + (torch ? "PyTorch" : "NumPy")
                + " form in matcalc's code generator");
    }

    // ---- the self-checks ----

    private String kindOf(Decl d) {
        if (d.has(Decl.Property.SPD)) {
            return "spd";
        }
        if (d.has(Decl.Property.SYMMETRIC)) {
            return "symmetric";
        }
        if (d.has(Decl.Property.DIAGONAL)) {
            return "diagonal";
        }
        if (d.has(Decl.Property.ORTHOGONAL)) {
            return "orthogonal";
        }
        if (d.has(Decl.Property.SIMPLEX)) {
            return "simplex";
        }
        return "any";
    }

    /** The argument's shape in the check, with the sizes as Python names bound in the function. */
    private String checkShape(Decl d) {
        if (d.shape().isScalar()) {
            return "()";
        }
        return switch (d.kind()) {
            case VECTOR -> "(" + size(d.rows()) + ",)";
            case ROWVECTOR -> "(1, " + size(d.cols()) + ")";
            default -> "(" + size(d.rows()) + ", " + size(d.cols()) + ")";
        };
    }

    private String checks() {
        StringBuilder s = new StringBuilder();
        String r = torch ? "gen" : "rng";
        // random values of each kind (as matcalc --check draws them)
        s.append(torch ? """
                def _draw(gen, kind, shape, positive):
                    def uniform(lo, hi, shape):
                        return lo + (hi - lo) * torch.rand(shape, generator=gen, dtype=torch.float64)
                    lo, hi = (0.5, 1.5) if positive else (-1.0, 1.0)
                    if kind == "spd":
                        B = uniform(-1.0, 1.0, shape)
                        S = B @ B.T / shape[0] + torch.eye(shape[0], dtype=torch.float64)
                        return (S + S.T) / 2
                    if kind == "symmetric":
                        B = uniform(lo, hi, shape)
                        return (B + B.T) / 2
                    if kind == "diagonal":
                        return torch.diag(uniform(0.5, 1.5, (shape[0],)))
                    if kind == "orthogonal":
                        return torch.linalg.qr(uniform(-1.0, 1.0, shape))[0]
                    if kind == "simplex":
                        q = uniform(0.5, 1.5, shape)
                        return q / torch.sum(q)
                    return uniform(lo, hi, shape)


                def _direction(gen, kind, shape):
                    D = torch.randn(shape, generator=gen, dtype=torch.float64)
                    if kind in ("spd", "symmetric"):
                        return (D + D.T) / 2
                    if kind == "diagonal":
                        return torch.diag(torch.diag(D))
                    return D


                def _vec(a):
                    # vec stacks columns, as matcalc's Jacobians read vec(F) and vec(X)
                    a = torch.as_tensor(a, dtype=torch.float64)
                    return a.T.reshape(-1) if a.ndim == 2 else a.reshape(-1)


                def _t(a):
                    return a.T if a.ndim == 2 else a


                def _unvec(v, shape):
                    return v.reshape(shape[1], shape[0]).T if len(shape) == 2 else v.reshape(shape)


                def _finite(out):
                    return all(bool(torch.all(torch.isfinite(torch.as_tensor(o)))) for o in out)


                def _norm(a):
                    return float(torch.linalg.norm(a))


                """ : """
                def _draw(rng, kind, shape, positive):
                    lo, hi = (0.5, 1.5) if positive else (-1.0, 1.0)
                    if kind == "spd":
                        B = rng.uniform(-1.0, 1.0, shape)
                        S = B @ B.T / shape[0] + np.eye(shape[0])
                        return (S + S.T) / 2
                    if kind == "symmetric":
                        B = rng.uniform(lo, hi, shape)
                        return (B + B.T) / 2
                    if kind == "diagonal":
                        return np.diag(rng.uniform(0.5, 1.5, shape[0]))
                    if kind == "orthogonal":
                        return np.linalg.qr(rng.uniform(-1.0, 1.0, shape))[0]
                    if kind == "simplex":
                        q = rng.uniform(0.5, 1.5, shape)
                        return q / np.sum(q)
                    return rng.uniform(lo, hi, shape)


                def _direction(rng, kind, shape):
                    D = rng.standard_normal(shape)
                    if kind in ("spd", "symmetric"):
                        return (D + D.T) / 2
                    if kind == "diagonal":
                        return np.diag(np.diag(D))
                    return D


                def _vec(a):
                    # vec stacks columns, as matcalc's Jacobians read vec(F) and vec(X)
                    return np.reshape(np.asarray(a, dtype=float), -1, order="F")


                def _t(a):
                    return a.T if np.ndim(a) == 2 else a


                def _unvec(v, shape):
                    return np.reshape(v, shape, order="F")


                def _finite(out):
                    return all(np.all(np.isfinite(o)) for o in out)


                def _norm(a):
                    return float(np.linalg.norm(a))


                """);
        // what both libraries share: projections, errors, the differences themselves
        s.append("""
                def _project(v, kind, shape):
                    # onto the variable's structure: a Hessian by a symmetric or diagonal variable acts on such directions
                    if kind in ("spd", "symmetric"):
                        M = _unvec(v, shape)
                        return _vec((M + M.T) / 2)
                    if kind == "diagonal":
                        return _vec(LIB.diag(LIB.diag(_unvec(v, shape))))
                    return v


                def _error(a, estimate):
                    # the relative error, and the part of it beyond the finite differences' own resolution (the
                    # spread of two Richardson estimates, and rounding); a derivative below 1e-6 of the function's
                    # size is compared absolutely
                    b, spread, size, rounding = estimate
                    scale = max(_norm(a), _norm(b), 1e-6 * (1.0 + size))
                    diff = _norm(a - b)
                    return diff / scale, max(0.0, diff - 2 * spread - rounding) / scale


                def _worse(worst, error):
                    return max(worst[0], error[0]), max(worst[1], error[1])


                def _smooth(estimate):
                    # the two Richardson estimates agree: no kink between the points the differences use
                    b, spread, size, rounding = estimate
                    return spread <= 1e-4 * max(_norm(b), 1e-6 * (1.0 + size)) + rounding


                def _along(F, h):
                    # the derivative of F at 0 by central differences, Richardson-extrapolated twice
                    d = [(_vec(F(s)) - _vec(F(-s))) / (2 * s) for s in (h, h / 2, h / 4)]
                    r1, r2 = (4 * d[1] - d[0]) / 3, (4 * d[2] - d[1]) / 3
                    size = _norm(_vec(F(0.0)))
                    # rounding: about 1000 ulps of F, divided by the step
                    return r2, _norm(r1 - r2), size, 1e3 * 2.2e-16 * (1.0 + size) / h


                """.replace("LIB", lib));
        s.append("def _random_inputs(").append(r).append("):\n");
        s.append("    \"\"\"Random arguments of the declared kinds, at sizes ");
        StringBuilder sizes = new StringBuilder();
        p.checkSizes.forEach((k, v) -> sizes.append(sizes.length() > 0 ? ", " : "").append(name(k)).append(" = ").append(v));
        s.append(sizes.length() == 0 ? "as declared" : sizes).append(".\"\"\"\n");
        p.checkSizes.forEach((k, v) -> s.append("    ").append(name(k)).append(" = ").append(v).append('\n'));
        s.append("    return {\n");
        for (String v : p.parameters) {
            Decl d = p.declOf(v);
            String draw = "_draw(" + r + ", \"" + kindOf(d) + "\", " + checkShape(d) + ", " + (p.positive ? "True" : "False") + ")";
            s.append("        \"").append(name(v)).append("\": ").append(d.shape().isScalar() ? "float(" + draw + ")" : draw).append(",\n");
        }
        for (String f : p.freeSizes) {
            s.append("        \"").append(name(f)).append("\": ").append(name(f)).append(",\n");
        }
        s.append("    }\n\n\n");

        String fn = p.functionName();
        if (p.order == 0) {
            s.append("if __name__ == \"__main__\":\n");
            s.append("    print(\"").append(fn).append(" at random inputs:\", ").append(fn).append("(**_random_inputs(")
                    .append(torch ? "torch.Generator().manual_seed(0)" : "np.random.default_rng(0)").append(")))\n");
            return s.toString();
        }
        String x = name(p.wrt);
        Decl xd = p.declOf(p.wrt);
        String jac = jacobian("out[1]", "f0");
        s.append("def _jacobian_times(out, f0, x, D):\n");
        s.append("    # the Jacobian of vec(F) by vec(").append(x).append(") (CONTRACT.md section 4) times vec(D)\n");
        s.append("    J = ").append(jac).append('\n');
        s.append("    return J @ _vec(D)\n\n\n");
        String kind = kindOf(xd);
        if (p.order == 2) {
            s.append("def _hessian_times(out, x, D):\n");
            s.append("    n = _vec(x).shape[0]\n");
            s.append("    return _project(").append(torch ? "torch.as_tensor(out[2]).reshape(n, n)" : "np.reshape(out[2], (n, n))").append(" @ _vec(D), \"").append(kind).append("\", tuple(x.shape))\n\n\n");
            s.append("def _gradient(out):\n");
            s.append("    return _vec(").append(p.derivativeTransposed() ? "_t(out[1])" : "out[1]").append(")\n\n\n");
        }
        String conv = torch ? "torch.as_tensor(args[\"" + x + "\"], dtype=torch.float64)" : "np.asarray(args[\"" + x + "\"], dtype=float)";
        String max = torch ? "float(torch.max(torch.abs(x))) if x.numel() else 1.0" : "float(np.max(np.abs(x))) if x.size else 1.0";
        s.append("def _draw_point(").append(r).append("):\n");
        s.append("    # random inputs where the value and derivatives are finite (log, sqrt, arcsin... have domains)\n");
        s.append("    for _ in range(20):\n");
        s.append("        args = _random_inputs(").append(r).append(")\n");
        s.append("        out = ").append(fn).append("(**args)\n");
        s.append("        if _finite(out):\n");
        s.append("            break\n");
        s.append("    x = ").append(conv).append('\n');
        s.append("    return args, out, x, _direction(").append(r).append(", \"").append(kind).append("\", tuple(x.shape))\n\n\n");
        s.append("def check_gradient(seed=0, tol=1e-6, trials=3):\n");
        s.append("    \"\"\"Compares the derivative").append(p.order == 2 ? "s" : "")
                .append(" with central finite differences (Richardson-extrapolated) along random\n")
                .append("    directions at random inputs; returns the worst relative error, and raises AssertionError when it\n")
                .append("    exceeds tol beyond the differences' own resolution.\"\"\"\n");
        s.append("    ").append(r).append(" = ").append(torch ? "torch.Generator().manual_seed(seed)" : "np.random.default_rng(seed)").append('\n');
        s.append("    worst = (0.0, 0.0)\n");
        s.append("    checked = 0\n");
        s.append("    for _ in range(20 * trials):\n");
        s.append("        args, out, x, D = _draw_point(").append(r).append(")\n");
        s.append("        h = 1e-4 * max(1.0, ").append(max).append(")\n");
        s.append("        estimates = [_along(lambda t: ").append(fn).append("(**{**args, \"").append(x).append("\": x + t * D})[0], h)");
        if (p.order == 2) {
            s.append(",\n                     _along(lambda t: _gradient(").append(fn).append("(**{**args, \"").append(x).append("\": x + t * D})), h)");
        }
        s.append("]\n");
        s.append("        if not all(_smooth(e) for e in estimates):\n");
        s.append("            continue  # a kink (abs, relu, sign...) within reach of the differences: another point\n");
        s.append("        worst = _worse(worst, _error(_jacobian_times(out, out[0], x, D), estimates[0]))\n");
        if (p.order == 2) {
            s.append("        worst = _worse(worst, _error(_hessian_times(out, x, D), estimates[1]))\n");
        }
        s.append("        checked += 1\n");
        s.append("        if checked == trials:\n");
        s.append("            break\n");
        s.append("    if checked == 0:\n");
        s.append("        raise AssertionError(\"no random point where the function is smooth enough for finite differences\")\n");
        s.append("    if not worst[1] <= tol:\n");
        s.append("        raise AssertionError(f\"the derivative disagrees with finite differences: relative error {worst[0]:.1e}, \"\n");
        s.append("                             f\"{worst[1]:.1e} beyond their resolution > {tol:.0e}\")\n");
        s.append("    return worst[0]\n\n\n");
        if (torch) {
            s.append("def check_autograd(seed=0, tol=1e-8, trials=3):\n");
            s.append("    \"\"\"Compares the derivative").append(p.order == 2 ? "s" : "").append(" with torch.autograd (forward-mode products through this function)\n")
                    .append("    along random directions at random inputs; returns the worst relative error, raises AssertionError above tol.\"\"\"\n");
            s.append("    def _exact(d, f):\n");
            s.append("        # autograd's product, with the rounding of a function of F's size\n");
            s.append("        size = float(torch.linalg.norm(f))\n");
            s.append("        return d, 0.0, size, 1e3 * 2.2e-16 * (1.0 + size)\n\n");
            s.append("    gen = torch.Generator().manual_seed(seed)\n");
            s.append("    worst = (0.0, 0.0)\n");
            s.append("    for _ in range(trials):\n");
            s.append("        args, out, x, D = _draw_point(gen)\n");
            s.append("        _, dF = torch.autograd.functional.jvp(lambda t: _vec(").append(fn).append("(**{**args, \"").append(x)
                    .append("\": t})[0]), (x,), (D,))\n");
            s.append("        worst = _worse(worst, _error(_jacobian_times(out, out[0], x, D), _exact(dF, _vec(out[0]))))\n");
            if (p.order == 2) {
                s.append("        _, dG = torch.autograd.functional.jvp(lambda t: _gradient(").append(fn).append("(**{**args, \"").append(x)
                        .append("\": t})), (x,), (D,))\n");
                s.append("        worst = _worse(worst, _error(_hessian_times(out, x, D), _exact(_project(dG, \"").append(kind).append("\", tuple(x.shape)), _gradient(out))))\n");
            }
            s.append("    if not worst[1] <= tol:\n");
            s.append("        raise AssertionError(f\"the derivative disagrees with torch.autograd: relative error {worst[0]:.1e} > {tol:.0e}\")\n");
            s.append("    return worst[0]\n\n\n");
        }
        s.append("if __name__ == \"__main__\":\n");
        s.append("    print(f\"check_gradient: relative error {check_gradient():.1e} against central finite differences\")\n");
        if (torch) {
            s.append("    print(f\"check_autograd: relative error {check_autograd():.1e} against torch.autograd\")\n");
        }
        return s.toString();
    }

    /** The Jacobian of vec(F) by vec(X) read off the returned derivative, per layout (CONTRACT.md section 4). */
    private String jacobian(String d, String f0) {
        String t = p.derivativeTransposed() ? "_t(" + d + ")" : d;
        if (p.valueIsScalar()) {
            return "_vec(" + t + ").reshape(1, -1)";
        }
        if (p.shapeOf(p.wrt).isScalar()) {
            return "_vec(" + t + ").reshape(-1, 1)";
        }
        return (torch ? "torch.as_tensor(" + t + ")" : "np.asarray(" + t + ")") + ".reshape(_vec(" + f0 + ").shape[0], _vec(x).shape[0])";
    }
}
