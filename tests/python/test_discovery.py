"""Scenario discovery (`analysis/discovery.py`, `python3 -m analysis discover`): PRIM and CART.

1. The known box (the test of the EMA Workbench's kind, pure numpy): 5 parameters uniform on
   [0, 1], the outcome 1 where 0.2 <= x1 <= 0.6 and x3 > 0.7, 5% of the labels flipped,
   n = 2000. PRIM recovers the box within 0.05 and restricts only x1 and x3, with small
   quasi-p-values; the bootstrap restricts x1 and x3 (nearly) always and the others seldom;
   CART's densest leaf is the same box; the peeling trajectory's coverage never increases,
   down to the minimum mass; coverage, density, mass and the quasi-p-values are recomputed
   with numpy.
2. Levels: a parameter of three levels is peeled and pasted a whole level at a time.
3. A real sweep made by geosim (GEOSIM_BINARY): a Latin hypercube of 150 runs on
   scenarios/small_test_v2.yaml whose influence_inertia reaches 1.5 (above 1 the runs fail):
   discovery drops the failed runs and says how many, the box lies inside the ok runs'
   ranges, the command writes its figures, tables and page (exit 0), and its errors
   (unknown metric, not a sweep, both or neither of --above/--below, no cases, too few ok
   runs) are one line, exit 2, with nothing written.

    GEOSIM_BINARY=build/ci/bin/geosim /usr/bin/python3 -m pytest -q tests/python/test_discovery.py
"""

import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest

matplotlib.use("Agg")

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

import analysis  # noqa: E402
from analysis import discovery  # noqa: E402
from cli_helpers import cli, one_line_exit_2  # noqa: E402

GEOSIM = os.path.abspath(os.environ["GEOSIM_BINARY"]) if os.environ.get("GEOSIM_BINARY") \
    else ""
needs_geosim = pytest.mark.skipif(not GEOSIM, reason="GEOSIM_BINARY (the geosim program) is "
                                                     "not set")
needs_sklearn = pytest.mark.skipif(not discovery.have_sklearn(),
                                   reason="Debian's python3-sklearn is not installed")
pytestmark = pytest.mark.filterwarnings("ignore:numpy.ndarray size changed")
SCENARIO = REPO / "scenarios" / "small_test_v2.yaml"
TOL = 0.05


def known_box(n=2000, flip=0.05, seed=42):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame(rng.uniform(0, 1, (n, 5)), columns=[f"x{j}" for j in range(1, 6)])
    inside = (X["x1"] >= 0.2) & (X["x1"] <= 0.6) & (X["x3"] > 0.7)
    return X, inside.values ^ (rng.uniform(size=n) < flip)


@pytest.fixture(scope="module")
def box_result():
    X, y = known_box()
    return X, y, discovery.discover_xy(X, y, units={"x1": "USD m/yr"}, seed=3,
                                       method="both" if discovery.have_sklearn() else "prim")


def test_prim_recovers_the_known_box(box_result):
    X, y, result = box_result
    p = result.prim
    assert set(p.restricted) == {"x1", "x3"}, p.box
    box = p.box.set_index("parameter")
    assert abs(box.loc["x1", "lower"] - 0.2) < TOL and abs(box.loc["x1", "upper"] - 0.6) < TOL
    assert abs(box.loc["x3", "lower"] - 0.7) < TOL
    assert box.loc["x1", "restricts_lower"] and box.loc["x1", "restricts_upper"]
    assert box.loc["x3", "restricts_lower"] and not box.loc["x3", "restricts_upper"]
    assert box.loc["x1", "unit"] == "USD m/yr" and box.loc["x3", "unit"] == "dimensionless"
    assert (box["quasi_p"] < 1e-10).all(), box["quasi_p"]
    # the noise caps the density near 0.95 inside the true box, which holds ~75% of the cases
    assert p.density > 0.85 and p.coverage > 0.65
    # the bootstrap finds x1 and x3 again and again, the others seldom
    freq = p.bootstrap.set_index("parameter")["frequency"]
    assert p.resamples == 50
    assert freq["x1"] > 0.8 and freq["x3"] > 0.8, freq
    assert (freq[["x2", "x4", "x5"]] < 0.4).all(), freq
    boot = p.bootstrap.set_index("parameter")
    assert abs(boot.loc["x1", "median_lower"] - 0.2) < TOL
    assert abs(boot.loc["x3", "median_lower"] - 0.7) < TOL


def test_prim_numbers_are_what_they_say(box_result):
    X, y, result = box_result
    p = result.prim
    inside = np.all((X.values >= p.lower) & (X.values <= p.upper), axis=1)
    assert p.points == inside.sum() and p.cases == y[inside].sum()
    assert p.coverage == pytest.approx(y[inside].sum() / y.sum())
    assert p.density == pytest.approx(y[inside].mean())
    assert p.mass == pytest.approx(inside.mean())
    # the trajectory: peeling only removes runs, down to the minimum mass
    t = p.trajectory
    assert t["step"].tolist() == list(range(len(t)))
    assert (np.diff(t["coverage"]) <= 1e-12).all()
    assert (np.diff(t["mass"]) < 0).all()
    last = t.iloc[-1]
    assert last["mass"] * (1 - p.alpha) < p.mass_min * 1.01 or last["density"] == 1
    chosen = t.iloc[p.chosen]  # on the Pareto front: no box has both more coverage and density
    assert not ((t["coverage"] >= chosen["coverage"]) & (t["density"] > chosen["density"])).any()
    assert t["coverage"].iloc[0] == 1 and t["mass"].iloc[0] == 1
    assert t["density"].iloc[0] == pytest.approx(y.mean())
    assert t["mass"].iloc[-1] >= p.mass_min
    for (lo, hi), row in zip(p.limits, t.itertuples()):
        box = np.all((X.values >= lo) & (X.values <= hi), axis=1)
        assert box.sum() == row.points and y[box].sum() == row.cases
    # the default rule: the box of the trajectory with the largest coverage x density
    assert p.chosen == int(np.argmax(t["coverage"] * t["density"]))
    # quasi-p: a one-sided binomial test against the box without the restriction
    for r in p.box.itertuples():
        j = p.parameters.index(r.parameter)
        lo, hi = p.lower.copy(), p.upper.copy()
        lo[j], hi[j] = p.xmin[j], p.xmax[j]
        wider = np.all((X.values >= lo) & (X.values <= hi), axis=1)
        q = y[wider].mean()
        n, k = p.points, p.cases
        tail = sum(math.comb(n, i) * q ** i * (1 - q) ** (n - i) for i in range(k, n + 1))
        assert r.quasi_p == pytest.approx(tail, rel=1e-6, abs=1e-300)


def test_density_threshold_chooses_the_widest_box_that_reaches_it(box_result):
    X, y, _ = box_result
    data = discovery.array_data(X, y)
    p = discovery.prim(data, density=0.9, bootstrap=0, paste=False)
    t = p.trajectory
    assert t["density"].iloc[p.chosen] >= 0.9
    assert (t["density"].iloc[:p.chosen] < 0.9).all()
    assert p.rule == "the box of largest coverage with density >= 0.9"
    box = p.box.set_index("parameter")
    assert abs(box.loc["x1", "lower"] - 0.2) < TOL and abs(box.loc["x3", "lower"] - 0.7) < TOL
    # a density no box reaches: the default rule, and it says so
    p = discovery.prim(data, density=1.0, bootstrap=0)
    assert p.rule.startswith("no box reaches density 1")


@needs_sklearn
def test_cart_finds_the_known_box(box_result):
    X, y, result = box_result
    c = result.cart
    best = c.best(1)
    assert len(best) == 1
    limits = c.boxes[0]
    assert set(limits) == {"x1", "x3"}, limits
    assert abs(limits["x1"][0] - 0.2) < TOL and abs(limits["x1"][1] - 0.6) < TOL
    assert abs(limits["x3"][0] - 0.7) < TOL and np.isnan(limits["x3"][1])
    leaf = c.leaves.iloc[0]
    assert leaf["density"] > 0.85 and leaf["coverage"] > 0.65
    assert (np.diff(c.leaves["density"]) <= 0).all()
    assert c.leaves["points"].sum() == len(y) and c.leaves["cases"].sum() == y.sum()
    assert "x1 <= " in leaf["box"] and "USD m/yr" in leaf["box"]


def test_levels_are_peeled_whole():
    rng = np.random.default_rng(5)
    n = 600
    X = pd.DataFrame({"level": rng.choice([10.0, 20.0, 40.0], n), "x": rng.uniform(0, 1, n)})
    y = ((X["level"] == 40) & (X["x"] > 0.5)).values ^ (rng.uniform(size=n) < 0.03)
    data = discovery.array_data(X, y)
    assert data.discrete == {"level": True, "x": False}
    p = discovery.prim(data, bootstrap=10)
    for lo, hi in p.limits:
        assert lo[0] in (10, 20, 40) and hi[0] in (10, 20, 40)
    box = p.box.set_index("parameter")
    assert box.loc["level", "lower"] == 40 and box.loc["level", "discrete"]
    assert abs(box.loc["x", "lower"] - 0.5) < TOL


def test_refusals_are_value_errors():
    X, y = known_box(n=200)
    with pytest.raises(ValueError, match="at least 20"):
        discovery.discover_xy(X[:15], y[:15])
    with pytest.raises(ValueError, match="no row is a case"):
        discovery.discover_xy(X, np.zeros(len(y), bool))
    with pytest.raises(ValueError, match="every row is a case"):
        discovery.discover_xy(X, np.ones(len(y), bool))
    with pytest.raises(ValueError, match="alpha"):
        discovery.discover_xy(X, y, alpha=0.7)


def test_figures_of_the_known_box(box_result):
    _, _, result = box_result
    figs = discovery.figures(result)
    assert list(figs) == ["discovery_tradeoff", "discovery_box", "discovery_scatter"]
    scatter = figs["discovery_scatter"].axes[0]
    assert {scatter.get_xlabel(), scatter.get_ylabel()} == {"x1 [USD m/yr]", "x3 [dimensionless]"}
    rect = [p for p in scatter.patches if type(p).__name__ == "Rectangle"]
    p = result.prim
    j = p.parameters.index("x1" if scatter.get_xlabel().startswith("x1") else "x3")
    assert rect and rect[0].get_x() == pytest.approx(p.lower[j])
    assert "coverage" in figs["discovery_tradeoff"].axes[0].get_xlabel()


# ---- a real sweep ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sweep(tmp_path_factory):
    d = tmp_path_factory.mktemp("discovery")
    (d / "lhs.sweep.yaml").write_text(f"""geosim_sweep: 1
name: lhs
scenario: {SCENARIO}
seed: 17
replicates: 1
chunk: 50
design: {{kind: lhs, n: 150}}
parameters:
  - {{name: pa_aid, path: "actors[PA].budgets.economic_aid", uniform: [0, 300]}}
  - {{name: inertia, path: parameters.influence_inertia, uniform: [0.05, 1.5]}}
  - {{name: c1_growth, path: "actors[C1].growth", uniform: [-0.05, 0.1]}}
outputs:
  - {{name: pa_share_c1, variable: influence_share, actor: PA, target: C1}}
  - {{name: c1_gdp, variable: gdp, actor: C1, reduce: mean}}
""")
    # most runs of this one fail: fewer than 20 ok runs
    (d / "few.sweep.yaml").write_text(f"""geosim_sweep: 1
name: few
scenario: {SCENARIO}
seed: 2
design: {{kind: mc, n: 30}}
parameters:
  - {{name: inertia, path: parameters.influence_inertia, uniform: [0.9, 3]}}
outputs:
  - {{name: pa_share_c1, variable: influence_share, actor: PA, target: C1}}
""")

    def geosim(*a):
        r = subprocess.run([GEOSIM, *map(str, a)], cwd=d, capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
    geosim("sweep", "run", "lhs.sweep.yaml", "-d", "lhs_dir", "-o", "lhs.h5", "-q")
    geosim("sweep", "run", "few.sweep.yaml", "-d", "few_dir", "-o", "few.h5", "-q")
    geosim("run", SCENARIO, "-o", "run.h5", "-q")
    return d


@needs_geosim
def test_a_sweep_with_failed_runs(sweep):
    ds = analysis.load(sweep / "lhs.h5")
    status = ds["status"].values
    failed = int((status != 0).sum())
    assert failed > 20 and (ds["inertia"].values[status != 0] > 1).all()
    threshold = float(np.quantile(ds["pa_share_c1"].values[status == 0], 0.75))
    result = discovery.discover(ds, "pa_share_c1", above=threshold, bootstrap=20)
    data = result.data
    assert data.dropped == failed and len(data.y) == int((status == 0).sum())
    assert f"{failed} failed or missing runs dropped" in data.describe()
    assert data.units["pa_aid"] == "USD m/yr" and data.units["c1_growth"] == "1/yr"
    p = result.prim
    assert not p.box.empty and p.density > data.y.mean()
    for r in p.box.itertuples():
        ok = ds[r.parameter].values[status == 0]
        assert ok.min() <= r.lower <= r.upper <= ok.max()
    assert (p.upper[p.parameters.index("inertia")] <= 1.0)
    table = discovery.discovery_table(ds, "pa_share_c1", above=threshold, bootstrap=5)
    assert list(table.columns) == ["parameter", "lower", "upper", "unit", "quasi_p",
                                   "bootstrap_frequency"]
    assert table.attrs["dropped"] == failed and 0 < table.attrs["density"] <= 1
    # a boolean array over the file's runs, from Python
    cases = ds["pa_share_c1"].values > threshold
    again = discovery.discover(ds, cases=cases, method="prim", bootstrap=0)
    assert again.data.cases == result.data.cases and again.data.dropped == failed


@needs_geosim
def test_the_command_writes_figures_tables_and_page(sweep, tmp_path):
    out = tmp_path / "disc"
    rc, err = cli("discover", sweep / "lhs.h5", "--metric", "pa_share_c1", "--above", "0.238",
                  "-o", out, "--bootstrap", "10")
    assert rc == 0, err
    names = sorted(os.listdir(out))
    assert names == sorted(discovery.output_names()), names
    page = (out / "discovery.html").read_text()
    assert discovery.GENERATOR in page and "failed or missing runs dropped" in page
    assert page.count("data:image/png;base64,") == 3
    box = pd.read_csv(out / "prim_box.csv")
    assert set(box["unit"]) <= {"USD m/yr", "1/yr", "dimensionless"}
    # the real command, through its crash guard (a child process), and its default folder
    copy = tmp_path / "copy.h5"
    shutil.copy(sweep / "lhs.h5", copy)
    r = subprocess.run([sys.executable, "-m", "analysis", "discover", str(copy), "--metric",
                        "pa_share_c1", "--below", "0.22", "--method", "prim", "--bootstrap",
                        "5"], cwd=REPO, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "PRIM" in r.stdout and "parameter" in r.stdout and "quasi-p" in r.stdout
    assert "pa_share_c1 < 0.22 [dimensionless]" in r.stdout
    assert sorted(os.listdir(tmp_path / "copy_discovery")) == sorted(
        n for n in discovery.output_names() if n != "cart_leaves.csv")


@needs_geosim
def test_the_command_refuses_with_one_line_and_writes_nothing(sweep, tmp_path):
    out = tmp_path / "never"
    lhs = sweep / "lhs.h5"
    cases = [
        ((lhs, "--metric", "pa_share", "--above", "0.2"),
         ("no metric 'pa_share'", "did you mean 'pa_share_c1'", "pa_share_c1, c1_gdp")),
        ((sweep / "run.h5", "--metric", "pa_share_c1", "--above", "0.2"),
         ("needs a sweep file", "this is a run file")),
        ((lhs, "--metric", "pa_share_c1", "--above", "0.2", "--below", "0.3"),
         ("exactly one of --above X or --below X",)),
        ((lhs, "--metric", "pa_share_c1"), ("exactly one of --above X or --below X",)),
        ((lhs, "--above", "0.2"), ("give --metric NAME: one of pa_share_c1, c1_gdp",)),
        ((lhs, "--metric", "pa_share_c1", "--above", "0.9"),
         ("no ok run has pa_share_c1 > 0.9", "dimensionless")),
        ((lhs, "--metric", "pa_share_c1", "--below", "0.9"), ("every ok run has",)),
        ((sweep / "few.h5", "--metric", "pa_share_c1", "--above", "0.2"),
         ("ok runs", "failed or missing dropped", "at least 20")),
        ((lhs, "--metric", "pa_share_c1", "--above", "0.238", "--density", "1.5"),
         ("density threshold",)),
    ]
    for args, needles in cases:
        rc, err = cli("discover", *args, "-o", out)
        one_line_exit_2(rc, err, *needles)
        assert not out.exists(), args
    # an output folder that is a file
    (tmp_path / "file").write_text("x")
    rc, err = cli("discover", lhs, "--metric", "pa_share_c1", "--above", "0.238", "-o",
                  tmp_path / "file")
    one_line_exit_2(rc, err, "exists and is not a folder")


@needs_geosim
def test_the_report_holds_the_discovery(sweep, tmp_path):
    """`report SWEEP.h5 --discover METRIC --above X`: the report has PRIM's box (the same
    limits as discovery_table) and CART's leaves; misuse exits 2 and writes nothing."""
    ds = analysis.load(sweep / "lhs.h5")
    out = tmp_path / "r.html"
    rc, err = cli("report", sweep / "lhs.h5", "-o", out, "--discover", "pa_share_c1",
                  "--above", "0.238")
    assert rc == 0, err
    page = out.read_text()
    assert "Scenario discovery: when is pa_share_c1 &gt; 0.238" in page
    assert "CART&#x27;s densest leaves" in page
    table = discovery.discovery_table(ds, "pa_share_c1", above=0.238)
    for r in table.itertuples():
        assert f"<td>{r.parameter}</td>" in page
    assert page.count("<td>") > len(table) * 6  # the box's rows, and the leaves'
    for args, words in [(("--discover", "pa_share_c1"), "--above"),
                        (("--above", "0.2"), "--discover"),
                        (("--discover", "nope", "--above", "0.2"), "nope")]:
        never = tmp_path / "never.html"
        rc, err = cli("report", sweep / "lhs.h5", "-o", never, *args)
        one_line_exit_2(rc, err, words)
        assert not never.exists()
    rc, err = cli("report", sweep / "run.h5", "-o", tmp_path / "n.html", "--discover",
                  "pa_share_c1", "--above", "0.2")
    one_line_exit_2(rc, err, "needs a sweep file")
    assert not (tmp_path / "n.html").exists()


@needs_geosim
def test_the_command_keeps_a_folder_consistent(sweep, tmp_path):
    """A second discovery into the same folder removes what the first wrote and the second
    does not (another --method); a folder with other files and no earlier discovery is
    refused without --force, and those files are left alone with it."""
    out = tmp_path / "d"
    args = (sweep / "lhs.h5", "--metric", "pa_share_c1", "--above", "0.238", "-o", out,
            "--bootstrap", "5")
    assert cli("discover", *args)[0] == 0
    assert (out / "cart_leaves.csv").exists()
    rc, err = cli("discover", *args, "--method", "prim")
    assert rc == 0, err
    assert not (out / "cart_leaves.csv").exists() and (out / "prim_box.csv").exists()
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    rc, err = cli("discover", *args[:-4], "-o", other)
    one_line_exit_2(rc, err, "no earlier discovery")
    assert os.listdir(other) == ["notes.txt"]
    rc, err = cli("discover", *args[:-4], "-o", other, "--force", "--bootstrap", "5")
    assert rc == 0, err
    assert (other / "notes.txt").read_text() == "mine" and (other / "discovery.html").exists()
