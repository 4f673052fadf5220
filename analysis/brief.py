"""A one-page brief of a what-if comparison or study, for a reader who will not open the data.

`python3 -m analysis brief FILE` (a comparison file of `geosim compare`, format version 1 or
2) writes FILE's folder/NAME_brief.html: self-contained (no script, font, style sheet or link;
the figure embedded as base64 PNG), and with `--pdf` NAME_brief.pdf, rendered by headless
Chromium on one A4 page. It holds:

- the question in words: each what-if's description (and name), the baseline's name and
  description, the number of paired runs and the horizon (the last turn);
- what each what-if changed: its resolved scenario (the file's YAML) against the baseline's,
  leaf by leaf, in the scenario's own units and strings ("timeline us_tjk_security_aid:
  amount 60 USD m -> 120 USD m"); list items matched by `id` or `code`; added and removed
  items summarised; the scenarios' names and descriptions and every `source` field (a
  citation, not a model input) left out; at most 8 lines (a study of 2-3 what-ifs: 5 per
  what-if; of more: 3) and "and N more";
- the largest effects at the horizon as sentences, each with its interval (the file's
  `ci_level`, 95%): influence shares in percentage points, re-exports in their unit;
- a threshold of practical relevance: effects smaller than it are listed as "no effect of
  practical size" rather than highlighted, even when their interval excludes 0 (with common
  random numbers a tiny effect can be estimated very precisely);
- one figure, the forest plot of the effects listed (compare_figures.forest_figure);
- provenance: the file, geosim's version and commit, each scenario's file, hash and seed, the
  replicates and their run ids, the command lines, the dates.

Every number comes from the file: the effects are effects_table's (the file's `*_mean`,
`*_diff_mean`, `*_diff_ci_lower/_upper` at the last turn), the changes the file's
`*_scenario_yaml`/`scenario_yaml`. Each number of a sentence is in a <span data-stat=...>
inside an element whose data-whatif, data-var, data-actor, data-target and data-turn name its
cell, so that a program can check it against the file (tests/python/test_brief.py does).

Thresholds (documented defaults, set by the user):
- shares (influence_share; the share variables of compare_figures.SHARE_VARIABLES): an
  effect is of practical size when |mean paired difference| >= THRESHOLD_PP percentage
  points (default 0.5 pp);
- other quantities (re-exports, in USD m/yr): when |mean paired difference| >=
  THRESHOLD_PERCENT percent of the baseline's mean (default 5%; of the what-if's mean when
  the baseline's is 0).
The comparison uses the unrounded values.
"""

import base64
import datetime
import html
import os
import re
import shutil
import subprocess
import tempfile

import numpy as np
import yaml

from .compare_figures import (FOREST_VARIABLES, PP, SHARE_VARIABLES, effect_words,
                              effects_table, forest_figure, whatif_colours)
from .io import actor_names, has_generator_tag, kind, short_name, write_all_atomically
from .plotting import month
from .study import base_metadata, is_study, whatif_labels, whatif_metadata

GENERATOR = "geosim analysis brief"
PDF_TITLE_PREFIX = "geosim brief: "
THRESHOLD_PP = 0.5
THRESHOLD_PERCENT = 5.0
# Per what-if, to keep to one page: sentences (effects of practical size), effects listed as
# of no practical size, and lines of changes; for one what-if, a study of 2-3 and of more.
HIGHLIGHT = {1: 5, 3: 3, None: 2}
MINOR = {1: 3, 3: 2, None: 1}
CHANGES_SHOWN = {1: 8, 3: 5, None: 3}


def per_whatif(table, k):
    """The number of a HIGHLIGHT, MINOR or CHANGES_SHOWN table for a file of k what-ifs."""
    for most in sorted(x for x in table if x is not None):
        if k <= most:
            return table[most]
    return table[None]

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
CHROMIUM_TIMEOUT = 120

NOT_A_COMPARISON = "a brief needs a comparison file (geosim compare)"


class BriefError(ValueError):
    """A brief that cannot be made: not a comparison file, no Chromium for --pdf, a PDF that
    Chromium failed to render."""


def _e(x):
    return html.escape(str(x), quote=True)


# What the what-if changed: its resolved scenario against the baseline's -------------------

IGNORED_KEYS = {"source"}                    # citations, not model inputs
IGNORED_METADATA = {"name", "description"}   # the scenarios' names (said elsewhere)
ID_KEYS = ("id", "code")
KIND_KEYS = ("action", "kind", "policy", "channel", "role")
NOT_SET = "(not set)"
_NUMBER = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")


def _load_yaml(text):
    """A scenario's YAML with every scalar a string as written ("8.90", "120 USD m"), so the
    brief shows the scenario's own strings."""
    loader = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
    return yaml.load(text or "", Loader=loader) or {}


def _same_scalar(a, b):
    """Whether two scalars (strings as written) mean the same: "1.20" and "1.2" do."""
    if a == b:
        return True
    try:
        return yaml.safe_load(a) == yaml.safe_load(b)
    except yaml.YAMLError:
        return False


def _item_id(x):
    if isinstance(x, dict):
        for k in ID_KEYS:
            if isinstance(x.get(k), str):
                return x[k]
    return None


def _keyed(items):
    """{id: item} of a list whose items all have an `id` (or `code`), else None."""
    if not isinstance(items, list) or not items:
        return None
    ids = [_item_id(x) for x in items]
    if any(i is None for i in ids) or len(set(ids)) != len(ids):
        return None
    return dict(zip(ids, items))


def _text(value, parent=None, limit=70):
    """A value as the scenario writes it: scalars as strings, a number with its item's `unit`
    (flows: "8.90 USD bn/yr"), lists joined by ", ", mappings as "key value, ..."."""
    if value is None:
        return NOT_SET
    if isinstance(value, list):
        text = ", ".join(_text(v, limit=limit) for v in value)
    elif isinstance(value, dict):
        text = ", ".join(f"{k} {_text(v, value, limit)}" for k, v in value.items()
                         if k not in IGNORED_KEYS)
    else:
        text = str(value)
        unit = parent.get("unit") if isinstance(parent, dict) else None
        if isinstance(unit, str) and _NUMBER.match(text):
            text = f"{text} {unit}"
    return text if len(text) <= limit else text[:limit - 3].rstrip() + "..."


def _kind_of(item):
    for k in KIND_KEYS:
        if isinstance(item.get(k), str):
            return item[k]
    return None


def scenario_changes(base_yaml, whatif_yaml):
    """The differences of a what-if's resolved scenario (YAML text) from the baseline's, in
    the order of the what-if's scenario: a list of dicts with

    - `change`: "changed", "added" or "removed";
    - `where`: the place, e.g. ["timeline", "us_tjk_security_aid"] (a list item by its id or
      code), ["channels"], ["rest_of_world", "totals", "row_trade_kaz"];
    - `section`: where[0]; `item`: the id or code of the innermost list item ("" if none);
    - `key`: the changed leaf under it, dotted ("amount", "budgets.security_aid"; "" for an
      added or removed item);
    - `base`, `whatif`: the values as the scenarios write them (with the item's `unit` for a
      bare number), NOT_SET when absent; for an added or removed item its fields;
    - `kind`: an added or removed item's action, kind, policy, channel or role (or None).

    Leaves are compared as written, and two spellings of one number ("1.20", "1.2") are the
    same. `source` fields and metadata name and description are left out."""
    base, whatif = _load_yaml(base_yaml), _load_yaml(whatif_yaml)
    out = []

    def leaf(where, keys, a, b, pa, pb):
        out.append({"change": "changed", "where": list(where), "section": where[0],
                    "item": where[-1] if len(where) > 1 else "", "key": ".".join(keys),
                    "base": _text(a, pa), "whatif": _text(b, pb), "kind": None})

    def item(change, where, x):
        fields = _text({k: v for k, v in x.items() if k not in ID_KEYS}, limit=120)
        out.append({"change": change, "where": list(where), "section": where[0],
                    "item": where[-1], "key": "",
                    "base": fields if change == "removed" else NOT_SET,
                    "whatif": fields if change == "added" else NOT_SET,
                    "kind": _kind_of(x)})

    def walk(where, keys, a, b, pa, pb):
        if isinstance(a, dict) and isinstance(b, dict):
            for k in list(b) + [k for k in a if k not in b]:
                if k in IGNORED_KEYS or (where == ["metadata"] and not keys
                                         and k in IGNORED_METADATA):
                    continue
                walk(where, keys + [k], a.get(k), b.get(k), a, b)
            return
        ka, kb = _keyed(a), _keyed(b)
        if ka is not None and kb is not None:
            place = where + keys
            for i in list(kb) + [i for i in ka if i not in kb]:
                if i not in ka:
                    item("added", place + [i], kb[i])
                elif i not in kb:
                    item("removed", place + [i], ka[i])
                else:
                    walk(place + [i], [], ka[i], kb[i], None, None)
            return
        if a is None and b is None:
            return
        if isinstance(a, (dict, list)) or isinstance(b, (dict, list)):
            if a != b:
                leaf(where, keys, a, b, pa, pb)
            return
        if a is None or b is None or not _same_scalar(a, b):
            leaf(where, keys, a, b, pa, pb)

    for k in list(whatif) + [k for k in base if k not in whatif]:
        walk([k], [], base.get(k), whatif.get(k), None, None)
    return out


def change_lines(changes, cap=8):
    """[(text, attributes)] of the changes, one line each, at most `cap` lines (then
    (f"and N more", {})). A changed leaf: "timeline us_tjk_security_aid: amount 60 USD m ->
    120 USD m". One or two items added to (or removed from) a list: a line each with their
    fields; more: one line for them all ("timeline: 12 added (8 loan, 4 economic_aid):
    chn_loan_kgz_1, ...")."""
    lines = []
    groups = {}
    for c in changes:
        if c["change"] == "changed":
            lines.append(("leaf", c))
        else:
            key = (c["change"], tuple(c["where"][:-1]))
            if key not in groups:
                groups[key] = []
                lines.append(("group", key))
            groups[key].append(c)
    rendered = []
    for what, x in lines:
        if what == "leaf":
            where = " ".join(x["where"])
            text = f"{where}: {x['key']} {x['base']} \u2192 {x['whatif']}"
            rendered.append((text, {"class": "change", "data-change": "changed",
                                    "data-section": x["section"], "data-item": x["item"],
                                    "data-key": x["key"], "data-base": x["base"],
                                    "data-whatif": x["whatif"]}))
            continue
        change, place = x
        items = groups[x]
        place_text = " ".join(place)
        if len(items) <= 2:
            for c in items:
                fields = c["whatif"] if change == "added" else c["base"]
                rendered.append((f"{place_text} {c['item']} {change}: {fields}",
                                 {"class": "change", "data-change": change,
                                  "data-section": c["section"], "data-item": c["item"]}))
            continue
        kinds = {}
        for c in items:
            if c["kind"]:
                kinds[c["kind"]] = kinds.get(c["kind"], 0) + 1
        kinds_text = (" (" + ", ".join(f"{n} {k}" for k, n in kinds.items()) + ")"
                      if kinds else "")
        ids = [c["item"] for c in items]
        shown = ", ".join(ids[:4]) + (f" and {len(ids) - 4} more" if len(ids) > 4 else "")
        rendered.append((f"{place_text}: {len(items)} {change}{kinds_text}: {shown}",
                         {"class": "change", "data-change": change,
                          "data-section": items[0]["section"],
                          "data-items": " ".join(ids)}))
    if len(rendered) > cap:
        # the lines of added and removed items first (few, and what a reader most needs),
        # then the changed leaves in order, then "and N more"
        room = max(0, cap - 1)
        groups_first = [i for i, (_, a) in enumerate(rendered)
                        if a.get("data-change") != "changed"][:room]
        leaves = [i for i, (_, a) in enumerate(rendered)
                  if a.get("data-change") == "changed"][:room - len(groups_first)]
        keep = sorted(groups_first + leaves)
        hidden = len(rendered) - len(keep)
        rendered = [rendered[i] for i in keep] + [
            (f"and {hidden} more change{'s' if hidden != 1 else ''}",
             {"class": "change-more", "data-hidden": str(hidden)})]
    return rendered


# The effects -----------------------------------------------------------------------------

def _relative_percent(row):
    """The change in percent of the baseline's mean (of the what-if's when that is 0)."""
    base, other, d = row["base"], row["whatif"], row["diff"]
    ref = abs(base) if np.isfinite(base) and base != 0 else (
        abs(other) if np.isfinite(other) else np.nan)
    if d == 0:
        return 0.0
    return 100.0 * d / ref if ref and np.isfinite(ref) else np.nan


def brief_effects(ds, threshold_pp=THRESHOLD_PP, threshold_percent=THRESHOLD_PERCENT,
                  highlight=None, minor=None, turn=-1):
    """{what-if label: {"practical": DataFrame, "minor": DataFrame, "n_practical": int,
    "n_minor": int, "n_zero": int, "n": int}}: the effects at the horizon (effects_table of
    the forest's variables, FOREST_VARIABLES: each patron's influence share over each client
    and each client's re-exports; finite differences only, ranked by size) split by the
    threshold of practical size. `practical`: the `highlight` largest of practical size;
    `minor`: the `minor` largest below it but not exactly 0 (`n_zero` counts those). Rows
    gain `relative` (the change in percent of the baseline's mean; NaN for shares) and
    `practical`."""
    labels = whatif_labels(ds)
    highlight = per_whatif(HIGHLIGHT, len(labels)) if highlight is None else highlight
    minor = per_whatif(MINOR, len(labels)) if minor is None else minor
    table = effects_table(ds, turn, FOREST_VARIABLES)
    table = table[np.isfinite(table["diff"].to_numpy(dtype=float))].copy()
    share = table["variable"].isin(SHARE_VARIABLES)
    table["relative"] = [np.nan if s else _relative_percent(r)
                         for s, (_, r) in zip(share, table.iterrows())]
    magnitude = np.where(share, np.abs(100.0 * table["diff"].to_numpy(dtype=float)),
                         np.abs(table["relative"].to_numpy(dtype=float)))
    limit = np.where(share, float(threshold_pp), float(threshold_percent))
    table["practical"] = np.nan_to_num(magnitude, nan=0.0) >= limit
    out = {}
    for w in labels:
        t = table[table["scenario"] == w]
        p, m = t[t["practical"]], t[~t["practical"]]
        zeros = int((m["diff"].to_numpy(dtype=float) == 0).sum())
        m = m[m["diff"].to_numpy(dtype=float) != 0]  # the exact zeros are counted, not listed
        out[w] = {"practical": p.head(max(0, int(highlight))),
                  "minor": m.head(max(0, int(minor))),
                  "n_practical": len(p), "n_minor": len(m), "n_zero": zeros, "n": len(t)}
    return out


# Numbers in words -------------------------------------------------------------------------

def _decimals(x):
    """1 decimal for magnitudes of at least 1, else 2: "1.1", "0.64"."""
    return 1 if np.isfinite(x) and abs(x) >= 1 else 2


def _num(x, decimals, signed=False):
    if not np.isfinite(x):
        return "n/a"
    return f"{x:+.{decimals}f}" if signed else f"{x:.{decimals}f}"


def _span(stat, text):
    return f'<span class="num" data-stat="{stat}">{_e(text)}</span>'


_ARTICLE_FIRST = {"United", "European", "Russian", "Islamic", "Czech", "Central",
                  "Democratic", "Dominican", "Holy"}
_ARTICLE_LAST = {"States", "Union", "Kingdom", "Republic", "Federation", "Emirates",
                 "Netherlands", "Philippines", "Islands", "Group", "Bank", "Fund",
                 "Organisation", "Organization", "World"}


def _with_article(name):
    """"the United States", "the European Union", "Russia" (a readability heuristic)."""
    words = name.split()
    if words and (words[0] in _ARTICLE_FIRST or words[-1] in _ARTICLE_LAST):
        return f"the {name}"
    return name


def _possessive(name):
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def whatif_short_name(ds, name):
    """A what-if's name for a sentence: "whatif_us_doubles_security_aid" -> "US doubles
    security aid" (the prefix "whatif_" dropped, underscores as spaces; actor and bloc codes
    and US, UK, UN, EU in capitals; words of the actors' and poles' names capitalised as
    there)."""
    text = re.sub(r"^(what[_-]?if)[_\-\s]+", "", str(name), flags=re.I) or str(name)
    words = re.split(r"[_\-\s]+", text)
    caps = {c.lower(): c for c in map(str, ds["actor"].values)}
    caps.update({w.lower(): w for w in ("US", "UK", "UN", "EU", "USA", "NATO")})
    proper = {}
    for n in actor_names(ds).values():
        for w in re.findall(r"[A-Za-z]+", n):
            if w[0].isupper():
                proper.setdefault(w.lower(), w)
    if "pole_name" in ds.variables:
        for n in map(str, ds["pole_name"].values):
            for w in re.findall(r"[A-Za-z]+", n):
                if w[0].isupper():
                    proper.setdefault(w.lower(), w)
    out = []
    for w in words:
        if not w:
            continue
        low = w.lower()
        out.append(caps.get(low) or proper.get(low) or w)
    if out and out[0] == out[0].lower():
        out[0] = out[0][:1].upper() + out[0][1:]
    return " ".join(out) or str(name)


def _cell_attrs(row, w, turn):
    attrs = {"data-whatif": w, "data-var": row["variable"], "data-actor": row["actor"],
             "data-target": row["target"], "data-turn": str(turn)}
    return " ".join(f'{k}="{_e(v)}"' for k, v in attrs.items())


def _effect_decimals(row, scale):
    """Decimals shared by an effect's mean and interval: 1 for magnitudes of at least 1, else
    2, more (up to 4) while the interval's two ends would print the same."""
    decimals = _decimals(scale * float(row["diff"]))
    lo, hi = scale * float(row["ci_lower"]), scale * float(row["ci_upper"])
    while (decimals < 4 and np.isfinite(lo) and np.isfinite(hi) and lo != hi
           and _num(lo, decimals, True) == _num(hi, decimals, True)):
        decimals += 1
    return decimals


def _interval_text(row, scale, decimals, unit, level):
    lo, hi = scale * row["ci_lower"], scale * row["ci_upper"]
    if not (np.isfinite(lo) and np.isfinite(hi)):
        return "no interval: one run per scenario"
    text = (f"{level:.0%} interval {_span('ci_lower', _num(lo, decimals, True))} to "
            f"{_span('ci_upper', _num(hi, decimals, True))}{unit}")
    if lo <= 0 <= hi:
        text += ', <span class="zero">which includes 0</span>'
    return text


def _unit(row):
    if row["variable"] in SHARE_VARIABLES:
        return " pp"
    return f" {row['units']}" if row["units"] not in ("", "1") else ""


def effect_sentence(ds, row, w, wname, turn, level):
    """One effect of practical size as an HTML sentence (an <li>) with its numbers in
    data-stat spans: '"US doubles security aid" raises the United States' share of influence
    over Tajikistan by 1.1 pp by Dec 2024 (95% interval +1.0 to +1.3 pp; 15.4% -> 16.5%).'
    The amount after "raises"/"lowers" is the magnitude (data-direction says which); the
    interval is of the signed difference."""
    names = actor_names(ds)
    date = month(ds["date"].values[turn])
    d = float(row["diff"])
    verb = "raises" if d > 0 else "lowers" if d < 0 else "leaves unchanged"
    share = row["variable"] in SHARE_VARIABLES
    scale = 100.0 if share else 1.0
    decimals = _effect_decimals(row, scale)
    if row["variable"] == "influence_share":
        what = (f"{_possessive(_with_article(short_name(names[row['actor']])))} share of "
                f"influence over {short_name(names[row['target']])}")
    elif row["variable"] == "reexports":
        what = (f"{_possessive(short_name(names[row['actor']]))} re-exports to sanctioned "
                "states")
    else:
        what = f"the {effect_words(ds, row['variable'], row['cell'])}"
    unit = _unit(row)
    interval = _interval_text(row, scale, decimals, unit, level)
    if share:
        level_text = (f"{_span('base', _num(100.0 * row['base'], 1))}% \u2192 "
                      f"{_span('whatif', _num(100.0 * row['whatif'], 1))}%")
    else:
        rel = float(row["relative"])
        level_text = (f"{_span('relative', _num(rel, 0 if abs(rel) >= 10 else 1, True))}% "
                      f"of the baseline's "
                      f"{_span('base', _num(row['base'], _decimals(row['base'])))}{unit}")
    amount = _span("diff", _num(abs(scale * d), decimals))
    return (f'<li class="effect" data-practical="1" data-direction="{verb}" '
            f'{_cell_attrs(row, w, turn)}><span class="wname">\u201c{_e(wname)}\u201d</span> '
            f"{verb} {what} by {amount}{unit} by {_e(date)} ({interval}; {level_text}).</li>")


def minor_item(ds, row, w, turn, level):
    """An effect below the threshold, short, as an HTML <li> (data-stat spans, the difference
    signed): "China share of Tajikistan -0.37 pp (95% interval -0.44 to -0.30 pp)"."""
    share = row["variable"] in SHARE_VARIABLES
    scale = 100.0 if share else 1.0
    decimals = _effect_decimals(row, scale)
    unit = _unit(row)
    rel = "" if share else (f", {_span('relative', _num(float(row['relative']), 1, True))}%"
                            if np.isfinite(row["relative"]) else "")
    interval = _interval_text(row, scale, decimals, unit, level)
    return (f'<li class="effect" data-practical="0" {_cell_attrs(row, w, turn)}>'
            f"{_e(row['effect'])} "
            f"{_span('diff', _num(scale * float(row['diff']), decimals, True))}{unit}{rel} "
            f"({interval})</li>")


# The question ------------------------------------------------------------------------------

def question_text(meta, wname, base_description=None):
    """The what-if's question from its description: as written when it starts with "What if"
    (a question mark added if it has none), else "What if <description>?"; 'What if "<short
    name>"?' when it has none of its own (none, or the baseline's, which an overlay without
    one inherits)."""
    d = " ".join(str(meta.get("description") or "").split())
    base = " ".join(str(base_description or "").split())
    if not d or d == base:
        return (f"What if \u201c{wname}\u201d? (Its scenario has no description of its own: "
                "see what it changes.)")
    if re.match(r"what\s+if\b", d, flags=re.I):
        return d if "?" in d else d.rstrip(". ") + "?"
    return f"What if {d[:1].lower() + d[1:]}".rstrip(". ") + "?"


# The figure ---------------------------------------------------------------------------------

FIGURE_RC = {"font.size": 7.5, "axes.labelsize": 7.5, "xtick.labelsize": 7,
             "ytick.labelsize": 7.5, "legend.fontsize": 7.5, "legend.title_fontsize": 7.5}
FIGURE_WIDTH = 7.4  # inches: the width of the page's text, so the fonts keep their size


def brief_figure(ds, effects, threshold_pp, short_names, parts=("practical", "minor"),
                 row_inches=0.155):
    """The forest plot (compare_figures.forest_figure) of the effects the brief lists (those of
    brief_effects' `parts`), sized for the page: no title (the page says it), the panels side
    by side, no values on the right (the sentences give them), what-ifs by their short names,
    the band of shares below the threshold of practical size shaded grey."""
    import matplotlib
    keys = {(w, r["variable"], r["actor"], r["target"])
            for w, e in effects.items() for part in parts
            for _, r in e[part].iterrows()}
    if not keys:
        return None

    def select(table):
        keep = [(w, v, a, t) in keys for w, v, a, t in
                zip(table["scenario"], table["variable"], table["actor"], table["target"])]
        return table[np.asarray(keep, dtype=bool)]
    with matplotlib.rc_context(FIGURE_RC):
        fig = forest_figure(ds, n=len(keys), select=select, side_by_side=True)
        title = getattr(fig, "_suptitle", None)
        if title is not None:
            title.set_visible(False)
            title.set_in_layout(False)
        legend_ax = getattr(fig, "_geosim_legend_ax", None)
        legend = legend_ax.get_legend() if legend_ax is not None else None
        if legend is not None:
            handles = getattr(legend, "legend_handles", None) or legend.legendHandles
            by_name = {m: short_names[w] for w, m in _names(ds).items()}
            texts = [by_name.get(t.get_text(), t.get_text()) for t in legend.get_texts()]
            legend.remove()
            legend_ax.legend(handles, texts, loc="center", ncol=min(3, len(texts)),
                             frameon=False)
        for ax in fig.axes:
            if ax.yaxis.get_ticks_position() == "right":  # the values: in the sentences
                ax.set_yticks([])
                continue
            if PP in ax.get_xlabel() and threshold_pp > 0:
                ax.axvspan(-threshold_pp, threshold_pp, color="0.88", zorder=0, linewidth=0)
            if ax.get_xlabel():
                ax.set_xlabel(ax.get_xlabel().replace("difference what-if - baseline",
                                                      "what-if - baseline"))
        counts = {}
        for _, v, _, _ in keys:
            unit = "pp" if v in SHARE_VARIABLES else v
            counts[unit] = counts.get(unit, 0) + 1
        fig.set_size_inches(FIGURE_WIDTH, 0.62 + row_inches * max(counts.values()) + 0.28)
    return fig


def _names(ds):
    return {m["label"]: m["name"] for m in whatif_metadata(ds)}


# Provenance ---------------------------------------------------------------------------------

def _run_ids(values):
    ids = [int(v) for v in values]
    if ids and ids == list(range(ids[0], ids[0] + len(ids))):
        return f"{ids[0]}-{ids[-1]}" if len(ids) > 1 else str(ids[0])
    return ", ".join(map(str, ids))


def brief_provenance(ds, source=None, command=None, written=None):
    """[(label, value)]: the file, when the brief was written and by which command, geosim's
    version and commit, each scenario's name, file, hash and seed, the replicates and run ids,
    the interval, the comparison's command line and start time and host."""
    a = ds.attrs
    items = []
    if source:
        items.append(("file", os.path.abspath(source)))
    items.append(("brief written", written or ""))
    if command:
        items.append(("brief command", command))
    items.append(("geosim", f"{a.get('geosim_version', '?')}, commit "
                            f"{a.get('git_commit', '?')}"))
    items.append(("format", f"{a.get('format')} version {a.get('format_version')}"))
    metas = [base_metadata(ds)] + whatif_metadata(ds)
    for i, m in enumerate(metas):
        label = "baseline" if i == 0 else ("what-if" if len(metas) == 2 else f"what-if {i}")
        items.append((label, f"{m['name']}; file {m['file'] or '?'}; hash {m['hash']}; "
                             f"seed {m['seed']}"))
    r = ds.sizes["replicate"]
    items.append(("replicates", f"{r} paired runs per scenario, run ids "
                                f"{_run_ids(ds['replicate'].values)} (common random numbers)"))
    level = float(a.get("ci_level", 0.95))
    items.append(("intervals", f"{level:.0%} t interval of the mean paired difference "
                               f"(t = {float(a.get('t_quantile', np.nan)):.4g})"))
    dates = ds["date"].values
    items.append(("turns", f"{ds.sizes['turn']}, {month(dates[0])} to {month(dates[-1])}"))
    for key, label in (("command_line", "comparison command"), ("start_time", "compared"),
                       ("host", "host")):
        if a.get(key) not in (None, ""):
            items.append((label, str(a[key])))
    return [(k, v) for k, v in items if v not in (None, "")]


# The page -------------------------------------------------------------------------------------

CSS = """
@page { size: A4; margin: 8mm 10mm; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #1a1a1a;
       background: #fff; margin: 0; font-size: 8pt; line-height: 1.22; }
main { max-width: 188mm; margin: 0 auto; padding: 4mm 0; }
@media print { main { padding: 0; max-width: none; } }
h1 { font-size: 13pt; margin: 0 0 1mm; color: #0b2f6b; }
h2 { font-size: 9.6pt; margin: 2.2mm 0 0.6mm; color: #0b2f6b; border-bottom: 1px solid #ccd;
     padding-bottom: 0.3mm; }
p { margin: 0.6mm 0; }
p.q { font-style: italic; }
div.line { font-size: 7.7pt; color: #333; margin: 0.5mm 0; }
div.line > .k { font-weight: bold; color: #0b2f6b; }
ul.inline > li { display: inline; }
ul.inline > li + li::before { content: "; "; }
ul.effects, ul.changes, ul.minor { margin: 0.4mm 0; padding-left: 3.6mm; }
ul.effects > li, ul.changes > li, ul.minor > li { margin: 0 0 0.3mm; }
ul.inline { display: inline; margin: 0; padding: 0; }
.num { font-variant-numeric: tabular-nums; white-space: nowrap; }
.wname { font-weight: bold; }
.zero { font-style: italic; }
.swatch { display: inline-block; width: 2.5mm; height: 2.5mm; margin-right: 1.2mm;
          border-radius: 0.5mm; }
.note { font-size: 7.2pt; color: #555; }
h2 .note { font-weight: normal; }
div.bottom { margin-top: 1.5mm; break-inside: avoid; }
figure { margin: 0; }
figure img { width: 100%; display: block; }
figcaption { font-size: 7pt; color: #444; }
div.prov { font-size: 6.2pt; color: #333; overflow-wrap: anywhere; line-height: 1.2;
           column-count: 3; column-gap: 4mm; margin-top: 1mm; }
div.prov h2 { font-size: 7.4pt; margin: 0 0 0.4mm; column-span: all; }
div.prov p { margin: 0 0 0.5mm; break-inside: avoid; }
"""


def is_brief(path):
    """Whether `path` is a brief this package wrote (its generator tag in the first 4 kB)."""
    return has_generator_tag(path, GENERATOR)


def _pdf_title_markers():
    text = PDF_TITLE_PREFIX
    utf16 = "FEFF" + "".join(f"{ord(c):04X}" for c in text)
    return [f"/Title ({text}".encode(), f"/Title <{utf16}".encode(),
            f"/Title <{utf16.lower()}".encode()]


def is_brief_pdf(path):
    """Whether `path` is a PDF of a brief (Chromium writes the page's title, which starts with
    PDF_TITLE_PREFIX, in the PDF's /Title)."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return False
    return data.startswith(b"%PDF") and any(m in data for m in _pdf_title_markers())


def pdf_pages(data):
    """The number of pages of a PDF (its /Type /Page objects)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))


def brief_html(ds, source=None, threshold_pp=THRESHOLD_PP, threshold_percent=THRESHOLD_PERCENT,
               command=None, figure_png=None, dpi=200, turn=-1):
    """The brief as an HTML string (see the module's docstring). figure_png: the figure's PNG
    bytes, or None to draw it at `dpi`."""
    if kind(ds) != "comparison":
        raise BriefError(NOT_A_COMPARISON)
    from .figures import png_bytes
    labels = whatif_labels(ds)
    several = is_study(ds)
    metas = {m["label"]: m for m in whatif_metadata(ds)}
    base = base_metadata(ds)
    colours = whatif_colours(ds)
    short = {w: whatif_short_name(ds, metas[w]["name"]) for w in labels}
    pos = turn if turn >= 0 else ds.sizes["turn"] + turn
    horizon = month(ds["date"].values[pos])
    level = float(ds.attrs.get("ci_level", 0.95))
    r = ds.sizes["replicate"]
    effects = brief_effects(ds, threshold_pp, threshold_percent, turn=turn)
    written = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    base_desc = " ".join(str(base.get("description") or "").split())

    if several:
        title = f"What-if brief: {len(labels)} what-ifs against {base['name']}"
    else:
        title = f"What-if brief: {short[labels[0]]}, against {base['name']}"
    parts = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
             f'<meta name="generator" content="{GENERATOR}">',
             f"<title>{_e(PDF_TITLE_PREFIX + title)}</title>", f"<style>{CSS}</style>",
             "</head>", "<body><main>", f"<h1>{_e(title)}</h1>"]
    runs = f"{r} paired run{'s' if r != 1 else ''}"
    parts.append(
        f'<p class="intro">Compared with the baseline <b>{_e(base["name"])}</b>'
        + (f": {_e(base_desc.rstrip('.'))}." if base_desc else ".")
        + f" {_e(runs[0].upper() + runs[1:])} of each scenario (common random numbers); "
        f"horizon {_e(horizon)}.</p>")
    parts.append(
        f'<p class="note">An effect: the mean difference what-if \u2212 baseline over the '
        f"paired runs in {_e(horizon)}, with the file's {level:.0%} interval (the model's "
        "randomness only); shares in percentage points (pp). "
        "<b>Threshold of practical relevance</b>: "
        f'<span class="threshold" data-threshold-pp="{threshold_pp:g}">{threshold_pp:g} pp'
        "</span> for shares, "
        f'<span class="threshold" data-threshold-percent="{threshold_percent:g}">'
        f"{threshold_percent:g}% of the baseline's mean</span> for re-exports "
        "(--threshold-pp, --threshold-percent): smaller effects are not highlighted, even "
        "if their interval excludes 0.</p>")

    for i, w in enumerate(labels):
        m = metas[w]
        e = effects[w]
        swatch = f'<span class="swatch" style="background:{colours[w]}"></span>'
        head = f"{i + 1}. {short[w]}" if several else short[w]
        parts.append(f'<section class="whatif" data-whatif="{_e(w)}">')
        parts.append(f"<h2>{swatch}{_e(head)} <span class=\"note\">({_e(m['name'])})</span>"
                     "</h2>")
        parts.append(f'<p class="q">{_e(question_text(m, short[w], base_desc))}</p>')
        changes = scenario_changes(base.get("yaml"), m.get("yaml"))
        lines = change_lines(changes, per_whatif(CHANGES_SHOWN, len(labels)))
        if lines:
            items = []
            for text, attrs in lines:
                at = " ".join(f'{k}="{_e(v)}"' for k, v in attrs.items())
                items.append(f"<li {at}>{_e(text)}</li>")
            changed = (f'<ul class="{"inline " if several else ""}changes">' + "".join(items)
                       + "</ul>" + ("." if several else ""))
        else:
            changed = '<span class="none">nothing but its name and description.</span>'
        parts.append(f'<div class="line"><span class="k">What it changes:</span> {changed}'
                     "</div>")
        p, mi = e["practical"], e["minor"]
        if not several:
            parts.append(f'<div class="line"><span class="k">Its largest effects by '
                         f"{_e(horizon)}:</span></div>")
        if len(p):
            parts.append('<ul class="effects">' + "".join(
                effect_sentence(ds, row, w, short[w], pos, level) for _, row in p.iterrows())
                + "</ul>")
        else:
            parts.append('<p class="none"><b>No effect of practical size</b> on any '
                         "patron's share of influence or client's re-exports.</p>")
        more = e["n_practical"] - len(p)
        more_text = (f"{more} smaller effect{'s' if more != 1 else ''} of practical size "
                     "not listed. " if more > 0 else "")
        if e["n"] and e["n_zero"] == e["n"]:
            more_text += (f"All {e['n']} effects on the patrons' shares and the clients' "
                          "re-exports are exactly 0. ")
        if len(mi) or more_text:
            minor_html = ('<span class="k">No effect of practical size</span> (largest '
                          "first): " + f'<ul class="{"inline " if several else ""}minor">'
                          + "".join(
                              minor_item(ds, row, w, pos, level) for _, row in mi.iterrows())
                          + "</ul>" + ("." if several else "") if len(mi) else "")
            parts.append(f'<div class="line">{_e(more_text)}{minor_html}</div>')
        parts.append("</section>")

    fig = None
    if figure_png is None:
        # a study's figure: the effects of practical size only, to keep to one page
        fig = brief_figure(ds, effects, threshold_pp, short,
                           ("practical",) if several else ("practical", "minor"),
                           0.155 if several else 0.24)
        figure_png = png_bytes(fig, dpi) if fig is not None else None
    parts.append('<div class="bottom">')
    if figure_png:
        data = base64.b64encode(figure_png).decode("ascii")
        parts.append(
            '<figure id="brief_forest"><img alt="the effects listed above" '
            f'src="data:image/png;base64,{data}"><figcaption>The effects '
            + ("of practical size " if several else "") + 'listed above in '
            f"{_e(horizon)}: mean difference what-if \u2212 baseline (dot) and its "
            f"{level:.0%} interval (bar), filled where the interval excludes 0; "
            f"grey: shares below the {threshold_pp:g} pp threshold. Shares in pp, re-exports "
            f"in {_e(ds['reexports'].attrs.get('units', 'their unit'))}."
            + (" Colours: the what-ifs, as in the headings." if several else "")
            + "</figcaption></figure>")
    parts.append('<div class="prov"><h2>Provenance</h2>' + "".join(
        f"<p><b>{_e(k)}</b>: {_e(v)}</p>"
        for k, v in brief_provenance(ds, source, command, written)) + "</div>")
    parts.append("</div>")
    parts.append("</main></body></html>")
    return "\n".join(parts)


# Writing -------------------------------------------------------------------------------------

def find_chromium():
    """The path of a Chromium (or Chrome) program, or None."""
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


def _print_to_pdf(chromium, html_text, d, timeout):
    """PDF bytes of one page printed by headless Chromium in the temp folder d."""
    page = os.path.join(d, "brief.html")
    pdf = os.path.join(d, "brief.pdf")
    with open(page, "w", encoding="utf-8") as f:
        f.write(html_text)
    if os.path.exists(pdf):
        os.remove(pdf)
    command = [chromium, "--headless", "--no-sandbox", "--disable-gpu",
               "--no-pdf-header-footer", "--no-first-run", "--disable-extensions",
               f"--user-data-dir={os.path.join(d, 'profile')}",
               f"--print-to-pdf={pdf}", "file://" + page]
    try:
        done = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, timeout=timeout,
                              env={**os.environ, "HOME": d})
    except subprocess.TimeoutExpired:
        raise BriefError(f"--pdf: {chromium} did not finish within {timeout} s") from None
    except OSError as e:
        raise BriefError(f"--pdf: cannot run {chromium}: {e.strerror or e}") from None
    try:
        with open(pdf, "rb") as f:
            data = f.read()
    except OSError:
        data = b""
    if not data.startswith(b"%PDF"):
        last = [ln for ln in done.stderr.decode(errors="replace").splitlines()
                if ln.strip()][-1:]
        raise BriefError(f"--pdf: {chromium} wrote no PDF (exit status "
                         f"{done.returncode}{': ' + last[0] if last else ''})")
    return data


# Print scales tried in turn until the brief fits on one A4 page (a study of many what-ifs).
PDF_ZOOMS = (1.0, 0.93, 0.86, 0.8, 0.74, 0.68, 0.62, 0.56)


def render_pdf(html_text, chromium=None, timeout=CHROMIUM_TIMEOUT, zooms=PDF_ZOOMS):
    """(PDF bytes, pages, zoom) of an HTML page printed by headless Chromium (A4, no header or
    footer): at the first print scale of `zooms` that gives one page (else the last). Raises
    BriefError when there is no Chromium or it fails."""
    chromium = chromium or find_chromium()
    if not chromium:
        raise BriefError("--pdf: no chromium program found (install Debian's chromium "
                         "package, or leave out --pdf for the HTML alone)")
    with tempfile.TemporaryDirectory(prefix="geosim-brief-") as d:
        for zoom in zooms:
            text = html_text if zoom == 1.0 else html_text.replace(
                "</head>", f"<style>@media print {{ html {{ zoom: {zoom}; }} }}</style></head>",
                1)
            data = _print_to_pdf(chromium, text, d, timeout)
            pages = pdf_pages(data)
            if pages <= 1:
                break
        return data, pages, zoom


def pdf_path(html_path):
    """The PDF next to the brief: NAME.pdf for NAME.html."""
    stem, ext = os.path.splitext(html_path)
    return (stem if ext.lower() in (".html", ".htm") else html_path) + ".pdf"


def write_brief(ds, path, source=None, pdf=False, threshold_pp=THRESHOLD_PP,
                threshold_percent=THRESHOLD_PERCENT, command=None, dpi=200):
    """Write the brief of a comparison to `path` (HTML) and, with pdf=True, its PDF next to it
    (pdf_path(path)), both or neither (temp files renamed together). Returns {"html": path,
    "pdf": path or None, "pages": its pages, "zoom": its print scale (1 unless a smaller one
    was needed to fit one page)}. Raises BriefError (not a comparison; no
    Chromium; no PDF) or OSError (a failing write)."""
    text = brief_html(ds, source, threshold_pp, threshold_percent, command, dpi=dpi)
    outputs = {path: text.encode("utf-8")}
    result = {"html": path, "pdf": None, "pages": None, "zoom": None}
    if pdf:
        data, pages, zoom = render_pdf(text)
        result.update(pdf=pdf_path(path), pages=pages, zoom=zoom)
        outputs[result["pdf"]] = data
    write_all_atomically(outputs)
    return result


__all__ = ["brief_html", "write_brief", "brief_effects", "scenario_changes", "change_lines",
           "brief_provenance", "brief_figure", "effect_sentence", "question_text",
           "whatif_short_name", "is_brief", "is_brief_pdf", "pdf_pages", "pdf_path",
           "render_pdf", "find_chromium", "BriefError", "THRESHOLD_PP", "THRESHOLD_PERCENT",
           "GENERATOR", "NOT_A_COMPARISON"]
