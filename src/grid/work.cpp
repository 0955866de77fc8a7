// Grid work (GRD-1): see grid.h.
#include <boost/json.hpp>

#include "api/scope.h"
#include "audit/audit.h"
#include "core/error.h"
#include "core/json_input.h"
#include "core/json_output.h"
#include "grid/grid.h"
#include "workorders/module_orders.h"
#include "workorders/subject_photos.h"

namespace xh::grid {

namespace json = boost::json;
using storage::Row;
using storage::Tx;

namespace {

std::optional<Row> place(Tx& tx, std::int64_t id) {
  return tx.query_one(
      "SELECT id, kind, name, path, parent_id, grid_id, grid_path, lat_e6, lng_e6 FROM places "
      "WHERE id = $1 AND archived_at IS NULL",
      id);
}

// A grid (or micro-grid) the caller holds `permission` over; 404 for one
// they do not (nor any other place).
Row load_grid(Tx& tx, const api::Principal& p, std::int64_t id, std::string_view permission) {
  auto g = place(tx, id);
  if (!g || (g->str("kind") != "grid" && g->str("kind") != "micro_grid"))
    throw not_found("grid.not_found");
  if (!api::in_scope(p, permission, g->str("path"))) throw not_found("grid.not_found");
  return *g;
}

// The caller's own grid: the one their grid.work role is held at (one).
Row default_grid(Tx& tx, const api::Principal& p) {
  api::require(p, "grid.work");
  std::optional<std::int64_t> only;
  for (const auto& g : p.grants)
    if (api::grant_has(g, "grid.work") && (g.place_kind == "grid" || g.place_kind == "micro_grid")) {
      if (only) throw unprocessable("grid.choose_grid", "grid_id");
      only = g.place_id;
    }
  if (!only) throw unprocessable("grid.choose_grid", "grid_id");
  return load_grid(tx, p, *only, "grid.work");
}

constexpr const char* kPatrol =
    "SELECT gp.*, g.name AS grid_name, u.display_name AS walker FROM grid_patrols gp JOIN places g "
    "ON g.id = gp.grid_id JOIN users u ON u.id = gp.user_id ";

std::pair<Row, bool> load_patrol(Tx& tx, const api::Principal& p, std::int64_t id) {
  auto r = tx.query_one(std::string(kPatrol) + "WHERE gp.id = $1", id);
  if (!r) throw not_found("grid.patrol_not_found");
  bool own = r->i64("user_id") == p.user_id;
  if (!own && !api::in_scope(p, "grid.read", r->str("grid_path")))
    throw not_found("grid.patrol_not_found");
  return {*r, own};
}

json::value coordinate(const std::optional<std::int64_t>& e6) {
  return e6 ? json::value(static_cast<double>(*e6) / 1e6) : json::value(nullptr);
}

json::object patrol_view(Tx& tx, const Row& r, bool full) {
  auto track = json::parse(r.str("track")).as_array();
  json::object out{{"id", r.i64("id")},
                   {"grid", {{"id", r.i64("grid_id")}, {"name", r.str("grid_name")}}},
                   {"walker", r.str("walker")},
                   {"status", r.str("status")},
                   {"started_at", iso8601(r.i64("started_at"))},
                   {"ended_at", nullable_time(r.opt_i64("ended_at"))},
                   {"points", track.size()},
                   {"note", r.opt_str("note") ? json::value(*r.opt_str("note")) : json::value(nullptr)}};
  auto visits = tx.query(
      "SELECT v.place_id, v.at, p.name FROM grid_visits v JOIN places p ON p.id = v.place_id WHERE "
      "v.patrol_id = $1 ORDER BY v.at",
      r.i64("id"));
  out["visited"] = visits.size();
  auto events = tx.query_one("SELECT COUNT(*) AS n FROM grid_events WHERE patrol_id = $1",
                             r.i64("id"));
  out["events"] = events->i64("n");
  if (full) {
    json::array pts, vs;
    for (const auto& x : track) {
      const auto& a = x.as_array();
      pts.push_back({{"lat", static_cast<double>(a[0].as_int64()) / 1e6},
                     {"lng", static_cast<double>(a[1].as_int64()) / 1e6},
                     {"at", iso8601(a[2].as_int64())}});
    }
    for (const auto& v : visits)
      vs.push_back({{"place", {{"id", v.i64("place_id")}, {"name", v.str("name")}}},
                    {"at", iso8601(v.i64("at"))}});
    out["track"] = std::move(pts);
    out["visits"] = std::move(vs);
  }
  return out;
}

constexpr const char* kEvent =
    "SELECT e.*, g.name AS grid_name, pl.name AS place_name, u.display_name AS reporter, "
    "w.status AS order_status FROM grid_events e JOIN places g ON g.id = e.grid_id JOIN places pl "
    "ON pl.id = e.place_id JOIN users u ON u.id = e.user_id LEFT JOIN work_orders w ON w.id = "
    "e.work_order_id ";

json::object event_view(const Row& e) {
  json::value order = nullptr;
  if (auto w = e.opt_i64("work_order_id"))
    order = json::object{{"id", *w}, {"status", e.str("order_status")}};
  json::value patrol = nullptr;
  if (auto pt = e.opt_i64("patrol_id")) patrol = *pt;
  return {{"id", e.i64("id")},
          {"grid", {{"id", e.i64("grid_id")}, {"name", e.str("grid_name")}}},
          {"place", {{"id", e.i64("place_id")}, {"name", e.str("place_name")}}},
          {"patrol_id", patrol},
          {"kind", e.str("kind")},
          {"text", e.str("text")},
          {"photos", workorders::photos_json(e.str("photos"))},
          {"lat", coordinate(e.opt_i64("lat_e6"))},
          {"lng", coordinate(e.opt_i64("lng_e6"))},
          {"status", e.str("status")},
          {"work_order", order},
          {"reporter", e.str("reporter")},
          {"created_at", iso8601(e.i64("created_at"))}};
}

Row load_event(Tx& tx, const api::Principal& p, std::int64_t id) {
  auto e = tx.query_one(std::string(kEvent) + "WHERE e.id = $1", id);
  if (!e || !(e->i64("user_id") == p.user_id || api::in_scope(p, "grid.read", e->str("grid_path"))))
    throw not_found("grid.event_not_found");
  return *e;
}

std::int64_t file_order(Tx& tx, const api::Principal& p, const api::Actor& actor, const Row& e,
                        const std::string& category) {
  workorders::ModuleOrder o;
  o.category = category;
  // A household's problem is filed at its unit (orders stop at units).
  auto pl = place(tx, e.i64("place_id"));
  if (!pl) throw unprocessable("grid.bad_place", "place_id");
  std::int64_t at = pl->i64("id");
  if (pl->str("kind") == "household") at = *pl->opt_i64("parent_id");
  o.place_id = at;
  o.text = "【网格巡查】" + e.str("text");
  auto photos = json::parse(e.str("photos"));
  for (const auto& x : photos.as_array()) o.photos.emplace_back(x.as_string());
  // Filed in the name of whoever reported it (whose photos they are), also
  // when staff file it later.
  o.filed_by = e.i64("user_id");
  (void)p;
  auto order = workorders::file_for_module(tx, actor, o);
  tx.exec("UPDATE grid_events SET work_order_id = $2, status = 'ordered' WHERE id = $1",
          e.i64("id"), order);
  audit::append(tx, actor,
                {"grid.event_order", "grid_event", std::to_string(e.i64("id")), std::nullopt,
                 json::serialize(json::object{{"work_order_id", order}, {"category", category}})});
  return order;
}

void changed(Tx& tx, const api::EventBus& events, const api::Actor& actor, std::int64_t id,
             const std::string& grid_path, const char* what) {
  events.emit(tx, {"grid.event_changed", "grid_event", id, actor, grid_path, std::nullopt,
                   json::object{{"what", what}}});
}

}  // namespace

void require_event(Tx& tx, const api::Principal& p, std::int64_t id) { load_event(tx, p, id); }

json::object GridWork::start(const api::Principal& p, const api::Actor& actor,
                             const std::string& body) const {
  JsonInput in(body, {"grid_id"});
  auto grid_id = in.opt_i64("grid_id");
  return db_.write([&](Tx& tx) {
    auto g = grid_id ? load_grid(tx, p, *grid_id, "grid.work") : default_grid(tx, p);
    Millis now = now_ms();
    auto r = tx.query_one(
        "INSERT INTO grid_patrols (grid_id, grid_path, user_id, status, started_at) VALUES ($1, "
        "$2, $3, 'ongoing', $4) ON CONFLICT DO NOTHING RETURNING id",
        g.i64("id"), g.str("path"), p.user_id, now);
    if (!r) throw conflict("grid.patrol_ongoing");
    audit::append(tx, actor, {"grid.patrol_start", "grid_patrol", std::to_string(r->i64("id")),
                              std::nullopt, std::nullopt});
    return patrol_view(tx, *tx.query_one(std::string(kPatrol) + "WHERE gp.id = $1", r->i64("id")),
                       true);
  });
}

json::object GridWork::track(const api::Principal& p, std::int64_t id,
                             const std::string& body) const {
  JsonInput checked(body, {"points"});  // 400 for what is not a JSON object
  auto doc = json::parse(body);
  const auto* obj = doc.if_object();
  const json::value* pts = obj ? obj->if_contains("points") : nullptr;
  if (!obj || obj->size() != 1 || !pts || !pts->is_array() || pts->as_array().empty() ||
      pts->as_array().size() > 500)
    throw unprocessable("grid.bad_points", "points");
  Millis now = now_ms();
  json::array add;
  for (const auto& x : pts->as_array()) {
    const auto* o = x.if_object();
    auto number = [&](const char* k) -> std::optional<double> {
      if (!o || !o->contains(k)) return std::nullopt;
      const auto& v = o->at(k);
      if (v.is_double()) return v.as_double();
      if (v.is_int64()) return static_cast<double>(v.as_int64());
      return std::nullopt;
    };
    auto lat = number("lat"), lng = number("lng");
    if (!lat || !lng || *lat < -90 || *lat > 90 || *lng < -180 || *lng > 180)
      throw unprocessable("grid.bad_points", "points");
    Millis at = now;
    if (o->contains("at")) {
      const auto& v = o->at("at");
      auto parsed = v.is_string() ? parse_w3c(v.as_string()) : std::nullopt;
      if (!parsed || *parsed > now + kMinute) throw unprocessable("grid.bad_points", "points");
      at = *parsed;
    }
    add.push_back(json::array{static_cast<std::int64_t>(*lat * 1e6),
                              static_cast<std::int64_t>(*lng * 1e6), at});
  }
  return db_.write([&](Tx& tx) {
    auto [r, own] = load_patrol(tx, p, id);
    if (!own) throw forbidden("grid.not_walker");
    if (r.str("status") != "ongoing") throw conflict("grid.patrol_ended");
    auto track = json::parse(r.str("track")).as_array();
    if (track.size() + add.size() > kMaxTrackPoints) throw unprocessable("grid.track_full", "points");
    for (auto& x : add) track.push_back(std::move(x));
    tx.exec("UPDATE grid_patrols SET track = $2 WHERE id = $1 AND status = 'ongoing'", id,
            json::serialize(track));
    return patrol_view(tx, *tx.query_one(std::string(kPatrol) + "WHERE gp.id = $1", id), false);
  });
}

json::object GridWork::visit(const api::Principal& p, std::int64_t id,
                             const std::string& body) const {
  JsonInput in(body, {"place_id"});
  auto place_id = in.i64("place_id");
  return db_.write([&](Tx& tx) {
    auto [r, own] = load_patrol(tx, p, id);
    if (!own) throw forbidden("grid.not_walker");
    if (r.str("status") != "ongoing") throw conflict("grid.patrol_ended");
    auto pl = place(tx, place_id);
    // A building, unit or compound the grid governs.
    if (!pl || (pl->str("kind") != "building" && pl->str("kind") != "unit") ||
        pl->opt_str("grid_path").value_or("").rfind(r.str("grid_path"), 0) != 0)
      throw unprocessable("grid.bad_place", "place_id");
    // A unit counts for its building.
    auto building = pl->str("kind") == "unit"
                        ? tx.query_one("SELECT parent_id FROM places WHERE id = $1", place_id)
                              ->i64("parent_id")
                        : place_id;
    tx.exec(
        "INSERT INTO grid_visits (patrol_id, place_id, grid_path, at) VALUES ($1, $2, $3, $4) ON "
        "CONFLICT DO NOTHING",
        id, building, r.str("grid_path"), now_ms());
    return patrol_view(tx, *tx.query_one(std::string(kPatrol) + "WHERE gp.id = $1", id), true);
  });
}

json::object GridWork::finish(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                              const std::string& body) const {
  JsonInput in(body, {"note"});
  auto note = in.opt_str("note", 500);
  return db_.write([&](Tx& tx) {
    auto [r, own] = load_patrol(tx, p, id);
    if (!own) throw forbidden("grid.not_walker");
    if (tx.exec("UPDATE grid_patrols SET status = 'done', ended_at = $2, note = $3 WHERE id = $1 "
                "AND status = 'ongoing'",
                id, now_ms(), note) == 0)
      throw conflict("grid.patrol_ended");
    audit::append(tx, actor,
                  {"grid.patrol_finish", "grid_patrol", std::to_string(id), std::nullopt, std::nullopt});
    return patrol_view(tx, *tx.query_one(std::string(kPatrol) + "WHERE gp.id = $1", id), true);
  });
}

json::object GridWork::patrol(const api::Principal& p, std::int64_t id) const {
  return db_.read([&](Tx& tx) { return patrol_view(tx, load_patrol(tx, p, id).first, true); });
}

api::Listed GridWork::patrols(const api::Principal& p, std::optional<std::int64_t> grid_id,
                              bool mine, const api::Page& page) const {
  return db_.read([&](Tx& tx) {
    api::ListQuery l("grid_patrols gp");
    if (mine) {
      l.where("gp.user_id = ?", {p.user_id});
    } else {
      l.scope(p, "grid.read", {"gp.grid_path"});
    }
    if (grid_id) l.under("gp.grid_path", load_grid(tx, p, *grid_id, "grid.read").str("path"));
    l.sort({{"started_at", "gp.started_at"}, {"id", "gp.id"}}, std::nullopt, "-id").page(page);
    auto found = l.rows(tx, "gp.id");
    json::array items;
    for (const auto& r : found.rows)
      items.push_back(
          patrol_view(tx, *tx.query_one(std::string(kPatrol) + "WHERE gp.id = $1", r.i64("id")),
                      false));
    return api::Listed{std::move(items), found.total};
  });
}

json::object GridWork::report(const api::Principal& p, const api::Actor& actor,
                              const std::string& body) const {
  JsonInput in(body,
               {"place_id", "kind", "text", "photos", "patrol_id", "lat", "lng", "category", "grid_id"});
  auto place_id = in.i64("place_id");
  auto kind = in.str("kind", 40);
  if (label_of(event_kinds(), kind, Lang::zh_CN) == kind)
    throw unprocessable("grid.bad_kind", "kind");
  auto text = in.str("text", 500);
  if (text.empty()) throw unprocessable("request.missing_field", "text");
  auto photos = in.opt_str_array("photos", 9, 64).value_or(std::vector<std::string>{});
  auto patrol_id = in.opt_i64("patrol_id");
  auto lat = in.opt_f64("lat"), lng = in.opt_f64("lng");
  if ((lat && (*lat < -90 || *lat > 90)) || (lng && (*lng < -180 || *lng > 180)))
    throw unprocessable("grid.bad_points", "lat");
  auto category = in.opt_str("category", 40);
  auto grid_id = in.opt_i64("grid_id");
  return db_.write([&](Tx& tx) {
    auto pl = place(tx, place_id);
    if (!pl) throw unprocessable("grid.bad_place", "place_id");
    // The grid: the patrol's, else the place's, else the one named or the caller's own.
    std::optional<Row> g;
    if (patrol_id) {
      auto [r, own] = load_patrol(tx, p, *patrol_id);
      if (!own) throw forbidden("grid.not_walker");
      if (r.str("status") != "ongoing") throw conflict("grid.patrol_ended");
      g = load_grid(tx, p, r.i64("grid_id"), "grid.work");
    } else if (auto gp = pl->opt_str("grid_path")) {
      // A building's, a unit's or a household's own grid.
      auto owner = tx.query_one("SELECT id FROM places WHERE path = $1", *gp);
      if (!owner) throw unprocessable("grid.bad_place", "place_id");
      g = load_grid(tx, p, owner->i64("id"), "grid.work");
    } else if (pl->str("kind") == "grid" || pl->str("kind") == "micro_grid") {
      g = load_grid(tx, p, pl->i64("id"), "grid.work");
    } else {
      g = grid_id ? load_grid(tx, p, *grid_id, "grid.work") : default_grid(tx, p);
    }
    // The place lies in the grid's community.
    if (pl->str("path").rfind(api::community_path(g->str("path")), 0) != 0)
      throw unprocessable("grid.bad_place", "place_id");
    Millis now = now_ms();
    auto e6 = [](std::optional<double> v) {
      return v ? std::optional<std::int64_t>(static_cast<std::int64_t>(*v * 1e6)) : std::nullopt;
    };
    auto r = tx.query_one(
        "INSERT INTO grid_events (grid_id, grid_path, place_id, path, patrol_id, kind, text, "
        "photos, lat_e6, lng_e6, status, user_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, "
        "$8, $9, $10, 'open', $11, $12) RETURNING id",
        g->i64("id"), g->str("path"), place_id, pl->str("path"), patrol_id, kind, text,
        workorders::photo_ids_json(photos), lat ? e6(lat) : pl->opt_i64("lat_e6"),
        lng ? e6(lng) : pl->opt_i64("lng_e6"), p.user_id, now);
    auto id = r->i64("id");
    workorders::attach_to_subject(tx, photos, p.user_id, "grid_event", id);
    audit::append(tx, actor, {"grid.event", "grid_event", std::to_string(id), std::nullopt,
                              json::serialize(json::object{{"kind", kind}})});
    if (category) file_order(tx, p, actor, *tx.query_one(std::string(kEvent) + "WHERE e.id = $1", id),
                             *category);
    changed(tx, events_, actor, id, g->str("path"), "reported");
    return event_view(*tx.query_one(std::string(kEvent) + "WHERE e.id = $1", id));
  });
}

json::object GridWork::order(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                             const std::string& body) const {
  JsonInput in(body, {"category"});
  auto category = in.str("category", 40);
  return db_.write([&](Tx& tx) {
    auto e = load_event(tx, p, id);
    api::require_in_scope(p, "grid.work", e.str("grid_path"));
    if (e.str("status") != "open") throw conflict("grid.event_closed");
    file_order(tx, p, actor, e, category);
    changed(tx, events_, actor, id, e.str("grid_path"), "ordered");
    return event_view(*tx.query_one(std::string(kEvent) + "WHERE e.id = $1", id));
  });
}

json::object GridWork::resolve(const api::Principal& p, const api::Actor& actor,
                               std::int64_t id) const {
  return db_.write([&](Tx& tx) {
    auto e = load_event(tx, p, id);
    api::require_in_scope(p, "grid.work", e.str("grid_path"));
    if (tx.exec("UPDATE grid_events SET status = 'resolved', resolved_at = $2 WHERE id = $1 AND "
                "status = 'open'",
                id, now_ms()) == 0)
      throw conflict("grid.event_closed");
    audit::append(tx, actor,
                  {"grid.event_resolve", "grid_event", std::to_string(id), std::nullopt, std::nullopt});
    changed(tx, events_, actor, id, e.str("grid_path"), "resolved");
    return event_view(*tx.query_one(std::string(kEvent) + "WHERE e.id = $1", id));
  });
}

api::Listed GridWork::events(const api::Principal& p, std::optional<std::int64_t> grid_id,
                             const std::optional<std::string>& status,
                             const api::Page& page) const {
  if (status && label_of(event_statuses(), *status, Lang::zh_CN) == *status)
    throw bad_request("request.bad_query", "status");
  return db_.read([&](Tx& tx) {
    api::ListQuery l("grid_events e");
    l.scope(p, "grid.read", {"e.grid_path"}).where_if("e.status = ?", status);
    if (grid_id) l.under("e.grid_path", load_grid(tx, p, *grid_id, "grid.read").str("path"));
    l.sort({{"created_at", "e.created_at"}, {"id", "e.id"}}, std::nullopt, "-id").page(page);
    auto found = l.rows(tx, "e.id");
    json::array items;
    for (const auto& r : found.rows)
      items.push_back(event_view(*tx.query_one(std::string(kEvent) + "WHERE e.id = $1", r.i64("id"))));
    return api::Listed{std::move(items), found.total};
  });
}

json::object GridWork::grids(const api::Principal& p) const {
  return db_.read([&](Tx& tx) {
    std::string sql =
        "SELECT g.id, g.name, g.path, c.name AS community FROM places g JOIN places c ON c.id = "
        "g.parent_id WHERE g.kind = 'grid' AND g.archived_at IS NULL";
    std::vector<storage::Param> params;
    api::append_scope_condition(p, "grid.read", "g.path", sql, params);
    sql += " ORDER BY g.path LIMIT 500";
    json::array items;
    for (const auto& g : tx.query_v(sql, params))
      items.push_back({{"id", g.i64("id")},
                       {"name", g.str("name")},
                       {"community", g.str("community")},
                       {"may_work", api::in_scope(p, "grid.work", g.str("path"))}});
    return json::object{{"items", std::move(items)}};
  });
}

json::object GridWork::overview(const api::Principal& p, std::optional<std::int64_t> grid_id,
                                Lang) const {
  api::require(p, "grid.read");
  return db_.read([&](Tx& tx) {
    auto g = grid_id ? load_grid(tx, p, *grid_id, "grid.read") : default_grid(tx, p);
    auto path = g.str("path");
    std::string hi = path;
    hi.back() = static_cast<char>('/' + 1);
    Millis now = now_ms();
    auto counts = tx.query_one(
        "SELECT (SELECT COUNT(*) FROM places WHERE kind = 'household' AND archived_at IS NULL AND "
        "grid_path >= $1 AND grid_path < $2) AS households, (SELECT COUNT(DISTINCT resident_id) "
        "FROM household_members WHERE grid_path >= $1 AND grid_path < $2) AS residents, (SELECT "
        "COUNT(*) FROM places WHERE kind = 'building' AND archived_at IS NULL AND grid_path >= $1 "
        "AND grid_path < $2) AS buildings",
        path, hi);
    json::object out{{"grid", {{"id", g.i64("id")}, {"name", g.str("name")}}},
                     {"households", counts->i64("households")},
                     {"residents", counts->i64("residents")},
                     {"buildings", counts->i64("buildings")}};
    // Special-care residents, to those who may see the tags.
    json::value care = nullptr;
    if (api::in_scope(p, "resident.care", path)) {
      json::array people;
      for (const auto& r : tx.query(
               "SELECT r.id, r.name, MIN(h.name) AS household, MIN(h.id) AS household_id FROM "
               "resident_tags t JOIN residents r ON r.id = t.resident_id JOIN household_members m "
               "ON m.resident_id = r.id JOIN places h ON h.id = m.household_id WHERE m.grid_path "
               ">= $1 AND m.grid_path < $2 AND r.archived_at IS NULL GROUP BY r.id, r.name ORDER "
               "BY r.id LIMIT 100",
               path, hi)) {
        json::array tags;
        for (const auto& t : tx.query("SELECT tag FROM resident_tags WHERE resident_id = $1 ORDER BY tag",
                                      r.i64("id")))
          tags.push_back(json::string(t.str("tag")));
        people.push_back({{"id", r.i64("id")},
                          {"name", r.str("name")},
                          {"household", r.str("household")},
                          {"tags", std::move(tags)}});
      }
      care = std::move(people);
    }
    out["care_residents"] = std::move(care);
    // Open work orders and re-inspections due within a week.
    json::array orders;
    for (const auto& w : tx.query(
             "SELECT w.id, w.category, c.zh, w.status, w.deadline_at, pl.name AS place FROM "
             "work_orders w JOIN wo_categories c ON c.key = w.category JOIN places pl ON pl.id = "
             "w.place_id WHERE w.grid_path >= $1 AND w.grid_path < $2 AND w.status NOT IN "
             "('verified', 'closed', 'rejected') ORDER BY w.deadline_at LIMIT 20",
             path, hi))
      orders.push_back({{"id", w.i64("id")},
                        {"category", w.str("category")},
                        {"status", w.str("status")},
                        {"place", w.str("place")},
                        {"deadline_at", nullable_time(w.opt_i64("deadline_at"))}});
    auto open = tx.query_one(
        "SELECT COUNT(*) AS n FROM work_orders WHERE grid_path >= $1 AND grid_path < $2 AND status "
        "NOT IN ('verified', 'closed', 'rejected')",
        path, hi);
    out["open_orders"] = {{"count", open->i64("n")}, {"items", std::move(orders)}};
    json::array due;
    for (const auto& i : tx.query(
             "SELECT i.id, i.category, i.due_at, pl.name AS place FROM wo_inspections i JOIN places "
             "pl ON pl.id = i.place_id WHERE i.grid_path >= $1 AND i.grid_path < $2 AND i.done_at "
             "IS NULL AND i.due_at <= $3 ORDER BY i.due_at LIMIT 20",
             path, hi, now + 7 * kDay))
      due.push_back({{"id", i.i64("id")},
                     {"category", i.str("category")},
                     {"place", i.str("place")},
                     {"due_at", iso8601(i.i64("due_at"))},
                     {"overdue", i.i64("due_at") < now}});
    out["inspections_due"] = std::move(due);
    json::array campaigns;
    for (const auto& c : tx.query(
             "SELECT c.id, c.title, COUNT(*) AS total, SUM(CASE WHEN h.outcome IS NULL THEN 0 "
             "ELSE 1 END) AS done FROM campaigns c JOIN campaign_households h ON h.campaign_id = "
             "c.id WHERE c.status = 'active' AND h.grid_path >= $1 AND h.grid_path < $2 GROUP BY "
             "c.id, c.title ORDER BY c.id DESC",
             path, hi))
      campaigns.push_back({{"id", c.i64("id")},
                           {"title", c.str("title")},
                           {"total", c.i64("total")},
                           {"done", c.opt_i64("done").value_or(0)}});
    out["campaigns"] = std::move(campaigns);
    auto ongoing = tx.query_one(
        "SELECT id FROM grid_patrols WHERE user_id = $1 AND status = 'ongoing'", p.user_id);
    out["my_patrol"] = ongoing ? json::value(ongoing->i64("id")) : json::value(nullptr);
    out["may_work"] = api::in_scope(p, "grid.work", path);
    return out;
  });
}

json::object GridWork::coverage(const api::Principal& p, std::int64_t grid_id,
                                const std::optional<std::string>& week) const {
  Millis now = now_ms();
  Millis from;
  if (week) {
    auto d = parse_beijing_date(*week);
    if (!d) throw bad_request("request.bad_query", "week");
    from = *d;
  } else {
    // This week, from Monday (Beijing).
    Millis today = beijing_day_start(now);
    // 1970-01-01 was a Thursday: days since then, shifted so Monday is 0.
    auto days = (today + kBeijingOffset) / kDay;
    from = today - ((days + 3) % 7) * kDay;
  }
  Millis to = from + 7 * kDay;
  return db_.read([&](Tx& tx) {
    auto g = load_grid(tx, p, grid_id, "grid.read");
    std::string hi = g.str("path");
    hi.back() = static_cast<char>('/' + 1);
    json::array items;
    std::int64_t covered = 0;
    for (const auto& b : tx.query(
             "SELECT b.id, b.name, (SELECT MAX(v.at) FROM grid_visits v WHERE v.place_id = b.id) "
             "AS last_at, (SELECT COUNT(*) FROM grid_visits v WHERE v.place_id = b.id AND v.at >= "
             "$3 AND v.at < $4) AS this_week FROM places b WHERE b.kind = 'building' AND "
             "b.archived_at IS NULL AND b.grid_path >= $1 AND b.grid_path < $2 ORDER BY b.path",
             g.str("path"), hi, from, to)) {
      bool in_week = b.i64("this_week") > 0;
      covered += in_week ? 1 : 0;
      items.push_back({{"id", b.i64("id")},
                       {"name", b.str("name")},
                       {"last_visit_at", nullable_time(b.opt_i64("last_at"))},
                       {"visits", b.i64("this_week")},
                       {"covered", in_week}});
    }
    return json::object{{"grid", {{"id", g.i64("id")}, {"name", g.str("name")}}},
                        {"from", iso8601(from)},
                        {"to", iso8601(to)},
                        {"covered", covered},
                        {"total", items.size()},
                        {"buildings", std::move(items)}};
  });
}

}  // namespace xh::grid
