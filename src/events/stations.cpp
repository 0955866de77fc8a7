// Scored stations, score cards, leaderboards and prizes (EVT-2).
#include <cmath>
#include <set>

#include "api/scope.h"
#include "audit/audit.h"
#include "core/error.h"
#include "core/json_input.h"
#include "core/json_output.h"
#include "events/events.h"
#include "events/shared.h"
#include "people/identity.h"

namespace xh::events {

namespace json = boost::json;

namespace {

constexpr int kBoardSize = 10;
// The largest number a station records (hundredths are kept).
constexpr double kMaxValue = 1e7;

std::optional<Row> station_row(Tx& tx, std::int64_t id) {
  return tx.query_one(std::string(kStation) + "WHERE s.id = $1", id);
}

// Staff on the line of the event: they see its stations (a community's staff
// those of the street's festival that stops in their community) …
bool manages(const api::Principal& p, const Row& s) {
  return on_line(p, "event.manage", s.str("event_path"));
}
// … and score, and read the results of, the tickets of the stops in their
// own scope (the event's organisers: every stop).
bool keeps(const api::Principal& p, const std::string& date_path) {
  return api::in_scope(p, "event.manage", date_path) || api::in_scope(p, "event.checkin", date_path);
}

// Named at the station, or a contact of the partner running it.
bool operates(Tx& tx, const api::Principal& p, const Row& s) {
  if (tx.query_one("SELECT 1 AS x FROM event_station_operators WHERE station_id = $1 AND user_id = $2",
                   s.i64("id"), p.user_id))
    return true;
  auto org = s.opt_i64("org_id");
  return org && tx.query_one("SELECT 1 AS x FROM org_contacts WHERE org_id = $1 AND user_id = $2",
                             *org, p.user_id);
}

Row load_station(Tx& tx, const api::Principal& p, std::int64_t id) {
  auto s = station_row(tx, id);
  if (!s) throw not_found("event.station_not_found");
  if (!manages(p, *s) && !operates(tx, p, *s)) load_event(tx, p, s->i64("event_id"));
  return *s;
}

void set_operators(Tx& tx, std::int64_t station_id, const std::vector<std::int64_t>& ids) {
  tx.exec("DELETE FROM event_station_operators WHERE station_id = $1", station_id);
  for (auto u : std::set<std::int64_t>(ids.begin(), ids.end())) {
    if (!tx.query_one("SELECT 1 AS x FROM users WHERE id = $1 AND disabled = 0", u))
      throw unprocessable("event.bad_operator", "operator_ids");
    tx.exec("INSERT INTO event_station_operators (station_id, user_id) VALUES ($1, $2)", station_id, u);
  }
}

void check_org(Tx& tx, std::optional<std::int64_t> org) {
  if (org && !tx.query_one("SELECT 1 AS x FROM orgs WHERE id = $1 AND archived_at IS NULL", *org))
    throw unprocessable("event.bad_org", "org_id");
}

json::value value_of(const std::optional<std::int64_t>& v) {
  if (!v) return nullptr;
  return static_cast<double>(*v) / 100.0;
}

// The date whose hours hold now, else none (every date).
std::optional<std::int64_t> current_date(Tx& tx, std::int64_t event_id) {
  Millis now = now_ms();
  auto d = tx.query_one("SELECT id FROM event_dates WHERE event_id = $1 AND starts_at <= $2 AND "
                        "ends_at >= $2 AND cancelled_at IS NULL ORDER BY starts_at LIMIT 1",
                        event_id, now);
  if (!d) return std::nullopt;
  return d->i64("id");
}

json::object board(Tx& tx, const Row& s, std::optional<std::int64_t> date_id, Lang lang) {
  auto out = station_view(s, lang);
  std::string where = "sc.station_id = $1";
  std::vector<storage::Param> params{s.i64("id")};
  if (date_id) {
    where += " AND sc.date_id = $2";
    params.push_back(*date_id);
  }
  auto totals = tx.query_one_v(
      "SELECT COUNT(*) AS scored, COALESCE(SUM(CASE WHEN sc.value_x100 > 0 THEN 1 ELSE 0 END), 0) "
      "AS passed FROM event_scores sc WHERE " + where,
      params);
  out["date_id"] = nullable(date_id);
  out["scored"] = totals->i64("scored");
  out["passed"] = totals->i64("passed");
  json::array entries;
  const auto& kind = s.str("value_kind");
  if (kind == "number" || kind == "level") {
    std::string order = s.flag("higher_better") ? "DESC" : "ASC";
    int rank = 0;
    for (const auto& r : tx.query_v(
             "SELECT sc.value_x100, sc.scored_at, r.name, r.public_name, pl.name AS place_name "
             "FROM event_scores sc JOIN event_registrations r ON r.id = sc.registration_id JOIN "
             "event_dates d ON d.id = sc.date_id JOIN places pl ON pl.id = d.place_id WHERE " +
                 where + " AND sc.value_x100 IS NOT NULL ORDER BY sc.value_x100 " + order +
                 ", sc.scored_at LIMIT " + std::to_string(kBoardSize),
             params)) {
      entries.push_back({{"rank", ++rank},
                         {"name", r.flag("public_name") ? r.str("name") : people::mask_name(r.str("name"))},
                         {"place_name", r.str("place_name")},
                         {"value", value_of(r.opt_i64("value_x100"))},
                         {"scored_at", iso8601(r.i64("scored_at"))}});
    }
  }
  out["entries"] = std::move(entries);
  return out;
}

}  // namespace

// ---- stations --------------------------------------------------------------------

json::object station_view(const Row& s, Lang lang) {
  bool en = lang == Lang::en;
  return {{"id", s.i64("id")},
          {"event_id", s.i64("event_id")},
          {"title", s.str("title")},
          {"name", s.str("name")},
          {"score_type", s.str("score_type")},
          {"score_type_name", en ? s.str("name_en") : s.str("name_zh")},
          {"value_kind", s.str("value_kind")},
          {"unit", nullable(en ? s.opt_str("unit_en") : s.opt_str("unit_zh"))},
          {"higher_better", s.flag("higher_better")},
          {"max_value", nullable(s.opt_i64("max_value"))},
          {"required", s.flag("required")}};
}


json::array Events::score_types(Lang lang) const {
  return db_.read([&](Tx& tx) {
    json::array out;
    bool en = lang == Lang::en;
    for (const auto& t : tx.query("SELECT * FROM event_score_types ORDER BY ordinal"))
      out.push_back({{"code", t.str("code")},
                     {"name", en ? t.str("name_en") : t.str("name_zh")},
                     {"value_kind", t.str("value_kind")},
                     {"unit", nullable(en ? t.opt_str("unit_en") : t.opt_str("unit_zh"))},
                     {"higher_better", t.flag("higher_better")},
                     {"max_value", nullable(t.opt_i64("max_value"))}});
    return out;
  });
}

json::object Events::add_station(const api::Principal& p, const api::Actor& actor,
                                 std::int64_t event_id, const std::string& body, Lang lang) const {
  JsonInput in(body, {"name", "score_type", "required", "org_id", "operator_ids"});
  auto name = in.str("name", 40);
  if (name.empty()) throw unprocessable("request.missing_field", "name");
  auto type = in.str("score_type", 20);
  auto required = in.opt_bool("required");
  auto org = in.opt_i64("org_id");
  auto ops = in.opt_id_array("operator_ids", 50).value_or(std::vector<std::int64_t>{});
  Millis now = now_ms();
  return db_.write([&](Tx& tx) {
    auto e = load_event(tx, p, event_id);
    require_staff(p, "event.manage", e.str("path"));
    auto t = tx.query_one("SELECT value_kind FROM event_score_types WHERE code = $1", type);
    if (!t) throw unprocessable("event.bad_score_type", "score_type");
    check_org(tx, org);
    // A health check has no score: it counts towards the card only when asked.
    bool req = required.value_or(t->str("value_kind") != "none");
    auto pos = tx.query_one("SELECT COALESCE(MAX(position), 0) + 1 AS n FROM event_stations WHERE "
                            "event_id = $1",
                            event_id)
                   ->i64("n");
    auto id = tx.query_one("INSERT INTO event_stations (event_id, name, score_type, required, "
                           "org_id, position, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) "
                           "RETURNING id",
                           event_id, name, type, req ? 1 : 0, org, pos, now)
                  ->i64("id");
    set_operators(tx, id, ops);
    audit::append(tx, actor, {"event.station_create", "event_station", std::to_string(id),
                              std::nullopt, json::serialize(json::object{{"name", name}})});
    return station_view(*station_row(tx, id), lang);
  });
}

json::object Events::update_station(const api::Principal& p, const api::Actor& actor,
                                    std::int64_t station_id, const std::string& body,
                                    Lang lang) const {
  JsonInput in(body, {"name", "required", "org_id", "operator_ids"});
  auto name = in.opt_str("name", 40);
  if (name && name->empty()) throw unprocessable("request.missing_field", "name");
  auto required = in.opt_bool("required");
  auto doc = json::parse(body).as_object();  // checked by JsonInput: an object
  bool clear_org = doc.contains("org_id") && doc.at("org_id").is_null();
  auto org = clear_org ? std::nullopt : in.opt_i64("org_id");
  auto ops = in.opt_id_array("operator_ids", 50);
  return db_.write([&](Tx& tx) {
    auto s = load_station(tx, p, station_id);
    require_staff(p, "event.manage", s.str("event_path"));
    check_org(tx, org);
    tx.exec("UPDATE event_stations SET name = COALESCE($2, name), required = COALESCE($3, "
            "required) WHERE id = $1",
            station_id, name, required ? std::optional<std::int64_t>(*required ? 1 : 0) : std::nullopt);
    if (clear_org || org) tx.exec("UPDATE event_stations SET org_id = $2 WHERE id = $1", station_id, org);
    if (ops) set_operators(tx, station_id, *ops);
    audit::append(tx, actor, {"event.station_update", "event_station", std::to_string(station_id),
                              std::nullopt, std::nullopt});
    return station_view(*station_row(tx, station_id), lang);
  });
}

json::array Events::my_stations(const api::Principal& p, Lang lang) const {
  return db_.read([&](Tx& tx) {
    json::array out;
    for (const auto& s : tx.query(
             std::string(kStation) +
                 "WHERE e.status = 'published' AND (s.id IN (SELECT station_id FROM "
                 "event_station_operators WHERE user_id = $1) OR s.org_id IN (SELECT org_id FROM "
                 "org_contacts WHERE user_id = $1) OR $2 = 1) ORDER BY e.id DESC, s.position "
                 "LIMIT 200",
             p.user_id, p.has_permission("event.manage") ? 1 : 0)) {
      if (!manages(p, s) && !operates(tx, p, s)) continue;
      auto v = station_view(s, lang);
      json::array dates;
      for (const auto& d : tx.query("SELECT d.id, d.starts_at, d.ends_at, pl.name FROM event_dates d "
                                    "JOIN places pl ON pl.id = d.place_id WHERE d.event_id = $1 "
                                    "AND d.cancelled_at IS NULL ORDER BY d.starts_at",
                                    s.i64("event_id")))
        dates.push_back({{"id", d.i64("id")}, {"place_name", d.str("name")},
                         {"starts_at", iso8601(d.i64("starts_at"))}, {"ends_at", iso8601(d.i64("ends_at"))}});
      v["dates"] = std::move(dates);
      out.push_back(std::move(v));
    }
    return out;
  });
}

json::object Events::score(const api::Principal& p, const api::Actor& actor,
                           std::int64_t station_id, const std::string& body, Lang lang) const {
  JsonInput in(body, {"code", "value", "passed", "note"});
  auto code = in.str("code", 64);
  auto value = in.opt_f64("value");
  auto passed = in.opt_bool("passed");
  auto note = in.opt_str("note", 200);
  Millis now = now_ms();
  return db_.write([&](Tx& tx) {
    auto s = load_station(tx, p, station_id);
    bool op = operates(tx, p, s);
    if (!manages(p, s) && !op) throw forbidden("auth.scope_denied", "event.manage");
    auto r0 = ticket_by_code(tx, code);
    if (!r0 || r0->i64("event_id") != s.i64("event_id")) throw not_found("event.ticket_not_found");
    // Staff score at the stops they keep; the station's operators at every stop.
    if (!op && !keeps(p, r0->str("path"))) throw forbidden("auth.scope_denied", "event.checkin");
    if (r0->str("status") != "registered") throw conflict("event.not_registered");
    if (s.str("event_status") != "published") throw conflict("event.not_open");
    auto d = *date_row(tx, r0->i64("date_id"));
    if (d.opt_i64("cancelled_at")) throw conflict("event.date_cancelled");
    if (now < d.i64("starts_at") - 2 * kHour || now > d.i64("ends_at") + 2 * kHour)
      throw conflict("event.door_closed");
    // The result, as the station's type reads it.
    std::optional<std::int64_t> x100;
    const auto& kind = s.str("value_kind");
    if (kind == "number") {
      if (!value || *value < 0 || *value > kMaxValue) throw unprocessable("event.bad_value", "value");
      x100 = static_cast<std::int64_t>(std::llround(*value * 100));
    } else if (kind == "level") {
      auto max = s.opt_i64("max_value").value_or(10);
      if (!value || *value != std::floor(*value) || *value < 1 || *value > static_cast<double>(max))
        throw unprocessable("event.bad_value", "value");
      x100 = static_cast<std::int64_t>(*value) * 100;
    } else if (kind == "pass") {
      if (!passed) throw unprocessable("event.bad_value", "passed");
      x100 = *passed ? 100 : 0;
    } else if (value || passed) {
      throw unprocessable("event.bad_value", "value");
    }
    // Scores of one ticket take turns: the card completes exactly once.
    tx.exec("UPDATE event_registrations SET updated_at = $2 WHERE id = $1", r0->i64("id"), now);
    if (tx.exec("INSERT INTO event_scores (station_id, registration_id, date_id, value_x100, note, "
                "scored_by, scored_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT "
                "(station_id, registration_id) DO NOTHING",
                station_id, r0->i64("id"), r0->i64("date_id"), x100, note, p.user_id, now) != 1)
      throw conflict("event.already_scored");
    auto r = *ticket_row(tx, r0->i64("id"));
    json::array notify;
    bool completed = false;
    if (!r.opt_i64("completed_at")) {
      auto c = tx.query_one(
          "SELECT (SELECT COUNT(*) FROM event_stations WHERE event_id = $1 AND required = 1) AS "
          "required, (SELECT COUNT(*) FROM event_scores sc JOIN event_stations st ON st.id = "
          "sc.station_id WHERE sc.registration_id = $2 AND st.required = 1) AS scored",
          s.i64("event_id"), r.i64("id"));
      if (c->i64("required") > 0 && c->i64("scored") >= c->i64("required")) {
        tx.exec("UPDATE event_registrations SET completed_at = $2 WHERE id = $1 AND completed_at IS NULL",
                r.i64("id"), now);
        completed = true;
        if (auto u = r.opt_i64("user_id"))
          notify.push_back(notice(*u, "event.completed", "event.notice.completed",
                                  {{"title", r.str("title")}}, "event_ticket", r.i64("id")));
      }
    }
    audit::append(tx, actor, {"event.score", "event_registration", std::to_string(r.i64("id")),
                              std::nullopt,
                              json::serialize(json::object{{"station_id", station_id},
                                                           {"value", value_of(x100)}})});
    emit(tx, events_, actor, "event.scored", "event_station", station_id, d.str("path"),
         {{"date_id", d.i64("id")}});
    emit(tx, events_, actor, "event.ticket_changed", "event_ticket", r.i64("id"), d.str("path"),
         {{"station_id", station_id}, {"completed", completed}}, std::move(notify));
    // The operator sees the participant's name masked (a partner's staff need no more).
    auto fresh = *ticket_row(tx, r.i64("id"));
    // Whether a prize waits at the desk (the operator says so to one who just completed).
    auto prizes = tx.query_one("SELECT COALESCE(SUM(stock), 0) AS n FROM event_prizes WHERE event_id = $1",
                               s.i64("event_id"))
                      ->i64("n");
    return json::object{{"station_id", station_id},
                        {"registration_id", r.i64("id")},
                        {"name", people::mask_name(r.str("name"))},
                        {"value", value_of(x100)},
                        {"completed", fresh.opt_i64("completed_at").has_value()},
                        {"just_completed", completed},
                        {"prize_available", prizes > 0},
                        {"scored_at", iso8601(now)}};
  });
}

api::Listed Events::results(const api::Principal& p, std::int64_t station_id,
                            std::optional<std::int64_t> date_id, const api::Page& page) const {
  return db_.read([&](Tx& tx) {
    auto s = load_station(tx, p, station_id);
    // The organisers see every stop's results; a stop's staff their stops'
    // (names in full: their own residents); the station's operators every
    // stop's, names masked (a partner's staff need no more).
    bool organiser = api::in_scope(p, "event.manage", s.str("event_path"));
    bool op = operates(tx, p, s);
    bool local = !organiser && manages(p, s);
    if (!organiser && !op && !local) throw forbidden("auth.scope_denied", "event.manage");
    bool staff = organiser || (local && !op);
    api::ListQuery l("event_scores sc JOIN event_registrations r ON r.id = sc.registration_id "
                     "JOIN event_dates d ON d.id = sc.date_id JOIN places pl ON pl.id = "
                     "d.place_id LEFT JOIN users u ON u.id = sc.scored_by");
    l.where("sc.station_id = ?", {station_id}).where_if("sc.date_id = ?", date_id);
    if (!organiser && !op) {
      auto c = api::scope_clause(p, "event.manage", {"d.path"});
      l.where("(" + c.sql + ")", c.values);
    }
    l.sort({{"scored_at", "sc.id"}, {"value", "sc.value_x100"}}, std::nullopt, "-scored_at").page(page);
    auto found = l.rows(tx, "sc.*, r.name, pl.name AS place_name, u.display_name AS by_name");
    api::Listed out{{}, found.total};
    for (const auto& r : found.rows)
      out.items.push_back({{"id", r.i64("id")},
                           {"registration_id", r.i64("registration_id")},
                           {"date_id", r.i64("date_id")},
                           {"place_name", r.str("place_name")},
                           {"name", staff ? r.str("name") : people::mask_name(r.str("name"))},
                           {"value", value_of(r.opt_i64("value_x100"))},
                           {"note", nullable(r.opt_str("note"))},
                           {"by", nullable(r.opt_str("by_name"))},
                           {"scored_at", iso8601(r.i64("scored_at"))}});
    return out;
  });
}

json::object Events::leaderboard(const api::Principal& p, std::int64_t station_id,
                                 std::optional<std::int64_t> date_id, Lang lang) const {
  return db_.read([&](Tx& tx) {
    auto s = load_station(tx, p, station_id);
    return board(tx, s, date_id, lang);
  });
}

// ---- prizes ----------------------------------------------------------------------

json::object Events::add_prize(const api::Principal& p, const api::Actor& actor,
                               std::int64_t event_id, const std::string& body) const {
  JsonInput in(body, {"name", "stock"});
  auto name = in.str("name", 40);
  if (name.empty()) throw unprocessable("request.missing_field", "name");
  auto stock = in.i64("stock");
  if (stock < 0 || stock > 1000000) throw unprocessable("event.bad_stock", "stock");
  Millis now = now_ms();
  return db_.write([&](Tx& tx) {
    auto e = load_event(tx, p, event_id);
    require_staff(p, "event.manage", e.str("path"));
    auto id = tx.query_one("INSERT INTO event_prizes (event_id, name, stock, created_at) VALUES "
                           "($1, $2, $3, $4) RETURNING id",
                           event_id, name, stock, now)
                  ->i64("id");
    audit::append(tx, actor, {"event.prize_create", "event_prize", std::to_string(id), std::nullopt,
                              json::serialize(json::object{{"name", name}, {"stock", stock}})});
    return json::object{{"id", id}, {"name", name}, {"stock", stock}, {"handed", 0}};
  });
}

json::object Events::update_prize(const api::Principal& p, const api::Actor& actor,
                                  std::int64_t prize_id, const std::string& body) const {
  JsonInput in(body, {"stock"});
  auto stock = in.i64("stock");
  if (stock < 0 || stock > 1000000) throw unprocessable("event.bad_stock", "stock");
  return db_.write([&](Tx& tx) {
    auto z = tx.query_one("SELECT * FROM event_prizes WHERE id = $1", prize_id);
    if (!z) throw not_found("event.prize_not_found");
    auto e = load_event(tx, p, z->i64("event_id"));
    require_staff(p, "event.manage", e.str("path"));
    tx.exec("UPDATE event_prizes SET stock = $2 WHERE id = $1", prize_id, stock);
    audit::append(tx, actor, {"event.prize_stock", "event_prize", std::to_string(prize_id),
                              json::serialize(json::object{{"stock", z->i64("stock")}}),
                              json::serialize(json::object{{"stock", stock}})});
    return json::object{{"id", prize_id}, {"name", z->str("name")}, {"stock", stock},
                        {"handed", z->i64("handed")}};
  });
}

json::object Events::hand_prize(const api::Principal& p, const api::Actor& actor,
                                std::int64_t event_id, const std::string& body) const {
  JsonInput in(body, {"code", "prize_id"});
  auto code = in.str("code", 64);
  auto prize_id = in.i64("prize_id");
  Millis now = now_ms();
  return db_.write([&](Tx& tx) {
    auto e = load_event(tx, p, event_id);
    auto r0 = ticket_by_code(tx, code);
    if (!r0 || r0->i64("event_id") != event_id) throw not_found("event.ticket_not_found");
    auto d = *date_row(tx, r0->i64("date_id"));
    if (!api::in_scope(p, "event.checkin", d.str("path")) &&
        !api::in_scope(p, "event.manage", e.str("path")))
      throw forbidden("auth.scope_denied", "event.checkin");
    auto z = tx.query_one("SELECT * FROM event_prizes WHERE id = $1 AND event_id = $2", prize_id, event_id);
    if (!z) throw unprocessable("event.bad_prize", "prize_id");
    // One prize a card: the ticket's row is held until commit.
    tx.exec("UPDATE event_registrations SET updated_at = $2 WHERE id = $1", r0->i64("id"), now);
    auto r = *ticket_row(tx, r0->i64("id"));
    if (r.str("status") != "registered") throw conflict("event.not_registered");
    if (!r.opt_i64("completed_at")) throw conflict("event.card_incomplete");
    if (tx.query_one("SELECT 1 AS x FROM event_prize_awards WHERE registration_id = $1", r.i64("id")))
      throw conflict("event.prize_handed");
    if (tx.exec("UPDATE event_prizes SET stock = stock - 1, handed = handed + 1 WHERE id = $1 AND "
                "stock > 0",
                prize_id) != 1)
      throw conflict("event.out_of_stock");
    tx.exec("INSERT INTO event_prize_awards (registration_id, prize_id, handed_by, handed_at) "
            "VALUES ($1, $2, $3, $4)",
            r.i64("id"), prize_id, p.user_id, now);
    audit::append(tx, actor, {"event.prize_hand", "event_registration", std::to_string(r.i64("id")),
                              std::nullopt, json::serialize(json::object{{"prize_id", prize_id}})});
    emit(tx, events_, actor, "event.ticket_changed", "event_ticket", r.i64("id"), d.str("path"),
         {{"prize", true}});
    auto left = tx.query_one("SELECT stock FROM event_prizes WHERE id = $1", prize_id)->i64("stock");
    return json::object{{"registration_id", r.i64("id")},
                        {"name", people::mask_name(r.str("name"))},
                        {"prize", z->str("name")},
                        {"stock", left},
                        {"handed_at", iso8601(now)}};
  });
}

// ---- live topics -----------------------------------------------------------------

void require_date(Tx& tx, const api::Principal& p, std::int64_t id) { load_date(tx, p, id); }

void require_station(Tx& tx, const api::Principal& p, std::int64_t id) { load_station(tx, p, id); }

void require_ticket(Tx& tx, const api::Principal& p, std::int64_t id) {
  auto r = ticket_row(tx, id);
  if (!r) throw not_found("event.ticket_not_found");
  if (r->opt_i64("user_id") == p.user_id) return;
  if (auto org = r->opt_i64("org_id"))
    if (tx.query_one("SELECT 1 AS x FROM org_contacts WHERE org_id = $1 AND user_id = $2", *org, p.user_id))
      return;
  auto d = *date_row(tx, r->i64("date_id"));
  if (api::in_scope(p, "event.checkin", d.str("path")) || api::in_scope(p, "event.manage", d.str("event_path")))
    return;
  throw not_found("event.ticket_not_found");
}

json::object station_screen(Tx& tx, std::int64_t id, Lang lang) {
  auto s = station_row(tx, id);
  if (!s) throw not_found("event.station_not_found");
  return board(tx, *s, current_date(tx, s->i64("event_id")), lang);
}

}  // namespace xh::events
