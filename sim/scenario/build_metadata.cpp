#include <cmath>
#include <limits>

#include "core/text.hpp"
#include "scenario/context.hpp"
#include "scenario/schema.hpp"

namespace geosim {

std::string item_path(const std::string& list, const Node& item, std::size_t index) {
  if (item.is_map())
    for (const char* k : {"code", "id"})
      if (const Node* v = item.find(k); v && v->is_scalar() && !v->scalar.empty())
        return list + "[" + v->scalar + "]";
  return list + "[" + std::to_string(index) + "]";
}

int BuildContext::actor(const Node& n, const std::string& path, bool allow_rest_of_world) {
  if (n.is_scalar())
    for (std::size_t i = 0; i < actor_codes.size(); ++i)
      if (actor_codes[i] == n.scalar) {
        if (static_cast<int>(i) == sc.rest_of_world && !allow_rest_of_world) {
          r.error(n, path,
                  "the rest of the world (ROW) cannot be named here: it only sends and receives "
                  "flows (flows, flow events, neighbours and a sanction's transit list)");
          return -1;
        }
        return static_cast<int>(i);
      }
  if (n.is_scalar()) {
    std::vector<std::string> listed = actor_codes;
    if (sc.rest_of_world >= 0 && !allow_rest_of_world)
      listed.erase(listed.begin() + sc.rest_of_world);
    r.error(n, path,
            "unknown actor '" + n.scalar + "'" + did_you_mean(n.scalar, listed) +
                "; actors are: " + join_words(listed));
  } else {
    r.error(n, path, "expected an actor code, got " + n.kind_name());
  }
  return -1;
}

std::vector<int> BuildContext::actor_list(const Node& n, const std::string& path,
                                          std::size_t min_items, bool allow_rest_of_world) {
  std::vector<int> out;
  if (!n.is_seq()) {
    r.error(n, path, "expected a list of actor codes like [KAZ, KGZ], got " + n.kind_name());
    return out;
  }
  if (n.seq.size() < min_items)
    r.error(n, path, "expected at least " + std::to_string(min_items) + " actor code(s)");
  for (std::size_t i = 0; i < n.seq.size(); ++i) {
    const int a = actor(n.seq[i], path + "[" + std::to_string(i) + "]", allow_rest_of_world);
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

int BuildContext::channel(const Node& n, const std::string& path) {
  return r.choice(n, path, channel_names, "channel").value_or(-1);
}

void BuildContext::warn(const Node& n, const std::string& path, const std::string& message) {
  warnings.push_back(Diagnostic{n.loc, path, message});
}

void build_metadata(BuildContext& c, const Node& m) {
  const std::string p = "metadata";
  if (!check_keys(c, m, p, specs_of(metadata_schema()))) return;
  Scenario& sc = c.sc;
  sc.seed = 1;
  read_fields(c, m, p, metadata_schema(), sc);
  const Node* start = m.find("start");
  const Node* turns = m.find("turns");
  c.run_known = start && turns && start->is_scalar() && parse_date(start->scalar) && sc.turns >= 1;
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
  if (c.version() >= 2 && root.find("rest_of_world")) {
    const auto it = std::find(c.actor_codes.begin(), c.actor_codes.end(), kRestOfWorldCode);
    if (it != c.actor_codes.end()) {
      const Node& item =
          root.find("actors")->seq[static_cast<std::size_t>(it - c.actor_codes.begin())];
      c.r.error(*item.find("code"), item_path("actors", item, 0) + ".code",
                "the code ROW is the rest of the world's, declared in rest_of_world: give this "
                "actor another code");
    }
    c.sc.rest_of_world = static_cast<int>(c.actor_codes.size());
    c.actor_codes.emplace_back(kRestOfWorldCode);
  }
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
      if (check_keys(c, n, p, specs_of(pole_schema()))) {
        read_fields(c, n, p, pole_schema(), pole);
        if (!n.find("name")) pole.name = pole.code;
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
      if (check_keys(c, n, p, specs_of(bloc_schema()))) {
        read_fields(c, n, p, bloc_schema(), bloc);
        if (!n.find("name")) bloc.name = bloc.code;
      }
      c.sc.blocs.push_back(std::move(bloc));
    }
  }
}

void build_parameters(BuildContext& c, const Node* n) {
  if (!n) return;
  std::vector<FieldSpec> specs;  // for check_keys: names and the version that introduced them
  for (const auto& s : param_specs())
    specs.push_back(FieldSpec{.key = s.name, .type = FieldType::number, .since = s.since});
  if (!check_keys(c, *n, "parameters", specs)) return;
  for (const auto& s : param_specs())
    if (const Node* v = n->find(s.name); v && s.since <= c.version()) {
      const std::string p = "parameters." + std::string(s.name);
      if (auto x = c.r.number(*v, p, s.min, s.max)) c.sc.params.*(s.field) = *x;
    }
}

}  // namespace geosim
