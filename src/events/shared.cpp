// What the events module's files share: see shared.h.
#include "events/shared.h"

#include <cctype>
#include <cstdio>

#include "api/scope.h"
#include "core/error.h"
#include "core/json_output.h"
#include "people/identity.h"

namespace xh::events {

namespace json = boost::json;

std::optional<Row> event_row(Tx& tx, std::int64_t id) {
  return tx.query_one(
      "SELECT e.*, pl.name AS place_name FROM events e JOIN places pl ON pl.id = e.place_id "
      "WHERE e.id = $1",
      id);
}

std::optional<Row> date_row(Tx& tx, std::int64_t id) {
  return tx.query_one(
      "SELECT d.*, e.kind AS event_kind, e.title, e.status AS event_status, e.audience, e.path "
      "AS event_path, pl.name AS place_name FROM event_dates d JOIN events e ON e.id = "
      "d.event_id JOIN places pl ON pl.id = d.place_id WHERE d.id = $1",
      id);
}


std::optional<Row> ticket_row(Tx& tx, std::int64_t id) {
  return tx.query_one(std::string(kTicket) + "WHERE r.id = $1", id);
}

std::optional<Row> ticket_by_code(Tx& tx, const std::string& code) {
  // Codes are upper case: one typed from a printed slip in lower case is the same code.
  std::string upper = code;
  for (auto& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return tx.query_one(std::string(kTicket) + "WHERE r.code = $1", upper);
}

namespace {
bool staff_sees(const api::Principal& p, const std::string& path) {
  return on_line(p, "event.read", path) || on_line(p, "event.manage", path) ||
         on_line(p, "event.checkin", path);
}
}  // namespace

Row load_event(Tx& tx, const api::Principal& p, std::int64_t id) {
  auto e = event_row(tx, id);
  if (!e) throw not_found("event.not_found");
  if (staff_sees(p, e->str("path"))) return *e;
  if (e->str("status") == "published" || e->str("status") == "finished") {
    // A resident reaches one of its dates; an invited organisation's contact, its invitation.
    for (const auto& d : tx.query("SELECT path FROM event_dates WHERE event_id = $1", id))
      if (on_line(p, "event.join", d.str("path"))) return *e;
    if (tx.query_one("SELECT 1 AS x FROM event_registrations r JOIN org_contacts c ON c.org_id = "
                     "r.org_id WHERE r.event_id = $1 AND c.user_id = $2",
                     id, p.user_id))
      return *e;
    if (tx.query_one("SELECT 1 AS x FROM event_registrations WHERE event_id = $1 AND user_id = $2",
                     id, p.user_id))
      return *e;
  }
  throw not_found("event.not_found");
}

Row load_date(Tx& tx, const api::Principal& p, std::int64_t id) {
  auto d = date_row(tx, id);
  if (!d) throw not_found("event.date_not_found");
  load_event(tx, p, d->i64("event_id"));
  return *d;
}

void require_staff(const api::Principal& p, std::string_view permission, const std::string& path) {
  if (!api::in_scope(p, permission, path)) throw forbidden("auth.scope_denied", std::string(permission));
}

std::string new_code() {
  // 64 random bits as 16 upper-case hex digits: nothing to mistake (no O and 0,
  // no l and I) when a printed slip's code is typed in.
  std::string hex = sha256_hex(random_token(32)).substr(0, 16);
  for (auto& ch : hex) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return hex;
}

json::object date_view(Tx& tx, const Row& d) {
  auto waiting = tx.query_one(
      "SELECT COUNT(*) AS n FROM event_registrations WHERE date_id = $1 AND status = 'waiting'",
      d.i64("id"));
  return {{"id", d.i64("id")},
          {"event_id", d.i64("event_id")},
          {"place", {{"id", d.i64("place_id")}, {"name", d.str("place_name")}}},
          {"venue", nullable(d.opt_str("venue"))},
          {"starts_at", iso8601(d.i64("starts_at"))},
          {"ends_at", iso8601(d.i64("ends_at"))},
          {"capacity", d.i64("capacity")},
          {"taken", d.i64("taken")},
          {"waiting", waiting->i64("n")},
          {"checked_in", d.i64("checked_in")},
          {"waitlist", d.flag("waitlist")},
          {"exit_scan", d.flag("exit_scan")},
          {"cancelled", d.opt_i64("cancelled_at").has_value()}};
}

json::object ticket_view(const Row& r, const FieldCipher& cipher, bool with_code, bool mask) {
  json::value phone = nullptr, org = nullptr;
  if (auto sealed = r.opt_str("phone_enc")) phone = people::mask_phone(cipher.decrypt(*sealed));
  if (auto o = r.opt_i64("org_id")) org = json::object{{"id", *o}, {"name", r.str("org_name")}};
  json::object out{{"id", r.i64("id")},
                   {"event_id", r.i64("event_id")},
                   {"date_id", r.i64("date_id")},
                   {"title", r.str("title")},
                   {"event_kind", r.str("event_kind")},
                   // A cancelled event or date: the ticket stands, and admits nobody.
                   {"event_status", r.str("event_status")},
                   {"date_cancelled", r.opt_i64("date_cancelled_at").has_value()},
                   {"place", {{"id", r.i64("place_id")}, {"name", r.str("place_name")}}},
                   {"venue", nullable(r.opt_str("venue"))},
                   {"starts_at", iso8601(r.i64("starts_at"))},
                   {"ends_at", iso8601(r.i64("ends_at"))},
                   {"name", mask ? people::mask_name(r.str("name")) : r.str("name")},
                   {"phone", phone},
                   {"org", org},
                   {"party", r.i64("party")},
                   {"status", r.str("status")},
                   {"walk_in", r.flag("walk_in")},
                   {"public_name", r.flag("public_name")},
                   {"checked_in_at", nullable_time(r.opt_i64("checked_in_at"))},
                   {"checked_out_at", nullable_time(r.opt_i64("checked_out_at"))},
                   {"completed_at", nullable_time(r.opt_i64("completed_at"))}};
  out["code"] = with_code ? json::value(r.str("code")) : json::value(nullptr);
  return out;
}

std::string number_label(const std::string& prefix, std::int64_t number) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%03lld", static_cast<long long>(number));
  return prefix + buf;
}

json::object notice(std::int64_t user, std::string_view kind, std::string_view text,
                    json::object params, std::string_view type, std::int64_t id) {
  return {{"user_id", user},   {"kind", kind},       {"text", text},
          {"params", std::move(params)}, {"subject_type", type}, {"subject_id", id}};
}

void emit(Tx& tx, const api::EventBus& events, const api::Actor& actor, std::string kind,
          std::string subject_type, std::int64_t subject_id, const std::string& path,
          json::object data, json::array notify) {
  if (!notify.empty()) data["notify"] = std::move(notify);
  events.emit(tx, {std::move(kind), std::move(subject_type), subject_id, actor, path, std::nullopt,
                   std::move(data)});
}

void free_place(Tx& tx, std::int64_t date_id, Millis now, json::array& notify,
                const std::string& title) {
  auto next = tx.query_one(
      "SELECT id, user_id FROM event_registrations WHERE date_id = $1 AND status = 'waiting' "
      "ORDER BY id LIMIT 1",
      date_id);
  if (!next) {
    tx.exec("UPDATE event_dates SET taken = taken - 1 WHERE id = $1 AND taken > 0", date_id);
    return;
  }
  tx.exec("UPDATE event_registrations SET status = 'registered', updated_at = $2 WHERE id = $1",
          next->i64("id"), now);
  if (auto u = next->opt_i64("user_id"))
    notify.push_back(notice(*u, "event.promoted", "event.notice.promoted", {{"title", title}},
                            "event_ticket", next->i64("id")));
}

}  // namespace xh::events
