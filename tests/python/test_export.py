"""`python3 -m analysis export FILE --csv DIR`: tidy CSV tables of every kind of geosim file.

Files are written here by geosim (GEOSIM_BINARY) on the small test scenarios: a run (of
scenarios/small_test_v2.yaml: NaN hedging indices, every event action), a checkpoint,
replicates, a comparison, a study (a comparison of two what-ifs, when this geosim writes
them) and a Sobol' sweep with trajectories (analysed), plus a calibration file written with
h5py by test_analysis_calibration's helper. Each is exported, and the
tables are read back with pandas and checked against the file read with h5py (not through
the package): values equal bit for bit (float round trip), dimension columns hold the
coordinate labels in C order with the turn's date next to it, the units column the
variable's `units` (row by row for "mixed: see X"), row counts the product of the dimension
sizes, events.csv one row per event, metadata.csv the root attributes. Then the
streaming (a tiny block size gives the same bytes), a dataset with dimensions and variables
no format has (a second `whatif` layout, a scalar, an empty dimension), and every user error:
exit 2, one line, nothing written.

    GEOSIM_BINARY=build/ci/bin/geosim /usr/bin/python3 -m pytest -q tests/python/test_export.py
"""

import errno
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import h5py
import numpy as np
import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import analysis  # noqa: E402
import analysis.__main__  # noqa: E402
from cli_helpers import GEOSIM, GEOSIM_MARKS, cli, one_line_exit_2  # noqa: E402
import analysis.export as export  # noqa: E402
from test_analysis_calibration import write_calibration  # noqa: E402

pytestmark = GEOSIM_MARKS
SMALL = REPO / "scenarios" / "small_test.yaml"
SMALL_V2 = REPO / "scenarios" / "small_test_v2.yaml"

SWEEP_YAML = f"""geosim_sweep: 1
name: export_sweep
scenario: {SMALL}
seed: 5
chunk: 4
design: {{kind: sobol, n: 4}}
parameters:
  - {{name: inertia, path: parameters.influence_inertia, uniform: [0.05, 0.3]}}
  - {{name: c1_growth, path: "actors[C1].growth", uniform: [0.0, 0.1]}}
outputs:
  - {{name: pa_share_c1, variable: influence_share, actor: PA, target: C1}}
  - {{name: c1_hedging, variable: hedging_index, actor: C1}}
trajectories: {{every: 3, variables: [influence_share, flow]}}
"""


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("export")

    def geosim(*a):
        r = subprocess.run([GEOSIM, *map(str, a)], cwd=d, capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
    overlay = d / "whatif.yaml"
    overlay.write_text(f"geosim: 2\nextends: {SMALL_V2}\nmetadata: {{name: whatif}}\n"
                       "timeline:\n  - {id: t_econ, amount: 24 USD m}\n")
    (d / "s.sweep.yaml").write_text(SWEEP_YAML)
    geosim("run", SMALL_V2, "-o", "run.h5", "-q")
    geosim("run", SMALL, "--checkpoint-at", "3", "-o", "checkpoint.h5", "-q")
    geosim("run", SMALL, "--replicates", "3", "-o", "replicates.h5", "-q")
    geosim("compare", SMALL_V2, overlay, "--replicates", "3", "-o", "comparison.h5", "-q")
    geosim("sweep", "run", "s.sweep.yaml", "-d", "sweep_dir", "-o", "sweep.h5", "-q")
    geosim("sweep", "analyze", "sweep.h5", "--bootstrap", "50", "-q")
    write_calibration(d / "calibration.h5")
    with h5py.File(d / "calibration.h5", "r+") as f:  # as geosim calibrate writes it
        f["particles"].attrs["units"] = "mixed: see parameter_units"
    out = {k: d / f"{k}.h5" for k in ("run", "checkpoint", "replicates", "comparison",
                                      "sweep", "calibration")}
    # A study (a comparison of two what-ifs: format version 2, a `whatif` dimension), if
    # this geosim writes them.
    overlay2 = d / "whatif2.yaml"
    overlay2.write_text(overlay.read_text().replace("whatif}", "whatif2}").replace("24", "36"))
    r = subprocess.run([GEOSIM, "compare", SMALL_V2, overlay, overlay2, "--replicates", "2",
                        "-o", "study.h5", "-q"], cwd=d, capture_output=True, text=True)
    out["study"] = d / "study.h5" if r.returncode == 0 else None
    return out


def exported(path, out, *extra):
    rc, err = cli("export", path, "--csv", out, *extra)
    assert rc == 0, err
    return out


# The file through h5py alone --------------------------------------------------------------

def text(value):
    return value.decode() if isinstance(value, bytes) else value


def h5_values(f, name):
    d = f[name]
    return d.asstr()[()] if h5py.check_string_dtype(d.dtype) else d[()]


def h5_dims(f, name):
    return [dim[0].name.lstrip("/") for dim in f[name].dims]


def labels_column(values, axis, shape):
    form = [1] * len(shape)
    form[axis] = -1
    return np.broadcast_to(np.asarray(values).reshape(form), shape).ravel()


def read_table(out, name, dims=()):
    """A table as pandas reads it exactly: floats round-trip, label columns as text, an
    empty `value` NaN (and nowhere else, so that an actor "NA" stays a code)."""
    return pd.read_csv(out / f"{name}.csv", float_precision="round_trip",
                       keep_default_na=False, na_values={"value": [""]},
                       dtype={d: str for d in list(dims) + ["date", "sample_date", "units"]})


def check_variable(f, out, name):
    """The table of `name` equals the variable in the file: labels, dates, values, units."""
    dims, values = h5_dims(f, name), h5_values(f, name)
    shape = values.shape
    df = read_table(out, name, dims)
    assert len(df) == int(np.prod(shape)), name
    columns = []
    for axis, dim in enumerate(dims):
        columns.append(dim)
        expected = labels_column([str(x) for x in h5_values(f, dim)], axis, shape)
        assert (df[dim].to_numpy() == expected).all(), (name, dim)
        date = {"turn": "date", "sample": "sample_date"}.get(dim)
        if date and date in f:
            columns.append(date)
            assert (df[date].to_numpy() == labels_column(h5_values(f, date), axis,
                                                         shape)).all(), (name, date)
    assert list(df.columns) == columns + ["value", "units"], name
    if values.dtype.kind == "f":
        got = df["value"].to_numpy(dtype=float)
        assert np.array_equal(got, values.ravel(), equal_nan=True), name
        assert np.array_equal(np.isnan(got), np.isnan(values.ravel())), name
    else:
        assert (df["value"].astype(str).to_numpy() == values.ravel().astype(str)).all(), name
    units = text(f[name].attrs.get("units", ""))
    m = re.fullmatch(r"mixed: see (\w+)", units)
    if m and m.group(1) in f and h5_dims(f, m.group(1))[0] in dims:
        label = m.group(1)
        expected = labels_column(h5_values(f, label), dims.index(h5_dims(f, label)[0]), shape)
    else:
        expected = np.full(len(df), units)
    assert (df["units"].fillna("").to_numpy() == expected).all(), name
    return df


def index_of(out):
    return pd.read_csv(out / "index.csv", keep_default_na=False, dtype=str).set_index("table")


# Values, labels, units ----------------------------------------------------------------------

def test_run_tables_equal_the_file(files, tmp_path):
    out = exported(files["run"], tmp_path / "csv")
    with h5py.File(files["run"]) as f:
        for name in ("gdp", "influence", "influence_share", "hedging_index", "alignment",
                     "budget", "flow", "dependence_channel"):
            check_variable(f, out, name)
        flow = read_table(out, "flow", h5_dims(f, "flow"))
        units = dict(zip(h5_values(f, "channel"), h5_values(f, "channel_unit")))
        assert (flow["units"] == flow["channel"].map(units)).all()
        assert "USD m/yr" in set(flow["units"])
        hedging = read_table(out, "hedging_index", ["turn", "actor"])
        assert hedging["value"].isna().sum() == np.isnan(f["hedging_index"][()]).sum() > 0
        # every variable has a table; index.csv lists its dims, units and rows
        index = index_of(out)
        variables = [n for n, d in f.items() if isinstance(d, h5py.Dataset)
                     and not d.attrs.get("CLASS") == b"DIMENSION_SCALE"
                     and not n.startswith("event_")
                     and n not in ("date", "actor_name", "actor_role", "pole_name",
                                   "channel_unit")]
        for name in variables:
            assert (out / f"{name}.csv").is_file(), name
            row = index.loc[name]
            assert row["dims"] == " ".join(h5_dims(f, name)), name
            assert row["units"] == text(f[name].attrs.get("units", "")), name
            assert int(row["rows"]) == f[name].size, name
        dim_actor = pd.read_csv(out / "dim_actor.csv", keep_default_na=False, dtype=str)
        assert list(dim_actor["actor"]) == list(h5_values(f, "actor"))
        assert list(dim_actor["actor_role"]) == list(h5_values(f, "actor_role"))


def test_events_table(files, tmp_path):
    out = exported(files["run"], tmp_path / "csv")
    with h5py.File(files["run"]) as f:
        events = pd.read_csv(out / "events.csv", float_precision="round_trip",
                             keep_default_na=False, dtype=str)
        n = len(f["event"])
        assert n > 0 and len(events) == n
        columns = [c for c in f if c.startswith("event_")]
        assert set(events.columns) == {"event", *columns}
        assert events.columns[0] == "event"
        for c in columns:
            values = h5_values(f, c)
            if values.dtype.kind == "f":
                assert np.array_equal(events[c].astype(float).to_numpy(), values), c
            else:
                assert (events[c].to_numpy() == values.astype(str)).all(), c
        assert index_of(out).loc["events", "rows"] == str(n)


def test_metadata_and_yaml(files, tmp_path):
    out = exported(files["run"], tmp_path / "csv")
    meta = pd.read_csv(out / "metadata.csv", keep_default_na=False, dtype=str)
    meta = meta.set_index("attribute")
    assert meta.loc["kind", "value"] == "run"
    with h5py.File(files["run"]) as f:
        for name, value in f.attrs.items():
            value = text(value)
            if name.endswith("_yaml"):
                assert meta.loc[name, "file"] == f"{name}.yaml"
                assert (out / f"{name}.yaml").read_text(encoding="utf-8") == value
            else:
                assert meta.loc[name, "value"] == (repr(float(value))
                                                   if isinstance(value, float) else str(value))
        assert meta.loc["format", "value"] == "geosim-run"
        assert meta.loc["seed", "type"] == "integer"
    assert "scenario_yaml" in f"{(out / 'README.txt').read_text()}"


@pytest.mark.parametrize("kind,variables", [
    ("checkpoint", ["influence", "flow", "gdp"]),
    ("replicates", ["flow", "influence_share_quantile", "hedging_index_mean"]),
    ("comparison", ["influence_share", "flow_diff", "hedging_index_diff_ci_lower",
                    "gdp_mean"]),
    ("sweep", ["pa_share_c1", "status", "design_values", "sobol_st",
               "influence_share_trajectory", "flow_trajectory"]),
    ("calibration", ["particles", "weight", "predicted", "prior_kind", "target_observed"]),
])
def test_every_kind_exports(files, tmp_path, kind, variables):
    out = exported(files[kind], tmp_path / "csv")
    index = index_of(out)
    with h5py.File(files[kind]) as f:
        for name in variables:
            check_variable(f, out, name)
        for table, row in index.iterrows():  # every table has the rows the index says
            if row["content"] in ("variable", "events", "dimension", "metadata"):
                with open(out / row["file"], encoding="utf-8") as fh:
                    rows = len(pd.read_csv(fh, keep_default_na=False, dtype=str))
                assert rows == int(row["rows"]), table
            if row["content"] == "variable":
                assert int(row["rows"]) == f[table].size, table
        if "event" in f:
            events = pd.read_csv(out / "events.csv", keep_default_na=False, dtype=str)
            assert len(events) == len(f["event"]) > 0
        if kind == "comparison":
            assert {"event_scenario", "event_replicate"} <= set(events.columns)
            assert set(events["event_scenario"]) == {"base", "whatif"}
        if kind == "sweep":
            runs = pd.read_csv(out / "dim_run.csv", float_precision="round_trip")
            assert np.array_equal(runs["inertia"].to_numpy(), f["inertia"][()])
            assert list(runs["point"]) == list(f["point"][()])
            design = read_table(out, "design_values", ["design_point", "parameter"])
            units = dict(zip(h5_values(f, "parameter"), h5_values(f, "parameter_unit")))
            assert (design["units"] == design["parameter"].map(units)).all()
        if kind == "calibration":
            particles = read_table(out, "particles", ["generation", "particle", "parameter"])
            assert set(particles["units"]) == {"1", "1/yr"}
    meta = pd.read_csv(out / "metadata.csv", keep_default_na=False, dtype=str)
    assert meta.set_index("attribute").loc["kind", "value"] == {"checkpoint": "run"}.get(kind,
                                                                                          kind)


def test_checkpoint_group_left_out(files, tmp_path):
    out = exported(files["checkpoint"], tmp_path / "csv")
    with h5py.File(files["checkpoint"]) as f:
        assert "checkpoint" in f and len(f["turn"]) == 4
    assert not any("checkpoint/" in p.name for p in out.iterdir())
    meta = pd.read_csv(out / "metadata.csv", keep_default_na=False, dtype=str)
    assert "checkpoint_turn" in set(meta["attribute"])
    assert (out / "checkpoint_history_yaml.yaml").is_file()


# Streaming ---------------------------------------------------------------------------------

def test_blocks_cover_every_cell_once_in_order():
    for shape, limit in [((3, 5, 7), 7), ((3, 5, 7), 12), ((3, 5, 7), 1000), ((2, 1, 4), 3),
                         ((100,), 9), ((4, 30), 7), ((0, 3), 5)]:
        a = np.arange(int(np.prod(shape))).reshape(shape)
        keys = list(export.blocks(shape, limit))
        got = np.concatenate([a[k].ravel() for k in keys]) if keys else np.array([], int)
        assert np.array_equal(got, np.arange(a.size)), (shape, limit)
        assert all(a[k].size <= max(limit, 1) for k in keys), (shape, limit)
    assert len(list(export.blocks((3, 5, 7), 7))) == 15  # one (i, j) at a time


def test_small_blocks_write_the_same_bytes(files, tmp_path, monkeypatch):
    """The block loop (ranges along one axis, single leading indices, the events and label
    tables in pieces) writes exactly what one block does: 13-cell blocks against the
    default."""
    for kind, only in (("run", ["flow", "hedging_index", "events"]),
                       ("comparison", ["influence_share", "gdp_diff"]),
                       ("sweep", ["flow_trajectory", "pa_share_c1"])):
        whole = exported(files[kind], tmp_path / f"{kind}_whole", "--only", *only)
        monkeypatch.setattr(export, "BLOCK_ROWS", 13)
        small = exported(files[kind], tmp_path / f"{kind}_small", "--only", *only)
        monkeypatch.undo()
        names = sorted(p.name for p in whole.iterdir())
        assert names == sorted(p.name for p in small.iterdir())
        for n in names:
            if n != export.MANIFEST:
                assert (whole / n).read_bytes() == (small / n).read_bytes(), (kind, n)


def test_any_new_dimension(files, tmp_path):
    """Generic over dimensions: a version-1 comparison given a `whatif` dimension on one
    difference and a per-what-if label variable, a scalar and a variable over an empty
    dimension: no list of dimensions per kind is needed."""
    ds = analysis.load(files["comparison"])
    diff = ds["influence_share_diff_mean"]
    both = xr_concat_whatif(diff)
    ds = ds.assign(influence_share_diff_mean=both,
                   whatif_scenario_name=("whatif", ["whatif_a", "whatif_b"]),
                   a_scalar=((), 0.1 + 0.2, {"units": "USD m"}),
                   an_empty=(("nothing", "actor"), np.zeros((0, ds.sizes["actor"]))))
    out = tmp_path / "csv"
    export.export_csv(ds, out)
    scalar = pd.read_csv(out / "a_scalar.csv", float_precision="round_trip")
    assert list(scalar.columns) == ["value", "units"] and len(scalar) == 1
    assert scalar["value"][0] == 0.1 + 0.2 and scalar["units"][0] == "USD m"
    assert (out / "an_empty.csv").read_text() == "nothing,actor,value,units\n"
    df = read_table(out, "influence_share_diff_mean", ["whatif", "turn", "actor", "target"])
    assert list(df.columns) == ["whatif", "turn", "date", "actor", "target", "value", "units"]
    assert len(df) == both.size
    assert list(df["whatif"].unique()) == ["w1", "w2"]
    assert np.array_equal(df["value"].to_numpy(), both.values.ravel(), equal_nan=True)
    names = read_table(out, "whatif_scenario_name", ["whatif"])
    assert list(names["value"]) == ["whatif_a", "whatif_b"]


def test_study_with_whatif_dimension(files, tmp_path):
    """A real study (geosim compare BASE W1 W2): the differences over (whatif, ...) and the
    per-scenario variables are exported like every other variable."""
    if files["study"] is None:
        pytest.skip("this geosim writes no study (compare with two what-ifs)")
    out = exported(files["study"], tmp_path / "csv")
    with h5py.File(files["study"]) as f:
        assert h5_dims(f, "flow_diff")[0] == "whatif"
        for name in ("influence_share_diff_mean", "flow_diff", "hedging_index_diff_ci_upper",
                     "influence_share"):
            check_variable(f, out, name)
        name = "influence_share_diff_mean"
        df = read_table(out, name, h5_dims(f, name))
        assert list(df["whatif"].unique()) == list(h5_values(f, "whatif"))
        assert len(h5_values(f, "whatif")) == 2


def xr_concat_whatif(da):
    import xarray as xr
    return xr.concat([da, da * 2], dim="whatif").assign_coords(whatif=["w1", "w2"])


# Errors: exit 2, one line, nothing written ---------------------------------------------------

def test_missing_and_foreign_files(files, tmp_path):
    out = tmp_path / "csv"
    text_file = tmp_path / "text.h5"
    text_file.write_text("geosim: 1\n")
    for path, message in ((tmp_path / "none.h5", "no such file"),
                          (text_file, "not an HDF5 file")):
        rc, err = cli("export", path, "--csv", out)
        one_line_exit_2(rc, err, path.name, message)
        assert not out.exists()


def test_unknown_only(files, tmp_path):
    out = tmp_path / "csv"
    rc, err = cli("export", files["run"], "--csv", out, "--only", "gdp", "nothing")
    one_line_exit_2(rc, err, "nothing", "influence_share", "events", files["run"].name)
    assert not out.exists()
    rc, err = cli("export", files["sweep"], "--csv", out, "--only", "events")
    one_line_exit_2(rc, err, "events", "pa_share_c1")
    assert not out.exists()


def test_only_and_reexport(files, tmp_path):
    out = exported(files["run"], tmp_path / "csv", "--only", "gdp", "events")
    names = {p.name for p in out.iterdir()}
    assert {"gdp.csv", "events.csv", "dim_actor.csv", "dim_turn.csv", "metadata.csv",
            "index.csv", "README.txt", export.MANIFEST} <= names
    assert "influence.csv" not in names and "dim_channel.csv" not in names
    exported(files["run"], out)  # its own earlier export: no --force needed
    assert (out / "influence.csv").is_file()
    exported(files["run"], out, "--only", "flow")  # tables it no longer writes are removed
    names = {p.name for p in out.iterdir()}
    assert "flow.csv" in names and "influence.csv" not in names and "gdp.csv" not in names
    assert set(index_of(out)["file"]) | {"index.csv", "README.txt", export.MANIFEST} == names


def test_folder_with_other_files(files, tmp_path):
    out = tmp_path / "csv"
    out.mkdir()
    mine = out / "notes.txt"
    mine.write_text("mine\n")
    rc, err = cli("export", files["run"], "--csv", out)
    one_line_exit_2(rc, err, "notes.txt", "--force")
    assert [p.name for p in out.iterdir()] == ["notes.txt"]
    exported(files["run"], out, "--force")
    assert mine.read_text() == "mine\n" and (out / "gdp.csv").is_file()
    rc, err = cli("export", files["run"], "--csv", out)  # still not all ours
    one_line_exit_2(rc, err, "notes.txt")
    a_file = tmp_path / "a_file"
    a_file.write_text("mine\n")
    rc, err = cli("export", files["run"], "--csv", a_file)
    one_line_exit_2(rc, err, "not a folder")
    assert a_file.read_text() == "mine\n"


def test_never_replaces_the_input(files, tmp_path):
    out = tmp_path / "csv"
    out.mkdir()
    odd = out / "gdp.csv"
    shutil.copy(files["run"], odd)
    before = odd.read_bytes()
    rc, err = cli("export", odd, "--csv", out, "--force")
    one_line_exit_2(rc, err, "gdp.csv would be the input file itself")
    assert odd.read_bytes() == before and [p.name for p in out.iterdir()] == ["gdp.csv"]


def test_failing_write_leaves_nothing(files, tmp_path, monkeypatch):
    """A write failing midway (a full disk): exit 2, one line; a new folder is gone, an
    earlier export's files are as they were, and no temp file is left."""
    calls = {"n": 0}
    real = export._write_frame

    def full_disk(fh, columns, header):
        calls["n"] += 1
        if calls["n"] > 5:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(fh, columns, header)
    monkeypatch.setattr(export, "_write_frame", full_disk)
    out = tmp_path / "csv"
    rc, err = cli("export", files["run"], "--csv", out)
    one_line_exit_2(rc, err, "No space left on device")
    assert not out.exists()
    monkeypatch.undo()
    earlier = exported(files["checkpoint"], out)
    before = {p.name: p.read_bytes() for p in earlier.iterdir()}
    calls["n"] = 0
    monkeypatch.setattr(export, "_write_frame", full_disk)
    rc, err = cli("export", files["run"], "--csv", out)
    one_line_exit_2(rc, err, "No space left on device")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_python_m_analysis(files, tmp_path):
    """The real entry point, with its crash guard: a success prints one line; an error is
    one line and exit 2; a child killed midway leaves no temp file in DIR."""
    out = tmp_path / "csv"
    r = subprocess.run([sys.executable, "-m", "analysis", "export", str(files["run"]), "--csv",
                        str(out), "--only", "gdp"], cwd=REPO, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and (out / "gdp.csv").is_file()
    r = subprocess.run([sys.executable, "-m", "analysis", "export", str(tmp_path / "no.h5"),
                        "--csv", str(tmp_path / "other")], cwd=REPO, capture_output=True,
                       text=True)
    one_line_exit_2(r.returncode, r.stderr, "no.h5")
    assert not (tmp_path / "other").exists()
    before = sorted(p.name for p in out.iterdir())
    code = (f"import os, sys, signal\nsys.path.insert(0, {str(REPO)!r})\n"
            "import analysis.__main__ as m\n"
            "def crash(argv):\n"
            f"    tmp = os.path.join({str(out)!r}, '.gdp.csv.tmp.' + str(os.getpid()))\n"
            "    open(tmp, 'w').close()\n"
            f"    os.kill(os.getpid(), {int(signal.SIGSEGV)})\n"
            "m.main = crash\n"
            f"sys.exit(m.cli(['export', {str(files['run'])!r}, '--csv', {str(out)!r}]))\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    one_line_exit_2(r.returncode, r.stderr, "run.h5", "crashed")
    assert sorted(p.name for p in out.iterdir()) == before
