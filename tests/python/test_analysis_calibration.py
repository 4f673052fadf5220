"""The analysis package on calibration files (`format` = geosim-calibration), written here with
h5py following the layout of docs/calibration.md ("The calibration output file") exactly:
an abc-smc file (3 generations, 50 particles, 3 parameters with uniform, loguniform and normal
priors, 5 targets of which one holdout) and a nelder-mead file (one generation of 3
equal-weight particles, one parameter the same in all of them). Needs no geosim binary:

    /usr/bin/python3 -m pytest -q tests/python/test_analysis_calibration.py

Checks load (kind, named dimensions, the layout errors), every figure (drawn by the command
line too), the report's tables, and that the targets table's quantiles equal weighted
quantiles computed here with numpy alone.
"""

import contextlib
import io
import shutil
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

import analysis  # noqa: E402
import analysis.__main__  # noqa: E402
from analysis import calibration_figures as cf  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore:numpy.ndarray size changed")

STEMS = ["posterior_marginals", "posterior_pairs", "calibration_progress",
         "posterior_predictive"]

PARAMETERS = [  # name, path, units, prior kind, a, b, true value
    ("sanction_drag", "parameters.sanction_drag", "1", "uniform", 0.1, 2.0, 0.8),
    ("trade_elasticity", "parameters.trade_elasticity", "1", "loguniform", 0.01, 10.0, 0.3),
    ("rus_growth", "actors[RUS].growth", "1/yr", "normal", 0.0, 0.03, 0.01),
]
TARGETS = [  # name, units, observed, sd, use, period, long name
    ("uzb_chn_trade_2023", "1", 0.219, 0.01, "fit", "2023",
     "turnover share of China in Uzbekistan's trade"),
    ("kaz_rus_imports_2023", "1", 0.30, 0.02, "fit", "2023",
     "import share of Russia in Kazakhstan's imports"),
    ("tjk_inflow_gdp_2023", "1", 0.05, 0.005, "fit", "2023-12", "inflows to Tajikistan / GDP"),
    ("uzb_gdp_2023", "USD bn/yr", 90.0, 5.0, "fit", "2023", "GDP of Uzbekistan"),
    ("uzb_chn_trade_2024h1", "1", 0.23, 0.015, "holdout", "2024-01..2024-06",
     "turnover share of China in Uzbekistan's trade, first half of 2024"),
]

CALIBRATION_YAML = """geosim_calibration: 1
name: synthetic
scenario: ../central_asia_2022.yaml
seed: 11
method: {kind: abc-smc, particles: 50, replicates: 2, alpha: 0.5, tolerance: 1.0,
         generations: 12, budget: 100000, min_acceptance: 0.02}
"""


def weighted_quantiles(x, w, qs):
    """Reference for the package's weighted quantile, numpy only: the values sorted, each at
    the middle of its step of the cumulative normalised weights, linear in between."""
    order = np.argsort(x)
    x, w = np.asarray(x, float)[order], np.asarray(w, float)[order]
    w = w / w.sum()
    return np.interp(qs, np.cumsum(w) - w / 2, x)


def _strings(f, name, values):
    return f.create_dataset(name, data=np.array(values, dtype=object), dtype=h5py.string_dtype())


def write_calibration(path, method="abc-smc", seed=1):
    """A calibration file following docs/calibration.md. abc-smc: 3 generations of 50
    particles; nelder-mead: 1 generation of 3 equal-weight particles."""
    rng = np.random.default_rng(seed)
    G, N = (3, 50) if method == "abc-smc" else (1, 3)
    P, T = len(PARAMETERS), len(TARGETS)
    truth = np.array([p[6] for p in PARAMETERS])
    particles = np.empty((G, N, P))
    for g in range(G):
        spread = 0.5 / (g + 1) if method == "abc-smc" else 0.02
        x = truth * np.exp(rng.normal(0, spread, (N, P)))
        x[:, 2] = truth[2] + rng.normal(0, 0.01 / (g + 1), N)  # normal prior: additive
        if method == "nelder-mead":
            x[:, 2] = truth[2]  # converged in one direction: all vertices equal
        particles[g] = np.clip(x, [0.1, 0.01, -1], [2.0, 10.0, 1])
    if method == "abc-smc":
        weight = rng.gamma(2.0, 1.0, (G, N))
        weight[0] = 1.0  # generation 0: drawn from the prior, equal weights
        weight /= weight.sum(axis=1, keepdims=True)
    else:
        weight = np.full((G, N), 1.0 / N)
    distance = rng.gamma(4.0, 1.0, (G, N)) / (np.arange(G)[:, None] + 1) ** 1.5
    tolerance = np.array([distance[0].max()] + [np.quantile(distance[g - 1], 0.5)
                                                for g in range(1, G)])
    distance = np.minimum(distance, tolerance[:, None])
    last = particles[-1]
    predicted = np.empty((N, T))
    predicted[:, 0] = 0.15 + 0.08 * last[:, 0] + rng.normal(0, 0.005, N)
    predicted[:, 1] = 0.25 + 0.1 * last[:, 1] + rng.normal(0, 0.01, N)
    predicted[:, 2] = 0.08 + rng.normal(0, 0.002, N)  # the observation lies outside the band
    predicted[:, 3] = 85 + 500 * last[:, 2] + rng.normal(0, 2, N)
    predicted[:, 4] = predicted[:, 0] + 0.01 + rng.normal(0, 0.004, N)
    w = weight[-1]
    with h5py.File(path, "w") as f:
        a = f.attrs
        a["format"] = "geosim-calibration"
        a["format_version"] = np.int32(1)
        a["method"] = method
        a["converged"] = np.int32(method == "abc-smc")
        a["stop_reason"] = ("tolerance reached" if method == "abc-smc"
                            else "budget exhausted before the simplex shrank below its tolerance")
        a["seed"] = np.int64(20221201)
        a["calibration_yaml"] = (CALIBRATION_YAML if method == "abc-smc"
                                 else CALIBRATION_YAML.replace("abc-smc", "nelder-mead"))
        a["scenario_name"] = "central_asia_2022"
        a["scenario_hash"] = "0123456789abcdef"
        a["scenario_yaml"] = "name: central_asia_2022\n"
        a["geosim_version"] = "0.9.0"
        a["git_commit"] = "abc1234"
        a["start_time"] = "2025-01-01T00:00:00Z"
        a["wall_seconds"] = 12.5
        a["host"] = "testhost"
        a["command_line"] = "geosim calibrate synthetic.calibration.yaml"
        a["runs"] = np.int64(2 * 400)
        a["runs_failed"] = np.int64(3)

        dims = {"generation": np.arange(G, dtype=np.int32),
                "particle": np.arange(N, dtype=np.int32)}
        for name, values in dims.items():
            f.create_dataset(name, data=values).make_scale(name)
        _strings(f, "parameter", [p[0] for p in PARAMETERS]).make_scale("parameter")
        _strings(f, "target", [t[0] for t in TARGETS]).make_scale("target")

        def var(name, data, dims, units=None, long_name=None, string=False):
            d = (_strings(f, name, data) if string
                 else f.create_dataset(name, data=np.asarray(data)))
            for k, dim in enumerate(dims):
                d.dims[k].attach_scale(f[dim])
            if units is not None:
                d.attrs["units"] = units
            if long_name:
                d.attrs["long_name"] = long_name
            return d

        var("parameter_path", [p[1] for p in PARAMETERS], ("parameter",), string=True)
        var("parameter_units", [p[2] for p in PARAMETERS], ("parameter",), string=True)
        var("prior_kind", [p[3] for p in PARAMETERS], ("parameter",), string=True)
        var("prior_a", np.array([p[4] for p in PARAMETERS]), ("parameter",))
        var("prior_b", np.array([p[5] for p in PARAMETERS]), ("parameter",))
        var("particles", particles, ("generation", "particle", "parameter"))
        var("weight", weight, ("generation", "particle"), "1")
        var("distance", distance, ("generation", "particle"), "1")
        var("tolerance", tolerance, ("generation",), "1")
        var("ess", 1.0 / (weight ** 2).sum(axis=1), ("generation",), "1")
        acceptance = (np.array([1.0, 0.4, 0.12])[:G] if method == "abc-smc"
                      else np.full(G, np.nan))
        var("acceptance", acceptance, ("generation",), "1")
        proposals = (np.round(N / acceptance).astype(np.int64) if method == "abc-smc"
                     else np.array([57], dtype=np.int64))
        var("proposals", proposals, ("generation",))
        var("failed", np.array([0, 1, 2][:G], dtype=np.int64), ("generation",))
        var("posterior_median",
            np.array([weighted_quantiles(last[:, k], w, 0.5) for k in range(P)]),
            ("parameter",))
        var("best", last[np.argmin(distance[-1])], ("parameter",))
        var("target_observed", np.array([t[2] for t in TARGETS]), ("target",))
        var("target_sd", np.array([t[3] for t in TARGETS]), ("target",))
        var("target_units", [t[1] for t in TARGETS], ("target",), string=True)
        var("target_use", [t[4] for t in TARGETS], ("target",), string=True)
        var("target_source", ["synthetic source"] * T, ("target",), string=True)
        var("target_period", [t[5] for t in TARGETS], ("target",), string=True)
        var("target_long_name", [t[6] for t in TARGETS], ("target",), string=True)
        var("predicted", predicted, ("particle", "target"))
        var("persistence", np.array([np.nan] * 4 + [0.219]), ("target",))
    return path


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("calibration")
    return {"abc": write_calibration(d / "abc.h5"),
            "nm": write_calibration(d / "nm.h5", method="nelder-mead")}


@pytest.fixture(scope="module")
def loaded(files):
    return {name: analysis.load(path) for name, path in files.items()}


def cli(*args):
    """`python3 -m analysis ARGS` in this process: (exit status, stderr)."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        rc = analysis.__main__.main([str(a) for a in args])
    return rc, err.getvalue()


def assert_png_not_blank(path):
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    pixels = mimage.imread(io.BytesIO(data), format="png")
    assert min(pixels.shape[:2]) > 200, path.name
    assert pixels[..., :3].std() > 0.05, f"{path.name} looks blank"


# Reading

def test_load_recognises_the_kind(files, loaded):
    for name in files:
        ds = loaded[name]
        assert analysis.kind(ds) == "calibration"
        assert ds["particles"].dims == ("generation", "particle", "parameter")
        assert ds["predicted"].dims == ("particle", "target")
        assert list(ds["parameter"].values) == [p[0] for p in PARAMETERS]
        assert list(ds["target"].values) == [t[0] for t in TARGETS]
        with h5py.File(files[name], "r") as f:
            np.testing.assert_array_equal(ds["particles"].values, f["particles"][()])
    assert analysis.figures_for(loaded["abc"]).keys() == set(STEMS)


def _copy_without(src, dst, drop=None, edit=None):
    """A copy of a calibration file without dataset `drop`, or with edit(f) applied."""
    shutil.copy(src, dst)
    with h5py.File(dst, "r+") as f:
        if drop:
            del f[drop]
        if edit:
            edit(f)
    return dst


def test_user_errors_exit_2_with_one_line(files, tmp_path):
    missing = _copy_without(files["abc"], tmp_path / "missing.h5", drop="target_sd")
    with pytest.raises(analysis.LayoutError, match="no variable 'target_sd'"):
        analysis.load(missing)
    rc, err = cli("plot", missing, "-o", tmp_path / "figs")
    assert rc == 2 and "no variable 'target_sd'" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not (tmp_path / "figs").exists()

    def bad_prior(f):
        f["prior_kind"][0] = "gamma"
    prior = _copy_without(files["abc"], tmp_path / "prior.h5", edit=bad_prior)
    rc, err = cli("report", prior, "-o", tmp_path / "r.html")
    assert rc == 2 and "prior_kind" in err and "gamma" in err
    assert len(err.strip().splitlines()) == 1

    def wrong_format(f):
        f.attrs["format"] = "geosim-calibrationx"
    other = _copy_without(files["abc"], tmp_path / "other.h5", edit=wrong_format)
    rc, err = cli("plot", other, "-o", tmp_path / "figs")
    assert rc == 2 and "not a geosim output file" in err
    assert len(err.strip().splitlines()) == 1

    # a figure of another kind of file
    with pytest.raises(ValueError, match="calibration file"):
        cf.posterior_marginals_figure(_as_other_kind(analysis.load(files["abc"])))
    rc, err = cli("plot", files["abc"], "--turns", "0", "-o", tmp_path / "t", "--only",
                  "posterior_pairs", "--no-report")
    assert rc == 0 and "ignored" in err


def test_output_errors_exit_2_with_one_line(files, tmp_path):
    """An output the package cannot write: one line, exit 2, no traceback (any file kind)."""
    a_file = tmp_path / "a_file"
    a_file.write_text("mine\n")
    cases = [
        (("plot", files["abc"], "-o", a_file), "exists and is not a folder"),
        (("plot", files["abc"], "-o", a_file / "sub"), "cannot create the folder"),
        (("report", files["abc"], "-o", tmp_path / "no" / "r.html"), "does not exist"),
        (("report", files["abc"], "-o", tmp_path), "is a folder"),
    ]
    for args, message in cases:
        rc, err = cli(*args)
        assert rc == 2, (args, rc, err)
        assert message in err and "Traceback" not in err, err
        assert len(err.strip().splitlines()) == 1, err
    assert a_file.read_text() == "mine\n", "a file of the user's was changed"


def _as_other_kind(ds):
    ds = ds.copy()
    ds.attrs["format"] = "geosim-sweep"
    return ds


# Weighted quantiles

def test_weighted_quantile_definition():
    x = np.array([3.0, 1.0, 2.0, 10.0])
    w = np.array([0.1, 0.2, 0.3, 0.4])
    qs = np.array([0.0, 0.05, 0.25, 0.5, 0.9, 1.0])
    np.testing.assert_allclose(cf.weighted_quantile(x, w, qs), weighted_quantiles(x, w, qs))
    # equal weights: numpy's "hazen" quantiles (the i-th of n values at (i - 1/2) / n)
    y = np.random.default_rng(0).normal(size=7)
    np.testing.assert_allclose(cf.weighted_quantile(y, np.ones(7), qs),
                               np.quantile(y, qs, method="hazen"))
    assert cf.weighted_quantile([5.0, 5.0, 5.0], [1, 1, 1], 0.5) == 5.0
    # zero weights and NaN values are left out
    assert cf.weighted_quantile([1.0, np.nan, 100.0, 2.0], [1, 1, 0, 1], 0.5) == 1.5


# Tables

@pytest.mark.parametrize("name", ["abc", "nm"])
def test_targets_table_quantiles_equal_numpy(loaded, files, name):
    ds = loaded[name]
    t = cf.targets_table(ds)
    assert list(t["target"]) == [x[0] for x in TARGETS]
    with h5py.File(files[name], "r") as f:
        pred, w = f["predicted"][()], f["weight"][-1]
        observed = f["target_observed"][()]
    for k, (_, row) in enumerate(t.iterrows()):
        q05, q50, q95 = weighted_quantiles(pred[:, k], w, [0.05, 0.5, 0.95])
        np.testing.assert_allclose([row["q05"], row["median"], row["q95"]], [q05, q50, q95],
                                   rtol=1e-12)
        assert row["inside"] == bool(q05 <= observed[k] <= q95)
    assert list(t["use"]) == [x[4] for x in TARGETS]
    if name == "abc":
        assert not t["inside"].iloc[2], "tjk_inflow_gdp_2023 lies outside its band"


def test_parameters_and_generations_tables(loaded, files):
    ds = loaded["abc"]
    p = cf.parameters_table(ds)
    assert list(p["parameter"]) == [x[0] for x in PARAMETERS]
    assert list(p["prior"]) == ["uniform [0.1, 2]", "loguniform [0.01, 10]",
                                "normal (mean 0, sd 0.03)"]
    with h5py.File(files["abc"], "r") as f:
        last, w = f["particles"][-1], f["weight"][-1]
        np.testing.assert_allclose(p["median"], f["posterior_median"][()])
    for k, (_, row) in enumerate(p.iterrows()):
        x = np.log(last[:, k]) if PARAMETERS[k][3] == "loguniform" else last[:, k]
        lo, hi = weighted_quantiles(last[:, k], w, [0.05, 0.95])
        np.testing.assert_allclose([row["q05"], row["q95"]], [lo, hi], rtol=1e-12)
        kind, a, b = PARAMETERS[k][3:6]
        prior_sd = ((b - a) / np.sqrt(12) if kind == "uniform" else b if kind == "normal"
                    else (np.log(b) - np.log(a)) / np.sqrt(12))
        mean = np.sum(w * x)
        sd = np.sqrt(np.sum(w * (x - mean) ** 2))
        np.testing.assert_allclose(row["sd_ratio"], sd / prior_sd)
        assert row["not_identified"] == (row["sd_ratio"] > 0.8)
    g = cf.generations_table(ds)
    assert list(g.columns[:5]) == ["generation", "tolerance", "acceptance", "ess", "proposals"]
    assert len(g) == 3
    np.testing.assert_allclose(g["ess"], ds["ess"].values)


# Figures

def test_figures(loaded):
    ds = loaded["abc"]
    fig = cf.posterior_marginals_figure(ds)
    axes = [ax for ax in fig.axes if ax.get_title()]
    assert [ax.get_title().split("\n")[0] for ax in axes] == [p[0] for p in PARAMETERS]
    assert [ax.get_xscale() for ax in axes] == ["linear", "log", "linear"]
    assert "[1/yr]" in axes[2].get_xlabel()
    fig = cf.posterior_pairs_figure(ds)
    assert len([ax for ax in fig.axes if ax.axison]) == 3 * 3 - 3  # lower triangle + diagonal
    fig = cf.progress_figure(ds)
    assert fig.axes[0].get_yscale() == "log"
    fig = cf.posterior_predictive_figure(ds)
    panels = [ax for ax in fig.axes if ax.get_title()]
    assert len(panels) == 2, "one panel per unit"
    assert "%" in panels[0].get_xlabel() and "USD bn/yr" in panels[1].get_xlabel()
    labels = [t.get_text() for t in panels[0].get_yticklabels()]
    assert any("holdout" in s for s in labels)


def test_many_parameters_are_capped_in_the_pair_plot(loaded):
    ds = loaded["abc"]
    big = ds.isel(parameter=[0, 1, 2, 0, 1, 2, 0, 1, 2, 0])
    big = big.assign_coords(parameter=[f"p{k}" for k in range(10)])
    fig = cf.posterior_pairs_figure(big)
    assert len([ax for ax in fig.axes if ax.axison]) == 8 * 9 // 2
    assert "first 8 of 10 parameters" in fig._suptitle.get_text().replace("\n", " ")


# The command line and the report

@pytest.mark.parametrize("name", ["abc", "nm"])
def test_plot_writes_every_figure_and_the_report(files, name, tmp_path):
    out = tmp_path / "figs"
    rc, err = cli("plot", files[name], "-o", out, "--dpi", "80")
    assert rc == 0, err
    assert sorted(p.name for p in out.iterdir()) == sorted([f"{s}.png" for s in STEMS]
                                                           + ["report.html"])
    for stem in STEMS:
        assert str(out / f"{stem}.png") in err
        assert_png_not_blank(out / f"{stem}.png")
    html = (out / "report.html").read_text()
    assert html.count('<img alt="') == len(STEMS)
    for heading in ("Targets", "Parameters", "Generations"):
        assert f"<h2>{heading}" in html, heading
    for t in TARGETS:
        assert f"<td>{t[0]}" in html
    for p in PARAMETERS:
        assert f"<td>{p[0]}" in html
    assert "<h2>Provenance</h2>" in html and "http" not in html
    if name == "nm":
        assert 'class="warn"' in html and "Not converged" in html
        assert "budget exhausted before the simplex" in html
    else:
        assert 'class="warn"' not in html and "converged: tolerance reached" in html


def test_report_numbers(files, loaded, tmp_path):
    rc, err = cli("report", files["abc"], "-o", tmp_path / "r.html")
    assert rc == 0, err
    html = (tmp_path / "r.html").read_text()
    t = cf.targets_table(loaded["abc"])
    row = t.iloc[0]  # a share: in percent, the sd in percentage points
    assert f"{100 * row['observed']:.3g}% ± {100 * row['sd']:.2g} pp" in html
    assert f"{100 * row['median']:.3g}%" in html
    assert f"[{100 * row['q05']:.3g}, {100 * row['q95']:.3g}]%" in html
    row = t.iloc[3]
    assert f"{row['observed']:.4g} ± {row['sd']:.2g} USD bn/yr" in html
    assert "not identified" in html or not cf.parameters_table(loaded["abc"])[
        "not_identified"].any()
    assert html.count("<tr>") >= len(TARGETS) + len(PARAMETERS) + 3
