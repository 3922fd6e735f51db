package org.matcalc.diff;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.matcalc.ad.Agreement;
import org.matcalc.expr.Decl;
import org.matcalc.expr.Declarations;
import org.matcalc.expr.Expr;
import org.matcalc.numeric.Evaluator;
import org.matcalc.numeric.Mat;

/**
 * Every displayed step of a derivation holds as an equation (issue 13): both sides evaluated at
 * the check's random point, with the differential set to a random direction in the variable's
 * space. A differential d(before) = after is compared with Richardson differences of before
 * along that direction; a trace move, a convention's definition and a simplification by value;
 * a read-off result by the identity it names (tr(G'*dX) = df, J*vec(dX) = vec(dF)).
 */
final class DerivationSteps {
    private DerivationSteps() {
    }

    static void check(String what, Derivative d, String wrt, DerivativeCheck.Point p, Random r) {
        Derivation steps = d.derivation();
        if (steps.differential() == null) {
            return;
        }
        Declarations decls = d.declarations();
        Decl xd = decls.get(wrt).orElseThrow();
        String dn = steps.differential();
        Declarations withDx = decls.with(dn, new Decl(xd.kind(), xd.rows(), xd.cols(), Set.of(), false));
        Mat x = p.values().get(wrt);
        Mat v = Agreement.direction(decls, wrt, x, r);
        Map<String, Mat> values = new LinkedHashMap<>(p.values());
        values.put(dn, v);
        for (Step s : steps.steps()) {
            String where = what + ", step " + s.toText();
            switch (s.kind()) {
                case DIFFERENTIAL -> {
                    Mat rhs = eval(s.after(), withDx, values, p);
                    Agreement.along(where, t -> {
                        Map<String, Mat> at = new LinkedHashMap<>(p.values());
                        at.put(wrt, t);
                        return eval(s.before(), decls, at, p);
                    }, x, new Agreement.Modes(v, null, null, null, rhs), DerivativeCheck.TOL);
                }
                case RESULT -> {
                    Mat form = eval(s.before(), withDx, values, p);
                    Mat read = eval(s.after(), withDx, values, p);
                    Mat applied;
                    if (x.isScalar()) {
                        applied = read.scale(v.scalarValue());
                    } else if (form.isScalar()) {
                        applied = Mat.scalar(read.dot(v));
                    } else {
                        applied = Mat.unvec(read.times(v.vec()), form.rows(), form.cols());
                    }
                    DerivativeCheck.assertMatClose(form, applied, where);
                }
                default -> DerivativeCheck.assertMatClose(eval(s.before(), withDx, values, p), eval(s.after(), withDx, values, p),
                        where);
            }
        }
    }

    private static Mat eval(Expr e, Declarations decls, Map<String, Mat> values, DerivativeCheck.Point p) {
        return Evaluator.evaluate(e, decls, values, p.sizes());
    }
}
