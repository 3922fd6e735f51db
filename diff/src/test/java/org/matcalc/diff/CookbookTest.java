package org.matcalc.diff;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.matcalc.expr.Declarations;
import org.matcalc.expr.Elaboration;
import org.matcalc.expr.Expr;
import org.matcalc.expr.TextPrinter;
import org.matcalc.numeric.Mat;

/**
 * Published answers: identities of the Matrix Cookbook (Petersen and Pedersen, 2012; equation
 * numbers in the first column) and standard losses, each with the form the book or a textbook
 * writes. Every row: the derivative is checked (symbolic = AD = differences, every derivation step
 * true), the stated form is equal to it by value at random inputs (so the table itself is
 * checked), and the printed derivative is at most 1.5 times the stated form's length, spaces
 * aside (issue 13). The count and the worst ratio are printed at the end.
 */
class CookbookTest {
    static final String DECLS = String.join("\n",
            "X: matrix(n,m)", "Y: matrix(n,m)", "M: matrix(m,n)", "A: matrix(p,n)", "B: matrix(m,p)", "P: matrix(p)",
            "C: matrix(n)", "D: matrix(m)", "K: matrix(n)", "Z: matrix(n)", "S: spd(n)", "T: symmetric(n)",
            "a: vector(n)", "b: vector(m)", "w: vector(m)", "x: vector(n)", "y: vector(n)", "u: vector(p)",
            "G: matrix(5,2)", "s: scalar", "W: matrix(p,n)", "pr: simplex(p)", "W1: matrix(q,n)", "W2: matrix(p,q)",
            "Qa: matrix(n,m)", "Ka: matrix(r,m)", "Va: matrix(r,k)", "e: scalar", "Yb: matrix(n,p)", "Wb: matrix(m,p)",
            "c: vector(p)");

    /** Rows known to print longer than 1.5x, with the bound they are held to: none. */
    private static final Map<String, Double> KNOWN_LONGER = Map.of();

    private static final List<String> RATIOS = new ArrayList<>();
    private static double worst = 0;
    private static int noLonger = 0;
    private static final List<String> LONGER = new ArrayList<>();
    private static String worstRow = "";

    @ParameterizedTest(name = "({0}) {1} by {2}, order {3}")
    @CsvSource(delimiter = '|', value = {
            // first order, vectors (2.4.1) and quadratic forms
            "69  | a'*X*b                      | X | 1 | a*b'",
            "70  | b'*X'*a                     | X | 1 | a*b'",
            "71  | x'*Z*x                      | Z | 1 | x*x'",
            "77  | b'*X'*X*w                   | X | 1 | X*(b*w' + w*b')",
            "81  | b'*X'*C*X*w                 | X | 1 | C'*X*b*w' + C*X*w*b'",
            "84  | (X*b + a)'*C*(X*b + a)      | X | 1 | (C + C')*(X*b + a)*b'",
            "57a | x'*a                        | x | 1 | a",
            "79  | x'*C*x                      | x | 1 | (C + C')*x",
            "86  | (A*x - u)'*(A*x - u)        | x | 1 | 2*A'*(A*x - u)",
            // traces (2.5)
            "100 | tr(Z)                       | Z | 1 | eye(n)",
            "101 | tr(X*M)                     | X | 1 | M'",
            "102 | tr(A*X*B)                   | X | 1 | A'*B'",
            "103 | tr(B'*X'*A')                | X | 1 | A'*B'",
            "104 | tr(X'*Y)                    | X | 1 | Y",
            "105 | tr(Y*X')                    | X | 1 | Y",
            "106 | tr(kron(C, Z))              | Z | 1 | tr(C)*eye(n)",
            "108 | tr(X'*X)                    | X | 1 | 2*X",
            "109 | tr(X'*C*X)                  | X | 1 | (C + C')*X",
            "110 | tr(C*X*X')                  | X | 1 | (C + C')*X",
            "111 | tr(X*X'*C)                  | X | 1 | (C + C')*X",
            "112 | tr(X*D*X')                  | X | 1 | X*(D + D')",
            "113 | tr(D*X'*X)                  | X | 1 | X*(D + D')",
            "114 | tr(X'*X*D)                  | X | 1 | X*(D + D')",
            "115 | tr(C*Z*K*Z)                 | Z | 1 | C'*Z'*K' + K'*Z'*C'",
            "117 | tr(B'*X'*C*X*B)             | X | 1 | (C + C')*X*B*B'",
            "118 | tr(X'*C*X*D)                | X | 1 | C*X*D + C'*X*D'",
            "120 | tr((A*X*B + P)*(A*X*B + P)') | X | 1 | 2*A'*(A*X*B + P)*B'",
            "121 | tr(kron(Z, Z))              | Z | 1 | 2*tr(Z)*eye(n)",
            "122 | tr(Z^4)                     | Z | 1 | 4*(Z^3)'",
            "123 | tr(C*Z^2)                   | Z | 1 | (Z*C + C*Z)'",
            "124 | tr(inv(Z))                  | Z | 1 | -(inv(Z)^2)'",
            "126 | tr(expm(Z))                 | Z | 1 | expm(Z)'",
            "128 | tr(A*inv(Z)*A')             | Z | 1 | -(inv(Z)*A'*A*inv(Z))'",
            // determinants and inverses (2.1, 2.2)
            "49  | det(Z)                      | Z | 1 | det(Z)*inv(Z)'",
            "50  | det(C*Z*K)                  | Z | 1 | det(C*Z*K)*inv(Z)'",
            "51  | log(det(G'*G))              | G | 1 | 2*G*inv(G'*G)",
            "57  | log(abs(det(Z)))            | Z | 1 | inv(Z)'",
            "58  | det(Z^3)                    | Z | 1 | 3*det(Z^3)*inv(Z)'",
            "61  | x'*inv(Z)*y                 | Z | 1 | -inv(Z)'*x*y'*inv(Z)'",
            "141 | logdet(S)                   | S | 1 | inv(S)",
            "S1  | logdet(S) + tr(inv(S)*T)    | S | 1 | inv(S) - inv(S)*T*inv(S)",
            "S2  | x'*inv(S)*x                 | S | 1 | -inv(S)*x*x'*inv(S)",
            "S3  | tr(S*S)                     | S | 1 | 2*S",
            // norms (10.3)
            "130 | norm2(X)^2                  | X | 1 | 2*X",
            "N1  | norm2(x - a)                | x | 1 | (x - a)/norm2(x - a)",
            "N2  | norm2(x)                    | x | 1 | x/norm2(x)",
            "N3  | norm1(x)                    | x | 1 | sign(x)",
            // element-wise and losses
            "E1  | sum(log(x))                 | x | 1 | 1./x",
            "E2  | sum(x.^3)                   | x | 1 | 3*x.^2",
            "E3  | sum(sqrt(x))                | x | 1 | 0.5./sqrt(x)",
            "E4  | sum(exp(X*b))               | b | 1 | X'*exp(X*b)",
            "E5  | log(sum(exp(x)))            | x | 1 | exp(x)/sum(exp(x))",
            "L1  | logsumexp(x)                | x | 1 | softmax(x)",
            "L2  | sum(log(vector(1) + exp(X*b))) | b | 1 | X'*sigmoid(X*b)",
            "L3  | norm2(X*b - y)^2 + s*norm2(b)^2 | b | 1 | 2*X'*(X*b - y) + 2*s*b",
            "L4  | -y'*log(softmax(x))         | x | 1 | sum(y)*softmax(x) - y",
            "L5  | sum(sigmoid(x))             | x | 1 | sigmoid(x).*sigmoid(-x)",
            // the web page's gallery (those not above)
            "G1  | norm2(X*b - y)^2            | b | 1 | 2*X'*(X*b - y)",
            "G2  | -pr'*log(softmax(W*x))      | W | 1 | (softmax(W*x) - pr)*x'",
            "G3  | -pr'*log(softmax(W2*relu(W1*x))) | W1 | 1 | (W2'*(softmax(W2*relu(W1*x)) - pr)).*step(W1*x)*x'",
            "G4  | sum(softplus(-y.*(X*b)))    | b | 1 | -X'*(y.*sigmoid(-y.*(X*b)))",
            "G5  | softmax(Qa*Ka'/sqrt(s), 2)*Va | Va | 1 | kron(eye(k), softmax(Qa*Ka'/sqrt(s), 2))",
            "G6  | (x - mean(x))/sqrt(mean((x - mean(x)).^2) + e) | x | 1 | (eye(n) - vector(1, n)*vector(1, n)'/numel(x))/sqrt(mean((x - mean(x)).^2) + e) - (x - mean(x))*(x - mean(x))'/(numel(x)*sqrt(mean((x - mean(x)).^2) + e)^3)",
            "G7  | -sum(Yb.*log(softmax(X*Wb + vector(1, n)*c', 2))) | Wb | 1 | X'*(sum(Yb, 2).*softmax(X*Wb + vector(1, n)*c', 2) - Yb)",
            "G8  | sum(max(vector(1) - y.*(X*b), 0)) + s*norm2(b)^2 | b | 1 | 2*s*b - X'*(y.*step(vector(1) - y.*(X*b)))",
            "G9  | logsumexp(A*x)              | x | 1 | A'*softmax(A*x)",
            "G10 | inv(Z)                      | Z | 1 | -kron(inv(Z)', inv(Z))",
            "G11 | A*X*B                       | X | 1 | kron(B', A)",
            "G12 | expm(s*Z)                   | s | 1 | Z*expm(s*Z)",
            "G13 | lambda_max(T)               | T | 1 | eigvec_max(T)*eigvec_max(T)'",
            // second order
            "H1  | x'*C*x                      | x | 2 | C + C'",
            "H2  | norm2(A*x - u)^2            | x | 2 | 2*A'*A",
            "H3  | logsumexp(x)                | x | 2 | diag(softmax(x)) - softmax(x)*softmax(x)'",
            "H4  | sum(log(vector(1) + exp(X*b))) | b | 2 | X'*diag(sigmoid(X*b).*sigmoid(-X*b))*X",
            "H5  | tr(X'*C*X)                  | X | 2 | kron(eye(m), C + C')",
            "H6  | sum(exp(x))                 | x | 2 | diag(exp(x))",
    })
    void publishedForms(String eq, String f, String wrt, int order, String byHand) {
        boolean positive = f.contains("log(") && !f.contains("exp") || f.contains("sqrt") || f.contains("logdet");
        Derivative d = order == 1 ? DerivativeCheck.check(f, DECLS, wrt, eq.hashCode(), positive)
                : DerivativeCheck.checkHessian(f, DECLS, wrt, eq.hashCode(), positive);
        Declarations decls = d.declarations();
        // read as every surface reads text: broadcasting written out
        Expr hand = Elaboration.of(byHand, decls).parsed().expr();
        DerivativeCheck.Point p = DerivativeCheck.point(Elaboration.of(f, decls).parsed().expr(), decls, new Random(eq.hashCode() + 11L), positive);
        Mat want = DerivativeCheck.eval(hand, decls, p);
        Mat got = DerivativeCheck.eval(d.expr(), decls, p);
        DerivativeCheck.assertMatClose(want, got, "(" + eq + ") " + f + ": the stated form " + byHand + " against "
                + TextPrinter.print(d.expr()));
        String printed = TextPrinter.print(d.expr());
        double ratio = (double) printed.replace(" ", "").length() / byHand.replace(" ", "").length();
        synchronized (RATIOS) {
            RATIOS.add(eq);
            noLonger += ratio <= 1 ? 1 : 0;
            if (ratio > 1) {
                LONGER.add(String.format("(%s) %s by %s: %s for %s, %.2fx", eq, f, wrt, TextPrinter.print(d.expr()), byHand, ratio));
            }
            if (ratio > worst) {
                worst = ratio;
                worstRow = "(" + eq + ") " + f + " by " + wrt + ": " + printed + " for " + byHand;
            }
        }
        assertTrue(ratio <= KNOWN_LONGER.getOrDefault(eq, 1.5), "(" + eq + ") " + f + " by " + wrt + " prints " + printed + ", "
                + String.format("%.2f", ratio) + " times the stated " + byHand);
    }

    @AfterAll
    static void report() {
        System.out.println("CookbookTest: " + RATIOS.size() + " published forms, " + noLonger + " printed no longer than stated, "
                + "worst printed/stated length "
                + String.format("%.2f", worst) + ": " + worstRow);
        LONGER.forEach(l -> System.out.println("  longer: " + l));
    }
}
