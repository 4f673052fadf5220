"""One colour per actor and per pole, the same in every figure of every file kind and of every
scenario.

Actors: the well-known patrons keep fixed colours (FIXED), the rest of the world is grey, and
every other code takes a colour of PALETTE chosen by a hash of the code itself (CRC-32, not
Python's salted hash()), so that a code has the same colour in every figure, file, scenario
and Python process whatever the other actors are or their order. When codes of one file fall
on the same colour, the first in alphabetical order keeps it and the others take the next
free colours, so the actors of a file have distinct colours as long as there are no more than
len(PALETTE) of them.

Poles: the colour of the actor wholly aligned with the pole at the first turn (west is USA
blue), else that of the pole's first owner in the scenario, else the well-known pole codes'
colours (FIXED_POLES), else a hash of the pole code; distinct among the poles of a file."""

import zlib

import yaml

from matplotlib import colors as mcolors

# Well-known patrons keep their colour in every scenario.
FIXED = {
    "USA": "#1f77b4",  # blue
    "EU": "#0b2f6b",   # dark blue
    "RUS": "#d62728",  # red
    "CHN": "#e0a800",  # gold (darkened to read on white)
}

# The rest of the world (actor_role "rest_of_world", code ROW): a neutral grey, which no other
# actor or pole takes.
REST_OF_WORLD = "#8c8c8c"
REST_OF_WORLD_CODE = "ROW"
REST_OF_WORLD_ROLE = "rest_of_world"

# Well-known poles without a wholly-aligned owner in a file: their owners' colours.
FIXED_POLES = {"west": FIXED["USA"], "russia": FIXED["RUS"], "china": FIXED["CHN"]}

# Colours for every other code: each at least 24 CIELAB units (CIE76) from every other, from
# the fixed colours and from the rest of the world's grey (tests/python/test_analysis.py
# checks it): no grey, nothing near the fixed blues, red and gold. Changing this list changes
# the colour of every code that is not in FIXED.
PALETTE = [
    "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#bcbd22", "#17becf", "#006d2c",
    "#e7298a", "#1b9e77", "#fdae6b", "#b2df8a", "#fb9a99", "#7b4173", "#542788", "#01665e",
    "#a6761d", "#637939",
]

# Comparisons: the base and the what-if of one quantity share its colour; line styles differ.
SCENARIO_STYLES = {"base": "-", "whatif": "--"}
SCENARIO_HATCH = {"base": None, "whatif": "////"}

# Sweeps: S1 / ST bars, and the two ends of a tornado bar.
INDEX_COLOURS = {"S1": "#4c72b0", "ST": "#dd8452"}
TORNADO_COLOURS = {"low": "#4c72b0", "high": "#dd8452"}

# Client-level quantities of a comparison (one line per scenario): base grey, what-if purple.
SCENARIO_COLOURS = {"base": "#4d4d4d", "whatif": "#7b3294"}
# The what-ifs of a study (comparison format version 2), in their order: the first is the
# what-if purple of a version-1 comparison; then colours far from it, from each other and from
# the base's grey (used where what-ifs, not actors, have the colours: the forest plot, the
# hedging panels). Beyond 8 what-ifs the colours repeat.
WHATIF_PALETTE = ["#7b3294", "#e66101", "#1b7837", "#0571b0", "#c51b7d", "#8c510a",
                  "#01665e", "#b2182b"]


def palette_index(code):
    """The position in PALETTE a code prefers: CRC-32 of its UTF-8 text, the same in every
    process and on every machine."""
    return zlib.crc32(str(code).encode("utf-8")) % len(PALETTE)


def code_colour(code):
    """The colour a code has when nothing else in its file takes it: FIXED for the
    well-known patrons, grey for ROW, else its PALETTE colour."""
    code = str(code)
    if code in FIXED:
        return FIXED[code]
    if code == REST_OF_WORLD_CODE:
        return REST_OF_WORLD
    return PALETTE[palette_index(code)]


def _assign(codes, taken=()):
    """{code: colour} for `codes` (none in FIXED): each its preferred PALETTE colour; among
    codes preferring the same colour, or a colour in `taken`, the first in alphabetical order
    keeps it (unless taken) and the others take the next free colours after it. With more
    codes than colours, colours repeat."""
    out = {}
    used = set(taken)
    losers = []
    for code in sorted(set(codes)):
        colour = PALETTE[palette_index(code)]
        if colour in used:
            losers.append(code)
        else:
            out[code] = colour
            used.add(colour)
    for code in losers:
        start = palette_index(code)
        free = [PALETTE[(start + k) % len(PALETTE)] for k in range(1, len(PALETTE))]
        free = [c for c in free if c not in used]
        if not free:  # every colour used: start a new round
            used = set(taken)
            free = [PALETTE[(start + k) % len(PALETTE)] for k in range(len(PALETTE))]
            free = [c for c in free if c not in used] or [PALETTE[start]]
        out[code] = free[0]
        used.add(free[0])
    return out


def actor_colours(codes, roles=None):
    """Dict actor code -> colour for the actors of one file: FIXED for the well-known
    patrons, grey for the rest of the world (code ROW, or actor_role "rest_of_world" when
    `roles` is given, in the order of `codes`), else a colour derived from the code (see the
    module's description); distinct within `codes` as long as there are no more than
    len(PALETTE) other codes. Pass every actor of the file (e.g. ds["actor"].values), so that
    every figure of the file agrees."""
    codes = [str(c) for c in codes]
    roles = [str(r) for r in roles] if roles is not None else [""] * len(codes)
    rest = {c for c, r in zip(codes, roles)
            if r == REST_OF_WORLD_ROLE or c == REST_OF_WORLD_CODE}
    others = [c for c in codes if c not in FIXED and c not in rest]
    assigned = _assign(others)
    return {c: FIXED[c] if c in FIXED else REST_OF_WORLD if c in rest else assigned[c]
            for c in codes}


def dataset_actor_colours(ds):
    """actor_colours of every actor of a dataset, the rest of the world by its actor_role."""
    roles = ds["actor_role"].values if "actor_role" in ds.variables else None
    return actor_colours(ds["actor"].values, roles)


def _first_alignment(ds):
    first = ds["alignment"].isel(turn=0)
    for dim in ("scenario", "replicate"):
        if dim in first.dims:
            first = first.isel({dim: 0})
    return first


def scenario_pole_owners(ds):
    """{pole code: [owner codes]} from the scenario the file records (`scenario_yaml`, or a
    comparison's `base_scenario_yaml`); {} if it has none or it cannot be read."""
    text = ds.attrs.get("scenario_yaml", ds.attrs.get("base_scenario_yaml"))
    if not text:
        return {}
    try:
        doc = yaml.safe_load(str(text))
        return {str(p["code"]): [str(o) for o in p.get("owners", [])]
                for p in doc.get("poles", []) if isinstance(p, dict) and "code" in p}
    except Exception:  # a scenario this reader does not understand: no owners
        return {}


def pole_colours(ds):
    """Dict pole code -> colour, distinct among the poles of the dataset, for any pole codes:

    1. the colour of the first actor wholly aligned with the pole at the first turn (so west
       is USA blue, russia RUS red, china CHN gold); the rest of the world never counts;
    2. else that of the pole's first owner in the scenario (`owners`, from the file's
       scenario_yaml), if no other pole has it;
    3. else FIXED_POLES' colour for a well-known pole code, if no other pole has it;
    4. else one derived from the pole code as actors' are (never the rest of the world's
       grey).

    Works for every file kind with poles (the first replicate / the base scenario decides)."""
    actors = dataset_actor_colours(ds)
    codes = [str(a) for a in ds["actor"].values]
    roles = ([str(r) for r in ds["actor_role"].values] if "actor_role" in ds.variables
             else [""] * len(codes))
    candidates = [c for c, r in zip(codes, roles)
                  if r != REST_OF_WORLD_ROLE and c != REST_OF_WORLD_CODE]
    first = _first_alignment(ds)
    poles = [str(p) for p in ds["pole"].values]
    out = {}
    for pole in poles:
        aligned = [a for a in candidates if float(first.sel(actor=a, pole=pole)) >= 0.999]
        if aligned and actors[aligned[0]] not in out.values():
            out[pole] = actors[aligned[0]]
    owners = scenario_pole_owners(ds)
    for pole in poles:
        declared = [a for a in owners.get(pole, []) if a in candidates]
        if pole not in out and declared and actors[declared[0]] not in out.values():
            out[pole] = actors[declared[0]]
    for pole in poles:
        if pole not in out and FIXED_POLES.get(pole) not in (None, *out.values()):
            out[pole] = FIXED_POLES[pole]
    rest = [p for p in poles if p not in out]
    out.update(_assign(rest, taken=set(out.values())))
    return {p: out[p] for p in poles}


def parameter_colours(names):
    """Dict sweep parameter -> colour, in parameter order (tab10)."""
    return {str(n): mcolors.to_hex(f"C{k % 10}") for k, n in enumerate(names)}
