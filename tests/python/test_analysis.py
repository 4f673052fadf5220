"""The analysis package (analysis/) on run files: load, every run figure, the command line,
and the errors for files that are not ours.

GEOSIM_RUN_FILE names run file(s) from `geosim run` (several separated by os.pathsep; ctest
passes the baseline the fixture cli.baseline_run writes). With GEOSIM_BINARY (the geosim
program) the tests also write and plot a run of scenarios/small_test.yaml: other actor codes,
two poles. Nothing is specific to one scenario: patrons, clients and poles are read from the
file with h5py.

    GEOSIM_RUN_FILE=out/baseline.h5 GEOSIM_BINARY=build/release/bin/geosim \\
        /usr/bin/python3 -m pytest -q tests/python/test_analysis.py
"""

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

matplotlib.use("Agg")

import matplotlib.image as mimage  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

import analysis  # noqa: E402
import analysis.__main__  # noqa: E402

RUN_FILES = [p for p in os.environ.get("GEOSIM_RUN_FILE", "").split(os.pathsep) if p]
GEOSIM = os.environ.get("GEOSIM_BINARY", "")
PARAMS = RUN_FILES + (["small_test"] if GEOSIM else [])
needs_run = pytest.mark.skipif(
    not PARAMS, reason="neither GEOSIM_RUN_FILE (a run file) nor GEOSIM_BINARY is set")

pytestmark = pytest.mark.filterwarnings("ignore:numpy.ndarray size changed")

RUN_STEMS = ["influence_shares", "dependence_heatmap", "influence_network", "alignment",
             "gdp", "flows"]


@pytest.fixture(scope="session")
def small_run(tmp_path_factory):
    """A run of scenarios/small_test.yaml written by geosim for this session."""
    path = tmp_path_factory.mktemp("small") / "small_test.h5"
    subprocess.run([GEOSIM, "run", str(REPO / "scenarios" / "small_test.yaml"), "-o",
                    str(path), "-q"], check=True, capture_output=True)
    return str(path)


@pytest.fixture(params=PARAMS, ids=lambda p: os.path.basename(str(p)))
def run_file(request):
    if request.param == "small_test":
        return request.getfixturevalue("small_run")
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
    assert len(legend_texts(fig)) == ds.sizes["actor"]
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
    names = [analysis.io.short_name(n) for n in ds["actor_name"].values]
    assert [t.get_text() for t in heat.get_yticklabels()] == names
    assert [t.get_text() for t in heat.get_xticklabels()] == names
    np.testing.assert_allclose(heat.get_images()[0].get_array()[0, 1:],
                               ds["dependence"].isel(turn=-1).values[0, 1:])

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
    assert sorted(labels) == sorted(analysis.io.short_name(n) for n in ds["actor_name"].values)
    infl = ds["influence"].isel(turn=-1).values.copy()
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
    # the plotted line is the sum of the patron's flows over the non-patron targets
    patrons = analysis.codes_with_role(ds, "patron")
    others = [c for c in map(str, ds["actor"].values) if c not in patrons]
    line = panels[0].get_lines()[0]
    expected = ds["flow"].sel(channel=channels[0], actor=patrons[0], target=others).sum("target")
    np.testing.assert_allclose(line.get_ydata(), expected.values)


@needs_run
def test_patron_colours_are_the_same_in_every_figure(ds):
    codes = [str(a) for a in ds["actor"].values]
    colours = analysis.actor_colours(codes)
    assert analysis.actor_colours(["CHN", "USA"]) == {"CHN": "#e0a800", "USA": "#1f77b4"}
    assert all(colours[c] == analysis.colours.FIXED[c] for c in codes
               if c in analysis.colours.FIXED)
    patrons = analysis.codes_with_role(ds, "patron")
    hexes = matplotlib.colors.to_hex
    gdp_lines = analysis.gdp_figure(ds).axes[0].get_lines()
    assert [hexes(line.get_color()) for line in gdp_lines] == [colours[c] for c in codes]
    panels = panel_axes(analysis.influence_shares_figure(ds))
    if panels:
        fills = [hexes(c.get_facecolor()[0], keep_alpha=False) for c in panels[0].collections]
        assert fills == [colours[p] for p in patrons]
    flows = panel_axes(analysis.flows_figure(ds))[0].get_lines()
    assert [hexes(line.get_color()) for line in flows] == [colours[p] for p in patrons]
    net = [a for a in analysis.influence_network_figure(ds).axes if a.patches][0]
    nodes = [hexes(c.get_facecolor()[0], keep_alpha=False) for c in net.collections]
    assert nodes == [colours[c] for c in codes]


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
        f.attrs["format_version"] = 2
    with pytest.raises(analysis.UnsupportedVersionError,
                       match="geosim-comparison format version: expected format_version = 1, "
                             "found 2"):
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
