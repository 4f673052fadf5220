"""`python3 -m analysis explore FILE`: the interactive explorer page, driven in real headless
Chromium.

geosim (GEOSIM_BINARY) writes, into a temp folder, a run of scenarios/central_asia_2022.yaml
(12 listed actors and the rest of the world), 4 replicates of it, a comparison (format version
1) with scenarios/whatif/us_doubles_security_aid.yaml, a study (version 2) with that what-if and
china_expands.yaml, a run of 50 actors from the benchmarks' generator geosim_synthetic_yaml (next
to GEOSIM_BINARY; skipped if missing) and a small sweep (refused). The explorer's page of each
is opened as `explore.html#selftest&to=K&click=A&select=B` with `chromium --headless
--dump-dom`: the page moves its slider to turn K ("input" event), clicks node A, picks B in the
actor list ("change"), hovers B, toggles the what-ifs and the difference mode (clicks), plays,
times the drawing of every turn, and writes what it drew (read from its SVG: each edge's ends,
width, colour and value, each node's radius and fill, each curve's path and the charts' scales,
the cursors, the tooltip's text) and every script error into the DOM as JSON. The test checks
those against the file's values read with h5py (not through the package): the drawn edges at
turn K are the pairs whose influence is at least 5% of the largest, their widths in the order of
the influences; node fills are the colour of the pole of largest alignment (a patron's anchor
pole); node radii in gdp order; each curve's points are the file's shares and alignment at every
turn; the tooltip counts the turn's events of the actor; the what-if's and the difference
mode's network and curves are the what-if's means and mean paired differences. And the CLI's
refusals, the report's link to the page, and the limits (top-k edges beyond MAX_ACTORS, every
m-th turn beyond MAX_TURNS).

    GEOSIM_BINARY=build/ci/bin/geosim /usr/bin/python3 -m pytest -q tests/python/test_explore.py
"""

import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import h5py
import numpy as np
import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

import analysis  # noqa: E402
from analysis import explore  # noqa: E402
from cli_helpers import GEOSIM, GEOSIM_MARKS, cli, one_line_exit_2  # noqa: E402

pytestmark = GEOSIM_MARKS
SCENARIOS = REPO / "scenarios"
BASE = SCENARIOS / "central_asia_2022.yaml"
US_DOUBLES = SCENARIOS / "whatif" / "us_doubles_security_aid.yaml"
CHINA = SCENARIOS / "whatif" / "china_expands.yaml"
SMALL = SCENARIOS / "small_test_v2.yaml"
INC, DEC = "#1a9850", "#c51b7d"  # the difference mode's edge colours
FRACTION = 0.05  # the page's default edge threshold


def chromium():
    for name in ("chromium", "chromium-browser"):
        if shutil.which(name):
            return shutil.which(name)
    return None


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("explore")

    def geosim(*a, **kw):
        r = subprocess.run([GEOSIM, *map(str, a)], cwd=d, capture_output=True, text=True, **kw)
        assert r.returncode == 0, r.stderr
        return r
    geosim("run", BASE, "-o", "run.h5", "-q")
    geosim("run", BASE, "--replicates", 4, "-o", "rep.h5", "-q")
    geosim("compare", BASE, US_DOUBLES, "--replicates", 3, "-o", "cmp.h5", "-q")
    geosim("compare", BASE, US_DOUBLES, CHINA, "--replicates", 3, "-o", "study.h5", "-q")
    (d / "grid.sweep.yaml").write_text(f"""geosim_sweep: 1
name: grid
scenario: {SMALL}
seed: 3
replicates: 1
chunk: 4
design: {{kind: grid}}
parameters:
  - {{name: inertia, path: parameters.influence_inertia, levels: [0.1, 0.3]}}
outputs:
  - {{name: c1_gdp, variable: gdp, actor: C1, reduce: mean}}
""")
    geosim("sweep", "run", "grid.sweep.yaml", "-d", "grid_dir", "-o", "sweep.h5", "-q")
    out = {k: d / f"{k}.h5" for k in ("run", "rep", "cmp", "study", "sweep")}
    generator = Path(GEOSIM).parent / "geosim_synthetic_yaml"
    if generator.is_file():
        for n in (50, 90):
            yaml_text = subprocess.run([str(generator), str(n)], capture_output=True, text=True,
                                       check=True).stdout
            (d / f"s{n}.yaml").write_text(yaml_text)
            geosim("run", f"s{n}.yaml", "-o", f"s{n}.h5", "-q")
            out[f"s{n}"] = d / f"s{n}.h5"
    out["dir"] = d
    return out


def write_page(files, key):
    path = files["dir"] / f"{key}_explore.html"
    rc, err = cli("explore", files[key], "-o", path)
    assert rc == 0, err
    assert err.startswith(str(path)), err
    return path


def drive(page, tmp, **params):
    """The page's self-test in headless Chromium: (its JSON result, Chromium's console lines
    about the page)."""
    exe = chromium()
    if exe is None:
        pytest.skip("chromium is not installed (tools/setup.sh installs Debian's chromium)")
    query = "".join(f"&{k}={v}" for k, v in params.items())
    url = page.resolve().as_uri() + "#selftest" + query
    r = subprocess.run(
        [exe, "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run",
         f"--user-data-dir={tmp / 'profile'}", "--enable-logging=stderr", "--v=0",
         "--virtual-time-budget=15000", "--window-size=1400,1000", "--dump-dom", url],
        capture_output=True, text=True, timeout=120)
    console = [line for line in r.stderr.splitlines() if "CONSOLE" in line]
    m = re.search(r'<pre id="selftest-result">(.*?)</pre>', r.stdout, re.S)
    assert m, f"the self-test wrote no result: {console} {r.stderr[-2000:]}"
    return json.loads(html.unescape(m.group(1))), console


# --- the file's values with h5py ------------------------------------------------------------

def strings(f, name):
    return [s.decode() if isinstance(s, bytes) else str(s) for s in f[name][()]]


class FileValues:
    """What the page should draw, read from the file with h5py. `s`: the scenario position
    (comparisons), `mean`: the replicates' mean variables."""

    def __init__(self, path):
        with h5py.File(path, "r") as f:
            self.format = f.attrs["format"]
            self.format = self.format.decode() if isinstance(self.format, bytes) else self.format
            codes, roles = strings(f, "actor"), strings(f, "actor_role")
            self.listed = [c for c, r in zip(codes, roles) if r != "rest_of_world"]
            self.idx = [codes.index(c) for c in self.listed]
            self.patrons = [c for c, r in zip(codes, roles) if r == "patron"]
            self.pidx = [codes.index(c) for c in self.patrons]
            self.poles = strings(f, "pole")
            self.dates = [d[:10] for d in strings(f, "date")]
            self.scenarios = strings(f, "scenario") if "scenario" in f else [""]
            suffix = "" if self.format == "geosim-run" else "_mean"
            self.v = {}
            for var in ("influence", "influence_share", "alignment", "gdp"):
                a = f[var + suffix][()]
                if self.format != "geosim-comparison":
                    a = a[None]
                self.v[var] = a  # (scenario, turn, ...)
            if self.format == "geosim-comparison":
                a = f["influence_share_diff_mean"][()]
                b = f["influence_diff_mean"][()]
                al = f["alignment_diff_mean"][()]
                if "whatif" not in f:  # version 1: no whatif dimension
                    a, b, al = a[None], b[None], al[None]
                self.v["share_diff"], self.v["influence_diff"], self.v["align_diff"] = a, b, al
            self.events = {c: f["event_" + c][()] for c in ("turn", "actor", "action",
                                                           "targets")}
            self.events = {c: ([x.decode() if isinstance(x, bytes) else x for x in v]
                               if c != "turn" else v) for c, v in self.events.items()}
            for extra in ("replicate", "scenario"):
                if f"event_{extra}" in f:
                    v = f[f"event_{extra}"][()]
                    self.events[extra] = [x.decode() if isinstance(x, bytes) else x for x in v]

    def influence(self, s, t):
        m = self.v["influence"][s, t][np.ix_(self.idx, self.idx)].copy()
        np.fill_diagonal(m, 0.0)
        return m

    def influence_max(self):
        m = self.v["influence"][:, :, self.idx][:, :, :, self.idx].copy()
        for s in range(m.shape[0]):
            for t in range(m.shape[1]):
                np.fill_diagonal(m[s, t], 0.0)
        return float(np.abs(m).max())

    def diff(self, w, t):
        m = self.v["influence_diff"][w, t][np.ix_(self.idx, self.idx)].copy()
        np.fill_diagonal(m, 0.0)
        return m

    def diff_max(self):
        m = self.v["influence_diff"][:, :, self.idx][:, :, :, self.idx].copy()
        for w in range(m.shape[0]):
            for t in range(m.shape[1]):
                np.fill_diagonal(m[w, t], 0.0)
        return float(np.abs(m).max())

    def events_touching(self, code, t, scenario=""):
        e = self.events
        n = 0
        first = min(e["replicate"]) if "replicate" in e and len(e["replicate"]) else None
        for k in range(len(e["turn"])):
            if int(e["turn"][k]) != t:
                continue
            if first is not None and e["replicate"][k] != first:
                continue
            if scenario and e["scenario"][k] != scenario:
                continue
            targets = e["targets"][k].split(",") if e["action"][k] not in ("policy", "bloc") \
                else []
            if e["actor"][k] == code or code in targets:
                n += 1
        return n


def check_edges(step, m, vmax, difference=False):
    """The drawn edges are the pairs with |value| >= 5% of vmax (give or take the page's 4
    significant digits at the threshold), each with the file's value, its width proportional
    to it, in the order of the values."""
    listed_edges = {(a, b): (w, v, colour, dash) for a, b, w, v, colour, dash in step["edges"]}
    codes = step["_codes"]
    cut = FRACTION * vmax
    expected = {(codes[i], codes[j]) for i, j in zip(*np.nonzero(np.abs(m) >= cut))}
    for a, b in expected ^ set(listed_edges):
        v = m[codes.index(a), codes.index(b)]
        assert abs(abs(v) - cut) <= 1e-3 * cut, (a, b, v, cut, (a, b) in expected)
    assert len(listed_edges) >= 1
    drawn = []
    for (a, b), (w, v, colour, dash) in listed_edges.items():
        value = m[codes.index(a), codes.index(b)]
        assert v == pytest.approx(value, rel=1e-3, abs=1e-12), (a, b)
        assert w == pytest.approx(max(0.6, 10 * abs(value) / vmax), abs=0.02), (a, b)
        if difference:
            assert colour == (INC if value >= 0 else DEC), (a, b, value, colour)
            assert bool(dash) == (value < 0)
        drawn.append((abs(value), w))
    drawn.sort()
    widths = [w for _, w in drawn]
    assert all(b >= a - 0.011 for a, b in zip(widths, widths[1:])), \
        "edge widths are not in the order of the influences"
    return listed_edges


def curve_points(curve, key, turns):
    """The (turn -> value) points of a chart's series, from its path's `d` and the chart's
    scale."""
    d = curve["series"][key]
    pts = [tuple(map(float, p.split(","))) for p in re.findall(r"[ML]([-\d.]+,[-\d.]+)", d)]
    dx = (curve["x1"] - curve["x0"])
    out = {}
    for x, y in pts:
        t = round((x - curve["x0"]) / dx * (turns - 1))
        v = curve["y0"] + (curve["bottom"] - y) / (curve["bottom"] - curve["top"]) * \
            (curve["y1"] - curve["y0"])
        out[t] = v
    return out


def check_curves(step, fv, code, shares, align):
    """Every point of the share and alignment curves of `code` is the file's value:
    shares[turn, patron, target], align[turn, actor, pole] (full actor axes)."""
    target = fv.listed.index(code)
    t_index = fv.idx[target]
    for chart, series, values in (
            ("shares", [f"share:{p}" for p in fv.patrons],
             [shares[:, pi, t_index] for pi in fv.pidx]),
            ("align", [f"align:{p}" for p in fv.poles],
             [align[:, t_index, k] for k in range(len(fv.poles))])):
        curve = step["curves"][chart]
        tol = 0.003 * (curve["y1"] - curve["y0"]) + 1e-6
        for key, want in zip(series, values):
            got = curve_points(curve, key, len(fv.dates))
            assert len(got) == np.isfinite(want).sum(), key
            for t, v in got.items():
                assert v == pytest.approx(want[t], abs=tol), (chart, key, t)


def check_nodes(step, fv, s, t, pole_colours, patron_pole):
    """Node fill: the pole of largest alignment (a patron's anchor pole); radius in gdp
    order."""
    al = fv.v["alignment"][s, t]
    gdp = fv.v["gdp"][s, t]
    for code in fv.listed:
        node = step["nodes"][code]
        i = fv.idx[fv.listed.index(code)]
        if code in patron_pole:
            assert node["pole"] == patron_pole[code], code
        else:
            row = al[i]
            top = np.sort(row)[::-1]
            if top[0] - top[1] < 1e-3:  # a near tie: the rounded values may decide
                continue
            assert node["pole"] == fv.poles[int(np.argmax(row))], code
        assert node["fill"] == pole_colours[node["pole"]], code
    order = sorted(fv.listed, key=lambda c: gdp[fv.idx[fv.listed.index(c)]])
    radii = [step["nodes"][c]["r"] for c in order]
    assert all(b >= a - 0.011 for a, b in zip(radii, radii[1:])), "radii not in gdp order"


def check_common(R, console, fv, key_turn, click, select):
    assert R.get("done"), R
    assert R["errors"] == [], R["errors"]
    assert console == [], console
    T = len(fv.dates)
    steps = R["steps"]
    for step in steps.values():
        if "edges" in step:
            step["_codes"] = fv.listed
    assert steps["initial"]["slider"] == T - 1
    assert fv.dates[-1] in steps["initial"]["date"]
    s = steps["slider"]
    assert s["slider"] == key_turn and fv.dates[key_turn] in s["date"]
    assert fv.dates[key_turn] in s["network_title"]
    # the cursor moved to the turn
    for chart in ("shares", "align"):
        c = s["curves"][chart]
        assert c["cursor"] == pytest.approx(c["x0"] + key_turn * (c["x1"] - c["x0"]) / (T - 1),
                                            abs=0.01)
        assert c["cursor"] != steps["initial"]["curves"][chart]["cursor"]
    # the network changed with the turn
    before = {(a, b): w for a, b, w, *_ in steps["initial"]["edges"]}
    after = {(a, b): w for a, b, w, *_ in s["edges"]}
    assert before != after
    # a click on a node selects it; the list picks another; the curves follow
    c, sel = steps["click"], steps["select"]
    assert c["selected"] == click and c["nodes"][click]["selected"]
    assert sel["selected"] == select and sel["nodes"][select]["selected"]
    assert not sel["nodes"][click]["selected"]
    for chart in ("shares", "align"):
        assert c["curves"][chart]["series"] != s["curves"][chart]["series"] or \
            steps["initial"]["selected"] == click
        assert sel["curves"][chart]["series"] != c["curves"][chart]["series"]
        assert sel["curves"][chart]["cursor"] == s["curves"][chart]["cursor"]
    # the tooltip: the actor's numbers and the turn's events touching it
    hover = steps["hover"]
    assert hover["visible"] and hover["hidden_after"]
    assert fv.dates[key_turn] in hover["text"] and f"({select}," in hover["text"]
    for word in ("gdp", "share", "alignment", "hedging index", "events this turn"):
        assert word in hover["text"]
    # the strongest edge's tooltip: its ends and value
    edge = steps["hover_edge"]
    strongest = max(s["edges"], key=lambda e: abs(e[3]))
    assert edge["visible"] and (edge["from"], edge["to"]) == tuple(strongest[:2])
    assert "influence" in edge["text"] and "\u2192" in edge["text"]
    # the play button advances the slider
    play = steps["play"]
    assert play["after"] > play["before"] and "play" in play["paused_label"]
    assert R["timing"]["median_ms"] < 250, R["timing"]
    return steps


def event_count(text):
    m = re.search(r"events this turn \([^)]*\): (\d+)", text)
    assert m, text
    return int(m.group(1))


def patron_poles(fv):
    """A patron's anchor pole, from the scenario (every patron of these scenarios owns its
    pole, anchored at 1)."""
    out = {}
    text = None
    with h5py.File(fv.path, "r") as f:
        for name in ("scenario_yaml", "base_scenario_yaml"):
            if name in f.attrs:
                text = f.attrs[name]
                break
    doc = yaml.safe_load(text.decode() if isinstance(text, bytes) else text)
    for a in doc["actors"]:
        if a.get("role") == "patron":
            out[a["code"]] = max(a["anchor"], key=lambda p: a["anchor"][p])
    return out


def values(path):
    fv = FileValues(path)
    fv.path = path
    return fv


# --- the pages ------------------------------------------------------------------------------

def test_run_page(files, tmp_path):
    page = write_page(files, "run")
    text = page.read_text()
    assert 'name="generator" content="geosim analysis explorer"' in text[:4096]
    assert "<script src" not in text and "http://" not in text.replace(
        "http://www.w3.org/2000/svg", "")
    assert page.stat().st_size < 1_000_000
    fv = values(files["run"])
    R, console = drive(page, tmp_path, to=12, click="KGZ", select="TJK")
    steps = check_common(R, console, fv, 12, "KGZ", "TJK")
    ds = analysis.load(files["run"])
    colours = analysis.pole_colours(ds)
    vmax = fv.influence_max()
    check_edges(steps["slider"], fv.influence(0, 12), vmax)
    check_edges(steps["initial"], fv.influence(0, len(fv.dates) - 1), vmax)
    check_nodes(steps["slider"], fv, 0, 12, colours, patron_poles(fv))
    check_curves(steps["select"], fv, "TJK", fv.v["influence_share"][0],
                 fv.v["alignment"][0])
    check_curves(steps["click"], fv, "KGZ", fv.v["influence_share"][0], fv.v["alignment"][0])
    assert event_count(steps["hover"]["text"]) == fv.events_touching("TJK", 12)
    assert event_count(steps["select"]["detail"]) == fv.events_touching("TJK", 12)
    assert R["dropped"] == []
    assert R["actors"] == 12 and R["turns"] == 36


def test_replicates_page(files, tmp_path):
    page = write_page(files, "rep")
    fv = values(files["rep"])
    R, console = drive(page, tmp_path, to=20, click="UZB", select="KAZ")
    steps = check_common(R, console, fv, 20, "UZB", "KAZ")
    assert "mean of 4 replicates" in steps["slider"]["network_title"]
    check_edges(steps["slider"], fv.influence(0, 20), fv.influence_max())
    check_curves(steps["select"], fv, "KAZ", fv.v["influence_share"][0], fv.v["alignment"][0])
    # the bands: the file's 5% and 95% quantiles
    with h5py.File(files["rep"], "r") as f:
        q = list(f["quantile"][()])
        lo = f["influence_share_quantile"][q.index(0.05)]
        hi = f["influence_share_quantile"][q.index(0.95)]
    band = steps["select"]["curves"]["shares"]["bands"]
    assert set(band) == {f"share:{p}" for p in fv.patrons}
    curve = steps["select"]["curves"]["shares"]
    k = fv.idx[fv.listed.index("KAZ")]
    for p, pi in zip(fv.patrons, fv.pidx):
        ys = [float(y) for y in re.findall(r"[ML][-\d.]+,([-\d.]+)", band[f"share:{p}"])]
        got = [curve["y0"] + (curve["bottom"] - y) / (curve["bottom"] - curve["top"])
               * (curve["y1"] - curve["y0"]) for y in ys]
        tol = 0.003 * (curve["y1"] - curve["y0"])
        assert max(got) == pytest.approx(np.nanmax(hi[:, pi, k]), abs=tol)
        assert min(got) == pytest.approx(np.nanmin(lo[:, pi, k]), abs=tol)
    assert event_count(steps["hover"]["text"]) == fv.events_touching("KAZ", 20)


@pytest.mark.parametrize("key", ["cmp", "study"])
def test_comparison_pages(files, tmp_path, key):
    page = write_page(files, key)
    fv = values(files[key])
    R, console = drive(page, tmp_path, to=24, click="KGZ", select="TJK")
    steps = check_common(R, console, fv, 24, "KGZ", "TJK")
    vmax, dmax = fv.influence_max(), fv.diff_max()
    assert steps["slider"]["scenario"] == "base"
    check_edges(steps["slider"], fv.influence(0, 24), vmax)
    check_curves(steps["select"], fv, "TJK", fv.v["influence_share"][0], fv.v["alignment"][0])
    assert event_count(steps["hover"]["text"]) == fv.events_touching("TJK", 24, "base")
    # the what-if: its own means
    w = steps["whatif"]
    w["_codes"] = fv.listed
    assert w["scenario"] == fv.scenarios[1] and not w["difference"]
    check_edges(w, fv.influence(1, 24), vmax)
    check_curves(w, fv, "TJK", fv.v["influence_share"][1], fv.v["alignment"][1])
    assert w["curves"]["shares"]["series"] != steps["select"]["curves"]["shares"]["series"]
    assert event_count(w["detail"]) == fv.events_touching("TJK", 24, fv.scenarios[1])
    # the difference mode: what-if - base, the mean paired differences
    d = steps["difference"]
    d["_codes"] = fv.listed
    assert d["difference"] and d["scenario"] == fv.scenarios[1]
    assert "\u2212 base" in d["network_title"]
    check_edges(d, fv.diff(0, 24), dmax, difference=True)
    check_curves(d, fv, "TJK", fv.v["share_diff"][0], fv.v["align_diff"][0])
    assert d["curves"]["shares"]["y0"] < 0 < d["curves"]["shares"]["y1"]
    if key == "study":
        d2 = steps["whatif2_difference"]
        d2["_codes"] = fv.listed
        assert d2["scenario"] == fv.scenarios[2] and d2["difference"]
        check_edges(d2, fv.diff(1, 24), dmax, difference=True)
        check_curves(d2, fv, "TJK", fv.v["share_diff"][1], fv.v["align_diff"][1])
    b = steps["base"]
    assert b["scenario"] == "base" and not b["difference"]
    assert b["curves"]["shares"]["series"] == steps["select"]["curves"]["shares"]["series"]
    assert R["timing_difference"]["median_ms"] < 250
    # the scenarios' names and descriptions are in the page
    text = page.read_text()
    ds = analysis.load(files[key])
    for m in analysis.scenario_metadata(ds):
        assert json.dumps(m["name"]) in text and json.dumps(m["description"])[1:40] in text


def test_fifty_actors(files, tmp_path):
    if "s50" not in files:
        pytest.skip("geosim_synthetic_yaml is not next to GEOSIM_BINARY (the benchmarks' "
                    "generator: build with GEOSIM_BUILD_BENCHMARKS)")
    page = write_page(files, "s50")
    size = page.stat().st_size
    assert size < 3_000_000, size
    fv = values(files["s50"])
    assert len(fv.listed) == 50
    click, select = fv.listed[10], fv.listed[30]
    R, console = drive(page, tmp_path, to=17, click=click, select=select)
    steps = check_common(R, console, fv, 17, click, select)
    edges = check_edges(steps["slider"], fv.influence(0, 17), fv.influence_max())
    assert len(edges) > 200  # a dense network, all of it drawn
    check_curves(steps["select"], fv, select, fv.v["influence_share"][0], fv.v["alignment"][0])
    assert R["dropped"] == []
    # responsive: a turn drawn in well under a frame budget of 100 ms on a loaded machine
    assert R["timing"]["median_ms"] < 100, R["timing"]
    print(f"\nN = 50: {size / 1e6:.2f} MB, draw per turn median {R['timing']['median_ms']:.1f} "
          f"ms, max {R['timing']['max_ms']:.1f} ms, first draw {R['first_draw_ms']:.0f} ms")


# --- limits ---------------------------------------------------------------------------------

def test_beyond_the_actor_limit_keeps_top_k_edges(files):
    if "s90" not in files:
        pytest.skip("geosim_synthetic_yaml is not next to GEOSIM_BINARY")
    ds = analysis.load(files["s90"])
    data = explore.explore_data(ds, str(files["s90"]))
    assert data["topK"] == explore.TOP_K
    assert any("only the 5 largest influences over each actor" in d for d in data["dropped"])
    fv = values(files["s90"])
    for t, edges in enumerate(json.loads(str(data["scen"][0]["E"]))):
        targets = edges[1::3]
        counts = np.bincount(targets, minlength=len(fv.listed))
        assert counts.max() <= explore.TOP_K
        # the kept ones are the largest over each target
        m = fv.influence(0, t)
        for j in set(targets):
            kept = sorted(edges[k + 2] for k in range(0, len(edges), 3) if edges[k + 1] == j)
            column = np.sort(m[:, j])[::-1][:len(kept)]
            assert min(kept) == pytest.approx(column[-1], rel=1e-3)
        if t > 3:
            break


def test_beyond_the_turn_limit_keeps_every_mth_turn(files, monkeypatch):
    monkeypatch.setattr(explore, "MAX_TURNS", 10)
    ds = analysis.load(files["run"])
    data = explore.explore_data(ds, str(files["run"]))
    assert data["turns"] == [0, 4, 8, 12, 16, 20, 24, 28, 32, 35]
    assert len(data["dates"]) == 10 and data["dates"][-1] == "2024-12-01"
    assert any("every 4th turn" in d for d in data["dropped"])
    monkeypatch.setattr(explore, "MAX_EVENTS", 50)
    data = explore.explore_data(ds, str(files["run"]))
    assert any("events" in d for d in data["dropped"])
    assert len(data["scen"][0]["ev"]) == 50


# --- the report links to the page, the command's refusals -------------------------------------

def test_report_links_to_the_explorer(files):
    page = write_page(files, "run")
    report = files["dir"] / "run_report.html"
    rc, err = cli("report", files["run"], "-o", report)
    assert rc == 0, err
    assert f'<a href="{page.name}">' in report.read_text()
    figs = files["dir"] / "run_figs"
    rc, err = cli("plot", files["run"], "-o", figs, "--only", "gdp")
    assert rc == 0, err
    assert f'<a href="../{page.name}">' in (figs / "report.html").read_text()
    # no link to a page of another file
    rc, err = cli("report", files["rep"], "-o", files["dir"] / "rep_report.html")
    other = (files["dir"] / "rep_report.html").read_text()
    assert rc == 0 and "run_explore.html" not in other


def test_refusals(files):
    d = files["dir"]
    before = sorted(os.listdir(d))
    rc, err = cli("explore", files["sweep"], "-o", d / "x.html")
    one_line_exit_2(rc, err, "the explorer takes a run", "replicates", "comparison", "study",
                    "this is a sweep file")
    rc, err = cli("explore", d / "missing.h5", "-o", d / "x.html")
    one_line_exit_2(rc, err, "missing.h5", "no such file")
    for force in ([], ["--force"]):
        rc, err = cli("explore", files["run"], "-o", files["run"], *force)
        one_line_exit_2(rc, err, "is the input file itself")
    rc, err = cli("explore", files["run"], "-o", d / "grid.sweep.yaml")
    one_line_exit_2(rc, err, "is not a geosim explorer page", "--force")
    rc, err = cli("explore", files["run"], "-o", d / "nowhere" / "x.html")
    one_line_exit_2(rc, err, "does not exist")
    assert sorted(os.listdir(d)) == before
    # the same refusals through the command line itself (a child process, exit status 2)
    r = subprocess.run([sys.executable, "-m", "analysis", "explore", str(files["sweep"])],
                       cwd=REPO, capture_output=True, text=True)
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert sorted(os.listdir(d)) == before
