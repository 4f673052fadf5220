"""The sample scenario discovery (discovery.py) works on, and the error it raises.

A sweep's ok runs are the sample: X the parameters' values in each run, y = 1 for the runs
where a metric is above (or below) a threshold, the "cases of interest" (`sweep_data`), or
plain arrays (`array_data`); both give a DiscoveryData, with the parameters' units, which are
discrete and their ranges. DiscoveryError: discovery cannot run on this input.
"""

import difflib
from dataclasses import dataclass

import numpy as np
import pandas as pd

MIN_RUNS = 20       # fewer ok runs than this: refused
MAX_LEVELS = 10     # a parameter with at most this many values is peeled a level at a time


class DiscoveryError(ValueError):
    """Discovery cannot run on this input (not a sweep, an unknown metric, too few ok runs,
    no or only cases of interest). The message is one line."""


# ---------------------------------------------------------------------------------------------
# The data: X, y and what the labels and units are


@dataclass
class DiscoveryData:
    """The sample discovery works on: `X` (pandas.DataFrame, one row per ok run, one column
    per parameter, indexed by run id), `y` (bool array: the cases of interest)."""
    X: pd.DataFrame
    y: np.ndarray
    units: dict                     # parameter -> unit text ("dimensionless" for 1)
    discrete: dict                  # parameter -> peeled a level at a time
    ranges: dict                    # parameter -> (min, max) over every run of the design
    outcome: str = "y = 1"          # the cases in words: "rus_share_tjk > 0.62"
    metric: str = None
    threshold: float = None
    direction: str = None           # "above" or "below"
    metric_unit: str = ""
    runs: int = 0                   # every run of the file
    dropped: int = 0                # runs not used: failed, missing (and NaN metrics)
    failed: pd.DataFrame = None     # the dropped runs' parameter values (for the scatter)
    context: str = ""               # one line: which sweep, design, runs

    @property
    def parameters(self):
        return [str(c) for c in self.X.columns]

    @property
    def cases(self):
        return int(self.y.sum())

    def describe(self):
        """One line: the cases of interest, how many, and the runs dropped."""
        n = len(self.y)
        unit = f" [{self.metric_unit}]" if self.metric_unit else ""
        return (f"cases of interest: {self.outcome}{unit}: {self.cases} of {n} ok runs "
                f"({self.cases / n:.0%}); {self.dropped} failed or missing "
                f"run{'s' if self.dropped != 1 else ''} dropped")


def _unit_text(u):
    u = "" if u is None else str(u)
    return "dimensionless" if u in ("", "1") else u


def _fmt(v, digits=4):
    """A number for tables and labels: `digits` significant digits, no exponent for usual
    magnitudes."""
    if v is None or not np.isfinite(v):
        return "-"
    return f"{v:.{digits}g}"


def did_you_mean(name, choices):
    """" (did you mean 'x'?)" or ""."""
    close = difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _threshold_ok(above, below):
    if (above is None) == (below is None):
        raise DiscoveryError("give exactly one of --above X or --below X: the cases of "
                             "interest are the runs whose metric is above (or below) X")
    value = above if above is not None else below
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise DiscoveryError(f"the threshold must be a number, not {value!r}") from None
    if not np.isfinite(value):
        raise DiscoveryError(f"the threshold must be a finite number, not {value}")
    return value, ("above" if above is not None else "below")


def _discrete_from_yaml(ds):
    """Parameters the sweep file gives as `levels` (grid) or a `discrete` distribution."""
    try:
        import yaml
        plan = yaml.safe_load(ds.attrs.get("sweep_yaml", "")) or {}
        return {p["name"] for p in plan.get("parameters", [])
                if isinstance(p, dict) and ("levels" in p or "discrete" in p)}
    except Exception:  # no PyYAML, or a sweep_yaml edited by hand: count the values instead
        return set()


def _auto_discrete(X, given=None):
    given = given or {}
    return {c: bool(given.get(c, np.unique(X[c].values).size <= MAX_LEVELS)) for c in X.columns}


def sweep_data(ds, metric=None, above=None, below=None, cases=None, min_runs=MIN_RUNS):
    """DiscoveryData of a sweep dataset (`analysis.load`): its ok runs (status 0), the cases
    where `metric` > `above` (or < `below`), or `cases` (a bool array over the file's runs; the
    runs not ok are dropped). Raises DiscoveryError (a ValueError, one line) for a file that is
    not a sweep, an unknown metric, fewer than `min_runs` ok runs, or no or only cases."""
    from .io import kind
    from .sweep_figures import metrics, parameter_units, parameters
    if kind(ds) != "sweep":
        raise DiscoveryError(f"scenario discovery needs a sweep file (geosim sweep run or "
                             f"merge); this is a {kind(ds)} file")
    ms, ps = metrics(ds), parameters(ds)
    status = np.asarray(ds["status"].values)
    n_runs = status.size
    if cases is None:
        if metric is None:
            raise DiscoveryError(f"give a metric: one of {', '.join(ms)}")
        if metric not in ms:
            raise DiscoveryError(f"no metric '{metric}' in this sweep{did_you_mean(metric, ms)};"
                                 f" its metrics are {', '.join(ms)}")
        threshold, direction = _threshold_ok(above, below)
        values = np.asarray(ds[metric].values, dtype=float)
        ok = (status == 0) & np.isfinite(values)
        y_all = values > threshold if direction == "above" else values < threshold
        metric_unit = _unit_text(ds[metric].attrs.get("units", ""))
        outcome = f"{metric} {'>' if direction == 'above' else '<'} {threshold:g}"
    else:
        y_all = np.asarray(cases)
        if y_all.shape != (n_runs,) or not (y_all.dtype == bool or np.isin(y_all, [0, 1]).all()):
            raise DiscoveryError(f"cases must be a boolean array over the sweep's {n_runs} runs, "
                                 f"not of shape {y_all.shape}")
        y_all = y_all.astype(bool)
        ok = status == 0
        threshold = direction = None
        metric_unit = ""
        outcome = metric or "the given cases"
    X_all = pd.DataFrame({p: np.asarray(ds[p].values, dtype=float) for p in ps},
                         index=pd.Index(np.asarray(ds["run"].values), name="run"))
    ok &= np.isfinite(X_all.values).all(axis=1)
    n_ok = int(ok.sum())
    dropped = n_runs - n_ok
    if n_ok < min_runs:
        raise DiscoveryError(f"only {n_ok} ok runs ({dropped} failed or missing dropped): "
                             f"scenario discovery needs at least {min_runs}")
    y = y_all[ok]
    if cases is None:
        v = values[ok]
        span = (f"its values over the {n_ok} ok runs are {_fmt(v.min())} .. {_fmt(v.max())} "
                f"{metric_unit}")
        if not y.any():
            raise DiscoveryError(f"no ok run has {outcome} ({span}): no case of interest to "
                                 "discover; choose a threshold inside that range")
        if y.all():
            raise DiscoveryError(f"every ok run has {outcome} ({span}): every run is a case, "
                                 "nothing to tell apart; choose a threshold inside that range")
    elif not y.any() or y.all():
        raise DiscoveryError(f"{'no' if not y.any() else 'every'} ok run is a case of interest: "
                             "nothing to tell apart")
    X = X_all[ok]
    yaml_discrete = _discrete_from_yaml(ds)
    discrete = _auto_discrete(X, {p: True for p in yaml_discrete if p in ps})
    ranges = {p: (float(np.nanmin(X_all[p].values)), float(np.nanmax(X_all[p].values)))
              for p in ps}
    a = ds.attrs
    of = (f"scenario {a['scenario_name']}" if a.get("scenario_name")
          else f"model {a.get('model', '')}")
    r = int(a.get("replicates", 1))
    context = (f"sweep {a.get('name', '')} of {of}: {a.get('design', '')} design, "
               f"{ds.sizes['design_point']} points x {r} replicate{'s' if r != 1 else ''}, "
               f"{n_ok} of {n_runs} runs ok")
    return DiscoveryData(X=X, y=np.asarray(y, dtype=bool),
                         units={p: parameter_units(ds, p) for p in ps}, discrete=discrete,
                         ranges=ranges, outcome=outcome, metric=metric, threshold=threshold,
                         direction=direction, metric_unit=metric_unit, runs=n_runs,
                         dropped=dropped, failed=X_all[~ok], context=context)


def array_data(X, y, units=None, discrete=None, outcome="y = 1", min_runs=MIN_RUNS):
    """DiscoveryData of plain arrays: `X` a pandas.DataFrame (its columns are the parameters)
    or a 2-d array (parameters x0, x1, ...), `y` a boolean array (the cases)."""
    if not isinstance(X, pd.DataFrame):
        X = np.asarray(X, dtype=float)
        if X.ndim != 2:
            raise DiscoveryError(f"X must be 2-dimensional, not of shape {X.shape}")
        X = pd.DataFrame(X, columns=[f"x{j}" for j in range(X.shape[1])])
    X = X.astype(float)
    y = np.asarray(y)
    if y.shape != (len(X),):
        raise DiscoveryError(f"y must have one value per row of X ({len(X)}), not shape {y.shape}")
    y = y.astype(bool)
    good = np.isfinite(X.values).all(axis=1)
    if good.sum() < min_runs:
        raise DiscoveryError(f"only {int(good.sum())} rows with finite values: scenario "
                             f"discovery needs at least {min_runs}")
    if not y[good].any() or y[good].all():
        raise DiscoveryError(f"{'no' if not y[good].any() else 'every'} row is a case of "
                             "interest: nothing to tell apart")
    units = {str(c): _unit_text((units or {}).get(c, "")) for c in X.columns}
    ranges = {str(c): (float(X[c].min()), float(X[c].max())) for c in X.columns}
    return DiscoveryData(X=X[good], y=y[good], units=units, discrete=_auto_discrete(X[good],
                         discrete), ranges=ranges, outcome=outcome, runs=len(X),
                         dropped=int((~good).sum()), failed=X[~good],
                         context=f"{len(X)} points, {int(good.sum())} used")
