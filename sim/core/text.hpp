#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace geosim {

/// Levenshtein edit distance, for "did you mean" suggestions.
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The closest candidate to `word` if it is close enough to be a plausible typo, else "".
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);

/// " (did you mean 'x'?)" or "" when nothing is close.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

/// "1 chunk", "2 chunks": a count and its noun, plural (noun + "s") unless the count is 1.
std::string count_of(std::uint64_t n, std::string_view noun);

/// "a, b, c" for messages.
/// A number as short as it can be written and read back to the same double ("0.25", "1e+06",
/// "inf", "-inf", "nan").
std::string format_number(double x);

std::string join_words(const std::vector<std::string>& words, std::string_view sep = ", ");

/// `text` with every byte that is not printable UTF-8 (a damaged file's) as '?', cut to
/// `max_bytes` with "..." (for quoting a file's content in a message).
std::string printable(std::string_view text, std::size_t max_bytes = 200);

/// `text` on one line: each line break (and the blanks after it) becomes "; ".
std::string one_line(std::string_view text);

/// FNV-1a 64-bit hash as 16 hex digits: a stable fingerprint of a resolved scenario.
std::string fnv1a_hex(std::string_view text);

/// FNV-1a 64-bit fed piece by piece: Fnv1a().add(a).add(b).hex() == fnv1a_hex(a + b), without
/// building a + b.
class Fnv1a {
 public:
  Fnv1a& add(std::string_view text);
  /// The word's 8 bytes, least significant first (the same on every machine).
  Fnv1a& add_word(std::uint64_t word);
  std::string hex() const;

 private:
  std::uint64_t h_ = 14695981039346656037ULL;  // the FNV-1a 64-bit offset basis
};

}  // namespace geosim
