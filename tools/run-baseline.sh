#!/usr/bin/env bash
# The main job: installs what is missing, builds geosim (release), runs the default scenario
# (the 2022 Central Asia baseline) and plots it. Output, side by side in out/:
# central_asia_2022.h5, its figures figures/*.png and their one-page report
# figures/report.html. Reruns replace the previous out/ files of this script.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release --target geosim
mkdir -p out
build/release/bin/geosim run -o out/central_asia_2022.h5 --force
build/release/bin/geosim info out/central_asia_2022.h5
/usr/bin/python3 -m analysis plot out/central_asia_2022.h5 -o out/figures
echo "run-baseline: figures and report in out/figures/ (open out/figures/report.html)" >&2
