#include "output/h5_heap_check.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <stdexcept>
#include <vector>

#include "core/error.hpp"

namespace geosim::h5 {

namespace {

// The global heap collection layout (HDF5 File Format Specification, "Global Heap"), with 8-byte
// offsets and lengths as geosim writes: "GCOL", version 1, 3 reserved bytes, the collection's
// size (8); then objects: index (2), reference count (2), reserved (4), size (8), the data padded
// to 8 bytes. Index 0 is the free space, which ends the walk.
constexpr std::size_t kCollectionHeader = 16;
constexpr std::size_t kObjectHeader = 16;
constexpr std::uint64_t kMinCollection = 4096;

std::uint64_t le(const unsigned char* p, int bytes) {
  std::uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

/// Object index -> size, per collection address; one map per checked file (keyed by its name as
/// HDF5 reports it).
using Collection = std::map<std::uint16_t, std::uint64_t>;
using Heaps = std::map<std::uint64_t, Collection>;

/// The files checked last (a merge opens thousands of chunks: the oldest are forgotten).
constexpr std::size_t kRemembered = 256;
std::mutex g_mutex;
std::map<std::string, Heaps>& checked() {
  static std::map<std::string, Heaps> files;
  return files;
}
std::deque<std::string>& order() {
  static std::deque<std::string> names;
  return names;
}

class Mapping {
 public:
  explicit Mapping(const std::string& path) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat st {};
    if (fd_ < 0 || ::fstat(fd_, &st) != 0) return;
    size_ = static_cast<std::size_t>(st.st_size);
    if (size_ == 0 || static_cast<long long>(size_) > kHeapScanLimit) return;
    void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd_, 0);
    if (p != MAP_FAILED) data_ = static_cast<const unsigned char*>(p);
  }
  ~Mapping() {
    if (data_ != nullptr) ::munmap(const_cast<unsigned char*>(data_), size_);
    if (fd_ >= 0) ::close(fd_);
  }
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;
  const unsigned char* data() const { return data_; }
  std::size_t size() const { return size_; }

 private:
  int fd_ = -1;
  const unsigned char* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace

void check_global_heaps(const std::string& path) {
  const Mapping m(path);
  Heaps heaps;
  if (m.data() != nullptr) {
    const unsigned char* d = m.data();
    const std::size_t n = m.size();
    const auto bad = [&](std::size_t at, const std::string& why) {
      throw FileError(path,
                      "damaged (the string heap at byte " + std::to_string(at) + " " + why + ")");
    };
    for (std::size_t at = 0; at + kCollectionHeader <= n;) {
      const void* hit = ::memmem(d + at, n - at, "GCOL", 4);
      if (hit == nullptr) break;
      const std::size_t c = static_cast<std::size_t>(static_cast<const unsigned char*>(hit) - d);
      // A collection has version 1 (HDF5 refuses a real collection whose signature or version is
      // damaged, but not one whose reserved bytes are: those are not looked at).
      if (c + kCollectionHeader > n || d[c + 4] != 1) {
        at = c + 1;
        continue;
      }
      const std::uint64_t size = le(d + c + 8, 8);
      if (size < kMinCollection || size > n - c) bad(c, "has an impossible size");
      Collection objects;
      std::size_t p = c + kCollectionHeader;
      const std::size_t end = c + static_cast<std::size_t>(size);
      while (p + kObjectHeader <= end) {
        const auto index = static_cast<std::uint16_t>(le(d + p, 2));
        const std::uint64_t obj = le(d + p + 8, 8);
        if (index == 0) {  // free space: the rest of the collection
          if (obj > end - p) bad(c, "has free space past its end");
          break;
        }
        const std::uint64_t padded = (obj + 7) / 8 * 8;
        if (obj > end - p || padded > end - p - kObjectHeader) bad(c, "has an object past its end");
        if (!objects.emplace(index, obj).second) bad(c, "has two objects of one index");
        p += kObjectHeader + static_cast<std::size_t>(padded);
      }
      heaps.emplace(c, std::move(objects));
      at = end;
    }
  }
  const std::lock_guard<std::mutex> lock(g_mutex);
  if (checked().count(path) == 0) {
    order().push_back(path);
    if (order().size() > kRemembered) {
      checked().erase(order().front());
      order().pop_front();
    }
  }
  checked()[path] = std::move(heaps);
}

void check_string_references(hid_t dset, std::size_t count) {
  char name[4096];
  const hid_t file = H5Iget_file_id(dset);
  if (file < 0) return;
  const ssize_t len = H5Fget_name(file, name, sizeof name);
  H5Fclose(file);
  if (len <= 0 || static_cast<std::size_t>(len) >= sizeof name) return;
  const std::lock_guard<std::mutex> lock(g_mutex);
  const auto it = checked().find(name);
  if (it == checked().end()) return;  // not scanned (too large, or not opened for reading)
  const Heaps* heaps = &it->second;
  const haddr_t offset = H5Dget_offset(dset);
  if (offset == HADDR_UNDEF || count == 0) return;  // chunked or never written: no references
  constexpr std::size_t kRef = 16;                  // length (4), collection (8), index (4)
  if (H5Dget_storage_size(dset) != count * kRef)
    throw std::runtime_error("a string dataset's storage does not match its length");
  std::vector<unsigned char> refs(count * kRef);
  const int fd = ::open(name, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  const ssize_t got = ::pread(fd, refs.data(), refs.size(), static_cast<off_t>(offset));
  ::close(fd);
  if (got != static_cast<ssize_t>(refs.size()))
    throw std::runtime_error("a string dataset lies past the end of the file");
  for (std::size_t i = 0; i < count; ++i) {
    const unsigned char* r = refs.data() + i * kRef;
    const std::uint64_t length = le(r, 4), collection = le(r + 4, 8), index = le(r + 12, 4);
    if (length == 0 && collection == 0) continue;  // an unwritten (empty) string
    const auto c = heaps->find(collection);
    const bool ok = c != heaps->end() && index <= 0xffff &&
                    c->second.count(static_cast<std::uint16_t>(index)) == 1 &&
                    c->second.at(static_cast<std::uint16_t>(index)) == length;
    if (!ok) throw std::runtime_error("a string's reference does not match the string heap");
  }
}

}  // namespace geosim::h5
