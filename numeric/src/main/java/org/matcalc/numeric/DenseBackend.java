package org.matcalc.numeric;

import java.util.Map;

import org.matcalc.expr.Builtin;
import org.matcalc.expr.Expr;
import org.matcalc.expr.ScalarFunction;
import org.matcalc.numeric.primitives.Primitives;

/** Dense values: the kernels of {@link Kernels} and of each primitive's block. */
final class DenseBackend implements Backend<Mat> {
    private final Map<String, Mat> values;

    DenseBackend(Map<String, Mat> values) {
        this.values = values;
    }

    public Mat constant(Mat m) {
        return m;
    }

    public Mat variable(String name) {
        return values.get(name);
    }

    public Mat negate(Mat a) {
        return a.negate();
    }

    public Mat transpose(Mat a) {
        return a.transpose();
    }

    public Mat plus(Mat a, Mat b) {
        return a.plus(b);
    }

    public Mat minus(Mat a, Mat b) {
        return a.minus(b);
    }

    public Mat times(Mat l, Mat r) {
        if (l.isScalar()) {
            return r.scale(l.scalarValue());
        }
        return r.isScalar() ? l.scale(r.scalarValue()) : l.times(r);
    }

    public Mat divide(Mat l, Mat r) {
        return l.scale(1 / r.scalarValue());
    }

    public Mat hadamard(Mat l, Mat r) {
        if (l.isScalar() && !r.isScalar()) {
            return r.scale(l.scalarValue());
        }
        return r.isScalar() ? l.scale(r.scalarValue()) : l.hadamard(r);
    }

    public Mat hadamardDiv(Mat l, Mat r) {
        if (l.isScalar() && !r.isScalar()) {
            double s = l.scalarValue();
            return r.map(v -> s / v);
        }
        if (r.isScalar()) {
            double s = r.scalarValue();
            return l.map(v -> v / s);
        }
        return l.hadamardDiv(r);
    }

    public Mat elementPower(Mat l, Mat r) {
        if (r.isScalar()) {
            double p = r.scalarValue();
            return l.map(v -> Math.pow(v, p));
        }
        if (l.isScalar()) {
            double base = l.scalarValue();
            return r.map(v -> Math.pow(base, v));
        }
        return l.zip(r, Math::pow);
    }

    public Mat matrixPower(Mat a, Mat k, Expr at) {
        return Kernels.power(a, (int) k.scalarValue());
    }

    public Mat call(Builtin fn, java.util.List<Mat> args) {
        return Primitives.apply(fn, args.toArray(new Mat[0]));
    }

    public Mat map(ScalarFunction f, Mat a) {
        return a.map(f::apply);
    }

    public Mat fill(Mat c, int rows, int cols) {
        return Mat.fill(rows, cols, c.scalarValue());
    }

    @Override
    public Mat transposeTimes(Mat a, Mat b) {
        return a.transposeTimes(b);
    }

    @Override
    public Mat inner(Mat x) {
        return Kernels.inner(x);
    }

    @Override
    public Mat scaledInner(Mat x, Mat d) {
        return Kernels.scaledInner(x, d);
    }

    @Override
    public Mat timesTranspose(Mat a, Mat b) {
        return a.timesTranspose(b);
    }

    @Override
    public Mat scaleRows(Mat v, Mat x) {
        return Kernels.scaleRows(v, x);
    }

    @Override
    public Mat scaleColumns(Mat x, Mat v) {
        return Kernels.scaleColumns(x, v);
    }

    @Override
    public Mat fillTimes(Mat c, Mat x, int rows, int k) {
        Mat sums = Mat.fill(1, k, c.scalarValue()).times(x); // c times the column sums of x
        return Mat.fill(rows, 1, 1).times(sums);
    }

    @Override
    public Mat timesFill(Mat x, Mat c, int k, int cols) {
        Mat sums = x.times(Mat.fill(k, 1, c.scalarValue())); // c times the row sums of x
        return sums.times(Mat.fill(1, cols, 1));
    }

    @Override
    public Mat commuteRows(Mat x, int m, int n) {
        return Kernels.commuteRows(x, m, n);
    }

    @Override
    public Mat kronTimes(Mat a, Mat b, Mat x) {
        return Kernels.kronTimes(a, b, x);
    }

    @Override
    public Mat solve(Mat a, Mat b) {
        return Kernels.solve(a, b);
    }

    @Override
    public boolean checksValues() {
        return true;
    }

    @Override
    public Mat checked(Mat v) {
        return v;
    }
}
