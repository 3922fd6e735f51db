package org.matcalc.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.matcalc.methods.optimize.Lbfgs;
import org.matcalc.methods.optimize.Newton;
import org.matcalc.methods.optimize.Objective;
import org.matcalc.methods.optimize.Options;
import org.matcalc.methods.optimize.Result;
import org.matcalc.methods.optimize.RootResult;
import org.matcalc.numeric.fd.StepStudy;

/** The plots of solvers and step studies are PNG files (moved here with the plotting library). */
class PlotsTest {
    private static final Objective ROSENBROCK = (x, g) -> {
        double a = x[1] - x[0] * x[0], b = 1 - x[0];
        g[0] = -400 * a * x[0] - 2 * b;
        g[1] = 200 * a;
        return 100 * a * a + b * b;
    };

    @Test
    void historyPlotIsAPng(@TempDir Path dir) throws Exception {
        Result r = Lbfgs.minimize(ROSENBROCK, new double[] {-1.2, 1}, Options.defaults().withGradientTolerance(1e-9));
        Path png = Plots.convergence(r.history(), dir.resolve("lbfgs"), "L-BFGS on Rosenbrock");
        assertEquals("lbfgs.png", png.getFileName().toString());
        byte[] b = Files.readAllBytes(png);
        assertTrue(b.length > 1000 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G');
        assertThrows(IllegalArgumentException.class, () -> Plots.series(dir.resolve("zero.png"), "t", "y",
                java.util.Map.of("zeros", new double[] {0, 0})));
    }

    @Test
    void newtonPlot(@TempDir Path dir) throws Exception {
        double sqrt2 = Math.sqrt(2);
        RootResult r = Newton.solveScalar(x -> 2 - x * x, x -> -2 * x, 1.0, Options.defaults().withGradientTolerance(1e-15));
        Path png = Plots.roots(r, dir.resolve("n.png"), "sqrt2", new double[] {sqrt2});
        assertTrue(Files.size(png) > 1000);
    }

    @Test
    void stepStudyWritesAPng(@TempDir Path dir) throws Exception {
        StepStudy s = StepStudy.run(Math::exp, 0.5, Math.exp(0.5));
        Path png = Plots.steps(s, dir.resolve("study.png"), "exp");
        byte[] head = Files.readAllBytes(png);
        assertTrue(head.length > 1000);
        assertEquals((byte) 0x89, head[0]);
        assertEquals('P', head[1]);
        assertEquals('N', head[2]);
        assertEquals('G', head[3]);
    }
}
