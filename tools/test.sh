#!/usr/bin/env bash
# Runs every test: installs what is missing, checks formatting, builds with warnings as errors
# (the `ci` preset: optimised, benchmarks built) and runs the tests, then builds with
# AddressSanitizer + UndefinedBehaviorSanitizer (the `dev` preset) and runs them again.
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
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --preset dev -j2
