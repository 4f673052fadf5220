"""Figures of a replicates file (`geosim run --replicates R`): the spread over replicates as
5-95% bands, and the run figures drawn on the replicate means (`mean_view`)."""

import numpy as np
import pandas as pd
import xarray as xr

from .colours import dataset_actor_colours
from .io import actor_names, codes_with_role
from .plotting import date_axis, hidden_bands_text, new_figure, panels, span_text, suptitle
from .run_figures import _title_note, finish_share_panel, share_legend
from . import run_figures


def _per_turn(ds):
    """Names of the per-turn variables of a replicates or comparison file."""
    return [v for v in ds.data_vars if f"{v}_mean" in ds.data_vars]


def mean_view(ds):
    """A run-like dataset of a replicates file: each per-turn variable is its mean over the
    replicates (`<var>_mean`); labels, events and attributes are kept, and the attribute
    `analysis_note` says "mean of R replicates" (the run figures put it in their titles)."""
    data = {v: ds[f"{v}_mean"].assign_attrs(ds[v].attrs) for v in _per_turn(ds)}
    data.update({v: ds[v] for v in ds.data_vars if v.startswith("event_")})
    out = xr.Dataset(data, coords={c: ds[c] for c in ds.coords
                                   if c not in ("replicate", "quantile")},
                     attrs=dict(ds.attrs))
    out.attrs["analysis_note"] = f"mean of {ds.sizes['replicate']} replicates"
    return out


def _band(ds, var):
    q = ds[f"{var}_quantile"]
    return q.sel(quantile=0.05, method="nearest"), q.sel(quantile=0.95, method="nearest")


LINE_WIDTH = 1.8


def pp(width):
    """A share's band width in percentage points, for hidden_bands_text."""
    return f"{100 * width:.2g} pp"


def _widest(low, high):
    """The widest band, NaN if no band has a value."""
    w = np.asarray(high, dtype=float) - np.asarray(low, dtype=float)
    return float(np.nanmax(w)) if np.isfinite(w).any() else float("nan")


def replicate_shares_figure(ds):
    """Per client, each patron's influence share: mean over replicates (line) and the
    5-95% quantile band, with the scripted events."""
    names, colours = actor_names(ds), dataset_actor_colours(ds)
    patrons, clients = codes_with_role(ds, "patron"), codes_with_role(ds, "client")
    fig, axes = panels(len(clients))
    dates = ds["date"].values
    mean = ds["influence_share_mean"]
    low, high = _band(ds, "influence_share")
    widths = {}
    for ax, client in zip(axes, clients):
        widths[ax] = float("nan")
        for p in patrons:
            sel = dict(actor=p, target=client)
            lo, hi = low.sel(sel).values, high.sel(sel).values
            ax.fill_between(dates, lo, hi, color=colours[p], alpha=0.25, linewidth=0)
            ax.plot(dates, mean.sel(sel).values, color=colours[p], label=names[p],
                    linewidth=LINE_WIDTH)
            widths[ax] = float(np.fmax(widths[ax], _widest(lo, hi)))
        finish_share_panel(ax, ds, client, names, dates)
    share_legend(fig, axes, "patron")
    r = ds.sizes["replicate"]
    note = _title_note(ds) + hidden_bands_text(widths, LINE_WIDTH, "5-95% bands", pp, r)
    suptitle(fig, f"Patrons' shares of influence over each client, {span_text(dates)}: "
             f"mean and 5-95% band over {r} replicates", note.lstrip("; "))
    return fig


def replicate_hedging_figure(ds):
    """Each client's hedging index: mean over replicates and the 5-95% band."""
    names, colours = actor_names(ds), dataset_actor_colours(ds)
    clients = codes_with_role(ds, "client")
    fig = new_figure(10, 5.5)
    ax = fig.subplots()
    dates = ds["date"].values
    low, high = _band(ds, "hedging_index")
    widest = float("nan")
    for c in clients:
        lo, hi = low.sel(actor=c).values, high.sel(actor=c).values
        ax.fill_between(dates, lo, hi, color=colours[c], alpha=0.2, linewidth=0)
        ax.plot(dates, ds["hedging_index_mean"].sel(actor=c).values, color=colours[c],
                label=names[c], linewidth=LINE_WIDTH)
        widest = float(np.fmax(widest, _widest(lo, hi)))
    ax.set_ylim(0, 1)
    ax.set_ylabel("hedging index [0-1] (1 - largest patron share)")
    ax.grid(alpha=0.3)
    date_axis(ax, dates)
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), title="client")
    note = _title_note(ds) + hidden_bands_text({ax: widest}, LINE_WIDTH, "5-95% bands", pp,
                                              ds.sizes["replicate"])
    suptitle(fig, f"Clients' hedging index, {span_text(dates)}: mean and 5-95% band over "
             f"{ds.sizes['replicate']} replicates", note.lstrip("; "))
    return fig


def final_shares_table(ds):
    """Per client, each patron's final influence share as "mean [5%, 95%]" strings, and the
    hedging index the same way (a pandas.DataFrame)."""
    names = actor_names(ds)
    patrons, clients = codes_with_role(ds, "patron"), codes_with_role(ds, "client")
    rows = {}
    for var, who in [("influence_share", p) for p in patrons] + [("hedging_index", None)]:
        mean = ds[f"{var}_mean"].isel(turn=-1)
        low, high = (b.isel(turn=-1) for b in _band(ds, var))
        col = names[who] if who else "hedging index"
        for c in clients:
            sel = dict(actor=who, target=c) if who else dict(actor=c)
            rows.setdefault(names[c], {})[col] = (
                f"{float(mean.sel(sel)):.3f} [{float(low.sel(sel)):.3f}, "
                f"{float(high.sel(sel)):.3f}]")
    return pd.DataFrame.from_dict(rows, orient="index")


def replicate_figures(ds):
    """Stem -> figure function for a replicates file."""
    view = None

    def on_mean(stem):
        def build(ds, turns=None):
            nonlocal view
            if view is None:
                view = mean_view(ds)
            return run_figures.FIGURES[stem](view, turns)
        return build

    out = {
        "influence_shares_bands": lambda ds, turns=None: replicate_shares_figure(ds),
        "hedging_bands": lambda ds, turns=None: replicate_hedging_figure(ds),
    }
    for stem in ("dependence_heatmap", "influence_network", "alignment", "alignment_ternary",
                 "gdp", "flows"):
        if stem != "alignment_ternary" or ds.sizes.get("pole") == 3:
            out[stem] = on_mean(stem)
    return out


__all__ = ["mean_view", "replicate_shares_figure", "replicate_hedging_figure",
           "final_shares_table", "replicate_figures"]
