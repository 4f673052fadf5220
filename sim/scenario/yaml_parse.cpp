// Reading YAML into the located Node tree: byte checks, then libyaml's event parser driving a
// builder that enforces the limits of yaml_limits.hpp as it goes. A loader that builds a whole
// document first would expand an alias bomb into gigabytes before a check could run; yaml-cpp's
// also accepts control characters and invalid UTF-8. libyaml (the C parser PyYAML uses) replaced
// yaml-cpp's parser here because yaml-cpp's scanner matches regular expressions at every
// character: 4.5 ms for the 46 KB baseline against 1.0 ms (benchmarks/README.md).
#include <sys/stat.h>
#include <yaml.h>

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

#include "scenario/tree.hpp"
#include "scenario/yaml_limits.hpp"

namespace geosim {

namespace {

std::size_t env_limit(const char* name, std::size_t fallback) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return fallback;
  std::size_t n = 0;
  const char* end = v + std::strlen(v);
  const auto r = std::from_chars(v, end, n);
  if (r.ec != std::errc{} || r.ptr != end || n == 0)
    throw InputError(Location{"<environment>", 0, 0}, name,
                     std::string("'") + v + "' is not a whole number above 0");
  return n;
}

/// Checks the bytes before parsing: valid UTF-8, and no control character other than tab, line
/// feed and carriage return (a byte-order mark is allowed at the start). Locates the first
/// offender by line and column (in characters).
void check_text(const std::string& text, const std::string& file) {
  int line = 1, column = 1;
  const auto bad = [&](const std::string& why) {
    throw InputError(Location{file, line, column}, "", why);
  };
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  for (std::size_t i = 0; i < n;) {
    const unsigned char c = s[i];
    std::size_t len = 1;
    std::uint32_t cp = c;
    if (c >= 0x80) {
      if (c >= 0xc2 && c <= 0xdf)
        len = 2, cp = c & 0x1f;
      else if (c >= 0xe0 && c <= 0xef)
        len = 3, cp = c & 0x0f;
      else if (c >= 0xf0 && c <= 0xf4)
        len = 4, cp = c & 0x07;
      else
        bad("invalid UTF-8 (byte 0x" +
            [&] {
              char h[3];
              std::snprintf(h, sizeof h, "%02x", c);
              return std::string(h);
            }() +
            "); save the file as UTF-8");
      for (std::size_t k = 1; k < len; ++k) {
        if (i + k >= n) bad("invalid UTF-8 (a character cut short at the end of the file)");
        if ((s[i + k] & 0xc0) != 0x80)
          bad("invalid UTF-8 (a broken multi-byte character; save the file as UTF-8)");
        cp = (cp << 6) | (s[i + k] & 0x3f);
      }
      const bool overlong = (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
      if (overlong || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        bad("invalid UTF-8 (an over-long form or a surrogate)");
      if (cp >= 0x80 && cp <= 0x9f)
        bad("a control character (U+00" + std::string(1, "0123456789ABCDEF"[cp >> 4]) +
            std::string(1, "0123456789ABCDEF"[cp & 15]) + ") in the text");
      if (cp == 0xfeff && i != 0) bad("a byte-order mark inside the text");
      // YAML 1.1 (libyaml) reads these as line breaks, YAML 1.2 (yaml-cpp's emitter) as text:
      // a value holding one would not read back as written.
      if (cp == 0x2028 || cp == 0x2029)
        bad(std::string("a Unicode ") + (cp == 0x2028 ? "line" : "paragraph") + " separator (U+" +
            (cp == 0x2028 ? "2028" : "2029") + ") in the text; use a line break or a space");
    } else if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) {
      char code[8];
      std::snprintf(code, sizeof code, "0x%02x", c);
      bad(std::string("a control character (") + code + ") in the text" +
          (c == 0 ? ": is this a binary file?" : ""));
    }
    if (c == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
    i += len;
  }
}

/// Builds the Node tree from libyaml's events: locations, quoting, duplicate keys, non-scalar
/// keys, and the limits on nodes (aliases count every node they repeat), depth and value size.
class Builder {
 public:
  Builder(std::string file, const YamlLimits& limits) : file_(std::move(file)), limits_(limits) {}

  Node take_root() { return std::move(root_); }
  bool has_root() const { return has_root_; }

  /// Handles one event; false once the first document has ended (parse_yaml then checks only
  /// that what follows starts well: a second document is not read).
  bool handle(const yaml_event_t& e) {
    switch (e.type) {
      case YAML_DOCUMENT_END_EVENT:
      case YAML_STREAM_END_EVENT:
        return false;
      case YAML_ALIAS_EVENT:
        on_alias(e.start_mark, reinterpret_cast<const char*>(e.data.alias.anchor));
        break;
      case YAML_SCALAR_EVENT:
        on_scalar(e);
        break;
      case YAML_SEQUENCE_START_EVENT:
        open(e.start_mark, anchor_of(e.data.sequence_start.anchor), Node::Kind::sequence);
        break;
      case YAML_MAPPING_START_EVENT:
        open(e.start_mark, anchor_of(e.data.mapping_start.anchor), Node::Kind::map);
        break;
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT:
        close();
        break;
      default:  // stream and document start
        break;
    }
    return true;
  }

 private:
  struct Frame {
    Node node;
    std::string anchor;
    std::size_t nodes = 1;  ///< nodes in this subtree so far (itself included)
    bool have_key = false;
    std::string key;
    Location key_loc;
  };

  static std::string anchor_of(const yaml_char_t* a) {
    return a == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(a));
  }

  Location at(const yaml_mark_t& m) const {
    return Location{file_, static_cast<int>(m.line) + 1, static_cast<int>(m.column) + 1};
  }

  void on_alias(const yaml_mark_t& mark, const char* anchor) {
    const auto it = anchors_.find(anchor);
    if (it == anchors_.end())
      throw InputError(at(mark), path(),
                       std::string("YAML syntax: an alias to an unknown anchor '") + anchor + "'");
    count(it->second.second, mark);
    Node copy = it->second.first;
    finish(std::move(copy), std::string(), it->second.second);
  }

  void on_scalar(const yaml_event_t& e) {
    const auto& d = e.data.scalar;
    if (d.length > limits_.max_scalar)
      throw InputError(at(e.start_mark), path(),
                       "a value of " + std::to_string(d.length) + " bytes (the limit is " +
                           std::to_string(limits_.max_scalar) + "; GEOSIM_YAML_MAX_SCALAR)");
    const std::string_view value(reinterpret_cast<const char*>(d.value), d.length);
    const bool is_plain = d.style == YAML_PLAIN_SCALAR_STYLE;
    Node n;
    n.loc = at(e.start_mark);
    // An untagged plain empty value, ~ or null is nothing (YAML's core schema).
    if (!(is_plain && d.tag == nullptr &&
          (value.empty() || value == "~" || value == "null" || value == "Null" ||
           value == "NULL"))) {
      n.kind = Node::Kind::scalar;
      n.scalar = value;
      // Quoted, or given the non-specific tag '!': always a string.
      n.quoted = d.tag == nullptr ? !is_plain
                                  : std::strcmp(reinterpret_cast<const char*>(d.tag), "!") == 0;
    }
    // An escape can make what check_text refuses in the raw text (`"\u2028"`): refuse it too, or
    // the resolved YAML would not read back.
    if (value.find("\xe2\x80\xa8") != std::string_view::npos ||
        value.find("\xe2\x80\xa9") != std::string_view::npos)
      throw InputError(n.loc, path(),
                       "a Unicode line or paragraph separator (U+2028, U+2029) in a value; use "
                       "a line break or a space");
    count(1, e.start_mark);
    finish(std::move(n), anchor_of(d.anchor), 1);
  }

  /// The key path of the node being read, for messages ("actors[2].gdp").
  std::string path() const {
    std::string p;
    for (const Frame& f : stack_) {
      if (f.node.kind == Node::Kind::map && f.have_key)
        p += (p.empty() ? "" : ".") + f.key;
      else if (f.node.kind == Node::Kind::sequence)
        p += "[" + std::to_string(f.node.seq.size()) + "]";
    }
    constexpr std::size_t kLongest = 80;
    if (p.size() > kLongest) p = "..." + p.substr(p.size() - kLongest);
    return p;
  }

  void count(std::size_t nodes, const yaml_mark_t& mark) {
    total_ += nodes;
    if (total_ > limits_.max_nodes)
      throw InputError(at(mark), path(),
                       "more than " + std::to_string(limits_.max_nodes) +
                           " values (aliases count every value they repeat; the limit is "
                           "GEOSIM_YAML_MAX_NODES)");
  }

  void open(const yaml_mark_t& mark, std::string anchor, Node::Kind kind) {
    if (stack_.size() + 1 > limits_.max_depth)
      throw InputError(at(mark), path(),
                       "maps and lists nested more than " + std::to_string(limits_.max_depth) +
                           " deep (the limit is GEOSIM_YAML_MAX_DEPTH)");
    count(1, mark);
    // A redefined anchor: until this node ends, an alias to the name means this node (which
    // holds it: a cycle, refused as unknown), not the earlier one.
    if (!anchor.empty()) anchors_.erase(anchor);
    Frame f;
    f.node.kind = kind;
    f.node.loc = at(mark);
    f.anchor = std::move(anchor);
    stack_.push_back(std::move(f));
  }

  void close() {
    Frame f = std::move(stack_.back());
    stack_.pop_back();
    if (f.node.kind == Node::Kind::map && f.have_key)  // cannot happen: libyaml pairs them
      throw InputError(f.key_loc, path(), "a key without a value");
    finish(std::move(f.node), f.anchor, f.nodes);
  }

  /// A complete node of `nodes` nodes: remember it under its anchor, then hand it to its parent.
  void finish(Node n, const std::string& anchor, std::size_t nodes) {
    if (!anchor.empty()) anchors_[anchor] = {n, nodes};
    if (stack_.empty()) {
      root_ = std::move(n);
      has_root_ = true;
      return;
    }
    Frame& parent = stack_.back();
    parent.nodes += nodes;
    if (parent.node.kind == Node::Kind::sequence) {
      parent.node.seq.push_back(std::move(n));
      return;
    }
    if (!parent.have_key) {
      if (n.kind == Node::Kind::null) {  // `: v` or `~: v`: yaml-cpp read the key as null too
        throw InputError(n.loc, path(), "a map key must be a plain word, got nothing");
      }
      if (n.kind != Node::Kind::scalar)
        throw InputError(n.loc, path(), "a map key must be a plain word, got a list or map");
      // Escapes can put control characters in a quoted key; written back, a line break in a key
      // would not read back as the same key.
      for (const char ch : n.scalar)
        if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f)
          throw InputError(n.loc, path(),
                           "a map key must be a plain word, got one holding a control character");
      parent.key = std::move(n.scalar);
      parent.key_loc = n.loc;
      parent.have_key = true;
      return;
    }
    parent.have_key = false;
    if (parent.node.find(parent.key) != nullptr)
      throw InputError(parent.key_loc, parent.key,
                       "duplicate key '" + parent.key + "' in the same map");
    n.key_loc = parent.key_loc;
    if (n.kind == Node::Kind::null) n.loc = parent.key_loc;
    parent.node.map.emplace_back(std::move(parent.key), std::move(n));
  }

  std::string file_;
  const YamlLimits& limits_;
  std::vector<Frame> stack_;
  std::map<std::string, std::pair<Node, std::size_t>, std::less<>> anchors_;
  std::size_t total_ = 0;
  Node root_;
  bool has_root_ = false;
};

/// The characters of `text` as libyaml's marks count them: code points, a leading byte-order
/// mark not included.
std::size_t characters(const std::string& text) {
  std::size_t n = 0;
  for (const char ch : text) n += (static_cast<unsigned char>(ch) & 0xc0) != 0x80;
  return text.rfind("\xef\xbb\xbf", 0) == 0 ? n - 1 : n;
}

/// Where libyaml found a problem. At the end of the text it reports the start of a line after
/// the last one (it closes the last line before it ends the stream): that is the end of the text.
Location problem_location(const yaml_mark_t& m, const std::string& text, std::size_t length,
                          const std::string& file) {
  if (m.index < length)
    return Location{file, static_cast<int>(m.line) + 1, static_cast<int>(m.column) + 1};
  int line = 1, column = 1;
  for (const char ch : text) {
    if (ch == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(ch) & 0xc0) != 0x80) {
      ++column;  // a character, not a continuation byte
    }
  }
  return Location{file, line, column};
}

void check_size(std::size_t bytes, const std::string& file, const YamlLimits& limits) {
  if (bytes > limits.max_bytes)
    throw InputError(Location{file, 0, 0}, "",
                     "a YAML file of " + std::to_string(bytes) + " bytes (the limit is " +
                         std::to_string(limits.max_bytes) + "; GEOSIM_YAML_MAX_BYTES raises it)");
}

}  // namespace

YamlLimits yaml_limits() {
  YamlLimits l;
  l.max_bytes = env_limit("GEOSIM_YAML_MAX_BYTES", l.max_bytes);
  l.max_nodes = env_limit("GEOSIM_YAML_MAX_NODES", l.max_nodes);
  l.max_depth = env_limit("GEOSIM_YAML_MAX_DEPTH", l.max_depth);
  l.max_scalar = env_limit("GEOSIM_YAML_MAX_SCALAR", l.max_scalar);
  return l;
}

Node parse_yaml(const std::string& text, const std::string& file) {
  const YamlLimits limits = yaml_limits();
  check_size(text.size(), file, limits);
  check_text(text, file);
  Builder b(file, limits);
  yaml_parser_t parser;
  if (yaml_parser_initialize(&parser) == 0) throw std::bad_alloc();
  const std::unique_ptr<yaml_parser_t, void (*)(yaml_parser_t*)> guard(&parser, yaml_parser_delete);
  yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(text.data()),
                               text.size());
  const std::size_t length = characters(text);
  // The next event, or an InputError for a syntax error.
  const auto next = [&](yaml_event_t& event) {
    if (yaml_parser_parse(&parser, &event) != 0) return;
    std::string why = parser.problem != nullptr ? parser.problem : "cannot be read";
    // Cut short (an unclosed bracket or quote): point at what was left open.
    if (parser.context != nullptr && parser.problem_mark.index >= length)
      throw InputError(problem_location(parser.context_mark, text, length, file), "",
                       "YAML syntax: " + why + " at the end of the text (" + parser.context +
                           " that starts here)");
    if (parser.context != nullptr) why += std::string(" (") + parser.context + ")";
    throw InputError(problem_location(parser.problem_mark, text, length, file), "",
                     "YAML syntax: " + why);
  };
  for (bool more = true; more;) {
    yaml_event_t event;
    next(event);
    const bool document_end = event.type == YAML_DOCUMENT_END_EVENT;
    try {
      more = b.handle(event);
    } catch (...) {
      yaml_event_delete(&event);
      throw;
    }
    yaml_event_delete(&event);
    if (document_end) {
      // What follows the document must be well-formed too (`[1, 2]]` is an error, not a list):
      // read one more event, the next document's start or the end of the text.
      next(event);
      yaml_event_delete(&event);
    }
  }
  Node root = b.has_root() ? b.take_root() : Node{};
  if (root.kind == Node::Kind::null) root.loc = Location{file, 1, 1};
  return root;
}

Node load_yaml_file(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    throw InputError(Location{path, 0, 0}, "",
                     errno == ENOENT
                         ? std::string("cannot read the file (does it exist?)")
                         : std::string("cannot read the file (") + std::strerror(errno) + ")");
  if (S_ISDIR(st.st_mode))
    throw InputError(Location{path, 0, 0}, "", "is a folder, not a YAML file");
  if (!S_ISREG(st.st_mode)) throw InputError(Location{path, 0, 0}, "", "not a regular file");
  check_size(static_cast<std::size_t>(st.st_size), path, yaml_limits());
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(Location{path, 0, 0}, "", "cannot read the file (permission?)");
  std::ostringstream s;
  s << in.rdbuf();
  return parse_yaml(s.str(), path);
}

}  // namespace geosim
