#pragma once
/// A thin RAII layer over the HDF5 C API. Internal to sim/output (the only code that includes
/// HDF5); never include it from a public header. Every failing call throws std::runtime_error
/// carrying HDF5's own error descriptions, so callers need no return-code checks.
#include <hdf5.h>

#include <cstdint>
#include <exception>
#include <new>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace geosim::h5 {

/// Owns one HDF5 identifier of any kind and closes it with the matching H5*close.
class Handle {
 public:
  Handle() = default;
  explicit Handle(hid_t id) : id_(id) {}
  ~Handle() { reset(); }
  Handle(Handle&& o) noexcept : id_(std::exchange(o.id_, H5I_INVALID_HID)) {}
  Handle& operator=(Handle&& o) noexcept {
    if (this != &o) {
      reset();
      id_ = std::exchange(o.id_, H5I_INVALID_HID);
    }
    return *this;
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;

  hid_t get() const { return id_; }
  bool valid() const { return id_ >= 0; }
  void reset() noexcept;
  /// Gives up ownership (for closing with a checked status).
  hid_t release() noexcept { return std::exchange(id_, H5I_INVALID_HID); }

 private:
  hid_t id_ = H5I_INVALID_HID;
};

/// While alive, HDF5 prints nothing to stderr: failures become exceptions from check().
/// Restores the previous error handler on destruction.
class QuietErrors {
 public:
  QuietErrors();
  ~QuietErrors();
  QuietErrors(const QuietErrors&) = delete;
  QuietErrors& operator=(const QuietErrors&) = delete;

 private:
  H5E_auto2_t func_ = nullptr;
  void* data_ = nullptr;
};

/// Throws std::runtime_error("HDF5: <what>: <HDF5's descriptions of the error stack>").
[[noreturn]] void fail(std::string_view what);
/// Throws as fail() if `id` < 0.
Handle check(hid_t id, std::string_view what);
/// Throws if `status` < 0.
void check_status(herr_t status, std::string_view what);

// --- Types -------------------------------------------------------------------------------

/// Variable-length, null-terminated UTF-8 string: netCDF's NC_STRING; h5py reads it as str.
Handle utf8_string_type();

template <class T>
hid_t native_type();
template <>
inline hid_t native_type<double>() {
  return H5T_NATIVE_DOUBLE;
}
template <>
inline hid_t native_type<std::int32_t>() {
  return H5T_NATIVE_INT32;
}
template <>
inline hid_t native_type<std::int64_t>() {
  return H5T_NATIVE_INT64;
}

// --- Attributes --------------------------------------------------------------------------

/// A scalar vlen UTF-8 string attribute (never fixed-length: h5py would return bytes).
void write_attr(hid_t obj, std::string_view name, std::string_view value);
void write_attr(hid_t obj, std::string_view name, std::int32_t value);
void write_attr(hid_t obj, std::string_view name, std::int64_t value);
void write_attr(hid_t obj, std::string_view name, double value);

bool has_attr(hid_t obj, std::string_view name);
/// Reads a string attribute (variable or fixed length).
std::string read_string_attr(hid_t obj, std::string_view name);
/// The root attribute `format` that names a geosim file's kind, or "" when it has none.
std::string format_of(hid_t file);

/// `x`, a number read from a file, as a whole number in [lo, hi]; nullopt if it is NaN,
/// infinite, fractional or out of range. Readers check with it before they cast (a cast of an
/// out-of-range double to an integer is undefined behaviour).
std::optional<std::int64_t> whole_in(double x, std::int64_t lo, std::int64_t hi);
/// Reads a scalar numeric attribute, converted by HDF5 to int64 / double.
std::int64_t read_int_attr(hid_t obj, std::string_view name);
double read_double_attr(hid_t obj, std::string_view name);

// --- Datasets ----------------------------------------------------------------------------

/// A transfer property list for reading or writing `n_values` elements: its type-conversion
/// buffers fit them (32 bytes each, 4 KiB to 1 MiB). HDF5's default buffers are 1 MiB,
/// calloc'ed for every converting transfer however small (variable-length strings, int64 to
/// int32): a sweep chunk commit spent most of its CPU zeroing them.
Handle transfer_for(std::size_t n_values);

/// The deflate level of every compressed dataset. Level 1 without the shuffle filter: on
/// geosim's arrays (runs of zeros and repeated values, few smooth series) it was both faster and
/// smaller than level 3 with shuffle (baseline run: 8 vs 19 ms and 0.33 vs 0.39 MB; N = 200:
/// 0.87 vs 2.1 s and 19 vs 28 MB; zlib on the same arrays, benchmarks/README.md).
inline constexpr int kDeflateLevel = 1;

/// The largest chunk create_dataset makes by default, in bytes.
inline constexpr std::size_t kChunkBytes = std::size_t{1} << 20;  // 1 MiB

/// Chunk shape for `dims`: trailing axes whole while a chunk stays <= 1 MiB, the first axis
/// that would overflow gets as many slices as fit (at least 1), axes before it 1. For
/// (T, N, N) with N*N*8 <= 1 MiB this is (k, N, N). Empty if any axis is 0 (contiguous).
std::vector<hsize_t> choose_chunk(const std::vector<hsize_t>& dims, std::size_t element_size,
                                  std::size_t max_bytes = kChunkBytes);

/// Creates a dataset of fixed shape `dims`. `compress`: chunked by choose_chunk (chunks of at
/// most `max_chunk_bytes`) and deflated at level 1 (a built-in filter, so every reader can
/// open it); a dataset with a zero-length axis is always contiguous. Its chunk cache holds
/// two chunks: the one being filled stays until it is complete and is compressed once, and a
/// dataset written in order never holds more than that.
Handle create_dataset(hid_t loc, std::string_view name, hid_t type,
                      const std::vector<hsize_t>& dims, bool compress,
                      std::size_t max_chunk_bytes = kChunkBytes);

/// The same with an explicit chunk shape (empty: contiguous, uncompressed; else deflated).
Handle create_chunked(hid_t loc, std::string_view name, hid_t type,
                      const std::vector<hsize_t>& dims, const std::vector<hsize_t>& chunk);

/// Creates an empty 1-D dataset that grows (unlimited, chunks of `chunk_rows` rows; numbers
/// deflated): a netCDF unlimited dimension. Filled by append_rows / append_string_rows.
Handle create_rows(hid_t loc, std::string_view name, hid_t type, hsize_t chunk_rows);
/// Appends `values` at the end of a dataset made by create_rows.
template <class T>
void append_rows(hid_t dset, std::span<const T> values);
/// Appends strings at the end of a vlen string dataset made by create_rows.
void append_string_rows(hid_t dset, const std::vector<std::string>& values);

/// Makes `dset` a dimension scale named `name` (netCDF dimension + coordinate variable).
void make_scale(hid_t dset, std::string_view name);
/// Attaches scales[i] to axis i of `dset`, via H5DS (which writes DIMENSION_LIST etc.).
void attach_scales(hid_t dset, const std::vector<hid_t>& scales);

/// Creates and fills a 1-D vlen UTF-8 string dataset (contiguous).
Handle write_strings(hid_t loc, std::string_view name, const std::vector<std::string>& values);

/// Creates and fills a 1-D numeric dataset; `compress` as in create_dataset.
template <class T>
Handle write_vector(hid_t loc, std::string_view name, const std::vector<T>& values, bool compress);

/// Writes `values` into the block of `dset` starting at `start` with shape `count`
/// (values.size() must equal the product of `count`).
void write_block(hid_t dset, const std::vector<hsize_t>& start, const std::vector<hsize_t>& count,
                 std::span<const double> values);

/// The same for 64-bit integers (HDF5 converts them to the dataset's integer type).
void write_block(hid_t dset, const std::vector<hsize_t>& start, const std::vector<hsize_t>& count,
                 std::span<const std::int64_t> values);
/// Writes `values` into rows [start, start + values.size()) of a 1-D vlen string dataset.
void write_string_rows(hid_t dset, hsize_t start, const std::vector<std::string>& values);
/// Creates an empty 1-D vlen UTF-8 string dataset of `n` rows (filled by write_string_rows).
Handle create_strings(hid_t loc, std::string_view name, hsize_t n);

bool has_dataset(hid_t loc, std::string_view name);
/// The shape of a dataset.
std::vector<hsize_t> shape(hid_t dset);
/// Reads a whole 1-D string dataset (variable or fixed length).
std::vector<std::string> read_strings(hid_t loc, std::string_view name);
/// The most values read_block reads at once (2 GiB of doubles): a larger block (a damaged shape)
/// is an error before anything is allocated.
inline constexpr hsize_t kMaxReadValues = hsize_t{1} << 28;

/// Reads the block [start, start + count) of a numeric dataset as doubles.
std::vector<double> read_block(hid_t dset, const std::vector<hsize_t>& start,
                               const std::vector<hsize_t>& count);

/// The HDF5 library version the program runs with, e.g. "1.10.8".
std::string library_version();

/// Creates (truncates) a file as every geosim output is made: link and attribute creation
/// order tracked (as netCDF-4 does), strong close, no file locking (cluster file systems
/// without locks must not make writes fail). Throws std::runtime_error naming the path.
Handle create_file(const std::string& path);
/// Opens a file read-only (no file locking) after check_input_file. Throws FileError naming
/// the path.
Handle open_file(const std::string& path, std::string_view kind = "geosim file");

/// Checks `path` before HDF5 reads a byte of it, and throws FileError saying what it is instead:
/// missing, a folder, not a regular file, empty, not HDF5, or an HDF5 file whose superblock is
/// older than version 2. geosim writes version 2 or later, where every piece of metadata carries
/// a checksum: HDF5 then refuses a damaged file instead of following its garbage (the older
/// layouts have no checksums, and the library can crash on them). `kind` names what was expected
/// ("sweep chunk").
void check_input_file(const std::string& path, std::string_view kind);

/// Checks the root attribute `format_version` of `f` (at `path`) is the whole number `version`
/// this geosim reads; FileError otherwise (missing, of another type, another version).
void check_version(hid_t f, const std::string& path, std::int64_t version);

/// The message of a FileError for a file HDF5 (or a shape check) could not read: "damaged or not
/// a KIND (WHAT)", with HDF5's error stack cut to its first descriptions.
std::string damaged(std::string_view kind, std::string_view what);

/// Runs `body`, which reads the file `path`, so that any failure is a FileError naming it (exit
/// code 2 in the CLI): HDF5's own errors on a damaged file, a shape or size check, an allocation
/// an absurd size made fail. An InputError about the file as a whole becomes a one-line FileError;
/// other InputErrors (about the scenario, the command line) pass as they are.
template <class F>
auto read_file(const std::string& path, std::string_view kind, F&& body) -> decltype(body()) {
  QuietErrors quiet;
  try {
    return body();
  } catch (const FileError&) {
    throw;
  } catch (const WriteError&) {
    throw;
  } catch (const InputError& e) {
    const auto& d = e.diagnostics();
    if (d.size() != 1 || d[0].where.file != path || d[0].where.line != 0) throw;
    throw FileError(path,
                    d[0].key_path.empty() ? d[0].message : d[0].key_path + ": " + d[0].message);
  } catch (const std::bad_alloc&) {
    throw FileError(path, damaged(kind, "a size in it is too large to allocate"));
  } catch (const std::exception& e) {
    throw FileError(path, damaged(kind, e.what()));
  }
}

/// Closes every object still open in the file `f` (datasets, groups, attributes, types), then
/// the file itself, checked: closing is where HDF5 flushes, so a full disk shows here. Handles
/// still holding those objects become invalid and close nothing. (Closing the file first and
/// its objects after, when the close failed half-way, crashes HDF5 1.10.)
void close_file(Handle& f, std::string_view what);

/// Makes a closed file's bytes durable (fsync), then renames it to its final name: the one way
/// a finished output is published.
void publish(const std::string& tmp, const std::string& path);

}  // namespace geosim::h5
