# Install rules and packages (included at the end of the top-level CMakeLists.txt).
#
#   cmake --install BUILD --prefix PREFIX          # or -DCMAKE_INSTALL_PREFIX=... at configure
#   cmake --build BUILD --target package           # geosim_VERSION_ARCH.deb and a .tar.gz
#   cpack -G DEB --config BUILD/CPackConfig.cmake  # the .deb alone
#
# installs, under PREFIX (GNUInstallDirs):
#   bin/geosim                            the only program (the baseline scenario is embedded;
#                                         nothing at run time reads the source tree)
#   share/geosim/scenarios/               the shipped scenarios, with their layout: the what-ifs
#                                         (`extends: ../central_asia_2022.yaml`), the sweep and
#                                         the calibration refer to each other by relative paths
#   share/geosim/python/analysis/         the Python package: PYTHONPATH=PREFIX/share/geosim/python
#                                         python3 -m analysis ...
#   share/geosim/slurm/                   tools/slurm's scripts (they run `geosim` from PATH,
#                                         or $GEOSIM)
#   share/doc/geosim/                     README.md and docs/
#   lib/cmake/geosim/                     the CMake package: find_package(geosim CONFIG) gives
#                                         the imported executable geosim::geosim
# The static libraries, the tests and the benchmarks are not installed.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(GEOSIM_INSTALL_DATADIR "${CMAKE_INSTALL_DATADIR}/geosim")
set(GEOSIM_INSTALL_SCENARIOSDIR "${GEOSIM_INSTALL_DATADIR}/scenarios")
set(GEOSIM_INSTALL_PYTHONDIR "${GEOSIM_INSTALL_DATADIR}/python")
set(GEOSIM_INSTALL_EXECUTABLE "${CMAKE_INSTALL_BINDIR}/geosim")
set(GEOSIM_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/geosim" CACHE STRING
  "Where geosim's CMake package (geosimConfig.cmake) is installed, relative to the prefix")
mark_as_advanced(GEOSIM_INSTALL_CMAKEDIR)

install(TARGETS geosim EXPORT geosimTargets RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# Scenarios: the YAML files and the what-ifs' README; not the build's files (CMakeLists.txt,
# baseline_scenario.*). small_test*.yaml are test scenarios that docs/scenario-format.md ships
# as its complete examples, so they are installed too.
install(DIRECTORY scenarios/ DESTINATION ${GEOSIM_INSTALL_SCENARIOSDIR}
  FILES_MATCHING PATTERN "*.yaml" PATTERN "*.md")

install(DIRECTORY analysis DESTINATION ${GEOSIM_INSTALL_PYTHONDIR}
  FILES_MATCHING PATTERN "*.py" PATTERN "README.md"
  PATTERN "__pycache__" EXCLUDE)

install(PROGRAMS tools/slurm/submit_sweep.sh tools/slurm/sweep_array.sbatch
                 tools/slurm/sweep_merge.sbatch tools/slurm/sweep_mpi.sbatch
                 tools/slurm/calibrate.sbatch
  DESTINATION ${GEOSIM_INSTALL_DATADIR}/slurm)

install(FILES README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY docs DESTINATION ${CMAKE_INSTALL_DOCDIR}
  FILES_MATCHING PATTERN "*.md" PATTERN "*.png" PATTERN "*.svg")

# The CMake package: geosimTargets.cmake (geosim::geosim), geosimConfig.cmake (it and the paths
# above), geosimConfigVersion.cmake. A program's version check does not depend on the
# consumer's pointer size (ARCH_INDEPENDENT); 0.x releases are compatible within a minor one.
install(EXPORT geosimTargets NAMESPACE geosim:: DESTINATION ${GEOSIM_INSTALL_CMAKEDIR})
configure_package_config_file(cmake/geosimConfig.cmake.in
  ${PROJECT_BINARY_DIR}/cmake/geosimConfig.cmake
  INSTALL_DESTINATION ${GEOSIM_INSTALL_CMAKEDIR}
  PATH_VARS GEOSIM_INSTALL_EXECUTABLE GEOSIM_INSTALL_SCENARIOSDIR GEOSIM_INSTALL_PYTHONDIR)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/cmake/geosimConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion ARCH_INDEPENDENT)
install(FILES ${PROJECT_BINARY_DIR}/cmake/geosimConfig.cmake
              ${PROJECT_BINARY_DIR}/cmake/geosimConfigVersion.cmake
  DESTINATION ${GEOSIM_INSTALL_CMAKEDIR})

# ---- CPack: a Debian package (and a .tar.gz of the same tree) --------------------------------
set(GEOSIM_PACKAGE_MAINTAINER
  "geosim maintainers <maintainers@users.noreply.r-seed-9c020a2d.example>" CACHE STRING
  "The Maintainer field of the Debian package")
set(GEOSIM_PACKAGE_HOMEPAGE "" CACHE STRING
  "The Homepage field of the Debian package (no field when empty)")
mark_as_advanced(GEOSIM_PACKAGE_MAINTAINER GEOSIM_PACKAGE_HOMEPAGE)

set(CPACK_PACKAGE_NAME geosim)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_VERBATIM_VARIABLES ON)  # the values below are written to CPackConfig.cmake as they are
set(CPACK_PACKAGE_VENDOR "geosim maintainers")
set(CPACK_PACKAGE_CONTACT "${GEOSIM_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "agent-based simulator of geopolitical influence")
# The Debian Description's lines (CPack indents them); keep them under 80 characters.
string(JOIN "\n" CPACK_PACKAGE_DESCRIPTION
  "States are agents; each turn they exchange economic and security aid, hold"
  "exercises and apply sanctions, and geosim updates the flows, dependence,"
  "influence and alignment between them. Scenarios are YAML; outputs are HDF5"
  "files that h5py and xarray open with named dimensions: runs, replicates,"
  "what-if comparisons, sweeps (threads, Slurm job arrays, MPI) and calibrations."
  "The shipped scenarios are in /usr/share/geosim/scenarios; the Python analysis"
  "package (figures, HTML reports, CSV tables) is in /usr/share/geosim/python:"
  "PYTHONPATH=/usr/share/geosim/python python3 -m analysis plot OUT.h5")
set(CPACK_PACKAGE_INSTALL_DIRECTORY geosim)
set(CPACK_GENERATOR DEB TGZ)
set(CPACK_STRIP_FILES ON)  # Debian ships stripped programs
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # geosim_VERSION_ARCH.deb
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${GEOSIM_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
if(GEOSIM_PACKAGE_HOMEPAGE)
  set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${GEOSIM_PACKAGE_HOMEPAGE}")
endif()
# Depends: the shared libraries geosim links (libhdf5, yaml-cpp, libyaml, Boost.Program_options,
# zlib, ISA-L and OpenMPI when built with them), found by dpkg-shlibdeps (dpkg-dev).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# The analysis package's Python modules (analysis/README.md); hdf5-tools to look into outputs.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "python3, python3-numpy, python3-h5py, python3-xarray, \
python3-pandas, python3-matplotlib, python3-yaml, python3-netcdf4 | python3-h5netcdf")
# python3-sklearn: CART in `python3 -m analysis discover` (left out, said, without it);
# chromium: the brief's PDF and the tests of the explorer page.
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "hdf5-tools, python3-sklearn, chromium")
if(GEOSIM_WITH_MPI)
  # mpirun, for `geosim sweep run --mpi` and `geosim calibrate --mpi`.
  string(APPEND CPACK_DEBIAN_PACKAGE_RECOMMENDS ", openmpi-bin")
  string(APPEND CPACK_DEBIAN_PACKAGE_SUGGESTS ", slurm-client")
endif()
# Byte-compile the private Python package at installation, remove its bytecode at removal.
set(GEOSIM_DEB_PYTHONDIR "/usr/${GEOSIM_INSTALL_PYTHONDIR}")  # the .deb installs in /usr
foreach(script postinst prerm)
  configure_file(cmake/debian/${script}.in ${PROJECT_BINARY_DIR}/cpack/debian/${script} @ONLY
    FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
                     WORLD_READ WORLD_EXECUTE)
  list(APPEND CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${PROJECT_BINARY_DIR}/cpack/debian/${script})
endforeach()
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

# `package_source`: the sources, without build trees, outputs or Python bytecode.
string(REGEX REPLACE "([][+.*()^$?|\\\\])" "\\\\\\1" geosim_src_regex "${PROJECT_SOURCE_DIR}")
set(CPACK_SOURCE_GENERATOR TGZ)
set(CPACK_SOURCE_IGNORE_FILES "/\\.git/" "^${geosim_src_regex}/build[^/]*/"
  "^${geosim_src_regex}/out/" "^${geosim_src_regex}/results/" "__pycache__" "\\.pyc$"
  "\\.egg-info/" "\\.h5$" "\\.tmp$")

include(CPack)
