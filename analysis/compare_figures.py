"""Figures of a comparison file (`geosim compare BASE WHATIF --replicates R`): the baseline
against the what-if with their replicate bands (5-95%), and the paired difference
what-if - baseline with its 95% interval (the file's `<var>_diff_ci_lower/_upper`)."""

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D

from .colours import SCENARIO_COLOURS, SCENARIO_STYLES, dataset_actor_colours
from .io import actor_names, codes_with_role, short_name
from .plotting import (LEGEND_ROW_INCHES, PANEL_TITLE_SIZE, date_axis, figure_legend, grid,
                       left_column, month, new_figure, panels, span_text, suptitle)
from .run_figures import finish_share_panel, share_legend

SCENARIOS = ("base", "whatif")
BAND = (0.05, 0.95)


def scenario_names(ds):
    """{"base": name, "whatif": name} from the file's scenario_name labels."""
    return dict(zip(map(str, ds["scenario"].values), map(str, ds["scenario_name"].values)))


def _r(ds):
    return ds.sizes["replicate"]


def _subtitle(ds):
    n = scenario_names(ds)
    r = _r(ds)
    return (f"baseline {n['base']} vs what-if {n['whatif']}, {r} paired "
            f"replicate{'s' if r != 1 else ''} (common random numbers)")


def replicate_band(ds, var, scenario, q=BAND):
    """(low, high): the 5% and 95% quantiles over replicates of `var` in one scenario, as
    DataArrays without the replicate dimension (linear interpolation between order
    statistics, as the replicates file's quantiles; a NaN in any replicate gives NaN)."""
    da = ds[var].sel(scenario=scenario)
    axis = da.dims.index("replicate")
    values = np.quantile(np.asarray(da.values, dtype=float), list(q), axis=axis)
    template = da.isel(replicate=0, drop=True)
    return tuple(template.copy(data=v) for v in values)


def _scenario_handles(ds):
    names = scenario_names(ds)
    return ([Line2D([], [], color="black", linestyle=SCENARIO_STYLES[s]) for s in SCENARIOS],
            [f"{'baseline' if s == 'base' else 'what-if'}: {names[s]}" for s in SCENARIOS])


def compare_shares_figure(ds):
    """Per client, each patron's influence share in the baseline (solid, shaded 5-95% band)
    and the what-if (dashed, hatched band), means over the replicates."""
    names, colours = actor_names(ds), dataset_actor_colours(ds)
    patrons, clients = codes_with_role(ds, "patron"), codes_with_role(ds, "client")
    fig, axes = panels(len(clients))
    dates = ds["date"].values
    bands = {s: replicate_band(ds, "influence_share", s) for s in SCENARIOS}
    for ax, client in zip(axes, clients):
        for p in patrons:
            sel = dict(actor=p, target=client)
            for s in SCENARIOS:
                low, high = bands[s]
                ax.fill_between(dates, low.sel(sel).values, high.sel(sel).values,
                                facecolor=colours[p] if s == "base" else "none",
                                edgecolor=colours[p], hatch=None if s == "base" else "////",
                                alpha=0.25 if s == "base" else 0.5, linewidth=0)
                ax.plot(dates, ds["influence_share_mean"].sel(scenario=s, **sel).values,
                        color=colours[p], linestyle=SCENARIO_STYLES[s], linewidth=1.6,
                        label=names[p] if s == "base" else None)
        finish_share_panel(ax, ds, client, names, dates)
    sh, sl = _scenario_handles(ds)
    share_legend(fig, axes, "patron (colour) and scenario (line)", sh, sl, ncol=3)
    suptitle(fig, f"Patrons' shares of influence over each client, baseline against what-if, "
             f"{span_text(dates)}",
             f"{_subtitle(ds)}; lines: means; bands: 5-95% of the replicates; dashed "
             "verticals: scripted events of the baseline")
    return fig


def difference_variables(ds):
    """The (actor, target) variables of a comparison file that compare_difference_figure can
    draw: those with their paired differences' mean and interval over (turn, actor, target)."""
    dims = ("turn", "actor", "target")
    return [v for v in ds.data_vars
            if tuple(ds[v].dims[-3:]) == dims and "scenario" in ds[v].dims
            and all(f"{v}{s}" in ds.data_vars and tuple(ds[f"{v}{s}"].dims) == dims
                    for s in ("_diff_mean", "_diff_ci_lower", "_diff_ci_upper"))]


def compare_difference_figure(ds, variable="influence_share"):
    """Per client, the paired difference what-if - baseline of each patron's influence share
    (or another (actor, target) variable, one of difference_variables(ds)): the mean over
    replicates with its 95% t interval, over time. Dimensionless variables are shown in
    percentage points. A variable the file does not offer is a ValueError naming them."""
    offered = difference_variables(ds)
    if variable not in offered:
        raise ValueError(f"no (actor, target) variable {variable!r} with paired differences "
                         f"in this comparison file; it has {', '.join(offered) or 'none'}")
    names, colours = actor_names(ds), dataset_actor_colours(ds)
    patrons, clients = codes_with_role(ds, "patron"), codes_with_role(ds, "client")
    fig, axes = panels(len(clients), sharey=False)
    dates = ds["date"].values
    # dimensionless shares (0-1) in percentage points, anything else in its unit
    units = ds[variable].attrs.get("units", "1")
    scale, unit_text = (100.0, "percentage points") if units == "1" else (1.0, units)
    mean = ds[f"{variable}_diff_mean"] * scale
    low = ds[f"{variable}_diff_ci_lower"] * scale
    high = ds[f"{variable}_diff_ci_upper"] * scale
    for ax, client in zip(axes, clients):
        ax.axhline(0, color="black", linewidth=0.8)
        for p in patrons:
            sel = dict(actor=p, target=client)
            ax.fill_between(dates, low.sel(sel).values, high.sel(sel).values,
                            color=colours[p], alpha=0.25, linewidth=0)
            ax.plot(dates, mean.sel(sel).values, color=colours[p], label=names[p],
                    linewidth=1.6)
        ax.set_title(names[client], fontsize=PANEL_TITLE_SIZE)
        ax.grid(alpha=0.3)
        date_axis(ax, dates)
    for ax in left_column(axes):
        ax.set_ylabel(f"change in {'share' if variable == 'influence_share' else variable} "
                      f"[{unit_text}]")
    if axes:
        handles, labels = axes[0].get_legend_handles_labels()
        figure_legend(fig, handles, labels, "patron")
    level = ds.attrs.get("ci_level", 0.95)
    what = ("patrons' influence shares" if variable == "influence_share"
            else ds[variable].attrs.get("long_name", variable))
    suptitle(fig, f"Effect of the what-if on {what} over time: what-if - baseline, "
             f"{span_text(dates)}",
             f"{_subtitle(ds)}; lines: mean paired difference; bands: its {level:.0%} t "
             "interval; each panel has its own scale")
    return fig


def compare_hedging_figure(ds):
    """Per client, its hedging index in the baseline and the what-if: means and 5-95% bands."""
    names = actor_names(ds)
    clients = codes_with_role(ds, "client")
    fig, axes = panels(len(clients))
    dates = ds["date"].values
    snames = scenario_names(ds)
    bands = {s: replicate_band(ds, "hedging_index", s) for s in SCENARIOS}
    for ax, client in zip(axes, clients):
        for s in SCENARIOS:
            low, high = bands[s]
            c = SCENARIO_COLOURS[s]
            ax.fill_between(dates, low.sel(actor=client).values, high.sel(actor=client).values,
                            color=c, alpha=0.2, linewidth=0)
            ax.plot(dates, ds["hedging_index_mean"].sel(scenario=s, actor=client).values,
                    color=c, linestyle=SCENARIO_STYLES[s], linewidth=1.8,
                    label=f"{'baseline' if s == 'base' else 'what-if'}: {snames[s]}")
        ax.set_title(names[client], fontsize=PANEL_TITLE_SIZE)
        ax.set_ylim(0, 1)
        ax.grid(alpha=0.3)
        date_axis(ax, dates)
    for ax in left_column(axes):
        ax.set_ylabel("hedging index [0-1]")
    if axes:
        handles, labels = axes[0].get_legend_handles_labels()
        figure_legend(fig, handles, labels, "scenario", ncol=2)
    suptitle(fig, f"Clients' hedging index (1 - largest patron share), baseline against "
             f"what-if, {span_text(dates)}",
             f"{_subtitle(ds)}; lines: means; bands: 5-95% of the replicates")
    return fig


def effects_table(ds, turn=-1):
    """The effects at one turn (default the last) as a pandas.DataFrame, one row per client
    and quantity: base mean, what-if mean, mean paired difference and its interval, and
    whether the interval excludes 0. Quantities: each patron's influence share, the hedging
    index and re-exports (the table `geosim compare` prints)."""
    names = actor_names(ds)
    patrons, clients = codes_with_role(ds, "patron"), codes_with_role(ds, "client")
    rows = []
    items = [("influence_share", p, f"influence share of {short_name(names[p])}")
             for p in patrons]
    items += [("hedging_index", None, "hedging index"),
              ("reexports", None, f"re-exports ({ds['reexports'].attrs.get('units', '')})")]
    for c in clients:
        for var, patron, label in items:
            sel = dict(actor=patron, target=c) if patron else dict(actor=c)
            pick = lambda name: float(ds[name].isel(turn=turn).sel(sel))  # noqa: E731
            lo, hi = pick(f"{var}_diff_ci_lower"), pick(f"{var}_diff_ci_upper")
            rows.append({
                "client": names[c], "quantity": label, "variable": var, "patron": patron or "",
                "base": float(ds[f"{var}_mean"].isel(turn=turn).sel(scenario="base", **sel)),
                "whatif": float(ds[f"{var}_mean"].isel(turn=turn).sel(scenario="whatif", **sel)),
                "diff": pick(f"{var}_diff_mean"), "ci_lower": lo, "ci_upper": hi,
                "significant": bool(np.isfinite(lo) and np.isfinite(hi) and (lo > 0 or hi < 0)),
            })
    return pd.DataFrame(rows)


def compare_effects_figure(ds, turn=-1):
    """The effects at the horizon as a forest plot: for each client, the mean paired
    difference what-if - baseline with its 95% interval of each patron's share (left),
    the hedging index (middle) and re-exports (right)."""
    names, colours = actor_names(ds), dataset_actor_colours(ds)
    patrons, clients = codes_with_role(ds, "patron"), codes_with_role(ds, "client")
    table = effects_table(ds, turn)
    fig = new_figure(13, 1.1 + 0.55 * len(clients) + 1.2 + LEGEND_ROW_INCHES)
    axes = grid(fig, 1, 3, legend=True, sharey=True, width_ratios=[2.2, 1, 1]).ravel()
    y = np.arange(len(clients))[::-1]
    ypos = dict(zip((names[c] for c in clients), y))
    offsets = np.linspace(-0.28, 0.28, max(1, len(patrons)))
    units = ds["reexports"].attrs.get("units", "")
    panels_spec = [
        (axes[0], "influence_share", "change in influence share [percentage points]", 100.0),
        (axes[1], "hedging_index", "change in hedging index [percentage points]", 100.0),
        (axes[2], "reexports", f"change in re-exports [{units}]", 1.0),
    ]
    for ax, var, xlabel, scale in panels_spec:
        ax.axvline(0, color="black", linewidth=0.8)
        sub = table[table["variable"] == var]
        for _, row in sub.iterrows():
            row = row.copy()
            for col in ("diff", "ci_lower", "ci_upper"):
                row[col] = row[col] * scale
            if var == "influence_share":
                k = patrons.index(row["patron"])
                yy, colour = ypos[row["client"]] + offsets[k], colours[row["patron"]]
            else:
                yy, colour = ypos[row["client"]], "#333333"
            err = [[row["diff"] - row["ci_lower"]], [row["ci_upper"] - row["diff"]]]
            if not np.all(np.isfinite(err)):
                err = None
            ax.errorbar(row["diff"], yy, xerr=err, fmt="o", color=colour, markersize=5,
                        capsize=2.5, linewidth=1.4,
                        markerfacecolor=colour if row["significant"] else "white")
        ax.set_xlabel(xlabel)
        ax.grid(alpha=0.3, axis="x")
    for k in range(1, len(clients)):
        for ax in axes:
            ax.axhline(k - 0.5, color="lightgrey", linewidth=0.6)
    axes[0].set_yticks(y, [short_name(names[c]) for c in clients])
    axes[0].set_ylim(-0.6, len(clients) - 0.4)
    axes[0].set_title("influence share of each patron", fontsize=PANEL_TITLE_SIZE)
    axes[1].set_title("hedging index", fontsize=PANEL_TITLE_SIZE)
    axes[2].set_title("re-exports", fontsize=PANEL_TITLE_SIZE)
    handles = [Line2D([], [], marker="o", color=colours[p], linestyle="") for p in patrons]
    handles += [Line2D([], [], marker="o", color="#333333", linestyle=""),
                Line2D([], [], marker="o", color="#333333", markerfacecolor="white",
                       linestyle="")]
    labels = [names[p] for p in patrons] + ["interval excludes 0", "interval includes 0"]
    figure_legend(fig, handles, labels, "patron", ncol=3)
    date = ds["date"].values[turn]
    level = ds.attrs.get("ci_level", 0.95)
    suptitle(fig, f"Effect of the what-if in {month(date)}: what-if - baseline, mean paired "
             f"difference with its {level:.0%} interval", _subtitle(ds))
    return fig


def compare_figures(ds):
    """Stem -> figure function for a comparison file."""
    return {
        "compare_effects": lambda ds, turns=None: compare_effects_figure(ds),
        "compare_influence_shares": lambda ds, turns=None: compare_shares_figure(ds),
        "compare_difference": lambda ds, turns=None: compare_difference_figure(ds),
        "compare_hedging": lambda ds, turns=None: compare_hedging_figure(ds),
    }


__all__ = ["compare_shares_figure", "compare_difference_figure", "compare_hedging_figure",
           "compare_effects_figure", "effects_table", "replicate_band", "scenario_names",
           "compare_figures", "difference_variables"]
