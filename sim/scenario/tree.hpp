#pragma once
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace geosim {

struct MapEntry;

/// A YAML document as a plain tree whose every node remembers the file, line and column it
/// came from. Overlays (`extends:`) and `--set` edit this tree, so an error found after merging
/// still points at the file the offending value was written in.
struct Node {
  enum class Kind { null, scalar, sequence, map };
  Kind kind = Kind::null;
  std::string scalar;         ///< for scalars (and null: "")
  bool quoted = false;        ///< scalar was quoted: always a string
  std::vector<MapEntry> map;  ///< key order preserved
  std::vector<Node> seq;
  Location loc;
  Location key_loc;  ///< where the key naming this node stands (map values only)
  /// Which layer of the resolved scenario wrote it: 0 the file loaded, -1 its base, -2 the base's
  /// base, ...; N the N-th `--set`. A rule that involves several values blames the one written
  /// last (the highest layer), so an error caused by an overlay is reported in the overlay.
  int layer = 0;

  bool is_map() const { return kind == Kind::map; }
  bool is_seq() const { return kind == Kind::sequence; }
  bool is_scalar() const { return kind == Kind::scalar; }
  const Node* find(std::string_view key) const;
  Node* find(std::string_view key);
  std::vector<std::string> keys() const;
  std::string kind_name() const;  ///< "a map", "a list", "a scalar 'x'", "nothing"
};

/// One key and its value in a map (a pair, but a type of its own: a std::pair<std::string, Node>
/// inside Node is a recursion clang's libstdc++ pair cannot instantiate).
struct MapEntry {
  std::string first;
  Node second;
};

/// Parses YAML text; `file` names it in locations. Throws InputError on a syntax error or a
/// duplicate key.
Node parse_yaml(const std::string& text, const std::string& file);

/// Reads and parses a file. Throws InputError if it cannot be read.
Node load_yaml_file(const std::string& path);

/// Writes the tree back as YAML (the resolved scenario recorded in outputs and hashed): the bytes
/// yaml-cpp's emitter writes with an indent of 2, written directly for printable-ASCII trees.
std::string emit_yaml(const Node& root);
/// The same through yaml-cpp's emitter: what emit_yaml must equal (tests), and its path for trees
/// with other characters.
std::string emit_yaml_with_yaml_cpp(const Node& root);

/// Sets `layer` on a node and everything under it.
void set_layer(Node& n, int layer);

/// Of the children of map `n` named in `keys` that are present, the one written last (highest
/// layer; the first of equals); `n` itself if none is present or `n` was written later.
const Node& latest(const Node& n, std::initializer_list<std::string_view> keys);
/// The latest-written node under `n`, `n` included (for a rule over a whole map or list).
const Node& latest_in(const Node& n);

}  // namespace geosim
