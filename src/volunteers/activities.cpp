#include "volunteers/activities.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cstdio>

#include "api/list.h"
#include "api/scope.h"
#include "audit/audit.h"
#include "core/error.h"
#include "core/json_input.h"
#include "core/json_output.h"
#include "places/reach.h"
#include "volunteers/recurrence.h"
#include "volunteers/rules.h"
#include "volunteers/store.h"

namespace xh::volunteers {

namespace json = boost::json;
using storage::Row;
using storage::Tx;

namespace {

// ---- what an activity is and who may do what ----------------------------------

Schedule schedule_of(const Row& a) {
  Schedule s;
  s.first_date = a.str("first_date");
  auto times = json::parse(a.str("times"));
  for (const auto& t : times.as_array()) s.times.emplace_back(t.as_string());
  s.duration_minutes = static_cast<int>(a.i64("duration_minutes"));
  s.rrule = a.opt_str("rrule");
  auto ex = json::parse(a.str("exdates"));
  for (const auto& e : ex.as_array()) s.exdates.push_back(e.as_int64());
  return s;
}

bool on_line(const std::string& a, const std::string& b) {
  return a.rfind(b, 0) == 0 || b.rfind(a, 0) == 0;
}

std::optional<Row> my_volunteer(Tx& tx, const api::Principal& p) {
  return store::volunteer_of_user(tx, p.user_id);
}

bool manages(const api::Principal& p, const Row& a) {
  auto leader = a.opt_i64("leader_user_id");
  return (leader && *leader == p.user_id) ||
         api::in_scope(p, "volunteer.manage", a.str("team_path")) ||
         api::in_scope(p, "volunteer.manage", a.str("path"));
}

bool member_of(Tx& tx, const std::optional<Row>& v, std::int64_t team_id) {
  return v && store::is_member(tx, team_id, v->i64("id"));
}

bool may_join(Tx& tx, const std::optional<Row>& v, const Row& a) {
  if (!v || v->str("status") != "confirmed") return false;
  return member_of(tx, v, a.i64("team_id")) ||
         (a.flag("open_to_all") && on_line(v->str("path"), a.str("path")));
}

bool sees(Tx& tx, const api::Principal& p, const Row& a) {
  if (manages(p, a) || api::in_scope(p, "volunteer.read", a.str("path"))) return true;
  auto v = my_volunteer(tx, p);
  if (member_of(tx, v, a.i64("team_id"))) return true;
  if (!a.flag("open_to_all")) return false;
  return (v && on_line(v->str("path"), a.str("path"))) ||
         places::reaches(tx, p, "activity.join", a.str("path"), a.opt_str("grid_path"));
}

Row load(Tx& tx, const api::Principal& p, std::int64_t id) {
  auto a = store::activity(tx, id);
  if (!a || !sees(tx, p, *a)) throw not_found("activity.not_found");
  return *a;
}

Row load_occurrence(Tx& tx, const api::Principal& p, std::int64_t id) {
  auto o = store::occurrence(tx, id);
  if (!o || !sees(tx, p, *o)) throw not_found("activity.occurrence_not_found");
  return *o;
}

Row managed_occurrence(Tx& tx, const api::Principal& p, std::int64_t id) {
  Row o = load_occurrence(tx, p, id);
  if (!manages(p, o)) throw forbidden("activity.not_leader");
  return o;
}

// A sign-up and its occurrence, managed by the caller (the leader or staff).
std::pair<Row, Row> managed_signup(Tx& tx, const api::Principal& p, std::int64_t signup_id) {
  auto s = store::signup(tx, signup_id);
  if (!s) throw not_found("activity.signup_not_found");
  return {*s, managed_occurrence(tx, p, s->i64("occurrence_id"))};
}

// ---- rotating codes ----------------------------------------------------------

std::string rotating_code(const std::string& secret, Millis at) {
  auto digest = sha256_hex(secret + ":" + std::to_string(at / kCodeWindow));
  char code[8];
  std::snprintf(code, sizeof code, "%06llu",
                std::stoull(digest.substr(0, 12), nullptr, 16) % 1000000ULL);
  return code;
}

bool code_matches(const std::string& secret, const std::string& code, Millis now) {
  return equal_ct(code, rotating_code(secret, now)) ||
         equal_ct(code, rotating_code(secret, now - kCodeWindow));
}

Millis changes_at(Millis now) { return (now / kCodeWindow + 1) * kCodeWindow; }

// ---- windows ---------------------------------------------------------------------

struct Windows {
  Millis in_from, in_to, out_from, out_to;
};

Windows windows_of(const Row& o) {
  Millis w = o.i64("window_minutes") * kMinute;
  Millis start = o.i64("starts_at"), end = o.i64("occ_ends_at");
  return {start - w, start + w, end - w, end + w};
}

// ---- views -----------------------------------------------------------------------

json::value place_ref(const Row& a) {
  return json::object{{"id", a.i64("place_id")}, {"name", a.str("place_name")}};
}

json::object my_view(Tx& tx, const Row& s) {
  json::value pos = nullptr;
  if (s.str("status") == "waiting") pos = store::position(tx, s);
  json::value minutes = nullptr, confirmed = nullptr;
  if (auto m = s.opt_i64("minutes")) minutes = *m;
  if (auto m = s.opt_i64("confirmed_minutes")) confirmed = *m;
  return {{"id", s.i64("id")},
          {"status", s.str("status")},
          {"position", pos},
          {"checked_in_at", nullable_time(s.opt_i64("checked_in_at"))},
          {"checked_out_at", nullable_time(s.opt_i64("checked_out_at"))},
          {"minutes", minutes},
          {"confirmed_minutes", confirmed}};
}

json::object signup_view(Tx& tx, const Row& s) {
  json::object out = my_view(tx, s);
  out["volunteer_id"] = s.i64("volunteer_id");
  out["name"] = s.str("name");
  out["closed_by_leader"] = s.flag("closed_by_leader");
  out["confirm_reason"] = nullable(s.opt_str("confirm_reason"));
  out["confirmed_at"] = nullable_time(s.opt_i64("confirmed_at"));
  return out;
}

bool excepted(const Schedule& s, Millis start) {
  return std::find(s.exdates.begin(), s.exdates.end(), start) != s.exdates.end();
}

// One occurrence of activity `a` at `start`, as the caller's list shows it.
json::object occurrence_summary(Tx& tx, const Row& a, Millis start,
                                const std::optional<Row>& volunteer) {
  Schedule sched = schedule_of(a);
  auto occ = store::occurrence_of(tx, a.i64("id"), start);
  json::value occ_id = nullptr, my = nullptr;
  std::int64_t signed_count = 0, waiting = 0, capacity = a.i64("capacity");
  bool cancelled = a.str("status") == "cancelled" || excepted(sched, start);
  if (occ) {
    occ_id = occ->i64("id");
    signed_count = occ->i64("signed");
    capacity = occ->i64("capacity");
    waiting = store::count_status(tx, occ->i64("id"), "waiting");
    cancelled = cancelled || occ->opt_i64("cancelled_at").has_value();
    if (volunteer)
      if (auto s = store::signup_of(tx, occ->i64("id"), volunteer->i64("id"))) my = my_view(tx, *s);
  }
  return {{"occurrence_id", occ_id},
          {"activity_id", a.i64("id")},
          {"title", a.str("title")},
          {"team", {{"id", a.i64("team_id")}, {"name", a.str("team_name")}}},
          {"place", place_ref(a)},
          {"address", nullable(a.opt_str("address"))},
          {"starts_at", iso8601(start)},
          {"ends_at", iso8601(start + a.i64("duration_minutes") * kMinute)},
          {"capacity", capacity},
          {"signed", signed_count},
          {"waiting", waiting},
          {"cancelled", cancelled},
          {"my", my}};
}

json::object activity_view(const Row& a, Millis now) {
  Schedule s = schedule_of(a);
  json::array times;
  for (const auto& t : s.times) times.push_back(json::string(t));
  json::value next = nullptr;
  auto ends = a.opt_i64("ends_at");
  if (a.str("status") == "active" && (!ends || *ends > now))
    if (auto start = next_start(s, now, 62 * kDay)) next = iso8601(*start);
  return {{"id", a.i64("id")},
          {"title", a.str("title")},
          {"team", {{"id", a.i64("team_id")}, {"name", a.str("team_name")}}},
          {"place", place_ref(a)},
          {"address", nullable(a.opt_str("address"))},
          {"first_date", s.first_date},
          {"times", std::move(times)},
          {"duration_minutes", a.i64("duration_minutes")},
          {"rrule", nullable(a.opt_str("rrule"))},
          {"capacity", a.i64("capacity")},
          {"open_to_all", a.flag("open_to_all")},
          {"status", a.str("status")},
          {"next_starts_at", next}};
}

json::object activity_detail(Tx& tx, const api::Principal& p, const Row& a) {
  Millis now = now_ms();
  json::object out = activity_view(a, now);
  Schedule s = schedule_of(a);
  out["description"] = a.str("description");
  out["cancel_cutoff_minutes"] = a.i64("cancel_cutoff_minutes");
  out["window_minutes"] = a.i64("window_minutes");
  json::array ex;
  for (auto e : s.exdates) ex.push_back(json::string(iso8601(e)));
  out["exdates"] = std::move(ex);
  out["ends_at"] = nullable_time(a.opt_i64("ends_at"));
  auto v = my_volunteer(tx, p);
  out["may_manage"] = manages(p, a);
  out["may_sign_up"] = a.str("status") == "active" && may_join(tx, v, a);
  json::array occ;
  if (a.str("status") == "active")
    for (Millis start : starts_between(s, now - s.duration_minutes * kMinute, now + 14 * kDay, 60))
      occ.push_back(occurrence_summary(tx, a, start, v));
  out["occurrences"] = std::move(occ);
  return out;
}

json::object occurrence_detail(Tx& tx, const api::Principal& p, const Row& o) {
  auto v = my_volunteer(tx, p);
  json::object out = occurrence_summary(tx, o, o.i64("starts_at"), v);
  Windows w = windows_of(o);
  out["checkin_opens_at"] = iso8601(w.in_from);
  out["checkin_closes_at"] = iso8601(w.in_to);
  out["checkout_opens_at"] = iso8601(w.out_from);
  out["checkout_closes_at"] = iso8601(w.out_to);
  bool manager = manages(p, o);
  out["may_manage"] = manager;
  json::array signups;
  if (manager)
    for (const auto& s : store::signups(tx, o.i64("occurrence_id")))
      signups.push_back(signup_view(tx, s));
  out["signups"] = std::move(signups);
  return out;
}

// ---- events ------------------------------------------------------------------------

json::object notice(std::int64_t user, const char* kind, const char* text, json::object params,
                    std::int64_t occurrence_id) {
  return {{"user_id", user},
          {"kind", kind},
          {"text", text},
          {"params", std::move(params)},
          {"subject_type", "activity_occurrence"},
          {"subject_id", occurrence_id}};
}

void occurrence_changed(Tx& tx, const api::EventBus& events, const api::Actor& actor,
                        std::int64_t occurrence_id, const std::string& path, const char* what,
                        json::array notify = {}) {
  json::object data{{"what", what}};
  if (!notify.empty()) data["notify"] = std::move(notify);
  events.emit(tx, {"activity.changed", "activity_occurrence", occurrence_id, actor, path,
                   std::nullopt, std::move(data)});
}

std::string when_text(Millis start) {
  auto w = w3c_beijing(start);
  return w.substr(0, 10) + " " + w.substr(11, 5);
}

// Tells those holding a place (or waiting) in an occurrence that it will not
// take place, and cancels their sign-ups.
void call_off(Tx& tx, const api::EventBus& events, const api::Actor& actor, const Row& a,
              std::int64_t occurrence_id, Millis start, const std::string& reason) {
  json::array notify;
  for (const auto& s : store::signups(tx, occurrence_id)) {
    if (s.str("status") == "cancelled" || s.opt_i64("checked_in_at")) continue;
    notify.push_back(
        notice(s.i64("user_id"), "activity.cancelled", "activity.notice.cancelled",
               {{"title", a.str("title")}, {"when", when_text(start)}, {"reason", reason}},
               occurrence_id));
  }
  tx.exec(
      "UPDATE activity_signups SET status = 'cancelled', updated_at = $2 WHERE occurrence_id = $1 "
      "AND status <> 'cancelled' AND checked_in_at IS NULL",
      occurrence_id, now_ms());
  tx.exec("UPDATE activity_occurrences SET cancelled_at = $2, signed = 0 WHERE id = $1",
          occurrence_id, now_ms());
  occurrence_changed(tx, events, actor, occurrence_id, a.str("path"), "cancelled",
                     std::move(notify));
}

// ---- input -------------------------------------------------------------------------

Millis time_field(const JsonInput& in, const char* field) {
  auto text = in.str(field, 40);
  auto at = parse_w3c(text);
  if (!at || text.size() <= 10) throw unprocessable("request.invalid_field", field);
  return *at;
}

int bounded(const JsonInput& in, const char* field, int fallback, int lo, int hi,
            const char* code) {
  auto v = in.opt_i64(field);
  if (!v) return fallback;
  if (*v < lo || *v > hi) throw unprocessable(code, field);
  return static_cast<int>(*v);
}

}  // namespace

// ---- the live topic and the to-do list ---------------------------------------------

void require_occurrence(Tx& tx, const api::Principal& p, std::int64_t id) {
  load_occurrence(tx, p, id);
}

std::int64_t hours_to_confirm(Tx& tx, const api::Principal& p) {
  std::vector<storage::Param> params{p.user_id};
  std::string staff = "0=1";
  if (p.has_permission("volunteer.manage"))
    staff = api::scope_condition(p, "volunteer.manage", {"a.path"}, params);
  return tx
      .query_one_v(
          "SELECT COUNT(*) AS n FROM activity_signups s JOIN activity_occurrences o ON o.id = "
          "s.occurrence_id JOIN activities a ON a.id = o.activity_id JOIN volunteer_teams t ON "
          "t.id = a.team_id LEFT JOIN volunteers l ON l.id = t.leader_id WHERE s.checked_out_at "
          "IS NOT NULL AND s.confirmed_at IS NULL AND (l.user_id = $1 OR " +
              staff + ")",
          params)
      ->i64("n");
}

// ---- activities ----------------------------------------------------------------------

json::object Activities::create(const api::Principal& p, const api::Actor& actor,
                                const std::string& body, Lang) const {
  JsonInput in(body, {"team_id", "title", "description", "place_id", "address", "first_date",
                      "times", "duration_minutes", "rrule", "capacity", "open_to_all",
                      "cancel_cutoff_minutes", "window_minutes"});
  auto team_id = in.i64("team_id");
  auto title = in.str("title", 60);
  if (title.empty()) throw unprocessable("request.missing_field", "title");
  auto description = in.opt_str("description", 2000).value_or("");
  auto place_id = in.i64("place_id");
  auto address = in.opt_str("address", 100);
  Schedule s;
  s.first_date = in.str("first_date", 10);
  s.times = in.opt_str_array("times", 6, 5).value_or(std::vector<std::string>{});
  s.duration_minutes = static_cast<int>(in.i64("duration_minutes"));
  s.rrule = normalise_rule(s.first_date, in.opt_str("rrule", 200));
  check_schedule(s);
  auto capacity = in.i64("capacity");
  if (capacity < 1 || capacity > kMaxCapacity)
    throw unprocessable("activity.bad_capacity", "capacity");
  bool open = in.opt_bool("open_to_all").value_or(false);
  int cutoff = bounded(in, "cancel_cutoff_minutes", kDefaultCutoffMinutes, 0, kMaxCutoffMinutes,
                       "activity.bad_setting");
  int window = bounded(in, "window_minutes", kDefaultWindowMinutes, kMinWindowMinutes,
                       kMaxWindowMinutes, "activity.bad_setting");
  json::array times;
  for (const auto& t : s.times) times.push_back(json::string(t));
  return db_.write([&](Tx& tx) {
    auto team = store::team(tx, team_id);
    if (!team) throw unprocessable("activity.bad_team", "team_id");
    auto leader = team->opt_i64("leader_user_id");
    if (!(leader && *leader == p.user_id))
      api::require_in_scope(p, "volunteer.manage", team->str("path"));
    // At the team's place or under it, or at or under a place it serves.
    auto pl = store::place(tx, place_id);
    bool served = pl && pl->str("path").rfind(team->str("path"), 0) == 0;
    if (pl && !served) {
      auto ids = json::parse(team->str("places"));
      for (const auto& x : ids.as_array())
        if (auto sp = store::place(tx, x.as_int64()))
          served = served || pl->str("path").rfind(sp->str("path"), 0) == 0;
    }
    if (!served) throw unprocessable("activity.bad_place", "place_id");
    Millis now = now_ms();
    auto id = tx.query_one(
                    "INSERT INTO activities (team_id, place_id, path, grid_path, title, "
                    "description, address, first_date, times, duration_minutes, rrule, capacity, "
                    "open_to_all, cancel_cutoff_minutes, window_minutes, status, ends_at, "
                    "created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
                    "$9, $10, $11, $12, $13, $14, $15, 'active', $16, $17, $18, $18) RETURNING id",
                    team_id, place_id, pl->str("path"), pl->opt_str("grid_path"), title,
                    description, address, s.first_date, json::serialize(times), s.duration_minutes,
                    s.rrule, capacity, open ? 1 : 0, cutoff, window, last_end(s), p.user_id, now)
                  ->i64("id");
    audit::append(
        tx, actor,
        {"activity.create", "activity", std::to_string(id), std::nullopt,
         json::serialize(json::object{
             {"team_id", team_id}, {"rrule", nullable(s.rrule)}, {"capacity", capacity}})});
    return activity_detail(tx, p, *store::activity(tx, id));
  });
}

api::Listed Activities::list(const api::Principal& p, const ActivityQuery& q, Lang) const {
  return db_.read([&](Tx& tx) {
    api::ListQuery l(
        "activities a JOIN volunteer_teams t ON t.id = a.team_id JOIN orgs o ON o.id = t.org_id "
        "JOIN places p ON p.id = a.place_id LEFT JOIN volunteers l ON l.id = t.leader_id");
    auto reach = places::reach_clause(p, "activity.join", "a.path", "a.grid_path");
    api::Clause seen{"(a.open_to_all = 1 AND (" + reach.sql + "))", reach.values};
    seen.or_else(
        "a.team_id IN (SELECT m.team_id FROM team_members m JOIN volunteers v ON v.id = "
        "m.volunteer_id WHERE v.user_id = ?)",
        {p.user_id});
    seen.or_else(
        "a.team_id IN (SELECT lt.id FROM volunteer_teams lt JOIN volunteers lv ON lv.id = "
        "lt.leader_id WHERE lv.user_id = ?)",
        {p.user_id});
    // Open activities at, over or under a confirmed volunteer's community.
    if (auto v = my_volunteer(tx, p); v && v->str("status") == "confirmed")
      seen.or_else("a.open_to_all = 1 AND (a.path >= ? AND a.path < ? OR ? LIKE a.path || '%')",
                   {v->str("path"), api::subtree_end(v->str("path")), v->str("path")});
    if (p.has_permission("volunteer.read")) {
      auto staff = api::scope_clause(p, "volunteer.read", {"a.path"});
      seen.or_else(staff.sql, staff.values);
    }
    l.where(seen.sql, seen.values).where_if("a.team_id = ?", q.team_id);
    if (q.place_id) {
      auto pl = store::place(tx, *q.place_id);
      if (!pl) throw bad_request("request.bad_query", "place_id");
      // At the place or under it (a range of the path index), or at a place
      // over it (its ancestors' paths, listed): both read through the index,
      // so the list of a community reads its own rows only.
      std::string path = pl->str("path");
      std::string over;
      std::vector<storage::Param> values{path, api::subtree_end(path)};
      for (std::size_t i = 1; i + 1 < path.size(); ++i)
        if (path[i] == '/') {
          over += over.empty() ? "?" : ", ?";
          values.emplace_back(path.substr(0, i + 1));
        }
      l.where("(a.path >= ? AND a.path < ?" + (over.empty() ? "" : " OR a.path IN (" + over + ")") + ")",
              values);
    }
    l.sort({{"id", "a.id"}}, std::nullopt, "-id").page(q.page);
    auto found = l.rows(tx,
                        "a.*, o.name AS team_name, t.path AS team_path, p.name AS place_name, "
                        "l.user_id AS leader_user_id");
    Millis now = now_ms();
    json::array items;
    for (const auto& a : found.rows) items.push_back(activity_view(a, now));
    return api::Listed{std::move(items), found.total};
  });
}

json::object Activities::get(const api::Principal& p, std::int64_t id, Lang) const {
  return db_.read([&](Tx& tx) { return activity_detail(tx, p, load(tx, p, id)); });
}

json::array Activities::occurrences(const api::Principal& p, Millis from, Millis to, bool mine,
                                    std::optional<std::int64_t> team_id, Lang lang) const {
  if (to <= from || to - from > kMaxListSpan) throw bad_request("request.bad_query", "to");
  struct Item {
    Millis start;
    json::object view;
  };
  std::vector<Item> items;
  db_.read([&](Tx& tx) {
    auto v = my_volunteer(tx, p);
    if (mine) {
      if (!v) return;
      for (const auto& r : tx.query(
               "SELECT o.activity_id, o.starts_at FROM activity_signups s JOIN "
               "activity_occurrences o ON o.id = s.occurrence_id WHERE s.volunteer_id = $1 AND "
               "o.starts_at >= $2 AND o.starts_at < $3 ORDER BY o.starts_at LIMIT 500",
               v->i64("id"), from, to)) {
        auto a = store::activity(tx, r.i64("activity_id"));
        if (team_id && a->i64("team_id") != *team_id) continue;
        items.push_back({r.i64("starts_at"), occurrence_summary(tx, *a, r.i64("starts_at"), v)});
      }
      return;
    }
    auto page = list(p, {std::nullopt, team_id, api::Page{500, 0}}, lang);
    for (const auto& item : page.items) {
      auto a = store::activity(tx, item.as_object().at("id").as_int64());
      if (a->str("status") != "active") continue;
      for (Millis start : starts_between(schedule_of(*a), from, to, 200))
        items.push_back({start, occurrence_summary(tx, *a, start, v)});
    }
  });
  std::stable_sort(items.begin(), items.end(),
                   [](const Item& x, const Item& y) { return x.start < y.start; });
  json::array out;
  for (auto& i : items) {
    if (out.size() >= 500) break;
    out.push_back(std::move(i.view));
  }
  return out;
}

json::object Activities::cancel(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                                const std::string& body, Lang) const {
  JsonInput in(body, {"starts_at", "reason"});
  auto reason = in.str("reason", 200);
  if (reason.empty()) throw unprocessable("activity.reason_required", "reason");
  std::optional<Millis> start;
  if (in.has("starts_at")) start = time_field(in, "starts_at");
  return db_.write([&](Tx& tx) {
    Row a = load(tx, p, id);
    if (!manages(p, a)) throw forbidden("activity.not_leader");
    if (a.str("status") == "cancelled") throw conflict("activity.cancelled");
    Millis now = now_ms();
    if (start) {
      Schedule s = schedule_of(a);
      if (*start <= now || !is_start(s, *start))
        throw unprocessable("activity.bad_start", "starts_at");
      s.exdates.push_back(*start);
      json::array ex;
      for (auto e : s.exdates) ex.push_back(e);
      tx.exec("UPDATE activities SET exdates = $2, updated_at = $3 WHERE id = $1", id,
              json::serialize(ex), now);
      if (auto occ = store::occurrence_of(tx, id, *start))
        call_off(tx, events_, actor, a, occ->i64("id"), *start, reason);
    } else {
      tx.exec("UPDATE activities SET status = 'cancelled', updated_at = $2 WHERE id = $1", id, now);
      for (const auto& occ :
           tx.query("SELECT id, starts_at FROM activity_occurrences WHERE activity_id = $1 AND "
                    "starts_at > $2 AND cancelled_at IS NULL",
                    id, now))
        call_off(tx, events_, actor, a, occ.i64("id"), occ.i64("starts_at"), reason);
    }
    audit::append(
        tx, actor,
        {"activity.cancel", "activity", std::to_string(id), std::nullopt,
         json::serialize(json::object{{"starts_at", nullable_time(start)}, {"reason", reason}})});
    return activity_detail(tx, p, *store::activity(tx, id));
  });
}

// ---- sign-ups ------------------------------------------------------------------------

json::object Activities::sign_up(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                                 const std::string& body, Lang) const {
  JsonInput in(body, {"starts_at"});
  Millis start = time_field(in, "starts_at");
  return db_.write([&](Tx& tx) {
    Row a = load(tx, p, id);
    auto v = my_volunteer(tx, p);
    if (!v || v->str("status") != "confirmed") throw forbidden("activity.not_volunteer");
    if (!may_join(tx, v, a)) throw forbidden("activity.not_open");
    Millis now = now_ms();
    if (a.str("status") != "active" || start <= now || !is_start(schedule_of(a), start))
      throw unprocessable("activity.bad_start", "starts_at");
    auto occ = store::occurrence_at(tx, id, start, start + a.i64("duration_minutes") * kMinute,
                                    static_cast<int>(a.i64("capacity")));
    auto signed_up = store::sign_up(tx, occ, v->i64("id"), random_token(16), now);
    if (!signed_up) throw conflict("activity.signed_up");
    audit::append(
        tx, actor,
        {"activity.sign_up", "activity_signup", std::to_string(signed_up->id), std::nullopt,
         json::serialize(json::object{{"occurrence_id", occ}, {"placed", signed_up->placed}})});
    occurrence_changed(tx, events_, actor, occ, a.str("path"), "signed_up");
    Row s = *store::signup(tx, signed_up->id);
    json::value pos = nullptr;
    if (!signed_up->placed) pos = store::position(tx, s);
    return json::object{{"id", signed_up->id},
                        {"status", s.str("status")},
                        {"position", pos},
                        {"occurrence_id", occ},
                        {"starts_at", iso8601(start)}};
  });
}

json::object Activities::withdraw(const api::Principal& p, const api::Actor& actor,
                                  std::int64_t signup_id, Lang) const {
  return db_.write([&](Tx& tx) {
    auto s = store::signup(tx, signup_id);
    if (!s || s->i64("user_id") != p.user_id) throw not_found("activity.signup_not_found");
    Row o = load_occurrence(tx, p, s->i64("occurrence_id"));
    Millis now = now_ms();
    if (s->str("status") == "cancelled") throw conflict("activity.not_signed");
    if (s->str("status") == "signed" &&
        now > o.i64("starts_at") - o.i64("cancel_cutoff_minutes") * kMinute)
      throw conflict("activity.cutoff");
    bool freed = store::cancel_signup(tx, signup_id, now);
    json::array notify;
    if (freed)
      for (auto promoted : store::promote(tx, o.i64("occurrence_id"), now)) {
        Row ps = *store::signup(tx, promoted);
        notify.push_back(
            notice(ps.i64("user_id"), "activity.promoted", "activity.notice.promoted",
                   {{"title", o.str("title")}, {"when", when_text(o.i64("starts_at"))}},
                   o.i64("occurrence_id")));
      }
    audit::append(
        tx, actor,
        {"activity.withdraw", "activity_signup", std::to_string(signup_id), std::nullopt, "{}"});
    occurrence_changed(tx, events_, actor, o.i64("occurrence_id"), o.str("path"), "withdrawn",
                       std::move(notify));
    return occurrence_detail(tx, p, *store::occurrence(tx, o.i64("occurrence_id")));
  });
}

json::object Activities::occurrence(const api::Principal& p, std::int64_t id, Lang) const {
  return db_.read([&](Tx& tx) { return occurrence_detail(tx, p, load_occurrence(tx, p, id)); });
}

json::object Activities::leader_code(const api::Principal& p, std::int64_t id) const {
  return db_.read([&](Tx& tx) {
    Row o = managed_occurrence(tx, p, id);
    Millis now = now_ms();
    Windows w = windows_of(o);
    if (o.opt_i64("cancelled_at") ||
        !((now >= w.in_from && now <= w.in_to) || (now >= w.out_from && now <= w.out_to)))
      throw conflict("activity.window_closed");
    return json::object{{"code", rotating_code(o.str("checkin_secret"), now)},
                        {"changes_at", iso8601(changes_at(now))}};
  });
}

json::object Activities::my_code(const api::Principal& p, std::int64_t signup_id) const {
  return db_.read([&](Tx& tx) {
    auto s = store::signup(tx, signup_id);
    if (!s || s->i64("user_id") != p.user_id) throw not_found("activity.signup_not_found");
    if (s->str("status") != "signed") throw conflict("activity.not_signed");
    Millis now = now_ms();
    return json::object{
        {"token", std::to_string(signup_id) + "-" + rotating_code(s->str("secret"), now)},
        {"changes_at", iso8601(changes_at(now))}};
  });
}

namespace {

// Checks `s` in or out of occurrence `o` at `now`: once each.
json::object check_signup(Tx& tx, const api::EventBus& events, const api::Actor& actor,
                          const Row& o, const Row& s, const std::string& direction,
                          std::optional<std::int64_t> by, Millis now) {
  if (s.str("status") != "signed") throw conflict("activity.not_signed");
  bool in = direction == "in";
  bool done = in ? s.opt_i64("checked_in_at").has_value() : s.opt_i64("checked_out_at").has_value();
  std::string result = "already";
  if (!done) {
    Windows w = windows_of(o);
    if (o.opt_i64("cancelled_at") || (in && (now < w.in_from || now > w.in_to)) ||
        (!in && (now < w.out_from || now > w.out_to)))
      throw conflict("activity.window_closed");
    if (!in && !s.opt_i64("checked_in_at")) throw conflict("activity.not_checked_in");
    bool counted = in ? store::check_in(tx, s.i64("id"), by, now)
                      : store::check_out(tx, s.i64("id"), by, now, false);
    if (counted) {
      result = "counted";
      occurrence_changed(tx, events, actor, o.i64("occurrence_id"), o.str("path"),
                         in ? "checked_in" : "checked_out");
    }
  }
  return json::object{{"result", result},
                      {"direction", direction},
                      {"signup", signup_view(tx, *store::signup(tx, s.i64("id")))}};
}

std::string direction_of(const JsonInput& in) {
  auto d = in.str("direction", 3);
  if (d != "in" && d != "out") throw unprocessable("activity.bad_direction", "direction");
  return d;
}

}  // namespace

json::object Activities::check(const api::Principal& p, const api::Actor& actor,
                               std::int64_t occurrence_id, const std::string& body, Lang) const {
  JsonInput in(body, {"code", "direction"});
  auto code = in.str("code", 10);
  auto direction = direction_of(in);
  return db_.write([&](Tx& tx) {
    Row o = load_occurrence(tx, p, occurrence_id);
    auto v = my_volunteer(tx, p);
    auto s = v ? store::signup_of(tx, occurrence_id, v->i64("id")) : std::nullopt;
    if (!s) throw conflict("activity.not_signed");
    Millis now = now_ms();
    if (!code_matches(o.str("checkin_secret"), code, now))
      throw unprocessable("activity.bad_code", "code");
    return check_signup(tx, events_, actor, o, *s, direction, std::nullopt, now);
  });
}

json::object Activities::scan(const api::Principal& p, const api::Actor& actor,
                              std::int64_t occurrence_id, const std::string& body, Lang) const {
  JsonInput in(body, {"token", "direction"});
  auto token = in.str("token", 40);
  auto direction = direction_of(in);
  return db_.write([&](Tx& tx) {
    Row o = managed_occurrence(tx, p, occurrence_id);
    auto dash = token.find('-');
    std::optional<Row> s;
    if (dash != std::string::npos && dash > 0 && dash < 19 &&
        token.find_first_not_of("0123456789") == dash)
      s = store::signup(tx, std::stoll(token.substr(0, dash)));
    Millis now = now_ms();
    if (!s || s->i64("occurrence_id") != occurrence_id ||
        !code_matches(s->str("secret"), token.substr(dash + 1), now))
      throw unprocessable("activity.bad_code", "token");
    return check_signup(tx, events_, actor, o, *s, direction, p.user_id, now);
  });
}

json::object Activities::close(const api::Principal& p, const api::Actor& actor,
                               std::int64_t signup_id, const std::string& body, Lang) const {
  JsonInput in(body, {"checked_out_at"});
  Millis at = time_field(in, "checked_out_at");
  return db_.write([&](Tx& tx) {
    auto [s, o] = managed_signup(tx, p, signup_id);
    if (!s.opt_i64("checked_in_at")) throw conflict("activity.not_checked_in");
    if (s.opt_i64("checked_out_at")) throw conflict("activity.checked_out");
    if (at < *s.opt_i64("checked_in_at") || at > windows_of(o).out_to || at > now_ms())
      throw unprocessable("activity.bad_checkout", "checked_out_at");
    if (!store::check_out(tx, signup_id, p.user_id, at, true))
      throw conflict("activity.checked_out");
    audit::append(tx, actor,
                  {"activity.close", "activity_signup", std::to_string(signup_id), std::nullopt,
                   json::serialize(json::object{{"checked_out_at", iso8601(at)}})});
    occurrence_changed(tx, events_, actor, o.i64("occurrence_id"), o.str("path"), "closed");
    return occurrence_detail(tx, p, *store::occurrence(tx, o.i64("occurrence_id")));
  });
}

json::object Activities::confirm(const api::Principal& p, const api::Actor& actor,
                                 std::int64_t signup_id, const std::string& body, Lang) const {
  JsonInput in(body, {"minutes", "reason"});
  auto minutes_in = in.opt_i64("minutes");
  auto reason = in.opt_str("reason", 200);
  if (reason && reason->empty()) reason.reset();
  return db_.write([&](Tx& tx) {
    auto [s, o] = managed_signup(tx, p, signup_id);
    // Nobody confirms their own hours: a leader's are confirmed by staff.
    if (s.i64("user_id") == p.user_id) throw forbidden("activity.own_hours");
    if (s.opt_i64("confirmed_at")) throw conflict("activity.confirmed");
    if (!s.opt_i64("checked_out_at")) throw conflict("activity.not_checked_out");
    std::int64_t computed = s.opt_i64("minutes").value_or(0);
    std::int64_t minutes = minutes_in.value_or(computed);
    if (minutes < 0 || minutes > kMaxConfirmedMinutes)
      throw unprocessable("activity.bad_minutes", "minutes");
    if (minutes != computed && !reason) throw unprocessable("activity.reason_required", "reason");
    Millis now = now_ms();
    if (!store::confirm(tx, signup_id, static_cast<int>(minutes),
                        minutes != computed ? reason : std::nullopt, p.user_id, now))
      throw conflict("activity.confirmed");
    audit::append(
        tx, actor,
        {"activity.confirm_hours", "activity_signup", std::to_string(signup_id), std::nullopt,
         json::serialize(json::object{
             {"computed", computed}, {"minutes", minutes}, {"reason", nullable(reason)}})});
    // Points by the community's volunteer_hour rule, per hour served: once,
    // since a sign-up is confirmed once.
    if (minutes > 0)
      events_.emit(
          tx, {"volunteer.hours_confirmed", "activity_signup", signup_id, actor, o.str("path"),
               s.i64("user_id"),
               json::object{{"units", static_cast<double>(minutes) / 60.0}, {"minutes", minutes}}});
    char hours[16];
    std::snprintf(hours, sizeof hours, "%.1f", static_cast<double>(minutes) / 60.0);
    occurrence_changed(
        tx, events_, actor, o.i64("occurrence_id"), o.str("path"), "confirmed",
        json::array{notice(s.i64("user_id"), "activity.confirmed", "activity.notice.confirmed",
                           {{"title", o.str("title")}, {"hours", hours}}, o.i64("occurrence_id"))});
    return occurrence_detail(tx, p, *store::occurrence(tx, o.i64("occurrence_id")));
  });
}

json::object Activities::my_signups(const api::Principal& p, Lang) const {
  return db_.read([&](Tx& tx) {
    json::array items;
    auto v = my_volunteer(tx, p);
    if (v)
      for (const auto& r :
           tx.query("SELECT o.activity_id, o.starts_at FROM activity_signups s JOIN "
                    "activity_occurrences o ON o.id = s.occurrence_id WHERE s.volunteer_id = $1 "
                    "ORDER BY o.starts_at DESC LIMIT 100",
                    v->i64("id")))
        items.push_back(occurrence_summary(tx, *store::activity(tx, r.i64("activity_id")),
                                           r.i64("starts_at"), v));
    return json::object{{"items", std::move(items)}};
  });
}

}  // namespace xh::volunteers
