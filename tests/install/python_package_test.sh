#!/usr/bin/env bash
# The analysis package as pyproject.toml packages it: pip install --no-deps --no-build-isolation
# into a venv made with --system-site-packages (Debian's numpy, h5py, xarray, matplotlib, pandas;
# no PyPI), then `import analysis` and `python -m analysis report` from other folders. pip builds
# in the tree it is given (setuptools' build/ and *.egg-info), so it gets a copy of the files
# pyproject.toml packages, and the source tree is checked to have nothing new.
#
# Usage: python_package_test.sh SOURCE_DIR WORKDIR VERSION PYTHON RUN.h5
set -u
src=$1
work=$2
version=$3
python=$4
run=$5
source "$(dirname "${BASH_SOURCE[0]}")/../support/cli_lib.sh"
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
unset PYTHONPATH PIP_REQUIRE_VIRTUALENV
# No index (no internet, no PyPI), no cache in $HOME, no prompts.
export PIP_NO_INDEX=1 PIP_NO_CACHE_DIR=1 PIP_NO_INPUT=1 PIP_DISABLE_PIP_VERSION_CHECK=1

# What pip or setuptools could leave in the source tree.
artefacts() {
  find "$src" -maxdepth 3 -path "$src/.git" -prune -o \( -name '*.egg-info' -o -name 'bdist.*' \
    -o -path "$src/build/lib" -o -path "$src/build/python" -o -path "$src/dist" \) -print | sort
}
artefacts >artefacts_before.txt
# git's view of the same paths, ignored files included (others may edit the tree meanwhile:
# only what pip could write is compared).
git_status() {
  git -C "$src" status --porcelain --ignored --untracked-files=all -- ':(glob)*.egg-info' \
    ':(glob)analysis/**/*.egg-info' build/lib build/python dist 2>/dev/null
}
git_status >git_before.txt

# The files pyproject.toml packages (and nothing else of the repository).
mkdir -p pkgsrc
cp "$src/pyproject.toml" "$src/setup.cfg" pkgsrc/ && cp -R "$src/analysis" pkgsrc/ && pass ||
  fail "copy pyproject.toml, setup.cfg and analysis/"
rm -rf pkgsrc/analysis/__pycache__

expect 0 "python3 -m venv --system-site-packages" -- "$python" -m venv --system-site-packages venv
if [ ! -x venv/bin/python ]; then
  fail "no venv (Debian package python3-venv: bash tools/setup.sh)"
  echo "$passed passed, $failed failed"
  exit 1
fi
venv=$work/venv
expect 0 "pip is available in the venv" -- "$venv/bin/python" -m pip --version
[ "$failed" -eq 0 ] || echo "  (Debian packages python3-pip, python3-setuptools: bash tools/setup.sh)"
expect 0 "pip install --no-deps --no-build-isolation" -- \
  "$venv/bin/python" -m pip install --no-deps --no-build-isolation "$work/pkgsrc"
cp out.txt pip.log
contains pip.log "Successfully installed geosim-analysis-$version" "pip installed geosim-analysis $version"

# Imported from the venv's site-packages, from / (no analysis/ in the working folder).
expect 0 "import analysis from /" -- bash -c "cd / && '$venv/bin/python' -c 'import analysis; print(analysis.__file__)'"
site=$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
contains out.txt "$site/analysis/__init__.py" "analysis imported from the venv's site-packages"
# The distribution: the version of CMakeLists.txt's project(), and the analysis package alone.
expect 0 "the distribution's metadata" -- bash -c "cd / && '$venv/bin/python' - <<'PY'
import importlib.metadata as m
d = m.distribution('geosim-analysis')
print('version', d.version)
print('top_level', ' '.join(d.read_text('top_level.txt').split()))
others = sorted({f.parts[0] for f in d.files} - {'analysis'}
                - {p for p in {f.parts[0] for f in d.files} if p.endswith('.dist-info')})
print('others', others)
print('requires', sorted(d.requires or []))
PY"
contains out.txt "version $version" "geosim-analysis's version is the project's ($version)"
contains out.txt "top_level analysis" "the distribution's only top-level package is analysis"
contains out.txt "others []" "nothing but analysis/ and its .dist-info installed"
contains out.txt "h5py" "dependencies listed (h5py)"
[ ! -e "$site/sim" ] && [ ! -e "$site/tests" ] && [ ! -e "$site/build" ] && pass ||
  fail "sim/, tests/ or build/ packaged into site-packages"
[ -f "$site/analysis/README.md" ] && pass || fail "analysis/README.md installed as package data"

# The command, from a folder elsewhere, on a run file.
mkdir -p elsewhere && cd elsewhere || exit 1
expect 0 "python -m analysis --help" -- "$venv/bin/python" -m analysis --help
contains out.txt "report" "the command lists report"
expect 0 "python -m analysis report RUN.h5" -- "$venv/bin/python" -m analysis report "$run" -o report.html
[ -s report.html ] && pass || fail "report.html written"
contains report.html "central_asia_2022" "the report names the scenario"
expect 0 "python -m analysis plot RUN.h5 -o figs --only gdp" -- \
  "$venv/bin/python" -m analysis plot "$run" -o figs --only gdp --no-report
ls figs/*.png >/dev/null 2>&1 && pass || fail "plot wrote a figure"
cd "$work" || exit 1

# The source tree has nothing new: no build/, *.egg-info or bdist.* from pip or setuptools.
artefacts >artefacts_after.txt
if cmp -s artefacts_before.txt artefacts_after.txt; then pass; else
  fail "pip or setuptools wrote into the source tree: $(comm -13 artefacts_before.txt artefacts_after.txt | tr '\n' ' ')"
fi
git_status >git_after.txt
cmp -s git_before.txt git_after.txt && pass ||
  fail "git status shows new files from pip: $(diff git_before.txt git_after.txt | tail -3 | tr '\n' ' ')"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
