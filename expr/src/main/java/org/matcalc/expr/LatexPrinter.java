package org.matcalc.expr;

import java.util.Set;

import org.matcalc.expr.BinaryOp.Precedence;

/**
 * Prints an expression as LaTeX for KaTeX or a paper: {@code X'} as {@code X^{T}},
 * {@code inv(X)} as {@code X^{-1}}, {@code .*} as {@code \odot}, {@code kron} as {@code \otimes}.
 */
public final class LatexPrinter {
    private static final Set<String> GREEK = Set.of("alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta",
            "theta", "iota", "kappa", "lambda", "mu", "nu", "xi", "pi", "rho", "sigma", "tau", "upsilon", "phi",
            "chi", "psi", "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Phi", "Psi", "Omega");

    private LatexPrinter() {
    }

    public static String print(Expr e) {
        return e.accept(new Expr.Visitor<String>() {
            public String num(Expr.Num n) {
                String s = TextPrinter.number(n.value());
                int exp = s.indexOf('e');
                return exp < 0 ? s : s.substring(0, exp) + " \\cdot 10^{" + s.substring(exp + 1) + "}";
            }

            public String var(Expr.Var v) {
                return name(v.name());
            }

            public String neg(Expr.Neg n) {
                return "-" + wrap(n.arg(), level(n.arg()) < Precedence.UNARY || n.arg() instanceof Expr.Num);
            }

            public String transpose(Expr.Transpose t) {
                return base(t.arg()) + "^{T}";
            }

            public String binary(Expr.Binary b) {
                int p = b.op().precedence();
                switch (b.op()) {
                    case ADD:
                    case SUB: {
                        String op = b.op() == BinaryOp.ADD ? " + " : " - ";
                        return side(b.left(), p, false) + op + side(b.right(), p, true);
                    }
                    case MUL: {
                        String l = side(b.left(), p, false), r = side(b.right(), p, true);
                        boolean dot = b.right() instanceof Expr.Num || b.right() instanceof Expr.Neg
                                || l.endsWith("}") && r.startsWith("\\frac") || startsWithDigit(r);
                        return l + (dot ? " \\cdot " : " ") + r;
                    }
                    case DIV:
                        return "\\frac{" + print(b.left()) + "}{" + print(b.right()) + "}";
                    case HADAMARD:
                        return side(b.left(), p, false) + " \\odot " + side(b.right(), p, true);
                    case HADAMARD_DIV:
                        return side(b.left(), p, false) + " \\oslash " + side(b.right(), p, true);
                    case POW:
                        return base(b.left()) + "^{" + print(b.right()) + "}";
                    case ELEM_POW:
                        return base(b.left()) + "^{\\circ " + print(b.right()) + "}";
                    default:
                        throw new AssertionError(b.op());
                }
            }

            public String call(Expr.Call c) {
                Expr a = c.args().get(0);
                switch (c.fn()) {
                    case INV:
                        return base(a) + "^{-1}";
                    case NORM1:
                        return "\\left\\| " + print(a) + " \\right\\|_1";
                    case NORM2:
                        return "\\left\\| " + print(a) + " \\right\\|_2";
                    case KRON:
                        return wrap(a, TextPrinter.level(a) < Precedence.POSTFIX) + " \\otimes "
                                + wrap(c.args().get(1), TextPrinter.level(c.args().get(1)) < Precedence.POSTFIX);
                    case SQRTM:
                        return base(a) + "^{1/2}";
                    default:
                        return c.fn().latexName() + "\\left(" + String.join(", ", c.args().stream().map(x -> print(x)).toList()) + "\\right)";
                }
            }

            public String elementwise(Expr.Elementwise f) {
                if (f.fn() == ScalarFunction.SQRT) {
                    return "\\sqrt{" + print(f.arg()) + "}";
                }
                return f.fn().latex() + "\\left(" + print(f.arg()) + "\\right)";
            }

            public String identity(Expr.Identity i) {
                return i.size() == null ? "I" : "I_{" + i.size() + "}";
            }

            public String zeros(Expr.Zeros z) {
                return "0_{" + z.rows() + " \\times " + z.cols() + "}";
            }

            public String fill(Expr.Fill f) {
                String v = print(f.value());
                String sizes = f.rows() == null ? "" : "_{" + f.rows() + (f.cols() == null ? "" : " \\times " + f.cols()) + "}";
                String ones = "\\mathbb{1}" + sizes;
                return v.equals("1") ? ones : wrap(f.value(), TextPrinter.level(f.value()) < Precedence.POSTFIX) + " " + ones;
            }

            public String commutation(Expr.Commutation c) {
                return "K_{" + c.m() + "," + c.n() + "}";
            }

            private String side(Expr child, int p, boolean right) {
                int l = level(child);
                return wrap(child, right ? l <= p : l < p);
            }

            private String base(Expr child) {
                // A number in scientific notation already ends in a superscript: 10^{-30}.
                boolean scientific = child instanceof Expr.Num n && TextPrinter.number(n.value()).contains("e");
                return wrap(child, level(child) < Precedence.ATOM || child instanceof Expr.Transpose || scientific
                        || child instanceof Expr.Call c && (c.fn() == Builtin.INV || c.fn() == Builtin.SQRTM));
            }

            private String wrap(Expr child, boolean paren) {
                String s = print(child);
                return paren ? "\\left(" + s + "\\right)" : s;
            }
        });
    }

    /**
     * As {@link TextPrinter#level}, except that {@code kron(A, B)}, printed as the infix
     * {@code A \otimes B}, is parenthesised as an operand like a sum: {@code (A \otimes B)^{T}}.
     */
    private static int level(Expr e) {
        return e instanceof Expr.Call c && c.fn() == Builtin.KRON ? Precedence.ADDITIVE : TextPrinter.level(e);
    }

    private static boolean startsWithDigit(String s) {
        return !s.isEmpty() && (Character.isDigit(s.charAt(0)) || s.charAt(0) == '-');
    }

    static String name(String n) {
        int us = n.indexOf('_');
        if (us > 0 && us < n.length() - 1) {
            return name(n.substring(0, us)) + "_{" + n.substring(us + 1).replace("_", "\\_") + "}";
        }
        if (GREEK.contains(n)) {
            return "\\" + n;
        }
        if (n.length() == 1) {
            return n;
        }
        // Trailing digits read as a subscript: x1 -> x_{1}.
        int k = n.length();
        while (k > 1 && Character.isDigit(n.charAt(k - 1))) {
            k--;
        }
        if (k < n.length() && (k == 1 || GREEK.contains(n.substring(0, k)))) {
            return name(n.substring(0, k)) + "_{" + n.substring(k) + "}";
        }
        return "\\mathit{" + n.replace("_", "\\_") + "}";
    }
}
