"""The analysis package (analysis/) on run files: load, every run figure, the command line,
and the errors for files that are not ours.

GEOSIM_RUN_FILE names run file(s) from `geosim run` (several separated by os.pathsep; ctest
passes the baseline the fixture cli.baseline_run writes). With GEOSIM_BINARY (the geosim
program) the tests also write and plot runs of scenarios/small_test.yaml (format version 1:
other actor codes, two poles), scenarios/small_test_v2.yaml and tests/python/sahel_v2.yaml
(format version 2: a rest of the world, every version-2 event action, made-up actor and pole
codes, poles without a wholly-aligned owner). Nothing is specific to one scenario: patrons,
clients, the rest of the world and poles are read from the file with h5py.

    GEOSIM_RUN_FILE=out/baseline.h5 GEOSIM_BINARY=build/release/bin/geosim \\
        /usr/bin/python3 -m pytest -q tests/python/test_analysis.py
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
import matplotlib
import numpy as np
import pytest
import xarray as xr

matplotlib.use("Agg")

import matplotlib.image as mimage  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

import analysis  # noqa: E402
import analysis.__main__  # noqa: E402

RUN_FILES = [p for p in os.environ.get("GEOSIM_RUN_FILE", "").split(os.pathsep) if p]
GEOSIM = os.environ.get("GEOSIM_BINARY", "")
# Scenarios the tests run with GEOSIM_BINARY: name -> scenario file.
SCENARIOS = {
    "small_test": REPO / "scenarios" / "small_test.yaml",
    "small_test_v2": REPO / "scenarios" / "small_test_v2.yaml",
    "sahel_v2": Path(__file__).resolve().parent / "sahel_v2.yaml",
}
V2_SCENARIOS = ["small_test_v2", "sahel_v2"]
PARAMS = RUN_FILES + (list(SCENARIOS) if GEOSIM else [])
needs_run = pytest.mark.skipif(
    not PARAMS, reason="neither GEOSIM_RUN_FILE (a run file) nor GEOSIM_BINARY is set")

pytestmark = pytest.mark.filterwarnings("ignore:numpy.ndarray size changed")

RUN_STEMS = ["influence_shares", "dependence_heatmap", "influence_network", "alignment",
             "gdp", "flows"]


@pytest.fixture(scope="session")
def scenario_runs(tmp_path_factory):
    """{name: path} of runs of SCENARIOS written by geosim for this session, on first use."""
    d = tmp_path_factory.mktemp("scenario_runs")
    paths = {}

    def get(name):
        if name not in paths:
            path = d / f"{name}.h5"
            out = subprocess.run([GEOSIM, "run", str(SCENARIOS[name]), "-o", str(path), "-q"],
                                 capture_output=True, text=True)
            assert out.returncode == 0, f"geosim run {SCENARIOS[name]}: {out.stderr}"
            paths[name] = str(path)
        return paths[name]
    return get


@pytest.fixture
def small_run(scenario_runs):
    """A run of scenarios/small_test.yaml (format version 1) written by geosim."""
    return scenario_runs("small_test")


@pytest.fixture(params=PARAMS, ids=lambda p: os.path.basename(str(p)))
def run_file(request):
    if request.param in SCENARIOS:
        return request.getfixturevalue("scenario_runs")(request.param)
    assert os.path.isfile(request.param), f"{request.param} does not exist"
    return request.param


needs_geosim = pytest.mark.skipif(not GEOSIM, reason="GEOSIM_BINARY (geosim) is not set")


@pytest.fixture(params=V2_SCENARIOS)
def v2_file(request, scenario_runs):
    """A run of a version-2 scenario with a rest of the world."""
    if not GEOSIM:
        pytest.skip("GEOSIM_BINARY (geosim) is not set")
    return scenario_runs(request.param)


@pytest.fixture
def ds(run_file):
    with analysis.load(run_file) as ds:
        yield ds


def read_actors(path):
    """{role: [full names]} and the pole names, straight from the file with h5py (the rest of
    the world under the role "rest_of_world")."""
    with h5py.File(path, "r") as f:
        names = list(f["actor_name"].asstr()[:])
        roles = list(f["actor_role"].asstr()[:])
        poles = list(f["pole_name"].asstr()[:])
    by_role = {r: [n for n, rr in zip(names, roles) if rr == r] for r in set(roles)}
    return by_role, poles


def listed(ds):
    """Codes of the actors other than the rest of the world, read without the package."""
    return [str(c) for c, r in zip(ds["actor"].values, ds["actor_role"].values)
            if r != "rest_of_world"]


def the_legend(fig):
    legends = fig.legends + [ax.get_legend() for ax in fig.axes if ax.get_legend()]
    assert len(legends) == 1, "one legend per figure"
    return legends[0]


def legend_texts(fig):
    return [t.get_text() for t in the_legend(fig).get_texts()]


def panel_axes(fig):
    return [ax for ax in fig.axes if ax.get_title()]


def title(fig):
    """The figure's title, its wrapped lines joined again."""
    return fig._suptitle.get_text().replace("\n", " ") if fig._suptitle else ""


def assert_png_not_blank(path):
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    pixels = mimage.imread(path)
    assert pixels.ndim == 3 and min(pixels.shape[:2]) > 200, path.name
    assert pixels[..., :3].std() > 0.05, f"{path.name} looks blank"
    rgb = (pixels[::2, ::2, :3] * 255).astype(np.uint32)
    colours = np.unique(rgb[..., 0] << 16 | rgb[..., 1] << 8 | rgb[..., 2])
    assert len(colours) > 50, f"{path.name} has only {len(colours)} colours"


def run_cli(*args, cwd=None):
    """`python3 -m analysis ARGS` in a new process."""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.run([sys.executable, "-m", "analysis", *map(str, args)], cwd=cwd or REPO,
                          env=env, capture_output=True, text=True)


def cli(capsys, *args):
    """The same command in this process (cheaper): (exit status, stderr)."""
    capsys.readouterr()
    rc = analysis.__main__.main([str(a) for a in args])
    return rc, capsys.readouterr().err


@pytest.fixture(scope="module")
def plotted_run(tmp_path_factory):
    """`python3 -m analysis plot RUN -o DIR` on the first GEOSIM_RUN_FILE, in a new process:
    (run file, DIR, the command's result)."""
    if not RUN_FILES:
        pytest.skip("the full plot is checked on GEOSIM_RUN_FILE")
    out = tmp_path_factory.mktemp("plotted") / "figs"
    return RUN_FILES[0], out, run_cli("plot", RUN_FILES[0], "-o", out)


def test_cli_writes_every_figure_and_the_report(plotted_run):
    run, figs, out = plotted_run
    assert out.returncode == 0, out.stderr
    expected = list(RUN_STEMS)
    with h5py.File(run, "r") as f:
        if f["pole"].shape[0] == 3:
            expected.append("alignment_ternary")
    for stem in expected:
        path = figs / f"{stem}.png"
        assert path.is_file(), f"{stem}.png not written"
        assert str(path) in out.stderr, "written paths are printed to stderr"
        assert_png_not_blank(path)
    assert sorted(p.name for p in figs.iterdir()) == \
        sorted([f"{s}.png" for s in expected] + ["report.html"])


def test_run_report(plotted_run, tmp_path):
    run, figs, out = plotted_run
    html = (figs / "report.html").read_text()
    assert html.startswith("<!DOCTYPE html>") and html.count("<html") == 1
    for bad in ("<script", "<link", "http://", "https://", "url("):
        assert bad not in html, bad
    sources = re.findall(r'<img [^>]*src="([^"]*)"', html)
    assert len(sources) == len(list(figs.glob("*.png")))
    assert all(s.startswith("data:image/png;base64,") for s in sources)
    with h5py.File(run, "r") as f:
        a = f.attrs
        for value in (a["scenario_name"], a["scenario_hash"], a["geosim_version"],
                      a["git_commit"], f"seed {a['seed']}"):
            assert str(value) in html, value
        names, roles = list(f["actor_name"].asstr()[:]), list(f["actor_role"].asstr()[:])
        share = f["influence_share"][-1]
    # the headline table: each client's final shares, e.g. the first patron's over the first
    # client to 3 decimals
    assert all(f"<td>{n}</td>" in html for n, r in zip(names, roles) if r == "client")
    patron, client = roles.index("patron"), roles.index("client")
    assert f">{share[patron, client]:.3f}</td>" in html

    # rendered by headless Chromium, the page is not blank
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        pytest.skip("chromium is not installed (tools/setup.sh installs Debian's chromium)")
    shot = tmp_path / "report.png"
    subprocess.run([exe, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={shot}",
                    "--window-size=1200,2000", (figs / "report.html").resolve().as_uri()],
                   capture_output=True, timeout=120)
    assert_png_not_blank(shot)
    pixels = mimage.imread(shot)[..., :3]
    assert pixels.shape[:2] == (2000, 1200)
    assert (pixels < 0.94).any(axis=-1).mean() > 0.03, "the page is mostly white"


@needs_run
def test_cli_default_directory_other_formats_and_only(tmp_path, capsys):
    if not RUN_FILES:
        pytest.skip("checked on GEOSIM_RUN_FILE")
    local = tmp_path / "my run.h5"
    shutil.copy(RUN_FILES[0], local)
    rc, err = cli(capsys, "plot", local, "--only", "gdp", "--format", "svg", "pdf",
                  "--no-report")
    assert rc == 0, err
    figs = tmp_path / "my run_figures"  # next to the file, named after it
    assert sorted(p.name for p in figs.iterdir()) == ["gdp.pdf", "gdp.svg"]
    assert (figs / "gdp.svg").read_text().lstrip().startswith("<?xml")
    assert (figs / "gdp.pdf").read_bytes()[:5] == b"%PDF-"

    rc, err = cli(capsys, "plot", local, "--only", "nonsense", "-o", tmp_path / "x")
    assert rc == 2 and "no figure nonsense" in err
    assert len(err.strip().splitlines()) == 1
    rc, err = cli(capsys, "plot", local, "--turns", "1999-01", "-o", tmp_path / "x")
    assert rc == 2 and "outside the run" in err
    assert not (tmp_path / "x").exists()


@needs_run
def test_influence_shares_figure(run_file, ds):
    roles, _ = read_actors(run_file)
    fig = analysis.influence_shares_figure(ds)
    panels = panel_axes(fig)
    assert [ax.get_title() for ax in panels] == roles.get("client", [])
    assert legend_texts(fig) == roles["patron"]
    for ax in panels:
        assert ax.get_ylim() == (0, 1)
    assert {ax.get_ylabel() for ax in panels} - {""} == {"share of patrons' influence [0-1]"}
    assert "Patrons' shares of influence" in title(fig)
    assert ds.attrs["scenario_name"] in title(fig)
    first, last = (str(ds["date"].values[i])[:4] for i in (0, -1))
    assert first in title(fig) and last in title(fig), "the title says when"
    # scripted events are marked: one dashed line per event date touching the client
    ev = analysis.events(ds)
    scripted = ev[ev["cause"] == "scripted"]
    for ax, code in zip(panels, analysis.codes_with_role(ds, "client")):
        dates = {d for d, a, t in zip(scripted["date"], scripted["actor"], scripted["targets"])
                 if a == code or code in t}
        dashed = [line for line in ax.get_lines() if line.get_linestyle() == "--"]
        assert len(dashed) == len(dates), code
    # date axes: the tick labels are years and months, not numbers
    labels = [t.get_text() for t in panels[0].get_xticklabels()]
    assert any(label.isdigit() and len(label) == 4 for label in labels), labels


@needs_run
def test_alignment_figures(run_file, ds):
    roles, poles = read_actors(run_file)
    fig = analysis.alignment_figure(ds)
    assert [ax.get_title() for ax in panel_axes(fig)] == roles.get("client", [])
    assert legend_texts(fig) == poles
    assert "alignment [dimensionless, sums to 1]" in panel_axes(fig)[0].get_ylabel()
    if len(poles) == 3:
        fig = analysis.alignment_ternary_figure(ds)
        assert legend_texts(fig) == roles["client"]
        texts = {t.get_text() for t in fig.axes[0].texts}
        assert {analysis.io.short_name(p) for p in poles} <= texts, "corners are the poles"
    else:
        with pytest.raises(ValueError, match="3 poles"):
            analysis.alignment_ternary_figure(ds)
        assert "alignment_ternary" not in analysis.figures_for(ds)


@needs_run
def test_gdp_figure(run_file, ds):
    units = ds["gdp"].attrs["units"]
    fig = analysis.gdp_figure(ds)
    (ax,) = fig.axes
    assert ax.get_yscale() == "log"
    assert units in ax.get_ylabel()
    assert len(legend_texts(fig)) == len(listed(ds)), "every actor but the rest of the world"
    patrons = read_actors(run_file)[0]["patron"]
    assert [t.split(" (")[0] for t in legend_texts(fig)][:len(patrons)] == \
        [analysis.io.short_name(p) for p in patrons]
    assert "GDP by actor" in title(fig)


@needs_run
def test_dependence_heatmaps_at_chosen_turns(ds):
    fig = analysis.dependence_heatmap_figure(ds)  # the last turn
    heat, bar = fig.axes
    assert heat.get_ylabel() == "dependent actor"
    assert "depended on" in heat.get_xlabel()
    assert "dimensionless" in bar.get_ylabel()
    codes = listed(ds)
    names = [analysis.io.short_name(ds["actor_name"].sel(actor=c).item()) for c in codes]
    assert [t.get_text() for t in heat.get_yticklabels()] == names
    assert [t.get_text() for t in heat.get_xticklabels()] == names
    np.testing.assert_allclose(
        heat.get_images()[0].get_array()[0, 1:],
        ds["dependence"].isel(turn=-1).sel(actor=codes, target=codes).values[0, 1:])

    n = ds.sizes["turn"]
    date = str(ds["date"].values[n // 2])[:7]  # "2023-06"
    fig = analysis.dependence_heatmap_figure(ds, turns=[0, date, -1])
    heats = [ax for ax in fig.axes if ax.get_images()]
    assert [ax.get_title() for ax in heats] == [
        f"{analysis.plotting.month(ds['date'].values[p])} (turn {p})"
        for p in (0, n // 2, n - 1)]
    # one colour scale for all panels
    assert len({(im.norm.vmin, im.norm.vmax) for ax in heats for im in ax.get_images()}) == 1


@needs_run
def test_influence_network_figure(ds):
    fig = analysis.influence_network_figure(ds)
    (ax,) = [a for a in fig.axes if a.patches]
    labels = [t.get_text() for t in ax.texts]
    codes = listed(ds)
    assert sorted(labels) == sorted(analysis.io.short_name(ds["actor_name"].sel(actor=c).item())
                                    for c in codes)
    infl = ds["influence"].isel(turn=-1).sel(actor=codes, target=codes).values.copy()
    np.fill_diagonal(infl, 0)
    cut = 0.05 * infl.max()
    assert len(ax.patches) == int((infl >= cut).sum()), "one arrow per drawn edge"
    widths = sorted(p.get_linewidth() for p in ax.patches)
    assert widths[-1] > 4 * widths[0], "edge width grows with influence"
    assert "influence of source over target" in the_legend(fig).get_title().get_text()
    assert str(ds["date"].values[-1])[:4] in title(fig)
    fig = analysis.influence_network_figure(ds, turns=[0, -1])
    assert len([a for a in fig.axes if a.patches]) == 2


@needs_run
def test_flows_figure(run_file, ds):
    fig = analysis.flows_figure(ds)
    panels = panel_axes(fig)
    channels = [str(c) for c in ds["channel"].values]
    assert [ax.get_title() for ax in panels] == [c.replace("_", " ") for c in channels]
    assert [ax.get_ylabel() for ax in panels] == [str(u) for u in ds["channel_unit"].values]
    assert legend_texts(fig) == read_actors(run_file)[0]["patron"]
    # the plotted line is the sum of the patron's flows over the non-patron targets but the
    # rest of the world
    patrons = analysis.codes_with_role(ds, "patron")
    others = [c for c in listed(ds) if c not in patrons]
    line = panels[0].get_lines()[0]
    expected = ds["flow"].sel(channel=channels[0], actor=patrons[0], target=others).sum("target")
    np.testing.assert_allclose(line.get_ydata(), expected.values)


@needs_run
def test_patron_colours_are_the_same_in_every_figure(ds):
    codes = [str(a) for a in ds["actor"].values]
    colours = analysis.actor_colours(codes, ds["actor_role"].values)
    assert analysis.dataset_actor_colours(ds) == colours
    assert analysis.actor_colours(["CHN", "USA"]) == {"CHN": "#e0a800", "USA": "#1f77b4"}
    assert all(colours[c] == analysis.colours.FIXED[c] for c in codes
               if c in analysis.colours.FIXED)
    patrons = analysis.codes_with_role(ds, "patron")
    hexes = matplotlib.colors.to_hex
    gdp_lines = analysis.gdp_figure(ds).axes[0].get_lines()
    assert [hexes(line.get_color()) for line in gdp_lines] == [colours[c] for c in listed(ds)]
    panels = panel_axes(analysis.influence_shares_figure(ds))
    if panels:
        fills = [hexes(c.get_facecolor()[0], keep_alpha=False) for c in panels[0].collections]
        assert fills == [colours[p] for p in patrons]
    flows = panel_axes(analysis.flows_figure(ds))[0].get_lines()
    assert [hexes(line.get_color()) for line in flows] == [colours[p] for p in patrons]
    net = [a for a in analysis.influence_network_figure(ds).axes if a.patches][0]
    nodes = [hexes(c.get_facecolor()[0], keep_alpha=False) for c in net.collections]
    assert nodes == [colours[c] for c in listed(ds)]
    # distinct within the file (the rest of the world aside, grey)
    if len(listed(ds)) <= len(analysis.colours.PALETTE):
        assert len({colours[c] for c in listed(ds)}) == len(listed(ds))


@needs_run
def test_load_round_trips_every_variable(run_file, ds):
    assert analysis.kind(ds) == "run"
    assert np.issubdtype(ds["date"].dtype, np.datetime64)
    assert ds["date"].dims == ("turn",)
    assert "actor_name" in ds.coords and ds["actor_name"].dims == ("actor",)
    with h5py.File(run_file, "r") as f:
        for name, raw in f.items():
            if not isinstance(raw, h5py.Dataset):
                continue
            assert name in ds.variables, f"{name} missing"
            if name in ("date", "event_date"):
                assert [str(d)[:10] for d in ds[name].values] == list(raw.asstr()[:]), name
            elif h5py.check_string_dtype(raw.dtype) is not None:
                assert list(ds[name].values) == list(raw.asstr()[:]), name
            else:
                np.testing.assert_array_equal(ds[name].values, raw[()], err_msg=name)
            for key, value in raw.attrs.items():
                if key in ("units", "long_name"):
                    assert ds[name].attrs[key] == value, (name, key)
        for key in ("scenario_name", "scenario_hash", "seed", "geosim_version"):
            assert ds.attrs[key] == f.attrs[key]
        assert len(analysis.events(ds)) == f["event"].shape[0]


@needs_run
def test_lazy_load(run_file):
    with analysis.load(run_file, lazy=True) as lazy, analysis.load(run_file) as eager:
        assert lazy.identical(eager)


@needs_run
def test_turn_position(ds):
    n = ds.sizes["turn"]
    assert analysis.turn_position(ds, -1) == n - 1
    assert analysis.turn_position(ds, 0) == 0
    date = str(ds["date"].values[n // 2])[:10]
    assert analysis.turn_position(ds, date) == n // 2
    assert analysis.turn_position(ds, date[:7]) == n // 2
    with pytest.raises(ValueError, match="outside"):
        analysis.turn_position(ds, n)
    with pytest.raises(ValueError, match="outside"):
        analysis.turn_position(ds, "1900-01")


# Files that are not ours, or not in the layout this package reads.

def test_load_rejects_other_hdf5(tmp_path):
    path = tmp_path / "other.h5"
    with h5py.File(path, "w") as f:
        f["x"] = np.arange(3)
        f.attrs["format"] = "something-else"
    with pytest.raises(analysis.NotGeosimFileError, match="geosim-run") as err:
        analysis.load(path)
    assert str(path) in str(err.value) and "something-else" in str(err.value)
    assert isinstance(err.value, ValueError), "a ValueError, as in the first version"

    with h5py.File(path, "w") as f:
        f["x"] = np.arange(3)
    with pytest.raises(analysis.NotGeosimFileError, match="no 'format' attribute"):
        analysis.load(path)


def test_load_rejects_other_version_and_non_hdf5(tmp_path):
    path = tmp_path / "future.h5"
    with h5py.File(path, "w") as f:
        f.attrs["format"] = "geosim-comparison"
        f.attrs["format_version"] = 3
    with pytest.raises(analysis.UnsupportedVersionError,
                       match="geosim-comparison format version: expected format_version = 1 "
                             "or 2, found 3 \\(this analysis package reads versions 1 and 2\\)"):
        analysis.load(path)
    with h5py.File(path, "w") as f:
        f.attrs["format"] = "geosim-run"
        f.attrs["format_version"] = 2
    with pytest.raises(analysis.UnsupportedVersionError,
                       match="geosim-run format version: expected format_version = 1, found 2 "
                             "\\(this analysis package reads version 1\\)"):
        analysis.load(path)

    text = tmp_path / "notes.txt"
    text.write_text("not HDF5")
    with pytest.raises(analysis.NotGeosimFileError, match="not an HDF5 file"):
        analysis.load(text)
    with pytest.raises(FileNotFoundError):
        analysis.load(tmp_path / "missing.h5")


@needs_run
def test_load_rejects_older_and_foreign_layouts(run_file, tmp_path, capsys):
    # A run file from before the format attributes.
    old = tmp_path / "old.h5"
    shutil.copy(run_file, old)
    with h5py.File(old, "r+") as f:
        del f.attrs["format"]
        del f.attrs["format_version"]
    with pytest.raises(analysis.NotGeosimFileError, match="older than geosim-run"):
        analysis.load(old)
    # A variable renamed: the layout of another geosim version.
    renamed = tmp_path / "renamed.h5"
    shutil.copy(run_file, renamed)
    with h5py.File(renamed, "r+") as f:
        f.move("influence_share", "influence_shares")
    with pytest.raises(analysis.LayoutError, match="no variable 'influence_share'"):
        analysis.load(renamed)
    # A run file claiming to be a comparison.
    fake = tmp_path / "fake.h5"
    shutil.copy(run_file, fake)
    with h5py.File(fake, "r+") as f:
        f.attrs["format"] = "geosim-comparison"
    with pytest.raises(analysis.LayoutError, match="comparison layout") as err:
        analysis.load(fake)
    assert "scenario_name" in str(err.value) and str(fake) in str(err.value)

    for path, words in ((old, "no 'format' root attribute"),
                        (renamed, "no variable 'influence_share'")):
        rc, err = cli(capsys, "plot", path, "-o", tmp_path / "figs")
        assert rc == 2, err
        assert words in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "figs").exists()


def test_cli_reports_bad_file(tmp_path, capsys):
    path = tmp_path / "other.h5"
    with h5py.File(path, "w") as f:
        f.attrs["format"] = "something-else"
    out = run_cli("plot", path, "-o", tmp_path / "out")  # the real command, once
    assert out.returncode == 2
    assert "not a geosim output file" in out.stderr and "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
    rc, err = cli(capsys, "report", path, "-o", tmp_path / "out.html")
    assert rc == 2 and "not a geosim output file" in err
    rc, err = cli(capsys, "plot", tmp_path / "missing.h5")
    assert rc == 2 and "no such file" in err
    assert not (tmp_path / "out").exists() and not (tmp_path / "out.html").exists()


# Colours for any actor and pole codes.

MADE_UP = ["FRA", "MLI", "BFA", "NER", "TCD", "MRT", "NGA", "CIV", "SEN", "DZA", "TUR", "JNIM"]


def lab(colour):
    """CIELAB (D65) coordinates of a colour: distances between them are perceptual."""
    rgb = np.array(matplotlib.colors.to_rgb(colour))
    rgb = np.where(rgb > 0.04045, ((rgb + 0.055) / 1.055) ** 2.4, rgb / 12.92)
    m = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722],
                  [0.0193, 0.1192, 0.9505]])
    xyz = m @ rgb / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def test_palette_colours_are_far_apart():
    c = analysis.colours
    every = c.PALETTE + list(c.FIXED.values()) + [c.REST_OF_WORLD]
    assert len(set(every)) == len(every)
    for i, a in enumerate(every):
        for b in every[i + 1:]:
            assert np.linalg.norm(lab(a) - lab(b)) >= 24, f"{a} and {b} look alike"


def test_made_up_codes_get_distinct_stable_colours():
    c = analysis.colours
    colours = analysis.actor_colours(MADE_UP)
    assert len(set(colours.values())) == len(MADE_UP), colours
    assert not set(colours.values()) & (set(c.FIXED.values()) | {c.REST_OF_WORLD})
    # some of these codes want the same palette colour: the test covers a collision
    assert len({c.palette_index(code) for code in MADE_UP}) < len(MADE_UP)
    # derived from the code, not its position: any order gives every code the same colour
    assert analysis.actor_colours(MADE_UP[::-1]) == colours
    assert analysis.actor_colours(sorted(MADE_UP)) == colours
    for code in MADE_UP:
        alone = analysis.actor_colours([code])[code]
        assert alone == c.code_colour(code) == c.PALETTE[c.palette_index(code)]
        # the well-known codes and the rest of the world take no palette colour
        assert analysis.actor_colours(["USA", code, "RUS", "EU", "CHN", "ROW"])[code] == alone
        # in a file, a code keeps its own colour unless an alphabetically earlier code of the
        # file wants the same one
        earlier = [o for o in MADE_UP if o < code and c.palette_index(o) == c.palette_index(code)]
        if not earlier:
            assert colours[code] == alone, code
    # the well-known patrons keep theirs; the rest of the world is grey, by code or by role
    assert analysis.actor_colours(["RUS", "MLI", "EU"])["RUS"] == "#d62728"
    assert analysis.actor_colours(["MLI", "ROW"])["ROW"] == c.REST_OF_WORLD
    assert analysis.actor_colours(["MLI", "WORLD"], ["client", "rest_of_world"]) == \
        {"MLI": colours["MLI"], "WORLD": c.REST_OF_WORLD}
    # more codes than colours: every colour used, none more than needed
    many = analysis.actor_colours([f"A{i:02d}" for i in range(40)])
    counts = {k: list(many.values()).count(k) for k in set(many.values())}
    assert set(counts) == set(c.PALETTE)
    assert max(counts.values()) <= -(-40 // len(c.PALETTE))


def test_colours_are_the_same_in_another_process():
    """Not Python's salted hash(): another interpreter, another hash seed, the same colours."""
    script = (f"import json, sys; sys.path.insert(0, {str(REPO)!r}); import analysis; "
              f"print(json.dumps(analysis.actor_colours({MADE_UP!r})))")
    for seed in ("1", "12345"):
        out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                             env=dict(os.environ, PYTHONHASHSEED=seed), check=True)
        assert json.loads(out.stdout.strip().splitlines()[-1]) == \
            analysis.actor_colours(MADE_UP)


def alignment_dataset(alignment, actors, roles, poles, scenario_yaml=None):
    """A minimal dataset for pole_colours: alignment (turn 0) of each actor with each pole."""
    ds = xr.Dataset({"alignment": (("turn", "actor", "pole"),
                                   np.array([alignment], dtype=float))},
                    coords={"actor": actors, "pole": poles, "actor_role": ("actor", roles)})
    if scenario_yaml:
        ds.attrs["scenario_yaml"] = scenario_yaml
    return ds


def test_pole_colours_for_any_pole_codes():
    c = analysis.colours
    third = [1 / 3] * 3
    # no pole has a wholly-aligned owner (the rest of the world's equal shares never count)
    ds = alignment_dataset([[0.5, 0.5, 0.0], [0.2, 0.3, 0.5], third], ["AAA", "BBB", "ROW"],
                           ["patron", "client", "rest_of_world"], ["sahel", "coast", "desert"])
    colours = analysis.pole_colours(ds)
    assert len(set(colours.values())) == 3 and c.REST_OF_WORLD not in colours.values()
    assert colours == c._assign(["sahel", "coast", "desert"]), "derived from the pole codes"
    assert analysis.pole_colours(ds.isel(actor=[1, 0, 2])) == colours
    # one pole: everyone is wholly aligned with it, the rest of the world (first, and known
    # by its role, not its code) does not count
    ds = alignment_dataset([[1.0], [1.0]], ["WORLD", "MLI"], ["rest_of_world", "patron"],
                           ["only"])
    assert analysis.pole_colours(ds) == {"only": analysis.actor_colours(["MLI"])["MLI"]}
    # an owner's colour, a well-known pole's colour, and no pole taking another's
    ds = alignment_dataset([[1.0, 0.0, 0.0], [0.4, 0.3, 0.3]], ["USA", "MLI"],
                           ["patron", "client"], ["atlantic", "west", "china"])
    colours = analysis.pole_colours(ds)
    assert colours["atlantic"] == c.FIXED["USA"] and colours["china"] == c.FIXED["CHN"]
    assert colours["west"] != c.FIXED["USA"] and len(set(colours.values())) == 3
    # the scenario's owners when none is wholly aligned
    ds = alignment_dataset([[0.1, 0.9], [0.6, 0.4]], ["RUS", "FRA"], ["patron", "patron"],
                           ["paris", "moscow"],
                           "poles:\n  - {code: paris, owners: [FRA]}\n"
                           "  - {code: moscow, owners: [RUS]}\n")
    assert analysis.pole_colours(ds) == {"paris": analysis.actor_colours(["FRA"])["FRA"],
                                         "moscow": c.FIXED["RUS"]}
    ds.attrs["scenario_yaml"] = "not: [valid"  # an unreadable scenario: derived colours
    assert len(set(analysis.pole_colours(ds).values())) == 2


# Version-2 run files: the rest of the world, new variables, instruments and events.

def test_rest_of_world_left_out_of_figures(v2_file):
    with analysis.load(v2_file) as ds:
        row = analysis.rest_of_world(ds)
        assert row == "ROW" and str(ds["actor_role"].sel(actor=row).values) == "rest_of_world"
        row_name = str(ds["actor_name"].sel(actor=row).values)
        short = analysis.io.short_name(row_name)
        codes, patrons = listed(ds), analysis.codes_with_role(ds, "patron")
        clients = analysis.codes_with_role(ds, "client")
        assert analysis.listed_actors(ds) == codes and row not in codes
        assert {"budget", "conflict_intensity"} <= set(ds.data_vars)
        assert "deployments" in list(ds["instrument"].values)

        # influence shares: one area per patron in each client's panel, none for ROW
        fig = analysis.influence_shares_figure(ds)
        assert row_name not in legend_texts(fig)
        for ax, client in zip(panel_axes(fig), clients):
            assert len(ax.collections) == len(patrons)
            top = sum(ds["influence_share"].sel(actor=p, target=client).values
                      for p in patrons)
            np.testing.assert_allclose(ax.collections[-1].get_paths()[0].vertices[:, 1].max(),
                                       top.max())
        # gdp: one line per listed actor, with its values; the world's gdp is not drawn
        fig = analysis.gdp_figure(ds)
        lines = fig.axes[0].get_lines()
        assert len(lines) == len(codes)
        for line, code in zip(lines, codes):
            np.testing.assert_allclose(line.get_ydata(), ds["gdp"].sel(actor=code).values)
        assert not any(t.startswith(short) for t in legend_texts(fig))
        assert max(line.get_ydata().max() for line in lines) < \
            ds["gdp"].sel(actor=row).values.min()
        assert "rest of the world" in title(fig)
        # dependence heatmaps and the influence network: no row, column, node or label
        fig = analysis.dependence_heatmap_figure(ds, turns=[0, -1])
        for ax in [a for a in fig.axes if a.get_images()]:
            assert short not in [t.get_text() for t in ax.get_yticklabels()]
            assert ax.get_images()[0].get_array().shape == (len(codes), len(codes))
        fig = analysis.influence_network_figure(ds)
        (ax,) = [a for a in fig.axes if a.patches]
        assert short not in [t.get_text() for t in ax.texts]
        assert len(ax.collections) == len(codes)
        # alignment: clients only, the poles distinct
        fig = analysis.alignment_figure(ds)
        assert row_name not in [ax.get_title() for ax in panel_axes(fig)]
        pole_lines = panel_axes(fig)[0].get_lines()
        assert len({matplotlib.colors.to_hex(ln.get_color()) for ln in pole_lines}) == \
            ds.sizes["pole"]
        if ds.sizes["pole"] == 3:
            fig = analysis.alignment_ternary_figure(ds)
            assert row_name not in legend_texts(fig)
        # flows: sums over the listed non-patron targets
        fig = analysis.flows_figure(ds)
        first = panel_axes(fig)[0].get_lines()[0]
        others = [c for c in codes if c not in patrons]
        np.testing.assert_allclose(
            first.get_ydata(),
            ds["flow"].isel(channel=0).sel(actor=patrons[0], target=others).sum("target"))
        # tables: the influence shares leave it out; the trade partners show its share
        table = analysis.run_figures.final_shares_table(ds)
        assert row_name not in table.index and row_name not in table.columns
        trade = analysis.trade_shares_table(ds)
        assert list(trade.index) == [str(ds["actor_name"].sel(actor=c).values) for c in clients]
        assert "rest of the world" in trade.columns and row_name not in trade.index
        np.testing.assert_allclose(trade.iloc[:, :-1].sum(axis=1), 1.0)
        flow = ds["flow"].isel(turn=-1).sel(channel="trade").values  # actor x target
        every = [str(a) for a in ds["actor"].values]
        i, r = every.index(clients[0]), every.index(row)
        both = flow[i, :] + flow[:, i]  # to and from each partner
        both[i] = 0.0
        assert trade.iloc[0]["rest of the world"] == pytest.approx(both[r] / both.sum())
        assert trade.iloc[0, -1] == pytest.approx(both.sum())


def test_sahel_colours(scenario_runs):
    """Made-up codes in a real file: distinct actor colours, RUS red, the ROW grey, and a pole
    colour for each pole (paris wholly FRA's; moscow and ankara have no wholly-aligned
    owner)."""
    if not GEOSIM:
        pytest.skip("GEOSIM_BINARY (geosim) is not set")
    with analysis.load(scenario_runs("sahel_v2")) as ds:
        colours = analysis.dataset_actor_colours(ds)
        assert colours["ROW"] == analysis.colours.REST_OF_WORLD
        assert colours["RUS"] == analysis.colours.FIXED["RUS"]
        assert len(set(colours.values())) == ds.sizes["actor"]
        codes = [c for c in listed(ds) if c not in analysis.colours.FIXED]
        assert {c: colours[c] for c in codes} == analysis.actor_colours(codes)
        poles = analysis.pole_colours(ds)
        assert poles["paris"] == colours["FRA"]
        assert poles["moscow"] == colours["RUS"] and poles["ankara"] == colours["TUR"]
        assert len(set(poles.values())) == 3


def report_section(html_text, heading):
    """The HTML between <h2>heading</h2> and the next <h2>."""
    assert f"<h2>{heading}</h2>" in html_text, heading
    return html_text.split(f"<h2>{heading}</h2>", 1)[1].split("<h2>", 1)[0]


def test_plot_and_report_of_a_v2_run(v2_file, tmp_path, capsys):
    figs = tmp_path / "figs"
    rc, err = cli(capsys, "plot", v2_file, "-o", figs, "--dpi", "60")
    assert rc == 0, err
    with analysis.load(v2_file) as ds:
        expected = list(RUN_STEMS) + (["alignment_ternary"] if ds.sizes["pole"] == 3 else [])
        assert sorted(p.name for p in figs.iterdir()) == \
            sorted([f"{s}.png" for s in expected] + ["report.html"])
        html_text = (figs / "report.html").read_text()
        names = analysis.actor_names(ds)
        row_name = names[analysis.rest_of_world(ds)]
        ev = analysis.events(ds)
    # the headline leaves the rest of the world out; the trade partners show it, labelled
    headline = html_text.split("<h2>", 1)[1].split("<h2>", 1)[0]
    assert "Influence shares" in headline and html.escape(row_name) not in headline
    trade = report_section(
        html_text, [h for h in re.findall(r"<h2>([^<]*)</h2>", html_text)
                    if "trade partners" in h][0])
    assert "<th>rest of the world</th>" in trade
    # captions say what is left out
    assert "The rest of the world is left out." in html_text
    # every scripted event in words, each on its row; a policy event names its policy
    section = report_section(html_text, "Scripted events and shocks")
    rows = re.findall(r"<tr>(.*?)</tr>", section, flags=re.S)
    assert len(rows) - 1 == int(ev["cause"].isin(["scripted", "shock"]).sum())
    scripted = ev[ev["cause"] == "scripted"]
    assert {"conflict", "deploy", "policy", "budget", "flow", "anchor"} <= set(scripted["action"])
    words = {"conflict": "conflict", "deploy": "deployment", "policy": "policy change",
             "budget": "budget change", "flow": "flow change", "anchor": "anchor shift",
             "bloc": "bloc membership", "withdraw": "withdrawal"}
    for action in set(scripted["action"]):
        if action in words:
            assert f"<td>{words[action]}</td>" in section, action
    for targets in scripted[scripted["action"] == "policy"]["targets"]:
        assert f"<td>policy {html.escape(targets[0])}</td>" in section
    for targets in scripted[scripted["action"] == "bloc"]["targets"]:
        assert f"<td>bloc {html.escape(targets[0])}</td>" in section
    assert "Not listed:" in section and "by policies" in section


def test_describe_event():
    names = {"MLI": "Mali", "FRA": "France", "JNIM": "Jama'at Nusrat (armed group)"}
    d = analysis.describe_event
    assert d("policy", -1, ["fra_aid"], names) == \
        ("policy change", "policy fra_aid", "parameters changed")
    assert d("policy", 0, ["MLI"], names) == ("policy change", "policy MLI", "switched off")
    assert d("policy", 1, ["p"], names)[2] == "switched on"
    assert d("bloc", -0.5, ["G5S"], names) == \
        ("bloc membership", "bloc G5S", "freezes its membership of")
    assert d("deploy", 1000, ["MLI"], names) == ("deployment", "Mali", "1,000 personnel")
    assert d("conflict", 0.5, ["JNIM"], names) == ("conflict", "Jama'at Nusrat", "intensity 0.5")
    assert d("budget", 715.4, [], names) == \
        ("budget change", "", "yearly budgets now USD 715.4 m/yr in total")
    assert d("anchor", 0.8, [], names)[0] == "anchor shift"
    assert d("flow", 0.5, ["MLI", "ROW"], names)[1] == "Mali, ROW"
    assert d("secondary_sanction", 0.5, ["RUS", "MLI"], names)[1] == "RUS, Mali"
    # an action of a later geosim: its name and its amount
    assert d("teleport_fleet", 2.5, ["XYZ"], names) == ("teleport fleet", "XYZ", "2.5")
    assert d("teleport_fleet", float("nan"), [], names) == ("teleport fleet", "", "")


def test_unknown_event_actions_do_not_crash(v2_file, tmp_path, capsys):
    """Events a later geosim might log (an unknown action, targets that are no actor), and a
    policy whose id is a client's code: the figures and the report still come out, and the
    policy event marks no client's panel."""
    path = tmp_path / "future.h5"
    shutil.copy(v2_file, path)
    with analysis.load(v2_file) as ds:
        client = analysis.codes_with_role(ds, "client")[0]
        patron = analysis.codes_with_role(ds, "patron")[0]
        before = analysis.run_figures.scripted_event_labels(ds, client)
    with h5py.File(path, "r+") as f:
        assert f["event_action"].shape[0] >= 2
        f["event_action"][0] = "teleport_fleet"
        f["event_targets"][0] = "NOWHERE,ELSEWHERE"
        f["event_actor"][0] = "XYZ"
        f["event_cause"][0] = "scripted"
        f["event_amount"][0] = np.nan
        last = f["event_action"].shape[0] - 1
        f["event_action"][last] = "policy"
        f["event_targets"][last] = client  # a policy id that is also an actor code
        f["event_actor"][last] = patron
        f["event_cause"][last] = "scripted"
    with analysis.load(path) as ds:
        after = analysis.run_figures.scripted_event_labels(ds, client)
        assert after == before
    rc, err = cli(capsys, "plot", path, "-o", tmp_path / "figs", "--dpi", "50")
    assert rc == 0, err
    section = report_section((tmp_path / "figs" / "report.html").read_text(),
                             "Scripted events and shocks")
    assert "<td>teleport fleet</td><td>NOWHERE, ELSEWHERE</td>" in section
    assert f"<td>policy {client}</td>" in section


@needs_geosim
def test_version_1_file_has_no_rest_of_world(small_run):
    with analysis.load(small_run) as ds:
        assert analysis.rest_of_world(ds) is None
        assert analysis.listed_actors(ds) == [str(a) for a in ds["actor"].values]
        trade = analysis.trade_shares_table(ds)
        assert "rest of the world" not in trade.columns
        assert len(trade) == len(analysis.codes_with_role(ds, "client"))
        text = analysis.report_html(ds, {})
        assert "rest of the world" not in text.lower()
        assert analysis.caption(ds, "gdp") == analysis.CAPTIONS["gdp"]


@needs_geosim
def test_replicates_and_comparison_of_a_v2_scenario(tmp_path, capsys):
    base = SCENARIOS["sahel_v2"]
    whatif = tmp_path / "whatif.yaml"
    whatif.write_text(f"geosim: 2\nextends: {base}\nmetadata: {{name: sahel_v2_whatif}}\n"
                      "timeline:\n  - {id: t_deploy, personnel: 3000}\n")
    for args in (["run", base, "--replicates", "3", "-o", tmp_path / "rep.h5", "-q"],
                 ["compare", base, whatif, "--replicates", "3", "-o", tmp_path / "cmp.h5"]):
        out = subprocess.run([GEOSIM, *map(str, args)], capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
    for name in ("rep", "cmp"):
        rc, err = cli(capsys, "plot", tmp_path / f"{name}.h5", "-o", tmp_path / name,
                      "--dpi", "50")
        assert rc == 0, err
        assert (tmp_path / name / "report.html").is_file()
    with analysis.load(tmp_path / "rep.h5") as ds:
        row_name = str(ds["actor_name"].sel(actor="ROW").values)
        fig = analysis.figures_for(ds)["gdp"](ds)
        assert len(fig.axes[0].get_lines()) == len(listed(ds))
        assert row_name not in legend_texts(analysis.replicate_shares_figure(ds))
        text = (tmp_path / "rep" / "report.html").read_text()
        assert "<th>rest of the world</th>" in text
    with analysis.load(tmp_path / "cmp.h5") as ds:
        fig = analysis.compare_shares_figure(ds)
        assert row_name not in legend_texts(fig)
        assert "ROW" not in set(analysis.effects_table(ds)["patron"])
