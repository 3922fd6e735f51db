package org.matcalc.expr;

import java.util.List;
import java.util.Locale;

import org.matcalc.expr.BinaryOp.Precedence;

/**
 * Prints an expression in the language itself, with the fewest parentheses that read back to
 * the same tree: {@code Parser.parse(print(e)).expr().equals(e)} for every parsed tree.
 */
public final class TextPrinter {
    private TextPrinter() {
    }

    public static String print(Expr e) {
        StringBuilder sb = new StringBuilder();
        write(e, sb);
        return sb.toString();
    }

    /** The expression as it may stand before {@code '} or {@code *}: parenthesised unless atomic. */
    public static String operand(Expr e) {
        String s = print(e);
        return level(e) >= Precedence.POSTFIX ? s : "(" + s + ")";
    }

    /** The precedence level of the node's outermost operator; atoms bind tightest. */
    static int level(Expr e) {
        if (e instanceof Expr.Binary b && meanArgs(b) != null) {
            return Precedence.ATOM;
        }
        if (e instanceof Expr.Binary b) {
            return b.op().precedence();
        }
        if (e instanceof Expr.Neg) {
            return Precedence.UNARY;
        }
        if (e instanceof Expr.Num n) {
            return n.value() < 0 || isNegativeZero(n.value()) ? Precedence.UNARY : Precedence.ATOM;
        }
        if (e instanceof Expr.Transpose) {
            return Precedence.POSTFIX;
        }
        return Precedence.ATOM;
    }

    /**
     * The arguments of mean when b is what the parser writes for it, sum(X)/numel(X) or
     * sum(X, k)/size(X, k), so that it prints back as mean(X) and mean(X, k); else null.
     */
    public static List<Expr> meanArgs(Expr.Binary b) {
        if (b.op() == BinaryOp.DIV && b.left() instanceof Expr.Call s && b.right() instanceof Expr.Call n
                && s.args().equals(n.args())
                && (s.fn() == Builtin.SUM && n.fn() == Builtin.NUMEL || s.fn() == Builtin.SUM_AXIS && n.fn() == Builtin.SIZE)) {
            return s.args();
        }
        return null;
    }

    private static void write(Expr e, StringBuilder sb) {
        e.accept(new Expr.Visitor<Void>() {
            public Void num(Expr.Num n) {
                sb.append(number(n.value()));
                return null;
            }

            public Void var(Expr.Var v) {
                sb.append(v.name());
                return null;
            }

            public Void neg(Expr.Neg n) {
                sb.append('-');
                // A number right after '-' would fold into a negative literal when read back.
                boolean paren = level(n.arg()) < Precedence.UNARY || n.arg() instanceof Expr.Num;
                child(n.arg(), paren);
                return null;
            }

            public Void transpose(Expr.Transpose t) {
                child(t.arg(), level(t.arg()) < Precedence.POSTFIX);
                sb.append('\'');
                return null;
            }

            public Void binary(Expr.Binary b) {
                List<Expr> mean = meanArgs(b);
                if (mean != null) {
                    sb.append("mean(");
                    for (int i = 0; i < mean.size(); i++) {
                        sb.append(i > 0 ? ", " : "");
                        write(mean.get(i), sb);
                    }
                    sb.append(')');
                    return null;
                }
                int p = b.op().precedence();
                boolean leftParen;
                boolean rightParen;
                if (b.op().rightAssociative()) {
                    // base := postfix; exponent := unary (which may itself be a power).
                    leftParen = level(b.left()) < Precedence.POSTFIX;
                    rightParen = level(b.right()) < Precedence.UNARY
                            || b.op() == BinaryOp.POW && startsWithNameT(b.right());
                } else {
                    leftParen = level(b.left()) < p;
                    rightParen = level(b.right()) <= p;
                }
                child(b.left(), leftParen);
                String sym = b.op().symbol();
                boolean spaced = b.op() == BinaryOp.ADD || b.op() == BinaryOp.SUB;
                sb.append(spaced ? " " + sym + " " : sym);
                child(b.right(), rightParen);
                return null;
            }

            public Void call(Expr.Call c) {
                sb.append(c.fn().languageName()).append('(');
                for (int i = 0; i < c.args().size(); i++) {
                    if (i > 0) {
                        sb.append(", ");
                    }
                    write(c.args().get(i), sb);
                }
                sb.append(')');
                return null;
            }

            public Void elementwise(Expr.Elementwise f) {
                sb.append(f.fn().languageName()).append('(');
                write(f.arg(), sb);
                sb.append(')');
                return null;
            }

            public Void identity(Expr.Identity i) {
                sb.append("eye");
                if (i.size() != null) {
                    sb.append('(').append(i.size()).append(')');
                }
                return null;
            }

            public Void zeros(Expr.Zeros z) {
                sb.append("zeros(").append(z.rows()).append(", ").append(z.cols()).append(')');
                return null;
            }

            public Void fill(Expr.Fill f) {
                sb.append(f.matrix() ? "matrix(" : "vector(");
                write(f.value(), sb);
                if (f.rows() != null) {
                    sb.append(", ").append(f.rows());
                }
                if (f.cols() != null) {
                    sb.append(", ").append(f.cols());
                }
                sb.append(')');
                return null;
            }

            public Void commutation(Expr.Commutation c) {
                sb.append("commutation(").append(c.m()).append(", ").append(c.n()).append(')');
                return null;
            }

            private void child(Expr c, boolean paren) {
                if (paren) {
                    sb.append('(');
                }
                write(c, sb);
                if (paren) {
                    sb.append(')');
                }
            }
        });
    }

    /** Whether e, printed bare, starts with the name T, which after '^' would read as a transpose. */
    private static boolean startsWithNameT(Expr e) {
        while (true) {
            if (e instanceof Expr.Transpose t) {
                e = t.arg();
            } else if (e instanceof Expr.Binary b && b.op().rightAssociative()) {
                e = b.left();
            } else {
                return e instanceof Expr.Var v && v.name().equals("T");
            }
        }
    }

    /** The shortest text that reads back to exactly this double. */
    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return (isNegativeZero(v) ? "-" : "") + Long.toString((long) v);
        }
        String s = Double.toString(v);
        if (s.contains("E")) {
            s = s.replace(".0E", "E").replace('E', 'e');
        }
        return s.toLowerCase(Locale.ROOT);
    }

    private static boolean isNegativeZero(double v) {
        return v == 0 && Double.doubleToRawLongBits(v) != 0;
    }
}
