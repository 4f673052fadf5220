#include "core/error.hpp"

#include <initializer_list>
#include <sstream>
#include <string_view>

namespace geosim {

std::string Location::str() const {
  std::ostringstream s;
  s << (file.empty() ? "<input>" : file);
  if (line > 0) s << ':' << line << ':' << column;
  return s.str();
}

namespace {

/// A key path or message quoting a huge value (a 1 MB cell, a 100 kB --set) is cut, so an error
/// stays a line a terminal can show.
std::string capped(const std::string& s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xc0) == 0x80) --cut;  // whole chars
  return s.substr(0, cut) + "... (" + std::to_string(s.size() - cut) + " more bytes)";
}
constexpr std::size_t kMaxKeyPath = 200, kMaxMessage = 1000;

}  // namespace

std::string Diagnostic::str() const {
  std::string s = where.str() + ": error";
  if (!key_path.empty()) s += " at '" + capped(key_path, kMaxKeyPath) + "'";
  return s + ": " + capped(message, kMaxMessage);
}

std::string Diagnostic::warning_str() const {
  std::string s = where.str() + ": warning";
  if (!key_path.empty()) s += " at '" + capped(key_path, kMaxKeyPath) + "'";
  return s + ": " + capped(message, kMaxMessage);
}

static std::string join(const std::vector<Diagnostic>& ds) {
  std::string s;
  for (const auto& d : ds) {
    if (!s.empty()) s += '\n';
    s += d.str();
  }
  return s;
}

InputError::InputError(std::vector<Diagnostic> diagnostics)
    : std::runtime_error(join(diagnostics)), diagnostics_(std::move(diagnostics)) {}

InputError::InputError(Location where, std::string key_path, std::string message)
    : InputError(
          std::vector<Diagnostic>{{std::move(where), std::move(key_path), std::move(message)}}) {}

static std::string concat(std::initializer_list<std::string_view> parts) {
  std::string s;
  for (std::string_view p : parts) s.append(p);
  return s;
}

FileError::FileError(const std::string& file, const std::string& message)
    : std::runtime_error(concat({file, ": ", message.substr(0, 2000)})), file_(file) {}

WriteError::WriteError(const std::string& file, const std::string& message)
    : std::runtime_error(concat({"cannot write ", file, ": ", message.substr(0, 2000)})),
      file_(file) {}

std::string stored_text_message(const std::string& what, const InputError& e) {
  return concat({"damaged: its ", what, " does not load (", e.diagnostics().front().str(), ")"});
}

void Diagnostics::error(Location where, std::string key_path, std::string message) {
  if (items_.size() < kMaxDiagnostics)
    items_.push_back({std::move(where), std::move(key_path), std::move(message)});
  else
    ++dropped_;
}

void Diagnostics::throw_if_any() const {
  if (items_.empty()) return;
  if (dropped_ == 0) throw InputError(items_);
  std::vector<Diagnostic> all = items_;
  all.push_back({items_.back().where, "",
                 "and " + std::to_string(dropped_) + " more problems like these (only the first " +
                     std::to_string(kMaxDiagnostics) + " are shown)"});
  throw InputError(std::move(all));
}

}  // namespace geosim
