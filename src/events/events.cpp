// Events, their dates, registration, invitations and check-in (EVT-1).
#include "events/events.h"

#include <set>

#include "api/scope.h"
#include "audit/audit.h"
#include "core/error.h"
#include "core/json_input.h"
#include "core/json_output.h"
#include "events/shared.h"
#include "people/identity.h"

namespace xh::events {

namespace json = boost::json;

namespace {

// Check-in opens this long before a date starts.
constexpr Millis kDoorsOpen = 2 * kHour;
constexpr std::int64_t kMaxCapacity = 100000;

void audit_event(Tx& tx, const api::Actor& actor, const char* action, std::string_view type,
                 std::int64_t id, std::optional<json::object> after = std::nullopt) {
  audit::append(tx, actor,
                {action, std::string(type), std::to_string(id), std::nullopt,
                 after ? std::optional<std::string>(json::serialize(*after)) : std::nullopt});
}

bool one_of(const std::vector<Label>& labels, const std::string& key) {
  for (const auto& l : labels)
    if (l.key == key) return true;
  return false;
}

// A place an event or date may be held at: a live street, community or place within.
Row live_place(Tx& tx, std::int64_t id, const char* field) {
  auto pl = tx.query_one(
      "SELECT id, kind, name, path FROM places WHERE id = $1 AND archived_at IS NULL", id);
  if (!pl) throw unprocessable("event.bad_place", field);
  return *pl;
}

struct DateFields {
  std::int64_t place_id = 0;
  std::optional<std::string> venue;
  Millis starts = 0, ends = 0;
  std::int64_t capacity = 0;
  bool waitlist = true, exit_scan = false;
};

DateFields read_date(const std::string& body) {
  JsonInput in(body, {"place_id", "venue", "starts_at", "ends_at", "capacity", "waitlist",
                      "exit_scan"});
  DateFields f;
  f.place_id = in.i64("place_id");
  f.venue = in.opt_str("venue", 100);
  auto s = parse_w3c(in.str("starts_at", 40)), e = parse_w3c(in.str("ends_at", 40));
  if (!s) throw unprocessable("event.bad_time", "starts_at");
  if (!e || *e <= *s || *e - *s > 31 * kDay) throw unprocessable("event.bad_time", "ends_at");
  f.starts = *s;
  f.ends = *e;
  f.capacity = in.i64("capacity");
  if (f.capacity < 1 || f.capacity > kMaxCapacity) throw unprocessable("event.bad_capacity", "capacity");
  f.waitlist = in.opt_bool("waitlist").value_or(true);
  f.exit_scan = in.opt_bool("exit_scan").value_or(false);
  return f;
}

// Inserts a date of the event held at `event_path`: at a place within it.
std::int64_t insert_date(Tx& tx, std::int64_t event_id, const std::string& event_path,
                         const DateFields& f) {
  auto pl = live_place(tx, f.place_id, "place_id");
  if (pl.str("path").rfind(event_path, 0) != 0) throw unprocessable("event.bad_place", "place_id");
  return tx.query_one(
              "INSERT INTO event_dates (event_id, place_id, path, venue, starts_at, ends_at, "
              "capacity, waitlist, exit_scan) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
              "RETURNING id",
              event_id, f.place_id, pl.str("path"), f.venue, f.starts, f.ends, f.capacity,
              f.waitlist ? 1 : 0, f.exit_scan ? 1 : 0)
      ->i64("id");
}

json::object event_view(const Row& e) {
  return {{"id", e.i64("id")},
          {"kind", e.str("kind")},
          {"title", e.str("title")},
          {"description", nullable(e.opt_str("description"))},
          {"audience", e.str("audience")},
          {"status", e.str("status")},
          {"place", {{"id", e.i64("place_id")}, {"name", e.str("place_name")}}},
          {"created_at", iso8601(e.i64("created_at"))}};
}

// Locks the date for a change of its places (every process waits its turn)
// and reads it as it now stands.
Row lock_date(Tx& tx, std::int64_t id) {
  tx.exec("UPDATE event_dates SET taken = taken WHERE id = $1", id);
  auto d = date_row(tx, id);
  if (!d) throw not_found("event.date_not_found");
  return *d;
}

void require_open(const Row& d, Millis now) {
  if (d.str("event_status") != "published") throw conflict("event.not_open");
  if (d.opt_i64("cancelled_at")) throw conflict("event.date_cancelled");
  if (now > d.i64("ends_at")) throw conflict("event.date_over");
}

// The place a registration takes: registered, else waiting, else 409.
std::string take_place(Tx& tx, const Row& d) {
  if (tx.exec("UPDATE event_dates SET taken = taken + 1 WHERE id = $1 AND taken < capacity",
              d.i64("id")) == 1)
    return "registered";
  if (!d.flag("waitlist")) throw conflict("event.full");
  return "waiting";
}

std::int64_t position(Tx& tx, const Row& r) {
  if (r.str("status") != "waiting") return 0;
  return tx.query_one("SELECT COUNT(*) AS n FROM event_registrations WHERE date_id = $1 AND "
                      "status = 'waiting' AND id <= $2",
                      r.i64("date_id"), r.i64("id"))
      ->i64("n");
}

std::optional<std::string> read_phone(const JsonInput& in) {
  auto phone = in.opt_str("phone", 40);
  if (!phone || phone->empty()) return std::nullopt;
  auto norm = people::parse_phone(*phone);
  if (!norm) throw unprocessable("event.bad_phone", "phone");
  return norm;
}

json::object date_changed(Tx& tx, std::int64_t date_id) {
  auto d = tx.query_one("SELECT taken, checked_in FROM event_dates WHERE id = $1", date_id);
  return {{"taken", d->i64("taken")}, {"checked_in", d->i64("checked_in")}};
}

}  // namespace

// ---- events and dates ----------------------------------------------------------

json::object Events::create(const api::Principal& p, const api::Actor& actor,
                            const std::string& body) const {
  JsonInput in(body, {"place_id", "kind", "title", "description", "audience", "dates"});
  auto place_id = in.i64("place_id");
  auto kind = in.str("kind", 20);
  if (!one_of(event_kinds(), kind)) throw unprocessable("event.bad_kind", "kind");
  auto title = in.str("title", 100);
  if (title.empty()) throw unprocessable("request.missing_field", "title");
  auto description = in.opt_str("description", 4000);
  auto audience = in.opt_str("audience", 20).value_or("residents");
  if (!one_of(audiences(), audience)) throw unprocessable("event.bad_audience", "audience");
  std::vector<DateFields> dates;
  auto doc = json::parse(body).as_object();  // checked by JsonInput: an object
  if (const auto* v = doc.if_contains("dates")) {
    if (!v->is_array() || v->as_array().size() > 100) throw unprocessable("event.bad_dates", "dates");
    for (const auto& d : v->as_array()) {
      if (!d.is_object()) throw unprocessable("event.bad_dates", "dates");
      dates.push_back(read_date(json::serialize(d)));
    }
  }
  Millis now = now_ms();
  return db_.write([&](Tx& tx) {
    auto pl = live_place(tx, place_id, "place_id");
    require_staff(p, "event.manage", pl.str("path"));
    auto id = tx.query_one(
                    "INSERT INTO events (place_id, path, kind, title, description, audience, "
                    "status, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, "
                    "'draft', $7, $8, $8) RETURNING id",
                    place_id, pl.str("path"), kind, title, description, audience, p.user_id, now)
                  ->i64("id");
    for (const auto& d : dates) insert_date(tx, id, pl.str("path"), d);
    audit_event(tx, actor, "event.create", "event", id, json::object{{"title", title}, {"kind", kind}});
    return event_view(*event_row(tx, id));
  });
}

json::object Events::update(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                            const std::string& body) const {
  JsonInput in(body, {"title", "description", "status"});
  auto title = in.opt_str("title", 100);
  if (title && title->empty()) throw unprocessable("request.missing_field", "title");
  auto description = in.opt_str("description", 4000);
  auto status = in.opt_str("status", 20);
  if (status && !one_of(event_statuses(), *status)) throw unprocessable("event.bad_status", "status");
  Millis now = now_ms();
  return db_.write([&](Tx& tx) {
    auto e = load_event(tx, p, id);
    require_staff(p, "event.manage", e.str("path"));
    json::array notify;
    if (status && *status != e.str("status")) {
      const auto& from = e.str("status");
      bool ok = (from == "draft" && (*status == "published" || *status == "cancelled")) ||
                (from == "published" && (*status == "finished" || *status == "cancelled"));
      if (!ok) throw conflict("event.bad_transition");
      if (*status == "published" &&
          !tx.query_one("SELECT 1 AS x FROM event_dates WHERE event_id = $1", id))
        throw unprocessable("event.no_dates", "status");
      if (*status == "cancelled")
        for (const auto& r : tx.query("SELECT id, user_id FROM event_registrations WHERE event_id "
                                      "= $1 AND status IN ('registered', 'waiting') AND user_id "
                                      "IS NOT NULL",
                                      id))
          notify.push_back(notice(r.i64("user_id"), "event.cancelled", "event.notice.cancelled",
                                  {{"title", e.str("title")}}, "event_ticket", r.i64("id")));
    }
    tx.exec("UPDATE events SET title = COALESCE($2, title), description = COALESCE($3, "
            "description), status = COALESCE($4, status), updated_at = $5 WHERE id = $1",
            id, title, description, status, now);
    audit_event(tx, actor, "event.update", "event", id,
                json::object{{"title", nullable(title)}, {"status", nullable(status)}});
    emit(tx, events_, actor, "event.changed", "event", id, e.str("path"), {}, std::move(notify));
    return event_view(*event_row(tx, id));
  });
}

json::object Events::add_date(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                              const std::string& body) const {
  auto f = read_date(body);
  return db_.write([&](Tx& tx) {
    auto e = load_event(tx, p, id);
    require_staff(p, "event.manage", e.str("path"));
    if (e.str("status") == "cancelled" || e.str("status") == "finished")
      throw conflict("event.not_open");
    auto date_id = insert_date(tx, id, e.str("path"), f);
    audit_event(tx, actor, "event.add_date", "event", id, json::object{{"date_id", date_id}});
    return date_view(tx, *date_row(tx, date_id));
  });
}

json::object Events::update_date(const api::Principal& p, const api::Actor& actor,
                                 std::int64_t date_id, const std::string& body) const {
  JsonInput in(body, {"capacity", "venue", "cancelled"});
  auto capacity = in.opt_i64("capacity");
  if (capacity && (*capacity < 1 || *capacity > kMaxCapacity))
    throw unprocessable("event.bad_capacity", "capacity");
  auto venue = in.opt_str("venue", 100);
  auto cancel = in.opt_bool("cancelled").value_or(false);
  Millis now = now_ms();
  return db_.write([&](Tx& tx) {
    load_date(tx, p, date_id);
    auto d = lock_date(tx, date_id);
    // A stop is managed where it is held too: its community sets its capacity, venue, cancellation.
    require_staff(p, "event.manage", d.str("path"));
    if (capacity && *capacity < d.i64("taken"))
      throw unprocessable("event.capacity_below_taken", "capacity");
    json::array notify;
    if (capacity) {
      tx.exec("UPDATE event_dates SET capacity = $2 WHERE id = $1", date_id, *capacity);
      // A larger capacity lets the first waiting in.
      for (std::int64_t free = *capacity - d.i64("taken"); free > 0; --free) {
        auto next = tx.query_one("SELECT id, user_id FROM event_registrations WHERE date_id = $1 "
                                 "AND status = 'waiting' ORDER BY id LIMIT 1",
                                 date_id);
        if (!next) break;
        tx.exec("UPDATE event_registrations SET status = 'registered', updated_at = $2 WHERE id = $1",
                next->i64("id"), now);
        tx.exec("UPDATE event_dates SET taken = taken + 1 WHERE id = $1", date_id);
        if (auto u = next->opt_i64("user_id"))
          notify.push_back(notice(*u, "event.promoted", "event.notice.promoted",
                                  {{"title", d.str("title")}}, "event_ticket", next->i64("id")));
      }
    }
    if (venue) tx.exec("UPDATE event_dates SET venue = $2 WHERE id = $1", date_id, *venue);
    if (cancel && !d.opt_i64("cancelled_at")) {
      tx.exec("UPDATE event_dates SET cancelled_at = $2 WHERE id = $1", date_id, now);
      for (const auto& r : tx.query("SELECT id, user_id FROM event_registrations WHERE date_id = "
                                    "$1 AND status IN ('registered', 'waiting') AND user_id IS "
                                    "NOT NULL",
                                    date_id))
        notify.push_back(notice(r.i64("user_id"), "event.cancelled", "event.notice.cancelled",
                                {{"title", d.str("title")}}, "event_ticket", r.i64("id")));
    }
    audit_event(tx, actor, "event.update_date", "event_date", date_id,
                json::object{{"capacity", nullable(capacity)}, {"cancelled", cancel}});
    emit(tx, events_, actor, "event.date_changed", "event_date", date_id, d.str("path"),
         date_changed(tx, date_id), std::move(notify));
    return date_view(tx, *date_row(tx, date_id));
  });
}

api::Listed Events::list(const api::Principal& p, const std::optional<std::string>& status,
                         const std::optional<std::string>& kind, const api::Page& page) const {
  if (!p.has_permission("event.read") && !p.has_permission("event.manage"))
    throw forbidden("auth.permission_denied", "event.read");
  return db_.read([&](Tx& tx) {
    api::ListQuery l("events e JOIN places pl ON pl.id = e.place_id");
    // The events of the caller's places, and those above them with a date within.
    auto own = api::scope_clause(p, "event.read", {"e.path"});
    auto within = api::scope_clause(p, "event.read", {"d.path"});
    own.or_else("EXISTS (SELECT 1 FROM event_dates d WHERE d.event_id = e.id AND " + within.sql + ")",
                within.values);
    l.where("(" + own.sql + ")", own.values);
    l.where_if("e.status = ?", status).where_if("e.kind = ?", kind);
    l.sort({{"created_at", "e.id"}}, std::nullopt, "-created_at").page(page);
    auto found = l.rows(tx, "e.*, pl.name AS place_name");
    api::Listed out{{}, found.total};
    for (const auto& e : found.rows) {
      auto o = event_view(e);
      auto c = tx.query_one("SELECT COUNT(*) AS dates, MIN(starts_at) AS first, MAX(ends_at) AS "
                            "last, COALESCE(SUM(taken), 0) AS taken, COALESCE(SUM(checked_in), 0) "
                            "AS checked_in FROM event_dates WHERE event_id = $1",
                            e.i64("id"));
      o["dates"] = c->i64("dates");
      o["first_starts_at"] = nullable_time(c->opt_i64("first"));
      o["last_ends_at"] = nullable_time(c->opt_i64("last"));
      o["taken"] = c->i64("taken");
      o["checked_in"] = c->i64("checked_in");
      out.items.push_back(std::move(o));
    }
    return out;
  });
}

json::array Events::open_events(const api::Principal& p, Lang) const {
  return db_.read([&](Tx& tx) {
    json::array out;
    Millis now = now_ms();
    auto rows = tx.query(
        "SELECT e.*, pl.name AS place_name FROM events e JOIN places pl ON pl.id = e.place_id "
        "WHERE e.status = 'published' AND e.audience = 'residents' AND EXISTS (SELECT 1 FROM "
        "event_dates d WHERE d.event_id = e.id AND d.ends_at > $1 AND d.cancelled_at IS NULL) "
        "ORDER BY e.id DESC LIMIT 200",
        now);
    for (const auto& e : rows) {
      json::array dates;
      for (const auto& d : tx.query("SELECT d.*, pl.name AS place_name FROM event_dates d JOIN "
                                    "places pl ON pl.id = d.place_id WHERE d.event_id = $1 AND "
                                    "d.ends_at > $2 AND d.cancelled_at IS NULL ORDER BY d.starts_at",
                                    e.i64("id"), now)) {
        if (!on_line(p, "event.join", d.str("path"))) continue;
        auto v = date_view(tx, d);
        auto mine = tx.query_one("SELECT id, status FROM event_registrations WHERE date_id = $1 "
                                 "AND user_id = $2 AND status IN ('registered', 'waiting')",
                                 d.i64("id"), p.user_id);
        v["my_registration"] = mine ? json::value(json::object{{"id", mine->i64("id")},
                                                               {"status", mine->str("status")}})
                                    : json::value(nullptr);
        dates.push_back(std::move(v));
      }
      if (dates.empty()) continue;
      auto o = event_view(e);
      o["dates"] = std::move(dates);
      out.push_back(std::move(o));
    }
    return out;
  });
}

json::object Events::get(const api::Principal& p, std::int64_t id, Lang lang) const {
  return db_.read([&](Tx& tx) {
    auto e = load_event(tx, p, id);
    auto out = event_view(e);
    bool staff = on_line(p, "event.read", e.str("path")) || on_line(p, "event.manage", e.str("path"));
    json::array dates;
    for (const auto& d : tx.query("SELECT d.*, pl.name AS place_name FROM event_dates d JOIN "
                                  "places pl ON pl.id = d.place_id WHERE d.event_id = $1 ORDER BY "
                                  "d.starts_at, d.id",
                                  id)) {
      if (!staff && !on_line(p, "event.join", d.str("path")) &&
          !on_line(p, "event.checkin", d.str("path")) &&
          !tx.query_one("SELECT 1 AS x FROM event_registrations r LEFT JOIN org_contacts c ON "
                        "c.org_id = r.org_id WHERE r.date_id = $1 AND (r.user_id = $2 OR "
                        "c.user_id = $2)",
                        d.i64("id"), p.user_id))
        continue;
      auto v = date_view(tx, d);
      // What the caller may do there: keep its door, manage it.
      v["can_checkin"] = api::in_scope(p, "event.checkin", d.str("path")) ||
                         api::in_scope(p, "event.manage", e.str("path"));
      v["can_manage"] = api::in_scope(p, "event.manage", d.str("path"));
      dates.push_back(std::move(v));
    }
    out["dates"] = std::move(dates);
    json::array stations;
    for (const auto& s : tx.query(std::string(kStation) + "WHERE s.event_id = $1 ORDER BY s.position, s.id", id)) {
      json::array ops;
      if (staff)
        for (const auto& u : tx.query("SELECT u.id, u.display_name FROM event_station_operators o "
                                      "JOIN users u ON u.id = o.user_id WHERE o.station_id = $1 "
                                      "ORDER BY u.id",
                                      s.i64("id")))
          ops.push_back({{"id", u.i64("id")}, {"name", u.str("display_name")}});
      json::value org = nullptr;
      if (auto o = s.opt_i64("org_id")) org = json::object{{"id", *o}, {"name", s.str("org_name")}};
      auto v = station_view(s, lang);
      v["org"] = std::move(org);
      v["operators"] = std::move(ops);
      stations.push_back(std::move(v));
    }
    out["stations"] = std::move(stations);
    json::array prizes;
    for (const auto& z : tx.query("SELECT * FROM event_prizes WHERE event_id = $1 ORDER BY id", id))
      prizes.push_back({{"id", z.i64("id")}, {"name", z.str("name")}, {"stock", z.i64("stock")},
                        {"handed", z.i64("handed")}});
    out["prizes"] = std::move(prizes);
    json::array mine;
    for (const auto& r : tx.query("SELECT id, date_id, status FROM event_registrations WHERE "
                                  "event_id = $1 AND user_id = $2 ORDER BY id",
                                  id, p.user_id))
      mine.push_back({{"id", r.i64("id")}, {"date_id", r.i64("date_id")}, {"status", r.str("status")}});
    out["my_registrations"] = std::move(mine);
    out["can_manage"] = api::in_scope(p, "event.manage", e.str("path"));
    return out;
  });
}

// ---- registration --------------------------------------------------------------

json::object Events::register_self(const api::Principal& p, const api::Actor& actor,
                                   std::int64_t date_id, const std::string& body) const {
  JsonInput in(body.empty() ? "{}" : body, {"phone", "public_name"});
  auto phone = read_phone(in);
  auto public_name = in.opt_bool("public_name").value_or(false);
  Millis now = now_ms();
  return db_.write([&](Tx& tx) {
    auto d = lock_date(tx, date_id);
    if (!on_line(p, "event.join", d.str("path")) || d.str("event_status") == "draft")
      throw not_found("event.date_not_found");
    if (d.str("audience") != "residents") throw conflict("event.invitation_only");
    require_open(d, now);
    auto existing = tx.query_one(
        "SELECT id, status FROM event_registrations WHERE date_id = $1 AND user_id = $2", date_id,
        p.user_id);
    if (existing && (existing->str("status") == "registered" || existing->str("status") == "waiting"))
      throw conflict("event.already_registered");
    auto status = take_place(tx, d);
    std::optional<std::string> sealed, index;
    if (phone) {
      sealed = cipher_.encrypt(*phone);
      index = cipher_.blind_index("event.phone", *phone);
    }
    std::int64_t id;
    if (existing) {
      // Registering again after cancelling: a new code (the old one no longer checks in).
      id = existing->i64("id");
      tx.exec("UPDATE event_registrations SET status = $2, code = $3, phone_enc = $4, "
              "phone_index = $5, public_name = $6, created_at = $7, updated_at = $7 WHERE id = $1",
              id, status, new_code(), sealed, index, public_name ? 1 : 0, now);
    } else {
      id = tx.query_one(
                 "INSERT INTO event_registrations (event_id, date_id, path, user_id, name, "
                 "phone_enc, phone_index, status, public_name, code, created_at, updated_at) "
                 "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
                 d.i64("event_id"), date_id, d.str("path"), p.user_id, p.display_name, sealed,
                 index, status, public_name ? 1 : 0, new_code(), now)
               ->i64("id");
    }
    emit(tx, events_, actor, "event.date_changed", "event_date", date_id, d.str("path"),
         date_changed(tx, date_id));
    auto r = ticket_row(tx, id);
    auto out = ticket_view(*r, cipher_, true, false);
    out["position"] = position(tx, *r);
    return out;
  });
}

json::object Events::cancel(const api::Principal& p, const api::Actor& actor,
                            std::int64_t registration_id) const {
  Millis now = now_ms();
  return db_.write([&](Tx& tx) {
    auto r0 = ticket_row(tx, registration_id);
    if (!r0) throw not_found("event.ticket_not_found");
    bool own = r0->opt_i64("user_id") == p.user_id;
    auto d = lock_date(tx, r0->i64("date_id"));
    if (!own && !api::in_scope(p, "event.checkin", d.str("path")) &&
        !api::in_scope(p, "event.manage", d.str("event_path")))
      throw not_found("event.ticket_not_found");
    auto r = *ticket_row(tx, registration_id);
    const auto& status = r.str("status");
    if (status != "registered" && status != "waiting") throw conflict("event.not_registered");
    if (r.opt_i64("checked_in_at")) throw conflict("event.checked_in");
    tx.exec("UPDATE event_registrations SET status = 'cancelled', updated_at = $2 WHERE id = $1",
            registration_id, now);
    json::array notify;
    if (status == "registered") free_place(tx, d.i64("id"), now, notify, d.str("title"));
    if (!own)
      audit_event(tx, actor, "event.cancel_registration", "event_registration", registration_id);
    emit(tx, events_, actor, "event.date_changed", "event_date", d.i64("id"), d.str("path"),
         date_changed(tx, d.i64("id")), std::move(notify));
    emit(tx, events_, actor, "event.ticket_changed", "event_ticket", registration_id, d.str("path"));
    return ticket_view(*ticket_row(tx, registration_id), cipher_, own, false);
  });
}

json::object Events::invite(const api::Principal& p, const api::Actor& actor, std::int64_t date_id,
                            const std::string& body) const {
  JsonInput in(body, {"org_ids"});
  auto ids = in.opt_id_array("org_ids", 200);
  if (!ids || ids->empty()) throw unprocessable("request.missing_field", "org_ids");
  Millis now = now_ms();
  return db_.write([&](Tx& tx) {
    load_date(tx, p, date_id);
    auto d = lock_date(tx, date_id);  // invitations of one date take turns: each organisation once
    require_staff(p, "event.manage", d.str("event_path"));
    if (d.str("audience") != "organisations") throw conflict("event.not_for_organisations");
    if (d.str("event_status") == "cancelled" || d.str("event_status") == "finished")
      throw conflict("event.not_open");
    std::int64_t invited = 0;
    json::array notify;
    for (auto org_id : std::set<std::int64_t>(ids->begin(), ids->end())) {
      auto o = tx.query_one("SELECT id, name FROM orgs WHERE id = $1 AND archived_at IS NULL", org_id);
      if (!o) throw unprocessable("event.bad_org", "org_ids");
      if (tx.query_one("SELECT 1 AS x FROM event_registrations WHERE date_id = $1 AND org_id = $2",
                       date_id, org_id))
        continue;
      auto rid = tx.query_one(
                      "INSERT INTO event_registrations (event_id, date_id, path, org_id, name, "
                      "status, code, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, "
                      "'invited', $6, $7, $7) RETURNING id",
                      d.i64("event_id"), date_id, d.str("path"), org_id, o->str("name"),
                      new_code(), now)
                     ->i64("id");
      ++invited;
      for (const auto& c : tx.query("SELECT DISTINCT user_id FROM org_contacts WHERE org_id = $1 "
                                    "AND user_id IS NOT NULL",
                                    org_id))
        notify.push_back(notice(c.i64("user_id"), "event.invited", "event.notice.invited",
                                {{"title", d.str("title")}, {"org", o->str("name")}},
                                "event_ticket", rid));
    }
    audit_event(tx, actor, "event.invite", "event_date", date_id, json::object{{"invited", invited}});
    emit(tx, events_, actor, "event.date_changed", "event_date", date_id, d.str("path"),
         date_changed(tx, date_id), std::move(notify));
    return json::object{{"invited", invited}};
  });
}

json::object Events::rsvp(const api::Principal& p, const api::Actor& actor,
                          std::int64_t registration_id, const std::string& body) const {
  JsonInput in(body, {"accept", "party"});
  bool accept = in.boolean("accept");
  auto party = in.opt_i64("party").value_or(1);
  if (party < 1 || party > 50) throw unprocessable("event.bad_party", "party");
  Millis now = now_ms();
  return db_.write([&](Tx& tx) {
    auto r0 = ticket_row(tx, registration_id);
    if (!r0 || !r0->opt_i64("org_id") ||
        !tx.query_one("SELECT 1 AS x FROM org_contacts WHERE org_id = $1 AND user_id = $2",
                      *r0->opt_i64("org_id"), p.user_id))
      throw not_found("event.ticket_not_found");
    auto d = lock_date(tx, r0->i64("date_id"));
    auto r = *ticket_row(tx, registration_id);
    const auto& status = r.str("status");
    if (r.opt_i64("checked_in_at")) throw conflict("event.checked_in");
    json::array notify;
    if (accept) {
      if (status == "invited" || status == "declined" || status == "cancelled") {
        require_open(d, now);
        auto s = take_place(tx, d);
        tx.exec("UPDATE event_registrations SET status = $2, party = $3, updated_at = $4 WHERE id = $1",
                registration_id, s, party, now);
      } else {
        tx.exec("UPDATE event_registrations SET party = $2, updated_at = $3 WHERE id = $1",
                registration_id, party, now);
      }
    } else {
      if (status == "registered") free_place(tx, d.i64("id"), now, notify, d.str("title"));
      tx.exec("UPDATE event_registrations SET status = 'declined', updated_at = $2 WHERE id = $1",
              registration_id, now);
    }
    audit_event(tx, actor, accept ? "event.accept" : "event.decline", "event_registration",
                registration_id, json::object{{"party", party}});
    emit(tx, events_, actor, "event.date_changed", "event_date", d.i64("id"), d.str("path"),
         date_changed(tx, d.i64("id")), std::move(notify));
    return ticket_view(*ticket_row(tx, registration_id), cipher_, true, false);
  });
}

json::array Events::my_tickets(const api::Principal& p, Lang) const {
  return db_.read([&](Tx& tx) {
    json::array out;
    for (const auto& r : tx.query(
             std::string(kTicket) +
                 "WHERE (r.user_id = $1 OR r.org_id IN (SELECT org_id FROM org_contacts WHERE "
                 "user_id = $1)) AND r.status <> 'cancelled' ORDER BY d.starts_at DESC, r.id DESC "
                 "LIMIT 100",
             p.user_id)) {
      auto v = ticket_view(r, cipher_, true, false);
      v["position"] = position(tx, r);
      out.push_back(std::move(v));
    }
    return out;
  });
}

api::Listed Events::registrations(const api::Principal& p, std::int64_t date_id,
                                  const std::optional<std::string>& q,
                                  const std::optional<std::string>& status,
                                  const api::Page& page) const {
  return db_.read([&](Tx& tx) {
    auto d = load_date(tx, p, date_id);
    if (!api::in_scope(p, "event.checkin", d.str("path")) &&
        !api::in_scope(p, "event.manage", d.str("event_path")))
      throw forbidden("auth.scope_denied", "event.checkin");
    api::ListQuery l(
        "event_registrations r JOIN event_dates d ON d.id = r.date_id JOIN events e ON e.id = "
        "r.event_id JOIN places pl ON pl.id = d.place_id LEFT JOIN orgs o ON o.id = r.org_id");
    l.where("r.date_id = ?", {date_id});
    l.where_if("r.status = ?", status);
    if (q && !q->empty()) {
      std::string text = *q;
      std::vector<storage::Param> vals{storage::Param("%" + text + "%"), storage::Param(text)};
      std::string cond = "(r.name LIKE ? OR r.code = ?";
      if (auto phone = people::parse_phone(text)) {
        cond += " OR r.phone_index = ?";
        vals.emplace_back(cipher_.blind_index("event.phone", *phone));
      }
      l.where(cond + ")", std::move(vals));
    }
    l.sort({{"id", "r.id"}, {"name", "r.name"}}, std::nullopt, "id").page(page);
    auto found = l.rows(tx, "r.*, d.starts_at, d.ends_at, d.venue, d.place_id, d.exit_scan, "
                            "d.cancelled_at AS date_cancelled_at, pl.name AS place_name, e.title, "
                            "e.kind AS event_kind, e.status AS event_status, o.name AS org_name");
    api::Listed out{{}, found.total};
    for (const auto& r : found.rows) out.items.push_back(ticket_view(r, cipher_, false, false));
    return out;
  });
}

json::object Events::check_in(const api::Principal& p, const api::Actor& actor,
                              std::int64_t date_id, const std::string& body) const {
  JsonInput in(body, {"code", "registration_id", "direction"});
  auto code = in.opt_str("code", 64);
  auto rid = in.opt_i64("registration_id");
  if (!code && !rid) throw unprocessable("request.missing_field", "code");
  auto direction = in.opt_str("direction", 8).value_or("in");
  if (direction != "in" && direction != "out") throw unprocessable("event.bad_direction", "direction");
  Millis now = now_ms();
  return db_.write([&](Tx& tx) {
    auto d = load_date(tx, p, date_id);
    if (!api::in_scope(p, "event.checkin", d.str("path")) &&
        !api::in_scope(p, "event.manage", d.str("event_path")))
      throw forbidden("auth.scope_denied", "event.checkin");
    auto r = code ? ticket_by_code(tx, *code) : ticket_row(tx, *rid);
    if (!r) throw not_found("event.ticket_not_found");
    if (r->i64("date_id") != date_id) {
      if (r->i64("event_id") == d.i64("event_id")) throw conflict("event.wrong_date");
      throw not_found("event.ticket_not_found");
    }
    if (r->str("status") != "registered") throw conflict("event.not_registered");
    if (d.str("event_status") != "published") throw conflict("event.not_open");
    if (d.opt_i64("cancelled_at")) throw conflict("event.date_cancelled");
    if (now < d.i64("starts_at") - kDoorsOpen || now > d.i64("ends_at") + kDoorsOpen)
      throw conflict("event.door_closed");
    std::string result = "already";
    if (direction == "in") {
      if (tx.exec("UPDATE event_registrations SET checked_in_at = $2, checked_in_by = $3, "
                  "updated_at = $2 WHERE id = $1 AND checked_in_at IS NULL",
                  r->i64("id"), now, p.user_id) == 1) {
        tx.exec("UPDATE event_dates SET checked_in = checked_in + 1 WHERE id = $1", date_id);
        result = "checked_in";
      }
    } else {
      if (!d.flag("exit_scan")) throw conflict("event.no_exit_scan");
      if (!r->opt_i64("checked_in_at")) throw conflict("event.not_checked_in");
      if (tx.exec("UPDATE event_registrations SET checked_out_at = $2, checked_out_by = $3, "
                  "updated_at = $2 WHERE id = $1 AND checked_out_at IS NULL",
                  r->i64("id"), now, p.user_id) == 1)
        result = "checked_out";
    }
    if (result != "already") {
      emit(tx, events_, actor, "event.date_changed", "event_date", date_id, d.str("path"),
           date_changed(tx, date_id));
      emit(tx, events_, actor, "event.ticket_changed", "event_ticket", r->i64("id"), d.str("path"));
    }
    return json::object{{"result", result},
                        {"ticket", ticket_view(*ticket_row(tx, r->i64("id")), cipher_, false, false)}};
  });
}

json::object Events::walk_in(const api::Principal& p, const api::Actor& actor, std::int64_t date_id,
                             const std::string& body) const {
  JsonInput in(body, {"name", "phone", "public_name"});
  auto name = in.str("name", 40);
  if (name.empty()) throw unprocessable("request.missing_field", "name");
  auto phone = read_phone(in);
  auto public_name = in.opt_bool("public_name").value_or(false);
  Millis now = now_ms();
  return db_.write([&](Tx& tx) {
    load_date(tx, p, date_id);
    auto d = lock_date(tx, date_id);
    if (!api::in_scope(p, "event.checkin", d.str("path")) &&
        !api::in_scope(p, "event.manage", d.str("event_path")))
      throw forbidden("auth.scope_denied", "event.checkin");
    if (d.str("audience") != "residents") throw conflict("event.invitation_only");
    require_open(d, now);
    if (tx.exec("UPDATE event_dates SET taken = taken + 1, checked_in = checked_in + 1 WHERE id "
                "= $1 AND taken < capacity",
                date_id) != 1)
      throw conflict("event.full");
    std::optional<std::string> sealed, index;
    if (phone) {
      sealed = cipher_.encrypt(*phone);
      index = cipher_.blind_index("event.phone", *phone);
    }
    auto id = tx.query_one(
                    "INSERT INTO event_registrations (event_id, date_id, path, name, phone_enc, "
                    "phone_index, status, walk_in, public_name, code, checked_in_at, "
                    "checked_in_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, "
                    "'registered', 1, $7, $8, $9, $10, $9, $9) RETURNING id",
                    d.i64("event_id"), date_id, d.str("path"), name, sealed, index,
                    public_name ? 1 : 0, new_code(), now, p.user_id)
                  ->i64("id");
    audit_event(tx, actor, "event.walk_in", "event_registration", id);
    emit(tx, events_, actor, "event.date_changed", "event_date", date_id, d.str("path"),
         date_changed(tx, date_id));
    // The desk prints its code for the stations: shown to the staff who made it.
    return ticket_view(*ticket_row(tx, id), cipher_, true, false);
  });
}

json::object Events::ticket(const api::Principal& p, std::int64_t registration_id, Lang lang) const {
  return db_.read([&](Tx& tx) {
    auto r = ticket_row(tx, registration_id);
    if (!r) throw not_found("event.ticket_not_found");
    bool own = r->opt_i64("user_id") == p.user_id ||
               (r->opt_i64("org_id") &&
                tx.query_one("SELECT 1 AS x FROM org_contacts WHERE org_id = $1 AND user_id = $2",
                             *r->opt_i64("org_id"), p.user_id));
    auto d = *date_row(tx, r->i64("date_id"));
    bool staff = api::in_scope(p, "event.checkin", d.str("path")) ||
                 api::in_scope(p, "event.manage", d.str("event_path"));
    if (!own && !staff) throw not_found("event.ticket_not_found");
    auto out = ticket_view(*r, cipher_, own, false);
    out["position"] = position(tx, *r);
    out["exit_scan"] = r->flag("exit_scan");
    bool en = lang == Lang::en;
    json::array card;
    for (const auto& s : tx.query(
             "SELECT st.id, st.name, st.required, t.value_kind, t.unit_zh, t.unit_en, sc.value_x100, "
             "sc.scored_at FROM event_stations st JOIN event_score_types t ON t.code = "
             "st.score_type LEFT JOIN event_scores sc ON sc.station_id = st.id AND "
             "sc.registration_id = $2 WHERE st.event_id = $1 ORDER BY st.position, st.id",
             r->i64("event_id"), registration_id)) {
      json::value value = nullptr;
      if (auto v = s.opt_i64("value_x100")) value = static_cast<double>(*v) / 100.0;
      card.push_back({{"station_id", s.i64("id")},
                      {"name", s.str("name")},
                      {"required", s.flag("required")},
                      {"value_kind", s.str("value_kind")},
                      {"unit", nullable(en ? s.opt_str("unit_en") : s.opt_str("unit_zh"))},
                      {"value", value},
                      {"scored_at", nullable_time(s.opt_i64("scored_at"))}});
    }
    out["card"] = std::move(card);
    auto prize = tx.query_one("SELECT a.handed_at, z.name FROM event_prize_awards a JOIN "
                              "event_prizes z ON z.id = a.prize_id WHERE a.registration_id = $1",
                              registration_id);
    out["prize"] = prize ? json::value(json::object{{"name", prize->str("name")},
                                                    {"handed_at", iso8601(prize->i64("handed_at"))}})
                         : json::value(nullptr);
    return out;
  });
}

}  // namespace xh::events
