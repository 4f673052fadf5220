#include "scenario/history.hpp"

#include <algorithm>

#include "core/calendar.hpp"
#include "scenario/tree.hpp"

namespace geosim {

namespace {

/// The `code` or `id` of a list item, or "".
std::string item_key(const Node& n) {
  if (!n.is_map()) return {};
  for (const char* k : {"code", "id"})
    if (const Node* v = n.find(k); v && v->is_scalar()) return v->scalar;
  return {};
}

void erase_key(Node& map, std::string_view key) {
  std::erase_if(map.map, [&](const auto& kv) { return kv.first == key; });
}

bool same(const Node& a, const Node& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case Node::Kind::null:
      return true;
    case Node::Kind::scalar:
      return a.scalar == b.scalar && a.quoted == b.quoted;
    case Node::Kind::sequence:
      return a.seq.size() == b.seq.size() &&
             std::equal(a.seq.begin(), a.seq.end(), b.seq.begin(), same);
    case Node::Kind::map:
      return a.map.size() == b.map.size() && std::equal(a.map.begin(), a.map.end(), b.map.begin(),
                                                        [](const auto& x, const auto& y) {
                                                          return x.first == y.first &&
                                                                 same(x.second, y.second);
                                                        });
  }
  return false;
}

void diff(const Node& a, const Node& b, const std::string& path, std::vector<std::string>& out) {
  if (same(a, b)) return;
  const std::string prefix = path.empty() ? "" : path + ".";
  if (a.is_map() && b.is_map()) {
    // A key on one side only: compared with an empty map, so that a map given only by a --set
    // or an overlay (parameters:) names its keys.
    Node none;
    none.kind = Node::Kind::map;
    for (const auto& [k, v] : a.map) {
      const Node* w = b.find(k);
      if (w == nullptr && !v.is_map())
        out.push_back(prefix + k);
      else
        diff(v, w ? *w : none, prefix + k, out);
    }
    for (const auto& [k, v] : b.map)
      if (a.find(k) == nullptr) {
        if (v.is_map())
          diff(none, v, prefix + k, out);
        else
          out.push_back(prefix + k);
      }
    return;
  }
  const auto keyed = [](const Node& n) {
    return n.is_seq() && std::all_of(n.seq.begin(), n.seq.end(),
                                     [](const Node& i) { return !item_key(i).empty(); });
  };
  if (keyed(a) && keyed(b)) {
    const auto find = [](const Node& list, const std::string& key) -> const Node* {
      for (const Node& i : list.seq)
        if (item_key(i) == key) return &i;
      return nullptr;
    };
    for (const Node& i : a.seq) {
      const std::string key = item_key(i);
      const Node* j = find(b, key);
      if (j == nullptr || !same(i, *j)) out.push_back(path + "[" + key + "]");
    }
    for (const Node& j : b.seq)
      if (find(a, item_key(j)) == nullptr) out.push_back(path + "[" + item_key(j) + "]");
    if (out.empty()) out.push_back(path + " (order)");
    return;
  }
  out.push_back(path.empty() ? "(the whole scenario)" : path);
}

}  // namespace

std::string history_yaml(const Scenario& sc, int turn) {
  Node root = parse_yaml(sc.resolved_yaml, "<resolved scenario>");
  if (Node* m = root.find("metadata"); m && m->is_map()) {
    for (const char* k : {"name", "description", "turns", "seed"}) erase_key(*m, k);
  }
  if (Node* t = root.find("timeline"); t && t->is_seq()) {
    std::erase_if(t->seq, [&](const Node& e) {
      const Node* d = e.is_map() ? e.find("date") : nullptr;
      const auto date = d && d->is_scalar() ? parse_date(d->scalar) : std::nullopt;
      // The scenario was validated: every event has a date inside the run.
      return date && months_between(sc.start, *date) / sc.months_per_turn > turn;
    });
  }
  return emit_yaml(root);
}

std::vector<std::string> history_differences(const std::string& a, const std::string& b) {
  std::vector<std::string> out;
  diff(parse_yaml(a, "<history a>"), parse_yaml(b, "<history b>"), "", out);
  return out;
}

}  // namespace geosim
