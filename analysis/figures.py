"""Every figure of every kind of geosim file, and writing them (what the command does).

The figure functions live in run_figures, replicate_figures, compare_figures, sweep_figures
and calibration_figures; this module picks those that apply to a dataset and saves them."""

import io
import os
import sys

from .calibration_figures import CAPTIONS as CALIBRATION_CAPTIONS
from .calibration_figures import calibration_figures
from .compare_figures import compare_figures
from .io import kind, rest_of_world, write_all_atomically
from .replicate_figures import replicate_figures
from .run_figures import (FIGURES, alignment_figure, alignment_ternary_figure,  # noqa: F401
                          dependence_heatmap_figure, flows_figure, gdp_figure,
                          influence_network_figure, influence_shares_figure, run_figures)
from .sweep_figures import sweep_figures

# What each figure shows, for the report's captions.
CAPTIONS = {
    "influence_shares": "Each patron's share of all patrons' influence over each client; dashed "
                        "lines mark the scripted events touching the client.",
    "influence_shares_bands": "Each patron's share of influence over each client: mean over the "
                              "replicates and the 5-95% band.",
    "hedging_bands": "Each client's hedging index (1 - the largest patron share): mean and "
                     "5-95% band over the replicates.",
    "dependence_heatmap": "How much each actor (row) depends on each other actor (column), at "
                          "the first and last turn.",
    "influence_network": "Who influences whom at the last turn: arrow width is the influence of "
                         "the source over the target.",
    "alignment": "Each client's alignment with each pole over time (sums to 1).",
    "alignment_ternary": "Clients' alignment trajectories on the pole simplex.",
    "gdp": "GDP of every actor the scenario lists (log scale).",
    "flows": "Each patron's flows to the clients and other listed actors, by channel, in the "
             "channel's unit.",
    "compare_forest": "The largest effects at the horizon across what-ifs, quantities and "
                      "actors: mean paired difference what-if - baseline with its 95% "
                      "interval, coloured by what-if; shares in percentage points; filled "
                      "markers: the interval excludes 0.",
    "compare_effects": "The what-if's effect at the horizon: mean paired difference what-if - "
                       "baseline with its 95% interval; filled markers: the interval excludes 0 "
                       "(a study: a row of panels per what-if).",
    "compare_influence_shares": "Baseline (solid) against what-if (dashed): means and 5-95% "
                                "replicate bands of each patron's share (a study: a column "
                                "per what-if).",
    "compare_difference": "The paired difference what-if - baseline of each patron's share over "
                          "time, with its 95% interval (a study: a column per what-if).",
    "compare_hedging": "Each client's hedging index in the baseline and the what-if (a study: "
                       "every what-if).",
    "sobol_indices": "First-order (S1) and total (ST) Sobol' indices with bootstrap intervals.",
    "morris": "Morris screening: mean absolute elementary effect (mu*) against their standard "
              "deviation (sigma).",
    "sweep_scatter": "Each metric against each parameter, one point per run, with binned means.",
    "tornado": "How far each parameter moves each metric's mean (lowest vs highest fifth of "
               "the parameter).",
    "grid_heatmap": "Each metric's mean over the replicates at each pair of levels of two "
                    "parameters of the grid (averaged over any others); hatched: no ok run.",
    "sobol_over_turns": "Sobol' indices at each sampled turn of the metrics whose variable the "
                        "sweep keeps as a trajectory: ST (solid, with its bootstrap band) and "
                        "S1 (dashed) of each parameter, and the replicates' noise share "
                        "(dotted), which the noise adds to every ST.",
    **CALIBRATION_CAPTIONS,
}

# Added to a caption when the file has a rest-of-the-world actor, which the figure leaves out.
REST_OF_WORLD_NOTES = {
    "dependence_heatmap": "The rest of the world is left out.",
    "influence_network": "The rest of the world, which influences nobody, is left out.",
    "gdp": "The rest of the world is left out.",
    "flows": "Flows with the rest of the world are left out (the trade partners' table shows "
             "its share of the clients' trade).",
}


def caption(ds, stem):
    """The report's caption of a figure of this dataset."""
    if stem.startswith("trajectories_"):
        return (f"The kept trajectory of {stem[len('trajectories_'):]} across the sweep's ok "
                "runs: median, 25-75% and 5-95% at each sampled turn, for the cells whose "
                "runs spread most at the last sample.")
    text = CAPTIONS.get(stem, stem)
    if (stem in REST_OF_WORLD_NOTES and kind(ds) in ("run", "replicates", "comparison")
            and rest_of_world(ds) is not None):
        text += " " + REST_OF_WORLD_NOTES[stem]
    return text


def figures_for(ds):
    """{file stem: function(ds, turns=None) -> Figure} for every figure that applies to the
    dataset (its kind, its poles, the indices a sweep holds)."""
    k = kind(ds)
    if k == "run":
        return run_figures(ds)
    if k == "replicates":
        return replicate_figures(ds)
    if k == "comparison":
        return compare_figures(ds)
    if k == "calibration":
        return calibration_figures(ds)
    return sweep_figures(ds)


def png_bytes(fig, dpi=150):
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def save_all(ds, outdir, formats=("png",), dpi=150, turns=None, report=True, source=None,
             quiet=False, only=None):
    """Write every figure that applies to the dataset into outdir (created if missing), in
    each of `formats` ("png", "svg", "pdf"), and with report=True a self-contained
    outdir/report.html. `turns` (positions or "YYYY-MM" dates) chooses the turns of the
    dependence heatmaps and the influence network; `only` (a list of stems) restricts the
    figures. Returns the paths written, and prints each to stderr unless quiet."""
    available = figures_for(ds)
    if only:
        unknown = [s for s in only if s not in available]
        if unknown:
            raise ValueError(f"no figure {', '.join(map(repr, unknown))} for this "
                             f"{kind(ds)} file; its figures: {', '.join(available)}")
        available = {s: f for s, f in available.items() if s in only}
    os.makedirs(outdir, exist_ok=True)
    # Every file is written to a temp file first and the temp files are renamed together at
    # the end: a failing write (a full disk) leaves the folder as it was, with no temp file
    # and no file of a previous call replaced.
    outputs = {}  # final path -> bytes
    pngs = {}
    for stem, build in available.items():
        fig = build(ds, turns)
        for fmt in formats:
            path = os.path.join(outdir, f"{stem}.{fmt}")
            if fmt == "png":
                data = png_bytes(fig, dpi)
                pngs[stem] = data
            else:
                buf = io.BytesIO()
                fig.savefig(buf, format=fmt, dpi=dpi)
                data = buf.getvalue()
            outputs[path] = data
        if report and stem not in pngs:
            pngs[stem] = png_bytes(fig, min(dpi, 150))
    if report:
        from .explore import explorer_href
        from .report import report_html
        page = os.path.join(outdir, "report.html")
        outputs[page] = report_html(ds, pngs, source,
                                    explorer=explorer_href(page, source)).encode("utf-8")
    write_all_atomically(outputs)
    if not quiet:
        for path in outputs:
            print(path, file=sys.stderr)
    return list(outputs)


__all__ = ["figures_for", "save_all", "png_bytes", "CAPTIONS", "caption", "FIGURES",
           "influence_shares_figure", "dependence_heatmap_figure", "influence_network_figure",
           "alignment_figure", "alignment_ternary_figure", "gdp_figure", "flows_figure"]
