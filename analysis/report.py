"""A one-page, self-contained HTML report of any geosim file: provenance, a table of the
headline numbers and every figure, embedded as base64 PNG (no external resource: no
scripts, fonts, stylesheets or images from elsewhere)."""

import base64
import datetime
import html
import os

import numpy as np
import pandas as pd
from matplotlib import colors as mcolors

from .colours import REST_OF_WORLD, dataset_actor_colours
from .io import (NON_ACTOR_TARGETS, actor_names, codes_with_role, events, is_checkpoint, kind,
                 short_name, write_atomically, has_generator_tag, uint64)
from .plotting import month

CSS = """
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; margin: 0;
       color: #1a1a1a; background: #ffffff; }
main { max-width: 1180px; margin: 0 auto; padding: 18px 28px 40px; }
header { border-bottom: 3px solid #0b2f6b; margin-bottom: 14px; }
h1 { font-size: 26px; margin: 8px 0 4px; color: #0b2f6b; }
h2 { font-size: 19px; margin: 26px 0 8px; color: #0b2f6b; border-bottom: 1px solid #ccd; }
p.sub { color: #555; margin: 0 0 10px; }
table { border-collapse: collapse; font-size: 13px; margin: 6px 0 10px; }
th, td { border: 1px solid #d0d4dc; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #eef1f6; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.sig td.num.diff { font-weight: bold; }
table.prov td:first-child { font-weight: bold; white-space: nowrap; background: #f6f7fa; }
table.prov td { max-width: 900px; overflow-wrap: anywhere; }
figure { margin: 16px 0 26px; }
figure img { max-width: 100%; border: 1px solid #e3e6ec; }
figcaption { font-size: 13px; color: #444; margin-top: 4px; }
.note { font-size: 12px; color: #555; }
p.warn { background: #fdecea; border-left: 5px solid #b71c1c; padding: 8px 12px;
         font-size: 15px; color: #7f0000; }
"""


def _e(x):
    return html.escape(str(x))




def _table(header, rows, cls=""):
    out = [f'<table class="{cls}">' if cls else "<table>"]
    if header:
        out.append("<tr>" + "".join(f"<th>{_e(h)}</th>" for h in header) + "</tr>")
    for row in rows:
        out.append(row if row.startswith("<tr") else "<tr>" + row + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def provenance(ds, source=None):
    """[(label, value)] of where the file came from: scenario name, hash, seed, version..."""
    a = ds.attrs
    k = kind(ds)
    items = []
    if source:
        items.append(("file", os.path.abspath(source)))
    items.append(("format", f"{a.get('format')} version {a.get('format_version')}"))
    if k in ("run", "replicates"):
        items += [("scenario", a.get("scenario_name")),
                  ("description", a.get("scenario_description")),
                  ("scenario hash", a.get("scenario_hash")),
                  ("scenario file", a.get("scenario_file")),
                  ("seed", uint64(a.get("seed")))]
        if k == "run":
            items.append(("run id", uint64(a.get("run_id"))))
        else:
            items.append(("replicates", a.get("replicates")))
        if is_checkpoint(ds):
            items.append(("checkpoint", f"state after turn {a.get('checkpoint_turn')} "
                                        f"({a.get('checkpoint_date')})"))
        if "forked_from" in a:
            items.append(("forked from", f"{a.get('forked_from')} (hash "
                                         f"{a.get('forked_from_hash')}) at turn "
                                         f"{a.get('forked_at_turn')}"))
    elif k == "comparison":
        for label, m in _scenario_roles(ds):
            items += [(f"{label} scenario", m["name"]),
                      (f"{label} description", m["description"]),
                      (f"{label} hash", m["hash"]),
                      (f"{label} file", m["file"]),
                      (f"{label} seed", m["seed"])]
        items += [("replicates", a.get("replicates")),
                  ("interval", f"{float(a.get('ci_level', 0.95)):.0%} t interval of the mean "
                               "paired difference")]
    elif k == "calibration":
        from .calibration_figures import calibration_name
        items += [("calibration", calibration_name(ds)), ("method", a.get("method")),
                  ("converged", ("yes" if int(a.get("converged", 0)) else "no")
                   + (f": {a['stop_reason']}" if a.get("stop_reason") else "")),
                  ("scenario", a.get("scenario_name")),
                  ("scenario hash", a.get("scenario_hash")),
                  ("seed", uint64(a.get("seed"))),
                  ("generations", f"{ds.sizes['generation']} of {ds.sizes['particle']} "
                                  "particles"),
                  ("runs", f"{a.get('runs', '?')} ({a.get('runs_failed', '?')} failed)")]
    else:
        items += [("sweep", a.get("name")), ("description", a.get("description")),
                  ("plan hash", a.get("plan_hash")),
                  ("model", a.get("model")),
                  ("scenario", a.get("scenario_name")),
                  ("scenario hash", a.get("scenario_hash")),
                  ("design", f"{a.get('design')}, n = {a.get('design_n')}"
                             + (f", {a.get('morris_levels')} levels"
                                if a.get("design") == "morris" else "")),
                  ("replicates per point", a.get("replicates")),
                  ("seed", uint64(a.get("seed"))),
                  ("runs", f"{a.get('runs_ok', '?')} ok, {a.get('runs_failed', '?')} failed, "
                           f"{a.get('runs_missing', '?')} missing")]
        for note in ("sobol_note", "morris_note"):
            if note in a:
                items.append((note.replace("_", " "), a[note]))
    if k in ("run", "replicates", "comparison"):
        dates = ds["date"].values
        items.append(("turns", f"{ds.sizes['turn']} turns, {month(dates[0])} to "
                               f"{month(dates[-1])}, {a.get('months_per_turn', 1)} month(s) "
                               "per turn"))
    items += [("geosim version", a.get("geosim_version")), ("git commit", a.get("git_commit")),
              ("HDF5 version", a.get("hdf5_version"))]
    for key, label in (("start_time", "started"), ("wall_seconds", "wall time [s]"),
                       ("host", "host"), ("command_line", "command line")):
        if key in a:
            v = a[key]
            items.append((label, f"{float(v):.3g}" if key == "wall_seconds" else v))
    return [(label, v) for label, v in items if v not in (None, "")]


def _share_cell(value, colour, fmt="{:.3f}"):
    if not np.isfinite(value):
        return '<td class="num">n/a</td>'
    r, g, b = (int(255 * c) for c in mcolors.to_rgb(colour))
    alpha = 0.12 + 0.5 * float(np.clip(value, 0, 1))
    return (f'<td class="num" style="background: rgba({r},{g},{b},{alpha:.2f})">'
            f"{fmt.format(value)}</td>")


def headline(ds):
    """(title, HTML table, note) of the headline numbers of the dataset."""
    k = kind(ds)
    if k == "run":
        return _run_headline(ds)
    if k == "replicates":
        from .replicate_figures import final_shares_table
        t = final_shares_table(ds)
        rows = ["<td>" + _e(c) + "</td>" + "".join(f'<td class="num">{_e(v)}</td>'
                                                  for v in t.loc[c]) for c in t.index]
        date = ds["date"].values[-1]
        return (f"Influence shares at {month(date)}: mean [5%, 95%] over "
                f"{ds.sizes['replicate']} replicates",
                _table(["client"] + list(t.columns), rows),
                "Each patron's share of all patrons' influence over the client.")
    if k == "comparison":
        return _comparison_headline(ds)
    if k == "calibration":
        return _targets_section(ds)
    return _sweep_headline(ds)


def _run_headline(ds):
    from .run_figures import final_shares_table
    t = final_shares_table(ds)
    codes = {v: c for c, v in actor_names(ds).items()}
    colours = dataset_actor_colours(ds)
    patrons = [actor_names(ds)[p] for p in codes_with_role(ds, "patron")]
    rows = []
    for client in t.index:
        cells = [f"<td>{_e(client)}</td>"]
        cells += [_share_cell(t.loc[client, p], colours[codes[p]]) for p in patrons]
        cells.append(f'<td class="num">{t.loc[client, "hedging index"]:.3f}</td>')
        cells.append(f"<td>{_e(t.loc[client, 'largest share'])}</td>")
        rows.append("".join(cells))
    date = ds["date"].values[-1]
    return (f"Influence shares over each client at {month(date)} (last turn)",
            _table(["client"] + [short_name(p) for p in patrons]
                   + ["hedging index", "largest share"], rows),
            "Each patron's share of all patrons' influence over the client (cells shaded in "
            "the patron's colour); hedging index = 1 - the largest share.")


def _num(v):
    """A number for a table: 4 significant digits, thousands separated."""
    return f"{v:,.4g}" if abs(v) < 1e5 else f"{v:,.0f}"


# Events, in words. Each action: (what it is, how to read its amount: a function of the amount
# giving the text, or None for no amount). Units as in docs/output-format.md (event_amount).
_VISIT_LEVELS = {1: "envoy", 2: "minister", 3: "head of state"}
_BLOC_CHANGES = {1.0: "joins", -1.0: "leaves", -0.5: "freezes its membership of",
                 0.5: "unfreezes its membership of"}
_POLICY_CHANGES = {1.0: "switched on", 0.0: "switched off", -1.0: "parameters changed"}
EVENT_WORDS = {
    "economic_aid": ("economic aid", lambda a: f"USD {_num(a)} m"),
    "security_aid": ("security aid", lambda a: f"USD {_num(a)} m"),
    "loan": ("loan", lambda a: f"USD {_num(a)} m"),
    "exercise": ("exercise", lambda a: f"{_num(a)} personnel"),
    "visit": ("visit", lambda a: f"level {_num(a)}"
              + (f" ({_VISIT_LEVELS[int(a)]})" if a in _VISIT_LEVELS else "")),
    "sanction": ("sanction", lambda a: f"intensity {_num(a)}" + (" (lifted)" if a == 0 else "")),
    "secondary_sanction": ("secondary-sanction threat", lambda a: f"penalty {_num(a)}"),
    "withdraw": ("withdrawal", None),
    "bloc": ("bloc membership", lambda a: _BLOC_CHANGES.get(a, f"change {_num(a)}")),
    "conflict": ("conflict", lambda a: f"intensity {_num(a)}"),
    "deploy": ("deployment", lambda a: f"{_num(a)} personnel"),
    "policy": ("policy change", lambda a: _POLICY_CHANGES.get(a, f"change {_num(a)}")),
    "budget": ("budget change", lambda a: f"yearly budgets now USD {_num(a)} m/yr in total"),
    "flow": ("flow change", lambda a: f"{_num(a)} (the new level in the channel's unit, "
                                      "or the factor)"),
    "anchor": ("anchor shift", lambda a: f"the anchor moves by {_num(a)} (L1 distance)"),
    "detection": ("re-exports detected", lambda a: f"penalty {_num(a)}"),
    "decline": ("aid declined", lambda a: f"USD {_num(a)} m"),
    "border_conflict": ("border conflict", lambda a: f"trade cut {_num(a)}"),
    "commodity_price": ("commodity-price shock", lambda a: f"gdp change {a:+.3g}"),
    "regime_instability": ("regime instability", lambda a: f"alignment share moved {_num(a)}"),
}


def describe_event(action, amount, targets, names=None):
    """(what, with whom, how much) of one event, in words: e.g. ("policy change",
    "policy pa_budget", "parameters changed") or ("deployment", "Mali", "1,000 personnel").
    A policy event's target is a policy id and a bloc event's a bloc code, not actors; an
    action this package does not know is shown by its name and its amount as a number."""
    names = names or {}
    action = str(action)
    targets = [str(t) for t in targets]
    what, amount_text = EVENT_WORDS.get(action, (action.replace("_", " "), _num))
    try:
        amount = float(amount)
        how = amount_text(amount) if amount_text and np.isfinite(amount) else ""
    except (TypeError, ValueError):
        how = str(amount)
    kind_ = NON_ACTOR_TARGETS.get(action)
    if kind_:
        whom = ", ".join(f"{kind_} {t}" for t in targets)
    else:
        whom = ", ".join(short_name(names[t]) if t in names else t for t in targets)
    return what, whom, how


def event_table(ds, causes=("scripted", "shock")):
    """pandas.DataFrame of the events with the given causes, in words (describe_event):
    date, actor (its name), event, targets, amount, cause; a comparison file adds the
    scenario. Replicate and comparison files: the events of the first replicate (of each
    scenario)."""
    ev = events(ds)
    if "replicate" in ev and len(ev):
        ev = ev[ev["replicate"] == ev["replicate"].min()]
    ev = ev[ev["cause"].isin(causes)]
    names = actor_names(ds)
    rows = []
    for _, e in ev.iterrows():
        what, whom, how = describe_event(e["action"], e["amount"], e["targets"], names)
        row = {"date": pd.Timestamp(e["date"]).strftime("%Y-%m-%d"),
               "actor": short_name(names.get(e["actor"], e["actor"])) if e["actor"] else "",
               "event": what, "targets": whom, "amount": how, "cause": e["cause"]}
        if "scenario" in e:
            label = {"base": "baseline", "whatif": "what-if"}.get(e["scenario"], e["scenario"])
            row = {"scenario": label, **row}
        rows.append(row)
    columns = (["scenario"] if "scenario" in ev else []) + ["date", "actor", "event",
                                                            "targets", "amount", "cause"]
    return pd.DataFrame(rows, columns=columns)


MAX_EVENT_ROWS = 300


def _events_section(ds):
    """(title, HTML table, note) listing the scripted events and shocks, or None for a
    sweep."""
    if kind(ds) == "sweep" or "event_action" not in ds.variables:
        return None
    t = event_table(ds)
    ev = events(ds)
    if "replicate" in ev and len(ev):
        ev = ev[ev["replicate"] == ev["replicate"].min()]
    rest = ev[~ev["cause"].isin(["scripted", "shock"])]
    note = []
    if "scenario" in t and len(t):
        # a comparison: the baseline's events, and of each what-if those the baseline lacks
        key = ["date", "actor", "event", "targets", "amount", "cause"]
        base = set(map(tuple, t.loc[t["scenario"] == "baseline", key].itertuples(index=False)))
        same = [s != "baseline" and tuple(k) in base
                for s, k in zip(t["scenario"], t[key].itertuples(index=False))]
        t = t[~np.asarray(same, dtype=bool)]
        note.append("The baseline's events, then each what-if's events that the baseline "
                    "does not have.")
    shown = t.head(MAX_EVENT_ROWS)
    rows = ["".join(f"<td>{_e(v)}</td>" for v in r) for r in shown.itertuples(index=False)]
    if len(t) > len(shown):
        note.append(f"The first {len(shown)} of {len(t)} are listed.")
    if len(rest):
        by = {"policy": "by policies", "reaction": "reactions of the engine"}
        parts = []
        for cause, group in rest.groupby("cause", sort=True):
            counts = group.groupby("action").size()
            parts.append(f"{by.get(cause, cause)}: " + ", ".join(
                f"{n} {EVENT_WORDS.get(a, (a.replace('_', ' '),))[0]}"
                for a, n in counts.items()))
        note.append("Not listed: " + "; ".join(parts) + ".")
    if kind(ds) in ("replicates", "comparison"):
        note.append("Events of the first replicate (shocks differ between replicates).")
    if not len(t):
        note.insert(0, "No scripted event or shock.")
    return ("Scripted events and shocks",
            _table(list(t.columns), rows) if len(t) else "",
            " ".join(note) + " A policy event's target is the policy's id, a bloc event's the "
            "bloc's code.")


def _trade_section(ds):
    """(title, HTML table, note) of the clients' trade partners at the last turn (the rest of
    the world's share included), or None when it does not apply."""
    if kind(ds) not in ("run", "replicates"):
        return None
    from .run_figures import REST_OF_WORLD_LABEL, trade_shares_table
    view = ds
    if kind(ds) == "replicates":
        from .replicate_figures import mean_view
        view = mean_view(ds)
    t = trade_shares_table(view)
    if t.empty:
        return None
    codes = {v: c for c, v in actor_names(ds).items()}
    colours = dataset_actor_colours(ds)
    total = t.columns[-1]
    rows = []
    for client in t.index:
        cells = [f"<td>{_e(client)}</td>"]
        for col in t.columns[:-1]:
            colour = (colours[codes[col]] if col in codes else
                      REST_OF_WORLD if col == REST_OF_WORLD_LABEL else "#bbbbbb")
            cells.append(_share_cell(t.loc[client, col], colour))
        cells.append(f'<td class="num">{_num(t.loc[client, total])}</td>')
        rows.append("".join(cells))
    date = ds["date"].values[-1]
    header = ["client"] + [short_name(c) for c in t.columns]
    what = " (means over the replicates)" if kind(ds) == "replicates" else ""
    return (f"Clients' trade partners at {month(date)} (last turn){what}",
            _table(header, rows),
            "Each partner's share of the client's trade turnover (its trade flows to and from "
            "the partner)"
            + (", the rest of the world's included: every partner the scenario does not list"
               if REST_OF_WORLD_LABEL in t.columns else "") + ".")


def _fmt(v, signed=False):
    if not np.isfinite(v):
        return "n/a"
    s = f"{v:+.3g}" if signed else f"{v:.4g}"
    return s


def _scenario_roles(ds):
    """[(label, metadata)] of a comparison's scenarios: "baseline", then "what-if" (one) or
    "what-if 1", "what-if 2", ... (a study)."""
    from .study import scenario_metadata
    meta = scenario_metadata(ds)
    several = len(meta) > 2
    return [("baseline" if m["role"] == "base" else
             f"what-if {i}" if several else "what-if", m) for i, m in enumerate(meta)]


# The largest effects shown in a comparison's report (all of them in the per-client tables).
REPORT_EFFECTS = 20


def _comparison_headline(ds):
    """The largest effects at the horizon across what-ifs, quantities and clients."""
    from .compare_figures import display_units, effects_table, scenario_names
    from .study import whatif_labels
    t = effects_table(ds)
    names = scenario_names(ds)
    several = len(whatif_labels(ds)) > 1
    top = t.head(REPORT_EFFECTS)
    rows = []
    for _, r in top.iterrows():
        scale, unit = display_units(r["variable"], r["units"])
        cls = ' class="sig"' if r["significant"] else ""
        cells = f"<td>{_e(r['scenario_name'])}</td>" if several else ""
        mean = _pct if scale == 100.0 else _fmt  # shares as percent, their change in pp
        cells += (f"<td>{_e(r['effect'])}</td><td class=\"num\">{mean(r['base'])}</td>"
                  f"<td class=\"num\">{mean(r['whatif'])}</td>"
                  f"<td class=\"num diff\">{_fmt(scale * r['diff'], True)}</td>"
                  f"<td class=\"num diff\">[{_fmt(scale * r['ci_lower'], True)}, "
                  f"{_fmt(scale * r['ci_upper'], True)}]</td>"
                  f"<td>{_e('pp' if scale == 100.0 else unit)}</td>")
        rows.append(f"<tr{cls}>{cells}</tr>")
    date = ds["date"].values[-1]
    level = float(ds.attrs.get("ci_level", 0.95))
    whom = (f"{len(whatif_labels(ds))} what-ifs against {names['base']}" if several
            else f"{names[whatif_labels(ds)[0]]} - {names['base']}")
    return (f"Largest effects at {month(date)}: {whom}",
            _table((["what-if"] if several else []) +
                   ["effect", "baseline (mean)", "what-if (mean)", "difference (mean)",
                    f"{level:.0%} interval", "difference in"], rows),
            f"The {len(top)} largest of {len(t)} effects (each patron's influence share over "
            "each client, each client's hedging index and re-exports), ranked by size: shares "
            "(means in percent) by their difference in percentage points (pp), other "
            "quantities by their change in percent of the larger of the two means. Means over "
            f"{ds.sizes['replicate']} paired replicates; bold: the interval excludes 0. Every "
            "effect is in the tables per client below.")


def _per_client_order(ds, t):
    """effects_table's rows (sorted by size) back in the order of `geosim compare`'s table:
    by client (actor order), then each patron's share (patron order), the hedging index and
    re-exports."""
    from .compare_figures import DEFAULT_EFFECT_VARIABLES
    actors = {str(c): i for i, c in enumerate(ds["actor"].values)}
    variables = {v: i for i, v in enumerate(DEFAULT_EFFECT_VARIABLES)}
    client_code = [r["target"] if r["target"] else r["actor"] for _, r in t.iterrows()]
    key = pd.DataFrame({"c": [actors.get(c, -1) for c in client_code],
                        "v": [variables.get(v, len(variables)) for v in t["variable"]],
                        "a": [actors.get(a, -1) for a in t["actor"]]}, index=t.index)
    return t.loc[key.sort_values(["c", "v", "a"], kind="mergesort").index]


FOREST_STEM = "compare_forest"


def _scenarios_section(ds):
    """(title, HTML table, note): a comparison's baseline and what-ifs by name and
    description, in the order of the file."""
    rows = [f"<td>{_e(label)}</td><td>{_e(m['name'])}</td><td>{_e(m['description'] or '')}"
            "</td>" for label, m in _scenario_roles(ds)]
    n = len(rows) - 1
    return (f"Scenarios: the baseline and {'its what-if' if n == 1 else f'{n} what-ifs'}",
            _table(["", "scenario", "description"], rows),
            "Every what-if is compared with the same baseline runs: replicate i of each "
            "scenario uses run id i and the same seed (common random numbers).")


def _comparison_sections(ds):
    """Per what-if, the table `geosim compare` prints: per client, each patron's share, the
    hedging index and re-exports (in a study, each folded in a <details> element)."""
    from .compare_figures import effects_table, scenario_names
    from .study import whatif_labels
    names = scenario_names(ds)
    labels = whatif_labels(ds)
    date = ds["date"].values[-1]
    level = float(ds.attrs.get("ci_level", 0.95))
    table = effects_table(ds)
    out = []
    for w in labels:
        t = table[table["scenario"] == w]
        t = _per_client_order(ds, t)
        rows = []
        for client, group in t.groupby("client", sort=False):
            first = True
            for _, r in group.iterrows():
                cls = ' class="sig"' if r["significant"] else ""
                cells = (f'<td rowspan="{len(group)}">{_e(client)}</td>' if first else "")
                first = False
                cells += (f"<td>{_e(r['quantity'])}</td>"
                          f"<td class=\"num\">{_fmt(r['base'])}</td>"
                          f"<td class=\"num\">{_fmt(r['whatif'])}</td>"
                          f"<td class=\"num diff\">{_fmt(r['diff'], True)}</td>"
                          f"<td class=\"num diff\">[{_fmt(r['ci_lower'], True)}, "
                          f"{_fmt(r['ci_upper'], True)}]</td>")
                rows.append(f"<tr{cls}>{cells}</tr>")
        html_table = _table(["client", "quantity", "baseline (mean)", "what-if (mean)",
                             "difference (mean)", f"{level:.0%} interval"], rows)
        if len(labels) > 1:
            html_table = (f"<details><summary>the {len(t)} effects of {_e(names[w])}"
                          f"</summary>\n{html_table}\n</details>")
        out.append((f"Effects of the what-if at {month(date)}: {names[w]} - {names['base']}",
                    html_table,
                    f"Means over {ds.sizes['replicate']} paired replicates; bold: the "
                    "interval excludes 0."))
    return out


def _sweep_headline(ds):
    from .sweep_figures import has_morris, has_sobol, metric_summary_table, top_indices_table
    top = top_indices_table(ds)
    rows = []
    for metric, group in top.groupby("metric", sort=False):
        first = True
        for _, r in group.iterrows():
            cells = (f'<td rowspan="{len(group)}">{_e(metric)}</td>' if first else "")
            first = False
            cells += (f'<td class="num">{r["rank"]}</td><td>{_e(r["parameter"])}</td>'
                      f"<td>{_e(r['index'])}</td>")
            rows.append(f"<tr>{cells}</tr>")
    by = ("total Sobol' index ST" if has_sobol(ds) else "Morris mu*" if has_morris(ds)
          else "tornado swing (no indices: run `geosim sweep analyze`)")
    summary = metric_summary_table(ds)
    srows = [f"<td>{_e(r['metric'])}</td><td>{_e(r['units'])}</td>"
             f'<td class="num">{_fmt(r["mean"])}</td><td class="num">{_fmt(r["5%"])}</td>'
             f'<td class="num">{_fmt(r["95%"])}</td><td class="num">{r["runs"]}</td>'
             for _, r in summary.iterrows()]
    status = np.asarray(ds["status"].values)
    note = (f"{int((status == 0).sum())} runs ok, {int((status == 1).sum())} failed, "
            f"{int((status == 2).sum())} missing (failed and missing runs are left out).")
    if has_sobol(ds):
        note += " Intervals: the sweep analysis' bootstrap intervals."
    return (f"Most influential parameters per metric, by {by}",
            _table(["metric", "rank", "parameter", "indices [interval]" if has_sobol(ds) or
                    has_morris(ds) else "swing of the mean"], rows)
            + "\n<h3>Metrics over the runs</h3>\n"
            + _table(["metric", "units", "mean", "5%", "95%", "ok runs"], srows),
            note)


def _value(v, unit, digits=4):
    """A target's value in its unit (dimensionless: percent): "21.9%", "90.1"."""
    from .calibration_figures import display_units
    label, f = display_units(unit)
    if not np.isfinite(v):
        return "n/a"
    return f"{f * v:.3g}%" if label == "%" else f"{v:.{digits}g}"


def _targets_section(ds):
    from .calibration_figures import display_units, targets_table
    rows = []
    for _, r in targets_table(ds).iterrows():
        label, f = display_units(r["units"])
        if label == "%":
            observed = f"{f * r['observed']:.3g}% ± {f * r['sd']:.2g} pp"
            band = f"[{f * r['q05']:.3g}, {f * r['q95']:.3g}]%"
        else:
            observed = f"{r['observed']:.4g} ± {r['sd']:.2g} {label}".rstrip()
            band = f"[{r['q05']:.4g}, {r['q95']:.4g}]"
        name = f"<td>{_e(r['target'])}" + (f'<br><span class="note">{_e(r["long_name"])}'
                                           "</span>" if r["long_name"] else "") + "</td>"
        inside = "yes" if r["inside"] else "<b>no</b>"
        rows.append(f"{name}<td>{_e(r['period'])}</td><td class=\"num\">{_e(observed)}</td>"
                    f'<td class="num">{_e(_value(r["median"], r["units"]))}</td>'
                    f'<td class="num">{_e(band)}</td><td>{inside}</td>'
                    f"<td>{_e(r['use'])}</td>")
    return ("Targets: observed against simulated (last generation)",
            _table(["target", "period", "observed ± sd", "simulated median",
                    "simulated 90% band", "observed in band", "use"], rows),
            "Simulated: weighted quantiles (5%, 50%, 95%) of the last generation's particles' "
            "values (each the mean over its replicates). Dimensionless targets (shares) in "
            "percent, their sd in percentage points (pp). Holdout targets are predicted, never "
            "fitted.")


def _pct(v):
    return f"{100 * v:.3g}%" if np.isfinite(v) else "n/a"


def _calibration_sections(ds):
    """The parameters' and the generations' tables of a calibration file."""
    from .calibration_figures import (NOT_IDENTIFIED, generations_table, is_nelder_mead,
                                      parameters_table)
    prows = []
    for _, r in parameters_table(ds).iterrows():
        unit = "" if r["units"] in ("", "1") else f" {r['units']}"
        ratio = ("n/a" if not np.isfinite(r["sd_ratio"]) else f"{r['sd_ratio']:.2f}"
                 + (" <b>not identified</b>" if r["not_identified"] else ""))
        prows.append(f"<td>{_e(r['parameter'])}</td><td>{_e(r['prior'])}{_e(unit)}</td>"
                     f'<td class="num">{r["median"]:.4g}</td>'
                     f'<td class="num">[{r["q05"]:.4g}, {r["q95"]:.4g}]</td>'
                     f'<td class="num">{r["best"]:.4g}</td><td class="num">{ratio}</td>')
    note = ("Posterior median: the file's posterior_median; interval: weighted 5% and 95% "
            "quantiles of the last generation; sd ratio: weighted posterior sd / prior sd (of "
            f"log x for loguniform priors), flagged above {NOT_IDENTIFIED}: the data barely "
            "narrow the prior.")
    if is_nelder_mead(ds):
        note = ("Nelder-Mead: the particles are the final simplex, not a posterior; the "
                "interval is only the simplex's spread and no sd ratio is given. " + note)
    g = generations_table(ds)
    grows = [f'<td class="num">{int(r["generation"])}</td>'
             f'<td class="num">{_fmt(r["tolerance"])}</td>'
             f'<td class="num">{_pct(r["acceptance"])}</td>'
             f'<td class="num">{_fmt(r["ess"])}</td><td class="num">{int(r["proposals"])}</td>'
             + (f'<td class="num">{int(r["failed"])}</td>' if "failed" in g else "")
             for _, r in g.iterrows()]
    return [("Parameters: priors and posteriors",
             _table(["parameter", "prior", "posterior median", "90% credible interval",
                     "best particle", "posterior sd / prior sd"], prows), note),
            ("Generations",
             _table(["generation", "tolerance", "acceptance", "ESS", "proposals"]
                    + (["failed"] if "failed" in g else []), grows),
             "Acceptance: accepted / proposals simulated up to the last acceptance; ESS: "
             "effective sample size 1 / sum of the squared weights.")]


def _title(ds):
    a = ds.attrs
    k = kind(ds)
    if k == "run":
        what = "Checkpoint" if is_checkpoint(ds) else "Run"
        return f"{what}: {a.get('scenario_name', '')}"
    if k == "replicates":
        return f"{a.get('replicates')} replicates: {a.get('scenario_name', '')}"
    if k == "comparison":
        from .study import base_metadata, whatif_metadata
        whatifs = [m["name"] for m in whatif_metadata(ds)]
        base = base_metadata(ds)["name"] or a.get("base_scenario_name", "")
        if len(whatifs) > 1:
            return f"What-if study: {', '.join(whatifs)} against {base}"
        return f"What-if comparison: {whatifs[0]} against {base}"
    if k == "calibration":
        from .calibration_figures import calibration_name
        return f"Calibration: {calibration_name(ds)} ({a.get('method', '')})"
    return f"Sweep: {a.get('name', '')}"


def _key_provenance(ds):
    """One line: scenario(s), hash, seed, geosim version."""
    a = ds.attrs
    if kind(ds) == "comparison":
        who = "; ".join(f"{label} {m['name']} (hash {m['hash']}, seed {m['seed']})"
                        for label, m in _scenario_roles(ds))
    elif kind(ds) == "sweep":
        of = (f"scenario {a.get('scenario_name')} (hash {a.get('scenario_hash')})"
              if a.get("scenario_name") else f"model {a.get('model')}")
        who = (f"sweep {a.get('name')} (plan hash {a.get('plan_hash')}, seed "
               f"{uint64(a.get('seed'))}) of {of}")
    elif kind(ds) == "calibration":
        who = (f"{a.get('method')} calibration of scenario {a.get('scenario_name')} (hash "
               f"{a.get('scenario_hash')}, seed {uint64(a.get('seed'))})")
    else:
        who = (f"scenario {a.get('scenario_name')} (hash {a.get('scenario_hash')}, seed "
               f"{uint64(a.get('seed'))})")
    return f"{who}; geosim {a.get('geosim_version')} ({a.get('git_commit')})"


def _section(section):
    """The HTML parts of a (title, table, note) section; none for None."""
    if section is None:
        return []
    title, table, note = section
    return [f"<h2>{_e(title)}</h2>", table, f'<p class="note">{_e(note)}</p>']


GENERATOR = "geosim analysis report"


def is_report(path):
    """Whether `path` is a report this package wrote (its generator tag in the first 4 kB):
    such a file is replaced without --force, any other file is not."""
    return has_generator_tag(path, GENERATOR)


def report_html(ds, figures, source=None, explorer=None, sections=()):
    """The report as a string. `figures`: {stem: PNG bytes}, in display order. `explorer`: a
    link (relative URL) to the file's explorer page (explore.explorer_href), shown under the
    title. `sections`: more (title, table HTML, note) sections before the figures (a sweep's
    scenario discovery: discovery.report_sections)."""
    from .figures import caption as caption_of
    title = _title(ds)
    h_title, h_table, h_note = headline(ds)
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    parts = [
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        f'<meta name="generator" content="{GENERATOR}">',
        f"<title>{_e(title)}</title>", f"<style>{CSS}</style>", "</head>", "<body><main>",
        f"<header><h1>{_e(title)}</h1>",
        f'<p class="sub">geosim {_e(kind(ds))} file'
        + (f" <code>{_e(os.path.basename(source))}</code>" if source else "")
        + f"; report written {now} by <code>python3 -m analysis</code></p>",
        f'<p class="sub">{_e(_key_provenance(ds))}</p>',
        (f'<p class="sub">Interactive explorer of this file (network over time, curves, '
         f'events): <a href="{_e(explorer)}">{_e(explorer)}</a></p>' if explorer else ""),
        "</header>",
    ]
    if kind(ds) == "calibration":
        reason = ds.attrs.get("stop_reason", "")
        parts.append(f'<p class="sub">converged: {_e(reason)}</p>'
                     if int(ds.attrs.get("converged", 0)) else
                     f'<p class="warn"><b>Not converged</b>: {_e(reason or "no stop reason")}. '
                     "The posterior below is that of the last generation reached.</p>")
    def figure(stem, png):
        data = base64.b64encode(png).decode("ascii")
        return (f'<figure id="{_e(stem)}"><img alt="{_e(stem)}" '
                f'src="data:image/png;base64,{data}">'
                f"<figcaption><b>{_e(stem)}</b>: {_e(caption_of(ds, stem))}</figcaption>"
                "</figure>")
    figures = dict(figures)
    if kind(ds) == "comparison":
        parts += _section(_scenarios_section(ds))
    parts += [f"<h2>{_e(h_title)}</h2>", h_table, f'<p class="note">{_e(h_note)}</p>']
    if kind(ds) == "comparison":
        # the forest plot of the largest effects right below their table
        if FOREST_STEM in figures:
            parts.append(figure(FOREST_STEM, figures.pop(FOREST_STEM)))
        for section in _comparison_sections(ds):
            parts += _section(section)
    if kind(ds) == "calibration":
        for section in _calibration_sections(ds):
            parts += _section(section)
    parts += _section(_trade_section(ds))
    for section in sections:
        parts += _section(section)
    if figures:
        parts.append("<h2>Figures</h2>" if kind(ds) != "comparison" else "<h2>More figures</h2>")
    for stem, png in figures.items():
        parts.append(figure(stem, png))
    parts += _section(_events_section(ds))
    parts.append("<h2>Provenance</h2>")
    parts.append(_table(["", ""], [f"<td>{_e(k)}</td><td>{_e(v)}</td>"
                                   for k, v in provenance(ds, source)], "prov"))
    parts.append("</main></body></html>")
    return "\n".join(parts)


def write_report(ds, path, figures=None, source=None, dpi=110, sections=()):
    """Write the report of `ds` to `path`. figures: {stem: PNG bytes}; if None, every figure
    that applies is drawn at `dpi`. `sections`: as report_html's. Returns the path."""
    if figures is None:
        from .figures import figures_for, png_bytes
        figures = {stem: png_bytes(build(ds), dpi) for stem, build in figures_for(ds).items()}
    from .explore import explorer_href
    text = report_html(ds, figures, source, explorer=explorer_href(path, source),
                       sections=sections)
    d = os.path.dirname(os.path.abspath(path))
    os.makedirs(d, exist_ok=True)
    return write_atomically(path, text)  # nothing under `path` if the write fails
