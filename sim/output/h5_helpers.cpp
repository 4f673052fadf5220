#include "output/h5_helpers.hpp"
#include "output/h5_heap_check.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>

#include <algorithm>
#include <functional>
#include <stdexcept>

namespace geosim::h5 {

namespace {

/// HDF5 closes itself at exit unless told not to. After it met a damaged file, the close can
/// fail ("infinite loop closing library") and print a page of its internals under geosim's
/// one-line error. Every file geosim writes is closed (and fsynced) explicitly before it is
/// published, so nothing is lost by leaving the library open at exit.
[[maybe_unused]] const herr_t kNoCloseAtExit = H5dont_atexit();
/// Nor does HDF5 print its error stack on stderr, anywhere: every failure becomes an exception
/// carrying that stack (fail()), and the CLI prints one line of it.
[[maybe_unused]] const herr_t kNoErrorPrinting = H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);

/// HDF5's own descriptions of the current error stack, innermost first; clears the stack.
std::string error_stack() {
  std::string text;
  H5Ewalk2(
      H5E_DEFAULT, H5E_WALK_UPWARD,
      [](unsigned, const H5E_error2_t* e, void* data) -> herr_t {
        auto& s = *static_cast<std::string*>(data);
        if (e->desc != nullptr && *e->desc != '\0') {
          if (!s.empty()) s += "; ";
          s += e->desc;
        }
        return 0;
      },
      &text);
  H5Eclear2(H5E_DEFAULT);
  return text;
}

std::string str(std::string_view s) {
  return std::string(s);
}

/// Reads a string-typed object (attribute or dataset) of `count` elements via `read`.
std::vector<std::string> read_string_object(
    hid_t file_type, hid_t space, std::size_t count,
    const std::function<herr_t(hid_t mem_type, void* buf)>& read, std::string_view what,
    const std::function<void(std::size_t)>& check_references = {}) {
  if (H5Tget_class(file_type) != H5T_STRING) fail(str(what) + " is not a string");
  std::vector<std::string> out;
  out.reserve(count);
  if (H5Tis_variable_str(file_type) > 0) {
    if (check_references) check_references(count);
    Handle mem = utf8_string_type();
    std::vector<char*> ptrs(count, nullptr);
    if (count > 0) {
      check_status(read(mem.get(), ptrs.data()), "reading " + str(what));
      for (char* p : ptrs) out.emplace_back(p != nullptr ? p : "");
      H5Dvlen_reclaim(mem.get(), space, H5P_DEFAULT, ptrs.data());
    }
  } else {
    const std::size_t size = H5Tget_size(file_type);
    Handle mem = check(H5Tcopy(H5T_C_S1), "copying a string type");
    check_status(H5Tset_size(mem.get(), size), "sizing a string type");
    std::vector<char> buf(size * count + 1, '\0');
    if (count > 0) {
      check_status(read(mem.get(), buf.data()), "reading " + str(what));
      for (std::size_t i = 0; i < count; ++i) {
        const char* p = buf.data() + i * size;
        out.emplace_back(p, std::find(p, p + size, '\0'));
      }
    }
  }
  return out;
}

template <class T>
void write_numeric_attr(hid_t obj, std::string_view name, T value) {
  Handle space = check(H5Screate(H5S_SCALAR), "creating a scalar dataspace");
  Handle attr = check(
      H5Acreate2(obj, str(name).c_str(), native_type<T>(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
      "creating attribute '" + str(name) + "'");
  check_status(H5Awrite(attr.get(), native_type<T>(), &value),
               "writing attribute '" + str(name) + "'");
}

template <class T>
T read_numeric_attr(hid_t obj, std::string_view name) {
  Handle attr =
      check(H5Aopen(obj, str(name).c_str(), H5P_DEFAULT), "opening attribute '" + str(name) + "'");
  Handle type = check(H5Aget_type(attr.get()), "reading the type of '" + str(name) + "'");
  const H5T_class_t cls = H5Tget_class(type.get());
  if (cls != H5T_INTEGER && cls != H5T_FLOAT) fail("attribute '" + str(name) + "' is not a number");
  Handle space = check(H5Aget_space(attr.get()), "reading the shape of '" + str(name) + "'");
  if (H5Sget_simple_extent_npoints(space.get()) != 1)
    fail("attribute '" + str(name) + "' is not a single value");
  T value{};
  check_status(H5Aread(attr.get(), native_type<T>(), &value),
               "reading attribute '" + str(name) + "'");
  return value;
}

}  // namespace

void fail(std::string_view what) {
  std::string msg = "HDF5: " + std::string(what);
  const std::string stack = error_stack();
  // A failed write (disk full, quota, I/O error): HDF5's stack names the file and the system's
  // reason; that is all the user needs ("cannot write F: No space left on device").
  if (stack.find("file write failed") != std::string::npos) {
    const auto quoted = [&](std::string_view label) {
      const auto at = stack.find(label);
      if (at == std::string::npos) return std::string();
      const auto from = at + label.size(), to = stack.find('\'', from);
      return to == std::string::npos ? std::string() : stack.substr(from, to - from);
    };
    const std::string file = quoted("filename = '"), reason = quoted("error message = '");
    throw WriteError(file.empty() ? "the output" : file,
                     reason.empty() ? "a write failed" : reason);
  }
  if (!stack.empty()) msg += ": " + stack;
  throw std::runtime_error(msg);
}

void Handle::reset() noexcept {
  // Invalid when HDF5 already closed it (a strong file close takes its objects with it).
  if (id_ < 0 || H5Iis_valid(id_) <= 0) {
    id_ = H5I_INVALID_HID;
    return;
  }
  switch (H5Iget_type(id_)) {
    case H5I_FILE:
      H5Fclose(id_);
      break;
    case H5I_GROUP:
      H5Gclose(id_);
      break;
    case H5I_DATASET:
      H5Dclose(id_);
      break;
    case H5I_DATASPACE:
      H5Sclose(id_);
      break;
    case H5I_DATATYPE:
      H5Tclose(id_);
      break;
    case H5I_ATTR:
      H5Aclose(id_);
      break;
    case H5I_GENPROP_LST:
      H5Pclose(id_);
      break;
    default:
      H5Idec_ref(id_);
      break;
  }
  id_ = H5I_INVALID_HID;
}

QuietErrors::QuietErrors() {
  H5Eget_auto2(H5E_DEFAULT, &func_, &data_);
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

QuietErrors::~QuietErrors() {
  H5Eset_auto2(H5E_DEFAULT, func_, data_);
}

Handle check(hid_t id, std::string_view what) {
  if (id < 0) fail(what);
  return Handle(id);
}

void check_status(herr_t status, std::string_view what) {
  if (status < 0) fail(what);
}

Handle utf8_string_type() {
  Handle t = check(H5Tcopy(H5T_C_S1), "copying a string type");
  check_status(H5Tset_size(t.get(), H5T_VARIABLE), "making a variable-length string type");
  check_status(H5Tset_cset(t.get(), H5T_CSET_UTF8), "setting UTF-8");
  return t;
}

void write_attr(hid_t obj, std::string_view name, std::string_view value) {
  Handle type = utf8_string_type();
  Handle space = check(H5Screate(H5S_SCALAR), "creating a scalar dataspace");
  Handle attr =
      check(H5Acreate2(obj, str(name).c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
            "creating attribute '" + str(name) + "'");
  const std::string copy(value);  // null-terminated
  const char* p = copy.c_str();
  check_status(H5Awrite(attr.get(), type.get(), &p), "writing attribute '" + str(name) + "'");
}

void write_attr(hid_t obj, std::string_view name, std::int32_t value) {
  write_numeric_attr(obj, name, value);
}
void write_attr(hid_t obj, std::string_view name, std::int64_t value) {
  write_numeric_attr(obj, name, value);
}
void write_attr(hid_t obj, std::string_view name, double value) {
  write_numeric_attr(obj, name, value);
}

bool has_attr(hid_t obj, std::string_view name) {
  const htri_t r = H5Aexists(obj, str(name).c_str());
  if (r < 0) fail("looking for attribute '" + str(name) + "'");
  return r > 0;
}

std::optional<std::int64_t> whole_in(double x, std::int64_t lo, std::int64_t hi) {
  if (!(x >= static_cast<double>(lo) && x <= static_cast<double>(hi)) || x != std::floor(x))
    return std::nullopt;
  return static_cast<std::int64_t>(x);
}

std::string format_of(hid_t file) {
  return has_attr(file, "format") ? read_string_attr(file, "format") : std::string();
}

std::string read_string_attr(hid_t obj, std::string_view name) {
  Handle attr =
      check(H5Aopen(obj, str(name).c_str(), H5P_DEFAULT), "opening attribute '" + str(name) + "'");
  Handle type = check(H5Aget_type(attr.get()), "reading the type of '" + str(name) + "'");
  Handle space = check(H5Aget_space(attr.get()), "reading the shape of '" + str(name) + "'");
  const hssize_t n = H5Sget_simple_extent_npoints(space.get());
  if (n != 1) fail("attribute '" + str(name) + "' is not a single string");
  auto values = read_string_object(
      type.get(), space.get(), 1,
      [&](hid_t mem, void* buf) { return H5Aread(attr.get(), mem, buf); },
      "attribute '" + str(name) + "'");
  return values.front();
}

std::int64_t read_int_attr(hid_t obj, std::string_view name) {
  return read_numeric_attr<std::int64_t>(obj, name);
}
double read_double_attr(hid_t obj, std::string_view name) {
  return read_numeric_attr<double>(obj, name);
}

std::vector<std::string> read_strings(hid_t loc, std::string_view name) {
  Handle dset =
      check(H5Dopen2(loc, str(name).c_str(), H5P_DEFAULT), "opening dataset '" + str(name) + "'");
  Handle type = check(H5Dget_type(dset.get()), "reading the type of '" + str(name) + "'");
  Handle space = check(H5Dget_space(dset.get()), "reading the shape of '" + str(name) + "'");
  const hssize_t n = H5Sget_simple_extent_npoints(space.get());
  if (n < 0) fail("reading the size of '" + str(name) + "'");
  if (static_cast<hsize_t>(n) > kMaxReadValues) fail("'" + str(name) + "' holds too many strings");
  return read_string_object(
      type.get(), space.get(), static_cast<std::size_t>(n),
      [&](hid_t mem, void* buf) {
        return H5Dread(dset.get(), mem, H5S_ALL, H5S_ALL,
                       transfer_for(static_cast<std::size_t>(n)).get(), buf);
      },
      "dataset '" + str(name) + "'",
      [&](std::size_t count) { check_string_references(dset.get(), count); });
}

std::string library_version() {
  unsigned major = 0, minor = 0, release = 0;
  H5get_libversion(&major, &minor, &release);
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(release);
}

Handle create_file(const std::string& path) {
  Handle fcpl = check(H5Pcreate(H5P_FILE_CREATE), "creating a property list");
  const unsigned order = H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED;
  check_status(H5Pset_link_creation_order(fcpl.get(), order), "tracking link order");
  check_status(H5Pset_attr_creation_order(fcpl.get(), order), "tracking attribute order");
  Handle fapl = check(H5Pcreate(H5P_FILE_ACCESS), "creating a property list");
  check_status(H5Pset_fclose_degree(fapl.get(), H5F_CLOSE_STRONG), "setting close degree");
#if H5_VERSION_GE(1, 10, 7)
  check_status(H5Pset_file_locking(fapl.get(), true, true), "setting file locking");
#endif
  // The HDF5 1.10 file format: superblock version 3 and checksums on every piece of metadata
  // (chunk indexes included), so a damaged file is refused instead of misread. Readable by
  // HDF5 >= 1.10 (h5py, netCDF-4, xarray on any current system).
  check_status(H5Pset_libver_bounds(fapl.get(), H5F_LIBVER_V110, H5F_LIBVER_V110),
               "setting the file format version");
  const hid_t id = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, fcpl.get(), fapl.get());
  if (id < 0) {
    // A create that failed half-way (a full disk) may leave an empty file behind.
    std::error_code ec;
    std::filesystem::remove(path, ec);
    fail("cannot create '" + path + "'");
  }
  return Handle(id);
}

void check_input_file(const std::string& path, std::string_view kind) {
  namespace fs = std::filesystem;
  const std::string a_kind = "a " + str(kind);
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (!fs::exists(st)) throw FileError(path, "no such file (expected " + a_kind + ")");
  if (fs::is_directory(st)) throw FileError(path, "is a folder, not " + a_kind);
  if (!fs::is_regular_file(st))
    throw FileError(path, "not a regular file (expected " + a_kind + ")");
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw FileError(path, std::string("cannot read it: ") + std::strerror(errno));
  unsigned char head[11] = {0};
  const ssize_t got = ::pread(fd, head, sizeof head, 0);
  ::close(fd);
  if (got == 0) throw FileError(path, "is empty (0 bytes; expected " + a_kind + ")");
  static constexpr unsigned char kSignature[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
  if (got < 11 || std::memcmp(head, kSignature, sizeof kSignature) != 0)
    throw FileError(path, "not an HDF5 file (expected " + a_kind + ")");
  if (head[8] < 2)
    throw FileError(path, "an HDF5 file geosim did not write (superblock version " +
                              std::to_string(head[8]) +
                              ", without checksums; geosim reads version 2 or later: rewrite it "
                              "with `h5repack -L` to read it)");
  if (head[9] != 8 || head[10] != 8)
    throw FileError(path, "an HDF5 file geosim did not write (offsets of " +
                              std::to_string(head[9]) + " and lengths of " +
                              std::to_string(head[10]) + " bytes; geosim writes 8 and 8)");
}

void check_version(hid_t f, const std::string& path, std::int64_t version) {
  if (!has_attr(f, "format_version"))
    throw FileError(path, "the root attribute 'format_version' is missing");
  const Handle a = check(H5Aopen(f, "format_version", H5P_DEFAULT), "format_version");
  const Handle t = check(H5Aget_type(a.get()), "format_version's type");
  if (H5Tget_class(t.get()) != H5T_INTEGER)
    throw FileError(path, "the root attribute 'format_version' is not a whole number");
  const std::int64_t v = read_int_attr(f, "format_version");
  if (v != version)
    throw FileError(path, "unsupported format_version " + std::to_string(v) +
                              " (this geosim reads version " + std::to_string(version) + ")");
}

std::string damaged(std::string_view kind, std::string_view what) {
  std::string w(what);
  if (w.rfind("HDF5: ", 0) == 0) {
    // "HDF5: <our step>: <desc>; <desc>; ...": keep our step and HDF5's first two descriptions.
    std::size_t cut = w.find(": ", 6);
    for (int i = 0; i < 2 && cut != std::string::npos; ++i) cut = w.find("; ", cut + 2);
    if (cut != std::string::npos) w = w.substr(0, cut);
  }
  return "damaged or not a " + str(kind) + " (" + w + ")";
}

Handle open_file(const std::string& path, std::string_view kind) {
  check_input_file(path, kind);
  check_global_heaps(path);
  Handle fapl = check(H5Pcreate(H5P_FILE_ACCESS), "creating a property list");
#if H5_VERSION_GE(1, 10, 7)
  check_status(H5Pset_file_locking(fapl.get(), true, true), "setting file locking");
#endif
  const hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, fapl.get());
  if (id < 0) {
    std::string why = error_stack();
    if (const auto semi = why.find("; "); semi != std::string::npos) why.resize(semi);
    throw FileError(path, "damaged or not a " + str(kind) + " (HDF5 cannot open it: " + why + ")");
  }
  return Handle(id);
}

void close_file(Handle& f, std::string_view what) {
  if (!f.valid()) return;
  const unsigned kinds =
      H5F_OBJ_DATASET | H5F_OBJ_GROUP | H5F_OBJ_DATATYPE | H5F_OBJ_ATTR | H5F_OBJ_LOCAL;
  const ssize_t n = H5Fget_obj_count(f.get(), kinds);
  if (n > 0) {
    std::vector<hid_t> ids(static_cast<std::size_t>(n));
    const ssize_t got = H5Fget_obj_ids(f.get(), kinds, ids.size(), ids.data());
    for (ssize_t i = 0; i < got; ++i) Handle(ids[static_cast<std::size_t>(i)]).reset();
  }
  check_status(H5Fclose(f.release()), what);
}

void publish(const std::string& tmp, const std::string& path) {
  if (const int fd = ::open(tmp.c_str(), O_RDONLY); fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
  std::filesystem::rename(tmp, path);  // reports a missing file
}

}  // namespace geosim::h5
