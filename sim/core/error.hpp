#pragma once
#include <stdexcept>
#include <string>
#include <vector>

namespace geosim {

/// Where something came from: a file (or "<command line>") with 1-based line and column.
/// line == 0 means "the file as a whole".
struct Location {
  std::string file;
  int line = 0;
  int column = 0;
  std::string str() const;
};

/// One problem with the user's input: where, which key path, and what was expected.
struct Diagnostic {
  Location where;
  std::string key_path;  ///< e.g. "actors[TJK].gdp"
  std::string message;   ///< the rule broken and what was expected
  std::string str() const;
  /// The same as a warning: "FILE:LINE:COL: warning at 'KEY.PATH': message".
  std::string warning_str() const;
};

/// Bad input (scenario, command line, output file of the wrong layout). Carries every problem
/// found, so the user can fix them all at once. Maps to exit code 2.
class InputError : public std::runtime_error {
 public:
  explicit InputError(std::vector<Diagnostic> diagnostics);
  InputError(Location where, std::string key_path, std::string message);
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

 private:
  std::vector<Diagnostic> diagnostics_;
};

/// An input file that cannot be read as what it should be: missing, a folder, empty, truncated,
/// damaged, of another kind, or holding values out of their documented range. One line,
/// "FILE: MESSAGE"; maps to exit code 2. Every reader of a geosim file throws this (or
/// InputError) and nothing else on any content of the file.
class FileError : public std::runtime_error {
 public:
  FileError(const std::string& file, const std::string& message);
  const std::string& file() const { return file_; }

 private:
  std::string file_;
};

/// An output that could not be written (disk full, quota, I/O error, permission lost mid-way).
/// Its temporary file has been removed and nothing is under the final name. Maps to exit code 5.
class WriteError : public std::runtime_error {
 public:
  WriteError(const std::string& file, const std::string& message);
  const std::string& file() const { return file_; }

 private:
  std::string file_;
};

/// "damaged: its WHAT does not load (FIRST PROBLEM)".
std::string stored_text_message(const std::string& what, const InputError& e);

/// Runs `parse`, which reads text stored inside the file `file` (a checkpoint's scenario history,
/// a calibration's scenario): an InputError there means the file is damaged, so it becomes a
/// FileError naming the file, with the first problem.
template <class F>
auto parse_stored(const std::string& file, const std::string& what, F&& parse)
    -> decltype(parse()) {
  try {
    return parse();
  } catch (const InputError& e) {
    throw FileError(file, stored_text_message(what, e));
  }
}

/// Collects diagnostics while parsing continues, then throws them together.
class Diagnostics {
 public:
  void error(Location where, std::string key_path, std::string message);
  bool empty() const { return items_.empty(); }
  std::size_t size() const { return items_.size(); }
  /// Throws InputError if anything was collected.
  void throw_if_any() const;

 private:
  std::vector<Diagnostic> items_;
};

}  // namespace geosim
