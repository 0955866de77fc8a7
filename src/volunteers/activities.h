#pragma once
// Activities (VOL-2): a team's activity at a place, held once or by a
// recurrence rule (recurrence.h), with a capacity per occurrence. Confirmed
// volunteers sign up for an occurrence — the team's members, or anyone
// confirmed in a community on the place's line when it is open to all — and
// past the capacity wait in order; a freed place goes to the first waiting,
// who is told. A volunteer cancels until the cut-off; the leader (or staff)
// cancels an occurrence or the whole activity, and everyone signed is told.
//
// Check-in and check-out by code, within the activity's window around the
// start and the end: the leader's phone shows a code that changes every 30
// s, which the volunteers enter or scan; or the leader scans the code on
// the volunteer's phone. A scan counts once: a repeat answers "already"
// and changes nothing. The leader closes a missed check-out. Minutes are
// computed at check-out; the leader confirms them (a change needs a reason
// and is audited), which pays points by the community's volunteer_hour rule
// (volunteer.hours_confirmed) once. A volunteer's service record and
// certificate (志愿服务证明, a PDF) show the confirmed hours.
//
// Who sees what: anyone who may sign up, the team's members, its leader and
// staff over the place (volunteer.read) see an activity; the leader and
// staff (volunteer.manage) see who signed up, by name, and manage it.
// Live topic "activity_occurrence:<id>" (activity.changed).
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "api/call.h"
#include "api/events.h"
#include "api/list.h"
#include "api/principal.h"
#include "core/crypto.h"
#include "core/messages.h"
#include "storage/database.h"

namespace xh::volunteers {

struct ActivityQuery {
  std::optional<std::int64_t> place_id, team_id;
  api::Page page;
};

// A file the API answers as it is.
struct File {
  std::string bytes, name, type;
};

class Activities {
 public:
  Activities(storage::Database& db, const FieldCipher& cipher, const api::EventBus& events)
      : db_(db), cipher_(cipher), events_(events) {}

  // {team_id, title, description?, place_id, address?, first_date, times,
  // duration_minutes, rrule?, capacity, open_to_all?, cancel_cutoff_minutes?,
  // window_minutes?}: 201. The team's leader or volunteer.manage over the
  // team's place; the place among those the team serves or under its place
  // (422 activity.bad_place); recurrence.h's 422s; activity.bad_capacity (1
  // to 5,000).
  boost::json::object create(const api::Principal& p, const api::Actor& actor,
                             const std::string& body, Lang lang) const;
  // The activities the caller sees, newest first.
  api::Listed list(const api::Principal& p, const ActivityQuery& q, Lang lang) const;
  // One activity, its occurrences in the next 14 days (signed, capacity,
  // the caller's sign-up) and what the caller may do; 404
  // activity.not_found.
  boost::json::object get(const api::Principal& p, std::int64_t id, Lang lang) const;
  // The occurrences of the activities the caller sees (or, mine, those
  // they signed up for) between `from` and `to` (at most 31 days),
  // ascending: the phone's list.
  boost::json::array occurrences(const api::Principal& p, Millis from, Millis to, bool mine,
                                 std::optional<std::int64_t> team_id, Lang lang) const;
  // {starts_at?, reason}: the leader or staff cancel one occurrence (an
  // exception of the rule) or, without starts_at, the activity; those
  // signed are told. 422 activity.bad_start; 409 activity.cancelled.
  boost::json::object cancel(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                             const std::string& body, Lang lang) const;

  // {starts_at}: 201 the caller's sign-up for that occurrence — signed while
  // places are left (exactly the capacity, however many sign up at once),
  // else waiting. 403 activity.not_volunteer (no confirmed record),
  // activity.not_open (not a member of a team-only activity); 422
  // activity.bad_start (no such occurrence, or it has started); 409
  // activity.signed_up.
  boost::json::object sign_up(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                              const std::string& body, Lang lang) const;
  // The volunteer cancels before the cut-off (409 activity.cutoff), or
  // leaves the waitlist; the first waiting takes a freed place and is told.
  boost::json::object withdraw(const api::Principal& p, const api::Actor& actor,
                               std::int64_t signup_id, Lang lang) const;
  // The occurrence: its activity, times, windows, counts; the sign-ups by
  // name to the leader and staff, the caller's own to a volunteer.
  boost::json::object occurrence(const api::Principal& p, std::int64_t id, Lang lang) const;
  // The leader's rotating code {code, changes_at}: the leader or staff, in
  // the check-in or check-out window (409 activity.window_closed).
  boost::json::object leader_code(const api::Principal& p, std::int64_t id) const;
  // The volunteer's own rotating code {token, changes_at} for the leader
  // to scan.
  boost::json::object my_code(const api::Principal& p, std::int64_t signup_id) const;
  // {code, direction: in | out}: the volunteer checks in or out with the
  // leader's code. {result: counted | already, signup}. 422
  // activity.bad_code; 409 activity.window_closed, activity.not_checked_in
  // (out before in), activity.not_signed (waiting or cancelled).
  boost::json::object check(const api::Principal& p, const api::Actor& actor,
                            std::int64_t occurrence_id, const std::string& body, Lang lang) const;
  // {token, direction}: the leader scans a volunteer's code; the same
  // answers.
  boost::json::object scan(const api::Principal& p, const api::Actor& actor,
                           std::int64_t occurrence_id, const std::string& body, Lang lang) const;
  // {checked_out_at}: the leader closes a missed check-out (between the
  // check-in and the end of the check-out window). 409
  // activity.not_checked_in, activity.checked_out.
  boost::json::object close(const api::Principal& p, const api::Actor& actor,
                            std::int64_t signup_id, const std::string& body, Lang lang) const;
  // {minutes?, reason?}: the leader (or staff) confirms the hours — the
  // computed minutes, or others with a reason (422
  // activity.reason_required; 0 to 24 h: activity.bad_minutes). 409
  // activity.not_checked_out, activity.confirmed (once: points are paid
  // once).
  boost::json::object confirm(const api::Principal& p, const api::Actor& actor,
                              std::int64_t signup_id, const std::string& body, Lang lang) const;

  // The caller's sign-ups, latest first.
  boost::json::object my_signups(const api::Principal& p, Lang lang) const;
  // The volunteer's service record: the confirmed sign-ups with activity,
  // team, date and minutes, and the total. Oneself or volunteer.read.
  boost::json::object record(const api::Principal& p, std::int64_t volunteer_id, Lang lang) const;
  // The service certificate (志愿服务证明) as an A4 PDF: name, masked
  // national ID, teams, activities, dates, confirmed hours, the community.
  File certificate(const api::Principal& p, std::int64_t volunteer_id) const;

  // ---- calendars ----
  // {kind: team | volunteer, id?}: a secret feed URL of a team (its
  // members, leader, staff) or of oneself. 201 {id, kind, subject_id, url}
  // — the URL is shown once. 404 team.not_found.
  boost::json::object create_feed(const api::Principal& p, const api::Actor& actor,
                                  const std::string& body) const;
  boost::json::object feeds(const api::Principal& p) const;
  void revoke_feed(const api::Principal& p, const api::Actor& actor, std::int64_t id) const;
  // The feed of a live token (text/calendar); 404 calendar.not_found.
  File feed(const std::string& token) const;

 private:
  storage::Database& db_;
  const FieldCipher& cipher_;
  const api::EventBus& events_;
};

// The live topic's check: the caller sees the occurrence's activity.
void require_occurrence(storage::Tx& tx, const api::Principal& p, std::int64_t id);
// The sign-ups whose hours wait for the caller's confirmation (as leader or
// staff), for the to-do list.
std::int64_t hours_to_confirm(storage::Tx& tx, const api::Principal& p);

}  // namespace xh::volunteers
