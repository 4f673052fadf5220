#pragma once
#include <string>
#include <vector>

#include "scenario/tree.hpp"

namespace geosim {

/// Merges `overlay` onto `base` (docs/scenario-format.md, "Overlays"): maps merge key by key
/// with the overlay winning; a list of maps merges item by item, matched by `code` or `id`
/// (`remove: true` deletes the matched item; unmatched items are appended); any other list is
/// replaced whole.
void merge_overlay(Node& base, const Node& overlay, const std::string& path);

/// Applies one `--set PATH=VALUE` (the index numbers it in error locations).
void apply_set(Node& root, const std::string& assignment, int index);

/// Loads a scenario file and resolves its `extends:` chain (relative to each file's folder).
/// Circular chains are an error. `files`, if given, receives every file read: `path` first,
/// then each base of its chain (canonical paths).
Node load_resolved(const std::string& path, std::vector<std::string>* files = nullptr);

/// The same for text that does not come from a file (`name` is used in locations); an
/// `extends:` in it is resolved relative to the working directory.
Node load_resolved_text(const std::string& text, const std::string& name);

}  // namespace geosim
