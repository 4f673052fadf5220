"""python3 -m analysis plot RUN.h5 -o FIGDIR [--format png|svg|pdf ...]"""

import argparse
import sys

import matplotlib

matplotlib.use("Agg")  # headless; the figures never need a display

from .figures import save_all  # noqa: E402
from .io import load  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python3 -m analysis",
                                     description="Plots of a geosim run file.")
    sub = parser.add_subparsers(dest="command", required=True)
    plot = sub.add_parser("plot", help="write every figure of a run into a directory")
    plot.add_argument("run", metavar="RUN.h5", help="run file written by `geosim run`")
    plot.add_argument("-o", "--output", metavar="FIGDIR", required=True,
                      help="directory for the figures (created if missing)")
    plot.add_argument("--format", dest="formats", nargs="+", action="extend",
                      choices=["png", "svg", "pdf"], metavar="FMT",
                      help="png, svg and/or pdf (repeatable; default png)")
    plot.add_argument("--dpi", type=int, default=150, help="resolution of png files")
    args = parser.parse_args(argv)

    try:
        ds = load(args.run)
    except (ValueError, FileNotFoundError) as e:
        print(f"analysis: {e}", file=sys.stderr)
        return 2
    with ds:
        save_all(ds, args.output, formats=args.formats or ["png"], dpi=args.dpi)
    return 0


if __name__ == "__main__":
    sys.exit(main())
