package org.matcalc.check;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import org.matcalc.diff.Derivative;
import org.matcalc.diff.Derivatives;
import org.matcalc.diff.Layout;
import org.matcalc.expr.Decl;
import org.matcalc.expr.Declarations;
import org.matcalc.expr.Expr;
import org.matcalc.expr.Limits;
import org.matcalc.expr.MatcalcException;
import org.matcalc.expr.Size;
import org.matcalc.numeric.Evaluator;
import org.matcalc.numeric.Kernels;
import org.matcalc.numeric.Kinks;
import org.matcalc.numeric.Mat;
import org.matcalc.numeric.RandomInputs;
import org.matcalc.ad.AD;
import org.matcalc.ad.ExprAD;

/**
 * {@code --check}: compares a symbolic derivative with central finite differences
 * (Richardson-extrapolated) and with automatic differentiation (forward mode for J*v,
 * forward-over-reverse for H*v) along random directions that respect the variable's structure,
 * at random inputs that respect the declarations. Works in every layout by reading the
 * derivative's value back into the Jacobian J of vec(F) by vec(X) (CONTRACT.md §4).
 */
public final class Verify {
    /**
     * The worst relative errors over the directions tried: of the symbolic result against finite
     * differences, the same beyond the finite differences' own resolution (the spread of their
     * neighbouring Richardson estimates), and against automatic differentiation; and the sizes used.
     */
    public record Result(double relativeError, double beyondResolution, double againstAd, Map<String, Integer> sizes,
                         int directions, String kink) {
        /** A result without a note on kinks. */
        public Result(double relativeError, double beyondResolution, double againstAd, Map<String, Integer> sizes, int directions) {
            this(relativeError, beyondResolution, againstAd, sizes, directions, null);
        }

        /** The same result with a note on the kinks the random inputs were kept from (or sat on). */
        Result withKink(String note) {
            return new Result(relativeError, beyondResolution, againstAd, sizes, directions, note);
        }

        /** Whether the symbolic result agrees with finite differences (to their resolution) and with AD. */
        public boolean passed() {
            return beyondResolution <= PASS && againstAd <= PASS;
        }

        /** The result in words, at random inputs. */
        public String describe() {
            return describe(true);
        }

        /** As {@link #describe()}; {@code atRandomInputs} false when the check ran at a point the request gave. */
        public String describe(boolean atRandomInputs) {
            StringBuilder s = new StringBuilder(String.format(java.util.Locale.ROOT,
                    "relative error %.1e against central finite differences and %.1e against automatic differentiation,"
                    + " along %d random directions", relativeError, againstAd, directions));
            if (relativeError > PASS && beyondResolution <= PASS) {
                s.insert(s.indexOf(" against central finite differences") + " against central finite differences".length(),
                        " (within their own resolution)");
            }
            if (!atRandomInputs) {
                s.append(" at the given point");
            } else if (!sizes.isEmpty()) {
                s.append(" at random inputs with ");
                sizes.forEach((k, v) -> s.append(k).append('=').append(v).append(' '));
                s.setLength(s.length() - 1);
            } else {
                s.append(" at random inputs");
            }
            if (kink != null) {
                s.append("; ").append(kink);
            }
            return s.toString();
        }
    }

    /** The largest relative error that passes. */
    public static final double PASS = 1e-6;

    private Verify() {
    }

    /** Checks {@code d}, the derivative of {@code f} by {@code wrt} of the given order, at random inputs. */
    public static Result atRandom(Expr f, Declarations decls, String wrt, Derivative d, int order, long seed) {
        // random inputs of declared sizes are allocated: refuse what no matrix may hold before trying
        for (Map.Entry<String, Decl> e : decls.asMap().entrySet()) {
            if (e.getValue().rows() instanceof Size.Fixed r && e.getValue().cols() instanceof Size.Fixed c
                    && (long) r.value() * c.value() > Limits.MAX_ENTRIES) {
                throw new MatcalcException(MatcalcException.Kind.LIMIT, "the check needs a random " + e.getKey() + " of "
                        + r.value() + " x " + c.value() + " entries; the limit on one matrix is " + Limits.MAX_ENTRIES
                        + " (declare smaller sizes, or a size symbol, to check)");
            }
        }
        // a variable the expression does not use is drawn too, at the sizes its zero derivative names
        Declarations sampled = wrt == null || decls.get(wrt).map(x -> x.rows() != null && x.cols() != null).orElse(false)
                ? decls : d.declarations().get(wrt).map(x -> decls.with(wrt, x)).orElse(decls);
        Random rnd = new Random(seed);
        MatcalcException last = null;
        int nearKinks = 0;
        String redrawnAt = null;
        Kinks.Nearest kink = Kinks.Nearest.NONE;
        for (int attempt = 0; attempt < 6 + KINK_REDRAWS; attempt++) {
            RandomInputs.Style style = attempt % 2 == 0 ? RandomInputs.Style.SIGNED : RandomInputs.Style.POSITIVE;
            RandomInputs.Sample s = RandomInputs.sample(f, sampled, Map.of(), rnd, style, java.util.List.of(wrt));
            try {
                kink = Kinks.nearest(f, decls, s.values(), s.sizes());
                if (kink.distance() < KINK_MARGIN && nearKinks < KINK_REDRAWS) {
                    nearKinks++; // finite differences would step across it: draw again
                    redrawnAt = redrawnAt == null ? kink.where() : redrawnAt;
                    continue;
                }
                Result r = at(f, decls, wrt, d, order, s.values(), s.sizes(), rnd);
                if (kink.distance() < KINK_MARGIN) {
                    return r.withKink(String.format(java.util.Locale.ROOT, "the inputs sit %.1e from a kink of %s, where the derivative"
                            + " holds by convention (docs/language.md) and finite differences step across it", kink.distance(), kink.where()));
                }
                return nearKinks == 0 ? r : r.withKink(nearKinks + " random input" + (nearKinks == 1 ? "" : "s")
                        + " within " + KINK_MARGIN + " of a kink of " + redrawnAt + " drawn again");
            } catch (MatcalcException e) {
                last = e;   // an input outside the domain (log of a negative...): draw again
            }
        }
        throw new MatcalcException(MatcalcException.Kind.EVALUATION, "could not find random inputs where the expression is defined: "
                + (last == null ? "" : last.getMessage()));
    }

    /** Checks {@code d} at the given values and sizes, along random directions drawn from {@code rnd}. */
    public static Result at(Expr f, Declarations decls, String wrt, Derivative d, int order, Map<String, Mat> values,
                     Map<String, Integer> sizes, Random rnd) {
        Decl decl = decls.get(wrt).orElseGet(() -> Declarations.byLetter(wrt));
        // A derivative such as zeros(n, n) names sizes that no variable in it fixes: read them
        // from the declarations the engine used and the values' shapes.
        sizes = withDeclaredSizes(d.declarations(), values, sizes);
        Mat x = values.get(wrt);
        if (x == null) {
            // a variable the expression does not use needs no value of its own: it is drawn, at the sizes its zero derivative names
            Decl engine = d.declarations().get(wrt).orElse(decl);
            sizes = new LinkedHashMap<>(sizes);
            x = RandomInputs.value(engine, sizeOf(engine.rows(), sizes), sizeOf(engine.cols(), sizes), rnd, RandomInputs.Style.SIGNED);
            values = new LinkedHashMap<>(values);
            values.put(wrt, x);
        }
        Mat v = Evaluator.evaluate(d.expr(), d.declarations(), values, sizes);
        Mat fx = Evaluator.evaluate(f, decls, values, sizes);
        Expr target = f;
        Mat jacobian;
        if (order == 1) {
            jacobian = canonical(v, fx, x, d.layout());
        } else {
            // H*vec(D) against the finite difference of the gradient (mixed layout: shaped like X).
            target = Derivatives.derive(f, decls, wrt, 1, Layout.MIXED).expr();
            jacobian = v;
        }
        AD.MatFunction program = ExprAD.function(f, decls, values, sizes, wrt);
        double worst = 0;
        double worstAd = 0;
        double worstBeyond = 0;
        int directions = 3;
        for (int k = 0; k < directions; k++) {
            Limits.checkInterrupted();
            Mat dir = direction(decl, x, rnd);
            Mat predicted = jacobian.times(dir.vec());
            Difference central = centralDifference(target, decls, wrt, values, sizes, dir);
            Mat fd = central.estimate().vec();
            // Forward mode for J*v; forward-over-reverse for H*v.
            Mat ad = (order == 1 ? AD.jvp(program, x, dir).tangent() : AD.hvp(program, x, dir)).vec();
            if (order == 2) {
                // by a symmetric or diagonal variable the differences are of the structured gradient (CONTRACT.md §5):
                // H*vec(D) is compared on the structure, where every convention for the Hessian agrees
                predicted = onStructure(decl, predicted, x);
                ad = onStructure(decl, ad, x);
            }
            // A derivative that is exactly zero is compared with finite differences' rounding
            // noise: errors are measured against the change that moves f by a part in 10^6
            // along the direction, when that is larger than the derivative itself.
            double floor = FLOOR * Math.max(1, Kernels.norm2(fx)) * Kernels.norm2(dir) / Math.max(1, Kernels.norm2(x));
            // Finite differences resolve a derivative only to their own uncertainty, the spread of
            // neighbouring Richardson estimates: a difference within twice that is agreement (it
            // is what a derivative that is exactly zero meets in a function that is zero up to
            // rounding, such as logdet(S) - tr(logm(S))).
            worst = Math.max(worst, relative(predicted, fd, floor, 0));
            worstBeyond = Math.max(worstBeyond, relative(predicted, fd, floor, 2 * central.spread()));
            worstAd = Math.max(worstAd, relative(predicted, ad, floor, 0));
        }
        return new Result(worst, worstBeyond, worstAd, new LinkedHashMap<>(sizes), directions);
    }

    /** vec(M) projected onto the variable's structure: (M + M')/2 for symmetric and spd, the diagonal for diagonal. */
    static Mat onStructure(Decl decl, Mat v, Mat x) {
        if (!decl.isSymmetric() && !decl.has(Decl.Property.DIAGONAL)) {
            return v;
        }
        Mat m = Mat.unvec(v, x.rows(), x.cols());
        Mat p = decl.isSymmetric() ? m.plus(m.transpose()).scale(0.5) : Kernels.diag(Kernels.diag(m));
        return p.vec();
    }

    /** Random inputs nearer than this to a kink (of max, abs, relu...) are drawn again, up to {@link #KINK_REDRAWS} times. */
    static final double KINK_MARGIN = 1e-2;
    static final int KINK_REDRAWS = 8;

    /** See the comparison in {@link #at}: the smallest scale an error is measured against, relative to f. */
    static final double FLOOR = 1e-6;

    /** |got - want| beyond {@code resolution}, relative to the larger of the two and the floor. */
    private static double relative(Mat got, Mat want, double floor, double resolution) {
        double scale = Math.max(Math.max(Kernels.norm2(want), Kernels.norm2(got)), Math.max(floor, 1e-300));
        return Math.max(0, Kernels.norm2(got.minus(want)) - resolution) / scale;
    }

    /** A finite-difference estimate and its uncertainty (the spread of the two neighbouring estimates it was chosen by). */
    record Difference(Mat estimate, double spread) {
    }

    /** {@code sizes} and every size symbol of a declaration whose variable has a value. */
    /** The value of a size, a free size symbol taking 3 (and keeping it, so that the derivative's sizes agree). */
    private static int sizeOf(Size s, Map<String, Integer> sizes) {
        if (s == null) {
            return 1;
        }
        if (s instanceof Size.Fixed f) {
            return f.value();
        }
        if (s instanceof Size.Sym y) {
            return sizes.computeIfAbsent(y.name(), k -> 3);
        }
        if (s instanceof Size.Prod p) {
            int v = 1;
            for (Size f : p.factors()) {
                v = Math.multiplyExact(v, sizeOf(f, sizes));
            }
            return v;
        }
        throw new MatcalcException(MatcalcException.Kind.EVALUATION, "the size of the variable is not known: give its value to check");
    }

    /** The sizes with those fixed by the values of declared variables added. */
    public static Map<String, Integer> withDeclaredSizes(Declarations decls, Map<String, Mat> values, Map<String, Integer> sizes) {
        Map<String, Integer> out = new LinkedHashMap<>(sizes);
        for (Map.Entry<String, Decl> e : decls.asMap().entrySet()) {
            Mat m = values.get(e.getKey());
            if (m != null) {
                if (e.getValue().rows() instanceof Size.Sym r) {
                    out.putIfAbsent(r.name(), m.rows());
                }
                if (e.getValue().cols() instanceof Size.Sym c) {
                    out.putIfAbsent(c.name(), m.cols());
                }
            }
        }
        return out;
    }

    /** The Jacobian of vec(F) by vec(X), read from a derivative value in its layout (CONTRACT.md §4). */
    static Mat canonical(Mat value, Mat f, Mat x, Layout layout) {
        if (f.isScalar()) {
            // A gradient: shaped like X in mixed and denominator layout, transposed in numerator.
            Mat g = layout == Layout.NUMERATOR ? value.transpose() : value;
            return g.vec().transpose();
        }
        if (x.isScalar()) {
            // dF/dx: shaped like F, or like F' in denominator layout.
            return (layout == Layout.DENOMINATOR ? value.transpose() : value).vec();
        }
        return layout == Layout.DENOMINATOR ? value.transpose() : value;
    }

    /**
     * A random direction in the variable's space: symmetric, diagonal or summing to zero as the
     * declaration says; for an orthogonal Q, Q*W with W skew-symmetric (tangent to the orthogonal
     * matrices, along which the differences move by Q*expm(t*W)).
     */
    static Mat direction(Decl d, Mat x, Random rnd) {
        int rows = x.rows(), cols = x.cols();
        Mat m = RandomInputs.entries(rows, cols, rnd, RandomInputs.Style.SIGNED);
        if (d.has(Decl.Property.ORTHOGONAL)) {
            return x.times(m.minus(m.transpose()).scale(0.5));
        }
        if (d.isSymmetric()) {
            return m.plus(m.transpose()).scale(0.5);
        }
        if (d.has(Decl.Property.DIAGONAL)) {
            return Kernels.diag(Kernels.diag(m));
        }
        if (d.has(Decl.Property.SIMPLEX)) {
            // Stay on the simplex's plane: the entries of a direction sum to zero.
            return m.minus(Mat.fill(rows, cols, m.sum() / m.size()));
        }
        return m;
    }

    /**
     * (F(X + hD) - F(X - hD)) / 2h, Richardson-extrapolated over h and h/2, for h = 10^-2 ...
     * 10^-5 times the size of X; of the two neighbouring steps that agree best, the smaller one's
     * estimate. A near-singular inv or det wants a small step, rounding a large one.
     */
    static Difference centralDifference(Expr f, Declarations decls, String wrt, Map<String, Mat> values,
                                        Map<String, Integer> sizes, Mat dir) {
        double scale = Math.max(1, values.get(wrt).maxAbs());
        // steps from 1e-2 down to 1e-7 times the scale; a step that leaves the domain (an spd
        // matrix near singular, log near 0) is skipped, so a valid point near a boundary is checked
        // with the steps that stay inside rather than blamed
        Mat[] r = new Mat[6];
        MatcalcException[] outside = new MatcalcException[1];
        for (int k = 0; k < 4; k++) {
            r[k] = estimate(f, decls, wrt, values, sizes, dir, Math.pow(10, -2 - k) * scale, outside);
        }
        // the neighbouring estimates that agree best among the steps down to 1e-5; smaller steps
        // only where all of those left the domain
        int best = bestPair(r, 3);
        if (best < 0) {
            for (int k = 4; k < r.length; k++) {
                r[k] = estimate(f, decls, wrt, values, sizes, dir, Math.pow(10, -2 - k) * scale, outside);
            }
            best = bestPair(r, r.length - 1);
        }
        if (best < 0) {
            throw new MatcalcException(MatcalcException.Kind.EVALUATION, "the check cannot be made here: finite differences of every"
                    + " step from 1e-2 to 1e-7 leave the domain of the expression (" + (outside[0] == null ? "" : outside[0].detail()) + ");"
                    + " the point itself is valid");
        }
        return new Difference(r[best], Kernels.norm2(r[best - 1].minus(r[best])));
    }

    /** The Richardson estimate with steps h and h/2, or null (and the refusal kept) where a step leaves the domain. */
    private static Mat estimate(Expr f, Declarations decls, String wrt, Map<String, Mat> values, Map<String, Integer> sizes,
                                Mat dir, double h, MatcalcException[] outside) {
        try {
            Mat coarse = difference(f, decls, wrt, values, sizes, dir, h);
            Mat fine = difference(f, decls, wrt, values, sizes, dir, h / 2);
            return fine.scale(4).minus(coarse).scale(1.0 / 3);
        } catch (MatcalcException e) {
            outside[0] = e;
            return null;
        }
    }

    /** The k + 1 (k < last) whose estimates r[k], r[k + 1] both exist and agree best, or -1. */
    private static int bestPair(Mat[] r, int last) {
        int best = -1;
        double bestSpread = Double.POSITIVE_INFINITY;
        for (int k = 0; k < last; k++) {
            if (r[k] != null && r[k + 1] != null && Kernels.norm2(r[k].minus(r[k + 1])) < bestSpread) {
                bestSpread = Kernels.norm2(r[k].minus(r[k + 1]));
                best = k + 1;
            }
        }
        return best;
    }

    private static Mat difference(Expr f, Declarations decls, String wrt, Map<String, Mat> values,
                                  Map<String, Integer> sizes, Mat dir, double h) {
        Map<String, Mat> plus = new LinkedHashMap<>(values);
        Map<String, Mat> minus = new LinkedHashMap<>(values);
        Mat x = values.get(wrt);
        Decl d = decls.get(wrt).orElse(null);
        if (d != null && d.has(Decl.Property.ORTHOGONAL)) {
            // stay orthogonal: Q*expm(+-h*W) with W = Q'*dir skew, whose derivative at 0 is dir
            Mat w = x.transpose().times(dir);
            plus.put(wrt, x.times(Kernels.expm(w.scale(h))));
            minus.put(wrt, x.times(Kernels.expm(w.scale(-h))));
        } else {
            plus.put(wrt, x.plusScaled(h, dir));
            minus.put(wrt, x.plusScaled(-h, dir));
        }
        return Evaluator.evaluate(f, decls, plus, sizes).minus(Evaluator.evaluate(f, decls, minus, sizes)).scale(1 / (2 * h));
    }
}
