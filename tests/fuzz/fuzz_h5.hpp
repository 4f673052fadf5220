#pragma once
/// What the HDF5 harnesses read from an input themselves, with the HDF5 C API: attributes that
/// a reader is given as an argument (a population's key, a chunk's plan hash and number), so
/// that fuzzed files get past those checks into the reading of the datasets.
#include <cstdint>
#include <optional>
#include <string>

namespace geosim::fuzz {

/// Turns off HDF5's printing of its error stack (a damaged file would print pages per run).
void quiet_hdf5();

/// The root attribute `name` of the HDF5 file `path` as a string / integer; nullopt if the
/// file, the attribute or its type does not allow it.
std::optional<std::string> h5_string_attr(const std::string& path, const char* name);
std::optional<std::int64_t> h5_int_attr(const std::string& path, const char* name);

}  // namespace geosim::fuzz
