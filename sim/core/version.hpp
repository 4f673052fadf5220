#pragma once
#include <string_view>

namespace geosim {
/// Program version (from CMake's project version) and the git commit it was built from.
std::string_view version();
std::string_view git_commit();
}  // namespace geosim
