"""PRIM, the Patient Rule Induction Method of scenario discovery (discovery.py; Friedman and
Fisher 1999, as in the EMA Workbench and sdtoolkit), on a DiscoveryData (discovery_data.py):
peel, paste, the coverage/density trade-off, one chosen box, a quasi-p-value per restricted
parameter and the bootstrap frequency of each restriction (`prim`, a PrimResult). Mass,
density and coverage of a box as in discovery.py.
"""

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .discovery_data import DiscoveryError

def _in_box(X, lo, hi):
    return np.all((X >= lo) & (X <= hi), axis=1)


def _peel(X, y, alpha, mass_min, discrete):
    """The peeling trajectory: [(lower, upper)] from the box of all points on. Each step
    removes, from one face of one dimension, alpha of the box's points (a continuous
    parameter: up to the next distinct value when values tie) or one end level (a discrete
    one), choosing the peel that most increases the box's density per point removed
    (Friedman and Fisher's criterion for peels of unequal size). As in Friedman and Fisher
    (and unlike the EMA Workbench, which stops at the first peel that lowers the density),
    it goes on while the box holds at least mass_min of the points, through peels that lower
    the density if none raises it: a dip can lead to a denser box. It stops early only when
    every point of the box is a case."""
    n, d = X.shape
    lo, hi = X.min(axis=0).astype(float), X.max(axis=0).astype(float)
    boxes = [(lo.copy(), hi.copy())]
    idx = np.arange(n)
    min_points = max(1, int(math.ceil(mass_min * n - 1e-9)))
    while True:
        nb = idx.size
        yb = y[idx]
        kb = int(yb.sum())
        if kb == nb:
            break
        best = None
        for j in range(d):
            xj = X[idx, j]
            values = np.unique(xj)
            if values.size < 2:
                continue
            if discrete[j]:
                cuts = ((0, values[1]), (1, values[-2]))
            else:
                k = min(nb - 1, max(1, int(round(alpha * nb))))
                s = np.sort(xj)
                cuts = ((0, s[k] if s[k] > s[0] else values[1]),
                        (1, s[nb - 1 - k] if s[nb - 1 - k] < s[-1] else values[-2]))
            for side, cut in cuts:
                keep = xj >= cut if side == 0 else xj <= cut
                nk = int(keep.sum())
                if nk < min_points or nk == nb:
                    continue
                gain = (yb[keep].sum() / nk - kb / nb) / (nb - nk)
                if best is None or gain > best[0]:
                    best = (gain, j, side, cut, keep)
        if best is None:
            break
        _, j, side, cut, keep = best
        if side == 0:
            lo[j] = cut
        else:
            hi[j] = cut
        idx = idx[keep]
        boxes.append((lo.copy(), hi.copy()))
    return boxes


def _paste(X, y, lo, hi, alpha, discrete):
    """Pasting (Friedman and Fisher): widen the box along one face of one dimension by alpha
    of its points (a discrete parameter: one level), the widening that gives the highest
    density, as long as the density does not fall."""
    lo, hi = lo.copy(), hi.copy()
    n, d = X.shape
    while True:
        inside = (X >= lo) & (X <= hi)
        box = inside.all(axis=1)
        nb, kb = int(box.sum()), int(y[box].sum())
        k = max(1, int(round(alpha * nb)))
        best = None
        for j in range(d):
            others = np.delete(inside, j, axis=1).all(axis=1)
            for side in (0, 1):
                out = others & ((X[:, j] < lo[j]) if side == 0 else (X[:, j] > hi[j]))
                if not out.any():
                    continue
                v = X[out, j]
                if discrete[j]:
                    new = v.max() if side == 0 else v.min()
                else:
                    s = np.sort(v)
                    new = s[::-1][min(k, s.size) - 1] if side == 0 else s[min(k, s.size) - 1]
                added = out & ((X[:, j] >= new) if side == 0 else (X[:, j] <= new))
                density = (kb + y[added].sum()) / (nb + added.sum())
                if density >= kb / nb and (best is None or density > best[0]):
                    best = (density, j, side, new)
        if best is None:
            return lo, hi
        _, j, side, new = best
        if side == 0:
            lo[j] = new
        else:
            hi[j] = new


DEFAULT_RULE = "the box of largest coverage x density"


def _balance(coverage, density):
    """The box of the trajectory with the largest coverage x density (= cases in the box
    squared / (all cases x runs in the box)): where the trade-off turns, the corner of a
    trajectory that has one; the earlier box on ties."""
    return int(np.argmax(np.round(coverage * density, 12)))


def _choose(coverage, density, min_density):
    """(index on the trajectory, the rule in words)."""
    if min_density is not None:
        meets = np.flatnonzero(density >= min_density - 1e-12)
        if meets.size:
            return int(meets[0]), (f"the box of largest coverage with density >= "
                                   f"{min_density:g}")
        return _balance(coverage, density), (f"no box reaches density {min_density:g} (the "
                                             f"densest: {density.max():.2f}), so "
                                             f"{DEFAULT_RULE}")
    return _balance(coverage, density), DEFAULT_RULE


def _binomial_sf(k, n, p):
    """P(X >= k) for X ~ Binomial(n, p): scipy's if installed, else summed in logs."""
    if k <= 0:
        return 1.0
    try:
        from scipy.stats import binom
        return float(binom.sf(k - 1, n, p))
    except ImportError:  # pragma: no cover - Debian's python3-scipy is a sklearn dependency
        if p <= 0:
            return 0.0
        if p >= 1:
            return 1.0
        logs = [math.lgamma(n + 1) - math.lgamma(i + 1) - math.lgamma(n - i + 1)
                + i * math.log(p) + (n - i) * math.log1p(-p) for i in range(k, n + 1)]
        top = max(logs)
        return float(min(1.0, math.exp(top) * sum(math.exp(v - top) for v in logs)))


def _fit(X, y, alpha, mass_min, discrete, min_density, paste):
    """One PRIM fit: (trajectory boxes, their stats, chosen index, rule, final lo, hi)."""
    boxes = _peel(X, y, alpha, mass_min, discrete)
    total = int(y.sum())
    stats = []
    for lo, hi in boxes:
        box = _in_box(X, lo, hi)
        nb, kb = int(box.sum()), int(y[box].sum())
        stats.append((kb / total, kb / nb, nb / len(y), nb, kb))
    stats = np.array(stats, dtype=float)
    chosen, rule = _choose(stats[:, 0], stats[:, 1], min_density)
    lo, hi = boxes[chosen]
    if paste:
        lo, hi = _paste(X, y, lo, hi, alpha, discrete)
    return boxes, stats, chosen, rule, lo, hi


@dataclass
class PrimResult:
    """PRIM on one sample. `trajectory`: one row per peeled box (step 0: every point) with
    coverage, density, mass, points, cases, restricted (how many dimensions) and dimensions
    (their names); `limits[i]` its (lower, upper) arrays. `chosen` is the chosen box's step on
    the trajectory, `rule` why; `lower`, `upper` the chosen box after pasting (every
    dimension; an unrestricted one spans the sample's range) and `box` its restricted
    dimensions as a table; `bootstrap` per parameter the frequency of its restriction over
    the resamples."""
    parameters: list
    units: dict
    trajectory: pd.DataFrame
    limits: list
    chosen: int
    rule: str
    lower: np.ndarray
    upper: np.ndarray
    xmin: np.ndarray
    xmax: np.ndarray
    box: pd.DataFrame
    coverage: float
    density: float
    mass: float
    points: int
    cases: int
    total_points: int
    total_cases: int
    bootstrap: pd.DataFrame
    resamples: int
    alpha: float
    mass_min: float
    min_density: float = None
    pasted: bool = True
    discrete: dict = field(default_factory=dict)

    @property
    def restricted(self):
        """The restricted parameters, most restrictive first (see `box`)."""
        return list(self.box["parameter"])

    def describe(self):
        return (f"coverage {self.coverage:.2f}, density {self.density:.2f}, mass "
                f"{self.mass:.2f} ({self.points} runs, {self.cases} of them cases)")


def prim(data, alpha=0.05, mass_min=0.05, density=None, paste=True, bootstrap=50, seed=0):
    """PRIM on a DiscoveryData (`sweep_data`, `array_data`): the peeling trajectory, the
    chosen box (`density` None: the box of largest coverage x density; a number D: the box
    of largest coverage with density >= D, else the former), pasted (paste=True), its quasi-p-value
    per restricted dimension, and the restrictions' frequency over `bootstrap` resamples
    (seeded with `seed`; 0: none). Returns a PrimResult."""
    if not 0 < alpha < 0.5:
        raise DiscoveryError(f"alpha must be in (0, 0.5), not {alpha}")
    if not 0 < mass_min < 1:
        raise DiscoveryError(f"the minimum mass must be in (0, 1), not {mass_min}")
    if density is not None and not 0 < density <= 1:
        raise DiscoveryError(f"the density threshold must be in (0, 1], not {density}")
    if bootstrap < 0:
        raise DiscoveryError(f"the number of bootstrap resamples must be >= 0, not {bootstrap}")
    names = data.parameters
    X = data.X.values.astype(float)
    y = data.y.astype(bool)
    disc = [data.discrete.get(p, False) for p in names]
    n, d = X.shape
    boxes, stats, chosen, rule, lo, hi = _fit(X, y, alpha, mass_min, disc, density, paste)
    xmin, xmax = X.min(axis=0), X.max(axis=0)

    def restricted(lo, hi, xmin, xmax):
        return [j for j in range(d) if lo[j] > xmin[j] or hi[j] < xmax[j]]

    rows = []
    for i, ((blo, bhi), s) in enumerate(zip(boxes, stats)):
        r = restricted(blo, bhi, xmin, xmax)
        rows.append({"step": i, "coverage": s[0], "density": s[1], "mass": s[2],
                     "points": int(s[3]), "cases": int(s[4]), "restricted": len(r),
                     "dimensions": " ".join(names[j] for j in r)})
    trajectory = pd.DataFrame(rows)
    box = _in_box(X, lo, hi)
    nb, kb, total = int(box.sum()), int(y[box].sum()), int(y.sum())

    # bootstrap: how often each dimension is restricted when PRIM is refitted on resamples
    rng = np.random.default_rng(seed)
    counts = np.zeros(d)
    los, his = [[] for _ in range(d)], [[] for _ in range(d)]
    done = 0
    for _ in range(int(bootstrap)):
        take = rng.integers(0, n, n)
        Xb, yb = X[take], y[take]
        if not yb.any() or yb.all():
            continue
        *_, blo, bhi = _fit(Xb, yb, alpha, mass_min, disc, density, paste)
        bmin, bmax = Xb.min(axis=0), Xb.max(axis=0)
        done += 1
        for j in restricted(blo, bhi, bmin, bmax):
            counts[j] += 1
            if blo[j] > bmin[j]:
                los[j].append(blo[j])
            if bhi[j] < bmax[j]:
                his[j].append(bhi[j])
    boot = pd.DataFrame({
        "parameter": names,
        "frequency": counts / done if done else np.full(d, np.nan),
        "median_lower": [float(np.median(v)) if v else np.nan for v in los],
        "median_upper": [float(np.median(v)) if v else np.nan for v in his],
        "resamples": done})

    # the chosen box's restricted dimensions: limits, quasi-p-values, bootstrap frequency
    table = []
    for j in restricted(lo, hi, xmin, xmax):
        lo2, hi2 = lo.copy(), hi.copy()
        lo2[j], hi2[j] = xmin[j], xmax[j]
        wider = _in_box(X, lo2, hi2)
        p = y[wider].sum() / wider.sum()
        alone = (X[:, j] >= lo[j]) & (X[:, j] <= hi[j])
        table.append({"parameter": names[j], "lower": float(lo[j]), "upper": float(hi[j]),
                      "unit": data.units.get(names[j], ""),
                      "restricts_lower": bool(lo[j] > xmin[j]),
                      "restricts_upper": bool(hi[j] < xmax[j]),
                      "quasi_p": _binomial_sf(kb, nb, p),
                      "bootstrap_frequency": float(boot["frequency"].iloc[j]),
                      "bootstrap_median_lower": float(boot["median_lower"].iloc[j]),
                      "bootstrap_median_upper": float(boot["median_upper"].iloc[j]),
                      "kept": float(alone.mean()), "discrete": bool(disc[j])})
    columns = ["parameter", "lower", "upper", "unit", "restricts_lower", "restricts_upper",
               "quasi_p", "bootstrap_frequency", "bootstrap_median_lower",
               "bootstrap_median_upper", "kept", "discrete"]
    table = pd.DataFrame(table, columns=columns)
    table = table.sort_values("kept", kind="stable").reset_index(drop=True)
    return PrimResult(parameters=names, units=dict(data.units), trajectory=trajectory,
                      limits=boxes, chosen=chosen, rule=rule, lower=lo, upper=hi, xmin=xmin,
                      xmax=xmax, box=table, coverage=kb / total, density=kb / nb,
                      mass=nb / n, points=nb, cases=kb, total_points=n, total_cases=total,
                      bootstrap=boot, resamples=done, alpha=alpha, mass_min=mass_min,
                      min_density=density, pasted=paste,
                      discrete=dict(zip(names, map(bool, disc))))
