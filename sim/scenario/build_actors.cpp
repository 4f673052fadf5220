#include <cctype>
#include <cmath>
#include <cstdio>

#include "core/text.hpp"
#include "scenario/context.hpp"

namespace geosim {

namespace {

/// Shares per pole: {west: 0.2, russia: 0.8}; unnamed poles are 0; must add up to 1.
std::optional<Vector> pole_shares(BuildContext& c, const Node& n, const std::string& path) {
  const int P = static_cast<int>(c.pole_codes.size());
  if (!c.r.check_map(n, path, c.pole_codes)) return std::nullopt;
  Vector x = Vector::Zero(P);
  bool ok = true;
  for (int q = 0; q < P; ++q)
    if (const Node* v = n.find(c.pole_codes[q])) {
      if (auto s = c.r.number(*v, path + "." + c.pole_codes[q], 0.0, 1.0))
        x(q) = *s;
      else
        ok = false;
    }
  if (n.map.size() !=
      static_cast<std::size_t>(std::count_if(n.map.begin(), n.map.end(), [&](const auto& kv) {
        return std::find(c.pole_codes.begin(), c.pole_codes.end(), kv.first) != c.pole_codes.end();
      })))
    ok = false;
  if (!ok) return std::nullopt;
  if (std::abs(x.sum() - 1.0) > 1e-6) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6g", x.sum());
    c.r.error(n, path,
              std::string("shares add up to ") + buf +
                  "; expected 1 (the shares of one actor's alignment over the poles)");
    return std::nullopt;
  }
  return x;
}

bool valid_code(const std::string& s) {
  if (s.empty() || !std::isupper(static_cast<unsigned char>(s[0]))) return false;
  return std::all_of(s.begin(), s.end(), [](char ch) {
    return std::isupper(static_cast<unsigned char>(ch)) ||
           std::isdigit(static_cast<unsigned char>(ch)) || ch == '_';
  });
}

void build_actor(BuildContext& c, const Node& n, const std::string& p, ActorSpec& a) {
  static const std::vector<std::string> keys = {
      "code",      "name",    "role",   "gdp",       "growth",         "military",
      "budget",    "budgets", "anchor", "alignment", "susceptibility", "autonomy",
      "stability", "blocs",   "source", "note"};
  if (!c.r.check_map(n, p, keys)) return;
  Reader& r = c.r;
  if (const Node* v = r.field(n, p, "code", true))
    if (auto s = r.string(*v, p + ".code")) {
      a.code = *s;
      if (!valid_code(*s))
        r.error(*v, p + ".code",
                "actor code '" + *s +
                    "' must be capitals, digits or _ and start with a capital "
                    "(ISO 3166 alpha-3 for states, e.g. TJK)");
    }
  if (const Node* v = r.field(n, p, "name", true))
    if (auto s = r.string(*v, p + ".name")) a.name = *s;
  if (const Node* v = r.field(n, p, "role", false))
    if (auto i = r.choice(*v, p + ".role", {"patron", "client", "other"}, "role"))
      a.role = static_cast<Role>(*i);
  if (const Node* v = r.field(n, p, "gdp", true))
    if (auto q = r.quantity(*v, p + ".gdp", UnitKind::usd_bn_per_year, 1e-9, 1e7)) a.gdp = *q;
  if (const Node* v = r.field(n, p, "growth", false))
    if (auto q = r.quantity(*v, p + ".growth", UnitKind::fraction_per_year, -0.99, 10.0))
      a.growth = *q;
  if (const Node* v = r.field(n, p, "military", false))
    if (auto q = r.quantity(*v, p + ".military", UnitKind::usd_bn_per_year, 0, 1e6))
      a.military = *q;
  a.budget = -1.0;
  if (const Node* v = r.field(n, p, "budget", false))
    if (auto q = r.quantity(*v, p + ".budget", UnitKind::usd_bn_per_year, 1e-9, 1e7)) a.budget = *q;
  if (const Node* v = r.field(n, p, "budgets", false)) {
    std::vector<std::string> names(kInstrumentNames.begin(), kInstrumentNames.end());
    if (r.check_map(*v, p + ".budgets", names))
      for (int i = 0; i < kInstrumentCount; ++i)
        if (const Node* b = v->find(names[i]))
          if (auto q = r.quantity(*b, p + ".budgets." + names[i], UnitKind::usd_m_per_year, 0, 1e9))
            a.budgets[i] = *q;
  }
  if (const Node* v = r.field(n, p, "anchor", true))
    if (auto x = pole_shares(c, *v, p + ".anchor")) a.anchor = *x;
  if (const Node* v = r.field(n, p, "alignment", false))
    if (auto x = pole_shares(c, *v, p + ".alignment")) a.alignment = *x;
  if (a.alignment.size() == 0) a.alignment = a.anchor;
  if (const Node* v = r.field(n, p, "susceptibility", false))
    if (auto x = r.number(*v, p + ".susceptibility", 0, 1)) a.susceptibility = *x;
  if (const Node* v = r.field(n, p, "autonomy", false))
    if (auto x = r.number(*v, p + ".autonomy", 1e-9, 1e9)) a.autonomy = *x;
  if (const Node* v = r.field(n, p, "stability", false))
    if (auto x = r.number(*v, p + ".stability", 0, 1)) a.stability = *x;
  if (const Node* v = r.field(n, p, "blocs", false)) {
    if (!v->is_seq())
      r.error(*v, p + ".blocs", "expected a list of bloc codes, got " + v->kind_name());
    for (std::size_t i = 0; v->is_seq() && i < v->seq.size(); ++i) {
      const int b = c.bloc(v->seq[i], p + ".blocs[" + std::to_string(i) + "]");
      if (b >= 0 && std::find(a.blocs.begin(), a.blocs.end(), b) == a.blocs.end())
        a.blocs.push_back(b);
    }
  }
}

}  // namespace

void build_actors(BuildContext& c, const Node& n) {
  if (!n.is_seq() || n.seq.size() < 2) {
    c.r.error(n, "actors", "expected a list of at least two actors, got " + n.kind_name());
    return;
  }
  for (std::size_t i = 0; i < n.seq.size(); ++i) {
    ActorSpec a;
    build_actor(c, n.seq[i], item_path("actors", n.seq[i], i), a);
    if (a.budget < 0.0) a.budget = -1.0;  // filled from the parameter once it is read
    c.sc.actors.push_back(std::move(a));
  }
}

}  // namespace geosim
