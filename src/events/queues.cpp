// Queue numbers (取号) at a desk or station of an event's date.
#include <regex>

#include "api/scope.h"
#include "audit/audit.h"
#include "core/error.h"
#include "core/json_input.h"
#include "core/json_output.h"
#include "events/events.h"
#include "events/shared.h"

namespace xh::events {

namespace json = boost::json;

namespace {

// How many numbers a screen shows as coming next.
constexpr int kNextShown = 5;

std::optional<Row> queue_row(Tx& tx, std::int64_t id) {
  return tx.query_one(
      "SELECT q.*, d.event_id, d.starts_at, d.ends_at, d.cancelled_at, d.path AS date_path, "
      "e.title, e.status AS event_status, e.path AS event_path, pl.name AS place_name FROM "
      "event_queues q JOIN event_dates d ON d.id = q.date_id JOIN events e ON e.id = d.event_id "
      "JOIN places pl ON pl.id = d.place_id WHERE q.id = $1",
      id);
}

bool desk(const api::Principal& p, const Row& q) {
  return api::in_scope(p, "event.checkin", q.str("date_path")) ||
         api::in_scope(p, "event.manage", q.str("event_path"));
}

Row load_queue(Tx& tx, const api::Principal& p, std::int64_t id) {
  auto q = queue_row(tx, id);
  if (!q) throw not_found("event.queue_not_found");
  if (!desk(p, *q)) load_date(tx, p, q->i64("date_id"));  // 404 for those who cannot see it
  return *q;
}

// The queue with who is served and who comes next; no names (screens show it too).
json::object queue_view(Tx& tx, const Row& q) {
  const auto& prefix = q.str("prefix");
  json::value serving = nullptr;
  if (auto s = q.opt_i64("serving")) {
    auto t = tx.query_one("SELECT id, number, status FROM event_queue_tickets WHERE id = $1", *s);
    if (t && t->str("status") == "called")
      serving = json::object{{"ticket_id", t->i64("id")}, {"number", t->i64("number")},
                             {"label", number_label(prefix, t->i64("number"))}};
  }
  json::array next, skipped;
  for (const auto& t : tx.query("SELECT number FROM event_queue_tickets WHERE queue_id = $1 AND "
                                "status = 'waiting' ORDER BY number LIMIT " +
                                    std::to_string(kNextShown),
                                q.i64("id")))
    next.push_back(json::string(number_label(prefix, t.i64("number"))));
  for (const auto& t : tx.query("SELECT id, number FROM event_queue_tickets WHERE queue_id = $1 "
                                "AND status = 'skipped' ORDER BY number DESC LIMIT 10",
                                q.i64("id")))
    skipped.push_back({{"ticket_id", t.i64("id")}, {"label", number_label(prefix, t.i64("number"))}});
  auto waiting = tx.query_one("SELECT COUNT(*) AS n FROM event_queue_tickets WHERE queue_id = $1 "
                              "AND status = 'waiting'",
                              q.i64("id"));
  json::value station = nullptr;
  if (auto s = q.opt_i64("station_id")) station = *s;
  return {{"id", q.i64("id")},
          {"date_id", q.i64("date_id")},
          {"event_id", q.i64("event_id")},
          {"title", q.str("title")},
          {"place_name", q.str("place_name")},
          {"name", q.str("name")},
          {"prefix", prefix},
          {"station_id", station},
          {"open", q.flag("open")},
          {"issued", q.i64("issued")},
          {"serving", serving},
          {"next", std::move(next)},
          {"skipped", std::move(skipped)},
          {"waiting", waiting->i64("n")}};
}

std::int64_t ahead_of(Tx& tx, std::int64_t queue_id, std::int64_t number) {
  return tx.query_one("SELECT COUNT(*) AS n FROM event_queue_tickets WHERE queue_id = $1 AND "
                      "status = 'waiting' AND number < $2",
                      queue_id, number)
      ->i64("n");
}

json::object ticket_json(Tx& tx, const Row& t, const std::string& prefix) {
  return {{"id", t.i64("id")},
          {"queue_id", t.i64("queue_id")},
          {"number", t.i64("number")},
          {"label", number_label(prefix, t.i64("number"))},
          {"status", t.str("status")},
          {"ahead", t.str("status") == "waiting" ? ahead_of(tx, t.i64("queue_id"), t.i64("number")) : 0},
          {"called_at", nullable_time(t.opt_i64("called_at"))},
          {"created_at", iso8601(t.i64("created_at"))}};
}

void changed(Tx& tx, const api::EventBus& events, const api::Actor& actor, const Row& q,
             json::array notify = {}) {
  emit(tx, events, actor, "event.queue_changed", "event_queue", q.i64("id"), q.str("date_path"),
       {}, std::move(notify));
}

// Calls the first waiting (none: nobody is served); the caller holds the queue's lock.
void call_first(Tx& tx, const Row& q, Millis now, json::array& notify) {
  auto t = tx.query_one("SELECT id, number, user_id FROM event_queue_tickets WHERE queue_id = $1 "
                        "AND status = 'waiting' ORDER BY number LIMIT 1",
                        q.i64("id"));
  if (!t) {
    tx.exec("UPDATE event_queues SET serving = NULL WHERE id = $1", q.i64("id"));
    return;
  }
  tx.exec("UPDATE event_queue_tickets SET status = 'called', called_at = $2 WHERE id = $1",
          t->i64("id"), now);
  tx.exec("UPDATE event_queues SET serving = $2 WHERE id = $1", q.i64("id"), t->i64("id"));
  if (auto u = t->opt_i64("user_id"))
    notify.push_back(notice(*u, "event.called", "event.notice.called",
                            {{"number", number_label(q.str("prefix"), t->i64("number"))},
                             {"queue", q.str("name")}},
                            "event_queue", q.i64("id")));
}

Row lock_queue(Tx& tx, std::int64_t id) {
  tx.exec("UPDATE event_queues SET issued = issued WHERE id = $1", id);
  return *queue_row(tx, id);
}

}  // namespace

json::object Events::create_queue(const api::Principal& p, const api::Actor& actor,
                                  std::int64_t date_id, const std::string& body) const {
  JsonInput in(body, {"name", "prefix", "station_id"});
  auto name = in.str("name", 40);
  if (name.empty()) throw unprocessable("request.missing_field", "name");
  auto prefix = in.str("prefix", 2);
  static const std::regex letters("[A-Z]{1,2}");
  if (!std::regex_match(prefix, letters)) throw unprocessable("event.bad_prefix", "prefix");
  auto station_id = in.opt_i64("station_id");
  Millis now = now_ms();
  return db_.write([&](Tx& tx) {
    auto d = load_date(tx, p, date_id);
    require_staff(p, "event.manage", d.str("path"));  // the stop's community sets up its queues
    if (station_id && !tx.query_one("SELECT 1 AS x FROM event_stations WHERE id = $1 AND event_id = $2",
                                    *station_id, d.i64("event_id")))
      throw unprocessable("event.bad_station", "station_id");
    auto id = tx.query_one("INSERT INTO event_queues (date_id, path, station_id, name, prefix, "
                           "created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                           date_id, d.str("path"), station_id, name, prefix, now)
                  ->i64("id");
    audit::append(tx, actor, {"event.queue_create", "event_queue", std::to_string(id), std::nullopt,
                              json::serialize(json::object{{"name", name}})});
    return queue_view(tx, *queue_row(tx, id));
  });
}

json::array Events::queues(const api::Principal& p, std::int64_t date_id) const {
  return db_.read([&](Tx& tx) {
    load_date(tx, p, date_id);
    json::array out;
    for (const auto& q : tx.query("SELECT id FROM event_queues WHERE date_id = $1 ORDER BY id", date_id))
      out.push_back(queue_view(tx, *queue_row(tx, q.i64("id"))));
    return out;
  });
}

json::object Events::queue(const api::Principal& p, std::int64_t id) const {
  return db_.read([&](Tx& tx) {
    auto q = load_queue(tx, p, id);
    auto out = queue_view(tx, q);
    out["can_call"] = desk(p, q);
    json::value mine = nullptr;
    if (auto t = tx.query_one("SELECT * FROM event_queue_tickets WHERE queue_id = $1 AND user_id = "
                              "$2 AND status IN ('waiting', 'called') ORDER BY id DESC LIMIT 1",
                              id, p.user_id))
      mine = ticket_json(tx, *t, q.str("prefix"));
    out["mine"] = mine;
    return out;
  });
}

json::object Events::take_number(const api::Principal& p, const api::Actor& actor,
                                 std::int64_t queue_id, const std::string& body) const {
  JsonInput in(body.empty() ? "{}" : body, {"print"});
  bool print = in.opt_bool("print").value_or(false);
  Millis now = now_ms();
  return db_.write([&](Tx& tx) {
    load_queue(tx, p, queue_id);
    // Numbers are given one at a time: the queue's row is held until commit.
    tx.exec("UPDATE event_queues SET issued = issued + 1 WHERE id = $1", queue_id);
    auto q = *queue_row(tx, queue_id);
    if (print && !desk(p, q)) throw forbidden("auth.scope_denied", "event.checkin");
    if (!print && !on_line(p, "event.join", q.str("date_path")) && !desk(p, q))
      throw forbidden("auth.scope_denied", "event.join");
    if (!q.flag("open") || q.str("event_status") != "published" || q.opt_i64("cancelled_at") ||
        now > q.i64("ends_at"))
      throw conflict("event.queue_closed");
    std::optional<std::int64_t> user, registration;
    if (!print) {
      if (auto t = tx.query_one("SELECT id FROM event_queue_tickets WHERE queue_id = $1 AND "
                                "user_id = $2 AND status IN ('waiting', 'called')",
                                queue_id, p.user_id))
        throw conflict("event.has_number");
      user = p.user_id;
      if (auto r = tx.query_one("SELECT id FROM event_registrations WHERE date_id = $1 AND "
                                "user_id = $2 AND status = 'registered'",
                                q.i64("date_id"), p.user_id))
        registration = r->i64("id");
    }
    auto id = tx.query_one("INSERT INTO event_queue_tickets (queue_id, number, user_id, "
                           "registration_id, status, created_at) VALUES ($1, $2, $3, $4, "
                           "'waiting', $5) RETURNING id",
                           queue_id, q.i64("issued"), user, registration, now)
                  ->i64("id");
    changed(tx, events_, actor, q);
    return ticket_json(tx, *tx.query_one("SELECT * FROM event_queue_tickets WHERE id = $1", id),
                       q.str("prefix"));
  });
}

json::array Events::my_numbers(const api::Principal& p) const {
  return db_.read([&](Tx& tx) {
    json::array out;
    for (const auto& t : tx.query(
             "SELECT t.*, q.prefix, q.name, q.date_id, e.title, pl.name AS place_name FROM "
             "event_queue_tickets t JOIN event_queues q ON q.id = t.queue_id JOIN event_dates d "
             "ON d.id = q.date_id JOIN events e ON e.id = d.event_id JOIN places pl ON pl.id = "
             "d.place_id WHERE t.user_id = $1 AND (t.status IN ('waiting', 'called') OR "
             "t.created_at > $2) ORDER BY t.id DESC LIMIT 20",
             p.user_id, now_ms() - kDay)) {
      auto v = ticket_json(tx, t, t.str("prefix"));
      v["queue_name"] = t.str("name");
      v["date_id"] = t.i64("date_id");
      v["title"] = t.str("title");
      v["place_name"] = t.str("place_name");
      out.push_back(std::move(v));
    }
    return out;
  });
}

json::object Events::call_next(const api::Principal& p, const api::Actor& actor,
                               std::int64_t queue_id) const {
  Millis now = now_ms();
  return db_.write([&](Tx& tx) {
    auto q0 = load_queue(tx, p, queue_id);
    if (!desk(p, q0)) throw forbidden("auth.scope_denied", "event.checkin");
    auto q = lock_queue(tx, queue_id);
    tx.exec("UPDATE event_queue_tickets SET status = 'served' WHERE queue_id = $1 AND status = "
            "'called'",
            queue_id);
    json::array notify;
    call_first(tx, q, now, notify);
    changed(tx, events_, actor, q, std::move(notify));
    auto out = queue_view(tx, *queue_row(tx, queue_id));
    out["can_call"] = true;
    out["mine"] = nullptr;
    return out;
  });
}

json::object Events::set_queue_open(const api::Principal& p, const api::Actor& actor,
                                    std::int64_t queue_id, const std::string& body) const {
  JsonInput in(body, {"open"});
  bool open = in.boolean("open");
  return db_.write([&](Tx& tx) {
    auto q0 = load_queue(tx, p, queue_id);
    if (!desk(p, q0)) throw forbidden("auth.scope_denied", "event.checkin");
    auto q = lock_queue(tx, queue_id);
    tx.exec("UPDATE event_queues SET open = $2 WHERE id = $1", queue_id, open ? 1 : 0);
    changed(tx, events_, actor, q);
    auto out = queue_view(tx, *queue_row(tx, queue_id));
    out["can_call"] = true;
    out["mine"] = nullptr;
    return out;
  });
}

json::object Events::skip(const api::Principal& p, const api::Actor& actor,
                          std::int64_t ticket_id) const {
  Millis now = now_ms();
  return db_.write([&](Tx& tx) {
    auto t0 = tx.query_one("SELECT queue_id FROM event_queue_tickets WHERE id = $1", ticket_id);
    if (!t0) throw not_found("event.number_not_found");
    auto q0 = load_queue(tx, p, t0->i64("queue_id"));
    if (!desk(p, q0)) throw forbidden("auth.scope_denied", "event.checkin");
    auto q = lock_queue(tx, q0.i64("id"));
    if (tx.exec("UPDATE event_queue_tickets SET status = 'skipped' WHERE id = $1 AND status = "
                "'called'",
                ticket_id) != 1)
      throw conflict("event.number_not_called");
    json::array notify;
    call_first(tx, q, now, notify);
    changed(tx, events_, actor, q, std::move(notify));
    auto out = queue_view(tx, *queue_row(tx, q.i64("id")));
    out["can_call"] = true;
    out["mine"] = nullptr;
    return out;
  });
}

json::object Events::recall(const api::Principal& p, const api::Actor& actor,
                            std::int64_t ticket_id) const {
  Millis now = now_ms();
  return db_.write([&](Tx& tx) {
    auto t0 = tx.query_one("SELECT queue_id, number, user_id FROM event_queue_tickets WHERE id = $1",
                           ticket_id);
    if (!t0) throw not_found("event.number_not_found");
    auto q0 = load_queue(tx, p, t0->i64("queue_id"));
    if (!desk(p, q0)) throw forbidden("auth.scope_denied", "event.checkin");
    auto q = lock_queue(tx, q0.i64("id"));
    // The one being called waits again (first in line: their number is the lowest waiting).
    tx.exec("UPDATE event_queue_tickets SET status = 'waiting', called_at = NULL WHERE queue_id = "
            "$1 AND status = 'called'",
            q.i64("id"));
    if (tx.exec("UPDATE event_queue_tickets SET status = 'called', called_at = $2 WHERE id = $1 "
                "AND status = 'skipped'",
                ticket_id, now) != 1)
      throw conflict("event.number_not_skipped");
    tx.exec("UPDATE event_queues SET serving = $2 WHERE id = $1", q.i64("id"), ticket_id);
    json::array notify;
    if (auto u = t0->opt_i64("user_id"))
      notify.push_back(notice(*u, "event.called", "event.notice.called",
                              {{"number", number_label(q.str("prefix"), t0->i64("number"))},
                               {"queue", q.str("name")}},
                              "event_queue", q.i64("id")));
    changed(tx, events_, actor, q, std::move(notify));
    auto out = queue_view(tx, *queue_row(tx, q.i64("id")));
    out["can_call"] = true;
    out["mine"] = nullptr;
    return out;
  });
}

void require_queue(Tx& tx, const api::Principal& p, std::int64_t id) { load_queue(tx, p, id); }

json::object queue_screen(Tx& tx, std::int64_t id, Lang) {
  auto q = queue_row(tx, id);
  if (!q) throw not_found("event.queue_not_found");
  return queue_view(tx, *q);
}

}  // namespace xh::events
