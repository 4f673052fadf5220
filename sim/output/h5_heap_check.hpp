#pragma once
/// HDF5 keeps variable-length strings in "global heap" collections, the one piece of metadata
/// without a checksum, and HDF5 1.10 trusts their sizes: a damaged collection makes it copy past
/// its buffers (a crash, not an error). So before HDF5 reads strings from a file, geosim checks
/// the collections itself. Internal to sim/output.
#include <hdf5.h>

#include <string>

namespace geosim::h5 {

/// Scans the file for global heap collections and checks each one's objects lie inside it, with
/// distinct indexes; remembers them for check_string_references. Throws FileError("damaged ...")
/// naming `path` otherwise. Files larger than kHeapScanLimit are not scanned (nor checked).
void check_global_heaps(const std::string& path);

/// The largest file whose heaps are checked: a scan reads the whole file.
inline constexpr long long kHeapScanLimit = 1LL << 30;

/// For a contiguous variable-length string dataset of a checked file: each element's reference
/// (length, collection, index) names an object of a checked collection with that length. Throws
/// std::runtime_error otherwise (read_file makes it a FileError).
void check_string_references(hid_t dset, std::size_t count);

}  // namespace geosim::h5
