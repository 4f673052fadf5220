"""Figures and tables of a comparison file: `geosim compare BASE WHATIF --replicates R`
(format version 1, one what-if) or a study `geosim compare BASE WHATIF1 WHATIF2 ...`
(version 2, K what-ifs). The baseline against each what-if with their replicate bands
(5-95%), and the paired difference what-if - baseline with its 95% interval (the file's
`<var>_diff_ci_lower/_upper`).

Both versions are read through `study.whatif_view` (every difference with a `whatif`
dimension; a version-1 file has one what-if, labelled "whatif"), so each figure has one code
path. A figure of one what-if (a version-1 file, or `whatif=` given) has the layout of
version 1; with several what-ifs the per-client time figures have a row per client and a
column per what-if, the hedging figure a line per what-if, the effects figure a row of panels
per what-if. `forest_figure` and `effects_table` rank the effects across what-ifs, variables
and actors."""

import itertools
import re
import textwrap

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D

from .colours import SCENARIO_COLOURS, SCENARIO_STYLES, WHATIF_PALETTE, dataset_actor_colours
from .io import actor_names, codes_with_role, listed_actors, short_name, turn_position
from .plotting import (LEGEND_ROW_INCHES, PANEL_TITLE_SIZE, date_axis, figure_legend, grid,
                       hidden_bands_text, left_column, month, new_figure, panels, span_text,
                       suptitle)
from .replicate_figures import _widest, pp
from .run_figures import (SHARE_LABEL, finish_share_panel, mark_events, own_event_labels,
                          own_events)
from .study import DIFF_SUFFIXES, whatif_labels, whatif_view

SCENARIOS = ("base", "whatif")  # the scenario labels of a version-1 file
BAND = (0.05, 0.95)

# Variables whose values are shares (fractions of a whole, 0-1): their differences are given
# in percentage points (pp = 100 x the difference). influence_share: a patron's share of all
# patrons' influence over a target (sums to 1 over patrons); alignment: an actor's alignment
# with a pole (sums to 1 over poles); hedging_index: 1 - the largest influence share over a
# client. Other dimensionless variables (influence, dependence, bandwidth, susceptibility,
# compliance, dependence_hhi, conflict_intensity) are levels or indices, not shares: their
# differences stay in their unit.
SHARE_VARIABLES = ("influence_share", "alignment", "hedging_index")
# What effects_table lists by default: the quantities of the table `geosim compare` prints.
DEFAULT_EFFECT_VARIABLES = ("influence_share", "hedging_index", "reexports")
# What forest_figure ranks by default: the patrons' shares and the clients' re-exports (the
# hedging index, 1 - the largest share, mostly mirrors a share already shown).
FOREST_VARIABLES = ("influence_share", "reexports")
FOREST_N = 15
PP = "percentage points"
LINE_WIDTH = 1.6
HEDGING_WIDTH = 1.8
OWN_EVENTS_TEXT = ("; dotted verticals in the what-if's colour: its own scripted events (those "
                   "its overlay added or changed)")


def scenario_names(ds):
    """{scenario label: scenario name} from the file's scenario_name labels: {"base": ...,
    "whatif": ...} in version 1; "base" and each what-if's label in a study."""
    return dict(zip(map(str, ds["scenario"].values), map(str, ds["scenario_name"].values)))


def whatif_colours(ds):
    """{what-if label: colour}: a version-1 file's what-if purple, a study's what-ifs the
    colours of WHATIF_PALETTE in their order."""
    labels = whatif_labels(ds)
    if len(labels) == 1:
        return {labels[0]: SCENARIO_COLOURS["whatif"]}
    return {w: WHATIF_PALETTE[i % len(WHATIF_PALETTE)] for i, w in enumerate(labels)}


def _whatifs(ds, whatif):
    """The what-if labels a figure draws: all (None), or the one given (a label or a name)."""
    labels = whatif_labels(ds)
    if whatif is None:
        return labels
    wanted = [whatif] if isinstance(whatif, str) else list(whatif)
    names = scenario_names(ds)
    by_name = {names[w]: w for w in labels}
    out = []
    for w in wanted:
        if w in labels:
            out.append(w)
        elif w in by_name:
            out.append(by_name[w])
        else:
            raise ValueError(f"no what-if {w!r} in this comparison file; its what-ifs: "
                             f"{', '.join(names[x] for x in labels)}")
    return out


def _r(ds):
    return ds.sizes["replicate"]


def _subtitle(ds, whatifs=None):
    n = scenario_names(ds)
    labels = whatifs or whatif_labels(ds)
    r = _r(ds)
    pairs = f"{r} paired replicate{'s' if r != 1 else ''} (common random numbers)"
    if len(labels) == 1:
        return f"baseline {n['base']} vs what-if {n[labels[0]]}, {pairs}"
    return (f"baseline {n['base']} vs {len(labels)} what-ifs "
            f"({', '.join(n[w] for w in labels)}), {pairs}")


def replicate_band(ds, var, scenario, q=BAND):
    """(low, high): the 5% and 95% quantiles over replicates of `var` in one scenario, as
    DataArrays without the replicate dimension (linear interpolation between order
    statistics, as the replicates file's quantiles; a NaN in any replicate gives NaN)."""
    da = ds[var].sel(scenario=scenario)
    axis = da.dims.index("replicate")
    values = np.quantile(np.asarray(da.values, dtype=float), list(q), axis=axis)
    template = da.isel(replicate=0, drop=True)
    return tuple(template.copy(data=v) for v in values)


def _role(scenario):
    return "base" if scenario == "base" else "whatif"


def _scenario_handles(ds, whatif=None, column=False):
    names = scenario_names(ds)
    whatif = whatif or whatif_labels(ds)[0]
    handles = [Line2D([], [], color="black", linestyle=SCENARIO_STYLES[s]) for s in SCENARIOS]
    labels = [f"baseline: {names['base']}",
              "what-if: the column's" if column else f"what-if: {names[whatif]}"]
    return handles, labels


def _header(ax, text, width_in, ha="center"):
    """A column (or row) header above a panel's title: the what-if's name, wrapped."""
    chars = max(16, int(width_in * 72 / (PANEL_TITLE_SIZE * 0.62)))
    ax.annotate(textwrap.fill(text, chars), xy=(0.5 if ha == "center" else 0.0, 1.0),
                xycoords="axes fraction", xytext=(0, 20), textcoords="offset points",
                ha=ha, va="bottom", fontsize=PANEL_TITLE_SIZE, fontweight="bold",
                annotation_clip=False)


def _client_panels(ds, clients, labels, study_sharey=True, single_sharey=True):
    """(fig, {(what-if, client): axes}, left-column axes, every axes). One what-if: a panel
    per client, 3 to a row (the version-1 layout). Several: a row per client and a column per
    what-if, headed by the what-if's name; `study_sharey` True (one scale), "row" (one per
    client) or False."""
    if len(labels) == 1:
        fig, axes = panels(len(clients), sharey=single_sharey)
        return fig, {(labels[0], c): ax for c, ax in zip(clients, axes)}, left_column(axes), axes
    names = scenario_names(ds)
    k = len(labels)
    width = max(3.0, min(4.4, 15.0 / k))
    fig = new_figure(width * k + 0.8, 2.35 * len(clients) + 1.6 + LEGEND_ROW_INCHES)
    axes = grid(fig, len(clients), k, legend=True, sharex=True, sharey=study_sharey)
    cells = {(w, c): axes[i, j] for i, c in enumerate(clients) for j, w in enumerate(labels)}
    for j, w in enumerate(labels):
        _header(axes[0, j], f"what-if: {names[w]}", width)
    return fig, cells, list(axes[:, 0]), list(axes.ravel())


def compare_shares_figure(ds, whatif=None):
    """Per client, each patron's influence share in the baseline (solid, shaded 5-95% band)
    and the what-if (dashed, hatched band), means over the replicates. A study: a column per
    what-if (or only `whatif`, a label or a name)."""
    names, colours = actor_names(ds), dataset_actor_colours(ds)
    patrons, clients = codes_with_role(ds, "patron"), codes_with_role(ds, "client")
    labels = _whatifs(ds, whatif)
    fig, cells, left, axes = _client_panels(ds, clients, labels)
    dates = ds["date"].values
    bands = {s: replicate_band(ds, "influence_share", s) for s in ["base"] + labels}
    wcolours = whatif_colours(ds)
    first = True
    widths, n_own = {}, 0
    for (w, client), ax in cells.items():
        widths[ax] = float("nan")
        for p in patrons:
            sel = dict(actor=p, target=client)
            for s in ("base", w):
                low, high = bands[s]
                base = s == "base"
                lo, hi = low.sel(sel).values, high.sel(sel).values
                ax.fill_between(dates, lo, hi, facecolor=colours[p] if base else "none",
                                edgecolor=colours[p], hatch=None if base else "////",
                                alpha=0.25 if base else 0.5, linewidth=0)
                ax.plot(dates, ds["influence_share_mean"].sel(scenario=s, **sel).values,
                        color=colours[p], linestyle=SCENARIO_STYLES[_role(s)],
                        linewidth=LINE_WIDTH, label=names[p] if base and first else None)
                widths[ax] = float(np.fmax(widths[ax], _widest(lo, hi)))
        first = False
        event_labels, event_colours = own_events(ds, client, w, wcolours[w])
        n_own += len(event_colours)
        finish_share_panel(ax, ds, client, names, dates, labels=event_labels,
                           colours=event_colours)
    for ax in left:
        ax.set_ylabel(SHARE_LABEL)
    sh, sl = _scenario_handles(ds, labels[0], column=len(labels) > 1)
    handles, texts = axes[0].get_legend_handles_labels() if axes else ([], [])
    figure_legend(fig, handles + sh, texts + sl, "patron (colour) and scenario (line)", ncol=3)
    several = len(labels) > 1
    suptitle(fig, f"Patrons' shares of influence over each client, baseline against "
             f"{'each ' if several else ''}what-if, {span_text(dates)}",
             f"{_subtitle(ds, labels)}; lines: means; bands: 5-95% of the replicates; dashed "
             "verticals: scripted events of the baseline"
             + (OWN_EVENTS_TEXT if n_own else "")
             + ("; a column per what-if" if several else "")
             + hidden_bands_text(widths, LINE_WIDTH, "5-95% bands", pp, _r(ds)))
    return fig


def difference_variables(ds):
    """The (actor, target) variables of a comparison file that compare_difference_figure can
    draw: those with their paired differences' mean and interval over (turn, actor, target)
    (in a study, over (whatif, turn, actor, target))."""
    dims = ("turn", "actor", "target")
    view = whatif_view(ds)
    return [v for v in ds.data_vars
            if tuple(ds[v].dims[-3:]) == dims and "scenario" in ds[v].dims
            and all(f"{v}{s}" in view.data_vars
                    and tuple(view[f"{v}{s}"].dims) == ("whatif",) + dims
                    for s in ("_diff_mean", "_diff_ci_lower", "_diff_ci_upper"))]


def compare_difference_figure(ds, variable="influence_share", whatif=None):
    """Per client, the paired difference what-if - baseline of each patron's influence share
    (or another (actor, target) variable, one of difference_variables(ds)): the mean over
    replicates with its 95% t interval, over time. Dimensionless variables are shown in
    percentage points. A variable the file does not offer is a ValueError naming them. A
    study: a row per client and a column per what-if (or only `whatif`), one scale per row."""
    offered = difference_variables(ds)
    if variable not in offered:
        raise ValueError(f"no (actor, target) variable {variable!r} with paired differences "
                         f"in this comparison file; it has {', '.join(offered) or 'none'}")
    view = whatif_view(ds)
    names, colours = actor_names(ds), dataset_actor_colours(ds)
    patrons, clients = codes_with_role(ds, "patron"), codes_with_role(ds, "client")
    labels = _whatifs(ds, whatif)
    fig, cells, left, axes = _client_panels(ds, clients, labels, study_sharey="row",
                                            single_sharey=False)
    dates = ds["date"].values
    # dimensionless shares (0-1) in percentage points, anything else in its unit
    units = ds[variable].attrs.get("units", "1")
    scale, unit_text = (100.0, PP) if units == "1" else (1.0, units)
    mean = view[f"{variable}_diff_mean"] * scale
    low = view[f"{variable}_diff_ci_lower"] * scale
    high = view[f"{variable}_diff_ci_upper"] * scale
    wcolours = whatif_colours(ds)
    first = True
    widths, n_own = {}, 0
    for (w, client), ax in cells.items():
        ax.axhline(0, color="black", linewidth=0.8)
        widths[ax] = float("nan")
        for p in patrons:
            sel = dict(whatif=w, actor=p, target=client)
            lo, hi = low.sel(sel).values, high.sel(sel).values
            ax.fill_between(dates, lo, hi, color=colours[p], alpha=0.25, linewidth=0)
            ax.plot(dates, mean.sel(sel).values, color=colours[p],
                    label=names[p] if first else None, linewidth=LINE_WIDTH)
            widths[ax] = float(np.fmax(widths[ax], _widest(lo, hi)))
        first = False
        own = own_event_labels(ds, client, w)
        n_own += mark_events(ax, ds, client, labels=own, colours={d: wcolours[w] for d in own})
        ax.set_title(names[client], fontsize=PANEL_TITLE_SIZE)
        ax.grid(alpha=0.3)
        date_axis(ax, dates)
    for ax in left:
        ax.set_ylabel(f"change in {'share' if variable == 'influence_share' else variable} "
                      f"[{unit_text}]")
    if axes:
        handles, texts = axes[0].get_legend_handles_labels()
        figure_legend(fig, handles, texts, "patron")
    level = ds.attrs.get("ci_level", 0.95)
    what = ("patrons' influence shares" if variable == "influence_share"
            else ds[variable].attrs.get("long_name", variable))
    several = len(labels) > 1
    suptitle(fig, f"Effect of {'each' if several else 'the'} what-if on {what} over time: "
             f"what-if - baseline, {span_text(dates)}",
             f"{_subtitle(ds, labels)}; lines: mean paired difference; bands: its {level:.0%} "
             "t interval; " + ("a column per what-if, one scale per client" if several
                               else "each panel has its own scale")
             + (OWN_EVENTS_TEXT if n_own else "")
             + hidden_bands_text(widths, LINE_WIDTH, f"{level:.0%} intervals",
                                 lambda x: f"{x:.2g} {unit_text}"))
    return fig


def compare_hedging_figure(ds, whatif=None):
    """Per client, its hedging index in the baseline and each what-if: means (the baseline
    solid grey, each what-if dashed in its colour) and 5-95% bands (of both scenarios with one
    what-if; of the baseline only with several, to keep the panels readable)."""
    names = actor_names(ds)
    clients = codes_with_role(ds, "client")
    labels = _whatifs(ds, whatif)
    fig, axes = panels(len(clients))
    dates = ds["date"].values
    snames = scenario_names(ds)
    several = len(labels) > 1
    colour = {"base": SCENARIO_COLOURS["base"], **whatif_colours(ds)}
    banded = ["base"] if several else ["base"] + labels
    bands = {s: replicate_band(ds, "hedging_index", s) for s in banded}
    widths, n_own = {}, 0
    for ax, client in zip(axes, clients):
        widths[ax] = float("nan")
        for s in ["base"] + labels:
            c = colour[s]
            if s in bands:
                low, high = bands[s]
                lo, hi = low.sel(actor=client).values, high.sel(actor=client).values
                ax.fill_between(dates, lo, hi, color=c, alpha=0.2, linewidth=0)
                widths[ax] = float(np.fmax(widths[ax], _widest(lo, hi)))
            ax.plot(dates, ds["hedging_index_mean"].sel(scenario=s, actor=client).values,
                    color=c, linestyle=SCENARIO_STYLES[_role(s)], linewidth=HEDGING_WIDTH,
                    label=f"{'baseline' if s == 'base' else 'what-if'}: {snames[s]}")
        # each what-if's own scripted events, in its colour (a date two what-ifs share
        # takes the later one's colour; its label names both)
        own, own_colours = {}, {}
        for w in labels:
            for d, text in own_event_labels(ds, client, w).items():
                who = f"{snames[w]}: " if several else ""
                own[d] = f"{own[d]}; {who}{text}" if d in own else f"{who}{text}"
                own_colours[d] = colour[w]
        n_own += mark_events(ax, ds, client, labels=own, colours=own_colours)
        ax.set_title(names[client], fontsize=PANEL_TITLE_SIZE)
        ax.set_ylim(0, 1)
        ax.grid(alpha=0.3)
        date_axis(ax, dates)
    for ax in left_column(axes):
        ax.set_ylabel("hedging index [0-1]")
    if axes:
        handles, texts = axes[0].get_legend_handles_labels()
        figure_legend(fig, handles, texts, "scenario", ncol=2 if len(texts) <= 2 else 3)
    bands_text = ("bands: 5-95% of the baseline's replicates" if several
                  else "bands: 5-95% of the replicates")
    suptitle(fig, f"Clients' hedging index (1 - largest patron share), baseline against "
             f"{'each ' if several else ''}what-if, {span_text(dates)}",
             f"{_subtitle(ds, labels)}; lines: means; {bands_text}"
             + (OWN_EVENTS_TEXT.replace("the what-if's colour: its", "each what-if's colour: "
                                        "its") if n_own else "")
             + hidden_bands_text(widths, HEDGING_WIDTH, "5-95% bands", pp, _r(ds)))
    return fig


# The table of effects ------------------------------------------------------------------

def effect_variables(ds):
    """The variables of a comparison file with paired differences (`<var>_mean`,
    `<var>_diff_mean` and its interval): those effects_table and forest_figure can list."""
    view = whatif_view(ds)
    return [v for v in ds.data_vars
            if f"{v}_mean" in ds.data_vars and "scenario" in ds[v].dims
            and all(f"{v}{s}" in view.data_vars for s in DIFF_SUFFIXES[1:])]


def _default_actors(ds, variable, dims):
    """(subjects, objects): the actor and target codes effects_table lists by default."""
    patrons, clients = codes_with_role(ds, "patron"), codes_with_role(ds, "client")
    if "target" in dims:
        # dependence: the client's on its patrons; everything else: the patrons' over clients
        return (clients, patrons) if variable.startswith("dependence") else (patrons, clients)
    if "instrument" in dims:
        return patrons, []
    if variable == "gdp":
        return listed_actors(ds), []
    return clients, []


def _cells(ds, variable, actors):
    """[{dim: label}]: the cells (actor, target, pole, channel, ...) effects_table lists."""
    dims = [d for d in ds[f"{variable}_mean"].dims if d not in ("scenario", "turn")]
    subjects, objects = _default_actors(ds, variable, dims)
    options = [subjects if d == "actor" else objects if d == "target"
               else [str(x) for x in ds[d].values] for d in dims]
    wanted = None if actors is None else {str(a) for a in actors}
    out = []
    for combo in itertools.product(*options):
        cell = dict(zip(dims, combo))
        if "target" in cell and cell["target"] == cell.get("actor"):
            continue
        if wanted is not None and not ({cell.get("actor"), cell.get("target")} & wanted):
            continue
        out.append(cell)
    return out


_SIMPLE_WORDS = {"hedging_index": "hedging index", "reexports": "re-exports", "gdp": "GDP",
                 "compliance": "compliance with secondary sanctions",
                 "susceptibility": "susceptibility", "dependence_hhi":
                 "concentration of dependence (HHI)"}


def effect_words(ds, variable, cell):
    """An effect in words, with actor names: "United States share of Tajikistan",
    "Tajikistan hedging index", "Tajikistan re-exports", "Kazakhstan alignment with West"."""
    names = actor_names(ds)

    def n(code):
        return short_name(names.get(code, code))
    a = n(cell["actor"]) if "actor" in cell else ""
    t = n(cell["target"]) if "target" in cell else ""
    if variable == "influence_share":
        return f"{a} share of {t}"
    if variable == "influence":
        return f"{a} influence over {t}"
    if variable == "dependence_channel":
        return f"{a} dependence on {t} through {cell['channel'].replace('_', ' ')}"
    if variable.startswith("dependence") and "target" in cell:
        kind = variable[len("dependence"):].strip("_")
        return f"{a} {kind + ' ' if kind else ''}dependence on {t}"
    if variable == "flow":
        return f"{a} {cell['channel'].replace('_', ' ')} to {t}"
    if variable == "alignment":
        pole = cell["pole"]
        if "pole_name" in ds.coords:
            pole = str(ds["pole_name"].sel(pole=pole).values)
        return f"{a} alignment with {pole}"
    if variable in ("budget", "budget_spent"):
        what = "budget" if variable == "budget" else "spending"
        return f"{a} {what} for {cell['instrument'].replace('_', ' ')}"
    what = _SIMPLE_WORDS.get(variable, variable.replace("_", " "))
    others = [str(v) for d, v in cell.items() if d not in ("actor", "target")]
    text = f"{a} - {t} {what}" if t else f"{a} {what}"
    return text + (f" ({', '.join(others)})" if others else "")


def _cell_units(ds, variable, cell):
    """The variable's unit in this cell: "mixed: see channel_unit" is read from the label."""
    units = str(ds[variable].attrs.get("units", ""))
    m = re.fullmatch(r"mixed: see (\w+)", units.strip())
    if m and m.group(1) in ds.variables:
        label = ds[m.group(1)]
        if label.ndim == 1 and label.dims[0] in cell:
            return str(label.sel({label.dims[0]: cell[label.dims[0]]}).values)
    return units


def display_units(variable, units):
    """(scale, unit text) a difference is shown in: shares (SHARE_VARIABLES) in percentage
    points (x 100), anything else in its unit ("1": dimensionless)."""
    if variable in SHARE_VARIABLES:
        return 100.0, PP
    return 1.0, "dimensionless" if units in ("1", "") else units


def effects_table(ds, turn=-1, variables=None, actors=None, whatifs=None):
    """The effects at one turn (default the last, the horizon; a position or a date) of every
    what-if on every variable and cell, as a pandas.DataFrame sorted by the size of the
    effect, largest first.

    variables: names (effect_variables(ds)); default DEFAULT_EFFECT_VARIABLES, the table
    `geosim compare` prints: each patron's influence share over each client, each client's
    hedging index and re-exports. Cells by default: (actor, target) variables a patron over
    a client (dependence: a client on a patron), actor variables the clients (gdp: every
    listed actor; budgets: the patrons), with every pole, channel or instrument. actors:
    codes; only the cells whose actor or target is one of them. whatifs: labels or names;
    default all.

    One row per what-if x variable x cell, with columns:
    scenario (the what-if's `scenario` label: "whatif" in a version-1 file, its name in a
    study), scenario_name, variable, actor, target ("" if none), cell ({dim: label}, to
    select it again), effect (in words: "United States share of Tajikistan"), client, patron
    (codes or names as in the first version of this table: the client's full name, the
    patron's code, "" if none), quantity ("influence share of United States", "hedging
    index", "re-exports (USD m/yr)"), base and whatif (the means over replicates of both
    scenarios, the file's `<var>_mean`), diff, ci_lower, ci_upper (the mean paired
    difference and its interval, `<var>_diff_mean`, `<var>_diff_ci_lower/_upper`), significant
    (the interval excludes 0), units (the variable's), diff_pp, ci_lower_pp, ci_upper_pp (100 x
    the difference and its interval for shares, SHARE_VARIABLES: influence_share, alignment,
    hedging_index; NaN for other variables) and size.

    size, the sort key, makes effects in different units comparable: for shares the absolute
    difference in percentage points; for other quantities the absolute difference in percent
    of the larger of the two means (|diff| / max(|base|, |whatif|) x 100; 0 when both are 0).
    Rows with a NaN difference come last; ties keep the order what-if, variable, cell."""
    view = whatif_view(ds)
    offered = effect_variables(ds)
    variables = list(DEFAULT_EFFECT_VARIABLES if variables is None else
                     [variables] if isinstance(variables, str) else variables)
    unknown = [v for v in variables if v not in offered]
    if unknown:
        raise ValueError(f"no variable {', '.join(map(repr, unknown))} with paired "
                         f"differences in this comparison file; it has {', '.join(offered)}")
    labels = _whatifs(ds, whatifs)
    pos = turn_position(ds, turn)
    names = actor_names(ds)
    snames = scenario_names(ds)
    patrons, clients = set(codes_with_role(ds, "patron")), set(codes_with_role(ds, "client"))
    rows = []
    for w in labels:
        for var in variables:
            mean = ds[f"{var}_mean"].isel(turn=pos)
            base, other = mean.sel(scenario="base"), mean.sel(scenario=w)
            dm, lo, hi = (view[f"{var}{s}"].isel(turn=pos).sel(whatif=w).transpose(*base.dims)
                          for s in ("_diff_mean", "_diff_ci_lower", "_diff_ci_upper"))
            arrays = [np.asarray(a.values, dtype=float) for a in (base, other, dm, lo, hi)]
            dims = base.dims
            index = {d: {str(x): i for i, x in enumerate(base[d].values)} for d in dims}
            for cell in _cells(ds, var, actors):
                at = tuple(index[d][cell[d]] for d in dims)
                b, o, d, low, high = (float(a[at]) for a in arrays)
                units = _cell_units(ds, var, cell)
                actor, target = cell.get("actor", ""), cell.get("target", "")
                client = target if target in clients else actor if actor in clients else ""
                patron = (actor if actor in patrons and target else
                          target if target in patrons else "")
                if var == "influence_share":
                    quantity = f"influence share of {short_name(names[actor])}"
                elif var == "hedging_index":
                    quantity = "hedging index"
                elif var == "reexports":
                    quantity = f"re-exports ({units})"
                else:
                    quantity = effect_words(ds, var, cell)
                share = var in SHARE_VARIABLES
                if not np.isfinite(d):
                    size = np.nan
                elif share:
                    size = abs(100.0 * d)
                else:
                    larger = max(abs(b), abs(o)) if np.isfinite(b) and np.isfinite(o) else 0.0
                    size = 0.0 if d == 0 else (100.0 * abs(d) / larger if larger > 0
                                               else np.inf)
                rows.append({
                    "scenario": w, "scenario_name": snames[w], "variable": var,
                    "actor": actor, "target": target, "cell": dict(cell),
                    "effect": effect_words(ds, var, cell),
                    "client": names.get(client, ""), "patron": patron, "quantity": quantity,
                    "base": b, "whatif": o, "diff": d, "ci_lower": low, "ci_upper": high,
                    "significant": bool(np.isfinite(low) and np.isfinite(high)
                                        and (low > 0 or high < 0)),
                    "units": units,
                    "diff_pp": 100.0 * d if share else np.nan,
                    "ci_lower_pp": 100.0 * low if share else np.nan,
                    "ci_upper_pp": 100.0 * high if share else np.nan,
                    "size": size,
                })
    columns = ["scenario", "scenario_name", "variable", "actor", "target", "cell", "effect",
               "client", "patron", "quantity", "base", "whatif", "diff", "ci_lower",
               "ci_upper", "significant", "units", "diff_pp", "ci_lower_pp", "ci_upper_pp",
               "size"]
    table = pd.DataFrame(rows, columns=columns)
    return table.sort_values("size", ascending=False, kind="mergesort",
                             na_position="last").reset_index(drop=True)


# Figures of the effects at the horizon --------------------------------------------------

def compare_effects_figure(ds, turn=-1, whatif=None):
    """The effects at the horizon as a forest plot per client: for each client, the mean
    paired difference what-if - baseline with its 95% interval of each patron's share (left),
    the hedging index (middle) and re-exports (right). A study: a row of these three panels
    per what-if (or only `whatif`), each column on one scale."""
    names, colours = actor_names(ds), dataset_actor_colours(ds)
    patrons, clients = codes_with_role(ds, "patron"), codes_with_role(ds, "client")
    labels = _whatifs(ds, whatif)
    snames = scenario_names(ds)
    table = effects_table(ds, turn, whatifs=labels)
    k = len(labels)
    height = (1.1 + 0.55 * len(clients) + 1.2 if k == 1
              else 1.6 + k * (0.45 * len(clients) + 0.9))
    fig = new_figure(13, height + LEGEND_ROW_INCHES)
    grid_axes = grid(fig, k, 3, legend=True, sharey=True, sharex="col" if k > 1 else False,
                     width_ratios=[2.2, 1, 1])
    y = np.arange(len(clients))[::-1]
    ypos = dict(zip((names[c] for c in clients), y))
    offsets = np.linspace(-0.28, 0.28, max(1, len(patrons)))
    units = ds["reexports"].attrs.get("units", "")
    for i, w in enumerate(labels):
        axes = grid_axes[i]
        panels_spec = [
            (axes[0], "influence_share", f"change in influence share [{PP}]", 100.0),
            (axes[1], "hedging_index", f"change in hedging index [{PP}]", 100.0),
            (axes[2], "reexports", f"change in re-exports [{units}]", 1.0),
        ]
        for ax, var, xlabel, scale in panels_spec:
            ax.axvline(0, color="black", linewidth=0.8)
            sub = table[(table["variable"] == var) & (table["scenario"] == w)]
            for _, row in sub.iterrows():
                diff, lo, hi = (row[c] * scale for c in ("diff", "ci_lower", "ci_upper"))
                if var == "influence_share":
                    kk = patrons.index(row["patron"])
                    yy, colour = ypos[row["client"]] + offsets[kk], colours[row["patron"]]
                else:
                    yy, colour = ypos[row["client"]], "#333333"
                err = [[diff - lo], [hi - diff]]
                if not np.all(np.isfinite(err)):
                    err = None
                ax.errorbar(diff, yy, xerr=err, fmt="o", color=colour, markersize=5,
                            capsize=2.5, linewidth=1.4,
                            markerfacecolor=colour if row["significant"] else "white")
            ax.set_xlabel(xlabel)
            ax.grid(alpha=0.3, axis="x")
            for kk in range(1, len(clients)):
                ax.axhline(kk - 0.5, color="lightgrey", linewidth=0.6)
        axes[0].set_yticks(y, [short_name(names[c]) for c in clients])
        axes[0].set_ylim(-0.6, len(clients) - 0.4)
        axes[0].set_title("influence share of each patron", fontsize=PANEL_TITLE_SIZE)
        axes[1].set_title("hedging index", fontsize=PANEL_TITLE_SIZE)
        axes[2].set_title("re-exports", fontsize=PANEL_TITLE_SIZE)
        if k > 1:
            _header(axes[0], f"what-if: {snames[w]}", 8.0, ha="left")
    handles = [Line2D([], [], marker="o", color=colours[p], linestyle="") for p in patrons]
    handles += [Line2D([], [], marker="o", color="#333333", linestyle=""),
                Line2D([], [], marker="o", color="#333333", markerfacecolor="white",
                       linestyle="")]
    texts = [names[p] for p in patrons] + ["interval excludes 0", "interval includes 0"]
    figure_legend(fig, handles, texts, "patron", ncol=3)
    date = ds["date"].values[turn_position(ds, turn)]
    level = ds.attrs.get("ci_level", 0.95)
    suptitle(fig, f"Effect of {'each' if k > 1 else 'the'} what-if in {month(date)}: what-if - "
             f"baseline, mean paired difference with its {level:.0%} interval",
             _subtitle(ds, labels) + ("; a row of panels per what-if, each column on one "
                                      "scale" if k > 1 else ""))
    return fig


def forest_rows(ds, n=FOREST_N, turn=-1, variables=None, actors=None, whatifs=None,
                per_whatif=None, select=None):
    """The rows forest_figure draws, in its order (top to bottom): the n largest effects of
    effects_table (finite differences only; variables default FOREST_VARIABLES), or with
    per_whatif the per_whatif largest of each what-if, grouped by unit (shares in percentage
    points first), then by what-if in the file's order, then by size. `select`, if given, is
    a function of that table (sorted by size, finite differences only) returning the rows to
    rank (a subset, e.g. the effects a brief lists). Adds the columns `shown`, `shown_lower`,
    `shown_upper` (the difference and interval in the unit shown) and `shown_units`."""
    table = effects_table(ds, turn, FOREST_VARIABLES if variables is None else variables,
                          actors, whatifs)
    table = table[np.isfinite(table["diff"].to_numpy(dtype=float))]
    if select is not None:
        table = select(table)
    if per_whatif is not None:
        top = table.groupby("scenario", sort=False).head(max(0, int(per_whatif))).copy()
    else:
        top = table.head(max(0, int(n))).copy()
    scaled = [display_units(v, u) for v, u in zip(top["variable"], top["units"])]
    top["shown_units"] = [u for _, u in scaled]
    for col, src in (("shown", "diff"), ("shown_lower", "ci_lower"),
                     ("shown_upper", "ci_upper")):
        top[col] = [s * x for (s, _), x in zip(scaled, top[src])]
    order = {w: i for i, w in enumerate(whatif_labels(ds))}
    unit_order = {u: (0 if u == PP else 1 + i)
                  for i, u in enumerate(dict.fromkeys(top["shown_units"]))}
    top["_u"] = top["shown_units"].map(unit_order)
    top["_w"] = top["scenario"].map(order)
    top["_rank"] = np.arange(len(top))
    top = top.sort_values(["_u", "_w", "_rank"], kind="mergesort")
    return top.drop(columns=["_u", "_w", "_rank"]).reset_index(drop=True)


def forest_figure(ds, n=FOREST_N, turn=-1, variables=None, actors=None, whatifs=None,
                  per_whatif=None, select=None, side_by_side=False):
    """A forest plot of the n largest effects (default 15) at the horizon (`turn`, default the
    last), across what-ifs, variables and actors (effects_table's rows and ranking; its
    `actors` and `whatifs`; `variables` default FOREST_VARIABLES, the patrons' influence
    shares and the clients' re-exports; with per_whatif, the per_whatif largest of each
    what-if rather than the n largest overall): one row per what-if x effect, labelled in words
    ("United States share of Tajikistan"), its point the mean paired difference what-if -
    baseline and its bar the 95% interval, a vertical line at 0; coloured and grouped by
    what-if (the file's order), largest first within a what-if; filled markers where the
    interval excludes 0. Shares in percentage points; effects in other units in a panel of
    their own, below (with side_by_side, to the right, on rows of the same height, for a
    short figure). The values are written on the right. `select`: as forest_rows'."""
    rows = forest_rows(ds, n, turn, variables, actors, whatifs, per_whatif, select)
    labels = whatif_labels(ds)
    snames = scenario_names(ds)
    colours = whatif_colours(ds)
    units = list(dict.fromkeys(rows["shown_units"])) or [PP]
    counts = [max(1, int((rows["shown_units"] == u).sum())) for u in units]
    if side_by_side:
        fig = new_figure(12, 1.9 + 0.3 * max(counts) + 0.9 + LEGEND_ROW_INCHES)
        axes = grid(fig, 1, len(units), legend=True).ravel()
    else:
        fig = new_figure(12, 1.9 + 0.3 * sum(counts) + 0.9 * len(units) + LEGEND_ROW_INCHES)
        axes = grid(fig, len(units), 1, legend=True,
                    height_ratios=[c + 1.2 for c in counts]).ravel()
    for ax, unit in zip(axes, units):
        sub = rows[rows["shown_units"] == unit]
        # side by side: every panel has the rows of the longest, its own at the top
        top = max(counts) if side_by_side else max(len(sub), 1)
        y = np.arange(len(sub))[::-1] + (top - len(sub))
        ax.axvline(0, color="black", linewidth=0.9)
        previous = None
        for yy, (_, row) in zip(y, sub.iterrows()):
            colour = colours[row["scenario"]]
            err = [[row["shown"] - row["shown_lower"]], [row["shown_upper"] - row["shown"]]]
            if not np.all(np.isfinite(err)):
                err = None
            ax.errorbar(row["shown"], yy, xerr=err, fmt="o", color=colour, markersize=6,
                        capsize=3, linewidth=1.6,
                        markerfacecolor=colour if row["significant"] else "white")
            if previous is not None and previous != row["scenario"]:
                ax.axhline(yy + 0.5, color="grey", linewidth=0.7, linestyle=":")
            previous = row["scenario"]
        ax.set_yticks(y, list(sub["effect"]))
        for tick, (_, row) in zip(ax.get_yticklabels(), sub.iterrows()):
            tick.set_color(colours[row["scenario"]])
        ax.set_ylim(-0.7, top - 0.3)
        ax.set_xlabel(f"difference what-if - baseline [{unit}]")
        ax.grid(alpha=0.3, axis="x")
        right = ax.twinx()
        right.set_ylim(ax.get_ylim())
        right.set_yticks(y, [_value_text(r) for _, r in sub.iterrows()])
        right.tick_params(axis="y", length=0, labelsize=8)
        if not len(sub):
            ax.text(0.5, 0.5, "no effect with a finite difference", ha="center",
                    va="center", transform=ax.transAxes)
    shown = [w for w in labels if w in set(rows["scenario"])] or labels
    handles = [Line2D([], [], marker="o", color=colours[w], linestyle="") for w in shown]
    texts = [snames[w] for w in shown]
    figure_legend(fig, handles, texts, "what-if", ncol=min(3, len(texts)))
    date = ds["date"].values[turn_position(ds, turn)]
    level = float(ds.attrs.get("ci_level", 0.95))
    total = len(effects_table(ds, turn, FOREST_VARIABLES if variables is None else variables,
                              actors, whatifs))
    r = _r(ds)
    which = (f"the {per_whatif} largest of each what-if" if per_whatif is not None
             else f"the {len(rows)} largest")
    suptitle(fig, f"The largest effects in {month(date)}: mean paired difference what-if - "
             f"baseline with its {level:.0%} interval",
             f"baseline {scenario_names(ds)['base']}, {r} paired replicates; {which} of "
             f"{total} effects, ranked by size (shares: percentage points; other quantities: "
             "change in percent of the larger mean); filled markers: the interval excludes 0")
    return fig


def _value_text(row):
    """"+2.1 [+1.9, +2.3]" in the unit shown."""
    def f(v):
        return "n/a" if not np.isfinite(v) else f"{v:+.3g}"
    return f"{f(row['shown'])} [{f(row['shown_lower'])}, {f(row['shown_upper'])}]"


def compare_figures(ds):
    """Stem -> figure function for a comparison file (either version)."""
    return {
        "compare_forest": lambda ds, turns=None: forest_figure(ds),
        "compare_effects": lambda ds, turns=None: compare_effects_figure(ds),
        "compare_influence_shares": lambda ds, turns=None: compare_shares_figure(ds),
        "compare_difference": lambda ds, turns=None: compare_difference_figure(ds),
        "compare_hedging": lambda ds, turns=None: compare_hedging_figure(ds),
    }


__all__ = ["compare_shares_figure", "compare_difference_figure", "compare_hedging_figure",
           "compare_effects_figure", "effects_table", "forest_figure", "forest_rows",
           "effect_variables", "effect_words", "display_units", "replicate_band",
           "scenario_names", "whatif_colours", "compare_figures", "difference_variables",
           "SHARE_VARIABLES", "DEFAULT_EFFECT_VARIABLES", "FOREST_VARIABLES"]
