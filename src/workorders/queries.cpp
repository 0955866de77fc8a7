// Reading work orders: lists, the detail with its timeline, nearby open
// reports, hot spots and re-inspections, consultations, the scorecard and the
// public (Open311) view.
#include <boost/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>

#include "core/error.h"
#include "people/identity.h"
#include "workorders/internal.h"
#include "workorders/workorders.h"

namespace xh::workorders {

namespace json = boost::json;
using namespace detail;
using storage::Param;
using storage::Tx;

namespace {

json::value opt_time(const std::optional<std::int64_t>& ms) {
  if (!ms) return nullptr;
  return json::string(iso8601(*ms));
}

template <class T>
json::value opt(const std::optional<T>& v) {
  if (!v) return nullptr;
  return json::value(*v);
}

std::string label(const std::vector<Label>& labels, std::string_view key, Lang lang) {
  return std::string(label_of(labels, key, lang));
}

std::string add_param(std::vector<Param>& params, Param v) {
  params.push_back(std::move(v));
  return "$" + std::to_string(params.size());
}

constexpr const char* kSummarySelect =
    "SELECT w.id, w.category, c.zh, c.en, w.place_id, pl.name, w.status, w.body, w.body_org_id, "
    "o.name, w.urgent, w.escalation_level, w.deadline_at, w.created_at, w.updated_at, "
    "w.recurrence_of, w.text, w.followers, w.resolved_at, w.lat_e6, w.lng_e6 "
    "FROM work_orders w JOIN wo_categories c ON c.key = w.category "
    "JOIN places pl ON pl.id = w.place_id LEFT JOIN orgs o ON o.id = w.body_org_id";

json::object summary_json(const storage::Row& r, Lang lang, Millis now) {
  std::string status = r.str(6), body = r.str(7);
  bool overdue = is_open(status) && now > r.i64(12);
  json::object o{{"id", r.i64(0)},
                 {"category", r.str(1)},
                 {"category_label", lang == Lang::en ? r.str(3) : r.str(2)},
                 {"place_id", r.i64(4)},
                 {"place_name", r.str(5)},
                 {"status", status},
                 {"status_label", label(statuses(), status, lang)},
                 {"body", body},
                 {"body_label", label(bodies(), body, lang)},
                 {"body_org_id", opt(r.opt_i64(8))},
                 {"body_name", r.opt_str(9) ? json::value(*r.opt_str(9))
                                            : json::value(label(bodies(), body, lang))},
                 {"urgent", r.i64(10) != 0},
                 {"overdue", overdue},
                 {"escalation_level", r.i64(11)},
                 {"deadline_at", iso8601(r.i64(12))},
                 {"created_at", iso8601(r.i64(13))},
                 {"updated_at", iso8601(r.i64(14))},
                 {"recurrence_of", opt(r.opt_i64(15))},
                 {"text", r.str(16)},
                 {"followers", r.i64(17)},
                 {"resolved_at", opt_time(r.opt_i64(18))}};
  return o;
}

}  // namespace

namespace detail {

json::object get_consultation_tx(Tx& tx, const api::Principal& p, std::int64_t id) {
  auto r = tx.query_one(
      "SELECT t.id, t.order_id, t.place_id, pl.name, t.path, t.title, t.description, "
      "t.property_org_id, o.name, t.resident_reps, t.status, t.created_at FROM consultation_topics "
      "t JOIN places pl ON pl.id = t.place_id LEFT JOIN orgs o ON o.id = t.property_org_id "
      "WHERE t.id = $1",
      id);
  if (!r) throw not_found("consultation.not_found");
  api::require_in_scope(p, "workorder.read", r->str(4));
  return json::object{{"id", r->i64(0)},
                      {"order_id", opt(r->opt_i64(1))},
                      {"community_id", r->i64(2)},
                      {"community_name", r->str(3)},
                      {"title", r->str(5)},
                      {"description", opt(r->opt_str(6))},
                      {"property_org_id", opt(r->opt_i64(7))},
                      {"property_org_name", opt(r->opt_str(8))},
                      {"resident_reps", json::parse(r->str(9))},
                      {"status", r->str(10)},
                      {"created_at", iso8601(r->i64(11))}};
}

json::object order_detail(Services& s, Tx& tx, const api::Principal& p, std::int64_t id,
                          Lang lang) {
  Order o = load_order(tx, id);
  require_read(tx, p, o);
  bool staff = staff_may(tx, p, "workorder.read", o);
  Millis now = now_ms();
  auto row = tx.query_one(std::string(kSummarySelect) + " WHERE w.id = $1", id);
  json::object d = summary_json(*row, lang, now);
  auto more = tx.query_one(
      "SELECT lat_e6, lng_e6, reporter_name, reporter_phone_enc, channel, reject_reason, "
      "rating_comment, accepted_at, closed_at, u.display_name FROM work_orders w LEFT JOIN users "
      "u ON u.id = w.reporter_id WHERE w.id = $1",
      id);
  auto lat = more->opt_i64(0), lng = more->opt_i64(1);
  d["lat"] = lat ? json::value(*lat / 1e6) : json::value(nullptr);
  d["lng"] = lng ? json::value(*lng / 1e6) : json::value(nullptr);
  std::string channel = more->str(4);
  d["channel"] = channel;
  d["channel_label"] = label(channels(), channel, lang);
  d["reject_reason"] = opt(more->opt_str(5));
  d["rating"] = opt(o.rating);
  d["rating_comment"] = opt(more->opt_str(6));
  d["accepted_at"] = opt_time(more->opt_i64(7));
  d["closed_at"] = opt_time(more->opt_i64(8));
  d["followup_asked_at"] = opt_time(o.followup_asked_at);
  d["followup_answer"] =
      o.followup_answer ? json::value(*o.followup_answer != 0) : json::value(nullptr);
  d["anonymous"] = o.anonymous;
  if (staff) {
    // Anonymous to the public, never to staff; the phone in full only to
    // those who may see residents' phones there.
    std::optional<std::string> name = more->opt_str(2);
    if (!name) name = more->opt_str(9);
    json::value phone = nullptr;
    if (auto enc = more->opt_str(3)) {
      std::string plain = s.cipher.decrypt(*enc);
      bool full = api::in_scope_any(p, "resident.phone", {o.path, o.grid_path.value_or("")});
      phone = json::string(full ? plain : people::mask_phone(plain));
    }
    d["reporter"] = json::object{{"name", opt(name)}, {"phone", phone}, {"anonymous", o.anonymous}};
  }
  bool reporter = is_reporter(p, o);
  d["is_reporter"] = reporter;
  d["following"] = is_follower(tx, p, id);

  json::array actions;
  for (const auto& t : transitions()) {
    bool from = std::find(t.from.begin(), t.from.end(), o.status) != t.from.end();
    bool as_reporter = reporter && std::find(t.reporter_from.begin(), t.reporter_from.end(),
                                             o.status) != t.reporter_from.end();
    if (from && (as_reporter || staff_may(tx, p, t.permission, o))) actions.push_back(json::string(t.action));
  }
  d["actions"] = actions;
  d["can_rate"] = reporter && !o.rating &&
                  (o.status == "resolved" || o.status == "verified" || o.status == "closed");
  d["can_answer_followup"] =
      reporter && o.status == "closed" && o.followup_asked_at && !o.followup_answer;
  auto topic = tx.query_one("SELECT id FROM consultation_topics WHERE order_id = $1", id);
  d["consultation_id"] = topic ? json::value(topic->i64(0)) : json::value(nullptr);
  d["can_consult"] = !topic && staff_may(tx, p, "workorder.consult", o);

  json::array photos;
  for (const auto& r : tx.query("SELECT photo_id, stage FROM wo_photos WHERE order_id = $1 "
                                "ORDER BY stage DESC, photo_id",
                                id))
    photos.push_back({{"id", r.str(0)}, {"url", "/api/photos/" + r.str(0)}, {"stage", r.str(1)}});
  d["photos"] = photos;

  json::array timeline;
  // People by their display names; system steps and Open311 clients by name.
  for (const auto& r : tx.query("SELECT e.at, e.action, e.from_status, e.to_status, "
                                "COALESCE(u.display_name, e.actor_name), e.note, e.actor_id FROM "
                                "wo_events e LEFT JOIN users u ON u.id = e.actor_id WHERE "
                                "e.order_id = $1 ORDER BY e.id",
                                id)) {
    std::string action = r.str(1);
    // Nobody but staff learns who an anonymous reporter is, in any step.
    bool hide = o.anonymous && !staff && o.reporter_id && r.opt_i64(6) == o.reporter_id &&
                r.opt_i64(6) != p.user_id;
    timeline.push_back({{"at", iso8601(r.i64(0))},
                        {"action", action},
                        {"action_label", label(event_labels(), action, lang)},
                        {"from", opt(r.opt_str(2))},
                        {"to", opt(r.opt_str(3))},
                        {"actor", hide ? json::value(nullptr) : json::value(r.str(4))},
                        {"note", opt(r.opt_str(5))}});
  }
  d["timeline"] = timeline;
  json::array recurrences;
  for (const auto& r : tx.query("SELECT id FROM work_orders WHERE recurrence_of = $1 ORDER BY id", id))
    recurrences.push_back(r.i64(0));
  d["recurrences"] = recurrences;
  return d;
}

}  // namespace detail

json::object get_order(Services& s, const api::Principal& p, std::int64_t id, Lang lang) {
  return s.db.read([&](Tx& tx) { return order_detail(s, tx, p, id, lang); });
}

std::pair<json::array, std::int64_t> list_orders(Services& s, const api::Principal& p,
                                                 const OrderQuery& q, Lang lang) {
  static const std::map<std::string, std::string, std::less<>> sorts = {
      {"created_at", "w.created_at, w.id"},
      {"-created_at", "w.created_at DESC, w.id DESC"},
      {"deadline_at", "w.deadline_at, w.id"},
      {"-deadline_at", "w.deadline_at DESC, w.id DESC"}};
  auto sort = sorts.find(q.sort.value_or("-created_at"));
  if (sort == sorts.end()) throw bad_request("request.bad_query", "sort");
  if (q.status && !std::any_of(statuses().begin(), statuses().end(),
                               [&](const Label& l) { return l.key == *q.status; }))
    throw bad_request("request.bad_query", "status");
  return s.db.read([&](Tx& tx) {
    std::string where = " WHERE 1=1";
    std::vector<Param> params;
    if (q.mine) {
      auto me = add_param(params, p.user_id);
      where += " AND (w.reporter_id = " + me +
               " OR w.id IN (SELECT order_id FROM wo_followers WHERE user_id = " + me + "))";
    } else {
      api::append_scope_condition(p, "workorder.read", {"w.path", "w.grid_path"}, where, params);
    }
    if (q.status) where += " AND w.status = " + add_param(params, *q.status);
    if (q.category) where += " AND w.category = " + add_param(params, *q.category);
    if (q.body) where += " AND w.body = " + add_param(params, *q.body);
    if (q.place_id) {
      auto place = tx.query_one("SELECT path FROM places WHERE id = $1", *q.place_id);
      if (!place) throw bad_request("request.bad_query", "place_id");
      where += " AND w.path >= " + add_param(params, place->str(0)) +
               " AND w.path < " + add_param(params, prefix_upper(place->str(0)));
    }
    if (q.overdue)
      where += " AND w.status IN ('submitted','accepted','dispatched','in_progress','reopened') "
               "AND w.deadline_at < " + add_param(params, now_ms());
    if (q.q && !q.q->empty())
      where += " AND w.text LIKE " + add_param(params, "%" + storage::escape_like(*q.q) + "%") +
               " ESCAPE '\\'";
    auto total = tx.query_one_v("SELECT COUNT(*) FROM work_orders w" + where, params)->i64(0);
    // The page's ids first, from the covering index alone; then their rows.
    auto page = tx.query_v("SELECT w.id FROM work_orders w" + where + " ORDER BY " + sort->second +
                               " LIMIT " + add_param(params, std::int64_t{q.limit}) + " OFFSET " +
                               add_param(params, std::int64_t{q.offset}),
                           params);
    json::array items;
    if (page.empty()) return std::make_pair(std::move(items), total);
    std::vector<Param> ids;
    std::string in;
    for (const auto& r : page) {
      if (!ids.empty()) in += ", ";
      in += add_param(ids, r.i64(0));
    }
    std::map<std::int64_t, json::object> rows;
    Millis now = now_ms();
    for (const auto& r : tx.query_v(std::string(kSummarySelect) + " WHERE w.id IN (" + in + ")", ids))
      rows.emplace(r.i64(0), summary_json(r, lang, now));
    for (const auto& r : page) items.push_back(std::move(rows.at(r.i64(0))));
    return std::make_pair(std::move(items), total);
  });
}

json::array nearby(Services& s, const api::Principal& p, const std::string& category,
                   std::int64_t place_id, std::optional<double> lat, std::optional<double> lng,
                   Lang lang) {
  constexpr double kRadius = 250;
  return s.db.read([&](Tx& tx) {
    auto place = tx.query_one("SELECT path FROM places WHERE id = $1", place_id);
    if (!place) throw unprocessable("workorder.bad_place", "place_id");
    if (!may_look_at(p, place->str(0))) throw forbidden("auth.scope_denied", "workorder.read");
    if ((lat && (!std::isfinite(*lat) || std::abs(*lat) > 90)) ||
        (lng && (!std::isfinite(*lng) || std::abs(*lng) > 180)))
      throw bad_request("request.bad_query", "lat");
    // The point: the one given, else the nearest one on the way up.
    std::optional<std::int64_t> plat, plng;
    if (lat && lng) {
      plat = std::llround(*lat * 1e6);
      plng = std::llround(*lng * 1e6);
    } else {
      auto ids = path_ids(place->str(0));
      for (auto it = ids.rbegin(); it != ids.rend() && !plat; ++it) {
        auto r = tx.query_one("SELECT lat_e6, lng_e6 FROM places WHERE id = $1", *it);
        if (r && !r->is_null(0)) {
          plat = r->i64(0);
          plng = r->i64(1);
        }
      }
    }
    std::string sql = std::string(kSummarySelect) +
                      " WHERE w.category = $1 AND w.status IN "
                      "('submitted','accepted','dispatched','in_progress','reopened') AND "
                      "(w.place_id = $2";
    std::vector<Param> params = {category, place_id};
    if (plat) {
      std::int64_t dlat = static_cast<std::int64_t>(kRadius / 111320.0 * 1e6) + 1;
      std::int64_t dlng = static_cast<std::int64_t>(
                              kRadius / (111320.0 * std::cos(*plat / 1e6 * M_PI / 180.0)) * 1e6) + 1;
      sql += " OR (w.lat_e6 BETWEEN " + add_param(params, *plat - dlat) + " AND " +
             add_param(params, *plat + dlat) + " AND w.lng_e6 BETWEEN " +
             add_param(params, *plng - dlng) + " AND " + add_param(params, *plng + dlng) + ")";
    }
    sql += ") ORDER BY w.id DESC LIMIT 200";
    std::vector<std::pair<double, json::object>> found;
    Millis now = now_ms();
    for (const auto& r : tx.query_v(sql, params)) {
      double d = 0;
      if (r.i64(4) != place_id) {
        if (!plat || r.is_null(19)) continue;
        d = distance_m(*plat, *plng, r.i64(19), r.i64(20));
        if (d > kRadius) continue;
      }
      json::object o = summary_json(r, lang, now);
      o["distance_m"] = std::llround(d);
      found.emplace_back(d, std::move(o));
    }
    std::stable_sort(found.begin(), found.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    json::array items;
    for (std::size_t i = 0; i < found.size() && i < 20; ++i) items.push_back(found[i].second);
    return items;
  });
}

json::array hotspots(Services& s, const api::Principal& p, Lang lang) {
  return s.db.read([&](Tx& tx) {
    Settings st = load_settings(tx);
    Millis since = now_ms() - st.hotspot_window_days * kDay;
    std::vector<Param> params;
    std::string where = " WHERE w.recurrence_of IS NOT NULL AND w.created_at >= " +
                        add_param(params, since);
    api::append_scope_condition(p, "workorder.read", {"w.path", "w.grid_path"}, where, params);
    auto threshold = add_param(params, std::int64_t{st.hotspot_threshold});
    auto since_n = add_param(params, since);
    std::string sql =
        "SELECT w.place_id, pl.name, w.category, c.zh, c.en, COUNT(*), MAX(w.created_at), "
        "(SELECT COUNT(*) FROM work_orders x WHERE x.place_id = w.place_id AND x.category = "
        "w.category AND x.created_at >= " + since_n + "), "
        "(SELECT COUNT(*) FROM wo_inspections i WHERE i.place_id = w.place_id AND i.category = "
        "w.category AND i.done_at IS NULL) "
        "FROM work_orders w JOIN places pl ON pl.id = w.place_id JOIN wo_categories c ON c.key = "
        "w.category" + where +
        " GROUP BY w.place_id, pl.name, w.category, c.zh, c.en HAVING COUNT(*) >= " + threshold +
        " ORDER BY COUNT(*) DESC, MAX(w.created_at) DESC LIMIT 200";
    json::array items;
    for (const auto& r : tx.query_v(sql, params))
      items.push_back({{"place_id", r.i64(0)},
                       {"place_name", r.str(1)},
                       {"category", r.str(2)},
                       {"category_label", lang == Lang::en ? r.str(4) : r.str(3)},
                       {"recurrences", r.i64(5)},
                       {"last_at", iso8601(r.i64(6))},
                       {"orders", r.i64(7)},
                       {"inspections_open", r.i64(8)}});
    return items;
  });
}

std::pair<json::array, std::int64_t> list_inspections(Services& s, const api::Principal& p,
                                                      const std::optional<std::string>& status,
                                                      int limit, int offset, Lang lang) {
  if (status && *status != "open" && *status != "done")
    throw bad_request("request.bad_query", "status");
  return s.db.read([&](Tx& tx) {
    std::string where = " WHERE 1=1";
    std::vector<Param> params;
    api::append_scope_condition(p, "workorder.inspect", {"i.path", "i.grid_path"}, where, params);
    if (status) where += *status == "open" ? " AND i.done_at IS NULL" : " AND i.done_at IS NOT NULL";
    auto total = tx.query_one_v("SELECT COUNT(*) FROM wo_inspections i" + where, params)->i64(0);
    std::string sql =
        "SELECT i.id, i.place_id, pl.name, i.category, c.zh, c.en, i.due_at, i.done_at, i.note, "
        "i.problem_found, u.display_name FROM wo_inspections i JOIN places pl ON pl.id = "
        "i.place_id JOIN wo_categories c ON c.key = i.category LEFT JOIN users u ON u.id = "
        "i.done_by" + where + " ORDER BY i.done_at IS NOT NULL, i.due_at, i.id LIMIT " +
        add_param(params, std::int64_t{limit}) + " OFFSET " + add_param(params, std::int64_t{offset});
    json::array items;
    for (const auto& r : tx.query_v(sql, params))
      items.push_back({{"id", r.i64(0)},
                       {"place_id", r.i64(1)},
                       {"place_name", r.str(2)},
                       {"category", r.str(3)},
                       {"category_label", lang == Lang::en ? r.str(5) : r.str(4)},
                       {"due_at", iso8601(r.i64(6))},
                       {"done_at", opt_time(r.opt_i64(7))},
                       {"note", opt(r.opt_str(8))},
                       {"problem_found", r.is_null(9) ? json::value(nullptr)
                                                      : json::value(r.i64(9) != 0)},
                       {"done_by", opt(r.opt_str(10))}});
    return std::make_pair(std::move(items), total);
  });
}

json::object complete_inspection(Services& s, const api::Principal& p, const api::Actor& actor,
                                 std::int64_t id, const std::string& note, bool problem_found) {
  return s.db.write([&](Tx& tx) {
    auto r = tx.query_one("SELECT path, grid_path, done_at FROM wo_inspections WHERE id = $1", id);
    if (!r) throw not_found("workorder.inspection_not_found");
    api::require_in_scope_any(p, "workorder.inspect", {r->str(0), r->opt_str(1).value_or("")});
    if (!r->is_null(2)) throw conflict("workorder.inspection_done");
    Millis now = now_ms();
    if (tx.exec("UPDATE wo_inspections SET done_at = $2, done_by = $3, note = $4, problem_found = "
                "$5 WHERE id = $1 AND done_at IS NULL",
                id, now, p.user_id, note, problem_found) != 1)
      throw conflict("workorder.inspection_done");
    audit::append(tx, actor,
                  {"workorder.inspect", "inspection", std::to_string(id), std::nullopt,
                   json::serialize(json::object{{"problem_found", problem_found}})});
    return json::object{{"id", id}, {"done_at", iso8601(now)}, {"note", note},
                        {"problem_found", problem_found}};
  });
}

std::pair<json::array, std::int64_t> list_consultations(Services& s, const api::Principal& p,
                                                        int limit, int offset) {
  return s.db.read([&](Tx& tx) {
    std::string where = " WHERE 1=1";
    std::vector<Param> params;
    api::append_scope_condition(p, "workorder.read", "t.path", where, params);
    auto total = tx.query_one_v("SELECT COUNT(*) FROM consultation_topics t" + where, params)->i64(0);
    json::array items;
    for (const auto& r : tx.query_v("SELECT t.id FROM consultation_topics t" + where +
                                        " ORDER BY t.id DESC LIMIT " +
                                        add_param(params, std::int64_t{limit}) + " OFFSET " +
                                        add_param(params, std::int64_t{offset}),
                                    params))
      items.push_back(get_consultation_tx(tx, p, r.i64(0)));
    return std::make_pair(std::move(items), total);
  });
}

json::object get_consultation(Services& s, const api::Principal& p, std::int64_t id) {
  return s.db.read([&](Tx& tx) { return get_consultation_tx(tx, p, id); });
}

// ---- the scorecard -----------------------------------------------------------

namespace {

// Beijing midnight of "YYYY-MM-DD", in ms since the epoch; nullopt when malformed.
std::optional<Millis> beijing_day(const std::string& d) {
  int y, m, day;
  if (d.size() != 10 || std::sscanf(d.c_str(), "%4d-%2d-%2d", &y, &m, &day) != 3 || m < 1 ||
      m > 12 || day < 1 || day > 31 || y < 2000 || y > 2100)
    return std::nullopt;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (day > kDays[m - 1] + (m == 2 && leap)) return std::nullopt;
  // Days since the epoch (civil calendar, proleptic Gregorian).
  y -= m <= 2;
  int era = y / 400;
  int yoe = y - era * 400;
  int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  std::int64_t days = std::int64_t{era} * 146097 + doe - 719468;
  return days * kDay - 8 * kHour;
}

// Nearest-rank percentile of minutes; null for no data.
json::value percentile(std::vector<Millis> v, double q) {
  if (v.empty()) return nullptr;
  std::sort(v.begin(), v.end());
  std::size_t rank = static_cast<std::size_t>(std::ceil(q * v.size()));
  rank = std::clamp<std::size_t>(rank, 1, v.size());
  return std::llround(v[rank - 1] / 60000.0);
}

struct Tally {
  std::int64_t orders = 0, resolved = 0, due = 0, on_time = 0, ratings = 0, rating_sum = 0,
               recurrences = 0;
  std::vector<Millis> response, resolution;

  void add(const storage::Row& r, Millis now) {
    ++orders;
    Millis created = r.i64(4), deadline = r.i64(7);
    if (auto a = r.opt_i64(5)) response.push_back(*a - created);
    auto resolved_at = r.opt_i64(6);
    if (resolved_at) {
      ++resolved;
      resolution.push_back(*resolved_at - created);
    }
    if (resolved_at || now > deadline) {
      ++due;
      if (resolved_at && *resolved_at <= deadline) ++on_time;
    }
    if (auto rating = r.opt_i64(8)) {
      ++ratings;
      rating_sum += *rating;
    }
    if (!r.is_null(9)) ++recurrences;
  }

  json::object json() const {
    auto rate = [](std::int64_t a, std::int64_t b) {
      return b == 0 ? json::value(nullptr) : json::value(static_cast<double>(a) / b);
    };
    return {{"orders", orders},
            {"resolved", resolved},
            {"response_p50_min", percentile(response, 0.5)},
            {"response_p90_min", percentile(response, 0.9)},
            {"resolution_p50_min", percentile(resolution, 0.5)},
            {"resolution_p90_min", percentile(resolution, 0.9)},
            {"on_time_rate", rate(on_time, due)},
            {"satisfaction", ratings == 0 ? json::value(nullptr)
                                          : json::value(static_cast<double>(rating_sum) / ratings)},
            {"ratings", ratings},
            {"recurrence_rate", rate(recurrences, orders)}};
  }
};

}  // namespace

json::object scorecard(Services& s, const api::Principal& p, const std::string& from,
                       const std::string& to) {
  auto a = beijing_day(from), b = beijing_day(to);
  if (!a) throw unprocessable("workorder.bad_period", "from");
  if (!b || *b < *a || *b - *a > 366 * kDay) throw unprocessable("workorder.bad_period", "to");
  return s.db.read([&](Tx& tx) {
    std::vector<Param> params = {*a, *b + kDay};
    std::string where =
        " WHERE w.body = 'property' AND w.compound_id IS NOT NULL AND w.created_at >= $1 AND "
        "w.created_at < $2";
    api::append_scope_condition(p, "workorder.read", {"w.path", "w.grid_path"}, where, params);
    struct Company {
      std::string name;
      Tally all;
      std::map<std::int64_t, std::pair<std::string, Tally>> compounds;
    };
    std::map<std::int64_t, Company> companies;
    Millis now = now_ms();
    for (const auto& r : tx.query_v(
             "SELECT w.compound_id, cp.name, w.body_org_id, o.name, w.created_at, w.accepted_at, "
             "w.resolved_at, w.deadline_at, w.rating, w.recurrence_of FROM work_orders w JOIN "
             "places cp ON cp.id = w.compound_id JOIN orgs o ON o.id = w.body_org_id" + where,
             params)) {
      auto& c = companies[r.i64(2)];
      c.name = r.str(3);
      c.all.add(r, now);
      auto& cp = c.compounds[r.i64(0)];
      cp.first = r.str(1);
      cp.second.add(r, now);
    }
    json::array out;
    for (const auto& [org_id, c] : companies) {
      json::object o = c.all.json();
      o["org_id"] = org_id;
      o["name"] = c.name;
      json::array compounds;
      for (const auto& [place_id, cp] : c.compounds) {
        json::object x = cp.second.json();
        x["place_id"] = place_id;
        x["name"] = cp.first;
        compounds.push_back(std::move(x));
      }
      o["compounds"] = std::move(compounds);
      out.push_back(std::move(o));
    }
    return json::object{{"from", from}, {"to", to}, {"companies", std::move(out)}};
  });
}

// ---- the public view (Open311) ------------------------------------------------

std::vector<PublicOrder> public_orders(Services& s, const PublicQuery& q) {
  return s.db.read_once([&](Tx& tx) {
    std::string where = " WHERE 1=1";
    std::vector<Param> params;
    auto in_list = [&](const char* column, const auto& values) {
      if (values.empty()) return;
      where += std::string(" AND ") + column + " IN (";
      for (std::size_t i = 0; i < values.size(); ++i)
        where += (i ? ", " : "") + add_param(params, Param(values[i]));
      where += ")";
    };
    in_list("w.id", q.ids);
    in_list("w.category", q.service_codes);
    bool open = std::find(q.statuses.begin(), q.statuses.end(), "open") != q.statuses.end();
    bool closed = std::find(q.statuses.begin(), q.statuses.end(), "closed") != q.statuses.end();
    const char* open_set = "('submitted','accepted','dispatched','in_progress','reopened')";
    if (open && !closed) where += std::string(" AND w.status IN ") + open_set;
    if (closed && !open) where += std::string(" AND w.status NOT IN ") + open_set;
    if (q.start) where += " AND w.created_at >= " + add_param(params, *q.start);
    if (q.end) where += " AND w.created_at <= " + add_param(params, *q.end);
    std::string sql =
        "SELECT w.id, w.status, w.category, c.zh, w.body, w.text, pl.name, "
        "COALESCE(pl.address, cp.address), pl.code, o.name, w.reject_reason, w.lat_e6, w.lng_e6, "
        "w.created_at, w.updated_at, w.deadline_at FROM work_orders w JOIN wo_categories c ON "
        "c.key = w.category JOIN places pl ON pl.id = w.place_id LEFT JOIN places cp ON cp.id = "
        "w.compound_id LEFT JOIN orgs o ON o.id = w.body_org_id" + where +
        " ORDER BY w.created_at DESC, w.id DESC LIMIT " + add_param(params, std::int64_t{q.limit});
    std::vector<PublicOrder> out;
    for (const auto& r : tx.query_v(sql, params)) {
      PublicOrder o;
      o.id = r.i64(0);
      o.status = r.str(1);
      o.category = r.str(2);
      o.category_zh = r.str(3);
      o.body = r.str(4);
      o.text = r.str(5);
      o.place_name = r.str(6);
      o.address = r.opt_str(7);
      o.place_code = r.opt_str(8);
      o.body_name = r.opt_str(9);
      o.reject_reason = r.opt_str(10);
      if (auto lat = r.opt_i64(11)) o.lat = *lat / 1e6;
      if (auto lng = r.opt_i64(12)) o.lng = *lng / 1e6;
      o.created_at = r.i64(13);
      o.updated_at = r.i64(14);
      o.deadline_at = r.i64(15);
      out.push_back(std::move(o));
    }
    return out;
  });
}

}  // namespace xh::workorders
