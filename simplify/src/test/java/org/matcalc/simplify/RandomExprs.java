package org.matcalc.simplify;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.matcalc.expr.BinaryOp;
import org.matcalc.expr.Builtin;
import org.matcalc.expr.Decl;
import org.matcalc.expr.Declarations;
import org.matcalc.expr.Expr;
import org.matcalc.expr.ScalarFunction;
import org.matcalc.expr.Size;

/**
 * Seeded random well-typed expressions over every node kind, every operator, every Builtin and
 * every ScalarFunction, with sizes n, m, p (distinct, so transposition mistakes show).
 *
 * <p>Each expression is generated for a wanted shape and a domain: where a function needs
 * positive arguments (log, sqrt, ./, negative powers) the argument is generated positive
 * (positive variables, exp, sigmoid, softmax, sums and products of positives); open-interval
 * functions get sigmoid or sin arguments; inv, logdet, sqrtm get spd arguments; eigenvalue
 * functions get symmetric ones. Variables are declared by name: {@code s1} scalar,
 * {@code v1_n} vector(n), {@code M1_n_m} matrix(n, m), {@code P...} positive versions,
 * {@code S1_n} spd(n), {@code T1_n} symmetric(n), {@code D1_n} diagonal(n).
 */
final class RandomExprs {
    static final Size ONE = Size.ONE;

    final Random rnd;
    final Size n = Size.sym("n"), m = Size.sym("m"), p = Size.sym("p");
    private final Size[] sizes = {ONE, n, m, p};
    final Map<String, Decl> decls = new LinkedHashMap<>();

    RandomExprs(Random rnd) {
        this.rnd = rnd;
    }

    Declarations declarations() {
        return Declarations.of(decls);
    }

    private Size anySize() {
        return sizes[rnd.nextInt(sizes.length)];
    }

    private Size squareSize() {
        return sizes[1 + rnd.nextInt(3)];
    }

    private boolean chance(double q) {
        return rnd.nextDouble() < q;
    }

    // ---- leaves ----------------------------------------------------------------------------

    private Expr variable(Size r, Size c, boolean positive) {
        int k = 1 + rnd.nextInt(2);
        String pre = positive ? "P" : "";
        if (r.isOne() && c.isOne()) {
            return declare(pre + "s" + k, Decl.scalar());
        }
        if (c.isOne()) {
            return declare(pre + "v" + k + "_" + r, Decl.vector(r));
        }
        if (r.isOne()) {
            return new Expr.Transpose(declare(pre + "v" + k + "_" + c, Decl.vector(c)));
        }
        if (!positive && r.equals(c) && chance(0.3)) {
            String kind = new String[] {"spd", "symmetric", "diagonal", "orthogonal"}[rnd.nextInt(4)];
            String name = kind.substring(0, 1).toUpperCase() + k + "_" + r;
            return declare(name, Decl.parse(name, kind + "(" + r + ")"));
        }
        return declare(pre + "M" + k + "_" + r + "_" + c, Decl.matrix(r, c));
    }

    private Expr declare(String name, Decl d) {
        decls.put(name, d);
        return new Expr.Var(name);
    }

    static boolean isPositiveName(String name) {
        return name.startsWith("P");
    }

    private Expr leaf(Size r, Size c, boolean positive) {
        boolean scalar = r.isOne() && c.isOne();
        double q = rnd.nextDouble();
        if (scalar && q < 0.3) {
            double[] nums = positive ? new double[] {1, 2, 0.5, 3} : new double[] {1, 2, 0.5, -1, 0, 3};
            return new Expr.Num(nums[rnd.nextInt(nums.length)]);
        }
        if (!scalar && q < 0.12) {
            double v = positive ? 1 + rnd.nextInt(2) : rnd.nextInt(3);
            Expr value = new Expr.Num(v);
            return c.isOne() ? new Expr.Fill(value, false, r, null) : new Expr.Fill(value, true, r, c);
        }
        if (!scalar && !positive && q < 0.18) {
            return new Expr.Zeros(r, c);
        }
        if (!scalar && !positive && r.equals(c) && q < 0.26) {
            return new Expr.Identity(r);
        }
        return variable(r, c, positive);
    }

    // ---- expressions of a wanted shape -------------------------------------------------------

    Expr gen(Size r, Size c, int depth, boolean positive) {
        if (depth <= 0 || chance(0.2)) {
            return leaf(r, c, positive);
        }
        boolean scalar = r.isOne() && c.isOne();
        boolean square = r.equals(c) && !r.isOne();
        int d = depth - 1;
        for (int tries = 0; tries < 20; tries++) {
            switch (rnd.nextInt(25)) {
                case 0:
                    return bin(BinaryOp.ADD, gen(r, c, d, positive), gen(r, c, d, positive));
                case 1:
                    if (!positive) {
                        return bin(BinaryOp.SUB, gen(r, c, d, false), gen(r, c, d, false));
                    }
                    break;
                case 2: {
                    Size k = anySize();
                    if (k.isOne() && r.isOne() && !c.isOne()) {
                        break; // (1x1)*(1xc) is a scalar times a row: fine, but covered by case 3
                    }
                    return bin(BinaryOp.MUL, gen(r, k, d, positive), gen(k, c, d, positive));
                }
                case 3:
                    return chance(0.5) ? bin(BinaryOp.MUL, gen(ONE, ONE, d, positive), gen(r, c, d, positive))
                            : bin(BinaryOp.MUL, gen(r, c, d, positive), gen(ONE, ONE, d, positive));
                case 4:
                    return bin(BinaryOp.DIV, gen(r, c, d, positive), gen(ONE, ONE, d, true));
                case 5:
                    if (!positive) {
                        return new Expr.Neg(gen(r, c, d, false));
                    }
                    break;
                case 6:
                    return new Expr.Transpose(gen(c, r, d, positive));
                case 7:
                    return bin(BinaryOp.HADAMARD, gen(r, c, d, positive), gen(r, c, d, positive));
                case 8:
                    return bin(BinaryOp.HADAMARD_DIV, gen(r, c, d, positive), gen(r, c, d, true));
                case 9:
                    if (scalar) {
                        return chance(0.5) ? bin(BinaryOp.POW, gen(ONE, ONE, d, positive), new Expr.Num(2))
                                : bin(BinaryOp.POW, gen(ONE, ONE, d, true), new Expr.Num(chance(0.5) ? -1 : 0.5));
                    }
                    if (square) {
                        return bin(BinaryOp.POW, gen(r, r, d, positive), new Expr.Num(2));
                    }
                    break;
                case 10:
                    return bin(BinaryOp.ELEM_POW, gen(r, c, d, true), chance(0.5) ? new Expr.Num(2) : new Expr.Num(0.5));
                case 11:
                    return elementwise(r, c, d, positive);
                case 12:
                    if (scalar) {
                        return reduction(d, positive);
                    }
                    break;
                case 13:
                    if (square && !positive) {
                        return spd(r, d);
                    }
                    break;
                case 14:
                    if (square && !positive) {
                        return new Expr.Call(Builtin.EXPM, List.of(bin(BinaryOp.HADAMARD, new Expr.Fill(new Expr.Num(0.5), true, null, null),
                                new Expr.Elementwise(ScalarFunction.SIN, gen(r, r, d, false)))));
                    }
                    break;
                case 15:
                    if (c.isOne() && !r.isOne()) {
                        if (chance(0.5)) {
                            return new Expr.Call(Builtin.SOFTMAX, List.of(gen(r, ONE, d, false)));
                        }
                        if (!positive) {
                            return chance(0.5) ? new Expr.Call(Builtin.DIAG, List.of(gen(r, r, d, false)))
                                    : new Expr.Call(Builtin.EIGVALS, List.of(symmetric(r, d)));
                        }
                    }
                    break;
                case 16:
                    if (square && !positive) {
                        return new Expr.Call(Builtin.DIAG, List.of(gen(r, ONE, d, positive)));
                    }
                    break;
                case 17:
                    return new Expr.Call(Builtin.KRON, List.of(gen(ONE, ONE, d, positive), gen(r, c, d, positive)));
                case 18:
                    if (!positive) {
                        // context-sized constants: eye, vector(c), matrix(c)
                        Expr x = gen(r, c, d, false);
                        if (square && chance(0.5)) {
                            return bin(BinaryOp.MUL, x, new Expr.Identity(null));
                        }
                        if (!scalar) {
                            return bin(BinaryOp.ADD, x, new Expr.Fill(new Expr.Num(1), !c.isOne(), null, null));
                        }
                        return x;
                    }
                    break;
                case 19:
                    if (c.isOne() && !r.isOne() && !positive) {
                        // vec of a matrix with rows r: vec(M) with M r x 1 is the vector itself
                        return new Expr.Call(Builtin.VEC, List.of(gen(r, ONE, d, false)));
                    }
                    if (r.isOne() && !c.isOne()) {
                        return new Expr.Transpose(new Expr.Call(Builtin.VEC, List.of(gen(ONE, c, d, positive))));
                    }
                    break;
                case 20:
                    if (square && !positive) {
                        return new Expr.Call(Builtin.INV, List.of(spd(r, d)));
                    }
                    break;
                case 21:
                    if (square && !positive) {
                        return new Expr.Call(Builtin.SQRTM, List.of(spd(r, d)));
                    }
                    break;
                case 22:
                    if (square && !positive) {
                        switch (rnd.nextInt(3)) {
                            case 0:
                                // eigenvectors only of a declared symmetric matrix: distinct eigenvalues
                                return new Expr.Call(Builtin.EIGVECS, List.of(symmetric(r, 0)));
                            case 1:
                                return new Expr.Call(Builtin.SYLVESTER, List.of(spd(r, d), gen(r, r, d, false)));
                            default:
                                return new Expr.Call(Builtin.EXPM_FRECHET, List.of(bin(BinaryOp.HADAMARD,
                                        new Expr.Fill(new Expr.Num(0.5), true, null, null),
                                        new Expr.Elementwise(ScalarFunction.SIN, gen(r, r, d, false))), gen(r, r, d, false)));
                        }
                    }
                    break;
                case 23:
                    if (c.isOne() && !r.isOne() && !positive) {
                        return new Expr.Call(chance(0.5) ? Builtin.EIGVEC_MAX : Builtin.EIGVEC_MIN, List.of(symmetric(r, 0)));
                    }
                    break;
                case 24:
                    if (square && !positive) {
                        Expr call = squareCall(r, d);
                        if (call != null) {
                            return call;
                        }
                    }
                    break;
                default:
                    break;
            }
        }
        return leaf(r, c, positive);
    }

    /**
     * A primitive of the registry whose result is shaped like its square argument(s), with each
     * argument drawn from the domain the registry gives it (so a new primitive is generated
     * without a line here); null if there is none.
     */
    private Expr squareCall(Size n, int d) {
        List<Builtin> fits = new java.util.ArrayList<>();
        for (Builtin b : Builtin.values()) {
            if ((b.arguments() == Builtin.Args.SQUARE || b.arguments() == Builtin.Args.SQUARE_PAIR)
                    && b.resultShape(java.util.Collections.nCopies(b.arity(), new org.matcalc.expr.Shape(n, n))).rows().equals(n)
                    && !b.resultShape(java.util.Collections.nCopies(b.arity(), new org.matcalc.expr.Shape(n, n))).isVector()) {
                fits.add(b);
            }
        }
        if (fits.isEmpty()) {
            return null;
        }
        Builtin b = fits.get(rnd.nextInt(fits.size()));
        List<Expr> args = new java.util.ArrayList<>();
        for (int i = 0; i < b.arity(); i++) {
            args.add(argument(b.domain(i), n, d));
        }
        return new Expr.Call(b, args);
    }

    /** A square argument from a registry domain. */
    private Expr argument(Builtin.Domain domain, Size n, int d) {
        return switch (domain) {
            case SPD, WELL_CONDITIONED -> spd(n, d);
            case SYMMETRIC -> symmetric(n, 0); // a declared symmetric matrix: distinct eigenvalues
            case SQUARE -> bin(BinaryOp.HADAMARD, new Expr.Fill(new Expr.Num(0.5), true, null, null),
                    new Expr.Elementwise(ScalarFunction.SIN, gen(n, n, d, false)));
            case ANY, NONZERO -> gen(n, n, d, false);
        };
    }

    private Expr elementwise(Size r, Size c, int d, boolean positive) {
        ScalarFunction[] all = ScalarFunction.values();
        for (int tries = 0; tries < 20; tries++) {
            ScalarFunction f = all[rnd.nextInt(all.length)];
            boolean positiveResult = f == ScalarFunction.EXP || f == ScalarFunction.SIGMOID || f == ScalarFunction.SOFTPLUS
                    || f == ScalarFunction.COSH || f == ScalarFunction.ARCCOS;
            if (positive && !positiveResult) {
                continue;
            }
            Expr arg;
            switch (f.domain()) {
                case POSITIVE:
                    arg = gen(r, c, d, true);
                    break;
                case OPEN_UNIT:
                    arg = bin(BinaryOp.HADAMARD, new Expr.Elementwise(ScalarFunction.SIGMOID, gen(r, c, d, false)),
                            new Expr.Elementwise(ScalarFunction.SIGMOID, gen(r, c, d, false)));
                    break;
                case NEAR_ZERO:
                    arg = new Expr.Elementwise(ScalarFunction.SIN, gen(r, c, d, false));
                    break;
                default:
                    arg = gen(r, c, d, false);
                    break;
            }
            if (f == ScalarFunction.EXP || f == ScalarFunction.SINH || f == ScalarFunction.COSH) {
                arg = new Expr.Elementwise(ScalarFunction.TANH, arg); // keep exp(exp(..)) finite
            }
            return new Expr.Elementwise(f, arg);
        }
        return new Expr.Elementwise(ScalarFunction.EXP, new Expr.Elementwise(ScalarFunction.TANH, gen(r, c, d, false)));
    }

    /** A scalar from a reduction or from a structured product (vec, kron, commutation). */
    private Expr reduction(int d, boolean positive) {
        Size r = anySize(), c = anySize();
        Size s = squareSize();
        for (int tries = 0; tries < 20; tries++) {
            switch (rnd.nextInt(12)) {
                case 0:
                    return new Expr.Call(Builtin.SUM, List.of(gen(r, c, d, positive)));
                case 1:
                    if (!positive) {
                        return new Expr.Call(Builtin.NORM1, List.of(gen(r, c, d, false)));
                    }
                    break;
                case 2:
                    if (!positive) {
                        return new Expr.Call(Builtin.NORM2, List.of(gen(r, c, d, false)));
                    }
                    break;
                case 3:
                    return new Expr.Call(Builtin.TR, List.of(gen(s, s, d, positive)));
                case 4:
                    return positive ? new Expr.Call(Builtin.DET, List.of(spd(s, d)))
                            : new Expr.Call(Builtin.DET, List.of(gen(s, s, d, false)));
                case 5:
                    if (!positive) {
                        return new Expr.Call(Builtin.LOGDET, List.of(spd(s, d)));
                    }
                    break;
                case 6:
                    if (!positive) {
                        return new Expr.Call(Builtin.LOGSUMEXP, List.of(gen(r, c, d, false)));
                    }
                    break;
                case 7:
                    return new Expr.Call(chance(0.5) ? Builtin.LAMBDA_MAX : Builtin.LAMBDA_MIN,
                            List.of(positive ? spd(s, d) : symmetric(s, d)));
                case 8:
                    return bin(BinaryOp.MUL, new Expr.Transpose(new Expr.Call(Builtin.VEC, List.of(gen(r, c, d, positive)))),
                            new Expr.Call(Builtin.VEC, List.of(gen(r, c, d, positive))));
                case 9:
                    return new Expr.Call(Builtin.SUM, List.of(new Expr.Call(Builtin.KRON,
                            List.of(gen(r, c, d, positive), gen(c, s, d, positive)))));
                case 10:
                    return bin(BinaryOp.MUL, bin(BinaryOp.MUL,
                            new Expr.Transpose(new Expr.Call(Builtin.VEC, List.of(gen(c, r, d, positive)))),
                            new Expr.Commutation(r, c)),
                            new Expr.Call(Builtin.VEC, List.of(gen(r, c, d, positive))));
                case 11:
                    if (!positive) {
                        // inner product of column vectors, the most common scalar in derivatives
                        return bin(BinaryOp.MUL, new Expr.Transpose(gen(s, ONE, d, false)), gen(s, ONE, d, false));
                    }
                    break;
                default:
                    break;
            }
        }
        return leaf(ONE, ONE, positive);
    }

    /** A symmetric positive definite matrix expression. */
    Expr spd(Size s, int d) {
        switch (d <= 0 ? 0 : rnd.nextInt(6)) {
            case 1: {
                Expr x = gen(s, anySize(), d - 1, false);
                return bin(BinaryOp.ADD, bin(BinaryOp.MUL, x, new Expr.Transpose(x)), new Expr.Identity(s));
            }
            case 2:
                return bin(BinaryOp.ADD, spd(s, d - 1), spd(s, d - 1));
            case 3:
                return new Expr.Call(Builtin.INV, List.of(spd(s, d - 1)));
            case 4:
                return bin(BinaryOp.MUL, new Expr.Num(2), spd(s, d - 1));
            case 5:
                return new Expr.Transpose(spd(s, d - 1));
            default: {
                String name = "S" + (1 + rnd.nextInt(2)) + "_" + s;
                return declare(name, Decl.parse(name, "spd(" + s + ")"));
            }
        }
    }

    /** A symmetric matrix expression. */
    private Expr symmetric(Size s, int d) {
        switch (d <= 0 ? 0 : rnd.nextInt(4)) {
            case 1: {
                Expr a = gen(s, s, d - 1, false);
                return bin(BinaryOp.ADD, a, new Expr.Transpose(a));
            }
            case 2:
                return spd(s, d - 1);
            case 3: {
                Expr x = gen(s, anySize(), d - 1, false);
                return bin(BinaryOp.MUL, x, new Expr.Transpose(x));
            }
            default: {
                String name = "T" + (1 + rnd.nextInt(2)) + "_" + s;
                return declare(name, Decl.parse(name, "symmetric(" + s + ")"));
            }
        }
    }

    private static Expr bin(BinaryOp op, Expr l, Expr r) {
        return new Expr.Binary(op, l, r);
    }
}
