#include "scenario/tree.hpp"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>

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

namespace {

Location at(const YAML::Mark& m, const std::string& file) {
  return Location{file, m.line + 1, m.column + 1};
}

Node convert(const YAML::Node& y, const std::string& file) {
  Node n;
  n.loc = at(y.Mark(), file);
  switch (y.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      n.kind = Node::Kind::null;
      break;
    case YAML::NodeType::Scalar:
      n.kind = Node::Kind::scalar;
      n.scalar = y.Scalar();
      n.quoted = y.Tag() == "!";
      break;
    case YAML::NodeType::Sequence:
      n.kind = Node::Kind::sequence;
      for (const auto& item : y) n.seq.push_back(convert(item, file));
      break;
    case YAML::NodeType::Map:
      n.kind = Node::Kind::map;
      for (const auto& kv : y) {
        const Location key_loc = at(kv.first.Mark(), file);
        if (!kv.first.IsScalar())
          throw InputError(key_loc, "", "a map key must be a plain word, got a list or map");
        const std::string key = kv.first.Scalar();
        if (n.find(key) != nullptr)
          throw InputError(key_loc, key, "duplicate key '" + key + "' in the same map");
        Node child = convert(kv.second, file);
        child.key_loc = key_loc;
        if (child.kind == Node::Kind::null) child.loc = key_loc;
        n.map.emplace_back(key, std::move(child));
      }
      break;
  }
  return n;
}

void emit(YAML::Emitter& out, const Node& n) {
  switch (n.kind) {
    case Node::Kind::null:
      out << YAML::Null;
      break;
    case Node::Kind::scalar:
      if (n.quoted) out << YAML::DoubleQuoted;
      out << n.scalar;
      break;
    case Node::Kind::sequence:
      out << YAML::BeginSeq;
      for (const auto& c : n.seq) emit(out, c);
      out << YAML::EndSeq;
      break;
    case Node::Kind::map:
      out << YAML::BeginMap;
      for (const auto& [k, v] : n.map) {
        out << YAML::Key << k << YAML::Value;
        emit(out, v);
      }
      out << YAML::EndMap;
      break;
  }
}

}  // namespace

Node parse_yaml(const std::string& text, const std::string& file) {
  try {
    const YAML::Node y = YAML::Load(text);
    Node root = convert(y, file);
    if (root.kind == Node::Kind::null) root.loc = Location{file, 1, 1};
    return root;
  } catch (const YAML::Exception& e) {
    throw InputError(at(e.mark, file), "", "YAML syntax: " + e.msg);
  }
}

Node load_yaml_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(Location{path, 0, 0}, "", "cannot read the file (does it exist?)");
  std::ostringstream s;
  s << in.rdbuf();
  return parse_yaml(s.str(), path);
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

std::string emit_yaml(const Node& root) {
  YAML::Emitter out;
  out.SetIndent(2);
  emit(out, root);
  return std::string(out.c_str()) + "\n";
}

}  // namespace geosim
