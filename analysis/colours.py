"""One fixed colour per actor and per pole, the same in every figure of every file kind."""

from matplotlib import colors as mcolors

# Well-known patrons keep their colour in every scenario.
FIXED = {
    "USA": "#1f77b4",  # blue
    "EU": "#0b2f6b",   # dark blue
    "RUS": "#d62728",  # red
    "CHN": "#e0a800",  # gold (darkened to read on white)
}

# tab10 without its blue and red, which the fixed colours use.
CYCLE = ["#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2",
         "#7f7f7f", "#bcbd22", "#17becf"]

# Comparisons: the base and the what-if of one quantity share its colour; line styles differ.
SCENARIO_STYLES = {"base": "-", "whatif": "--"}
SCENARIO_HATCH = {"base": None, "whatif": "////"}

# Sweeps: S1 / ST bars, and the two ends of a tornado bar.
INDEX_COLOURS = {"S1": "#4c72b0", "ST": "#dd8452"}
TORNADO_COLOURS = {"low": "#4c72b0", "high": "#dd8452"}


def actor_colours(codes):
    """Dict actor code -> colour: FIXED for known codes, the others from CYCLE in actor order."""
    out, i = {}, 0
    for code in map(str, codes):
        if code in FIXED:
            out[code] = FIXED[code]
        else:
            out[code] = CYCLE[i % len(CYCLE)]
            i += 1
    return out


def pole_colours(ds):
    """Dict pole code -> colour: that of the first actor wholly aligned with the pole at turn 0
    (so west is USA blue, russia RUS red, china CHN gold), else a tab10 colour. Works for
    every file kind with poles (the first replicate / the base scenario decides)."""
    actors = actor_colours(ds["actor"].values)
    first = ds["alignment"].isel(turn=0)
    for dim in ("scenario", "replicate"):
        if dim in first.dims:
            first = first.isel({dim: 0})
    out = {}
    for k, pole in enumerate(map(str, ds["pole"].values)):
        owners = [str(a) for a in ds["actor"].values if first.sel(actor=a, pole=pole) >= 0.999]
        out[pole] = actors[owners[0]] if owners else mcolors.to_hex(f"C{k % 10}")
    return out


def parameter_colours(names):
    """Dict sweep parameter -> colour, in parameter order (tab10)."""
    return {str(n): mcolors.to_hex(f"C{k % 10}") for k, n in enumerate(names)}

# Client-level quantities of a comparison (one line per scenario): base grey, what-if purple.
SCENARIO_COLOURS = {"base": "#4d4d4d", "whatif": "#7b3294"}
