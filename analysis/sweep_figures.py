"""Figures of a sweep file (`geosim sweep run` / `merge`, then `geosim sweep analyze`):
Sobol' S1/ST bars with their intervals, Morris mu*-sigma plots, each metric against each
parameter, and tornado charts. Only the runs with status 0 (ok) are plotted."""

import math
import textwrap

import numpy as np
import pandas as pd
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator, ScalarFormatter

from .colours import INDEX_COLOURS, TORNADO_COLOURS, parameter_colours
from .plotting import (LEGEND_ROW_INCHES, PANEL_TITLE_SIZE, figure_legend, grid, new_figure,
                       suptitle)

try:  # Debian's python3-yaml; only used to read the parameters' distributions
    import yaml
except ImportError:  # pragma: no cover
    yaml = None


def metrics(ds):
    return [str(m) for m in ds["metric"].values]


def parameters(ds):
    return [str(p) for p in ds["parameter"].values]


def has_sobol(ds):
    return "sobol_s1" in ds.variables


def noise_flags(ds, metric, index):
    """The `sobol_<index>_noise` flags of a metric (True: cannot be told from noise, sampling
    error or the replicates' noise, as analyze decides:
    that parameter's index), all False for a file analysed before geosim wrote them."""
    name = f"sobol_{index}_noise"
    if name not in ds.variables:
        return np.zeros(ds.sizes["parameter"], dtype=bool)
    return ds[name].sel(metric=metric).values.astype(float) > 0.5


def noise_share(ds, metric):
    """The share of the replicate means' variance due to the replicates' noise (NaN when it is
    unknown: one replicate, or a file analysed before geosim wrote it)."""
    if "sobol_noise_share" not in ds.variables:
        return float("nan")
    return float(ds["sobol_noise_share"].sel(metric=metric))


def has_morris(ds):
    return "morris_mu_star" in ds.variables


def metric_units(ds, metric):
    u = ds[metric].attrs.get("units", "")
    return "dimensionless" if u in ("", "1") else u


def parameter_units(ds, parameter):
    u = str(ds["parameter_unit"].sel(parameter=parameter).values)
    return "dimensionless" if u in ("", "1") else u


def metric_title(ds, metric, width=48):
    """"us_share_tjk" and its long name, wrapped, for a panel title."""
    long = ds[metric].attrs.get("long_name", "")
    return metric + ("\n" + "\n".join(textwrap.wrap(long, width)) if long else "")


def _ok(ds):
    return np.asarray(ds["status"].values) == 0


def parameter_scales(ds):
    """{parameter: "log" or "linear"}: log for parameters drawn log-uniformly (read from the
    sweep's YAML), else linear."""
    out = {p: "linear" for p in parameters(ds)}
    if yaml is None:
        return out
    try:
        plan = yaml.safe_load(ds.attrs.get("sweep_yaml", "")) or {}
        for p in plan.get("parameters", []):
            if isinstance(p, dict) and p.get("name") in out and "loguniform" in p:
                out[p["name"]] = "log"
    except yaml.YAMLError:
        pass
    return out


def _subtitle(ds):
    a = ds.attrs
    ok = int(_ok(ds).sum())
    r = int(a.get("replicates", 1))
    of = (f"scenario {a['scenario_name']}" if a.get("scenario_name")
          else f"model {a.get('model', '')}")
    return (f"sweep {a.get('name', '')} of {of}: "
            f"{a.get('design', '')} design, {ds.sizes['design_point']} points x "
            f"{r} replicate{'s' if r != 1 else ''}, {ok} of {ds.sizes['run']} runs ok")


def _grid(n, ncols):
    ncols = max(1, min(ncols, n))
    return ncols, max(1, math.ceil(n / ncols))


def sobol_figure(ds):
    """Per metric, the first-order (S1) and total (ST) Sobol' index of each parameter as
    bars, with the bootstrap interval as error bars."""
    if not has_sobol(ds):
        raise ValueError("the sweep has no Sobol' indices: run `geosim sweep analyze` on a "
                         "sobol design first")
    ms, ps = metrics(ds), parameters(ds)
    ncols, nrows = _grid(len(ms), 2)
    fig = new_figure(max(9.0, max(5.5, 1.1 * len(ps) + 2.5) * ncols),
                     3.9 * nrows + 1.2 + LEGEND_ROW_INCHES)
    axes = grid(fig, nrows, ncols, legend=True, n=len(ms)).ravel()
    x = np.arange(len(ps))
    w = 0.38
    lows, highs = [], []
    any_noise = False
    for ax, m in zip(axes, ms):
        for k, (idx, shift) in enumerate((("s1", -w / 2), ("st", w / 2))):
            v = ds[f"sobol_{idx}"].sel(metric=m).values.astype(float)
            lo = ds[f"sobol_{idx}_low"].sel(metric=m).values.astype(float)
            hi = ds[f"sobol_{idx}_high"].sel(metric=m).values.astype(float)
            lows.append(np.nanmin(lo) if np.isfinite(lo).any() else 0)
            highs.append(np.nanmax(hi) if np.isfinite(hi).any() else 1)
            err = np.array([v - lo, hi - v])
            err = np.where(np.isfinite(err), np.abs(err), 0)
            name = "S1" if idx == "s1" else "ST"
            noisy = noise_flags(ds, m, idx)
            bars = ax.bar(x + shift, v, w, color=INDEX_COLOURS[name], label=f"{name} ("
                          f"{'first-order' if idx == 's1' else 'total'})", yerr=err, capsize=3,
                          error_kw=dict(linewidth=1, ecolor="#333333"))
            # an index that cannot be told from noise: pale and hatched
            for bar, flag in zip(bars, noisy):
                if flag:
                    bar.set_alpha(0.35)
                    bar.set_hatch("///")
                    any_noise = True
        share = noise_share(ds, m)
        if np.isfinite(share):
            ax.axhline(min(share, 2.0), color=INDEX_COLOURS["ST"], linewidth=1, linestyle=":",
                       label="noise share (added to every ST)")
        ax.axhline(0, color="black", linewidth=0.8)
        ax.set_xticks(x, ps, rotation=20 if max(map(len, ps)) > 10 else 0,
                      ha="right" if max(map(len, ps)) > 10 else "center")
        ax.set_ylabel("Sobol' index [dimensionless]")
        ax.set_title(metric_title(ds, m), fontsize=PANEL_TITLE_SIZE - 1)
        ax.grid(alpha=0.3, axis="y")
    lo = max(-1.0, min([-0.05] + lows))
    hi = min(2.0, max([1.05] + highs))
    for ax in axes[:len(ms)]:
        ax.set_ylim(lo, hi)
    handles, labels = {}, {}
    for ax in axes[:len(ms)]:  # every panel's entries (the noise line is not in all)
        for h, t in zip(*ax.get_legend_handles_labels()):
            handles.setdefault(t, h)
    if any_noise:
        handles["hatched: cannot be told from noise (sampling or replicates')"] = Patch(
            facecolor="white", edgecolor="#555555", hatch="///")
    handles, labels = list(handles.values()), list(handles)
    conf = ds.attrs.get("sobol_confidence", "0.95")
    try:
        conf = f"{float(conf):.0%}"
    except ValueError:
        pass
    figure_legend(fig, handles, labels, f"index, with its {conf} bootstrap interval",
                  ncol=2 if len(labels) <= 2 else 4)
    suptitle(fig, "Sobol' sensitivity indices per metric: first-order S1 and total ST",
             f"{_subtitle(ds)}; {ds.attrs.get('design_n', '')} base points; values outside "
             "[0, 1] are sampling error")
    return fig


def label_points(ax, labels, fx, fy, fontsize=8):
    """Labels beside points given in axes fractions, placed so that no two labels overlap
    (inert parameters crowd the origin of a Morris plot): in order of distance from the
    origin, each label takes the first free spot among offsets around its point and then
    further up, with a thin line to its point when it had to move away. Estimated text sizes
    (0.6 em per character), no drawing pass needed."""
    pos = ax.get_position()
    w_pt = pos.width * ax.figure.get_figwidth() * 72
    h_pt = pos.height * ax.figure.get_figheight() * 72
    height = fontsize * 1.25
    placed = []  # (x0, y0, x1, y1) in points from the axes' lower left corner

    def free(box):
        x0, y0, x1, y1 = box
        if x0 < 0 or y0 < 0 or x1 > w_pt or y1 > h_pt:
            return False
        return all(x1 <= a0 or x0 >= a1 or y1 <= b0 or y0 >= b1 for a0, b0, a1, b1 in placed)

    order = sorted(range(len(labels)), key=lambda k: -(np.nan_to_num(fx[k]) ** 2
                                                       + np.nan_to_num(fy[k]) ** 2))
    for k in order:
        if not (np.isfinite(fx[k]) and np.isfinite(fy[k])):
            continue
        px, py = fx[k] * w_pt, fy[k] * h_pt
        width = len(str(labels[k])) * fontsize * 0.6
        spots = [(5, 3), (5, -3 - height), (-5 - width, 3), (-5 - width, -3 - height)]
        spots += [(dx, 3 + step * height) for step in range(1, 40) for dx in (5, -5 - width)]
        for n, (dx, dy) in enumerate(spots):
            box = (px + dx, py + dy, px + dx + width, py + dy + height)
            if free(box) or n == len(spots) - 1:
                break
        placed.append(box)
        ax.annotate(str(labels[k]), (fx[k], fy[k]), xycoords="axes fraction",
                    xytext=(dx, dy), textcoords="offset points", fontsize=fontsize,
                    ha="left", va="bottom",
                    arrowprops=None if n < 4 else dict(arrowstyle="-", color="0.5",
                                                       linewidth=0.6, shrinkA=0, shrinkB=3))


def morris_figure(ds):
    """Per metric, Morris screening: mu* (mean absolute elementary effect) against sigma
    (their standard deviation), one labelled point per parameter, with the lines
    sigma/mu* = 0.1, 0.5 and 1 (linear / monotonic / non-linear or interacting)."""
    if not has_morris(ds):
        raise ValueError("the sweep has no Morris indices: run `geosim sweep analyze` on a "
                         "morris design first")
    ms, ps = metrics(ds), parameters(ds)
    colours = parameter_colours(ps)
    ncols, nrows = _grid(len(ms), 2)
    fig = new_figure(max(9.0, 6.0 * ncols), 4.6 * nrows + 1.2 + LEGEND_ROW_INCHES)
    axes = grid(fig, nrows, ncols, legend=True, n=len(ms)).ravel()
    for ax, m in zip(axes, ms):
        mu = ds["morris_mu_star"].sel(metric=m).values.astype(float)
        sigma = ds["morris_sigma"].sel(metric=m).values.astype(float)
        top = max(np.nanmax(mu) if np.isfinite(mu).any() else 0,
                  np.nanmax(sigma) if np.isfinite(sigma).any() else 0) * 1.15 or 1.0
        for ratio in (0.1, 0.5, 1.0):
            ax.plot([0, top], [0, ratio * top], color="grey", linewidth=0.7, linestyle="--",
                    zorder=0)
            ax.text(0.97 * top, 0.97 * ratio * top, f"σ/μ* = {ratio:g}", fontsize=7,
                    color="grey", ha="right", va="bottom", rotation_mode="anchor")
        for k, p in enumerate(ps):
            ax.scatter(mu[k], sigma[k], s=45, color=colours[p], label=p, zorder=2,
                       edgecolor="black", linewidth=0.5)
        label_points(ax, ps, mu / top, sigma / top, fontsize=8)
        ax.set_xlim(0, top)
        ax.set_ylim(0, top)
        u = metric_units(ds, m)
        ax.set_xlabel(f"μ*: mean |elementary effect| [{u} per parameter range]")
        ax.set_ylabel(f"σ of the elementary effects [{u}]")
        ax.set_title(metric_title(ds, m), fontsize=PANEL_TITLE_SIZE - 1)
        ax.grid(alpha=0.3)
    handles, labels = axes[0].get_legend_handles_labels()
    figure_legend(fig, handles, labels, "parameter", ncol=min(4, len(ps)))
    suptitle(fig, "Morris screening per metric: importance (μ*) against non-linearity and "
             "interactions (σ)",
             f"{_subtitle(ds)}; {ds.attrs.get('design_n', '')} trajectories, "
             f"{ds.attrs.get('morris_levels', '')} levels; the further right, the more "
             "influential")
    return fig


def sweep_scatter_figure(ds, max_points=4000):
    """A grid of scatter plots: each metric (rows) against each parameter (columns), one
    point per ok run, with the mean of the metric in 10 bins of the parameter as a line."""
    ms, ps = metrics(ds), parameters(ds)
    colours = parameter_colours(ps)
    scales = parameter_scales(ds)
    ok = _ok(ds)
    fig = new_figure(max(8.0, 3.3 * len(ps) + 0.8), 2.7 * len(ms) + 1.2 + LEGEND_ROW_INCHES)
    axes = grid(fig, len(ms), len(ps), legend=True, sharex="col", sharey="row")
    rng = np.random.default_rng(0)
    idx = np.flatnonzero(ok)
    if idx.size > max_points:  # thin very large sweeps; the binned mean uses every run
        shown = np.sort(rng.choice(idx, max_points, replace=False))
    else:
        shown = idx
    for i, m in enumerate(ms):
        y = ds[m].values.astype(float)
        for j, p in enumerate(ps):
            ax = axes[i, j]
            x = ds[p].values.astype(float)
            ax.scatter(x[shown], y[shown], s=9, alpha=0.55, color=colours[p], linewidth=0,
                       rasterized=True)
            xs, ys = x[idx], y[idx]
            good = np.isfinite(xs) & np.isfinite(ys)
            xs, ys = xs[good], ys[good]
            if xs.size >= 10 and np.unique(xs).size > 1:
                edges = (np.geomspace(xs.min(), xs.max(), 11)
                         if scales[p] == "log" and xs.min() > 0
                         else np.linspace(xs.min(), xs.max(), 11))
                which = np.clip(np.digitize(xs, edges) - 1, 0, 9)
                centres, means = [], []
                for b in range(10):
                    if (which == b).any():
                        centres.append(xs[which == b].mean())
                        means.append(ys[which == b].mean())
                ax.plot(centres, means, color="black", linewidth=1.4,
                        label="mean in 10 bins" if (i, j) == (0, 0) else None)
            if scales[p] == "log":
                ax.set_xscale("log")
                ax.xaxis.set_major_formatter(ScalarFormatter())
                ax.xaxis.set_minor_formatter(ScalarFormatter())
                ax.tick_params(axis="x", which="minor", labelsize=7)
            ax.grid(alpha=0.3)
            if i == len(ms) - 1:
                ax.set_xlabel(f"{p} [{parameter_units(ds, p)}]")
            if j == 0:
                ax.set_ylabel(f"{m}\n[{metric_units(ds, m)}]")
    handles, labels = axes[0, 0].get_legend_handles_labels()
    if handles:
        figure_legend(fig, handles, labels, "", ncol=1)
    suptitle(fig, "Each metric against each parameter, one point per run", _subtitle(ds))
    return fig


def tornado_table(ds, fraction=0.2):
    """pandas.DataFrame: for each metric and parameter, the mean of the metric over the ok
    runs whose parameter is in its lowest `fraction` (low) and highest `fraction` (high), the
    overall mean, the parameter's values at those quantiles, and the swing |high - low|.
    Model-free: works for every design."""
    ok = _ok(ds)
    rows = []
    for m in metrics(ds):
        y = ds[m].values.astype(float)
        base = float(np.nanmean(y[ok])) if ok.any() else float("nan")
        for p in parameters(ds):
            x = ds[p].values.astype(float)
            good = ok & np.isfinite(x) & np.isfinite(y)
            if good.sum() < 2:
                lo_mean = hi_mean = q_lo = q_hi = float("nan")
            else:
                q_lo, q_hi = np.quantile(x[good], [fraction, 1 - fraction])
                lo_sel, hi_sel = good & (x <= q_lo), good & (x >= q_hi)
                lo_mean = float(y[lo_sel].mean()) if lo_sel.any() else float("nan")
                hi_mean = float(y[hi_sel].mean()) if hi_sel.any() else float("nan")
            rows.append({"metric": m, "parameter": p, "overall": base, "low": lo_mean,
                         "high": hi_mean, "parameter_low": float(q_lo),
                         "parameter_high": float(q_hi), "swing": abs(hi_mean - lo_mean)})
    return pd.DataFrame(rows)


def tornado_figure(ds, fraction=0.2):
    """Per metric, a tornado chart: for each parameter (largest swing on top), the change
    of the metric's mean from its overall mean in the runs with the parameter in its lowest
    fifth (blue) and highest fifth (orange)."""
    table = tornado_table(ds, fraction)
    ms = metrics(ds)
    ps = parameters(ds)
    ncols, nrows = _grid(len(ms), 2)
    fig = new_figure(max(10.0, 6.4 * ncols),
                     (1.4 + 0.45 * len(ps)) * nrows + 1.6 + LEGEND_ROW_INCHES)
    axes = grid(fig, nrows, ncols, legend=True, n=len(ms)).ravel()
    for ax, m in zip(axes, ms):
        t = table[table["metric"] == m].sort_values("swing", na_position="first")
        y = np.arange(len(t))
        base = t["overall"].iloc[0] if len(t) else 0.0
        for k, (_, row) in enumerate(t.iterrows()):
            for end in ("low", "high"):
                v = row[end] - base
                if np.isfinite(v):
                    ax.barh(k, v, color=TORNADO_COLOURS[end], height=0.6,
                            label=f"parameter in its {'lowest' if end == 'low' else 'highest'}"
                                  f" {fraction:.0%}" if k == 0 else None)
        labels = [f"{row['parameter']}\n({row['parameter_low']:.3g} / "
                  f"{row['parameter_high']:.3g} {parameter_units(ds, row['parameter'])})"
                  .replace(" dimensionless)", ")")
                  for _, row in t.iterrows()]
        ax.set_yticks(y, labels, fontsize=8)
        ax.axvline(0, color="black", linewidth=0.8)
        u = metric_units(ds, m)
        ax.set_xlabel(f"change of the mean {m} from {base:.4g} [{u}]")
        ax.set_title(metric_title(ds, m), fontsize=PANEL_TITLE_SIZE - 1)
        ax.grid(alpha=0.3, axis="x")
        ax.xaxis.set_major_locator(MaxNLocator(6, symmetric=True))
        ax.ticklabel_format(axis="x", style="plain", useOffset=False)
    handles = [Patch(color=TORNADO_COLOURS[e]) for e in ("low", "high")]
    figure_legend(fig, handles, [f"runs with the parameter in its lowest {fraction:.0%}",
                                 f"runs with the parameter in its highest {fraction:.0%}"],
                  "bar (parameter values at those quantiles under its name)", ncol=2)
    suptitle(fig, "Tornado charts: how far each parameter moves each metric's mean",
             _subtitle(ds) + "; largest swing on top")
    return fig


def noise_text(get, index):
    """" (noise)" when the file flags this index as one that cannot be told from noise."""
    try:
        return " (noise)" if get(f"sobol_{index}_noise") > 0.5 else ""
    except KeyError:
        return ""


def top_indices_table(ds, top=3):
    """pandas.DataFrame: per metric, the `top` parameters ranked by ST (Sobol') or mu*
    (Morris), with their indices as text; by the tornado swing if the sweep has no indices."""
    rows = []
    for m in metrics(ds):
        if has_sobol(ds) or has_morris(ds):
            rank_by, text = (
                ("sobol_st", lambda g: f"ST {g('sobol_st'):.2f} [{g('sobol_st_low'):.2f}, "
                                       f"{g('sobol_st_high'):.2f}]{noise_text(g, 'st')}; "
                                       f"S1 {g('sobol_s1'):.2f} "
                                       f"[{g('sobol_s1_low'):.2f}, {g('sobol_s1_high'):.2f}]"
                                       f"{noise_text(g, 's1')}")
                if has_sobol(ds) else
                ("morris_mu_star", lambda g: f"mu* {g('morris_mu_star'):.3g}, "
                                             f"mu {g('morris_mu'):.3g}, "
                                             f"sigma {g('morris_sigma'):.3g}"))
            key = ds[rank_by].sel(metric=m).values.astype(float)
            order = np.argsort(-np.nan_to_num(key, nan=-np.inf))
            for rank, k in enumerate(order[:top], 1):
                p = str(ds["parameter"].values[k])
                g = lambda name: float(ds[name].sel(metric=m, parameter=p))  # noqa: E731
                rows.append({"metric": m, "rank": rank, "parameter": p, "index": text(g)})
        else:
            t = tornado_table(ds)
            t = t[t["metric"] == m].sort_values("swing", ascending=False)
            for rank, (_, row) in enumerate(t.head(top).iterrows(), 1):
                rows.append({"metric": m, "rank": rank, "parameter": row["parameter"],
                             "index": f"swing {row['swing']:.3g} {metric_units(ds, m)}"})
    return pd.DataFrame(rows)


def metric_summary_table(ds):
    """pandas.DataFrame: per metric, its unit, mean and 5% / 95% quantiles over the ok runs."""
    ok = _ok(ds)
    rows = []
    for m in metrics(ds):
        y = ds[m].values.astype(float)[ok]
        y = y[np.isfinite(y)]
        q = np.quantile(y, [0.05, 0.95]) if y.size else [np.nan, np.nan]
        rows.append({"metric": m, "units": metric_units(ds, m),
                     "mean": float(y.mean()) if y.size else float("nan"),
                     "5%": float(q[0]), "95%": float(q[1]), "runs": int(y.size)})
    return pd.DataFrame(rows)


def sweep_figures(ds):
    """Stem -> figure function for a sweep file: the index figures its analysis allows, the
    scatter grid and the tornado charts, a grid design's heatmap, a sobol design's indices
    over turns (metrics whose variable it keeps as a trajectory), and a fan per kept
    trajectory (`trajectories_<variable>`)."""
    from .grid_figures import grid_heatmap_figure, is_grid
    from .sobol_turns import metric_cells, sobol_over_turns, sobol_over_turns_figure
    from .trajectory_figures import trajectory_fan_figure, trajectory_variables

    def _blocks_ok(ds, m):
        try:
            sobol_over_turns(ds, m, n_bootstrap=0)
            return True
        except ValueError:
            return False
    out = {}
    if has_sobol(ds):
        out["sobol_indices"] = lambda ds, turns=None: sobol_figure(ds)
    if has_morris(ds):
        out["morris"] = lambda ds, turns=None: morris_figure(ds)
    if int(_ok(ds).sum()) >= 2:
        out["sweep_scatter"] = lambda ds, turns=None: sweep_scatter_figure(ds)
        out["tornado"] = lambda ds, turns=None: tornado_figure(ds)
    if is_grid(ds) and _ok(ds).any():
        out["grid_heatmap"] = lambda ds, turns=None: grid_heatmap_figure(ds)
    if ds.attrs.get("design") == "sobol" and _ok(ds).any() and metric_cells(ds):
        # only if a metric has 2 complete blocks (failed runs can leave fewer)
        if any(_blocks_ok(ds, m) for m in metric_cells(ds)):
            out["sobol_over_turns"] = lambda ds, turns=None: sobol_over_turns_figure(ds)
    if _ok(ds).any():
        for v in trajectory_variables(ds):
            out[f"trajectories_{v}"] = (lambda v: lambda ds, turns=None:
                                        trajectory_fan_figure(ds, v))(v)
    return out
