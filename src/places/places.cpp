#include "places/places.h"

#include <boost/json.hpp>

#include <map>
#include <set>

#include "core/error.h"
#include "core/text.h"
#include "storage/search.h"

namespace xh::places {

namespace json = boost::json;
using storage::Tx;

namespace {

constexpr const char* kColumns =
    "id, parent_id, kind, name, code, address, path, lat_e6, lng_e6, area_centi_m2, grid_id, "
    "grid_path, property_org_id, created_at, updated_at, archived_at";

Place from_row(const storage::Row& r) {
  return {r.i64(0),      r.opt_i64(1),  r.str(2),      r.str(3),      r.opt_str(4),  r.opt_str(5),
          r.str(6),      r.opt_i64(7),  r.opt_i64(8),  r.opt_i64(9),  r.opt_i64(10), r.opt_str(11),
          r.opt_i64(12), r.i64(13),     r.i64(14),     r.opt_i64(15)};
}


void check_fields(const std::string& kind, const PlaceFields& f) {
  if (f.name && (f.name->empty() || utf8_length(*f.name) > 100))
    throw unprocessable("place.bad_name", "name");
  if (f.code && (f.code->empty() || f.code->size() > 64)) throw unprocessable("place.bad_code", "code");
  if (f.address && utf8_length(*f.address) > 200) throw unprocessable("request.field_too_long", "address");
  if (f.lat_e6.has_value() != f.lng_e6.has_value()) throw unprocessable("place.bad_point", "lat_e6");
  if (f.lat_e6 && (*f.lat_e6 < -90000000 || *f.lat_e6 > 90000000 || *f.lng_e6 < -180000000 ||
                   *f.lng_e6 > 180000000))
    throw unprocessable("place.bad_point", "lat_e6");
  if (f.area_centi_m2 && kind != "household") throw unprocessable("place.field_not_for_kind", "exclusive_area");
  if (f.grid_id && kind != "building") throw unprocessable("place.field_not_for_kind", "grid_id");
  if (f.property_org_id && kind != "compound")
    throw unprocessable("place.field_not_for_kind", "property_org_id");
}

// The grid a building belongs to must be a grid of the same community.
std::string grid_path_for(Tx& tx, std::int64_t grid_id, const std::string& building_path) {
  auto grid = find(tx, grid_id);
  if (!grid || grid->kind != "grid" || grid->archived_at) throw unprocessable("place.bad_grid", "grid_id");
  // Paths: /street/community/… — the first three segments name the community.
  auto community_of = [](const std::string& path) {
    std::size_t n = 0, i = 0;
    for (; i < path.size() && n < 3; ++i) n += path[i] == '/';
    return path.substr(0, i);
  };
  if (community_of(grid->path) != community_of(building_path)) throw unprocessable("place.bad_grid", "grid_id");
  return grid->path;
}

void check_property_org(Tx& tx, std::int64_t org_id) {
  auto r = tx.query_one("SELECT kind FROM orgs WHERE id = $1 AND archived_at IS NULL", org_id);
  if (!r || r->str(0) != "property_company") throw unprocessable("place.bad_property_org", "property_org_id");
}

std::string audit_json(const Place& p) { return json::serialize(to_json(p)); }

template <class T>
json::value opt(const std::optional<T>& v) {
  return v ? json::value(*v) : json::value(nullptr);
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
                 {"parent_id", opt(p.parent_id)},
                 {"kind", p.kind},
                 {"name", p.name},
                 {"code", opt(p.code)},
                 {"address", opt(p.address)},
                 {"path", p.path},
                 {"created_at", p.created_at},
                 {"updated_at", p.updated_at},
                 {"archived", p.archived_at.has_value()}};
  o["lat_e6"] = opt(p.lat_e6);
  o["lng_e6"] = opt(p.lng_e6);
  if (p.kind == "household")
    o["exclusive_area"] = p.area_centi_m2 ? json::value(format_area(*p.area_centi_m2)) : nullptr;
  if (p.kind == "building") o["grid_id"] = opt(p.grid_id);
  if (p.kind == "compound") o["property_org_id"] = opt(p.property_org_id);
  return o;
}

const std::vector<Label>& kind_labels() {
  static const std::vector<Label> kinds = {
      {"street", "街道", "Street"},       {"community", "社区", "Community"},
      {"grid", "网格", "Grid"},           {"micro_grid", "微网格", "Micro-grid"},
      {"compound", "小区", "Compound"},   {"building", "楼栋", "Building"},
      {"unit", "单元", "Unit"},           {"household", "户", "Household"}};
  return kinds;
}

bool kind_allowed_under(const std::string& parent, const std::string& child) {
  static const std::map<std::string, std::set<std::string>> children = {
      {"street", {"community"}},
      {"community", {"grid", "compound"}},
      {"grid", {"micro_grid"}},
      {"micro_grid", {}},
      {"compound", {"building"}},
      {"building", {"unit"}},
      {"unit", {"household"}},
      {"household", {}},
  };
  auto it = children.find(parent);
  return it != children.end() && it->second.count(child) > 0;
}

std::optional<Place> find(Tx& tx, std::int64_t id) {
  auto r = tx.query_one(std::string("SELECT ") + kColumns + " FROM places WHERE id = $1", id);
  if (!r) return std::nullopt;
  return from_row(*r);
}

Place create_unchecked(Tx& tx, const api::Actor& actor, const NewPlace& in) {
  const PlaceFields& f = in.fields;
  if (!f.name) throw unprocessable("request.missing_field", "name");
  check_fields(in.kind, f);
  std::string parent_path = "/";
  std::optional<std::string> grid_path;
  if (in.parent_id) {
    auto parent = find(tx, *in.parent_id);
    if (!parent || parent->archived_at) throw unprocessable("place.parent_not_found", "parent_id");
    if (!kind_allowed_under(parent->kind, in.kind)) throw unprocessable("place.bad_kind", "kind");
    parent_path = parent->path;
    grid_path = parent->grid_path;  // units and households inherit their building's grid
  } else if (in.kind != "street") {
    throw unprocessable("place.bad_kind", "kind");
  }
  if (f.grid_id) grid_path = grid_path_for(tx, *f.grid_id, parent_path);
  if (f.property_org_id) check_property_org(tx, *f.property_org_id);
  Millis now = now_ms();
  std::int64_t id;
  try {
    id = tx.query_one(
               "INSERT INTO places (parent_id, kind, name, code, address, path, lat_e6, lng_e6, "
               "area_centi_m2, grid_id, grid_path, property_org_id, created_at, updated_at) "
               "VALUES ($1, $2, $3, $4, $5, '', $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
               in.parent_id, in.kind, *f.name, f.code, f.address, f.lat_e6, f.lng_e6,
               f.area_centi_m2, f.grid_id, grid_path, f.property_org_id, now)
             ->i64(0);
  } catch (const storage::UniqueViolation&) {
    throw conflict("place.code_taken", "code");
  }
  tx.exec("UPDATE places SET path = $2 WHERE id = $1", id, parent_path + std::to_string(id) + "/");
  Place p = *find(tx, id);
  audit::append(tx, actor, {"place.create", "place", std::to_string(id), std::nullopt, audit_json(p)});
  return p;
}

Place create(storage::Database& db, const api::Principal& p, const api::Actor& actor,
             const NewPlace& in) {
  api::require(p, "place.write");
  if (!in.parent_id) throw unprocessable("request.missing_field", "parent_id");
  return db.write([&](Tx& tx) {
    auto parent = find(tx, *in.parent_id);
    if (!parent || parent->archived_at) throw unprocessable("place.parent_not_found", "parent_id");
    api::require_in_scope_any(p, "place.write", {parent->path, parent->grid_path.value_or("")});
    return create_unchecked(tx, actor, in);
  });
}

Place get(storage::Database& db, const api::Principal& p, std::int64_t id) {
  api::require(p, "place.read");
  return db.read_once([&](Tx& tx) {
    auto place = find(tx, id);
    if (!place) throw not_found("place.not_found");
    api::require_in_scope_any(p, "place.read", {place->path, place->grid_path.value_or("")});
    return *place;
  });
}

ListResult list(storage::Database& db, const api::Principal& p, const ListQuery& q) {
  // Sort keys map to fixed SQL; caller text never reaches the statement.
  static const std::map<std::string, std::string> sorts = {
      {"id", "id"}, {"name", "name"}, {"code", "code"}, {"created_at", "created_at"}};
  bool desc = !q.sort.empty() && q.sort[0] == '-';
  auto sort = sorts.find(desc ? q.sort.substr(1) : q.sort);
  if (sort == sorts.end()) throw bad_request("request.bad_sort", q.sort);
  if (q.limit < 1 || q.limit > 100000) throw bad_request("request.bad_limit");
  if (q.offset < 0) throw bad_request("request.bad_offset");

  return db.read([&](Tx& tx) {
    std::string where = " FROM places WHERE 1=1";
    if (!q.include_archived) where += " AND archived_at IS NULL";
    std::vector<storage::Param> params;
    auto add = [&](const std::string& cond, storage::Param v) {
      params.push_back(std::move(v));
      where += " AND " + cond + " $" + std::to_string(params.size());
    };
    // Descendants of a place inside the caller's scope are inside it too: the
    // filter alone is the scope, and the index scans the narrower range.
    // (A parent_id filter needs no such help: its index is an equality.)
    bool narrowed = false;
    if (q.under_id) {
      auto root = find(tx, *q.under_id);
      if (!root) throw not_found("place.not_found");
      narrowed = api::in_scope_any(p, "place.read", {root->path, root->grid_path.value_or("")});
      std::string upper = root->path;
      upper.back() = '0';
      add("path >=", root->path);
      add("path <", upper);
    }
    if (!narrowed) api::append_scope_condition(p, "place.read", {"path", "grid_path"}, where, params);
    if (q.parent_id) add("parent_id =", *q.parent_id);
    if (q.kind) add("kind =", *q.kind);
    if (q.q && !q.q->empty())
      storage::append_search(tx.dialect(), {"id", "places_fts", {"name", "address", "code"}}, *q.q,
                             where, params);
    ListResult out{{}, 0};
    auto page = params;
    page.push_back(static_cast<std::int64_t>(q.limit));
    page.push_back(static_cast<std::int64_t>(q.offset));
    // The page and the total in one statement (a window count over the match).
    std::string sql = std::string("SELECT ") + kColumns + ", COUNT(*) OVER ()" + where +
                      " ORDER BY " + sort->second + (desc ? " DESC" : "") + ", id LIMIT $" +
                      std::to_string(page.size() - 1) + " OFFSET $" + std::to_string(page.size());
    for (const auto& r : tx.query_v(sql, page)) {
      out.items.push_back(from_row(r));
      out.total = r.i64(16);
    }
    if (out.items.empty() && q.offset > 0)
      out.total = tx.query_one_v("SELECT COUNT(*)" + where, params)->i64(0);
    return out;
  });
}

json::object tree(storage::Database& db, const api::Principal& p, std::int64_t id, int depth) {
  Place root = get(db, p, id);
  return db.read([&](Tx& tx) {
    std::string upper = root.path;
    upper.back() = '0';
    std::size_t root_depth = std::count(root.path.begin(), root.path.end(), '/');
    // Depth is the number of '/' in the path; filtered in SQL so the row limit
    // applies to the levels asked for.
    std::string sql = std::string("SELECT ") + kColumns +
                      " FROM places WHERE archived_at IS NULL AND path > $1 AND path < $2 AND "
                      "LENGTH(path) - LENGTH(REPLACE(path, '/', '')) <= $3";
    std::vector<storage::Param> params{root.path, upper,
                                       static_cast<std::int64_t>(root_depth + depth)};
    api::append_scope_condition(p, "place.read", {"path", "grid_path"}, sql, params);
    sql += " ORDER BY path LIMIT 5001";
    std::map<std::int64_t, json::object> nodes;
    std::map<std::int64_t, std::vector<std::int64_t>> children;
    for (const auto& r : tx.query_v(sql, params)) {
      Place c = from_row(r);
      children[*c.parent_id].push_back(c.id);
      nodes[c.id] = to_json(c);
    }
    if (nodes.size() > 5000) throw unprocessable("place.tree_too_large");
    std::function<json::object(std::int64_t, json::object)> build = [&](std::int64_t pid,
                                                                           json::object o) {
      json::array kids;
      for (auto cid : children[pid]) kids.push_back(build(cid, nodes[cid]));
      o["children"] = std::move(kids);
      return o;
    };
    return build(root.id, to_json(root));
  });
}

Place update(storage::Database& db, const api::Principal& p, const api::Actor& actor,
             std::int64_t id, const PlaceFields& f) {
  api::require(p, "place.write");
  return db.write([&](Tx& tx) {
    auto before = find(tx, id);
    if (!before || before->archived_at) throw not_found("place.not_found");
    api::require_in_scope_any(p, "place.write", {before->path, before->grid_path.value_or("")});
    check_fields(before->kind, f);
    std::optional<std::string> grid_path = before->grid_path;
    if (f.grid_id) grid_path = grid_path_for(tx, *f.grid_id, before->path);
    if (f.property_org_id) check_property_org(tx, *f.property_org_id);
    try {
      tx.exec(
          "UPDATE places SET name = $2, code = $3, address = $4, lat_e6 = $5, lng_e6 = $6, "
          "area_centi_m2 = $7, grid_id = $8, grid_path = $9, property_org_id = $10, updated_at = "
          "$11 WHERE id = $1",
          id, f.name.value_or(before->name), f.code ? f.code : before->code,
          f.address ? f.address : before->address, f.lat_e6 ? f.lat_e6 : before->lat_e6,
          f.lng_e6 ? f.lng_e6 : before->lng_e6,
          f.area_centi_m2 ? f.area_centi_m2 : before->area_centi_m2,
          f.grid_id ? f.grid_id : before->grid_id, grid_path,
          f.property_org_id ? f.property_org_id : before->property_org_id, now_ms());
    } catch (const storage::UniqueViolation&) {
      throw conflict("place.code_taken", "code");
    }
    if (f.grid_id && grid_path != before->grid_path) {
      // A building moved to another grid takes its units, households and
      // their members along.
      std::string upper = before->path;
      upper.back() = '0';
      tx.exec("UPDATE places SET grid_path = $3 WHERE path > $1 AND path < $2", before->path, upper,
              grid_path);
      tx.exec("UPDATE household_members SET grid_path = $3 WHERE path >= $1 AND path < $2",
              before->path, upper, grid_path);
    }
    Place after = *find(tx, id);
    audit::append(tx, actor, {"place.update", "place", std::to_string(id), audit_json(*before),
                              audit_json(after)});
    return after;
  });
}

Place archive(storage::Database& db, const api::Principal& p, const api::Actor& actor,
              std::int64_t id) {
  api::require(p, "place.write");
  return db.write([&](Tx& tx) {
    auto before = find(tx, id);
    if (!before || before->archived_at) throw not_found("place.not_found");
    api::require_in_scope_any(p, "place.write", {before->path, before->grid_path.value_or("")});
    if (tx.query_one("SELECT 1 FROM places WHERE parent_id = $1 AND archived_at IS NULL", id))
      throw conflict("place.has_children");
    if (tx.query_one("SELECT 1 FROM household_members WHERE household_id = $1", id))
      throw conflict("place.has_members");
    tx.exec("UPDATE places SET archived_at = $2, updated_at = $2 WHERE id = $1", id, now_ms());
    Place after = *find(tx, id);
    audit::append(tx, actor, {"place.archive", "place", std::to_string(id), audit_json(*before),
                              audit_json(after)});
    return after;
  });
}

}  // namespace xh::places
