"""One fixed colour per actor and per pole, the same in every figure."""

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
    (so west is USA blue, russia RUS red, china CHN gold), else a tab10 colour."""
    actors = actor_colours(ds["actor"].values)
    first = ds["alignment"].isel(turn=0)
    out = {}
    for k, pole in enumerate(map(str, ds["pole"].values)):
        owners = [str(a) for a in ds["actor"].values if first.sel(actor=a, pole=pole) >= 0.999]
        out[pole] = actors[owners[0]] if owners else mcolors.to_hex(f"C{k % 10}")
    return out
