package org.matcalc.numeric;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.QRDecomposition;
import org.matcalc.expr.Decl;
import org.matcalc.expr.Declarations;
import org.matcalc.expr.Expr;
import org.matcalc.expr.Shape;
import org.matcalc.expr.Size;
import org.matcalc.expr.Typer;
import org.matcalc.expr.Typing;

/**
 * Random inputs for checking derivatives: sizes between 3 and 6, distinct for distinct size
 * symbols where possible (so that transposition errors show), and values that respect the
 * declarations (symmetric, spd, diagonal, orthogonal, simplex). Seeded: the same seed gives the same
 * sample.
 */
public final class RandomInputs {
    /** How entries are drawn: signed in [-1, 1], or positive in [0.5, 1.5] (for log, sqrt...). */
    public enum Style { SIGNED, POSITIVE }

    /** Sizes of the symbols and values of the variables of one sample. */
    public record Sample(Map<String, Integer> sizes, Map<String, Mat> values) {
    }

    private RandomInputs() {
    }

    /** A sample for every variable of {@code e}, sizes chosen at random unless given. */
    public static Sample sample(Expr e, Declarations decls, Map<String, Integer> givenSizes, Random rnd, Style style) {
        return sample(e, decls, givenSizes, rnd, style, java.util.List.of());
    }

    /**
     * As {@link #sample(Expr, Declarations, Map, Random, Style)}, and also for the declared
     * names {@code also} that {@code e} does not use (a variable differentiated by that does not occur).
     */
    public static Sample sample(Expr e, Declarations decls, Map<String, Integer> givenSizes, Random rnd, Style style,
                                java.util.Collection<String> also) {
        Typing typing = Typer.check(e, decls, org.matcalc.expr.SourceMap.EMPTY, givenSizes, Map.of());
        Map<String, Integer> sizes = new LinkedHashMap<>(givenSizes);
        Map<Size, Integer> chosen = new HashMap<>();
        int next = 3 + rnd.nextInt(4);
        Map<String, Mat> values = new LinkedHashMap<>();
        Map<String, Shape> shapes = new LinkedHashMap<>(typing.variables());
        Map<String, Decl> declOf = new HashMap<>();
        typing.variables().keySet().forEach(name -> declOf.put(name, typing.declOf(name)));
        for (String name : also) {
            if (!shapes.containsKey(name) && decls.get(name).isPresent()) {
                shapes.put(name, decls.get(name).get().shape());
                declOf.put(name, decls.get(name).get());
            }
        }
        for (Map.Entry<String, Shape> v : shapes.entrySet()) {
            int[] rc = new int[2];
            Size[] dims = {v.getValue().rows(), v.getValue().cols()};
            for (int k = 0; k < 2; k++) {
                Size d = dims[k];
                if (d instanceof Size.Fixed f) {
                    rc[k] = f.value();
                } else {
                    Integer known = d instanceof Size.Sym s && sizes.containsKey(s.name()) ? sizes.get(s.name()) : chosen.get(d);
                    if (known == null) {
                        known = next;
                        next = next == 6 ? 3 : next + 1;
                        chosen.put(d, known);
                        if (d instanceof Size.Sym s) {
                            sizes.put(s.name(), known);
                        }
                    }
                    rc[k] = known;
                }
            }
            values.put(v.getKey(), value(declOf.get(v.getKey()), rc[0], rc[1], rnd, style));
        }
        return new Sample(sizes, values);
    }

    /** A random value of the declared kind and properties. */
    public static Mat value(Decl d, int rows, int cols, Random rnd, Style style) {
        if (d.has(Decl.Property.SPD)) {
            return spd(rows, rnd);
        }
        if (d.has(Decl.Property.SYMMETRIC)) {
            Mat b = entries(rows, rows, rnd, style);
            return b.plus(b.transpose()).scale(0.5);
        }
        if (d.has(Decl.Property.DIAGONAL)) {
            return Kernels.diag(entries(rows, 1, rnd, Style.POSITIVE));
        }
        if (d.has(Decl.Property.ORTHOGONAL)) {
            return orthogonal(rows, rnd);
        }
        if (d.has(Decl.Property.SIMPLEX)) {
            Mat p = entries(rows, cols, rnd, Style.POSITIVE);
            return p.scale(1 / p.sum());
        }
        return entries(rows, cols, rnd, style);
    }

    public static Mat entries(int rows, int cols, Random rnd, Style style) {
        double[] v = new double[rows * cols];
        for (int k = 0; k < v.length; k++) {
            v[k] = style == Style.POSITIVE ? 0.5 + rnd.nextDouble() : 2 * rnd.nextDouble() - 1;
        }
        return Mat.rowMajor(rows, cols, v);
    }

    /** A rows x cols matrix of independent standard normal entries, drawn row by row. */
    public static Mat gaussian(int rows, int cols, Random rnd) {
        double[] v = new double[rows * cols];
        for (int k = 0; k < v.length; k++) {
            v[k] = rnd.nextGaussian();
        }
        return Mat.rowMajor(rows, cols, v);
    }

    /** B*B'/n + I: symmetric, eigenvalues at least 1, well conditioned. */
    public static Mat spd(int n, Random rnd) {
        Mat b = entries(n, n, rnd, Style.SIGNED);
        Mat s = b.timesTranspose(b).scale(1.0 / n).plus(Mat.eye(n));
        return s.plus(s.transpose()).scale(0.5);
    }

    /** The Q of a QR factorisation of a random matrix. */
    public static Mat orthogonal(int n, Random rnd) {
        DMatrixRMaj a = entries(n, n, rnd, Style.SIGNED).toDDRM();
        QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(n, n);
        if (!qr.decompose(a)) {
            return Mat.eye(n);
        }
        return Mat.wrap(qr.getQ(null, false));
    }
}
