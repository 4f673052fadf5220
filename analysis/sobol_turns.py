"""Sobol' indices over turns: for a sobol sweep that keeps trajectories, the S1 and ST of each
parameter at each sampled turn, for each metric whose variable and cell the sweep keeps as a
trajectory (a metric `us_share_tjk` of influence_share (USA, TJK), reduced to its last turn,
followed over every sampled turn). How the parameters' influence builds up or fades.

The estimators are those of `geosim sweep analyze` (sim/sweep/sobol_indices.cpp): on the
replicate means of each design point, centred on the mean of the A and B values, V their
variance (divisor 2n), S1_i = mean f(B)(f(AB_i) - f(A)) / V (Saltelli 2010) and
ST_i = mean (f(A) - f(AB_i))^2 / 2 / V (Jansen 1999), over the complete blocks; at the last
sample they equal analyze's point estimates of a `last` metric of the same cell. They are
written again here, in numpy, because analyze reduces each metric to one number per run and
the trajectories are arrays it does not read. Intervals: percentiles of a bootstrap over the
blocks (numpy's generator, seeded: the same numbers each call, not analyze's). With two or more
replicates, the noise share eta = (s^2 / R) / V per sample, as analyze's
(docs/sweeps.md, section 6)."""

import numpy as np

from .sweep_figures import _ok, _subtitle, parameters

import yaml  # Debian's python3-yaml: the metrics' definitions are in the sweep's YAML

from .trajectory_figures import SUFFIX


def metric_cells(ds):
    """{metric: (variable, {dim: label})} for the metrics that are the last turn's value of a
    cell the sweep keeps as a trajectory (`reduce: last`, the default, over the whole run):
    their indices over turns end at the metric's own. Metrics that reduce otherwise (a mean, a
    sum, a window) are left out, and of two metrics of one cell the first is kept. Read from
    the sweep's YAML (its `outputs`)."""
    try:
        spec = yaml.safe_load(ds.attrs.get("sweep_yaml", "")) or {}
    except yaml.YAMLError:
        return {}
    out, seen = {}, set()
    for o in spec.get("outputs", []) or []:
        if (not isinstance(o, dict) or f"{o.get('variable')}{SUFFIX}" not in ds.variables
                or o.get("reduce", "last") != "last"
                or any(k in o for k in ("from", "to", "year"))):
            continue
        da = ds[f"{o['variable']}{SUFFIX}"]
        cell = {d: str(o[d]) for d in da.dims[2:] if d in o}
        key = (str(o["variable"]), tuple(sorted(cell.items())))
        if len(cell) == len(da.dims) - 2 and key not in seen:
            seen.add(key)
            out[str(o["name"])] = (str(o["variable"]), cell)
    return out


def _point_runs(ds, values):
    """(n_points, R, ...) of per-run values in run order; NaN for runs that did not succeed."""
    r = int(ds.attrs.get("replicates", 1))
    v = np.asarray(values, dtype=float).copy()
    v[~_ok(ds)] = np.nan
    return v.reshape((v.shape[0] // r, r) + v.shape[1:])


def _indices(a, b, ab):
    """S1, ST (d, ...) and V (...) of centred block values a, b (n, ...) and ab (n, d, ...)."""
    n = a.shape[0]
    centre = (a.sum(axis=0) + b.sum(axis=0)) / (2 * n)
    a, b, ab = a - centre, b - centre, ab - centre
    mean = (a.sum(axis=0) + b.sum(axis=0)) / (2 * n)
    var = np.maximum(0.0, ((a * a).sum(axis=0) + (b * b).sum(axis=0)) / (2 * n) - mean * mean)
    with np.errstate(invalid="ignore", divide="ignore"):
        s1 = (b[:, None] * (ab - a[:, None])).sum(axis=0) / n / var
        st = ((a[:, None] - ab) ** 2).sum(axis=0) / (2 * n) / var
    return s1, st, var


def sobol_over_turns(ds, metric, n_bootstrap=200, confidence=0.95, seed=0):
    """A dict of numpy arrays over (parameter, sample): s1, st and their bootstrap bounds
    (s1_low, s1_high, st_low, st_high), and over (sample,): variance (of the replicate means)
    and noise_share (NaN with one replicate); plus blocks (complete blocks used) and the
    metric's variable and cell. Raises ValueError for a sweep that is not a sobol design, or a
    metric whose variable and cell the sweep does not keep as a trajectory."""
    if ds.attrs.get("design") != "sobol":
        raise ValueError("Sobol' indices over turns need a sobol design "
                         f"(this sweep's: {ds.attrs.get('design', '?')})")
    cells = metric_cells(ds)
    if metric not in cells:
        raise ValueError(f"no trajectory for metric {metric!r}: the sweep must keep its "
                         f"variable in `trajectories:`; metrics with one: "
                         f"{', '.join(cells) or 'none'}")
    variable, cell = cells[metric]
    traj = ds[variable + SUFFIX].sel(cell).values          # (run, sample)
    runs = _point_runs(ds, traj)                            # (point, R, sample)
    means = runs.mean(axis=1)                               # NaN if any replicate failed
    d = len(parameters(ds))
    blocks = means.reshape(-1, d + 2, means.shape[-1])      # (n, d + 2, sample)
    # whole blocks: a block is used if all its points' replicates succeeded (a failed run is
    # NaN at every sample, so this is the same at each sample)
    complete = np.isfinite(blocks).all(axis=(1, 2))
    blocks = blocks[complete]
    if blocks.shape[0] < 2:
        raise ValueError(f"{int(complete.sum())} complete Saltelli blocks for {metric!r}; "
                         "at least 2 are needed")
    a, b, ab = blocks[:, 0], blocks[:, 1], blocks[:, 2:]
    s1, st, var = _indices(a, b, ab)
    rng = np.random.default_rng(seed)
    n = blocks.shape[0]
    boot_s1, boot_st = [], []
    for _ in range(n_bootstrap):
        k = rng.integers(0, n, n)
        bs1, bst, _ = _indices(a[k], b[k], ab[k])
        boot_s1.append(bs1)
        boot_st.append(bst)
    q = [(1 - confidence) / 2, (1 + confidence) / 2]
    with np.errstate(invalid="ignore"):
        s1_b = np.nanquantile(np.array(boot_s1), q, axis=0) if n_bootstrap else \
            np.full((2,) + s1.shape, np.nan)
        st_b = np.nanquantile(np.array(boot_st), q, axis=0) if n_bootstrap else \
            np.full((2,) + st.shape, np.nan)
    r = runs.shape[1]
    if r >= 2:
        whole = np.isfinite(runs).all(axis=(1, 2))
        within = runs[whole].var(axis=1, ddof=1).mean(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            noise = within / r / var
    else:
        noise = np.full(var.shape, np.nan)
    return {"s1": s1, "st": st, "s1_low": s1_b[0], "s1_high": s1_b[1], "st_low": st_b[0],
            "st_high": st_b[1], "variance": var, "noise_share": noise,
            "blocks": int(n), "variable": variable, "cell": cell}


def sobol_over_turns_figure(ds, metrics=None, n_bootstrap=200):
    """Per metric with a kept trajectory: ST (line, with its bootstrap band) and S1 (dashed)
    of each parameter at each sampled turn, and the noise share (dotted grey), which the noise
    adds to every ST."""
    from .colours import parameter_colours
    from .plotting import (LEGEND_ROW_INCHES, PANEL_TITLE_SIZE, date_axis, figure_legend, grid,
                           new_figure, suptitle)
    ms = list(metrics or metric_cells(ds))
    if not ms:
        raise ValueError("no metric of this sweep has a kept trajectory of its variable")
    ps = parameters(ds)
    colours = parameter_colours(ps)
    results, skipped = {}, []
    for m in ms:
        try:
            results[m] = sobol_over_turns(ds, m, n_bootstrap=n_bootstrap)
        except ValueError as e:  # fewer than 2 complete blocks: failed runs
            skipped.append(f"{m} ({e})")
    if not results:
        raise ValueError("no metric has 2 complete Saltelli blocks: " + "; ".join(skipped))
    ms = list(results)
    ncols = min(2, len(ms))
    nrows = -(-len(ms) // ncols)
    fig = new_figure(6.0 * ncols + 0.6, 3.4 * nrows + 1.6 + LEGEND_ROW_INCHES)
    axes = grid(fig, nrows, ncols, legend=True, sharex=True, n=len(ms))
    dates = (ds["sample_date"].values if "sample_date" in ds.variables
             else np.asarray(ds["sample"].values))
    for ax, m in zip(axes.ravel(), ms):
        res = results[m]
        for k, p in enumerate(ps):
            ax.fill_between(dates, res["st_low"][k], res["st_high"][k], color=colours[p],
                            alpha=0.15, linewidth=0)
            ax.plot(dates, res["st"][k], color=colours[p], linewidth=1.8, label=f"{p}: ST")
            ax.plot(dates, res["s1"][k], color=colours[p], linewidth=1.2, linestyle="--",
                    label=f"{p}: S1")
        if np.isfinite(res["noise_share"]).any():
            ax.plot(dates, res["noise_share"], color="0.4", linestyle=":", linewidth=1.4,
                    label="noise share (added to every ST)")
        ax.axhline(0, color="black", linewidth=0.8)
        ax.set_ylim(-0.1, 1.1)
        ax.set_title(f"{m} ({res['variable']} "
                     f"{', '.join(res['cell'].values())}; {res['blocks']} blocks)",
                     fontsize=PANEL_TITLE_SIZE - 1)
        ax.set_ylabel("Sobol' index [dimensionless]")
        ax.grid(alpha=0.3)
        if np.issubdtype(np.asarray(dates).dtype, np.datetime64):
            date_axis(ax, dates)
    handles = {}
    for ax in axes.ravel()[:len(ms)]:
        for h, t in zip(*ax.get_legend_handles_labels()):
            handles.setdefault(t, h)
    figure_legend(fig, list(handles.values()), list(handles), "parameter: index",
                  ncol=min(4, len(handles)))
    suptitle(fig, "Sobol' indices over turns: how each parameter's share of the variance "
             "builds up", f"{_subtitle(ds)}; ST solid with its bootstrap band, S1 dashed, at "
             "each sampled turn of the kept trajectories"
             + (f"; left out: {'; '.join(skipped)}" if skipped else ""))
    return fig


__all__ = ["metric_cells", "sobol_over_turns", "sobol_over_turns_figure"]
