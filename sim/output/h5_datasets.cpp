// The dataset half of h5_helpers.hpp: creation with chunking, compression and dimension
// scales; block reads and writes.
#include "output/h5_helpers.hpp"

#include <hdf5_hl.h>

#include <algorithm>
#include <stdexcept>

namespace geosim::h5 {

namespace {

std::string str(std::string_view s) {
  return std::string(s);
}

}  // namespace

Handle transfer_for(std::size_t n_values) {
  Handle dxpl = check(H5Pcreate(H5P_DATASET_XFER), "creating a property list");
  const std::size_t bytes = std::clamp<std::size_t>(n_values * 32, std::size_t{4096}, kChunkBytes);
  check_status(H5Pset_buffer(dxpl.get(), bytes, nullptr, nullptr), "sizing transfer buffers");
  return dxpl;
}

std::vector<hsize_t> choose_chunk(const std::vector<hsize_t>& dims, std::size_t element_size,
                                  std::size_t max_bytes) {
  if (dims.empty() || std::find(dims.begin(), dims.end(), hsize_t{0}) != dims.end()) return {};
  std::vector<hsize_t> chunk(dims.size(), 1);
  hsize_t inner = element_size;  // bytes of one slice along the current axis
  for (std::size_t i = dims.size(); i-- > 0;) {
    if (inner * dims[i] <= max_bytes) {
      chunk[i] = dims[i];
      inner *= dims[i];
    } else {
      chunk[i] = std::max<hsize_t>(1, max_bytes / inner);
      break;  // axes before i keep chunk 1
    }
  }
  return chunk;
}

Handle create_dataset(hid_t loc, std::string_view name, hid_t type,
                      const std::vector<hsize_t>& dims, bool compress,
                      std::size_t max_chunk_bytes) {
  return create_chunked(
      loc, name, type, dims,
      compress ? choose_chunk(dims, H5Tget_size(type), max_chunk_bytes) : std::vector<hsize_t>{});
}

Handle create_chunked(hid_t loc, std::string_view name, hid_t type,
                      const std::vector<hsize_t>& dims, const std::vector<hsize_t>& chunk) {
  Handle space = check(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr),
                       "creating the dataspace of '" + str(name) + "'");
  Handle dcpl = check(H5Pcreate(H5P_DATASET_CREATE), "creating a property list");
  // Attribute creation order keeps ncdump's listing in the order written, as netCDF does.
  check_status(
      H5Pset_attr_creation_order(dcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
      "tracking attribute order");
  const std::size_t element_size = H5Tget_size(type);
  if (!chunk.empty()) {
    check_status(H5Pset_chunk(dcpl.get(), static_cast<int>(chunk.size()), chunk.data()),
                 "chunking '" + str(name) + "'");
    check_status(H5Pset_deflate(dcpl.get(), kDeflateLevel), "adding the deflate filter");
  }
  // A cache of two chunks: the chunk being filled stays until complete (compressed once), and
  // no more is held (HDF5's default would keep up to 1 MiB per dataset).
  std::size_t chunk_bytes = element_size;
  for (hsize_t c : chunk) chunk_bytes *= static_cast<std::size_t>(c);
  Handle dapl = check(H5Pcreate(H5P_DATASET_ACCESS), "creating a property list");
  check_status(H5Pset_chunk_cache(dapl.get(), 521, chunk.empty() ? 0 : 2 * chunk_bytes, 1.0),
               "sizing the chunk cache");
  return check(
      H5Dcreate2(loc, str(name).c_str(), type, space.get(), H5P_DEFAULT, dcpl.get(), dapl.get()),
      "creating dataset '" + str(name) + "'");
}

void make_scale(hid_t dset, std::string_view name) {
  check_status(H5DSset_scale(dset, str(name).c_str()),
               "making '" + str(name) + "' a dimension scale");
}

void attach_scales(hid_t dset, const std::vector<hid_t>& scales) {
  for (std::size_t i = 0; i < scales.size(); ++i)
    check_status(H5DSattach_scale(dset, scales[i], static_cast<unsigned>(i)),
                 "attaching a dimension scale");
}

Handle write_strings(hid_t loc, std::string_view name, const std::vector<std::string>& values) {
  Handle type = utf8_string_type();
  Handle dset = create_dataset(loc, name, type.get(), {values.size()}, false);
  if (!values.empty()) {
    std::vector<const char*> ptrs;
    ptrs.reserve(values.size());
    for (const auto& v : values) ptrs.push_back(v.c_str());
    check_status(H5Dwrite(dset.get(), type.get(), H5S_ALL, H5S_ALL,
                          transfer_for(values.size()).get(), ptrs.data()),
                 "writing '" + str(name) + "'");
  }
  return dset;
}

template <class T>
Handle write_vector(hid_t loc, std::string_view name, const std::vector<T>& values, bool compress) {
  Handle dset = create_dataset(loc, name, native_type<T>(), {values.size()}, compress);
  if (!values.empty())
    check_status(H5Dwrite(dset.get(), native_type<T>(), H5S_ALL, H5S_ALL,
                          transfer_for(values.size()).get(), values.data()),
                 "writing '" + str(name) + "'");
  return dset;
}
template Handle write_vector<double>(hid_t, std::string_view, const std::vector<double>&, bool);
template Handle write_vector<std::int64_t>(hid_t, std::string_view,
                                           const std::vector<std::int64_t>&, bool);
template Handle write_vector<std::int32_t>(hid_t, std::string_view,
                                           const std::vector<std::int32_t>&, bool);

namespace {
void write_typed_block(hid_t dset, const std::vector<hsize_t>& start,
                       const std::vector<hsize_t>& count, hid_t mem_type, const void* data,
                       std::size_t n_values);
}  // namespace

Handle create_rows(hid_t loc, std::string_view name, hid_t type, hsize_t chunk_rows) {
  const hsize_t zero = 0, unlimited = H5S_UNLIMITED;
  Handle space = check(H5Screate_simple(1, &zero, &unlimited),
                       "creating the dataspace of '" + str(name) + "'");
  Handle dcpl = check(H5Pcreate(H5P_DATASET_CREATE), "creating a property list");
  check_status(
      H5Pset_attr_creation_order(dcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
      "tracking attribute order");
  check_status(H5Pset_chunk(dcpl.get(), 1, &chunk_rows), "chunking '" + str(name) + "'");
  if (H5Tget_class(type) != H5T_STRING)
    check_status(H5Pset_deflate(dcpl.get(), kDeflateLevel), "adding the deflate filter");
  return check(
      H5Dcreate2(loc, str(name).c_str(), type, space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT),
      "creating dataset '" + str(name) + "'");
}

namespace {

/// Extends 1-D `dset` by `n` rows; returns the first new row.
hsize_t extend_rows(hid_t dset, hsize_t n) {
  const hsize_t at = shape(dset).at(0), size = at + n;
  check_status(H5Dset_extent(dset, &size), "extending a dataset");
  return at;
}

}  // namespace

template <class T>
void append_rows(hid_t dset, std::span<const T> values) {
  if (values.empty()) return;
  const hsize_t at = extend_rows(dset, values.size());
  write_typed_block(dset, {at}, {values.size()}, native_type<T>(), values.data(), values.size());
}
template void append_rows<double>(hid_t, std::span<const double>);
template void append_rows<std::int32_t>(hid_t, std::span<const std::int32_t>);
template void append_rows<std::int64_t>(hid_t, std::span<const std::int64_t>);

void append_string_rows(hid_t dset, const std::vector<std::string>& values) {
  if (values.empty()) return;
  write_string_rows(dset, extend_rows(dset, values.size()), values);
}

namespace {

/// Writes n values of `mem_type` at `data` into the block [start, start + count) of `dset`.
void write_typed_block(hid_t dset, const std::vector<hsize_t>& start,
                       const std::vector<hsize_t>& count, hid_t mem_type, const void* data,
                       std::size_t n_values) {
  hsize_t n = 1;
  for (hsize_t c : count) n *= c;
  if (n != n_values) throw std::logic_error("h5::write_block: size does not match block");
  if (n == 0) return;
  Handle file_space = check(H5Dget_space(dset), "reading a dataspace");
  check_status(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start.data(), nullptr,
                                   count.data(), nullptr),
               "selecting a block");
  // Same shape as the file block: HDF5 then maps whole blocks instead of element by element.
  Handle mem_space = check(H5Screate_simple(static_cast<int>(count.size()), count.data(), nullptr),
                           "creating a dataspace");
  check_status(H5Dwrite(dset, mem_type, mem_space.get(), file_space.get(),
                        transfer_for(n_values).get(), data),
               "writing a block");
}

}  // namespace

void write_block(hid_t dset, const std::vector<hsize_t>& start, const std::vector<hsize_t>& count,
                 std::span<const double> values) {
  write_typed_block(dset, start, count, H5T_NATIVE_DOUBLE, values.data(), values.size());
}

void write_block(hid_t dset, const std::vector<hsize_t>& start, const std::vector<hsize_t>& count,
                 std::span<const std::int64_t> values) {
  write_typed_block(dset, start, count, H5T_NATIVE_INT64, values.data(), values.size());
}

Handle create_strings(hid_t loc, std::string_view name, hsize_t n) {
  Handle type = utf8_string_type();
  return create_dataset(loc, name, type.get(), {n}, false);
}

void write_string_rows(hid_t dset, hsize_t start, const std::vector<std::string>& values) {
  if (values.empty()) return;
  Handle type = utf8_string_type();
  std::vector<const char*> ptrs;
  ptrs.reserve(values.size());
  for (const auto& v : values) ptrs.push_back(v.c_str());
  const hsize_t count = values.size();
  Handle file_space = check(H5Dget_space(dset), "reading a dataspace");
  check_status(
      H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, &start, nullptr, &count, nullptr),
      "selecting rows");
  Handle mem_space = check(H5Screate_simple(1, &count, nullptr), "creating a dataspace");
  check_status(H5Dwrite(dset, type.get(), mem_space.get(), file_space.get(),
                        transfer_for(values.size()).get(), ptrs.data()),
               "writing strings");
}

bool has_dataset(hid_t loc, std::string_view name) {
  const htri_t r = H5Lexists(loc, str(name).c_str(), H5P_DEFAULT);
  if (r <= 0) return false;
  H5O_info_t info;
  if (H5Oget_info_by_name(loc, str(name).c_str(), &info, H5P_DEFAULT) < 0) {
    H5Eclear2(H5E_DEFAULT);
    return false;
  }
  return info.type == H5O_TYPE_DATASET;
}

std::vector<hsize_t> shape(hid_t dset) {
  Handle space = check(H5Dget_space(dset), "reading a dataspace");
  const int rank = H5Sget_simple_extent_ndims(space.get());
  if (rank < 0) fail("reading a rank");
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  if (rank > 0 && H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr) < 0)
    fail("reading a shape");
  return dims;
}

std::vector<double> read_block(hid_t dset, const std::vector<hsize_t>& start,
                               const std::vector<hsize_t>& count) {
  hsize_t n = 1;
  for (hsize_t c : count) {
    // Checked before anything is allocated: a damaged shape may claim any size.
    if (c != 0 && n > kMaxReadValues / c)
      fail("a block of more than " + std::to_string(kMaxReadValues) + " values");
    n *= c;
  }
  std::vector<double> out(n);
  if (n == 0) return out;
  Handle file_space = check(H5Dget_space(dset), "reading a dataspace");
  check_status(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start.data(), nullptr,
                                   count.data(), nullptr),
               "selecting a block");
  // Same shape as the file block: HDF5 then maps whole blocks instead of element by element.
  Handle mem_space = check(H5Screate_simple(static_cast<int>(count.size()), count.data(), nullptr),
                           "creating a dataspace");
  check_status(H5Dread(dset, H5T_NATIVE_DOUBLE, mem_space.get(), file_space.get(),
                       transfer_for(out.size()).get(), out.data()),
               "reading a block");
  return out;
}

}  // namespace geosim::h5
