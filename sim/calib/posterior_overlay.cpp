#include "calib/posterior_overlay.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>

#include "core/error.hpp"
#include "scenario/tree.hpp"

namespace geosim::calib {

namespace {

Node scalar(const std::string& text) {
  Node n;
  n.kind = Node::Kind::scalar;
  n.scalar = text;
  return n;
}

Node& child(Node& map, const std::string& key) {
  if (map.kind != Node::Kind::map) map.kind = Node::Kind::map;
  if (Node* x = map.find(key)) return *x;
  map.map.emplace_back(key, Node{});
  return map.map.back().second;
}

/// The key naming the items of a base list ("code" or "id"), and the name of item `sel`
/// (a code, an id, or a position).
std::pair<std::string, std::string> item_key(const Node* base_list, const std::string& sel,
                                             const std::string& path) {
  const auto fail = [&](const std::string& why) -> std::pair<std::string, std::string> {
    throw InputError(Location{"<calibration export>", 0, 0}, path, why);
  };
  if (base_list == nullptr || !base_list->is_seq())
    return fail("the base scenario has no such list");
  const bool index = !sel.empty() && std::all_of(sel.begin(), sel.end(), [](unsigned char c) {
    return std::isdigit(c) != 0;
  });
  for (std::size_t i = 0; i < base_list->seq.size(); ++i) {
    const Node& item = base_list->seq[i];
    for (const char* key : {"code", "id"}) {
      const Node* v = item.find(key);
      if (v == nullptr || !v->is_scalar()) continue;
      if (v->scalar == sel || (index && std::to_string(i) == sel)) return {key, v->scalar};
    }
  }
  return fail("item '" + sel +
              "' has no code or id in the base scenario: an overlay cannot name it");
}

}  // namespace

std::string overlay_yaml(const std::string& extends, const std::string& base_yaml,
                         const std::string& name, int format_version,
                         const std::vector<std::pair<std::string, std::string>>& changes,
                         const std::string& header) {
  const Node base = parse_yaml(base_yaml, "<resolved base scenario>");
  Node root;
  root.kind = Node::Kind::map;
  child(root, "geosim") = scalar(std::to_string(format_version));
  child(root, "extends") = scalar(extends);
  child(child(root, "metadata"), "name") = scalar(name);
  for (const auto& [path, value] : changes) {
    Node* at = &root;
    const Node* in_base = &base;
    std::size_t pos = 0;
    while (pos <= path.size()) {
      const std::size_t dot = path.find('.', pos);
      std::string seg = path.substr(pos, dot == std::string::npos ? std::string::npos : dot - pos);
      pos = dot == std::string::npos ? path.size() + 1 : dot + 1;
      std::string sel;
      if (const auto b = seg.find('['); b != std::string::npos && seg.back() == ']') {
        sel = seg.substr(b + 1, seg.size() - b - 2);
        seg = seg.substr(0, b);
      }
      const bool last = pos > path.size();
      const Node* base_child = in_base ? in_base->find(seg) : nullptr;
      Node& c = child(*at, seg);
      if (sel.empty()) {
        if (last) c = scalar(value);
        at = &c;
        in_base = base_child;
        continue;
      }
      const auto [key, id] = item_key(base_child, sel, path);
      c.kind = Node::Kind::sequence;
      Node* item = nullptr;
      for (Node& x : c.seq)
        if (const Node* v = x.find(key); v && v->scalar == id) item = &x;
      if (item == nullptr) {
        Node x;
        x.kind = Node::Kind::map;
        child(x, key) = scalar(id);
        c.seq.push_back(std::move(x));
        item = &c.seq.back();
      }
      const Node* base_item = nullptr;
      for (const Node& x : base_child->seq)
        if (const Node* v = x.find(key); v && v->scalar == id) base_item = &x;
      if (last)
        throw InputError(Location{"<calibration export>", 0, 0}, path,
                         "a path must end at a field, not at a list item");
      at = item;
      in_base = base_item;
    }
  }
  std::ostringstream o;
  std::istringstream h(header);
  for (std::string line; std::getline(h, line);) o << "# " << line << "\n";
  o << emit_yaml(root);
  return o.str();
}

std::string yaml_value_at(const std::string& yaml, const std::string& path) {
  const Node root = parse_yaml(yaml, "<resolved scenario>");
  const Node* at = &root;
  std::size_t pos = 0;
  while (at != nullptr && pos <= path.size()) {
    const std::size_t dot = path.find('.', pos);
    std::string seg = path.substr(pos, dot == std::string::npos ? std::string::npos : dot - pos);
    pos = dot == std::string::npos ? path.size() + 1 : dot + 1;
    std::string sel;
    if (const auto b = seg.find('['); b != std::string::npos && seg.back() == ']') {
      sel = seg.substr(b + 1, seg.size() - b - 2);
      seg = seg.substr(0, b);
    }
    at = at->is_map() ? at->find(seg) : nullptr;
    if (at == nullptr || sel.empty()) continue;
    const Node* item = nullptr;
    if (at->is_seq()) {
      for (std::size_t i = 0; i < at->seq.size() && item == nullptr; ++i) {
        const Node& x = at->seq[i];
        for (const char* key : {"code", "id"})
          if (const Node* v = x.find(key); v && v->is_scalar() && v->scalar == sel) item = &x;
        if (item == nullptr && sel == std::to_string(i)) item = &x;
      }
    }
    at = item;
  }
  if (at == nullptr) return {};
  return at->is_scalar() ? at->scalar : emit_yaml(*at);
}

}  // namespace geosim::calib
