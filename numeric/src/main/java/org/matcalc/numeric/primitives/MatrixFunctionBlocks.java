package org.matcalc.numeric.primitives;

import static org.matcalc.numeric.primitives.Primitive.unary;

import org.matcalc.expr.Builtin;
import org.matcalc.expr.MatcalcException;
import org.matcalc.numeric.Kernels;
import org.matcalc.numeric.Mat;
import org.matcalc.numeric.MatDual;
import org.matcalc.numeric.MatOps;

/**
 * Matrix functions (Higham, Functions of Matrices) and symmetric eigenproblems (Magnus 1985).
 * <pre>
 *   logsumexp(x):  d = softmax(x)'*dx                  adjoint g*softmax(x)
 *   softmax(x):    dy = y .* (dx - sum(y .* dx))         adjoint y .* (G - sum(G .* y))
 *   expm(A):       d = L(A, dA), the Frechet derivative  adjoint L(A', G)
 *   expm_frechet(A, E): linear in E; in A through expm([[A, E], [0, A]]) = [[expm A, L(A, E)], [0, expm A]]
 *   expm_frechet2(A, E, F) = L2(A; E, F): the (1,2) block of L([[A, E], [0, A]], [[F, 0], [0, F]]), built
 *                  of duals, so its derivatives and adjoints are expm_frechet's at twice the size
 *   expm_frechet_kron(A), expm_frechet2_kron(A, E): column j is vec(L(A, E_j)), vec(L2(A; E, E_j)), E_j the
 *                  j-th unit matrix in vec order; n^2 Frechet derivatives, each a 2n (4n) x 2n (4n) expm
 *   sqrtm(S):      R*dR + dR*R = dS                       adjoint sylvester(R, G)
 *   sylvester(S, C) = Y, S*Y + Y*S = C:  dY = sylvester(S, dC - dS*Y - Y*dS)
 *   eigvals(S):    d lambda = diag(V'*dS*V)               adjoint V*diag(g)*V'
 *   eigvecs(S):    dV = V*(F .* (V'*dS*V)), F_ij = 1/(lambda_j - lambda_i)   adjoint sym(V*(F .* (V'*G))*V')
 *   lambda_max, lambda_min, eigvec_max, eigvec_min: an entry or column of the above
 *   logm(S):       d = logm_frechet(S, dS) = V*(F .* (V'*dS*V))*V', F the divided differences of log
 *                  (Daleckii-Krein); self-adjoint, so the adjoint is logm_frechet(S, G)
 * </pre>
 * Eigenvector derivatives need distinct eigenvalues; a repeated one is refused by name
 * ({@link #gaps}) rather than turned into an infinite F.
 */
final class MatrixFunctionBlocks {
    /** Eigenvalues closer than this times the largest |lambda| count as repeated (as in EigenDerivatives). */
    static final double RELATIVE_GAP = 1e-8;

    private MatrixFunctionBlocks() {
    }

    static void register() {
        Primitives.add(Builtin.LOGSUMEXP, MatrixFunctionBlocks::logsumexp, MatrixFunctionBlocks::logsumexpJvp,
                unary(MatrixFunctionBlocks::logsumexpVjp));
        Primitives.add(Builtin.SOFTMAX, MatrixFunctionBlocks::softmax, MatrixFunctionBlocks::softmaxJvp,
                unary(MatrixFunctionBlocks::softmaxVjp));
        Primitives.add(Builtin.LOGSUMEXP_AXIS, x -> Kernels.logsumexpAxis(x[0], StructureBlocks.axis(x[1])),
                MatrixFunctionBlocks::logsumexpAxisJvp, MatrixFunctionBlocks::logsumexpAxisVjp);
        Primitives.add(Builtin.SOFTMAX_AXIS, x -> Kernels.softmaxAxis(x[0], StructureBlocks.axis(x[1])),
                MatrixFunctionBlocks::softmaxAxisJvp, MatrixFunctionBlocks::softmaxAxisVjp);
        Primitives.add(Builtin.EXPM, MatrixFunctionBlocks::expm, MatrixFunctionBlocks::expmJvp, unary(MatrixFunctionBlocks::expmVjp));
        Primitives.add(Builtin.EXPM_FRECHET, MatrixFunctionBlocks::expmFrechet, MatrixFunctionBlocks::expmFrechetJvp,
                MatrixFunctionBlocks::expmFrechetVjp);
        Primitives.add(Builtin.EXPM_FRECHET2, x -> expmFrechet2(constants(x)).value(), MatrixFunctionBlocks::expmFrechet2,
                MatrixFunctionBlocks::expmFrechet2Vjp);
        Primitives.add(Builtin.EXPM_FRECHET_KRON, x -> expmFrechetKron(constants(x)).value(), MatrixFunctionBlocks::expmFrechetKron,
                MatrixFunctionBlocks::expmFrechetKronVjp);
        Primitives.add(Builtin.EXPM_FRECHET2_KRON, x -> expmFrechet2Kron(constants(x)).value(), MatrixFunctionBlocks::expmFrechet2Kron,
                MatrixFunctionBlocks::expmFrechet2KronVjp);
        Primitives.add(Builtin.SQRTM, MatrixFunctionBlocks::sqrtm, MatrixFunctionBlocks::sqrtmJvp, unary(MatrixFunctionBlocks::sqrtmVjp));
        Primitives.add(Builtin.SYLVESTER, MatrixFunctionBlocks::sylvester, MatrixFunctionBlocks::sylvesterJvp,
                MatrixFunctionBlocks::sylvesterVjp);
        Primitives.add(Builtin.EIGVALS, MatrixFunctionBlocks::eigvals, MatrixFunctionBlocks::eigvalsJvp,
                unary(MatrixFunctionBlocks::eigvalsVjp));
        Primitives.add(Builtin.EIGVECS, MatrixFunctionBlocks::eigvecs, MatrixFunctionBlocks::eigvecsJvp,
                unary(MatrixFunctionBlocks::eigvecsVjp));
        Primitives.add(Builtin.LAMBDA_MAX, MatrixFunctionBlocks::lambdaMax, x -> eigenvalue(x[0], true),
                unary((x, y, g) -> eigenvalueVjp(x, g, true)));
        Primitives.add(Builtin.LAMBDA_MIN, MatrixFunctionBlocks::lambdaMin, x -> eigenvalue(x[0], false),
                unary((x, y, g) -> eigenvalueVjp(x, g, false)));
        Primitives.add(Builtin.EIGVEC_MAX, MatrixFunctionBlocks::eigvecMax, x -> eigenvector(x[0], true),
                unary((x, y, g) -> eigenvectorVjp(x, g, true)));
        Primitives.add(Builtin.EIGVEC_MIN, MatrixFunctionBlocks::eigvecMin, x -> eigenvector(x[0], false),
                unary((x, y, g) -> eigenvectorVjp(x, g, false)));
        Primitives.add(Builtin.LOGM, MatrixFunctionBlocks::logm, MatrixFunctionBlocks::logmJvp, unary(MatrixFunctionBlocks::logmVjp));
        Primitives.add(Builtin.LOGM_FRECHET, MatrixFunctionBlocks::logmFrechet, MatrixFunctionBlocks::logmFrechetJvp,
                MatrixFunctionBlocks::logmFrechetVjp);
        registerEmitters();
    }

    // ---- generated Python: the same methods (eigendecompositions with the kernels' sign convention) ----

    /** Ascending eigenvalues and eigenvectors of (S + S')/2, each vector's entry of largest magnitude positive, as {@link Kernels#eigSym}. */
    private static final String NP_EIGH = """
            def _eigh(S):
                w, V = np.linalg.eigh((S + S.T) / 2)
                big = np.argmax(np.abs(V), axis=0)
                return w, V * np.sign(V[big, np.arange(V.shape[1])])
            """;
    private static final String TORCH_EIGH = """
            def _eigh(S):
                w, V = torch.linalg.eigh((S + S.T) / 2)
                big = torch.argmax(torch.abs(V), dim=0)
                return w, V * torch.sign(V[big, torch.arange(V.shape[1], device=V.device)])
            """;

    /** A helper built on _eigh, in NumPy ({@code lib} = np) or PyTorch (torch): the text uses LIB for the library. */
    private static Emitters.Emitter onEigh(String lib, String name, String definition, String template) {
        Emitters.Emitter t = Emitters.Emitter.helper(name, definition.replace("LIB", lib), template);
        return x -> {
            x.define("_eigh", lib.equals("np") ? NP_EIGH : TORCH_EIGH);
            return t.emit(x);
        };
    }

    private static Emitters eigh(String name, String definition, String template) {
        return new Emitters(onEigh("np", name, definition, template), onEigh("torch", name, definition, template));
    }

    private static void registerEmitters() {
        Primitives.code(Builtin.LOGSUMEXP, new Emitters(Emitters.Emitter.helper("_logsumexp", """
                def _logsumexp(a):
                    m = np.max(a)
                    return m + np.log(np.sum(np.exp(a - m)))
                """, "_logsumexp({0})"), Emitters.Emitter.of("torch.logsumexp({0}.reshape(-1), 0)")));
        Primitives.code(Builtin.SOFTMAX, new Emitters(Emitters.Emitter.helper("_softmax", """
                def _softmax(a):
                    e = np.exp(a - np.max(a))
                    return e / np.sum(e)
                """, "_softmax({0})"), Emitters.Emitter.of("torch.softmax({0}.reshape(-1), 0).reshape({0}.shape)")));
        Primitives.code(Builtin.LOGSUMEXP_AXIS, new Emitters(x -> {
            x.define("_logsumexp_axis", """
                    def _logsumexp_axis(a, axis):
                        m = np.max(a, axis=axis, keepdims=True)
                        return m + np.log(np.sum(np.exp(a - m), axis=axis, keepdims=True))
                    """);
            return "_logsumexp_axis(" + x.arg(0) + ", " + (Emitters.axis(x) - 1) + ")";
        }, x -> "torch.logsumexp(" + x.arg(0) + ", " + (Emitters.axis(x) - 1) + ", keepdim=True)"));
        Primitives.code(Builtin.SOFTMAX_AXIS, new Emitters(x -> {
            x.define("_softmax_axis", """
                    def _softmax_axis(a, axis):
                        e = np.exp(a - np.max(a, axis=axis, keepdims=True))
                        return e / np.sum(e, axis=axis, keepdims=True)
                    """);
            return "_softmax_axis(" + x.arg(0) + ", " + (Emitters.axis(x) - 1) + ")";
        }, x -> "torch.softmax(" + x.arg(0) + ", " + (Emitters.axis(x) - 1) + ")"));
        Primitives.code(Builtin.EXPM, new Emitters(x -> {
            x.require("scipy.linalg");
            return "scipy.linalg.expm(" + x.arg(0) + ")";
        }, Emitters.Emitter.of("torch.linalg.matrix_exp({0})")));
        // torch: the upper right block of expm([[A, E], [0, A]]) (Higham, Functions of Matrices, eq. 10.43)
        String torchL = """
                def _expm_frechet(A, E):
                    n = A.shape[0]
                    M = torch.cat([torch.cat([A, E], 1), torch.cat([torch.zeros_like(A), A], 1)], 0)
                    return torch.linalg.matrix_exp(M)[:n, n:]
                """;
        Primitives.code(Builtin.EXPM_FRECHET, new Emitters(x -> {
            x.require("scipy.linalg");
            return "scipy.linalg.expm_frechet(" + x.arg(0) + ", " + x.arg(1) + ", compute_expm=False)";
        }, Emitters.Emitter.helper("_expm_frechet", torchL, "_expm_frechet({0}, {1})")));
        // the second Frechet derivative as the (1,2) block of L([[A, E], [0, A]], [[F, 0], [0, F]]); Kronecker forms column by column
        String npL2 = """
                def _expm_frechet2(A, E, F):
                    n = A.shape[0]
                    Z = np.zeros_like(A)
                    M = np.block([[A, E], [Z, A]])
                    D = np.block([[F, Z], [Z, F]])
                    return scipy.linalg.expm_frechet(M, D, compute_expm=False)[:n, n:]
                """;
        String torchL2 = """
                def _expm_frechet2(A, E, F):
                    n = A.shape[0]
                    Z = torch.zeros_like(A)
                    M = torch.cat([torch.cat([A, E], 1), torch.cat([Z, A], 1)], 0)
                    D = torch.cat([torch.cat([F, Z], 1), torch.cat([Z, F], 1)], 0)
                    return _expm_frechet(M, D)[:n, n:]
                """;
        Primitives.code(Builtin.EXPM_FRECHET2, new Emitters(x -> {
            x.require("scipy.linalg");
            x.define("_expm_frechet2", npL2);
            return "_expm_frechet2(" + x.arg(0) + ", " + x.arg(1) + ", " + x.arg(2) + ")";
        }, x -> {
            x.define("_expm_frechet", torchL);
            x.define("_expm_frechet2", torchL2);
            return "_expm_frechet2(" + x.arg(0) + ", " + x.arg(1) + ", " + x.arg(2) + ")";
        }));
        Primitives.code(Builtin.EXPM_FRECHET_KRON, new Emitters(x -> {
            x.require("scipy.linalg");
            x.define("_expm_frechet_kron", """
                    def _expm_frechet_kron(A):
                        n = A.shape[0]
                        K = np.zeros((n * n, n * n))
                        for j in range(n * n):
                            E = np.zeros(n * n)
                            E[j] = 1
                            L = scipy.linalg.expm_frechet(A, E.reshape(n, n, order="F"), compute_expm=False)
                            K[:, j] = L.reshape(-1, order="F")
                        return K
                    """);
            return "_expm_frechet_kron(" + x.arg(0) + ")";
        }, x -> {
            x.define("_expm_frechet", torchL);
            x.define("_expm_frechet_kron", """
                    def _expm_frechet_kron(A):
                        n = A.shape[0]
                        cols = []
                        for j in range(n * n):
                            E = torch.zeros(n * n, dtype=A.dtype)
                            E[j] = 1
                            cols.append(_expm_frechet(A, E.reshape(n, n).T).T.reshape(-1))
                        return torch.stack(cols, 1)
                    """);
            return "_expm_frechet_kron(" + x.arg(0) + ")";
        }));
        Primitives.code(Builtin.EXPM_FRECHET2_KRON, new Emitters(x -> {
            x.require("scipy.linalg");
            x.define("_expm_frechet2", npL2);
            x.define("_expm_frechet2_kron", """
                    def _expm_frechet2_kron(A, E):
                        n = A.shape[0]
                        K = np.zeros((n * n, n * n))
                        for j in range(n * n):
                            F = np.zeros(n * n)
                            F[j] = 1
                            K[:, j] = _expm_frechet2(A, E, F.reshape(n, n, order="F")).reshape(-1, order="F")
                        return K
                    """);
            return "_expm_frechet2_kron(" + x.arg(0) + ", " + x.arg(1) + ")";
        }, x -> {
            x.define("_expm_frechet", torchL);
            x.define("_expm_frechet2", torchL2);
            x.define("_expm_frechet2_kron", """
                    def _expm_frechet2_kron(A, E):
                        n = A.shape[0]
                        cols = []
                        for j in range(n * n):
                            F = torch.zeros(n * n, dtype=A.dtype)
                            F[j] = 1
                            cols.append(_expm_frechet2(A, E, F.reshape(n, n).T).T.reshape(-1))
                        return torch.stack(cols, 1)
                    """);
            return "_expm_frechet2_kron(" + x.arg(0) + ", " + x.arg(1) + ")";
        }));
        Primitives.code(Builtin.SQRTM, eigh("_sqrtm", """
                def _sqrtm(S):
                    w, V = _eigh(S)
                    R = (V * LIB.sqrt(LIB.clip(w, 0, None))) @ V.T
                    return (R + R.T) / 2
                """, "_sqrtm({0})"));
        Primitives.code(Builtin.SYLVESTER, eigh("_sylvester", """
                def _sylvester(S, C):
                    w, V = _eigh(S)
                    return V @ ((V.T @ C @ V) / (w[:, None] + w[None, :])) @ V.T
                """, "_sylvester({0}, {1})"));
        Primitives.code(Builtin.EIGVALS, Emitters.of("np.linalg.eigvalsh(({0} + {0}.T) / 2).reshape(-1, 1)",
                "torch.linalg.eigvalsh(({0} + {0}.T) / 2).reshape(-1, 1)"));
        Primitives.code(Builtin.LAMBDA_MAX, Emitters.of("np.linalg.eigvalsh(({0} + {0}.T) / 2)[-1]",
                "torch.linalg.eigvalsh(({0} + {0}.T) / 2)[-1]"));
        Primitives.code(Builtin.LAMBDA_MIN, Emitters.of("np.linalg.eigvalsh(({0} + {0}.T) / 2)[0]",
                "torch.linalg.eigvalsh(({0} + {0}.T) / 2)[0]"));
        Primitives.code(Builtin.EIGVECS, eigh("_eigh", "", "_eigh({0})[1]"));
        Primitives.code(Builtin.EIGVEC_MAX, eigh("_eigh", "", "_eigh({0})[1][:, -1:]"));
        Primitives.code(Builtin.EIGVEC_MIN, eigh("_eigh", "", "_eigh({0})[1][:, :1]"));
        Primitives.code(Builtin.LOGM, eigh("_logm", """
                def _logm(S):
                    w, V = _eigh(S)
                    return (V * LIB.log(w)) @ V.T
                """, "_logm({0})"));
        // the divided differences of log as logmFrechet computes them: 2/(a + b) * atanh(z)/z, z = (a - b)/(a + b)
        Primitives.code(Builtin.LOGM_FRECHET, eigh("_logm_frechet", """
                def _logm_frechet(S, E):
                    w, V = _eigh(S)
                    a, b = w[:, None], w[None, :]
                    z = (a - b) / (a + b)
                    small = LIB.abs(z) < 1e-4
                    zs = LIB.where(small, LIB.ones_like(z), z)
                    ratio = LIB.where(small, 1 + z**2 / 3 + z**4 / 5, 0.5 * (LIB.log1p(zs) - LIB.log1p(-zs)) / zs)
                    return V @ ((2 / (a + b) * ratio) * (V.T @ E @ V)) @ V.T
                """, "_logm_frechet({0}, {1})"));
    }

    // ---- logsumexp, softmax ----

    static Mat logsumexp(Mat[] x) {
        return Mat.scalar(Kernels.logsumexp(x[0]));
    }

    static MatDual logsumexpJvp(MatDual[] x) {
        MatDual a = x[0];
        return new MatDual(Mat.scalar(Kernels.logsumexp(a.value())),
                a.hasTangent() ? Mat.scalar(Kernels.softmax(a.value()).dot(a.tangent())) : null);
    }

    static MatDual logsumexpVjp(MatDual x, MatDual y, MatDual g) {
        return Primitives.jvp(Builtin.SOFTMAX, x).scaleBy(g);
    }

    static Mat softmax(Mat[] x) {
        return Kernels.softmax(x[0]);
    }

    static MatDual softmaxJvp(MatDual[] x) {
        MatDual a = x[0];
        Mat y = Kernels.softmax(a.value());
        if (!a.hasTangent()) {
            return MatDual.constant(y);
        }
        double s = y.dot(a.tangent());
        return new MatDual(y, y.hadamard(a.tangent().map(t -> t - s)));
    }

    static MatDual softmaxVjp(MatDual x, MatDual y, MatDual g) {
        return y.hadamard(g.minus(g.dot(y).broadcast(x.rows(), x.cols())));
    }

    // ---- along one dimension: logsumexp(X, k) and softmax(X, k), each row (k = 2) or column (k = 1) on its own ----

    /** A row (k = 2: n x 1 times ones') or column (k = 1: ones times 1 x m) of sums spread back over the n x m shape. */
    private static MatDual spread(MatDual sums, int k, int n, int m) {
        return k == 2 ? sums.times(MatDual.constant(Mat.fill(1, m, 1))) : MatDual.constant(Mat.fill(n, 1, 1)).times(sums);
    }

    private static MatDual sumAxis(MatDual a, int k) {
        return a.linear(m -> Kernels.sumAxis(m, k));
    }

    static MatDual logsumexpAxisJvp(MatDual[] x) {
        MatDual a = x[0];
        int k = StructureBlocks.axis(x[1].value());
        Mat y = Kernels.logsumexpAxis(a.value(), k);
        return new MatDual(y, a.hasTangent() ? Kernels.sumAxis(Kernels.softmaxAxis(a.value(), k).hadamard(a.tangent()), k) : null);
    }

    static MatDual[] logsumexpAxisVjp(MatDual[] x, MatDual y, MatDual g, boolean[] needs) {
        int k = StructureBlocks.axis(x[1].value());
        MatDual s = Primitives.jvp(Builtin.SOFTMAX_AXIS, x[0], x[1]);
        return new MatDual[] {s.hadamard(spread(g, k, x[0].rows(), x[0].cols())), null};
    }

    static MatDual softmaxAxisJvp(MatDual[] x) {
        MatDual a = x[0];
        int k = StructureBlocks.axis(x[1].value());
        Mat y = Kernels.softmaxAxis(a.value(), k);
        if (!a.hasTangent()) {
            return MatDual.constant(y);
        }
        Mat sums = Kernels.sumAxis(y.hadamard(a.tangent()), k);
        Mat spread = k == 2 ? sums.times(Mat.fill(1, y.cols(), 1)) : Mat.fill(y.rows(), 1, 1).times(sums);
        return new MatDual(y, y.hadamard(a.tangent().minus(spread)));
    }

    static MatDual[] softmaxAxisVjp(MatDual[] x, MatDual y, MatDual g, boolean[] needs) {
        int k = StructureBlocks.axis(x[1].value());
        MatDual sums = sumAxis(g.hadamard(y), k);
        return new MatDual[] {y.hadamard(g.minus(spread(sums, k, y.rows(), y.cols()))), null};
    }

    // ---- expm and its Frechet derivative ----

    static Mat expm(Mat[] x) {
        return Kernels.expm(x[0]);
    }

    static MatDual expmJvp(MatDual[] x) {
        MatDual a = x[0];
        return new MatDual(Kernels.expm(a.value()), a.hasTangent() ? Kernels.expmFrechet(a.value(), a.tangent()) : null);
    }

    static MatDual expmVjp(MatDual x, MatDual y, MatDual g) {
        return Primitives.jvp(Builtin.EXPM_FRECHET, x.transpose(), g);
    }

    static Mat expmFrechet(Mat[] x) {
        return Kernels.expmFrechet(x[0], x[1]);
    }

    /**
     * L(A, E); linear in E. Its derivative in A along dA is the (1,2) block of
     * L(M, blkdiag(dA, dA)) with M = [[A, E], [0, A]] (Higham, FM thm 3.6 / eq. 3.16): a 4n x 4n
     * expm, so second order through expm costs that.
     */
    static MatDual expmFrechetJvp(MatDual[] x) {
        MatDual a = x[0], e = x[1];
        Mat l = Kernels.expmFrechet(a.value(), e.value());
        Mat t = e.hasTangent() ? Kernels.expmFrechet(a.value(), e.tangent()) : null;
        if (a.hasTangent()) {
            int n = a.rows();
            Mat z = Mat.zeros(n, n);
            Mat m = MatOps.blocks(a.value(), e.value(), z, a.value());
            Mat d = MatOps.blocks(a.tangent(), z, z, a.tangent());
            Mat ta = MatOps.slice(Kernels.expmFrechet(m, d), 0, n, n, 2 * n);
            t = t == null ? ta : t.plus(ta);
        }
        return new MatDual(l, t);
    }

    /** With M = [[A, E], [0, A]], L(A, E) is the (1,2) block of expm(M); so with P = L(M', [[0, G], [0, 0]]): Abar = P11 + P22, Ebar = P12. */
    static MatDual[] expmFrechetVjp(MatDual[] x, MatDual y, MatDual g, boolean[] needs) {
        MatDual a = x[0], e = x[1];
        int n = a.rows();
        MatDual z = MatDual.constant(Mat.zeros(n, n));
        MatDual mt = a.transpose().hcat(z).vcat(e.transpose().hcat(a.transpose()));
        MatDual p = Primitives.jvp(Builtin.EXPM_FRECHET, mt, z.hcat(g).vcat(z.hcat(z)));
        return new MatDual[] {
            needs[0] ? p.slice(0, n, 0, n).plus(p.slice(n, 2 * n, n, 2 * n)) : null,
            needs[1] ? p.slice(0, n, n, 2 * n) : null};
    }

    // ---- the second Frechet derivative of expm and the Kronecker forms (Higham and Relton 2014) ----

    private static MatDual[] constants(Mat[] x) {
        MatDual[] d = new MatDual[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = MatDual.constant(x[i]);
        }
        return d;
    }

    /** M = [[A, E], [0, A]] and D = [[F, 0], [0, F]]: L2(A; E, F) is the (1,2) block of L(M, D). */
    private static MatDual[] blocks(MatDual a, MatDual e, MatDual f) {
        MatDual z = MatDual.constant(Mat.zeros(a.rows(), a.rows()));
        return new MatDual[] {a.hcat(e).vcat(z.hcat(a)), f.hcat(z).vcat(z.hcat(f))};
    }

    static MatDual expmFrechet2(MatDual[] x) {
        int n = x[0].rows();
        return Primitives.jvp(Builtin.EXPM_FRECHET, blocks(x[0], x[1], x[2])).slice(0, n, n, 2 * n);
    }

    /** The adjoint of the block construction: G enters at (1,2); Abar = Mbar11 + Mbar22, Ebar = Mbar12, Fbar = Dbar11 + Dbar22. */
    static MatDual[] expmFrechet2Vjp(MatDual[] x, MatDual y, MatDual g, boolean[] needs) {
        int n = x[0].rows();
        MatDual[] md = blocks(x[0], x[1], x[2]);
        MatDual[] p = expmFrechetVjp(md, null, g.embed(2 * n, 2 * n, 0, n), new boolean[] {needs[0] || needs[1], needs[2]});
        return new MatDual[] {
            needs[0] ? p[0].slice(0, n, 0, n).plus(p[0].slice(n, 2 * n, n, 2 * n)) : null,
            needs[1] ? p[0].slice(0, n, n, 2 * n) : null,
            needs[2] ? p[1].slice(0, n, 0, n).plus(p[1].slice(n, 2 * n, n, 2 * n)) : null};
    }

    /** The unit matrix E_j of n x n in vec order: 1 at (j mod n, j / n). */
    private static MatDual unit(int n, int j) {
        double[] e = new double[n * n];
        e[(j % n) * n + j / n] = 1;
        return MatDual.constant(Mat.rowMajor(n, n, e));
    }

    /** The n^2 x n^2 matrix whose column j is vec(column.apply(j)), tangents likewise. */
    private static MatDual kronForm(int n, java.util.function.IntFunction<MatDual> column) {
        int n2 = n * n;
        double[] value = new double[n2 * n2];
        double[] tangent = null;
        for (int j = 0; j < n2; j++) {
            MatDual c = column.apply(j);
            Mat v = c.value().vec();
            Mat t = c.hasTangent() ? c.tangent().vec() : null;
            if (t != null && tangent == null) {
                tangent = new double[n2 * n2];
            }
            for (int i = 0; i < n2; i++) {
                value[i * n2 + j] = v.get(i, 0);
                if (t != null) {
                    tangent[i * n2 + j] = t.get(i, 0);
                }
            }
        }
        return new MatDual(Mat.rowMajor(n2, n2, value), tangent == null ? null : Mat.rowMajor(n2, n2, tangent));
    }

    /** The cotangent of column j of a Kronecker form, as an n x n matrix. */
    private static MatDual column(MatDual g, int n, int j) {
        return g.slice(0, n * n, j, j + 1).linear(c -> Mat.unvec(c, n, n));
    }

    static MatDual expmFrechetKron(MatDual[] x) {
        MatDual a = x[0];
        return kronForm(a.rows(), j -> Primitives.jvp(Builtin.EXPM_FRECHET, a, unit(a.rows(), j)));
    }

    static MatDual[] expmFrechetKronVjp(MatDual[] x, MatDual y, MatDual g, boolean[] needs) {
        int n = x[0].rows();
        MatDual abar = null;
        for (int j = 0; j < n * n; j++) {
            MatDual p = expmFrechetVjp(new MatDual[] {x[0], unit(n, j)}, null, column(g, n, j), new boolean[] {true, false})[0];
            abar = abar == null ? p : abar.plus(p);
        }
        return new MatDual[] {abar};
    }

    static MatDual expmFrechet2Kron(MatDual[] x) {
        int n = x[0].rows();
        return kronForm(n, j -> expmFrechet2(new MatDual[] {x[0], x[1], unit(n, j)}));
    }

    static MatDual[] expmFrechet2KronVjp(MatDual[] x, MatDual y, MatDual g, boolean[] needs) {
        int n = x[0].rows();
        MatDual[] out = new MatDual[2];
        for (int j = 0; j < n * n; j++) {
            MatDual[] p = expmFrechet2Vjp(new MatDual[] {x[0], x[1], unit(n, j)}, null, column(g, n, j),
                    new boolean[] {needs[0], needs[1], false});
            for (int k = 0; k < 2; k++) {
                if (p[k] != null) {
                    out[k] = out[k] == null ? p[k] : out[k].plus(p[k]);
                }
            }
        }
        return out;
    }

    // ---- sqrtm and the Sylvester solve ----

    static Mat sqrtm(Mat[] x) {
        return Kernels.sqrtm(x[0]);
    }

    static MatDual sqrtmJvp(MatDual[] x) {
        MatDual s = x[0];
        Mat r = Kernels.sqrtm(s.value());
        return new MatDual(r, s.hasTangent() ? Kernels.sylvesterSym(r, s.tangent()) : null);
    }

    static MatDual sqrtmVjp(MatDual x, MatDual y, MatDual g) {
        return Primitives.jvp(Builtin.SYLVESTER, y, g);
    }

    static Mat sylvester(Mat[] x) {
        return Kernels.sylvesterSym(x[0], x[1]);
    }

    static MatDual sylvesterJvp(MatDual[] x) {
        MatDual s = x[0], c = x[1];
        Mat y = Kernels.sylvesterSym(s.value(), c.value());
        Mat rhs = c.hasTangent() ? c.tangent() : null;
        if (s.hasTangent()) {
            Mat ds = s.tangent().times(y).plus(y.times(s.tangent())).negate();
            rhs = rhs == null ? ds : rhs.plus(ds);
        }
        return new MatDual(y, rhs == null ? null : Kernels.sylvesterSym(s.value(), rhs));
    }

    /** With Cbar = sylvester(S, G): Cbar, and Sbar = -(Cbar*Y' + Y'*Cbar) from dY = sylvester(S, -(dS*Y + Y*dS)). */
    static MatDual[] sylvesterVjp(MatDual[] x, MatDual y, MatDual g, boolean[] needs) {
        MatDual cbar = Primitives.jvp(Builtin.SYLVESTER, x[0], g);
        return new MatDual[] {needs[0] ? cbar.timesTranspose(y).plus(y.transposeTimes(cbar)).negate() : null, cbar};
    }

    // ---- symmetric eigenproblems ----

    /** Eigenvalues and eigenvectors with their tangents, and F_ij = 1/(lambda_j - lambda_i) (0 on the diagonal) with its tangent. */
    private record Eigen(MatDual values, MatDual vectors, MatDual gaps) {
    }

    /**
     * The decomposition of symmetric S, with the eigenvalues' tangents where S has one, the
     * eigenvectors' tangents too if {@code vectorTangents}, and F (with its tangent) if
     * {@code withGaps}. Only what is asked for needs distinct eigenvalues.
     */
    private static Eigen eigen(MatDual s, boolean vectorTangents, boolean withGaps) {
        Kernels.EigenSym lv = Kernels.eigSym(s.value());
        Mat lam = lv.values(), vec = lv.vectors();
        Mat m = s.hasTangent() ? vec.transposeTimes(s.tangent()).times(vec) : null;
        boolean vt = vectorTangents && m != null;
        Mat f = vt || withGaps ? gaps(lam) : null;
        MatDual values = new MatDual(lam, m == null ? null : MatOps.diagOf(m));
        MatDual vectors = new MatDual(vec, vt ? vec.times(f.hadamard(m)) : null);
        if (!withGaps) {
            return new Eigen(values, vectors, null);
        }
        if (m == null) {
            return new Eigen(values, vectors, MatDual.constant(f));
        }
        int n = lam.size();
        // dF_ij = -(dlambda_j - dlambda_i) F_ij^2, with dlambda = diag(V' dS V)
        double[] df = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double fij = f.get(i, j);
                df[i * n + j] = i == j ? 0 : -(m.get(j, j) - m.get(i, i)) * fij * fij;
            }
        }
        return new Eigen(values, vectors, new MatDual(f, Mat.rowMajor(n, n, df)));
    }

    /** F_ij = 1/(lambda_j - lambda_i), 0 on the diagonal; refuses repeated eigenvalues, where eigenvectors have no derivative. */
    private static Mat gaps(Mat lam) {
        int n = lam.size();
        double scale = 0;
        for (int i = 0; i < n; i++) {
            scale = Math.max(scale, Math.abs(lam.at(i)));
        }
        double[] f = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i == j) {
                    continue;
                }
                double gap = lam.at(j) - lam.at(i);
                if (!(Math.abs(gap) > RELATIVE_GAP * scale)) {
                    throw new IllegalArgumentException("eigenvalues " + (Math.min(i, j) + 1) + " and " + (Math.max(i, j) + 1)
                            + " are repeated (" + lam.at(i) + "): eigenvectors have no derivative there");
                }
                f[i * n + j] = 1 / gap;
            }
        }
        return Mat.rowMajor(n, n, f);
    }

    static Mat eigvals(Mat[] x) {
        return Kernels.eigvals(x[0]);
    }

    static MatDual eigvalsJvp(MatDual[] x) {
        return eigen(x[0], false, false).values();
    }

    static MatDual eigvalsVjp(MatDual x, MatDual y, MatDual g) {
        MatDual v = eigen(x, true, false).vectors();
        return v.times(g.linear(MatOps::diag)).timesTranspose(v);
    }

    static Mat eigvecs(Mat[] x) {
        return Kernels.eigSym(x[0]).vectors();
    }

    static MatDual eigvecsJvp(MatDual[] x) {
        return eigen(x[0], true, false).vectors();
    }

    static MatDual eigvecsVjp(MatDual s, MatDual y, MatDual g) {
        Eigen e = eigen(s, true, true);
        MatDual v = e.vectors();
        return v.times(e.gaps().hadamard(v.transposeTimes(g))).timesTranspose(v).linear(MatOps::symmetrize);
    }

    static Mat lambdaMax(Mat[] x) {
        return Mat.scalar(Kernels.lambdaMax(x[0]));
    }

    static Mat lambdaMin(Mat[] x) {
        return Mat.scalar(Kernels.lambdaMin(x[0]));
    }

    static Mat eigvecMax(Mat[] x) {
        return column(Kernels.eigSym(x[0]).vectors(), x[0].rows() - 1);
    }

    static Mat eigvecMin(Mat[] x) {
        return column(Kernels.eigSym(x[0]).vectors(), 0);
    }

    private static MatDual eigenvalue(MatDual s, boolean max) {
        int k = max ? s.rows() - 1 : 0;
        return eigen(s, false, false).values().slice(k, k + 1, 0, 1);
    }

    private static MatDual eigenvalueVjp(MatDual s, MatDual g, boolean max) {
        int n = s.rows(), k = max ? n - 1 : 0;
        MatDual v = eigen(s, true, false).vectors();
        return v.times(g.embed(n, 1, k, 0).linear(MatOps::diag)).timesTranspose(v);
    }

    private static MatDual eigenvector(MatDual s, boolean max) {
        int n = s.rows(), k = max ? n - 1 : 0;
        return eigen(s, true, false).vectors().slice(0, n, k, k + 1);
    }

    private static MatDual eigenvectorVjp(MatDual s, MatDual g, boolean max) {
        int n = s.rows(), k = max ? n - 1 : 0;
        return eigvecsVjp(s, null, g.embed(n, n, 0, k));
    }

    // ---- logm, by the eigendecomposition of an spd matrix (Daleckii-Krein for its derivative) ----

    static Mat logm(Mat[] x) {
        return logm(x[0]);
    }

    static MatDual logmJvp(MatDual[] x) {
        MatDual a = x[0];
        return new MatDual(logm(a.value()), a.hasTangent() ? logmFrechet(a.value(), a.tangent()) : null);
    }

    /** logm_frechet(S, .) is self-adjoint (F is symmetric): the adjoint is logm_frechet(S, G). */
    static MatDual logmVjp(MatDual x, MatDual y, MatDual g) {
        return Primitives.jvp(Builtin.LOGM_FRECHET, x, g);
    }

    static Mat logmFrechet(Mat[] x) {
        return logmFrechet(x[0], x[1]);
    }

    /** Linear in E; its derivative in S (second derivatives of logm) is refused by name. */
    static MatDual logmFrechetJvp(MatDual[] x) {
        if (x[0].hasTangent()) {
            throw notInFirstArgument();
        }
        return new MatDual(logmFrechet(x[0].value(), x[1].value()), x[1].hasTangent() ? logmFrechet(x[0].value(), x[1].tangent()) : null);
    }

    static MatDual[] logmFrechetVjp(MatDual[] x, MatDual y, MatDual g, boolean[] needs) {
        if (needs[0]) {
            throw notInFirstArgument();
        }
        return new MatDual[] {null, Primitives.jvp(Builtin.LOGM_FRECHET, x[0], g)};
    }

    /** V*diag(log(lambda))*V' for symmetric positive definite S. */
    static Mat logm(Mat s) {
        Kernels.EigenSym e = Kernels.eigSym(s);
        Mat lam = e.values(), v = e.vectors();
        double[] d = new double[lam.size()];
        for (int i = 0; i < d.length; i++) {
            if (!(lam.at(i) > 0)) {
                throw new IllegalArgumentException("logm needs a positive definite matrix; eigenvalue " + (i + 1) + " is " + lam.at(i));
            }
            d[i] = Math.log(lam.at(i));
        }
        return v.times(Kernels.diag(Mat.column(d))).timesTranspose(v);
    }

    /**
     * L(S, E) = V*(F .* (V'*E*V))*V' with F_ij the divided difference of log at lambda_i,
     * lambda_j: (2/(a + b))*atanh(z)/z, z = (a - b)/(a + b), which is 1/a at a = b and never
     * divides 0 by 0 (Higham, Functions of Matrices, thm 3.11).
     */
    static Mat logmFrechet(Mat s, Mat e) {
        Kernels.EigenSym es = Kernels.eigSym(s);
        Mat lam = es.values(), v = es.vectors();
        int n = lam.size();
        double[] f = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double a = lam.at(i), b = lam.at(j);
                if (!(a > 0 && b > 0)) {
                    throw new IllegalArgumentException("logm_frechet needs a positive definite matrix; an eigenvalue is " + Math.min(a, b));
                }
                double z = (a - b) / (a + b);
                double ratio = Math.abs(z) < 1e-4 ? 1 + z * z / 3 + z * z * z * z / 5 : 0.5 * (Math.log1p(z) - Math.log1p(-z)) / z;
                f[i * n + j] = 2 / (a + b) * ratio;
            }
        }
        return v.times(Mat.rowMajor(n, n, f).hadamard(v.transposeTimes(e).times(v))).timesTranspose(v);
    }

    /** Second derivatives of logm (logm_frechet in S) are not implemented: refused by name. */
    private static MatcalcException notInFirstArgument() {
        return new MatcalcException(MatcalcException.Kind.UNSUPPORTED,
                "derivative of logm_frechet in its first argument (second derivatives of logm) not implemented");
    }

    private static Mat column(Mat m, int j) {
        double[] v = new double[m.rows()];
        for (int i = 0; i < v.length; i++) {
            v[i] = m.get(i, j);
        }
        return Mat.column(v);
    }
}
