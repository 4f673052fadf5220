// Reading YAML into the located Node tree: byte checks, then yaml-cpp's event parser driving a
// builder that enforces the limits of yaml_limits.hpp as it goes. yaml-cpp's own YAML::Load
// would expand an alias bomb into gigabytes before a check could run, and accepts control
// characters and invalid UTF-8.
#include <sys/stat.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
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

/// Builds the Node tree from yaml-cpp's events: locations, quoting, duplicate keys, non-scalar
/// keys, and the limits on nodes (aliases count every node they repeat), depth and value size.
class Builder : public YAML::EventHandler {
 public:
  Builder(std::string file, const YamlLimits& limits) : file_(std::move(file)), limits_(limits) {}

  Node take_root() { return std::move(root_); }
  bool has_root() const { return has_root_; }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    Node n;
    n.loc = at(mark);
    count(1, mark);
    finish(std::move(n), anchor, 1);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const auto it = anchors_.find(anchor);
    if (it == anchors_.end()) throw InputError(at(mark), path(), "an alias to an unknown anchor");
    count(it->second.second, mark);
    Node copy = it->second.first;
    finish(std::move(copy), YAML::NullAnchor, it->second.second);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    if (value.size() > limits_.max_scalar)
      throw InputError(at(mark), path(),
                       "a value of " + std::to_string(value.size()) + " bytes (the limit is " +
                           std::to_string(limits_.max_scalar) + "; GEOSIM_YAML_MAX_SCALAR)");
    Node n;
    n.kind = Node::Kind::scalar;
    n.loc = at(mark);
    n.scalar = value;
    n.quoted = tag == "!";
    count(1, mark);
    finish(std::move(n), anchor, 1);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(mark, anchor, Node::Kind::sequence);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(mark, anchor, Node::Kind::map);
  }
  void OnMapEnd() override { close(); }

 private:
  struct Frame {
    Node node;
    YAML::anchor_t anchor = YAML::NullAnchor;
    std::size_t nodes = 1;  ///< nodes in this subtree so far (itself included)
    bool have_key = false;
    std::string key;
    Location key_loc;
  };

  Location at(const YAML::Mark& m) const { return Location{file_, m.line + 1, m.column + 1}; }

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

  void count(std::size_t nodes, const YAML::Mark& mark) {
    total_ += nodes;
    if (total_ > limits_.max_nodes)
      throw InputError(at(mark), path(),
                       "more than " + std::to_string(limits_.max_nodes) +
                           " values (aliases count every value they repeat; the limit is "
                           "GEOSIM_YAML_MAX_NODES)");
  }

  void open(const YAML::Mark& mark, YAML::anchor_t anchor, Node::Kind kind) {
    if (stack_.size() + 1 > limits_.max_depth)
      throw InputError(at(mark), path(),
                       "maps and lists nested more than " + std::to_string(limits_.max_depth) +
                           " deep (the limit is GEOSIM_YAML_MAX_DEPTH)");
    count(1, mark);
    Frame f;
    f.node.kind = kind;
    f.node.loc = at(mark);
    f.anchor = anchor;
    stack_.push_back(std::move(f));
  }

  void close() {
    Frame f = std::move(stack_.back());
    stack_.pop_back();
    if (f.node.kind == Node::Kind::map && f.have_key)  // cannot happen: yaml-cpp pairs them
      throw InputError(f.key_loc, path(), "a key without a value");
    finish(std::move(f.node), f.anchor, f.nodes);
  }

  /// A complete node of `nodes` nodes: remember it under its anchor, then hand it to its parent.
  void finish(Node n, YAML::anchor_t anchor, std::size_t nodes) {
    if (anchor != YAML::NullAnchor) anchors_[anchor] = {n, nodes};
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
      if (n.kind != Node::Kind::scalar)
        throw InputError(n.loc, path(), "a map key must be a plain word, got a list or map");
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
  std::map<YAML::anchor_t, std::pair<Node, std::size_t>> anchors_;
  std::size_t total_ = 0;
  Node root_;
  bool has_root_ = false;
};

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
  try {
    std::istringstream in(text);
    YAML::Parser parser(in);
    parser.HandleNextDocument(b);
  } catch (const YAML::Exception& e) {
    throw InputError(Location{file, e.mark.line + 1, e.mark.column + 1}, "",
                     "YAML syntax: " + e.msg);
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
