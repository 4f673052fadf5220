"""The analysis package on every other kind of geosim file, written by geosim in this test:
replicates (`geosim run --replicates`), a what-if comparison (`geosim compare`), Sobol' and
Morris sweeps (`geosim sweep run` + `analyze`), a sweep without indices and a checkpoint.
Checks `load` (every variable round-trips, named dimensions), the figures of each kind
(titles, axis labels with units, legends equal to the file's actors / parameters, plotted
values equal to the file's), the command line, and the one-page HTML report: self-contained,
with provenance and headline numbers, and not blank when headless Chromium renders it.

    GEOSIM_BINARY=build/release/bin/geosim /usr/bin/python3 -m pytest -q \\
        tests/python/test_analysis_outputs.py
"""

import base64
import contextlib
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import h5py
import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

import matplotlib.image as mimage  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from cli_helpers import GEOSIM, GEOSIM_MARKS  # noqa: E402
import analysis  # noqa: E402
import analysis.__main__  # noqa: E402

pytestmark = GEOSIM_MARKS

SCENARIO = REPO / "scenarios" / "central_asia_2022.yaml"
WHATIF = REPO / "scenarios" / "whatif" / "us_doubles_security_aid.yaml"
# A study (comparison format version 2): three what-ifs against the same base.
STUDY_WHATIFS = [REPO / "scenarios" / "whatif" / f"{name}.yaml" for name in
                 ("us_doubles_security_aid", "china_expands", "secondary_sanctions_enforced")]

SOBOL_YAML = f"""geosim_sweep: 1
name: test_sobol
scenario: {SCENARIO}
seed: 7
replicates: 1
design: {{kind: sobol, n: 8}}
parameters:
  - {{name: influence_inertia, path: parameters.influence_inertia, uniform: [0.05, 0.3]}}
  - {{name: us_secaid_budget, path: "actors[USA].budgets.security_aid", uniform: [10, 80]}}
outputs:
  - {{name: us_share_tjk, variable: influence_share, actor: USA, target: TJK}}
  - {{name: tjk_reexports, variable: reexports, actor: TJK, reduce: sum}}
"""

MORRIS_YAML = f"""geosim_sweep: 1
name: test_morris
scenario: {SCENARIO}
seed: 5
design: {{kind: morris, n: 4, levels: 4}}
parameters:
  - {{name: influence_inertia, path: parameters.influence_inertia, uniform: [0.05, 0.3]}}
  - {{name: us_secaid_budget, path: "actors[USA].budgets.security_aid", uniform: [10, 80]}}
  - {{name: tjk_gdp, path: "actors[TJK].gdp", loguniform: [5, 20]}}
outputs:
  - {{name: us_share_tjk, variable: influence_share, actor: USA, target: TJK}}
  - {{name: tjk_hedging, variable: hedging_index, actor: TJK, reduce: mean, from: 2023-01}}
"""

KINDS = {"run": "run", "checkpoint": "run", "replicates": "replicates",
         "comparison": "comparison", "study": "comparison", "sobol": "sweep", "morris": "sweep",
         "sweep_raw": "sweep"}


def geosim(*args, cwd):
    out = subprocess.run([GEOSIM, *map(str, args)], cwd=cwd, capture_output=True, text=True)
    assert out.returncode == 0, f"geosim {' '.join(map(str, args))}: {out.stderr}"


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """{name: path} of the files geosim writes for these tests (about 100 short runs)."""
    d = tmp_path_factory.mktemp("geosim_outputs")
    geosim("run", "-o", "run.h5", "-q", cwd=d)
    geosim("run", "--checkpoint-at", "2022-12", "-o", "checkpoint.h5", "-q", cwd=d)
    geosim("run", "--replicates", "3", "-o", "replicates.h5", "-q", cwd=d)
    geosim("compare", SCENARIO, WHATIF, "--replicates", "3", "-o", "comparison.h5", cwd=d)
    geosim("compare", SCENARIO, *STUDY_WHATIFS, "--replicates", "3", "-o", "study.h5", cwd=d)
    (d / "sobol.sweep.yaml").write_text(SOBOL_YAML)
    geosim("sweep", "run", "sobol.sweep.yaml", "-d", "sobol_dir", "-o", "sobol.h5", "-q", cwd=d)
    shutil.copy(d / "sobol.h5", d / "sweep_raw.h5")  # merged, not analysed
    geosim("sweep", "analyze", "sobol.h5", "--bootstrap", "100", "-q", cwd=d)
    (d / "morris.sweep.yaml").write_text(MORRIS_YAML)
    geosim("sweep", "run", "morris.sweep.yaml", "-d", "morris_dir", "-o", "morris.h5", "-q",
           cwd=d)
    geosim("sweep", "analyze", "morris.h5", "-q", cwd=d)
    return {name: d / f"{name}.h5" for name in KINDS}


@pytest.fixture(scope="module")
def loaded(files):
    return {name: analysis.load(path) for name, path in files.items()}


def the_legend(fig):
    legends = fig.legends + [ax.get_legend() for ax in fig.axes if ax.get_legend()]
    assert len(legends) == 1, "one legend per figure"
    return legends[0]


def legend_texts(fig):
    return [t.get_text() for t in the_legend(fig).get_texts()]


def title(fig):
    """The figure's title, its wrapped lines joined again."""
    return fig._suptitle.get_text().replace("\n", " ") if fig._suptitle else ""


def panels(fig):
    return [ax for ax in fig.axes if ax.get_title()]


def names_of(ds, role):
    return [str(n) for n, r in zip(ds["actor_name"].values, ds["actor_role"].values) if r == role]


def assert_png_not_blank(data, what):
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{what} is not a PNG"
    pixels = mimage.imread(io.BytesIO(data), format="png")
    assert pixels.ndim == 3 and min(pixels.shape[:2]) > 200, what
    rgb = (pixels[::2, ::2, :3] * 255).astype(np.uint32)
    colours = np.unique(rgb[..., 0] << 16 | rgb[..., 1] << 8 | rgb[..., 2])
    assert len(colours) > 50, f"{what} has only {len(colours)} colours"
    assert pixels[..., :3].std() > 0.05, f"{what} looks blank"
    return pixels


# Reading

@pytest.mark.parametrize("name", list(KINDS))
def test_load_recognises_the_kind(loaded, name):
    ds = loaded[name]
    assert analysis.kind(ds) == KINDS[name]
    assert analysis.io.is_checkpoint(ds) == (name == "checkpoint")


def _scale_names(raw):
    """The dimension names of an HDF5 dataset: the names of its attached dimension scales."""
    out = []
    for dim in raw.dims:
        scales = list(dim.values())
        out.append(scales[0].name.lstrip("/") if scales else None)
    return tuple(out)


@pytest.mark.parametrize("name", list(KINDS))
def test_load_round_trips_every_variable(files, loaded, name):
    ds = loaded[name]
    with h5py.File(files[name], "r") as f:
        for key, value in f.attrs.items():
            got = ds.attrs[key]
            if isinstance(value, np.ndarray):
                np.testing.assert_array_equal(got, value, err_msg=key)
            else:
                assert got == value, key
        for var, raw in f.items():
            if not isinstance(raw, h5py.Dataset):
                continue  # the checkpoint group: read by geosim run --from only
            assert var in ds.variables, f"{name}: {var} missing"
            dims = _scale_names(raw)
            if None not in dims:
                assert ds[var].dims == dims, f"{name}: {var} dimensions"
            if var in ("date", "event_date", "sample_date"):
                assert np.issubdtype(ds[var].dtype, np.datetime64), var
                assert [str(d)[:10] for d in ds[var].values] == list(raw.asstr()[:]), var
            elif h5py.check_string_dtype(raw.dtype) is not None:
                assert list(ds[var].values) == list(raw.asstr()[:]), f"{name}: {var}"
            else:
                np.testing.assert_array_equal(ds[var].values, raw[()], err_msg=f"{name}: {var}")
            for key in ("units", "long_name"):
                if key in raw.attrs:
                    assert ds[var].attrs[key] == raw.attrs[key], (name, var, key)


def test_labels_are_coordinates(loaded):
    cmp = loaded["comparison"]
    assert list(cmp["scenario_name"].values) == [cmp.attrs["base_scenario_name"],
                                                 cmp.attrs["whatif_scenario_name"]]
    share = cmp["influence_share_mean"].sel(scenario="whatif", actor="USA", target="TJK")
    assert share.dims == ("turn",) and "date" in share.coords
    assert cmp["actor_name"].sel(actor="TJK") == "Tajikistan"
    sweep = loaded["sobol"]
    assert list(sweep["metric_units"].values) == [sweep[m].attrs["units"]
                                                  for m in ("us_share_tjk", "tjk_reexports")]
    assert sweep["us_share_tjk"].dims == ("run",)
    for coord in ("influence_inertia", "us_secaid_budget", "point", "replicate"):
        assert coord in sweep["us_share_tjk"].coords
    assert sweep["sobol_st"].dims == ("metric", "parameter")
    assert float(sweep["sobol_st"].sel(metric="tjk_reexports", parameter="us_secaid_budget")) \
        == float(sweep["sobol_st"].values[1, 1])


# Replicates

def test_replicate_figures(loaded):
    ds = loaded["replicates"]
    fig = analysis.replicate_shares_figure(ds)
    assert [ax.get_title() for ax in panels(fig)] == names_of(ds, "client")
    assert legend_texts(fig) == names_of(ds, "patron")
    assert panels(fig)[0].get_ylabel() == "share of patrons' influence [0-1]"
    assert "5-95% band over 3 replicates" in title(fig)
    first = panels(fig)[0]
    patrons = analysis.codes_with_role(ds, "patron")
    client = analysis.codes_with_role(ds, "client")[0]
    np.testing.assert_allclose(
        first.get_lines()[0].get_ydata(),
        ds["influence_share_mean"].sel(actor=patrons[0], target=client).values)
    assert len(first.collections) == len(patrons), "one band per patron"

    fig = analysis.replicate_hedging_figure(ds)
    assert legend_texts(fig) == names_of(ds, "client")
    assert "hedging index [0-1]" in fig.axes[0].get_ylabel()

    view = analysis.mean_view(ds)
    np.testing.assert_array_equal(view["gdp"].values, ds["gdp_mean"].values)
    assert view["gdp"].attrs["units"] == ds["gdp"].attrs["units"]
    figures = analysis.figures_for(ds)
    assert list(figures) == ["influence_shares_bands", "hedging_bands", "dependence_heatmap",
                             "influence_network", "alignment", "alignment_ternary", "gdp",
                             "flows"]
    assert "mean of 3 replicates" in title(figures["gdp"](ds))


# Comparison

def test_comparison_figures(loaded):
    ds = loaded["comparison"]
    base, whatif = (str(n) for n in ds["scenario_name"].values)
    clients, patrons = names_of(ds, "client"), names_of(ds, "patron")

    fig = analysis.compare_shares_figure(ds)
    assert [ax.get_title() for ax in panels(fig)] == clients
    assert legend_texts(fig) == patrons + [f"baseline: {base}", f"what-if: {whatif}"]
    assert base in title(fig) and whatif in title(fig) and "5-95%" in title(fig)
    lines = [ln for ln in panels(fig)[0].get_lines() if len(ln.get_xdata()) > 2]  # not events
    styles = [line.get_linestyle() for line in lines]
    assert styles.count("-") == styles.count("--") == len(patrons)
    # each patron keeps its colour (the same as in the run figures) in both scenarios
    colours = analysis.actor_colours(ds["actor"].values)
    codes = analysis.codes_with_role(ds, "patron")
    assert [matplotlib.colors.to_hex(ln.get_color()) for ln in lines] == \
        [colours[c] for c in codes for _ in range(2)]

    fig = analysis.compare_difference_figure(ds)
    assert [ax.get_title() for ax in panels(fig)] == clients
    assert legend_texts(fig) == patrons
    assert panels(fig)[0].get_ylabel() == "change in share [percentage points]"
    code_p, code_c = "USA", analysis.codes_with_role(ds, "client")[0]
    line = [ln for ln in panels(fig)[0].get_lines() if len(ln.get_xdata()) > 2][0]
    np.testing.assert_allclose(
        line.get_ydata(),
        100 * ds["influence_share_diff_mean"].sel(actor=code_p, target=code_c).values)

    fig = analysis.compare_hedging_figure(ds)
    assert legend_texts(fig) == [f"baseline: {base}", f"what-if: {whatif}"]
    assert panels(fig)[0].get_ylabel() == "hedging index [0-1]"

    fig = analysis.compare_effects_figure(ds)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == \
        [analysis.io.short_name(c) for c in clients]
    assert "percentage points" in ax.get_xlabel()
    assert ds["reexports"].attrs["units"] in fig.axes[2].get_xlabel()
    assert legend_texts(fig)[:len(patrons)] == patrons
    assert "Dec 2024" in title(fig)


def test_comparison_numbers(loaded):
    ds = loaded["comparison"]
    table = analysis.effects_table(ds)
    clients = analysis.codes_with_role(ds, "client")
    assert len(table) == len(clients) * (len(analysis.codes_with_role(ds, "patron")) + 2)
    row = table[(table["client"] == "Tajikistan")
                & (table["quantity"] == "influence share of United States")].iloc[0]
    last = ds.isel(turn=-1).sel(actor="USA", target="TJK")
    assert row["diff"] == float(last["influence_share_diff_mean"])
    assert row["ci_lower"] == float(last["influence_share_diff_ci_lower"])
    assert row["base"] == float(last["influence_share_mean"].sel(scenario="base"))
    assert row["significant"] == (row["ci_lower"] > 0 or row["ci_upper"] < 0)
    # the 5-95% band is numpy's default (type 7) quantile over the replicates
    low, high = analysis.compare_figures.replicate_band(ds, "hedging_index", "whatif")
    values = ds["hedging_index"].sel(scenario="whatif").values
    np.testing.assert_allclose(low.values, np.quantile(values, 0.05, axis=0))
    np.testing.assert_allclose(high.values, np.quantile(values, 0.95, axis=0))



# Studies: a comparison of several what-ifs (format version 2)

def study_file(files):
    """(h5py.File, what-if names, scenario labels) of the study, read without the package."""
    f = h5py.File(files["study"], "r")
    return f, list(f["whatif"].asstr()[:]), list(f["scenario"].asstr()[:])


def test_study_loads_and_has_one_view(files, loaded):
    ds, v1 = loaded["study"], loaded["comparison"]
    f, whatifs, scenarios = study_file(files)
    with f:
        assert int(f.attrs["format_version"]) == 2 and len(whatifs) == 3
        assert scenarios == ["base"] + whatifs
        assert analysis.whatif_labels(ds) == whatifs and analysis.is_study(ds)
        view = analysis.whatif_view(ds)
        assert view["influence_share_diff_mean"].dims == ("whatif", "turn", "actor", "target")
        np.testing.assert_array_equal(view["gdp_diff"].values, f["gdp_diff"][()])
        meta = analysis.scenario_metadata(ds)
        assert [m["label"] for m in meta] == scenarios
        assert [m["role"] for m in meta] == ["base"] + ["whatif"] * 3
        for key, var in (("name", "scenario_name"), ("description", "scenario_description"),
                         ("hash", "scenario_hash"), ("yaml", "scenario_yaml"),
                         ("file", "scenario_file")):
            assert [m[key] for m in meta] == list(f[var].asstr()[:]), key
        assert [m["seed"] for m in meta] == [int(s) for s in f["seed"][()]]
        assert "whatif_scenario_name" not in f.attrs
    # a version-1 file: the same view, with one what-if labelled "whatif"
    assert analysis.whatif_labels(v1) == ["whatif"] and not analysis.is_study(v1)
    assert v1["influence_share_diff_mean"].dims == ("turn", "actor", "target"), "as written"
    view = analysis.whatif_view(v1)
    assert view["influence_share_diff_mean"].dims == ("whatif", "turn", "actor", "target")
    assert list(view["whatif"].values) == ["whatif"]
    np.testing.assert_array_equal(view["influence_share_diff_mean"].sel(whatif="whatif").values,
                                  v1["influence_share_diff_mean"].values)
    (meta,) = analysis.whatif_metadata(v1)
    assert meta["name"] == v1.attrs["whatif_scenario_name"]
    assert meta["description"] == v1.attrs["whatif_scenario_description"]
    assert meta["seed"] == v1.attrs["whatif_seed"]
    assert analysis.base_metadata(v1)["hash"] == v1.attrs["base_scenario_hash"]


def test_study_layout_is_checked(files, tmp_path):
    """A study whose labels or dimensions do not fit version 2 is a LayoutError."""
    relabelled = tmp_path / "relabelled.h5"
    shutil.copy(files["study"], relabelled)
    with h5py.File(relabelled, "r+") as f:
        f["whatif"][0] = "someone_else"
    with pytest.raises(analysis.LayoutError, match="whatif labels"):
        analysis.load(relabelled)
    as_v1 = tmp_path / "as_v1.h5"
    shutil.copy(files["study"], as_v1)
    with h5py.File(as_v1, "r+") as f:
        f.attrs["format_version"] = np.int32(1)
    with pytest.raises(analysis.LayoutError,
                       match="influence_diff has dimensions \\('whatif', 'replicate'"):
        analysis.load(as_v1)


def test_study_figures(files, loaded):
    """Every comparison figure draws a study; the time figures have a column per what-if and
    plot the file's values."""
    import matplotlib.pyplot as plt
    ds = loaded["study"]
    f, whatifs, scenarios = study_file(files)
    clients, patrons = names_of(ds, "client"), names_of(ds, "patron")
    for stem, build in analysis.figures_for(ds).items():
        fig = build(ds, None)
        assert fig.axes and title(fig), stem
        plt.close(fig)
    with f:
        fig = analysis.compare_difference_figure(ds)
        axes = panels(fig)
        assert len(axes) == len(clients) * len(whatifs)
        assert [ax.get_title() for ax in axes] == [c for c in clients for _ in whatifs]
        # the column headers (bold; the other texts label the what-ifs' own events)
        headers = [t.get_text().replace("\n", " ") for ax in axes[:len(whatifs)]
                   for t in ax.texts if t.get_fontweight() == "bold"]
        assert headers == [f"what-if: {w}" for w in whatifs]
        codes = analysis.codes_with_role(ds, "client")
        actor = [str(a) for a in f["actor"].asstr()[:]]
        target = [str(a) for a in f["target"].asstr()[:]]
        raw = f["influence_share_diff_mean"][()]  # (whatif, turn, actor, target)
        for j in range(len(whatifs)):  # row 3 (the third client), column j
            ax = axes[2 * len(whatifs) + j]
            line = [ln for ln in ax.get_lines() if len(ln.get_xdata()) > 2][0]  # USA first
            np.testing.assert_allclose(
                line.get_ydata(),
                100 * raw[j, :, actor.index("USA"), target.index(codes[2])])
        assert legend_texts(fig) == patrons
        plt.close(fig)

        fig = analysis.compare_hedging_figure(ds)
        names = list(f["scenario_name"].asstr()[:])
        assert legend_texts(fig) == [f"baseline: {names[0]}"] + \
            [f"what-if: {n}" for n in names[1:]]
        # the scenarios' lines (an event's vertical has 2 points)
        lines = [ln for ln in panels(fig)[0].get_lines() if len(ln.get_xdata()) > 2]
        assert len(lines) == len(scenarios)
        np.testing.assert_allclose(
            lines[2].get_ydata(),
            f["hedging_index_mean"][2, :, actor.index(codes[0])])
        plt.close(fig)

        fig = analysis.compare_shares_figure(ds, whatif=whatifs[1])
        assert [ax.get_title() for ax in panels(fig)] == clients, "one what-if: version 1 layout"
        assert f"what-if: {whatifs[1]}" in legend_texts(fig)
        plt.close(fig)
        with pytest.raises(ValueError, match="no what-if 'nothing'"):
            analysis.compare_shares_figure(ds, whatif="nothing")

        fig = analysis.compare_effects_figure(ds)
        assert len(fig.axes) == 3 * len(whatifs) + 1  # + the legend row
        plt.close(fig)


def test_study_effects_table(files, loaded):
    """effects_table: one row per what-if x variable x (patron, client) or client, the file's
    numbers at the horizon (read here with h5py), sorted by size, pp = 100 x the difference
    for shares."""
    ds = loaded["study"]
    f, whatifs, scenarios = study_file(files)
    table = analysis.effects_table(ds)
    clients = analysis.codes_with_role(ds, "client")
    patrons = analysis.codes_with_role(ds, "patron")
    assert len(table) == len(whatifs) * len(clients) * (len(patrons) + 2)
    assert list(dict.fromkeys(table["scenario"].sort_values())) == sorted(whatifs)
    with f:
        actor = list(f["actor"].asstr()[:])
        target = list(f["target"].asstr()[:])
        for w in whatifs:
            i = whatifs.index(w)
            s = scenarios.index(w)
            cells = [("influence_share", "USA", "TJK"), ("influence_share", "CHN", "KGZ"),
                     ("hedging_index", "UZB", ""), ("reexports", "TJK", "")]
            for var, a, t in cells:
                row = table[(table["scenario"] == w) & (table["variable"] == var)
                            & (table["actor"] == a) & (table["target"] == t)]
                assert len(row) == 1, (w, var, a, t)
                row = row.iloc[0]
                at = (actor.index(a), target.index(t)) if t else (actor.index(a),)
                assert row["diff"] == f[f"{var}_diff_mean"][(i, -1) + at]
                assert row["ci_lower"] == f[f"{var}_diff_ci_lower"][(i, -1) + at]
                assert row["ci_upper"] == f[f"{var}_diff_ci_upper"][(i, -1) + at]
                assert row["base"] == f[f"{var}_mean"][(0, -1) + at]
                assert row["whatif"] == f[f"{var}_mean"][(s, -1) + at]
                assert row["units"] == f[var].attrs["units"]
                assert row["scenario_name"] == w
                if var in ("influence_share", "hedging_index"):
                    assert row["diff_pp"] == pytest.approx(100 * row["diff"], rel=1e-12)
                    assert row["ci_lower_pp"] == pytest.approx(100 * row["ci_lower"], rel=1e-12)
                    assert row["size"] == abs(row["diff_pp"])
                else:
                    assert np.isnan(row["diff_pp"])
            us = table[(table["scenario"] == w) & (table["variable"] == "influence_share")
                       & (table["actor"] == "USA") & (table["target"] == "TJK")].iloc[0]
            assert us["effect"] == "United States share of Tajikistan"
    # sorted by the size of the effect, largest first
    sizes = table["size"].to_numpy()
    assert (np.diff(sizes[np.isfinite(sizes)]) <= 0).all()
    shares = analysis.effects_table(ds, variables=["influence_share", "hedging_index"])
    assert (np.diff(np.abs(shares["diff"].to_numpy())) <= 0).all()
    # and at another turn, for some actors
    mid = analysis.effects_table(ds, turn="2023-06", variables="influence_share",
                                 actors=["TJK"], whatifs=[whatifs[0]])
    assert set(mid["target"]) == {"TJK"} and len(mid) == len(patrons)
    row = mid[mid["actor"] == "USA"].iloc[0]
    turn = list(ds["date"].dt.strftime("%Y-%m").values).index("2023-06")
    assert row["diff"] == float(ds["influence_share_diff_mean"].isel(turn=turn).sel(
        whatif=whatifs[0], actor="USA", target="TJK"))
    with pytest.raises(ValueError, match="no variable 'nothing'"):
        analysis.effects_table(ds, variables=["nothing"])


def forest_points(fig):
    """[(effect label, x, ci low, ci high, colour)] of a forest figure, top to bottom, from
    its axes' data (the error bars' containers and the y tick labels)."""
    out = []
    for ax in fig.axes:
        if not ax.containers:
            continue
        ticks = {round(t, 6): label.get_text()
                 for t, label in zip(ax.get_yticks(), ax.get_yticklabels())}
        rows = []
        for c in ax.containers:
            x, y = c.lines[0].get_xdata()[0], c.lines[0].get_ydata()[0]
            (segments,) = [b.get_segments() for b in c.lines[2]][:1] or [[]]
            low, high = (segments[0][0][0], segments[0][1][0]) if len(segments) else (x, x)
            rows.append((-y, ticks[round(y, 6)], x, low, high,
                         matplotlib.colors.to_hex(c.lines[0].get_color())))
        out += [r[1:] for r in sorted(rows)]
    return out


def test_forest_figure(files, loaded):
    ds = loaded["study"]
    f, whatifs, scenarios = study_file(files)
    for n in (12, 4):
        fig = analysis.forest_figure(ds, n=n)
        points = forest_points(fig)
        rows = analysis.compare_figures.forest_rows(ds, n=n)
        assert len(points) == len(rows) == n, "one row per selected effect"
        # the n largest effects of the table (its default variables for the forest)
        table = analysis.effects_table(ds, variables=analysis.compare_figures.FOREST_VARIABLES)
        top = table.head(n)
        assert sorted(zip(rows["scenario"], rows["effect"])) == \
            sorted(zip(top["scenario"], top["effect"]))
        assert [p[0] for p in points] == list(rows["effect"])
        colours = analysis.compare_figures.whatif_colours(ds)
        assert [p[4] for p in points] == [colours[w] for w in rows["scenario"]]
        actor, target = list(f["actor"].asstr()[:]), list(f["target"].asstr()[:])
        for (label, x, low, high, _), (_, r) in zip(points, rows.iterrows()):
            i = whatifs.index(r["scenario"])
            at = (i, -1, actor.index(r["actor"])) + \
                ((target.index(r["target"]),) if r["target"] else ())
            scale = 100.0 if r["variable"] == "influence_share" else 1.0
            assert x == pytest.approx(scale * f[f"{r['variable']}_diff_mean"][at])
            assert low == pytest.approx(scale * f[f"{r['variable']}_diff_ci_lower"][at])
            assert high == pytest.approx(scale * f[f"{r['variable']}_diff_ci_upper"][at])
        # grouped by what-if within each unit's panel, in the file's order
        for unit, group in rows.groupby("shown_units", sort=False):
            order = [whatifs.index(w) for w in group["scenario"]]
            assert order == sorted(order), unit
        share_ax = [ax for ax in fig.axes if ax.containers][0]
        assert share_ax.get_xlabel() == "difference what-if - baseline [percentage points]"
        assert any(ln.get_xdata()[0] == 0 == ln.get_xdata()[-1] for ln in share_ax.get_lines()
                   if len(ln.get_xdata()) == 2), "a vertical line at 0"
        assert legend_texts(fig) == [w for w in whatifs if w in set(rows["scenario"])]
    f.close()
    # a version-1 file: the same figure, one what-if
    fig = analysis.forest_figure(loaded["comparison"], n=6)
    assert len(forest_points(fig)) == 6
    assert legend_texts(fig) == [loaded["comparison"].attrs["whatif_scenario_name"]]


def test_study_report_names_every_whatif(plotted, loaded):
    ds = loaded["study"]
    html = (plotted("study")[0] / "report.html").read_text()
    report_checks(html, len(EXPECTED["study"]))
    h1 = re.search(r"<h1>(.*?)</h1>", html).group(1)
    meta = analysis.scenario_metadata(ds)
    assert h1.startswith("What-if study:") and meta[0]["name"] in h1
    for m in meta:
        assert m["name"] in h1, m["name"]
        assert ".yaml" not in h1
        assert html_escape(m["description"]) in html, m["name"]
        assert m["hash"] in html and f"seed {m['seed']}" in html
    # the largest effects, then the forest plot
    table = analysis.effects_table(ds)
    first = table.iloc[0]
    assert html.index(html_escape(first["effect"])) < html.index('id="compare_forest"') \
        < html.index('id="compare_effects"')
    assert "Largest effects at Dec 2024: 3 what-ifs against central_asia_2022" in html
    assert "Means over 3 paired replicates" in html and "{" not in html.split("</style>")[1]
    assert html.count("<details>") == 3


def html_escape(text):
    import html as html_module
    return html_module.escape(text)


# Sweeps

def test_sobol_figure(loaded):
    ds = loaded["sobol"]
    fig = analysis.sobol_figure(ds)
    axes = panels(fig)
    assert [ax.get_title().split("\n")[0] for ax in axes] == ["us_share_tjk", "tjk_reexports"]
    params = [str(p) for p in ds["parameter"].values]
    for ax in axes:
        assert [t.get_text() for t in ax.get_xticklabels()] == params
        assert ax.get_ylabel() == "Sobol' index [dimensionless]"
    assert legend_texts(fig) == ["S1 (first-order)", "ST (total)"]
    heights = [p.get_height() for p in axes[1].patches]
    np.testing.assert_allclose(heights[:2], ds["sobol_s1"].sel(metric="tjk_reexports").values)
    np.testing.assert_allclose(heights[2:], ds["sobol_st"].sel(metric="tjk_reexports").values)
    assert "sweep test_sobol of scenario central_asia_2022" in title(fig)
    assert "32 of 32 runs ok" in title(fig)


def test_morris_figure(loaded):
    ds = loaded["morris"]
    fig = analysis.morris_figure(ds)
    params = [str(p) for p in ds["parameter"].values]
    assert legend_texts(fig) == params
    for ax, metric in zip(panels(fig), ["us_share_tjk", "tjk_hedging"]):
        assert ax.get_title().startswith(metric)
        points = np.array([c.get_offsets()[0] for c in ax.collections])
        np.testing.assert_allclose(points[:, 0], ds["morris_mu_star"].sel(metric=metric).values)
        np.testing.assert_allclose(points[:, 1], ds["morris_sigma"].sel(metric=metric).values)
        # a label per parameter (placed in order of distance from the origin)
        assert sorted(t.get_text() for t in ax.texts
                      if not t.get_text().startswith("σ/μ*")) == sorted(params)
        assert "μ*" in ax.get_xlabel() and "[dimensionless" in ax.get_xlabel()


def test_scatter_and_tornado_figures(loaded):
    ds = loaded["morris"]
    fig = analysis.sweep_scatter_figure(ds)
    grid = [ax for ax in fig.axes if ax.axison]
    assert len(grid) == 2 * 3
    assert [ax.get_xlabel() for ax in grid[-3:]] == [
        "influence_inertia [dimensionless]", "us_secaid_budget [USD m/yr]",
        "tjk_gdp [USD bn/yr]"]
    assert grid[0].get_ylabel() == "us_share_tjk\n[dimensionless]"
    assert grid[-1].get_xscale() == "log", "a log-uniform parameter on a log axis"
    np.testing.assert_allclose(grid[0].collections[0].get_offsets()[:, 1],
                               ds["us_share_tjk"].values)

    fig = analysis.tornado_figure(ds)
    table = analysis.tornado_table(ds)
    for ax, metric in zip(panels(fig), ["us_share_tjk", "tjk_hedging"]):
        t = table[table["metric"] == metric].sort_values("swing")
        ticks = [label.get_text().split("\n")[0] for label in ax.get_yticklabels()]
        assert ticks == list(t["parameter"]), "largest swing on top"
        widths = sorted(round(p.get_width(), 12) for p in ax.patches)
        expected = sorted(round(v, 12) for v in
                          list(t["low"] - t["overall"]) + list(t["high"] - t["overall"]))
        np.testing.assert_allclose(widths, expected)
    assert len(legend_texts(fig)) == 2


def test_sweep_without_indices(loaded):
    ds = loaded["sweep_raw"]
    assert list(analysis.figures_for(ds)) == ["sweep_scatter", "tornado"]
    with pytest.raises(ValueError, match="geosim sweep analyze"):
        analysis.sobol_figure(ds)
    assert list(analysis.figures_for(loaded["sobol"])) == ["sobol_indices", "sweep_scatter",
                                                          "tornado"]
    assert list(analysis.figures_for(loaded["morris"])) == ["morris", "sweep_scatter",
                                                           "tornado"]
    top = analysis.top_indices_table(ds)
    assert set(top["metric"]) == {"us_share_tjk", "tjk_reexports"}
    assert all(s.startswith("swing") for s in top["index"])


# The command line and the report

EXPECTED = {
    "replicates": ["influence_shares_bands", "hedging_bands"],  # the rest: run figures
    "comparison": ["compare_forest", "compare_effects", "compare_influence_shares",
                   "compare_difference", "compare_hedging"],
    "study": ["compare_forest", "compare_effects", "compare_influence_shares",
              "compare_difference", "compare_hedging"],
    "sobol": ["sobol_indices", "sweep_scatter", "tornado"],
    "morris": ["morris", "sweep_scatter", "tornado"],
}


@pytest.fixture(scope="module")
def plotted(files, tmp_path_factory):
    """{name: figure directory} from `python3 -m analysis plot` (in this process), lazily."""
    cache = {}

    def get(name):
        if name not in cache:
            out = tmp_path_factory.mktemp(f"figs_{name}")
            args = ["plot", str(files[name]), "-o", str(out), "--dpi", "100"]
            if name == "replicates":
                args += ["--only"] + EXPECTED["replicates"]
            err = io.StringIO()
            with contextlib.redirect_stderr(err):
                rc = analysis.__main__.main(args)
            assert rc == 0, err.getvalue()
            cache[name] = (out, err.getvalue())
        return cache[name]
    return get


@pytest.mark.parametrize("name", list(EXPECTED))
def test_cli_plots_every_kind(plotted, name):
    out, err = plotted(name)
    assert sorted(p.name for p in out.iterdir()) == \
        sorted([f"{s}.png" for s in EXPECTED[name]] + ["report.html"])
    for stem in EXPECTED[name]:
        path = out / f"{stem}.png"
        assert str(path) in err
        assert_png_not_blank(path.read_bytes(), path.name)


def report_checks(html, n_figures):
    """Self-contained: one page, figures as data: PNGs, nothing loaded from elsewhere."""
    assert html.startswith("<!DOCTYPE html>") and html.count("<html") == 1
    for bad in ("<script", "<link", "<iframe", "http://", "https://", "url("):
        assert bad not in html, f"report has {bad}"
    sources = re.findall(r'<img [^>]*src="([^"]*)"', html)
    assert len(sources) == n_figures
    for src in sources:
        assert src.startswith("data:image/png;base64,")
        assert_png_not_blank(base64.b64decode(src.split(",", 1)[1]), "embedded figure")
    assert "<h2>Provenance</h2>" in html


def test_reports_of_every_kind(plotted, files, loaded):
    ds = loaded["comparison"]
    html = (plotted("comparison")[0] / "report.html").read_text()
    report_checks(html, len(EXPECTED["comparison"]))
    for key in ("base_scenario_name", "whatif_scenario_name", "base_scenario_hash",
                "whatif_scenario_hash", "geosim_version"):
        assert ds.attrs[key] in html, key
    assert f"seed {ds.attrs['base_seed']}" in html
    assert "influence share of United States" in html and "Tajikistan" in html
    assert "difference (mean)" in html and "95% interval" in html

    for name in ("sobol", "morris"):
        ds = loaded[name]
        html = (plotted(name)[0] / "report.html").read_text()
        report_checks(html, len(EXPECTED[name]))
        for key in ("name", "plan_hash", "scenario_hash", "geosim_version"):
            assert str(ds.attrs[key]) in html, (name, key)
        for p in ds["parameter"].values:
            assert str(p) in html
        assert ("total Sobol' index ST" if name == "sobol" else "Morris mu*") in \
            html.replace("&#x27;", "'")

    ds = loaded["replicates"]
    html = (plotted("replicates")[0] / "report.html").read_text()
    report_checks(html, len(EXPECTED["replicates"]))
    assert "mean [5%, 95%] over 3 replicates" in html and "Kazakhstan" in html
    assert ds.attrs["scenario_hash"] in html

    # a report without figures (they are drawn above): the checkpoint's provenance
    path = files["checkpoint"].with_suffix(".html")
    analysis.write_report(loaded["checkpoint"], path, figures={}, source=files["checkpoint"])
    html = path.read_text()
    report_checks(html, 0)
    assert "Checkpoint: central_asia_2022" in html and "state after turn 11" in html


def chromium():
    for name in ("chromium", "chromium-browser"):
        if shutil.which(name):
            return shutil.which(name)
    return None


def screenshot(html_path, png_path):
    """Headless Chromium's screenshot (1200 x 2000) of a local HTML file."""
    exe = chromium()
    if exe is None:
        pytest.skip("chromium is not installed (tools/setup.sh installs Debian's chromium)")
    profile = png_path.parent / f"{png_path.stem}_profile"
    out = subprocess.run(
        [exe, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         f"--user-data-dir={profile}", f"--screenshot={png_path}", "--window-size=1200,2000",
         Path(html_path).resolve().as_uri()],
        capture_output=True, text=True, timeout=120)
    assert png_path.is_file(), f"no screenshot: {out.stderr[-2000:]}"
    return png_path


def assert_screenshot_not_blank(png_path):
    pixels = assert_png_not_blank(png_path.read_bytes(), png_path.name)
    assert pixels.shape[:2] == (2000, 1200)
    rgb = pixels[..., :3]
    not_white = (rgb < 0.94).any(axis=-1).mean()
    assert not_white > 0.03, f"only {not_white:.1%} of the page is not white"
    header = rgb[:200]  # the title: dark text on white
    assert (header.sum(axis=-1) < 1.0).mean() > 0.002, "no title at the top of the page"


@pytest.mark.parametrize("name", ["comparison", "sobol"])
def test_report_renders_in_headless_chromium(plotted, name, tmp_path):
    report = plotted(name)[0] / "report.html"
    assert_screenshot_not_blank(screenshot(report, tmp_path / f"{name}.png"))
