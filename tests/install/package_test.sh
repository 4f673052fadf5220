#!/usr/bin/env bash
# The installed tree and the Debian package of a build tree (cmake/Install.cmake): `cmake
# --install` into a scratch prefix, `cpack -G DEB`, the package's control fields and contents,
# its geosim on the installed scenarios (extracted with dpkg-deb -x: no root needed), the
# installed analysis package on its output, and find_package(geosim) from a small CMake project.
# Needs the build to exist (cpack and cmake --install build nothing).
#
# Usage: package_test.sh BUILD_DIR WORKDIR VERSION PYTHON CMAKE CPACK CTEST GENERATOR WITH_MPI WITH_ISAL
set -u
build=$1
work=$2
version=$3
python=$4
cmake=$5
cpack=$6
ctest=$7
generator=$8
with_mpi=$9
with_isal=${10}
source "$(dirname "${BASH_SOURCE[0]}")/../support/cli_lib.sh"
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
# What the calling environment may point elsewhere: the installed trees alone are under test.
unset PYTHONPATH CMAKE_PREFIX_PATH DESTDIR
export PYTHONDONTWRITEBYTECODE=1
on() { case "${1^^}" in ON | TRUE | YES | 1 | Y) return 0 ;; *) return 1 ;; esac; }
section() { echo "-- $*"; }

# ---- cmake --install ---------------------------------------------------------------------------
section "cmake --install $build --prefix $work/prefix"
prefix=$work/prefix
expect 0 "cmake --install" -- "$cmake" --install "$build" --prefix "$prefix"
for f in bin/geosim share/geosim/scenarios/central_asia_2022.yaml share/geosim/scenarios/sahel_2020.yaml \
  share/geosim/scenarios/whatif/us_stays_away.yaml share/geosim/scenarios/whatif/README.md \
  share/geosim/scenarios/sweeps/baseline_sobol.sweep.yaml \
  share/geosim/scenarios/calibration/central_asia.calib.yaml \
  share/geosim/scenarios/calibration/central_asia.targets.yaml \
  share/geosim/python/analysis/__init__.py share/geosim/python/analysis/__main__.py \
  share/geosim/slurm/submit_sweep.sh share/doc/geosim/README.md share/doc/geosim/docs/model.md \
  share/doc/geosim/docs/baseline_influence_shares.png share/doc/geosim/docs/data/sahel-2020-2024.md; do
  [ -f "$prefix/$f" ] && pass || fail "installed: $f"
done
[ -x "$prefix/bin/geosim" ] && pass || fail "bin/geosim is executable"
[ -x "$prefix/share/geosim/slurm/sweep_array.sbatch" ] && pass || fail "Slurm scripts are executable"
config=$(find "$prefix" -name geosimConfig.cmake)
case "$config" in
  "$prefix"/lib*/cmake/geosim/geosimConfig.cmake) pass ;;
  *) fail "geosimConfig.cmake under lib/cmake/geosim (found: '$config')" ;;
esac
cfgdir=$(dirname "${config:-/nonexistent/x}")
for f in geosimConfigVersion.cmake geosimTargets.cmake; do
  [ -f "$cfgdir/$f" ] && pass || fail "installed: $cfgdir/$f"
done
# Only the program: no static libraries, test or benchmark programs, build files or bytecode.
[ "$(ls "$prefix/bin")" = geosim ] && pass || fail "bin/ holds geosim only: $(ls "$prefix/bin" | tr '\n' ' ')"
find "$prefix" \( -name '*.a' -o -name '*.so*' -o -name CMakeLists.txt -o -name '*.in' \
  -o -name '*.cpp' -o -name '*.hpp' -o -name __pycache__ -o -name '*.pyc' -o -name '*.h5' \) >stray.txt
[ -s stray.txt ] && fail "stray files installed: $(head -5 stray.txt | tr '\n' ' ')" || pass
expect 0 "installed geosim --version" -- "$prefix/bin/geosim" --version
contains out.txt "geosim $version" "installed geosim prints the project's version"
if command -v readelf >/dev/null; then
  readelf -d "$prefix/bin/geosim" | grep -E 'R(UN)?PATH' | grep -qF "$build" &&
    fail "the installed geosim's RUNPATH points into the build tree" || pass
fi

# ---- cpack -G DEB ------------------------------------------------------------------------------
section "cpack -G DEB --config $build/CPackConfig.cmake"
command -v dpkg-deb >/dev/null && command -v dpkg-shlibdeps >/dev/null && pass ||
  fail "dpkg-deb and dpkg-shlibdeps needed (Debian package dpkg-dev: bash tools/setup.sh)"
expect 0 "cpack -G DEB" -- "$cpack" -G DEB --config "$build/CPackConfig.cmake" -B "$work/pkg"
cat out.txt err.txt >cpack.log
grep -i "warn" cpack.log | sed 's/^/  (cpack) /' | head -5
debs=("$work"/pkg/geosim_*.deb)
if [ "${#debs[@]}" -ne 1 ] || [ ! -f "${debs[0]}" ]; then
  fail "one geosim_*.deb in $work/pkg: ${debs[*]}"
  sed 's/^/  | /' cpack.log | tail -20
  echo "$passed passed, $failed failed"
  exit 1
fi
deb=${debs[0]}
pass
arch=$(dpkg --print-architecture 2>/dev/null || echo amd64)
[ "$(basename "$deb")" = "geosim_${version}_${arch}.deb" ] && pass ||
  fail "file name: $(basename "$deb"), expected geosim_${version}_${arch}.deb"
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = geosim ] && pass || fail "Package: '$(field Package)'"
[ "$(field Version)" = "$version" ] && pass || fail "Version: '$(field Version)', expected $version"
[ "$(field Architecture)" = "$arch" ] && pass || fail "Architecture: '$(field Architecture)'"
[ -n "$(field Maintainer)" ] && pass || fail "Maintainer is empty"
[ "$(field Section)" = science ] && pass || fail "Section: '$(field Section)'"
field Description >description.txt
contains description.txt "agent-based simulator" "Description has the summary"
contains description.txt "/usr/share/geosim/python" "Description says where the analysis package is"
depends=$(field Depends)
echo "Depends: $depends"
echo "$depends" >depends.txt
contains depends.txt "libhdf5" "Depends on HDF5"
contains depends.txt "libyaml-cpp" "Depends on yaml-cpp"
contains depends.txt "libyaml-0" "Depends on libyaml"
contains depends.txt "libboost-program-options" "Depends on Boost.Program_options"
contains depends.txt "libstdc++6" "Depends on libstdc++"
if on "$with_mpi"; then contains depends.txt "libopenmpi" "Depends on OpenMPI (MPI build)"; fi
if on "$with_isal"; then contains depends.txt "libisal" "Depends on ISA-L (ISA-L build)"; fi
field Recommends >recommends.txt
for p in python3-h5py python3-numpy python3-matplotlib python3-pandas python3-xarray python3-yaml; do
  contains recommends.txt "$p" "Recommends $p"
done
if on "$with_mpi"; then contains recommends.txt "openmpi-bin" "Recommends openmpi-bin (mpirun)"; fi
# Contents: everything under /usr, the program and the data; nothing of the build.
dpkg-deb -c "$deb" | awk '{print $6}' >contents.txt
for f in ./usr/bin/geosim ./usr/share/geosim/scenarios/central_asia_2022.yaml \
  ./usr/share/geosim/python/analysis/__init__.py ./usr/share/doc/geosim/README.md; do
  grep -qx -- "$f" contents.txt && pass || fail "package holds $f"
done
grep -q '^\./usr/lib.*/cmake/geosim/geosimConfig\.cmake$' contents.txt && pass ||
  fail "package holds lib/cmake/geosim/geosimConfig.cmake"
grep -v '^\./usr/\|^\./$' contents.txt >outside.txt
[ -s outside.txt ] && fail "files outside /usr: $(head -3 outside.txt | tr '\n' ' ')" || pass
grep -E '\.(a|so[.0-9]*|cpp|hpp|in|pyc|h5)$|/CMakeLists\.txt$|__pycache__' contents.txt >stray.txt
[ -s stray.txt ] && fail "stray files in the package: $(head -5 stray.txt | tr '\n' ' ')" || pass
# The maintainer scripts (byte-compile / clean the private Python package) are valid shell.
mkdir control && dpkg-deb -e "$deb" control/DEBIAN
for s in postinst prerm; do
  [ -x "control/DEBIAN/$s" ] && sh -n "control/DEBIAN/$s" && pass || fail "DEBIAN/$s executable, valid sh"
done
contains control/DEBIAN/postinst "/usr/share/geosim/python" "postinst compiles /usr/share/geosim/python"

# ---- the package's geosim, scenarios and analysis package (dpkg-deb -x: no root needed) -------
section "dpkg-deb -x into $work/root"
root=$work/root
expect 0 "dpkg-deb -x" -- dpkg-deb -x "$deb" "$root"
geosim=$root/usr/bin/geosim
scen=$root/usr/share/geosim/scenarios
mkdir run && cd run || exit 1
expect 0 "packaged geosim --version" -- "$geosim" --version
contains out.txt "geosim $version" "packaged geosim prints the project's version"
expect 0 "packaged geosim --help" -- "$geosim" --help
contains out.txt "validate SCENARIO" "packaged geosim's help lists its commands"
expect 0 "packaged geosim run (embedded baseline)" -- "$geosim" run -o out.h5 -q
[ -s out.h5 ] && pass || fail "packaged geosim wrote out.h5"
# Every installed scenario validates where it is installed: the what-ifs' `extends: ../...`
# resolve within the installed tree.
n=0
for f in "$scen"/*.yaml "$scen"/whatif/*.yaml; do
  expect 0 "validate installed ${f#"$scen"/}" -- "$geosim" validate "$f"
  n=$((n + 1))
done
[ "$n" -ge 12 ] && pass || fail "only $n scenarios installed"
expect 0 "run an installed what-if" -- "$geosim" run "$scen/whatif/us_stays_away.yaml" -o whatif.h5 -q
expect 0 "plan the installed sweep (its scenario: ../central_asia_2022.yaml)" -- \
  "$geosim" sweep plan "$scen/sweeps/baseline_sobol.sweep.yaml" -d sobol.sweep
# The installed analysis package, on the packaged geosim's output, from a folder without it.
pyroot=$root/usr/share/geosim/python
expect 0 "import the installed analysis package" -- \
  env PYTHONPATH="$pyroot" "$python" -c "import analysis; print(analysis.__file__)"
contains out.txt "$pyroot/analysis/__init__.py" "analysis imported from the package's tree"
expect 0 "python3 -m analysis report (installed package)" -- \
  env PYTHONPATH="$pyroot" "$python" -m analysis report out.h5 -o report.html
[ -s report.html ] && pass || fail "report.html written"
contains report.html "central_asia_2022" "the report names the scenario"
cd "$work" || exit 1
# The maintainer scripts on the extracted tree (their /usr made $root/usr): postinst leaves
# bytecode of every module, prerm none (dpkg would leave it behind otherwise).
if command -v py3compile >/dev/null && command -v py3clean >/dev/null; then
  find "$pyroot" -name __pycache__ -prune -exec rm -rf {} +
  sed "s|/usr/share/geosim/python|$pyroot|g" control/DEBIAN/postinst >postinst.sh
  sed "s|/usr/share/geosim/python|$pyroot|g" control/DEBIAN/prerm >prerm.sh
  expect 0 "postinst configure" -- sh postinst.sh configure
  npy=$(find "$pyroot" -name '*.py' | wc -l)
  npyc=$(find "$pyroot" -name '*.pyc' | wc -l)
  [ "$npyc" -ge "$npy" ] && [ "$npy" -gt 0 ] && pass || fail "postinst compiled $npyc of $npy modules"
  expect 0 "prerm remove" -- sh prerm.sh remove
  [ -z "$(find "$pyroot" -name '*.pyc' -o -name __pycache__)" ] && pass || fail "prerm left bytecode"
fi

# ---- find_package(geosim CONFIG REQUIRED) ------------------------------------------------------
section "find_package(geosim) from a CMake project"
mkdir -p consumer
cat >consumer/CMakeLists.txt <<'CMAKE'
cmake_minimum_required(VERSION 3.22)
project(geosim_consumer NONE)
find_package(geosim @VERSION@ CONFIG REQUIRED)
message(STATUS "consumer: geosim ${geosim_VERSION} at ${geosim_EXECUTABLE}, scenarios ${geosim_SCENARIOS_DIR}, python ${geosim_PYTHONPATH}")
get_target_property(kind geosim::geosim TYPE)
get_target_property(imported geosim::geosim IMPORTED)
message(STATUS "consumer: geosim::geosim is ${kind}, imported ${imported}")
# A custom command running the imported program: its output is a build product.
add_custom_command(OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/baseline.h5
  COMMAND geosim::geosim run -o ${CMAKE_CURRENT_BINARY_DIR}/baseline.h5 --force -q
  COMMENT "geosim run" VERBATIM)
add_custom_target(baseline ALL DEPENDS ${CMAKE_CURRENT_BINARY_DIR}/baseline.h5)
add_custom_target(geosim_version COMMAND $<TARGET_FILE:geosim::geosim> --version VERBATIM)
enable_testing()
add_test(NAME geosim_version COMMAND geosim::geosim --version)
set_tests_properties(geosim_version PROPERTIES PASS_REGULAR_EXPRESSION "geosim ${geosim_VERSION}")
add_test(NAME geosim_help COMMAND geosim::geosim --help)
add_test(NAME validate_sahel COMMAND geosim::geosim validate ${geosim_SCENARIOS_DIR}/sahel_2020.yaml)
CMAKE
sed -i "s/@VERSION@/$version/" consumer/CMakeLists.txt
# Against the `cmake --install` prefix, and the package's tree (relocated from /usr).
for tree in "$prefix" "$root/usr"; do
  b=$work/consumer_build_$(basename "$tree")
  expect 0 "configure against $tree" -- "$cmake" -S consumer -B "$b" -G "$generator" \
    -DCMAKE_PREFIX_PATH="$tree" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF
  contains out.txt "consumer: geosim $version at $tree/bin/geosim" "geosim::geosim found in $tree"
  contains out.txt "geosim::geosim is EXECUTABLE, imported TRUE" "an imported executable"
  contains out.txt "scenarios $tree/share/geosim/scenarios" "geosim_SCENARIOS_DIR in $tree"
  expect 0 "build the custom commands ($tree)" -- "$cmake" --build "$b"
  [ -s "$b/baseline.h5" ] && pass || fail "the custom command wrote baseline.h5 ($tree)"
  expect 0 "custom target running \$<TARGET_FILE:geosim::geosim>" -- "$cmake" --build "$b" --target geosim_version
  contains out.txt "geosim $version" "the custom target ran the imported geosim"
  (cd "$b" && "$ctest" --output-on-failure) >out.txt 2>err.txt && pass || {
    fail "the consumer's tests ($tree)"
    sed 's/^/  | /' out.txt | tail -8
  }
done
# A version it does not satisfy is refused (geosimConfigVersion.cmake).
sed "s/find_package(geosim $version CONFIG REQUIRED)/find_package(geosim 99.0 CONFIG REQUIRED)/" \
  consumer/CMakeLists.txt >consumer/CMakeLists.new && mv consumer/CMakeLists.new consumer/CMakeLists.txt
expect 1 "find_package(geosim 99.0) is refused" -- "$cmake" -S consumer -B "$work/consumer_build_v99" \
  -G "$generator" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF
contains err.txt "requested version \"99.0\"" "the refusal names the version"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
