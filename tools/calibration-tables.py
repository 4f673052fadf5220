#!/usr/bin/env python3
"""Markdown tables of a calibration file for docs/calibration.md: every target's observed
value beside the simulated median and 90% band, the parameters' posteriors, the holdout
targets against the persistence forecast, and the out-of-sample skill.

    /usr/bin/python3 tools/calibration-tables.py central_asia_calibration.h5
"""
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from analysis import io  # noqa: E402
from analysis.calibration_figures import (holdout_skill, holdout_table,  # noqa: E402
                                          parameters_table, targets_table)


def fmt(x, units):
    if isinstance(x, float) and math.isnan(x):
        return "n/a"
    return f"{100 * x:.1f}%" if units in ("1", "") else f"{x:.4g}"


def fmt_sd(x, units):
    return f"{100 * x:.1f} pp" if units in ("1", "") else f"{x:.3g}"


def main(path):
    ds = io.load(path)
    t = targets_table(ds)
    print("| target | use | period | observed +- sd | simulated median [5%, 95%] | z | inside |")
    print("|---|---|---|---|---|---|---|")
    for r in t.itertuples():
        z = (r.median - r.observed) / r.sd
        print(f"| {r.target} | {r.use} | {r.period} | {fmt(r.observed, r.units)} +- "
              f"{fmt_sd(r.sd, r.units)} | {fmt(r.median, r.units)} [{fmt(r.q05, r.units)}, "
              f"{fmt(r.q95, r.units)}] | {z:+.1f} | {'yes' if abs(z) <= 1.645 else 'NO'} |")
    print()
    p = parameters_table(ds)
    print("| parameter | prior | posterior median | 90% interval | sd / prior sd | |")
    print("|---|---|---|---|---|---|")
    for r in p.itertuples():
        print(f"| {r.parameter} | {r.prior} | {r.median:.4g} | [{r.q05:.4g}, {r.q95:.4g}] | "
              f"{r.sd_ratio:.2f} | {'not identified' if r.not_identified else ''} |")
    print()
    h = holdout_table(ds)
    print("| holdout target | observed | model median | persistence | z model | z persistence |")
    print("|---|---|---|---|---|---|")
    for r in h.itertuples():
        print(f"| {r.target} | {fmt(r.observed, r.units)} | {fmt(r.model, r.units)} | "
              f"{fmt(r.persistence, r.units)} | {r.z_model:+.1f} | {r.z_persistence:+.1f} |")
    print()
    print(f"Out-of-sample skill 1 - MSE(model) / MSE(persistence), errors in standard errors: "
          f"{holdout_skill(ds):.2f} over {len(h)} holdout targets")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: calibration-tables.py CALIBRATION.h5")
    main(sys.argv[1])
