"""Reading a geosim run file (docs/output-format.md) into an xarray.Dataset."""

import os

import h5py
import pandas as pd
import xarray as xr

FORMAT = "geosim-run"
FORMAT_VERSION = 1


def _attr(f, name):
    value = f.attrs.get(name)
    return value.decode() if isinstance(value, bytes) else value


def check_format(path):
    """Raise ValueError unless `path` is an HDF5 file with the geosim run format attributes."""
    path = os.fspath(path)
    if not os.path.exists(path):
        raise FileNotFoundError(f"{path}: no such file")
    try:
        f = h5py.File(path, "r")
    except OSError as e:
        raise ValueError(f"{path}: not a geosim run file: not an HDF5 file ({e})") from None
    with f:
        fmt = _attr(f, "format")
        version = _attr(f, "format_version")
    if fmt != FORMAT:
        found = "no 'format' attribute" if fmt is None else f"format = {fmt!r}"
        raise ValueError(f"{path}: not a geosim run file: expected root attribute "
                         f"format = {FORMAT!r}, found {found}")
    if version is None or int(version) != FORMAT_VERSION:
        raise ValueError(f"{path}: unsupported geosim run format version: expected "
                         f"format_version = {FORMAT_VERSION}, found {version!r}")


def load(path):
    """Open a geosim run file as an xarray.Dataset.

    Raises ValueError (naming the file and what it found) if the file is not a geosim
    run file of format version 1. `date` becomes a datetime64 coordinate on `turn` and
    `event_date` a datetime64 variable; everything else is as written. Data are read
    lazily: close the dataset (or use it in a `with` block) when done.
    """
    check_format(path)
    ds = xr.open_dataset(path, engine="h5netcdf")
    date = ds["date"]
    ds = ds.drop_vars("date").assign_coords(
        date=("turn", pd.to_datetime(date.values), date.attrs))
    ds["event_date"] = ("event", pd.to_datetime(ds["event_date"].values),
                        ds["event_date"].attrs)
    return ds


# Small accessors used by the figures.

def codes_with_role(ds, role):
    """Actor codes whose actor_role is `role` ("patron", "client" or "other"), in actor order."""
    return [str(c) for c, r in zip(ds["actor"].values, ds["actor_role"].values) if r == role]


def actor_names(ds):
    """Dict actor code -> full name."""
    return dict(zip(map(str, ds["actor"].values), map(str, ds["actor_name"].values)))


def short_name(name):
    """A full name without its parenthesised remark: "Afghanistan (Taliban ...)" -> "Afghanistan"."""
    return name.split(" (")[0]


def events(ds):
    """The events table as a pandas.DataFrame; `targets` is a list of codes, duplicates removed."""
    cols = {c: ds[f"event_{c}"].values
            for c in ("turn", "date", "actor", "action", "targets", "amount", "cause")}
    df = pd.DataFrame(cols)
    df["targets"] = [list(dict.fromkeys(t for t in str(s).split(",") if t))
                     for s in df["targets"]]
    return df


def units_text(da):
    """The `units` attribute of a variable for an axis label ("1" reads "dimensionless")."""
    units = da.attrs.get("units", "")
    return "dimensionless" if units in ("1", "") else units


__all__ = ["load", "check_format", "codes_with_role", "actor_names", "short_name", "events",
           "units_text", "FORMAT", "FORMAT_VERSION"]
