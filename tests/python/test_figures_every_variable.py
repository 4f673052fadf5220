"""Every figure kind works for every variable it offers, and draws the file's numbers
(issue 16, item 3): a grid sweep's heatmap (its cells recomputed from the runs, a level whose
runs all fail hatched), the fans of every trajectory a sweep keeps (their medians recomputed
with numpy), effects_table and forest_figure for every variable with paired differences, a
what-if's own scripted events marked in its colour, and the note on replicate bands a line
hides.

Files are made by geosim (GEOSIM_BINARY) on scenarios/small_test_v2.yaml.

    GEOSIM_BINARY=build/ci/bin/geosim /usr/bin/python3 -m pytest -q \\
        tests/python/test_figures_every_variable.py
"""

import subprocess
import sys
from pathlib import Path

import h5py
import matplotlib
import numpy as np
import pandas as pd
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from cli_helpers import GEOSIM, GEOSIM_MARKS  # noqa: E402
import analysis  # noqa: E402
from analysis import compare_figures, grid_figures, trajectory_figures  # noqa: E402
from analysis.plotting import hidden_bands  # noqa: E402

pytestmark = GEOSIM_MARKS + [
    pytest.mark.filterwarnings("ignore:All-NaN slice"),  # the test's own nanquantile
]
SCENARIO = REPO / "scenarios" / "small_test_v2.yaml"
TRAJECTORIES = ["influence_share", "hedging_index", "gdp", "alignment", "flow", "budget"]


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("every_variable")
    # the what-if changes one scripted event's amount and adds one event
    overlay = d / "whatif.yaml"
    overlay.write_text(
        f"geosim: 2\nextends: {SCENARIO}\nmetadata: {{name: whatif}}\n"
        "timeline:\n  - {id: t_econ, amount: 24 USD m}\n"
        "  - {id: t_new, date: 2021-03-01, action: visit, from: PB, to: C2, level: 2}\n")
    # a 3 x 3 x 2 grid; inertia 1.5 is out of its range [0, 1]: those runs fail
    sweep = d / "grid.sweep.yaml"
    sweep.write_text(f"""geosim_sweep: 1
name: grid
scenario: {SCENARIO}
seed: 3
replicates: 2
chunk: 8
design: {{kind: grid}}
parameters:
  - {{name: pa_aid, path: "actors[PA].budgets.economic_aid", levels: [10, 40, 90]}}
  - {{name: inertia, path: parameters.influence_inertia, levels: [0.1, 0.3, 1.5]}}
  - {{name: c1_growth, path: "actors[C1].growth", levels: [0.0, 0.05]}}
outputs:
  - {{name: pa_share_c1, variable: influence_share, actor: PA, target: C1}}
  - {{name: c1_gdp, variable: gdp, actor: C1, reduce: mean}}
trajectories: {{every: 5, variables: [{', '.join(TRAJECTORIES)}]}}
""")

    def geosim(*a):
        r = subprocess.run([GEOSIM, *map(str, a)], cwd=d, capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
    geosim("compare", SCENARIO, overlay, "--replicates", "3", "-o", "cmp.h5", "-q")
    geosim("sweep", "run", sweep, "-d", "grid_dir", "-o", "grid.h5", "-q")
    return {"cmp": d / "cmp.h5", "grid": d / "grid.h5"}


@pytest.fixture(scope="module")
def grid(files):
    return analysis.load(files["grid"])


def test_grid_table_is_the_runs_mean(files, grid):
    with h5py.File(files["grid"], "r") as f:
        design = f["design_values"][()]
        point = f["point"][()]
        status = f["status"][()]
        names = [p.decode() for p in f["parameter"][()]]
        values = {m: f[m][()] for m in ("pa_share_c1", "c1_gdp")}
    assert (status != 0).any() and (status == 0).any()  # the failing inertia level
    for metric, v in values.items():
        table = grid_figures.grid_table(grid, metric)
        # the two parameters with the most levels (3 each, the first on x), c1_growth averaged
        assert (table.columns.name, table.index.name) == ("pa_aid", "inertia")
        for y in table.index:
            for x in table.columns:
                sel = ((design[point, names.index("pa_aid")] == x)
                       & (design[point, names.index("inertia")] == y) & (status == 0))
                got = table.loc[y, x]
                if sel.any():
                    assert got == pytest.approx(v[sel].mean(), rel=1e-12), (metric, x, y)
                    assert table.attrs["runs"].loc[y, x] == sel.sum()
                else:
                    assert np.isnan(got) and y == 1.5
                    assert table.attrs["runs"].loc[y, x] == 0
    swapped = grid_figures.grid_table(grid, "pa_share_c1", x="c1_growth", y="pa_aid")
    assert swapped.shape == (3, 2)
    # Averaged over inertia, whose level 1.5 always fails: each cell is the mean of the means
    # at 0.1 and 0.3 (each level weighs the same), and every cell is marked partial.
    v = values["pa_share_c1"]
    col = {n: design[point, names.index(n)] for n in names}
    for y in swapped.index:
        for x in swapped.columns:
            means = [v[(col["pa_aid"] == y) & (col["c1_growth"] == x) & (col["inertia"] == i)
                       & (status == 0)].mean() for i in (0.1, 0.3)]
            assert swapped.loc[y, x] == pytest.approx(np.mean(means), rel=1e-12)
    assert swapped.attrs["partial"].to_numpy().all()
    fig = grid_figures.grid_heatmap_figure(grid, x="c1_growth", y="pa_aid")
    assert all(t.get_text().endswith("*") for t in fig.axes[0].texts)
    assert "*: some of those levels have no ok run" in fig._suptitle.get_text().replace("\n", " ")
    plt.close(fig)
    with pytest.raises(ValueError, match="no parameter 'nope'"):
        grid_figures.grid_table(grid, "pa_share_c1", x="nope")
    with pytest.raises(ValueError, match="no metric"):
        grid_figures.grid_table(grid, "nope")


def test_grid_heatmap_writes_each_cell(grid):
    assert "grid_heatmap" in analysis.figures_for(grid)
    fig = grid_figures.grid_heatmap_figure(grid)
    for ax, metric in zip(fig.axes, ("pa_share_c1", "c1_gdp")):
        table = grid_figures.grid_table(grid, metric)
        texts = sorted(t.get_text() for t in ax.texts)
        expected = sorted(f"{v:.3g}" if np.isfinite(v) else "no ok run"
                          for v in table.to_numpy().ravel())
        assert texts == expected, metric
        assert texts.count("no ok run") == 3
    plt.close(fig)


def test_not_a_grid_has_no_heatmap(files):
    ds = analysis.load(files["grid"])
    ds.attrs["design"] = "lhs"
    assert "grid_heatmap" not in analysis.figures_for(ds)
    with pytest.raises(ValueError, match="grid sweep"):
        grid_figures.grid_heatmap_figure(ds)


def test_fan_for_every_trajectory_it_keeps(files, grid):
    offered = trajectory_figures.trajectory_variables(grid)
    assert sorted(offered) == sorted(TRAJECTORIES)
    stems = analysis.figures_for(grid)
    with h5py.File(files["grid"], "r") as f:
        ok = f["status"][()] == 0
        for v in offered:
            assert f"trajectories_{v}" in stems
            fig = stems[f"trajectories_{v}"](grid, None)
            cells = trajectory_figures.ranked_cells(grid, v)
            assert cells, v
            data = f[f"{v}_trajectory"][()][ok]  # (run, sample, ...)
            da = grid[f"{v}_trajectory"]
            medians = [ln.get_ydata() for ax in fig.axes for ln in ax.get_lines()]
            assert len(medians) == len(cells), v
            for cell, got in zip(cells, medians):
                idx = tuple(list(map(str, da[dim].values)).index(cell[dim])
                            for dim in da.dims[2:])
                want = np.nanmedian(data[(slice(None), slice(None)) + idx], axis=0)
                np.testing.assert_allclose(got, want, rtol=1e-12, err_msg=f"{v} {cell}")
            # the first panel's cell spreads at least as much as any other at the last sample
            last = data[:, -1].reshape(data.shape[0], -1)
            spread = np.nanquantile(last, 0.95, axis=0) - np.nanquantile(last, 0.05, axis=0)
            first = cells[0]
            i = np.ravel_multi_index(
                tuple(list(map(str, da[dim].values)).index(first[dim]) for dim in da.dims[2:]),
                da.shape[2:]) if da.ndim > 2 else 0
            assert spread[i] == pytest.approx(np.nanmax(spread)), v
            plt.close(fig)
    with pytest.raises(ValueError, match="no trajectory of 'dependence'"):
        trajectory_figures.trajectory_fan_figure(grid, "dependence")
    fig = trajectory_figures.trajectory_fan_figure(
        grid, "influence_share", cells=[{"actor": "PA", "target": "C1"}])
    assert [ax.get_title() for ax in fig.axes if ax.get_lines()] == ["PA -> C1"]
    plt.close(fig)


def test_effects_for_every_variable_with_differences(files):
    ds = analysis.load(files["cmp"])
    offered = compare_figures.effect_variables(ds)
    assert {"influence_share", "hedging_index", "gdp", "flow"} <= set(offered), offered
    for v in offered:
        table = analysis.effects_table(ds, variables=[v])
        assert len(table) and set(table["variable"]) == {v}, v
        fig = analysis.forest_figure(ds, variables=[v])
        assert fig.axes, v
        plt.close(fig)


def own_event_lines(fig, colour):
    return [ln for ax in fig.axes for ln in ax.get_lines()
            if ln.get_linestyle() == ":" and matplotlib.colors.same_color(ln.get_color(), colour)]


def test_the_whatifs_own_events_are_marked(files):
    ds = analysis.load(files["cmp"])
    colour = compare_figures.whatif_colours(ds)["whatif"]
    # t_econ (PA -> C1) has another amount, t_new (PB -> C2) is new; the rest are the base's
    assert list(analysis.run_figures.own_event_labels(ds, "C1", "whatif").values()) == \
        ["PA economic aid"]
    assert list(analysis.run_figures.own_event_labels(ds, "C2", "whatif").values()) == \
        ["PB visit"]
    assert analysis.run_figures.own_event_labels(ds, "C3", "whatif") == {}
    dates = {np.datetime64("2020-02-01"), np.datetime64("2021-03-01")}
    for build in (compare_figures.compare_shares_figure, compare_figures.compare_difference_figure,
                  compare_figures.compare_hedging_figure):
        fig = build(ds)
        lines = own_event_lines(fig, colour)
        assert len(lines) == 2, build.__name__
        got = {pd.Timestamp(ln.get_xdata()[0]).to_datetime64().astype("datetime64[D]")
               for ln in lines}
        assert got == dates, build.__name__
        assert "its own scripted events" in fig._suptitle.get_text().replace("\n", " ")
        plt.close(fig)


def test_hidden_bands_are_said(files):
    fig = plt.figure(figsize=(4, 3))
    ax = fig.add_subplot()
    ax.set_ylim(0, 1)
    # a 1.6 pt line on a ~2 inch tall axis of span 1 covers about 0.011
    assert hidden_bands({ax: 0.002}, 1.6)[0] == 1
    assert hidden_bands({ax: 0.1}, 1.6)[0] == 0
    plt.close(fig)
    # small_test_v2 has no shocks: its replicates agree, and every band has width 0
    ds = analysis.load(files["cmp"])
    for s in ("base", "whatif"):
        low, high = compare_figures.replicate_band(ds, "influence_share", s)
        assert float(np.nanmax(high.values - low.values)) == 0.0
    for build in (compare_figures.compare_shares_figure, compare_figures.compare_hedging_figure):
        fig = build(ds)
        title = fig._suptitle.get_text().replace("\n", " ")
        assert "in every panel the 5-95% bands have width 0" in title, build.__name__
        plt.close(fig)


def test_sobol_indices_the_noise_can_explain(tmp_path):
    """A Sobol' sweep of a scenario with shocks, 2 replicates: `sweep analyze` flags the indices
    the replicates' noise can explain; the figure draws exactly those bars hatched, with the
    noise share as a line, and the top-indices table says "(noise)" for them."""
    sweep = tmp_path / "noisy.sweep.yaml"
    sweep.write_text(f"""geosim_sweep: 1
name: noisy
scenario: {REPO / "scenarios" / "central_asia_2022.yaml"}
seed: 4
replicates: 2
design: {{kind: sobol, n: 16}}
parameters:
  - {{name: inertia, path: parameters.influence_inertia, uniform: [0.05, 0.3]}}
  - {{name: mng_growth, path: "actors[MNG].growth", uniform: [0.0, 0.01]}}
outputs:
  - {{name: us_share_tjk, variable: influence_share, actor: USA, target: TJK}}
  - {{name: tjk_reexports, variable: reexports, actor: TJK, reduce: sum}}
  - {{name: tjk_hedging, variable: hedging_index, actor: TJK}}
trajectories: {{every: 6, variables: [influence_share, hedging_index]}}
""")
    for args in (["sweep", "run", sweep, "-d", tmp_path / "d", "-o", tmp_path / "n.h5", "-q"],
                 ["sweep", "analyze", tmp_path / "n.h5", "--bootstrap", "200", "-q"]):
        r = subprocess.run([GEOSIM, *map(str, args)], capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
    ds = analysis.load(tmp_path / "n.h5")
    with h5py.File(tmp_path / "n.h5", "r") as f:
        s1_noise, st_noise = f["sobol_s1_noise"][()], f["sobol_st_noise"][()]
        share = f["sobol_noise_share"][()]
    assert np.all(np.isfinite(share)) and np.all(share > 0), share  # shocks: some noise
    assert s1_noise.any() or st_noise.any()  # Mongolia's growth barely touches Tajikistan
    fig = analysis.sobol_figure(ds)
    panels = [ax for ax in fig.axes if ax.patches]
    for m, ax in enumerate(panels):
        # bars in drawing order: S1 of each parameter, then ST of each
        hatched = [bool(p.get_hatch()) for p in ax.patches[:4]]
        assert hatched == list(s1_noise[m] > 0.5) + list(st_noise[m] > 0.5), (m, hatched)
        noise_lines = [ln for ln in ax.get_lines() if ln.get_linestyle() == ":"]
        assert len(noise_lines) == 1 and noise_lines[0].get_ydata()[0] == pytest.approx(
            min(share[m], 2.0)), m
    plt.close(fig)
    # Over turns: at the last sample the numpy estimators give analyze's point estimates and
    # noise share of the same cell's `last` metric; a metric without a trajectory is refused.
    from analysis.sobol_turns import metric_cells, sobol_over_turns
    assert sorted(metric_cells(ds)) == ["tjk_hedging", "us_share_tjk"]
    with h5py.File(tmp_path / "n.h5", "r") as f:
        for m in ("us_share_tjk", "tjk_hedging"):
            i = [x.decode() for x in f["metric"][()]].index(m)
            res = sobol_over_turns(ds, m, n_bootstrap=50)
            np.testing.assert_allclose(res["s1"][:, -1], f["sobol_s1"][i], rtol=1e-9, atol=1e-12)
            np.testing.assert_allclose(res["st"][:, -1], f["sobol_st"][i], rtol=1e-9, atol=1e-12)
            assert res["noise_share"][-1] == pytest.approx(f["sobol_noise_share"][i], rel=1e-9)
            assert res["s1"].shape == (2, ds.sizes["sample"])
            assert np.all(res["st_low"] <= res["st_high"])
    with pytest.raises(ValueError, match="no trajectory for metric 'tjk_reexports'"):
        sobol_over_turns(ds, "tjk_reexports")
    assert "sobol_over_turns" in analysis.figures_for(ds)
    fig = analysis.figures_for(ds)["sobol_over_turns"](ds, None)
    assert len([ax for ax in fig.axes if ax.get_lines()]) == 2
    plt.close(fig)
    table = analysis.top_indices_table(ds)
    for _, row in table.iterrows():
        m = list(ds["metric"].values).index(row["metric"])
        k = list(ds["parameter"].values).index(row["parameter"])
        st_part, s1_part = row["index"].split("; ")
        assert ("(noise)" in st_part) == bool(st_noise[m, k] > 0.5), row["index"]
        assert ("(noise)" in s1_part) == bool(s1_noise[m, k] > 0.5), row["index"]


def test_morris_labels_never_overlap(tmp_path):
    """Morris plot of the Ishigami test model with six inert dummies (x4 .. x9, all at the
    origin): every parameter's label is drawn, and no two labels' boxes overlap."""
    sweep = tmp_path / "m.sweep.yaml"
    params = "\n".join(f"  - {{name: x{i}, path: x{i}, uniform: [-3.14159, 3.14159]}}"
                       for i in range(1, 10))
    sweep.write_text(f"""geosim_sweep: 1
name: m
model: ishigami
seed: 3
design: {{kind: morris, n: 10}}
parameters:
{params}
outputs:
  - {{name: y, variable: y}}
""")
    for args in (["sweep", "run", sweep, "-d", tmp_path / "d", "-o", tmp_path / "m.h5", "-q"],
                 ["sweep", "analyze", tmp_path / "m.h5", "-q"]):
        r = subprocess.run([GEOSIM, *map(str, args)], capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
    ds = analysis.load(tmp_path / "m.h5")
    assert np.count_nonzero(ds["morris_mu_star"].values == 0) == 6  # the dummies
    fig = analysis.morris_figure(ds)
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    canvas = FigureCanvasAgg(fig)  # the figures are made without pyplot
    canvas.draw()
    renderer = canvas.get_renderer()
    ax = fig.axes[0]
    names = {f"x{i}" for i in range(1, 10)}
    texts = [t for t in ax.texts if t.get_text() in names]
    assert sorted(t.get_text() for t in texts) == sorted(names)
    # the texts' own boxes (an Annotation's extent also holds its leader line)
    boxes = [matplotlib.text.Text.get_window_extent(t, renderer) for t in texts]
    for i in range(len(boxes)):
        for j in range(i + 1, len(boxes)):
            assert not boxes[i].overlaps(boxes[j]), (texts[i].get_text(), texts[j].get_text())
    axes_box = ax.get_window_extent(renderer)
    for t, b in zip(texts, boxes):  # inside the panel
        assert axes_box.x0 - 1 <= b.x0 and b.x1 <= axes_box.x1 + 1, t.get_text()
        assert axes_box.y0 - 1 <= b.y0 and b.y1 <= axes_box.y1 + 1, t.get_text()
    plt.close(fig)


def test_sobol_over_turns_with_failed_runs(tmp_path):
    """A sobol sweep whose runs fail for half the range of a parameter (inertia above 1): a
    metric without 2 complete blocks gets no figure and plot does not fail; the figure of
    another sweep with enough blocks says what it left out."""
    def sweep(name, n):
        f = tmp_path / f"{name}.sweep.yaml"
        f.write_text(f"""geosim_sweep: 1
name: {name}
scenario: {SCENARIO}
seed: 9
design: {{kind: sobol, n: {n}}}
parameters:
  - {{name: inertia, path: parameters.influence_inertia, uniform: [0.5, 1.5]}}
  - {{name: c1_growth, path: "actors[C1].growth", uniform: [0.0, 0.1]}}
outputs:
  - {{name: pa_share_c1, variable: influence_share, actor: PA, target: C1}}
trajectories: {{every: 6, variables: [influence_share]}}
""")
        r = subprocess.run([GEOSIM, "sweep", "run", str(f), "-d", str(tmp_path / name), "-o",
                            str(tmp_path / f"{name}.h5"), "-q"], capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        return analysis.load(tmp_path / f"{name}.h5")
    from analysis.sobol_turns import sobol_over_turns
    few = sweep("few", 2)
    assert (few["status"].values != 0).any()
    with pytest.raises(ValueError, match="complete Saltelli blocks"):
        sobol_over_turns(few, "pa_share_c1")
    assert "sobol_over_turns" not in analysis.figures_for(few)
    written = analysis.save_all(few, tmp_path / "figs", quiet=True)  # no crash
    assert any(str(p).endswith("report.html") for p in written)
    many = sweep("many", 64)
    ok = many["status"].values == 0
    assert not ok.all() and ok.any()
    res = sobol_over_turns(many, "pa_share_c1", n_bootstrap=20)
    assert 2 <= res["blocks"] < 64  # the blocks with a failed run are left out
    assert "sobol_over_turns" in analysis.figures_for(many)


def test_one_replicate_has_no_band(tmp_path):
    """A comparison of one replicate per scenario (`run --replicates 1` writes a plain run):
    its band figures say there is no band, instead of 'every replicate agrees'."""
    r = subprocess.run([GEOSIM, "compare", str(SCENARIO), str(SCENARIO), "--replicates", "1",
                        "-o", str(tmp_path / "c1.h5"), "-q"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    ds = analysis.load(tmp_path / "c1.h5")
    assert ds.sizes["replicate"] == 1
    for build in (compare_figures.compare_shares_figure, compare_figures.compare_hedging_figure):
        fig = build(ds)
        title = fig._suptitle.get_text().replace("\n", " ")
        assert "one replicate: no 5-95% bands" in title and "agrees" not in title, title
        plt.close(fig)
