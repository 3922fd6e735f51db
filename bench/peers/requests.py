#!/usr/bin/python3
"""Writes the request stream of bench/run-peers: the 39 problems of problems.json, ROUNDS times
(default 20), each with fresh random values at the sizes of problems.json (n=4, m=3, k=5), one
JSON request per line for `matcalc derive --jsonl` (gradient, order 1). Standard library only."""
import json
import os
import random
import sys

here = os.path.dirname(os.path.abspath(__file__))
spec = json.load(open(os.path.join(here, "problems.json")))
sizes = spec["sizes"]
rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 20
rnd = random.Random(11)


def dims(shape):
    if shape == "scalar":
        return None
    kind, args = shape.split("(")
    args = [sizes[a.strip()] for a in args.rstrip(")").split(",")]
    if kind == "vector":
        return (args[0],)
    return (args[0], args[0]) if len(args) == 1 else (args[0], args[1])


def value(shape, style):
    d = dims(shape)
    if d is None:
        return round(abs(rnd.gauss(0, 1)) + 0.5, 6)
    if len(d) == 1:
        n = d[0]
        if style == "onehot":
            k = rnd.randrange(n)
            return [1.0 if i == k else 0.0 for i in range(n)]
        return [entry(style) for _ in range(n)]
    r, c = d
    if style == "spd":  # A*A'/n + I
        a = [[rnd.gauss(0, 1) for _ in range(r)] for _ in range(r)]
        return [[sum(a[i][t] * a[j][t] for t in range(r)) / r + (1.0 if i == j else 0.0) for j in range(r)] for i in range(r)]
    if style == "wellcond":  # N(0,1) + 2 sqrt(n) I
        return [[rnd.gauss(0, 1) + (2 * r ** 0.5 if i == j else 0) for j in range(c)] for i in range(r)]
    return [[entry(style) for _ in range(c)] for _ in range(r)]


def entry(style):
    if style == "pm1":
        return rnd.choice([-1.0, 1.0])
    if style == "positive":
        return abs(rnd.gauss(0, 1)) + 0.5
    return rnd.gauss(0, 1)


for _ in range(rounds):
    for p in spec["problems"]:
        sample = p.get("sample", {})
        at = {name: value(shape, sample.get(name, "normal")) for name, shape in p["shapes"].items()}
        print(json.dumps({"expression": p["expr"], "wrt": p["wrt"], "variables": p["shapes"], "order": 1, "at": at}))
