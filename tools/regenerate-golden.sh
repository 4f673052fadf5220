#!/usr/bin/env bash
# Regenerates the golden files in tests/golden/ after an intended change of the model's results.
# Review `git diff tests/golden` before committing it.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset release >/dev/null
cmake --build --preset release --target test_golden
GEOSIM_REGENERATE_GOLDEN=1 build/release/tests/golden/test_golden
git --no-pager diff --stat -- tests/golden || true
