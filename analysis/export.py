"""Tidy long CSV tables of any geosim output file, for R, Excel and pandas users
(`python3 -m analysis export OUT.h5 --csv DIR`).

What DIR holds (analysis/README.md, "Export to CSV"):

- `<variable>.csv` for every data variable of the file, one table per variable (variables
  are never grouped, so each table has one unit): one row per cell, one column per dimension
  holding the coordinate labels (actor codes, channel names, run ids, ...), after a `turn`
  (or `sample`) column its date as an ISO string (`date`, `sample_date`: every datetime
  coordinate along a dimension follows it), then `value` and `units` (the variable's `units`
  attribute; a unit "mixed: see X" where X is a label along one of the variable's
  dimensions, e.g. flow's channel_unit, is given row by row from X; empty if none).
- `events.csv`: one row per event, `event` then every variable over the `event` dimension
  (`event_turn`, `event_date`, ...), for files with events.
- `dim_<dimension>.csv`: the labels along a dimension (`dim_actor.csv`: actor, actor_name,
  actor_role; `dim_run.csv` of a sweep: run, point, replicate and the parameter values), for
  each dimension that has labels besides its coordinate.
- `metadata.csv`: the root attributes (attribute, value, type, file), after a first row
  `kind`; the `*_yaml` attributes (and any string attribute over 4096 characters) are written
  to `<attribute>.yaml` (`.txt`), which the `file` column names.
- `index.csv` (every file: its table, content, dimensions, columns, units, rows, long_name) and
  `README.txt` (the same in words, with the conventions below).
- `.geosim-export.json`: the manifest, listing the files the export wrote, so that a later
  export into DIR replaces them (and removes those it no longer writes) but refuses to write
  into a folder holding anything else unless forced.

Conventions: UTF-8, comma-separated, header row, "\\n" line ends, fields quoted when needed;
numbers with full precision (Python's shortest repr that reads back to the same float64:
`0.30000000000000004`, `1e-05`, `inf`); NaN is an empty field (R reads NA, pandas NaN,
Excel a blank cell), and so is an empty string in a text column; dates `YYYY-MM-DD`.
Variables are never grouped into one table, even when they share their dimensions: one
table per variable keeps one unit per table (or per row), `--only` names files, and a
variable that gains a dimension (a study's `whatif`) changes its table only.

Memory stays bounded: the file is opened lazily and each table is read and written in
blocks of at most BLOCK_ROWS cells (a whole variable, a range along one axis, or single
indices of the leading axes), so a variable of any size needs about BLOCK_ROWS rows of memory.
Every file goes to a temp file (`.NAME.tmp.PID`) in DIR first; the temp files are renamed
together once all are complete, so a failure leaves nothing under the final names.
"""

import json
import os
import re
import sys
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .io import LayoutError, kind, load, one_line, write_atomically

BLOCK_ROWS = 1 << 17          # cells read and written at a time (a block of rows)
MANIFEST = ".geosim-export.json"
GENERATOR = "geosim analysis export"
EVENT_DIM = "event"
EVENTS_TABLE = "events"
LONG_TEXT = 4096              # string attributes longer than this go to their own file
_TEMP = re.compile(r"^\.(.+)\.tmp\.(\d+)$")


class ExportError(ValueError):
    """An export that cannot be done: an unknown variable asked for, or an output folder that
    is not a folder, cannot be written, holds files of others, or would replace the input."""


@dataclass
class Table:
    """One file of the export: what it holds and how to write it."""
    name: str                 # the variable's name, "events", "metadata", "dim_actor", ...
    content: str              # "variable", "events", "dimension", "metadata", "attribute"
    dims: tuple = ()
    columns: list = field(default_factory=list)
    units: str = ""
    rows: int = 0
    long_name: str = ""
    ext: str = ".csv"
    write: object = None      # function(text file) writing the whole table
    file: str = ""            # the file name in DIR (set by _name_files)


# Labels and values ---------------------------------------------------------------------

def _text(value):
    return value.decode() if isinstance(value, bytes) else value


def _iso(values):
    """ISO 8601 strings of datetime64 values: `YYYY-MM-DD` when every time is midnight, else
    with the time; NaT is an empty string."""
    values = np.asarray(values, dtype="datetime64[ns]")
    days = values.astype("datetime64[D]")
    ok = ~np.isnat(values)
    whole_days = bool((values[ok] == days[ok]).all())
    text = np.datetime_as_string(days if whole_days else values.astype("datetime64[s]"))
    return np.where(ok, text, "").astype(object)


def _is_datetime(da):
    return np.issubdtype(da.dtype, np.datetime64)


def _column(values):
    """Values as a column pandas writes as wanted: dates as ISO strings, bytes decoded."""
    values = np.asarray(values)
    if np.issubdtype(values.dtype, np.datetime64):
        return _iso(values)
    if values.dtype.kind == "S":
        return values.astype(str).astype(object)
    return values


def _labels(ds, dim):
    """The coordinate labels along a dimension (positions 0..n-1 if it has none)."""
    if dim in ds.coords:
        return _column(ds[dim].values)
    return np.arange(ds.sizes[dim])


def _dates_along(ds, dim):
    """{name: ISO strings} of the datetime coordinates along `dim` (a run's `date` on
    `turn`, a sweep's `sample_date` on `sample`)."""
    return {str(c): _iso(ds[c].values) for c in ds.coords
            if c != dim and ds[c].dims == (dim,) and _is_datetime(ds[c])}


def _units(da):
    return str(_text(da.attrs.get("units", "")))


def _per_row_units(ds, da):
    """(dim, units per label) when the variable's unit is "mixed: see X" and X is a label
    along one of its dimensions (flow: channel_unit, a calibration's particles:
    parameter_units); else None."""
    m = re.fullmatch(r"mixed: see (\w+)", _units(da).strip())
    if not m or m.group(1) not in ds.variables:
        return None
    labels = ds[m.group(1)]
    if labels.ndim != 1 or labels.dims[0] not in da.dims or labels.dtype.kind not in "OSU":
        return None
    return labels.dims[0], np.asarray([str(_text(u)) for u in labels.values], dtype=object)


def blocks(shape, limit=None):
    """Tuples of slices covering an array of `shape` in C order, each of at most `limit`
    cells (BLOCK_ROWS) where possible: the whole array, else ranges along one axis with the
    trailing axes whole and single indices of the axes before it."""
    limit = limit or BLOCK_ROWS
    shape = tuple(int(n) for n in shape)
    if any(n == 0 for n in shape):
        return
    trailing, k = 1, len(shape)
    while k > 0 and trailing * shape[k - 1] <= limit:
        trailing *= shape[k - 1]
        k -= 1
    if k == 0:
        yield tuple(slice(None) for _ in shape)
        return
    step = max(1, limit // trailing)
    for lead in np.ndindex(*shape[:k - 1]):
        for start in range(0, shape[k - 1], step):
            yield (tuple(slice(i, i + 1) for i in lead)
                   + (slice(start, min(start + step, shape[k - 1])),)
                   + tuple(slice(None) for _ in shape[k:]))


def _broadcast(labels, axis, key, shape):
    """The column of one axis's labels for a block `key` of block shape `shape`."""
    part = np.asarray(labels)[key[axis]]
    form = [1] * len(shape)
    form[axis] = len(part)
    return np.broadcast_to(part.reshape(form), shape).ravel()


def _read(ds, name, key, source):
    """The values of a block of a variable; a damaged chunk is a LayoutError naming it."""
    try:
        return np.asarray(ds[name].variable[key].values)
    except Exception as e:  # netCDF4 / h5py / zlib errors on a damaged chunk
        raise LayoutError(f"{source}: damaged geosim {kind(ds)} file: cannot read {name} "
                          f"({type(e).__name__}: {one_line(e)[:200]})") from None


def _write_frame(fh, columns, header):
    pd.DataFrame(columns).to_csv(fh, header=header, index=False, lineterminator="\n")


# Tables --------------------------------------------------------------------------------

def _variable_table(ds, name, source):
    da = ds[name]
    dates = {d: _dates_along(ds, d) for d in da.dims}
    columns = []
    for d in da.dims:
        columns += [str(d)] + list(dates[d])
    columns += ["value", "units"]
    per_row = _per_row_units(ds, da)
    units = _units(da)

    def write(fh):
        labels = {d: _labels(ds, d) for d in da.dims}
        header = True
        for key in blocks(da.shape):
            values = _read(ds, name, key, source)
            shape = values.shape
            cols = {}
            for axis, d in enumerate(da.dims):
                cols[str(d)] = _broadcast(labels[d], axis, key, shape)
                for c, text in dates[d].items():
                    cols[c] = _broadcast(text, axis, key, shape)
            cols["value"] = _column(values.ravel())
            if per_row:
                axis = da.dims.index(per_row[0])
                cols["units"] = _broadcast(per_row[1], axis, key, shape)
            else:
                cols["units"] = np.full(values.size, units, dtype=object)
            _write_frame(fh, cols, header)
            header = False
        if header:  # no cell: a dimension of length 0
            _write_frame(fh, {c: [] for c in columns}, True)
    return Table(name=name, content="variable", dims=tuple(map(str, da.dims)), columns=columns,
                 units=units, rows=int(da.size), write=write,
                 long_name=str(_text(da.attrs.get("long_name", ""))))


def _units_list(ds, names):
    return "; ".join(f"{n}: {_units(ds[n])}" for n in names if _units(ds[n]))


def _rows_table(ds, dim, names, source):
    """write(fh) of a table of the 1-D variables `names` along `dim`, after `dim` itself."""
    def write(fh):
        n = ds.sizes[dim]
        labels = _labels(ds, dim)
        starts = range(0, n, BLOCK_ROWS) if n else [0]
        for start in starts:
            key = (slice(start, min(start + BLOCK_ROWS, n)),)
            cols = {dim: labels[key[0]]}
            for v in names:
                cols[v] = _column(_read(ds, v, key, source))
            _write_frame(fh, cols, start == 0)
    return write


def _events_table(ds, source):
    names = [str(v) for v in ds.data_vars if ds[v].dims == (EVENT_DIM,)]
    return Table(name=EVENTS_TABLE, content="events", dims=(EVENT_DIM,),
                 columns=[EVENT_DIM] + names, units=_units_list(ds, names),
                 rows=ds.sizes[EVENT_DIM], write=_rows_table(ds, EVENT_DIM, names, source),
                 long_name="the events log: one row per event")


def _dimension_table(ds, dim, source):
    names = [str(c) for c in ds.coords if c != dim and ds[c].dims == (dim,)]
    if not names:
        return None
    return Table(name=f"dim_{dim}", content="dimension", dims=(dim,), columns=[dim] + names,
                 units=_units_list(ds, names), rows=ds.sizes[dim],
                 write=_rows_table(ds, dim, names, source),
                 long_name=f"the labels along {dim}")


def _attribute_text(value):
    """(text, type) of a root attribute's value."""
    value = _text(value)
    if isinstance(value, str):
        return value, "string"
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value)).lower(), "boolean"
    if isinstance(value, (int, np.integer)):
        return str(int(value)), "integer"
    if isinstance(value, (float, np.floating)):
        return repr(float(value)), "float"
    values = np.atleast_1d(np.asarray(value))
    return " ".join(_attribute_text(v)[0] for v in values.tolist()), "array"


def _attribute_tables(ds):
    """The metadata table and one text file per long string attribute (the YAMLs)."""
    tables, rows = [], [("kind", kind(ds), "string", "")]
    for name, value in ds.attrs.items():
        text, typ = _attribute_text(value)
        if typ == "string" and (name.endswith("_yaml") or len(text) > LONG_TEXT):
            table = Table(name=name, content="attribute", ext=".yaml" if name.endswith("_yaml")
                          else ".txt", long_name=f"root attribute {name}",
                          write=lambda fh, text=text: fh.write(text))
            tables.append(table)
            rows.append((name, "", typ, table))
        else:
            rows.append((name, text, typ, ""))

    def write(fh):
        _write_frame(fh, {"attribute": [r[0] for r in rows], "value": [r[1] for r in rows],
                          "type": [r[2] for r in rows],
                          "file": [r[3].file if r[3] else "" for r in rows]}, True)
    metadata = Table(name="metadata", content="metadata",
                     columns=["attribute", "value", "type", "file"], rows=len(rows),
                     write=write, long_name="the file kind and its root attributes")
    return [metadata] + tables


def exported_variables(ds):
    """The names `--only` accepts: every data variable with a table of its own, and "events"
    (the events table) for files with events."""
    names = [str(v) for v in ds.data_vars if ds[v].dims != (EVENT_DIM,)]
    if EVENT_DIM in ds.dims and EVENTS_TABLE not in names:
        names.append(EVENTS_TABLE)
    return names


def _safe(name):
    return re.sub(r"[^A-Za-z0-9_.-]", "_", name).lstrip(".") or "table"


def _name_files(tables):
    """Give each table a file name of its own: its name (made safe) and extension, with _2,
    _3 ... where two would clash (a sweep metric called `metadata`); case-insensitively."""
    taken = {"readme.txt", "index.csv", MANIFEST.lower()}
    for t in tables:
        stem, n = _safe(t.name), 1
        while (f"{stem}{t.ext}" if n == 1 else f"{stem}_{n}{t.ext}").lower() in taken:
            n += 1
        t.file = f"{stem}{t.ext}" if n == 1 else f"{stem}_{n}{t.ext}"
        taken.add(t.file.lower())


def plan(ds, only=None, source=None):
    """The tables of an export of `ds` (all, or the variables in `only` and "events"), each
    with its file name, in the order written. Raises ExportError for an unknown name."""
    available = exported_variables(ds)
    if only:
        unknown = [v for v in only if v not in available]
        if unknown:
            raise ExportError(f"no variable {', '.join(unknown)} in {source or 'the file'}, a "
                              f"{kind(ds)} file; its variables are {', '.join(available)}")
    source = source or "the file"
    var_names = [v for v in available if v != EVENTS_TABLE or v in ds.data_vars]
    tables = _attribute_tables(ds)
    events = _events_table(ds, source) if EVENT_DIM in ds.dims else None
    variables = [_variable_table(ds, v, source) for v in var_names]
    dims = [d for d in ds.dims if d != EVENT_DIM]
    dimensions = [t for t in (_dimension_table(ds, d, source) for d in dims) if t]
    tables += ([events] if events else []) + dimensions + variables
    _name_files(tables)  # over every table, so a file's name does not depend on `only`
    if only:
        chosen = [t for t in variables if t.name in only]
        if events and EVENTS_TABLE in only and EVENTS_TABLE not in ds.data_vars:
            chosen.insert(0, events)
        used = {d for t in chosen for d in t.dims}
        tables = ([t for t in tables if t.content in ("metadata", "attribute")]
                  + [t for t in chosen if t is events]
                  + [t for t in dimensions if t.dims[0] in used]
                  + [t for t in chosen if t is not events])
    return tables


# The index and README ------------------------------------------------------------------

def _index_write(tables):
    def write(fh):
        _write_frame(fh, {
            "file": [t.file for t in tables], "table": [t.name for t in tables],
            "content": [t.content for t in tables],
            "dims": [" ".join(t.dims) for t in tables],
            "columns": [" ".join(t.columns) for t in tables],
            "units": [t.units for t in tables],
            "rows": [t.rows if t.content != "attribute" else "" for t in tables],
            "long_name": [t.long_name for t in tables]}, True)
    return write


README = """\
Tidy CSV tables of {source}, a geosim {kind} file (format {format}, version {version}),
written by `python3 -m analysis export` (geosim's analysis package; analysis/README.md,
"Export to CSV").

Layout
- <variable>.csv: one table per variable, long form: one row per cell, one column per
  dimension (coordinate labels: actor codes, channel names, run ids...; a turn's or sample's
  date next to it, YYYY-MM-DD), then `value` and `units` (the variable's units attribute,
  "1" = dimensionless; a unit "mixed: see X" is given row by row from the label X, e.g.
  flow's channel_unit; empty if the variable has none).
- events.csv: one row per event, with every event_* column.
- dim_<dimension>.csv: the labels along a dimension (names, roles, units, parameter values).
- metadata.csv: the file kind and every root attribute (attribute, value, type, file); the
  long YAML attributes are in <attribute>.yaml, named in the `file` column.
- index.csv: every file with its dimensions, columns, units and row count.
- .geosim-export.json: the list of files this export wrote (a later export into this folder
  replaces them; it refuses a folder holding other files unless given --force).

Conventions
- UTF-8, comma-separated, one header row, fields quoted when they hold commas or quotes.
- Numbers at full precision: the shortest digits that give back the same float64
  (0.30000000000000004, 1e-05, inf, -inf); a correctly rounding reader gets the same bits
  (pandas: read_csv(..., float_precision="round_trip"); its default parser may differ in the
  last bit).
- NaN is an empty field (R: NA; pandas: NaN; Excel: a blank cell). In a text column an
  empty field is an empty string. Read with na.strings = "" (R) or keep_default_na=False,
  na_values=[""] (pandas) so that a code such as "NA" stays a code.

Tables
{tables}
"""


def _readme_write(ds, tables, source):
    lines = []
    for t in tables:
        what = f"{t.file}: {t.long_name or t.name}"
        if t.content != "attribute":
            what += f" ({t.rows} rows; columns {', '.join(t.columns)}"
            what += f"; units {t.units})" if t.units else ")"
        lines.append("- " + what)
    text = README.format(source=source or "a geosim output file", kind=kind(ds),
                         format=ds.attrs.get("format", ""),
                         version=ds.attrs.get("format_version", ""),
                         tables="\n".join(lines))
    return lambda fh: fh.write(text)


# Writing -------------------------------------------------------------------------------

def _temp(path):
    folder, name = os.path.split(os.path.abspath(path))
    return os.path.join(folder, f".{name}.tmp.{os.getpid()}")


def _remove(paths):
    for p in paths:
        try:
            os.remove(p)
        except OSError:
            pass


def _write_all(out_dir, writers):
    """Write {file name: write(fh)} into out_dir: each into its temp file (`.NAME.tmp.PID`),
    then, once every one is complete, the renames. On any failure the temp files are
    removed and the files already under those names are as they were."""
    temps = {}
    try:
        for name, write in writers.items():
            tmp = _temp(os.path.join(out_dir, name))
            temps[name] = tmp
            with open(tmp, "w", encoding="utf-8", newline="") as fh:
                write(fh)
                fh.flush()
                os.fsync(fh.fileno())
    except BaseException:
        _remove(temps.values())
        raise
    for name, tmp in temps.items():
        os.replace(tmp, os.path.join(out_dir, name))


def read_manifest(out_dir):
    """The file names an earlier export wrote into out_dir ([] if none, or unreadable)."""
    try:
        with open(os.path.join(out_dir, MANIFEST), encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("generator") != GENERATOR:
        return None
    files = data.get("files")
    return [f for f in files if isinstance(f, str)] if isinstance(files, list) else None


def _dead_temp(name, ours):
    """A temp file an export killed before its renames left behind (`.NAME.tmp.PID` of one
    of our names and a process no longer running)."""
    m = _TEMP.match(name)
    if not m or m.group(1) not in ours:
        return False
    try:
        os.kill(int(m.group(2)), 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def _same_file(a, b):
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def check_output_dir(out_dir, files, source=None, force=False):
    """A message (starting with out_dir) if the export cannot write `files` into out_dir, else
    None: out_dir a file, not writable, holding files no earlier export wrote (unless
    force), or one of the names the input file itself (never)."""
    if os.path.exists(out_dir) and not os.path.isdir(out_dir):
        return f"{out_dir}: exists and is not a folder"
    if source:
        clash = next((f for f in files + [MANIFEST]
                      if _same_file(os.path.join(out_dir, f), source)), None)
        if clash:
            return (f"{out_dir}: its {clash} would be the input file itself; choose another "
                    f"folder")
    if not os.path.isdir(out_dir):
        parent = os.path.dirname(os.path.abspath(out_dir))
        while not os.path.exists(parent):
            parent = os.path.dirname(parent)
        if not os.access(parent, os.W_OK | os.X_OK):
            return f"{out_dir}: cannot create the folder: {parent} is not writable"
        return None
    if not os.access(out_dir, os.W_OK | os.X_OK):
        return f"{out_dir}: the folder is not writable"
    if force:
        return None
    ours = set(read_manifest(out_dir) or []) | {MANIFEST}
    foreign = sorted(n for n in os.listdir(out_dir)
                     if n not in ours and not _dead_temp(n, ours | set(files)))
    if foreign:
        shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more"
                                          if len(foreign) > 3 else "")
        return (f"{out_dir}: holds files not written by an export of this package ({shown}); "
                f"choose another folder, or pass --force to write into it (its other files are "
                f"left alone)")
    return None


def _manifest(files, source):
    return json.dumps({"generator": GENERATOR, "source": os.path.abspath(source) if source
                       else None, "files": sorted(files)}, indent=1) + "\n"


def export_csv(path_or_ds, out_dir, only=None, force=False, source=None, quiet=True):
    """Write the tidy CSV tables of a geosim file (a path, opened lazily, or a dataset from
    `load`) into out_dir (created if missing; see the module's docstring for its layout).
    `only`: a list of variable names (and "events") to export, instead of all of them.

    Raises ExportError (a ValueError) for an unknown name in `only` or an output folder it
    may not write into (a file, not writable, holding files not written by an earlier export
    unless force=True, or where a table would replace the input file); GeosimFileError for a
    file it cannot read; OSError for a failing write (then nothing is left under the final
    names). Returns the paths written, and prints a summary line to stderr unless quiet."""
    if isinstance(path_or_ds, (str, os.PathLike)):
        source = os.fspath(path_or_ds)
        with load(source, lazy=True) as ds:
            return export_csv(ds, out_dir, only, force, source, quiet)
    ds = path_or_ds
    out_dir = os.fspath(out_dir)
    if source is None:
        source = ds.encoding.get("source")
    tables = plan(ds, only, source)
    files = [t.file for t in tables] + ["index.csv", "README.txt"]
    problem = check_output_dir(out_dir, files, source, force)
    if problem:
        raise ExportError(problem)
    created = not os.path.isdir(out_dir)
    os.makedirs(out_dir, exist_ok=True)
    earlier = read_manifest(out_dir) or []
    writers = {MANIFEST: lambda fh: fh.write(_manifest(set(files) | set(earlier), source))}
    writers.update({t.file: t.write for t in tables})
    writers["index.csv"] = _index_write(tables)
    writers["README.txt"] = _readme_write(ds, tables, source)
    try:
        _write_all(out_dir, writers)
    except BaseException:
        if created:
            try:
                os.rmdir(out_dir)
            except OSError:
                pass
        raise
    # The files of an earlier export this one did not write again, then the exact manifest.
    stale = [os.path.join(out_dir, f) for f in set(earlier) - set(files) - {MANIFEST}
             if os.path.basename(f) == f]
    _remove(p for p in stale if os.path.isfile(p) and not _same_file(p, source or ""))
    write_atomically(os.path.join(out_dir, MANIFEST), _manifest(files, source))
    for name in os.listdir(out_dir):
        if _dead_temp(name, set(files)):
            _remove([os.path.join(out_dir, name)])
    if not quiet:
        rows = sum(t.rows for t in tables if t.content != "attribute")
        print(f"{out_dir}: {len(tables) + 2} files, {rows} rows, from {source}",
              file=sys.stderr)
    return [os.path.join(out_dir, f) for f in [MANIFEST] + files]


__all__ = ["export_csv", "exported_variables", "plan", "check_output_dir", "read_manifest",
           "blocks", "ExportError", "Table", "BLOCK_ROWS", "MANIFEST"]
