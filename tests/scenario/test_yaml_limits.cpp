// YAML hardening (docs/scenario-format.md, "Limits"): every YAML input is refused in bounded time
// and memory, with a location, when it is too large, too deep, expands too far through aliases,
// or holds bytes that are not printable UTF-8.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <string>

#include "core/error.hpp"
#include "scenario/tree.hpp"
#include "scenario/yaml_limits.hpp"

using namespace geosim;

namespace {

/// The first diagnostic of parsing `text`, as "LINE:COL key: message", or "accepted".
std::string refusal(const std::string& text) {
  try {
    (void)parse_yaml(text, "t.yaml");
  } catch (const InputError& e) {
    const Diagnostic& d = e.diagnostics().front();
    return std::to_string(d.where.line) + ":" + std::to_string(d.where.column) + " " + d.key_path +
           ": " + d.message;
  }
  return "accepted";
}

bool starts(const std::string& s, const std::string& prefix) {
  return s.rfind(prefix, 0) == 0;
}

/// Sets an environment variable for the life of the object.
struct Env {
  std::string name;
  Env(const char* n, const char* v) : name(n) { ::setenv(n, v, 1); }
  ~Env() { ::unsetenv(name.c_str()); }
};

}  // namespace

TEST_CASE("the defaults are documented values and the environment overrides them") {
  const YamlLimits d = yaml_limits();
  CHECK(d.max_bytes == 16u << 20);
  CHECK(d.max_nodes == 500'000);
  CHECK(d.max_depth == 64);
  CHECK(d.max_scalar == 1u << 20);
  {
    Env e("GEOSIM_YAML_MAX_DEPTH", "7");
    CHECK(yaml_limits().max_depth == 7);
  }
  Env bad("GEOSIM_YAML_MAX_NODES", "lots");
  CHECK_THROWS_WITH_AS(yaml_limits(), doctest::Contains("'lots' is not a whole number above 0"),
                       InputError);
}

TEST_CASE("an alias bomb is refused after the limit, not expanded") {
  // Nine levels of nine aliases: 9^10 values if expanded.
  std::string text = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 10; ++i) {
    text += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int k = 0; k < 9; ++k) text += (k ? ", *a" : "*a") + std::to_string(i - 1);
    text += "]\n";
  }
  Env e("GEOSIM_YAML_MAX_NODES", "20000");
  const auto t0 = std::chrono::steady_clock::now();
  const std::string r = refusal(text);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  CHECK_MESSAGE(
      r.find("more than 20000 values (aliases count every value they repeat") != std::string::npos,
      r);
  CHECK(starts(r, "5:"));  // a4 = 9^5 values: the first line past 20,000
  CHECK(seconds < 5.0);
  // Small aliases are fine, and are copies.
  CHECK(refusal("a: &x {b: 1}\nc: *x\n") == "accepted");
  CHECK(refusal("a: *nothing\n").find("YAML syntax") != std::string::npos);
}

TEST_CASE("nesting, values and sizes beyond the limits are located") {
  std::string deep = "x: " + std::string(1000, '[') + std::string(1000, ']') + "\n";
  const std::string r = refusal(deep);
  CHECK_MESSAGE(starts(r, "1:67 ..."), r);
  CHECK(r.find("nested more than 64 deep") != std::string::npos);
  std::string items = "list:\n";
  for (int i = 0; i < 200; ++i) items += "  - " + std::to_string(i) + "\n";
  {
    Env e("GEOSIM_YAML_MAX_NODES", "100");
    CHECK(starts(refusal(items), "99:5 list[97]: more than 100 values"));
  }
  CHECK(refusal(items) == "accepted");
  {
    Env e("GEOSIM_YAML_MAX_SCALAR", "10");
    CHECK(refusal("name: twelve chars\n") ==
          "1:7 name: a value of 12 bytes (the limit is 10; GEOSIM_YAML_MAX_SCALAR)");
  }
  Env e("GEOSIM_YAML_MAX_BYTES", "16");
  CHECK(refusal("name: seventeen b\n") ==
        "0:0 : a YAML file of 18 bytes (the limit is 16; GEOSIM_YAML_MAX_BYTES raises it)");
}

TEST_CASE("control characters and invalid UTF-8 are refused at their line and column") {
  CHECK(refusal("a: 1\nb: x\x01y\n") == "2:5 : a control character (0x01) in the text");
  CHECK(refusal(std::string("a: 1\n\0\0", 7)) ==
        "2:1 : a control character (0x00) in the text: is this a binary file?");
  CHECK(refusal("a: caf\xe9!\n") ==
        "1:7 : invalid UTF-8 (a broken multi-byte character; save the file as UTF-8)");
  CHECK(refusal("a: \xc0\xaf\n") == "1:4 : invalid UTF-8 (byte 0xc0); save the file as UTF-8");
  CHECK(refusal("a: \xed\xa0\x80\n") == "1:4 : invalid UTF-8 (an over-long form or a surrogate)");
  CHECK(refusal("a: x\xc2\x85y\n") == "1:5 : a control character (U+0085) in the text");
  CHECK(refusal("a: x\xe2\x80\xa8y\n") ==
        "1:5 : a Unicode line separator (U+2028) in the text; use a line break or a space");
  CHECK(refusal("a:\n  - \xe2\x80\xa9\n") ==
        "2:5 : a Unicode paragraph separator (U+2029) in the text; use a line break or a space");
  CHECK(refusal("a: \xe2\x82") ==
        "1:4 : invalid UTF-8 (a character cut short at the end of the file)");
  // Tabs, CR LF line ends, a byte-order mark at the start and any printable character are fine.
  CHECK(refusal("\xef\xbb\xbf"
                "a: \"x\ty\"\r\nb: Душанбе — 杜尚别 🙂\n") == "accepted");
}

TEST_CASE("what an escape makes is held to the rules of the text, so the resolved YAML reloads") {
  CHECK(refusal("a: \"x\\u2028y\"\n") ==
        "1:4 a: a Unicode line or paragraph separator (U+2028, U+2029) in a value; use a line "
        "break or a space");
  CHECK(refusal("\"a\\rb\": 1\n") ==
        "1:1 : a map key must be a plain word, got one holding a control character");
  CHECK(refusal("a: \"x\\ty\\nz\"\n") == "accepted");  // in a value they are written escaped
}

TEST_CASE("a text cut short points at what was left open, after any character") {
  // libyaml counts characters, not bytes, and not a byte-order mark.
  CHECK(starts(refusal("x: \xc3\xa9\na: [1, 2\n"), "2:4 : YAML syntax: "));
  CHECK(refusal("x: \xc3\xa9\na: [1, 2\n").find("at the end of the text") != std::string::npos);
  CHECK(starts(refusal("\xef\xbb\xbf"
                       "a: [1, 2\n"),
               "1:4 : YAML syntax: "));
  CHECK(starts(refusal("a: \"x\n"), "1:4 : YAML syntax: "));
}

TEST_CASE("what follows the document must be YAML too; a second document is not read") {
  for (const char* junk : {"[1, 2]]\n", "{a: 1}\n}\n", "a: 1\n...\n]]]\n"}) {
    CAPTURE(junk);
    CHECK(refusal(junk).find("YAML syntax") != std::string::npos);
  }
  CHECK(refusal("a: 1\n---\nb: 2\n") == "accepted");
  CHECK(parse_yaml("a: 1\n---\nb: [\n", "t.yaml").find("b") == nullptr);
}

TEST_CASE(
    "an anchor redefined: aliases mean the latest, and a node cannot hold an alias to itself") {
  const Node n = parse_yaml("a: &x 1\nb: &x 2\nc: *x\n", "t.yaml");
  REQUIRE(n.find("c") != nullptr);
  CHECK(n.find("c")->scalar == "2");
  CHECK(refusal("a: &x 1\nb: &x [*x]\n").find("an alias to an unknown anchor 'x'") !=
        std::string::npos);
}

TEST_CASE("duplicate and non-scalar keys are still refused, located") {
  CHECK(refusal("a: 1\nb: 2\na: 3\n") == "3:1 a: duplicate key 'a' in the same map");
  CHECK(refusal("? [1, 2]\n: x\n") == "1:3 : a map key must be a plain word, got a list or map");
}
