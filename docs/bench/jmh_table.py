# Turns a JMH JSON result of LinearAlgebraBench into the Markdown table of docs/linear-algebra.md.
# Usage: python3 docs/bench/jmh_table.py result.json
import json, sys
r = json.load(open(sys.argv[1]))
res = {}
for b in r:
    name = b['benchmark'].rsplit('.', 1)[1]
    n = b['params']['n']
    m = b['primaryMetric']
    lib = 'ejml' if name.endswith('Ejml') else 'ojalgo'
    op = name[:-4] if lib == 'ejml' else name[:-6]
    res[(op, int(n), lib)] = (m['score'], m['scoreError'])
labels = {'product': 'product A*B', 'inverse': 'inverse', 'luDet': 'LU determinant', 'eigSym': 'symmetric eigen (values + vectors)'}
print('| operation | n | EJML (us/op) | ojAlgo (us/op) | ojAlgo / EJML |')
print('|---|---:|---:|---:|---:|')
def fmt(x):
    return f'{x:.3f}' if x < 1 else (f'{x:.1f}' if x < 1000 else f'{x:.0f}')
for op in ['product', 'inverse', 'luDet', 'eigSym']:
    for n in sorted({k[1] for k in res if k[0] == op}):
        e, ee = res[(op, n, 'ejml')]
        o, oe = res[(op, n, 'ojalgo')]
        print(f'| {labels[op]} | {n} | {fmt(e)} ± {fmt(ee)} | {fmt(o)} ± {fmt(oe)} | {o/e:.2f} |')
