#!/usr/bin/env bash
# Runs every test: installs what is missing, checks formatting, builds with warnings as errors
# (the `ci` preset: optimised, benchmarks built) and runs the tests, then builds with
# AddressSanitizer + UndefinedBehaviorSanitizer (the `dev` preset) and runs them again; where
# clang 16 is installed (tools/setup.sh installs it), a fuzz smoke runs before the sanitizer
# build's tests: each libFuzzer harness for FUZZ_SMOKE_SECONDS (default 8, with a fixed seed so that it repeats; 0 skips it).
# The last line is ctest's summary of the sanitizer run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
echo "== clang-format check" >&2
git ls-files '*.cpp' '*.hpp' '*.in' | grep -E '\.(cpp|hpp)$' | xargs clang-format --dry-run --Werror
echo "== ci build (warnings are errors)" >&2
cmake --preset ci >/dev/null
cmake --build --preset ci
ctest --preset ci -j2
echo "== sanitizer build (ASan + UBSan)" >&2
cmake --preset dev >/dev/null
cmake --build --preset dev
# A fuzz finding fails the run, but only after the sanitizer tests, so that ctest's summary
# stays the last line.
fuzz_status=0
if command -v clang++-16 >/dev/null && [ "${FUZZ_SMOKE_SECONDS:-8}" != 0 ]; then
  echo "== fuzz smoke (${FUZZ_SMOKE_SECONDS:-8} s per harness)" >&2
  FUZZ_SEED=1 FUZZ_SUPPRESS_HDF5_LEAKS=1 bash tools/fuzz.sh all "${FUZZ_SMOKE_SECONDS:-8}" >&2 ||
    fuzz_status=$?
else
  echo "== fuzz smoke skipped (no clang++-16, or FUZZ_SMOKE_SECONDS=0)" >&2
fi
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --preset dev -j2
exit $fuzz_status
