#include "fuzz_h5.hpp"

#include <hdf5.h>

#include <vector>

#include "core/error.hpp"
#include "output/h5_heap_check.hpp"
#include "output/h5_helpers.hpp"

namespace geosim::fuzz {

namespace {

// Closes an HDF5 identifier of any kind at the end of a scope.
struct Id {
  hid_t id;
  explicit Id(hid_t i) : id(i) {}
  ~Id() {
    if (id >= 0) H5Idec_ref(id);
  }
  Id(const Id&) = delete;
  Id& operator=(const Id&) = delete;
  bool ok() const { return id >= 0; }
};

}  // namespace

void quiet_hdf5() {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

/// The harness peeks at the input with HDF5 directly (to build what the reader needs): it must
/// first pass the checks geosim's readers make, or HDF5 1.10 hangs or crashes in the harness
/// itself on a damaged string heap (a finding that is not geosim's).
bool safe_to_open(const std::string& path) {
  try {
    h5::check_input_file(path, "file");
    h5::check_global_heaps(path);
    return true;
  } catch (const FileError&) {
    return false;
  }
}

std::optional<std::string> h5_string_attr(const std::string& path, const char* name) {
  if (!safe_to_open(path)) return std::nullopt;
  const Id f(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
  if (!f.ok() || H5Aexists(f.id, name) <= 0) return std::nullopt;
  const Id a(H5Aopen(f.id, name, H5P_DEFAULT));
  const Id t(a.ok() ? H5Aget_type(a.id) : -1);
  if (!t.ok() || H5Tget_class(t.id) != H5T_STRING) return std::nullopt;
  const Id space(H5Aget_space(a.id));
  if (!space.ok() || H5Sget_simple_extent_npoints(space.id) != 1) return std::nullopt;
  if (H5Tis_variable_str(t.id) > 0) {
    const Id mem(H5Tcopy(H5T_C_S1));
    H5Tset_size(mem.id, H5T_VARIABLE);
    char* s = nullptr;
    if (H5Aread(a.id, mem.id, &s) < 0 || s == nullptr) return std::nullopt;
    std::string out(s);
    H5free_memory(s);
    return out;
  }
  const std::size_t n = H5Tget_size(t.id);
  if (n == 0 || n > (1u << 20)) return std::nullopt;
  std::vector<char> buf(n + 1, '\0');
  if (H5Aread(a.id, t.id, buf.data()) < 0) return std::nullopt;
  return std::string(buf.data());
}

std::optional<std::int64_t> h5_int_attr(const std::string& path, const char* name) {
  if (!safe_to_open(path)) return std::nullopt;
  const Id f(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
  if (!f.ok() || H5Aexists(f.id, name) <= 0) return std::nullopt;
  const Id a(H5Aopen(f.id, name, H5P_DEFAULT));
  const Id space(a.ok() ? H5Aget_space(a.id) : -1);
  if (!space.ok() || H5Sget_simple_extent_npoints(space.id) != 1) return std::nullopt;
  std::int64_t v = 0;
  if (H5Aread(a.id, H5T_NATIVE_INT64, &v) < 0) return std::nullopt;
  return v;
}

}  // namespace geosim::fuzz
