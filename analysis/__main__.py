"""python3 -m analysis plot OUT.h5 [-o FIGDIR] [--format png svg pdf] [--turns T ...]
python3 -m analysis report OUT.h5 [-o REPORT.html]
python3 -m analysis export OUT.h5 --csv DIR [--only VAR ...] [--force]
python3 -m analysis brief COMPARISON.h5 [-o BRIEF.html] [--pdf] [--threshold-pp X]
                          [--threshold-percent Y] [--force]
python3 -m analysis explore FILE.h5 [-o EXPLORE.html] [--force]   (an interactive page of a
                          run, replicates, a comparison or a study)
python3 -m analysis discover SWEEP.h5 --metric NAME (--above X | --below X) [-o DIR]
                          [--density D] [--alpha A] [--bootstrap B] [--seed S]
                          [--method prim|cart|both]   (scenario discovery: PRIM and CART)

OUT.h5 is any geosim output: a run (checkpoints included), replicates, a comparison, a
sweep or a calibration; the kind is read from the file. Exit status 0 ok, 2 for a file this
package cannot read or an output it cannot write (one line on stderr, no traceback)."""

import argparse
import os
import re
import shlex
import signal
import sys

import matplotlib

matplotlib.use("Agg")  # headless; the figures never need a display

from . import brief as brief_module  # noqa: E402
from . import explore as explore_module  # noqa: E402
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


def _check_output_file(out, source, force, kind="report", is_own=is_report):
    """An error message if the HTML `kind` (report or brief) cannot be written at `out`, else
    None. The input file is never replaced; another existing file only if it is an earlier one
    of this kind (`is_own`) or with --force."""
    if os.path.isdir(out):
        return f"-o {out}: is a folder; give the {kind}'s file name"
    if _same_file(out, source):
        return f"-o {out}: is the input file itself; choose another name"
    if os.path.exists(out) and not force and not is_own(out):
        return (f"-o {out}: exists and is not a {kind} of this package; choose another name "
                f"or pass --force to replace it")
    parent = os.path.dirname(out) or "."
    if not os.path.isdir(parent):
        return f"-o {out}: the folder {parent} does not exist"
    if not os.access(parent, os.W_OK | os.X_OK):
        return f"-o {out}: the folder {parent} is not writable"
    return None


def _only_known(args, ds, available, what, prep):
    """Whether every --only name is one of `available`; if not, says which are not (one line)."""
    unknown = [v for v in args.only if v not in available]
    if unknown:
        print(f"analysis: --only: no {what} {', '.join(unknown)} {prep} {args.file}, a "
              f"{kind(ds)} file; its {what}s are {', '.join(available)}", file=sys.stderr)
    return not unknown


def _export(ds, args):
    """The export subcommand on a lazily loaded dataset: exit status 0 or 2 (one line)."""
    if args.only and not _only_known(args, ds, exported_variables(ds), "variable", "in"):
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


def _threshold(text):
    """A threshold of practical size: a finite number >= 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not (value >= 0 and value != float("inf")):
        raise argparse.ArgumentTypeError(f"must be a finite number >= 0, not {text}")
    return value


def _check_brief_output(out, source, force):
    """An error message if the brief (and with --pdf its PDF) cannot be written at `out`, else
    None: the report's rules, with briefs recognised by their own generator tag."""
    if out.lower().endswith(".pdf") and not os.path.isdir(out):
        return (f"-o {out}: give the HTML file's name (BRIEF.html); --pdf writes BRIEF.pdf "
                "next to it")
    return _check_output_file(out, source, force, "brief", brief_module.is_brief)


def _brief(ds, args, argv):
    """The brief subcommand: exit status 0 or 2 (one line)."""
    if kind(ds) != "comparison":
        print(f"analysis: {args.file}: {brief_module.NOT_A_COMPARISON}; this is a {kind(ds)} "
              "file", file=sys.stderr)
        return 2
    out = args.output or os.path.join(os.path.dirname(args.file),
                                       _stem(args.file) + "_brief.html")
    problem = _check_brief_output(out, args.file, args.force)
    pdf = brief_module.pdf_path(out) if args.pdf else None
    if not problem and pdf:
        if os.path.isdir(pdf):
            problem = f"--pdf: {pdf} is a folder"
        elif _same_file(pdf, args.file):
            problem = f"--pdf: {pdf} would be the input file itself; choose another -o"
        elif (os.path.exists(pdf) and not args.force
              and not brief_module.is_brief_pdf(pdf)):
            problem = (f"--pdf: {pdf} exists and is not a PDF of a brief; choose another -o "
                       "or pass --force to replace it")
        elif not brief_module.find_chromium():
            problem = ("--pdf: no chromium program found (install Debian's chromium package, "
                       "or leave out --pdf for the HTML alone)")
    if problem:
        print(f"analysis: {problem}", file=sys.stderr)
        return 2
    command = " ".join(["python3 -m analysis"] + [shlex.quote(a) for a in argv])
    try:
        result = brief_module.write_brief(ds, out, source=args.file, pdf=args.pdf,
                                          threshold_pp=args.threshold_pp,
                                          threshold_percent=args.threshold_percent,
                                          command=command)
    except brief_module.BriefError as e:
        print(f"analysis: {one_line(e)}", file=sys.stderr)
        return 2
    except OSError as e:  # a full disk, a folder removed meanwhile
        print(f"analysis: cannot write {out}: {one_line(e.strerror or e)}", file=sys.stderr)
        return 2
    print(out, file=sys.stderr)
    if result["pdf"]:
        pages = result["pages"]
        note = (f" ({pages} pages: the brief does not fit on one)" if pages != 1 else
                f" (printed at {result['zoom']:.0%} to fit one page)"
                if result["zoom"] != 1.0 else "")
        print(f"{result['pdf']}{note}", file=sys.stderr)
    return 0


def _discover(ds, args, argv):
    """The discover subcommand (scenario discovery, discovery.py): the PRIM box and CART's
    leaves on stdout, figures, tables and discovery.html into a folder; exit status 0 or 2
    (one line, nothing written)."""
    from . import discovery
    from .io import write_all_atomically
    try:
        if args.metric is None:
            metrics = [str(m) for m in ds["metric"].values] if kind(ds) == "sweep" else []
            raise discovery.DiscoveryError(
                "give --metric NAME" + (f": one of {', '.join(metrics)}" if metrics else ""))
        result = discovery.discover(ds, args.metric, above=args.above, below=args.below,
                                    method=args.method, alpha=args.alpha, density=args.density,
                                    bootstrap=args.bootstrap, seed=args.seed)
    except discovery.DiscoveryError as e:
        print(f"analysis: {args.file}: {one_line(e)}", file=sys.stderr)
        return 2
    out = args.output or os.path.join(os.path.dirname(args.file),
                                      _stem(args.file) + "_discovery")
    earlier = discovery.is_discovery_page(os.path.join(out, "discovery.html"))
    if (os.path.isdir(out) and os.listdir(out) and not earlier and not args.force):
        problem = (f"-o {out}: holds files but no earlier discovery; choose an empty or new "
                   "folder, or pass --force (files of other names are left alone)")
    else:
        problem = _check_output_dir(out)
    clash = next((n for n in discovery.output_names()
                  if _same_file(os.path.join(out, n), args.file)), None)
    if not problem and clash:
        problem = f"-o {out}: its {clash} would be the input file itself; choose another folder"
    if problem:
        print(f"analysis: {problem}", file=sys.stderr)
        return 2
    command = " ".join(["python3 -m analysis"] + [shlex.quote(a) for a in argv])
    print("\n".join(discovery.summary_lines(result, args.file)))
    sys.stdout.flush()
    try:
        written = write_all_atomically(discovery.discovery_outputs(
            result, out, source=args.file, dpi=args.dpi, command=command))
        # an earlier discovery's files this one does not write (another --method) would
        # contradict its page: removed
        for name in discovery.output_names():
            stale = os.path.join(out, name)
            if stale not in written and os.path.isfile(stale):
                os.remove(stale)
    except OSError as e:  # a full disk, a folder removed meanwhile
        print(f"analysis: cannot write into {out}: {one_line(e.strerror or e)}",
              file=sys.stderr)
        return 2
    for path in written:
        print(path, file=sys.stderr)
    return 0


def _explore(ds, args):
    """The explore subcommand: exit status 0 or 2 (one line)."""
    if kind(ds) not in explore_module.EXPLORABLE:
        print(f"analysis: {args.file}: {explore_module.NOT_EXPLORABLE}; this is a {kind(ds)} "
              "file", file=sys.stderr)
        return 2
    out = args.output or os.path.join(os.path.dirname(args.file),
                                      explore_module.default_name(args.file))
    problem = _check_output_file(out, args.file, args.force, "geosim explorer page",
                                 explore_module.is_explorer)
    if problem:
        print(f"analysis: {problem}", file=sys.stderr)
        return 2
    try:
        result = explore_module.write_explorer(ds, out, source=args.file)
    except OSError as e:  # a full disk, a folder removed meanwhile
        print(f"analysis: cannot write {out}: {one_line(e.strerror or e)}", file=sys.stderr)
        return 2
    dropped = result["dropped"]
    print(f"{out} ({result['bytes'] / 1e6:.2f} MB"
          + (f"; left out: {'; '.join(dropped)}" if dropped else "") + ")", file=sys.stderr)
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python3 -m analysis",
        description="Figures, a one-page HTML report or tidy CSV tables of a geosim output "
                    "file (run, replicates, comparison, sweep or calibration: recognised from "
                    "the file), a one-page brief of a what-if comparison, or an interactive "
                    "explorer page of a run, replicates or comparison.")
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
    report.add_argument("--discover", metavar="METRIC",
                        help="a sweep: add scenario discovery (PRIM's box, CART's leaves) of "
                             "the runs where METRIC is above or below a threshold")
    wanted = report.add_mutually_exclusive_group()
    wanted.add_argument("--above", type=float, metavar="X", help="with --discover: METRIC > X")
    wanted.add_argument("--below", type=float, metavar="X", help="with --discover: METRIC < X")
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
    brief = sub.add_parser(
        "brief", help="write a one-page brief of a what-if comparison or study (HTML, and PDF "
                      "with --pdf) for a reader who will not open the data")
    brief.add_argument("file", metavar="COMPARISON.h5",
                       help="a file written by geosim compare (one what-if or a study)")
    brief.add_argument("-o", "--output", metavar="BRIEF.html",
                       help="default: COMPARISON_brief.html next to the file; an earlier brief "
                            "there is replaced, any other file only with --force")
    brief.add_argument("--pdf", action="store_true",
                       help="also write BRIEF.pdf (one A4 page) next to it, printed by headless "
                            "Chromium (Debian's chromium package)")
    brief.add_argument("--threshold-pp", type=_threshold, default=brief_module.THRESHOLD_PP,
                       metavar="X",
                       help="effects on shares smaller than X percentage points are not of "
                            f"practical size (default {brief_module.THRESHOLD_PP:g})")
    brief.add_argument("--threshold-percent", type=_threshold,
                       default=brief_module.THRESHOLD_PERCENT, metavar="Y",
                       help="effects on other quantities (re-exports) smaller than Y percent "
                            "of the baseline's mean are not of practical size (default "
                            f"{brief_module.THRESHOLD_PERCENT:g})")
    brief.add_argument("--force", action="store_true",
                       help="replace BRIEF.html (and BRIEF.pdf) even if not an earlier brief")
    discover = sub.add_parser(
        "discover", help="scenario discovery on a sweep: under which parameter values is a "
                         "metric above (or below) a threshold? PRIM's box and CART's leaves")
    discover.add_argument("file", metavar="SWEEP.h5", help="a file written by geosim sweep")
    discover.add_argument("--metric", metavar="NAME", help="the sweep's metric (required)")
    discover.add_argument("--above", metavar="X",
                          help="the cases of interest are the ok runs with the metric > X")
    discover.add_argument("--below", metavar="X",
                          help="the cases of interest are the ok runs with the metric < X")
    discover.add_argument("-o", "--output", metavar="DIR",
                          help="folder for the figures, tables and discovery.html (created if "
                               "missing; default: SWEEP_discovery next to the file)")
    discover.add_argument("--density", type=float, metavar="D",
                          help="choose the PRIM box of largest coverage with density >= D "
                               "(default: the box of largest coverage x density)")
    discover.add_argument("--alpha", type=float, default=0.05, metavar="A",
                          help="PRIM's peeling fraction (default 0.05)")
    discover.add_argument("--bootstrap", type=int, default=50, metavar="B",
                          help="PRIM refits on B bootstrap resamples for the restrictions' "
                               "frequency (default 50; 0: none)")
    discover.add_argument("--seed", type=int, default=0, metavar="S",
                          help="seed of the bootstrap and of CART's cross-validation (default 0)")
    discover.add_argument("--method", choices=["prim", "cart", "both"], default="both",
                          help="prim, cart or both (default)")
    discover.add_argument("--dpi", type=int, default=150, help="resolution of the figures")
    discover.add_argument("--force", action="store_true",
                          help="write into DIR even if it holds files but no earlier discovery")
    explore = sub.add_parser(
        "explore", help="write an interactive page (one self-contained HTML file) of a run, "
                        "replicates, a what-if comparison or a study: an influence network "
                        "over time, linked curves, the events")
    explore.add_argument("file", metavar="FILE.h5",
                         help="a file written by geosim run (or run --replicates) or compare")
    explore.add_argument("-o", "--output", metavar="EXPLORE.html",
                         help="default: FILE_explore.html next to the file; an earlier explorer "
                              "page there is replaced, any other file only with --force")
    explore.add_argument("--force", action="store_true",
                         help="replace EXPLORE.html even if it is not an earlier explorer page")
    argv = sys.argv[1:] if argv is None else list(argv)
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
        if args.command == "brief":
            return _brief(ds, args, argv)
        if args.command == "explore":
            return _explore(ds, args)
        if args.command == "discover":
            return _discover(ds, args, argv)
        if args.command == "report":
            out = args.output or os.path.join(os.path.dirname(args.file),
                                               _stem(args.file) + "_report.html")
            problem = _check_output_file(out, args.file, args.force)
            if problem:
                print(f"analysis: {problem}", file=sys.stderr)
                return 2
            sections = []
            if args.discover or args.above is not None or args.below is not None:
                from . import discovery
                try:
                    if kind(ds) != "sweep":
                        raise discovery.DiscoveryError(
                            f"--discover needs a sweep file; this is a {kind(ds)} file")
                    if not args.discover:
                        raise discovery.DiscoveryError("--above and --below need --discover METRIC")
                    sections = discovery.report_sections(discovery.discover(
                        ds, args.discover, above=args.above, below=args.below))
                except discovery.DiscoveryError as e:
                    print(f"analysis: {args.file}: {one_line(e)}", file=sys.stderr)
                    return 2
            try:
                write_report(ds, out, source=args.file, sections=sections)
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
        if args.only and not _only_known(args, ds, figures_for(ds), "figure", "for"):
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
    in its export folder; a brief's without -o: next to its input)."""
    if argv and argv[0] in ("brief", "explore") and not any(a in ("-o", "--output")
                                                            for a in argv):
        path = next((a for a in argv[1:] if not a.startswith("-")), None)
        if path:
            argv = list(argv) + ["-o", os.path.join(os.path.dirname(path) or ".", "x")]
    if argv and argv[0] == "discover" and not any(a in ("-o", "--output") for a in argv):
        path = next((a for a in argv[1:] if a.endswith(".h5")), None)
        if path:  # the default folder, next to the file
            argv = list(argv) + ["-o", os.path.join(os.path.dirname(path),
                                                    _stem(path) + "_discovery")]
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
