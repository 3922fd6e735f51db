package org.matcalc.numeric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * Without the native library everything runs in pure Java: on a platform the artifact does not
 * ship (simulated by telling JavaCPP it runs on another one) one line on standard error says so,
 * once; asked for by {@code -Dmatcalc.blas=java}, silently.
 */
class BlasFallbackTest {
    /** Run in a JVM of its own: a large product, a solve and X'*X, then the status line. */
    public static void main(String[] args) {
        int n = 300;
        Mat a = Mat.fill(n, n, 0.5).plus(Mat.eye(n).scale(n));
        Mat p = a.times(a);
        Mat x = Kernels.solve(a, Mat.fill(n, 1, 1));
        Mat g = Kernels.inner(a);
        System.out.println(Blas.available() + " " + p.get(0, 0) + " " + a.times(x).get(3, 0) + " " + g.get(1, 1));
        System.out.println(Blas.status());
    }

    @Test
    void onAPlatformWithoutTheLibraryEverythingRunsInJavaAndOneLineSaysSo() throws IOException, InterruptedException {
        String[] run = child("-Dorg.bytedeco.javacpp.platform=windows-x86_64");
        assertTrue(run[0].lines().skip(1).findFirst().orElse("").startsWith("EJML only (native BLAS unavailable: "), run[0]);
        assertEquals(1, run[1].lines().filter(l -> l.startsWith("matcalc: native BLAS unavailable (")).count(), run[1]);
    }

    @Test
    void disabledOnPurposeItSaysSoInTheStatusOnly() throws IOException, InterruptedException {
        String[] run = child("-Dmatcalc.blas=java");
        assertTrue(run[0].contains("EJML only (native BLAS unavailable: disabled by -Dmatcalc.blas=java)"), run[0]);
        assertEquals(0, run[1].lines().filter(l -> l.contains("native BLAS")).count(), run[1]);
    }

    /** Runs {@link #main} in a child JVM with {@code flag}; checks its values; its standard output and error. */
    private static String[] child(String flag) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process proc = new ProcessBuilder(List.of(java.toString(), flag, "-cp", System.getProperty("java.class.path"),
                BlasFallbackTest.class.getName())).start();
        assertTrue(proc.waitFor(60, TimeUnit.SECONDS), "the child JVM did not finish");
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(proc.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, proc.exitValue(), out + err);
        String[] values = out.lines().findFirst().orElse("").split(" ");
        assertEquals("false", values[0], out);
        double n = 300, diag = n + 0.5;
        assertEquals(diag * diag + (n - 1) * 0.25, Double.parseDouble(values[1]), 1e-9, "(A*A)_11");
        assertEquals(1.0, Double.parseDouble(values[2]), 1e-12, "A*solve(A, 1) = 1");
        assertEquals(diag * diag + (n - 1) * 0.25, Double.parseDouble(values[3]), 1e-9, "(A'*A)_22");
        return new String[] {out, err};
    }
}
