"""`python3 -m analysis brief FILE`: a one-page brief of a what-if comparison or study.

geosim (GEOSIM_BINARY) writes, into a temp folder, a comparison (format version 1) of the
baseline scenarios/central_asia_2022.yaml with scenarios/whatif/us_doubles_security_aid.yaml,
a study (version 2) of it with that what-if, china_expands.yaml and
secondary_sanctions_enforced.yaml, and a run. Briefs are written and every number of their
sentences is recomputed from the file with h5py (not through the package): each number is in
a <span data-stat=...> inside an element naming its cell (data-whatif, data-var, data-actor,
data-target, data-turn), and must equal the file's value at the last turn (x 100 for shares)
rounded as printed. The listed changes are checked against the overlay files and the
baseline's scenario file, the threshold flags against the file's values, the embedded figure,
the provenance (the file's hashes), the one-page PDF (if chromium is installed) and the
errors (exit 2, one line, nothing written).

    GEOSIM_BINARY=build/ci/bin/geosim /usr/bin/python3 -m pytest -q tests/python/test_brief.py
"""

import base64
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import h5py
import numpy as np
import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from cli_helpers import GEOSIM, GEOSIM_MARKS, cli, one_line_exit_2  # noqa: E402

pytestmark = GEOSIM_MARKS
SCENARIOS = REPO / "scenarios"
BASE = SCENARIOS / "central_asia_2022.yaml"
US_DOUBLES = SCENARIOS / "whatif" / "us_doubles_security_aid.yaml"
CHINA = SCENARIOS / "whatif" / "china_expands.yaml"
SANCTIONS = SCENARIOS / "whatif" / "secondary_sanctions_enforced.yaml"
SHARES = ("influence_share", "alignment", "hedging_index")
NOT_A_COMPARISON = "a brief needs a comparison file (geosim compare)"


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("brief")

    def geosim(*a):
        r = subprocess.run([GEOSIM, *map(str, a)], cwd=d, capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
    geosim("compare", BASE, US_DOUBLES, "--replicates", 10, "-o", d / "one.h5", "-q")
    geosim("compare", BASE, US_DOUBLES, CHINA, SANCTIONS, "--replicates", 6, "-o",
           d / "study.h5", "-q")
    geosim("run", SCENARIOS / "small_test_v2.yaml", "-o", d / "run.h5", "-q")
    return {"dir": d, "one": d / "one.h5", "study": d / "study.h5", "run": d / "run.h5"}


# Reading a brief -----------------------------------------------------------------------------

VOID = {"meta", "img", "br", "hr", "link", "input"}


class Brief(HTMLParser):
    """The parts of a brief the tests check: each effect (the element with data-var) with its
    attributes, its text and its data-stat numbers; each change line; the images; the
    provenance's text; the meta tags."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.effects, self.changes, self.more, self.images, self.meta = [], [], [], [], {}
        self.sections, self.texts = [], {"prov": [], "q": [], "intro": [], "all": []}
        self.thresholds = {}
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and "name" in a:
            self.meta[a["name"]] = a.get("content")
        if tag == "img":
            self.images.append(a.get("src", ""))
        if tag in VOID:
            return
        node = {"tag": tag, "attrs": a, "text": [], "stats": {}}
        cls = a.get("class", "").split()
        if "data-var" in a:
            self.effects.append(node)
        if "change" in cls:
            self.changes.append(node)
        if "change-more" in cls:
            self.more.append(node)
        if tag == "section":
            self.sections.append(node)
        for k in ("data-threshold-pp", "data-threshold-percent"):
            if k in a:
                self.thresholds[k] = a[k]
        self.stack.append(node)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        while self.stack:
            node = self.stack.pop()
            if "data-stat" in node["attrs"]:
                owner = next((n for n in reversed(self.stack) if "data-var" in n["attrs"]),
                             None)
                assert owner is not None, "a number outside an effect"
                owner["stats"][node["attrs"]["data-stat"]] = "".join(node["text"]).strip()
            if node["tag"] == tag:
                break

    def handle_data(self, data):
        for node in self.stack:
            node["text"].append(data)
        self.texts["all"].append(data)
        for key, cls in (("prov", "prov"), ("q", "q"), ("intro", "intro")):
            if any(cls in n["attrs"].get("class", "").split() for n in self.stack):
                self.texts[key].append(data)

    def text(self, key):
        return " ".join("".join(self.texts[key]).split())


def read_brief(path):
    return Brief(Path(path).read_text(encoding="utf-8"))


def node_text(node):
    return " ".join("".join(node["text"]).split())


# The file, read with h5py -------------------------------------------------------------------

def _s(x):
    return x.decode() if isinstance(x, bytes) else str(x)


class File:
    """A comparison file read with h5py: values by dimension labels."""

    def __init__(self, path):
        self.f = h5py.File(path, "r")
        self.labels = {}
        self.attrs = {k: (_s(v) if isinstance(v, (bytes, str)) else v)
                      for k, v in self.f.attrs.items()}

    def dim_labels(self, dim):
        if dim not in self.labels:
            self.labels[dim] = [_s(x) for x in self.f[dim][()]]
        return self.labels[dim]

    def value(self, var, **where):
        d = self.f[var]
        dims = [d.dims[i][0].name.lstrip("/") for i in range(d.ndim)]
        index = []
        for dim in dims:
            want = where[dim]
            index.append(want if isinstance(want, int) else self.dim_labels(dim).index(want))
        return float(d[tuple(index)])

    def study(self):
        return "whatif" in self.f

    def whatifs(self):
        return self.dim_labels("whatif") if self.study() else ["whatif"]

    def roles(self):
        return dict(zip(self.dim_labels("actor"), (_s(x) for x in self.f["actor_role"][()])))

    def effect(self, w, var, actor, target, turn):
        """(diff, lower, upper, base mean, what-if mean) of one cell at `turn` from the file."""
        cell = {"turn": turn, "actor": actor}
        if target:
            cell["target"] = target
        if self.study():
            dcell = {**cell, "whatif": w}
        else:
            dcell = cell
        return tuple([self.value(f"{var}_diff{s}", **dcell)
                      for s in ("_mean", "_ci_lower", "_ci_upper")]
                     + [self.value(f"{var}_mean", scenario=s, **cell) for s in ("base", w)])

    def metadata(self):
        """[(name, description, hash, seed, yaml)] base first."""
        if self.study():
            f = self.f
            return [(_s(f["scenario_name"][i]), _s(f["scenario_description"][i]),
                     _s(f["scenario_hash"][i]), int(f["seed"][i]) % 2 ** 64,
                     _s(f["scenario_yaml"][i]))
                    for i in range(f["scenario"].shape[0])]
        a = self.attrs
        return [(a[f"{p}_scenario_name"], a[f"{p}_scenario_description"],
                 a[f"{p}_scenario_hash"], int(a[f"{p}_seed"]) % 2 ** 64,
                 a[f"{p}_scenario_yaml"]) for p in ("base", "whatif")]


def decimals(text):
    return len(text.split(".")[1]) if "." in text else 0


def check_printed(printed, value, signed, what):
    """`printed` is `value` rounded to the decimals it shows (with its sign if `signed`)."""
    d = decimals(printed)
    expected = f"{value:+.{d}f}" if signed else f"{value:.{d}f}"
    assert printed == expected, f"{what}: printed {printed}, the file gives {value!r}"


def check_effects(brief, path, threshold_pp=0.5, threshold_percent=5.0):
    """Every number of every effect sentence and line against the file; the threshold's
    classification too. Returns {(whatif, var, actor, target): practical}."""
    f = File(path)
    turns = f.f["turn"].shape[0]
    horizon = np.datetime64(_s(f.f["date"][-1])).astype("datetime64[D]").item()
    month = horizon.strftime("%b %Y")
    level = float(f.attrs["ci_level"])
    assert brief.effects, "no effect in the brief"
    out = {}
    for node in brief.effects:
        a, st, text = node["attrs"], node["stats"], node_text(node)
        w, var, actor, target = a["data-whatif"], a["data-var"], a["data-actor"], a["data-target"]
        turn = int(a["data-turn"])
        assert turn == turns - 1, "not the horizon"
        assert w in f.whatifs()
        diff, lo, hi, base, other = f.effect(w, var, actor, target, turn)
        share = var in SHARES
        scale = 100.0 if share else 1.0
        practical = a["data-practical"] == "1"
        if practical:
            verb = a["data-direction"]
            assert verb == ("raises" if diff > 0 else "lowers"), (verb, diff)
            assert f" {verb} " in text, text
            assert f"by {month}" in text, text
            check_printed(st["diff"], abs(scale * diff), False, f"{text}: diff")
        else:
            check_printed(st["diff"], scale * diff, True, f"{text}: diff")
        assert f"{level:.0%} interval" in text, text
        check_printed(st["ci_lower"], scale * lo, True, f"{text}: lower")
        check_printed(st["ci_upper"], scale * hi, True, f"{text}: upper")
        assert ("which includes 0" in text) == (lo <= 0 <= hi), text
        if share:
            if practical:
                check_printed(st["base"], 100.0 * base, False, f"{text}: baseline")
                check_printed(st["whatif"], 100.0 * other, False, f"{text}: what-if")
            size, limit = abs(100.0 * diff), threshold_pp
        else:
            rel = 100.0 * diff / abs(base)
            check_printed(st["relative"], rel, True, f"{text}: percent")
            if practical:
                check_printed(st["base"], base, False, f"{text}: baseline")
                assert f" {_s(f.f[var].attrs['units'])}" in text, text
            size, limit = abs(rel), threshold_percent
        assert practical == (size >= limit), (text, size, limit)
        out[(w, var, actor, target)] = practical
    return out


def largest_share_effect(path, w):
    """(patron, client, |pp|) of the largest effect on a patron's share over a client at the
    horizon, from the file."""
    f = File(path)
    roles = f.roles()
    turn = f.f["turn"].shape[0] - 1
    best = None
    for p in (a for a, r in roles.items() if r == "patron"):
        for c in (a for a, r in roles.items() if r == "client"):
            d = abs(100.0 * f.effect(w, "influence_share", p, c, turn)[0])
            if best is None or d > best[2]:
                best = (p, c, d)
    return best


# Tests ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def one_brief(files):
    out = files["dir"] / "one_brief.html"
    rc, err = cli("brief", files["one"])
    assert rc == 0, err
    assert out.exists() and str(out) in err
    return out


@pytest.fixture(scope="module")
def study_brief(files):
    out = files["dir"] / "study_out" / "study.html"
    out.parent.mkdir()
    rc, err = cli("brief", files["study"], "-o", out)
    assert rc == 0, err
    return out


def test_one_whatif_numbers_from_the_file(files, one_brief):
    b = read_brief(one_brief)
    assert b.meta.get("generator") == "geosim analysis brief"
    got = check_effects(b, files["one"])
    practical = [k for k, p in got.items() if p]
    assert 1 <= len(practical) <= 5
    # the largest effect on a share (doubling US aid: the US share over Tajikistan) is there
    patron, client, size = largest_share_effect(files["one"], "whatif")
    assert size >= 0.5
    assert got.get(("whatif", "influence_share", patron, client)) is True
    assert (patron, client) == ("USA", "TJK")
    # and effects below the threshold are listed as such
    assert any(not p for p in got.values())
    assert "No effect of practical size" in b.text("all")
    assert b.thresholds == {"data-threshold-pp": "0.5", "data-threshold-percent": "5"}


def test_question_and_provenance(files, one_brief):
    b = read_brief(one_brief)
    f = File(files["one"])
    (bname, bdesc, bhash, bseed, _), (wname, wdesc, whash, wseed, _) = f.metadata()
    q = b.text("q")
    assert " ".join(wdesc.split()) in q and q.startswith("What if") and "?" in q
    intro = b.text("intro")
    assert bname in intro and " ".join(bdesc.split()).rstrip(".") in intro
    assert "10 paired runs" in intro and "horizon Dec 2024" in intro
    prov = b.text("prov")
    for needle in (bhash, whash, str(bseed), str(wseed), f.attrs["git_commit"],
                   f.attrs["geosim_version"], f.attrs["command_line"],
                   str(files["one"]), f.attrs["base_scenario_file"],
                   f.attrs["whatif_scenario_file"], "run ids 0-9"):
        assert str(needle) in prov, needle
    assert re.search(r"brief written: \d{4}-\d\d-\d\d \d\d:\d\d UTC", prov)
    assert "python3 -m analysis brief" in prov


def _overlay_timeline(path):
    return {x["id"]: x for x in yaml.safe_load(Path(path).read_text())["timeline"]}


def _base_items(section):
    items = yaml.safe_load(BASE.read_text())[section]
    return {x["id"]: x for x in items}


def _same(text, value):
    """A change's value (as the scenario writes it) against the overlay's (as PyYAML reads
    it): equal as text, or as numbers; lists joined by ", "."""
    if isinstance(value, list):
        return text == ", ".join(map(str, value))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return float(text.split()[0]) == float(value)
        except ValueError:
            return False
    return text == str(value)


def test_changes_are_the_overlays(files, one_brief):
    """us_doubles_security_aid.yaml overrides four fields of baseline timeline events: the
    brief lists exactly those, with the baseline's and the overlay's values."""
    b = read_brief(one_brief)
    overlay = _overlay_timeline(US_DOUBLES)
    base = _base_items("timeline")
    expected = {(i, k) for i, x in overlay.items() for k in x if k != "id"}
    shown = {(c["attrs"]["data-item"], c["attrs"]["data-key"]): c for c in b.changes}
    assert set(shown) == expected, (set(shown), expected)
    assert not b.more
    for (i, k), c in shown.items():
        a = c["attrs"]
        assert a["data-section"] == "timeline" and a["data-change"] == "changed"
        assert _same(a["data-whatif"], overlay[i][k]), (a, overlay[i][k])
        assert _same(a["data-base"], base[i][k]), (a, base[i][k])
        assert node_text(c) == f"timeline {i}: {k} {a['data-base']} \u2192 {a['data-whatif']}"
    amount = shown[("us_tjk_security_aid", "amount")]["attrs"]
    assert (amount["data-base"], amount["data-whatif"]) == ("60 USD m", "120 USD m")


def test_study_numbers_changes_and_sections(files, study_brief):
    b = read_brief(study_brief)
    f = File(files["study"])
    got = check_effects(b, files["study"])
    whatifs = f.whatifs()
    assert [s["attrs"]["data-whatif"] for s in b.sections] == whatifs
    for w in whatifs:
        mine = [k for k in got if k[0] == w]
        assert mine, w
        assert sum(got[k] for k in mine) <= 3
        patron, client, size = largest_share_effect(files["study"], w)
        if size >= 0.5:
            assert got.get((w, "influence_share", patron, client)) is True, (w, patron, client)
    # each what-if's question is its description, from the file
    for name, desc, *_ in f.metadata()[1:]:
        assert " ".join(desc.split()) in b.text("q"), name
    # the changes, section by section, against the overlays and the baseline's file
    by_section = {}
    for s in b.sections:
        by_section[s["attrs"]["data-whatif"]] = s
    changes = {w: [] for w in whatifs}
    for c in b.changes:
        owner = next(w for w, s in by_section.items() if node_text(c) in node_text(s))
        changes[owner].append(c["attrs"])
    names = {m[0]: m for m in f.metadata()}
    assert set(names) >= set(whatifs)
    china = _overlay_timeline(CHINA)
    china_flows = {x["id"]: x for x in yaml.safe_load(CHINA.read_text())["flows"]}
    base_flows = _base_items("flows")
    for a in changes["whatif_china_expands"]:
        if a["data-change"] == "changed":
            assert a["data-section"] == "flows" and a["data-key"] == "value", a
            i = a["data-item"]
            assert _same(a["data-whatif"], china_flows[i]["value"])
            assert _same(a["data-base"], base_flows[i]["value"])
            assert a["data-whatif"].endswith(" USD bn/yr")
        else:
            assert a["data-change"] == "added" and a["data-section"] == "timeline"
            assert a["data-items"].split() == list(china)
    sanctions = _overlay_timeline(SANCTIONS)
    base = _base_items("timeline")
    seen = set()
    for a in changes["whatif_secondary_sanctions_enforced"]:
        i = a["data-item"]
        seen.add(i)
        if i in base:
            assert a["data-change"] == "changed"
            assert _same(a["data-whatif"], sanctions[i][a["data-key"]])
            assert _same(a["data-base"], base[i][a["data-key"]])
        else:
            assert a["data-change"] == "added" and i in sanctions
    assert seen == set(sanctions)
    prov = b.text("prov")
    for name, desc, h, seed, _ in f.metadata():
        assert h in prov and name in prov and str(seed) in prov


def test_threshold_flags_move_effects(files, one_brief, tmp_path):
    """--threshold-pp above the smallest highlighted share effect moves it to the effects of
    no practical size; --threshold-percent below a re-exports effect's change highlights it."""
    b = read_brief(one_brief)
    f = File(files["one"])
    turn = f.f["turn"].shape[0] - 1
    practical = [n for n in b.effects if n["attrs"]["data-practical"] == "1"
                 and n["attrs"]["data-var"] == "influence_share"]
    sizes = {(n["attrs"]["data-actor"], n["attrs"]["data-target"]):
             abs(100 * f.effect("whatif", "influence_share", n["attrs"]["data-actor"],
                                n["attrs"]["data-target"], turn)[0]) for n in practical}
    (actor, target), size = min(sizes.items(), key=lambda kv: kv[1])
    threshold = round(size + 0.02, 2)
    out = tmp_path / "higher.html"
    rc, err = cli("brief", files["one"], "-o", out, "--threshold-pp", threshold)
    assert rc == 0, err
    b2 = read_brief(out)
    got = check_effects(b2, files["one"], threshold_pp=threshold)
    assert got[("whatif", "influence_share", actor, target)] is False
    assert b2.thresholds["data-threshold-pp"] == f"{threshold:g}"
    # re-exports: the largest change below 5% becomes practical at a lower threshold
    minor = [n for n in b.effects if n["attrs"]["data-practical"] == "0"
             and n["attrs"]["data-var"] == "reexports"]
    assert minor, "no re-exports effect below the threshold in the default brief"
    n = minor[0]["attrs"]
    diff, _, _, base, _ = f.effect("whatif", "reexports", n["data-actor"], "", turn)
    rel = abs(100 * diff / base)
    assert rel < 5
    out = tmp_path / "lower.html"
    rc, err = cli("brief", files["one"], "-o", out, "--threshold-percent", round(rel * 0.8, 3))
    assert rc == 0, err
    got = check_effects(read_brief(out), files["one"], threshold_percent=round(rel * 0.8, 3))
    assert got[("whatif", "reexports", n["data-actor"], "")] is True


def test_checks_catch_a_wrong_number(files, one_brief):
    """The checks above can fail: one printed number changed by one unit in its last digit."""
    text = one_brief.read_text(encoding="utf-8")
    m = re.search(r'(data-stat="ci_upper">)([+-]\d+\.(\d+))<', text)
    assert m
    d = len(m.group(3))
    wrong = f"{float(m.group(2)) + 10 ** -d:+.{d}f}"
    bad = text[:m.start(2)] + wrong + text[m.end(2):]
    with pytest.raises(AssertionError):
        check_effects(Brief(bad), files["one"])


def test_self_contained_with_the_figure(one_brief, study_brief):
    for path in (one_brief, study_brief):
        b = read_brief(path)
        text = path.read_text(encoding="utf-8")
        assert len(b.images) == 1
        src = b.images[0]
        assert src.startswith("data:image/png;base64,")
        png = base64.b64decode(src.split(",", 1)[1])
        assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5000
        assert "<script" not in text and "<link" not in text
        assert not re.search(r'(src|href)="(?!data:)', text)


def chromium():
    return next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")
                 if shutil.which(n)), None)


@pytest.mark.parametrize("which", ["one", "study"])
def test_pdf_is_one_a4_page(files, which, tmp_path):
    if not chromium():
        pytest.skip("chromium is not installed (tools/setup.sh installs Debian's chromium)")
    out = tmp_path / f"{which}.html"
    rc, err = cli("brief", files[which], "-o", out, "--pdf")
    assert rc == 0, err
    pdf = tmp_path / f"{which}.pdf"
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data)) == 1
    # A4 portrait: 595 x 842 points
    box = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", data)
    assert box and abs(float(box.group(1)) - 595) < 2 and abs(float(box.group(2)) - 842) < 2
    # a second run replaces both (they are the brief's own) without --force
    rc, err = cli("brief", files[which], "-o", out, "--pdf")
    assert rc == 0, err
    assert not list(tmp_path.glob(".*tmp*"))


def test_errors_exit_2_and_write_nothing(files, tmp_path, monkeypatch):
    d = tmp_path
    before = set(d.iterdir())
    rc, err = cli("brief", files["run"], "-o", d / "b.html")
    one_line_exit_2(rc, err, NOT_A_COMPARISON, "run.h5")
    rc, err = cli("brief", d / "missing.h5", "-o", d / "b.html")
    one_line_exit_2(rc, err, "missing.h5")
    # the output is the input itself: never, not even with --force
    copy = d / "copy.h5"
    shutil.copy(files["one"], copy)
    before.add(copy)
    size = copy.stat().st_size
    for extra in ([], ["--force"]):
        rc, err = cli("brief", copy, "-o", copy, *extra)
        one_line_exit_2(rc, err, "input file itself")
    assert copy.stat().st_size == size and File(copy).attrs["format"] == "geosim-comparison"
    # another file: only with --force
    other = d / "notes.html"
    other.write_text("<html>my notes</html>")
    before.add(other)
    rc, err = cli("brief", files["one"], "-o", other)
    one_line_exit_2(rc, err, "not a brief", "--force")
    assert other.read_text() == "<html>my notes</html>"
    rc, err = cli("brief", files["one"], "-o", d / "b.pdf")
    one_line_exit_2(rc, err, "HTML")
    rc, err = cli("brief", files["one"], "-o", d / "no_such_folder" / "b.html")
    one_line_exit_2(rc, err, "does not exist")
    # --pdf without chromium: nothing written, not even the HTML
    monkeypatch.setenv("PATH", "/nonexistent")
    rc, err = cli("brief", files["one"], "-o", d / "b.html", "--pdf")
    one_line_exit_2(rc, err, "chromium")
    monkeypatch.undo()
    assert set(d.iterdir()) == before, set(d.iterdir()) ^ before
    # with --force the other file is replaced by a brief, which is then replaced without it
    rc, err = cli("brief", files["one"], "-o", other, "--force", "--threshold-pp", "1")
    assert rc == 0, err
    assert 'content="geosim analysis brief"' in other.read_text()
    rc, err = cli("brief", files["one"], "-o", other)
    assert rc == 0, err
    assert read_brief(other).thresholds["data-threshold-pp"] == "0.5"


def test_python_m_analysis_brief(files, tmp_path):
    """The real entry point: a run file is exit 2 with one line, and nothing is written."""
    r = subprocess.run([sys.executable, "-m", "analysis", "brief", str(files["run"]), "-o",
                        str(tmp_path / "b.html")], cwd=REPO, capture_output=True, text=True)
    one_line_exit_2(r.returncode, r.stderr, NOT_A_COMPARISON)
    assert not list(tmp_path.iterdir())
    r = subprocess.run([sys.executable, "-m", "analysis", "brief", str(files["one"]),
                        "--threshold-pp", "-1"], cwd=REPO, capture_output=True, text=True)
    assert r.returncode == 2 and "--threshold-pp" in r.stderr
