"""The analysis package (analysis/) loads a run file and plots it.

GEOSIM_RUN_FILE names the run file(s) to plot (several separated by os.pathsep). Nothing is
specific to one scenario: patrons, clients and poles are read from the file with h5py.

    GEOSIM_RUN_FILE=/tmp/baseline.h5 /usr/bin/python3 -m pytest -q tests/python/test_analysis.py
"""

import os
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

import analysis  # noqa: E402

RUN_FILES = [p for p in os.environ.get("GEOSIM_RUN_FILE", "").split(os.pathsep) if p]
needs_run = pytest.mark.skipif(
    not RUN_FILES, reason="GEOSIM_RUN_FILE is not set (path of a run file from `geosim run`)")

pytestmark = pytest.mark.filterwarnings("ignore:numpy.ndarray size changed")


@pytest.fixture(params=RUN_FILES, ids=lambda p: os.path.basename(str(p)))
def run_file(request):
    assert os.path.isfile(request.param), f"{request.param} does not exist"
    return request.param


@pytest.fixture
def ds(run_file):
    with analysis.load(run_file) as ds:
        yield ds


def read_actors(path):
    """{role: [full names]} and the pole names, straight from the file with h5py."""
    with h5py.File(path, "r") as f:
        names = list(f["actor_name"].asstr()[:])
        roles = list(f["actor_role"].asstr()[:])
        poles = list(f["pole_name"].asstr()[:])
    by_role = {r: [n for n, rr in zip(names, roles) if rr == r] for r in set(roles)}
    return by_role, poles


def legend_texts(fig):
    legends = fig.legends or [ax.get_legend() for ax in fig.axes if ax.get_legend()]
    assert len(legends) == 1, "one legend per figure"
    return [t.get_text() for t in legends[0].get_texts()]


def panel_axes(fig):
    return [ax for ax in fig.axes if ax.get_title()]


@needs_run
def test_cli_writes_non_blank_pngs(run_file, tmp_path):
    env = dict(os.environ, PYTHONPATH=str(REPO))
    out = subprocess.run([sys.executable, "-m", "analysis", "plot", run_file, "-o",
                          str(tmp_path / "figs")], cwd=tmp_path, env=env,
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    expected = ["influence_shares", "dependence_heatmap", "alignment", "gdp"]
    with h5py.File(run_file, "r") as f:
        if f["pole"].shape[0] == 3:
            expected.append("alignment_ternary")
    for stem in expected:
        path = tmp_path / "figs" / f"{stem}.png"
        assert path.is_file(), f"{stem}.png not written"
        assert str(path) in out.stderr, "written paths are printed to stderr"
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", f"{stem}.png is not a PNG"
        pixels = mimage.imread(path)
        assert pixels.ndim == 3 and min(pixels.shape[:2]) > 200, stem
        assert pixels[..., :3].std() > 0.05, f"{stem}.png looks blank"
    assert sorted(p.stem for p in (tmp_path / "figs").iterdir()) == sorted(expected)


@needs_run
def test_cli_other_formats(run_file, tmp_path):
    env = dict(os.environ, PYTHONPATH=str(REPO))
    subprocess.run([sys.executable, "-m", "analysis", "plot", run_file, "-o", str(tmp_path),
                    "--format", "svg", "pdf"], env=env, check=True, capture_output=True)
    assert (tmp_path / "gdp.svg").read_text().lstrip().startswith("<?xml")
    assert (tmp_path / "gdp.pdf").read_bytes()[:5] == b"%PDF-"
    assert not (tmp_path / "gdp.png").exists()


@needs_run
def test_influence_shares_figure(run_file, ds):
    roles, _ = read_actors(run_file)
    fig = analysis.influence_shares_figure(ds)
    panels = panel_axes(fig)
    assert [ax.get_title() for ax in panels] == roles.get("client", [])
    assert legend_texts(fig) == roles["patron"]
    for ax in panels:
        assert ax.get_ylim() == (0, 1)
    ylabels = {ax.get_ylabel() for ax in panels} - {""}
    assert ylabels <= {"share of patrons' influence"}
    if panels:
        assert panels[0].get_ylabel()


@needs_run
def test_alignment_figures(run_file, ds):
    roles, poles = read_actors(run_file)
    fig = analysis.alignment_figure(ds)
    assert [ax.get_title() for ax in panel_axes(fig)] == roles.get("client", [])
    assert legend_texts(fig) == poles
    assert all("alignment" in ax.get_ylabel() for ax in panel_axes(fig)[:1])
    if len(poles) == 3:
        assert legend_texts(analysis.alignment_ternary_figure(ds)) == roles["client"]
    else:
        with pytest.raises(ValueError, match="3 poles"):
            analysis.alignment_ternary_figure(ds)


@needs_run
def test_gdp_and_dependence_figures(run_file, ds):
    units = ds["gdp"].attrs["units"]
    fig = analysis.gdp_figure(ds)
    (ax,) = fig.axes
    assert ax.get_yscale() == "log"
    assert units in ax.get_ylabel()
    assert len(legend_texts(fig)) == ds.sizes["actor"]
    patrons = read_actors(run_file)[0]["patron"]
    assert [t.split(" (")[0] for t in legend_texts(fig)][:len(patrons)] == \
        [analysis.io.short_name(p) for p in patrons]

    fig = analysis.dependence_heatmap_figure(ds)
    heat, bar = fig.axes
    assert heat.get_ylabel() == "dependent actor"
    assert "depended on" in heat.get_xlabel()
    assert "dimensionless" in bar.get_ylabel()
    assert len(heat.get_yticklabels()) == ds.sizes["actor"]


@needs_run
def test_actor_colours_are_fixed_and_shared(ds):
    codes = [str(a) for a in ds["actor"].values]
    colours = analysis.actor_colours(codes)
    assert analysis.actor_colours(["CHN", "USA"]) == {"CHN": "#e0a800", "USA": "#1f77b4"}
    assert all(colours[c] == analysis.colours.FIXED[c] for c in codes
               if c in analysis.colours.FIXED)
    # The same patron has the same colour in the influence areas and the GDP lines.
    patrons = [c for c, r in zip(codes, ds["actor_role"].values) if r == "patron"]
    gdp_lines = analysis.gdp_figure(ds).axes[0].get_lines()
    assert [matplotlib.colors.to_hex(line.get_color()) for line in gdp_lines] == \
        [colours[c] for c in codes]
    panels = panel_axes(analysis.influence_shares_figure(ds))
    if panels:
        fills = [matplotlib.colors.to_hex(c.get_facecolor()[0], keep_alpha=False)
                 for c in panels[0].collections]
        assert fills == [colours[p] for p in patrons]


@needs_run
def test_load_round_trips(run_file, ds):
    assert ds.attrs["format"] == "geosim-run"
    assert np.issubdtype(ds["date"].dtype, np.datetime64)
    assert ds["date"].dims == ("turn",)
    with h5py.File(run_file, "r") as f:
        np.testing.assert_array_equal(ds["influence"].values, f["influence"][()])
        np.testing.assert_array_equal(ds["influence_share"].values, f["influence_share"][()])
        assert list(ds["actor"].values) == list(f["actor"].asstr()[:])
        assert [str(d)[:10] for d in ds["date"].values] == list(f["date"].asstr()[:])
        assert len(analysis.events(ds)) == f["event"].shape[0]


def test_load_rejects_other_hdf5(tmp_path):
    path = tmp_path / "other.h5"
    with h5py.File(path, "w") as f:
        f["x"] = np.arange(3)
        f.attrs["format"] = "something-else"
    with pytest.raises(ValueError, match="geosim-run") as err:
        analysis.load(path)
    assert str(path) in str(err.value) and "something-else" in str(err.value)

    with h5py.File(path, "w") as f:
        f["x"] = np.arange(3)
    with pytest.raises(ValueError, match="no 'format' attribute"):
        analysis.load(path)


def test_load_rejects_other_version_and_non_hdf5(tmp_path):
    path = tmp_path / "future.h5"
    with h5py.File(path, "w") as f:
        f.attrs["format"] = "geosim-run"
        f.attrs["format_version"] = 2
    with pytest.raises(ValueError, match="format_version = 1, found 2"):
        analysis.load(path)

    text = tmp_path / "notes.txt"
    text.write_text("not HDF5")
    with pytest.raises(ValueError, match="not an HDF5 file"):
        analysis.load(text)


def test_cli_reports_bad_file(tmp_path):
    path = tmp_path / "other.h5"
    with h5py.File(path, "w") as f:
        f.attrs["format"] = "something-else"
    out = subprocess.run([sys.executable, "-m", "analysis", "plot", str(path), "-o",
                          str(tmp_path / "figs")], cwd=REPO, capture_output=True, text=True)
    assert out.returncode == 2
    assert "not a geosim run file" in out.stderr and "Traceback" not in out.stderr
