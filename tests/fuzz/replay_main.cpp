// The main of the replay tests (fuzz.replay.<harness>): feeds files to a harness's
// LLVMFuzzerTestOneInput compiled without libFuzzer, so the inputs a fuzzer found (tests/fuzz/
// regressions/<harness>/) and the seeds are checked by every ordinary build, GCC included.
// Usage: replay [--prefixes N] PATH...   (a PATH that is a folder: every file in it, sorted)
// --prefixes N also feeds N evenly spaced truncations of each file (a truncated file is the
// commonest damage). A finding aborts inside the harness, so the exit code says it all.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace fs = std::filesystem;

namespace {

std::vector<std::uint8_t> read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// libFuzzer's own bookkeeping files in a corpus folder are not inputs.
bool is_input(const fs::path& p) {
  const std::string name = p.filename().string();
  return fs::is_regular_file(p) && name != "README.md" && name.front() != '.';
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t prefixes = 0;
  std::vector<fs::path> files;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--prefixes" && i + 1 < argc) {
      prefixes = std::strtoul(argv[++i], nullptr, 10);
    } else if (fs::is_directory(arg)) {
      std::vector<fs::path> in_dir;
      for (const auto& e : fs::directory_iterator(arg))
        if (is_input(e.path())) in_dir.push_back(e.path());
      std::sort(in_dir.begin(), in_dir.end());
      files.insert(files.end(), in_dir.begin(), in_dir.end());
    } else if (fs::exists(arg)) {
      files.emplace_back(arg);
    } else {
      std::fprintf(stderr, "replay: no such file or folder: %s\n", arg.c_str());
      return 2;
    }
  }
  if (files.empty()) {
    std::fprintf(stderr, "replay: no inputs (give files or folders)\n");
    return 2;
  }
  std::size_t runs = 0;
  for (const auto& f : files) {
    const std::vector<std::uint8_t> bytes = read_bytes(f);
    std::fprintf(stderr, "replay: %s (%zu bytes)\n", f.c_str(), bytes.size());
    LLVMFuzzerTestOneInput(bytes.data(), bytes.size());
    ++runs;
    for (std::size_t k = 0; k < prefixes && bytes.size() > 1; ++k) {
      const std::size_t len = bytes.size() * k / prefixes;
      LLVMFuzzerTestOneInput(bytes.data(), len);
      ++runs;
    }
  }
  std::printf("replay: %zu inputs from %zu files, no finding\n", runs, files.size());
  return 0;
}
