#pragma once
/// Committed chunks of a sweep (docs/sweeps.md, "The sweep folder"): every process appends the
/// chunks it runs to a pack file of its own, DIR/chunks/pack_HOST_PID_TAG.gspack, one record
/// per chunk, and fsyncs it: the record is the commit. A sweep thus makes one file per process
/// (a local run, a Slurm task, an MPI rank), not one per chunk.
///
/// Why not HDF5: an HDF5 file that a killed process was appending to may be unreadable as a
/// whole, losing every chunk it held; a log of checksummed records loses at most the record
/// being written. A pack is: a 64-byte header (magic, format version, chunk size, plan hash,
/// the layout's sizes, CRC-32; integers little-endian), then records, each a 32-byte header (magic,
/// chunk, payload length, payload CRC-32, header CRC-32) and a payload (the chunk's run statuses,
/// message lengths, messages, metrics and trajectories, in run order). A torn or damaged record
/// ends the scan of its pack at a torn header, or is skipped at a damaged payload; its chunk is
/// then not committed and runs again. Two copies of one chunk (two processes ran it) hold the
/// same bits; the first whole one is used.
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "output/sweep_store.hpp"

namespace geosim {

/// Appends this process's committed chunks to its own pack, created at the first commit.
/// Thread-safe.
class SweepPackWriter {
 public:
  SweepPackWriter(std::string dir, SweepLayout layout);
  ~SweepPackWriter();
  SweepPackWriter(const SweepPackWriter&) = delete;
  SweepPackWriter& operator=(const SweepPackWriter&) = delete;

  /// Appends chunk `chunk`'s records and fsyncs them. Throws WriteError (naming the pack) if
  /// the file system refuses: the partial record is cut off where the file system allows (a
  /// reader never takes a torn one as committed), and the next commit starts a new pack.
  void commit(std::uint64_t chunk, std::span<const SweepRunRecord> records);
  /// The pack's path ("" before the first commit).
  std::string path() const;

 private:
  std::string dir_;
  SweepLayout layout_;
  mutable std::mutex lock_;
  int fd_ = -1;
  std::uint64_t end_ = 0;  ///< bytes of the pack that are committed
  std::string path_;
};

/// The committed chunks of a sweep folder, found by reading the record headers of its packs
/// (not their payloads).
class SweepChunks {
 public:
  /// Scans DIR/chunks. Throws InputError (at the pack) if a pack belongs to another plan.
  SweepChunks(const std::string& dir, const SweepLayout& layout);
  ~SweepChunks();
  SweepChunks(const SweepChunks&) = delete;
  SweepChunks& operator=(const SweepChunks&) = delete;

  /// True if a record of the chunk was found (its payload is checked by read and verify).
  bool has(std::uint64_t chunk) const;
  /// Chunks with a record.
  std::uint64_t committed() const { return committed_; }
  /// Pack files found.
  std::size_t packs() const { return packs_.size(); }
  /// The pack files found, in the order read.
  const std::vector<std::string>& pack_paths() const { return packs_; }
  /// The chunk's records from its first whole copy (checksum and contents); nullopt if none
  /// (no record, or every copy is damaged: a note says how). Not thread-safe.
  std::optional<std::vector<SweepRunRecord>> read(std::uint64_t chunk) const;
  /// True if read(chunk) would give the chunk's records.
  bool verify(std::uint64_t chunk) const;
  /// What the scan and the reads found wrong: torn or damaged records and packs, one line each.
  const std::vector<std::string>& notes() const { return notes_; }

 private:
  /// Where a copy of a chunk's record is: 24 bytes per chunk of the plan.
  struct Copy {
    std::uint32_t pack = kNone;
    std::uint32_t crc = 0;
    std::uint64_t offset = 0, length = 0;
  };
  static constexpr std::uint32_t kNone = 0xffffffffu;
  /// The runs of a payload that passed its checksum; nullopt (and why) if it does not fit the
  /// plan's chunk.
  std::optional<std::vector<SweepRunRecord>> decode(std::uint64_t chunk,
                                                    const std::vector<std::uint8_t>& payload,
                                                    std::string& why) const;
  int open_pack(std::uint32_t pack) const;

  SweepLayout layout_;
  std::vector<std::string> packs_;
  std::vector<Copy> first_;                           ///< per chunk: the first copy found
  std::vector<std::pair<std::uint64_t, Copy>> more_;  ///< further copies (chunks run twice)
  std::uint64_t committed_ = 0;
  mutable std::vector<std::string> notes_;
  mutable std::vector<int> fds_;             ///< per pack, -1 if closed
  mutable std::vector<std::uint32_t> open_;  ///< packs with an open descriptor, oldest first
};

/// The pack name stem: "pack_" (a file of DIR/chunks is a pack if it ends in kPackSuffix).
inline constexpr const char* kPackSuffix = ".gspack";

/// Encodes a chunk's records as a pack record (header and payload); for tests and the fuzz
/// seeds. `records` must match the layout.
std::vector<std::uint8_t> encode_pack_record(const SweepLayout& layout, std::uint64_t chunk,
                                             std::span<const SweepRunRecord> records);
/// A pack's 64-byte header for the layout.
std::vector<std::uint8_t> encode_pack_header(const SweepLayout& layout);

}  // namespace geosim
