#pragma once
#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace geosim {

/// A YAML document as a plain tree whose every node remembers the file, line and column it
/// came from. Overlays (`extends:`) and `--set` edit this tree, so an error found after merging
/// still points at the file the offending value was written in.
struct Node {
  enum class Kind { null, scalar, sequence, map };
  Kind kind = Kind::null;
  std::string scalar;                             ///< for scalars (and null: "")
  bool quoted = false;                            ///< scalar was quoted: always a string
  std::vector<std::pair<std::string, Node>> map;  ///< key order preserved
  std::vector<Node> seq;
  Location loc;
  Location key_loc;  ///< where the key naming this node stands (map values only)

  bool is_map() const { return kind == Kind::map; }
  bool is_seq() const { return kind == Kind::sequence; }
  bool is_scalar() const { return kind == Kind::scalar; }
  const Node* find(std::string_view key) const;
  Node* find(std::string_view key);
  std::vector<std::string> keys() const;
  std::string kind_name() const;  ///< "a map", "a list", "a scalar 'x'", "nothing"
};

/// Parses YAML text; `file` names it in locations. Throws InputError on a syntax error or a
/// duplicate key.
Node parse_yaml(const std::string& text, const std::string& file);

/// Reads and parses a file. Throws InputError if it cannot be read.
Node load_yaml_file(const std::string& path);

/// Writes the tree back as YAML (the resolved scenario recorded in outputs).
std::string emit_yaml(const Node& root);

}  // namespace geosim
