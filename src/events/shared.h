#pragma once
// What the events module's files share: who reaches a place, the rows of an
// event, a date, a ticket, and the events every change emits.
#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "api/events.h"
#include "api/principal.h"
#include "api/scope.h"
#include "core/crypto.h"
#include "core/messages.h"
#include "core/time.h"
#include "storage/database.h"

namespace xh::events {

using storage::Row;
using storage::Rows;
using storage::Tx;

// Who reaches an event, a date, a round: a grant on the line of its place.
using api::on_line;

// The event with its place's name; none when unknown.
std::optional<Row> event_row(Tx& tx, std::int64_t id);
// The date with its event's kind, title, status, audience and path, and its place's name.
std::optional<Row> date_row(Tx& tx, std::int64_t id);
// A ticket with its date's times, venue and place, its event's title, kind and
// status, and its organisation's name.
inline constexpr const char* kTicket =
    "SELECT r.*, d.starts_at, d.ends_at, d.venue, d.place_id, d.exit_scan, d.cancelled_at AS "
    "date_cancelled_at, pl.name AS place_name, e.title, e.kind AS event_kind, e.status AS "
    "event_status, o.name AS org_name FROM event_registrations r JOIN event_dates d ON d.id = "
    "r.date_id JOIN events e ON e.id = r.event_id JOIN places pl ON pl.id = d.place_id LEFT "
    "JOIN orgs o ON o.id = r.org_id ";
// The ticket with its date's times and event's title; none when unknown.
std::optional<Row> ticket_row(Tx& tx, std::int64_t id);
std::optional<Row> ticket_by_code(Tx& tx, const std::string& code);

// Loads an event staff may read (event.read within its place, or
// event.manage), or a resident may reach (published, event.join on the line
// of one of its dates); 404 otherwise.
Row load_event(Tx& tx, const api::Principal& p, std::int64_t id);
// A date whose event the caller may see; 404 otherwise.
Row load_date(Tx& tx, const api::Principal& p, std::int64_t id);
// Staff: 403 unless `permission` covers the path (404 when they cannot read it at all).
void require_staff(const api::Principal& p, std::string_view permission, const std::string& path);

// A new ticket code: 16 upper-case hex digits (64 random bits), what its QR holds.
std::string new_code();

// The date as lists show it.
boost::json::object date_view(Tx& tx, const Row& d);
// The ticket: with its code for its holder only.
boost::json::object ticket_view(const Row& r, const FieldCipher& cipher, bool with_code,
                                bool mask_name);

// A station with its score type's words and its event's title, path and status.
inline constexpr const char* kStation =
    "SELECT s.*, t.name_zh, t.name_en, t.value_kind, t.unit_zh, t.unit_en, t.higher_better, "
    "t.max_value, e.title, e.path AS event_path, e.status AS event_status, o.name AS org_name "
    "FROM event_stations s JOIN event_score_types t ON t.code = s.score_type JOIN events e ON "
    "e.id = s.event_id LEFT JOIN orgs o ON o.id = s.org_id ";
// The station (a row of kStation) as every answer shows it.
boost::json::object station_view(const Row& s, Lang lang);

// "A012".
std::string number_label(const std::string& prefix, std::int64_t number);

// A notice for `user` about subject (`type`, `id`).
boost::json::object notice(std::int64_t user, std::string_view kind, std::string_view text,
                           boost::json::object params, std::string_view type, std::int64_t id);

// Emits `kind` about the subject, with the notices in `notify`.
void emit(Tx& tx, const api::EventBus& events, const api::Actor& actor, std::string kind,
          std::string subject_type, std::int64_t subject_id, const std::string& path,
          boost::json::object data = {}, boost::json::array notify = {});

// Frees a place of the date: the first waiting gets it (and is told, in
// `notify`), else the count falls. The date row must be locked.
void free_place(Tx& tx, std::int64_t date_id, Millis now, boost::json::array& notify,
                const std::string& title);

}  // namespace xh::events
