package org.matcalc.bench;

import org.matcalc.diff.Derivative;
import org.matcalc.diff.Derivatives;
import org.matcalc.diff.Layout;
import org.matcalc.expr.Temporaries;
import org.matcalc.expr.Expr;
import org.matcalc.expr.TextPrinter;

/**
 * Output size against input size: the printed derivative of each example, and of chains of
 * k nested operations, in characters, as one expression ("output", the JSON form) and as
 * displayed with shared subexpressions named ("shown"). Run:
 * {@code java -cp bench/target/benchmarks.jar org.matcalc.bench.OutputSize}.
 */
public final class OutputSize {
    private OutputSize() {
    }

    public static void main(String[] args) {
        System.out.printf("%-20s %6s %7s %6s  %s%n", "example", "input", "output", "ratio", "derivative");
        for (DeriveBench.Examples.Case c : DeriveBench.Examples.ALL) {
            Expr f = Expr.parse(c.expression());
            Derivative d = Derivatives.derive(f, c.decls(), c.wrt(), c.order(), Layout.MIXED);
            String out = TextPrinter.print(d.expr());
            System.out.printf("%-20s %6d %7d %6.2f  %s%n", c.name(), c.expression().length(), out.length(),
                    (double) out.length() / c.expression().length(), out.length() > 70 ? out.substring(0, 67) + "..." : out);
        }
        System.out.println();
        System.out.printf("%-20s %6s %7s %6s %7s %6s%n", "chain of k", "input", "output", "ratio", "shown", "ratio");
        for (int k : new int[] {5, 10, 20, 50}) {
            for (String kind : new String[] {"sin", "sigmoid", "exp(A*"}) {
                String text = chain(kind, k);
                Expr f = Expr.parse("sum(" + text + ")");
                Derivative d = Derivatives.derive(f, org.matcalc.expr.Declarations.NONE, "x", 1, Layout.MIXED);
                String out = TextPrinter.print(d.expr());
                String shown = Temporaries.share(d.expr(), java.util.Set.of("x", "A")).print();
                int in = text.length() + 5;
                System.out.printf("%-20s %6d %7d %6.2f %7d %6.2f%n", kind.replace("(A*", "") + " x" + k, in, out.length(),
                        (double) out.length() / in, shown.length(), (double) shown.length() / in);
            }
        }
    }

    static String chain(String kind, int k) {
        String s = "x";
        for (int i = 0; i < k; i++) {
            s = kind.equals("exp(A*") ? "tanh(A*" + s + ")" : kind + "(" + s + ")";
        }
        return s;
    }
}
