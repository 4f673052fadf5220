"""A geosim run file opens, unchanged, in every reader docs/output-format.md promises.

GEOSIM_RUN_FILE names the run file(s) to check (several separated by os.pathsep, e.g. a run
with events and one without). Nothing here is specific to one scenario: actors, turns and
variables are read from the file itself, so any run file can be checked:

    GEOSIM_RUN_FILE=out/baseline.h5 /usr/bin/python3 -m pytest -q tests/python/test_run_file.py
"""

import os
import subprocess

import h5py
import numpy as np
import pytest
import xarray as xr

RUN_FILES = [p for p in os.environ.get("GEOSIM_RUN_FILE", "").split(os.pathsep) if p]

pytestmark = [
    pytest.mark.skipif(not RUN_FILES, reason="GEOSIM_RUN_FILE is not set"),
    # Debian's netCDF4 build warns about numpy's ABI on import; harmless.
    pytest.mark.filterwarnings("ignore:numpy.ndarray size changed"),
]

ENGINES = ["h5netcdf", "netcdf4"]

# Dimensions of the variables every run file holds (docs/output-format.md).
EXPECTED_DIMS = {
    "influence": ("turn", "actor", "target"),
    "dependence": ("turn", "actor", "target"),
    "dependence_economic": ("turn", "actor", "target"),
    "dependence_security": ("turn", "actor", "target"),
    "dependence_political": ("turn", "actor", "target"),
    "dependence_channel": ("turn", "channel", "actor", "target"),
    "bandwidth": ("turn", "actor", "target"),
    "flow": ("turn", "channel", "actor", "target"),
    "alignment": ("turn", "actor", "pole"),
    "susceptibility": ("turn", "actor"),
    "gdp": ("turn", "actor"),
    "budget_spent": ("turn", "actor", "instrument"),
    "compliance": ("turn", "actor"),
    "reexports": ("turn", "actor"),
    "influence_share": ("turn", "actor", "target"),
    "hedging_index": ("turn", "actor"),
    "dependence_hhi": ("turn", "actor"),
    "date": ("turn",),
    "actor_name": ("actor",),
    "actor_role": ("actor",),
    "channel_unit": ("channel",),
    "event_turn": ("event",),
    "event_date": ("event",),
    "event_actor": ("event",),
    "event_action": ("event",),
    "event_targets": ("event",),
    "event_amount": ("event",),
    "event_cause": ("event",),
}

STRING_ROOT_ATTRS = [
    "format", "geosim_version", "git_commit", "scenario_name", "scenario_description",
    "scenario_hash", "scenario_yaml", "scenario_file", "start_time", "host", "command_line",
    "hdf5_version", "convention_note",
]
NUMERIC_ROOT_ATTRS = ["format_version", "seed", "run_id", "wall_seconds"]


@pytest.fixture(params=RUN_FILES, ids=os.path.basename)
def run_file(request):
    path = request.param
    assert os.path.isfile(path), f"{path} does not exist"
    assert not os.path.exists(path + ".tmp"), "a finished run leaves no temp file"
    return path


def actor_codes(path):
    with h5py.File(path, "r") as f:
        return list(f["actor"].asstr()[:])


def test_h5py_reads_string_attributes_as_str(run_file):
    with h5py.File(run_file, "r") as f:
        assert f.attrs["format"] == "geosim-run"
        assert int(f.attrs["format_version"]) == 1
        for name in STRING_ROOT_ATTRS:
            assert isinstance(f.attrs[name], str), name
        for name in NUMERIC_ROOT_ATTRS:
            assert np.isscalar(f.attrs[name]) and not isinstance(f.attrs[name], str), name
        for name, dset in f.items():
            if "units" in dset.attrs:
                assert isinstance(dset.attrs["units"], str), name
            assert isinstance(dset.attrs["long_name"], str), name
        for name in EXPECTED_DIMS:
            if name.startswith("event_") or name in ("date", "actor_name", "actor_role",
                                                     "channel_unit"):
                continue
            assert isinstance(f[name].attrs["units"], str), name


@pytest.mark.parametrize("engine", ENGINES)
def test_xarray_opens_with_named_dimensions(run_file, engine):
    codes = actor_codes(run_file)
    with xr.open_dataset(run_file, engine=engine) as ds:
        for name, dims in EXPECTED_DIMS.items():
            assert ds[name].dims == dims, name
        assert list(ds["actor"].values) == codes
        assert list(ds["target"].values) == codes
        assert ds.sizes["actor"] == ds.sizes["target"] == len(codes)
        assert list(ds["turn"].values) == list(range(ds.sizes["turn"]))
        assert ds.attrs["format"] == "geosim-run"
        # Labels select cells: one patron's influence over one client.
        if codes:
            cell = ds["influence"].sel(actor=codes[0], target=codes[-1])
            assert cell.dims == ("turn",)


@pytest.mark.parametrize("engine", ENGINES)
def test_xarray_values_equal_h5py(run_file, engine):
    with h5py.File(run_file, "r") as f, xr.open_dataset(run_file, engine=engine) as ds:
        for name in EXPECTED_DIMS:
            raw = f[name]
            if h5py.check_string_dtype(raw.dtype) is not None:
                assert list(ds[name].values) == list(raw.asstr()[:]), name
            else:
                np.testing.assert_array_equal(ds[name].values, raw[()], err_msg=name)


def test_events_table_is_consistent(run_file):
    with h5py.File(run_file, "r") as f:
        n = f["event"].shape[0]
        codes = set(f["actor"].asstr()[:])
        assert list(f["event"][:]) == list(range(n))
        for name in EXPECTED_DIMS:
            if name.startswith("event_"):
                assert f[name].shape == (n,), name
        turns = f["turn"].shape[0]
        assert all(0 <= t < turns for t in f["event_turn"][:])
        assert set(f["event_actor"].asstr()[:]) <= codes | {""}
        for targets in f["event_targets"].asstr()[:]:
            assert targets == "" or set(targets.split(",")) <= codes
        assert set(f["event_cause"].asstr()[:]) <= {"scripted", "policy", "reaction", "shock"}
        dates = list(f["date"].asstr()[:])
        for t, d in zip(f["event_turn"][:], f["event_date"].asstr()[:]):
            assert dates[t] == d


def test_ncdump_header(run_file):
    out = subprocess.run(["ncdump", "-h", run_file], capture_output=True, text=True, check=True)
    assert "influence(turn, actor, target)" in out.stdout
    assert "flow(turn, channel, actor, target)" in out.stdout


def test_h5dump_header(run_file):
    out = subprocess.run(["h5dump", "-H", run_file], capture_output=True, text=True, check=True)
    assert 'DATASET "influence"' in out.stdout
