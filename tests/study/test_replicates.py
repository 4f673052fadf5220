"""Replicates and comparison files open in xarray, and their summaries are what numpy and scipy
compute from the per-replicate arrays.

GEOSIM_REPLICATES_WORK is the folder replicates_cli_test.sh leaves its files in: rep.h5 (4
replicates of the baseline), self.h5 (the baseline compared with itself, R = 4), aid.h5 (the
baseline against the US-doubles-security-aid what-if, R = 4), one_pair.h5 (R = 1), study.h5 (a
what-if study: the baseline against two what-ifs, R = 3, format version 2).
"""

import os
import subprocess

import h5py
import numpy as np
import pytest
import xarray as xr
from scipy import stats

WORK = os.environ.get("GEOSIM_REPLICATES_WORK", "")

pytestmark = [
    pytest.mark.skipif(not WORK, reason="GEOSIM_REPLICATES_WORK is not set"),
    pytest.mark.filterwarnings("ignore:numpy.ndarray size changed"),
]

ENGINES = ["h5netcdf", "netcdf4"]
QUANTILES = [0.05, 0.5, 0.95]
TOL = dict(rtol=1e-12, atol=1e-12, equal_nan=True)


def path(name):
    p = os.path.join(WORK, name)
    assert os.path.isfile(p), f"{p} is missing: did replicates.cli run?"
    return p


def per_turn_variables(ds, lead):
    """The run variables: those whose dimensions start with `lead` then turn."""
    n = len(lead)
    return [v for v in ds.data_vars
            if ds[v].dims[:n + 1] == (*lead, "turn") and not v.endswith("_diff")]


@pytest.mark.parametrize("engine", ENGINES)
def test_replicates_file_opens_with_named_dimensions(engine):
    with xr.open_dataset(path("rep.h5"), engine=engine) as ds:
        assert ds.attrs["format"] == "geosim-replicates"
        assert int(ds.attrs["replicates"]) == 4
        assert list(ds["replicate"].values) == [0, 1, 2, 3]
        assert list(ds["quantile"].values) == QUANTILES
        assert ds["influence"].dims == ("replicate", "turn", "actor", "target")
        assert ds["flow"].dims == ("replicate", "turn", "channel", "actor", "target")
        assert ds["influence_mean"].dims == ("turn", "actor", "target")
        assert ds["influence_quantile"].dims == ("quantile", "turn", "actor", "target")
        assert ds["event_replicate"].dims == ("event",)
        assert ds["influence"].attrs["units"] == "1"
        assert set(np.unique(ds["event_replicate"].values)) <= {0, 1, 2, 3}
        assert ds["influence_share"].sel(actor="USA", target="TJK", replicate=2).shape == (36,)


def test_mean_and_quantiles_are_those_of_the_replicate_arrays():
    with xr.open_dataset(path("rep.h5"), engine="h5netcdf") as ds:
        names = per_turn_variables(ds, ("replicate",))
        assert len(names) >= 17
        spread = False
        for v in names:
            x = ds[v].values
            spread = spread or not np.array_equal(x[0], x[1], equal_nan=True)
            with np.errstate(invalid="ignore"):
                np.testing.assert_allclose(ds[f"{v}_mean"].values, np.mean(x, axis=0),
                                           err_msg=v, **TOL)
                np.testing.assert_allclose(ds[f"{v}_quantile"].values,
                                           np.quantile(x, QUANTILES, axis=0), err_msg=v, **TOL)
            # xarray's own reductions agree too.
            np.testing.assert_allclose(
                ds[f"{v}_quantile"].sel(quantile=0.5).values,
                ds[v].median("replicate", skipna=False).values, err_msg=v, **TOL)
        assert spread, "the replicates should differ (random detections)"


def test_each_replicate_has_its_own_events():
    with h5py.File(path("rep.h5"), "r") as f:
        rep = f["event_replicate"][:]
        turn = f["event_turn"][:]
        assert len(rep) == len(turn) == len(f["event"])
        assert np.all(np.diff(rep) >= 0), "events grouped by replicate"
        for r in np.unique(rep):
            assert np.all(np.diff(turn[rep == r]) >= 0), "by turn within a replicate"


@pytest.mark.parametrize("engine", ENGINES)
def test_comparison_file_opens_with_a_scenario_dimension(engine):
    with xr.open_dataset(path("aid.h5"), engine=engine) as ds:
        assert ds.attrs["format"] == "geosim-comparison"
        assert list(ds["scenario"].values) == ["base", "whatif"]
        assert list(ds["scenario_name"].values) == [
            ds.attrs["base_scenario_name"], ds.attrs["whatif_scenario_name"]]
        assert ds["influence_share"].dims == ("scenario", "replicate", "turn", "actor", "target")
        assert ds["influence_share_mean"].dims == ("scenario", "turn", "actor", "target")
        assert ds["influence_share_diff"].dims == ("replicate", "turn", "actor", "target")
        for s in ["diff_mean", "diff_ci_lower", "diff_ci_upper"]:
            assert ds[f"influence_share_{s}"].dims == ("turn", "actor", "target")
        assert set(ds["event_scenario"].values) == {"base", "whatif"}
        assert float(ds.attrs["ci_level"]) == 0.95


def test_paired_differences_means_and_intervals():
    with xr.open_dataset(path("aid.h5"), engine="h5netcdf") as ds:
        r = ds.sizes["replicate"]
        t = stats.t.ppf(0.975, r - 1)
        assert float(ds.attrs["t_quantile"]) == pytest.approx(t, rel=1e-9)
        for v in per_turn_variables(ds, ("scenario", "replicate")):
            base = ds[v].sel(scenario="base").values
            whatif = ds[v].sel(scenario="whatif").values
            d = whatif - base
            np.testing.assert_array_equal(ds[f"{v}_diff"].values, d, err_msg=v)
            with np.errstate(invalid="ignore"):
                m = d.mean(axis=0)
                hw = t * d.std(axis=0, ddof=1) / np.sqrt(r)
                np.testing.assert_allclose(ds[f"{v}_mean"].values,
                                           np.stack([base.mean(axis=0), whatif.mean(axis=0)]),
                                           err_msg=v, **TOL)
            np.testing.assert_allclose(ds[f"{v}_diff_mean"].values, m, err_msg=v, **TOL)
            np.testing.assert_allclose(ds[f"{v}_diff_ci_lower"].values, m - hw, err_msg=v,
                                       rtol=1e-9, atol=1e-12, equal_nan=True)
            np.testing.assert_allclose(ds[f"{v}_diff_ci_upper"].values, m + hw, err_msg=v,
                                       rtol=1e-9, atol=1e-12, equal_nan=True)


def test_the_us_share_of_tjk_rises_with_an_interval_above_zero():
    with xr.open_dataset(path("aid.h5"), engine="h5netcdf") as ds:
        h = dict(turn=-1)
        sel = dict(actor="USA", target="TJK")
        assert float(ds["influence_share_diff_mean"].isel(h).sel(sel)) > 0
        assert float(ds["influence_share_diff_ci_lower"].isel(h).sel(sel)) > 0


def test_self_comparison_differences_are_exactly_zero():
    with xr.open_dataset(path("self.h5"), engine="h5netcdf") as ds:
        for v in per_turn_variables(ds, ("scenario", "replicate")):
            x = ds[v].values
            d = ds[f"{v}_diff"].values
            # 0 wherever the value is defined; NaN - NaN (a hedging index without patrons) is NaN.
            assert np.all((d == 0) | (np.isnan(d) & np.isnan(x[0]))), v
            lo, hi = ds[f"{v}_diff_ci_lower"].values, ds[f"{v}_diff_ci_upper"].values
            ok = np.isnan(lo) | ((lo <= 0) & (hi >= 0))
            assert np.all(ok), v


def test_one_replicate_has_no_interval():
    with xr.open_dataset(path("one_pair.h5"), engine="h5netcdf") as ds:
        assert ds.sizes["replicate"] == 1
        assert np.isnan(float(ds.attrs["t_quantile"]))
        assert np.all(np.isnan(ds["influence_share_diff_ci_lower"].values))
        assert not np.all(np.isnan(ds["influence_share_diff_mean"].values))


@pytest.mark.parametrize("engine", ENGINES)
def test_study_file_has_a_whatif_dimension_and_paired_differences(engine):
    with xr.open_dataset(path("study.h5"), engine=engine) as ds:
        assert int(ds.attrs["format_version"]) == 2
        whatifs = ["whatif_us_doubles_security_aid", "whatif_us_halves_security_aid"]
        assert list(ds["whatif"].values) == whatifs
        assert list(ds["scenario"].values) == ["base"] + whatifs
        assert list(ds["scenario_name"].values) == [ds.attrs["base_scenario_name"]] + whatifs
        assert ds["influence_share_diff"].dims == ("whatif", "replicate", "turn", "actor",
                                                   "target")
        assert ds["influence_share_diff_mean"].dims == ("whatif", "turn", "actor", "target")
        assert ds["seed"].dims == ("scenario",)
        assert "halves" in str(ds["scenario_description"].sel(scenario=whatifs[1]).values)
        t = float(ds.attrs["t_quantile"])
        for w in whatifs:
            for v in ("influence_share", "reexports", "gdp"):
                d = ds[v].sel(scenario=w).values - ds[v].sel(scenario="base").values
                np.testing.assert_array_equal(ds[f"{v}_diff"].sel(whatif=w).values, d)
                mean = d.mean(axis=0)
                half = t * d.std(axis=0, ddof=1) / np.sqrt(d.shape[0])
                np.testing.assert_allclose(ds[f"{v}_diff_mean"].sel(whatif=w).values, mean, **TOL)
                np.testing.assert_allclose(ds[f"{v}_diff_ci_lower"].sel(whatif=w).values,
                                           mean - half, **TOL)
        # Doubling raises the US share of TJK at the horizon, halving lowers it.
        share = ds["influence_share_diff_mean"].sel(actor="USA", target="TJK").isel(turn=-1)
        assert float(share.sel(whatif=whatifs[0])) > 0 > float(share.sel(whatif=whatifs[1]))
        assert set(np.unique(ds["event_scenario"].values)) == {"base"} | set(whatifs)


@pytest.mark.parametrize("name", ["rep.h5", "aid.h5", "study.h5"])
def test_ncdump_reads_it(name):
    out = subprocess.run(["ncdump", "-h", path(name)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "replicate = " in out.stdout
