// The work-order commands: filing, the steps of the closed loop, rating,
// follow-up, following, consultation, and the scheduled escalation.
#include "workorders/workorders.h"

#include <boost/json.hpp>

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "core/text.h"
#include "people/identity.h"
#include "workorders/internal.h"

namespace xh::workorders {

namespace json = boost::json;
using namespace detail;
using storage::Tx;

namespace detail {

namespace {
constexpr const char* kOrderColumns =
    "SELECT id, category, place_id, path, grid_path, compound_id, status, body, body_org_id, "
    "escalation_level, deadline_hours, deadline_at, reporter_id, anonymous, created_at, rating, "
    "followup_asked_at, followup_answer FROM work_orders WHERE id = $1";

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}
}  // namespace

Order load_order(Tx& tx, std::int64_t id) {
  auto r = tx.query_one(kOrderColumns, id);
  if (!r) throw not_found("workorder.not_found");
  Order o;
  o.id = r->i64(0);
  o.category = r->str(1);
  o.place_id = r->i64(2);
  o.path = r->str(3);
  o.grid_path = r->opt_str(4);
  o.compound_id = r->opt_i64(5);
  o.status = r->str(6);
  o.body = r->str(7);
  o.body_org_id = r->opt_i64(8);
  o.escalation_level = static_cast<int>(r->i64(9));
  o.deadline_hours = static_cast<int>(r->i64(10));
  o.deadline_at = r->i64(11);
  o.reporter_id = r->opt_i64(12);
  o.anonymous = r->i64(13) != 0;
  o.created_at = r->i64(14);
  o.rating = r->opt_i64(15);
  o.followup_asked_at = r->opt_i64(16);
  o.followup_answer = r->opt_i64(17);
  return o;
}

bool staff_may(Tx& tx, const api::Principal& p, std::string_view permission, const Order& o) {
  for (const auto& g : p.grants) {
    if (!api::grant_has(g, permission)) continue;
    if (!starts_with(o.path, g.place_path) &&
        !(o.grid_path && starts_with(*o.grid_path, g.place_path)))
      continue;
    const auto* role = api::find_role(g.role);
    if (role && role->acts_for_company && permission != "workorder.read") {
      if (o.body != "property" || !o.body_org_id) continue;
      if (!tx.query_one("SELECT 1 FROM org_contacts WHERE user_id = $1 AND org_id = $2",
                        p.user_id, *o.body_org_id))
        continue;
    }
    return true;
  }
  return false;
}

bool is_reporter(const api::Principal& p, const Order& o) {
  return o.reporter_id && *o.reporter_id == p.user_id;
}

bool is_follower(Tx& tx, const api::Principal& p, std::int64_t order_id) {
  return tx.query_one("SELECT 1 FROM wo_followers WHERE order_id = $1 AND user_id = $2", order_id,
                      p.user_id)
      .has_value();
}

bool can_read(Tx& tx, const api::Principal& p, const Order& o) {
  return staff_may(tx, p, "workorder.read", o) || is_reporter(p, o) || is_follower(tx, p, o.id);
}

void require_read(Tx& tx, const api::Principal& p, const Order& o) {
  if (can_read(tx, p, o)) return;
  if (p.has_permission("workorder.read")) throw forbidden("auth.scope_denied", "workorder.read");
  throw forbidden("auth.permission_denied", "workorder.read");
}

std::vector<std::int64_t> path_ids(std::string_view path) {
  std::vector<std::int64_t> out;
  std::int64_t cur = 0;
  bool any = false;
  for (char ch : path) {
    if (ch == '/') {
      if (any) out.push_back(cur);
      cur = 0;
      any = false;
    } else if (ch >= '0' && ch <= '9') {
      cur = cur * 10 + (ch - '0');
      any = true;
    }
  }
  return out;
}

std::string community_prefix(std::string_view path) {
  auto ids = path_ids(path);
  std::string out = "/";
  for (std::size_t i = 0; i < ids.size() && i < 2; ++i) out += std::to_string(ids[i]) + "/";
  return out;
}

std::string prefix_upper(std::string path) {
  path.back() = '0';
  return path;
}

bool may_file_at(const api::Principal& p, std::string_view permission,
                 std::string_view place_path) {
  for (const auto& g : p.grants)
    if (api::grant_has(g, permission) && starts_with(place_path, community_prefix(g.place_path)))
      return true;
  return false;
}

bool may_look_at(const api::Principal& p, std::string_view place_path) {
  for (const auto& g : p.grants) {
    const auto* role = api::find_role(g.role);
    if (role && !role->staff && api::grant_has(g, "workorder.file") &&
        starts_with(place_path, community_prefix(g.place_path)))
      return true;
  }
  return api::in_scope(p, "workorder.read", place_path);
}

double distance_m(std::int64_t lat1, std::int64_t lng1, std::int64_t lat2, std::int64_t lng2) {
  constexpr double kRad = M_PI / 180.0 / 1e6;
  double p1 = lat1 * kRad, p2 = lat2 * kRad;
  double dp = (lat2 - lat1) * kRad, dl = (lng2 - lng1) * kRad;
  double a = std::sin(dp / 2) * std::sin(dp / 2) +
             std::cos(p1) * std::cos(p2) * std::sin(dl / 2) * std::sin(dl / 2);
  return 6371000.0 * 2 * std::atan2(std::sqrt(a), std::sqrt(1 - a));
}

void add_event(Tx& tx, std::int64_t order_id, const api::Actor& actor, std::string_view action,
               const std::optional<std::string>& from, const std::optional<std::string>& to,
               const std::optional<std::string>& note) {
  tx.exec(
      "INSERT INTO wo_events (order_id, at, actor_id, actor_name, action, from_status, to_status, "
      "note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
      order_id, now_ms(), actor.user_id, actor.name, action, from, to, note);
}

void attach_photos(Tx& tx, std::int64_t order_id, const std::vector<std::string>& ids,
                   std::string_view stage, std::optional<std::int64_t> uploader) {
  for (const auto& id : ids) {
    bool known = uploader ? tx.query_one("SELECT 1 FROM photo_uploads WHERE photo_id = $1 AND "
                                         "user_id = $2",
                                         id, *uploader)
                                .has_value()
                          : tx.query_one("SELECT 1 FROM photos WHERE id = $1", id).has_value();
    if (!known) throw unprocessable("workorder.bad_photo", "photos");
    tx.exec(
        "INSERT INTO wo_photos (order_id, photo_id, stage) VALUES ($1, $2, $3) "
        "ON CONFLICT DO NOTHING",
        order_id, id, stage);
  }
}

}  // namespace detail

namespace {

const api::Actor kSystem{std::nullopt, "system", "127.0.0.1"};

// The place a report is about, with what routing needs.
struct Spot {
  std::int64_t id;
  std::string kind, path;
  std::optional<std::string> grid_path;
  std::optional<std::int64_t> compound_id, property_org_id, lat_e6, lng_e6;
};

Spot find_spot(Tx& tx, std::int64_t place_id) {
  auto r = tx.query_one(
      "SELECT id, kind, path, grid_path, archived_at FROM places WHERE id = $1", place_id);
  static const std::vector<std::string> kinds = {"community", "grid", "micro_grid", "compound",
                                                 "building", "unit"};
  if (!r || !r->is_null(4) || std::find(kinds.begin(), kinds.end(), r->str(1)) == kinds.end())
    throw unprocessable("workorder.bad_place", "place_id");
  Spot s{r->i64(0), r->str(1), r->str(2), r->opt_str(3), {}, {}, {}, {}};
  // The compound above it, and the nearest point on the way up.
  auto ids = path_ids(s.path);
  std::string sql = "SELECT id, kind, lat_e6, lng_e6, property_org_id FROM places WHERE id IN (";
  std::vector<storage::Param> params;
  for (auto id : ids) {
    params.push_back(id);
    sql += (params.size() > 1 ? ", $" : "$") + std::to_string(params.size());
  }
  sql += ")";
  std::map<std::int64_t, storage::Row> by_id;
  for (auto& row : tx.query_v(sql, params)) by_id.emplace(row.i64(0), std::move(row));
  for (auto it = ids.rbegin(); it != ids.rend(); ++it) {
    const auto& row = by_id.at(*it);
    if (!s.lat_e6 && !row.is_null(2)) {
      s.lat_e6 = row.i64(2);
      s.lng_e6 = row.i64(3);
    }
    if (row.str(1) == "compound" && !s.compound_id) {
      s.compound_id = row.i64(0);
      s.property_org_id = row.opt_i64(4);
    }
  }
  return s;
}

std::optional<std::int64_t> to_e6(std::optional<double> deg) {
  if (!deg) return std::nullopt;
  return static_cast<std::int64_t>(std::llround(*deg * 1e6));
}

void check_point(std::optional<double> lat, std::optional<double> lng) {
  if ((lat && !std::isfinite(*lat)) || (lng && !std::isfinite(*lng)))
    throw unprocessable("workorder.bad_point", "lat");
  if (lat.has_value() != lng.has_value() ||
      (lat && (*lat < -90 || *lat > 90 || *lng < -180 || *lng > 180)))
    throw unprocessable("workorder.bad_point", "lat");
}

std::string check_text(const std::string& text) {
  auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) throw unprocessable("workorder.text_required", "text");
  return text;
}

// What an insert needs once the caller is checked.
struct NewOrder {
  Category category;
  Spot spot;
  std::string text, channel;
  std::optional<std::int64_t> lat_e6, lng_e6;
  std::optional<std::int64_t> reporter_id, filed_by;
  std::optional<std::string> reporter_name, reporter_phone_enc, open311_token;
  bool anonymous = false, urgent = false;
};

// A place where a category came back often enough gets re-inspections for
// its grid worker, unless some are still pending.
void plan_reinspections(Tx& tx, const Settings& st, const NewOrder& n, Millis now) {
  auto recurrences =
      tx.query_one(
            "SELECT COUNT(*) FROM work_orders WHERE place_id = $1 AND category = $2 AND "
            "recurrence_of IS NOT NULL AND created_at >= $3",
            n.spot.id, n.category.key, now - st.hotspot_window_days * kDay)
          ->i64(0);
  if (recurrences < st.hotspot_threshold) return;
  if (tx.query_one("SELECT 1 FROM wo_inspections WHERE place_id = $1 AND category = $2 AND "
                   "done_at IS NULL",
                   n.spot.id, n.category.key))
    return;
  for (int k = 1; k <= st.reinspection_count; ++k)
    tx.exec(
        "INSERT INTO wo_inspections (place_id, path, grid_path, category, due_at, created_at) "
        "VALUES ($1, $2, $3, $4, $5, $6)",
        n.spot.id, n.spot.path, n.spot.grid_path, n.category.key,
        now + k * st.reinspection_interval_days * kDay, now);
}

std::int64_t insert_order(Tx& tx, const api::Actor& actor, NewOrder n) {
  Millis now = now_ms();
  Routing r = route(tx, n.category, n.spot.path);
  std::optional<std::int64_t> org;
  if (r.body == "property") {
    org = n.spot.property_org_id;
    if (!org) r.body = "community";  // no property company: the community looks after it
  }
  Settings st = load_settings(tx);
  auto earlier = tx.query_one(
      "SELECT id FROM work_orders WHERE place_id = $1 AND category = $2 AND status = 'closed' "
      "AND closed_at >= $3 ORDER BY closed_at DESC LIMIT 1",
      n.spot.id, n.category.key, now - st.recurrence_window_days * kDay);
  std::optional<std::int64_t> recurrence_of;
  if (earlier) recurrence_of = earlier->i64(0);
  if (!n.lat_e6) {
    n.lat_e6 = n.spot.lat_e6;
    n.lng_e6 = n.spot.lng_e6;
  }
  Millis deadline = now + r.deadline_hours * kHour;
  auto id = tx.query_one(
                  "INSERT INTO work_orders (category, place_id, path, grid_path, compound_id, "
                  "lat_e6, lng_e6, text, status, urgent, body, body_org_id, deadline_hours, "
                  "deadline_at, reporter_id, reporter_name, reporter_phone_enc, anonymous, "
                  "channel, filed_by, recurrence_of, open311_token, created_at, updated_at) VALUES "
                  "($1, $2, $3, $4, $5, $6, $7, $8, 'submitted', $9, $10, $11, $12, $13, $14, "
                  "$15, $16, $17, $18, $19, $20, $21, $22, $22) RETURNING id",
                  n.category.key, n.spot.id, n.spot.path, n.spot.grid_path, n.spot.compound_id,
                  n.lat_e6, n.lng_e6, n.text, r.urgent || n.urgent, r.body, org, r.deadline_hours,
                  deadline, n.reporter_id, n.reporter_name, n.reporter_phone_enc, n.anonymous,
                  n.channel, n.filed_by, recurrence_of, n.open311_token, now)
                ->i64(0);
  add_event(tx, id, actor, "file", std::nullopt, std::string("submitted"), std::nullopt);
  schedule::add(tx, "workorder.escalate", id, deadline);
  if (recurrence_of) plan_reinspections(tx, st, n, now);
  json::object after{{"category", n.category.key}, {"place_id", n.spot.id}, {"body", r.body},
                     {"deadline_at", deadline}, {"channel", n.channel}};
  if (recurrence_of) after["recurrence_of"] = *recurrence_of;
  audit::append(tx, actor,
                {"workorder.file", "work_order", std::to_string(id), std::nullopt,
                 json::serialize(after)});
  return id;
}

Category active_category(Tx& tx, const std::string& key) {
  auto c = find_category(tx, key);
  if (!c || !c->active) throw unprocessable("workorder.bad_category", "category");
  return *c;
}

}  // namespace

json::object file_report(Services& s, const api::Principal& p, const api::Actor& actor,
                         const Report& r, Lang lang) {
  check_point(r.lat, r.lng);
  if (r.photos.size() > 9) throw unprocessable("workorder.too_many_photos", "photos");
  return s.db.write([&](Tx& tx) {
    NewOrder n{active_category(tx, r.category), find_spot(tx, r.place_id), check_text(r.text)};
    if (r.on_behalf) {
      api::require(p, "workorder.on_behalf");
      if (!api::in_scope_any(p, "workorder.on_behalf",
                              {n.spot.path, n.spot.grid_path.value_or("")}))
        throw forbidden("auth.scope_denied", "workorder.on_behalf");
      const auto& ob = *r.on_behalf;
      if (ob.name.empty()) throw unprocessable("request.missing_field", "on_behalf.name");
      if (ob.channel != "phone" && ob.channel != "walk_in")
        throw unprocessable("workorder.bad_channel", "on_behalf.channel");
      if (ob.phone) {
        auto phone = people::parse_phone(*ob.phone);
        if (!phone) throw unprocessable("workorder.bad_phone", "on_behalf.phone");
        n.reporter_phone_enc = s.cipher.encrypt(*phone);
      }
      n.reporter_name = ob.name;
      n.channel = ob.channel;
    } else {
      api::require(p, "workorder.file");
      if (!may_file_at(p, "workorder.file", n.spot.path))
        throw forbidden("auth.scope_denied", "workorder.file");
      n.reporter_id = p.user_id;
      n.channel = p.is_staff() ? "console" : "mobile";
    }
    if (r.urgent && !p.is_staff()) throw forbidden("auth.permission_denied", "workorder.urgent");
    n.filed_by = p.user_id;
    n.anonymous = r.anonymous;
    n.urgent = r.urgent;
    n.lat_e6 = to_e6(r.lat);
    n.lng_e6 = to_e6(r.lng);
    auto id = insert_order(tx, actor, n);
    attach_photos(tx, id, r.photos, "report", p.user_id);
    return order_detail(s, tx, p, id, lang);
  });
}

json::object follow(Services& s, const api::Principal& p, const api::Actor& actor,
                    std::int64_t id, bool on) {
  return s.db.write([&](Tx& tx) {
    Order o = load_order(tx, id);
    if (!can_read(tx, p, o) && !may_look_at(p, o.path))
      throw forbidden("auth.scope_denied", "workorder.read");
    std::int64_t changed = 0;
    if (on) {
      if (is_reporter(p, o)) throw conflict("workorder.own_report");
      if (!is_open(o.status)) throw conflict("workorder.not_open");
      changed = tx.exec("INSERT INTO wo_followers (order_id, user_id, at) VALUES ($1, $2, $3) "
                        "ON CONFLICT DO NOTHING",
                        id, p.user_id, now_ms());
    } else {
      changed = -tx.exec("DELETE FROM wo_followers WHERE order_id = $1 AND user_id = $2", id,
                         p.user_id);
    }
    if (changed != 0)
      tx.exec("UPDATE work_orders SET followers = followers + $2 WHERE id = $1", id, changed);
    auto n = tx.query_one("SELECT followers FROM work_orders WHERE id = $1", id)->i64(0);
    audit::append(tx, actor,
                  {on ? "workorder.follow" : "workorder.unfollow", "work_order", std::to_string(id),
                   std::nullopt, std::nullopt});
    return json::object{{"following", on}, {"followers", n}};
  });
}

namespace {

// Moves `o` from its status to `to` with the step's time fields; 409 when
// someone else moved it first.
void move(Tx& tx, const Order& o, std::string_view action, const std::string& to,
          const std::string& extra_sql, std::vector<storage::Param> extra) {
  std::vector<storage::Param> params = {o.id, o.status, to, now_ms()};
  for (auto& e : extra) params.push_back(std::move(e));
  auto n = tx.exec_v("UPDATE work_orders SET status = $3, updated_at = $4" + extra_sql +
                         " WHERE id = $1 AND status = $2",
                     params);
  if (n != 1) throw conflict("workorder.bad_transition", o.status);
}

void reopen(Tx& tx, const Order& o, const api::Actor& actor, Millis now,
            const std::optional<std::string>& note) {
  Millis deadline = now + o.deadline_hours * kHour;
  move(tx, o, "reopen", "reopened", ", deadline_at = $5, escalation_level = 0", {deadline});
  add_event(tx, o.id, actor, "reopen", o.status, std::string("reopened"), note);
  schedule::add(tx, "workorder.escalate", o.id, deadline);
}

// A verified report is news for whoever pays for it (points, by the
// community's rule): its reporter is the one it is about.
void announce_verified(const Services& s, Tx& tx, const Order& o, const api::Actor& actor) {
  s.events.emit(tx, {"workorder.verified", "work_order", o.id, actor, o.path, o.reporter_id, {}});
}

}  // namespace

json::object take_step(Services& s, const api::Principal& p, const api::Actor& actor,
                       std::int64_t id, const std::string& action, const StepInput& in,
                       Lang lang) {
  const Transition* t = find_transition(action);
  if (!t) throw not_found("workorder.unknown_action", action);
  return s.db.write([&](Tx& tx) {
    Order o = load_order(tx, id);
    auto from_ok = [&](const std::vector<std::string_view>& from) {
      return std::find(from.begin(), from.end(), o.status) != from.end();
    };
    bool as_reporter = is_reporter(p, o) && from_ok(t->reporter_from);
    if (!as_reporter && !staff_may(tx, p, t->permission, o)) {
      require_read(tx, p, o);
      throw forbidden("auth.permission_denied", std::string(t->permission));
    }
    if (!from_ok(t->from)) throw conflict("workorder.bad_transition", o.status);
    if (t->needs_reason && (!in.reason || in.reason->find_first_not_of(" \t\r\n") == std::string::npos))
      throw unprocessable("workorder.reason_required", "reason");
    if (!in.photos.empty() && action != "resolve")
      throw unprocessable("request.unknown_field", "photos");
    Millis now = now_ms();
    std::string to(t->to);
    if (action == "reopen") {
      reopen(tx, o, actor, now, in.note);
    } else {
      std::string extra;
      std::vector<storage::Param> params;
      if (action == "accept") extra = ", accepted_at = COALESCE(accepted_at, $4)";
      if (action == "reject") {
        extra = ", reject_reason = $5, accepted_at = COALESCE(accepted_at, $4)";
        params.push_back(*in.reason);
      }
      if (action == "resolve") extra = ", resolved_at = COALESCE(resolved_at, $4)";
      if (action == "close")
        extra = ", closed_at = $4, followup_asked_at = NULL, followup_answer = NULL";
      move(tx, o, action, to, extra, std::move(params));
      add_event(tx, id, actor, action, o.status, to, action == "reject" ? in.reason : in.note);
      if (action == "resolve") attach_photos(tx, id, in.photos, "resolution", p.user_id);
      if (action == "verify") announce_verified(s, tx, o, actor);
      if (action == "close")
        schedule::add(tx, "workorder.followup", id, now + load_settings(tx).followup_days * kDay);
    }
    audit::append(tx, actor,
                  {"workorder." + action, "work_order", std::to_string(id),
                   json::serialize(json::object{{"status", o.status}}),
                   json::serialize(json::object{{"status", to}})});
    return order_detail(s, tx, p, id, lang);
  });
}

json::object rate(Services& s, const api::Principal& p, const api::Actor& actor,
                  std::int64_t id, int score, const std::optional<std::string>& comment,
                  Lang lang) {
  if (score < 1 || score > 5) throw unprocessable("workorder.bad_score", "score");
  return s.db.write([&](Tx& tx) {
    Order o = load_order(tx, id);
    if (!is_reporter(p, o)) {
      require_read(tx, p, o);
      throw forbidden("workorder.not_reporter");
    }
    if (o.status != "resolved" && o.status != "verified" && o.status != "closed")
      throw conflict("workorder.not_resolved", o.status);
    auto n = tx.exec(
        "UPDATE work_orders SET rating = $2, rating_comment = $3, updated_at = $4 "
        "WHERE id = $1 AND rating IS NULL",
        id, score, comment, now_ms());
    if (n != 1) throw conflict("workorder.already_rated");
    add_event(tx, id, actor, "rate", std::nullopt, std::nullopt,
              std::to_string(score) + "/5" + (comment ? " " + *comment : ""));
    audit::append(tx, actor,
                  {"workorder.rate", "work_order", std::to_string(id), std::nullopt,
                   json::serialize(json::object{{"score", score}})});
    return order_detail(s, tx, p, id, lang);
  });
}

json::object answer_followup(Services& s, const api::Principal& p, const api::Actor& actor,
                             std::int64_t id, bool stayed_fixed,
                             const std::optional<std::string>& comment, Lang lang) {
  return s.db.write([&](Tx& tx) {
    Order o = load_order(tx, id);
    if (!is_reporter(p, o)) {
      require_read(tx, p, o);
      throw forbidden("workorder.not_reporter");
    }
    if (o.status != "closed" || !o.followup_asked_at || o.followup_answer)
      throw conflict("workorder.no_followup");
    if (tx.exec("UPDATE work_orders SET followup_answer = $2, updated_at = $3 WHERE id = $1 AND "
                "status = 'closed' AND followup_answer IS NULL",
                id, stayed_fixed, now_ms()) != 1)
      throw conflict("workorder.no_followup");
    add_event(tx, id, actor, stayed_fixed ? "followup_fixed" : "followup_not_fixed", std::nullopt,
              std::nullopt, comment);
    if (!stayed_fixed) reopen(tx, o, actor, now_ms(), comment);
    audit::append(tx, actor,
                  {"workorder.followup", "work_order", std::to_string(id), std::nullopt,
                   json::serialize(json::object{{"stayed_fixed", stayed_fixed}})});
    return order_detail(s, tx, p, id, lang);
  });
}

json::object open_consultation(Services& s, const api::Principal& p, const api::Actor& actor,
                               std::int64_t order_id, const TopicInput& in) {
  if (in.title.empty()) throw unprocessable("request.missing_field", "title");
  return s.db.write([&](Tx& tx) {
    Order o = load_order(tx, order_id);
    if (!staff_may(tx, p, "workorder.consult", o)) {
      require_read(tx, p, o);
      throw forbidden("auth.permission_denied", "workorder.consult");
    }
    if (tx.query_one("SELECT 1 FROM consultation_topics WHERE order_id = $1", order_id))
      throw conflict("workorder.consultation_exists");
    auto community = path_ids(o.path);
    if (community.size() < 2) throw unprocessable("workorder.bad_place");
    std::optional<std::int64_t> org = o.body_org_id;
    if (!org && o.compound_id)
      org = tx.query_one("SELECT property_org_id FROM places WHERE id = $1", *o.compound_id)->opt_i64(0);
    json::array reps;
    for (const auto& r : in.resident_reps) reps.push_back(json::string(r));
    auto id = tx.query_one(
                    "INSERT INTO consultation_topics (order_id, place_id, path, title, description, "
                    "property_org_id, resident_reps, created_by, created_at) VALUES ($1, $2, $3, "
                    "$4, $5, $6, $7, $8, $9) RETURNING id",
                    order_id, community[1], community_prefix(o.path), in.title, in.description, org,
                    json::serialize(reps), p.user_id, now_ms())
                  ->i64(0);
    add_event(tx, order_id, actor, "consult", std::nullopt, std::nullopt, in.title);
    audit::append(tx, actor,
                  {"consultation.open", "consultation", std::to_string(id), std::nullopt,
                   json::serialize(json::object{{"order_id", order_id}, {"title", in.title}})});
    return get_consultation_tx(tx, p, id);
  });
}

// ---- scheduled work --------------------------------------------------------

namespace {

// An order still open at its deadline goes up one level: the body's
// supervisor (the community), then the street office.
void escalate_overdue(Tx& tx, std::int64_t id, Millis now) {
  Order o = load_order(tx, id);
  if (!is_open(o.status) || now < o.deadline_at || o.body == "street" || o.escalation_level >= 2)
    return;
  int level = std::max(o.escalation_level + 1, o.body == "community" ? 2 : 1);
  auto n = tx.exec(
      "UPDATE work_orders SET escalation_level = $2, updated_at = $3 WHERE id = $1 AND "
      "escalation_level = $4 AND status IN "
      "('submitted','accepted','dispatched','in_progress','reopened')",
      id, level, now, o.escalation_level);
  if (n != 1) return;
  add_event(tx, id, kSystem, level == 1 ? "escalate_community" : "escalate_street", std::nullopt,
            std::nullopt, std::nullopt);
  audit::append(tx, kSystem,
                {"workorder.escalate", "work_order", std::to_string(id),
                 json::serialize(json::object{{"escalation_level", o.escalation_level}}),
                 json::serialize(json::object{{"escalation_level", level}})});
  if (level < 2) schedule::add(tx, "workorder.escalate", id, now + o.deadline_hours * kHour);
}

// Some days after closing, the reporter is asked whether it stayed fixed.
void ask_followup(Tx& tx, std::int64_t id, Millis now) {
  Order o = load_order(tx, id);
  if (o.status != "closed" || o.followup_asked_at || !o.reporter_id) return;
  // Closed, reopened and closed again: the later closing's job asks.
  auto closed_at = tx.query_one("SELECT closed_at FROM work_orders WHERE id = $1", id)->opt_i64(0);
  if (!closed_at || now < *closed_at + load_settings(tx).followup_days * kDay) return;
  tx.exec("UPDATE work_orders SET followup_asked_at = $2 WHERE id = $1", id, now);
  add_event(tx, id, kSystem, "followup_asked", std::nullopt, std::nullopt, std::nullopt);
}

}  // namespace

void register_jobs(api::Setup& setup, Services& s) {
  setup.job("workorder.escalate", escalate_overdue);
  setup.job("workorder.followup", ask_followup);
}

// ---- Open311 filing ----------------------------------------------------------

Open311Filed file_open311(Services& s, const std::string& api_key, const std::string& ip,
                          const Open311Report& r) {
  check_point(r.lat, r.lng);
  return s.db.write([&](Tx& tx) {
    auto key = tx.query_one("SELECT id, name FROM open311_keys WHERE key_hash = $1 AND revoked_at IS NULL",
                            sha256_hex(api_key));
    if (!key) throw forbidden("open311.bad_key");
    api::Actor actor{std::nullopt, "open311:" + key->str(1), ip};
    auto category = find_category(tx, r.service_code);
    if (!category || !category->active) throw not_found("open311.unknown_service", "service_code");
    std::optional<std::int64_t> place;
    if (r.address_id) {
      auto row = tx.query_one("SELECT id FROM places WHERE code = $1", *r.address_id);
      if (!row) throw bad_request("open311.bad_address_id", "address_id");
      place = row->i64(0);
    } else if (r.lat) {
      // The nearest compound within a kilometre.
      auto lat = *to_e6(r.lat), lng = *to_e6(r.lng);
      double best = 1000;
      for (const auto& row : tx.query(
               "SELECT id, lat_e6, lng_e6 FROM places WHERE kind = 'compound' AND archived_at IS "
               "NULL AND lat_e6 BETWEEN $1 AND $2 AND lng_e6 BETWEEN $3 AND $4",
               lat - 9000, lat + 9000, lng - 12000, lng + 12000)) {
        double d = distance_m(lat, lng, row.i64(1), row.i64(2));
        if (d <= best) {
          best = d;
          place = row.i64(0);
        }
      }
      if (!place) throw bad_request("open311.outside_area", "lat");
    } else if (r.address_string) {
      auto row = tx.query_one(
          "SELECT id FROM places WHERE kind IN ('compound','building') AND archived_at IS NULL AND "
          "(name = $1 OR address = $1) ORDER BY id LIMIT 1",
          *r.address_string);
      if (!row) throw bad_request("open311.unknown_address", "address_string");
      place = row->i64(0);
    } else {
      throw bad_request("open311.location_required", "lat");
    }
    if (r.description.find_first_not_of(" \t\r\n") == std::string::npos)
      throw bad_request("open311.description_required", "description");
    NewOrder n{*category, find_spot(tx, *place), r.description, "open311"};
    n.lat_e6 = to_e6(r.lat);
    n.lng_e6 = to_e6(r.lng);
    std::string name = r.last_name.value_or("") + r.first_name.value_or("");
    if (!name.empty()) n.reporter_name = name;
    if (r.phone) {
      auto phone = people::parse_phone(*r.phone);
      if (!phone) throw bad_request("open311.bad_phone", "phone");
      n.reporter_phone_enc = s.cipher.encrypt(*phone);
    }
    n.anonymous = true;
    n.open311_token = random_token(16);
    auto id = insert_order(tx, actor, n);
    return Open311Filed{id, *n.open311_token};
  });
}

std::optional<std::int64_t> order_of_token(Services& s, const std::string& token) {
  return s.db.read_once([&](Tx& tx) -> std::optional<std::int64_t> {
    auto r = tx.query_one("SELECT id FROM work_orders WHERE open311_token = $1", token);
    if (!r) return std::nullopt;
    return r->i64(0);
  });
}

}  // namespace xh::workorders
