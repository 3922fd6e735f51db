"""Runs generated modules for CodegenRunTest: one JSON case per input line, one JSON result per output line.

A case: {"id", "code", "fn", "args", "expected": [value, derivative, ...], "autograd": bool}.
Each module is executed as it would be imported, called with the case's arguments (encoded as
matcalc derive --json encodes values), compared with matcalc's own values, and its self-checks run.
"""
import json
import sys
import traceback
import warnings

warnings.simplefilter("ignore")


def relative(got, want, lib):
    if lib == "torch":
        import torch
        got = torch.as_tensor(got, dtype=torch.float64).detach().cpu().numpy()
    import numpy as np
    got = np.asarray(got, dtype=float)
    want = np.asarray(want, dtype=float)
    if got.shape != want.shape:
        return None, "shape %s, matcalc's is %s" % (got.shape, want.shape)
    # relative to the result, or absolute for results below 1 (a zero up to rounding compares as zero)
    scale = max(np.linalg.norm(want), 1.0)
    return float(np.linalg.norm(got - want) / scale), None


def run(case):
    ns = {"__name__": "generated_" + case["id"]}
    exec(compile(case["code"], case["id"], "exec"), ns)
    lib = "torch" if "import torch" in case["code"] else "numpy"
    args = case["args"]
    if lib == "torch":
        import torch
        args = {k: torch.tensor(v, dtype=torch.float64) for k, v in args.items()}
    out = ns[case["fn"]](**args)
    if len(case["expected"]) == 1:
        out = (out,)
    worst = 0.0
    for k, (got, want) in enumerate(zip(out, case["expected"])):
        err, why = relative(got, want, lib)
        if why is not None:
            return {"id": case["id"], "ok": False, "error": "output %d: %s" % (k, why)}
        worst = max(worst, err)
    result = {"id": case["id"], "ok": True, "agreement": worst}
    if "check_gradient" in ns:
        result["check_gradient"] = ns["check_gradient"]()
    if "check_autograd" in ns:
        result["check_autograd"] = ns["check_autograd"]()
    return result


for line in sys.stdin:
    case = json.loads(line)
    try:
        r = run(case)
    except Exception as e:  # reported per case, with the module's own line
        r = {"id": case["id"], "ok": False, "error": "%s: %s\n%s" % (type(e).__name__, e, traceback.format_exc(limit=-3))}
    sys.stdout.write(json.dumps(r) + "\n")
    sys.stdout.flush()
