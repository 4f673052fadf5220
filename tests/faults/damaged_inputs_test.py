"""Damaged input files fed to every reader (issue 14, points 1, 5 and 7).

Makes one file of each kind with geosim on scenarios/small_test_v2.yaml (a run, replicates, a
comparison, a checkpoint, a sweep's plan, pack of chunks and merged file, the merged file after
`analyze`, a calibration and its work folder's population file), then damaged copies of each:
truncations (0 bytes, 1 byte, several fractions, all but the last byte), seeded byte flips, a
folder in its place, a file of another kind, a text file, and structural damage made with
h5py (a dataset dropped, an extra one, a wrong shape, a wrong type, NaN or Inf where a finite
value is required, an absurd size, the `format` attribute of another kind, an unknown
format_version). Each copy goes to every command that reads its kind: geosim `info`,
`run --from`, `sweep status/merge/run` (resume), `sweep analyze`, `calibrate export`,
`run --replicates --posterior`, `compare --posterior`, the calibration's resume, and the
analysis package's `report` (and `plot`).

Then the text inputs: scenario, overlay, sweep file, calibration file, a `list` design's CSV,
and `--set`, damaged: truncated, flipped bytes, invalid UTF-8, NUL and control characters, a
1 MB line, 10^5 nested '[', an alias bomb (9 levels of 9), 10^6 list items, duplicate keys, a
folder, an empty file.

Every outcome must be: exit 2 (exit 0 only where the damage cannot be seen: see `verdict`),
no signal, no exit 1, no "internal error", no Python traceback, within the time limit (30 s
for a binary file, 10 s for a text file; 90 s and 20 s under the sanitizers) and memory limit
(2 GB of address space; not applied in sanitizer builds, whose shadow memory needs more), stderr with exactly one error line
(warnings about the scenario and geosim's "N errors; nothing was written" summary aside; a
damaged text file may give several located errors, each naming the file) naming the damaged
file (text: with line:column when the error is one of syntax), and nothing created or changed
in the command's folder.

Usage: damaged_inputs_test.py GEOSIM SOURCE_DIR WORKDIR [--flips N] [--sanitized] [--only KIND..]
GEOSIM_FAULT_FLIPS overrides --flips (default 16 flipped copies per file kind).
"""

import argparse
import collections
import glob
import os
import random
import re
import shutil
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import faultlib  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("geosim")
ap.add_argument("src")
ap.add_argument("work")
ap.add_argument("--flips", type=int, default=16)
ap.add_argument("--sanitized", action="store_true",
                help="a sanitizer build: no address-space limit, longer time limits, fewer "
                     "truncations, and the analysis package left to the plain build")
ap.add_argument("--only", nargs="+", help="only these file kinds (and 'text')")
ap.add_argument("--seed", type=int, default=20261203)
args = ap.parse_args()
if os.environ.get("GEOSIM_FAULT_FLIPS"):
    args.flips = int(os.environ["GEOSIM_FAULT_FLIPS"])

GEOSIM = os.path.abspath(args.geosim)
SRC = os.path.abspath(args.src)
WORK = os.path.abspath(args.work)
SCEN = os.path.join(SRC, "scenarios", "small_test_v2.yaml")
sys.path.insert(0, SRC)

import h5py  # noqa: E402
import matplotlib  # noqa: E402

matplotlib.use("Agg")
import analysis.__main__ as analysis_main  # noqa: E402

MEM = None if args.sanitized else 2_000_000_000
SLOW = 3.0 if args.sanitized else 1.0
T_BINARY = 30.0 * SLOW
T_TEXT = 10.0 * (2.0 if args.sanitized else 1.0)
t_start = time.monotonic()
failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL:", msg, flush=True)


def sh(*cmd, cwd=None, ok=(0,)):
    r = subprocess.run(list(cmd), cwd=cwd, capture_output=True, text=True)
    if r.returncode not in ok:
        sys.exit(f"fixture command failed ({r.returncode}): {' '.join(cmd)}\n{r.stderr}")
    return r


# ------------------------------------------------------------------------------------------
# Fixtures: one file of each kind.
shutil.rmtree(WORK, ignore_errors=True)
FIX = os.path.join(WORK, "fixtures")
os.makedirs(FIX)
OVERLAY = os.path.join(FIX, "whatif.yaml")
with open(OVERLAY, "w") as f:
    f.write(f"geosim: 2\nextends: {SCEN}\nmetadata: {{name: whatif_small}}\n"
            "timeline:\n  - {id: t_econ, amount: 24 USD m}\n")
SWEEP = os.path.join(FIX, "small.sweep.yaml")
with open(SWEEP, "w") as f:
    f.write(f"""geosim_sweep: 1
name: small
scenario: {SCEN}
seed: 5
replicates: 1
chunk: 4
design: {{kind: sobol, n: 4}}
parameters:
  - {{name: inertia, path: parameters.influence_inertia, uniform: [0.05, 0.3]}}
  - {{name: c1_growth, path: "actors[C1].growth", uniform: [0.0, 0.1]}}
outputs:
  - {{name: pa_share_c1, variable: influence_share, actor: PA, target: C1}}
  - {{name: c1_gdp, variable: gdp, actor: C1, reduce: mean}}
trajectories: {{every: 6, variables: [gdp]}}
""")
LIST_SWEEP = os.path.join(FIX, "list.sweep.yaml")
CASES = os.path.join(FIX, "cases.csv")
with open(CASES, "w") as f:
    f.write("# two cases\ninertia,c1_growth\n0.1,0.02\n0.2,0.05\n")
with open(LIST_SWEEP, "w") as f:
    f.write(f"""geosim_sweep: 1
name: listed
scenario: {SCEN}
seed: 5
design: {{kind: list, file: cases.csv}}
parameters:
  - {{name: inertia, path: parameters.influence_inertia}}
  - {{name: c1_growth, path: "actors[C1].growth"}}
outputs:
  - {{name: pa_share_c1, variable: influence_share, actor: PA, target: C1}}
""")
CALIB = os.path.join(FIX, "tiny.calib.yaml")
with open(CALIB, "w") as f:
    f.write(f"""geosim_calibration: 1
name: tiny
scenario: {SCEN}
seed: 11
method: {{kind: abc-smc, particles: 30, replicates: 1, chunk: 16, alpha: 0.6, tolerance: 0.01, generations: 2, budget: 4000}}
parameters:
  - {{name: c1_growth, path: "actors[C1].growth", uniform: [0.0, 0.15]}}
  - {{name: drag, path: parameters.sanction_drag, loguniform: [0.05, 2.0]}}
targets:
  - {{name: c1_gdp, variable: gdp, actor: C1, month: 2021-12, observed: 21.487, sd: 0.2, source: "a run"}}
  - {{name: pb_gdp, variable: gdp, actor: PB, year: 2021, observed: 495.8, sd: 3.0, source: "a run"}}
""")

g = GEOSIM
sh(g, "run", SCEN, "-o", "run.h5", "-q", cwd=FIX)
sh(g, "run", SCEN, "--replicates", "3", "-o", "replicates.h5", "-q", cwd=FIX)
sh(g, "compare", SCEN, OVERLAY, "--replicates", "3", "-o", "comparison.h5", "-q", cwd=FIX)
sh(g, "run", SCEN, "--checkpoint-at", "6", "-o", "checkpoint.h5", "-q", cwd=FIX)
sh(g, "sweep", "run", SWEEP, "-d", "sweep_dir", "-o", "sweep.h5", "-q", cwd=FIX)
shutil.copy(os.path.join(FIX, "sweep.h5"), os.path.join(FIX, "analyzed.h5"))
sh(g, "sweep", "analyze", "analyzed.h5", "--bootstrap", "20", "-q", cwd=FIX)
sh(g, "calibrate", CALIB, "-d", "calib_dir", "-o", "calibration.h5", "-q", cwd=FIX)
for p in ("sweep_dir/plan.h5", "calib_dir/gen_001/population.h5"):
    assert os.path.isfile(os.path.join(FIX, p)), p
# One process, one pack of committed chunks (its name holds the host and pid).
PACKS = glob.glob(os.path.join(FIX, "sweep_dir", "chunks", "*.gspack"))
assert len(PACKS) == 1, PACKS
print(f"fixtures made in {time.monotonic() - t_start:.1f} s", flush=True)

# kind -> (file relative to FIX, the folder copied with it or None, format of another kind)
KINDS = {
    "run": ("run.h5", None),
    "replicates": ("replicates.h5", None),
    "comparison": ("comparison.h5", None),
    "checkpoint": ("checkpoint.h5", None),
    "plan": ("sweep_dir/plan.h5", "sweep_dir"),
    "pack": (os.path.relpath(PACKS[0], FIX), "sweep_dir"),
    "sweep": ("sweep.h5", None),
    "analyzed": ("analyzed.h5", None),
    "calibration": ("calibration.h5", None),
    "population": ("calib_dir/gen_001/population.h5", "calib_dir"),
}
FORMAT_OF = {"run": "geosim-run", "replicates": "geosim-replicates",
             "comparison": "geosim-comparison", "checkpoint": "geosim-run",
             "plan": "geosim-sweep-plan", "sweep": "geosim-sweep",
             "analyzed": "geosim-sweep", "calibration": "geosim-calibration",
             "population": "geosim-calibration-population"}
# A file of another kind put in its place: one that none of the commands reading this kind
# accepts. `info` reads every kind but the work files (pack, population, the old chunks), and
# the analysis package every output but the work files and the plan: so a kind `info` reads
# gets a work file (a plan, which `info` summarises, would be exit 0 there, not damage seen).
OTHER_KIND = {"run": "population", "replicates": "population", "comparison": "pack",
              "checkpoint": "population", "plan": "pack", "pack": "plan", "sweep": "population",
              "analyzed": "pack", "calibration": "population", "population": "pack"}
# The same for the `format` attribute: the format of a work file, which `info` refuses by name,
# for every kind `info` reads (the format of another kind `info` reads would send the file to
# that kind's reader, whose refusal then depends on which datasets the two kinds share).
OTHER_FORMAT = {"run": "geosim-sweep-chunk", "replicates": "geosim-calibration-population",
                "comparison": "geosim-sweep-chunk", "checkpoint": "geosim-sweep-chunk",
                "plan": "geosim-sweep-chunk",
                "sweep": "geosim-calibration-population", "analyzed": "geosim-sweep-chunk",
                "calibration": "geosim-calibration-population",
                "population": "geosim-sweep-chunk"}
# Structural damage, per kind: the dataset dropped / reshaped / retyped / made absurdly large,
# and the values that must be finite (dataset, index).
MAIN = {"run": "gdp", "replicates": "gdp_mean", "comparison": "gdp_diff_mean",
        "checkpoint": "checkpoint/x", "plan": "point_values",
        "sweep": "status", "analyzed": "sobol_st", "calibration": "weight",
        "population": "theta"}
FINITE = {"checkpoint": ["checkpoint/x", "checkpoint/gdp", "checkpoint/I"],
          "plan": ["point_values"], "calibration": ["weight", "particles"],
          "population": ["weight", "theta"]}
# Values out of their documented range: (dataset, index, value).
OUT_OF_RANGE = {"sweep": [("status", 0, 9)],
                "calibration": [("weight", (0, 0), -1.0)],
                "population": [("weight", (0, 0), -1.0)],
                "checkpoint": [("checkpoint/x", (0, 0), -3.0)]}


def analysis_job(argv):
    return analysis_main.cli(argv[1:])


# Commands reading each kind: (name, argv builder(f, d) with f the damaged file and d the
# damaged folder copy, whether the command reads every value of the file).
def commands(kind):
    a = "analysis"
    # `report` draws every figure when the file loads (seconds): it is given the damage that
    # must be refused at once, `plot` of one figure every damage (both load the file whole)
    report = (f"{a} report", lambda f, d: ["analysis", "report", f, "-o", "report.html"], True)
    plot = (f"{a} plot", lambda f, d: ["analysis", "plot", f, "-o", "figs", "--only",
                                       ONLY_FIGURE[kind], "--no-report"], True)
    info = ("info", lambda f, d: [GEOSIM, "info", f], False)
    sweep_dir = [
        ("sweep status", lambda f, d: [GEOSIM, "sweep", "status", d], False),
        ("sweep merge", lambda f, d: [GEOSIM, "sweep", "merge", d, "-o", "merged.h5", "-q"],
         False),
        ("sweep run (resume)", lambda f, d: [GEOSIM, "sweep", "run", SWEEP, "-d", d, "-o",
                                             "merged.h5", "-q"], False),
    ]
    return {
        "run": [info, report, plot],
        "replicates": [info, report, plot],
        "comparison": [info, report, plot],
        "checkpoint": [info, ("run --from", lambda f, d: [GEOSIM, "run", SCEN, "--from", f,
                                                          "-o", "fork.h5", "-q"], True),
                       report, plot],
        "plan": [info] + sweep_dir,
        # A damaged pack: its torn or damaged records are not committed. status says so (exit
        # 0), merge refuses (exit 2, naming the pack); a resume runs those chunks again and
        # merges (tests/sweep/sweep_cli_test.sh), so it writes, and is not run here.
        "pack": sweep_dir[:2],
        "sweep": [info, ("sweep analyze", lambda f, d: [GEOSIM, "sweep", "analyze", f,
                                                        "--bootstrap", "20", "-q"], False),
                  report, plot],
        "analyzed": [info, ("sweep analyze", lambda f, d: [GEOSIM, "sweep", "analyze", f,
                                                           "--bootstrap", "20", "-q"], False),
                     report, plot],
        "calibration": [
            info,
            ("calibrate export", lambda f, d: [GEOSIM, "calibrate", "export", f, "-o",
                                               "exported.yaml"], False),
            ("run --posterior", lambda f, d: [GEOSIM, "run", SCEN, "--replicates", "2",
                                              "--posterior", f, "-o", "post.h5", "-q"], False),
            ("compare --posterior", lambda f, d: [GEOSIM, "compare", SCEN, OVERLAY,
                                                  "--replicates", "2", "--posterior", f,
                                                  "-o", "cmp.h5", "-q"], False),
            report, plot],
        "population": [("calibrate (resume)", lambda f, d: [GEOSIM, "calibrate", CALIB, "-d", d,
                                                            "-o", "cal.h5", "-q"], False)],
    }[kind]


ONLY_FIGURE = {"run": "gdp", "replicates": "hedging_bands", "comparison": "compare_effects",
               "checkpoint": "gdp", "sweep": "tornado", "analyzed": "sobol_indices",
               "calibration": "calibration_progress"}


# ------------------------------------------------------------------------------------------
# Damaged copies.
rng = random.Random(args.seed)


class Variant:
    def __init__(self, kind, name, group, must_fail_all=True, must=()):
        self.kind, self.name, self.group = kind, name, group
        # must_fail_all: every command must exit 2; otherwise the commands in `must` must,
        # and the others may exit 0 (they do not read what was damaged).
        self.must_fail_all, self.must = must_fail_all, set(must)
        self.readable = None  # flips: whether h5py still reads every object (see verdict)
        self.readable_nc = None  # and whether the analysis package's reader (xarray) does


def h5_edit(path, fn):
    with h5py.File(path, "r+") as f:
        fn(f)


def replace_dataset(f, name, data=None, shape=None, dtype="f8", chunks=None):
    attrs = dict(f[name].attrs) if name in f else {}
    if name in f:
        del f[name]
    if data is not None:
        ds = f.create_dataset(name, data=data)
    else:
        ds = f.create_dataset(name, shape=shape, dtype=dtype, chunks=chunks)
    for k, v in attrs.items():
        if k in ("DIMENSION_LIST", "REFERENCE_LIST", "CLASS", "NAME"):
            continue
        try:
            ds.attrs[k] = v
        except Exception:
            pass


def structural(kind):
    """[(name, editor(f), must_fail_all, must)]"""
    main = MAIN[kind]
    out = []
    out.append(("drop " + main, lambda f: f.__delitem__(main), False, ()))
    out.append(("extra dataset", lambda f: f.create_dataset("zz_extra", data=np.arange(3.0)),
                None, ()))

    def wrong_shape(f):
        shp = f[main].shape
        new = (shp[0] + 3,) + shp[1:] if len(shp) == 1 else shp[:-1] + (shp[-1] + 3,)
        replace_dataset(f, main, data=np.zeros(new))
    out.append(("wrong shape " + main, wrong_shape, False, ()))

    def wrong_type(f):
        shp = f[main].shape
        replace_dataset(f, main, data=np.full(shp, "x", dtype=h5py.string_dtype()))
    out.append(("wrong type " + main, wrong_type, False, ()))

    def huge(f):
        shp = f[main].shape
        new = (10**12,) + shp[1:]
        replace_dataset(f, main, shape=new, dtype="f8", chunks=(1,) + shp[1:])
    out.append(("absurd size " + main, huge, False, ()))

    def scalar(f):
        replace_dataset(f, main, data=np.float64(1.0))
    out.append(("scalar " + main, scalar, False, ()))
    for name in FINITE.get(kind, []):
        for val, tag in ((np.nan, "NaN"), (np.inf, "Inf")):
            def put(f, name=name, val=val):
                d = f[name][()]
                d.flat[0] = val
                f[name][...] = d
            out.append((f"{tag} in {name}", put, False, ()))
    for name, idx, val in OUT_OF_RANGE.get(kind, []):
        def put(f, name=name, idx=idx, val=val):
            d = f[name][()]
            d[idx] = val
            f[name][...] = d
        out.append((f"{name} = {val}", put, False, ()))
    out.append(("format of another kind",
                lambda f: f.attrs.__setitem__("format", OTHER_FORMAT[kind]), True, ()))
    out.append(("no format attribute", lambda f: f.attrs.__delitem__("format"), True, ()))
    out.append(("format_version 99", lambda f: f.attrs.__setitem__("format_version",
                                                                     np.int32(99)), True, ()))
    out.append(("format_version a string", lambda f: f.attrs.__setitem__("format_version",
                                                                           "one"), True, ()))
    return out


# Which commands must see each structural damage; the others may not read the damaged object
# (exit 0 is then right for them).
def must_for(kind, name):
    cmds = {c[0] for c in commands(kind)}
    analysis_cmds = {c for c in cmds if c.startswith("analysis")}
    if kind in ("run", "replicates", "comparison"):
        # info reads the attributes, the labels and the last turn of influence_share (its
        # mean, its paired differences), not gdp, gdp_mean or gdp_diff_mean
        return analysis_cmds
    if kind == "checkpoint":
        return {"run --from"}  # the state; info and the analysis read the run part only
    if kind == "plan":
        # merge reads the plan's values whole, and so does a resume (it merges at the end);
        # info reads them too, for each parameter's range
        return {"sweep merge", "sweep run (resume)", "info"}
    if kind == "analyzed":
        # analyze computes the tables again and replaces them; info checks only that each
        # table it finds is (metric, parameter) (a table dropped or retyped is exit 0 there)
        return analysis_cmds
    if kind == "calibration":
        return cmds - {"calibrate export"}  # export writes posterior_median (or best)
    return cmds


def make_variants(kind):
    rel, folder = KINDS[kind]
    src = os.path.join(FIX, rel)
    size = os.path.getsize(src)
    data = open(src, "rb").read()
    variants = []   # (Variant, writer(path))

    def put_bytes(b):
        def w(path):
            with open(path, "wb") as f:
                f.write(b)
        return w
    # (fewer under the sanitizers, where every geosim command is several times slower)
    fractions = ((0.0, 0.1, 0.5, 0.9) if args.sanitized else
                 (0.0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99))
    for frac in fractions:
        n = int(size * frac)
        variants.append((Variant(kind, f"truncated at {n} of {size} bytes", "truncated"),
                         put_bytes(data[:n])))
    variants.append((Variant(kind, "truncated by its last byte", "truncated"),
                     put_bytes(data[:-1])))
    variants.append((Variant(kind, "1 byte", "truncated"), put_bytes(data[:1])))
    for i in range(args.flips):
        b = bytearray(data)
        # the first flips hit the superblock and object headers near the start, the rest
        # anywhere
        off = rng.randrange(0, min(size, 4096)) if i < args.flips // 3 else rng.randrange(size)
        b[off] ^= rng.randrange(1, 256)
        v = Variant(kind, f"byte {off} flipped", "flipped")
        variants.append((v, put_bytes(bytes(b))))
    variants.append((Variant(kind, "a folder", "folder"), lambda p: os.makedirs(p)))
    other = open(os.path.join(FIX, KINDS[OTHER_KIND[kind]][0]), "rb").read()
    variants.append((Variant(kind, f"a {OTHER_KIND[kind]} file", "other kind"), put_bytes(other)))
    variants.append((Variant(kind, "a YAML file", "other kind"),
                     put_bytes(open(SCEN, "rb").read())))
    if folder is None:
        # (in a sweep or work folder, a file that cannot be opened may be taken as missing:
        # run again by a resume, reported as not done by status and merge)
        variants.append((Variant(kind, "a symlink to itself", "folder"),
                         lambda p: os.symlink(os.path.basename(p), p)))
    if kind == "pack":
        # Not HDF5: no structural damage. Every damage loses records: merge must refuse.
        for v, _ in variants:
            v.group, v.must_fail_all, v.must = "pack", False, {"sweep merge"}
        return variants
    for name, edit, all_, _ in structural(kind):
        def w(path, edit=edit):
            shutil.copy(src, path)
            h5_edit(path, edit)
        if all_ is None:
            v = Variant(kind, name, "structure", must_fail_all=False, must=())
        elif all_:
            v = Variant(kind, name, "structure")
        else:
            v = Variant(kind, name, "structure", must_fail_all=False, must=must_for(kind, name))
        variants.append((v, w))
    return variants


def readable(path):
    """Whether h5py reads every object and attribute of the file (in a fork: a damaged file
    may crash the HDF5 library). True, False, or False for a crash."""
    internal = {"DIMENSION_LIST", "REFERENCE_LIST", "CLASS", "NAME", "_Netcdf4Dimid",
                "_Netcdf4Coordinates", "_NCProperties"}

    def read_all(argv):
        # every dataset's values, every root attribute and every other attribute but the
        # dimension-scale bookkeeping, each reached by name (as netCDF does)
        with h5py.File(argv[1], "r") as f:
            def visit(group):
                for k in group.attrs:
                    if k not in internal:
                        group.attrs[k]
                for name in group:
                    obj = group[name]
                    if isinstance(obj, h5py.Group):
                        visit(obj)
                    else:
                        for k in obj.attrs:
                            if k not in internal:
                                obj.attrs[k]
                        obj[()]
            visit(f)
        return 0
    job = faultlib.Job(["read", path], os.path.dirname(path), "oracle", pyfunc=read_all,
                       timeout=30, mem_bytes=MEM)
    faultlib.run_jobs([job], parallel=1)
    return job.rc == 0


def readable_by_xarray(path):
    """Whether xarray, with the engine the analysis package uses, reads every variable's
    values and attributes (in a fork, as above). The analysis package reads through it, so a
    flip it cannot see (a string heap h5py trips on but netCDF reads) is not one the package
    could refuse."""
    def read_all(argv):
        import xarray as xr
        from analysis.io import ENGINE
        with xr.open_dataset(argv[1], engine=ENGINE) as ds:
            ds.load()
        return 0
    job = faultlib.Job(["read", path], os.path.dirname(path), "oracle", pyfunc=read_all,
                       timeout=30, mem_bytes=MEM)
    faultlib.run_jobs([job], parallel=1)
    return job.rc == 0


# ------------------------------------------------------------------------------------------
# Verdicts.
Outcome = collections.namedtuple("Outcome", "kind command group ok tag detail")
outcomes = []


def names_file(line, damaged):
    base = os.path.basename(damaged)
    return base in line


def verdict(job):
    """Judge one finished job; returns (ok, tag, detail)."""
    m = job.meta
    v, cmd, reads_all = m["variant"], m["command"], m["reads_all"]
    err = job.stderr.decode("utf-8", "replace")
    lines = faultlib.error_lines(job.stderr)
    where = f"{v.kind} / {v.name} / {cmd}"
    if job.timed_out:
        return False, "timeout", f"{where}: still running after {job.timeout:.0f} s"
    if job.signal is not None:
        return False, "signal", f"{where}: killed by signal {job.signal}: {err[-300:]}"
    if "Traceback" in err:
        return False, "traceback", f"{where}: a Python traceback: {err.strip().splitlines()[-1]}"
    if "internal error" in err:
        return False, "internal error", f"{where}: {lines[:1]}"
    if job.rc == 0 and v.group == "pack":
        if cmd in v.must:
            return False, "accepted damage", f"{where}: exit 0"
        return True, "0 (reported)", ""
    if job.rc == 0:
        # Exit 0 is acceptable only where the damage cannot be seen: a flipped byte that
        # leaves every object readable by h5py (a value changed to another value, or a byte
        # nobody reads), an extra dataset, or structural damage to an object this command
        # does not read (`must`).
        if v.group == "flipped":
            seen = v.readable_nc if cmd.startswith("analysis") else v.readable
            if seen or not reads_all:
                return True, "0 (unseen)", ""
            return False, "accepted damage", (f"{where}: exit 0 on a file h5py cannot read "
                                              f"whole (this command reads every value)")
        if v.group == "structure" and not v.must_fail_all and cmd not in v.must:
            return True, "0 (not read)", ""
        return False, "accepted damage", f"{where}: exit 0"
    if job.rc != 2:
        return False, f"exit {job.rc}", f"{where}: exit {job.rc}: {err.strip()[:300]}"
    if len(lines) != 1:
        return False, "not one line", f"{where}: {len(lines)} error lines: {lines[:3]}"
    if not names_file(lines[0], m["damaged"]):
        return False, "file not named", f"{where}: {lines[0][:300]}"
    after = faultlib.snapshot(job.cwd)
    if after != m["before"]:
        changed = sorted(set(after.items()) ^ set(m["before"].items()))
        return False, "output written", f"{where}: the folder changed: {changed[:3]}"
    return True, "2", ""


# ------------------------------------------------------------------------------------------
# Binary kinds.
jobs = []
JOBS = os.path.join(WORK, "jobs")
os.makedirs(JOBS)
n_job = 0
kinds = [k for k in KINDS if not args.only or k in args.only]
for kind in kinds:
    rel, folder = KINDS[kind]
    for v, writer in make_variants(kind):
        cmds = commands(kind)
        for cname, build, reads_all in cmds:
            if cname == "analysis report" and v.group == "flipped":
                continue
            if cname.startswith("analysis") and args.sanitized:
                continue  # Python, the same in every build: the plain build's run tests it
            n_job += 1
            cwd = os.path.join(JOBS, f"{n_job:05d}")
            os.makedirs(cwd)
            if folder:
                d = os.path.join(cwd, folder)
                shutil.copytree(os.path.join(FIX, folder), d, symlinks=True)
                damaged = os.path.join(cwd, rel)
                os.remove(damaged)
            else:
                d = None
                damaged = os.path.join(cwd, os.path.basename(rel))
            writer(damaged)
            if v.group == "flipped" and v.readable is None:
                v.readable = readable(damaged)
                v.readable_nc = v.readable or readable_by_xarray(damaged)
            argv = build(damaged, d)
            pyfunc = analysis_job if argv[0] == "analysis" else None
            job = faultlib.Job(argv, cwd, f"{kind}:{v.name}:{cname}", pyfunc=pyfunc,
                               timeout=T_BINARY, mem_bytes=MEM,
                               meta={"variant": v, "command": cname, "reads_all": reads_all,
                                     "damaged": damaged})
            job.meta["before"] = faultlib.snapshot(cwd)
            jobs.append(job)
print(f"{len(jobs)} commands on damaged binary files ({len(kinds)} kinds, {args.flips} flips "
      f"each); made in {time.monotonic() - t_start:.1f} s", flush=True)


def judge(job):
    ok, tag, detail = verdict(job)
    v = job.meta["variant"]
    outcomes.append(Outcome(v.kind, job.meta["command"], v.group, ok, tag, detail))
    if ok:
        shutil.rmtree(job.cwd, ignore_errors=True)  # keep only the failures' folders
    else:
        fail(detail)


faultlib.run_jobs(jobs, parallel=2, on_done=judge)

# The real entry point (`python3 -m analysis`, not main() in a fork) on a few damages.
real = []
for kind in [k for k in ("run", "calibration", "sweep") if k in kinds and not args.sanitized]:
    for name, content in (("empty", b""), ("truncated", open(os.path.join(FIX, KINDS[kind][0]),
                                                              "rb").read()[:5000])):
        n_job += 1
        cwd = os.path.join(JOBS, f"{n_job:05d}")
        os.makedirs(cwd)
        damaged = os.path.join(cwd, "x.h5")
        with open(damaged, "wb") as f:
            f.write(content)
        v = Variant(kind, name, "python3 -m analysis")
        job = faultlib.Job(["/usr/bin/python3", "-m", "analysis", "report", damaged, "-o",
                            "r.html"], cwd, "real", env={"PYTHONPATH": SRC}, timeout=T_BINARY,
                           mem_bytes=MEM, meta={"variant": v, "command": "python3 -m analysis",
                                                "reads_all": True, "damaged": damaged})
        job.meta["before"] = faultlib.snapshot(cwd)
        real.append(job)
faultlib.run_jobs(real, parallel=2, on_done=judge)
print(f"binary kinds done at {time.monotonic() - t_start:.1f} s", flush=True)

# ------------------------------------------------------------------------------------------
# Text inputs.
TEXT_KINDS = {  # kind -> (original file, how the damaged copy is used)
    "scenario": SCEN,
    "overlay": OVERLAY,
    "sweep file": SWEEP,
    "calibration file": CALIB,
    "csv": CASES,
}


def text_command(kind, damaged):
    if kind == "scenario":
        return [GEOSIM, "run", damaged, "-o", "out.h5", "-q"]
    if kind == "overlay":
        return [GEOSIM, "compare", SCEN, damaged, "--replicates", "2", "-o", "out.h5", "-q"]
    if kind == "sweep file":
        return [GEOSIM, "sweep", "plan", damaged, "-d", "plan_dir"]
    if kind == "calibration file":
        return [GEOSIM, "calibrate", damaged, "-d", "cal_dir", "-o", "out.h5", "-q"]
    if kind == "csv":  # the list sweep next to it names cases.csv
        return [GEOSIM, "sweep", "plan", "list.sweep.yaml", "-d", "plan_dir"]


def text_variants(kind, text):
    """[(name, bytes or None for a folder, syntax)]: syntax=True when the error is one of
    YAML syntax, so its line:column must be given."""
    b = text.encode()
    out = []
    for frac in (0.0, 0.3, 0.6, 0.9):
        out.append((f"truncated at {frac:.0%}", b[:int(len(b) * frac)], False))
    flips = max(4, args.flips // 3)
    for _ in range(flips):
        x = bytearray(b)
        off = rng.randrange(len(x))
        x[off] ^= rng.randrange(1, 256)
        out.append((f"byte {off} flipped", bytes(x), False))
    nl = b.index(b"\n", len(b) // 2) + 1  # a line start in the middle
    first = b.index(b"\n") + 1
    if kind == "csv":
        out += [
            ("invalid UTF-8", b.replace(b"0.1,0.02", b"0.1\xff\xfe,0.02"), False),
            ("a NUL character", b.replace(b"0.1,0.02", b"0.1\x00,0.02"), False),
            ("a control character", b.replace(b"0.1,0.02", b"0.1\x01,0.02"), False),
            ("a 1 MB line", b + b"9" * 1_000_000 + b",1\n", False),
            ("NaN cell", b.replace(b"0.1,0.02", b"nan,0.02"), False),
            ("Inf cell", b.replace(b"0.1,0.02", b"inf,0.02"), False),
            ("a missing cell", b.replace(b"0.1,0.02", b"0.1,"), False),
            ("an extra cell", b.replace(b"0.1,0.02", b"0.1,0.02,7"), None),
            ("no header", b"0.1,0.02\n", False),
            ("duplicate column", b.replace(b"inertia,c1_growth", b"inertia,inertia"), False),
            ("empty file", b"", False),
        ]
        return out
    # The name line (in every kind) gets the invalid bytes, so they would reach the output.
    name_key = b"name: "
    pos = b.index(name_key) + len(name_key)
    out += [
        ("invalid UTF-8", b[:pos] + b"bad\xff\xfename" + b[b.index(b"\n", pos):], None),
        ("a NUL character", b[:nl] + b"\x00" + b[nl:], True),
        ("a control character", b[:nl] + b"\x01\x02" + b[nl:], True),
        ("a 1 MB line", b[:first] + b"a" * 1_000_000 + b"\n" + b[first:], True),
        ("10^5 nested [", b[:first] + b"x: " + b"[" * 100_000 + b"\n" + b[first:], True),
        ("10^5 nested {", b[:first] + b"x: " + b"{a: " * 100_000 + b"\n" + b[first:], True),
        ("an alias bomb", b[:first] + b"x:\n" + alias_bomb(b"  ") + b[first:], None),
        ("10^6 list items", b[:first] + b"x:\n" + b"  - 1\n" * 1_000_000 + b[first:], None),
        ("a flow list of 10^6 items", b[:first] + b"x: [" + b"1," * 1_000_000 + b"1]\n"
         + b[first:], None),
        ("duplicate key", b + dup_key(kind), True),
        ("a tab indent", b[:nl] + b"\t" + b[nl:], None),
        ("empty file", b"", False),
        ("only a comment", b"# nothing\n", False),
        ("a list at the top", b"- 1\n- 2\n", None),
        ("a scalar at the top", b"hello\n", None),
        ("a BOM then garbage", b"\xef\xbb\xbf" + b"::\n", None),
    ]
    return out


def alias_bomb(indent=b""):
    """'Billion laughs': 9 levels of 9 aliases (9^9 = 387 million leaves once expanded)."""
    lines = [indent + b"lol0: &l0 [lol]"]
    for i in range(1, 10):
        prev = b", ".join([b"*l%d" % (i - 1)] * 9)
        lines.append(indent + b"lol%d: &l%d [%s]" % (i, i, prev))
    return b"\n".join(lines) + b"\n"


def dup_key(kind):
    return {"scenario": b"metadata:\n  name: again\n", "overlay": b"extends: x.yaml\n",
            "sweep file": b"seed: 6\n", "calibration file": b"seed: 12\n"}[kind]


# Text damage that may leave a valid file: a CSV row with a cell past the header's columns
# (other columns are ignored, docs/sweeps.md).
ZERO_OK = {"an extra cell"}
# Damage that may make several located errors (keys cut off, a name changed, the top mapping
# replaced); every other damage here is one error of YAML syntax or one refused value.
MULTI = ("byte ", "truncated", "a BOM then garbage")


def text_verdict(job):
    m = job.meta
    name, syntax, kind = m["name"], m["syntax"], m["kind"]
    err = job.stderr.decode("utf-8", "replace")
    lines = faultlib.error_lines(job.stderr)
    where = f"{kind} / {name}"
    if job.timed_out:
        return False, "timeout", f"{where}: still running after {job.timeout:.0f} s"
    if job.signal is not None:
        return False, "signal", f"{where}: killed by signal {job.signal}: {err[-300:]}"
    if "internal error" in err:
        return False, "internal error", f"{where}: {lines[:1]}"
    if job.rc == 0:
        # A flipped byte may land in a comment, a description or a number's digit and leave a
        # valid file: exit 0 is then right. Nothing else here is a valid file.
        if name.startswith("byte ") or name in ZERO_OK:
            return True, "0 (valid)", ""
        return False, "accepted damage", f"{where}: exit 0"
    if job.rc != 2:
        return False, f"exit {job.rc}", f"{where}: exit {job.rc}: {err.strip()[:300]}"
    if not lines:
        return False, "no error line", f"{where}: stderr {err[:200]!r}"
    base = os.path.basename(m["damaged"])
    if name.startswith(MULTI) or kind == "csv":
        # a changed name or code can break several references, a truncated file miss several
        # keys: located errors, each naming a file (the damaged one, or for the csv its sweep
        # file), at most 20
        if len(lines) > 20 or len(err) > 20000:
            return False, "too many lines", f"{where}: {len(lines)} lines, {len(err)} bytes"
        if not any(base in ln for ln in lines):
            return False, "file not named", f"{where}: {lines[0][:300]}"
    else:
        if len(lines) != 1:
            return False, "not one line", (f"{where}: {len(lines)} error lines, {len(err)} "
                                           f"bytes: {[ln[:150] for ln in lines[:3]]}")
        if base not in lines[0]:
            return False, "file not named", f"{where}: {lines[0][:300]}"
        if syntax and not re.search(re.escape(base) + r":\d+:\d+", lines[0]):
            return False, "no line:column", f"{where}: {lines[0][:300]}"
    if len(lines[0]) > 2000:
        return False, "line too long", f"{where}: an error line of {len(lines[0])} bytes"
    after = faultlib.snapshot(job.cwd)
    if after != m["before"]:
        changed = sorted(set(after.items()) ^ set(m["before"].items()))
        return False, "output written", f"{where}: the folder changed: {changed[:3]}"
    return True, "2", ""


text_jobs = []
if not args.only or "text" in args.only:
    for kind, original in TEXT_KINDS.items():
        text = open(original, encoding="utf-8").read()
        variants = text_variants(kind, text)
        variants.append(("a folder", None, False))
        for name, content, syntax in variants:
            n_job += 1
            cwd = os.path.join(JOBS, f"{n_job:05d}")
            os.makedirs(cwd)
            fname = os.path.basename(original)
            damaged = os.path.join(cwd, fname)
            if kind == "csv":
                shutil.copy(LIST_SWEEP, cwd)
            if content is None:
                os.makedirs(damaged)
            else:
                with open(damaged, "wb") as f:
                    f.write(content)
            job = faultlib.Job(text_command(kind, damaged), cwd, f"{kind}:{name}",
                               timeout=T_TEXT, mem_bytes=MEM,
                               meta={"kind": kind, "name": name, "syntax": syntax,
                                     "damaged": damaged})
            job.meta["before"] = faultlib.snapshot(cwd)
            text_jobs.append(job)
    # --set: damaged values on the command line (no file: the error names `--set`).
    bomb = "[" * 100_000
    for name, value in (
            ("NaN", "parameters.influence_inertia=nan"), ("Inf", "parameters.influence_inertia=inf"),
            ("no '='", "parameters.influence_inertia"), ("empty", ""), ("only '='", "="),
            ("unknown path", "parameters.nothing=1"), ("10^5 nested [", "metadata.seed=" + bomb),
            # (one argument is at most 128 kB on Linux)
            ("a 100 kB number", "metadata.seed=" + "9" * 100_000),
            ("a 100 kB path", "a" * 100_000 + "=1"),
            ("invalid UTF-8", "metadata.name=bad\udcff\udcfename"),
            ("a control character", "metadata.name=a\x01b"),
            ("an alias bomb", "metadata.name={" + alias_bomb().decode().replace("\n", ", ") + "}"),
            ("a huge index", "actors[99999999999999999999].growth=0.1"),
            ("a type mismatch", "metadata.turns=many")):
        n_job += 1
        cwd = os.path.join(JOBS, f"{n_job:05d}")
        os.makedirs(cwd)
        argv = [GEOSIM, "run", SCEN, "--set", value, "-o", "out.h5", "-q"]
        argv = [os.fsencode(a) for a in argv]
        job = faultlib.Job(argv, cwd, f"--set:{name}", timeout=T_TEXT, mem_bytes=MEM,
                           meta={"kind": "--set", "name": name, "syntax": False,
                                 "damaged": "--set"})
        job.meta["before"] = faultlib.snapshot(cwd)
        text_jobs.append(job)


def judge_text(job):
    ok, tag, detail = text_verdict(job)
    outcomes.append(Outcome(job.meta["kind"], "geosim", job.meta["name"].split(" ")[0]
                            if job.meta["name"].startswith(("byte", "truncated"))
                            else job.meta["name"], ok, tag, detail))
    if ok:
        shutil.rmtree(job.cwd, ignore_errors=True)
    else:
        fail(detail)


faultlib.run_jobs(text_jobs, parallel=2, on_done=judge_text)

# ------------------------------------------------------------------------------------------
# Summary: kind x command x outcome.
table = collections.Counter((o.kind, o.command, o.tag) for o in outcomes)
rows = sorted({(o.kind, o.command) for o in outcomes})
print("\nkind          command                 outcomes (count)")
for k, c in rows:
    cells = ", ".join(f"{tag}: {n}" for (kk, cc, tag), n in sorted(table.items())
                      if kk == k and cc == c)
    bad = sum(1 for o in outcomes if o.kind == k and o.command == c and not o.ok)
    print(f"{k:13s} {c:23s} {cells}{'   <- ' + str(bad) + ' FAILED' if bad else ''}")
print("\nfailures by kind of damage:")
by_group = collections.Counter((o.kind, o.group) for o in outcomes if not o.ok)
for (k, grp), n in sorted(by_group.items()):
    print(f"  {k:13s} {grp:25s} {n}")
print(f"\n{len(outcomes)} commands, {len(failures)} failed, "
      f"{time.monotonic() - t_start:.0f} s")
if failures:
    print(f"(folders of the failed commands are kept in {JOBS})")
sys.exit(1 if failures else 0)
