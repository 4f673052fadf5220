"""The explorer: one self-contained, interactive HTML page of a run, a replicates file, a what-if
comparison (format version 1) or a study (version 2).

`python3 -m analysis explore FILE -o explore.html` writes one HTML file that needs no server and
no network: its data (JSON), style and script (plain ES2017 drawing SVG, no library) are
inlined. It shows

- an influence network at one turn, chosen with a time slider labelled by date (and a play
  button): nodes are the listed actors (not the rest of the world), at fixed places (patrons on
  an inner ring, the others outside, as run_figures' network), sized by gdp (area, on one scale
  for every turn and scenario) and filled with the colour of a pole (colours.pole_colours): a
  patron's own anchor pole, any other actor's pole of largest alignment at that turn; edges
  are influence(a, b) at least a chosen fraction (default 5%) of the largest influence of the
  page (every turn and scenario), their width proportional to influence, coloured as the
  source's node, curved clockwise so that a -> b and b -> a do not overlap;
- for a selected actor (click a node or pick it from the list): the patrons' influence shares
  over it and its hedging index, and its alignment with each pole, over time, with a cursor at
  the slider's turn;
- on hovering a node: its numbers at that turn (gdp, the patrons' shares over it, its
  alignment, hedging index) and the events of that turn it takes part in (as actor or target);
  the same for the selected actor below the curves;
- replicates: the network on the means, the curves the means with the 5-95% band of the
  replicates (the file's quantiles);
- comparisons and studies: the base or any what-if (network and curves switch scenario; means
  over the replicates, with the 5-95% band of that scenario's replicates), and a difference
  mode: what-if - base (the file's mean paired differences, shares and alignment in
  percentage points, with the file's confidence interval; edges by |difference| of influence,
  green for a gain, magenta dashed for a loss).

Numbers are rounded to 4 significant digits. Limits (the page says what it left out):
influences under STORE_FRACTION of the largest are not stored (the threshold list starts
there); beyond MAX_ACTORS listed actors, or when the stored edges of all turns and scenarios
would exceed MAX_EDGES, only the TOP_K largest influences over each actor per turn are kept;
beyond MAX_TURNS turns, every m-th turn (and the last) is kept; beyond MAX_EVENTS events per
scenario, the scripted ones and shocks are kept first, then the others in turn order.

`#selftest` after the file's URL makes the page drive itself (tests/python/test_explore.py): it
moves the slider, clicks a node, picks an actor from the list, hovers a node, toggles the
what-ifs and the difference mode, plays, times the drawing of every turn, and writes what it
drew (edges, nodes, curves, cursors, tooltip) and any script error as JSON into
<pre id="selftest-result">.
"""

import datetime
import html
import json
import math
import os
import urllib.parse
import warnings

import numpy as np
import yaml

from .colours import PALETTE, REST_OF_WORLD, dataset_actor_colours, pole_colours
from .explore_page import BODY, CSS, ERRORS_SCRIPT, SCRIPT
from .io import (NON_ACTOR_TARGETS, actor_names, codes_with_role, events,
                 has_generator_tag, kind, listed_actors, short_name, uint64, write_atomically)

GENERATOR = "geosim analysis explorer"
EXPLORABLE = ("run", "replicates", "comparison")
NOT_EXPLORABLE = ("the explorer takes a run (or a checkpoint), a replicates file, a what-if "
                  "comparison or a study (geosim run, run --replicates, compare)")

SIGNIFICANT = 4          # significant digits of every number in the page
STORE_FRACTION = 0.01    # influences under this fraction of the largest are not stored
DEFAULT_FRACTION = 0.05  # the threshold the page opens with (run_figures' network's)
FRACTIONS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.5)
MAX_ACTORS = 80          # beyond: only the TOP_K largest influences over each actor
TOP_K = 5
MAX_EDGES = 300_000      # stored edges over all turns and scenarios (about 14 bytes each)
MAX_TURNS = 120          # beyond: every m-th turn
MAX_EVENTS = 20_000      # per scenario
BAND = (0.05, 0.95)


class ExploreError(ValueError):
    """A file the explorer does not take (a sweep, a calibration)."""


def is_explorer(path):
    """Whether `path` is an explorer page this package wrote (its generator tag in the first
    4 kB): such a file is replaced without --force."""
    return has_generator_tag(path, GENERATOR)


def explorer_source(path):
    """The input file's name an explorer page records (its <meta name="geosim-source">), or
    None."""
    try:
        with open(path, "rb") as f:
            head = f.read(4096).decode("utf-8", "replace")
    except OSError:
        return None
    if f'<meta name="generator" content="{GENERATOR}">' not in head:
        return None
    marker = '<meta name="geosim-source" content="'
    start = head.find(marker)
    if start < 0:
        return None
    end = head.find('">', start + len(marker))
    return html.unescape(head[start + len(marker):end]) if end > 0 else None


def default_name(source):
    """The explorer's default file name for an input file: NAME_explore.html."""
    base = os.path.basename(source)
    stem = base[:-3] if base.endswith(".h5") else os.path.splitext(base)[0]
    return f"{stem}_explore.html"


def explorer_href(report_path, source):
    """The link (a relative URL) from a report written at `report_path` to an explorer page of
    `source`, or None: `explore.html` or NAME_explore.html in the report's folder, or
    NAME_explore.html next to `source` (the explorer's default), written by `python3 -m
    analysis explore` from a file of the same name (its <meta name="geosim-source">)."""
    if not source:
        return None
    folder = os.path.dirname(os.path.abspath(report_path))
    name = default_name(source)
    for path in (os.path.join(folder, "explore.html"), os.path.join(folder, name),
                 os.path.join(os.path.dirname(os.path.abspath(source)), name)):
        if os.path.isfile(path) and explorer_source(path) == os.path.basename(source):
            return urllib.parse.quote(os.path.relpath(path, folder))
    return None


# --- numbers as compact JSON text -------------------------------------------------------------

def _num(v):
    """A float as JSON text with SIGNIFICANT digits ("0.1234", "2.574e4"); NaN and infinities
    are null."""
    v = float(v)
    if not math.isfinite(v):
        return "null"
    if v == 0.0:
        return "0"
    s = f"{v:.{SIGNIFICANT}g}"
    if "e" in s:
        mantissa, exponent = s.split("e")
        s = f"{mantissa}e{int(exponent)}"
    return s


class _Raw(str):
    """JSON text already written."""


def _array(a):
    a = np.asarray(a, dtype=float)
    if a.ndim == 1:
        return "[" + ",".join(map(_num, a.tolist())) + "]"
    return "[" + ",".join(_array(x) for x in a) + "]"


def _json(obj):
    if isinstance(obj, _Raw):
        return str(obj)
    if isinstance(obj, np.ndarray):
        return _array(obj)
    if isinstance(obj, dict):
        return "{" + ",".join(json.dumps(str(k)) + ":" + _json(v) for k, v in obj.items()) + "}"
    if isinstance(obj, (list, tuple)):
        return "[" + ",".join(_json(v) for v in obj) + "]"
    if isinstance(obj, (bool, np.bool_)) or obj is None or isinstance(obj, str):
        return json.dumps(obj if not isinstance(obj, np.bool_) else bool(obj))
    if isinstance(obj, (int, np.integer)):
        return str(int(obj))
    if isinstance(obj, (float, np.floating)):
        return _num(obj)
    return json.dumps(str(obj))


# --- the file's values ------------------------------------------------------------------------

def _quantile_band(raw):
    """The 5% and 95% quantiles over the leading (replicate) axis; None with one replicate."""
    if raw.shape[0] < 2:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # All-NaN slices (a share over no patron)
        lo, hi = np.nanquantile(raw, BAND, axis=0)
    return lo, hi


def _file_band(ds, var, sel):
    """The replicates file's own 5% and 95% quantiles of `var`, or None if it has not them."""
    name = f"{var}_quantile"
    if name not in ds.variables:
        return None
    qs = [float(q) for q in ds["quantile"].values]
    out = []
    for q in BAND:
        hits = [k for k, x in enumerate(qs) if abs(x - q) < 1e-9]
        if not hits:
            return None
        out.append(np.asarray(ds[name].isel(quantile=hits[0]).sel(sel).values, dtype=float))
    return tuple(out)


def _scenario_values(ds, scenario, listed, patrons, turns):
    """{gdp, al, sh, hd, inf, bands...} of one scenario as numpy arrays over the kept turns:
    a run's values, a replicates file's or comparison scenario's means (with 5-95% bands)."""
    k = kind(ds)
    sels = {"gdp": {"actor": listed}, "hedging_index": {"actor": listed},
            "alignment": {"actor": listed},
            "influence_share": {"actor": patrons, "target": listed},
            "influence": {"actor": listed, "target": listed}}
    out = {}
    for var, sel in sels.items():
        if k == "run":
            da = ds[var].sel(sel)
        elif k == "replicates":
            da = ds[f"{var}_mean"].sel(sel)
        else:
            da = ds[f"{var}_mean"].sel(scenario=scenario).sel(sel)
        out[var] = np.asarray(da.values, dtype=float)[turns]
    for var, key in (("influence_share", "sh"), ("alignment", "al")):
        band = None
        if k == "replicates":
            band = _file_band(ds, var, sels[var])
            if band is None:
                band = _quantile_band(np.asarray(ds[var].sel(sels[var]).values, dtype=float))
        elif k == "comparison":
            raw = ds[var].sel(scenario=scenario).sel(sels[var])
            band = _quantile_band(np.asarray(raw.values, dtype=float))
        if band is not None:
            out[key + "Lo"], out[key + "Hi"] = band[0][turns], band[1][turns]
    for t in range(out["influence"].shape[0]):
        np.fill_diagonal(out["influence"][t], 0.0)
    return out


def _diff_values(view, whatif, listed, patrons, turns):
    """A what-if's mean paired differences (what-if - base) and their intervals."""
    def get(name, sel):
        da = view[name].sel(whatif=whatif).sel(sel)
        return np.asarray(da.values, dtype=float)[turns]
    a = {"actor": listed}
    out = {"gdp": get("gdp_diff_mean", a), "hd": get("hedging_index_diff_mean", a),
           "inf": get("influence_diff_mean", {"actor": listed, "target": listed})}
    for var, key, sel in (("influence_share", "sh", {"actor": patrons, "target": listed}),
                          ("alignment", "al", a)):
        out[key] = get(f"{var}_diff_mean", sel)
        out[key + "Lo"] = get(f"{var}_diff_ci_lower", sel)
        out[key + "Hi"] = get(f"{var}_diff_ci_upper", sel)
    for t in range(out["inf"].shape[0]):
        np.fill_diagonal(out["inf"][t], 0.0)
    return out


def _edges(m, cut, top_k):
    """One turn's edges as JSON text [i, j, v, i, j, v, ...], |v| >= cut, ascending |v| (the
    strongest drawn last, on top); with top_k only the top_k largest |v| over each target."""
    a = np.abs(np.nan_to_num(m))
    keep = a >= cut
    if top_k and a.shape[0] > top_k:
        rank = np.argsort(np.argsort(-a, axis=0, kind="stable"), axis=0, kind="stable")
        keep &= rank < top_k
    i, j = np.nonzero(keep)
    order = np.argsort(a[i, j], kind="stable")
    i, j = i[order], j[order]
    return "[" + ",".join(f"{x},{y},{_num(m[x, y])}" for x, y in zip(i.tolist(), j.tolist())) + "]"


def _count_edges(mats, cut):
    return int(sum((np.abs(np.nan_to_num(m)) >= cut).sum() for m in mats))


def _kept_turns(n):
    """The turn positions the page keeps: all up to MAX_TURNS, else every m-th and the last."""
    if n <= MAX_TURNS:
        return list(range(n)), 1
    step = math.ceil(n / MAX_TURNS)
    kept = list(range(0, n, step))
    if kept[-1] != n - 1:
        kept.append(n - 1)
    return kept, step


def _scenario_doc(ds):
    text = ds.attrs.get("scenario_yaml", ds.attrs.get("base_scenario_yaml"))
    if not text:
        return {}
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        doc = yaml.load(str(text), Loader=loader)
    except Exception:  # a scenario this reader does not understand
        return {}
    return doc if isinstance(doc, dict) else {}


def _patron_poles(ds, listed, poles, first_alignment):
    """[pole index or -1] per listed actor: a patron's own anchor pole (the scenario's
    `anchor` of that actor, its largest weight; else the pole it owns; else its pole of
    largest alignment at the first turn), -1 for every other actor."""
    doc = _scenario_doc(ds)
    anchors, owned = {}, {}
    for a in doc.get("actors", []) or []:
        if isinstance(a, dict) and isinstance(a.get("anchor"), dict) and a["anchor"]:
            try:
                weights = {str(p): float(w) for p, w in a["anchor"].items()}
                anchors[str(a.get("code"))] = max(weights, key=weights.get)
            except (TypeError, ValueError):
                pass
    for p in doc.get("poles", []) or []:
        if isinstance(p, dict):
            for o in p.get("owners", []) or []:
                owned.setdefault(str(o), str(p.get("code")))
    patrons = set(codes_with_role(ds, "patron"))
    out = []
    for i, c in enumerate(listed):
        if c not in patrons:
            out.append(-1)
            continue
        pole = anchors.get(c) if anchors.get(c) in poles else owned.get(c)
        if pole in poles:
            out.append(poles.index(pole))
        else:
            row = np.nan_to_num(first_alignment[i], nan=-1.0)
            out.append(int(np.argmax(row)))
    return out


def _patron_line_colours(colours, patrons, anchor_poles, pole_colour_list):
    """The actor colours with the patrons' made distinct (their share lines): with more actors
    than colours the file's colours repeat; a patron whose colour an earlier patron has takes
    its anchor pole's colour, else the first colour of the palette not taken."""
    colours = dict(colours)
    used = []
    for c, p in zip(patrons, anchor_poles):
        options = [colours[c]] + ([pole_colour_list[p]] if p >= 0 else []) + PALETTE
        colours[c] = next((x for x in options if x not in used), colours[c])
        used.append(colours[c])
    return colours


def _event_rows(ds, kept, step):
    """{scenario label (or "" for a run / replicates): [[turn index, actor, action, targets,
    amount text, cause], ...]} and what was left out. Replicates and comparisons: the first
    replicate's events (of each scenario). Events of a dropped turn go to the next kept one."""
    from .report import describe_event
    ev = events(ds)
    names = actor_names(ds)
    dropped = []
    index_of = np.searchsorted(np.asarray(kept), np.arange(max(kept) + 1))
    groups = {}
    if len(ev) and "replicate" in ev:
        first = ev["replicate"].min()
        ev = ev[ev["replicate"] == first]
    labels = ([str(s) for s in ds["scenario"].values] if kind(ds) == "comparison" else [""])
    for label in labels:
        sub = ev[ev["scenario"] == label] if label else ev
        if len(sub) > MAX_EVENTS:
            major = sub["cause"].isin(["scripted", "shock"])
            rest = sub[~major].head(max(0, MAX_EVENTS - int(major.sum())))
            kept_rows = sub[major | sub.index.isin(rest.index)]
            dropped.append(f"{len(sub) - len(kept_rows)} of the {len(sub)} events"
                           + (f" of {label}" if label else "") + " (the policies' and the "
                           "engine's reactions' after the first "
                           f"{len(rest)}; every scripted event and shock is kept)")
            sub = kept_rows
        rows = []
        for turn, actor, action, targets, amount, cause in zip(
                sub["turn"].tolist(), sub["actor"].tolist(), sub["action"].tolist(),
                sub["targets"].tolist(), sub["amount"].tolist(), sub["cause"].tolist()):
            turn = int(turn)
            if turn < 0 or turn >= len(index_of):
                continue
            how = describe_event(action, amount, targets, names)[2]
            row = [int(index_of[turn]), str(actor), str(action), ",".join(map(str, targets)),
                   how, str(cause)]
            if step > 1:
                row.append(str(np.datetime_as_string(ds["date"].values[turn], unit="D")))
            rows.append(row)
        groups[label] = rows
    return groups, dropped


def _dates(ds, kept):
    values = ds["date"].values
    return [str(np.datetime_as_string(values[t], unit="D")) for t in kept]


def explore_data(ds, source=None):
    """The page's data as a dict (numpy arrays inside): what explore_html embeds as JSON."""
    k = kind(ds)
    if k not in EXPLORABLE:
        raise ExploreError(f"{NOT_EXPLORABLE}; this is a {k} file")
    from .report import EVENT_WORDS, _title
    from .run_figures import _network_layout
    listed = listed_actors(ds)
    patrons = [c for c in codes_with_role(ds, "patron") if c in listed]
    names = actor_names(ds)
    roles = dict(zip(map(str, ds["actor"].values), map(str, ds["actor_role"].values)))
    poles = [str(p) for p in ds["pole"].values]
    pole_names = dict(zip(poles, map(str, ds["pole_name"].values)))
    pcol = pole_colours(ds)
    acol = dataset_actor_colours(ds)
    n_turns = ds.sizes["turn"]
    kept, step = _kept_turns(n_turns)
    dropped = []
    if step > 1:
        dropped.append(f"turns: {n_turns} turns are more than {MAX_TURNS}; every {step}th turn "
                       f"and the last are kept ({len(kept)} turns); the events of the turns "
                       "in between are listed at the next kept turn")

    if k == "comparison":
        from .study import scenario_metadata, whatif_labels, whatif_view
        meta = scenario_metadata(ds)
        labels = [m["label"] for m in meta]
        whatifs = whatif_labels(ds)
    else:
        a = ds.attrs
        meta = [{"label": "", "role": "run", "name": a.get("scenario_name", ""),
                 "description": a.get("scenario_description", "")}]
        labels = [""]
        whatifs = []
    values = [_scenario_values(ds, s, listed, patrons, kept) for s in labels]
    diffs = []
    if whatifs:
        view = whatif_view(ds)
        diffs = [_diff_values(view, w, listed, patrons, kept) for w in whatifs]

    edge_max = max(float(np.nanmax(np.abs(v["influence"]))) if v["influence"].size else 0.0
                   for v in values) or 1.0
    dmax = (max(float(np.nanmax(np.abs(d["inf"]))) if d["inf"].size else 0.0 for d in diffs)
            if diffs else 0.0) or 1.0
    cut, dcut = STORE_FRACTION * edge_max, STORE_FRACTION * dmax
    top_k = 0
    if len(listed) > MAX_ACTORS:
        top_k = TOP_K
        dropped.append(f"edges: {len(listed)} actors are more than {MAX_ACTORS}; only the "
                       f"{TOP_K} largest influences over each actor are kept at each turn")
    else:
        stored = (sum(_count_edges(v["influence"], cut) for v in values)
                  + sum(_count_edges(d["inf"], dcut) for d in diffs))
        if stored > MAX_EDGES:
            top_k = TOP_K
            dropped.append(f"edges: {stored} influences over {STORE_FRACTION:.0%} of the "
                           f"largest are more than the page's {MAX_EDGES}; only the {TOP_K} "
                           "largest influences over each actor are kept at each turn")
    ev_rows, ev_dropped = _event_rows(ds, kept, step)
    dropped += ev_dropped

    gdp_max = max(float(np.nanmax(v["gdp"])) if np.isfinite(v["gdp"]).any() else 0.0
                  for v in values) or 1.0
    pos = _network_layout(ds)
    patron_pole = _patron_poles(ds, listed, poles, values[0]["alignment"][0])
    acol = _patron_line_colours(acol, patrons, [patron_pole[listed.index(c)] for c in patrons],
                                [pcol[p] for p in poles])
    scen = []
    for m, v in zip(meta, values):
        item = {"label": m["label"], "name": m["name"] or m["label"],
                "desc": m.get("description") or "", "role": m["role"],
                "gdp": v["gdp"], "al": v["alignment"], "sh": v["influence_share"],
                "hd": v["hedging_index"],
                "E": _Raw("[" + ",".join(_edges(x, cut, top_k) for x in v["influence"]) + "]"),
                "ev": ev_rows.get(m["label"], [])}
        for key in ("shLo", "shHi", "alLo", "alHi"):
            if key in v:
                item[key] = v[key]
        scen.append(item)
    diff = []
    for w, d in zip(whatifs, diffs):
        item = {"label": w, **{key: d[key] for key in
                               ("gdp", "hd", "sh", "shLo", "shHi", "al", "alLo", "alHi")}}
        item["E"] = _Raw("[" + ",".join(_edges(x, dcut, top_k) for x in d["inf"]) + "]")
        diff.append(item)

    reps = int(ds.sizes.get("replicate", 0))
    a = ds.attrs
    sub = []
    if k == "run":
        sub.append(f"scenario {a.get('scenario_name')} (hash {a.get('scenario_hash')}, seed "
                   f"{uint64(a.get('seed'))}, run id {uint64(a.get('run_id'))})")
    elif k == "replicates":
        sub.append(f"mean of {reps} replicates of scenario {a.get('scenario_name')} (hash "
                   f"{a.get('scenario_hash')}, seed {uint64(a.get('seed'))}); bands: 5-95% of "
                   "the replicates")
    else:
        sub.append(f"means of {reps} paired replicates per scenario; bands: 5-95% of the "
                   f"replicates; difference mode: the mean paired difference (what-if - base) "
                   f"with its {float(a.get('ci_level', 0.95)):.0%} interval")
    dates = _dates(ds, kept)
    sub.append(f"{len(listed)} actors" + (" (the rest of the world left out)"
                                          if len(listed) < ds.sizes["actor"] else "")
               + f", {len(kept)} turns from {dates[0]} to {dates[-1]}; geosim "
               f"{a.get('geosim_version')} ({a.get('git_commit')})")
    events_note = ("the events of the first replicate" + (" of each scenario" if k ==
                                                          "comparison" else "")
                   if reps else "the run's events")
    return {
        "kind": k, "title": _title(ds), "sub": sub,
        "source": os.path.basename(source) if source else "",
        "replicates": reps, "ciLevel": float(a.get("ci_level", 0.95)),
        "dates": dates, "turns": kept,
        "actors": [[c, short_name(names[c]), roles[c], names[c]] for c in listed],
        "actorColour": [acol[c] for c in listed],
        "patrons": [listed.index(c) for c in patrons],
        "poles": [[p, pole_names[p], pcol[p]] for p in poles],
        "patronPole": patron_pole,
        "pos": [[round(pos[c][0], 4), round(pos[c][1], 4)] for c in listed],
        "edgeMax": edge_max, "dmax": dmax, "gdpMax": gdp_max,
        "storeFrac": STORE_FRACTION, "defaultFrac": DEFAULT_FRACTION,
        "fractions": list(FRACTIONS), "topK": top_k,
        "scen": scen, "diff": diff,
        "actionWords": {act: words[0] for act, words in EVENT_WORDS.items()},
        "nonActorTargets": dict(NON_ACTOR_TARGETS),
        "eventsNote": events_note, "dropped": dropped,
        "grey": REST_OF_WORLD,
    }


def _payload(data):
    # "<" only occurs inside JSON strings: escaped, no "</script>" can end the element early
    return _json(data).replace("<", "\\u003c")


def explore_html(ds, source=None):
    """The explorer page of `ds` as a string (see the module's description)."""
    return _page(ds, source)[0]


def _page(ds, source):
    """(the page's HTML text, its data)."""
    data = explore_data(ds, source)
    title = f"Explorer: {data['title']}"
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    e = html.escape
    src = e(data["source"])
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        f'<meta name="generator" content="{GENERATOR}">',
        f'<meta name="geosim-source" content="{src}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(title)}</title>", f"<style>{CSS}</style>", "</head>", "<body>",
        f"<header><h1>{e(title)}</h1>",
        f'<p class="sub">geosim {e(data["kind"])} file'
        + (f" <code>{src}</code>" if src else "")
        + f"; written {now} by <code>python3 -m analysis explore</code></p>",
        "".join(f'<p class="sub">{e(s)}</p>' for s in data["sub"]), "</header>",
        BODY,
        f'<script id="geosim-data" type="application/json">{_payload(data)}</script>',
        f"<script>{ERRORS_SCRIPT}</script>",
        f"<script>{SCRIPT}</script>",
        "</body></html>", ""]), data


def write_explorer(ds, path, source=None):
    """Write the explorer page of `ds` to `path` (through a temp file renamed when complete).
    Returns {"path", "bytes", "dropped"}."""
    text, data = _page(ds, source)
    raw = text.encode("utf-8")
    write_atomically(path, raw)
    return {"path": path, "bytes": len(raw), "dropped": list(data["dropped"])}


__all__ = ["explore_html", "explore_data", "write_explorer", "is_explorer", "explorer_href",
           "explorer_source", "default_name", "ExploreError", "EXPLORABLE", "NOT_EXPLORABLE",
           "GENERATOR", "MAX_ACTORS", "MAX_TURNS", "MAX_EDGES", "MAX_EVENTS", "TOP_K",
           "STORE_FRACTION", "DEFAULT_FRACTION"]
