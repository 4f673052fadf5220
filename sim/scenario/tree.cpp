#include "scenario/tree.hpp"

namespace geosim {

const Node* Node::find(std::string_view key) const {
  for (const auto& [k, v] : map)
    if (k == key) return &v;
  return nullptr;
}

Node* Node::find(std::string_view key) {
  for (auto& [k, v] : map)
    if (k == key) return &v;
  return nullptr;
}

std::vector<std::string> Node::keys() const {
  std::vector<std::string> out;
  for (const auto& kv : map) out.push_back(kv.first);
  return out;
}

std::string Node::kind_name() const {
  switch (kind) {
    case Kind::null:
      return "nothing";
    case Kind::scalar:
      return "'" + scalar + "'";
    case Kind::sequence:
      return "a list";
    case Kind::map:
      return "a map";
  }
  return "?";
}

void set_layer(Node& n, int layer) {
  n.layer = layer;
  for (auto& c : n.seq) set_layer(c, layer);
  for (auto& kv : n.map) set_layer(kv.second, layer);
}

const Node& latest(const Node& n, std::initializer_list<std::string_view> keys) {
  const Node* best = &n;
  for (std::string_view k : keys)
    if (const Node* c = n.find(k); c != nullptr && c->layer > best->layer) best = c;
  return *best;
}

const Node& latest_in(const Node& n) {
  const Node* best = &n;
  for (const auto& c : n.seq)
    if (const Node& l = latest_in(c); l.layer > best->layer) best = &l;
  for (const auto& kv : n.map)
    if (const Node& l = latest_in(kv.second); l.layer > best->layer) best = &l;
  return *best;
}

}  // namespace geosim
