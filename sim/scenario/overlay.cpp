#include "scenario/overlay.hpp"

#include <algorithm>
#include <charconv>
#include <filesystem>

#include "core/text.hpp"

namespace geosim {

namespace {

namespace fs = std::filesystem;

/// The `code` or `id` that identifies a list item, or "".
std::string item_key(const Node& n) {
  if (!n.is_map()) return {};
  for (const char* k : {"code", "id"})
    if (const Node* v = n.find(k); v && v->is_scalar()) return v->scalar;
  return {};
}

bool is_removal(const Node& n) {
  const Node* r = n.find("remove");
  return r && r->is_scalar() && r->scalar == "true";
}

void merge_list(Node& base, const Node& overlay, const std::string& path) {
  const bool of_maps =
      !overlay.seq.empty() &&
      std::all_of(overlay.seq.begin(), overlay.seq.end(), [](const Node& n) { return n.is_map(); });
  if (!of_maps || !base.is_seq()) {
    base = overlay;
    return;
  }
  for (const Node& item : overlay.seq) {
    const std::string key = item_key(item);
    auto it = key.empty() ? base.seq.end()
                          : std::find_if(base.seq.begin(), base.seq.end(),
                                         [&](const Node& b) { return item_key(b) == key; });
    const std::string item_path = path + "[" + key + "]";
    if (is_removal(item)) {
      if (it == base.seq.end())
        throw InputError(item.loc, item_path,
                         "remove: true names no item of the base scenario" +
                             (key.empty() ? std::string(" (give its code or id)") : ""));
      base.seq.erase(it);
    } else if (it != base.seq.end()) {
      merge_overlay(*it, item, item_path);
    } else {
      base.seq.push_back(item);
    }
  }
}

Location command_line(int index) {
  return Location{"<command line --set #" + std::to_string(index) + ">", 1, 1};
}

Node load_chain(const std::string& path, std::vector<std::string>& chain) {
  std::error_code ec;
  const std::string canonical = fs::weakly_canonical(path, ec).string();
  if (std::find(chain.begin(), chain.end(), canonical) != chain.end())
    throw InputError(Location{path, 0, 0}, "extends",
                     "circular extends: " + join_words(chain, " -> ") + " -> " + canonical);
  chain.push_back(canonical);
  Node root = load_yaml_file(path);
  set_layer(root, 1 - static_cast<int>(chain.size()));  // 0 the file loaded, -1 its base, ...
  return root;
}

Node resolve(Node root, const std::string& dir, std::vector<std::string>& chain) {
  if (!root.is_map()) return root;  // the builder reports it
  const Node* ext = root.find("extends");
  if (ext == nullptr) return root;
  if (!ext->is_scalar() || ext->scalar.empty())
    throw InputError(ext->loc, "extends",
                     "expected the path of a base scenario file, got " + ext->kind_name());
  const std::string base_path = (fs::path(dir) / ext->scalar).string();
  if (std::error_code ec; !fs::exists(base_path, ec))
    throw InputError(ext->loc, "extends", "base scenario '" + base_path + "' does not exist");
  if (std::error_code ec; !fs::is_regular_file(base_path, ec))
    throw InputError(ext->loc, "extends",
                     "base scenario '" + base_path + "' is a folder or not a regular file");
  Node base =
      resolve(load_chain(base_path, chain), fs::path(base_path).parent_path().string(), chain);
  // One format version for the whole chain: an overlay's rules must be its base's.
  const Node* mine = root.find("geosim");
  const Node* theirs = base.is_map() ? base.find("geosim") : nullptr;
  if (mine && theirs && mine->is_scalar() && theirs->is_scalar() && mine->scalar != theirs->scalar)
    throw InputError(mine->loc, "geosim",
                     "this file is format version " + mine->scalar + " but its base '" + base_path +
                         "' is version " + theirs->scalar +
                         ": every file of an extends chain must have the same version");
  Node over = root;
  over.map.erase(std::remove_if(over.map.begin(), over.map.end(),
                                [](const auto& kv) { return kv.first == "extends"; }),
                 over.map.end());
  merge_overlay(base, over, "");
  return base;
}

}  // namespace

void merge_overlay(Node& base, const Node& overlay, const std::string& path) {
  if (base.is_map() && overlay.is_map()) {
    for (const auto& [key, value] : overlay.map) {
      const std::string child = path.empty() ? key : path + "." + key;
      if (Node* b = base.find(key))
        merge_overlay(*b, value, child);
      else
        base.map.emplace_back(key, value);
    }
  } else if (overlay.is_seq()) {
    merge_list(base, overlay, path);
  } else {
    const Location key_loc = base.key_loc;
    base = overlay;
    if (base.key_loc.file.empty()) base.key_loc = key_loc;
  }
}

void apply_set(Node& root, const std::string& assignment, int index) {
  const Location where = command_line(index);
  const auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0)
    throw InputError(where, assignment,
                     "expected --set PATH=VALUE, e.g. parameters.dependence_inertia=0.2");
  const std::string path = assignment.substr(0, eq);
  Node value = parse_yaml(assignment.substr(eq + 1), where.file);
  // Tokenise "a.b[KEY].c" into keys and [selectors].
  Node* cur = &root;
  std::string walked;
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '.') {
      ++i;
      continue;
    }
    if (path[i] == '[') {
      const auto close = path.find(']', i);
      if (close == std::string::npos) throw InputError(where, path, "unclosed '[' in the path");
      const std::string sel = path.substr(i + 1, close - i - 1);
      i = close + 1;
      if (!cur->is_seq())
        throw InputError(where, walked,
                         "[" + sel + "] needs a list here, found " + cur->kind_name());
      Node* next = nullptr;
      const bool numeric = !sel.empty() && std::all_of(sel.begin(), sel.end(), ::isdigit);
      if (numeric) {
        std::size_t index = 0;
        const auto [end_ptr, ec] = std::from_chars(sel.data(), sel.data() + sel.size(), index);
        if (ec != std::errc() || end_ptr != sel.data() + sel.size() || index >= cur->seq.size())
          throw InputError(where, walked + "[" + sel + "]",
                           "index " + sel + " is out of range: the list has " +
                               std::to_string(cur->seq.size()) + " items (0 to " +
                               std::to_string(cur->seq.size() == 0 ? 0 : cur->seq.size() - 1) +
                               ")");
        next = &cur->seq[index];
      }
      std::vector<std::string> keys;
      for (Node& item : cur->seq) {
        const std::string k = item_key(item);
        if (!k.empty()) keys.push_back(k);
        if (!next && !numeric && k == sel) next = &item;
      }
      if (!next)
        throw InputError(where, walked + "[" + sel + "]",
                         "no list item with code or id '" + sel + "'" + did_you_mean(sel, keys));
      cur = next;
      walked += "[" + sel + "]";
      continue;
    }
    auto end = path.find_first_of(".[", i);
    if (end == std::string::npos) end = path.size();
    const std::string key = path.substr(i, end - i);
    i = end;
    if (cur->kind == Node::Kind::null) cur->kind = Node::Kind::map;
    if (!cur->is_map())
      throw InputError(where, walked, "'" + key + "' needs a map here, found " + cur->kind_name());
    walked += (walked.empty() ? "" : ".") + key;
    Node* next = cur->find(key);
    if (!next) {
      // A new key (or a chain of them): the scenario builder then checks it like any other,
      // so a misspelt key is reported as unknown, located on the command line.
      cur->map.emplace_back(key, Node{});
      next = &cur->map.back().second;
      next->key_loc = where;
      next->loc = where;
    }
    cur = next;
  }
  const Location key_loc = cur->key_loc;
  *cur = std::move(value);
  set_layer(*cur, index);
  cur->key_loc = key_loc.file.empty() ? where : key_loc;
  // Everything set from the command line is located there.
  std::vector<Node*> stack{cur};
  while (!stack.empty()) {
    Node* n = stack.back();
    stack.pop_back();
    n->loc = where;
    for (auto& c : n->seq) stack.push_back(&c);
    for (auto& kv : n->map) stack.push_back(&kv.second);
  }
}

Node load_resolved(const std::string& path, std::vector<std::string>* files) {
  std::vector<std::string> chain;
  Node root = load_chain(path, chain);
  Node resolved = resolve(std::move(root), fs::path(path).parent_path().string(), chain);
  if (files != nullptr) *files = std::move(chain);
  return resolved;
}

Node load_resolved_text(const std::string& text, const std::string& name) {
  std::vector<std::string> chain{name};
  return resolve(parse_yaml(text, name), ".", chain);
}

}  // namespace geosim
