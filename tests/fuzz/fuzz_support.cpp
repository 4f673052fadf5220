#include "fuzz_support.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace fs = std::filesystem;

namespace geosim::fuzz {

namespace {

std::string make_temp_dir() {
  std::string base = "/dev/shm";
  if (::access(base.c_str(), W_OK) != 0) {
    const char* tmp = std::getenv("TMPDIR");
    base = tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
  }
  std::string templ = base + "/geosim-fuzz-XXXXXX";
  if (::mkdtemp(templ.data()) == nullptr) {
    std::perror(("fuzz: cannot make a folder in " + base).c_str());
    std::abort();
  }
  return templ;
}

// Removed at exit, so long runs and ctest leave nothing behind (a crash leaves the folder, with
// the input that caused it, which helps).
std::string* g_dir = nullptr;
void remove_dir() {
  std::error_code ec;
  if (g_dir != nullptr) fs::remove_all(*g_dir, ec);
}

}  // namespace

const std::string& temp_dir() {
  if (g_dir == nullptr) {
    g_dir = new std::string(make_temp_dir());
    std::atexit(remove_dir);
  }
  return *g_dir;
}

void add_shipped_files() {
  static const bool done = [] {
    for (const char* f : {"small_test_v2.yaml", "central_asia_2022.yaml",
                          "calibration/central_asia.targets.yaml"}) {
      const fs::path from = fs::path(GEOSIM_SOURCE_DIR) / "scenarios" / f;
      fs::copy_file(from, fs::path(temp_dir()) / from.filename(),
                    fs::copy_options::overwrite_existing);
    }
    return true;
  }();
  (void)done;
}

std::string write_temp(const std::string& name, std::string_view bytes) {
  const std::string path = temp_dir() + "/" + name;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) {
    std::fprintf(stderr, "fuzz: cannot write %s\n", path.c_str());
    std::abort();
  }
  return path;
}

std::vector<std::string_view> split_parts(std::string_view text, std::size_t max_parts) {
  std::vector<std::string_view> parts;
  std::size_t start = 0, line = 0;
  while (parts.size() + 1 < max_parts && line <= text.size()) {
    std::size_t end = text.find('\n', line);
    if (end == std::string_view::npos) end = text.size();
    if (text.substr(line, end - line) == "%%%") {
      parts.push_back(text.substr(start, line - start));
      start = std::min(end + 1, text.size());
    }
    line = end + 1;
  }
  parts.push_back(text.substr(start));
  return parts;
}

std::vector<std::string> lines(std::string_view text, std::size_t max_lines) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < text.size() && out.size() < max_lines) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    if (end > pos) out.emplace_back(text.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

std::string seeds_dir() {
  const char* env = std::getenv("GEOSIM_FUZZ_SEEDS");
  return env != nullptr && *env != '\0' ? env : GEOSIM_FUZZ_DEFAULT_SEEDS;
}

void finding(const char* what, const std::string& detail) {
  std::fprintf(stderr, "fuzz: %s broke the contract: %s\n", what, detail.c_str());
  std::fflush(stderr);
  std::abort();
}

}  // namespace geosim::fuzz
