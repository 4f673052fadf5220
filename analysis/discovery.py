"""Scenario discovery on a sweep: under which conditions does an outcome of interest happen?

A sweep's ok runs are the sample (discovery_data.py: X the parameters' values in each run,
y = 1 for the runs where a metric is above (or below) a threshold, the "cases of interest").
Two methods describe the region of parameter space where the cases lie as boxes, with limits
in the parameters' own units: PRIM (discovery_prim.py) and CART (discovery_cart.py).

`discover(ds, metric, above=X)` does both on a sweep file; `discover_xy(X, y)` on arrays;
`write_discovery` writes the figures (discovery_figures.py), tables and a small HTML page (what
`python3 -m analysis discover` does). analysis/README.md, "Scenario discovery", has the rules.
The public names of discovery_data.py, discovery_prim.py and discovery_cart.py are
importable from here too.

Terms (of every box): mass = the fraction of the runs inside the box; density = the fraction
of the runs inside the box that are cases; coverage = the fraction of all cases that are inside
the box.
"""

import base64
import datetime
import html
import os
from dataclasses import dataclass, field

import numpy as np

from .discovery_cart import CartResult, cart, have_sklearn
from .discovery_data import DiscoveryData, DiscoveryError, _fmt, array_data, sweep_data
from .discovery_prim import PrimResult, prim

GENERATOR = "geosim analysis discovery"
FIGURE_STEMS = ("discovery_tradeoff", "discovery_box", "discovery_scatter")


# ---------------------------------------------------------------------------------------------
# Both, on a sweep or on arrays


@dataclass
class Discovery:
    """The result of `discover`: the data, PRIM's result (or None) and CART's (or None);
    `notes` says what was left out and why."""
    data: DiscoveryData
    prim: PrimResult = None
    cart: CartResult = None
    notes: list = field(default_factory=list)


def _run(data, method, alpha, density, mass_min, bootstrap, seed, max_depth):
    if method not in ("prim", "cart", "both"):
        raise DiscoveryError(f"method must be prim, cart or both, not {method!r}")
    out = Discovery(data=data)
    if method in ("prim", "both"):
        out.prim = prim(data, alpha=alpha, mass_min=mass_min, density=density,
                        bootstrap=bootstrap, seed=seed)
    if method in ("cart", "both"):
        if method == "both" and not have_sklearn():
            out.notes.append("CART left out: it needs Debian's python3-sklearn")
        else:
            out.cart = cart(data, max_depth=max_depth, seed=seed)
    return out


def discover(ds, metric=None, above=None, below=None, cases=None, method="both", alpha=0.05,
             density=None, mass_min=0.05, bootstrap=50, seed=0, max_depth=4):
    """Scenario discovery on a sweep dataset: the cases are the ok runs where `metric` >
    `above` (or < `below`), or `cases` (a bool array over the runs). method "prim", "cart" or
    "both". Raises DiscoveryError (a ValueError) with a one-line message when it cannot run."""
    data = sweep_data(ds, metric, above=above, below=below, cases=cases)
    return _run(data, method, alpha, density, mass_min, bootstrap, seed, max_depth)


def discover_xy(X, y, units=None, discrete=None, method="both", alpha=0.05, density=None,
                mass_min=0.05, bootstrap=50, seed=0, max_depth=4, outcome="y = 1"):
    """`discover` on arrays: X a DataFrame (or 2-d array), y a boolean array."""
    data = array_data(X, y, units=units, discrete=discrete, outcome=outcome)
    return _run(data, method, alpha, density, mass_min, bootstrap, seed, max_depth)


def discovery_table(ds, metric, above=None, below=None, **options):
    """pandas.DataFrame of PRIM's chosen box on a sweep: per restricted parameter its lower
    and upper limit and unit, the quasi-p-value and the bootstrap frequency. Its `attrs` hold
    the box's coverage, density and mass, the cases in words and the rule that chose it."""
    result = discover(ds, metric, above=above, below=below, method="prim", **options)
    p = result.prim
    table = p.box[["parameter", "lower", "upper", "unit", "quasi_p",
                   "bootstrap_frequency"]].copy()
    table.attrs.update(coverage=p.coverage, density=p.density, mass=p.mass,
                       cases=result.data.outcome, rule=p.rule, dropped=result.data.dropped)
    return table


# ---------------------------------------------------------------------------------------------
# Text, HTML and files


def _limit_text(value, restricted):
    text = _fmt(value)
    return text if restricted else f"({text})"


def prim_lines(result):
    """The chosen PRIM box as lines of text (what the command prints)."""
    p = result.prim
    lines = [f"PRIM (alpha {p.alpha:g}, {len(p.trajectory) - 1} peels; chosen: {p.rule}, "
             f"step {p.chosen}{', then pasted' if p.pasted else ''}): {p.describe()}"]
    if p.box.empty:
        lines.append("  no restriction: no box is denser than the whole sample")
        return lines
    header = ("parameter", "lower", "upper", "unit", "quasi-p", "bootstrap")
    rows = [(r.parameter, _limit_text(r.lower, r.restricts_lower),
             _limit_text(r.upper, r.restricts_upper), r.unit, f"{r.quasi_p:.2g}",
             f"{r.bootstrap_frequency:.0%}" if np.isfinite(r.bootstrap_frequency) else "-")
            for r in p.box.itertuples()]
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    for row in [header, *rows]:
        lines.append("  " + "  ".join(str(x).ljust(w) for x, w in zip(row, widths)).rstrip())
    lines.append(f"  (a limit in brackets is the range of the ok runs: not restricted); "
                 f"bootstrap: how often the parameter is restricted in {p.resamples} "
                 "resamples")
    return lines


def cart_lines(result, n=3):
    c = result.cart
    lines = [f"CART (Gini, depth <= {c.max_depth}, leaves >= {c.min_leaf} runs, pruned by "
             f"cross-validation: {len(c.leaves)} leaves, depth {c.depth}): the leaves where "
             "cases are the majority, densest first"]
    best = c.best(n)
    if best.empty:
        lines.append("  none: no leaf has a majority of cases")
    for r in best.itertuples():
        lines.append(f"  {r.rank}. density {r.density:.2f}, coverage {r.coverage:.2f}, mass "
                     f"{r.mass:.2f} ({r.points} runs): {r.box}")
    return lines


def summary_lines(result, source=None):
    data = result.data
    head = f"scenario discovery{f' on {source}' if source else ''}: {data.describe()}"
    lines = [head]
    if result.prim is not None:
        lines += prim_lines(result)
    if result.cart is not None:
        lines += cart_lines(result)
    lines += result.notes
    return lines


def figures(result):
    """{stem: Figure} of a Discovery (PRIM's three figures; none without PRIM)."""
    from . import discovery_figures as f
    if result.prim is None:
        return {}
    return {"discovery_tradeoff": f.tradeoff_figure(result),
            "discovery_box": f.box_figure(result),
            "discovery_scatter": f.scatter_figure(result)}


def _csv(frame):
    return frame.to_csv(index=False, float_format="%.17g", lineterminator="\n").encode("utf-8")


CAPTIONS = {
    "discovery_tradeoff": "PRIM's peeling trajectory: each box's coverage (the share of all "
                          "cases inside it) against its density (the share of its runs that "
                          "are cases), coloured by how many parameters it restricts; the "
                          "chosen box marked.",
    "discovery_box": "The chosen box: each restricted parameter's limits against its range, "
                     "with the quasi-p-value of the restriction and how often the bootstrap "
                     "restricts it.",
    "discovery_scatter": "The ok runs on the two most restricted parameters, cases coloured, "
                         "the chosen box drawn (failed runs, dropped, as crosses).",
}


def is_discovery_page(path):
    from .io import has_generator_tag
    return has_generator_tag(path, GENERATOR)


def _numeric(v):
    try:
        float(str(v).strip("()%").split(" .. ")[0])
        return True
    except ValueError:
        return False


def _html_table(header, rows):
    """An HTML table: the header, then the rows' cells escaped, numbers right-aligned."""
    e = html.escape
    out = ["<table>", "<tr>" + "".join(f"<th>{e(str(h))}</th>" for h in header) + "</tr>"]
    for row in rows:
        out.append("<tr>" + "".join(
            f'<td class="num">{e(str(v))}</td>' if k and _numeric(v) else f"<td>{e(str(v))}</td>"
            for k, v in enumerate(row)) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def _box_rows(p):
    return [(r.parameter, _limit_text(r.lower, r.restricts_lower),
             _limit_text(r.upper, r.restricts_upper), r.unit, f"{r.quasi_p:.2g}",
             _share(r.bootstrap_frequency)) for r in p.box.itertuples()]


def _share(x):
    """"48%", or "-" without a bootstrap (NaN)."""
    return f"{x:.0%}" if np.isfinite(x) else "-"


def report_sections(result, leaves=3):
    """The discovery as (title, table HTML, note) sections for a sweep's report
    (`python3 -m analysis report SWEEP.h5 --discover METRIC --above X`): PRIM's chosen box,
    and CART's `leaves` densest leaves where cases are the majority."""
    data, p, c = result.data, result.prim, result.cart
    out = []
    if p is not None:
        out.append((f"Scenario discovery: when is {data.outcome}? PRIM's box",
                    _html_table(["parameter", "lower", "upper", "unit", "quasi-p",
                                 "bootstrap frequency"], _box_rows(p))
                    if not p.box.empty else "<p>No restriction: no box is denser than the "
                                            "whole sample.</p>",
                    f"{data.describe()} The box: {p.describe()}; chosen: {p.rule}. A limit in "
                    "brackets is the ok runs' range (not restricted); quasi-p: one-sided "
                    "binomial test against the box without that restriction; bootstrap: how "
                    f"often {p.resamples} resamples restrict the parameter. "
                    "`python3 -m analysis discover` draws its figures."))
    if c is not None:
        rows = [(k + 1, f"{r.density:.2f}", f"{r.coverage:.2f}", f"{r.mass:.2f}", r.box)
                for k, r in enumerate(c.best(leaves).itertuples())]
        if rows:
            out.append((f"Scenario discovery: CART's densest leaves for {data.outcome}",
                        _html_table(["rank", "density", "coverage", "mass", "box"], rows),
                        "Leaves of a pruned classification tree (Gini) where cases are the "
                        "majority, densest first; a second view, which finds several regions "
                        "where PRIM's one box cannot."))
    return out


def discovery_html(result, pngs, source=None, command=None):
    """A self-contained page: the cases, PRIM's box and trajectory, CART's leaves, the
    figures (`pngs`: {stem: PNG bytes}) embedded as base64."""
    from .report import CSS

    def e(x):
        return html.escape(str(x))

    data, p, c = result.data, result.prim, result.cart
    title = f"Scenario discovery: when is {data.outcome}?"
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    parts = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
             f'<meta name="generator" content="{GENERATOR}">', f"<title>{e(title)}</title>",
             f"<style>{CSS}</style>", "</head>", "<body><main>",
             f"<header><h1>{e(title)}</h1>",
             f'<p class="sub">{e(data.context)}'
             + (f"; file <code>{e(os.path.basename(source))}</code>" if source else "")
             + f"; written {now} by <code>{e(command or 'python3 -m analysis discover')}"
             "</code></p>",
             f'<p class="sub">{e(data.describe())}</p></header>']

    table = _html_table

    def figure(stem):
        if stem not in pngs:
            return ""
        b64 = base64.b64encode(pngs[stem]).decode("ascii")
        return (f'<figure id="{e(stem)}"><img alt="{e(stem)}" src="data:image/png;base64,'
                f'{b64}"><figcaption><b>{e(stem)}</b>: {e(CAPTIONS[stem])}</figcaption>'
                "</figure>")

    if p is not None:
        parts.append("<h2>PRIM: the chosen box</h2>")
        parts.append(f'<p>{e(p.describe())}. Chosen: {e(p.rule)} (step {p.chosen} of '
                     f'{len(p.trajectory) - 1}){", then pasted" if p.pasted else ""}.</p>')
        if p.box.empty:
            parts.append("<p>No restriction: no box is denser than the whole sample.</p>")
        else:
            parts.append(table(
                ["parameter", "lower", "upper", "unit", "quasi-p", "bootstrap frequency",
                 "bootstrap median limits"],
                [row + (f"{_fmt(r.bootstrap_median_lower)} .. "
                        f"{_fmt(r.bootstrap_median_upper)}",)
                 for row, r in zip(_box_rows(p), p.box.itertuples())]))
        parts.append(f'<p class="note">A limit in brackets is the range of the ok runs (that '
                     f'side is not restricted). Quasi-p: a one-sided binomial test of the box\'s '
                     f'density against the density of the box without that restriction. '
                     f'Bootstrap: the share of {p.resamples} resamples of the runs whose PRIM box '
                     f'restricts the parameter, and the median of those limits. Peeling alpha '
                     f'{p.alpha:g}, minimum mass {p.mass_min:g}.</p>')
        for stem in FIGURE_STEMS:
            parts.append(figure(stem))
        parts.append("<h2>PRIM: the peeling trajectory</h2>")
        parts.append(table(["step", "coverage", "density", "mass", "runs", "cases",
                            "restricted"],
                           [(r.step, f"{r.coverage:.3f}", f"{r.density:.3f}", f"{r.mass:.3f}",
                             r.points, r.cases, r.dimensions or "-")
                            for r in p.trajectory.itertuples()]))
    if c is not None:
        parts.append("<h2>CART: the leaves as boxes, densest first</h2>")
        parts.append(f"<p>Gini, depth at most {c.max_depth} (depth {c.depth}), leaves of at "
                     f"least {c.min_leaf} runs, cost-complexity pruned (alpha {c.ccp_alpha:.3g}, "
                     "one-standard-error rule on cross-validated error).</p>")
        parts.append(table(["rank", "density", "coverage", "mass", "runs", "cases", "box"],
                           [(r.rank, f"{r.density:.3f}", f"{r.coverage:.3f}", f"{r.mass:.3f}",
                             r.points, r.cases, r.box) for r in c.leaves.itertuples()]))
    for note in result.notes:
        parts.append(f'<p class="note">{e(note)}</p>')
    parts.append("</main></body></html>")
    return "\n".join(parts)


def discovery_outputs(result, out_dir, source=None, dpi=150, command=None):
    """{path: bytes} of everything `write_discovery` writes into out_dir."""
    from .figures import png_bytes
    outputs, pngs = {}, {}
    for stem, fig in figures(result).items():
        pngs[stem] = png_bytes(fig, dpi)
        outputs[os.path.join(out_dir, f"{stem}.png")] = pngs[stem]
    if result.prim is not None:
        outputs[os.path.join(out_dir, "prim_box.csv")] = _csv(result.prim.box)
        outputs[os.path.join(out_dir, "prim_trajectory.csv")] = _csv(result.prim.trajectory)
    if result.cart is not None:
        outputs[os.path.join(out_dir, "cart_leaves.csv")] = _csv(result.cart.leaves)
    outputs[os.path.join(out_dir, "discovery.html")] = discovery_html(
        result, pngs, source, command).encode("utf-8")
    return outputs


def write_discovery(result, out_dir, source=None, dpi=150, command=None):
    """Write the figures (PNG), prim_box.csv, prim_trajectory.csv, cart_leaves.csv and
    discovery.html of a Discovery into out_dir (created if missing): each to a temp file, all
    renamed once all are written. Returns the paths."""
    from .io import write_all_atomically
    outputs = discovery_outputs(result, out_dir, source, dpi, command)
    os.makedirs(out_dir, exist_ok=True)
    return write_all_atomically(outputs)


def output_names(result=None):
    """The file names `write_discovery` may write (to check an output folder beforehand)."""
    return [f"{s}.png" for s in FIGURE_STEMS] + ["prim_box.csv", "prim_trajectory.csv",
                                                 "cart_leaves.csv", "discovery.html"]


__all__ = ["discover", "discover_xy", "discovery_table", "prim", "cart", "sweep_data",
           "array_data", "write_discovery", "discovery_html", "summary_lines", "figures",
           "Discovery", "DiscoveryData", "PrimResult", "CartResult", "DiscoveryError",
           "have_sklearn", "is_discovery_page"]
