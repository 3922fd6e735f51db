#!/usr/bin/python3
"""The peers' side of bench/run-peers: the same problems as PeerBench.java, in NumPy (closed
forms), PyTorch (autograd) and scikit-learn (LogisticRegression, lbfgs), on data drawn the same
way. One JSON object per line on stdout: problem, size, peer, median milliseconds, threads and
the BLAS kernel. Run by bench/run-peers, which unsets OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE for
both sides; run alone it measures whatever the environment says.

Usage: peers.py QUICK|FULL [minimize-data-dir]   the timings (and scikit-learn on the data)
       peers.py sklearn DIR                         scikit-learn alone on DIR/X.csv, DIR/y.csv
       peers.py gen DIR                             writes DIR/X.csv, DIR/y.csv (100,000 x 100)
       peers.py hessian N                           the logistic Hessian once (for /usr/bin/time -v)
       peers.py codegen DIR N                       DIR/logistic_g.py and DIR/logistic_h.py (written by
                                                    matcalc codegen) against the closed forms below, at n = N
"""
import json
import os
import sys
import time

import numpy as np


def median_ms(fn, reps):
    """The median of reps timed runs after warm-up runs for at least 3 s (as PeerBench)."""
    t0 = time.perf_counter()
    runs = 0
    while runs < 3 or time.perf_counter() - t0 < 3.0:
        fn()
        runs += 1
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1e3)
    times.sort()
    return times[len(times) // 2]


def median_pair_ms(fa, fb, reps):
    """Medians of fa and fb timed alternately (after 3 s of warm-up each), so that drift of the
    machine (memory, frequency) falls on both alike: the way to compare two ways of one computation."""
    for f in (fa, fb):
        t0 = time.perf_counter()
        runs = 0
        while runs < 3 or time.perf_counter() - t0 < 3.0:
            f()
            runs += 1
    ta, tb = [], []
    for _ in range(reps):
        for f, t in ((fa, ta), (fb, tb)):
            t0 = time.perf_counter()
            f()
            t.append((time.perf_counter() - t0) * 1e3)
    ta.sort()
    tb.sort()
    return ta[len(ta) // 2], tb[len(tb) // 2]


def blas_info():
    try:
        from threadpoolctl import threadpool_info
        for pool in threadpool_info():
            if pool.get("user_api") == "blas":
                return pool.get("internal_api", "?") + " " + str(pool.get("version", "")) + " " + \
                    str(pool.get("architecture", "")), pool.get("num_threads", 0)
    except Exception as e:  # threadpoolctl missing or failing: say so rather than guess
        return "unknown (" + type(e).__name__ + ")", 0
    return "unknown", 0


def emit(problem, size, peer, ms, threads, kernel, **extra):
    row = dict(problem=problem, size=size, peer=peer, ms=ms, threads=threads, kernel=kernel)
    row.update(extra)
    print(json.dumps(row), flush=True)


def logistic_data(n, seed=1):
    m = 10 * n
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((m, n)) / np.sqrt(n)
    y = np.where(rng.random(m) < 0.5, -1.0, 1.0)
    w = rng.standard_normal(n)
    return X, y, w


def sigmoid(z):
    return 0.5 * (1 + np.tanh(0.5 * z))  # overflow-free


def numpy_problems(sizes, reps, kernel, threads):
    for n in [s for s in sizes if s >= 1000]:
        a = np.random.default_rng(2).standard_normal((n, n))
        b = np.random.default_rng(3).standard_normal((n, n))
        ms = median_ms(lambda: a @ b, reps)
        emit("A*B", "n=%d" % n, "numpy", ms, threads, kernel, gflops=2.0 * n ** 3 / ms / 1e6)
    for n in sizes:
        X, y, w = logistic_data(n)
        size = "n=%d m=%d" % (n, 10 * n)
        emit("logistic f", size, "numpy", median_ms(lambda: np.sum(np.logaddexp(0, -y * (X @ w))), reps), threads, kernel)
        emit("logistic gradient", size, "numpy",
             median_ms(lambda: -(X.T @ (y * sigmoid(-y * (X @ w)))), reps), threads, kernel)

        def hessian():
            z = y * (X @ w)
            s = y * y * sigmoid(z) * sigmoid(-z)
            xs = X * np.sqrt(s)[:, None]
            return xs.T @ xs
        emit("logistic Hessian", size, "numpy", median_ms(hessian, max(3, reps // 4)), threads, kernel)


def torch_problems(sizes, reps):
    try:
        import torch
    except ImportError as e:
        print("peers.py: PyTorch missing (%s); skipping its rows" % e, file=sys.stderr)
        return
    torch.set_num_threads(int(os.environ.get("PEER_THREADS", "2")))
    cfg = torch.__config__.show()
    kernel = "torch " + torch.__version__ + (" BLAS=" + next((l.split("BLAS_INFO=")[1].split(",")[0]
                                                              for l in cfg.splitlines() if "BLAS_INFO=" in l), "?"))
    threads = torch.get_num_threads()
    for n in sizes:
        X, y, w = logistic_data(n)
        Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
        wt = torch.from_numpy(w).clone().requires_grad_(True)

        def grad():
            wt.grad = None
            loss = torch.nn.functional.softplus(-yt * (Xt @ wt)).sum()
            loss.backward()
            return wt.grad
        emit("AD gradient, logistic", "n=%d m=%d" % (n, 10 * n), "pytorch", median_ms(grad, reps), threads, kernel)
        m, h = 2 * n, 256
        rng = np.random.default_rng(4)
        Xn = torch.from_numpy(rng.standard_normal((m, n)) / np.sqrt(n))
        yn = torch.from_numpy(rng.standard_normal(m))
        W1 = torch.from_numpy(rng.standard_normal((n, h)) / np.sqrt(n)).requires_grad_(True)
        w2 = torch.from_numpy(rng.standard_normal(h) / np.sqrt(h)).requires_grad_(True)

        def net():
            W1.grad = None
            w2.grad = None
            loss = ((torch.tanh(Xn @ W1) @ w2 - yn) ** 2).sum()
            loss.backward()
            return W1.grad
        emit("AD gradient, two-layer network", "n=%d m=%d h=%d" % (n, m, h), "pytorch", median_ms(net, reps), threads, kernel)


def sklearn_minimize(data_dir, kernel, threads):
    """LogisticRegression(lbfgs) at several tolerances; table.py keeps the fastest that reaches the optimum."""
    try:
        from sklearn.linear_model import LogisticRegression
        import sklearn
    except ImportError as e:
        print("peers.py: scikit-learn missing (%s); skipping its row" % e, file=sys.stderr)
        return
    X = np.loadtxt(os.path.join(data_dir, "X.csv"), delimiter=",")
    y = np.loadtxt(os.path.join(data_dir, "y.csv"), delimiter=",")
    for tol in [1e-2, 1e-4, 1e-6, 1e-8, 1e-10]:
        times, model = [], None
        for _ in range(3):
            model = LogisticRegression(C=1.0, fit_intercept=False, solver="lbfgs", tol=tol, max_iter=10000)
            t0 = time.perf_counter()
            model.fit(X, y)
            times.append((time.perf_counter() - t0) * 1e3)
        w = model.coef_.ravel()
        objective = float(np.sum(np.logaddexp(0, -y * (X @ w))) + 0.5 * w @ w)
        emit("minimize logistic + L2", "%dx%d" % X.shape, "scikit-learn " + sklearn.__version__,
             sorted(times)[1], threads, kernel, objective=objective, iterations=int(model.n_iter_[0]), tol=tol)


def generate(data_dir, m=100_000, n=100):
    """Logistic-regression data with a signal: y = +-1 drawn with P(y = 1) = sigmoid(X w*)."""
    rng = np.random.default_rng(7)
    X = np.round(rng.standard_normal((m, n)), 4)  # four decimals: both sides parse the same numbers
    w = rng.standard_normal(n) / np.sqrt(n) * 3
    y = np.where(rng.random(m) < sigmoid(X @ w), 1.0, -1.0)
    os.makedirs(data_dir, exist_ok=True)
    np.savetxt(os.path.join(data_dir, "X.csv"), X, delimiter=",", fmt="%.4f")
    np.savetxt(os.path.join(data_dir, "y.csv"), y, fmt="%.0f")


def generated_numpy(gen_dir, n, kernel, threads, reps=30):
    """The NumPy that matcalc codegen writes for the logistic loss, against the closed forms a person writes."""
    import importlib.util

    def load(name):
        spec = importlib.util.spec_from_file_location(name, os.path.join(gen_dir, name + ".py"))
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    g, h = load("logistic_g"), load("logistic_h")
    X, y, w = logistic_data(n)
    size = "n=%d m=%d" % (n, 10 * n)

    def hand_f_and_g():
        z = y * (X @ w)
        return np.sum(np.logaddexp(0, -z)), -(X.T @ (y * sigmoid(-z)))

    def hand_f_g_h():
        z = y * (X @ w)
        s = sigmoid(-z)
        xs = X * np.sqrt(y * y * sigmoid(z) * s)[:, None]
        return np.sum(np.logaddexp(0, -z)), -(X.T @ (y * s)), xs.T @ xs

    # the generated functions agree with the closed forms before they are timed
    got, want = g.f_and_g(X=X, w=w, y=y), hand_f_and_g()
    assert abs(got[0] - want[0]) <= 1e-10 * abs(want[0]) and np.allclose(got[1], want[1], rtol=1e-10, atol=1e-12)
    got, want = h.f_g_h(X=X, w=w, y=y), hand_f_g_h()
    assert np.allclose(got[2], want[2], rtol=1e-9, atol=1e-12)
    for what, hand, gen, r in (("value and gradient", hand_f_and_g, lambda: g.f_and_g(X=X, w=w, y=y), reps),
                               ("value, gradient and Hessian", hand_f_g_h, lambda: h.f_g_h(X=X, w=w, y=y), max(3, reps // 4))):
        hand_ms, gen_ms = median_pair_ms(hand, gen, 2 * r)
        emit("logistic %s, hand-written NumPy" % what, size, "numpy", hand_ms, threads, kernel)
        emit("logistic %s, generated NumPy" % what, size, "numpy (matcalc codegen)", gen_ms, threads, kernel,
             vs_hand=gen_ms / hand_ms)


def hessian_once(n):
    X, y, w = logistic_data(n)
    t0 = time.perf_counter()
    z = y * (X @ w)
    s = y * y * sigmoid(z) * sigmoid(-z)
    xs = X * np.sqrt(s)[:, None]
    h = xs.T @ xs
    print("numpy logistic Hessian n=%d m=%d: %dx%d in %.0f ms" % (n, 10 * n, h.shape[0], h.shape[1],
                                                                (time.perf_counter() - t0) * 1e3))


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else "QUICK"
    if mode == "gen":
        generate(sys.argv[2])
        return
    if mode == "hessian":
        hessian_once(int(sys.argv[2]))
        return
    kernel, threads = blas_info()
    if mode == "codegen":
        generated_numpy(sys.argv[2], int(sys.argv[3]), "numpy " + np.__version__ + " " + kernel, threads)
        return
    if mode == "sklearn":
        sklearn_minimize(sys.argv[2], "numpy " + np.__version__ + " " + kernel, threads)
        return
    sizes = [100, 1000] if mode == "FULL" else [100]
    reps = 30 if mode == "FULL" else 10
    numpy_problems(sizes, reps, "numpy " + np.__version__ + " " + kernel, threads)
    torch_problems(sizes, reps)
    if len(sys.argv) > 2:
        sklearn_minimize(sys.argv[2], "numpy " + np.__version__ + " " + kernel, threads)


if __name__ == "__main__":
    main()
