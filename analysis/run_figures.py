"""Figures of one run. Each *_figure(ds, ...) takes a run dataset from analysis.load (or the
mean view of a replicates file, see replicate_figures.mean_view) and returns a matplotlib
Figure, built without pyplot: no global state, nothing shown or saved."""

import math

import matplotlib
import numpy as np
import pandas as pd
from matplotlib import colors as mcolors
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch

from .colours import dataset_actor_colours, pole_colours
from .io import (actor_names, actor_targets, codes_with_role, events, listed_actors,
                 rest_of_world, short_name, turn_position, units_text)
from .plotting import (LEGEND_ROW_INCHES, PANEL_TITLE_SIZE, date_axis, figure_legend, grid,
                       left_column, month, new_figure, panels, scenario_text, span_text,
                       suptitle)

SHARE_LABEL = "share of patrons' influence [0-1]"


def _title_note(ds):
    """What the dataset is, for the second title line: scenario, and a replicates note."""
    note = scenario_text(ds)
    extra = ds.attrs.get("analysis_note")
    return f"{note}, {extra}" if extra else note


def _without_rest_note(ds, what="the rest of the world is left out"):
    """"; the rest of the world is left out" for a file with a rest-of-the-world actor."""
    return f"; {what}" if rest_of_world(ds) is not None else ""


def _scripted(ds, causes=("scripted",), scenario=None):
    """The events of `causes` of one run: replicate and comparison files keep the first
    replicate's (scripted events are the same in every replicate) and, in a comparison, those
    of `scenario` (default: the first, the base)."""
    ev = events(ds)
    ev = ev[ev["cause"].isin(causes)]
    if "replicate" in ev and len(ev):
        ev = ev[ev["replicate"] == ev["replicate"].iloc[0]]
    if "scenario" in ev and len(ev):
        ev = ev[ev["scenario"] == (scenario if scenario is not None
                                   else ev["scenario"].iloc[0])]
    return ev


def _labels_by_date(ev, client):
    """{date: "USA security aid, visit; RUS visit"} of the events touching `client` (acting or
    among the targets)."""
    touches = [a == client or client in actor_targets(act, t)
               for a, act, t in zip(ev["actor"], ev["action"], ev["targets"])]
    ev = ev[np.asarray(touches, dtype=bool)] if len(ev) else ev
    out = {}
    for date, group in ev.groupby("date", sort=True):
        by_actor = {}
        for actor, action in zip(group["actor"], group["action"]):
            by_actor.setdefault(actor, {})[action.replace("_", " ")] = None
        out[date] = "; ".join(f"{a} {', '.join(acts)}" for a, acts in by_actor.items())
    return out


def scripted_event_labels(ds, client, causes=("scripted",)):
    """{date: label} for the events touching `client` (acting or among the targets),
    e.g. "USA security aid, visit; RUS visit". Replicate and comparison files: the events of
    the first run (scripted events are the same in every replicate), of the base in a
    comparison."""
    return _labels_by_date(_scripted(ds, causes), client)


EVENT_KEY = ("turn", "actor", "action", "targets", "amount")


def own_event_labels(ds, client, scenario, causes=("scripted",)):
    """{date: label} of a comparison's what-if `scenario`: its scripted events touching
    `client` that the base does not have as they are (same turn, actor, action, targets and
    amount): the events its overlay added, moved or resized."""
    ev = _scripted(ds, causes, scenario)
    base = _scripted(ds, causes, "base")

    def keys(df):
        return list(zip(df["turn"], df["actor"], df["action"], map(tuple, df["targets"]),
                        df["amount"]))
    known = set(keys(base))
    own = np.asarray([k not in known for k in keys(ev)], dtype=bool)
    return _labels_by_date(ev[own] if len(ev) else ev, client)


def mark_events(ax, ds, client, max_lines=4, fontsize=6.5, labels=None, colours=None):
    """Dashed lines at the scripted events touching `client`, or at `labels` ({date: text}).
    `colours` ({date: colour}) draws those dates' lines dotted in that colour (a what-if's own
    events; see own_events). A label is vertical text beside its line; events whose line falls
    under an earlier label share that label (one line of text each, "Jun 22: USA exercise"),
    so labels never overlap; a label only of coloured events takes their colour. Returns the
    number of events marked."""
    if labels is None:
        labels = scripted_event_labels(ds, client)
    colours = colours or {}
    if not labels:
        return 0
    dates = ds["date"].values
    span = dates[-1] - dates[0]
    late = dates[0] + 0.75 * span
    # width of one text line in data units: line height in points over the axes' width
    width_in = max(0.5, ax.get_position().width * ax.figure.get_figwidth())
    line = span * (fontsize * 1.3 / 72) / width_in
    groups = []
    for d in sorted(labels):
        if groups and d <= groups[-1][0] + line * (min(len(groups[-1]), max_lines) + 0.6):
            groups[-1].append(d)
        else:
            groups.append([d])
    for group in groups:
        for d in group:
            own = colours.get(d)
            ax.axvline(d, color=own or "black", linewidth=1.2 if own else 0.8,
                       linestyle=":" if own else "--", alpha=0.9 if own else 0.8)
        texts = [f"{pd.Timestamp(d):%b %y}: {labels[d]}" if len(group) > 1 else labels[d]
                 for d in group]
        if len(texts) > max_lines:
            texts = texts[:max_lines - 1] + [f"and {len(texts) - max_lines + 1} more"]
        group_colours = {colours.get(d) for d in group}
        ax.text(group[0], 0.98, "\n".join(texts), rotation=90, va="top", fontsize=fontsize,
                ha="right" if group[0] > late else "left", linespacing=1.1,
                color=group_colours.pop() if group_colours != {None} and len(group_colours)
                == 1 else "black",
                transform=ax.get_xaxis_transform(),
                bbox=dict(facecolor="white", alpha=0.8, edgecolor="none", pad=0.6))
    return len(labels)


def own_events(ds, client, scenario, colour):
    """(labels, colours) for mark_events in a what-if's panel: the base's scripted events
    touching `client`, and the what-if's own (own_event_labels) prefixed "what-if:" and
    coloured; at a date with both, one label names both."""
    labels = scripted_event_labels(ds, client)
    own = own_event_labels(ds, client, scenario)
    for d, text in own.items():
        labels[d] = f"{labels[d]}; what-if: {text}" if d in labels else f"what-if: {text}"
    return labels, {d: colour for d in own}


def finish_share_panel(ax, ds, client, names, dates, grid=True, labels=None, colours=None):
    """One client's panel of patrons' shares: its scripted events (or `labels` and `colours`
    of mark_events), title, 0-1 axis and dates (the panels of runs, replicates and
    comparisons alike). Returns the events marked."""
    n_events = mark_events(ax, ds, client, labels=labels, colours=colours)
    ax.set_title(names[client], fontsize=PANEL_TITLE_SIZE)
    ax.set_ylim(0, 1)
    if grid:
        ax.grid(alpha=0.3)
    date_axis(ax, dates)
    return n_events


def share_legend(fig, axes, title, extra_handles=(), extra_labels=(), ncol=None):
    """The share axis label on the left column and one legend of the first panel's patrons
    (plus `extra_handles`, e.g. the scenarios' line styles) below the panels."""
    for ax in left_column(axes):
        ax.set_ylabel(SHARE_LABEL)
    if axes:
        handles, labels = axes[0].get_legend_handles_labels()
        figure_legend(fig, handles + list(extra_handles), labels + list(extra_labels), title,
                      ncol=ncol)


def influence_shares_figure(ds):
    """Per client, the patrons' shares of influence over it as stacked areas, with the
    scripted events touching it as labelled vertical lines."""
    names, colours = actor_names(ds), dataset_actor_colours(ds)
    patrons, clients = codes_with_role(ds, "patron"), codes_with_role(ds, "client")
    fig, axes = panels(len(clients))
    dates = ds["date"].values
    share = ds["influence_share"]
    n_events = 0
    for ax, client in zip(axes, clients):
        ys = [share.sel(actor=p, target=client).values for p in patrons]
        ax.stackplot(dates, ys, colors=[colours[p] for p in patrons],
                     labels=[names[p] for p in patrons], alpha=0.85, linewidth=0)
        n_events += finish_share_panel(ax, ds, client, names, dates, grid=False)
    share_legend(fig, axes, "patron")
    suptitle(fig, f"Patrons' shares of influence over each client, {span_text(dates)}",
             _title_note(ds) + (" (dashed lines: scripted events)" if n_events else ""))
    return fig


def _turns(ds, turns):
    if turns is None:
        turns = [-1]
    elif isinstance(turns, (int, str, np.integer)):
        turns = [turns]
    out = []
    for t in turns:
        p = turn_position(ds, t)
        if p not in out:
            out.append(p)
    return out


def _turn_text(ds, pos):
    return f"{month(ds['date'].values[pos])} (turn {int(ds['turn'].values[pos])})"


def dependence_heatmap_figure(ds, turn=-1, turns=None):
    """dependence(actor, target) at one or more turns (positions or dates "2023-06"; default
    the last), one heatmap per turn on one colour scale: rows depend on columns. The rest of
    the world is left out."""
    positions = _turns(ds, turns if turns is not None else turn)
    codes = listed_actors(ds)
    dep = ds["dependence"].sel(actor=codes, target=codes)
    all_names = actor_names(ds)
    names = [short_name(all_names[c]) for c in codes]
    n = len(names)
    mats = []
    for p in positions:
        values = np.array(dep.isel(turn=p).values, dtype=float)
        np.fill_diagonal(values, np.nan)  # an actor does not depend on itself
        mats.append(values)
    finite = [m[np.isfinite(m)] for m in mats]
    vmax = max((f.max() for f in finite if f.size), default=1.0) or 1.0
    side = 1.8 + 0.48 * n
    ncols = min(2, len(positions))
    nrows = math.ceil(len(positions) / ncols)
    fig = new_figure(side * ncols + 1.2, side * nrows + 1.0)
    axes = grid(fig, nrows, ncols, n=len(positions)).ravel()
    cmap = matplotlib.colormaps["viridis"].with_extremes(bad="lightgrey")
    norm = mcolors.PowerNorm(0.5, vmin=0, vmax=vmax)
    for ax, p, values in zip(axes, positions, mats):
        image = ax.imshow(values, cmap=cmap, norm=norm)
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
        ax.set_title(_turn_text(ds, p), fontsize=PANEL_TITLE_SIZE)
    bar = fig.colorbar(image, ax=list(axes[:len(positions)]), shrink=0.8)
    bar.set_label(f"dependence [{units_text(dep)}] (square-root colour scale)")
    when = " and ".join(_turn_text(ds, p) for p in positions)
    suptitle(fig, f"Dependence of each row actor on each column actor, {when}",
             _title_note(ds) + "; grey: an actor on itself" + _without_rest_note(ds))
    return fig


def _network_layout(ds):
    """Positions: patrons on an inner ring, the other listed actors on an outer ring,
    clockwise from the top in actor order (the rest of the world is left out)."""
    codes = listed_actors(ds)
    patrons = set(codes_with_role(ds, "patron"))
    inner = [c for c in codes if c in patrons]
    outer = [c for c in codes if c not in patrons]
    pos = {}
    for ring, radius, offset in ((inner, 0.42, math.pi / 4), (outer, 1.0, 0.0)):
        for k, c in enumerate(ring):
            a = math.pi / 2 - offset - 2 * math.pi * k / max(1, len(ring))
            pos[c] = (radius * math.cos(a), radius * math.sin(a))
    return pos


def influence_network_figure(ds, turn=-1, turns=None, min_fraction=0.05):
    """The influence network at one or more turns: an arrow from each actor to each actor it
    influences, its width proportional to influence(actor, target), coloured as the source.
    Arrows below min_fraction of the largest influence are left out. Nodes: area by GDP. The
    rest of the world (no influence, and a GDP that would shrink every other node) is left
    out."""
    positions = _turns(ds, turns if turns is not None else turn)
    codes = listed_actors(ds)
    names, colours = actor_names(ds), dataset_actor_colours(ds)
    roles = dict(zip(map(str, ds["actor"].values), map(str, ds["actor_role"].values)))
    pos = _network_layout(ds)
    infl = ds["influence"].sel(actor=codes, target=codes)
    mats = [np.nan_to_num(np.array(infl.isel(turn=p).values, dtype=float)) for p in positions]
    for m in mats:
        np.fill_diagonal(m, 0.0)
    vmax = max(float(m.max()) for m in mats) or 1.0
    cut = min_fraction * vmax
    max_width = 9.0
    ncols = min(2, len(positions))
    nrows = math.ceil(len(positions) / ncols)
    fig = new_figure(7.6 * ncols, 6.4 * nrows + 1.0 + LEGEND_ROW_INCHES)
    axes = grid(fig, nrows, ncols, legend=True, n=len(positions)).ravel()
    for ax, p, m in zip(axes, positions, mats):
        gdp = np.array(ds["gdp"].isel(turn=p).sel(actor=codes).values, dtype=float)
        gdp = np.where(np.isfinite(gdp) & (gdp > 0), gdp, np.nanmin(gdp[gdp > 0])
                       if (gdp > 0).any() else 1.0)
        sizes = 150 + 1400 * np.sqrt(gdp / gdp.max())  # marker area, points^2
        radius = {c: math.sqrt(s) / 2 for c, s in zip(codes, sizes)}
        order = np.argsort(m, axis=None)  # thin arrows first, thick on top
        for flat in order:
            i, j = divmod(int(flat), len(codes))
            v = m[i, j]
            if v < cut:
                continue
            a, b = codes[i], codes[j]
            width = max(0.4, max_width * v / vmax)
            ax.add_patch(FancyArrowPatch(
                pos[a], pos[b], connectionstyle="arc3,rad=0.12", arrowstyle="-|>",
                mutation_scale=6 + 1.6 * width, linewidth=width, color=colours[a],
                alpha=0.6, shrinkA=radius[a], shrinkB=radius[b] + 1, zorder=1))
        for c, s in zip(codes, sizes):
            x, y = pos[c]
            ax.scatter([x], [y], s=s, color=colours[c], edgecolor="black", linewidth=0.8,
                       marker="s" if roles[c] == "patron" else "o", zorder=2)
            r = math.hypot(x, y)
            if roles[c] == "patron":
                ax.annotate(short_name(names[c]), (x, y), ha="center", va="center", fontsize=8,
                            zorder=3, bbox=dict(facecolor="white", alpha=0.85, pad=1.2,
                                                edgecolor="none"))
            else:
                ux, uy = (x / r, y / r) if r else (0, 1)
                off = radius[c] + 4
                ax.annotate(short_name(names[c]), (x, y), xytext=(ux * off, uy * off),
                            textcoords="offset points", fontsize=9, zorder=3,
                            ha="left" if ux > 0.3 else "right" if ux < -0.3 else "center",
                            va="bottom" if uy > 0.3 else "top" if uy < -0.3 else "center")
        ax.set_xlim(-1.5, 1.5)
        ax.set_ylim(-1.22, 1.22)
        ax.set_aspect("equal")
        ax.axis("off")
        if len(positions) > 1:
            ax.set_title(_turn_text(ds, p), fontsize=PANEL_TITLE_SIZE)
    samples = [v for v in (0.5 * vmax, 0.25 * vmax, 0.1 * vmax) if v >= cut]
    handles = [Line2D([], [], color="grey", linewidth=max_width * v / vmax) for v in samples]
    figure_legend(fig, handles, [f"{v:.2g}" for v in samples],
                  f"influence of source over target [{units_text(infl)}] (arrow width)",
                  ncol=len(samples))
    when = " and ".join(_turn_text(ds, p) for p in positions)
    suptitle(fig, f"Influence network, {when}",
             _title_note(ds) + f"; squares: patrons; node area: GDP; arrows below {cut:.2g} "
             "not drawn" + _without_rest_note(ds))
    return fig


def alignment_figure(ds):
    """Per client, its alignment with each pole over time."""
    names = actor_names(ds)
    poles = [str(p) for p in ds["pole"].values]
    pole_names = dict(zip(poles, map(str, ds["pole_name"].values)))
    colours = pole_colours(ds)
    clients = codes_with_role(ds, "client")
    fig, axes = panels(len(clients))
    dates = ds["date"].values
    styles = ["-", "--", ":", "-."]  # equal alignments stay visible
    for ax, client in zip(axes, clients):
        for k, pole in enumerate(poles):
            ax.plot(dates, ds["alignment"].sel(actor=client, pole=pole).values,
                    color=colours[pole], label=pole_names[pole], linewidth=1.8,
                    linestyle=styles[k % len(styles)])
        ax.set_title(names[client], fontsize=PANEL_TITLE_SIZE)
        ax.set_ylim(0, 1)
        ax.grid(alpha=0.3)
        date_axis(ax, dates)
    for ax in left_column(axes):
        ax.set_ylabel(f"alignment [{units_text(ds['alignment'])}, sums to 1]")
    if axes:
        handles, labels = axes[0].get_legend_handles_labels()
        figure_legend(fig, handles, labels, "pole")
    suptitle(fig, f"Clients' alignment with the poles, {span_text(dates)}", _title_note(ds))
    return fig


def alignment_ternary_figure(ds):
    """Clients' alignment trajectories in a triangle (only for exactly three poles)."""
    poles = [str(p) for p in ds["pole"].values]
    if len(poles) != 3:
        raise ValueError(f"a ternary plot needs exactly 3 poles, the run has {len(poles)}")
    names, colours = actor_names(ds), dataset_actor_colours(ds)
    h = math.sqrt(3) / 2

    def xy(a):  # barycentric (pole 0 bottom left, pole 1 bottom right, pole 2 top)
        a = np.asarray(a, dtype=float)
        a = a / a.sum(axis=-1, keepdims=True)
        return a[..., 1] + a[..., 2] / 2, a[..., 2] * h

    fig = new_figure(8.5, 7.2)
    ax = fig.subplots()
    ax.set_aspect("equal")
    ax.axis("off")
    pole_names = [short_name(n) for n in ds["pole_name"].values]
    for f in np.arange(0.2, 1.0, 0.2):  # grid: lines of constant share of each pole
        for k in range(3):
            ends = np.zeros((2, 3))
            ends[:, k] = f
            ends[0, (k + 1) % 3] = 1 - f
            ends[1, (k + 2) % 3] = 1 - f
            ax.plot(*xy(ends), color="lightgrey", linewidth=0.6, zorder=0)
        # tick labels along the edges: the share of the pole each edge runs towards
        bottom = xy([1 - f, f, 0])  # share f of pole 1 along the bottom edge
        ax.text(bottom[0], bottom[1] - 0.03, f"{f:.0%}", ha="center", va="top",
                fontsize=7, color="grey")
        right = xy([0, 1 - f, f])  # share f of pole 2 along the right edge
        ax.text(right[0] + 0.02, right[1], f"{f:.0%}", ha="left", va="center",
                fontsize=7, color="grey")
        left = xy([f, 0, 1 - f])  # share f of pole 0 along the left edge
        ax.text(left[0] - 0.02, left[1], f"{f:.0%}", ha="right", va="center",
                fontsize=7, color="grey")
    ax.plot([0, 1, 0.5, 0], [0, 0, h, 0], color="black", linewidth=1)
    # each edge's tick labels read the share of one pole (its grid lines run from there)
    edge = dict(fontsize=8, color="dimgrey", ha="center", va="center")
    ax.text(0.5, -0.085, f"share of {pole_names[1]} \u2192", **edge)
    ax.text(0.75 + 0.07, h / 2 + 0.04, f"\u2190 share of {pole_names[2]}", rotation=-60,
            rotation_mode="anchor", **edge)
    ax.text(0.25 - 0.07, h / 2 + 0.04, f"\u2190 share of {pole_names[0]}", rotation=60,
            rotation_mode="anchor", **edge)
    ax.text(-0.02, -0.03, pole_names[0], ha="right", va="top", fontsize=11)
    ax.text(1.02, -0.03, pole_names[1], ha="left", va="top", fontsize=11)
    ax.text(0.5, h + 0.03, pole_names[2], ha="center", va="bottom", fontsize=11)
    for client in codes_with_role(ds, "client"):
        x, y = xy(ds["alignment"].sel(actor=client).transpose("turn", "pole").values)
        c = colours[client]
        ax.plot(x, y, color=c, linewidth=1.8, label=names[client])
        ax.plot(x[0], y[0], "o", color=c, markerfacecolor="white", markersize=5)
        ax.plot(x[-1], y[-1], "o", color=c, markersize=7)
        ax.annotate(short_name(names[client]), (x[-1], y[-1]), xytext=(6, 4),
                    textcoords="offset points", fontsize=8, color=c)
    ax.legend(loc="upper left", bbox_to_anchor=(0.0, 1.0), title="client", fontsize=8)
    dates = ds["date"].values
    suptitle(fig, f"Clients' alignment with the poles, {span_text(dates)}",
             f"{_title_note(ds)}; open circle {month(dates[0])}, filled {month(dates[-1])}; "
             "grid: share of each pole")
    return fig


def gdp_figure(ds):
    """GDP of every listed actor over time, log scale (the rest of the world, whose GDP is
    the world's less the listed actors', is left out)."""
    names, colours = actor_names(ds), dataset_actor_colours(ds)
    roles = dict(zip(map(str, ds["actor"].values), map(str, ds["actor_role"].values)))
    fig = new_figure(10, 5.5)
    ax = fig.subplots()
    dates = ds["date"].values
    for code in listed_actors(ds):
        ax.plot(dates, ds["gdp"].sel(actor=code).values, color=colours[code],
                label=f"{short_name(names[code])} ({roles[code]})",
                linewidth=2.2 if roles[code] == "patron" else 1.4)
    ax.set_yscale("log")
    ax.set_ylabel(f"GDP [{ds['gdp'].attrs.get('units', '')}] (log scale)")
    ax.grid(alpha=0.3, which="both")
    date_axis(ax, dates)
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), title="actor")
    suptitle(fig, f"GDP by actor, {span_text(dates)}",
             _title_note(ds) + _without_rest_note(ds, "the rest of the world is not shown"))
    return fig


def flows_figure(ds):
    """One panel per channel: each patron's flow to the clients and other listed actors (the
    sum over the non-patron targets, the rest of the world left out: its flows would flatten
    the scale; trade_shares_table shows its share), over time, in the channel's unit."""
    names, colours = actor_names(ds), dataset_actor_colours(ds)
    patrons = codes_with_role(ds, "patron")
    others = [c for c in listed_actors(ds) if c not in patrons]
    channels = [str(c) for c in ds["channel"].values]
    units = dict(zip(channels, map(str, ds["channel_unit"].values)))
    fig, axes = panels(len(channels), width=4.4, height=2.7, ncols=4, sharey=False)
    dates = ds["date"].values
    flow = ds["flow"].sel(target=others)
    for ax, ch in zip(axes, channels):
        total = flow.sel(channel=ch).sum("target")
        for p in patrons:
            ax.plot(dates, total.sel(actor=p).values, color=colours[p], label=names[p],
                    linewidth=1.8)
        ax.set_title(ch.replace("_", " "), fontsize=PANEL_TITLE_SIZE)
        ax.set_ylabel(units[ch])
        ax.set_ylim(bottom=0)
        ax.grid(alpha=0.3)
        ax.ticklabel_format(axis="y", style="sci", scilimits=(-3, 5))
        date_axis(ax, dates)
    if axes:
        handles, labels = axes[0].get_legend_handles_labels()
        figure_legend(fig, handles, labels, "patron (source of the flow)")
    suptitle(fig, f"Patrons' flows to the clients and other actors, by channel, "
             f"{span_text(dates)}",
             _title_note(ds) + "; sum over the non-patron targets, in each channel's unit"
             + _without_rest_note(ds, "the rest of the world left out"))
    return fig


def final_shares_table(ds):
    """pandas.DataFrame: per client (rows, full names), each patron's influence share at the
    last turn, the hedging index and the patron with the largest share."""
    names = actor_names(ds)
    patrons, clients = codes_with_role(ds, "patron"), codes_with_role(ds, "client")
    share = ds["influence_share"].isel(turn=-1)
    rows = {}
    for c in clients:
        row = {names[p]: float(share.sel(actor=p, target=c)) for p in patrons}
        row["hedging index"] = float(ds["hedging_index"].isel(turn=-1).sel(actor=c))
        row["largest share"] = names[max(patrons, key=lambda p: row[names[p]])] if patrons else ""
        rows[names[c]] = row
    return pd.DataFrame.from_dict(rows, orient="index")


REST_OF_WORLD_LABEL = "rest of the world"


def trade_shares_table(ds, turn=-1, channel="trade"):
    """pandas.DataFrame: per client (rows, full names), the shares of its turnover in
    `channel` (its flows to and from each partner) with each patron, with the other listed
    actors and, in a file with it, with the rest of the world (column "rest of the world"),
    at one turn (default the last); the last column is the turnover itself, in the channel's
    unit. The shares add up to 1 (NaN for a client without any). An empty DataFrame if the
    file has no such channel."""
    if "channel" not in ds.coords or channel not in [str(c) for c in ds["channel"].values]:
        return pd.DataFrame()
    names = actor_names(ds)
    patrons, clients = codes_with_role(ds, "patron"), codes_with_role(ds, "client")
    rest = rest_of_world(ds)
    flow = np.asarray(ds["flow"].isel(turn=turn).sel(channel=channel)
                      .transpose("actor", "target").values, dtype=float)
    flow = np.nan_to_num(flow)
    unit = str(ds["channel_unit"].sel(channel=channel).values)
    codes = [str(a) for a in ds["actor"].values]
    rows = {}
    for c in clients:
        i = codes.index(c)
        both = flow[i, :] + flow[:, i]  # to and from each partner
        turnover = {p: float(v) for p, v in zip(codes, both) if p != c}
        total = sum(turnover.values())

        def share(value):
            return value / total if total > 0 else float("nan")

        row = {names[p]: share(turnover[p]) for p in patrons}
        row["other actors"] = share(sum(v for p, v in turnover.items()
                                        if p not in patrons and p != rest))
        if rest is not None:
            row[REST_OF_WORLD_LABEL] = share(turnover[rest])
        row[f"turnover [{unit}]"] = total
        rows[names[c]] = row
    return pd.DataFrame.from_dict(rows, orient="index")


# Output file stem -> figure function (taking the dataset and the chosen turns).
FIGURES = {
    "influence_shares": lambda ds, turns=None: influence_shares_figure(ds),
    "dependence_heatmap": lambda ds, turns=None: dependence_heatmap_figure(
        ds, turns=turns if turns is not None else [0, -1]),
    "influence_network": lambda ds, turns=None: influence_network_figure(
        ds, turns=turns if turns is not None else [-1]),
    "alignment": lambda ds, turns=None: alignment_figure(ds),
    "alignment_ternary": lambda ds, turns=None: alignment_ternary_figure(ds),
    "gdp": lambda ds, turns=None: gdp_figure(ds),
    "flows": lambda ds, turns=None: flows_figure(ds),
}


def run_figures(ds):
    """The FIGURES entries that apply to this run (the ternary plot needs three poles)."""
    return {k: f for k, f in FIGURES.items()
            if k != "alignment_ternary" or ds.sizes.get("pole") == 3}
