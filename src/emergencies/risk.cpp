// Risk points, the frequency table and the call-up lists (GRD-2, GRD-3).
#include <set>

#include "api/scope.h"
#include "audit/audit.h"
#include "core/error.h"
#include "core/json_input.h"
#include "core/json_output.h"
#include "emergencies/emergencies.h"
#include "emergencies/shared.h"
#include "people/identity.h"

namespace xh::emergencies {

namespace json = boost::json;

namespace {

constexpr const char* kPoint =
    "SELECT rp.*, k.name_zh AS kind_zh, k.name_en AS kind_en, pl.name AS place_name, g.name AS "
    "grid_name, o.name AS team_name FROM risk_points rp JOIN risk_kinds k ON k.code = rp.kind "
    "JOIN places pl ON pl.id = rp.place_id LEFT JOIN places g ON g.id = rp.grid_id LEFT JOIN "
    "volunteer_teams t ON t.id = rp.team_id LEFT JOIN orgs o ON o.id = t.org_id ";

json::value opt(const std::optional<std::string>& s) {
  return s ? json::value(*s) : json::value(nullptr);
}

json::value coordinate(const std::optional<std::int64_t>& e6) {
  return e6 ? json::value(static_cast<double>(*e6) / 1e6) : json::value(nullptr);
}

json::object point_view(const Row& r, const FieldCipher& cipher, Lang lang) {
  json::value phone = nullptr;
  if (auto sealed = r.opt_str("contact_phone_enc"))
    phone = people::mask_phone(cipher.decrypt(*sealed));
  json::value grid = nullptr, team = nullptr;
  if (auto g = r.opt_i64("grid_id")) grid = json::object{{"id", *g}, {"name", r.str("grid_name")}};
  if (auto t = r.opt_i64("team_id")) team = json::object{{"id", *t}, {"name", r.str("team_name")}};
  json::value cp = nullptr;
  if (auto c = r.opt_i64("checkpoint_id")) cp = *c;
  return {{"id", r.i64("id")},
          {"kind", r.str("kind")},
          {"kind_name", lang == Lang::en ? r.str("kind_en") : r.str("kind_zh")},
          {"name", r.str("name")},
          {"place", {{"id", r.i64("place_id")}, {"name", r.str("place_name")}}},
          {"grid", grid},
          {"team", team},
          {"checkpoint_id", cp},
          {"lat", coordinate(r.opt_i64("lat_e6"))},
          {"lng", coordinate(r.opt_i64("lng_e6"))},
          {"contact_name", opt(r.opt_str("contact_name"))},
          {"contact_phone", phone},
          {"note", opt(r.opt_str("note"))},
          {"active", r.flag("active")}};
}

std::optional<std::int64_t> micro(const JsonInput& in, const char* field, double lo, double hi) {
  auto v = in.opt_f64(field);
  if (!v) return std::nullopt;
  if (*v < lo || *v > hi) throw unprocessable("risk.bad_location", field);
  return static_cast<std::int64_t>(*v * 1e6 + (*v >= 0 ? 0.5 : -0.5));
}

// The fields a risk point is made of, checked against the database.
struct Fields {
  std::optional<std::string> kind, name, contact_name, note;
  std::optional<std::int64_t> place_id, grid_id, team_id, checkpoint_id, lat, lng;
  std::optional<std::string> phone;  // normalised, to seal
  bool clear_grid = false, clear_team = false, clear_checkpoint = false, clear_phone = false;
  std::optional<bool> active;
};

Fields read_fields(const JsonInput& in, const std::string& body) {
  Fields f;
  f.kind = in.opt_str("kind", 40);
  f.name = in.opt_str("name", 80);
  if (f.name && f.name->empty()) throw unprocessable("request.missing_field", "name");
  f.place_id = in.opt_i64("place_id");
  auto doc = json::parse(body).as_object();
  auto nulled = [&](const char* k) { return doc.contains(k) && doc.at(k).is_null(); };
  f.clear_grid = nulled("grid_id");
  f.clear_team = nulled("team_id");
  f.clear_checkpoint = nulled("checkpoint_id");
  f.clear_phone = nulled("contact_phone");
  if (!f.clear_grid) f.grid_id = in.opt_i64("grid_id");
  if (!f.clear_team) f.team_id = in.opt_i64("team_id");
  if (!f.clear_checkpoint) f.checkpoint_id = in.opt_i64("checkpoint_id");
  f.lat = micro(in, "lat", -90, 90);
  f.lng = micro(in, "lng", -180, 180);
  f.contact_name = in.opt_str("contact_name", 40);
  if (!f.clear_phone) {
    if (auto phone = in.opt_str("contact_phone", 40); phone && !phone->empty()) {
      f.phone = people::parse_phone(*phone);
      if (!f.phone) throw unprocessable("risk.bad_phone", "contact_phone");
    }
  }
  f.note = in.opt_str("note", 300);
  f.active = in.opt_bool("active");
  return f;
}

// Checks the references against the place the point lies in.
void check(Tx& tx, const Fields& f, const Row& pl) {
  if (f.kind && !tx.query_one("SELECT 1 AS x FROM risk_kinds WHERE code = $1", *f.kind))
    throw unprocessable("risk.bad_kind", "kind");
  auto community = api::community_path(pl.str("path"));
  if (f.grid_id) {
    auto g = place(tx, *f.grid_id);
    if (!g || g->str("kind") != "grid" || g->str("path").rfind(community, 0) != 0)
      throw unprocessable("risk.bad_grid", "grid_id");
  }
  if (f.team_id &&
      !tx.query_one("SELECT 1 AS x FROM volunteer_teams WHERE id = $1 AND ($2 LIKE path || '%' OR "
                    "path LIKE $3 || '%')",
                    *f.team_id, pl.str("path"), community))
    throw unprocessable("risk.bad_team", "team_id");
  if (f.checkpoint_id &&
      !tx.query_one("SELECT 1 AS x FROM patrol_checkpoints c JOIN patrol_routes r ON r.id = "
                    "c.route_id WHERE c.id = $1 AND r.path LIKE $2 || '%'",
                    *f.checkpoint_id, community))
    throw unprocessable("risk.bad_checkpoint", "checkpoint_id");
}

Row load_point(Tx& tx, const api::Principal& p, std::int64_t id) {
  auto r = tx.query_one(std::string(kPoint) + "WHERE rp.id = $1", id);
  if (!r || !(api::in_scope(p, "emergency.read", r->str("path")) ||
              api::in_scope_any(p, "emergency.task", {r->str("path"), r->opt_str("grid_path").value_or("")})))
    throw not_found("risk.not_found");
  return *r;
}

void audit_point(Tx& tx, const api::Actor& actor, const char* action, std::int64_t id) {
  audit::append(tx, actor, {action, "risk_point", std::to_string(id), std::nullopt, std::nullopt});
}

}  // namespace

json::object RiskPoints::catalog(Lang lang) const {
  return db_.read([&](Tx& tx) {
    auto named = [&](const char* sql) {
      json::array out;
      for (const auto& r : tx.query(sql))
        out.push_back({{"code", r.str("code")},
                       {"name", lang == Lang::en ? r.str("name_en") : r.str("name_zh")}});
      return out;
    };
    json::array items;
    for (const auto& r : tx.query("SELECT * FROM supply_items ORDER BY ordinal"))
      items.push_back({{"code", r.str("code")},
                       {"name", lang == Lang::en ? r.str("name_en") : r.str("name_zh")},
                       {"unit", lang == Lang::en ? r.str("unit_en") : r.str("unit_zh")}});
    json::array lv;
    for (const auto& l : levels())
      lv.push_back({{"level", std::stoi(std::string(l.key))},
                    {"name", lang == Lang::en ? l.en : l.zh}});
    return json::object{{"hazards", named("SELECT code, name_zh, name_en FROM hazards ORDER BY ordinal")},
                        {"risk_kinds",
                         named("SELECT code, name_zh, name_en FROM risk_kinds ORDER BY ordinal")},
                        {"supply_items", std::move(items)},
                        {"levels", std::move(lv)}};
  });
}

json::object RiskPoints::create(const api::Principal& p, const api::Actor& actor,
                                const std::string& body, Lang lang) const {
  JsonInput in(body, {"kind", "name", "place_id", "grid_id", "team_id", "checkpoint_id", "lat",
                      "lng", "contact_name", "contact_phone", "note"});
  auto f = read_fields(in, body);
  if (!f.kind) throw unprocessable("request.missing_field", "kind");
  if (!f.name) throw unprocessable("request.missing_field", "name");
  if (!f.place_id) throw unprocessable("request.missing_field", "place_id");
  return db_.write([&](Tx& tx) {
    auto pl = place(tx, *f.place_id);
    if (!pl || pl->str("kind") == "street" || pl->str("kind") == "household")
      throw unprocessable("risk.bad_place", "place_id");
    api::require_in_scope(p, "emergency.manage", pl->str("path"));
    check(tx, f, *pl);
    // Without a grid named, the place's own (a building's) or the grid it is.
    auto grid = f.grid_id;
    if (!grid && pl->str("kind") == "grid") grid = pl->i64("id");
    if (!grid) grid = pl->opt_i64("grid_id");
    std::optional<std::string> grid_path;
    if (grid) {
      // The place's grid may have been archived: then none answers for it yet.
      if (auto g = place(tx, *grid)) grid_path = g->str("path");
      else grid.reset();
    }
    auto lat = f.lat ? f.lat : pl->opt_i64("lat_e6");
    auto lng = f.lng ? f.lng : pl->opt_i64("lng_e6");
    Millis now = now_ms();
    auto r = tx.query_one(
        "INSERT INTO risk_points (kind, name, place_id, path, grid_id, grid_path, team_id, "
        "checkpoint_id, lat_e6, lng_e6, contact_name, contact_phone_enc, note, created_at, "
        "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) "
        "RETURNING id",
        *f.kind, *f.name, *f.place_id, pl->str("path"), grid, grid_path, f.team_id,
        f.checkpoint_id, lat, lng, f.contact_name,
        f.phone ? std::optional(cipher_.encrypt(*f.phone)) : std::nullopt, f.note, now);
    auto id = r->i64("id");
    audit_point(tx, actor, "risk.create", id);
    return point_view(*tx.query_one(std::string(kPoint) + "WHERE rp.id = $1", id), cipher_, lang);
  });
}

json::object RiskPoints::update(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                                const std::string& body, Lang lang) const {
  JsonInput in(body, {"kind", "name", "grid_id", "team_id", "checkpoint_id", "lat", "lng",
                      "contact_name", "contact_phone", "note", "active"});
  auto f = read_fields(in, body);
  return db_.write([&](Tx& tx) {
    auto r = load_point(tx, p, id);
    api::require_in_scope(p, "emergency.manage", r.str("path"));
    auto pl = place(tx, r.i64("place_id"));
    if (!pl) throw unprocessable("risk.bad_place", "place_id");
    check(tx, f, *pl);
    std::optional<std::string> grid_path;
    if (f.grid_id) grid_path = place(tx, *f.grid_id)->str("path");
    tx.exec(
        "UPDATE risk_points SET kind = COALESCE($2, kind), name = COALESCE($3, name), grid_id = "
        "CASE WHEN $4 = 1 THEN NULL ELSE COALESCE($5, grid_id) END, grid_path = CASE WHEN $4 = 1 "
        "THEN NULL ELSE COALESCE($6, grid_path) END, team_id = CASE WHEN $7 = 1 THEN NULL ELSE "
        "COALESCE($8, team_id) END, checkpoint_id = CASE WHEN $9 = 1 THEN NULL ELSE COALESCE($10, "
        "checkpoint_id) END, lat_e6 = COALESCE($11, lat_e6), lng_e6 = COALESCE($12, lng_e6), "
        "contact_name = COALESCE($13, contact_name), contact_phone_enc = CASE WHEN $14 = 1 THEN "
        "NULL ELSE COALESCE($15, contact_phone_enc) END, note = COALESCE($16, note), active = "
        "COALESCE($17, active), updated_at = $18 WHERE id = $1",
        id, f.kind, f.name, f.clear_grid, f.grid_id, grid_path, f.clear_team, f.team_id,
        f.clear_checkpoint, f.checkpoint_id, f.lat, f.lng, f.contact_name, f.clear_phone,
        f.phone ? std::optional(cipher_.encrypt(*f.phone)) : std::nullopt, f.note,
        f.active ? std::optional<std::int64_t>(*f.active ? 1 : 0) : std::nullopt, now_ms());
    audit_point(tx, actor, "risk.update", id);
    // The boards of the active emergencies over it show its name and place.
    tx.exec("UPDATE emergencies SET version = version + 1 WHERE status = 'active' AND $1 LIKE "
            "path || '%'",
            r.str("path"));
    return point_view(*tx.query_one(std::string(kPoint) + "WHERE rp.id = $1", id), cipher_, lang);
  });
}

api::Listed RiskPoints::list(const api::Principal& p, const std::optional<std::string>& kind,
                             std::optional<std::int64_t> place_id,
                             const std::optional<std::string>& q, const api::Page& page,
                             Lang lang) const {
  return db_.read([&](Tx& tx) {
    api::ListQuery l(
        "risk_points rp JOIN risk_kinds k ON k.code = rp.kind JOIN places pl ON pl.id = "
        "rp.place_id LEFT JOIN places g ON g.id = rp.grid_id LEFT JOIN volunteer_teams t ON t.id "
        "= rp.team_id LEFT JOIN orgs o ON o.id = t.org_id");
    if (p.has_permission("emergency.read")) {
      auto c = api::scope_clause(p, "emergency.read", {"rp.path"});
      if (p.has_permission("emergency.task")) {
        auto mine = api::scope_clause(p, "emergency.task", {"rp.path", "rp.grid_path"});
        c.or_else(mine.sql, mine.values);
      }
      l.where(c.sql, c.values);
    } else {
      l.scope(p, "emergency.task", {"rp.path", "rp.grid_path"});
    }
    l.where_if("rp.kind = ?", kind);
    if (place_id) {
      auto pl = tx.query_one("SELECT path FROM places WHERE id = $1", *place_id);
      if (!pl) throw bad_request("request.bad_query", "place_id");
      l.under("rp.path", pl->str("path"));
    }
    if (q && !q->empty()) l.where("rp.name LIKE ?", {"%" + *q + "%"});
    l.sort({{"id", "rp.id"}, {"name", "rp.name"}}, std::nullopt, "id").page(page);
    auto found = l.rows(tx,
                        "rp.*, k.name_zh AS kind_zh, k.name_en AS kind_en, pl.name AS place_name, "
                        "g.name AS grid_name, o.name AS team_name");
    json::array items;
    for (const auto& r : found.rows) items.push_back(point_view(r, cipher_, lang));
    return api::Listed{std::move(items), found.total};
  });
}

json::object RiskPoints::get(const api::Principal& p, std::int64_t id, Lang lang) const {
  return db_.read([&](Tx& tx) { return point_view(load_point(tx, p, id), cipher_, lang); });
}

json::object RiskPoints::frequencies(const api::Principal& p, std::int64_t street_id) const {
  return db_.read([&](Tx& tx) {
    auto st = place(tx, street_id);
    if (!st || st->str("kind") != "street") throw not_found("risk.bad_street");
    if (!on_line(p, "emergency.read", st->str("path"))) throw not_found("risk.bad_street");
    json::array rows;
    for (const auto& r : tx.query(
             "SELECT f.hazard, f.level, f.kind, f.every_hours, f.street_id FROM patrol_frequencies "
             "f WHERE f.street_id = (SELECT COALESCE(MAX(street_id), 0) FROM patrol_frequencies "
             "WHERE street_id = $1 AND hazard = f.hazard) ORDER BY f.hazard, f.level, f.kind",
             street_id))
      rows.push_back({{"hazard", r.str("hazard")},
                      {"level", r.i64("level")},
                      {"kind", r.str("kind")},
                      {"every_hours", r.i64("every_hours")},
                      {"own", r.i64("street_id") != 0}});
    return json::object{{"street_id", street_id},
                        {"rows", std::move(rows)},
                        {"may_manage", api::in_scope(p, "emergency.manage", st->str("path"))}};
  });
}

json::object RiskPoints::set_frequencies(const api::Principal& p, const api::Actor& actor,
                                         std::int64_t street_id, const std::string& body) const {
  JsonInput in(body, {"hazard", "rows"});
  auto hazard = in.str("hazard", 40);
  auto doc = json::parse(body);
  const auto* rows = doc.as_object().if_contains("rows");
  if (!rows || !rows->is_array() || rows->as_array().size() > 4 * 50)
    throw unprocessable("risk.bad_frequencies", "rows");
  struct Rule {
    std::int64_t level;
    std::string kind;
    std::int64_t every;
  };
  std::vector<Rule> rules;
  std::set<std::pair<std::int64_t, std::string>> seen;
  for (const auto& x : rows->as_array()) {
    const auto* o = x.if_object();
    if (!o || !o->contains("level") || !o->contains("kind") || !o->contains("every_hours") ||
        o->size() != 3 || !o->at("level").is_int64() || !o->at("kind").is_string() ||
        !o->at("every_hours").is_int64())
      throw unprocessable("risk.bad_frequencies", "rows");
    Rule r{o->at("level").as_int64(), std::string(o->at("kind").as_string()),
           o->at("every_hours").as_int64()};
    if (r.level < 1 || r.level > 4 || r.every < 1 || r.every > 168 ||
        !seen.insert({r.level, r.kind}).second)
      throw unprocessable("risk.bad_frequencies", "rows");
    rules.push_back(std::move(r));
  }
  db_.write([&](Tx& tx) {
    auto st = place(tx, street_id);
    if (!st || st->str("kind") != "street") throw not_found("risk.bad_street");
    api::require_in_scope(p, "emergency.manage", st->str("path"));
    if (!tx.query_one("SELECT 1 AS x FROM hazards WHERE code = $1", hazard))
      throw unprocessable("emergency.bad_hazard", "hazard");
    for (const auto& r : rules)
      if (!tx.query_one("SELECT 1 AS x FROM risk_kinds WHERE code = $1", r.kind))
        throw unprocessable("risk.bad_kind", "rows");
    tx.exec("DELETE FROM patrol_frequencies WHERE street_id = $1 AND hazard = $2", street_id,
            hazard);
    for (const auto& r : rules)
      tx.exec(
          "INSERT INTO patrol_frequencies (street_id, hazard, level, kind, every_hours) VALUES "
          "($1, $2, $3, $4, $5)",
          street_id, hazard, r.level, r.kind, r.every);
    audit::append(tx, actor, {"risk.frequencies", "place", std::to_string(street_id), std::nullopt,
                              json::serialize(json::object{{"hazard", hazard},
                                                           {"rows", rules.size()}})});
  });
  return frequencies(p, street_id);
}

json::object RiskPoints::callup_lists(const api::Principal& p,
                                      std::optional<std::int64_t> place_id) const {
  return db_.read([&](Tx& tx) {
    std::string sql =
        "SELECT cl.*, o.name AS org_name, o.kind AS org_kind, pl.name AS place_name FROM "
        "callup_lists cl JOIN orgs o ON o.id = cl.org_id JOIN places pl ON pl.id = cl.place_id "
        "WHERE 1 = 1";
    // Those of the caller's places, those within them and those above them
    // (the street's list calls up partners for a community's emergency).
    std::vector<storage::Param> params;
    std::string line;
    for (const auto& path : api::scope_paths(p, "emergency.read")) {
      params.emplace_back(path);
      auto n = "$" + std::to_string(params.size());
      line += (line.empty() ? "" : " OR ") + std::string("cl.path LIKE ") + n + " || '%' OR " + n +
              " LIKE cl.path || '%'";
    }
    if (line.empty()) throw forbidden("auth.permission_denied", "emergency.read");
    sql += " AND (" + line + ")";
    if (place_id) {
      params.emplace_back(*place_id);
      sql += " AND cl.place_id = $" + std::to_string(params.size());
    }
    sql += " ORDER BY cl.place_id, cl.hazard, cl.level DESC, o.name";
    json::array items;
    for (const auto& r : tx.query_v(sql, params))
      items.push_back({{"id", r.i64("id")},
                       {"place", {{"id", r.i64("place_id")}, {"name", r.str("place_name")}}},
                       {"hazard", r.str("hazard")},
                       {"level", r.i64("level")},
                       {"org", {{"id", r.i64("org_id")},
                                {"name", r.str("org_name")},
                                {"kind", r.str("org_kind")}}},
                       {"minutes", r.i64("minutes")}});
    return json::object{{"items", std::move(items)}};
  });
}

json::object RiskPoints::add_callup(const api::Principal& p, const api::Actor& actor,
                                    const std::string& body) const {
  JsonInput in(body, {"place_id", "hazard", "level", "org_id", "minutes"});
  auto place_id = in.i64("place_id");
  auto hazard = in.str("hazard", 40);
  auto level = in.i64("level");
  if (level < 1 || level > 4) throw unprocessable("emergency.bad_level", "level");
  auto org_id = in.i64("org_id");
  auto minutes = in.opt_i64("minutes").value_or(kDefaultCallupMinutes);
  if (minutes < 5 || minutes > 24 * 60) throw unprocessable("risk.bad_minutes", "minutes");
  return db_.write([&](Tx& tx) {
    auto pl = place(tx, place_id);
    if (!pl || (pl->str("kind") != "street" && pl->str("kind") != "community"))
      throw unprocessable("emergency.bad_place", "place_id");
    api::require_in_scope(p, "emergency.manage", pl->str("path"));
    if (!tx.query_one("SELECT 1 AS x FROM hazards WHERE code = $1", hazard))
      throw unprocessable("emergency.bad_hazard", "hazard");
    // A partner of the street (registered there or at one of its places).
    if (!tx.query_one("SELECT 1 AS x FROM orgs WHERE id = $1 AND archived_at IS NULL AND path LIKE "
                      "$2 || '%'",
                      org_id, "/" + std::to_string(street_of(pl->str("path"))) + "/"))
      throw unprocessable("risk.bad_org", "org_id");
    auto r = tx.query_one(
        "INSERT INTO callup_lists (place_id, path, hazard, level, org_id, minutes) VALUES ($1, "
        "$2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING id",
        place_id, pl->str("path"), hazard, level, org_id, minutes);
    if (!r) throw conflict("risk.callup_exists");
    audit::append(tx, actor, {"risk.callup_add", "callup_list", std::to_string(r->i64("id")),
                              std::nullopt, std::nullopt});
    return json::object{{"id", r->i64("id")}};
  });
}

void RiskPoints::remove_callup(const api::Principal& p, const api::Actor& actor,
                               std::int64_t id) const {
  db_.write([&](Tx& tx) {
    auto r = tx.query_one("SELECT path FROM callup_lists WHERE id = $1", id);
    if (!r || !api::in_scope(p, "emergency.read", r->str("path")))
      throw not_found("risk.callup_not_found");
    api::require_in_scope(p, "emergency.manage", r->str("path"));
    tx.exec("DELETE FROM callup_lists WHERE id = $1", id);
    audit::append(tx, actor,
                  {"risk.callup_remove", "callup_list", std::to_string(id), std::nullopt, std::nullopt});
  });
}

}  // namespace xh::emergencies
