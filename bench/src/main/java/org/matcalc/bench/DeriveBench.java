package org.matcalc.bench;

import java.util.concurrent.TimeUnit;

import org.matcalc.diff.Derivatives;
import org.matcalc.diff.Layout;
import org.matcalc.expr.Declarations;
import org.matcalc.expr.Expr;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time to differentiate and simplify each worked example, warm: parse, type, linearise,
 * transpose, simplify (what {@code matcalc derive} does per request, without printing).
 * Run: {@code java -jar bench/target/benchmarks.jar DeriveBench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DeriveBench {
    @Param({"quadratic", "traceXAX", "bilinear", "leastSquares", "softmaxRegression", "covarianceMle", "twoLayerNet",
            "logistic", "traceChain", "logdetInv", "expm", "hessianQuadratic"})
    public String example;

    private Examples.Case c;

    @Setup
    public void setup() {
        c = Examples.byName(example);
    }

    @Benchmark
    public Object derive() {
        Expr f = Expr.parse(c.expression());
        return Derivatives.derive(f, c.decls(), c.wrt(), c.order(), Layout.MIXED);
    }

    /** The examples, shared with {@link OutputSize}. */
    static final class Examples {
        record Case(String name, String expression, String declarations, String wrt, int order) {
            Declarations decls() {
                return Declarations.fromLines(declarations);
            }
        }

        static final Case[] ALL = {
            new Case("quadratic", "x'*A*x", "", "x", 1),
            new Case("traceXAX", "tr(X'*A*X)", "X: matrix(n,m); A: matrix(n)", "X", 1),
            new Case("bilinear", "a'*X*b", "a: vector(n); X: matrix(n,m); b: vector(m)", "X", 1),
            new Case("leastSquares", "norm2(X*w - y)^2", "X: matrix(n,m); w: vector(m); y: vector(n)", "w", 1),
            new Case("softmaxRegression", "-y'*log(softmax(W*x))", "W: matrix(k,m); x: vector(m); y: vector(k)", "W", 1),
            new Case("covarianceMle", "logdet(S) + tr(inv(S)*C)", "S: spd(n); C: symmetric(n)", "S", 1),
            new Case("twoLayerNet", "-y'*log(softmax(W2*sigmoid(W1*x)))", "W1: matrix(h,m); W2: matrix(k,h); x: vector(m); y: vector(k)", "W1", 1),
            new Case("logistic", "sum(log(exp(-y.*(X*w)) + vector(1)))", "X: matrix(n,m); w: vector(m); y: vector(n)", "w", 1),
            new Case("traceChain", "tr(A*X'*B*X*C)", "A: matrix(p,m); X: matrix(n,m); B: matrix(n); C: matrix(m,p)", "X", 1),
            new Case("logdetInv", "log(det(inv(X)))", "X: matrix(n)", "X", 1),
            new Case("expm", "tr(expm(X)*A)", "X: matrix(n); A: matrix(n)", "X", 1),
            new Case("hessianQuadratic", "norm2(X*w - y)^2 + 0.1*w'*w", "X: matrix(n,m); w: vector(m); y: vector(n)", "w", 2),
        };

        static Case byName(String name) {
            for (Case c : ALL) {
                if (c.name().equals(name)) {
                    return c;
                }
            }
            throw new IllegalArgumentException(name);
        }
    }
}
