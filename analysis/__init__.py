"""geosim run analysis: load a run file and plot it.

    import analysis
    ds = analysis.load("baseline.h5")          # xarray.Dataset, checked format
    fig = analysis.influence_shares_figure(ds)  # matplotlib Figure
    analysis.save_all(ds, "figs")               # every figure, as the CLI does

Command line: python3 -m analysis plot RUN.h5 -o FIGDIR [--format png svg pdf]
"""

from .colours import actor_colours, pole_colours
from .figures import (FIGURES, alignment_figure, alignment_ternary_figure,
                      dependence_heatmap_figure, figures_for, gdp_figure,
                      influence_shares_figure, save_all)
from .io import FORMAT, FORMAT_VERSION, actor_names, codes_with_role, events, load

__all__ = [
    "load", "events", "actor_names", "codes_with_role", "actor_colours", "pole_colours",
    "influence_shares_figure", "dependence_heatmap_figure", "alignment_figure",
    "alignment_ternary_figure", "gdp_figure", "FIGURES", "figures_for", "save_all",
    "FORMAT", "FORMAT_VERSION",
]
