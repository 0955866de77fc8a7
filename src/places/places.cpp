// The place commands: each checks permission and scope, validates, writes
// through the store and audits, in one transaction.
#include "places/places.h"

#include <boost/json.hpp>

#include <functional>
#include <map>
#include <set>

#include "api/scope.h"
#include "audit/audit.h"
#include "core/error.h"
#include "core/json_output.h"
#include "core/text.h"
#include "places/store.h"

namespace xh::places {

namespace json = boost::json;
using storage::Tx;

namespace {

void check_fields(const std::string& kind, const PlaceFields& f) {
  if (f.name && (f.name->empty() || utf8_length(*f.name) > 100))
    throw unprocessable("place.bad_name", "name");
  if (f.code && (f.code->empty() || f.code->size() > 64)) throw unprocessable("place.bad_code", "code");
  if (f.address && utf8_length(*f.address) > 200)
    throw unprocessable("request.field_too_long", "address");
  if (f.lat_e6.has_value() != f.lng_e6.has_value()) throw unprocessable("place.bad_point", "lat_e6");
  if (f.lat_e6 && (*f.lat_e6 < -90000000 || *f.lat_e6 > 90000000 || *f.lng_e6 < -180000000 ||
                   *f.lng_e6 > 180000000))
    throw unprocessable("place.bad_point", "lat_e6");
  if (f.area_centi_m2 && kind != "household")
    throw unprocessable("place.field_not_for_kind", "exclusive_area");
  if (f.grid_id && kind != "building") throw unprocessable("place.field_not_for_kind", "grid_id");
  if (f.property_org_id && kind != "compound")
    throw unprocessable("place.field_not_for_kind", "property_org_id");
}

// "/street/community/…": the first three slashes close the community.
std::string community_of(const std::string& path) {
  std::size_t n = 0, i = 0;
  for (; i < path.size() && n < 3; ++i) n += path[i] == '/';
  return path.substr(0, i);
}

// The grid a building belongs to must be a grid of the same community.
std::string grid_path_for(Tx& tx, std::int64_t grid_id, const std::string& building_path) {
  auto grid = store::find(tx, grid_id);
  if (!grid || grid->kind != "grid" || grid->archived_at)
    throw unprocessable("place.bad_grid", "grid_id");
  if (community_of(grid->path) != community_of(building_path))
    throw unprocessable("place.bad_grid", "grid_id");
  return grid->path;
}

// The compound names a property company: the partners module checks it is one.
void announce_company(Tx& tx, const api::EventBus& events, const api::Actor& actor,
                      std::int64_t place_id, const std::string& path, std::int64_t org_id) {
  events.emit(tx, {"place.company", "place", place_id, actor, path, std::nullopt,
                   json::object{{"org_id", org_id}}});
}

std::string audit_json(const Place& p) { return json::serialize(to_json(p)); }

// The place for a write: live, and in the caller's place.write scope.
Place writable(Tx& tx, const api::Principal& p, std::int64_t id) {
  auto place = store::find(tx, id);
  if (!place || place->archived_at) throw not_found("place.not_found");
  api::require_in_scope_any(p, "place.write", {place->path, place->grid_path.value_or("")});
  return *place;
}

}  // namespace

std::string format_area(std::int64_t centi) {
  std::string frac = std::to_string(centi % 100);
  return std::to_string(centi / 100) + "." + (frac.size() == 1 ? "0" + frac : frac);
}

std::optional<std::int64_t> parse_area(std::string_view text) {
  std::int64_t whole = 0, frac = 0;
  std::size_t i = 0, digits = 0, decimals = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++digits) {
    whole = whole * 10 + (text[i] - '0');
    if (whole > 100000) return std::nullopt;
  }
  if (digits == 0) return std::nullopt;
  if (i < text.size()) {
    if (text[i] != '.') return std::nullopt;
    for (++i; i < text.size(); ++i, ++decimals) {
      if (text[i] < '0' || text[i] > '9' || decimals == 2) return std::nullopt;
      frac = frac * 10 + (text[i] - '0');
    }
    if (decimals == 0) return std::nullopt;
    if (decimals == 1) frac *= 10;
  }
  return whole * 100 + frac;
}

json::object to_json(const Place& p) {
  json::object o{{"id", p.id},
                 {"parent_id", nullable(p.parent_id)},
                 {"kind", p.kind},
                 {"name", p.name},
                 {"code", nullable(p.code)},
                 {"address", nullable(p.address)},
                 {"path", p.path},
                 {"created_at", iso8601(p.created_at)},
                 {"updated_at", iso8601(p.updated_at)},
                 {"archived", p.archived_at.has_value()}};
  o["lat_e6"] = nullable(p.lat_e6);
  o["lng_e6"] = nullable(p.lng_e6);
  if (p.kind == "household")
    o["exclusive_area"] = p.area_centi_m2 ? json::value(format_area(*p.area_centi_m2)) : nullptr;
  if (p.kind == "building") o["grid_id"] = nullable(p.grid_id);
  if (p.kind == "compound") o["property_org_id"] = nullable(p.property_org_id);
  return o;
}

const std::vector<Label>& kind_labels() {
  static const std::vector<Label> kinds = {
      {"street", "街道", "Street"},     {"community", "社区", "Community"},
      {"grid", "网格", "Grid"},         {"micro_grid", "微网格", "Micro-grid"},
      {"compound", "小区", "Compound"}, {"building", "楼栋", "Building"},
      {"unit", "单元", "Unit"},         {"household", "户", "Household"}};
  return kinds;
}

bool kind_allowed_under(const std::string& parent, const std::string& child) {
  static const std::map<std::string, std::set<std::string>> children = {
      {"street", {"community"}},  {"community", {"grid", "compound"}},
      {"grid", {"micro_grid"}},   {"micro_grid", {}},
      {"compound", {"building"}}, {"building", {"unit"}},
      {"unit", {"household"}},    {"household", {}},
  };
  auto it = children.find(parent);
  return it != children.end() && it->second.count(child) > 0;
}

Place create_unchecked(Tx& tx, const api::EventBus& events, const api::Actor& actor,
                       const NewPlace& in) {
  const PlaceFields& f = in.fields;
  if (!f.name) throw unprocessable("request.missing_field", "name");
  check_fields(in.kind, f);
  std::string parent_path = "/";
  std::optional<std::string> grid_path;
  if (in.parent_id) {
    auto parent = store::find(tx, *in.parent_id);
    if (!parent || parent->archived_at) throw unprocessable("place.parent_not_found", "parent_id");
    if (!kind_allowed_under(parent->kind, in.kind)) throw unprocessable("place.bad_kind", "kind");
    parent_path = parent->path;
    grid_path = parent->grid_path;  // units and households inherit their building's grid
  } else if (in.kind != "street") {
    throw unprocessable("place.bad_kind", "kind");
  }
  if (f.grid_id) grid_path = grid_path_for(tx, *f.grid_id, parent_path);
  std::int64_t id;
  try {
    id = store::insert(tx, in, parent_path, grid_path, now_ms());
  } catch (const storage::UniqueViolation&) {
    throw conflict("place.code_taken", "code");
  }
  Place p = *store::find(tx, id);
  if (f.property_org_id) announce_company(tx, events, actor, id, p.path, *f.property_org_id);
  audit::append(tx, actor, {"place.create", "place", std::to_string(id), std::nullopt, audit_json(p)});
  return p;
}

json::object Places::create(const api::Principal& p, const api::Actor& actor,
                            const NewPlace& in) const {
  api::require(p, "place.write");
  if (!in.parent_id) throw unprocessable("request.missing_field", "parent_id");
  return db_.write([&](Tx& tx) {
    auto parent = store::find(tx, *in.parent_id);
    if (!parent || parent->archived_at) throw unprocessable("place.parent_not_found", "parent_id");
    api::require_in_scope_any(p, "place.write", {parent->path, parent->grid_path.value_or("")});
    return to_json(create_unchecked(tx, events_, actor, in));
  });
}

json::object Places::get(const api::Principal& p, std::int64_t id) const {
  api::require(p, "place.read");
  return db_.read_once([&](Tx& tx) {
    auto place = store::find(tx, id);
    if (!place) throw not_found("place.not_found");
    api::require_in_scope_any(p, "place.read", {place->path, place->grid_path.value_or("")});
    return to_json(*place);
  });
}

json::object Places::mine(const api::Principal& p) const {
  return db_.read([&](Tx& tx) {
    auto named = [&](std::int64_t id) -> json::value {
      auto place = store::find(tx, id);
      if (!place) return nullptr;
      return json::object{{"id", place->id}, {"kind", place->kind}, {"name", place->name}};
    };
    json::array items;
    for (const auto& g : p.grants) {
      json::value place = named(g.place_id);
      if (place.is_null()) continue;  // cannot happen: a role's place is never deleted
      // The path holds the ids from the street down to the place itself.
      json::array ancestors;
      std::string_view path = g.place_path;
      for (std::size_t at = 1; at < path.size();) {
        std::size_t end = path.find('/', at);
        if (end == std::string_view::npos) break;
        std::int64_t id = std::stoll(std::string(path.substr(at, end - at)));
        if (id != g.place_id)
          if (auto a = named(id); !a.is_null()) ancestors.push_back(std::move(a));
        at = end + 1;
      }
      items.push_back({{"assignment_id", g.assignment_id},
                       {"role", g.role},
                       {"place", std::move(place)},
                       {"ancestors", std::move(ancestors)}});
    }
    return json::object{{"items", std::move(items)}};
  });
}

api::Listed Places::list(const api::Principal& p, const PlaceQuery& q) const {
  // An unknown filter value is a bad query, not an empty list.
  if (q.kind && !has_key(kind_labels(), *q.kind)) throw bad_request("request.bad_query", "kind");
  return db_.read([&](Tx& tx) {
    std::optional<Place> under;
    bool under_in_scope = false;
    if (q.under_id) {
      under = store::find(tx, *q.under_id);
      if (!under) throw not_found("place.not_found");
      under_in_scope = api::in_scope_any(p, "place.read", {under->path, under->grid_path.value_or("")});
    }
    auto page = store::list(tx, p, q, under, under_in_scope);
    api::Listed out{{}, page.total};
    for (const auto& r : page.rows) out.items.push_back(to_json(store::from_row(r)));
    return out;
  });
}

json::object Places::tree(const api::Principal& p, std::int64_t id, int depth) const {
  constexpr int kMaxNodes = 5000;
  api::require(p, "place.read");
  return db_.read([&](Tx& tx) {
    auto root = store::find(tx, id);
    if (!root) throw not_found("place.not_found");
    api::require_in_scope_any(p, "place.read", {root->path, root->grid_path.value_or("")});
    auto below = store::subtree(tx, p, *root, depth, kMaxNodes + 1);
    if (below.size() > kMaxNodes) throw unprocessable("place.tree_too_large");
    std::map<std::int64_t, json::object> nodes;
    std::map<std::int64_t, std::vector<std::int64_t>> children;
    for (const auto& c : below) {
      children[*c.parent_id].push_back(c.id);
      nodes[c.id] = to_json(c);
    }
    std::function<json::object(std::int64_t, json::object)> build = [&](std::int64_t pid,
                                                                           json::object o) {
      json::array kids;
      for (auto cid : children[pid]) kids.push_back(build(cid, nodes[cid]));
      o["children"] = std::move(kids);
      return o;
    };
    return build(root->id, to_json(*root));
  });
}

Place update_unchecked(Tx& tx, const api::EventBus& events, const api::Actor& actor,
                       std::int64_t id, const PlaceFields& f) {
  auto found = store::find(tx, id);
  if (!found || found->archived_at) throw not_found("place.not_found");
  const Place& before = *found;
  check_fields(before.kind, f);
  Place after = before;
  if (f.name) after.name = *f.name;
  if (f.code) after.code = f.code;
  if (f.address) after.address = f.address;
  if (f.lat_e6) after.lat_e6 = f.lat_e6;
  if (f.lng_e6) after.lng_e6 = f.lng_e6;
  if (f.area_centi_m2) after.area_centi_m2 = f.area_centi_m2;
  if (f.grid_id) {
    after.grid_id = f.grid_id;
    after.grid_path = grid_path_for(tx, *f.grid_id, before.path);
  }
  if (f.property_org_id) {
    after.property_org_id = f.property_org_id;
    announce_company(tx, events, actor, id, before.path, *f.property_org_id);
  }
  try {
    store::update(tx, after, now_ms());
  } catch (const storage::UniqueViolation&) {
    throw conflict("place.code_taken", "code");
  }
  if (after.grid_path != before.grid_path) {
    // A building moved to another grid takes its units and households along
    // (and the people module its residents' memberships).
    store::regrid_below(tx, before.path, after.grid_path);
    events.emit(tx, {"place.regridded", "place", id, actor, before.path, std::nullopt,
                     json::object{{"grid_path", after.grid_path ? json::value(*after.grid_path)
                                                                : json::value(nullptr)}}});
  }
  Place stored = *store::find(tx, id);
  audit::append(tx, actor, {"place.update", "place", std::to_string(id), audit_json(before),
                            audit_json(stored)});
  return stored;
}

std::optional<Place> find(Tx& tx, std::int64_t id) { return store::find(tx, id); }

std::optional<Place> find_by_code(Tx& tx, const std::string& code) {
  return store::find_by_code(tx, code);
}

std::optional<Place> find_child(Tx& tx, std::int64_t parent_id, const std::string& kind,
                                const std::string& name) {
  return store::find_child(tx, parent_id, kind, name);
}

json::object Places::update(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                            const PlaceFields& f) const {
  api::require(p, "place.write");
  return db_.write([&](Tx& tx) {
    writable(tx, p, id);
    return to_json(update_unchecked(tx, events_, actor, id, f));
  });
}

json::object Places::archive(const api::Principal& p, const api::Actor& actor,
                             std::int64_t id) const {
  api::require(p, "place.write");
  return db_.write([&](Tx& tx) {
    Place before = writable(tx, p, id);
    if (store::has_live_children(tx, id)) throw conflict("place.has_children");
    events_.emit(tx, {"place.archiving", "place", id, actor, before.path, std::nullopt, {}});
    store::archive(tx, id, now_ms());
    Place after = *store::find(tx, id);
    audit::append(tx, actor, {"place.archive", "place", std::to_string(id), audit_json(before),
                              audit_json(after)});
    return to_json(after);
  });
}

}  // namespace xh::places
