// Home services (上门服务, VOL-4): see care.h.
#include <boost/json.hpp>

#include "api/scope.h"
#include "audit/audit.h"
#include "core/error.h"
#include "core/json_input.h"
#include "core/json_output.h"
#include "schedule/schedule.h"
#include "volunteers/care.h"
#include "volunteers/care_store.h"
#include "volunteers/rules.h"
#include "volunteers/store.h"
#include "workorders/subject_photos.h"

namespace xh::volunteers {

namespace json = boost::json;
using storage::Row;
using storage::Tx;

namespace {

bool staff_of(const api::Principal& p, const Row& s) {
  return api::in_scope(p, "homeservice.manage", s.str("path"));
}

// The assigned volunteer, or a member of the assigned team.
bool serves(Tx& tx, const api::Principal& p, const Row& s) {
  if (s.opt_i64("volunteer_user_id") == p.user_id) return true;
  auto team = s.opt_i64("team_id");
  if (!team) return false;
  auto v = store::volunteer_of_user(tx, p.user_id);
  return v && store::is_member(tx, *team, v->i64("id"));
}

bool household(Tx& tx, const api::Principal& p, const Row& s) {
  return store::lives_in(tx, p.user_id, s.i64("household_id"));
}

// A steward of the resident's building.
bool stewards(Tx& tx, const api::Principal& p, const Row& s) {
  return tx
      .query_one(
          "SELECT 1 FROM stewards st JOIN places b ON b.id = st.building_id WHERE st.user_id = $1 "
          "AND $2 LIKE b.path || '%'",
          p.user_id, s.str("path"))
      .has_value();
}

Row load(Tx& tx, const api::Principal& p, std::int64_t id) {
  auto s = store::service(tx, id);
  if (!s || !(staff_of(p, *s) || serves(tx, p, *s) || household(tx, p, *s) ||
              s->i64("requested_by") == p.user_id || stewards(tx, p, *s)))
    throw not_found("homeservice.not_found");
  return *s;
}

// What the caller sees: the visit's needs (name, address, the need) to those
// who serve it; the care tags never.
json::object view(Tx& tx, const api::Principal& p, const Row& s) {
  std::string status = s.str("status");
  json::value team = nullptr, volunteer = nullptr, rating = nullptr;
  if (auto t = s.opt_i64("team_id")) team = json::object{{"id", *t}, {"name", s.str("team_name")}};
  if (auto v = s.opt_i64("volunteer_id"))
    volunteer = json::object{{"id", *v}, {"name", s.str("volunteer_name")}};
  if (auto r = s.opt_i64("rating")) rating = *r;
  bool staff = staff_of(p, s), mine = household(tx, p, s);
  bool server = serves(tx, p, s);
  return {{"id", s.i64("id")},
          {"kind", s.str("kind")},
          {"need", s.str("need")},
          {"status", status},
          {"resident", s.str("resident_name")},
          {"address", store::address_of(tx, s.i64("household_id"))},
          {"team", std::move(team)},
          {"volunteer", std::move(volunteer)},
          {"planned", s.opt_i64("plan_id").has_value()},
          {"due_at", nullable_time(s.opt_i64("due_at"))},
          {"overdue", s.opt_i64("alerted_at").has_value() && status == "assigned"},
          {"done_at", nullable_time(s.opt_i64("done_at"))},
          {"note", nullable(s.opt_str("note"))},
          {"photos", workorders::photos_json(s.str("photos"))},
          {"rating", std::move(rating)},
          {"rating_comment", nullable(s.opt_str("rating_comment"))},
          {"created_at", iso8601(s.i64("created_at"))},
          {"may_assign", staff && (status == "requested" || status == "assigned")},
          {"may_done", server && status == "assigned"},
          {"may_rate", (staff || mine) && status == "done" && !s.opt_i64("rating")},
          {"may_cancel", (staff || s.i64("requested_by") == p.user_id) &&
                             (status == "requested" || status == "assigned")}};
}

void changed(Tx& tx, const api::EventBus& events, const api::Actor& actor, const Row& s,
             const char* what, json::array notify = {}) {
  json::object data{{"what", what}};
  if (!notify.empty()) data["notify"] = std::move(notify);
  events.emit(tx, {"homeservice.changed", "home_service", s.i64("id"), actor, s.str("path"),
                   std::nullopt, std::move(data)});
}

json::object notice(std::int64_t user, const char* kind, const char* text, json::object params,
                    std::int64_t id) {
  return {{"user_id", user},
          {"kind", kind},
          {"text", text},
          {"params", std::move(params)},
          {"subject_type", "home_service"},
          {"subject_id", id}};
}

// Those who serve it: the volunteer, or the team's leader and members.
json::array tell_servers(Tx& tx, const Row& s, const char* kind, const char* text) {
  json::array out;
  json::object params{{"kind", json::object{{"label", "homeservice.kind"}, {"key", s.str("kind")}}},
                      {"address", store::address_of(tx, s.i64("household_id"))}};
  if (auto u = s.opt_i64("volunteer_user_id"))
    out.push_back(notice(*u, kind, text, params, s.i64("id")));
  if (auto t = s.opt_i64("team_id"))
    for (const auto& m :
         tx.query("SELECT v.user_id FROM team_members m JOIN volunteers v ON v.id = m.volunteer_id "
                  "WHERE m.team_id = $1",
                  *t))
      out.push_back(notice(m.i64("user_id"), kind, text, params, s.i64("id")));
  return out;
}

struct Assignee {
  std::optional<std::int64_t> team_id, volunteer_id;
};

// One team serving the household's place, or one confirmed volunteer of a
// community on its line: only they learn the resident's name and address.
Assignee assignee(Tx& tx, const JsonInput& in, const std::string& household_path) {
  Assignee a{in.opt_i64("team_id"), in.opt_i64("volunteer_id")};
  if (a.team_id.has_value() == a.volunteer_id.has_value())
    throw unprocessable("homeservice.bad_assignee", "team_id");
  if (a.team_id) {
    auto t = store::team(tx, *a.team_id);
    bool serves_it = t && household_path.rfind(t->str("path"), 0) == 0;
    if (t && !serves_it) {
      auto ids = json::parse(t->str("places"));
      for (const auto& x : ids.as_array())
        if (auto sp = store::place(tx, x.as_int64()))
          serves_it = serves_it || household_path.rfind(sp->str("path"), 0) == 0;
    }
    if (!serves_it) throw unprocessable("homeservice.bad_assignee", "team_id");
  }
  if (a.volunteer_id) {
    auto v = store::volunteer(tx, *a.volunteer_id);
    if (!v || v->str("status") != "confirmed" || household_path.rfind(v->str("path"), 0) != 0)
      throw unprocessable("homeservice.bad_assignee", "volunteer_id");
  }
  return a;
}

void audit_service(Tx& tx, const api::Actor& actor, const char* action, std::int64_t id,
                   json::object detail = {}) {
  audit::append(
      tx, actor,
      {action, "home_service", std::to_string(id), std::nullopt, json::serialize(detail)});
}

}  // namespace

void require_home_service(Tx& tx, const api::Principal& p, std::int64_t id) { load(tx, p, id); }

std::int64_t services_waiting(Tx& tx, const api::Principal& p, std::int64_t* overdue) {
  *overdue = 0;
  if (!p.has_permission("homeservice.manage")) return 0;
  std::vector<storage::Param> params;
  std::string scope = api::scope_condition(p, "homeservice.manage", {"path"}, params);
  auto r = tx.query_one_v(
      "SELECT SUM(CASE WHEN status = 'requested' THEN 1 ELSE 0 END) AS waiting, SUM(CASE WHEN "
      "alerted_at IS NOT NULL AND status = 'assigned' THEN 1 ELSE 0 END) AS overdue FROM "
      "home_services WHERE " +
          scope,
      params);
  *overdue = r->opt_i64("overdue").value_or(0);
  return r->opt_i64("waiting").value_or(0) + *overdue;
}

void make_planned_visit(Tx& tx, const api::EventBus& events, std::int64_t plan_id, Millis now) {
  auto plan = store::plan(tx, plan_id);
  if (!plan || !plan->flag("active") || plan->i64("next_at") > now) return;
  auto household = store::household_of(tx, plan->i64("resident_id"));
  if (!household) return;  // moved away or deceased: the plan lapses
  Millis at = plan->i64("next_at");
  auto id = store::insert_service(tx, plan->i64("resident_id"), *household, plan->str("kind"),
                                  plan->str("need"), plan->i64("created_by"), plan_id,
                                  plan->opt_i64("team_id"), plan->opt_i64("volunteer_id"),
                                  at + kVisitGrace, now);
  schedule::add(tx, "homeservice.overdue", id, at + kVisitGrace);
  Millis next = at + plan->i64("every_days") * kDay;
  tx.exec("UPDATE home_visit_plans SET next_at = $2 WHERE id = $1", plan_id, next);
  schedule::add(tx, "homeservice.visit", plan_id, next);
  Row s = *store::service(tx, id);
  changed(tx, events, api::Actor::system(), s, "planned",
          tell_servers(tx, s, "homeservice.assigned", "homeservice.notice.assigned"));
}

void visit_overdue(Tx& tx, const api::EventBus& events, std::int64_t id, Millis now) {
  auto s = store::service(tx, id);
  if (!s || s->str("status") != "assigned" || s->opt_i64("alerted_at") ||
      s->opt_i64("due_at").value_or(now + 1) > now)
    return;
  tx.exec("UPDATE home_services SET alerted_at = $2 WHERE id = $1", id, now);
  json::array notify;
  // The community's own staff are alerted.
  for (auto u :
       api::holders(tx, "homeservice.manage", s->str("path"), api::community_path(s->str("path"))))
    notify.push_back(notice(u, "homeservice.missed", "homeservice.notice.missed",
                            {{"resident", s->str("resident_name")},
                             {"address", store::address_of(tx, s->i64("household_id"))}},
                            id));
  auto system = api::Actor::system();
  audit_service(tx, system, "homeservice.missed", id);
  changed(tx, events, system, *s, "missed", std::move(notify));
}

json::object HomeServices::request(const api::Principal& p, const api::Actor& actor,
                                   const std::string& body, Lang) const {
  JsonInput in(body, {"resident_id", "kind", "need"});
  auto resident_id = in.opt_i64("resident_id");
  auto kind = in.str("kind", 20);
  auto need = in.str("need", 500);
  if (!has_key(home_service_kinds(), kind)) throw unprocessable("homeservice.bad_kind", "kind");
  if (need.empty()) throw unprocessable("request.missing_field", "need");
  return db_.write([&](Tx& tx) {
    auto resident = resident_id ? resident_id : store::resident_of_user(tx, p.user_id);
    if (!resident) throw unprocessable("homeservice.bad_resident", "resident_id");
    auto household = store::household_of(tx, *resident);
    if (!household) throw unprocessable("homeservice.bad_resident", "resident_id");
    // Oneself, one's household, or staff over it.
    if (!store::lives_in(tx, p.user_id, household->i64("id")))
      api::require_in_scope(p, "homeservice.manage", household->str("path"));
    if (!store::has_care_tag(tx, *resident))
      throw unprocessable("homeservice.not_eligible", "resident_id");
    auto id = store::insert_service(tx, *resident, *household, kind, need, p.user_id, std::nullopt,
                                    std::nullopt, std::nullopt, std::nullopt, now_ms());
    audit_service(tx, actor, "homeservice.request", id, {{"kind", kind}});
    Row s = *store::service(tx, id);
    json::array notify;
    for (auto u :
         api::holders(tx, "homeservice.manage", s.str("path"), api::community_path(s.str("path"))))
      if (u != p.user_id)
        notify.push_back(
            notice(u, "homeservice.requested", "homeservice.notice.requested",
                   {{"kind", json::object{{"label", "homeservice.kind"}, {"key", kind}}}}, id));
    changed(tx, events_, actor, s, "requested", std::move(notify));
    return view(tx, p, s);
  });
}

api::Listed HomeServices::list(const api::Principal& p, const std::optional<std::string>& status,
                               const api::Page& page, Lang) const {
  return db_.read([&](Tx& tx) {
    api::ListQuery l("home_services s");
    api::Clause seen{
        "s.requested_by = ? OR s.household_id IN (SELECT m.household_id FROM household_members m "
        "JOIN residents r ON r.id = m.resident_id WHERE r.user_id = ?) OR s.volunteer_id IN "
        "(SELECT id FROM volunteers WHERE user_id = ?) OR s.team_id IN (SELECT m.team_id FROM "
        "team_members m JOIN volunteers v ON v.id = m.volunteer_id WHERE v.user_id = ?)",
        {p.user_id, p.user_id, p.user_id, p.user_id}};
    if (p.has_permission("homeservice.manage")) {
      auto staff = api::scope_clause(p, "homeservice.manage", {"s.path"});
      seen.or_else(staff.sql, staff.values);
    }
    l.where(seen.sql, seen.values).where_if("s.status = ?", status);
    l.sort({{"id", "s.id"}}, std::nullopt, "-id").page(page);
    auto found = l.rows(tx, "s.id");
    json::array items;
    for (const auto& r : found.rows) items.push_back(view(tx, p, *store::service(tx, r.i64("id"))));
    return api::Listed{std::move(items), found.total};
  });
}

json::object HomeServices::get(const api::Principal& p, std::int64_t id, Lang) const {
  return db_.read([&](Tx& tx) { return view(tx, p, load(tx, p, id)); });
}

json::object HomeServices::assign(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                                  const std::string& body, Lang) const {
  JsonInput in(body, {"team_id", "volunteer_id"});
  return db_.write([&](Tx& tx) {
    Row s = load(tx, p, id);
    api::require_in_scope(p, "homeservice.manage", s.str("path"));
    Assignee a = assignee(tx, in, s.str("path"));
    if (tx.exec("UPDATE home_services SET status = 'assigned', team_id = $2, volunteer_id = $3, "
                "updated_at = $4 WHERE id = $1 AND status IN ('requested','assigned')",
                id, a.team_id, a.volunteer_id, now_ms()) == 0)
      throw conflict("homeservice.bad_status");
    audit_service(tx, actor, "homeservice.assign", id,
                  {{"team_id", nullable(a.team_id)}, {"volunteer_id", nullable(a.volunteer_id)}});
    Row after = *store::service(tx, id);
    changed(tx, events_, actor, after, "assigned",
            tell_servers(tx, after, "homeservice.assigned", "homeservice.notice.assigned"));
    return view(tx, p, after);
  });
}

json::object HomeServices::done(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                                const std::string& body, Lang) const {
  JsonInput in(body, {"note", "photos"});
  auto note = in.opt_str("note", 500);
  auto photos = in.opt_str_array("photos", 9, 64).value_or(std::vector<std::string>{});
  if ((!note || note->empty()) && photos.empty())
    throw unprocessable("homeservice.evidence_required", "note");
  return db_.write([&](Tx& tx) {
    Row s = load(tx, p, id);
    if (!serves(tx, p, s)) throw forbidden("homeservice.not_assigned");
    workorders::attach_to_subject(tx, photos, p.user_id, "home_service", id);
    Millis now = now_ms();
    if (tx.exec("UPDATE home_services SET status = 'done', done_by = $2, done_at = $3, note = $4, "
                "photos = $5, updated_at = $3 WHERE id = $1 AND status = 'assigned'",
                id, p.user_id, now, note, workorders::photo_ids_json(photos)) == 0)
      throw conflict("homeservice.bad_status");
    audit_service(tx, actor, "homeservice.done", id);
    changed(tx, events_, actor, s, "done");
    return view(tx, p, *store::service(tx, id));
  });
}

json::object HomeServices::rate(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                                const std::string& body, Lang) const {
  JsonInput in(body, {"rating", "comment"});
  auto rating = in.i64("rating");
  auto comment = in.opt_str("comment", 300);
  if (rating < 1 || rating > 5) throw unprocessable("homeservice.bad_rating", "rating");
  return db_.write([&](Tx& tx) {
    Row s = load(tx, p, id);
    if (!household(tx, p, s)) api::require_in_scope(p, "homeservice.manage", s.str("path"));
    if (tx.exec("UPDATE home_services SET rating = $2, rating_comment = $3, rated_by = $4, "
                "updated_at = $5 WHERE id = $1 AND status = 'done' AND rating IS NULL",
                id, rating, comment, p.user_id, now_ms()) == 0)
      throw conflict("homeservice.bad_status");
    audit_service(tx, actor, "homeservice.rate", id, {{"rating", rating}});
    changed(tx, events_, actor, s, "rated");
    return view(tx, p, *store::service(tx, id));
  });
}

json::object HomeServices::cancel(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                                  const std::string& body, Lang) const {
  JsonInput in(body, {"reason"});
  auto reason = in.str("reason", 200);
  if (reason.empty()) throw unprocessable("homeservice.reason_required", "reason");
  return db_.write([&](Tx& tx) {
    Row s = load(tx, p, id);
    if (s.i64("requested_by") != p.user_id)
      api::require_in_scope(p, "homeservice.manage", s.str("path"));
    if (tx.exec("UPDATE home_services SET status = 'cancelled', note = $2, updated_at = $3 WHERE "
                "id = $1 AND status IN ('requested','assigned')",
                id, reason, now_ms()) == 0)
      throw conflict("homeservice.bad_status");
    audit_service(tx, actor, "homeservice.cancel", id, {{"reason", reason}});
    changed(tx, events_, actor, s, "cancelled",
            tell_servers(tx, s, "homeservice.assigned", "homeservice.notice.cancelled"));
    return view(tx, p, *store::service(tx, id));
  });
}

json::object HomeServices::plan(const api::Principal& p, const api::Actor& actor,
                                const std::string& body, Lang) const {
  JsonInput in(
      body, {"resident_id", "kind", "need", "team_id", "volunteer_id", "every_days", "first_at"});
  auto resident_id = in.i64("resident_id");
  auto kind = in.str("kind", 20);
  auto need = in.str("need", 500);
  auto every = in.i64("every_days");
  auto first = parse_w3c(in.str("first_at", 40));
  if (!has_key(home_service_kinds(), kind)) throw unprocessable("homeservice.bad_kind", "kind");
  if (need.empty()) throw unprocessable("request.missing_field", "need");
  if (every < 1 || every > 90) throw unprocessable("homeservice.bad_every", "every_days");
  if (!first) throw unprocessable("request.invalid_field", "first_at");
  return db_.write([&](Tx& tx) {
    auto household = store::household_of(tx, resident_id);
    if (!household) throw unprocessable("homeservice.bad_resident", "resident_id");
    api::require_in_scope(p, "homeservice.manage", household->str("path"));
    if (!store::has_care_tag(tx, resident_id))
      throw unprocessable("homeservice.not_eligible", "resident_id");
    Assignee a = assignee(tx, in, household->str("path"));
    Millis now = now_ms();
    auto id = tx.query_one(
                    "INSERT INTO home_visit_plans (resident_id, household_id, path, kind, need, "
                    "team_id, volunteer_id, every_days, next_at, created_by, created_at) VALUES "
                    "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
                    resident_id, household->i64("id"), household->str("path"), kind, need,
                    a.team_id, a.volunteer_id, every, *first, p.user_id, now)
                  ->i64("id");
    schedule::add(tx, "homeservice.visit", id, *first);
    audit::append(
        tx, actor,
        {"homeservice.plan", "home_visit_plan", std::to_string(id), std::nullopt,
         json::serialize(json::object{{"resident_id", resident_id}, {"every_days", every}})});
    return json::object{{"id", id},
                        {"resident", *store::resident_name(tx, resident_id)},
                        {"kind", kind},
                        {"need", need},
                        {"every_days", every},
                        {"next_at", iso8601(*first)}};
  });
}

json::object HomeServices::plans(const api::Principal& p, Lang) const {
  return db_.read([&](Tx& tx) {
    std::vector<storage::Param> params;
    std::string scope = api::scope_condition(p, "homeservice.manage", {"pl.path"}, params);
    json::array items;
    for (const auto& r : tx.query_v(
             "SELECT pl.*, r.name AS resident FROM home_visit_plans pl JOIN residents r ON r.id = "
             "pl.resident_id WHERE pl.active = 1 AND " +
                 scope + " ORDER BY pl.id",
             params))
      items.push_back({{"id", r.i64("id")},
                       {"resident", r.str("resident")},
                       {"kind", r.str("kind")},
                       {"need", r.str("need")},
                       {"every_days", r.i64("every_days")},
                       {"next_at", iso8601(r.i64("next_at"))}});
    return json::object{{"items", std::move(items)}};
  });
}

}  // namespace xh::volunteers
