// Patrols (VOL-3): see patrols.h.
#include "volunteers/patrols.h"

#include <boost/json.hpp>

#include "api/scope.h"
#include "audit/audit.h"
#include "core/crypto.h"
#include "core/error.h"
#include "core/json_input.h"
#include "core/json_output.h"
#include "print/pdf.h"
#include "volunteers/store.h"
#include "workorders/module_orders.h"

namespace xh::volunteers {

namespace json = boost::json;
using storage::Row;
using storage::Tx;

namespace {

// ---- its SQL ----

std::optional<Row> route_row(Tx& tx, std::int64_t id) {
  return tx.query_one(
      "SELECT r.*, o.name AS team_name, t.path AS team_path, l.user_id AS leader_user_id, p.name "
      "AS place_name FROM patrol_routes r JOIN volunteer_teams t ON t.id = r.team_id JOIN orgs o "
      "ON o.id = t.org_id JOIN places p ON p.id = r.place_id LEFT JOIN volunteers l ON l.id = "
      "t.leader_id WHERE r.id = $1",
      id);
}

storage::Rows checkpoints(Tx& tx, std::int64_t route_id) {
  return tx.query(
      "SELECT c.*, p.name AS place_name FROM patrol_checkpoints c JOIN places p ON p.id = "
      "c.place_id WHERE c.route_id = $1 ORDER BY c.ordinal",
      route_id);
}

std::optional<Row> patrol_row(Tx& tx, std::int64_t id) {
  return tx.query_one(
      "SELECT pt.*, u.display_name AS walker FROM patrols pt JOIN users u ON u.id = pt.user_id "
      "WHERE pt.id = $1",
      id);
}

// ---- who may ----

bool leads(const api::Principal& p, const Row& r) {
  return r.opt_i64("leader_user_id") == p.user_id;
}

bool member(Tx& tx, const api::Principal& p, const Row& r) {
  auto v = store::volunteer_of_user(tx, p.user_id);
  return v && store::is_member(tx, r.i64("team_id"), v->i64("id"));
}

bool manages(const api::Principal& p, const Row& r) {
  return leads(p, r) || api::in_scope(p, "volunteer.manage", r.str("team_path"));
}

Row load_route(Tx& tx, const api::Principal& p, std::int64_t id) {
  auto r = route_row(tx, id);
  if (!r ||
      !(member(tx, p, *r) || manages(p, *r) || api::in_scope(p, "volunteer.read", r->str("path"))))
    throw not_found("patrol.route_not_found");
  return *r;
}

std::pair<Row, Row> load_patrol(Tx& tx, const api::Principal& p, std::int64_t id) {
  auto pt = patrol_row(tx, id);
  if (!pt) throw not_found("patrol.not_found");
  auto r = route_row(tx, pt->i64("route_id"));
  if (!(pt->i64("user_id") == p.user_id || manages(p, *r) || member(tx, p, *r) ||
        api::in_scope(p, "volunteer.read", r->str("path"))))
    throw not_found("patrol.not_found");
  return {*pt, *r};
}

// ---- views ----

json::object patrol_view(Tx& tx, const Row& pt) {
  json::array scans;
  for (const auto& s : tx.query(
           "SELECT s.*, c.ordinal, c.name FROM patrol_scans s JOIN patrol_checkpoints c ON c.id = "
           "s.checkpoint_id WHERE s.patrol_id = $1 ORDER BY s.scanned_at, c.ordinal",
           pt.i64("id")))
    scans.push_back({{"checkpoint_id", s.i64("checkpoint_id")},
                     {"ordinal", s.i64("ordinal")},
                     {"name", s.str("name")},
                     {"scanned_at", iso8601(s.i64("scanned_at"))},
                     {"in_order", s.flag("in_order")},
                     {"late", s.flag("late")}});
  json::array findings;
  for (const auto& f : tx.query(
           "SELECT checkpoint_id, work_order_id, created_at FROM patrol_findings WHERE patrol_id = "
           "$1 ORDER BY id",
           pt.i64("id")))
    findings.push_back({{"checkpoint_id", f.i64("checkpoint_id")},
                        {"work_order_id", f.i64("work_order_id")},
                        {"at", iso8601(f.i64("created_at"))}});
  json::value missed = nullptr;
  if (auto m = pt.opt_i64("missed")) missed = *m;
  return {{"id", pt.i64("id")},
          {"route_id", pt.i64("route_id")},
          {"walker", pt.str("walker")},
          {"status", pt.str("status")},
          {"started_at", iso8601(pt.i64("started_at"))},
          {"due_at", iso8601(pt.i64("due_at"))},
          {"ended_at", nullable_time(pt.opt_i64("ended_at"))},
          {"scanned", pt.i64("scanned")},
          {"out_of_order", pt.i64("out_of_order")},
          {"late", pt.i64("late")},
          {"missed", missed},
          {"scans", std::move(scans)},
          {"findings", std::move(findings)}};
}

json::object route_view(Tx& tx, const api::Principal& p, const Row& r, bool full) {
  json::array cps;
  for (const auto& c : checkpoints(tx, r.i64("id")))
    cps.push_back({{"id", c.i64("id")},
                   {"ordinal", c.i64("ordinal")},
                   {"name", c.str("name")},
                   {"place", {{"id", c.i64("place_id")}, {"name", c.str("place_name")}}}});
  auto last =
      tx.query_one("SELECT MAX(started_at) AS at FROM patrols WHERE route_id = $1", r.i64("id"));
  auto last_at = last ? last->opt_i64("at") : std::nullopt;
  json::object out{
      {"id", r.i64("id")},
      {"name", r.str("name")},
      {"team", {{"id", r.i64("team_id")}, {"name", r.str("team_name")}}},
      {"place", {{"id", r.i64("place_id")}, {"name", r.str("place_name")}}},
      {"every_hours", r.i64("every_hours")},
      {"window_minutes", r.i64("window_minutes")},
      {"active", r.flag("active")},
      {"checkpoints", std::move(cps)},
      {"last_started_at", nullable_time(last_at)},
      {"next_due_at", last_at ? json::value(iso8601(*last_at + r.i64("every_hours") * kHour))
                              : json::value(nullptr)}};
  if (full) {
    json::array recent;
    for (const auto& pt : tx.query(
             "SELECT id FROM patrols WHERE route_id = $1 ORDER BY id DESC LIMIT 20", r.i64("id")))
      recent.push_back(patrol_view(tx, *patrol_row(tx, pt.i64("id"))));
    out["patrols"] = std::move(recent);
    out["may_manage"] = manages(p, r);
    out["may_walk"] = r.flag("active") && member(tx, p, r);
  }
  return out;
}

// The data names the route and, for a scan, the checkpoint (the emergencies
// module counts a scan of a risk point's plate as its patrol).
void changed(Tx& tx, const api::EventBus& events, const api::Actor& actor, const Row& pt,
             const Row& r, const char* what, std::optional<std::int64_t> checkpoint = {}) {
  json::object data{{"what", what}, {"route_id", r.i64("id")}};
  if (checkpoint) data["checkpoint_id"] = *checkpoint;
  events.emit(tx, {"patrol.changed", "patrol", pt.i64("id"), actor, r.str("path"), std::nullopt,
                   std::move(data)});
}

int bounded(const JsonInput& in, const char* field, int fallback, int lo, int hi) {
  auto v = in.opt_i64(field);
  if (!v) return fallback;
  if (*v < lo || *v > hi) throw unprocessable("patrol.bad_setting", field);
  return static_cast<int>(*v);
}

bool under_any(Tx& tx, const std::string& path, const Row& team) {
  if (path.rfind(team.str("path"), 0) == 0) return true;
  auto ids = json::parse(team.str("places"));
  for (const auto& x : ids.as_array())
    if (auto sp = store::place(tx, x.as_int64()); sp && path.rfind(sp->str("path"), 0) == 0)
      return true;
  return false;
}

std::string plate_code(const Row& c) {
  return "XH-CP:" + std::to_string(c.i64("id")) + ":" + c.str("secret");
}

}  // namespace

void require_patrol(Tx& tx, const api::Principal& p, std::int64_t id) { load_patrol(tx, p, id); }

json::object Patrols::create_route(const api::Principal& p, const api::Actor& actor,
                                   const std::string& body, Lang) const {
  JsonInput in(body,
               {"team_id", "name", "place_id", "every_hours", "window_minutes", "checkpoints"});
  auto team_id = in.i64("team_id");
  auto name = in.str("name", 60);
  if (name.empty()) throw unprocessable("request.missing_field", "name");
  auto place_id = in.i64("place_id");
  int every = bounded(in, "every_hours", 12, 1, 168);
  int window = bounded(in, "window_minutes", 60, 10, 480);
  // The checkpoints, each {name, place_id}, checked one by one.
  json::value doc = json::parse(body);
  const json::value* found = doc.as_object().if_contains("checkpoints");
  json::value cps_value = found ? *found : json::value(nullptr);
  if (!cps_value.is_array() || cps_value.as_array().size() < 2 || cps_value.as_array().size() > 30)
    throw unprocessable("patrol.bad_checkpoints", "checkpoints");
  struct Checkpoint {
    std::string name;
    std::int64_t place_id;
  };
  std::vector<Checkpoint> cps;
  for (const auto& c : cps_value.as_array()) {
    JsonInput ci(json::serialize(c), {"name", "place_id"});
    auto cname = ci.str("name", 40);
    if (cname.empty()) throw unprocessable("patrol.bad_checkpoints", "checkpoints");
    cps.push_back({cname, ci.i64("place_id")});
  }
  return db_.write([&](Tx& tx) {
    auto team = store::team(tx, team_id);
    if (!team) throw unprocessable("patrol.bad_team", "team_id");
    if (team->opt_i64("leader_user_id") != p.user_id)
      api::require_in_scope(p, "volunteer.manage", team->str("path"));
    auto pl = store::place(tx, place_id);
    if (!pl || !under_any(tx, pl->str("path"), *team))
      throw unprocessable("patrol.bad_place", "place_id");
    for (const auto& c : cps) {
      // Where a finding can be filed: a community, grid, compound, building or unit.
      auto cp = store::place(tx, c.place_id);
      auto kind = cp ? cp->str("kind") : std::string();
      if (!cp || kind == "street" || kind == "household" || kind == "micro_grid" ||
          !under_any(tx, cp->str("path"), *team))
        throw unprocessable("patrol.bad_checkpoints", "checkpoints");
    }
    Millis now = now_ms();
    auto id = tx.query_one(
                    "INSERT INTO patrol_routes (team_id, place_id, path, name, every_hours, "
                    "window_minutes, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, "
                    "$5, $6, $7, $8, $8) RETURNING id",
                    team_id, place_id, pl->str("path"), name, every, window, p.user_id, now)
                  ->i64("id");
    int ordinal = 0;
    for (const auto& c : cps)
      tx.exec(
          "INSERT INTO patrol_checkpoints (route_id, ordinal, name, place_id, secret) VALUES ($1, "
          "$2, $3, $4, $5)",
          id, ++ordinal, c.name, c.place_id, random_token(12));
    audit::append(
        tx, actor,
        {"patrol.route_create", "patrol_route", std::to_string(id), std::nullopt,
         json::serialize(json::object{{"team_id", team_id},
                                      {"checkpoints", static_cast<std::int64_t>(cps.size())},
                                      {"every_hours", every}})});
    return route_view(tx, p, *route_row(tx, id), true);
  });
}

api::Listed Patrols::routes(const api::Principal& p, std::optional<std::int64_t> team_id,
                            const api::Page& page, Lang) const {
  return db_.read([&](Tx& tx) {
    api::ListQuery l(
        "patrol_routes r JOIN volunteer_teams t ON t.id = r.team_id LEFT JOIN volunteers l ON l.id "
        "= t.leader_id");
    api::Clause seen{
        "r.team_id IN (SELECT m.team_id FROM team_members m JOIN volunteers v ON v.id = "
        "m.volunteer_id WHERE v.user_id = ?) OR l.user_id = ?",
        {p.user_id, p.user_id}};
    if (p.has_permission("volunteer.read")) {
      auto staff = api::scope_clause(p, "volunteer.read", {"r.path"});
      seen.or_else(staff.sql, staff.values);
    }
    l.where(seen.sql, seen.values).where_if("r.team_id = ?", team_id);
    l.sort({{"id", "r.id"}}, std::nullopt, "id").page(page);
    auto found = l.rows(tx, "r.id");
    json::array items;
    for (const auto& r : found.rows)
      items.push_back(route_view(tx, p, *route_row(tx, r.i64("id")), false));
    return api::Listed{std::move(items), found.total};
  });
}

json::object Patrols::route(const api::Principal& p, std::int64_t id, Lang) const {
  return db_.read([&](Tx& tx) { return route_view(tx, p, load_route(tx, p, id), true); });
}

json::object Patrols::update_route(const api::Principal& p, const api::Actor& actor,
                                   std::int64_t id, const std::string& body, Lang) const {
  JsonInput in(body, {"every_hours", "window_minutes", "active"});
  auto every = in.opt_i64("every_hours");
  auto window = in.opt_i64("window_minutes");
  auto active = in.opt_bool("active");
  if (every && (*every < 1 || *every > 168))
    throw unprocessable("patrol.bad_setting", "every_hours");
  if (window && (*window < 10 || *window > 480))
    throw unprocessable("patrol.bad_setting", "window_minutes");
  return db_.write([&](Tx& tx) {
    Row r = load_route(tx, p, id);
    if (!manages(p, r)) throw forbidden("activity.not_leader");
    Millis now = now_ms();
    if (every)
      tx.exec("UPDATE patrol_routes SET every_hours = $2, updated_at = $3 WHERE id = $1", id,
              *every, now);
    if (window)
      tx.exec("UPDATE patrol_routes SET window_minutes = $2, updated_at = $3 WHERE id = $1", id,
              *window, now);
    if (active)
      tx.exec("UPDATE patrol_routes SET active = $2, updated_at = $3 WHERE id = $1", id,
              *active ? 1 : 0, now);
    audit::append(tx, actor,
                  {"patrol.route_update", "patrol_route", std::to_string(id), std::nullopt, body});
    return route_view(tx, p, *route_row(tx, id), true);
  });
}

File Patrols::plates(const api::Principal& p, std::int64_t id) const {
  return db_.read([&](Tx& tx) {
    Row r = load_route(tx, p, id);
    if (!manages(p, r)) throw forbidden("activity.not_leader");
    print::Pdf pdf(r.str("name") + " 巡逻点位牌");
    bool first = true;
    for (const auto& c : checkpoints(tx, id)) {
      if (!first) pdf.page_break();
      first = false;
      pdf.title(r.str("team_name"));
      pdf.subtitle(r.str("name"));
      pdf.space(24);
      pdf.title("第 " + std::to_string(c.i64("ordinal")) + " 点 · " + c.str("name"));
      pdf.space(18);
      pdf.qr(plate_code(c), 260);
      pdf.space(18);
      pdf.subtitle("巡逻经过此处时，请用星火手机端「巡逻」扫码打卡");
      pdf.note("点位编号 " + std::to_string(c.i64("id")) + " · " + c.str("place_name"));
    }
    return File{pdf.finish(), "patrol-plates-" + std::to_string(id) + ".pdf", "application/pdf"};
  });
}

json::object Patrols::start(const api::Principal& p, const api::Actor& actor,
                            const std::string& body, Lang) const {
  JsonInput in(body, {"route_id"});
  auto route_id = in.i64("route_id");
  return db_.write([&](Tx& tx) {
    Row r = load_route(tx, p, route_id);
    if (!member(tx, p, r)) throw forbidden("patrol.not_member");
    if (!r.flag("active")) throw conflict("patrol.inactive");
    if (tx.query_one(
            "SELECT 1 FROM patrols WHERE route_id = $1 AND user_id = $2 AND status = 'ongoing'",
            route_id, p.user_id))
      throw conflict("patrol.ongoing");
    Millis now = now_ms();
    auto id =
        tx.query_one(
              "INSERT INTO patrols (route_id, user_id, started_at, due_at, status) VALUES ($1, "
              "$2, $3, $4, 'ongoing') RETURNING id",
              route_id, p.user_id, now, now + r.i64("window_minutes") * kMinute)
            ->i64("id");
    audit::append(tx, actor, {"patrol.start", "patrol", std::to_string(id), std::nullopt, "{}"});
    Row pt = *patrol_row(tx, id);
    changed(tx, events_, actor, pt, r, "started");
    return patrol_view(tx, pt);
  });
}

json::object Patrols::patrol(const api::Principal& p, std::int64_t id, Lang) const {
  return db_.read([&](Tx& tx) { return patrol_view(tx, load_patrol(tx, p, id).first); });
}

json::object Patrols::scan(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                           const std::string& body, Lang) const {
  JsonInput in(body, {"code"});
  auto code = in.str("code", 80);
  return db_.write([&](Tx& tx) {
    auto [pt, r] = load_patrol(tx, p, id);
    if (pt.i64("user_id") != p.user_id) throw forbidden("patrol.not_walker");
    // "XH-CP:<checkpoint id>:<secret>", of this route.
    std::optional<Row> cp;
    if (code.rfind("XH-CP:", 0) == 0) {
      auto colon = code.find(':', 6);
      auto digits = code.substr(6, colon == std::string::npos ? 0 : colon - 6);
      if (!digits.empty() && digits.size() < 19 &&
          digits.find_first_not_of("0123456789") == std::string::npos)
        cp = tx.query_one("SELECT * FROM patrol_checkpoints WHERE id = $1 AND route_id = $2",
                          static_cast<std::int64_t>(std::stoll(digits)), r.i64("id"));
      if (cp && !equal_ct(code.substr(colon + 1), cp->str("secret"))) cp.reset();
    }
    if (!cp) throw unprocessable("patrol.bad_code", "code");
    if (pt.str("status") != "ongoing") throw conflict("patrol.ended");
    Millis now = now_ms();
    // In order: every earlier checkpoint scanned before it (walking 3, 1, 2
    // flags 3: it skipped ahead; 1 and 2 then follow the route).
    auto before = tx.query_one(
        "SELECT SUM(CASE WHEN c.ordinal < $2 THEN 1 ELSE 0 END) AS earlier, SUM(CASE WHEN "
        "c.ordinal > $2 THEN 1 ELSE 0 END) AS later FROM patrol_scans s JOIN patrol_checkpoints c "
        "ON c.id = s.checkpoint_id WHERE s.patrol_id = $1",
        id, cp->i64("ordinal"));
    bool in_order = before->opt_i64("earlier").value_or(0) == cp->i64("ordinal") - 1;
    bool late = now > pt.i64("due_at");
    // Counted only while the patrol is under way (a finish racing it wins).
    bool counted = tx.exec(
                       "INSERT INTO patrol_scans (patrol_id, checkpoint_id, scanned_at, in_order, "
                       "late) SELECT $1, $2, $3, $4, $5 WHERE EXISTS (SELECT 1 FROM patrols WHERE "
                       "id = $1 AND status = 'ongoing') ON CONFLICT DO NOTHING",
                       id, cp->i64("id"), now, in_order ? 1 : 0, late ? 1 : 0) == 1;
    if (counted) {
      tx.exec(
          "UPDATE patrols SET scanned = scanned + 1, out_of_order = out_of_order + $2, late = late "
          "+ $3 WHERE id = $1",
          id, in_order ? 0 : 1, late ? 1 : 0);
      changed(tx, events_, actor, pt, r, "scanned", cp->i64("id"));
    }
    auto s = tx.query_one(
        "SELECT in_order, late FROM patrol_scans WHERE patrol_id = $1 AND checkpoint_id = $2", id,
        cp->i64("id"));
    return json::object{
        {"result", counted ? "counted" : "already"},
        {"checkpoint",
         {{"id", cp->i64("id")}, {"ordinal", cp->i64("ordinal")}, {"name", cp->str("name")}}},
        {"in_order", s->flag("in_order")},
        {"late", s->flag("late")},
        {"patrol", patrol_view(tx, *patrol_row(tx, id))}};
  });
}

json::object Patrols::finish(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                             Lang) const {
  return db_.write([&](Tx& tx) {
    auto [pt, r] = load_patrol(tx, p, id);
    if (pt.i64("user_id") != p.user_id && !manages(p, r)) throw forbidden("patrol.not_walker");
    Millis now = now_ms();
    if (tx.exec("UPDATE patrols SET status = 'done', ended_at = $2, missed = (SELECT COUNT(*) FROM "
                "patrol_checkpoints c WHERE c.route_id = $3 AND c.id NOT IN (SELECT checkpoint_id "
                "FROM patrol_scans WHERE patrol_id = $1)) WHERE id = $1 AND status = 'ongoing'",
                id, now, r.i64("id")) == 0)
      throw conflict("patrol.ended");
    Row after = *patrol_row(tx, id);
    audit::append(tx, actor,
                  {"patrol.finish", "patrol", std::to_string(id), std::nullopt,
                   json::serialize(json::object{{"missed", *after.opt_i64("missed")},
                                                {"out_of_order", after.i64("out_of_order")}})});
    changed(tx, events_, actor, after, r, "finished");
    return patrol_view(tx, after);
  });
}

json::object Patrols::find(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                           const std::string& body, Lang) const {
  JsonInput in(body, {"checkpoint_id", "category", "text", "photos"});
  auto checkpoint_id = in.i64("checkpoint_id");
  auto category = in.str("category", 40);
  auto text = in.str("text", 500);
  if (text.empty()) throw unprocessable("request.missing_field", "text");
  auto photos = in.opt_str_array("photos", 9, 64).value_or(std::vector<std::string>{});
  return db_.write([&](Tx& tx) {
    auto [pt, r] = load_patrol(tx, p, id);
    if (pt.i64("user_id") != p.user_id) throw forbidden("patrol.not_walker");
    if (pt.str("status") != "ongoing") throw conflict("patrol.ended");
    auto cp = tx.query_one("SELECT * FROM patrol_checkpoints WHERE id = $1 AND route_id = $2",
                           checkpoint_id, r.i64("id"));
    if (!cp) throw unprocessable("patrol.bad_checkpoint", "checkpoint_id");
    // A work order there, of the category chosen, followed by the patroller.
    workorders::ModuleOrder o;
    o.category = category;
    o.place_id = cp->i64("place_id");
    o.text = "【" + r.str("name") + " · " + cp->str("name") + "】" + text;
    o.photos = photos;
    o.filed_by = p.user_id;
    auto order = workorders::file_for_module(tx, actor, o);
    tx.exec(
        "INSERT INTO patrol_findings (patrol_id, checkpoint_id, work_order_id, created_at) "
        "VALUES ($1, $2, $3, $4)",
        id, checkpoint_id, order, now_ms());
    audit::append(
        tx, actor,
        {"patrol.finding", "patrol", std::to_string(id), std::nullopt,
         json::serialize(json::object{{"work_order_id", order}, {"category", category}})});
    changed(tx, events_, actor, pt, r, "finding");
    return json::object{{"work_order_id", order}, {"patrol", patrol_view(tx, *patrol_row(tx, id))}};
  });
}

}  // namespace xh::volunteers
