"""CART for scenario discovery (discovery.py) on a DiscoveryData (discovery_data.py): a
classification tree of y on X (scikit-learn's DecisionTreeClassifier, Gini, pruned by
cross-validation), its leaves as boxes ranked by density (`cart`, a CartResult). Mass,
density and coverage of a box as in discovery.py.
"""

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .discovery_data import DiscoveryError, _fmt

def have_sklearn():
    import importlib.util
    return importlib.util.find_spec("sklearn") is not None


@dataclass
class CartResult:
    """A pruned classification tree of y on X. `leaves`: one row per leaf, densest first
    (ties: larger coverage), with points, cases, coverage, density, mass, majority (whether
    the cases are the majority in the leaf) and `box` (the leaf's limits in words);
    `boxes[i]`: {parameter: (lower, upper)} of row i, NaN where the leaf has no limit (lower
    limits exclusive, upper inclusive: lower < x <= upper)."""
    leaves: pd.DataFrame
    boxes: list
    depth: int
    ccp_alpha: float
    min_leaf: int
    max_depth: int
    tree: object = None

    def best(self, n=3):
        """The first n leaves where the cases are the majority (densest first)."""
        return self.leaves[self.leaves["majority"]].head(n)


def _box_text(limits, units):
    parts = []
    for p, (a, b) in limits.items():
        u = units.get(p, "")
        u = "" if u == "dimensionless" else f" {u}"
        if np.isfinite(a) and np.isfinite(b):
            parts.append(f"{_fmt(a)} < {p} <= {_fmt(b)}{u}")
        elif np.isfinite(a):
            parts.append(f"{p} > {_fmt(a)}{u}")
        else:
            parts.append(f"{p} <= {_fmt(b)}{u}")
    return ", ".join(parts) if parts else "every run (no split)"


def cart(data, max_depth=4, min_leaf=None, folds=5, seed=0):
    """CART on a DiscoveryData: scikit-learn's DecisionTreeClassifier (Gini impurity,
    axis-aligned splits, at most `max_depth` levels, leaves of at least `min_leaf` runs:
    default 2% of the runs and at least 5), pruned by cost-complexity with the one-standard-
    error rule of Breiman et al. on `folds`-fold cross-validated misclassification (seeded).
    Returns a CartResult: its leaves as boxes ranked by density."""
    try:
        from sklearn.model_selection import StratifiedKFold
        from sklearn.tree import DecisionTreeClassifier
    except ImportError:
        raise DiscoveryError("CART needs scikit-learn: Debian's python3-sklearn "
                             "(tools/setup.sh installs it)") from None
    names = data.parameters
    X = data.X.values.astype(float)
    y = data.y.astype(int)
    n = len(y)
    if min_leaf is None:
        min_leaf = max(5, int(math.ceil(0.02 * n)))

    def tree(ccp=0.0):
        return DecisionTreeClassifier(criterion="gini", max_depth=max_depth,
                                      min_samples_leaf=min_leaf, ccp_alpha=ccp,
                                      random_state=seed)

    path = tree().cost_complexity_pruning_path(X, y)
    alphas = np.unique(path.ccp_alphas[path.ccp_alphas >= 0])
    ccp = 0.0
    k = min(folds, int(y.sum()), int((1 - y).sum()))
    if alphas.size > 1 and k >= 2:
        errors = np.zeros((k, alphas.size))
        split = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
        for f, (train, test) in enumerate(split.split(X, y)):
            for a, ccp_a in enumerate(alphas):
                t = tree(ccp_a).fit(X[train], y[train])
                errors[f, a] = np.mean(t.predict(X[test]) != y[test])
        mean = errors.mean(axis=0)
        se = errors.std(axis=0, ddof=1) / math.sqrt(k)
        best = int(np.argmin(mean))
        ccp = float(alphas[np.flatnonzero(mean <= mean[best] + se[best]).max()])
    fitted = tree(ccp).fit(X, y)
    t = fitted.tree_
    leaf_of = fitted.apply(X)
    total = int(y.sum())
    rows, boxes = [], []

    def walk(node, limits):
        if t.children_left[node] == -1:
            inside = leaf_of == node
            nb, kb = int(inside.sum()), int(y[inside].sum())
            ordered = {p: limits[p] for p in names if p in limits}
            rows.append({"leaf": int(node), "points": nb, "cases": kb,
                         "coverage": kb / total, "density": kb / nb if nb else 0.0,
                         "mass": nb / n, "majority": kb > nb - kb,
                         "box": _box_text(ordered, data.units)})
            boxes.append(ordered)
            return
        p, thr = names[t.feature[node]], float(t.threshold[node])
        a, b = limits.get(p, (-np.inf, np.inf))
        walk(t.children_left[node], {**limits, p: (a, min(b, thr))})
        walk(t.children_right[node], {**limits, p: (max(a, thr), b)})

    walk(0, {})
    boxes = [{p: tuple(float(v) if np.isfinite(v) else np.nan for v in ab)
              for p, ab in b.items()} for b in boxes]
    leaves = pd.DataFrame(rows)
    order = np.lexsort((-leaves["coverage"].values, -leaves["density"].values))
    leaves = leaves.iloc[order].reset_index(drop=True)
    boxes = [boxes[i] for i in order]
    leaves.insert(0, "rank", np.arange(1, len(leaves) + 1))
    return CartResult(leaves=leaves, boxes=boxes, depth=int(fitted.get_depth()), ccp_alpha=ccp,
                      min_leaf=min_leaf, max_depth=max_depth, tree=fitted)
