#!/usr/bin/env python3
"""Writes the data files the examples in README.md and docs/ read (docs/minimize.md).

Deterministic (Python's own generator, no packages): run from this directory,
    python3 make-data.py
and the files come out byte for byte as shipped.
"""
import math
import random

rnd = random.Random(20261202)

def write(name, rows):
    with open(name, "w") as f:
        for r in rows:
            f.write(",".join(repr(round(v, 6)) for v in r) + "\n")

n, p = 40, 5
w_true = [1.0, -2.0, 0.5, 0.0, 3.0]
X = [[rnd.gauss(0, 1) for _ in range(p)] for _ in range(n)]
X = [[round(v, 6) for v in r] for r in X]
y = [sum(a * b for a, b in zip(r, w_true)) + 0.3 * rnd.gauss(0, 1) for r in X]
write("X.csv", X)
write("y.csv", [[v] for v in y])
write("y30.csv", [[v] for v in y[:30]])
# labels in {0, 1} from a logistic model with weights w_true / 2
labels = [1.0 if rnd.random() < 1 / (1 + math.exp(-0.5 * sum(a * b for a, b in zip(r, w_true)))) else 0.0 for r in X]
write("labels.csv", [[v] for v in labels])
# a sample covariance of 3 variables (symmetric positive definite)
Z = [[rnd.gauss(0, 1) for _ in range(3)] for _ in range(200)]
C = [[sum(z[i] * z[j] for z in Z) / len(Z) for j in range(3)] for i in range(3)]
write("C.csv", C)
