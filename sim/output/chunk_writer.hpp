#pragma once
/// Whole chunks of chunked, deflated datasets, compressed on worker threads and written in the
/// order they were submitted with H5Dwrite_chunk (HDF5's own filter pipeline compresses on the
/// calling thread only). Each chunk is a zlib stream (what HDF5's deflate filter stores and
/// inflates), made by ISA-L at level 1 where geosim was built with it, by zlib otherwise, so
/// every reader opens the file as before.
#include <hdf5.h>

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

namespace geosim::h5 {

/// `raw` deflated at `level` as a zlib stream (header, deflate blocks, Adler-32): ISA-L's igzip
/// for level 1 when built with it (falling back to zlib for data it cannot fit), zlib otherwise.
std::vector<unsigned char> deflate_chunk(std::span<const unsigned char> raw, int level);

class ChunkWriter {
 public:
  /// `threads` <= 1: compress on the calling thread, no worker. `level`: the deflate level the
  /// datasets were created with.
  ChunkWriter(int threads, int level);
  ~ChunkWriter();  ///< stops the workers; what was not flushed is dropped
  ChunkWriter(const ChunkWriter&) = delete;
  ChunkWriter& operator=(const ChunkWriter&) = delete;

  /// Queues the chunk of `dset` at dataset coordinates `offset` (a multiple of the chunk shape
  /// on every axis). `values` is the whole chunk, row-major, chunk-shape values (pad a chunk
  /// that crosses the dataset's end). Copies the values; may block while the queue is full,
  /// writing finished chunks. `dset` must stay open until flush().
  void submit(hid_t dset, const std::vector<hsize_t>& offset, std::span<const double> values);

  /// Writes every queued chunk; rethrows the first error (std::runtime_error).
  void flush();

 private:
  struct Job {
    hid_t dset = -1;
    std::vector<hsize_t> offset;
    std::vector<double> raw;
    std::vector<unsigned char> packed;
    bool taken = false;
    bool done = false;
    std::exception_ptr error;
  };
  void work();
  static void compress(Job& job, int level);
  void write_front(std::unique_lock<std::mutex>& lock);  ///< waits for the oldest job, writes it

  int level_;
  std::size_t max_queued_;
  std::deque<Job> queue_;
  std::mutex mutex_;
  std::condition_variable work_ready_, job_done_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

/// Whole chunks of a row-major block of a chunked dataset: `block` has shape `dims` and starts
/// at dataset coordinates `origin`; `chunk` is the dataset's chunk shape and `full` its shape.
/// Chunk axes before the dataset's split axis must be 1 and after it whole (choose_chunk's
/// shapes), `origin` a chunk boundary, and the block must end at a chunk boundary or at the
/// dataset's end on its split axis. Returns false (nothing submitted) if it does not fit; the
/// caller then writes the block through HDF5.
bool submit_chunks(ChunkWriter& out, hid_t dset, const std::vector<hsize_t>& full,
                   const std::vector<hsize_t>& chunk, const std::vector<hsize_t>& origin,
                   const std::vector<hsize_t>& dims, std::span<const double> block);

}  // namespace geosim::h5

namespace geosim::h5 {

/// The turns of one per-turn variable not yet written, in a file of one run (no lead axes) or
/// of several (lead axes scenario, replicate before `turn`): held back until they fill the
/// chunks that span them (all turns for a contiguous dataset), then written in one piece, whole
/// chunks through the ChunkWriter. A slab for another run, or a turn that does not follow,
/// first writes what is held.
class HeldTurns {
 public:
  /// `full`: the dataset's shape, `turn_axis` its turn axis, `chunk` its chunk shape (empty:
  /// contiguous).
  HeldTurns(hid_t dset, std::vector<hsize_t> full, std::size_t turn_axis,
            std::vector<hsize_t> chunk);
  /// The values of slab (lead, turn), to fill (row-major over the axes after `turn`).
  std::span<double> slot(ChunkWriter& out, const std::vector<hsize_t>& lead, hsize_t turn);
  /// After filling the slot: writes the held turns if they fill the hold, or if `last`.
  void filled(ChunkWriter& out, bool last);
  /// Writes what is held.
  void flush(ChunkWriter& out);

 private:
  hid_t dset_;
  std::vector<hsize_t> full_, chunk_;
  std::size_t turn_axis_;
  hsize_t slab_ = 1, depth_ = 1;
  std::vector<double> data_;
  std::vector<hsize_t> lead_;
  hsize_t first_ = 0, held_ = 0;
  bool direct_ = false;  ///< chunks of this dataset went through the ChunkWriter
};

}  // namespace geosim::h5
