#include "output/chunk_writer.hpp"

#include <zlib.h>
#if GEOSIM_HAVE_ISAL
#include <isa-l/igzip_lib.h>
#endif

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "output/h5_helpers.hpp"

namespace geosim::h5 {

ChunkWriter::ChunkWriter(int threads, int level)
    : level_(level), max_queued_(static_cast<std::size_t>(std::max(2, 2 * threads + 1))) {
  try {
    for (int i = 0; i < threads && threads > 1; ++i) workers_.emplace_back([this] { work(); });
  } catch (...) {  // a thread that cannot start: stop those that did, then report
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    work_ready_.notify_all();
    for (auto& t : workers_) t.join();
    throw;
  }
}

ChunkWriter::~ChunkWriter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  work_ready_.notify_all();
  for (auto& t : workers_) t.join();
}

namespace {

std::vector<unsigned char> deflate_with_zlib(std::span<const unsigned char> raw, int level) {
  uLongf size = compressBound(static_cast<uLong>(raw.size()));
  std::vector<unsigned char> out(size);
  if (compress2(out.data(), &size, raw.data(), static_cast<uLong>(raw.size()), level) != Z_OK)
    throw std::runtime_error("deflate failed on a chunk");
  out.resize(size);
  return out;
}

}  // namespace

std::vector<unsigned char> deflate_chunk(std::span<const unsigned char> raw, int level) {
#if GEOSIM_HAVE_ISAL
  // ISA-L's igzip level 1 compresses geosim's arrays about 6x faster than zlib's level 1, to a
  // slightly smaller stream (simulate_h5, benchmarks/README.md); a zlib stream either way.
  if (level == 1) {
    thread_local std::vector<unsigned char> level_buf(ISAL_DEF_LVL1_DEFAULT);
    std::vector<unsigned char> out(compressBound(static_cast<uLong>(raw.size())) + 64);
    isal_zstream z;
    isal_deflate_stateless_init(&z);
    z.level = 1;
    z.level_buf = level_buf.data();
    z.level_buf_size = static_cast<std::uint32_t>(level_buf.size());
    z.gzip_flag = IGZIP_ZLIB;
    z.end_of_stream = 1;
    z.flush = NO_FLUSH;
    z.next_in = const_cast<std::uint8_t*>(raw.data());  // ISA-L's API is not const-correct
    z.avail_in = static_cast<std::uint32_t>(raw.size());
    z.next_out = out.data();
    z.avail_out = static_cast<std::uint32_t>(out.size());
    if (raw.size() <= UINT32_MAX && isal_deflate_stateless(&z) == COMP_OK) {
      out.resize(z.total_out);
      return out;
    }
    // An overflow (data that does not compress) or a chunk over 4 GiB: zlib's stream.
  }
#endif
  return deflate_with_zlib(raw, level);
}

void ChunkWriter::compress(Job& job, int level) {
  job.packed = deflate_chunk(
      {reinterpret_cast<const unsigned char*>(job.raw.data()), job.raw.size() * sizeof(double)},
      level);
  job.raw = {};
}

void ChunkWriter::work() {
  std::unique_lock lock(mutex_);
  for (;;) {
    work_ready_.wait(lock, [&] {
      return stopping_ ||
             std::any_of(queue_.begin(), queue_.end(), [](const Job& j) { return !j.taken; });
    });
    if (stopping_) return;
    Job& job = *std::find_if(queue_.begin(), queue_.end(), [](const Job& j) { return !j.taken; });
    job.taken = true;  // deque references stay valid: only the owner pops, and only done jobs
    lock.unlock();
    try {
      compress(job, level_);
    } catch (...) {
      job.error = std::current_exception();
    }
    lock.lock();
    job.done = true;
    job_done_.notify_all();
  }
}

void ChunkWriter::write_front(std::unique_lock<std::mutex>& lock) {
  Job& job = queue_.front();
  if (workers_.empty()) {
    job.taken = true;
    try {
      compress(job, level_);
    } catch (...) {
      job.error = std::current_exception();
    }
    job.done = true;
  }
  job_done_.wait(lock, [&] { return job.done; });
  Job mine = std::move(job);
  queue_.pop_front();
  lock.unlock();  // writing is HDF5's (one thread), compressing goes on meanwhile
  if (mine.error) std::rethrow_exception(mine.error);
  check_status(H5Dwrite_chunk(mine.dset, H5P_DEFAULT, 0, mine.offset.data(), mine.packed.size(),
                              mine.packed.data()),
               "writing a chunk");
  lock.lock();
}

void ChunkWriter::submit(hid_t dset, const std::vector<hsize_t>& offset,
                         std::span<const double> values) {
  std::unique_lock lock(mutex_);
  while (queue_.size() >= max_queued_) write_front(lock);
  Job& job = queue_.emplace_back();
  job.dset = dset;
  job.offset = offset;
  job.raw.assign(values.begin(), values.end());
  lock.unlock();
  work_ready_.notify_one();
}

void ChunkWriter::flush() {
  std::unique_lock lock(mutex_);
  while (!queue_.empty()) write_front(lock);
}

bool submit_chunks(ChunkWriter& out, hid_t dset, const std::vector<hsize_t>& full,
                   const std::vector<hsize_t>& chunk, const std::vector<hsize_t>& origin,
                   const std::vector<hsize_t>& dims, std::span<const double> block) {
  const std::size_t rank = full.size();
  if (rank == 0 || chunk.size() != rank || origin.size() != rank || dims.size() != rank)
    return false;
  // The split axis: the last one a chunk does not span whole (axis 0 if it spans them all).
  std::size_t s = 0;
  for (std::size_t a = rank; a-- > 0;)
    if (chunk[a] < full[a]) {
      s = a;
      break;
    }
  hsize_t outer = 1, inner = 1;
  for (std::size_t a = 0; a < rank; ++a) {
    if (a < s && chunk[a] != 1) return false;
    if (a > s && (dims[a] != full[a] || chunk[a] != full[a] || origin[a] != 0)) return false;
    if (a < s) outer *= dims[a];
    if (a > s) inner *= dims[a];
  }
  const hsize_t c = chunk[s], length = dims[s];
  if (origin[s] % c != 0) return false;
  if (length % c != 0 && origin[s] + length != full[s]) return false;  // ends mid-chunk
  std::size_t values = 1;
  for (std::size_t a = 0; a < rank; ++a) values *= static_cast<std::size_t>(dims[a]);
  if (block.size() != values) return false;
  std::vector<double> padded;
  std::vector<hsize_t> at = origin;
  for (hsize_t o = 0; o < outer; ++o) {
    // Coordinates of the axes before s, from o (row-major over the block's extents).
    hsize_t rest = o;
    for (std::size_t a = s; a-- > 0;) {
      at[a] = origin[a] + rest % dims[a];
      rest /= dims[a];
    }
    for (hsize_t r0 = 0; r0 < length; r0 += c) {
      at[s] = origin[s] + r0;
      const hsize_t len = std::min(c, length - r0);
      const auto* data = block.data() + (o * length + r0) * inner;
      if (len == c) {
        out.submit(dset, at, {data, static_cast<std::size_t>(c * inner)});
      } else {  // the dataset's last chunk on this axis: pad it to the chunk's shape
        padded.assign(static_cast<std::size_t>(c * inner), 0.0);
        std::copy(data, data + len * inner, padded.begin());
        out.submit(dset, at, padded);
      }
    }
  }
  return true;
}

}  // namespace geosim::h5

namespace geosim::h5 {

HeldTurns::HeldTurns(hid_t dset, std::vector<hsize_t> full, std::size_t turn_axis,
                     std::vector<hsize_t> chunk)
    : dset_(dset), full_(std::move(full)), chunk_(std::move(chunk)), turn_axis_(turn_axis) {
  for (std::size_t a = turn_axis_ + 1; a < full_.size(); ++a) slab_ *= full_[a];
  depth_ = chunk_.empty() ? full_[turn_axis_] : chunk_[turn_axis_];
  depth_ = std::max<hsize_t>(1, depth_);
  data_.resize(static_cast<std::size_t>(depth_ * slab_));
}

std::span<double> HeldTurns::slot(ChunkWriter& out, const std::vector<hsize_t>& lead,
                                  hsize_t turn) {
  if (held_ > 0 && (lead != lead_ || turn != first_ + held_)) flush(out);
  if (held_ == 0) {
    lead_ = lead;
    first_ = turn;
  }
  return {data_.data() + held_ * slab_, static_cast<std::size_t>(slab_)};
}

void HeldTurns::filled(ChunkWriter& out, bool last) {
  ++held_;
  const bool chunk_end = (first_ + held_) % depth_ == 0;
  if (held_ == depth_ || chunk_end || last) flush(out);
}

void HeldTurns::flush(ChunkWriter& out) {
  if (held_ == 0) return;
  std::vector<hsize_t> origin = lead_, dims(lead_.size(), 1);
  origin.push_back(first_);
  dims.push_back(held_);
  for (std::size_t a = turn_axis_ + 1; a < full_.size(); ++a) {
    origin.push_back(0);
    dims.push_back(full_[a]);
  }
  const std::span<const double> block(data_.data(), static_cast<std::size_t>(held_ * slab_));
  held_ = 0;
  if (!chunk_.empty() && submit_chunks(out, dset_, full_, chunk_, origin, dims, block)) {
    direct_ = true;
    return;
  }
  if (direct_) out.flush();  // a chunk of ours may be queued: write it before this block
  write_block(dset_, origin, dims, block);
}

}  // namespace geosim::h5
