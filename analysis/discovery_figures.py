"""Figures of scenario discovery (discovery.py): PRIM's coverage/density trade-off, its chosen
box against the parameters' ranges, and the runs on the two most restricted parameters with
the box drawn. Each takes a `discovery.Discovery` with a PRIM result."""

import numpy as np
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from .plotting import LEGEND_ROW_INCHES, figure_legend, grid, new_figure, suptitle

CASE, OTHER, FAILED = "#d62728", "#9ecae1", "#4d4d4d"
BOX = "#1a1a1a"
# restricted dimensions 0, 1, 2, ...: light to dark (viridis, reversed)
RESTRICTED = ["#bdbdbd", "#fde725", "#7ad151", "#22a884", "#2a788e", "#414487", "#440154"]


def _prim(result):
    if result.prim is None:
        raise ValueError("this discovery has no PRIM result (method cart)")
    return result.prim


def _subtitle(result):
    d = result.data
    unit = f" [{d.metric_unit}]" if d.metric_unit else ""
    return f"{d.context}; cases of interest: {d.outcome}{unit}, {d.cases} of {len(d.y)} ok runs"


def _label(result, p):
    u = result.data.units.get(p, "")
    return f"{p} [{u}]" if u else p


def tradeoff_figure(result):
    """PRIM's peeling trajectory as the coverage/density trade-off: one point per box, coloured
    by how many parameters it restricts, the chosen box (peeled) circled and after pasting
    starred; the density threshold, if one was given, dashed."""
    p = _prim(result)
    t = p.trajectory
    fig = new_figure(8.6, 6.4 + LEGEND_ROW_INCHES)
    ax = grid(fig, 1, 1, legend=True)[0, 0]
    top = int(t["restricted"].max())
    colours = RESTRICTED[:top + 1] + [RESTRICTED[-1]] * max(0, top + 1 - len(RESTRICTED))
    cmap = ListedColormap(colours)
    norm = BoundaryNorm(np.arange(-0.5, top + 1.5), cmap.N)
    ax.plot(t["coverage"], t["density"], color="#999999", linewidth=0.8, zorder=1)
    ax.scatter(t["coverage"], t["density"], c=t["restricted"], cmap=cmap, norm=norm, s=28,
               edgecolor="black", linewidth=0.4, zorder=2)
    c = t.iloc[p.chosen]
    ax.scatter([c["coverage"]], [c["density"]], s=190, facecolor="none", edgecolor=BOX,
               linewidth=1.6, zorder=3)
    ax.scatter([p.coverage], [p.density], marker="*", s=240, color=CASE, edgecolor=BOX,
               linewidth=0.8, zorder=4)
    # the label in the lower right corner (few cases, low density: no box goes there)
    ax.annotate(f"chosen box: coverage {p.coverage:.2f}, density {p.density:.2f}, "
                f"mass {p.mass:.2f}", (p.coverage, p.density), xytext=(0.97, 0.05),
                textcoords="axes fraction", ha="right", va="bottom", fontsize=9,
                bbox=dict(boxstyle="round", facecolor="white", edgecolor="#999999"),
                arrowprops=dict(arrowstyle="-", color="#555555", linewidth=0.7))
    if p.min_density is not None:
        ax.axhline(p.min_density, color="#555555", linestyle="--", linewidth=0.9)
    base = p.total_cases / p.total_points
    ax.set_xlim(min(t["coverage"].min(), p.coverage) - 0.05, 1.03)
    ax.set_ylim(max(0.0, base - 0.08), 1.03)
    ax.set_xlabel("coverage: share of all cases inside the box [dimensionless]")
    ax.set_ylabel("density: share of the box's runs that are cases [dimensionless]")
    ax.grid(alpha=0.3)
    ax.invert_xaxis()  # peeling runs from the right (every run) to the left
    handles = [Line2D([], [], marker="o", linestyle="", markerfacecolor=colours[k],
                      markeredgecolor="black", markeredgewidth=0.4, markersize=7)
               for k in range(top + 1)]
    labels = [f"{k} restricted" for k in range(top + 1)]
    handles += [Line2D([], [], marker="o", linestyle="", markerfacecolor="none",
                       markeredgecolor=BOX, markersize=11),
                Line2D([], [], marker="*", linestyle="", color=CASE, markeredgecolor=BOX,
                       markersize=13)]
    labels += [f"chosen (step {p.chosen})", "chosen, pasted" if p.pasted else "chosen"]
    if p.min_density is not None:
        handles.append(Line2D([], [], color="#555555", linestyle="--"))
        labels.append(f"density {p.min_density:g}")
    figure_legend(fig, handles, labels, "boxes by the number of parameters restricted",
                  ncol=min(len(labels), 5))
    suptitle(fig, f"PRIM trade-off between coverage and density: when is {result.data.outcome}?",
             f"{_subtitle(result)}; peeling alpha {p.alpha:g} from the right; chosen: {p.rule}")
    return fig


def box_figure(result):
    """The chosen box: for each restricted parameter, its range (grey: the ok runs'; hatched:
    values only failed runs took), the box's limits (dark bar), the bootstrap medians of the
    limits (ticks), with the quasi-p-value and the bootstrap frequency."""
    p = _prim(result)
    box = p.box
    rows = max(1, len(box))
    fig = new_figure(9.5, 1.0 * rows + 2.2 + LEGEND_ROW_INCHES)
    ax = grid(fig, 1, 1, legend=True)[0, 0]
    if box.empty:
        ax.text(0.5, 0.5, "no restriction: no box is denser than the whole sample",
                ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
    ranges = result.data.ranges
    for k, r in enumerate(box.itertuples()):
        y = rows - 1 - k
        j = p.parameters.index(r.parameter)
        lo, hi = ranges.get(r.parameter, (p.xmin[j], p.xmax[j]))
        span = (hi - lo) or 1.0

        def x(v):
            return (v - lo) / span
        ax.barh(y, 1.0, left=0.0, height=0.5, color="#eeeeee", edgecolor="#bbbbbb")
        ok_lo, ok_hi = x(p.xmin[j]), x(p.xmax[j])
        if ok_lo > 1e-9:
            ax.barh(y, ok_lo, left=0.0, height=0.5, color="white", edgecolor="#bbbbbb",
                    hatch="///")
        if ok_hi < 1 - 1e-9:
            ax.barh(y, 1 - ok_hi, left=ok_hi, height=0.5, color="white", edgecolor="#bbbbbb",
                    hatch="///")
        ax.barh(y, x(r.upper) - x(r.lower), left=x(r.lower), height=0.5, color=CASE,
                alpha=0.85, edgecolor=BOX)
        for v, restricted, ha, dx in ((r.lower, r.restricts_lower, "right", -0.01),
                                      (r.upper, r.restricts_upper, "left", 0.01)):
            if restricted:
                ax.text(x(v) + dx, y + 0.33, f"{v:.4g}", ha=ha, va="bottom", fontsize=9)
        for v in (r.bootstrap_median_lower, r.bootstrap_median_upper):
            if np.isfinite(v):
                ax.plot([x(v)] * 2, [y - 0.32, y + 0.32], color=BOX, linewidth=2.2)
        ax.text(-0.02, y, f"{r.parameter}\n[{r.unit}]", ha="right", va="center", fontsize=10)
        boot = (f"{r.bootstrap_frequency:.0%}" if np.isfinite(r.bootstrap_frequency)
                else "-")
        ax.text(1.02, y, f"quasi-p {r.quasi_p:.2g}\nbootstrap {boot}",
                ha="left", va="center", fontsize=9)
        ax.text(0.0, y - 0.3, f"{lo:.4g}", ha="left", va="top", fontsize=8, color="#555555")
        ax.text(1.0, y - 0.3, f"{hi:.4g}", ha="right", va="top", fontsize=8, color="#555555")
    if not box.empty:
        ax.set_xlim(-0.01, 1.01)
        ax.set_ylim(-0.8, rows - 0.3)
        ax.set_yticks([])
        ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0], ["min", "25%", "50%", "75%", "max"])
        ax.set_xlabel("position in the parameter's sampled range (its ends in grey under the "
                      "bar)")
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)
    handles = [Patch(facecolor=CASE, edgecolor=BOX, alpha=0.85),
               Patch(facecolor="#eeeeee", edgecolor="#bbbbbb"),
               Line2D([], [], color=BOX, linewidth=2.2)]
    labels = ["the box's limits", "the parameter's range in the ok runs",
              f"bootstrap median limit ({p.resamples} resamples)"]
    if any(ranges.get(q, (p.xmin[j], p.xmax[j]))[0] < p.xmin[j] - 1e-12 * (1 + abs(p.xmin[j]))
           or ranges.get(q, (p.xmin[j], p.xmax[j]))[1] > p.xmax[j] + 1e-12 * (1 + abs(p.xmax[j]))
           for j, q in enumerate(p.parameters) if q in set(box["parameter"])):
        handles.insert(2, Patch(facecolor="white", edgecolor="#bbbbbb", hatch="///"))
        labels.insert(2, "values only failed runs took")
    figure_legend(fig, handles, labels, "", ncol=2)
    suptitle(fig, f"PRIM's chosen box: {p.describe()}",
             f"{_subtitle(result)}; quasi-p: one-sided binomial test of the box's density "
             "against that without the restriction; bootstrap: share of resamples restricting "
             "the parameter")
    return fig


def _pair(result):
    """The two parameters to plot: the most restricted (least of the runs kept by its own
    limits), then the next, else the first others."""
    p = _prim(result)
    names = list(p.box["parameter"]) + [q for q in p.parameters if q not in set(p.box["parameter"])]
    return names[:2]


def scatter_figure(result, max_points=6000):
    """The ok runs on the two most restricted parameters of the chosen box, cases in red, the
    others in light blue, failed runs (dropped) as grey crosses, the box as a rectangle. With
    one parameter: the parameter against the index of the runs."""
    p = _prim(result)
    data = result.data
    pair = _pair(result)
    fig = new_figure(8.4, 7.0 + LEGEND_ROW_INCHES)
    ax = grid(fig, 1, 1, legend=True)[0, 0]
    X, y = data.X, data.y
    rng = np.random.default_rng(0)
    shown = np.arange(len(y))
    if shown.size > max_points:
        shown = np.sort(rng.choice(shown, max_points, replace=False))
    px = pair[0]
    py = pair[1] if len(pair) > 1 else None
    xs = X[px].values
    ys = X[py].values if py else np.arange(len(y), dtype=float)
    for mask, colour, size, z in ((~y, OTHER, 14, 2), (y, CASE, 16, 3)):
        m = np.zeros(len(y), bool)
        m[shown] = True
        m &= mask
        ax.scatter(xs[m], ys[m], s=size, color=colour, edgecolor="none", alpha=0.8, zorder=z,
                   rasterized=True)
    failed = data.failed
    if failed is not None and len(failed) and py:
        ax.scatter(failed[px].values, failed[py].values, marker="x", s=16, color=FAILED,
                   linewidth=0.8, zorder=2)
    j = p.parameters.index(px)
    x0, x1 = p.lower[j], p.upper[j]
    if py:
        k = p.parameters.index(py)
        y0, y1 = p.lower[k], p.upper[k]
    else:
        y0, y1 = -0.5, len(y) - 0.5
    ax.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, edgecolor=BOX,
                           linewidth=2.0, zorder=4))
    ax.set_xlabel(_label(result, px))
    ax.set_ylabel(_label(result, py) if py else "run (ok runs in order)")
    ax.grid(alpha=0.3)
    others = [q for q in p.restricted if q not in pair]
    handles = [Line2D([], [], marker="o", linestyle="", color=CASE),
               Line2D([], [], marker="o", linestyle="", color=OTHER),
               Patch(facecolor="none", edgecolor=BOX, linewidth=2.0)]
    labels = [f"case: {data.outcome}", "not a case", "the chosen box"]
    if failed is not None and len(failed) and py:
        handles.append(Line2D([], [], marker="x", linestyle="", color=FAILED))
        labels.append(f"failed run, dropped ({len(failed)})")
    figure_legend(fig, handles, labels, "", ncol=len(labels))
    note = (f"; the box also restricts {', '.join(others)}: every run is drawn, inside those "
            "limits or not" if others else "")
    suptitle(fig, f"The runs on {px}" + (f" and {py}" if py else "") + ", with PRIM's box",
             _subtitle(result) + note)
    return fig
