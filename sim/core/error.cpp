#include "core/error.hpp"

#include <sstream>

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

void Diagnostics::error(Location where, std::string key_path, std::string message) {
  items_.push_back({std::move(where), std::move(key_path), std::move(message)});
}

void Diagnostics::throw_if_any() const {
  if (!items_.empty()) throw InputError(items_);
}

}  // namespace geosim
