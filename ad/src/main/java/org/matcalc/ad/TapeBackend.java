package org.matcalc.ad;

import java.util.List;
import java.util.Map;

import org.matcalc.expr.Builtin;
import org.matcalc.expr.Expr;
import org.matcalc.expr.MatcalcException;
import org.matcalc.expr.MatcalcException.Kind;
import org.matcalc.expr.ScalarFunction;
import org.matcalc.expr.TextPrinter;
import org.matcalc.numeric.Backend;
import org.matcalc.numeric.Mat;

/**
 * A {@link org.matcalc.numeric.Plan} on a {@link Tape}: each step becomes a {@link Node}, so a
 * backward sweep gives gradients, and tangents on the bound variables give forward mode (on a
 * {@link Tape#forwardOnly()} tape nothing is recorded). Variables in {@code bound} are the
 * tape's; the others are constants at their {@code values}.
 */
public final class TapeBackend implements Backend<Node> {
    private final Tape tape;
    private final Map<String, Node> bound;
    private final Map<String, Mat> values;

    /** The backend over {@code tape}: names in {@code bound} are its variables, those in {@code values} constants. */
    public TapeBackend(Tape tape, Map<String, Node> bound, Map<String, Mat> values) {
        this.tape = tape;
        this.bound = bound;
        this.values = values;
    }

    /** A node with no variable behind it and no tangent: its value is a constant of the program. */
    private static boolean isConstant(Node n) {
        return !n.needsGrad && !n.value.hasTangent();
    }

    @Override
    public Node constant(Mat m) {
        return tape.constant(m);
    }

    @Override
    public Node variable(String name) {
        Node b = bound.get(name);
        return b != null ? b : tape.constant(values.get(name));
    }

    @Override
    public Node negate(Node a) {
        return a.negate();
    }

    @Override
    public Node transpose(Node a) {
        return a.transpose();
    }

    @Override
    public Node plus(Node a, Node b) {
        return a.plus(b);
    }

    @Override
    public Node minus(Node a, Node b) {
        return a.minus(b);
    }

    @Override
    public Node times(Node a, Node b) {
        return a.times(b);          // 1x1 operands scale (Node.times broadcasts)
    }

    @Override
    public Node divide(Node a, Node b) {
        return a.div(b);            // the divisor is 1x1
    }

    @Override
    public Node hadamard(Node a, Node b) {
        return a.hadamard(b);
    }

    @Override
    public Node hadamardDiv(Node a, Node b) {
        return a.div(b);
    }

    /** l .^ r: a constant 1x1 exponent is Node.pow; otherwise exp(r .* log(l)), for l > 0. */
    public Node elementPower(Node l, Node r) {
        if (r.isScalar() && isConstant(r)) {
            return l.pow(r.real());
        }
        return l.apply(ScalarFunction.LOG).hadamard(r).apply(ScalarFunction.EXP);
    }

    /** A^k for a constant integer k: k - 1 products (k < 0: of inv(A)); A^0 = I. */
    public Node matrixPower(Node a, Node k, Expr at) {
        if (!isConstant(k)) {
            throw new MatcalcException(Kind.UNSUPPORTED, "derivative of the matrix power " + TextPrinter.print(at)
                    + " by its exponent not implemented");
        }
        double kv = k.real();
        if (kv != Math.rint(kv)) {
            throw new MatcalcException(Kind.EVALUATION, "matrix power with a non-integer exponent: " + TextPrinter.print(at));
        }
        int n = (int) Math.abs(kv);
        Node base = kv < 0 ? a.inv() : a;
        Node out = n == 0 ? tape.constant(Mat.eye(a.rows())) : base;
        for (int i = 1; i < n; i++) {
            out = out.times(base);
        }
        return out;
    }

    /** a' * b without forming the transpose (Node.transposeTimes has its own adjoint rule). */
    @Override
    public Node transposeTimes(Node a, Node b) {
        return a.transposeTimes(b);
    }

    @Override
    public Node call(Builtin fn, List<Node> args) {
        return args.get(0).call(fn, args.subList(1, args.size()).toArray(new Node[0]));
    }

    @Override
    public Node map(ScalarFunction f, Node a) {
        return a.apply(f);
    }

    @Override
    public Node fill(Node c, int rows, int cols) {
        return c.broadcast(rows, cols);
    }
}
