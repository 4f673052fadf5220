# Writes OUT (sim/core/version.cpp) from IN with the program's version and the commit of the
# source tree SRC, at every build rather than once at configure time: a rebuilt geosim must
# never claim the commit of an older build (the sweep plan hash relies on it, docs/sweeps.md).
# A tree whose sources differ from the commit is "COMMIT-dirty.HASH", HASH naming the changes:
# the diff of the tracked files against the commit (plain git diff, whatever the user's git
# configuration) and the contents of untracked files in the folders that are compiled or
# embedded (sim/, scenarios/, cmake/). Other untracked files (Slurm logs, outputs) do not
# count. Outside a git checkout of SRC itself (a tarball, even one unpacked inside another
# repository) the commit is "unknown". configure_file leaves OUT untouched when it would not
# change, so an unchanged tree recompiles nothing.
#
#   cmake -DSRC=... -DIN=... -DOUT=... -DPROJECT_VERSION=... -P version_file.cmake
set(GEOSIM_GIT_COMMIT "unknown")
execute_process(COMMAND git rev-parse --show-toplevel WORKING_DIRECTORY "${SRC}"
  OUTPUT_VARIABLE top OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE rc)
if(rc EQUAL 0)
  get_filename_component(top "${top}" REALPATH)
  get_filename_component(src "${SRC}" REALPATH)
endif()
if(rc EQUAL 0 AND top STREQUAL src)
  execute_process(COMMAND git rev-parse --short=12 HEAD WORKING_DIRECTORY "${SRC}"
    OUTPUT_VARIABLE commit OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE rc1)
  execute_process(
    COMMAND git diff --no-ext-diff --no-textconv --no-color --binary HEAD
    WORKING_DIRECTORY "${SRC}" OUTPUT_VARIABLE changes ERROR_QUIET RESULT_VARIABLE rc2)
  execute_process(
    COMMAND git ls-files --others --exclude-standard -- sim scenarios cmake
    WORKING_DIRECTORY "${SRC}" OUTPUT_VARIABLE untracked ERROR_QUIET RESULT_VARIABLE rc3)
  if(rc1 EQUAL 0 AND rc2 EQUAL 0 AND rc3 EQUAL 0 AND commit)
    set(GEOSIM_GIT_COMMIT "${commit}")
    string(REPLACE "\n" ";" untracked "${untracked}")
    foreach(f IN LISTS untracked)
      if(f)
        file(SHA1 "${SRC}/${f}" digest)
        string(APPEND changes "untracked ${f} ${digest}\n")
      endif()
    endforeach()
    if(changes)
      string(SHA1 digest "${changes}")
      string(SUBSTRING "${digest}" 0 8 digest)
      set(GEOSIM_GIT_COMMIT "${commit}-dirty.${digest}")
    endif()
  endif()
endif()
configure_file("${IN}" "${OUT}" @ONLY)
