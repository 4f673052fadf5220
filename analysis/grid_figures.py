"""Heatmaps of a grid sweep (`design: {kind: grid}`): each metric's mean over the replicates
(and over any further parameters) at each pair of levels of two parameters. Only runs with
status 0 count; a cell without one is hatched and labelled."""

import math

import numpy as np
import pandas as pd
from matplotlib import colors as mcolors

from .plotting import LEGEND_ROW_INCHES, PANEL_TITLE_SIZE, new_figure, suptitle
from .sweep_figures import (_ok, _subtitle, metric_title, metric_units, metrics, parameter_units,
                            parameters)

MAX_ANNOTATED_CELLS = 144


def is_grid(ds):
    """A sweep with a grid design over two or more parameters."""
    return ds.attrs.get("design") == "grid" and ds.sizes.get("parameter", 0) >= 2


def grid_levels(ds):
    """{parameter: its sorted distinct design values} of a grid sweep."""
    values = np.asarray(ds["design_values"].values, dtype=float)
    return {p: np.unique(values[:, i]) for i, p in enumerate(parameters(ds))}


def grid_axes(ds, x=None, y=None):
    """(x, y): the two parameters a heatmap spans: those given, else the two with the most
    levels (the first in the file's order on ties), the one with more levels on x."""
    levels = grid_levels(ds)
    names = list(levels)
    for p in (x, y):
        if p is not None and p not in levels:
            raise ValueError(f"no parameter {p!r} in this sweep; its parameters: "
                             f"{', '.join(names)}")
    if x is not None and x == y:
        raise ValueError(f"the heatmap needs two different parameters, not {x!r} twice")
    ranked = sorted(names, key=lambda p: (-len(levels[p]), names.index(p)))
    x = x or next(p for p in ranked if p != y)
    y = y or next(p for p in ranked if p != x)
    return x, y


def grid_table(ds, metric, x=None, y=None):
    """A pandas.DataFrame of `metric` at each level of y (rows) and x (columns): the mean over
    the ok runs of each combination of the other parameters' levels (the replicates), then the
    mean of those means, so that each combination weighs the same even when some of its runs
    failed; NaN where no run is ok. Its attributes: `runs`, the ok runs per cell, and
    `partial`, True where some combination of the other parameters has no ok run (its mean is
    over the others only)."""
    if metric not in metrics(ds):
        raise ValueError(f"no metric {metric!r} in this sweep; its metrics: "
                         f"{', '.join(metrics(ds))}")
    x, y = grid_axes(ds, x, y)
    names = parameters(ds)
    others = [p for p in names if p not in (x, y)]
    values = np.asarray(ds["design_values"].values, dtype=float)
    point = np.asarray(ds["point"].values)
    ok = _ok(ds)
    frame = pd.DataFrame({p: values[point, names.index(p)] for p in names})
    frame["value"] = np.where(ok, np.asarray(ds[metric].values, dtype=float), np.nan)
    levels = grid_levels(ds)
    index = pd.MultiIndex.from_product([levels[y], levels[x]], names=[y, x])
    if others:
        combos = frame.groupby([y, x] + others)["value"].mean()  # NaN: no ok run
        mean = combos.groupby(level=[0, 1]).mean()
        missing = combos.isna().groupby(level=[0, 1]).any()
    else:
        mean = frame.groupby([y, x])["value"].mean()
        missing = mean.isna()
    table = mean.reindex(index).unstack(x)
    table.attrs["runs"] = frame.groupby([y, x])["value"].count().reindex(
        index, fill_value=0).unstack(x)
    table.attrs["partial"] = (missing.reindex(index, fill_value=True).unstack(x)
                              & table.notna())
    return table


def _text_colour(rgba):
    r, g, b = rgba[:3]
    return "black" if 0.299 * r + 0.587 * g + 0.114 * b > 0.5 else "white"


def grid_heatmap_figure(ds, x=None, y=None):
    """Per metric, a heatmap of its mean (grid_table) over the levels of two parameters, the
    values written in the cells (up to 144 cells), one colour scale per metric."""
    if not is_grid(ds):
        raise ValueError("a heatmap needs a grid sweep over two or more parameters "
                         f"(this sweep's design: {ds.attrs.get('design', '?')}, "
                         f"{ds.sizes.get('parameter', 0)} parameters)")
    x, y = grid_axes(ds, x, y)
    ms = metrics(ds)
    levels = grid_levels(ds)
    ncols = min(3, len(ms))
    nrows = math.ceil(len(ms) / ncols)
    cell_w = max(0.55, min(1.1, 7.0 / len(levels[x])))
    width = max(5.5, len(levels[x]) * cell_w + 2.8)
    height = max(3.6, len(levels[y]) * 0.45 + 2.4)
    fig = new_figure(width * ncols, height * nrows + 1.6 + LEGEND_ROW_INCHES)
    axes = np.atleast_1d(fig.subplots(nrows, ncols, squeeze=False)).ravel()
    for ax in axes[len(ms):]:
        ax.remove()
    any_partial = False
    for ax, m in zip(axes, ms):
        table = grid_table(ds, m, x, y)
        data = table.to_numpy(dtype=float)
        partial = table.attrs["partial"].to_numpy(dtype=bool)
        any_partial = any_partial or partial.any()
        finite = data[np.isfinite(data)]
        norm = mcolors.Normalize(*(finite.min(), finite.max()) if finite.size else (0, 1))
        mesh = ax.pcolormesh(np.arange(data.shape[1] + 1), np.arange(data.shape[0] + 1),
                             np.ma.masked_invalid(data), cmap="viridis", norm=norm)
        # cells without an ok run: hatched over the axes' grey
        ax.set_facecolor("0.85")
        for i, j in zip(*np.nonzero(~np.isfinite(data))):
            ax.fill_between([j, j + 1], i, i + 1, facecolor="none", edgecolor="0.4",
                            hatch="///", linewidth=0)
        if data.size <= MAX_ANNOTATED_CELLS:
            for i in range(data.shape[0]):
                for j in range(data.shape[1]):
                    v = data[i, j]
                    text = (f"{v:.3g}" + ("*" if partial[i, j] else "") if np.isfinite(v)
                            else "no ok run")
                    colour = _text_colour(mesh.cmap(norm(v))) if np.isfinite(v) else "black"
                    ax.text(j + 0.5, i + 0.5, text, ha="center", va="center", fontsize=8,
                            color=colour)
        ax.set_xticks(np.arange(data.shape[1]) + 0.5,
                      [f"{v:g}" for v in table.columns], rotation=45 if data.shape[1] > 8
                      else 0)
        ax.set_yticks(np.arange(data.shape[0]) + 0.5, [f"{v:g}" for v in table.index])
        ax.set_xlabel(f"{x} [{parameter_units(ds, x)}]")
        ax.set_ylabel(f"{y} [{parameter_units(ds, y)}]")
        ax.set_title(metric_title(ds, m, width=int(width * 9)), fontsize=PANEL_TITLE_SIZE - 1)
        fig.colorbar(mesh, ax=ax, label=metric_units(ds, m), shrink=0.9)
    others = [p for p in parameters(ds) if p not in (x, y)]
    note = (f"; averaged over the levels of {', '.join(others)}" if others else "")
    if any_partial:
        note += "; *: some of those levels have no ok run (the mean is over the others)"
    suptitle(fig, f"Each metric's mean over the grid of {x} and {y}",
             f"{_subtitle(ds)}; mean over the replicates{note}")
    return fig


__all__ = ["is_grid", "grid_levels", "grid_axes", "grid_table", "grid_heatmap_figure"]
