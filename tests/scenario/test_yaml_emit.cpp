// emit_yaml writes the resolved scenario that outputs record and hash; it must write exactly the
// bytes of yaml-cpp's emitter (emit_yaml_with_yaml_cpp), or files written by earlier versions
// would stop matching their scenarios. Checked on every shipped YAML file and on random trees
// whose scalars are made of the characters that decide plain against quoted.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "scenario/load.hpp"
#include "scenario/tree.hpp"
#include "test_paths.hpp"

using namespace geosim;

namespace {

std::string read_all(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

/// A scalar biased towards YAML's indicators, blanks and null words.
std::string random_text(std::mt19937_64& g) {
  static const std::string kWords[] = {
      "",    "~",   "null", "Null", "NULL", "true", "-",  "- a",   "-a",  "?",
      "? x", ":",   ":x",   "a:",   "a: b", "a:b",  "#",  "a #b",  "a#b", " a",
      "a ",  "1e9", "-1.5", "0x1f", "'",    "\"",   "\\", "a\\\"b"};
  static const std::string kChars = " -?:#,[]{}&*!|>'\"%@`~\\ab1.";
  if (g() % 3 == 0) return kWords[g() % std::size(kWords)];
  std::string s;
  const std::size_t len = g() % 7;
  for (std::size_t i = 0; i < len; ++i) s += kChars[g() % kChars.size()];
  return s;
}

Node random_node(std::mt19937_64& g, int depth) {
  Node n;
  const auto pick = g() % (depth >= 4 ? 2 : 5);
  if (pick == 0) return n;  // null
  if (pick == 1) {
    n.kind = Node::Kind::scalar;
    n.scalar = random_text(g);
    n.quoted = g() % 4 == 0;
    return n;
  }
  const std::size_t size = g() % 4;  // empty lists and maps too
  if (pick == 2 || pick == 3) {
    n.kind = Node::Kind::map;
    for (std::size_t i = 0; i < size; ++i) {
      std::string key = random_text(g);  // the emitter does not care about duplicates
      n.map.push_back(MapEntry{std::move(key), random_node(g, depth + 1)});
    }
  } else {
    n.kind = Node::Kind::sequence;
    for (std::size_t i = 0; i < size; ++i) n.seq.push_back(random_node(g, depth + 1));
  }
  return n;
}

}  // namespace

TEST_CASE("emit_yaml writes yaml-cpp's bytes for every shipped YAML file") {
  int files = 0;
  for (const char* dir : {GEOSIM_SCENARIOS_DIR, GEOSIM_TESTS_DIR "/scenario/overlays"})
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
      if (e.path().extension() != ".yaml") continue;
      CAPTURE(e.path().string());
      const Node root = parse_yaml(read_all(e.path()), e.path().string());
      CHECK(emit_yaml(root) == emit_yaml_with_yaml_cpp(root));
      ++files;
    }
  CHECK(files > 20);
  // The resolved baseline as the loader records it: overlays and --set applied.
  const Scenario sc = load_scenario(GEOSIM_SCENARIOS_DIR "/whatif/us_doubles_security_aid.yaml",
                                    {"parameters.influence_inertia=0.25"});
  const Node resolved = parse_yaml(sc.resolved_yaml, "resolved");
  CHECK(sc.resolved_yaml == emit_yaml_with_yaml_cpp(resolved));
}

TEST_CASE("emit_yaml writes yaml-cpp's bytes for random trees of indicators and blanks") {
  std::mt19937_64 g(20261204);
  for (int i = 0; i < 20000; ++i) {
    Node root = random_node(g, 0);
    const std::string fast = emit_yaml(root), reference = emit_yaml_with_yaml_cpp(root);
    if (fast != reference) {
      CAPTURE(i);
      CHECK(fast == reference);
      break;
    }
  }
}

TEST_CASE("emit_yaml hands other characters to yaml-cpp") {
  Node root;
  root.kind = Node::Kind::map;
  for (const char* s : {"Душанбе", "tab\there", "line\nbreak", "\xef\xbf\xbe"}) {
    Node v;
    v.kind = Node::Kind::scalar;
    v.scalar = s;
    root.map.push_back(MapEntry{s, v});
  }
  CHECK(emit_yaml(root) == emit_yaml_with_yaml_cpp(root));
  CHECK(emit_yaml(root).find("\\t") != std::string::npos);  // escaped, as yaml-cpp does
}
