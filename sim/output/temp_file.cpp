#include "output/temp_file.hpp"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <filesystem>

namespace geosim {

std::string host_name() {
  char host[256] = {0};
  if (::gethostname(host, sizeof host - 1) != 0) host[0] = 0;
  return host;
}

namespace {

/// True while a process of this host with that id runs (or exists but is not ours to signal).
bool alive(long pid) {
  return pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM);
}

}  // namespace

std::string temp_name(const std::string& final_name) {
  return final_name + ".tmp." + host_name() + "." + std::to_string(::getpid());
}

std::vector<std::string> remove_stale_temps(const std::string& prefix) {
  namespace fs = std::filesystem;
  std::vector<std::string> removed;
  const bool folder = !prefix.empty() && prefix.back() == '/';
  const fs::path dir = folder ? fs::path(prefix) : fs::path(prefix).parent_path();
  const std::string stem = folder ? std::string() : fs::path(prefix).filename().string();
  const std::string mark = ".tmp." + host_name() + ".";
  std::error_code ec;
  for (fs::directory_iterator it(dir.empty() ? fs::path(".") : dir, ec), end; !ec && it != end;
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    const auto at = name.rfind(mark);
    if (at == std::string::npos || (!folder && name.substr(0, at) != stem)) continue;
    const std::string digits = name.substr(at + mark.size());
    long pid = 0;
    const auto r = std::from_chars(digits.data(), digits.data() + digits.size(), pid);
    if (r.ec != std::errc{} || r.ptr != digits.data() + digits.size() || alive(pid)) continue;
    std::error_code rm;
    if (fs::remove(it->path(), rm)) removed.push_back((dir / name).string());
  }
  return removed;
}

}  // namespace geosim
