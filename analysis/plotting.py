"""Helpers shared by the figure modules: panel grids, date axes, legends, titles."""

import math
import textwrap

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FixedFormatter, FixedLocator, NullLocator

# Text sizes: readable when a figure is shrunk to the width of a page.
TITLE_SIZE = 13
PANEL_TITLE_SIZE = 11


def month(date):
    """"Dec 2024" for a datetime64 / Timestamp."""
    return pd.Timestamp(date).strftime("%b %Y")


def date_axis(ax, dates):
    """Date ticks over the span of `dates` (datetime64 values): at most 7, on month starts,
    labelled with the year in January and the month name otherwise ("2023", "Jul"). Fixed
    ticks: much cheaper to lay out than matplotlib's automatic date locators."""
    dates = pd.DatetimeIndex(dates)
    if len(dates) < 2:
        return
    lo, hi = dates[0], dates[-1]
    months = (hi.year - lo.year) * 12 + hi.month - lo.month
    step = next((s for s in (1, 2, 3, 6, 12, 24, 60, 120) if months / s <= 6), 240)
    start = lo.to_period("M").to_timestamp()
    ticks = [t for t in pd.date_range(start, hi, freq="MS")
             if ((t.month - 1) % step == 0 if step < 12
                 else t.month == 1 and (t.year % (step // 12) == 0))]
    if ticks and ticks[0] < lo:
        ticks = ticks[1:]
    labels = [f"{t:%Y}" if t.month == 1 else f"{t:%b %Y}" if i == 0 else f"{t:%b}"
              for i, t in enumerate(ticks)]
    ax.xaxis.set_major_locator(FixedLocator(mdates.date2num(ticks)))
    ax.xaxis.set_major_formatter(FixedFormatter(labels))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_xlim(dates.values[0], dates.values[-1])


LEGEND_ROW_INCHES = 0.55


def grid(fig, nrows, ncols, legend=False, sharex=False, sharey=False, n=None, **gridspec_kw):
    """An (nrows, ncols) array of axes on a gridspec of `fig`, and with legend=True a row
    below them for figure_legend (so the saved figure needs no bbox_inches="tight", whose
    extra drawing pass costs a third of the time). sharex: False, True or "col"; sharey:
    False, True or "row"; shared axes show tick labels on the outer panels only. With n, the
    cells after the first n are removed."""
    heights = list(gridspec_kw.pop("height_ratios", [1.0] * nrows))
    if legend:
        row_in = (fig.get_figheight() - 1.0) / max(1, nrows)
        heights.append(sum(heights) / nrows * LEGEND_ROW_INCHES / max(0.8, row_in))
    gs = fig.add_gridspec(nrows + bool(legend), ncols, height_ratios=heights, **gridspec_kw)
    axes = np.empty((nrows, ncols), dtype=object)
    n = nrows * ncols if n is None else n
    for i in range(nrows):
        for j in range(ncols):
            if i * ncols + j >= n:
                continue
            share_x = (axes[0, j] if sharex == "col" and i else
                       axes[0, 0] if sharex is True and (i or j) else None)
            share_y = (axes[i, 0] if sharey == "row" and j else
                       axes[0, 0] if sharey is True and (i or j) else None)
            ax = fig.add_subplot(gs[i, j], sharex=share_x, sharey=share_y)
            axes[i, j] = ax
            if share_y is not None and j:
                ax.tick_params(labelleft=False)
    if sharex:
        for i in range(nrows - 1):
            for j in range(ncols):
                below = (i + 1) * ncols + j < n
                if axes[i, j] is not None and below:
                    axes[i, j].tick_params(labelbottom=False)
    if legend:
        lax = fig.add_subplot(gs[nrows, :])
        lax.set_axis_off()
        fig._geosim_legend_ax = lax
    return axes


def panels(n, width=4.6, height=2.9, ncols=3, sharey=True, sharex=False, legend=True):
    """A figure with n panels on a grid (and a legend row below them): (fig, list of axes)."""
    ncols = max(1, min(ncols, n))
    nrows = max(1, math.ceil(n / ncols))
    fig = Figure(figsize=(width * ncols, height * nrows + 1.0 + LEGEND_ROW_INCHES * legend),
                 layout="constrained")
    axes = grid(fig, nrows, ncols, legend=legend, sharex=sharex, sharey=sharey, n=n)
    return fig, [ax for ax in axes.ravel()[:n]]


def left_column(axes, ncols=3):
    """The panels of the left column of a panels() grid."""
    return axes[::max(1, min(ncols, len(axes)))]


def figure_legend(fig, handles, labels, title, ncol=None):
    """One legend for all panels, centred below them, in the legend row grid() made."""
    lax = getattr(fig, "_geosim_legend_ax", None)
    kwargs = dict(ncol=ncol or min(len(labels), 4), title=title, frameon=False)
    if lax is None:
        return fig.legend(handles, labels, loc="lower center", **kwargs)
    return lax.legend(handles, labels, loc="center", **kwargs)


def suptitle(fig, text, sub=None):
    """A figure title saying what and when, and below it `sub`, both wrapped to the figure's
    width (a long line would widen the saved figure and shrink its panels)."""
    chars = max(40, int(fig.get_figwidth() * 72 / (TITLE_SIZE * 0.6)) - 4)
    lines = textwrap.wrap(text, chars)
    if sub:
        lines += textwrap.wrap(sub, chars)
    fig.suptitle("\n".join(lines), fontsize=TITLE_SIZE)


def span_text(dates):
    """"Jan 2022 - Dec 2024" for the first and last of `dates`."""
    return f"{month(dates[0])} - {month(dates[-1])}"


def scenario_text(ds):
    name = ds.attrs.get("scenario_name", "")
    return f"scenario {name}" if name else ""


def new_figure(width, height):
    return Figure(figsize=(width, height), layout="constrained")


def hidden_bands(widths, linewidth):
    """Panels whose bands a line of `linewidth` points covers: `widths` is {axes: the widest
    band drawn in it, in data units} (its y limits final). A band narrower than its line's
    stroke cannot be seen, and a reader would take it for no spread at all. Returns
    (panels where every band is hidden, panels, the widest hidden band)."""
    hidden = []
    for ax, width in widths.items():
        lo, hi = ax.get_ylim()
        height_in = ax.get_position().height * ax.figure.get_figheight()
        stroke = abs(hi - lo) * (linewidth / 72) / max(height_in, 1e-6)
        if np.isfinite(width) and width < stroke:
            hidden.append(width)
    return len(hidden), len(widths), max(hidden, default=0.0)


def hidden_bands_text(widths, linewidth, what, fmt, replicates=None):
    """"; in 5 of 8 panels the 5-95% bands are narrower than the lines (at most 0.12 pp)"
    (the note of hidden_bands for a subtitle; "" when every band shows). `fmt` formats a
    width in data units. With one replicate (`replicates` 1) there is no band to speak of."""
    if replicates == 1:
        return f"; one replicate: no {what}"
    k, n, widest = hidden_bands(widths, linewidth)
    if not k:
        return ""
    where = "in every panel" if k == n else f"in {k} of {n} panels"
    if widest == 0:
        return f"; {where} the {what} have width 0 (every replicate agrees)"
    return f"; {where} the {what} are narrower than the lines (at most {fmt(widest)})"
