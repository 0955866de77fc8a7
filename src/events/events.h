#pragma once
// Events (EVT-1 … EVT-3): ceremonies and festivals, queue numbers, scored
// stations with prizes, and honours.
//
// An event belongs to a street or a community; a festival is a series of
// dates, each at a community (the touring festival's thirty stops). Residents
// register for a date on the phone — a place while the capacity lasts, then
// the waitlist, from which a freed place goes to the first waiting, who is
// told — and organisations are invited and answer (RSVP), for the ceremony.
// A registration is a ticket: its code is its QR. At the door the desk scans
// it (once counts once; a second scan answers "already"; exit too where the
// date asks), finds a registration by name or phone (shown masked), or
// registers a walk-in.
//
// Queue numbers (取号): a queue at a desk or station of a date gives numbers
// to residents on the phone (or printed by staff); staff call the next, skip
// one who is absent and recall them; a room's screen shows who is served and
// the phone how many are ahead.
//
// Stations: each scores one way (a score type, data: a time, a count, a
// level, a pass, a check with no score); an operator (staff, or a partner's
// contact where the partner runs it, or one named) scans the ticket and
// enters the result, once. The ticket's card completes when every required
// station has a score, and then one prize is handed out, once, from its
// stock. Leaderboards show names masked unless the participant consented.
//
// Honours: a round (最美抗疫集体, 双星双优网格 …) takes nominations with text
// and photos from staff and, where allowed, residents; staff review them
// (and score them on the round's criteria); verified residents (the
// resident role over a household) vote — N votes a round, a cap per
// household, accounts made after voting opened not counted where so set, a
// rate limit per address — and an anomaly report shows bursts from one
// address and clusters of new accounts, whose votes staff may void before
// publishing the result with its counts.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "api/events.h"
#include "api/list.h"
#include "api/principal.h"
#include "core/crypto.h"
#include "core/labels.h"
#include "core/messages.h"
#include "storage/database.h"

namespace xh::events {

const std::vector<Label>& event_kinds();       // festival | ceremony | activity
const std::vector<Label>& event_statuses();    // draft | published | cancelled | finished
const std::vector<Label>& audiences();         // residents | organisations
const std::vector<Label>& registration_statuses();
const std::vector<Label>& queue_statuses();    // waiting | called | served | skipped
const std::vector<Label>& honour_kinds();      // collective | individual | partner | grid
const std::vector<Label>& honour_statuses();   // nominating | voting | closed | published
const std::vector<Label>& nominee_statuses();  // pending | approved | rejected

class Events {
 public:
  Events(storage::Database& db, const FieldCipher& cipher, const api::EventBus& events)
      : db_(db), cipher_(cipher), events_(events) {}

  // ---- events and dates (event.manage over the place) ----
  // {place_id, kind, title, description?, audience, dates: [{place_id, venue?,
  // starts_at, ends_at, capacity, waitlist?, exit_scan?}]}: 201, a draft.
  boost::json::object create(const api::Principal& p, const api::Actor& actor,
                             const std::string& body) const;
  // {title?, description?, status?}: status moves draft → published →
  // finished, or to cancelled (whose registrations are told).
  boost::json::object update(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                             const std::string& body) const;
  boost::json::object add_date(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                               const std::string& body) const;
  // {capacity?, venue?, cancelled?}: a capacity below the places taken 422.
  boost::json::object update_date(const api::Principal& p, const api::Actor& actor,
                                  std::int64_t date_id, const std::string& body) const;
  // Staff: the events in scope (event.read).
  api::Listed list(const api::Principal& p, const std::optional<std::string>& status,
                   const std::optional<std::string>& kind, const api::Page& page) const;
  // Residents: the published events with a date they can reach, each with
  // its dates and their registrations of them.
  boost::json::array open_events(const api::Principal& p, Lang lang) const;
  // One event with its dates (places taken, waiting, checked in), stations,
  // prizes, and the caller's registrations.
  boost::json::object get(const api::Principal& p, std::int64_t id, Lang lang) const;

  // ---- registration ----
  // {phone?, public_name?}: the caller registers for a date: 201 registered,
  // or waiting when full (409 event.full without a waitlist); 409
  // event.already_registered.
  boost::json::object register_self(const api::Principal& p, const api::Actor& actor,
                                    std::int64_t date_id, const std::string& body) const;
  // The holder (or staff) cancels; a freed place goes to the first waiting.
  boost::json::object cancel(const api::Principal& p, const api::Actor& actor,
                             std::int64_t registration_id) const;
  // {org_ids}: invites organisations to a date (their contacts are told).
  boost::json::object invite(const api::Principal& p, const api::Actor& actor,
                             std::int64_t date_id, const std::string& body) const;
  // {accept, party?}: an invited organisation's contact answers.
  boost::json::object rsvp(const api::Principal& p, const api::Actor& actor,
                           std::int64_t registration_id, const std::string& body) const;
  // The caller's tickets (and their organisations' invitations), with codes.
  boost::json::array my_tickets(const api::Principal& p, Lang lang) const;
  // A ticket, with its score card and prize: its holder or staff.
  boost::json::object ticket(const api::Principal& p, std::int64_t registration_id, Lang lang) const;
  // Staff (event.checkin): a date's registrations, found by name, phone or
  // code with `q`; phones masked.
  api::Listed registrations(const api::Principal& p, std::int64_t date_id,
                            const std::optional<std::string>& q,
                            const std::optional<std::string>& status, const api::Page& page) const;
  // {code? | registration_id?, direction?: in | out}: counts once; a repeat
  // answers result "already".
  boost::json::object check_in(const api::Principal& p, const api::Actor& actor,
                               std::int64_t date_id, const std::string& body) const;
  // {name, phone?}: registered and checked in at the door; 201 with its code.
  boost::json::object walk_in(const api::Principal& p, const api::Actor& actor,
                              std::int64_t date_id, const std::string& body) const;

  // ---- queues ----
  // {name, prefix, station_id?}: event.manage.
  boost::json::object create_queue(const api::Principal& p, const api::Actor& actor,
                                   std::int64_t date_id, const std::string& body) const;
  boost::json::array queues(const api::Principal& p, std::int64_t date_id) const;
  boost::json::object queue(const api::Principal& p, std::int64_t id) const;
  // {print?}: the caller takes a number (one waiting at a time); staff print
  // one with print: true.
  boost::json::object take_number(const api::Principal& p, const api::Actor& actor,
                                  std::int64_t queue_id, const std::string& body) const;
  boost::json::array my_numbers(const api::Principal& p) const;
  // Staff: the one called is served and the next waiting is called.
  boost::json::object call_next(const api::Principal& p, const api::Actor& actor,
                                std::int64_t queue_id) const;
  // {open}: the desk stops giving numbers (those waiting are still called) or starts again.
  boost::json::object set_queue_open(const api::Principal& p, const api::Actor& actor,
                                     std::int64_t queue_id, const std::string& body) const;
  boost::json::object skip(const api::Principal& p, const api::Actor& actor,
                           std::int64_t ticket_id) const;
  boost::json::object recall(const api::Principal& p, const api::Actor& actor,
                             std::int64_t ticket_id) const;

  // ---- stations, scores, prizes ----
  // {name, score_type, required?, org_id?, operator_ids?}: event.manage.
  boost::json::object add_station(const api::Principal& p, const api::Actor& actor,
                                  std::int64_t event_id, const std::string& body,
                                  Lang lang = Lang::zh_CN) const;
  boost::json::object update_station(const api::Principal& p, const api::Actor& actor,
                                     std::int64_t station_id, const std::string& body,
                                     Lang lang = Lang::zh_CN) const;
  boost::json::array score_types(Lang lang) const;
  // The stations the caller may score at (an operator's own list).
  boost::json::array my_stations(const api::Principal& p, Lang lang) const;
  // {code, value? | passed?, note?}: an operator scores a ticket once; 201
  // with the card; 409 event.already_scored.
  boost::json::object score(const api::Principal& p, const api::Actor& actor,
                            std::int64_t station_id, const std::string& body, Lang lang) const;
  // A station's results at a date (staff and its operators).
  api::Listed results(const api::Principal& p, std::int64_t station_id,
                      std::optional<std::int64_t> date_id, const api::Page& page) const;
  // The best results at a date (names masked unless consented).
  boost::json::object leaderboard(const api::Principal& p, std::int64_t station_id,
                                  std::optional<std::int64_t> date_id, Lang lang) const;
  // {name, stock}: event.manage. {stock}: changes it.
  boost::json::object add_prize(const api::Principal& p, const api::Actor& actor,
                                std::int64_t event_id, const std::string& body) const;
  boost::json::object update_prize(const api::Principal& p, const api::Actor& actor,
                                   std::int64_t prize_id, const std::string& body) const;
  // {code, prize_id}: a completed card's one prize; 409
  // event.card_incomplete, event.prize_handed, event.out_of_stock.
  boost::json::object hand_prize(const api::Principal& p, const api::Actor& actor,
                                 std::int64_t event_id, const std::string& body) const;

 private:
  storage::Database& db_;
  const FieldCipher& cipher_;
  const api::EventBus& events_;
};

class Honours {
 public:
  Honours(storage::Database& db, const api::EventBus& events) : db_(db), events_(events) {}

  // {place_id, title, kind, description?, residents_nominate?,
  // votes_per_voter?, household_cap?, exclude_new_accounts?,
  // per_address_per_minute?, criteria?}: honour.manage; 201, nominating.
  boost::json::object create(const api::Principal& p, const api::Actor& actor,
                             const std::string& body) const;
  // {status}: nominating → voting → closed → published.
  boost::json::object set_status(const api::Principal& p, const api::Actor& actor,
                                 std::int64_t id, const std::string& body) const;
  // Staff: the rounds in scope; residents: the rounds they can reach.
  boost::json::array list(const api::Principal& p, Lang lang) const;
  // The round with its nominees (staff: all; residents: approved ones), the
  // caller's votes, and the counts once published (staff: always).
  boost::json::object get(const api::Principal& p, std::int64_t id, Lang lang) const;
  // {name, text, photos?, org_id?, grid_id?}: staff, or a resident while
  // nominating where residents may.
  boost::json::object nominate(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                               const std::string& body) const;
  // {approve, note?}
  boost::json::object review(const api::Principal& p, const api::Actor& actor,
                             std::int64_t nominee_id, const std::string& body) const;
  // {scores: {criterion: points}}
  boost::json::object set_scores(const api::Principal& p, const api::Actor& actor,
                                 std::int64_t nominee_id, const std::string& body) const;
  // {nominee_id}: a verified resident of the round's place votes; 409
  // honour.already_voted, honour.no_votes_left, honour.household_cap; 429
  // honour.rate_limited.
  boost::json::object vote(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                           const std::string& body) const;
  // Bursts from one address, clusters of new accounts.
  boost::json::object anomalies(const api::Principal& p, std::int64_t id) const;
  // {vote_ids, reason}: voids votes (kept, not counted).
  boost::json::object void_votes(const api::Principal& p, const api::Actor& actor,
                                 std::int64_t id, const std::string& body) const;

 private:
  storage::Database& db_;
  const api::EventBus& events_;
};

// Live topics: a date (its counts), a queue (now serving), a station (its
// leaderboard), a ticket (its card), a nominee (its photos).
void require_date(storage::Tx& tx, const api::Principal& p, std::int64_t id);
void require_queue(storage::Tx& tx, const api::Principal& p, std::int64_t id);
void require_station(storage::Tx& tx, const api::Principal& p, std::int64_t id);
void require_ticket(storage::Tx& tx, const api::Principal& p, std::int64_t id);
void require_nominee(storage::Tx& tx, const api::Principal& p, std::int64_t id);
boost::json::object queue_screen(storage::Tx& tx, std::int64_t id, Lang lang);
boost::json::object station_screen(storage::Tx& tx, std::int64_t id, Lang lang);

}  // namespace xh::events
