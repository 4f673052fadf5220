#include "output/sweep_pack.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <random>
#include <stdexcept>

#include "core/error.hpp"
#include "output/temp_file.hpp"

namespace geosim {

namespace {

namespace fs = std::filesystem;

constexpr std::size_t kHeaderBytes = 64, kRecordBytes = 32;
constexpr char kPackMagic[8] = {'G', 'S', 'I', 'M', 'P', 'A', 'C', 'K'};
constexpr char kRecordMagic[4] = {'C', 'H', 'N', 'K'};
constexpr std::uint32_t kPackVersion = 1;
/// Descriptors a reader keeps open at a time (merge reads the chunks in order, which cycles
/// through the packs of interleaved shards).
constexpr std::size_t kOpenPacks = 64;

std::uint32_t crc(const std::uint8_t* p, std::size_t n) {
  return static_cast<std::uint32_t>(crc32_z(crc32_z(0, nullptr, 0), p, n));
}

// Little-endian fields, whatever the host.
void put32(std::vector<std::uint8_t>& b, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
void put64(std::vector<std::uint8_t>& b, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) b.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
std::uint32_t get32(const std::uint8_t* p) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}
std::uint64_t get64(const std::uint8_t* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

/// Bytes of a chunk's payload other than its messages.
std::uint64_t fixed_payload(const SweepLayout& l, std::uint64_t runs) {
  return runs * (1 + 4 + 8 * (l.metrics.size() + l.trajectory_size()));
}

/// Reads exactly n bytes at offset; false at the end of the file.
bool read_at(int fd, std::uint8_t* p, std::size_t n, std::uint64_t offset) {
  while (n > 0) {
    const ssize_t got = ::pread(fd, p, n, static_cast<off_t>(offset));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    p += got;
    n -= static_cast<std::size_t>(got);
    offset += static_cast<std::uint64_t>(got);
  }
  return true;
}

void write_all(int fd, const std::uint8_t* p, std::size_t n, const std::string& path) {
  while (n > 0) {
    const ssize_t put = ::write(fd, p, n);
    if (put < 0 && errno == EINTR) continue;
    if (put <= 0)
      throw WriteError(path, std::string(put < 0 ? std::strerror(errno) : "nothing written") +
                                 "; the chunks committed before are kept");
    p += put;
    n -= static_cast<std::size_t>(put);
  }
}

std::string byte_note(const std::string& path, std::uint64_t at, const std::string& what) {
  return path + ": " + what + " at byte " + std::to_string(at);
}

}  // namespace

std::vector<std::uint8_t> encode_pack_header(const SweepLayout& l) {
  std::vector<std::uint8_t> b(kPackMagic, kPackMagic + 8);
  put32(b, kPackVersion);
  put32(b, static_cast<std::uint32_t>(l.chunk));
  std::string hash = l.plan_hash;
  hash.resize(16, '\0');
  b.insert(b.end(), hash.begin(), hash.end());
  put64(b, l.n_runs);
  put32(b, static_cast<std::uint32_t>(l.metrics.size()));
  put32(b, 0);
  put64(b, l.trajectory_size());
  put32(b, 0);
  put32(b, crc(b.data(), b.size()));
  return b;
}

std::vector<std::uint8_t> encode_pack_record(const SweepLayout& l, std::uint64_t chunk,
                                             std::span<const SweepRunRecord> records) {
  const std::size_t m = l.metrics.size(), tr = l.trajectory_size();
  if (chunk >= l.n_chunks() || records.size() != l.chunk_count(chunk))
    throw std::logic_error("encode_pack_record: not chunk " + std::to_string(chunk) + "'s runs");
  std::vector<std::uint8_t> b(kRecordBytes, 0);
  std::size_t messages = 0;
  for (std::size_t i = 0; i < records.size(); ++i) {
    const auto& r = records[i];
    if (r.run_id != l.chunk_first(chunk) + i || r.metrics.size() != m || r.trajectory.size() != tr)
      throw std::logic_error("encode_pack_record: records do not match the layout");
    if (r.message.size() > 0xffffffffu)
      throw std::logic_error("encode_pack_record: a message longer than 4 GiB");
    messages += r.message.size();
  }
  b.reserve(kRecordBytes + fixed_payload(l, records.size()) + messages);
  for (const auto& r : records) b.push_back(r.ok ? 0 : 1);
  for (const auto& r : records) put32(b, static_cast<std::uint32_t>(r.message.size()));
  for (const auto& r : records) b.insert(b.end(), r.message.begin(), r.message.end());
  for (const auto& r : records)
    for (double x : r.metrics) put64(b, std::bit_cast<std::uint64_t>(x));
  for (const auto& r : records)
    for (double x : r.trajectory) put64(b, std::bit_cast<std::uint64_t>(x));
  std::vector<std::uint8_t> h(kRecordMagic, kRecordMagic + 4);
  put32(h, 0);
  put64(h, chunk);
  put64(h, b.size() - kRecordBytes);
  put32(h, crc(b.data() + kRecordBytes, b.size() - kRecordBytes));
  put32(h, crc(h.data(), h.size()));
  std::copy(h.begin(), h.end(), b.begin());
  return b;
}

// --- writing ---------------------------------------------------------------------------------

SweepPackWriter::SweepPackWriter(std::string dir, SweepLayout layout)
    : dir_(std::move(dir)), layout_(std::move(layout)) {}

SweepPackWriter::~SweepPackWriter() {
  if (fd_ >= 0) ::close(fd_);
}

std::string SweepPackWriter::path() const {
  const std::lock_guard<std::mutex> lock(lock_);
  return path_;
}

void SweepPackWriter::commit(std::uint64_t chunk, std::span<const SweepRunRecord> records) {
  const std::vector<std::uint8_t> record = encode_pack_record(layout_, chunk, records);
  const std::lock_guard<std::mutex> lock(lock_);
  if (fd_ < 0) {
    const fs::path folder = fs::path(dir_) / "chunks";
    std::error_code ec;
    fs::create_directories(folder, ec);
    // Host and pid name the writer; the random tag keeps two processes with one host name and
    // pid (containers) apart, and O_EXCL makes sure.
    std::random_device rd;
    for (int attempt = 0; fd_ < 0; ++attempt) {
      char tag[16];
      std::snprintf(tag, sizeof tag, "%08x", static_cast<unsigned>(rd()));
      path_ = (folder /
               ("pack_" + host_name() + "_" + std::to_string(::getpid()) + "_" + tag + kPackSuffix))
                  .string();
      fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0644);
      if (fd_ < 0 && (errno != EEXIST || attempt > 8))
        throw WriteError(path_, std::strerror(errno));
    }
    try {
      const auto header = encode_pack_header(layout_);
      write_all(fd_, header.data(), header.size(), path_);
      if (::fsync(fd_) != 0) throw WriteError(path_, std::string("fsync: ") + std::strerror(errno));
      // The new name must survive a crash too.
      const int d = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (d >= 0) {
        (void)::fsync(d);
        ::close(d);
      }
    } catch (...) {
      ::close(fd_);
      fd_ = -1;
      fs::remove(path_, ec);
      path_.clear();
      throw;
    }
    end_ = kHeaderBytes;
  }
  try {
    write_all(fd_, record.data(), record.size(), path_);
    if (::fdatasync(fd_) != 0)
      throw WriteError(path_, std::string("fdatasync: ") + std::strerror(errno) +
                                  "; the chunks committed before are kept");
    end_ += record.size();
  } catch (...) {
    // Cut the partial record off (if the file system lets us; readers ignore a torn tail
    // anyway), and start another pack at the next commit.
    if (::ftruncate(fd_, static_cast<off_t>(end_)) == 0) (void)::fdatasync(fd_);
    ::close(fd_);
    fd_ = -1;
    throw;
  }
}

// --- reading ---------------------------------------------------------------------------------

SweepChunks::SweepChunks(const std::string& dir, const SweepLayout& layout)
    : layout_(layout), first_(layout.n_chunks()) {
  std::error_code ec;
  const fs::path folder = fs::path(dir) / "chunks";
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() > std::strlen(kPackSuffix) && name.ends_with(kPackSuffix))
      packs_.push_back(it->path().string());
  }
  // No chunks/ yet is a sweep that has committed nothing; any other failure to list it would
  // make every committed chunk look missing.
  if (ec && ec != std::errc::no_such_file_or_directory)
    throw FileError(folder.string(), "cannot list the committed chunks (" + ec.message() + ")");
  std::sort(packs_.begin(), packs_.end());
  fds_.assign(packs_.size(), -1);
  const std::vector<std::uint8_t> want = encode_pack_header(layout);
  for (std::uint32_t p = 0; p < packs_.size(); ++p) {
    const std::string& path = packs_[p];
    const int fd = open_pack(p);
    if (fd < 0) {
      notes_.push_back(path + ": cannot be opened (" + std::strerror(errno) + "): ignored");
      continue;
    }
    struct stat st {};
    const std::uint64_t size = ::fstat(fd, &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
    std::uint8_t h[kHeaderBytes];
    if (size < kHeaderBytes || !read_at(fd, h, kHeaderBytes, 0)) {
      notes_.push_back(path + ": no whole header (its writer stopped before its first commit)");
      continue;
    }
    if (!std::equal(kPackMagic, kPackMagic + 8, h) || get32(h + 60) != crc(h, 60)) {
      notes_.push_back(path + ": not a geosim pack, or its header is damaged: ignored");
      continue;
    }
    if (!std::equal(h + 16, h + 32, want.begin() + 16)) {
      const std::string hash(reinterpret_cast<const char*>(h + 16),
                             strnlen(reinterpret_cast<const char*>(h + 16), 16));
      throw InputError(Location{path, 0, 0}, "",
                       "a pack of another plan (hash " + hash + ", the plan's is " +
                           layout.plan_hash + "): move it out of the sweep folder");
    }
    if (!std::equal(h, h + kHeaderBytes, want.begin()))
      throw InputError(Location{path, 0, 0}, "",
                       "its header does not match the plan's layout (version, chunk size, "
                       "runs, metrics or trajectory size)");
    std::uint64_t at = kHeaderBytes;
    while (at < size) {
      std::uint8_t r[kRecordBytes];
      if (size - at < kRecordBytes || !read_at(fd, r, kRecordBytes, at)) {
        notes_.push_back(byte_note(path, at,
                                   "an incomplete record (being written, or its "
                                   "writer was stopped): ignored"));
        break;
      }
      if (!std::equal(kRecordMagic, kRecordMagic + 4, r) || get32(r + 28) != crc(r, 28)) {
        notes_.push_back(byte_note(path, at,
                                   "a damaged record header: the rest of the pack (" +
                                       std::to_string(size - at) + " bytes) is ignored"));
        break;
      }
      const std::uint64_t chunk = get64(r + 8), length = get64(r + 16);
      if (length > size - at - kRecordBytes) {
        notes_.push_back(byte_note(path, at,
                                   "an incomplete record (being written, or its "
                                   "writer was stopped): ignored"));
        break;
      }
      if (chunk >= first_.size() || length < fixed_payload(layout, layout.chunk_count(chunk))) {
        notes_.push_back(byte_note(path, at,
                                   "a record that is not one of the plan's chunks: "
                                   "ignored"));
      } else {
        const Copy copy{p, get32(r + 24), at + kRecordBytes, length};
        if (first_[chunk].pack == kNone) {
          first_[chunk] = copy;
          ++committed_;
        } else {
          more_.emplace_back(chunk, copy);
        }
      }
      at += kRecordBytes + length;
    }
  }
  // Further copies in pack order per chunk, found by binary search.
  std::stable_sort(more_.begin(), more_.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
}

SweepChunks::~SweepChunks() {
  for (int fd : fds_)
    if (fd >= 0) ::close(fd);
}

int SweepChunks::open_pack(std::uint32_t pack) const {
  if (fds_[pack] >= 0) return fds_[pack];
  if (open_.size() >= kOpenPacks) {
    ::close(fds_[open_.front()]);
    fds_[open_.front()] = -1;
    open_.erase(open_.begin());
  }
  fds_[pack] = ::open(packs_[pack].c_str(), O_RDONLY | O_CLOEXEC);
  if (fds_[pack] >= 0) open_.push_back(pack);
  return fds_[pack];
}

bool SweepChunks::has(std::uint64_t chunk) const {
  return chunk < first_.size() && first_[chunk].pack != kNone;
}

std::optional<std::vector<SweepRunRecord>> SweepChunks::read(std::uint64_t chunk) const {
  if (!has(chunk)) return std::nullopt;
  std::vector<Copy> copies{first_[chunk]};
  const auto by_chunk = [](const auto& a, const auto& b) { return a.first < b.first; };
  const auto [lo, hi] =
      std::equal_range(more_.begin(), more_.end(), std::make_pair(chunk, Copy{}), by_chunk);
  for (auto it = lo; it != hi; ++it) copies.push_back(it->second);
  std::vector<std::uint8_t> b;
  for (const Copy& c : copies) {
    const int fd = open_pack(c.pack);
    b.resize(c.length);
    if (fd < 0 || !read_at(fd, b.data(), b.size(), c.offset)) {
      notes_.push_back(packs_[c.pack] + ": chunk " + std::to_string(chunk) +
                       " cannot be read any more");
      continue;
    }
    if (crc(b.data(), b.size()) != c.crc) {
      notes_.push_back(byte_note(
          packs_[c.pack], c.offset - kRecordBytes,
          "chunk " + std::to_string(chunk) + "'s record fails its checksum (damaged): ignored"));
      continue;
    }
    std::string why;
    if (auto records = decode(chunk, b, why)) return records;
    // A record whose checksum holds but whose contents do not fit the plan: written by
    // another program, or damaged before it was checksummed. Treated as damaged.
    notes_.push_back(
        byte_note(packs_[c.pack], c.offset - kRecordBytes,
                  "chunk " + std::to_string(chunk) + "'s record " + why + ": ignored"));
  }
  return std::nullopt;
}

bool SweepChunks::verify(std::uint64_t chunk) const {
  return read(chunk).has_value();
}

std::optional<std::vector<SweepRunRecord>> SweepChunks::decode(std::uint64_t chunk,
                                                               const std::vector<std::uint8_t>& b,
                                                               std::string& why) const {
  const std::size_t n = layout_.chunk_count(chunk), m = layout_.metrics.size(),
                    tr = layout_.trajectory_size();
  // The scan made sure that b holds at least the fixed part (fixed_payload).
  const std::uint8_t* p = b.data();
  const std::uint8_t* const end = p + b.size();
  std::vector<SweepRunRecord> out(n);
  std::uint64_t text = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (p[i] > 1) {
      why = "holds a run status that is neither 0 nor 1";
      return std::nullopt;
    }
    out[i].run_id = layout_.chunk_first(chunk) + i;
    out[i].ok = p[i] == 0;
  }
  p += n;
  std::vector<std::uint32_t> lengths(n);
  for (std::size_t i = 0; i < n; ++i, p += 4) text += lengths[i] = get32(p);
  if (static_cast<std::uint64_t>(end - p) != text + 8 * n * (m + tr)) {
    why = "does not have the length of its messages and values";
    return std::nullopt;
  }
  for (std::size_t i = 0; i < n; ++i) {
    out[i].message.assign(reinterpret_cast<const char*>(p), lengths[i]);
    p += lengths[i];
  }
  for (std::size_t i = 0; i < n; ++i) {
    out[i].metrics.resize(m);
    for (std::size_t k = 0; k < m; ++k, p += 8) out[i].metrics[k] = std::bit_cast<double>(get64(p));
  }
  for (std::size_t i = 0; i < n; ++i) {
    out[i].trajectory.resize(tr);
    for (std::size_t k = 0; k < tr; ++k, p += 8)
      out[i].trajectory[k] = std::bit_cast<double>(get64(p));
  }
  return out;
}

}  // namespace geosim
