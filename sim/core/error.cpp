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

std::string Diagnostic::str() const {
  std::string s = where.str() + ": error";
  if (!key_path.empty()) s += " at '" + key_path + "'";
  return s + ": " + message;
}

std::string Diagnostic::warning_str() const {
  std::string s = where.str() + ": warning";
  if (!key_path.empty()) s += " at '" + key_path + "'";
  return s + ": " + message;
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
    : std::runtime_error(concat({file, ": ", message})), file_(file) {}

WriteError::WriteError(const std::string& file, const std::string& message)
    : std::runtime_error(concat({"cannot write ", file, ": ", message})), file_(file) {}

std::string stored_text_message(const std::string& what, const InputError& e) {
  return concat({"damaged: its ", what, " does not load (", e.diagnostics().front().str(), ")"});
}

void Diagnostics::error(Location where, std::string key_path, std::string message) {
  items_.push_back({std::move(where), std::move(key_path), std::move(message)});
}

void Diagnostics::throw_if_any() const {
  if (!items_.empty()) throw InputError(items_);
}

}  // namespace geosim
