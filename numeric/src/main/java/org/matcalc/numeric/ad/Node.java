package org.matcalc.numeric.ad;

import org.matcalc.expr.ScalarFunction;

import org.matcalc.numeric.Kernels;
import org.matcalc.numeric.Mat;

/**
 * A matrix-valued variable on a reverse {@link Tape}. Every operation computes its forward
 * value (a {@link MatDual}) and, right next to it, the adjoint rule that the backward sweep
 * runs: given G = d out / d this-result, it adds to each parent's adjoint. The rules are the
 * transpose rules of DESIGN.md ({@code A*dX -> A'*G}, {@code dX*B -> G*B'}, ...) and are
 * written in MatDual arithmetic so that they differentiate themselves (forward-over-reverse).
 *
 * <p>A 1 x 1 node is a scalar: {@link #times}, {@link #plus}, {@link #minus}, {@link #div}
 * and {@link #hadamard} broadcast a 1 x 1 operand over a matrix. Node is a {@link Num}, so a
 * {@link ScalarProgram} also runs on the tape.
 */
public final class Node implements Num<Node> {
    final Tape tape;
    final String op;
    final MatDual value;
    final boolean needsGrad;
    final Tape.Pullback pullback;
    int index = -1;
    MatDual adjoint;

    Node(Tape tape, String op, MatDual value, boolean needsGrad, Tape.Pullback pullback) {
        this.tape = tape;
        this.op = op;
        this.value = value;
        this.needsGrad = needsGrad;
        this.pullback = pullback;
    }

    // ---- reading results ----

    public Mat value() {
        return value.value();
    }

    /** The forward-mode tangent (J*v for the variables' tangents v). */
    public Mat tangent() {
        return value.tangent();
    }

    public MatDual dual() {
        return value;
    }

    /** The gradient after {@link Tape#backward}: d out / d this, shaped like this. */
    public Mat grad() {
        return adjoint == null ? Mat.zeros(rows(), cols()) : adjoint.value();
    }

    /** The tangent of the gradient after a backward sweep: H*v when the inputs carried v. */
    public Mat gradTangent() {
        return adjoint == null ? Mat.zeros(rows(), cols()) : adjoint.tangent();
    }

    public int rows() {
        return value.rows();
    }

    public int cols() {
        return value.cols();
    }

    public boolean isScalar() {
        return value.isScalar();
    }

    /** The name of the primitive that made this node. */
    public String op() {
        return op;
    }

    @Override
    public double real() {
        return value.value().scalarValue();
    }

    @Override
    public Node constant(double c) {
        return tape.constant(c);
    }

    public Node constant(Mat c) {
        return tape.constant(c);
    }

    /** Adds a contribution to this node's adjoint (the "+=" of reverse mode). */
    void accumulate(MatDual contribution) {
        if (!contribution.value().sameShape(value.value())) {
            throw new IllegalStateException("adjoint of " + op + ": required " + value.shapeString()
                    + ", got " + contribution.shapeString());
        }
        adjoint = adjoint == null ? contribution : adjoint.plus(contribution);
    }

    private Node record(String name, MatDual v, Tape.Pullback pb, Node... parents) {
        return tape.record(name, v, pb, parents);
    }

    /** This 1 x 1 node spread to rows x cols; adjoint: sum(G). */
    public Node broadcast(int rows, int cols) {
        Node a = this;
        return record("broadcast", a.value.broadcast(rows, cols), g -> a.accumulate(g.sum()), a);
    }

    /** Brings a 1 x 1 operand to the other's shape, for element-wise operations. */
    private static Node[] conform(String op, Node a, Node b) {
        if (a.rows() == b.rows() && a.cols() == b.cols()) {
            return new Node[] {a, b};
        }
        if (a.isScalar()) {
            return new Node[] {a.broadcast(b.rows(), b.cols()), b};
        }
        if (b.isScalar()) {
            return new Node[] {a, b.broadcast(a.rows(), a.cols())};
        }
        throw new IllegalArgumentException(op + ": required equal shapes or a 1x1 operand, got "
                + a.value.shapeString() + " and " + b.value.shapeString());
    }

    // ---- linear structure: plus, minus, negate, scale, transpose ----

    @Override
    public Node plus(Node other) {
        Node[] ab = conform("+", this, other);
        Node a = ab[0], b = ab[1];
        return record("plus", a.value.plus(b.value), g -> {
            if (a.needsGrad) a.accumulate(g);
            if (b.needsGrad) b.accumulate(g);
        }, a, b);
    }

    @Override
    public Node minus(Node other) {
        Node[] ab = conform("-", this, other);
        Node a = ab[0], b = ab[1];
        return record("minus", a.value.minus(b.value), g -> {
            if (a.needsGrad) a.accumulate(g);
            if (b.needsGrad) b.accumulate(g.negate());
        }, a, b);
    }

    @Override
    public Node negate() {
        Node a = this;
        return record("negate", a.value.negate(), g -> a.accumulate(g.negate()), a);
    }

    @Override
    public Node times(double c) {
        Node a = this;
        return record("scale", a.value.scale(c), g -> a.accumulate(g.scale(c)), a);
    }

    /** Adds c to every entry. */
    @Override
    public Node plus(double c) {
        Node a = this;
        return record("plusConstant", a.value.plusConstant(c), a::accumulate, a);
    }

    public Node transpose() {
        Node a = this;
        return record("transpose", a.value.transpose(), g -> a.accumulate(g.transpose()), a);
    }

    // ---- products ----

    /**
     * The matrix product; if either side is 1 x 1, scaling instead. Adjoints:
     * {@code Abar += G*B'}, {@code Bbar += A'*G}.
     */
    @Override
    public Node times(Node other) {
        if (isScalar() != other.isScalar()) {
            return hadamard(other);
        }
        Node a = this, b = other;
        if (a.cols() != b.rows()) {
            throw new IllegalArgumentException("*: required " + a.value.shapeString() + " times "
                    + a.cols() + "xN, got " + b.value.shapeString());
        }
        MatDual av = a.value, bv = b.value;
        return record("times", av.times(bv), g -> {
            if (a.needsGrad) a.accumulate(g.timesTranspose(bv));
            if (b.needsGrad) b.accumulate(av.transposeTimes(g));
        }, a, b);
    }

    /** this' * b without forming the transpose. Adjoints: {@code Abar += B*G'}, {@code Bbar += A*G}. */
    public Node transposeTimes(Node other) {
        Node a = this, b = other;
        MatDual av = a.value, bv = b.value;
        return record("transposeTimes", av.transposeTimes(bv), g -> {
            if (a.needsGrad) a.accumulate(bv.timesTranspose(g));
            if (b.needsGrad) b.accumulate(av.times(g));
        }, a, b);
    }

    /** Element-wise product. Adjoints: {@code Abar += G.*B}, {@code Bbar += G.*A}. */
    public Node hadamard(Node other) {
        Node[] ab = conform(".*", this, other);
        Node a = ab[0], b = ab[1];
        MatDual av = a.value, bv = b.value;
        return record("hadamard", av.hadamard(bv), g -> {
            if (a.needsGrad) a.accumulate(g.hadamard(bv));
            if (b.needsGrad) b.accumulate(g.hadamard(av));
        }, a, b);
    }

    /** Element-wise quotient C = A./B. Adjoints: {@code Abar += G./B}, {@code Bbar -= G.*C./B}. */
    @Override
    public Node div(Node other) {
        Node[] ab = conform("./", this, other);
        Node a = ab[0], b = ab[1];
        MatDual av = a.value, bv = b.value;
        MatDual c = av.hadamardDiv(bv);
        return record("div", c, g -> {
            if (a.needsGrad) a.accumulate(g.hadamardDiv(bv));
            if (b.needsGrad) b.accumulate(g.hadamard(c).hadamardDiv(bv).negate());
        }, a, b);
    }

    /** Frobenius inner product sum(A.*B). Adjoints: {@code Abar += g*B}, {@code Bbar += g*A}. */
    public Node dot(Node other) {
        Node a = this, b = other;
        MatDual av = a.value, bv = b.value;
        return record("dot", av.dot(bv), g -> {
            if (a.needsGrad) a.accumulate(bv.scaleBy(g));
            if (b.needsGrad) b.accumulate(av.scaleBy(g));
        }, a, b);
    }

    // ---- element-wise functions ----

    /** f applied entry by entry. Adjoint: {@code Abar += G .* f'(A)}. */
    @Override
    public Node apply(ScalarFunction f) {
        Node a = this;
        MatDual av = a.value;
        MatDual y = av.map(f);
        return record(f.languageName(), y, g -> a.accumulate(g.hadamard(av.mapDerivative(f))), a);
    }

    /** Same as {@link #apply(ScalarFunction)}. */
    public Node map(ScalarFunction f) {
        return apply(f);
    }

    /** Entry-wise power with a constant exponent. Adjoint: {@code Abar += G .* p A.^(p-1)}. */
    @Override
    public Node pow(double p) {
        Node a = this;
        MatDual av = a.value;
        return record("pow", av.pow(p), g -> a.accumulate(g.hadamard(av.powDerivative(p))), a);
    }

    // ---- reductions ----

    /** Sum of entries. Adjoint: {@code Abar += g * ones}. */
    public Node sum() {
        Node a = this;
        return record("sum", a.value.sum(), g -> a.accumulate(g.broadcast(a.rows(), a.cols())), a);
    }

    /** Trace. Adjoint: {@code Abar += g * I}. */
    public Node trace() {
        MatOps.requireSquare("trace", value());
        Node a = this;
        int n = a.rows();
        return record("trace", a.value.trace(), g -> a.accumulate(g.linear(s -> Mat.eye(n).scale(s.scalarValue()))), a);
    }

    /** Frobenius norm. Adjoint: {@code Abar += (g / norm) * A}; undefined at A = 0. */
    public Node norm2() {
        Node a = this;
        MatDual av = a.value;
        MatDual y = av.norm2();
        return record("norm2", y, g -> a.accumulate(av.scaleBy(g.hadamardDiv(y))), a);
    }

    /** Softmax over all entries. Adjoint: {@code Abar += Y .* (G - sum(G.*Y))}. */
    public Node softmax() {
        Node a = this;
        MatDual y = a.value.softmax();
        return record("softmax", y,
                g -> a.accumulate(y.hadamard(g.minus(g.dot(y).broadcast(a.rows(), a.cols())))), a);
    }

    /** log(sum(exp(A))) over all entries. Adjoint: {@code Abar += g * softmax(A)}. */
    public Node logsumexp() {
        Node a = this;
        MatDual av = a.value;
        return record("logsumexp", av.logsumexp(), g -> a.accumulate(av.softmax().scaleBy(g)), a);
    }

    // ---- linear algebra ----

    /** Inverse Y = inv(A). Adjoint: {@code Abar += -Y' G Y'}. */
    public Node inv() {
        Node a = this;
        MatDual y = a.value.inv();
        return record("inv", y, g -> a.accumulate(y.transposeTimes(g).timesTranspose(y).negate()), a);
    }

    /**
     * X = this \ b (solves this*X = b). With S = A' \ G: {@code Bbar += S}, {@code Abar += -S X'}.
     */
    public Node solve(Node b) {
        Node a = this;
        MatDual av = a.value;
        MatDual x = av.solve(b.value);
        return record("solve", x, g -> {
            MatDual s = av.transpose().solve(g);
            if (b.needsGrad) b.accumulate(s);
            if (a.needsGrad) a.accumulate(s.timesTranspose(x).negate());
        }, a, b);
    }

    /** Determinant d. Adjoint: {@code Abar += g d inv(A)'}. */
    public Node det() {
        Node a = this;
        MatDual av = a.value;
        MatDual d = av.det();
        return record("det", d, g -> a.accumulate(av.inv().transpose().scaleBy(g.hadamard(d))), a);
    }

    /** log|det(A)|. Adjoint: {@code Abar += g inv(A)'}. */
    public Node logdet() {
        Node a = this;
        MatDual av = a.value;
        return record("logdet", av.logdet(), g -> a.accumulate(av.inv().transpose().scaleBy(g)), a);
    }

    /**
     * Lower Cholesky factor L of a symmetric positive definite A (reads A's lower triangle).
     * Adjoint (Murray 2016): {@code Abar += sym(L^-T Phi(L' G) L^-1)}, symmetrised because
     * A is symmetric.
     */
    public Node cholesky() {
        Node a = this;
        MatDual l = a.value.cholesky();
        return record("cholesky", l, g -> {
            MatDual p = l.transposeTimes(g).linear(MatOps::lowerHalfDiag);
            MatDual lt = l.transpose();
            MatDual s = lt.solve(p);                        // L^-T P
            MatDual abar = lt.solve(s.transpose()).transpose(); // L^-T P L^-1
            a.accumulate(abar.linear(MatOps::symmetrize));
        }, a);
    }

    /**
     * Eigenvalues of a symmetric matrix, ascending, as a column. With A = V diag(lambda) V':
     * {@code Abar += V diag(G) V'}. For second order V's tangent is
     * {@code dV = V (F .* (V' dA V))}, {@code F_ij = 1/(lambda_j - lambda_i)}: eigenvalues must be
     * distinct there.
     */
    public Node eigvalsSym() {
        Node a = this;
        Kernels.EigenSym lv = Kernels.eigSym(value());
        Mat lam = lv.values(), vec = lv.vectors();
        MatDual values;
        MatDual vectors;
        if (a.value.hasTangent()) {
            Mat m = vec.transposeTimes(a.value.tangent()).times(vec);
            int n = lam.size();
            double[] f = new double[n * n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    f[i * n + j] = i == j ? 0 : 1 / (lam.at(j) - lam.at(i)); // +Inf for repeated eigenvalues
                }
            }
            values = new MatDual(lam, MatOps.diagOf(m));
            vectors = new MatDual(vec, vec.times(Mat.rowMajor(n, n, f).hadamard(m)));
        } else {
            values = MatDual.constant(lam);
            vectors = MatDual.constant(vec);
        }
        return record("eigvalsSym", values,
                g -> a.accumulate(vectors.times(g.linear(MatOps::diag)).timesTranspose(vectors)), a);
    }

    /**
     * Eigenvectors (columns, in the order of {@link #eigvalsSym()}, each with its largest entry
     * positive) of a symmetric matrix. With {@code F_ij = 1/(lambda_j - lambda_i)} (0 on the
     * diagonal): forward {@code dV = V (F .* (V' dA V))}; adjoint
     * {@code Abar += sym(V (F .* (V' G)) V')}. Eigenvalues must be distinct (F is +Inf otherwise).
     */
    public Node eigvecsSym() {
        Node a = this;
        Kernels.EigenSym lv = Kernels.eigSym(value());
        Mat lam = lv.values(), vec = lv.vectors();
        int n = lam.size();
        double[] f = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                f[i * n + j] = i == j ? 0 : 1 / (lam.at(j) - lam.at(i));
            }
        }
        Mat fm = Mat.rowMajor(n, n, f);
        MatDual vectors;
        MatDual gaps;
        if (a.value.hasTangent()) {
            Mat m = vec.transposeTimes(a.value.tangent()).times(vec);
            // dF_ij = -(dlambda_j - dlambda_i) F_ij^2, with dlambda = diag(V' dA V)
            double[] df = new double[n * n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    df[i * n + j] = i == j ? 0 : -(m.get(j, j) - m.get(i, i)) * f[i * n + j] * f[i * n + j];
                }
            }
            vectors = new MatDual(vec, vec.times(fm.hadamard(m)));
            gaps = new MatDual(fm, Mat.rowMajor(n, n, df));
        } else {
            vectors = MatDual.constant(vec);
            gaps = MatDual.constant(fm);
        }
        return record("eigvecsSym", vectors, g -> a.accumulate(
                vectors.times(gaps.hadamard(vectors.transposeTimes(g))).timesTranspose(vectors).linear(MatOps::symmetrize)), a);
    }

    // ---- matrix functions (Higham, Functions of Matrices) ----

    /**
     * The matrix exponential. Adjoint: {@code Abar += L(A', G)}, the Frechet derivative at A'
     * in direction G (for any f with a power series, &lt;G, L(A, E)&gt; = &lt;L(A', G), E&gt;).
     */
    public Node expm() {
        Node a = this;
        MatDual av = a.value;
        return record("expm", av.expm(), g -> a.accumulate(av.transpose().expmFrechet(g)), a);
    }

    /**
     * L(A, E) = d/dt expm(A + tE) at 0, with A = this. With M = [[A, E], [0, A]] it is the
     * (1,2) block of expm(M), so with P = L(M', [[0, G], [0, 0]]):
     * {@code Abar += P11 + P22}, {@code Ebar += P12}.
     */
    public Node expmFrechet(Node e) {
        Node a = this;
        MatDual av = a.value, ev = e.value;
        int n = a.rows();
        return record("expmFrechet", av.expmFrechet(ev), g -> {
            MatDual z = MatDual.constant(Mat.zeros(n, n));
            MatDual mt = av.transpose().hcat(z).vcat(ev.transpose().hcat(av.transpose()));
            MatDual p = mt.expmFrechet(z.hcat(g).vcat(z.hcat(z)));
            if (a.needsGrad) a.accumulate(p.slice(0, n, 0, n).plus(p.slice(n, 2 * n, n, 2 * n)));
            if (e.needsGrad) e.accumulate(p.slice(0, n, n, 2 * n));
        }, a, e);
    }

    /**
     * The principal square root R of a symmetric positive definite matrix. R dR + dR R = dS,
     * and X -> R X + X R is self-adjoint, so {@code Sbar += sylvester(R, G)}.
     */
    public Node sqrtm() {
        Node a = this;
        MatDual r = a.value.sqrtm();
        return record("sqrtm", r, g -> a.accumulate(r.sylvester(g)), a);
    }

    /**
     * Y with S Y + Y S = C (S = this, spd). With Cbar = sylvester(S, G):
     * {@code Cbar}, and {@code Sbar += -(Cbar Y' + Y' Cbar)} from dY = sylvester(S, -(dS Y + Y dS)).
     */
    public Node sylvester(Node c) {
        Node s = this;
        MatDual sv = s.value;
        MatDual y = sv.sylvester(c.value);
        return record("sylvester", y, g -> {
            MatDual cbar = sv.sylvester(g);
            if (c.needsGrad) c.accumulate(cbar);
            if (s.needsGrad) s.accumulate(cbar.timesTranspose(y).plus(y.transposeTimes(cbar)).negate());
        }, s, c);
    }

    // ---- structure: vec, diag, kron, slicing and concatenation ----

    /** vec(A), column-major. Adjoint: G reshaped to A's shape. */
    public Node vec() {
        Node a = this;
        int r = a.rows(), c = a.cols();
        return record("vec", a.value.vec(), g -> a.accumulate(g.linear(m -> Mat.unvec(m, r, c))), a);
    }

    /**
     * diag as in LANGUAGE.md: a vector gives the diagonal matrix, a square matrix the column of
     * its diagonal, a 1 x 1 matrix itself. Adjoints: the diagonal of G (shaped like the
     * vector), or the diagonal matrix of g.
     */
    public Node diag() {
        Node a = this;
        int r = a.rows(), c = a.cols();
        if (r == 1 && c == 1) {
            return a;
        }
        if (r == 1 || c == 1) {
            return record("diag", a.value.linear(Kernels::diag),
                    g -> a.accumulate(g.linear(m -> Mat.unvec(MatOps.diagOf(m), r, c))), a);
        }
        MatOps.requireSquare("diag", value());
        return record("diag", a.value.linear(Kernels::diag), g -> a.accumulate(g.linear(MatOps::diag)), a);
    }

    /**
     * The Kronecker product. Bilinear: {@code Abar_ij += <G_ij, B>} and
     * {@code Bbar += sum_ij a_ij G_ij}, G_ij the (i, j) block of G (MatOps.kronAdjointLeft/Right).
     */
    public Node kron(Node other) {
        Node a = this, b = other;
        MatDual av = a.value, bv = b.value;
        int ra = a.rows(), ca = a.cols(), rb = b.rows(), cb = b.cols();
        return record("kron", av.kron(bv), g -> {
            if (a.needsGrad) a.accumulate(g.bilinear(bv, (gg, bb) -> MatOps.kronAdjointLeft(gg, bb, ra, ca)));
            if (b.needsGrad) b.accumulate(g.bilinear(av, (gg, aa) -> MatOps.kronAdjointRight(gg, aa, rb, cb)));
        }, a, b);
    }



    /** Rows r0..r1-1 and columns c0..c1-1. Adjoint: G placed into a zero matrix of A's shape. */
    public Node slice(int r0, int r1, int c0, int c1) {
        Node a = this;
        return record("slice", a.value.slice(r0, r1, c0, c1),
                g -> a.accumulate(g.embed(a.rows(), a.cols(), r0, c0)), a);
    }

    /** Entry (i, j) as a 1 x 1 node. */
    public Node get(int i, int j) {
        return slice(i, i + 1, j, j + 1);
    }

    /** [this, b]. Adjoint: G split by columns. */
    public Node hcat(Node b) {
        Node a = this;
        int ca = a.cols();
        return record("hcat", a.value.hcat(b.value), g -> {
            if (a.needsGrad) a.accumulate(g.slice(0, g.rows(), 0, ca));
            if (b.needsGrad) b.accumulate(g.slice(0, g.rows(), ca, g.cols()));
        }, a, b);
    }

    /** [this; b]. Adjoint: G split by rows. */
    public Node vcat(Node b) {
        Node a = this;
        int ra = a.rows();
        return record("vcat", a.value.vcat(b.value), g -> {
            if (a.needsGrad) a.accumulate(g.slice(0, ra, 0, g.cols()));
            if (b.needsGrad) b.accumulate(g.slice(ra, g.rows(), 0, g.cols()));
        }, a, b);
    }

    @Override
    public String toString() {
        return op + " " + value.shapeString() + " = " + value.value();
    }
}
