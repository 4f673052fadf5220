#include <cmath>
#include <limits>

#include "core/text.hpp"
#include "scenario/context.hpp"

namespace geosim {

std::string item_path(const std::string& list, const Node& item, std::size_t index) {
  if (item.is_map())
    for (const char* k : {"code", "id"})
      if (const Node* v = item.find(k); v && v->is_scalar() && !v->scalar.empty())
        return list + "[" + v->scalar + "]";
  return list + "[" + std::to_string(index) + "]";
}

int BuildContext::actor(const Node& n, const std::string& path) {
  if (n.is_scalar())
    for (std::size_t i = 0; i < actor_codes.size(); ++i)
      if (actor_codes[i] == n.scalar) return static_cast<int>(i);
  if (n.is_scalar())
    r.error(n, path,
            "unknown actor '" + n.scalar + "'" + did_you_mean(n.scalar, actor_codes) +
                "; actors are: " + join_words(actor_codes));
  else
    r.error(n, path, "expected an actor code, got " + n.kind_name());
  return -1;
}

std::vector<int> BuildContext::actor_list(const Node& n, const std::string& path,
                                          std::size_t min_items) {
  std::vector<int> out;
  if (!n.is_seq()) {
    r.error(n, path, "expected a list of actor codes like [KAZ, KGZ], got " + n.kind_name());
    return out;
  }
  if (n.seq.size() < min_items)
    r.error(n, path, "expected at least " + std::to_string(min_items) + " actor code(s)");
  for (std::size_t i = 0; i < n.seq.size(); ++i) {
    const int a = actor(n.seq[i], path + "[" + std::to_string(i) + "]");
    if (a < 0) continue;
    if (std::find(out.begin(), out.end(), a) != out.end())
      r.error(n.seq[i], path, "actor '" + n.seq[i].scalar + "' is listed twice");
    else
      out.push_back(a);
  }
  return out;
}

int BuildContext::bloc(const Node& n, const std::string& path) {
  if (n.is_scalar())
    for (std::size_t i = 0; i < bloc_codes.size(); ++i)
      if (bloc_codes[i] == n.scalar) return static_cast<int>(i);
  r.error(n, path,
          "unknown bloc " + n.kind_name() +
              (n.is_scalar() ? did_you_mean(n.scalar, bloc_codes) : std::string()) +
              "; blocs are: " + (bloc_codes.empty() ? "(none)" : join_words(bloc_codes)));
  return -1;
}

void build_metadata(BuildContext& c, const Node& m) {
  const std::string p = "metadata";
  if (!c.r.check_map(m, p, {"name", "description", "start", "turn", "turns", "seed"})) return;
  Scenario& sc = c.sc;
  if (const Node* v = c.r.field(m, p, "name", true))
    if (auto s = c.r.string(*v, p + ".name")) sc.name = *s;
  if (const Node* v = c.r.field(m, p, "description", false))
    if (auto s = c.r.string(*v, p + ".description")) sc.description = *s;
  bool start_ok = false, turns_ok = false;
  if (const Node* v = c.r.field(m, p, "start", true))
    if (auto d = c.r.date(*v, p + ".start")) {
      sc.start = *d;
      start_ok = true;
    }
  if (const Node* v = c.r.field(m, p, "turn", false))
    if (auto i = c.r.choice(*v, p + ".turn", {"month", "quarter", "year"}, "turn length"))
      sc.months_per_turn = std::array<int, 3>{1, 3, 12}[*i];
  if (const Node* v = c.r.field(m, p, "turns", true))
    if (auto t = c.r.integer(*v, p + ".turns", 1, 100000)) {
      sc.turns = static_cast<int>(*t);
      turns_ok = true;
    }
  c.run_known = start_ok && turns_ok;
  sc.seed = 1;
  if (const Node* v = c.r.field(m, p, "seed", false))
    if (auto s = c.r.integer(*v, p + ".seed", 0, std::numeric_limits<long long>::max()))
      sc.seed = static_cast<std::uint64_t>(*s);
}

/// Codes first, so that poles, actors and events can refer to each other in any order.
void collect_names(BuildContext& c, const Node& root) {
  auto codes = [&](const char* list, std::vector<std::string>& out) {
    const Node* n = root.find(list);
    if (!n || !n->is_seq()) return;
    for (std::size_t i = 0; i < n->seq.size(); ++i) {
      const Node& item = n->seq[i];
      const Node* code = item.is_map() ? item.find("code") : nullptr;
      std::string s = code && code->is_scalar() ? code->scalar : std::string();
      if (!s.empty() && std::find(out.begin(), out.end(), s) != out.end())
        c.r.error(*code, item_path(list, item, i) + ".code",
                  "duplicate code '" + s + "': codes must be unique");
      out.push_back(s);  // keep indices aligned with the list, even when empty
    }
  };
  codes("actors", c.actor_codes);
  codes("poles", c.pole_codes);
  codes("blocs", c.bloc_codes);
}

void build_poles_and_blocs(BuildContext& c, const Node& root) {
  const Node* poles = c.r.field(root, "", "poles", true);
  if (poles && (!poles->is_seq() || poles->seq.empty()))
    c.r.error(*poles, "poles", "expected a list of at least one pole, got " + poles->kind_name());
  if (poles && poles->is_seq())
    for (std::size_t i = 0; i < poles->seq.size(); ++i) {
      const Node& n = poles->seq[i];
      const std::string p = item_path("poles", n, i);
      PoleSpec pole;
      if (c.r.check_map(n, p, {"code", "name", "owners", "source", "note"})) {
        if (const Node* v = c.r.field(n, p, "code", true))
          if (auto s = c.r.identifier(*v, p + ".code")) pole.code = *s;
        pole.name = pole.code;
        if (const Node* v = c.r.field(n, p, "name", false))
          if (auto s = c.r.string(*v, p + ".name")) pole.name = *s;
        if (const Node* v = c.r.field(n, p, "owners", true)) {
          if (v->is_seq() && v->seq.empty())
            c.r.error(*v, p + ".owners",
                      "a pole needs an owner: list at least one actor whose pole it is");
          else
            pole.owners = c.actor_list(*v, p + ".owners", 1);
        }
      }
      c.sc.poles.push_back(std::move(pole));
    }
  if (const Node* blocs = root.find("blocs")) {
    if (!blocs->is_seq()) c.r.error(*blocs, "blocs", "expected a list, got " + blocs->kind_name());
    for (std::size_t i = 0; blocs->is_seq() && i < blocs->seq.size(); ++i) {
      const Node& n = blocs->seq[i];
      const std::string p = item_path("blocs", n, i);
      BlocSpec bloc;
      if (c.r.check_map(n, p, {"code", "name", "weight", "source", "note"})) {
        if (const Node* v = c.r.field(n, p, "code", true))
          if (auto s = c.r.identifier(*v, p + ".code")) bloc.code = *s;
        bloc.name = bloc.code;
        if (const Node* v = c.r.field(n, p, "name", false))
          if (auto s = c.r.string(*v, p + ".name")) bloc.name = *s;
        if (const Node* v = c.r.field(n, p, "weight", false))
          if (auto w = c.r.number(*v, p + ".weight", 0, 1e6)) bloc.weight = *w;
      }
      c.sc.blocs.push_back(std::move(bloc));
    }
  }
}

void build_parameters(BuildContext& c, const Node* n) {
  if (!n) return;
  std::vector<std::string> names;
  for (const auto& s : param_specs()) names.emplace_back(s.name);
  if (!c.r.check_map(*n, "parameters", names)) return;
  for (const auto& s : param_specs())
    if (const Node* v = n->find(s.name)) {
      const std::string p = "parameters." + std::string(s.name);
      if (auto x = c.r.number(*v, p, s.min, s.max)) c.sc.params.*(s.field) = *x;
    }
}

}  // namespace geosim
