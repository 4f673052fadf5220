#pragma once
/// Force-included in every source of the fuzz build (GEOSIM_FUZZ, clang with libstdc++) and
/// nowhere else. scenario/tree.hpp's Node holds a std::vector<std::pair<std::string, Node>>;
/// when clang instantiates that pair (a range-for over Node::map, say), it evaluates pair's
/// conditionally explicit default constructor at once, which asks whether Node is implicitly
/// default constructible while the pair is still incomplete, and fails (clang 16 and 19 with
/// libstdc++ 12; GCC defers the question). Node is an aggregate with default member
/// initializers, so the answer is true: given here before anything asks, the instantiation no
/// longer recurses. Delete this file when tree.hpp no longer nests a pair of Node in Node.
#include <type_traits>

namespace geosim {
struct Node;
}

template <>
struct std::__is_implicitly_default_constructible<geosim::Node> : std::true_type {};
