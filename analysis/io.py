"""Reading any geosim output file into an xarray.Dataset.

Five kinds of file, told apart by the root attribute `format` (each at `format_version` 1;
a comparison at 1, or 2 for a study of several what-ifs: READ_VERSIONS):

| kind         | `format`            | written by                          | layout                  |
|--------------|---------------------|-------------------------------------|-------------------------|
| `run`        | `geosim-run`        | `geosim run` (checkpoints included) | docs/output-format.md   |
| `replicates` | `geosim-replicates` | `geosim run --replicates R`         | docs/whatif.md          |
| `comparison` | `geosim-comparison` | `geosim compare`                    | docs/whatif.md          |
| `sweep`      | `geosim-sweep`      | `geosim sweep run` / `merge`        | sim/output/sweep_merge.cpp |
| `calibration` | `geosim-calibration` | `geosim calibrate`             | docs/calibration.md     |

`load` checks the format, the version and the variables the figures need, and raises a
subclass of `GeosimFileError` (itself a `ValueError`) naming the file and what it found.
"""

import importlib
import os
import warnings

import h5py
import numpy as np
import pandas as pd
import xarray as xr


def _engine():
    """netCDF4 (the C library: ~5x faster to open a file with many variables) when Debian's
    python3-netcdf4 is installed, else h5netcdf. Both read our files identically."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Debian's build warns about numpy's ABI
            importlib.import_module("netCDF4")
        return "netcdf4"
    except ImportError:
        return "h5netcdf"


ENGINE = _engine()


class GeosimFileError(ValueError):
    """A file `load` cannot read as a geosim output. The message names the file."""


class NotGeosimFileError(GeosimFileError):
    """Not HDF5, or HDF5 without a geosim `format` root attribute (a foreign file)."""


class UnsupportedVersionError(GeosimFileError):
    """A geosim format this package knows, at a `format_version` it does not know."""


class LayoutError(GeosimFileError):
    """The format attributes are ours, but variables or dimensions are missing or differ
    (an older development layout, or a file edited by hand)."""


# format attribute -> kind
FORMATS = {
    "geosim-run": "run",
    "geosim-replicates": "replicates",
    "geosim-comparison": "comparison",
    "geosim-sweep": "sweep",
    "geosim-calibration": "calibration",
}
KINDS = tuple(FORMATS.values())
# geosim's own work files (sweep folders, calibration work folders), not outputs.
# ("geosim-sweep-chunk": the chunk files of geosim before its packs.)
WORK_FORMATS = ("geosim-sweep-plan", "geosim-sweep-chunk", "geosim-calibration-population")
# The first bytes of a pack of committed sweep chunks (DIR/chunks/*.gspack, not HDF5).
PACK_MAGIC = b"GSIMPACK"
FORMAT_VERSIONS = {fmt: 1 for fmt in FORMATS}
# Every version `load` reads, per format: a comparison is version 1 (one what-if) or 2 (a
# study of K >= 2 what-ifs, with a `whatif` dimension; docs/whatif.md, "Study file").
READ_VERSIONS = {**{fmt: (v,) for fmt, v in FORMAT_VERSIONS.items()},
                 "geosim-comparison": (1, 2)}
# Kept for the API of the first version (run files only).
FORMAT = "geosim-run"
FORMAT_VERSION = 1

# What the figures need of a run file: variable -> dimensions (docs/output-format.md).
RUN_VARIABLES = {
    "influence": ("turn", "actor", "target"),
    "influence_share": ("turn", "actor", "target"),
    "dependence": ("turn", "actor", "target"),
    "flow": ("turn", "channel", "actor", "target"),
    "alignment": ("turn", "actor", "pole"),
    "gdp": ("turn", "actor"),
    "hedging_index": ("turn", "actor"),
    "reexports": ("turn", "actor"),
}
LABELS = {
    "date": ("turn",),
    "actor_name": ("actor",),
    "actor_role": ("actor",),
    "pole_name": ("pole",),
    "channel_unit": ("channel",),
}
EVENT_COLUMNS = ("turn", "date", "actor", "action", "targets", "amount", "cause")


# What the calibration figures and report read (docs/calibration.md, "The calibration output
# file"); the file's other variables (parameter_path, target_source, persistence, ...) are
# loaded when present but not required.
CALIBRATION_VARIABLES = {
    "parameter_units": ("parameter",), "prior_kind": ("parameter",),
    "prior_a": ("parameter",), "prior_b": ("parameter",),
    "particles": ("generation", "particle", "parameter"),
    "weight": ("generation", "particle"), "distance": ("generation", "particle"),
    "tolerance": ("generation",), "ess": ("generation",), "acceptance": ("generation",),
    "proposals": ("generation",), "posterior_median": ("parameter",), "best": ("parameter",),
    "target_observed": ("target",), "target_sd": ("target",), "target_units": ("target",),
    "target_use": ("target",), "target_period": ("target",),
    "predicted": ("particle", "target"),
}
PRIOR_KINDS = ("uniform", "loguniform", "normal", "discrete")
TARGET_USES = ("fit", "holdout")


SOBOL_TABLES = ("sobol_s1", "sobol_s1_low", "sobol_s1_high", "sobol_st", "sobol_st_low",
                "sobol_st_high")
MORRIS_TABLES = ("morris_mu", "morris_mu_star", "morris_sigma")


def _required(kind, ds):
    """{variable: dims} a file of this kind must hold."""
    if kind == "calibration":
        return CALIBRATION_VARIABLES
    events = {f"event_{c}": ("event",) for c in EVENT_COLUMNS}
    if kind == "run":
        return {**RUN_VARIABLES, **LABELS, **events}
    if kind == "replicates":
        out = {**LABELS, **events, "event_replicate": ("event",)}
        for v, dims in RUN_VARIABLES.items():
            out[v] = ("replicate",) + dims
            out[f"{v}_mean"] = dims
            out[f"{v}_quantile"] = ("quantile",) + dims
        return out
    if kind == "comparison":
        # version 2 (a study): the differences gain a leading `whatif` dimension, and each
        # scenario's metadata are variables over `scenario` (version 1: root attributes)
        study = _version(ds) == 2
        w = ("whatif",) if study else ()
        out = {**LABELS, **events, "scenario_name": ("scenario",),
               "event_scenario": ("event",), "event_replicate": ("event",)}
        if study:
            out.update({"whatif": ("whatif",), "seed": ("scenario",),
                        **{f"scenario_{m}": ("scenario",) for m in SCENARIO_METADATA}})
        for v, dims in RUN_VARIABLES.items():
            out[v] = ("scenario", "replicate") + dims
            out[f"{v}_mean"] = ("scenario",) + dims
            out[f"{v}_diff"] = w + ("replicate",) + dims
            for s in ("_diff_mean", "_diff_ci_lower", "_diff_ci_upper"):
                out[v + s] = w + dims
        return out
    # sweep: the metrics are listed by the file itself
    out = {"parameter_unit": ("parameter",), "parameter_path": ("parameter",),
           "design_values": ("design_point", "parameter"), "status": ("run",),
           "point": ("run",), "replicate": ("run",)}
    if "metric" in ds.variables:
        out.update({str(m): ("run",) for m in ds["metric"].values})
    if "parameter" in ds.variables:
        out.update({str(p): ("run",) for p in ds["parameter"].values})
    # after `geosim sweep analyze`: a table of indices is whole or absent
    for tables in (SOBOL_TABLES, MORRIS_TABLES):
        if any(t in ds.variables for t in tables):
            out.update({t: ("metric", "parameter") for t in tables})
    return out


# A study's (comparison version 2) per-scenario metadata: scenario_<name>(scenario), strings.
SCENARIO_METADATA = ("description", "hash", "yaml", "file")


def _version(ds):
    """The dataset's format_version as an int (1 when absent or unreadable)."""
    try:
        return int(ds.attrs.get("format_version", 1))
    except (TypeError, ValueError):
        return 1


def _attr(f, name):
    value = f.attrs.get(name)
    return value.decode() if isinstance(value, bytes) else value


def uint64(v):
    """Seeds and run ids are uint64 stored in int64 with the same bits: the unsigned value (a
    value that is not a number is returned as it is)."""
    try:
        v = int(v)
    except (TypeError, ValueError):
        return v
    return v + 2 ** 64 if v < 0 else v


def has_generator_tag(path, generator):
    """Whether `path` is an HTML file this package wrote as `generator` (its <meta
    name="generator"> tag in the first 4 kB): such a file is replaced without --force."""
    try:
        with open(path, "rb") as f:
            head = f.read(4096)
    except OSError:
        return False
    return f'<meta name="generator" content="{generator}">'.encode() in head


def one_line(text):
    """A message on one line: HDF5's and the OS's texts carry newlines (a ctime, a stack)."""
    return " ".join(str(text).split())


def _hdf5_reason(e):
    """The useful part of an h5py / HDF5 error, on one line and short."""
    text = one_line(e)
    if isinstance(e, OSError) and e.errno is not None and e.strerror:
        return e.strerror
    return text if len(text) <= 300 else text[:297] + "..."


def check_format(path):
    """Return the kind ("run", "replicates", "comparison", "sweep" or "calibration") of the
    geosim file at `path`, from its root attributes. Raises FileNotFoundError,
    NotGeosimFileError or UnsupportedVersionError."""
    path = os.fspath(path)
    if not os.path.exists(path):
        raise FileNotFoundError(f"{path}: no such file")
    if os.path.isdir(path):
        raise NotGeosimFileError(f"{path}: is a folder, not a geosim output file")
    try:
        size = os.path.getsize(path)
    except OSError as e:
        raise NotGeosimFileError(f"{path}: cannot read it: {e.strerror}") from None
    if size == 0:
        raise NotGeosimFileError(f"{path}: not a geosim output file: the file is empty")
    if not os.access(path, os.R_OK):
        raise NotGeosimFileError(f"{path}: cannot read it: permission denied")
    try:
        with open(path, "rb") as raw:
            magic = raw.read(len(PACK_MAGIC))
    except OSError as e:
        raise NotGeosimFileError(f"{path}: cannot read it: {e.strerror}") from None
    if magic == PACK_MAGIC:
        raise NotGeosimFileError(
            f"{path}: not a geosim output file: a pack of committed sweep chunks (a work file "
            f"of geosim sweep, which this package does not read; give it the merged sweep "
            f"file: geosim sweep merge DIR)")
    try:
        f = h5py.File(path, "r")
    except Exception as e:  # OSError for a file that is not HDF5, truncated or damaged
        raise NotGeosimFileError(f"{path}: not a geosim output file: not an HDF5 file, or a "
                                 f"damaged one ({_hdf5_reason(e)})") from None
    try:
        with f:
            fmt = _attr(f, "format")
            version = _attr(f, "format_version")
            looks_like_run = "influence" in f and "actor" in f
    except Exception as e:  # a damaged attribute or object header
        raise NotGeosimFileError(f"{path}: damaged HDF5 file: cannot read its root "
                                 f"attributes ({_hdf5_reason(e)})") from None
    if not isinstance(fmt, (str, type(None))):
        fmt = repr(fmt)
    known = ", ".join(repr(k) for k in FORMATS)
    if fmt not in FORMATS:
        if fmt is None and looks_like_run:
            raise NotGeosimFileError(
                f"{path}: not a geosim output file: it has run variables but no 'format' root "
                f"attribute (a layout older than geosim-run format_version 1?); expected "
                f"format = one of {known}; rerun it with this geosim")
        found = "no 'format' attribute" if fmt is None else f"format = {fmt!r}"
        hint = (" (a work file of geosim sweep or calibrate, which this package does not read; "
                "give it the merged sweep file or the calibration file)"
                if fmt in WORK_FORMATS else "")
        raise NotGeosimFileError(f"{path}: not a geosim output file: expected root attribute "
                                 f"format = one of {known}, found {found}{hint}")
    readable = READ_VERSIONS[fmt]
    try:
        ok = (version is not None and np.ndim(version) == 0
              and not isinstance(version, (str, float, np.floating))
              and int(version) in readable)
    except (TypeError, ValueError):
        ok = False
    if not ok:
        found = "no 'format_version' attribute" if version is None else repr(version)
        expected = " or ".join(map(str, readable))
        reads = (f"version {readable[0]}" if len(readable) == 1 else
                 "versions " + ", ".join(map(str, readable[:-1])) + f" and {readable[-1]}")
        raise UnsupportedVersionError(
            f"{path}: unsupported {fmt} format version: expected format_version = {expected}, "
            f"found {found} (this analysis package reads {reads})")
    return FORMATS[fmt]


# Required variables holding strings; every other required variable holds numbers.
STRING_VARIABLES = {
    "date", "actor_name", "actor_role", "pole_name", "channel_unit", "scenario_name",
    "event_date", "event_actor", "event_action", "event_targets", "event_cause",
    "event_scenario", "whatif", "scenario_description", "scenario_hash", "scenario_yaml",
    "scenario_file",
    "parameter_unit", "parameter_path", "parameter_units", "prior_kind", "target_units",
    "target_use", "target_period",
}


def _check_layout(ds, kind, path):
    problems = []
    for name, dims in _required(kind, ds).items():
        if name not in ds.variables:
            problems.append(f"no variable {name!r}")
        elif tuple(ds[name].dims) != dims:
            problems.append(f"{name} has dimensions {tuple(ds[name].dims)}, expected {dims}")
        else:
            want_text = name in STRING_VARIABLES
            dtype_kind = ds[name].dtype.kind
            if want_text and dtype_kind not in "OSU":
                problems.append(f"{name} holds {ds[name].dtype} values, expected strings")
            elif not want_text and dtype_kind not in "fiub":
                problems.append(f"{name} holds {ds[name].dtype} values, expected numbers")
    if kind == "calibration" and not problems:
        problems = _calibration_problems(ds)
    if kind == "comparison" and not problems:
        problems = _scenario_label_problems(ds)
    if problems:
        shown = "; ".join(problems[:6]) + (f"; and {len(problems) - 6} more"
                                           if len(problems) > 6 else "")
        raise LayoutError(f"{path}: not the geosim {kind} layout this package reads "
                          f"(written by another geosim version, or damaged?): {shown}")


def _scenario_label_problems(ds):
    """A comparison's scenario labels: version 1 "base", "whatif"; version 2 "base", then the
    what-ifs in the order of its `whatif` dimension (the figures select by these labels)."""
    scenarios = [str(s) for s in ds["scenario"].values]
    if _version(ds) == 2:
        whatifs = [str(w) for w in ds["whatif"].values]
        if scenarios != ["base"] + whatifs:
            return [f"scenario labels {scenarios} are not 'base' then the whatif labels "
                    f"{whatifs}"]
    elif scenarios != ["base", "whatif"]:
        return [f"scenario labels {scenarios}, expected ['base', 'whatif']"]
    return []


def _check_values(ds, kind, path):
    """Values the figures rely on, out of their documented range (a damaged or edited file):
    a calibration's weights and particles must be finite (weights >= 0, not all 0); a sweep's
    status 0, 1 or 2."""
    problems = []
    if kind == "calibration":
        for name in ("particles", "weight"):
            values = np.asarray(ds[name].values, dtype=float)
            if not np.isfinite(values).all():
                problems.append(f"{name} holds NaN or infinite values")
        w = np.asarray(ds["weight"].values, dtype=float)
        if np.isfinite(w).all() and ((w < 0).any() or (w.sum(axis=-1) <= 0).any()):
            problems.append("weight holds negative values, or a generation's weights are all 0")
    if kind == "sweep":
        status = np.asarray(ds["status"].values)
        if not np.isin(status, (0, 1, 2)).all():
            problems.append("status holds values other than 0 (ok), 1 (failed) and 2 (missing)")
    if problems:
        raise LayoutError(f"{path}: damaged geosim {kind} file: " + "; ".join(problems))


def _calibration_problems(ds):
    """What makes a calibration file with the right variables unreadable: no generation or
    particle, a prior kind or target use this package does not know."""
    problems = [f"dimension {d!r} is empty" for d in ("generation", "particle")
                if ds.sizes[d] == 0]
    for var, known in (("prior_kind", PRIOR_KINDS), ("target_use", TARGET_USES)):
        bad = sorted({str(v) for v in ds[var].values} - set(known))
        if bad:
            problems.append(f"{var} {', '.join(map(repr, bad))} (expected one of "
                            f"{', '.join(known)})")
    return problems


def write_atomically(path, data):
    """Write bytes (or str, as UTF-8) to `path` through a temp file in the same folder
    (`.NAME.tmp.PID`), renamed when complete: a failing write (a full disk) leaves nothing
    under `path` (a file already there stays as it was) and no temp file."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    folder, name = os.path.split(os.path.abspath(path))
    tmp = os.path.join(folder, f".{name}.tmp.{os.getpid()}")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.remove(tmp)
        except OSError:
            pass
        raise
    return path


def write_all_atomically(outputs):
    """Write {path: bytes} so that either every file is written or none is: each to a temp
    file next to it, then, when all are complete, the renames. On a failing write the temp
    files are removed and the files already under those names are left as they were."""
    temps = {}
    try:
        for path, data in outputs.items():
            folder, name = os.path.split(os.path.abspath(path))
            tmp = os.path.join(folder, f".{name}.tmp.{os.getpid()}")
            temps[path] = tmp
            with open(tmp, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
    except BaseException:
        for tmp in temps.values():
            try:
                os.remove(tmp)
            except OSError:
                pass
        raise
    for path, tmp in temps.items():
        os.replace(tmp, path)
    return list(outputs)


def _dates(values):
    return pd.to_datetime(np.asarray(values).astype(str))


def load(path, lazy=False):
    """Open any geosim output file as an xarray.Dataset with named dimensions.

    The kind of file is `ds.attrs["format"]` (see `kind(ds)`). Raises FileNotFoundError,
    or a GeosimFileError subclass (a ValueError) naming the file and what it found:
    NotGeosimFileError (not HDF5, or no geosim `format` attribute), UnsupportedVersionError
    (a `format_version` it does not read: READ_VERSIONS) or LayoutError (variables missing
    or with other dimensions).

    Everything in the file is in the dataset with its values and attributes; in addition:

    - run, replicates, comparison: `date` is a datetime64 coordinate on `turn`, `event_date`
      datetime64; `actor_name`, `actor_role` (on `actor`), `pole_name` (on `pole`) and
      `channel_unit` (on `channel`) are coordinates; a comparison's `scenario_name` is a
      coordinate on `scenario`.
    - comparison: returned as written. Version 1 (one what-if): scenarios "base" and
      "whatif", `<var>_diff*` without a `whatif` dimension, the what-if's metadata in root
      attributes `whatif_*`. Version 2 (a study of K what-ifs): scenarios "base" and the
      what-ifs' names, `<var>_diff*` with a leading `whatif` dimension, per-scenario metadata
      variables. `analysis.whatif_view(ds)` gives either version the version-2 shape (a
      version-1 file gets a length-1 `whatif` dimension labelled "whatif"), and
      `analysis.scenario_metadata(ds)` either version's per-scenario metadata (analysis/
      study.py); the comparison figures, tables and report read the file through them.
    - sweep: `sample_date` is a datetime64 coordinate on `sample` (if trajectories were kept);
      `parameter_unit` and `parameter_path` are coordinates on `parameter`, and
      `metric_units` and `metric_long_name` (from each metric's attributes) on `metric`; the
      parameters, `point` and `replicate` are coordinates on `run`.
    - calibration: as written (docs/calibration.md); `generation`, `particle`, `parameter`
      and `target` are the dimensions. Beyond the variables, the layout check refuses a file
      without generations or particles, or with a `prior_kind` or `target_use` it does not
      know.

    The data are read into memory and the file closed, unless lazy=True (for files larger
    than memory): then values are read when used, and the dataset should be closed (or used
    in a `with` block) when done.
    """
    path = os.fspath(path)
    kind = check_format(path)
    try:
        ds = xr.open_dataset(path, engine=ENGINE)
    except Exception as e:  # h5netcdf / xarray refuse files without dimension scales etc.
        raise LayoutError(f"{path}: xarray cannot open it as a {kind} file (damaged, or not "
                          f"written by geosim?): {_hdf5_reason(e)}") from None
    try:
        _check_layout(ds, kind, path)
        if not lazy:
            ds.load()
        if not lazy or kind in ("calibration", "sweep"):
            _check_values(ds, kind, path)
        ds = _tidy(ds, kind)
    except GeosimFileError:
        ds.close()
        raise
    except Exception as e:  # a damaged chunk, string or date: HDF5, numpy or pandas errors
        ds.close()
        raise LayoutError(f"{path}: damaged geosim {kind} file: cannot read its values "
                          f"({type(e).__name__}: {_hdf5_reason(e)})") from None
    if not lazy:
        ds.close()
    return ds


def _tidy(ds, kind):
    if kind == "calibration":
        return ds
    if kind == "sweep":
        coords = {c: ds[c] for c in ("parameter_unit", "parameter_path")}
        metrics = [str(m) for m in ds["metric"].values]
        coords["metric_units"] = ("metric", [ds[m].attrs.get("units", "") for m in metrics],
                                  {"long_name": "unit of the metric"})
        coords["metric_long_name"] = ("metric",
                                      [ds[m].attrs.get("long_name", m) for m in metrics],
                                      {"long_name": "what the metric is"})
        coords.update({c: ds[c] for c in ["point", "replicate"] if c not in ds.coords})
        ds = ds.assign_coords(coords)
        if "sample_date" in ds.variables:
            ds = ds.assign_coords(sample_date=("sample", _dates(ds["sample_date"].values),
                                               ds["sample_date"].attrs))
        return ds
    labels = [v for v in ("actor_name", "actor_role", "pole_name", "channel_unit",
                          "scenario_name") if v in ds.data_vars]
    ds = ds.set_coords(labels)
    date = ds["date"]
    ds = ds.drop_vars("date").assign_coords(date=("turn", _dates(date.values), date.attrs))
    ds["event_date"] = ("event", _dates(ds["event_date"].values), ds["event_date"].attrs)
    return ds


def kind(ds):
    """"run", "replicates", "comparison", "sweep" or "calibration": the kind of a dataset
    from `load`."""
    return FORMATS[ds.attrs["format"]]


def is_checkpoint(ds):
    return "checkpoint_turn" in ds.attrs


# Small accessors used by the figures.

REST_OF_WORLD_ROLE = "rest_of_world"


def codes_with_role(ds, role):
    """Actor codes whose actor_role is `role` ("patron", "client", "other" or
    "rest_of_world"), in actor order."""
    return [str(c) for c, r in zip(ds["actor"].values, ds["actor_role"].values) if r == role]


def listed_actors(ds):
    """Codes of the actors the scenario lists, in actor order: every actor but the rest of
    the world (actor_role "rest_of_world", format version 2), which the figures of gdp,
    alignment, influence and dependence leave out."""
    return [str(c) for c, r in zip(ds["actor"].values, ds["actor_role"].values)
            if r != REST_OF_WORLD_ROLE]


def rest_of_world(ds):
    """The code of the rest of the world's actor (actor_role "rest_of_world"), or None in a
    file without it (format version 1 scenarios)."""
    codes = codes_with_role(ds, REST_OF_WORLD_ROLE)
    return codes[0] if codes else None


def actor_names(ds):
    """Dict actor code -> full name."""
    return dict(zip(map(str, ds["actor"].values), map(str, ds["actor_name"].values)))


def short_name(name):
    """A name without its parenthesised remark: "Afghanistan (Taliban ...)" -> "Afghanistan"."""
    return str(name).split(" (")[0]


# Actions whose event_targets name something other than actors: a policy event names the
# policy's id, a bloc event the bloc's code (docs/output-format.md).
NON_ACTOR_TARGETS = {"policy": "policy", "bloc": "bloc"}


def actor_targets(action, targets):
    """The actor codes among an event's targets: none for a policy or bloc event (whose
    target is a policy id or a bloc code), else all of them."""
    return [] if str(action) in NON_ACTOR_TARGETS else list(targets)


def events(ds):
    """The events table as a pandas.DataFrame; `targets` is a list of codes, duplicates
    removed: actor codes, but a policy event's is the policy's id and a bloc event's the
    bloc's code (see actor_targets). Replicate and comparison files add the columns
    `replicate` (and `scenario`)."""
    cols = {c: ds[f"event_{c}"].values for c in EVENT_COLUMNS}
    for extra in ("scenario", "replicate"):
        if f"event_{extra}" in ds.variables:
            cols[extra] = ds[f"event_{extra}"].values
    df = pd.DataFrame(cols)
    df["targets"] = [list(dict.fromkeys(t for t in str(s).split(",") if t))
                     for s in df["targets"]]
    return df


def units_text(da):
    """The `units` attribute of a variable for an axis label ("1" reads "dimensionless")."""
    units = da.attrs.get("units", "")
    return "dimensionless" if units in ("1", "") else units


def turn_position(ds, turn):
    """Position along `turn` of `turn`: an int (a position, negative from the end, as in
    isel) or a date string ("2023-06", "2023-06-15": the turn containing that date)."""
    n = ds.sizes["turn"]
    if isinstance(turn, str):
        try:
            when = pd.Timestamp(turn)
        except ValueError:
            try:
                return turn_position(ds, int(turn))
            except ValueError:
                raise ValueError(f"turn {turn!r}: expected a turn number or a date "
                                 f"YYYY-MM[-DD]") from None
        dates = pd.DatetimeIndex(ds["date"].values)
        if when < dates[0] or when > dates[-1] + (dates[-1] - dates[-2] if n > 1 else
                                                   pd.Timedelta(days=31)):
            raise ValueError(f"date {turn} is outside the run ({dates[0]:%Y-%m-%d} to "
                             f"{dates[-1]:%Y-%m-%d})")
        return int(np.searchsorted(dates.values, when.to_datetime64(), side="right") - 1)
    turn = int(turn)
    if not -n <= turn < n:
        raise ValueError(f"turn {turn} is outside the run's {n} turns")
    return turn % n


__all__ = ["load", "check_format", "kind", "is_checkpoint", "codes_with_role", "listed_actors",
           "rest_of_world", "actor_names", "short_name", "events", "actor_targets",
           "NON_ACTOR_TARGETS", "units_text",
           "turn_position", "GeosimFileError", "NotGeosimFileError", "UnsupportedVersionError",
           "LayoutError", "FORMATS", "KINDS", "FORMAT", "FORMAT_VERSION", "one_line",
           "write_atomically", "write_all_atomically"]
