"""Every error a user can cause the analysis package (issue 14, point 5): one line on stderr,
exit 2, no traceback, nothing written; and each figure works for every variable it offers.

Files are made by geosim (GEOSIM_BINARY) on scenarios/small_test_v2.yaml: a run, a comparison,
a sweep; then damaged: missing, a folder, empty, truncated, flipped bytes, a work file of
geosim (plan, pack), a file of no geosim kind, values out of range (a calibration's weights),
a variable of the wrong type. Outputs: a folder that is a file, not writable (as a user: root
writes anywhere, so that case is skipped as root), a report in a missing folder. Figures: a
figure the file does not have (`--only`), a difference variable the comparison lacks, and
compare_difference_figure for every variable it offers. `python3 -m analysis` itself (with its
crash guard) for a few cases.

    GEOSIM_BINARY=build/release/bin/geosim /usr/bin/python3 -m pytest -q \\
        tests/python/test_analysis_errors.py
"""

import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import h5py
import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

import analysis  # noqa: E402
import analysis.__main__  # noqa: E402
from cli_helpers import GEOSIM, GEOSIM_MARKS, cli, one_line_exit_2  # noqa: E402

pytestmark = GEOSIM_MARKS
SCENARIO = REPO / "scenarios" / "small_test_v2.yaml"


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("errors")
    overlay = d / "whatif.yaml"
    overlay.write_text(f"geosim: 2\nextends: {SCENARIO}\nmetadata: {{name: whatif}}\n"
                       "timeline:\n  - {id: t_econ, amount: 24 USD m}\n")
    sweep = d / "s.sweep.yaml"
    sweep.write_text(f"""geosim_sweep: 1
name: s
scenario: {SCENARIO}
seed: 5
chunk: 4
design: {{kind: sobol, n: 4}}
parameters:
  - {{name: inertia, path: parameters.influence_inertia, uniform: [0.05, 0.3]}}
  - {{name: c1_growth, path: "actors[C1].growth", uniform: [0.0, 0.1]}}
outputs:
  - {{name: pa_share_c1, variable: influence_share, actor: PA, target: C1}}
""")

    def geosim(*a):
        r = subprocess.run([GEOSIM, *map(str, a)], cwd=d, capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
    geosim("run", SCENARIO, "-o", "run.h5", "-q")
    geosim("compare", SCENARIO, overlay, "--replicates", "3", "-o", "cmp.h5", "-q")
    geosim("sweep", "run", sweep, "-d", "sweep_dir", "-o", "sweep.h5", "-q")
    return {"dir": d, "run": d / "run.h5", "cmp": d / "cmp.h5", "sweep": d / "sweep.h5",
            "plan": d / "sweep_dir" / "plan.h5",
            "pack": next((d / "sweep_dir" / "chunks").glob("*.gspack"))}


def damaged(files, tmp_path, name, content=None, edit=None, source="run"):
    p = tmp_path / name
    if content is not None:
        p.write_bytes(content)
    else:
        shutil.copy(files[source], p)
        with h5py.File(p, "r+") as f:
            edit(f)
    return p


def test_missing_file(files, tmp_path):
    for command in ("plot", "report"):
        rc, err = cli(command, tmp_path / "nothing.h5", "-o", tmp_path / "out")
        one_line_exit_2(rc, err, "nothing.h5", "no such file")
    assert not (tmp_path / "out").exists()


def test_folder_empty_truncated_and_foreign_files(files, tmp_path):
    data = files["run"].read_bytes()
    (tmp_path / "folder.h5").mkdir()
    cases = {
        tmp_path / "folder.h5": "is a folder",
        damaged(files, tmp_path, "empty.h5", b""): "empty",
        damaged(files, tmp_path, "half.h5", data[:len(data) // 2]): "not an HDF5 file",
        damaged(files, tmp_path, "last.h5", data[:-1]): "not an HDF5 file",
        damaged(files, tmp_path, "text.h5", SCENARIO.read_bytes()): "not an HDF5 file",
    }
    for path, message in cases.items():
        for command in ("plot", "report"):
            out = tmp_path / f"out_{command}"
            rc, err = cli(command, path, "-o", out)
            one_line_exit_2(rc, err, path.name, message)
            assert not out.exists()


def test_work_files_of_geosim_are_named(files, tmp_path):
    for kind in ("plan", "pack"):
        rc, err = cli("report", files[kind], "-o", tmp_path / "r.html")
        one_line_exit_2(rc, err, files[kind].name, "work file")
        assert not (tmp_path / "r.html").exists()


def test_flipped_bytes_never_traceback(files, tmp_path):
    """Seeded flips of the run file: exit 0 (a value changed, still readable) or exit 2 with
    one line; the crash guard of `python3 -m analysis` is tested below."""
    data = bytearray(files["run"].read_bytes())
    rng = random.Random(7)
    outcomes = set()
    for i in range(8):
        b = bytearray(data)
        off = rng.randrange(0, 4096) if i < 4 else rng.randrange(len(b))
        b[off] ^= rng.randrange(1, 256)
        p = damaged(files, tmp_path, f"flip{i}.h5", bytes(b))
        code = f"import sys; sys.path.insert(0, {str(REPO)!r}); import analysis.__main__ as m; " \
               f"sys.exit(m.main(['plot', {str(p)!r}, '-o', {str(tmp_path / 'f')!r}, " \
               f"'--only', 'gdp', '--no-report']))"
        # in a child: a flip may crash the HDF5 library (see test_crash_guard)
        r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        if r.returncode < 0:
            outcomes.add("crash")
            continue
        assert "Traceback" not in r.stderr, (off, r.stderr)
        assert r.returncode in (0, 2), (off, r.returncode, r.stderr)
        if r.returncode == 2:
            assert len(r.stderr.strip().splitlines()) == 1, r.stderr
        outcomes.add(r.returncode)
    assert 2 in outcomes  # the flips near the start break the file's metadata


def test_wrong_types_and_values(files, tmp_path):
    def gdp_as_text(f):
        attrs = dict(f["gdp"].attrs)
        shape = f["gdp"].shape
        del f["gdp"]
        f.create_dataset("gdp", data=np.full(shape, "x", dtype=h5py.string_dtype()))
        del attrs
    p = damaged(files, tmp_path, "text_gdp.h5", edit=gdp_as_text)
    rc, err = cli("report", p, "-o", tmp_path / "r.html")
    one_line_exit_2(rc, err, p.name, "gdp")

    def bad_status(f):
        s = f["status"][()]
        s[0] = 9
        f["status"][...] = s
    p = damaged(files, tmp_path, "status.h5", edit=bad_status, source="sweep")
    rc, err = cli("plot", p, "-o", tmp_path / "figs")
    one_line_exit_2(rc, err, p.name, "status")

    def other_format(f):
        f.attrs["format"] = "geosim-sweep-chunk"
    p = damaged(files, tmp_path, "fmt.h5", edit=other_format)
    rc, err = cli("plot", p, "-o", tmp_path / "figs")
    one_line_exit_2(rc, err, p.name, "work file")

    def version_text(f):
        f.attrs["format_version"] = "one"
    p = damaged(files, tmp_path, "ver.h5", edit=version_text)
    rc, err = cli("plot", p, "-o", tmp_path / "figs")
    one_line_exit_2(rc, err, p.name, "format version")
    assert not (tmp_path / "figs").exists() and not (tmp_path / "r.html").exists()


def test_sobol_tables_whole_or_absent(files, tmp_path):
    def half_table(f):
        n_m, n_p = len(f["metric"]), len(f["parameter"])
        f.create_dataset("sobol_s1", data=np.zeros((n_m, n_p)))
    p = damaged(files, tmp_path, "half_sobol.h5", edit=half_table, source="sweep")
    rc, err = cli("report", p, "-o", tmp_path / "r.html")
    one_line_exit_2(rc, err, p.name, "sobol_st")


def test_output_not_a_folder_or_not_writable(files, tmp_path):
    a_file = tmp_path / "a_file"
    a_file.write_text("mine\n")
    rc, err = cli("plot", files["run"], "-o", a_file)
    one_line_exit_2(rc, err, "not a folder")
    rc, err = cli("report", files["run"], "-o", tmp_path / "missing" / "r.html")
    one_line_exit_2(rc, err, "does not exist")
    assert a_file.read_text() == "mine\n"
    if os.geteuid() == 0:
        pytest.skip("root writes into a read-only folder: the not-writable case needs a user")
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        rc, err = cli("plot", files["run"], "-o", ro)
        one_line_exit_2(rc, err, "not writable")
        rc, err = cli("report", files["run"], "-o", ro / "r.html")
        one_line_exit_2(rc, err, "not writable")
        assert list(ro.iterdir()) == []
    finally:
        ro.chmod(0o755)


def test_never_replaces_the_input_or_a_users_file(files, tmp_path):
    """The input is never written over; a report replaces an earlier report, and another
    existing file only with --force."""
    run = tmp_path / "run.h5"
    shutil.copy(files["run"], run)
    before = run.read_bytes()
    rc, err = cli("report", run, "-o", run, "--force")
    one_line_exit_2(rc, err, "is the input file itself")
    assert run.read_bytes() == before
    # An input whose name is one the figures' folder would get.
    figs = tmp_path / "figs"
    figs.mkdir()
    odd = figs / "report.html"
    shutil.copy(files["run"], odd)
    rc, err = cli("plot", odd, "-o", figs, "--only", "gdp")
    one_line_exit_2(rc, err, "report.html would be the input file itself")
    assert odd.read_bytes() == before
    mine = tmp_path / "notes.html"
    mine.write_text("mine\n")
    rc, err = cli("report", run, "-o", mine)
    one_line_exit_2(rc, err, "is not a report of this package", "--force")
    assert mine.read_text() == "mine\n"
    rc, err = cli("report", run, "-o", mine, "--force")
    assert rc == 0, err
    assert "<!DOCTYPE html>" in mine.read_text()
    rc, err = cli("report", run, "-o", mine)  # now an earlier report: replaced again
    assert rc == 0, err


def test_figure_the_file_lacks(files, tmp_path):
    rc, err = cli("plot", files["run"], "-o", tmp_path / "figs", "--only", "sobol_indices")
    one_line_exit_2(rc, err, "sobol_indices", files["run"].name)
    assert not (tmp_path / "figs").exists()
    ds = analysis.load(files["cmp"])
    with pytest.raises(ValueError, match="no \\(actor, target\\) variable 'gdp'"):
        analysis.compare_difference_figure(ds, variable="gdp")  # (actor,) only
    with pytest.raises(ValueError, match="'nothing'"):
        analysis.compare_difference_figure(ds, variable="nothing")


def test_difference_figure_for_every_variable_it_offers(files):
    ds = analysis.load(files["cmp"])
    offered = analysis.difference_variables(ds)
    # the (actor, target) variables of RUN_VARIABLES, at least, with their differences
    assert {"influence", "influence_share", "dependence"} <= set(offered), offered
    import matplotlib.pyplot as plt
    for v in offered:
        fig = analysis.compare_difference_figure(ds, variable=v)
        lines = [ln for ax in fig.axes for ln in ax.get_lines() if len(ln.get_xdata()) > 2]
        assert lines, v
        # the plotted means are the file's (in percentage points when dimensionless)
        units = ds[v].attrs.get("units", "1")
        scale = 100.0 if units == "1" else 1.0
        values = np.concatenate([ln.get_ydata() for ln in lines])
        expected = ds[f"{v}_diff_mean"].values * scale
        assert np.isin(np.round(values, 9), np.round(expected, 9)).all(), v
        plt.close(fig)


def test_every_figure_of_every_kind_draws(files, tmp_path):
    """Each figure a file offers (figures_for) draws from it."""
    import matplotlib.pyplot as plt
    for kind in ("run", "cmp", "sweep"):
        ds = analysis.load(files[kind])
        for stem, build in analysis.figures_for(ds).items():
            fig = build(ds, None)
            assert fig.axes, (kind, stem)
            plt.close(fig)


def test_python_m_analysis_one_line(files, tmp_path):
    """The real entry point: exit 2, one line, for a missing and a truncated file."""
    data = files["run"].read_bytes()
    trunc = damaged(files, tmp_path, "t.h5", data[:3000])
    for path in (tmp_path / "none.h5", trunc):
        r = subprocess.run([sys.executable, "-m", "analysis", "report", str(path), "-o",
                            str(tmp_path / "r.html")], cwd=REPO, capture_output=True, text=True)
        one_line_exit_2(r.returncode, r.stderr, path.name)
    assert not (tmp_path / "r.html").exists()


def test_crash_guard(files, tmp_path):
    """A crash in the child (as the HDF5 library crashes on some damaged files) is one line
    and exit 2 from `python3 -m analysis`, and the child's temp files are removed."""
    out = tmp_path / "figs"
    out.mkdir()
    code = (f"import os, sys, signal; sys.path.insert(0, {str(REPO)!r}); "
            "import analysis.__main__ as m; "
            "def crash(argv):\n"
            f"    open(os.path.join({str(out)!r}, '.gdp.png.tmp.' + str(os.getpid())), 'w').close()\n"
            "    os.kill(os.getpid(), signal.SIGSEGV)\n"
            "m.main = crash; "
            f"sys.exit(m.cli(['plot', {str(files['run'])!r}, '-o', {str(out)!r}]))")
    code = code.replace("; def crash", "\ndef crash").replace("\nm.main", "\nm.main")
    code = code.replace("m.main = crash; ", "m.main = crash\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    one_line_exit_2(r.returncode, r.stderr, "run.h5", "crashed")
    assert list(out.iterdir()) == []
