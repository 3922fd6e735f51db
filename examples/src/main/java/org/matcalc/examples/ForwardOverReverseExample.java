package org.matcalc.examples;

import java.io.PrintStream;
import java.nio.file.Path;

import org.matcalc.numeric.Mat;
import org.matcalc.ad.AD;
import org.matcalc.ad.Node;
import org.matcalc.numeric.fd.DerivativeCheck;
import org.matcalc.numeric.fd.FiniteDifferences;

/**
 * MIT 18.063 ch. 8: the gradient of h(x) = g(grad f(x)) with f(x) = 1/norm(x) and
 * g(z) = sum(z)^3. By the chain rule grad h = H_f(x) * grad g(z), a Hessian-vector product:
 * forward-over-reverse computes it with one dual-valued reverse sweep, never forming H_f.
 */
public final class ForwardOverReverseExample implements Example {
    @Override
    public String name() {
        return "forward-over-reverse";
    }

    @Override
    public String summary() {
        return "gradient of g(grad f(x)), f = 1/norm(x), g = sum(z)^3, by forward-over-reverse vs finite differences";
    }

    static Node f(Node x) {
        return x.norm2().pow(-1);
    }

    static double h(Mat x) {
        Mat z = AD.gradient(ForwardOverReverseExample::f, x);
        return Math.pow(z.sum(), 3);
    }

    @Override
    public boolean run(PrintStream out, Path outputDir) {
        Mat x = Mat.column(1, -2, 3, 0.5);
        Mat z = AD.gradient(ForwardOverReverseExample::f, x);           // reverse: grad f
        Mat v = Mat.fill(x.rows(), 1, 3 * z.sum() * z.sum());            // grad g(z) = 3 sum(z)^2 ones
        Mat gradH = AD.hvp(ForwardOverReverseExample::f, x, v);          // forward-over-reverse
        Mat fd = FiniteDifferences.gradient(ForwardOverReverseExample::h, x);

        // closed form: H_f = -I/r^3 + 3 x x'/r^5
        double r = Math.sqrt(x.dot(x));
        Mat hf = Mat.eye(4).scale(-1 / Math.pow(r, 3)).plus(x.timesTranspose(x).scale(3 / Math.pow(r, 5)));
        Mat exact = hf.times(v);

        out.println("x            = " + x.transpose());
        out.println("grad f(x)    = " + z.transpose() + "   (reverse mode; exact -x/norm(x)^3)");
        out.println("grad h(x)    = " + gradH.transpose() + "   (forward-over-reverse hvp)");
        out.println("finite diff. = " + fd.transpose() + "   (central differences of h)");
        out.println("closed form  = " + exact.transpose() + "   (H_f * grad g)");
        // the entries are small (about 1e-3): compare relative to the largest of them
        double s = 1 / exact.maxAbs();
        DerivativeCheck.Report vsFd = DerivativeCheck.compare(gradH.scale(s), fd.scale(s));
        DerivativeCheck.Report vsExact = DerivativeCheck.compare(gradH.scale(s), exact.scale(s));
        out.println("vs finite differences (scaled by 1/max|grad h|): " + vsFd);
        out.println("vs closed form (scaled):                      " + vsExact);
        boolean ok = vsFd.passed(1e-6) && vsExact.passed(1e-12);
        out.println(ok ? "OK: forward-over-reverse agrees" : "MISMATCH");
        return ok;
    }
}
