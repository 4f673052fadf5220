"""Figures of one run. Each *_figure(ds) takes a dataset from analysis.load and returns a
matplotlib Figure (built without pyplot, so no global state and no display needed)."""

import math
import os
import sys

import matplotlib
import matplotlib.dates as mdates
import numpy as np
from matplotlib import colors as mcolors
from matplotlib.figure import Figure

from .colours import actor_colours, pole_colours
from .io import actor_names, codes_with_role, events, short_name, units_text


def _date_axis(ax, ds):
    locator = mdates.AutoDateLocator(minticks=3, maxticks=7)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.set_xlim(ds["date"].values[0], ds["date"].values[-1])


def _panels(n, width=4.6, height=2.9, ncols=3):
    """A figure with n panels on a grid; unused grid cells are removed."""
    ncols = max(1, min(ncols, n))
    nrows = max(1, math.ceil(n / ncols))
    fig = Figure(figsize=(width * ncols, height * nrows + 0.9), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False, sharey=True).ravel()
    for ax in axes[n:]:
        ax.remove()
    return fig, list(axes[:n])


def _figure_legend(fig, handles, labels, title):
    """One legend for all panels, centred below them (savefig uses bbox_inches="tight")."""
    fig.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, 0.0),
               ncol=min(len(labels), 4), title=title, frameon=False)


def _event_labels(ds, client, causes=("scripted",)):
    """{date: label} for the events touching `client` (acting or among the targets),
    e.g. "USA security aid, visit; RUS visit"."""
    ev = events(ds)
    ev = ev[ev["cause"].isin(causes)
            & ev.apply(lambda e: e["actor"] == client or client in e["targets"], axis=1)]
    out = {}
    for date, group in ev.groupby("date", sort=True):
        by_actor = {}
        for actor, action in zip(group["actor"], group["action"]):
            by_actor.setdefault(actor, {})[action.replace("_", " ")] = None
        out[date] = "; ".join(f"{a} {', '.join(acts)}" for a, acts in by_actor.items())
    return out


def influence_shares_figure(ds):
    """Per client, the patrons' shares of influence over it as stacked areas, with the
    scripted events touching it as labelled vertical lines."""
    names, colours = actor_names(ds), actor_colours(ds["actor"].values)
    patrons, clients = codes_with_role(ds, "patron"), codes_with_role(ds, "client")
    fig, axes = _panels(len(clients))
    dates = ds["date"].values
    late = dates[0] + 0.8 * (dates[-1] - dates[0])  # labels of later events go left of the line
    share = ds["influence_share"]
    any_events = False
    for ax, client in zip(axes, clients):
        ys = [share.sel(actor=p, target=client).values for p in patrons]
        ax.stackplot(dates, ys, colors=[colours[p] for p in patrons],
                     labels=[names[p] for p in patrons], alpha=0.85, linewidth=0)
        for date, label in _event_labels(ds, client).items():
            any_events = True
            ax.axvline(date, color="black", linewidth=0.8, linestyle="--")
            ax.text(date, 0.97, label, rotation=90, va="top", fontsize=6.5,
                    ha="right" if date > late else "left",
                    bbox=dict(facecolor="white", alpha=0.75, edgecolor="none", pad=0.5))
        ax.set_title(names[client])
        ax.set_ylim(0, 1)
        _date_axis(ax, ds)
    for ax in axes[::min(3, len(axes)) or 1]:
        ax.set_ylabel("share of patrons' influence")
    if axes:
        handles, labels = axes[0].get_legend_handles_labels()
        _figure_legend(fig, handles, labels, "patron")
    fig.suptitle(f"Patrons' influence shares over clients: {ds.attrs.get('scenario_name', '')}"
                 + (" (dashed: scripted events)" if any_events else ""))
    return fig


def dependence_heatmap_figure(ds, turn=-1):
    """dependence(actor, target) at one turn (default the last): rows depend on columns."""
    dep = ds["dependence"].isel(turn=turn)
    names = [short_name(n) for n in ds["actor_name"].values]
    values = np.array(dep.values, dtype=float)
    np.fill_diagonal(values, np.nan)  # an actor does not depend on itself
    n = len(names)
    fig = Figure(figsize=(4 + 0.62 * n, 3.2 + 0.55 * n), layout="constrained")
    ax = fig.subplots()
    cmap = matplotlib.colormaps["viridis"].with_extremes(bad="lightgrey")
    vmax = np.nanmax(values) if np.isfinite(values).any() else 1.0
    image = ax.imshow(values, cmap=cmap, norm=mcolors.PowerNorm(0.5, vmin=0, vmax=vmax or 1.0))
    for i in range(n):
        for j in range(n):
            v = values[i, j]
            if np.isfinite(v) and v >= 0.005:
                ax.text(j, i, f"{v:.2f}", ha="center", va="center", fontsize=7,
                        color="white" if v < 0.35 * vmax else "black")
    ax.set_xticks(range(n), names, rotation=45, ha="right", rotation_mode="anchor")
    ax.set_yticks(range(n), names)
    ax.set_xlabel("actor depended on (target)")
    ax.set_ylabel("dependent actor")
    date = ds["date"].values[turn]
    turn_index = int(ds["turn"].values[turn])
    ax.set_title(f"Dependence of row actor on column actor\n"
                 f"turn {turn_index} ({np.datetime_as_string(date, unit='M')})")
    bar = fig.colorbar(image, ax=ax, shrink=0.8)
    bar.set_label(f"dependence [{units_text(dep)}] (square-root colour scale)")
    return fig


def alignment_figure(ds):
    """Per client, its alignment with each pole over time."""
    names = actor_names(ds)
    poles = [str(p) for p in ds["pole"].values]
    pole_names = dict(zip(poles, map(str, ds["pole_name"].values)))
    colours = pole_colours(ds)
    clients = codes_with_role(ds, "client")
    fig, axes = _panels(len(clients))
    dates = ds["date"].values
    styles = ["-", "--", ":", "-."]  # equal alignments stay visible
    for ax, client in zip(axes, clients):
        for k, pole in enumerate(poles):
            ax.plot(dates, ds["alignment"].sel(actor=client, pole=pole).values,
                    color=colours[pole], label=pole_names[pole], linewidth=1.8,
                    linestyle=styles[k % len(styles)])
        ax.set_title(names[client])
        ax.set_ylim(0, 1)
        ax.grid(alpha=0.3)
        _date_axis(ax, ds)
    for ax in axes[::min(3, len(axes)) or 1]:
        ax.set_ylabel(f"alignment [{units_text(ds['alignment'])}, sums to 1]")
    if axes:
        handles, labels = axes[0].get_legend_handles_labels()
        _figure_legend(fig, handles, labels, "pole")
    fig.suptitle(f"Clients' alignment with the poles: {ds.attrs.get('scenario_name', '')}")
    return fig


def alignment_ternary_figure(ds):
    """Clients' alignment trajectories in a triangle (only for exactly three poles)."""
    poles = [str(p) for p in ds["pole"].values]
    if len(poles) != 3:
        raise ValueError(f"a ternary plot needs exactly 3 poles, the run has {len(poles)}")
    names, colours = actor_names(ds), actor_colours(ds["actor"].values)
    h = math.sqrt(3) / 2

    def xy(a):  # barycentric (pole 0 bottom left, pole 1 bottom right, pole 2 top)
        a = np.asarray(a, dtype=float)
        a = a / a.sum(axis=-1, keepdims=True)
        return a[..., 1] + a[..., 2] / 2, a[..., 2] * h

    fig = Figure(figsize=(8.5, 6.5), layout="constrained")
    ax = fig.subplots()
    ax.set_aspect("equal")
    ax.axis("off")
    for f in np.arange(0.2, 1.0, 0.2):  # grid: lines of constant share of each pole
        for k in range(3):
            ends = np.zeros((2, 3))
            ends[:, k] = f
            ends[0, (k + 1) % 3] = 1 - f
            ends[1, (k + 2) % 3] = 1 - f
            ax.plot(*xy(ends), color="lightgrey", linewidth=0.6, zorder=0)
    ax.plot([0, 1, 0.5, 0], [0, 0, h, 0], color="black", linewidth=1)
    pole_names = list(map(str, ds["pole_name"].values))
    ax.text(0, -0.04, short_name(pole_names[0]), ha="center", va="top")
    ax.text(1, -0.04, short_name(pole_names[1]), ha="center", va="top")
    ax.text(0.5, h + 0.03, short_name(pole_names[2]), ha="center", va="bottom")
    for client in codes_with_role(ds, "client"):
        x, y = xy(ds["alignment"].sel(actor=client).transpose("turn", "pole").values)
        c = colours[client]
        ax.plot(x, y, color=c, linewidth=1.5, label=names[client])
        ax.plot(x[0], y[0], "o", color=c, markerfacecolor="white", markersize=5)
        ax.plot(x[-1], y[-1], "o", color=c, markersize=6)
    ax.legend(loc="upper left", bbox_to_anchor=(0.0, 1.0), title="client", fontsize=8)
    d0, d1 = (np.datetime_as_string(ds["date"].values[i], unit="M") for i in (0, -1))
    ax.set_title(f"Clients' alignment with the poles, {d0} (open circle) to {d1} (filled)")
    return fig


def gdp_figure(ds):
    """GDP of every actor over time, log scale."""
    names, colours = actor_names(ds), actor_colours(ds["actor"].values)
    roles = dict(zip(map(str, ds["actor"].values), map(str, ds["actor_role"].values)))
    fig = Figure(figsize=(10, 5.5), layout="constrained")
    ax = fig.subplots()
    for code in map(str, ds["actor"].values):
        ax.plot(ds["date"].values, ds["gdp"].sel(actor=code).values, color=colours[code],
                label=f"{short_name(names[code])} ({roles[code]})",
                linewidth=2.2 if roles[code] == "patron" else 1.4)
    ax.set_yscale("log")
    ax.set_ylabel(f"GDP [{ds['gdp'].attrs.get('units', '')}]")
    ax.grid(alpha=0.3, which="both")
    _date_axis(ax, ds)
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), title="actor")
    ax.set_title(f"GDP by actor: {ds.attrs.get('scenario_name', '')}")
    return fig


# Output file stem -> figure function. Ternary only when the run has three poles.
FIGURES = {
    "influence_shares": influence_shares_figure,
    "dependence_heatmap": dependence_heatmap_figure,
    "alignment": alignment_figure,
    "alignment_ternary": alignment_ternary_figure,
    "gdp": gdp_figure,
}


def figures_for(ds):
    """The FIGURES entries that apply to this run."""
    return {k: f for k, f in FIGURES.items()
            if k != "alignment_ternary" or ds.sizes.get("pole") == 3}


def save_all(ds, outdir, formats=("png",), dpi=150):
    """Write every figure that applies to the run into outdir; return the paths written."""
    os.makedirs(outdir, exist_ok=True)
    paths = []
    for stem, build in figures_for(ds).items():
        fig = build(ds)
        for fmt in formats:
            path = os.path.join(outdir, f"{stem}.{fmt}")
            fig.savefig(path, format=fmt, dpi=dpi, bbox_inches="tight")
            print(path, file=sys.stderr)
            paths.append(path)
    return paths
