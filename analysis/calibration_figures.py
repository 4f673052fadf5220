"""Figures and tables of a calibration file (`format` = geosim-calibration; the layout is
docs/calibration.md, "The calibration output file"): the last generation's posterior
marginals against the priors, a pair plot, the tolerance, acceptance and effective sample
size by generation, and the posterior predictive check of every target.

Everything is read from the last generation: its particles weighted by `weight`. A
nelder-mead file has one generation whose particles are the final simplex (equal weights):
it is drawn the same way, without density estimates, and its "intervals" are only the
spread of the simplex.

Dimensionless targets (units "1" or empty: shares and ratios, stored as fractions) are shown
in percent, their standard errors in percentage points (pp)."""

import math

import numpy as np
import pandas as pd
import yaml
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator, NullFormatter

from .colours import parameter_colours
from .io import kind
from .plotting import (LEGEND_ROW_INCHES, PANEL_TITLE_SIZE, figure_legend, grid, new_figure,
                       panels, suptitle)

QUANTILES = (0.05, 0.5, 0.95)  # the 90% band and the median
Z90 = 1.645                     # observed +- Z90 sd: the observation's 90% interval
NOT_IDENTIFIED = 0.8            # posterior sd / prior sd above this: "not identified"
MAX_PAIRS = 8                   # parameters in the pair plot
MIN_KDE_ESS = 10                # no density estimate from fewer effective particles
FRACTION_UNITS = ("1", "")      # shown in percent

FIT_COLOUR = "#4c72b0"
HOLDOUT_COLOUR = "#dd8452"
PRIOR_COLOUR = "#555555"


def weighted_quantile(values, weights, q):
    """Weighted quantile(s) `q` (in [0, 1]) of `values`.

    Definition: the values (NaN and zero-weight values left out) are sorted and the weights
    normalised to sum 1; the i-th sorted value x_i stands at the middle of its step of the
    cumulative weights, c_i = w_1 + ... + w_i - w_i / 2, and the quantile q is the linear
    interpolation of (c_i, x_i) at q (below c_1: x_1; above c_n: x_n). With equal weights
    this is numpy's `quantile(..., method="hazen")`; the median of 3 equal-weight values is
    the middle one. NaN when no value is left."""
    x = np.asarray(values, dtype=float).ravel()
    w = np.broadcast_to(np.asarray(weights, dtype=float), x.shape).ravel()
    keep = np.isfinite(x) & np.isfinite(w) & (w > 0)
    if not keep.any():
        return np.full(np.shape(q), np.nan)[()]
    x, w = x[keep], w[keep]
    order = np.argsort(x, kind="stable")
    x, w = x[order], w[order] / w.sum()
    return np.interp(q, np.cumsum(w) - w / 2, x)


def weighted_sd(values, weights):
    """Weighted standard deviation sqrt(sum w (x - mean)^2), weights normalised."""
    x, w = np.asarray(values, dtype=float), np.asarray(weights, dtype=float)
    keep = np.isfinite(x) & (w > 0)
    if not keep.any():
        return float("nan")
    x, w = x[keep], w[keep] / w[keep].sum()
    mean = np.sum(w * x)
    return float(np.sqrt(np.sum(w * (x - mean) ** 2)))


def _need(ds):
    if kind(ds) != "calibration":
        raise ValueError(f"this figure or table needs a calibration file, not a {kind(ds)} "
                         "file")


def parameters(ds):
    return [str(p) for p in ds["parameter"].values]


def targets(ds):
    return [str(t) for t in ds["target"].values]


def is_nelder_mead(ds):
    return ds.attrs.get("method") == "nelder-mead"


def last_generation(ds):
    """(particles (particle, parameter) DataArray, normalised weights) of the last
    generation."""
    w = ds["weight"].isel(generation=-1).values.astype(float)
    w = np.where(np.isfinite(w) & (w > 0), w, 0.0)
    return ds["particles"].isel(generation=-1), w / w.sum() if w.sum() > 0 else w


def prior(ds, p):
    """(kind, a, b) of parameter p's prior."""
    return (str(ds["prior_kind"].sel(parameter=p).values),
            float(ds["prior_a"].sel(parameter=p)), float(ds["prior_b"].sel(parameter=p)))


def prior_text(kind_, a, b):
    if kind_ == "normal":
        return f"normal (mean {a:g}, sd {b:g})"
    if kind_ in ("uniform", "loguniform"):
        return f"{kind_} [{a:g}, {b:g}]"
    return kind_


def prior_sd(kind_, a, b):
    """The prior's standard deviation; of log(x) for a loguniform prior; NaN for discrete."""
    if kind_ == "uniform":
        return (b - a) / math.sqrt(12)
    if kind_ == "loguniform":
        return (math.log(b) - math.log(a)) / math.sqrt(12)
    if kind_ == "normal":
        return b
    return float("nan")


def units_label(u):
    u = str(u)
    return "dimensionless" if u in ("", "1") else u


def _yaml(ds):
    try:
        doc = yaml.safe_load(ds.attrs.get("calibration_yaml", "")) or {}
    except yaml.YAMLError:
        doc = {}
    return doc if isinstance(doc, dict) else {}


def calibration_name(ds):
    """The calibration's `name` (read from the calibration_yaml attribute)."""
    return str(_yaml(ds).get("name", ""))


def method_setting(ds, key):
    """A number of the calibration's `method:` block (e.g. tolerance), or None."""
    method = _yaml(ds).get("method")
    try:
        return float(method[key])
    except (TypeError, KeyError, ValueError):
        return None


def converged(ds):
    return bool(int(ds.attrs.get("converged", 0)))


def subtitle(ds):
    a = ds.attrs
    g, n = ds.sizes["generation"], ds.sizes["particle"]
    status = "converged" if converged(ds) else "NOT converged"
    reason = a.get("stop_reason", "")
    name = calibration_name(ds)
    return (f"calibration{' ' + name if name else ''} of scenario {a.get('scenario_name', '')}: "
            f"{a.get('method', '')}, {g} generation{'s' if g != 1 else ''} of {n} particles, "
            f"{status}" + (f" ({reason})" if reason else ""))


# Tables

def targets_table(ds):
    """pandas.DataFrame, one row per target: target, long_name, period, units, observed, sd,
    the last generation's weighted 5%, 50% and 95% quantiles of `predicted` (q05, median,
    q95: see weighted_quantile), inside (the observation in [q05, q95]) and use."""
    _need(ds)
    _, w = last_generation(ds)
    rows = []
    for t in targets(ds):
        q05, q50, q95 = weighted_quantile(ds["predicted"].sel(target=t).values, w, QUANTILES)
        obs = float(ds["target_observed"].sel(target=t))
        long = (str(ds["target_long_name"].sel(target=t).values)
                if "target_long_name" in ds.variables else "")
        rows.append({"target": t, "long_name": long,
                     "period": str(ds["target_period"].sel(target=t).values),
                     "units": str(ds["target_units"].sel(target=t).values),
                     "observed": obs, "sd": float(ds["target_sd"].sel(target=t)),
                     "q05": q05, "median": q50, "q95": q95,
                     "inside": bool(q05 <= obs <= q95),
                     "use": str(ds["target_use"].sel(target=t).values)})
    return pd.DataFrame(rows)


def parameters_table(ds):
    """pandas.DataFrame, one row per parameter: parameter, units, prior (in words), median
    (the file's posterior_median), q05 and q95 (the last generation's weighted 5% and 95%
    quantiles: the 90% credible interval), best, sd_ratio (weighted posterior sd / prior sd,
    both of log(x) for a loguniform prior; NaN for nelder-mead, whose simplex is no
    posterior) and not_identified (sd_ratio > NOT_IDENTIFIED)."""
    _need(ds)
    last, w = last_generation(ds)
    rows = []
    for p in parameters(ds):
        k, a, b = prior(ds, p)
        x = last.sel(parameter=p).values.astype(float)
        q05, q95 = weighted_quantile(x, w, (QUANTILES[0], QUANTILES[2]))
        sd = weighted_sd(np.log(x) if k == "loguniform" else x, w)
        ratio = float("nan") if is_nelder_mead(ds) else sd / prior_sd(k, a, b)
        rows.append({"parameter": p,
                     "units": str(ds["parameter_units"].sel(parameter=p).values),
                     "prior": prior_text(k, a, b),
                     "median": float(ds["posterior_median"].sel(parameter=p)),
                     "q05": q05, "q95": q95, "best": float(ds["best"].sel(parameter=p)),
                     "sd_ratio": ratio, "not_identified": bool(ratio > NOT_IDENTIFIED)})
    return pd.DataFrame(rows)


def holdout_table(ds):
    """pandas.DataFrame, one row per holdout target with a persistence forecast: observed, sd,
    the model's posterior predictive median (`model`), the persistence forecast (the latest
    fitted value of the same quantity, `persistence`), and both errors in standard errors of
    the observation (z_model, z_persistence). Out-of-sample skill (holdout_skill) compares
    them."""
    t = targets_table(ds)
    t = t[t["use"] == "holdout"].copy()
    if "persistence" not in ds.variables or t.empty:
        return t.iloc[0:0]
    t["persistence"] = [float(ds["persistence"].sel(target=x)) for x in t["target"]]
    t = t[np.isfinite(t["persistence"])]
    t["model"] = t["median"]
    t["z_model"] = (t["model"] - t["observed"]) / t["sd"]
    t["z_persistence"] = (t["persistence"] - t["observed"]) / t["sd"]
    return t[["target", "period", "units", "observed", "sd", "model", "persistence", "z_model",
              "z_persistence"]].reset_index(drop=True)


def holdout_skill(ds):
    """1 - MSE(model) / MSE(persistence) over the holdout targets, errors in standard errors
    of each observation (so targets of different units add up): above 0 the model forecasts
    better than carrying the last observed value forward; NaN without holdout targets."""
    h = holdout_table(ds)
    if h.empty:
        return float("nan")
    return float(1.0 - (h["z_model"] ** 2).mean() / (h["z_persistence"] ** 2).mean())


def generations_table(ds):
    """pandas.DataFrame, one row per generation: tolerance, acceptance, ess, proposals (and
    failed, when the file has it)."""
    _need(ds)
    cols = ["tolerance", "acceptance", "ess", "proposals"] + (["failed"] if "failed" in ds
                                                             else [])
    out = pd.DataFrame({c: ds[c].values for c in cols})
    out.insert(0, "generation", ds["generation"].values.astype(int))
    return out


# Figures

def _to_plot(values, log):
    """Values in the plotted coordinate: log10 for a loguniform parameter."""
    values = np.asarray(values, dtype=float)
    return np.log10(values) if log else values


def _from_plot(u, log):
    return 10.0 ** np.asarray(u) if log else np.asarray(u)


def _density(ax, u, w, colour, log, lo=None, hi=None, kde=True):
    """A weighted histogram of u (plotted coordinates) and, with kde=True, a weighted
    Gaussian kernel density over [lo, hi] (Silverman's bandwidth with n = the effective
    sample size 1 / sum w^2). With fewer than MIN_KDE_ESS effective particles (a nelder-mead
    simplex) or all values equal: only a rug of the particles. Returns the labels drawn."""
    keep = np.isfinite(u) & (w > 0)
    u, w = u[keep], w[keep] / w[keep].sum()
    if u.size == 0:
        return []
    n_eff = 1.0 / np.sum(w ** 2)
    if np.ptp(u) == 0 or n_eff < MIN_KDE_ESS:
        ax.plot(_from_plot(u, log), np.full(u.size, 0.04), "|", color=colour, markersize=22,
                markeredgewidth=2.5, transform=ax.get_xaxis_transform())
        return ["rug"]
    edges = np.linspace(u.min(), u.max(), int(np.clip(round(2 * math.sqrt(n_eff)), 5, 30)) + 1)
    dens, _ = np.histogram(u, edges, weights=w, density=True)
    ax.stairs(dens, _from_plot(edges, log), fill=True, alpha=0.3, color=colour)
    drawn = ["histogram"]
    if kde:
        mean = np.sum(w * u)
        h = 1.06 * math.sqrt(np.sum(w * (u - mean) ** 2)) * n_eff ** -0.2
        g = np.linspace(lo if lo is not None else u.min() - 3 * h,
                        hi if hi is not None else u.max() + 3 * h, 400)
        k = np.exp(-0.5 * ((g[:, None] - u[None, :]) / h) ** 2) / (h * math.sqrt(2 * math.pi))
        ax.plot(_from_plot(g, log), k @ w, color=colour, linewidth=2)
        drawn.append("kde")
    return drawn


def _prior_curve(kind_, a, b, lo, hi):
    """(u, density) of the prior in plotted coordinates (per decade if loguniform)."""
    if kind_ == "normal":
        u = np.linspace(lo, hi, 400)
        return u, np.exp(-0.5 * ((u - a) / b) ** 2) / (b * math.sqrt(2 * math.pi))
    if kind_ in ("uniform", "loguniform"):
        lo_p, hi_p = (math.log10(a), math.log10(b)) if kind_ == "loguniform" else (a, b)
        return (np.array([lo_p, lo_p, hi_p, hi_p]),
                np.array([0.0, 1.0, 1.0, 0.0]) / (hi_p - lo_p))
    return None, None


def _range(kind_, a, b, u):
    """The plotted range [lo, hi] of a parameter: the prior's support (normal: mean +- 3.5
    sd) and every particle."""
    u = u[np.isfinite(u)]
    if kind_ == "uniform":
        lo, hi = a, b
    elif kind_ == "loguniform":
        lo, hi = math.log10(a), math.log10(b)
    elif kind_ == "normal":
        lo, hi = a - 3.5 * b, a + 3.5 * b
    else:
        lo, hi = u.min(), u.max()
    lo, hi = min(lo, u.min()), max(hi, u.max())
    if hi == lo:
        lo, hi = lo - 0.5, hi + 0.5
    return lo, hi


def posterior_marginals_figure(ds):
    """One panel per parameter: the last generation's weighted histogram and kernel density
    against the prior density, with the posterior median and the best particle. A
    loguniform parameter is drawn on a log axis with densities per decade."""
    _need(ds)
    ps = parameters(ds)
    colours = parameter_colours(ps)
    last, w = last_generation(ds)
    fig, axes = panels(len(ps), width=4.6, height=3.2, ncols=3, sharey=False)
    drawn = set()
    for ax, p in zip(axes, ps):
        k, a, b = prior(ds, p)
        log = k == "loguniform"
        u = _to_plot(last.sel(parameter=p).values, log)
        lo, hi = _range(k, a, b, u)
        pu, pd_ = _prior_curve(k, a, b, lo, hi)
        if pu is not None:
            ax.plot(_from_plot(pu, log), pd_, color=PRIOR_COLOUR, linestyle="--", linewidth=1.5)
            drawn.add("prior")
        drawn.update(_density(ax, u, w, colours[p], log, lo, hi))
        ax.axvline(float(ds["posterior_median"].sel(parameter=p)), color="black", linewidth=1.5)
        ax.axvline(float(ds["best"].sel(parameter=p)), color="black", linestyle=":",
                   linewidth=1.8)
        if log:
            ax.set_xscale("log")
        ax.set_xlim(_from_plot(lo, log), _from_plot(hi, log))
        ax.set_ylim(bottom=0)
        unit = units_label(ds["parameter_units"].sel(parameter=p).values)
        ax.set_xlabel(f"{p} [{unit}]")
        ax.set_ylabel("density per decade" if log else "density" + (
            "" if unit == "dimensionless" else f" [per {unit}]"))
        ax.set_title(f"{p}\nprior {prior_text(k, a, b)}", fontsize=PANEL_TITLE_SIZE - 1)
        ax.grid(alpha=0.3)
    what = "simplex vertices" if is_nelder_mead(ds) else "particles"
    legend = [(Line2D([], [], color=PRIOR_COLOUR, linestyle="--"), "prior", "prior"),
              (Patch(color="grey", alpha=0.3), f"weighted histogram of the {what}", "histogram"),
              (Line2D([], [], color="grey", linewidth=2), "weighted kernel density", "kde"),
              (Line2D([], [], color="grey", marker="|", linestyle="", markersize=12,
                      markeredgewidth=2.5), f"{what} (too few for a density)", "rug"),
              (Line2D([], [], color="black"), "posterior median", None),
              (Line2D([], [], color="black", linestyle=":"), "best particle (smallest "
                                                            "distance)", None)]
    shown = [(h, label) for h, label, key in legend if key is None or key in drawn]
    figure_legend(fig, [h for h, _ in shown], [label for _, label in shown],
                  "last generation (colour: the parameter)", ncol=3)
    title = ("Nelder-Mead: the final simplex against the priors" if is_nelder_mead(ds) else
             "Posterior marginals of the last generation against the priors")
    suptitle(fig, title, subtitle(ds))
    return fig


def posterior_pairs_figure(ds, max_parameters=MAX_PAIRS):
    """Pair plot of the last generation: below the diagonal each pair of parameters, one
    point per particle with area proportional to its weight (posterior median: cross; best
    particle: star); on the diagonal each parameter's weighted histogram. At most
    max_parameters parameters (the first ones), with a note in the title."""
    _need(ds)
    ps_all = parameters(ds)
    ps = ps_all[:max_parameters]
    n = len(ps)
    colours = parameter_colours(ps_all)
    last, w = last_generation(ds)
    logs = {p: prior(ds, p)[0] == "loguniform" for p in ps}
    values = {p: last.sel(parameter=p).values.astype(float) for p in ps}
    axis_labels = {p: f"{p} [{units_label(ds['parameter_units'].sel(parameter=p).values)}]"
                   for p in ps}
    limits = {}  # each parameter's axis range, the same in its row, column and diagonal
    for p in ps:
        u = _to_plot(values[p], logs[p])
        u = u[np.isfinite(u)] if np.isfinite(u).any() else np.zeros(1)
        pad = 0.06 * np.ptp(u) or 0.05 * (abs(u[0]) or 1.0)
        limits[p] = _from_plot([u.min() - pad, u.max() + pad], logs[p])
    size = 2.3 if n > 3 else 2.8
    fig = new_figure(max(6.0, size * n + 1.0), max(5.0, size * n + 1.4) + LEGEND_ROW_INCHES)
    axes = grid(fig, n, n, legend=True)
    sizes = 4 + 30 * w * w.size  # equal weights: 34
    for i, py in enumerate(ps):
        for j, px in enumerate(ps):
            ax = axes[i, j]
            if j > i:
                ax.set_axis_off()
                continue
            if i == j:
                _density(ax, _to_plot(values[px], logs[px]), w, colours[px], logs[px],
                         kde=False)
                ax.tick_params(labelleft=False)
            else:
                ax.scatter(values[px], values[py], s=sizes, color=FIT_COLOUR, alpha=0.55,
                           linewidth=0, rasterized=True)
                ax.scatter(float(ds["posterior_median"].sel(parameter=px)),
                           float(ds["posterior_median"].sel(parameter=py)), marker="P", s=80,
                           color="black", edgecolor="white", linewidth=0.8, zorder=3)
                ax.scatter(float(ds["best"].sel(parameter=px)),
                           float(ds["best"].sel(parameter=py)), marker="*", s=120,
                           color="#e0a800", edgecolor="black", linewidth=0.6, zorder=3)
                if logs[py]:
                    ax.set_yscale("log")
                ax.set_ylim(*limits[py])
                _axis(ax.yaxis, logs[py])
            if logs[px]:
                ax.set_xscale("log")
            ax.set_xlim(*limits[px])
            _axis(ax.xaxis, logs[px])
            ax.grid(alpha=0.3)
            ax.tick_params(labelsize=7)
            if i == n - 1:
                ax.set_xlabel(axis_labels[px], fontsize=8)
            if j == 0 and i > 0:
                ax.set_ylabel(axis_labels[py], fontsize=8)
    handles = [Line2D([], [], marker="o", linestyle="", color=FIT_COLOUR, alpha=0.55),
               Line2D([], [], marker="P", linestyle="", color="black"),
               Line2D([], [], marker="*", linestyle="", color="#e0a800", markeredgecolor="black",
                      markersize=10)]
    figure_legend(fig, handles, ["particle (area: weight)", "posterior median",
                                 "best particle (smallest distance)"],
                  "last generation; diagonal: weighted histograms", ncol=3)
    note = (f"; first {n} of {len(ps_all)} parameters shown" if len(ps_all) > n else "")
    suptitle(fig, "Pairs of parameters in the last generation", subtitle(ds) + note)
    return fig


def _axis(axis, log):
    """At most 4 ticks labelled as plain numbers (also on log axes)."""
    lo, hi = sorted(axis.get_view_interval())
    if not log or hi < 10 * lo:  # less than a decade: evenly spaced ticks
        axis.set_major_locator(MaxNLocator(4))
    axis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    axis.set_minor_formatter(NullFormatter())


def progress_figure(ds):
    """By generation: the tolerance (log axis; the accepted distances as dots and the
    stopping tolerance of the calibration file, if any), the acceptance rate and the
    effective sample size."""
    _need(ds)
    gen = ds["generation"].values.astype(int)
    n = ds.sizes["particle"]
    fig = new_figure(8.0, 8.0 + LEGEND_ROW_INCHES)
    ax_tol, ax_acc, ax_ess = grid(fig, 3, 1, legend=True, sharex=True).ravel()
    dist = ds["distance"].values.astype(float)
    ax_tol.scatter(np.repeat(gen, dist.shape[1]), dist.ravel(), s=6, color="grey", alpha=0.4,
                   linewidth=0, label="distance of each accepted particle")
    ax_tol.plot(gen, ds["tolerance"].values, "o-", color=FIT_COLOUR, label="tolerance")
    abc = not is_nelder_mead(ds)  # the method's stopping settings mean other things for it
    stop = method_setting(ds, "tolerance")
    if stop and abc:
        ax_tol.axhline(stop, color=PRIOR_COLOUR, linestyle="--", label="stopping tolerance")
    if (dist[np.isfinite(dist)] > 0).any():
        ax_tol.set_yscale("log")
    ax_tol.set_ylabel("tolerance ε [distance]")

    acc = 100 * ds["acceptance"].values.astype(float)
    ax_acc.plot(gen, acc, "o-", color=HOLDOUT_COLOUR, label="acceptance")
    floor = method_setting(ds, "min_acceptance")
    if floor and abc:
        ax_acc.axhline(100 * floor, color=PRIOR_COLOUR, linestyle=":",
                       label="minimum acceptance")
    if (acc[np.isfinite(acc)] > 0).any():
        ax_acc.set_yscale("log")
    else:
        ax_acc.text(0.5, 0.5, "no acceptance rate for this method", transform=ax_acc.transAxes,
                    ha="center", va="center", color="grey")
    ax_acc.set_ylabel("acceptance [% of proposals]")

    ax_ess.plot(gen, ds["ess"].values, "o-", color="#2ca02c", label="effective sample size")
    ax_ess.axhline(n, color="black", linewidth=0.8, linestyle="-.",
                   label=f"particles per generation ({n})")
    ax_ess.set_ylim(0, 1.08 * n)
    ax_ess.set_ylabel("ESS = 1 / Σ w² [particles]")
    ax_ess.set_xlabel("generation")
    ax_ess.set_xticks(gen)
    if gen.size == 1:
        ax_ess.set_xlim(gen[0] - 1, gen[0] + 1)
    handles, labels = [], []
    for ax in (ax_tol, ax_acc, ax_ess):
        ax.grid(alpha=0.3)
        h, lab = ax.get_legend_handles_labels()
        handles += h
        labels += lab
    figure_legend(fig, handles, labels, "", ncol=3)
    suptitle(fig, "Tolerance, acceptance and effective sample size by generation",
             subtitle(ds))
    return fig


def display_units(units):
    """(label, factor): dimensionless targets in percent, others as they are."""
    return ("%", 100.0) if str(units) in FRACTION_UNITS else (str(units), 1.0)


def posterior_predictive_figure(ds):
    """For every target (one panel per unit; dimensionless ones in percent): the last
    generation's weighted median and 5-95% band of the simulated value against the
    observation with its 90% interval (+- 1.645 sd); holdout targets in another colour and
    with open markers."""
    t = targets_table(ds)
    t["display"] = [display_units(u)[0] for u in t["units"]]
    groups = list(dict.fromkeys(t["display"]))
    heights = [t["display"].eq(g).sum() + 1.2 for g in groups]
    fig = new_figure(10.0, 0.42 * len(t) + 1.3 * len(groups) + 1.6 + LEGEND_ROW_INCHES)
    axes = grid(fig, len(groups), 1, legend=True, height_ratios=heights).ravel()
    for ax, unit in zip(axes, groups):
        g = t[t["display"] == unit]
        f = display_units(g["units"].iloc[0])[1]
        y = np.arange(len(g))[::-1].astype(float)
        for yy, (_, r) in zip(y, g.iterrows()):
            holdout = r["use"] == "holdout"
            colour = HOLDOUT_COLOUR if holdout else FIT_COLOUR
            ax.plot([f * r["q05"], f * r["q95"]], [yy + 0.12] * 2, color=colour, linewidth=7,
                    alpha=0.45, solid_capstyle="butt")
            ax.plot(f * r["median"], yy + 0.12, marker="|", markersize=14, color=colour,
                    markeredgewidth=2.5)
            ax.errorbar(f * r["observed"], yy - 0.12, xerr=Z90 * f * r["sd"],
                        fmt="s" if holdout else "o", color="black", capsize=3,
                        markerfacecolor="white" if holdout else "black")
        ax.set_yticks(y, [f"{r['target']} ({r['period']})" + ("\n[holdout]" if r["use"] ==
                                                             "holdout" else "")
                          for _, r in g.iterrows()], fontsize=8)
        ax.set_ylim(-0.7, len(g) - 0.3)
        ax.set_xlabel(f"value [{units_label(unit) if unit != '%' else '%'}]")
        ax.set_title("targets in " + ("percent (shares and ratios)" if unit == "%"
                                      else units_label(unit)), fontsize=PANEL_TITLE_SIZE - 1)
        ax.grid(alpha=0.3, axis="x")
    handles = [Line2D([], [], color=FIT_COLOUR, linewidth=7, alpha=0.45),
               Line2D([], [], color=HOLDOUT_COLOUR, linewidth=7, alpha=0.45),
               Line2D([], [], marker="|", linestyle="", color="grey", markersize=12,
                      markeredgewidth=2.5),
               Line2D([], [], marker="o", color="black"),
               Line2D([], [], marker="s", color="black", markerfacecolor="white")]
    figure_legend(fig, handles, ["simulated 5-95% (fitted target)",
                                 "simulated 5-95% (holdout: never fitted)", "simulated median",
                                 "observed ± 1.645 sd (90%; pp for shares)",
                                 "observed, holdout target"], "", ncol=2)
    suptitle(fig, "Posterior predictive check: simulated targets of the last generation "
             "against the observations", subtitle(ds))
    return fig


CAPTIONS = {
    "posterior_marginals": "Each parameter's weighted particles of the last generation "
                           "(histogram, kernel density) against its prior (dashed); solid line: "
                           "posterior median, dotted: the best particle.",
    "posterior_pairs": "Pairs of parameters in the last generation, point area proportional to "
                       "the weight; diagonal: weighted histograms.",
    "calibration_progress": "Tolerance (log scale), acceptance rate and effective sample size "
                            "by generation.",
    "posterior_predictive": "Every target: the last generation's weighted median and 5-95% "
                            "band of the simulated value against the observation with its "
                            "90% interval (± 1.645 sd); holdout targets (never fitted) in "
                            "orange with open markers; shares in percent.",
}


def calibration_figures(ds):
    """Stem -> figure function for a calibration file."""
    return {"posterior_marginals": lambda ds, turns=None: posterior_marginals_figure(ds),
            "posterior_pairs": lambda ds, turns=None: posterior_pairs_figure(ds),
            "calibration_progress": lambda ds, turns=None: progress_figure(ds),
            "posterior_predictive": lambda ds, turns=None: posterior_predictive_figure(ds)}
