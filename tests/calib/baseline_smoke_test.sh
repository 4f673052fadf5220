#!/usr/bin/env bash
# CI smoke of the shipped calibration (docs/calibration.md, section 6) at a reduced budget:
# scenarios/calibration/central_asia.calib.yaml with --particles 24 --generations 2 runs, its
# file is summarised by `geosim info`, exported to an overlay that validates, drawn from by
# `compare --posterior` and `run --replicates --posterior` (which record the particles), and
# plotted by the analysis package. The full calibration runs from the documented command.
# Usage: baseline_smoke_test.sh GEOSIM_BINARY SOURCE_DIR WORKDIR
set -u
geosim=$1
src=$2
work=$3
source "$(dirname "${BASH_SOURCE[0]}")/../support/cli_lib.sh"
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
calib=$src/scenarios/calibration/central_asia.calib.yaml

expect 0 "reduced calibration of the baseline" -- "$geosim" calibrate "$calib" --particles 24 \
  --generations 2 --jobs 2 -d smoke.calib -o smoke.h5
contains err.txt "generation 1:" "two generations ran"
contains err.txt "NOT converged: the last of method.generations (2)" "stops at --generations"
/usr/bin/python3 - <<'PY' && pass || fail "calibration file layout"
import h5py, numpy as np
f = h5py.File("smoke.h5", "r")
assert f.attrs["format"] == "geosim-calibration"
assert f["particles"].shape[:2] == (2, 24), f["particles"].shape
assert f["target"].shape[0] == 51 and f["parameter"].shape[0] == 17
w = f["weight"][-1]
assert abs(w.sum() - 1) < 1e-9 and (w >= 0).all()
assert f["tolerance"][1] <= f["tolerance"][0]
use = [u.decode() if isinstance(u, bytes) else u for u in f["target_use"][:]]
p = f["persistence"][:]
assert all(np.isfinite(p[i]) == (use[i] == "holdout") for i in range(len(use))), "persistence"
PY
expect 0 "info summarises it" -- "$geosim" info smoke.h5
contains out.txt "geosim calibration of scenario 'central_asia_2022' (abc-smc)" "info header"
contains out.txt "uzb_chn_trade_2023" "info lists the targets"

expect 0 "raising --generations continues it" -- "$geosim" calibrate "$calib" --particles 24 \
  --generations 3 --jobs 2 -d smoke.calib -o smoke3.h5
contains err.txt "generation 1 (resumed)" "finished generations are read back"
contains err.txt "generation 2:" "and a third one runs"

expect 0 "export" -- "$geosim" calibrate export smoke.h5 -o calibrated.yaml
expect 0 "the overlay validates" -- "$geosim" validate calibrated.yaml
contains calibrated.yaml "extends:" "the overlay extends the baseline"

expect 0 "compare --posterior" -- "$geosim" compare "$src/scenarios/central_asia_2022.yaml" \
  "$src/scenarios/whatif/us_doubles_security_aid.yaml" --replicates 3 --posterior smoke.h5 -o cmp.h5
expect 0 "run --replicates --posterior" -- "$geosim" run "$src/scenarios/central_asia_2022.yaml" \
  --replicates 3 --posterior smoke.h5 -o reps.h5
expect 2 "--posterior needs replicates" -- "$geosim" run "$src/scenarios/central_asia_2022.yaml" \
  --posterior smoke.h5 -o one.h5
contains err.txt "--replicates R with R >= 2" "the message says why"
/usr/bin/python3 - <<'PY' && pass || fail "posterior particles recorded"
import h5py
for name in ("cmp.h5", "reps.h5"):
    f = h5py.File(name, "r")
    assert f.attrs["posterior_file"] == "smoke.h5", name
    p = f["posterior_particle"][:]
    assert p.shape == (3,) and ((p >= 0) & (p < 24)).all(), (name, p)
PY
# A what-if that sets a fitted parameter itself keeps its own value: its effect is not erased.
expect 0 "compare --posterior, a what-if setting a fitted parameter" -- "$geosim" compare \
  "$src/scenarios/central_asia_2022.yaml" "$src/scenarios/whatif/russia_contracts.yaml" \
  --replicates 2 --posterior smoke.h5 -o rc.h5
contains err.txt "sets actors[RUS].growth itself: it keeps its own value" "warned"
/usr/bin/python3 - <<'PY' && pass || fail "the what-if's own change survives the posterior draws"
import h5py, numpy as np
f = h5py.File("rc.h5", "r")
assert np.abs(f["gdp_diff"][:, -1, :]).max() > 1.0, "gdp differences are all 0"
PY
expect 2 "--posterior of a non-calibration file" -- "$geosim" compare \
  "$src/scenarios/central_asia_2022.yaml" "$src/scenarios/whatif/us_doubles_security_aid.yaml" \
  --replicates 2 --posterior reps.h5 -o cmp2.h5
[ ! -e cmp2.h5 ] && pass || fail "nothing written after a bad --posterior"

# The analysis package from the source tree, run from the work folder (nothing is written to
# the source tree).
expect 0 "analysis plots the calibration file" -- env PYTHONPATH="$src" /usr/bin/python3 -m analysis \
  plot "$work/smoke.h5" -o "$work/fig"
[ -s "$work/fig/posterior_predictive.png" ] && [ -s "$work/fig/posterior_marginals.png" ] && pass \
  || fail "calibration figures"

echo "baseline_smoke_test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
