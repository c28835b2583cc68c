#!/usr/bin/env python3
"""Generates test/fixtures/drift-stats.json: seeded NumPy samples and what SciPy computes on them.

Run it where SciPy is installed (python3 scripts/drift-fixtures.py); CI has no SciPy, so the output is
committed and test/unit/monitoring/drift-stats.test.ts compares Benchtop's statistics with it.
The binning and smoothing below restate docs/drift-statistics.md (Evidently's convention) in NumPy.
"""
import json
import math
import os
import warnings

import numpy as np
import scipy
from scipy import stats
from scipy.spatial.distance import jensenshannon
from scipy.stats._hypotests import _cdf_cvm_inf

rng = np.random.default_rng(20261130)
OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'drift-stats.json')


def num(x):
    """JSON has no infinities or NaN: write them as strings the test reads back."""
    x = float(x)
    if math.isnan(x):
        return 'NaN'
    if math.isinf(x):
        return 'Infinity' if x > 0 else '-Infinity'
    return x


def sturges_shares(ref, cur):
    if len(np.unique(ref)) > 20:
        edges = np.histogram_bin_edges(np.concatenate([ref, cur]), bins='sturges')
        return np.histogram(ref, edges)[0] / len(ref), np.histogram(cur, edges)[0] / len(cur), len(edges) - 1
    keys = sorted(set(np.unique(ref)) | set(np.unique(cur)))
    r = np.array([np.sum(ref == k) for k in keys]) / len(ref)
    c = np.array([np.sum(cur == k) for k in keys]) / len(cur)
    return r, c, len(keys)


def category_shares(ref, cur):
    keys = sorted(set(ref) | set(cur))
    r = np.array([ref.count(k) for k in keys]) / len(ref)
    c = np.array([cur.count(k) for k in keys]) / len(cur)
    return r, c


def smooth(p):
    p = p.copy()
    positive = p[p != 0]
    fill = positive.min() / 10**6 if positive.min() <= 0.0001 else 0.0001
    p[p == 0] = fill
    return p


def distances(r, c):
    rs, cs = smooth(r), smooth(c)
    return {
        'jensenshannon': num(jensenshannon(rs, cs)),
        'psi': num(np.sum((rs - cs) * np.log(rs / cs))),
        'kl_div': num(stats.entropy(rs, cs)),
        'hellinger': num(np.sqrt(np.sum((np.sqrt(r) - np.sqrt(c)) ** 2)) / np.sqrt(2)),
    }


def counts_tests(ref_values, cur_values):
    """chisquare of current counts vs reference frequencies × n_cur, and the pooled z-test when binary."""
    keys = sorted(set(ref_values) | set(cur_values))
    ref_values = list(ref_values)
    cur_values = list(cur_values)
    out = {}
    obs = np.array([cur_values.count(k) for k in keys], dtype=float)
    exp = np.array([ref_values.count(k) for k in keys], dtype=float) * (len(cur_values) / len(ref_values))
    if len(keys) > 1:
        with warnings.catch_warnings(), np.errstate(divide='ignore', invalid='ignore'):
            warnings.simplefilter('ignore')
            res = stats.chisquare(obs, exp, sum_check=False)
        out['chisquare'] = {'statistic': num(res.statistic), 'pvalue': num(res.pvalue)}
    if len(keys) == 2:
        n1, n2 = len(ref_values), len(cur_values)
        x1, x2 = ref_values.count(keys[0]), cur_values.count(keys[0])
        pooled = (x1 + x2) / (n1 + n2)
        z = (x1 / n1 - x2 / n2) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
        out['z'] = {'statistic': num(z), 'pvalue': num(2 * stats.norm.sf(abs(z)))}
    return out


def numeric_case(name, ref, cur):
    ref = np.round(np.asarray(ref, dtype=float), 5)
    cur = np.round(np.asarray(cur, dtype=float), 5)
    exp = {}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        ks = stats.ks_2samp(ref, cur, method='auto')
    fell_back = any('Switching to method=asymp' in str(w.message) for w in caught)
    exp['ks'] = {
        'statistic': num(ks.statistic),
        'pvalue': num(ks.pvalue),
        'method': 'exact' if max(len(ref), len(cur)) <= 10000 and not fell_back else 'asymptotic',
    }
    w = stats.wasserstein_distance(ref, cur)
    exp['wasserstein'] = num(w)
    exp['wasserstein_normed'] = num(w / max(np.std(ref), 0.001))
    exp['energy_distance'] = num(stats.energy_distance(ref, cur))
    if len(ref) >= 2 and len(cur) >= 2:
        cvm = stats.cramervonmises_2samp(ref, cur, method='auto')
        exp['cramer_von_mises'] = {
            'statistic': num(cvm.statistic),
            'pvalue': num(cvm.pvalue),
            'method': 'exact' if max(len(ref), len(cur)) <= 20 else 'asymptotic',
        }
        for equal_var, key in ((True, 't_test_student'), (False, 't_test_welch')):
            t = stats.ttest_ind(ref, cur, equal_var=equal_var)
            exp[key] = {'statistic': num(t.statistic), 'pvalue': num(t.pvalue), 'df': num(t.df)}
    if len(np.unique(np.concatenate([ref, cur]))) >= 2:
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            ad = stats.anderson_ksamp([ref, cur], variant='midrank')
        exp['anderson'] = {'statistic': num(ad.statistic), 'pvalue': num(ad.pvalue)}
    r, c, bins = sturges_shares(ref, cur)
    exp['bins'] = bins
    exp.update(distances(r, c))
    if len(np.unique(np.concatenate([ref, cur]))) <= 5:
        # Low-cardinality numbers are compared as categories keyed by the number's text.
        exp.update(counts_tests([js_number(v) for v in ref], [js_number(v) for v in cur]))
    return {'name': name, 'kind': 'numeric', 'ref': ref.tolist(), 'cur': cur.tolist(), 'expected': exp}


def js_number(v):
    """The text JavaScript's String(number) gives for these values (integers print without '.0')."""
    v = float(v)
    return str(int(v)) if v.is_integer() else repr(v)


def categorical_case(name, ref, cur):
    ref = list(ref)
    cur = list(cur)
    exp = counts_tests(ref, cur)
    r, c = category_shares(ref, cur)
    exp.update(distances(r, c))
    # Categories are stored as counts: the tests only ever see counts, and it keeps the file small.
    ref_counts = {k: ref.count(k) for k in sorted(set(ref))}
    cur_counts = {k: cur.count(k) for k in sorted(set(cur))}
    return {'name': name, 'kind': 'categorical', 'ref': ref_counts, 'cur': cur_counts, 'expected': exp}


cases = []
N = rng.normal
# Small and exact-size samples, equal and unequal sizes.
cases.append(numeric_case('tiny unequal 7 vs 11', N(0, 1, 7), N(0.5, 1, 11)))
cases.append(numeric_case('small equal 15 vs 15', N(0, 1, 15), N(0.3, 1.2, 15)))
cases.append(numeric_case('small equal 20 vs 20 shifted', N(0, 1, 20), N(1, 1, 20)))
cases.append(numeric_case('cvm exact 12 vs 20', N(0, 1, 12), N(0, 2, 20)))
cases.append(numeric_case('cvm asymptotic 21 vs 19', N(0, 1, 21), N(0.2, 1, 19)))
cases.append(numeric_case('medium equal 300 vs 300', N(10, 2, 300), N(10.2, 2, 300)))
cases.append(numeric_case('medium unequal 250 vs 400', rng.exponential(1, 250), rng.exponential(1.1, 400)))
cases.append(numeric_case('same distribution 800 vs 1200', rng.gamma(2, 1, 800), rng.gamma(2, 1, 1200)))
cases.append(numeric_case('coprime sizes 997 vs 1009', N(0, 1, 997), N(0.05, 1, 1009)))
cases.append(numeric_case('exact limit 1000 vs 10000', N(0, 1, 1000), N(0.02, 1, 10000)))
# Tiny p-values.
cases.append(numeric_case('tiny p equal 500 vs 500', N(0, 1, 500), N(1.5, 1, 500)))
cases.append(numeric_case('tiny p unequal 400 vs 700', N(0, 1, 400), N(1.2, 1.5, 700)))
cases.append(numeric_case('disjoint 6 vs 9', np.arange(6.0), np.arange(10.0, 19.0)))
# Ties.
cases.append(numeric_case('ties poisson 300 vs 450', rng.poisson(4, 300), rng.poisson(4.4, 450)))
cases.append(numeric_case('ties rounded 120 vs 120', np.round(N(0, 1, 120), 1), np.round(N(0.1, 1, 120), 1)))
cases.append(numeric_case('ties small 10 vs 14', rng.integers(0, 4, 10), rng.integers(0, 5, 14)))
cases.append(numeric_case('constant reference', np.full(50, 3.0), N(3, 1, 60)))
# Asymptotic KS (a sample over 10,000 values) in each region of the Kolmogorov distribution.
cases.append(numeric_case('asymptotic small en 60 vs 12000', N(0, 1, 60), N(0, 1, 12000)))
cases.append(numeric_case('asymptotic en~200 200 vs 12000', N(0, 1, 200), N(0.1, 1, 12000)))
cases.append(numeric_case('asymptotic en~4000 5000 vs 20000', N(0, 1, 5000), N(0, 1, 10200)))
cases.append(numeric_case('asymptotic tiny p 3000 vs 15000', N(0, 1, 3000), N(0.3, 1, 10100)))
cases.append(numeric_case('large 2000 vs 10500 drift', rng.lognormal(0, 0.5, 2000), rng.lognormal(0.05, 0.5, 10500)))
# Low-cardinality numbers (few distinct values) and the default-choice boundaries.
for distinct in (2, 3, 5, 6):
    for rows in (1000, 1001):
        ref = rng.integers(0, distinct, rows).astype(float)
        cur = rng.integers(0, distinct, 900).astype(float)
        cur[:distinct] = np.arange(distinct)  # every value present so the distinct count is exact
        ref[:distinct] = np.arange(distinct)
        cases.append(numeric_case(f'choice numeric {distinct} values {rows} rows', ref, cur))

letters = np.array(list('abcdefgh'))
def cats(p, n):
    return list(rng.choice(letters[: len(p)], size=n, p=p))

cases.append(categorical_case('categorical 4 same', cats([0.1, 0.2, 0.3, 0.4], 500), cats([0.1, 0.2, 0.3, 0.4], 600)))
cases.append(categorical_case('categorical 5 shifted', cats([0.3, 0.3, 0.2, 0.1, 0.1], 800), cats([0.1, 0.2, 0.3, 0.2, 0.2], 700)))
cases.append(categorical_case('categorical new category', list('aabbbc' * 20), list('aabbcd' * 25)))
cases.append(categorical_case('categorical missing category', list('aabbcd' * 30), list('aabbbb' * 20)))
cases.append(categorical_case('categorical large 5000 vs 5000', cats([0.5, 0.25, 0.125, 0.0625, 0.0625], 5000),
                              cats([0.45, 0.3, 0.125, 0.0625, 0.0625], 5000)))
cases.append(categorical_case('categorical rare bins 100000', cats([0.99994, 0.00003, 0.00003], 100000),
                              cats([0.9999, 0.0001, 0.0], 100000)))
cases.append(categorical_case('binary close', cats([0.3, 0.7], 900), cats([0.32, 0.68], 1000)))
cases.append(categorical_case('binary far', cats([0.3, 0.7], 400), cats([0.6, 0.4], 400)))
cases.append(categorical_case('binary one side constant', ['y'] * 50 + ['n'] * 50, ['y'] * 80))
for distinct in (2, 3, 5, 6):
    for rows in (1000, 1001):
        p = np.full(distinct, 1 / distinct)
        ref = cats(p, rows)
        cur = cats(p, 800)
        ref[:distinct] = letters[:distinct]
        cur[:distinct] = letters[:distinct]
        cases.append(categorical_case(f'choice categorical {distinct} values {rows} rows', ref, cur))

kolmogorov = []
for n in (1, 2, 5, 10, 50, 140, 141, 200, 1000, 5000, 100000, 100001, 400000):
    xs = {0.4 / n, 0.7 / n, 0.99 / n, 0.5, 0.6, 0.95}
    if n > 2:
        xs.add(1 - 1.5 / n)
    for nxx in (0.3, 0.754, 0.9, 1.5, 2.19, 2.21, 3.9, 4.1, 10, 17.9, 18.1, 100, 369, 371):
        xs.add(math.sqrt(nxx / n))
    for x in sorted(xs):
        if 0 < x < 1:
            kolmogorov.append({'n': n, 'x': x, 'sf': num(stats.kstwo.sf(x, n))})

cvm_limit = [{'x': x, 'cdf': num(_cdf_cvm_inf(np.float64(x)))} for x in (0.003, 0.01, 0.03, 0.05, 0.1, 0.2, 0.35, 0.5, 1.0, 2.0, 4.0)]
bessel = [{'x': x, 'k': num(scipy.special.kv(0.25, x))} for x in (1e-3, 0.01, 0.1, 0.5, 1, 2, 5, 10, 30, 100, 500)]
chi2 = [{'x': x, 'df': df, 'sf': num(stats.chi2.sf(x, df))}
        for x, df in ((0.5, 1), (3.84, 1), (11.07, 5), (50, 3), (400, 10), (1500, 20), (1e-4, 4))]
student = [{'t': t, 'df': df, 'p': num(2 * stats.t.sf(abs(t), df))}
           for t, df in ((0.1, 3), (2.228, 10), (-3.5, 17.7), (12, 40), (40, 1500), (1.0, 1e6))]

fixture = {
    'generator': 'scripts/drift-fixtures.py',
    'scipy': scipy.__version__,
    'numpy': np.__version__,
    'cases': cases,
    'kolmogorov': kolmogorov,
    'cvmLimit': cvm_limit,
    'besselK14': bessel,
    'chi2': chi2,
    'student': student,
}
with open(OUT, 'w') as f:
    json.dump(fixture, f, separators=(',', ':'))
print(f'wrote {OUT}: {len(cases)} cases, {os.path.getsize(OUT)} bytes')
