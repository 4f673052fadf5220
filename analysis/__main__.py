"""python3 -m analysis plot OUT.h5 [-o FIGDIR] [--format png svg pdf] [--turns T ...]
python3 -m analysis report OUT.h5 [-o REPORT.html]
python3 -m analysis export OUT.h5 --csv DIR [--only VAR ...] [--force]

OUT.h5 is any geosim output: a run (checkpoints included), replicates, a comparison, a
sweep or a calibration; the kind is read from the file. Exit status 0 ok, 2 for a file this
package cannot read or an output it cannot write (one line on stderr, no traceback)."""

import argparse
import os
import re
import signal
import sys

import matplotlib

matplotlib.use("Agg")  # headless; the figures never need a display

from .export import ExportError, export_csv, exported_variables  # noqa: E402
from .figures import figures_for, save_all  # noqa: E402
from .io import GeosimFileError, kind, load, one_line, turn_position  # noqa: E402
from .report import is_report, write_report  # noqa: E402


def _stem(path):
    base = os.path.basename(path)
    return base[:-3] if base.endswith(".h5") else os.path.splitext(base)[0]


def _check_output_dir(out):
    """An error message if `out` cannot be the figures' folder, else None (creates it)."""
    if os.path.exists(out) and not os.path.isdir(out):
        return f"-o {out}: exists and is not a folder"
    try:
        os.makedirs(out, exist_ok=True)
    except OSError as e:
        return f"-o {out}: cannot create the folder: {e.strerror}"
    if not os.access(out, os.W_OK | os.X_OK):
        return f"-o {out}: the folder is not writable"
    return None


def _same_file(a, b):
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _check_output_file(out, source, force):
    """An error message if the report cannot be written at `out`, else None. The input file
    is never replaced; another existing file only if it is an earlier report or with --force."""
    if os.path.isdir(out):
        return f"-o {out}: is a folder; give the report's file name"
    if _same_file(out, source):
        return f"-o {out}: is the input file itself; choose another name"
    if os.path.exists(out) and not force and not is_report(out):
        return (f"-o {out}: exists and is not a report of this package; choose another name "
                f"or pass --force to replace it")
    parent = os.path.dirname(out) or "."
    if not os.path.isdir(parent):
        return f"-o {out}: the folder {parent} does not exist"
    if not os.access(parent, os.W_OK | os.X_OK):
        return f"-o {out}: the folder {parent} is not writable"
    return None


def _export(ds, args):
    """The export subcommand on a lazily loaded dataset: exit status 0 or 2 (one line)."""
    if args.only:
        available = exported_variables(ds)
        unknown = [v for v in args.only if v not in available]
        if unknown:
            print(f"analysis: --only: no variable {', '.join(unknown)} in {args.file}, a "
                  f"{kind(ds)} file; its variables are {', '.join(available)}",
                  file=sys.stderr)
            return 2
    try:
        export_csv(ds, args.csv, only=args.only, force=args.force, source=args.file,
                   quiet=False)
    except ExportError as e:
        print(f"analysis: --csv {one_line(e)}", file=sys.stderr)
        return 2
    except GeosimFileError as e:  # a damaged chunk, found while reading it
        print(f"analysis: {one_line(e)}", file=sys.stderr)
        return 2
    except OSError as e:  # a full disk, a folder removed meanwhile
        print(f"analysis: cannot write into {args.csv}: {one_line(e.strerror or e)}",
              file=sys.stderr)
        return 2
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python3 -m analysis",
        description="Figures, a one-page HTML report or tidy CSV tables of a geosim output "
                    "file (run, replicates, comparison, sweep or calibration: recognised from "
                    "the file).")
    sub = parser.add_subparsers(dest="command", required=True)
    plot = sub.add_parser("plot", help="write every figure of a file, and its report.html, "
                                       "into a directory")
    plot.add_argument("file", metavar="OUT.h5", help="a file written by geosim run, "
                                                     "compare, sweep or calibrate")
    plot.add_argument("-o", "--output", metavar="FIGDIR",
                      help="directory for the figures (created if missing; default: "
                           "OUT_figures next to OUT.h5)")
    plot.add_argument("--format", dest="formats", nargs="+", action="extend",
                      choices=["png", "svg", "pdf"], metavar="FMT",
                      help="png, svg and/or pdf (repeatable; default png)")
    plot.add_argument("--dpi", type=int, default=150, help="resolution of png files")
    plot.add_argument("--turns", nargs="+", metavar="T",
                      help="turns of the dependence heatmaps and the influence network: "
                           "numbers (negative from the end) or dates YYYY-MM (default: the "
                           "first and last turn for the heatmaps, the last for the network)")
    plot.add_argument("--only", nargs="+", metavar="FIGURE",
                      help="write only these figures (file stems, e.g. influence_shares gdp)")
    plot.add_argument("--no-report", action="store_true", help="do not write report.html")
    report = sub.add_parser("report", help="write the one-page HTML report only")
    report.add_argument("file", metavar="OUT.h5")
    report.add_argument("-o", "--output", metavar="REPORT.html",
                        help="default: OUT_report.html next to OUT.h5; an earlier report "
                             "there is replaced, any other file only with --force")
    report.add_argument("--force", action="store_true",
                        help="replace REPORT.html even if it is not an earlier report")
    export = sub.add_parser("export", help="write tidy CSV tables of every variable, the "
                                           "events and the metadata into a folder")
    export.add_argument("file", metavar="OUT.h5")
    export.add_argument("--csv", metavar="DIR", required=True,
                        help="folder for the tables (created if missing); an earlier export "
                             "there is replaced, a folder with other files only with --force")
    export.add_argument("--only", nargs="+", metavar="VAR",
                        help="export only these variables (and `events` for the events table)")
    export.add_argument("--force", action="store_true",
                        help="write into DIR even if it holds files not written by an earlier "
                             "export (they are left alone)")
    args = parser.parse_args(argv)

    try:
        # export reads a block at a time: memory bounded whatever the file's size
        ds = load(args.file, lazy=args.command == "export")
    except (GeosimFileError, FileNotFoundError) as e:
        print(f"analysis: {one_line(e)}", file=sys.stderr)
        return 2
    except OSError as e:  # unreadable (permissions, an I/O error)
        print(f"analysis: {args.file}: cannot read it: {one_line(e.strerror or e)}",
              file=sys.stderr)
        return 2
    with ds:
        if args.command == "export":
            return _export(ds, args)
        if args.command == "report":
            out = args.output or os.path.join(os.path.dirname(args.file),
                                               _stem(args.file) + "_report.html")
            problem = _check_output_file(out, args.file, args.force)
            if problem:
                print(f"analysis: {problem}", file=sys.stderr)
                return 2
            try:
                write_report(ds, out, source=args.file)
            except OSError as e:  # a full disk, a folder removed meanwhile
                print(f"analysis: cannot write {out}: {one_line(e.strerror or e)}",
                      file=sys.stderr)
                return 2
            print(out, file=sys.stderr)
            return 0
        turns = args.turns
        if turns and kind(ds) in ("sweep", "calibration"):
            print(f"analysis: --turns is ignored for a {kind(ds)} file", file=sys.stderr)
            turns = None
        if turns:
            try:
                turns = [int(t) if t.lstrip("-").isdigit() else t for t in turns]
                for t in turns:
                    turn_position(ds, t)
            except ValueError as e:
                print(f"analysis: --turns: {e}", file=sys.stderr)
                return 2
        if args.only:
            available = figures_for(ds)
            unknown = [s for s in args.only if s not in available]
            if unknown:
                print(f"analysis: --only: no figure {', '.join(unknown)} for {args.file}, a "
                      f"{kind(ds)} file; its figures are {', '.join(available)}",
                      file=sys.stderr)
                return 2
        out = args.output or os.path.join(os.path.dirname(args.file),
                                          _stem(args.file) + "_figures")
        problem = _check_output_dir(out)
        # The figures' and report's names in FIGDIR must not be the input file itself.
        stems = args.only or list(figures_for(ds))
        names = [f"{s}.{fmt}" for s in stems for fmt in (args.formats or ["png"])]
        names += [] if args.no_report else ["report.html"]
        clash = next((n for n in names if _same_file(os.path.join(out, n), args.file)), None)
        if not problem and clash:
            problem = f"-o {out}: its {clash} would be the input file itself; choose another folder"
        if problem:
            print(f"analysis: {problem}", file=sys.stderr)
            return 2
        try:
            save_all(ds, out, formats=args.formats or ["png"], dpi=args.dpi, turns=turns,
                     report=not args.no_report, source=args.file, only=args.only)
        except OSError as e:  # a full disk, a folder removed meanwhile
            print(f"analysis: cannot write into {out}: {one_line(e.strerror or e)}",
                  file=sys.stderr)
            return 2
    return 0


def cli(argv=None):
    """`python3 -m analysis`: main() in a child process, so that a damaged HDF5 file that
    crashes the HDF5 library itself (a segmentation fault on some flipped bytes, which no
    Python code can catch) is still one line on stderr and exit 2, not a dead interpreter.
    The child's temp files (`.NAME.tmp.PID`) are removed if it died."""
    if not hasattr(os, "fork") or os.environ.get("GEOSIM_ANALYSIS_NO_FORK"):
        return main(argv)
    argv = sys.argv[1:] if argv is None else list(argv)
    sys.stdout.flush()
    sys.stderr.flush()
    # The child's stderr comes through a pipe, line by line, so that glibc's own last words
    # when the library corrupts the heap ("munmap_chunk(): invalid pointer") are dropped if the
    # child then dies: the user gets the one line below, not the allocator's.
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        os.dup2(write_end, 2)
        os.close(write_end)
        code = 1
        try:
            code = main(argv)
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
            if e.code is not None and not isinstance(e.code, int):
                print(e.code, file=sys.stderr)
        except BaseException:
            import traceback
            traceback.print_exc()
            code = 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code if isinstance(code, int) else 1)
    os.close(write_end)
    held = _forward_stderr(read_end)
    while True:
        try:
            _, status = os.waitpid(pid, 0)
            break
        except KeyboardInterrupt:
            continue  # the child got the SIGINT too and stops by itself
    if os.WIFEXITED(status):
        for line in held:  # not the allocator's: the child lived on
            sys.stderr.buffer.write(line)
        sys.stderr.flush()
        return os.WEXITSTATUS(status)
    sig = os.WTERMSIG(status)
    _remove_temps(argv, pid)
    if sig == signal.SIGINT:
        return 130
    path = next((a for a in argv if a.endswith(".h5")), "the file")
    print(f"analysis: {path}: reading it crashed the HDF5 library (signal {sig}): the file is "
          f"damaged", file=sys.stderr)
    return 2


_ALLOCATOR_MESSAGE = re.compile(
    rb"^(Fatal glibc error: |[a-z_]+\(\): |double free |corrupted |malloc)")


def _forward_stderr(fd):
    """Copy a child's stderr to ours as it comes, line by line, until it closes; lines that look
    like glibc's heap-corruption messages are held back and returned."""
    held, pending = [], b""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except KeyboardInterrupt:
            continue
        if not chunk:
            break
        pending += chunk
        *lines, pending = pending.split(b"\n")
        for line in lines:
            line += b"\n"
            if _ALLOCATOR_MESSAGE.match(line):
                held.append(line)
            else:
                sys.stderr.buffer.write(line)
        sys.stderr.flush()
    if pending and _ALLOCATOR_MESSAGE.match(pending):
        held.append(pending)
    elif pending:
        sys.stderr.buffer.write(pending)
    os.close(fd)
    sys.stderr.flush()
    return held


def _remove_temps(argv, pid):
    """Remove the temp files a dead child left in its output folder (or next to its report, or
    in its export folder)."""
    for i, a in enumerate(argv):
        if a in ("-o", "--output", "--csv") and i + 1 < len(argv):
            out = argv[i + 1]
            for folder in (out, os.path.dirname(out) or "."):
                try:
                    names = os.listdir(folder)
                except OSError:
                    continue
                for n in names:
                    if n.startswith(".") and n.endswith(f".tmp.{pid}"):
                        try:
                            os.remove(os.path.join(folder, n))
                        except OSError:
                            pass


if __name__ == "__main__":
    sys.exit(cli())
