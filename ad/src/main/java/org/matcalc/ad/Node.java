package org.matcalc.ad;

import org.matcalc.expr.Builtin;
import org.matcalc.expr.ScalarFunction;

import org.matcalc.numeric.Mat;
import org.matcalc.numeric.primitives.Primitive;
import org.matcalc.numeric.primitives.Primitives;
import org.matcalc.numeric.MatDual;
import org.matcalc.numeric.MatOps;
import org.matcalc.numeric.Num;

/**
 * A matrix-valued variable on a reverse {@link Tape}. Every operation computes its forward
 * value (a {@link MatDual}) and, right next to it, the adjoint rule that the backward sweep
 * runs: given G = d out / d this-result, it adds to each parent's adjoint. The rules are the
 * transpose rules of the design ({@code A*dX -> A'*G}, {@code dX*B -> G*B'}, ...) and are
 * written in MatDual arithmetic so that they differentiate themselves (forward-over-reverse).
 * The primitives of the language ({@link #call}: logdet, expm, eigvals, ... and their
 * shorthands such as {@link #logdet()}) take both rules from their block in
 * {@code numeric.primitives}; the operations of the tape alone (products, element-wise
 * arithmetic, solve, cholesky, slicing) keep theirs here.
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

    /** The value of this node. */
    public Mat value() {
        return value.value();
    }

    /** The forward-mode tangent (J*v for the variables' tangents v). */
    public Mat tangent() {
        return value.tangent();
    }

    /** The value with its tangent (forward-over-reverse carries one). */
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

    /** The number of rows. */
    public int rows() {
        return value.rows();
    }

    /** The number of columns. */
    public int cols() {
        return value.cols();
    }

    /** Whether the value is 1 x 1. */
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

    /** A constant matrix on this node's tape. */
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

    /**
     * The primitive {@code fn} of the language applied to this node (and {@code others}): its
     * block's forward rule now, its reverse rule in the backward sweep ({@link Primitives}).
     */
    public Node call(Builtin fn, Node... others) {
        Node[] args = new Node[others.length + 1];
        args[0] = this;
        System.arraycopy(others, 0, args, 1, others.length);
        for (Node o : others) {
            if (o.tape != tape) {
                throw new IllegalArgumentException(fn.languageName() + ": operands belong to different tapes");
            }
        }
        Primitive p = Primitives.of(fn);
        MatDual[] xs = new MatDual[args.length];
        boolean[] needs = new boolean[args.length];
        for (int i = 0; i < args.length; i++) {
            xs[i] = args[i].value;
            needs[i] = args[i].needsGrad;
        }
        MatDual y = p.jvp().apply(xs);
        return record(fn.languageName(), y, g -> {
            MatDual[] adj = p.vjp().apply(xs, y, g, needs);
            for (int i = 0; i < args.length; i++) {
                if (needs[i]) {
                    args[i].accumulate(adj[i]);
                }
            }
        }, args);
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

    /** The transpose. */
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
        return record(f.languageName(), y, g -> a.accumulate(av.timesDerivative(g, y, f)), a);
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

    /** Sum of entries (the block of {@code sum}). */
    public Node sum() {
        return call(Builtin.SUM);
    }

    /** Trace (the block of {@code tr}). */
    public Node trace() {
        return call(Builtin.TR);
    }

    /** Frobenius norm; its derivative is undefined at 0. */
    public Node norm2() {
        return call(Builtin.NORM2);
    }

    /** Softmax over all entries. */
    public Node softmax() {
        return call(Builtin.SOFTMAX);
    }

    /** log(sum(exp(A))) over all entries. */
    public Node logsumexp() {
        return call(Builtin.LOGSUMEXP);
    }

    /** sum(A, k): the column sums (k = 1, a row) or the row sums (k = 2, a column). */
    public Node sum(int k) {
        return call(Builtin.SUM_AXIS, axis(k));
    }

    /** softmax(A, k): the softmax of each column (k = 1) or of each row (k = 2, as in attention). */
    public Node softmax(int k) {
        return call(Builtin.SOFTMAX_AXIS, axis(k));
    }

    /** logsumexp(A, k): of each column (k = 1, a row) or of each row (k = 2, a column). */
    public Node logsumexp(int k) {
        return call(Builtin.LOGSUMEXP_AXIS, axis(k));
    }

    /** The largest entry; tied largest entries share the derivative equally. */
    public Node max() {
        return call(Builtin.MAX);
    }

    /** The smallest entry; tied smallest entries share the derivative equally. */
    public Node min() {
        return call(Builtin.MIN);
    }

    /** The element-wise larger of this and {@code other} (either may be a scalar); half to each at a tie. */
    public Node max(Node other) {
        return call(Builtin.MAXIMUM, other);
    }

    /** The element-wise smaller of this and {@code other} (either may be a scalar); half to each at a tie. */
    public Node min(Node other) {
        return call(Builtin.MINIMUM, other);
    }

    private Node axis(int k) {
        if (k != 1 && k != 2) {
            throw new IllegalArgumentException("the dimension must be 1 (down each column) or 2 (along each row), got " + k);
        }
        return constant(k);
    }

    // ---- linear algebra ----

    /** The inverse. */
    public Node inv() {
        return call(Builtin.INV);
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

    /** The determinant; differentiable at singular matrices too (through the adjugate). */
    public Node det() {
        return call(Builtin.DET);
    }

    /** log|det(A)|. */
    public Node logdet() {
        return call(Builtin.LOGDET);
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

    /** Eigenvalues of a symmetric matrix, ascending, as a column. */
    public Node eigvalsSym() {
        return call(Builtin.EIGVALS);
    }

    /** Eigenvectors of a symmetric matrix (columns, in the order of {@link #eigvalsSym()}); eigenvalues must be distinct for their derivative. */
    public Node eigvecsSym() {
        return call(Builtin.EIGVECS);
    }

    // ---- matrix functions (Higham, Functions of Matrices) ----

    /** The matrix exponential. */
    public Node expm() {
        return call(Builtin.EXPM);
    }

    /** L(A, E) = d/dt expm(A + tE) at 0, with A = this. */
    public Node expmFrechet(Node e) {
        return call(Builtin.EXPM_FRECHET, e);
    }

    /** The principal square root of a symmetric positive definite matrix. */
    public Node sqrtm() {
        return call(Builtin.SQRTM);
    }

    /** Y with S Y + Y S = C (S = this, spd). */
    public Node sylvester(Node c) {
        return call(Builtin.SYLVESTER, c);
    }

    // ---- structure: vec, diag, kron, slicing and concatenation ----

    /** vec(A), column-major. */
    public Node vec() {
        return call(Builtin.VEC);
    }

    /** diag as in LANGUAGE.md: a vector gives the diagonal matrix, a square matrix the column of its diagonal. */
    public Node diag() {
        return call(Builtin.DIAG);
    }

    /** The Kronecker product. */
    public Node kron(Node other) {
        return call(Builtin.KRON, other);
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
