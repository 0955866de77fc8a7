// Emergencies (GRD-3): declaring, raising, lowering and ending a warning;
// the patrol tasks it makes and their rounds; the partners it calls up. See
// emergencies.h.
#include "emergencies/emergencies.h"

#include <map>
#include <set>

#include "api/scope.h"
#include "audit/audit.h"
#include "core/error.h"
#include "core/json_input.h"
#include "core/json_output.h"
#include "emergencies/shared.h"
#include "schedule/schedule.h"
#include "workorders/subject_photos.h"

namespace xh::emergencies {

namespace json = boost::json;

namespace {

void audit_emergency(Tx& tx, const api::Actor& actor, const char* action, std::int64_t id,
                     json::object after = {}) {
  audit::append(tx, actor, {action, "emergency", std::to_string(id), std::nullopt,
                            json::serialize(after)});
}

int level_in(const JsonInput& in) {
  auto level = in.i64("level");
  if (level < 1 || level > 4) throw unprocessable("emergency.bad_level", "level");
  return static_cast<int>(level);
}

// The frequencies of every kind at `level` in the street's table.
std::map<std::string, int> table(Tx& tx, std::int64_t street_id, const std::string& hazard,
                                 int level) {
  std::map<std::string, int> out;
  for (const auto& r : tx.query(
           "SELECT kind, every_hours FROM patrol_frequencies WHERE street_id = (SELECT "
           "COALESCE(MAX(street_id), 0) FROM patrol_frequencies WHERE street_id = $1 AND hazard = "
           "$2) AND hazard = $2 AND level = $3",
           street_id, hazard, level))
    out[r.str("kind")] = static_cast<int>(r.i64("every_hours"));
  return out;
}

// A new round of a risk point's patrol; its job runs when it falls due.
std::int64_t open_task(Tx& tx, const Row& em, std::int64_t point, const std::string& path,
                       const std::optional<std::string>& grid_path,
                       std::optional<std::int64_t> team_id, int round, int every, Millis now) {
  Millis due = now + every * kHourMs;
  auto r = tx.query_one(
      "INSERT INTO emergency_tasks (emergency_id, risk_point_id, round, level, every_hours, path, "
      "grid_path, team_id, starts_at, due_at, status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
      "$10, 'open') ON CONFLICT DO NOTHING RETURNING id",
      em.i64("id"), point, round, em.i64("level"), every, path, grid_path, team_id, now, due);
  if (!r) return 0;
  schedule::add(tx, "emergency.task_due", r->i64("id"), due);
  return r->i64("id");
}

// Tells the grid workers and teams how many new tasks each has.
json::array tell_assignees(Tx& tx, const Row& em,
                           const std::map<std::string, std::int64_t>& per_grid,
                           const std::map<std::int64_t, std::int64_t>& per_team) {
  std::map<std::int64_t, std::int64_t> users;
  for (const auto& [grid, n] : per_grid)
    for (auto u : api::holders(tx, "emergency.task", grid, grid)) users[u] += n;
  for (const auto& [team, n] : per_team)
    for (const auto& m : tx.query(
             "SELECT v.user_id FROM team_members m JOIN volunteers v ON v.id = m.volunteer_id "
             "WHERE m.team_id = $1 UNION SELECT v.user_id FROM volunteer_teams t JOIN volunteers v "
             "ON v.id = t.leader_id WHERE t.id = $1",
             team))
      users[m.i64("user_id")] += n;
  json::array out;
  auto level = level_name(static_cast<int>(em.i64("level")), Lang::zh_CN);
  for (const auto& [u, n] : users)
    out.push_back(notice(u, "emergency.tasks", "emergency.notice.tasks",
                         {{"count", n}, {"level", level}, {"place", em.str("place_name")}},
                         em.i64("id")));
  return out;
}

std::optional<Row> task_row(Tx& tx, std::int64_t id) {
  return tx.query_one(
      "SELECT t.*, rp.name AS point_name, rp.kind, rp.lat_e6, rp.lng_e6, k.name_zh AS kind_zh, "
      "k.name_en AS kind_en, pl.name AS place_name, g.name AS grid_name FROM emergency_tasks t "
      "JOIN risk_points rp ON rp.id = t.risk_point_id JOIN risk_kinds k ON k.code = rp.kind JOIN "
      "places pl ON pl.id = rp.place_id LEFT JOIN places g ON g.id = rp.grid_id WHERE t.id = $1",
      id);
}

bool team_member(Tx& tx, std::int64_t team_id, std::int64_t user_id) {
  return tx
      .query_one(
          "SELECT 1 AS x FROM team_members m JOIN volunteers v ON v.id = m.volunteer_id WHERE "
          "m.team_id = $1 AND v.user_id = $2 UNION SELECT 1 FROM volunteer_teams t JOIN "
          "volunteers v ON v.id = t.leader_id WHERE t.id = $1 AND v.user_id = $2",
          team_id, user_id)
      .has_value();
}

// May do the task: a grid worker (or staff) over its place or grid, or a
// member of its team.
bool may_do(Tx& tx, const api::Principal& p, const Row& t) {
  auto grid = t.opt_str("grid_path").value_or("");
  if (api::in_scope_any(p, "emergency.task", {t.str("path"), grid})) return true;
  auto team = t.opt_i64("team_id");
  return team && team_member(tx, *team, p.user_id);
}

json::object task_view(const Row& t, Lang lang) {
  json::value lat = nullptr, lng = nullptr;
  if (auto v = t.opt_i64("lat_e6")) lat = static_cast<double>(*v) / 1e6;
  if (auto v = t.opt_i64("lng_e6")) lng = static_cast<double>(*v) / 1e6;
  return {{"id", t.i64("id")},
          {"emergency_id", t.i64("emergency_id")},
          {"risk_point",
           {{"id", t.i64("risk_point_id")},
            {"name", t.str("point_name")},
            {"kind", t.str("kind")},
            {"kind_name", lang == Lang::en ? t.str("kind_en") : t.str("kind_zh")},
            {"place_name", t.str("place_name")},
            {"grid_name", t.opt_str("grid_name") ? json::value(*t.opt_str("grid_name"))
                                                  : json::value(nullptr)},
            {"lat", lat},
            {"lng", lng}}},
          {"round", t.i64("round")},
          {"level", t.i64("level")},
          {"every_hours", t.i64("every_hours")},
          {"starts_at", iso8601(t.i64("starts_at"))},
          {"due_at", iso8601(t.i64("due_at"))},
          {"status", t.str("status")},
          {"done_at", nullable_time(t.opt_i64("done_at"))},
          {"via", t.opt_str("via") ? json::value(*t.opt_str("via")) : json::value(nullptr)},
          {"note", t.opt_str("note") ? json::value(*t.opt_str("note")) : json::value(nullptr)},
          {"photos", workorders::photos_json(t.str("photos"))}};
}

bool org_contact(Tx& tx, std::int64_t org_id, std::int64_t user_id) {
  return tx
      .query_one(
          "SELECT 1 AS x FROM org_contacts WHERE org_id = $1 AND user_id = $2 UNION SELECT 1 FROM "
          "volunteer_teams t JOIN volunteers v ON v.id = t.leader_id WHERE t.org_id = $1 AND "
          "v.user_id = $2",
          org_id, user_id)
      .has_value();
}

std::vector<std::int64_t> contacts(Tx& tx, std::int64_t org_id) {
  std::vector<std::int64_t> out;
  for (const auto& r : tx.query(
           "SELECT user_id FROM org_contacts WHERE org_id = $1 AND user_id IS NOT NULL UNION "
           "SELECT v.user_id FROM volunteer_teams t JOIN volunteers v ON v.id = t.leader_id WHERE "
           "t.org_id = $1",
           org_id))
    out.push_back(r.i64("user_id"));
  return out;
}

constexpr const char* kCallup =
    "SELECT c.*, o.name AS org_name, o.kind AS org_kind, e.path, e.status AS emergency_status, "
    "e.place_id, pl.name AS place_name, e.level AS emergency_level, e.hazard FROM callups c JOIN "
    "orgs o ON o.id = c.org_id JOIN emergencies e ON e.id = c.emergency_id JOIN places pl ON "
    "pl.id = e.place_id ";

json::object callup_view(const Row& c, Lang lang) {
  json::value people = nullptr;
  if (auto n = c.opt_i64("people")) people = *n;
  return {{"id", c.i64("id")},
          {"emergency_id", c.i64("emergency_id")},
          {"org", {{"id", c.i64("org_id")}, {"name", c.str("org_name")}, {"kind", c.str("org_kind")}}},
          {"place_name", c.str("place_name")},
          {"level", c.i64("level")},
          {"level_name", level_name(static_cast<int>(c.i64("level")), lang)},
          {"called_at", iso8601(c.i64("called_at"))},
          {"due_at", iso8601(c.i64("due_at"))},
          {"acknowledged_at", nullable_time(c.opt_i64("acknowledged_at"))},
          {"arrived_at", nullable_time(c.opt_i64("arrived_at"))},
          {"escalated_at", nullable_time(c.opt_i64("escalated_at"))},
          {"people", people},
          {"note", c.opt_str("note") ? json::value(*c.opt_str("note")) : json::value(nullptr)},
          {"active", c.str("emergency_status") == "active"}};
}

}  // namespace

// ---- reconciling the tasks with the level ----

Reconciled reconcile(Tx& tx, const api::EventBus& events, const Row& em, Millis now) {
  Reconciled out;
  auto id = em.i64("id");
  bool active = em.str("status") == "active";
  auto freq = active ? table(tx, em.i64("street_id"), em.str("hazard"),
                             static_cast<int>(em.i64("level")))
                     : std::map<std::string, int>{};
  // The current round of each risk point: its open task, or the done one
  // whose time has not run out.
  struct Current {
    std::int64_t id = 0;
    std::string status;
    int every = 0;
    int round = 0;
  };
  std::map<std::int64_t, Current> current;
  std::map<std::int64_t, int> last_round;
  for (const auto& r : tx.query(
           "SELECT risk_point_id, MAX(round) AS round FROM emergency_tasks WHERE emergency_id = $1 "
           "GROUP BY risk_point_id",
           id))
    last_round[r.i64("risk_point_id")] = static_cast<int>(r.i64("round"));
  for (const auto& r : tx.query(
           "SELECT id, risk_point_id, status, every_hours, round FROM emergency_tasks WHERE "
           "emergency_id = $1 AND (status = 'open' OR (status = 'done' AND due_at > $2))",
           id, now)) {
    auto& c = current[r.i64("risk_point_id")];
    if (static_cast<int>(r.i64("round")) >= c.round)
      c = {r.i64("id"), r.str("status"), static_cast<int>(r.i64("every_hours")),
           static_cast<int>(r.i64("round"))};
  }
  std::map<std::string, std::int64_t> per_grid;
  std::map<std::int64_t, std::int64_t> per_team;
  auto cancel = [&](std::int64_t task) {
    out.cancelled += tx.exec(
        "UPDATE emergency_tasks SET status = 'cancelled' WHERE id = $1 AND status = 'open'", task);
  };
  std::string lo = em.str("path"), hi = lo;
  hi.back() = static_cast<char>('/' + 1);
  for (const auto& rp : tx.query(
           "SELECT id, kind, path, grid_path, team_id FROM risk_points WHERE active = 1 AND path >= "
           "$1 AND path < $2",
           lo, hi)) {
    auto point = rp.i64("id");
    auto f = freq.find(rp.str("kind"));
    auto c = current.find(point);
    if (c != current.end() && f != freq.end() && c->second.every == f->second) continue;
    if (c != current.end() && c->second.status == "open") cancel(c->second.id);
    if (f == freq.end()) continue;
    if (open_task(tx, em, point, rp.str("path"), rp.opt_str("grid_path"), rp.opt_i64("team_id"),
                  last_round[point] + 1, f->second, now)) {
      ++out.created;
      if (auto g = rp.opt_str("grid_path")) ++per_grid[*g];
      if (auto t = rp.opt_i64("team_id")) ++per_team[*t];
    }
  }
  if (!active) {
    out.cancelled += tx.exec(
        "UPDATE emergency_tasks SET status = 'cancelled' WHERE emergency_id = $1 AND status = "
        "'open'",
        id);
  }
  if (out.created > 0) changed(tx, events, api::Actor::system(), em, "tasks",
                               tell_assignees(tx, em, per_grid, per_team));
  return out;
}

std::int64_t call_up(Tx& tx, const api::EventBus& events, const Row& em, Millis now) {
  // The lists of the place, the places above it and those within it, for
  // the hazard, at this level or a lower one (IV = 4 calls at every level).
  std::int64_t n = 0;
  json::array notify;
  for (const auto& l : tx.query(
           "SELECT cl.org_id, MIN(cl.minutes) AS minutes, o.name FROM callup_lists cl JOIN orgs o "
           "ON o.id = cl.org_id WHERE cl.hazard = $1 AND cl.level >= $2 AND (cl.path LIKE $3 || "
           "'%' OR $3 LIKE cl.path || '%') AND o.archived_at IS NULL GROUP BY cl.org_id, o.name "
           "ORDER BY cl.org_id",
           em.str("hazard"), em.i64("level"), em.str("path"))) {
    auto due = now + l.i64("minutes") * kMinute;
    auto r = tx.query_one(
        "INSERT INTO callups (emergency_id, org_id, level, called_at, due_at) VALUES ($1, $2, $3, "
        "$4, $5) ON CONFLICT (emergency_id, org_id) DO NOTHING RETURNING id",
        em.i64("id"), l.i64("org_id"), em.i64("level"), now, due);
    if (!r) continue;
    ++n;
    schedule::add(tx, "emergency.callup_due", r->i64("id"), due);
    log(tx, em.i64("id"), now, "called_up", static_cast<int>(em.i64("level")), std::nullopt,
        {{"org", l.str("name")}, {"callup_id", r->i64("id")}});
    for (auto u : contacts(tx, l.i64("org_id")))
      notify.push_back(notice(u, "emergency.callup", "emergency.notice.callup",
                              {{"org", l.str("name")},
                               {"hazard", hazard_name(tx, em.str("hazard"), Lang::zh_CN)},
                               {"level", level_name(static_cast<int>(em.i64("level")), Lang::zh_CN)},
                               {"place", em.str("place_name")},
                               {"minutes", l.i64("minutes")}},
                              em.i64("id")));
  }
  if (n > 0) changed(tx, events, api::Actor::system(), em, "called_up", std::move(notify));
  return n;
}

// ---- the jobs ----

void task_due(Tx& tx, const api::EventBus& events, std::int64_t task_id, Millis now) {
  auto t = task_row(tx, task_id);
  if (!t || t->str("status") == "cancelled" || t->i64("due_at") > now) return;
  auto em = emergency_row(tx, t->i64("emergency_id"));
  if (!em) return;
  auto system = api::Actor::system();
  if (tx.exec("UPDATE emergency_tasks SET status = 'missed' WHERE id = $1 AND status = 'open'",
              task_id) == 1) {
    // Escalated to the staff of the risk point's community.
    auto community = api::community_path(t->str("path"));
    json::array notify;
    for (auto u : api::holders(tx, "emergency.manage", t->str("path"), community))
      notify.push_back(notice(u, "emergency.missed", "emergency.notice.missed",
                              {{"point", t->str("point_name")},
                               {"grid", t->opt_str("grid_name").value_or("")}},
                              em->i64("id")));
    log(tx, em->i64("id"), now, "task_missed", static_cast<int>(t->i64("level")), std::nullopt,
        {{"point", t->str("point_name")}, {"task_id", task_id}});
    changed(tx, events, system, *em, "task_missed", std::move(notify));
  }
  // The next round, when this is the point's latest and the level still
  // patrols its kind.
  if (em->str("status") != "active") return;
  auto later = tx.query_one(
      "SELECT 1 AS x FROM emergency_tasks WHERE emergency_id = $1 AND risk_point_id = $2 AND "
      "round > $3",
      em->i64("id"), t->i64("risk_point_id"), t->i64("round"));
  if (later) return;
  auto rp = tx.query_one("SELECT * FROM risk_points WHERE id = $1 AND active = 1",
                         t->i64("risk_point_id"));
  if (!rp) return;
  auto every = every_hours(tx, em->i64("street_id"), em->str("hazard"),
                           static_cast<int>(em->i64("level")), rp->str("kind"));
  if (!every) return;
  if (open_task(tx, *em, rp->i64("id"), rp->str("path"), rp->opt_str("grid_path"),
                rp->opt_i64("team_id"), static_cast<int>(t->i64("round")) + 1, *every, now))
    changed(tx, events, system, *em, "tasks");
}

void callup_due(Tx& tx, const api::EventBus& events, std::int64_t callup_id, Millis now) {
  auto c = tx.query_one(std::string(kCallup) + "WHERE c.id = $1", callup_id);
  if (!c || c->opt_i64("acknowledged_at") || c->opt_i64("escalated_at") ||
      c->str("emergency_status") != "active" || c->i64("due_at") > now)
    return;
  if (tx.exec("UPDATE callups SET escalated_at = $2 WHERE id = $1 AND acknowledged_at IS NULL AND "
              "escalated_at IS NULL",
              callup_id, now) == 0)
    return;
  auto em = emergency_row(tx, c->i64("emergency_id"));
  json::array notify;
  for (auto u : api::holders(tx, "emergency.manage", em->str("path")))
    notify.push_back(notice(u, "emergency.not_acknowledged", "emergency.notice.not_acknowledged",
                            {{"org", c->str("org_name")}}, em->i64("id")));
  log(tx, em->i64("id"), now, "not_acknowledged", std::nullopt, std::nullopt,
      {{"org", c->str("org_name")}, {"callup_id", callup_id}});
  changed(tx, events, api::Actor::system(), *em, "callup", std::move(notify));
}

void scanned(Tx& tx, const api::EventBus& events, const api::Event& e) {
  const auto* what = e.data.if_contains("what");
  const auto* cp = e.data.if_contains("checkpoint_id");
  if (!what || !cp || what->as_string() != "scanned") return;
  Millis now = now_ms();
  for (const auto& t : tx.query(
           "SELECT t.id, t.emergency_id FROM emergency_tasks t JOIN risk_points rp ON rp.id = "
           "t.risk_point_id WHERE rp.checkpoint_id = $1 AND t.status = 'open' AND t.starts_at <= $2",
           cp->as_int64(), now)) {
    if (tx.exec("UPDATE emergency_tasks SET status = 'done', done_at = $2, done_by = $3, via = "
                "'scan' WHERE id = $1 AND status = 'open'",
                t.i64("id"), now, e.actor.user_id) == 1)
      if (auto em = emergency_row(tx, t.i64("emergency_id")))
        changed(tx, events, e.actor, *em, "task_done");
  }
}

void require_emergency(Tx& tx, const api::Principal& p, std::int64_t id) {
  load_emergency(tx, p, id);
}

// ---- the commands ----

json::object Emergencies::declare(const api::Principal& p, const api::Actor& actor,
                                  const std::string& body, Lang lang) const {
  JsonInput in(body, {"hazard", "level", "place_id", "reason"});
  auto hazard = in.str("hazard", 40);
  int level = level_in(in);
  auto place_id = in.i64("place_id");
  auto reason = in.str("reason", 300);
  if (reason.empty()) throw unprocessable("request.missing_field", "reason");
  return db_.write([&](Tx& tx) {
    if (!tx.query_one("SELECT 1 AS x FROM hazards WHERE code = $1", hazard))
      throw unprocessable("emergency.bad_hazard", "hazard");
    auto pl = place(tx, place_id);
    if (!pl || (pl->str("kind") != "street" && pl->str("kind") != "community"))
      throw unprocessable("emergency.bad_place", "place_id");
    api::require_in_scope(p, "emergency.manage", pl->str("path"));
    Millis now = now_ms();
    auto r = tx.query_one(
        "INSERT INTO emergencies (hazard, level, place_id, path, street_id, status, reason, "
        "declared_by, declared_at, updated_at) VALUES ($1, $2, $3, $4, $5, 'active', $6, $7, $8, "
        "$8) ON CONFLICT DO NOTHING RETURNING id",
        hazard, level, place_id, pl->str("path"), street_of(pl->str("path")), reason, p.user_id,
        now);
    if (!r) throw conflict("emergency.active");
    auto id = r->i64("id");
    auto em = *emergency_row(tx, id);
    log(tx, id, now, "declared", level, p.user_id, {{"reason", reason}});
    audit_emergency(tx, actor, "emergency.declare", id, {{"hazard", hazard}, {"level", level}});
    auto done = reconcile(tx, events_, em, now);
    auto called = call_up(tx, events_, em, now);
    changed(tx, events_, actor, em, "declared");
    auto out = header_of(em, lang);
    out["tasks_created"] = done.created;
    out["called_up"] = called;
    return out;
  });
}

json::object Emergencies::set_level(const api::Principal& p, const api::Actor& actor,
                                    std::int64_t id, const std::string& body, Lang lang) const {
  JsonInput in(body, {"level", "reason"});
  int level = level_in(in);
  auto reason = in.str("reason", 300);
  if (reason.empty()) throw unprocessable("request.missing_field", "reason");
  return db_.write([&](Tx& tx) {
    auto em = load_emergency(tx, p, id);
    api::require_in_scope(p, "emergency.manage", em.str("path"));
    Millis now = now_ms();
    // The row's lock first: level changes of one emergency are one at a time.
    if (tx.exec("UPDATE emergencies SET updated_at = $2 WHERE id = $1 AND status = 'active'", id,
                now) == 0)
      throw conflict("emergency.ended");
    em = *emergency_row(tx, id);
    int old = static_cast<int>(em.i64("level"));
    if (old == level) throw conflict("emergency.same_level");
    tx.exec("UPDATE emergencies SET level = $2 WHERE id = $1", id, level);
    em = *emergency_row(tx, id);
    const char* kind = level < old ? "raised" : "lowered";
    log(tx, id, now, kind, level, p.user_id, {{"reason", reason}, {"from", old}});
    audit_emergency(tx, actor, "emergency.level", id, {{"from", old}, {"to", level}});
    auto done = reconcile(tx, events_, em, now);
    auto called = level < old ? call_up(tx, events_, em, now) : 0;
    changed(tx, events_, actor, em, kind);
    auto out = header_of(em, lang);
    out["tasks_created"] = done.created;
    out["tasks_cancelled"] = done.cancelled;
    out["called_up"] = called;
    return out;
  });
}

json::object Emergencies::get(const api::Principal& p, std::int64_t id, Lang lang) const {
  return db_.read([&](Tx& tx) {
    auto em = load_emergency(tx, p, id);
    auto out = header_of(em, lang);
    out["may_manage"] = api::in_scope(p, "emergency.manage", em.str("path"));
    out["timeline"] = timeline(tx, id, 100);
    return out;
  });
}

api::Listed Emergencies::list(const api::Principal& p, const std::optional<std::string>& status,
                              const api::Page& page, Lang lang) const {
  if (status && *status != "active" && *status != "ended")
    throw bad_request("request.bad_query", "status");
  return db_.read([&](Tx& tx) {
    // On the caller's line: their places and the places above them.
    std::vector<std::string> lines;
    for (const auto& g : p.grants)
      if (api::grant_has(g, "emergency.read")) lines.push_back(g.place_path);
    if (lines.empty()) throw forbidden("auth.permission_denied");
    api::ListQuery l("emergencies e");
    std::string cond;
    std::vector<storage::Param> values;
    for (const auto& path : lines) {
      if (!cond.empty()) cond += " OR ";
      cond += "e.path LIKE ? || '%' OR ? LIKE e.path || '%'";
      values.emplace_back(path);
      values.emplace_back(path);
    }
    l.where(cond, values).where_if("e.status = ?", status);
    l.sort({{"declared_at", "e.declared_at"}, {"id", "e.id"}}, std::nullopt, "-id").page(page);
    auto found = l.rows(tx, "e.id");
    json::array items;
    for (const auto& r : found.rows) {
      auto em = *emergency_row(tx, r.i64("id"));
      auto out = header_of(em, lang);
      auto counts = tx.query_one(
          "SELECT SUM(CASE WHEN status = 'open' THEN 1 ELSE 0 END) AS open, SUM(CASE WHEN status = "
          "'missed' THEN 1 ELSE 0 END) AS missed FROM emergency_tasks WHERE emergency_id = $1",
          em.i64("id"));
      out["tasks_open"] = counts->opt_i64("open").value_or(0);
      out["tasks_missed"] = counts->opt_i64("missed").value_or(0);
      items.push_back(std::move(out));
    }
    return api::Listed{std::move(items), found.total};
  });
}

// ---- tasks ----

api::Listed Emergencies::tasks(const api::Principal& p, std::optional<std::int64_t> emergency_id,
                               const std::optional<std::string>& status, const api::Page& page,
                               Lang lang) const {
  if (status && *status != "open" && *status != "done" && *status != "missed" &&
      *status != "cancelled")
    throw bad_request("request.bad_query", "status");
  return db_.read([&](Tx& tx) {
    api::ListQuery l("emergency_tasks t JOIN emergencies e ON e.id = t.emergency_id");
    // The tasks one may do: over one's place or grid, or one's team's.
    api::Clause seen{
        "t.team_id IN (SELECT m.team_id FROM team_members m JOIN volunteers v ON v.id = "
        "m.volunteer_id WHERE v.user_id = ? UNION SELECT tt.id FROM volunteer_teams tt JOIN "
        "volunteers v ON v.id = tt.leader_id WHERE v.user_id = ?)",
        {p.user_id, p.user_id}};
    if (p.has_permission("emergency.task")) {
      auto mine = api::scope_clause(p, "emergency.task", {"t.path", "t.grid_path"});
      seen.or_else(mine.sql, mine.values);
    }
    l.where(seen.sql, seen.values).where_if("t.emergency_id = ?", emergency_id);
    if (status) l.where("t.status = ?", {*status});
    else l.where("e.status = 'active' AND t.status IN ('open', 'done', 'missed')");
    l.sort({{"due_at", "t.due_at"}, {"id", "t.id"}}, std::nullopt, "due_at").page(page);
    auto found = l.rows(tx, "t.id");
    json::array items;
    for (const auto& r : found.rows) {
      auto t = *task_row(tx, r.i64("id"));
      auto v = task_view(t, lang);
      v["may_do"] = t.str("status") == "open" && may_do(tx, p, t);
      items.push_back(std::move(v));
    }
    return api::Listed{std::move(items), found.total};
  });
}

json::object Emergencies::task_done(const api::Principal& p, const api::Actor& actor,
                                    std::int64_t id, const std::string& body, Lang lang) const {
  JsonInput in(body, {"note", "photos"});
  auto note = in.opt_str("note", 500);
  auto photos = in.opt_str_array("photos", 9, 64).value_or(std::vector<std::string>{});
  return db_.write([&](Tx& tx) {
    auto t = task_row(tx, id);
    if (!t || !(may_do(tx, p, *t) || on_line(p, "emergency.read", t->str("path"))))
      throw not_found("emergency.task_not_found");
    if (!may_do(tx, p, *t)) throw forbidden("emergency.not_assignee");
    workorders::attach_to_subject(tx, photos, p.user_id, "emergency_task", id);
    Millis now = now_ms();
    if (tx.exec("UPDATE emergency_tasks SET status = 'done', done_at = $2, done_by = $3, via = "
                "'report', note = $4, photos = $5 WHERE id = $1 AND status = 'open'",
                id, now, p.user_id, note, workorders::photo_ids_json(photos)) == 0)
      throw conflict("emergency.task_closed");
    audit::append(tx, actor, {"emergency.task_done", "emergency_task", std::to_string(id),
                              std::nullopt, std::nullopt});
    auto em = *emergency_row(tx, t->i64("emergency_id"));
    changed(tx, events_, actor, em, "task_done");
    auto v = task_view(*task_row(tx, id), lang);
    v["may_do"] = false;
    return v;
  });
}

// ---- call-ups ----

json::object Emergencies::callups(const api::Principal& p, std::optional<std::int64_t> emergency_id,
                                  Lang lang) const {
  return db_.read([&](Tx& tx) {
    json::array items;
    if (emergency_id) {
      auto em = load_emergency(tx, p, *emergency_id);
      for (const auto& c : tx.query(std::string(kCallup) + "WHERE c.emergency_id = $1 ORDER BY c.id",
                                    *emergency_id))
        items.push_back(callup_view(c, lang));
    } else {
      // The caller's organisations': the active ones first, then the last 20.
      for (const auto& c : tx.query(
               std::string(kCallup) +
                   "WHERE c.org_id IN (SELECT org_id FROM org_contacts WHERE user_id = $1 UNION "
                   "SELECT t.org_id FROM volunteer_teams t JOIN volunteers v ON v.id = t.leader_id "
                   "WHERE v.user_id = $1) ORDER BY CASE WHEN e.status = 'active' THEN 0 ELSE 1 "
                   "END, c.id DESC LIMIT 20",
               p.user_id)) {
        auto v = callup_view(c, lang);
        v["may_respond"] = c.str("emergency_status") == "active" && !c.opt_i64("arrived_at");
        items.push_back(std::move(v));
      }
    }
    return json::object{{"items", std::move(items)}};
  });
}

namespace {

// The contact's answer: acknowledged, then arrived; each once.
json::object respond(Tx& tx, const api::EventBus& events, const api::Principal& p,
                     const api::Actor& actor, std::int64_t id, const std::string& body,
                     bool arrival, Lang lang) {
  JsonInput in(body, {"people", "note"});
  auto people = in.opt_i64("people");
  if (people && (*people < 0 || *people > 10000)) throw unprocessable("emergency.bad_people", "people");
  auto note = in.opt_str("note", 300);
  auto c = tx.query_one(std::string(kCallup) + "WHERE c.id = $1", id);
  if (!c || !org_contact(tx, c->i64("org_id"), p.user_id)) {
    if (c && on_line(p, "emergency.read", c->str("path"))) throw forbidden("emergency.not_contact");
    throw not_found("emergency.callup_not_found");
  }
  if (c->str("emergency_status") != "active") throw conflict("emergency.ended");
  Millis now = now_ms();
  std::int64_t n;
  if (!arrival) {
    n = tx.exec(
        "UPDATE callups SET acknowledged_at = $2, acknowledged_by = $3, people = COALESCE($4, "
        "people), note = COALESCE($5, note) WHERE id = $1 AND acknowledged_at IS NULL",
        id, now, p.user_id, people, note);
    if (n == 0) throw conflict("emergency.acknowledged");
  } else {
    n = tx.exec(
        "UPDATE callups SET arrived_at = $2, arrived_by = $3, acknowledged_at = COALESCE("
        "acknowledged_at, $2), acknowledged_by = COALESCE(acknowledged_by, $3), people = "
        "COALESCE($4, people), note = COALESCE($5, note) WHERE id = $1 AND arrived_at IS NULL",
        id, now, p.user_id, people, note);
    if (n == 0) throw conflict("emergency.arrived");
  }
  const char* kind = arrival ? "arrived" : "acknowledged";
  json::object data{{"org", c->str("org_name")}, {"callup_id", id}};
  if (people) data["people"] = *people;
  log(tx, c->i64("emergency_id"), now, kind, std::nullopt, p.user_id, data);
  audit::append(tx, actor, {arrival ? "emergency.arrive" : "emergency.acknowledge", "callup",
                            std::to_string(id), std::nullopt, json::serialize(data)});
  auto em = *emergency_row(tx, c->i64("emergency_id"));
  changed(tx, events, actor, em, kind);
  auto v = callup_view(*tx.query_one(std::string(kCallup) + "WHERE c.id = $1", id), lang);
  v["may_respond"] = !arrival;
  return v;
}

}  // namespace

json::object Emergencies::acknowledge(const api::Principal& p, const api::Actor& actor,
                                      std::int64_t id, const std::string& body, Lang lang) const {
  return db_.write([&](Tx& tx) { return respond(tx, events_, p, actor, id, body, false, lang); });
}

json::object Emergencies::arrive(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                                 const std::string& body, Lang lang) const {
  return db_.write([&](Tx& tx) { return respond(tx, events_, p, actor, id, body, true, lang); });
}

}  // namespace xh::emergencies
