package org.matcalc.ad;

import java.util.ArrayList;
import java.util.List;

import org.matcalc.numeric.Mat;
import org.matcalc.numeric.MatDual;

/**
 * The reverse-mode tape: running ordinary Java code on {@link Node}s appends each primitive
 * with its adjoint rule; {@link #backward(Node)} then sweeps the tape once from the output
 * back, accumulating adjoints with += (micrograd's scheme, but iterative: creation order is
 * a topological order, so a deep tape cannot overflow the stack).
 *
 * <p>Values are {@link MatDual}s. Give a variable a tangent v and the forward run computes
 * J*v as it goes (forward mode); the backward sweep, done in the same dual arithmetic, yields
 * the gradient and, in the adjoints' tangents, H*v (forward-over-reverse).
 *
 * <pre>{@code
 * Tape tape = new Tape();
 * Node x = tape.variable(Mat.column(1, 2, 3));
 * Node f = x.norm2().pow(-1);
 * tape.backward(f);
 * Mat g = x.grad();
 * }</pre>
 *
 * A tape is for one thread and one evaluation; make a new one per call.
 */
public final class Tape {
    /** An adjoint rule: given the output's adjoint G, adds contributions to the parents'. */
    @FunctionalInterface
    interface Pullback {
        void apply(MatDual g);
    }

    private final ArrayList<Node> nodes = new ArrayList<>();
    private final boolean recording;

    /** An empty tape that records. */
    public Tape() {
        this(true);
    }

    private Tape(boolean recording) {
        this.recording = recording;
    }

    /**
     * A tape that records nothing: variables carry tangents only, so a program runs in pure
     * forward mode (matrix duals) with no memory held for a backward sweep.
     */
    public static Tape forwardOnly() {
        return new Tape(false);
    }

    /** Whether operations are recorded for a backward sweep. */
    public boolean isRecording() {
        return recording;
    }

    /** An input to differentiate by. */
    public Node variable(Mat x) {
        return variable(x, null);
    }

    /** An input with a tangent (direction) for forward mode and Hessian-vector products. */
    public Node variable(Mat x, Mat tangent) {
        Node n = new Node(this, "variable", new MatDual(x, tangent), recording, null);
        if (recording) {
            add(n);
        }
        return n;
    }

    /** A constant matrix on this tape. */
    public Node constant(Mat x) {
        return new Node(this, "constant", MatDual.constant(x), false, null);
    }

    /** A constant scalar on this tape. */
    public Node constant(double x) {
        return constant(Mat.scalar(x));
    }

    /** Appends a node computed from {@code parents}; records it only if some parent needs a gradient. */
    Node record(String op, MatDual value, Pullback pullback, Node... parents) {
        boolean needs = false;
        for (Node p : parents) {
            if (p.tape != this) {
                throw new IllegalArgumentException(op + ": operands belong to different tapes");
            }
            needs |= p.needsGrad;
        }
        Node n = new Node(this, op, value, needs, needs ? pullback : null);
        if (needs) {
            add(n);
        }
        return n;
    }

    private void add(Node n) {
        n.index = nodes.size();
        nodes.add(n);
    }

    /** Reverse sweep from a 1 x 1 output with seed 1: afterwards {@link Node#grad()} is d out / d node. */
    public void backward(Node out) {
        if (!out.value.isScalar()) {
            throw new IllegalArgumentException("backward: required a 1x1 output, got " + out.value.shapeString()
                    + "; pass a seed for a vector-Jacobian product");
        }
        backward(out, MatDual.constant(Mat.scalar(1)));
    }

    /** Reverse sweep with seed w (shaped like out): afterwards node adjoints hold w' * J. */
    public void backward(Node out, Mat seed) {
        backward(out, MatDual.constant(seed));
    }

    /** Reverse sweep with a dual seed: the tangent of the seed contributes its own vjp. */
    public void backward(Node out, MatDual seed) {
        if (out.tape != this) {
            throw new IllegalArgumentException("backward: output belongs to another tape");
        }
        if (!seed.value().sameShape(out.value.value())) {
            throw new IllegalArgumentException("backward seed: required " + out.value.shapeString() + ", got " + seed.shapeString());
        }
        for (Node n : nodes) {
            n.adjoint = null;
        }
        if (!out.needsGrad) {
            return; // the output does not depend on any variable: every gradient is zero
        }
        out.adjoint = seed;
        for (int i = out.index; i >= 0; i--) {
            Node n = nodes.get(i);
            if (n.adjoint != null && n.pullback != null) {
                n.pullback.apply(n.adjoint);
            }
        }
    }

    /** Number of recorded nodes. */
    public int size() {
        return nodes.size();
    }

    List<Node> nodes() {
        return nodes;
    }
}
