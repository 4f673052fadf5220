#pragma once
/// What every harness of tests/fuzz shares: a private temp folder (the readers and loaders take
/// paths, not bytes), the split of an input into parts, and the contract every reader and loader
/// must keep on any bytes: return normally or throw InputError or FileError (core/error.hpp).
#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>
#include <string_view>
#include <typeinfo>
#include <vector>

#include "core/error.hpp"

namespace geosim::fuzz {

/// A folder of this process's own, made on first use and removed at exit: under /dev/shm when
/// it can be (files in memory, so an execution costs no disk I/O), else $TMPDIR or /tmp.
const std::string& temp_dir();

/// Writes `bytes` to temp_dir()/name (replacing it) and returns the path.
std::string write_temp(const std::string& name, std::string_view bytes);

/// Copies, once, the shipped files that sweep and calibration files name into temp_dir(), so
/// that relative paths in an input reach them: scenarios/small_test_v2.yaml,
/// scenarios/central_asia_2022.yaml and scenarios/calibration/central_asia.targets.yaml, each
/// under its own file name (make_seeds.sh rewrites the seeds' paths to match).
void add_shipped_files();

/// The input as text.
inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// Splits `text` on lines holding exactly "%%%" into at most `max_parts` parts (the last part
/// keeps any further separators). "%%%" is not YAML a user would write, so a shipped file is a
/// one-part input as it is.
std::vector<std::string_view> split_parts(std::string_view text, std::size_t max_parts);

/// The non-empty lines of `text`, at most `max_lines` of them.
std::vector<std::string> lines(std::string_view text, std::size_t max_lines);

/// The folder of generated seed files (tests/fuzz/make_seeds.sh): $GEOSIM_FUZZ_SEEDS, else the
/// build's default. Harnesses that need a companion file (a sweep plan) read it from here.
std::string seeds_dir();

/// Prints that `what` broke the contract (`detail` says how) and aborts: a finding.
[[noreturn]] void finding(const char* what, const std::string& detail);

/// Runs `f` under the contract: returns if it returned or threw InputError or FileError; any
/// other exception is a finding (its type and what() are printed, then abort()).
template <class F>
void expect_contract(const char* what, F&& f) {
  try {
    f();
  } catch (const InputError&) {
    // Bad input reported as such: the contract.
  } catch (const FileError&) {
    // A damaged or foreign file reported as such: the contract.
  } catch (const std::exception& e) {
    finding(what, std::string("escaped exception ") + typeid(e).name() + ": " + e.what());
  } catch (...) {
    finding(what, "escaped a non-std exception");
  }
}

}  // namespace geosim::fuzz
