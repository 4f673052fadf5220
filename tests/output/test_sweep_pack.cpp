// Packs of committed sweep chunks (output/sweep_pack.hpp): what is read back is bit for bit
// what was committed, and a torn, damaged or foreign pack never yields a wrong chunk.
#include <doctest/doctest.h>
#include <unistd.h>
#include <zlib.h>

#include <bit>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "output/sweep_pack.hpp"

using namespace geosim;
namespace fs = std::filesystem;

namespace {

/// 10 runs in chunks of 4 (the last holds 2), 2 metrics, 3 trajectory values per run.
SweepLayout layout() {
  SweepLayout l;
  l.plan_hash = "0123456789abcdef";
  l.n_runs = 10;
  l.chunk = 4;
  l.metrics = {"a", "b"};
  SweepLayout::Trajectory t;
  t.name = "x";
  t.cells = 1;
  l.trajectories.push_back(t);
  l.trajectory_turns = {0, 6, 12};
  return l;
}

std::vector<SweepRunRecord> records(const SweepLayout& l, std::uint64_t chunk) {
  std::vector<SweepRunRecord> out;
  for (std::uint64_t i = 0; i < l.chunk_count(chunk); ++i) {
    SweepRunRecord r;
    r.run_id = l.chunk_first(chunk) + i;
    const double x = static_cast<double>(r.run_id);
    r.ok = r.run_id % 3 != 1;
    if (!r.ok) r.message = "run " + std::to_string(r.run_id) + " failed: état non fini";
    r.metrics = {r.ok ? x / 7.0 : std::numeric_limits<double>::quiet_NaN(), -x * 1e300};
    r.trajectory = {x, std::nextafter(x, 100.0), -0.0};
    out.push_back(r);
  }
  return out;
}

void same_bits(const std::vector<SweepRunRecord>& a, const std::vector<SweepRunRecord>& b) {
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].run_id == b[i].run_id);
    CHECK(a[i].ok == b[i].ok);
    CHECK(a[i].message == b[i].message);
    REQUIRE(a[i].metrics.size() == b[i].metrics.size());
    REQUIRE(a[i].trajectory.size() == b[i].trajectory.size());
    for (std::size_t k = 0; k < a[i].metrics.size(); ++k)
      CHECK(std::bit_cast<std::uint64_t>(a[i].metrics[k]) ==
            std::bit_cast<std::uint64_t>(b[i].metrics[k]));
    for (std::size_t k = 0; k < a[i].trajectory.size(); ++k)
      CHECK(std::bit_cast<std::uint64_t>(a[i].trajectory[k]) ==
            std::bit_cast<std::uint64_t>(b[i].trajectory[k]));
  }
}

struct Folder {
  fs::path dir;
  explicit Folder(const std::string& name)
      : dir(fs::temp_directory_path() /
            ("geosim_pack_" + name + "_" + std::to_string(::getpid()))) {
    fs::remove_all(dir);
    fs::create_directories(dir / "chunks");
  }
  ~Folder() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  std::string str() const { return dir.string(); }
  std::vector<fs::path> packs() const {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(dir / "chunks")) out.push_back(e.path());
    return out;
  }
};

std::vector<char> bytes_of(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}
void write_bytes(const fs::path& p, const std::vector<char>& b) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(b.data(), static_cast<std::streamsize>(b.size()));
}

}  // namespace

TEST_CASE("chunks committed in any order read back bit for bit from one pack") {
  const SweepLayout l = layout();
  Folder f("roundtrip");
  {
    SweepPackWriter w(f.str(), l);
    CHECK(w.path().empty());  // nothing is created before the first commit
    w.commit(2, records(l, 2));
    w.commit(0, records(l, 0));
    CHECK(fs::path(w.path()).extension() == ".gspack");
  }
  CHECK(f.packs().size() == 1);
  const SweepChunks c(f.str(), l);
  CHECK(c.packs() == 1);
  CHECK(c.committed() == 2);
  CHECK(c.has(0));
  CHECK_FALSE(c.has(1));
  CHECK(c.has(2));
  CHECK_FALSE(c.has(3));  // past the plan's chunks
  CHECK_FALSE(c.read(1).has_value());
  same_bits(*c.read(0), records(l, 0));
  same_bits(*c.read(2), records(l, 2));
  CHECK(c.verify(2));
  CHECK(c.notes().empty());
}

TEST_CASE("a writer refuses records that are not the chunk's runs") {
  const SweepLayout l = layout();
  Folder f("refuse");
  SweepPackWriter w(f.str(), l);
  CHECK_THROWS_AS(w.commit(1, records(l, 0)), std::logic_error);
  CHECK_THROWS_AS(w.commit(3, records(l, 2)), std::logic_error);
  auto short_metrics = records(l, 1);
  short_metrics[0].metrics.pop_back();
  CHECK_THROWS_AS(w.commit(1, short_metrics), std::logic_error);
  CHECK(f.packs().empty());
}

TEST_CASE("two processes' packs: one file each, a chunk run twice is read once") {
  const SweepLayout l = layout();
  Folder f("two");
  SweepPackWriter a(f.str(), l), b(f.str(), l);
  a.commit(0, records(l, 0));
  b.commit(0, records(l, 0));
  b.commit(1, records(l, 1));
  CHECK(a.path() != b.path());
  const SweepChunks c(f.str(), l);
  CHECK(c.packs() == 2);
  CHECK(c.committed() == 2);
  same_bits(*c.read(0), records(l, 0));
  same_bits(*c.read(1), records(l, 1));
}

TEST_CASE("a pack cut at any byte yields exactly the records written whole before the cut") {
  const SweepLayout l = layout();
  Folder f("torn");
  std::vector<std::size_t> ends;  // file size after each commit
  std::string path;
  {
    SweepPackWriter w(f.str(), l);
    for (std::uint64_t k : {1, 0, 2}) {
      w.commit(k, records(l, k));
      path = w.path();
      ends.push_back(static_cast<std::size_t>(fs::file_size(path)));
    }
  }
  const std::vector<char> whole = bytes_of(path);
  const std::uint64_t order[] = {1, 0, 2};
  for (std::size_t cut = 0; cut <= whole.size(); ++cut) {
    write_bytes(path, std::vector<char>(whole.begin(), whole.begin() + static_cast<long>(cut)));
    const SweepChunks c(f.str(), l);
    std::uint64_t expect = 0;
    for (std::size_t e = 0; e < ends.size(); ++e) {
      const bool whole_record = cut >= ends[e];
      CHECK(c.has(order[e]) == whole_record);
      if (whole_record) {
        ++expect;
        same_bits(*c.read(order[e]), records(l, order[e]));
      }
    }
    CHECK(c.committed() == expect);
    const bool at_boundary = cut == 64 || cut == whole.size() || cut == ends[0] || cut == ends[1];
    CHECK(c.notes().empty() == at_boundary);
  }
}

TEST_CASE("a damaged payload is not read; another whole copy is; a damaged header ends the scan") {
  const SweepLayout l = layout();
  Folder f("damaged");
  std::string first;
  std::size_t end0 = 0;
  {
    SweepPackWriter w(f.str(), l);
    w.commit(0, records(l, 0));
    end0 = static_cast<std::size_t>(fs::file_size(w.path()));
    w.commit(1, records(l, 1));
    first = w.path();
  }
  const std::vector<char> good = bytes_of(first);

  SUBCASE("a flipped byte in chunk 0's values") {
    std::vector<char> b = good;
    b[end0 - 3] ^= 0x10;
    write_bytes(first, b);
    const SweepChunks c(f.str(), l);
    CHECK(c.has(0));  // the header is whole: the scan does not read payloads
    CHECK_FALSE(c.verify(0));
    CHECK_FALSE(c.read(0).has_value());
    REQUIRE_FALSE(c.notes().empty());
    CHECK(c.notes().back().find("checksum") != std::string::npos);
    same_bits(*c.read(1), records(l, 1));  // the next record is still found
    // A rerun of chunk 0 by another process: its copy is read.
    SweepPackWriter again(f.str(), l);
    again.commit(0, records(l, 0));
    const SweepChunks d(f.str(), l);
    CHECK(d.verify(0));
    same_bits(*d.read(0), records(l, 0));
  }
  SUBCASE("a flipped byte in chunk 1's record header") {
    std::vector<char> b = good;
    b[end0 + 10] ^= 0x01;
    write_bytes(first, b);
    const SweepChunks c(f.str(), l);
    CHECK(c.has(0));
    CHECK_FALSE(c.has(1));
    REQUIRE(c.notes().size() == 1);
    CHECK(c.notes()[0].find("damaged record header") != std::string::npos);
  }
  SUBCASE("every single flipped byte: never a wrong chunk") {
    for (std::size_t at = 0; at < good.size(); ++at) {
      std::vector<char> b = good;
      b[at] ^= 0x5a;
      write_bytes(first, b);
      try {
        const SweepChunks c(f.str(), l);
        for (std::uint64_t k : {0, 1}) {
          const auto r = c.read(k);
          if (r) same_bits(*r, records(l, k));
        }
        CHECK(c.committed() <= 2);
      } catch (const InputError&) {
        // A header that reads as another plan's or layout's: refused, which is also right.
        CHECK(at < 64);
      }
    }
  }
}

TEST_CASE("another plan's pack is refused; a file that is not a pack is noted and ignored") {
  const SweepLayout l = layout();
  Folder f("foreign");
  SweepLayout other = l;
  other.plan_hash = "fedcba9876543210";
  {
    SweepPackWriter w(f.str(), other);
    w.commit(0, records(other, 0));
  }
  try {
    const SweepChunks c(f.str(), l);
    FAIL("another plan's pack was read");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).find("another plan") != std::string::npos);
  }
  for (const auto& p : f.packs()) fs::remove(p);
  SweepLayout wider = l;
  wider.metrics.push_back("c");
  auto wide = records(l, 0);
  for (auto& x : wide) x.metrics.push_back(1.0);
  {
    SweepPackWriter w(f.str(), wider);
    w.commit(0, wide);
  }
  CHECK_THROWS_AS(SweepChunks(f.str(), l), InputError);
  for (const auto& p : f.packs()) fs::remove(p);
  write_bytes(f.dir / "chunks" / "stray.gspack", std::vector<char>(100, 'x'));
  write_bytes(f.dir / "chunks" / "notes.txt", std::vector<char>(10, 'y'));
  const SweepChunks c(f.str(), l);
  CHECK(c.packs() == 1);
  CHECK(c.committed() == 0);
  REQUIRE(c.notes().size() == 1);
  CHECK(c.notes()[0].find("not a geosim pack") != std::string::npos);
}

TEST_CASE("a record whose checksums hold but whose contents do not fit is damaged, not fatal") {
  const SweepLayout l = layout();
  Folder f("malformed");
  std::string first;
  {
    SweepPackWriter w(f.str(), l);
    w.commit(0, records(l, 0));
    first = w.path();
  }
  // The first run's status byte (right after the 64-byte header and the 32-byte record
  // header) becomes 2, and both checksums are made to hold again.
  std::vector<char> b = bytes_of(first);
  b[96] = 2;
  const auto put32 = [&](std::size_t at, std::uint32_t v) {
    for (int i = 0; i < 4; ++i)
      b[at + static_cast<std::size_t>(i)] = static_cast<char>(v >> (8 * i));
  };
  const auto* u = reinterpret_cast<const unsigned char*>(b.data());
  put32(64 + 24, static_cast<std::uint32_t>(crc32_z(0, u + 96, b.size() - 96)));
  put32(64 + 28, static_cast<std::uint32_t>(crc32_z(0, u + 64, 28)));
  write_bytes(first, b);
  const SweepChunks c(f.str(), l);
  CHECK(c.has(0));
  CHECK_FALSE(c.verify(0));            // a resume runs it again ...
  CHECK_FALSE(c.read(0).has_value());  // ... and merge does not use it
  REQUIRE_FALSE(c.notes().empty());
  CHECK(c.notes().back().find("neither 0 nor 1") != std::string::npos);
  SweepPackWriter again(f.str(), l);
  again.commit(0, records(l, 0));
  const SweepChunks d(f.str(), l);
  same_bits(*d.read(0), records(l, 0));
}

TEST_CASE("a pack is found whatever its host name holds (e.g. '.tmp.')") {
  const SweepLayout l = layout();
  Folder f("hostname");
  std::string path;
  {
    SweepPackWriter w(f.str(), l);
    w.commit(1, records(l, 1));
    path = w.path();
  }
  fs::rename(path, f.dir / "chunks" / "pack_n01.tmp.cluster_42_0a1b2c3d.gspack");
  const SweepChunks c(f.str(), l);
  CHECK(c.committed() == 1);
  same_bits(*c.read(1), records(l, 1));
}

TEST_CASE("a chunks folder that cannot be listed is an error, not an empty sweep") {
  const SweepLayout l = layout();
  Folder f("unlistable");
  // A file where the folder should be (a folder without read permission would do too, but
  // not for root, who lists any folder).
  fs::remove_all(f.dir / "chunks");
  write_bytes(f.dir / "chunks", std::vector<char>(10, 'x'));
  CHECK_THROWS_AS(SweepChunks(f.str(), l), FileError);
  fs::remove(f.dir / "chunks");
  const SweepChunks none(f.str(), l);  // no chunks/ yet: nothing committed, no error
  CHECK(none.committed() == 0);
  CHECK(none.notes().empty());
}
