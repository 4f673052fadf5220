# Writes OUT (sim/core/version.cpp) from IN with the program's version and the commit of the
# source tree SRC, at every build rather than once at configure time: a rebuilt geosim must
# never claim the commit of an older build (the sweep plan hash relies on it, docs/sweeps.md).
# A tree with changes is "COMMIT-dirty.HASH", HASH naming the changes (the diff against the
# commit and the names of untracked files), so two different dirty builds differ too. Outside a
# git checkout the commit is "unknown". configure_file leaves OUT untouched when it would not
# change, so an unchanged tree recompiles nothing.
#
#   cmake -DSRC=... -DIN=... -DOUT=... -DPROJECT_VERSION=... -P version_file.cmake
execute_process(COMMAND git rev-parse --short=12 HEAD WORKING_DIRECTORY "${SRC}"
  OUTPUT_VARIABLE GEOSIM_GIT_COMMIT OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR NOT GEOSIM_GIT_COMMIT)
  set(GEOSIM_GIT_COMMIT "unknown")
else()
  execute_process(COMMAND git diff HEAD WORKING_DIRECTORY "${SRC}"
    OUTPUT_VARIABLE changes ERROR_QUIET)
  execute_process(COMMAND git ls-files --others --exclude-standard WORKING_DIRECTORY "${SRC}"
    OUTPUT_VARIABLE untracked ERROR_QUIET)
  if(changes OR untracked)
    string(SHA1 digest "${changes}${untracked}")
    string(SUBSTRING "${digest}" 0 8 digest)
    set(GEOSIM_GIT_COMMIT "${GEOSIM_GIT_COMMIT}-dirty.${digest}")
  endif()
endif()
configure_file("${IN}" "${OUT}" @ONLY)
