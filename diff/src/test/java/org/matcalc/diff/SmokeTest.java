package org.matcalc.diff;

import org.junit.jupiter.api.Test;
import org.matcalc.expr.Declarations;
import org.matcalc.expr.Expr;
import org.matcalc.expr.TextPrinter;

class SmokeTest {
    static void show(String f, String decls, String wrt, int order, Layout l) {
        try {
            Derivative d = Derivatives.derive(Expr.parse(f), Declarations.fromLines(decls), wrt, order, l);
            System.out.println(f + "  d/d" + wrt + " [" + order + "," + l + "] = " + TextPrinter.print(d.expr()) + "   :: " + d.shape() + " | " + d.description() + (d.convention() == null ? "" : " | " + d.convention()));
        } catch (RuntimeException e) {
            System.out.println(f + " d/d" + wrt + " FAILED " + e);
        }
    }

    @Test
    void smoke() {
        String D = "X: matrix(n,m); A: matrix(n,n); a: vector(n); b: vector(m); w: vector(m); y: vector(n); S: spd(n); C: matrix(n); W: matrix(k,n); x: vector(n); yy: vector(k); p: simplex(k)";
        show("a'*X*b", D, "X", 1, Layout.MIXED);
        show("norm2(X*w - y)^2", D, "w", 1, Layout.MIXED);
        show("tr(X'*A*X)", D, "X", 1, Layout.MIXED);
        show("tr(X'*S*X)", D, "X", 1, Layout.MIXED);
        show("logdet(C)", D, "C", 1, Layout.MIXED);
        show("logdet(S)", D, "S", 1, Layout.MIXED);
        show("logdet(S) + tr(inv(S)*C)", D, "S", 1, Layout.MIXED);
        show("tr(inv(S)*C)", D, "S", 1, Layout.MIXED);
        show("-yy'*log(softmax(W*x))", D, "W", 1, Layout.MIXED);
        show("-p'*log(softmax(W*x))", D, "W", 1, Layout.MIXED);
        show("x'*A*x", D, "x", 2, Layout.MIXED);
        show("x'*A*x", D, "x", 1, Layout.NUMERATOR);
        show("A*X", D, "X", 1, Layout.MIXED);
        show("X*w", D, "X", 1, Layout.MIXED);
        show("X'", D, "X", 1, Layout.MIXED);
        show("A*x", D, "x", 1, Layout.MIXED);
        show("sin(x)", D, "x", 1, Layout.MIXED);
        show("tr(A*X*X')", D, "X", 1, Layout.MIXED);
        show("expm(C)", D, "C", 1, Layout.MIXED);
        show("tr(expm(C))", D, "C", 1, Layout.MIXED);
        show("lambda_max(S)", D, "S", 1, Layout.MIXED);
        show("sum(eigvals(S))", D, "S", 1, Layout.MIXED);
        show("tr(sqrtm(S)*A)", D, "S", 1, Layout.MIXED);
        show("logsumexp(x)", D, "x", 2, Layout.MIXED);
        show("C^3", D, "C", 1, Layout.MIXED);
        show("tr(C^2)", D, "C", 1, Layout.MIXED);
        show("norm2(X*w - y)^2", D, "X", 2, Layout.MIXED);
        show("tr(inv(C))", D, "C", 1, Layout.MIXED);
        show("a'*X*b", "", "X", 1, Layout.MIXED);
        System.out.println(Derivatives.derive(Expr.parse("-yy'*log(softmax(W*x))"), Declarations.fromLines(D), "W", 1, Layout.MIXED).derivation().toText());
        System.out.println(TextPrinter.print(Derivatives.hvp(Expr.parse("norm2(X*w - y)^2"), Declarations.fromLines(D), "X", "V")));
    }
}
