"""geosim analysis: load any geosim output file and plot it.

    import analysis
    ds = analysis.load("baseline.h5")          # xarray.Dataset, checked format and layout
    analysis.kind(ds)                          # "run", "replicates", "comparison", "sweep",
                                               # or "calibration"
    fig = analysis.influence_shares_figure(ds)  # matplotlib Figure
    analysis.save_all(ds, "figs")               # every figure + report.html, as the CLI does

Command line: python3 -m analysis plot OUT.h5 -o FIGDIR [--format png svg pdf]
              python3 -m analysis export OUT.h5 --csv DIR   (tidy CSV tables)
              python3 -m analysis brief CMP.h5 [--pdf]      (a what-if comparison's brief)
              python3 -m analysis discover SWEEP.h5 --metric M --above X   (scenario discovery)
              python3 -m analysis explore OUT.h5 -o explore.html   (an interactive page)
"""

from .brief import (BriefError, brief_effects, brief_html, is_brief, scenario_changes,
                    write_brief)
from .calibration_figures import (generations_table, parameters_table,
                                  posterior_marginals_figure, posterior_pairs_figure,
                                  posterior_predictive_figure, progress_figure, targets_table,
                                  weighted_quantile)
from .colours import actor_colours, dataset_actor_colours, parameter_colours, pole_colours
from .compare_figures import (compare_difference_figure, compare_effects_figure,
                              compare_hedging_figure, compare_shares_figure,
                              difference_variables, effect_variables, effects_table,
                              forest_figure)
from .explore import ExploreError, explore_html, explorer_href, is_explorer, write_explorer
from .discovery import (DiscoveryError, cart, discover, discover_xy, discovery_table, prim,
                        write_discovery)
from .export import ExportError, export_csv, exported_variables
from .figures import CAPTIONS, caption, figures_for, png_bytes, save_all
from .grid_figures import grid_heatmap_figure, grid_table
from .io import (FORMAT, FORMAT_VERSION, FORMATS, KINDS, GeosimFileError, LayoutError,
                 NotGeosimFileError, UnsupportedVersionError, actor_names, actor_targets,
                 check_format, codes_with_role, events, kind, listed_actors, load,
                 rest_of_world, turn_position)
from .replicate_figures import mean_view, replicate_hedging_figure, replicate_shares_figure
from .report import describe_event, event_table, report_html, write_report
from .run_figures import (FIGURES, alignment_figure, alignment_ternary_figure,
                          dependence_heatmap_figure, flows_figure, gdp_figure,
                          influence_network_figure, influence_shares_figure,
                          trade_shares_table)
from .study import (base_metadata, is_study, scenario_metadata, whatif_labels,
                    whatif_metadata, whatif_view)
from .sweep_figures import (morris_figure, sobol_figure, sweep_scatter_figure, tornado_figure,
                            tornado_table, top_indices_table)
from .trajectory_figures import ranked_cells, trajectory_fan_figure, trajectory_variables
from .sobol_turns import sobol_over_turns, sobol_over_turns_figure

__all__ = [
    # reading
    "load", "kind", "check_format", "events", "actor_targets", "actor_names",
    "codes_with_role", "listed_actors", "rest_of_world", "turn_position", "GeosimFileError",
    "NotGeosimFileError", "UnsupportedVersionError", "LayoutError", "FORMATS", "KINDS",
    "FORMAT", "FORMAT_VERSION",
    # colours
    "actor_colours", "dataset_actor_colours", "pole_colours", "parameter_colours",
    # run figures
    "influence_shares_figure", "dependence_heatmap_figure", "influence_network_figure",
    "alignment_figure", "alignment_ternary_figure", "gdp_figure", "flows_figure", "FIGURES",
    "trade_shares_table",
    # replicates
    "mean_view", "replicate_shares_figure", "replicate_hedging_figure",
    # comparisons
    "compare_shares_figure", "compare_difference_figure", "compare_hedging_figure",
    "compare_effects_figure", "effects_table", "difference_variables", "effect_variables",
    "forest_figure", "whatif_view", "whatif_labels", "is_study", "scenario_metadata",
    "whatif_metadata", "base_metadata",
    # sweeps
    "sobol_figure", "morris_figure", "sweep_scatter_figure", "tornado_figure",
    "tornado_table", "top_indices_table", "grid_heatmap_figure", "grid_table",
    "trajectory_fan_figure", "trajectory_variables", "ranked_cells",
    "sobol_over_turns", "sobol_over_turns_figure",
    # scenario discovery on a sweep
    "discover", "discover_xy", "discovery_table", "prim", "cart", "write_discovery",
    "DiscoveryError",
    # calibrations
    "posterior_marginals_figure", "posterior_pairs_figure", "progress_figure",
    "posterior_predictive_figure", "targets_table", "parameters_table", "generations_table",
    "weighted_quantile",
    # writing
    "figures_for", "save_all", "png_bytes", "CAPTIONS", "caption", "write_report", "report_html",
    "event_table", "describe_event",
    # the interactive explorer page
    "write_explorer", "explore_html", "explorer_href", "is_explorer", "ExploreError",
    # CSV tables
    "export_csv", "exported_variables", "ExportError",
    # the brief of a comparison
    "write_brief", "brief_html", "brief_effects", "scenario_changes", "is_brief", "BriefError",
]
