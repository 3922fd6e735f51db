package org.matcalc.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.matcalc.expr.Declarations;
import org.matcalc.expr.Elaboration;
import org.matcalc.expr.TextPrinter;

/**
 * The models ML engineers write, in the language they write them (broadcasting, reductions along
 * a dimension, row-wise softmax, max): each derived by every variable and checked three ways
 * (symbolic = forward and reverse AD = Richardson central differences, {@link DerivativeCheck}) at
 * random non-square inputs, with the compact form pinned where one exists. Rows without
 * declarations rely on the letter rule and on kinds from use, as a new user would.
 */
class ModelsTest {

    record Model(String name, String f, String decls, List<String> wrt, boolean hessian, boolean positive) {
    }

    static Stream<Arguments> models() {
        return Stream.of(
                model("attention", "softmax(Q*K'/sqrt(d), 2)*V", "Q: matrix(n,k); K: matrix(m,k); V: matrix(m,p)", "Q", "K", "V", "d"),
                model("attention, undeclared", "softmax(Q*K'/sqrt(d), 2)*V", "", "Q", "K", "V"),
                model("layer normalisation", "(x - mean(x))/sqrt(mean((x - mean(x)).^2) + e)", "x: vector(n)", "x"),
                model("softmax regression, ones written", "-sum(Y.*log(softmax(X*W + vector(1)*b', 2)))",
                        "X: matrix(n,p); W: matrix(p,k); Y: matrix(n,k); b: vector(k)", "W", "b"),
                model("softmax regression, broadcast", "-sum(Y.*log(softmax(X*W + b', 2)))",
                        "X: matrix(n,p); W: matrix(p,k); Y: matrix(n,k)", "W", "b"),
                model("two-layer network", "norm2(max(X*W1 + b1', 0)*W2 - Y)^2",
                        "X: matrix(n,p); W1: matrix(p,h); W2: matrix(h,k); Y: matrix(n,k)", "W1", "W2", "b1"),
                model("hinge loss", "sum(max(vector(1) - y.*(X*w), 0)) + lambda*norm2(w)^2", "X: matrix(n,p)", "w", "lambda"),
                model("row sums", "sum(X, 2)", "X: matrix(n,m)", "X"),
                model("column sums", "sum(X, 1)", "X: matrix(n,m)", "X"),
                model("column means", "mean(X, 1)", "X: matrix(n,m)", "X"),
                model("row means", "mean(X, 2)", "X: matrix(n,m)", "X"),
                model("row logsumexp", "logsumexp(X, 2)", "X: matrix(n,m)", "X"),
                model("column softmax", "softmax(X, 1)", "X: matrix(n,m)", "X"),
                model("centring", "x - mean(x)", "x: vector(n)", "x"),
                model("matrix minus its row means", "X - mean(X, 2)", "X: matrix(n,m)", "X"),
                model("max of entries", "max(X*w)", "X: matrix(n,p)", "w"),
                model("min with a scalar", "sum(min(X*w, c))", "X: matrix(n,p); c: scalar", "w", "c"),
                model("scalar broadcast in +", "sum(log(1 + exp(-y.*(X*w))))", "X: matrix(n,p)", "w"),
                model("row broadcast in .*", "sum((X .* s') * v)", "X: matrix(n,m); s: vector(m); v: vector(m)", "X", "s"),
                model("column broadcast in ./", "sum(X ./ (c + vector(2)))", "X: matrix(n,m); c: vector(n)", "X", "c"),
                model("transpose spellings", "x.'*transpose(A)*x", "A: matrix(n)", "x", "A"),
                hessianModel("row-wise softmax cross-entropy", "-sum(Y.*log(softmax(X*W, 2)))",
                        "X: matrix(n,p); W: matrix(p,k); Y: matrix(n,k)", "W"),
                hessianModel("row-wise softmax cross-entropy by a vector", "-sum(Y.*log(softmax(X*w*u', 2)))",
                        "X: matrix(n,p); w: vector(p); u: vector(k); Y: matrix(n,k)", "w"),
                hessianModel("logsumexp of each row, summed", "sum(logsumexp(X*w*u', 2))", "X: matrix(n,p); u: vector(k)", "w"),
                hessianModel("layer normalisation, squared", "norm2((x - mean(x))/sqrt(mean((x - mean(x)).^2) + e))^2 + x'*x",
                        "x: vector(n)", "x"));
    }

    private static Arguments model(String name, String f, String decls, String... wrt) {
        // square roots of d and e: positive inputs for those rows
        return Arguments.of(new Model(name, f, decls, List.of(wrt), false, f.contains("sqrt")));
    }

    private static Arguments hessianModel(String name, String f, String decls, String... wrt) {
        return Arguments.of(new Model(name, f, decls, List.of(wrt), true, f.contains("sqrt")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void everyVariableThreeWays(Model m) {
        long seed = 40;
        for (String x : m.wrt()) {
            DerivativeCheck.check(m.f(), m.decls(), x, seed++, m.positive());
            if (m.hessian()) {
                DerivativeCheck.checkHessian(m.f(), m.decls(), x, seed++, m.positive());
            }
        }
    }

    private static String print(String f, String decls, String wrt) {
        Elaboration.Elaborated e = Elaboration.of(f, Declarations.fromLines(decls));
        return TextPrinter.print(Derivatives.derive(e.parsed().expr(), e.decls(), wrt, 1, Layout.MIXED).expr());
    }

    @org.junit.jupiter.api.Test
    void compactFormsWhereTheyExist() {
        String attention = "Q: matrix(n,k); K: matrix(m,k); V: matrix(m,p)";
        assertEquals("kron(eye(p), softmax(Q*K'/sqrt(d), 2))", print("softmax(Q*K'/sqrt(d), 2)*V", attention, "V"));
        // the bias of a batch: the column sums of the adjoint, by the broadcast's written-out ones
        assertEquals("X'*((sum(Y, 2)*vector(1, k)').*softmax(X*W + vector(1, n)*b', 2) - Y)",
                print("-sum(Y.*log(softmax(X*W + b', 2)))", "X: matrix(n,p); W: matrix(p,k); Y: matrix(n,k)", "W"));
        assertEquals("2*lambda*w - X'*y.*step(vector(1) - y.*(X*w))",
                print("sum(max(vector(1) - y.*(X*w), 0)) + lambda*norm2(w)^2", "X: matrix(n,p)", "w"));
        assertEquals("kron(vector(1, m)', eye(n))", print("sum(X, 2)", "X: matrix(n,m)", "X"));
        assertEquals("X'*ismax(X*w)",
                print("max(X*w)", "X: matrix(n,p)", "w"));
        assertEquals("eye(n)", print("W1*x + b1", "", "b1"));
    }

    @org.junit.jupiter.api.Test
    void kindsFromUseAreListed() {
        assertEquals(java.util.Map.of("b1", org.matcalc.expr.Decl.VarKind.VECTOR),
                kinds(Elaboration.of("W1*x + b1", Declarations.NONE)));
        assertEquals(java.util.Map.of("lambda", org.matcalc.expr.Decl.VarKind.SCALAR),
                kinds(Elaboration.of("sum(max(vector(1) - y.*(X*w), 0)) + lambda*norm2(w)^2", Declarations.NONE)));
        assertEquals(java.util.Map.of("b", org.matcalc.expr.Decl.VarKind.VECTOR),
                kinds(Elaboration.of("X*W + b'", Declarations.NONE)));
        // x occurs twice: broadcast, never a scalar; a declaration always decides
        assertEquals(java.util.Map.of(), kinds(Elaboration.of("x - mean(x)", Declarations.NONE)));
        assertEquals(java.util.Map.of(), kinds(Elaboration.of("W1*x + b1", Declarations.fromLines("b1: scalar"))));
        // a scalar in .* or max is native: nothing to infer
        assertEquals(java.util.Map.of(), kinds(Elaboration.of("sum(max(x, c))", Declarations.NONE)));
    }

    private static java.util.Map<String, org.matcalc.expr.Decl.VarKind> kinds(Elaboration.Elaborated e) {
        java.util.Map<String, org.matcalc.expr.Decl.VarKind> out = new java.util.HashMap<>();
        e.inferred().forEach((k, v) -> out.put(k, v.kind()));
        return out;
    }
}
