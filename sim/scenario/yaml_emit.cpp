// Writing the Node tree back as YAML: the resolved scenario recorded in every output and hashed
// (scenario_hash, the plan and checkpoint checks). The text must stay exactly what yaml-cpp's
// emitter writes (indent 2), or the hashes of files written by earlier versions would no longer
// match: emit_yaml writes the same bytes directly for trees whose scalars are printable ASCII
// (every shipped scenario, sweep and calibration file) and hands any other tree to yaml-cpp.
// yaml-cpp's emitter spends most of its time matching each character of each scalar against its
// regular expressions (about 4 ms of the 8 ms of loading the baseline scenario);
// tests/scenario/test_yaml_emit.cpp checks the two agree byte for byte.
#include <yaml-cpp/yaml.h>

#include "scenario/tree.hpp"

namespace geosim {

namespace {

/// Scalars and keys the direct path writes: printable ASCII of a bounded length (yaml-cpp writes
/// keys over 1024 bytes in the explicit `? key` form, escapes control characters and replaces
/// some code points; those trees go to yaml-cpp).
bool simple_text(const std::string& s) {
  if (s.size() > 1000) return false;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

bool simple_tree(const Node& n) {
  switch (n.kind) {
    case Node::Kind::null:
      return true;
    case Node::Kind::scalar:
      return simple_text(n.scalar);
    case Node::Kind::sequence:
      for (const Node& c : n.seq)
        if (!simple_tree(c)) return false;
      return true;
    case Node::Kind::map:
      for (const auto& [k, v] : n.map)
        if (!simple_text(k) || !simple_tree(v)) return false;
      return true;
  }
  return false;
}

bool blank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/// Whether yaml-cpp writes printable-ASCII `s` as a plain scalar (its IsValidPlainScalar in block
/// context): not a null word, no indicator at the start, no trailing space, no ": " or " #".
bool plain(const std::string& s) {
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return false;
  const char c0 = s[0];
  if (blank(c0)) return false;
  static constexpr std::string_view kIndicators = ",[]{}#&*!|>'\"%@`";
  if (kIndicators.find(c0) != std::string_view::npos) return false;
  if ((c0 == '-' || c0 == '?' || c0 == ':') && (s.size() == 1 || blank(s[1]))) return false;
  if (s.back() == ' ') return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == ':' && (i + 1 == s.size() || blank(s[i + 1]))) return false;
    if (blank(s[i]) && i + 1 < s.size() && s[i + 1] == '#') return false;
  }
  return true;
}

void quoted(std::string& out, const std::string& s) {
  out += '"';
  for (const char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
}

void text(std::string& out, const std::string& s, bool force_quotes) {
  if (!force_quotes && plain(s))
    out += s;
  else
    quoted(out, s);
}

/// A value written on the line of its key or dash: a scalar or null (lists and maps, even empty
/// ones, start on the next line; block() has the one exception, an empty map after a dash).
bool inline_value(const Node& n) {
  return n.kind == Node::Kind::null || n.kind == Node::Kind::scalar;
}

void line(std::string& out, int indent) {
  if (!out.empty()) out += '\n';
  out.append(static_cast<std::size_t>(indent), ' ');
}

void block(std::string& out, const Node& n, int indent, bool first_inline);

void inline_text(std::string& out, const Node& n) {
  if (n.kind == Node::Kind::null)
    out += '~';
  else
    text(out, n.scalar, n.quoted);
}

/// `n` (a list or map) starting on a new line at `indent`, or, when `first_inline`, its first
/// entry on the current line (after a dash).
void block(std::string& out, const Node& n, int indent, bool first_inline) {
  if (n.is_map() && n.map.empty()) {
    line(out, indent);
    out += "{}";
    return;
  }
  if (n.is_seq() && n.seq.empty()) {
    line(out, indent);
    out += "[]";
    return;
  }
  bool first = true;
  const auto child = [&](const Node& v) {
    if (inline_value(v)) {
      out += ' ';
      inline_text(out, v);
    } else {
      block(out, v, indent + 2, false);
    }
  };
  if (n.is_map()) {
    for (const auto& [k, v] : n.map) {
      if (!(first && first_inline)) line(out, indent);
      first = false;
      text(out, k, false);
      out += ':';
      child(v);
    }
    return;
  }
  for (const Node& v : n.seq) {
    if (!(first && first_inline)) line(out, indent);
    first = false;
    out += '-';
    if (v.is_map()) {  // an empty map stays on the dash's line, an empty list does not
      out += v.map.empty() ? " {}" : " ";
      if (!v.map.empty()) block(out, v, indent + 2, true);
    } else {
      child(v);
    }
  }
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

std::string emit_yaml_with_yaml_cpp(const Node& root) {
  YAML::Emitter out;
  out.SetIndent(2);
  emit(out, root);
  return std::string(out.c_str()) + "\n";
}

std::string emit_yaml(const Node& root) {
  if (!simple_tree(root)) return emit_yaml_with_yaml_cpp(root);
  std::string out;
  out.reserve(4096);
  if (inline_value(root))
    inline_text(out, root);
  else
    block(out, root, 0, false);
  out += '\n';
  return out;
}

}  // namespace geosim
