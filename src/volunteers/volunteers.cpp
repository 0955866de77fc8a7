#include "volunteers/volunteers.h"

#include <boost/json.hpp>

#include "api/list.h"
#include "api/scope.h"
#include "audit/audit.h"
#include "core/error.h"
#include "core/json_input.h"
#include "core/json_output.h"
#include "core/labels.h"
#include "people/identity.h"
#include "places/reach.h"
#include "volunteers/rules.h"
#include "volunteers/store.h"

namespace xh::volunteers {

namespace json = boost::json;
using storage::Row;
using storage::Tx;

namespace {

std::vector<std::int64_t> ids_of(const std::string& text) {
  std::vector<std::int64_t> out;
  auto v = json::parse(text);
  for (const auto& x : v.as_array()) out.push_back(x.as_int64());
  return out;
}

json::array strings_of(const std::string& text) {
  auto v = json::parse(text);
  return v.as_array();
}

json::array named(Tx& tx, const std::string& ids_json) {
  json::array out;
  for (const auto& [id, name] : store::place_names(tx, ids_of(ids_json)))
    out.push_back({{"id", id}, {"name", name}});
  return out;
}

json::value ref(const std::optional<std::int64_t>& id, const std::optional<std::string>& name) {
  if (!id) return nullptr;
  return json::object{{"id", *id}, {"name", name.value_or("")}};
}

std::string ids_json(const std::vector<std::int64_t>& ids) {
  json::array a;
  for (auto id : ids) a.push_back(id);
  return json::serialize(a);
}

bool manages_volunteer(const api::Principal& p, const Row& v) {
  return api::in_scope(p, "volunteer.manage", v.str("path"));
}

json::object volunteer_view(Tx& tx, const api::Principal& p, const Row& v) {
  json::array teams;
  for (const auto& t : store::teams_of(tx, v.i64("id")))
    teams.push_back({{"id", t.i64("id")}, {"name", t.str("name")}, {"leader", t.flag("leader")}});
  return {{"id", v.i64("id")},
          {"user_id", v.i64("user_id")},
          {"name", v.str("name")},
          {"community", {{"id", v.i64("community_id")}, {"name", v.str("community_name")}}},
          {"skills", strings_of(v.str("skills"))},
          {"availability", v.str("availability")},
          {"serves", named(tx, v.str("serves"))},
          {"branch", ref(v.opt_i64("branch_id"), v.opt_str("branch_name"))},
          {"status", v.str("status")},
          {"reason", nullable(v.opt_str("reason"))},
          {"teams", std::move(teams)},
          {"confirmed_minutes", v.i64("confirmed_minutes")},
          {"registered_at", iso8601(v.i64("created_at"))},
          {"reviewed_at", nullable_time(v.opt_i64("reviewed_at"))},
          {"may_review", v.str("status") == "applied" && manages_volunteer(p, v)}};
}

Row load_volunteer(Tx& tx, const api::Principal& p, std::int64_t id) {
  auto v = store::volunteer(tx, id);
  if (!v || (v->i64("user_id") != p.user_id && !api::in_scope(p, "volunteer.read", v->str("path"))))
    throw not_found("volunteer.not_found");
  return *v;
}

void changed(Tx& tx, const api::EventBus& events, const api::Actor& actor, const Row& v,
             const char* what, json::array notify = {}) {
  json::object data{{"what", what}};
  if (!notify.empty()) data["notify"] = std::move(notify);
  events.emit(tx, {"volunteer.changed", "volunteer", v.i64("id"), actor, v.str("path"),
                   std::nullopt, std::move(data)});
}

bool team_visible(Tx& tx, const api::Principal& p, const Row& t) {
  if (api::in_scope(p, "volunteer.read", t.str("path"))) return true;
  if (places::reaches(tx, p, "team.read", t.str("path"), std::nullopt)) return true;
  auto mine = store::volunteer_of_user(tx, p.user_id);
  return mine && store::is_member(tx, t.i64("id"), mine->i64("id"));
}

bool leads(const api::Principal& p, const Row& t) {
  auto leader = t.opt_i64("leader_user_id");
  return leader && *leader == p.user_id;
}

Row load_team(Tx& tx, const api::Principal& p, std::int64_t id) {
  auto t = store::team(tx, id);
  if (!t || !team_visible(tx, p, *t)) throw not_found("team.not_found");
  return *t;
}

json::object team_view(Tx& tx, const api::Principal& p, const Row& t, bool full) {
  auto mine = store::volunteer_of_user(tx, p.user_id);
  bool member = mine && store::is_member(tx, t.i64("id"), mine->i64("id"));
  bool named_in_full = api::in_scope(p, "volunteer.read", t.str("path")) || leads(p, t);
  json::value leader = nullptr;
  if (auto l = t.opt_i64("leader_id"))
    leader = json::object{
        {"id", *l},
        {"name", named_in_full ? t.str("leader_name") : people::mask_name(t.str("leader_name"))}};
  json::object out{{"id", t.i64("id")},
                   {"org_id", t.i64("org_id")},
                   {"name", t.str("name")},
                   {"about", t.opt_str("about").value_or("")},
                   {"place", {{"id", t.i64("place_id")}, {"name", t.str("place_name")}}},
                   {"service", t.str("service")},
                   {"places", named(tx, t.str("places"))},
                   {"leader", std::move(leader)},
                   {"members_count", t.i64("members_count")},
                   {"is_member", member},
                   {"is_leader", leads(p, t)}};
  if (full) {
    json::array members;
    for (const auto& m : store::members(tx, t.i64("id")))
      members.push_back({{"volunteer_id", m.i64("volunteer_id")},
                         {"name", named_in_full ? m.str("name") : people::mask_name(m.str("name"))},
                         {"joined_at", iso8601(m.i64("created_at"))}});
    out["members"] = std::move(members);
    out["may_manage"] = api::in_scope(p, "volunteer.manage", t.str("path"));
    out["may_add_members"] = out["may_manage"].as_bool() || leads(p, t);
  }
  return out;
}

// The places a team serves: under its own place (422 team.bad_places).
std::vector<std::int64_t> served_places(Tx& tx, const Row& home,
                                        const std::vector<std::int64_t>& ids) {
  for (auto id : ids) {
    auto pl = store::place(tx, id);
    if (!pl || pl->str("path").rfind(home.str("path"), 0) != 0)
      throw unprocessable("team.bad_places", "places");
  }
  return ids;
}

// A confirmed volunteer to lead or join (422 team.bad_leader / team.bad_member).
Row confirmed_volunteer(Tx& tx, std::int64_t id, const char* code, const char* field) {
  auto v = store::volunteer(tx, id);
  if (!v || v->str("status") != "confirmed") throw unprocessable(code, field);
  return *v;
}

}  // namespace

void require_volunteer(Tx& tx, const api::Principal& p, std::int64_t id) {
  load_volunteer(tx, p, id);
}

void require_team(Tx& tx, const api::Principal& p, std::int64_t id) { load_team(tx, p, id); }

std::int64_t waiting_review(Tx& tx, const api::Principal& p) {
  if (!p.has_permission("volunteer.manage")) return 0;
  std::vector<storage::Param> params;
  std::string scope = api::scope_condition(p, "volunteer.manage", {"path"}, params);
  return tx
      .query_one_v("SELECT COUNT(*) AS n FROM volunteers WHERE status = 'applied' AND " + scope,
                   params)
      ->i64("n");
}

json::object Volunteers::register_self(const api::Principal& p, const api::Actor& actor,
                                       const std::string& body, Lang) const {
  api::require(p, "activity.join");
  JsonInput in(body, {"community_id", "skills", "availability", "serves", "branch_id"});
  auto community_id = in.opt_i64("community_id");
  auto skills = in.opt_str_array("skills", 10, 20).value_or(std::vector<std::string>{});
  auto availability = in.opt_str("availability", 200).value_or("");
  auto serves = in.opt_id_array("serves", 20).value_or(std::vector<std::int64_t>{});
  auto branch_id = in.opt_i64("branch_id");
  return db_.write([&](Tx& tx) {
    Row community = [&] {
      if (auto home = store::home_community(tx, p.user_id)) {
        if (community_id && *community_id != home->i64("id"))
          throw unprocessable("volunteer.bad_community", "community_id");
        auto c = store::place(tx, home->i64("id"));
        if (!c) throw unprocessable("volunteer.bad_community", "community_id");
        return *c;
      }
      if (!community_id) throw unprocessable("volunteer.bad_community", "community_id");
      auto c = store::place(tx, *community_id);
      if (!c || c->str("kind") != "community")
        throw unprocessable("volunteer.bad_community", "community_id");
      return *c;
    }();
    for (auto id : serves) {
      auto pl = store::place(tx, id);
      if (!pl || pl->str("kind") != "compound" ||
          pl->str("path").rfind(community.str("path"), 0) != 0)
        throw unprocessable("volunteer.bad_serves", "serves");
    }
    if (branch_id && !store::branch(tx, *branch_id))
      throw unprocessable("volunteer.bad_branch", "branch_id");
    json::array skill_list;
    for (auto& s : skills)
      if (!s.empty()) skill_list.push_back(json::string(s));
    Millis now = now_ms();
    auto id = store::apply(tx,
                           {p.user_id, community.i64("id"), community.str("path"),
                            json::serialize(skill_list), availability, ids_json(serves), branch_id},
                           now);
    if (!id) throw conflict("volunteer.exists");
    Row v = *store::volunteer(tx, *id);
    audit::append(tx, actor,
                  {"volunteer.register", "volunteer", std::to_string(*id), std::nullopt,
                   json::serialize(json::object{{"community_id", community.i64("id")}})});
    changed(tx, events_, actor, v, "registered");
    return volunteer_view(tx, p, v);
  });
}

json::object Volunteers::mine(const api::Principal& p, Lang) const {
  return db_.read([&](Tx& tx) {
    auto v = store::volunteer_of_user(tx, p.user_id);
    if (!v) throw not_found("volunteer.not_registered");
    return volunteer_view(tx, p, *v);
  });
}

api::Listed Volunteers::list(const api::Principal& p, const VolunteerQuery& q, Lang) const {
  if (q.status && !has_key(volunteer_statuses(), *q.status))
    throw bad_request("request.bad_query", "status");
  return db_.read([&](Tx& tx) {
    api::ListQuery l(
        "volunteers v JOIN users u ON u.id = v.user_id JOIN places c ON c.id = v.community_id "
        "LEFT JOIN party_branches b ON b.id = v.branch_id");
    l.scope(p, "volunteer.read", {"v.path"})
        .where_if("v.status = ?", q.status)
        .where_if("v.branch_id = ?", q.branch_id)
        .where_if("v.id IN (SELECT volunteer_id FROM team_members WHERE team_id = ?)", q.team_id);
    if (q.community_id) {
      auto c = store::place(tx, *q.community_id);
      if (!c) throw bad_request("request.bad_query", "community_id");
      l.under("v.path", c->str("path"));
    }
    if (q.q && !q.q->empty()) l.where("u.display_name LIKE ?", {"%" + *q.q + "%"});
    l.sort({{"registered_at", "v.created_at"}, {"hours", "v.confirmed_minutes"}}, std::nullopt,
           "-registered_at")
        .page(q.page);
    auto found = l.rows(tx,
                        "v.*, u.display_name AS name, c.name AS community_name, b.name AS "
                        "branch_name");
    json::array items;
    for (const auto& v : found.rows) items.push_back(volunteer_view(tx, p, v));
    return api::Listed{std::move(items), found.total};
  });
}

json::object Volunteers::get(const api::Principal& p, std::int64_t id, Lang) const {
  return db_.read([&](Tx& tx) { return volunteer_view(tx, p, load_volunteer(tx, p, id)); });
}

json::object Volunteers::review(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                                const std::string& body, Lang) const {
  JsonInput in(body, {"action", "reason"});
  auto action = in.str("action", 20);
  auto reason = in.opt_str("reason", 200);
  if (action != "confirm" && action != "decline")
    throw unprocessable("volunteer.bad_action", "action");
  if (action == "decline" && (!reason || reason->empty()))
    throw unprocessable("volunteer.reason_required", "reason");
  return db_.write([&](Tx& tx) {
    Row v = load_volunteer(tx, p, id);
    api::require_in_scope(p, "volunteer.manage", v.str("path"));
    bool confirm = action == "confirm";
    if (!store::review(tx, id, confirm, confirm ? std::nullopt : reason, p.user_id, now_ms()))
      throw conflict("volunteer.reviewed");
    audit::append(tx, actor,
                  {"volunteer.review", "volunteer", std::to_string(id), std::nullopt,
                   json::serialize(json::object{{"action", action}})});
    Row after = *store::volunteer(tx, id);
    json::object params{{"community", after.str("community_name")}};
    if (!confirm) params["reason"] = *reason;
    changed(
        tx, events_, actor, after, action == "confirm" ? "confirmed" : "declined",
        json::array{{{"user_id", after.i64("user_id")},
                     {"kind", "volunteer.reviewed"},
                     {"text", confirm ? "volunteer.notice.confirmed" : "volunteer.notice.declined"},
                     {"params", params},
                     {"subject_type", "volunteer"},
                     {"subject_id", id}}});
    return volunteer_view(tx, p, after);
  });
}

// ---- teams ----

api::Listed Volunteers::teams(const api::Principal& p, std::optional<std::int64_t> place_id,
                              const api::Page& page, Lang) const {
  return db_.read([&](Tx& tx) {
    api::ListQuery l("volunteer_teams t JOIN orgs o ON o.id = t.org_id");
    auto reach = places::reach_clause(p, "team.read", "t.path", "");
    reach.or_else(
        "t.id IN (SELECT m.team_id FROM team_members m JOIN volunteers v ON v.id = "
        "m.volunteer_id WHERE v.user_id = ?)",
        {p.user_id});
    l.where(reach.sql, reach.values);
    if (place_id) {
      auto pl = store::place(tx, *place_id);
      if (!pl) throw bad_request("request.bad_query", "place_id");
      // At the place, over it or under it.
      l.where("(t.path LIKE ? OR ? LIKE t.path || '%')", {pl->str("path") + "%", pl->str("path")});
    }
    l.sort({{"id", "t.id"}}, std::nullopt, "id").page(page);
    auto found = l.rows(tx, "t.id");
    json::array items;
    for (const auto& r : found.rows)
      items.push_back(team_view(tx, p, *store::team(tx, r.i64("id")), false));
    return api::Listed{std::move(items), found.total};
  });
}

json::object Volunteers::create_team(const api::Principal& p, const api::Actor& actor,
                                     const std::string& body, Lang) const {
  JsonInput in(body, {"org_id", "place_id", "service", "places", "leader_id"});
  auto org_id = in.i64("org_id");
  auto place_id = in.i64("place_id");
  auto service = in.str("service", 30);
  auto served = in.opt_id_array("places", 50).value_or(std::vector<std::int64_t>{});
  auto leader_id = in.opt_i64("leader_id");
  if (!has_key(team_services(), service)) throw unprocessable("team.bad_service", "service");
  return db_.write([&](Tx& tx) {
    auto pl = store::place(tx, place_id);
    if (!pl) throw unprocessable("team.bad_place", "place_id");
    api::require_in_scope(p, "volunteer.manage", pl->str("path"));
    auto o = store::org(tx, org_id);
    if (!o || o->str("kind") != "volunteer_team" || store::team_of_org(tx, org_id))
      throw unprocessable("team.bad_org", "org_id");
    served_places(tx, *pl, served);
    std::optional<Row> leader;
    if (leader_id) leader = confirmed_volunteer(tx, *leader_id, "team.bad_leader", "leader_id");
    Millis now = now_ms();
    auto id = tx.query_one(
                    "INSERT INTO volunteer_teams (org_id, place_id, path, service, places, "
                    "leader_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) "
                    "RETURNING id",
                    org_id, place_id, pl->str("path"), service, ids_json(served), leader_id, now)
                  ->i64("id");
    if (leader_id) store::add_member(tx, id, *leader_id, now);
    audit::append(tx, actor,
                  {"team.create", "team", std::to_string(id), std::nullopt,
                   json::serialize(json::object{{"org_id", org_id}, {"service", service}})});
    return team_view(tx, p, *store::team(tx, id), true);
  });
}

json::object Volunteers::team(const api::Principal& p, std::int64_t id, Lang) const {
  return db_.read([&](Tx& tx) { return team_view(tx, p, load_team(tx, p, id), true); });
}

json::object Volunteers::update_team(const api::Principal& p, const api::Actor& actor,
                                     std::int64_t id, const std::string& body, Lang) const {
  JsonInput in(body, {"service", "places", "leader_id"});
  auto service = in.opt_str("service", 30);
  auto served = in.opt_id_array("places", 50);
  auto leader_id = in.opt_i64("leader_id");
  if (service && !has_key(team_services(), *service))
    throw unprocessable("team.bad_service", "service");
  return db_.write([&](Tx& tx) {
    Row t = load_team(tx, p, id);
    api::require_in_scope(p, "volunteer.manage", t.str("path"));
    Millis now = now_ms();
    if (service) tx.exec("UPDATE volunteer_teams SET service = $2 WHERE id = $1", id, *service);
    if (served) {
      auto home = store::place(tx, t.i64("place_id"));
      if (!home) throw unprocessable("team.bad_place", "place_id");
      served_places(tx, *home, *served);
      tx.exec("UPDATE volunteer_teams SET places = $2 WHERE id = $1", id, ids_json(*served));
    }
    if (leader_id) {
      confirmed_volunteer(tx, *leader_id, "team.bad_leader", "leader_id");
      tx.exec("UPDATE volunteer_teams SET leader_id = $2 WHERE id = $1", id, *leader_id);
      store::add_member(tx, id, *leader_id, now);
    }
    tx.exec("UPDATE volunteer_teams SET updated_at = $2 WHERE id = $1", id, now);
    audit::append(tx, actor, {"team.update", "team", std::to_string(id), std::nullopt, body});
    return team_view(tx, p, *store::team(tx, id), true);
  });
}

json::object Volunteers::add_member(const api::Principal& p, const api::Actor& actor,
                                    std::int64_t id, const std::string& body, Lang) const {
  JsonInput in(body, {"volunteer_id"});
  auto volunteer_id = in.i64("volunteer_id");
  return db_.write([&](Tx& tx) {
    Row t = load_team(tx, p, id);
    if (!leads(p, t)) api::require_in_scope(p, "volunteer.manage", t.str("path"));
    Row v = confirmed_volunteer(tx, volunteer_id, "team.bad_member", "volunteer_id");
    if (!store::add_member(tx, id, volunteer_id, now_ms())) throw conflict("team.member_exists");
    audit::append(tx, actor,
                  {"team.member_add", "team", std::to_string(id), std::nullopt,
                   json::serialize(json::object{{"volunteer_id", volunteer_id}})});
    changed(tx, events_, actor, v, "joined",
            json::array{{{"user_id", v.i64("user_id")},
                         {"kind", "team.joined"},
                         {"text", "team.notice.joined"},
                         {"params", {{"team", t.str("name")}}},
                         {"subject_type", "team"},
                         {"subject_id", id}}});
    return team_view(tx, p, *store::team(tx, id), true);
  });
}

json::object Volunteers::remove_member(const api::Principal& p, const api::Actor& actor,
                                       std::int64_t id, std::int64_t volunteer_id, Lang) const {
  return db_.write([&](Tx& tx) {
    Row t = load_team(tx, p, id);
    auto v = store::volunteer(tx, volunteer_id);
    bool self = v && v->i64("user_id") == p.user_id;
    if (!self && !leads(p, t)) api::require_in_scope(p, "volunteer.manage", t.str("path"));
    if (t.opt_i64("leader_id") == volunteer_id) throw conflict("team.leader_stays");
    if (!store::remove_member(tx, id, volunteer_id)) throw not_found("team.not_member");
    audit::append(tx, actor,
                  {"team.member_remove", "team", std::to_string(id), std::nullopt,
                   json::serialize(json::object{{"volunteer_id", volunteer_id}})});
    return team_view(tx, p, *store::team(tx, id), true);
  });
}

// ---- 双报到 ----

namespace {
json::object branch_view(const Row& b) {
  return {{"id", b.i64("id")},
          {"org", {{"id", b.i64("org_id")}, {"name", b.str("org_name")}}},
          {"community", {{"id", b.i64("community_id")}, {"name", b.str("community_name")}}},
          {"name", b.str("name")},
          {"secretary", nullable(b.opt_str("secretary"))},
          {"members", b.i64("members")},
          {"registered_at", iso8601(b.i64("created_at"))}};
}

// Staff in scope, and the contacts of the branch's partner; for the list
// (`listed`), also whoever reaches its community, so that a Party member
// names their branch when registering.
api::Clause branch_scope(const api::Principal& p, bool listed = false) {
  api::Clause c{"b.org_id IN (SELECT org_id FROM org_contacts WHERE user_id = ?)", {p.user_id}};
  if (listed && p.has_permission("activity.join")) {
    auto reach = places::reach_clause(p, "activity.join", "b.path", "");
    c.or_else(reach.sql, reach.values);
  }
  if (p.has_permission("volunteer.read")) {
    auto s = api::scope_clause(p, "volunteer.read", {"b.path"});
    c.or_else(s.sql, s.values);
  }
  return c;
}
}  // namespace

json::object Volunteers::register_branch(const api::Principal& p, const api::Actor& actor,
                                         const std::string& body, Lang) const {
  JsonInput in(body, {"org_id", "community_id", "name", "secretary"});
  auto org_id = in.i64("org_id");
  auto community_id = in.i64("community_id");
  auto name = in.str("name", 60);
  if (name.empty()) throw unprocessable("request.missing_field", "name");
  auto secretary = in.opt_str("secretary", 30);
  return db_.write([&](Tx& tx) {
    auto o = store::org(tx, org_id);
    if (!o) throw unprocessable("branch.bad_org", "org_id");
    auto c = store::place(tx, community_id);
    if (!c || c->str("kind") != "community")
      throw unprocessable("branch.bad_community", "community_id");
    // The partner's own administrator, or the community's staff.
    if (!(p.has_permission("branch.register") && store::org_contact(tx, org_id, p.user_id)))
      api::require_in_scope(p, "volunteer.manage", c->str("path"));
    auto r = tx.query_one(
        "INSERT INTO party_branches (org_id, community_id, path, name, secretary, registered_by, "
        "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (org_id, community_id) DO "
        "NOTHING RETURNING id",
        org_id, community_id, c->str("path"), name, secretary, p.user_id, now_ms());
    if (!r) throw conflict("branch.exists");
    audit::append(
        tx, actor,
        {"branch.register", "party_branch", std::to_string(r->i64("id")), std::nullopt,
         json::serialize(json::object{{"org_id", org_id}, {"community_id", community_id}})});
    return branch_view(*store::branch(tx, r->i64("id")));
  });
}

api::Listed Volunteers::branches(const api::Principal& p, const api::Page& page, Lang) const {
  return db_.read([&](Tx& tx) {
    api::ListQuery l("party_branches b");
    auto scope = branch_scope(p, true);
    l.where(scope.sql, scope.values).sort({{"id", "b.id"}}, std::nullopt, "id").page(page);
    auto found = l.rows(tx, "b.id");
    json::array items;
    for (const auto& r : found.rows) items.push_back(branch_view(*store::branch(tx, r.i64("id"))));
    return api::Listed{std::move(items), found.total};
  });
}

api::Listed Volunteers::branch_report(const api::Principal& p, const std::string& month,
                                      const api::Page& page, Lang) const {
  auto first = parse_beijing_date(month + "-01");
  if (month.size() != 7 || !first) throw bad_request("request.bad_query", "month");
  Millis from = *first;
  Millis to = beijing_month_start(from + 32 * kDay);
  return db_.read([&](Tx& tx) {
    api::ListQuery l(
        "party_branches b JOIN orgs o ON o.id = b.org_id JOIN places c ON c.id = "
        "b.community_id");
    auto scope = branch_scope(p);
    l.where(scope.sql, scope.values).sort({{"id", "b.id"}}, std::nullopt, "id").page(page);
    // What the branch's members did in the month, by the occurrences' start.
    std::string served =
        "FROM activity_signups s JOIN activity_occurrences oc ON oc.id = s.occurrence_id JOIN "
        "volunteers v ON v.id = s.volunteer_id WHERE v.branch_id = b.id AND s.confirmed_minutes > "
        "0 AND oc.starts_at >= " +
        std::to_string(from) + " AND oc.starts_at < " + std::to_string(to);
    auto found =
        l.rows(tx,
               "b.id, b.name, o.name AS org_name, c.name AS community_name, (SELECT COUNT(*) FROM "
               "volunteers v WHERE v.branch_id = b.id AND v.status = 'confirmed') AS members, "
               "(SELECT COUNT(DISTINCT s.volunteer_id) " +
                   served +
                   ") AS serving, "
                   "(SELECT COUNT(DISTINCT oc.activity_id) " +
                   served +
                   ") AS activities, "
                   "(SELECT COALESCE(SUM(s.confirmed_minutes), 0) " +
                   served + ") AS minutes");
    json::array items;
    for (const auto& r : found.rows)
      items.push_back({{"id", r.i64("id")},
                       {"name", r.str("name")},
                       {"org", r.str("org_name")},
                       {"community", r.str("community_name")},
                       {"members", r.i64("members")},
                       {"serving", r.i64("serving")},
                       {"activities", r.i64("activities")},
                       {"minutes", r.i64("minutes")}});
    return api::Listed{std::move(items), found.total};
  });
}

}  // namespace xh::volunteers
