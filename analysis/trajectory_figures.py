"""Fans of the trajectories a sweep keeps (`trajectories: {every: k, variables: [...]}`):
for a variable `<var>_trajectory(run, sample, ...)`, the median, 25-75% and 5-95% over the
ok runs at each sampled turn, one panel per cell (an actor, an actor and a target, ...).
By default the panels are the cells whose values spread most across the runs at the last
sample: where the sweep's parameters matter most."""

import itertools
import math

import numpy as np

from .io import units_text
from .plotting import (LEGEND_ROW_INCHES, PANEL_TITLE_SIZE, date_axis, figure_legend, grid,
                       left_column, new_figure, suptitle)
from .sweep_figures import _ok, _subtitle

SUFFIX = "_trajectory"
MAX_PANELS = 9
FAN = ((0.05, 0.95), (0.25, 0.75))


def trajectory_variables(ds):
    """The run variables a sweep keeps as trajectories ("influence_share", ...)."""
    return [v[:-len(SUFFIX)] for v in ds.data_vars if v.endswith(SUFFIX)
            and ds[v].dims[:2] == ("run", "sample")]


def _cells(da):
    """Every cell of a (run, sample, ...) variable as {dim: label}."""
    dims = da.dims[2:]
    labels = [[str(v) for v in da[d].values] for d in dims]
    return [dict(zip(dims, combo)) for combo in itertools.product(*labels)]


def cell_text(cell):
    """"USA -> TJK", "trade: RUS -> TJK", "TJK", "KAZ, west" for a cell's labels."""
    rest = [v for d, v in cell.items() if d not in ("actor", "target")]
    if "actor" in cell and "target" in cell:
        core = f"{cell['actor']} -> {cell['target']}"
    else:
        core = cell.get("actor", cell.get("target", ""))
    if "actor" in cell or "target" in cell:
        return f"{', '.join(rest)}: {core}" if rest else core
    return ", ".join(rest)


def ranked_cells(ds, variable, n=MAX_PANELS):
    """The `n` cells of `variable`'s trajectory whose 5-95% spread over the ok runs at the last
    sample is widest (ties, and cells that never vary: by their largest absolute median), as
    {dim: label} dicts. Cells of an actor with itself and cells that are NaN in every ok run
    are left out."""
    da = ds[variable + SUFFIX]
    values = np.asarray(da.values, dtype=float)[_ok(ds), -1]
    values = values.reshape(values.shape[0], -1)
    cells = _cells(da)
    with np.errstate(all="ignore"):
        finite = np.isfinite(values).any(axis=0) if values.size else np.zeros(len(cells), bool)
        q = (np.nanquantile(values[:, finite], [0.05, 0.5, 0.95], axis=0) if finite.any()
             else np.zeros((3, 0)))
    spread = np.full(len(cells), -1.0)
    level = np.zeros(len(cells))
    spread[finite], level[finite] = q[2] - q[0], np.abs(q[1])
    keep = [i for i, c in enumerate(cells)
            if finite[i] and not ("actor" in c and c.get("target") == c["actor"])]
    keep.sort(key=lambda i: (-spread[i], -level[i], i))
    return [cells[i] for i in keep[:n]]


def trajectory_fan_figure(ds, variable, cells=None):
    """Fans of `variable`'s trajectory over the ok runs: median (line), 25-75% (dark band) and
    5-95% (light band) at each sampled turn, a panel per cell of `cells` ({dim: label}
    dicts; default ranked_cells: the widest spreads at the last sample)."""
    offered = trajectory_variables(ds)
    if variable not in offered:
        raise ValueError(f"no trajectory of {variable!r} in this sweep; it keeps "
                         f"{', '.join(offered) or 'none (add trajectories: to the sweep file)'}")
    da = ds[variable + SUFFIX]
    ok = _ok(ds)
    if cells is None:
        cells = ranked_cells(ds, variable)
        chosen = "ranked by their 5-95% spread at the last sample"
    else:
        chosen = "chosen"
    if not cells:
        raise ValueError(f"no cell of {variable!r} has a value in an ok run")
    total = int(np.prod([da.sizes[d] for d in da.dims[2:]]))
    ncols = min(3, len(cells))
    nrows = math.ceil(len(cells) / ncols)
    fig = new_figure(4.4 * ncols + 0.6, 2.7 * nrows + 1.6 + LEGEND_ROW_INCHES)
    axes = grid(fig, nrows, ncols, legend=True, sharex=True, n=len(cells))
    dates = (ds["sample_date"].values if "sample_date" in ds.variables
             else np.asarray(ds["sample"].values))
    handles = []
    for ax, cell in zip(axes.ravel(), cells):
        try:
            runs = np.asarray(da.sel(cell).values, dtype=float)[ok]
        except KeyError as e:
            raise ValueError(f"no cell {cell} in {variable!r}: {e}") from None
        with np.errstate(all="ignore"):
            outer, inner = (np.nanquantile(runs, list(q), axis=0) for q in FAN)
            median = np.nanmedian(runs, axis=0)
        h1 = ax.fill_between(dates, outer[0], outer[1], color="tab:blue", alpha=0.18,
                             linewidth=0)
        h2 = ax.fill_between(dates, inner[0], inner[1], color="tab:blue", alpha=0.38,
                             linewidth=0)
        (h3,) = ax.plot(dates, median, color="tab:blue", linewidth=1.6, marker="o",
                        markersize=2.5)
        handles = [h3, h2, h1]
        ax.set_title(cell_text(cell), fontsize=PANEL_TITLE_SIZE)
        ax.grid(alpha=0.3)
        if np.issubdtype(np.asarray(dates).dtype, np.datetime64):
            date_axis(ax, dates)
    for ax in left_column(list(axes.ravel()[:len(cells)]), ncols):
        ax.set_ylabel(units_text(da))
    figure_legend(fig, handles, ["median", "25-75%", "5-95%"], f"over {int(ok.sum())} ok runs",
                  ncol=3)
    long = da.attrs.get("long_name", variable)
    suptitle(fig, f"Trajectories of {variable} across the sweep: {long}",
             f"{_subtitle(ds)}; {len(cells)} of {total} cells, {chosen}; sampled every "
             f"{_every(ds)} turns and at the last")
    return fig


def _every(ds):
    samples = np.asarray(ds["sample"].values)
    return int(samples[1] - samples[0]) if samples.size > 1 else 1


__all__ = ["trajectory_variables", "ranked_cells", "cell_text", "trajectory_fan_figure"]
