#!/usr/bin/python3
"""Joins the JSON lines of PeerBench (matcalc) and peers.py (NumPy, PyTorch, scikit-learn) from one
run of bench/run-peers into a Markdown table: each problem and size, both times, the ratio
matcalc / peer (below 1: matcalc faster), each side's threads and BLAS kernel, and the target the
performance issue set. Standard library only. Usage: table.py RESULTS.jsonl"""
import json
import sys

# ratio targets: matcalc time / peer time at most this (A*B: GFLOP/s at least 0.8 of NumPy's)
TARGETS = {
    ("A*B", "n=1000"): 1 / 0.8,
    ("logistic f", "n=1000 m=10000"): 1.2, ("logistic gradient", "n=1000 m=10000"): 1.2,
    ("logistic Hessian", "n=1000 m=10000"): 1.2,
    ("logistic f", "n=100 m=1000"): 2, ("logistic gradient", "n=100 m=1000"): 2, ("logistic Hessian", "n=100 m=1000"): 2,
    ("AD gradient, logistic", "n=1000 m=10000"): 1.2, ("AD gradient, two-layer network", "n=1000 m=2000 h=256"): 1.2,
    ("minimize logistic + L2", "100000x100"): 1.0,
}


def main():
    every = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
    rows = same_optimum([r for r in every if "ms" in r and "vs_hand" not in r and "vs_plan" not in r
                         and "hand-written" not in r["problem"] and "compiled plan" not in r["problem"]])
    mine = {(r["problem"], r["size"]): r for r in rows if r["peer"] == "matcalc"}
    print("| problem | size | matcalc | peer | peer time | ratio | target | threads (matcalc / peer) |")
    print("|---|---|---|---|---|---|---|---|")
    kernels = {}
    for r in rows:
        kernels.setdefault(r["peer"].split()[0], r["kernel"])
        if r["peer"] == "matcalc":
            continue
        m = mine.get((r["problem"], r["size"]))
        if m is None:
            continue
        ratio = m["ms"] / r["ms"]
        target = TARGETS.get((r["problem"], r["size"]))
        verdict = "" if target is None else ("<= %.2g %s" % (target, "met" if ratio <= target else "MISSED"))
        extra = ""
        if "gflops" in m:
            extra = " (%.0f vs %.0f GFLOP/s)" % (m["gflops"], r["gflops"])
        if "objective" in m:
            rel = abs(m["objective"] - r["objective"]) / abs(r["objective"])
            extra = " (objectives differ by %.1e relative%s; tol %g vs %g, %d vs %d iterations)" % (
                rel, "" if r["reached"] else ", the peer's never within 1e-9 of matcalc's at any tolerance",
                m["tol"], r["tol"], m["iterations"], r["iterations"])
        print("| %s | %s | %s ms | %s | %s ms | %.2f%s | %s | %s / %s |" % (
            r["problem"], r["size"], fmt(m["ms"]), r["peer"], fmt(r["ms"]), ratio, extra, verdict, m["threads"], r["threads"]))
    print()
    core = next((r["core"] for r in every if "core" in r), None)
    for peer, kernel in kernels.items():
        print("- %s: %s%s" % (peer, kernel, ", kernel " + core if peer == "matcalc" and core else ""))
    for r in every:
        # generated code against its baseline, timed alternately in the same process (target: within 1.1x)
        for key, base in (("vs_hand", "the hand-written NumPy closed forms"), ("vs_plan", "the compiled plan")):
            if key in r:
                print("- %s at %s: %s ms, %.2fx %s (target <= 1.1: %s)" % (
                    r["problem"], r["size"], fmt(r["ms"]), r[key], base, "met" if r[key] <= 1.1 else "MISSED"))
    memory = {r["peer"]: r["mb"] for r in every if "mb" in r}
    if memory:
        print("- peak resident set, logistic Hessian at n = 1000, m = 10,000: matcalc (-Xmx400m) %d MB, NumPy %d MB"
              % (memory.get("matcalc", 0), memory.get("numpy", 0)))
    for r in every:
        if "ms_per_request" in r:
            print("- %s: %.3f ms a request in all, %.3f ms after the JVM's start (%.0f ms); target 0.2; %d refused"
                  % (r["problem"], r["ms_per_request"], r["ms_per_request_after_start"], r["start_ms"], r["refused"]))
        if "requests_per_s" in r:
            print("- %s, %s: %.0f requests/s, p50 %.1f ms, p99 %.1f ms (target: 2,000/s with p99 < 20 ms), %d not 200"
                  % (r["problem"], r["size"], r["requests_per_s"], r["p50_ms"], r["p99_ms"], r["not_200"]))


def same_optimum(rows):
    """Of the minimize runs (one per tolerance), each side's fastest within 1e-9 relative of the best
    objective any run reached; a side that never got there is shown by its most accurate run, marked."""
    runs = [r for r in rows if "objective" in r]
    if not runs:
        return rows
    best = min(r["objective"] for r in runs)
    keep = {}
    for peer in {r["peer"] for r in runs}:
        mine = [r for r in runs if r["peer"] == peer]
        there = [r for r in mine if r["objective"] <= best + 1e-9 * abs(best)]
        if there:
            keep[peer] = dict(min(there, key=lambda r: r["ms"]), reached=True)
        else:
            closest = min(r["objective"] for r in mine)
            keep[peer] = dict(min((r for r in mine if r["objective"] == closest), key=lambda r: r["ms"]), reached=False)
    return [r for r in rows if "objective" not in r] + list(keep.values())


def fmt(ms):
    return "%.3g" % ms if ms < 100 else "%.0f" % ms


if __name__ == "__main__":
    main()
