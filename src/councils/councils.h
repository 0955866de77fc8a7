#pragma once
// Councils (GOV-1): 圆桌议事会, 家园理事会, 楼栋说事岗 and 三方协商 — kinds as
// data — each bound to a place, with members in their seats (linked to an
// account, a resident or a partner organisation), a term, and the rule set it
// adopted (GOV-2, councils/rules.h). Meetings (GOV-3) are called with an
// agenda of motions and discussions, each with its presenter and time box;
// every member is told through the inbox and answers (attending, absent with
// a reason, or a proxy where the rules allow); the quorum follows the
// answers and, once the meeting runs, the check-ins.
//
// Who sees what: council.read over the council's place (staff), and every
// member of a council (their own councils and meetings). council.manage over
// the place makes councils, seats members and calls meetings. A council or
// meeting the caller may not see is 404, as if it did not exist.
//
// Events emitted (subject: the meeting): council.meeting_called (notices to
// the members), council.attendance (a member answered). Live topic
// "meeting:<id>" for those who may read the meeting.
//
// Events handled: workorder.consultation_opened — the work order's 三方协商
// becomes a three_party council (members: the resident representatives and
// the property company) with its first meeting.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/events.h"
#include "api/list.h"
#include "api/principal.h"
#include "core/messages.h"
#include "core/time.h"
#include "councils/rules.h"
#include "storage/database.h"

namespace xh::councils {

// May `p` read the council `council_id` (in scope, or a member)? 404
// council.not_found otherwise. Its place path.
std::string require_council(storage::Tx& tx, const api::Principal& p, std::int64_t council_id);
// The same for a meeting (404 council.meeting_not_found); its council's id.
std::int64_t require_meeting(storage::Tx& tx, const api::Principal& p, std::int64_t meeting_id);

// One item of a meeting's agenda.
struct AgendaItem {
  std::string kind;  // motion | discussion
  std::string title;
  std::optional<std::int64_t> presenter_id;  // a member
  int minutes = 15;                          // its time box
};
// Calls a meeting inside `tx`, unchecked (the caller checked): its agenda, an
// answer awaited from every sitting member, a notice to those who sign in
// unless not `tell` (council.meeting_called either way). Its id.
std::int64_t call_unchecked(storage::Tx& tx, const api::EventBus& events, const api::Actor& actor,
                            std::int64_t council_id, const std::string& path, const std::string& title,
                            Millis starts_at, const std::optional<std::string>& location,
                            const std::vector<AgendaItem>& agenda, std::optional<std::int64_t> created_by,
                            bool tell = true);

// Adds `item` last on the agenda of a meeting still to come, inside `tx`
// (a topic accepted onto it); the caller checked who may. 409
// council.meeting_not_scheduled once it has begun. Tells the meeting's
// watchers (council.meeting_called). The item's id.
std::int64_t put_on_agenda(storage::Tx& tx, const api::EventBus& events, const api::Actor& actor,
                           std::int64_t meeting_id, const AgendaItem& item);

// A work order's consultation as its event tells it.
struct Consultation {
  std::int64_t id = 0, place_id = 0;
  std::string path, title;
  std::optional<std::int64_t> property_org_id, created_by;
  std::vector<std::string> resident_reps;
  Millis created_at = 0;
};
// Makes its three_party council and first meeting, unless made before.
void adopt_consultation(storage::Tx& tx, const api::EventBus& events, const Consultation& c);

class Councils {
 public:
  Councils(storage::Database& db, const api::EventBus& events) : db_(db), events_(events) {}

  // The kinds, seats and the ten rules' texts, in `lang`.
  boost::json::object vocabulary(Lang lang) const;

  // The councils the caller may read; with `place_id`, those at the place,
  // over it or under it (400 request.bad_query for an unknown place).
  api::Listed list(const api::Principal& p, std::optional<std::int64_t> place_id, api::Page page, Lang lang) const;
  // {id, kind, kind_label, place_id, place_name, name, term_start, term_end,
  // rule_set_id, rule_set_name, rules, members (how many), members_list[],
  // meetings[] (the latest 20, the latest first), may_manage}.
  boost::json::object get(const api::Principal& p, std::int64_t id, Lang lang) const;
  // {kind, place_id, name, term_start?, term_end?, rule_set_id?}: 422
  // council.bad_kind, council.bad_place (a kind of place the kind does not
  // sit at), council.bad_term, council.rule_set_not_found; 403 without
  // council.manage over the place.
  boost::json::object create(const api::Principal& p, const api::Actor& actor, const std::string& body,
                             Lang lang) const;
  // {name?, term_start?, term_end?, rule_set_id?}.
  boost::json::object update(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                             const std::string& body, Lang lang) const;
  // {seat, name, user_id?, resident_id?, org_id?}: 422 council.bad_seat,
  // council.member_exists (an account seated twice).
  boost::json::object add_member(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                                 const std::string& body, Lang lang) const;
  boost::json::object remove_member(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                                    std::int64_t member_id, Lang lang) const;

  // The default rule set and those of the caller's places; a new one
  // {name, place_id, params} (422 council.bad_rules).
  boost::json::array rule_sets(const api::Principal& p) const;
  boost::json::object create_rule_set(const api::Principal& p, const api::Actor& actor,
                                      const std::string& body) const;

  // {title, starts_at (W3C), location?, agenda: [{kind, title, presenter_id?,
  // minutes}]}: 422 council.bad_time, council.bad_agenda, council.bad_presenter.
  boost::json::object call_meeting(const api::Principal& p, const api::Actor& actor,
                                   std::int64_t council_id, const std::string& body, Lang lang) const;
  // Meetings the caller may see (of one council, or all): `when` "upcoming"
  // (to come, soonest first), "past" (the latest first), or none (all, by
  // their start); 400 request.bad_query for another. `mine`: only the
  // meetings of the councils the caller sits on (a member's phone).
  api::Listed meetings(const api::Principal& p, std::optional<std::int64_t> council_id,
                       std::optional<std::string> when, bool mine, api::Page page, Lang lang) const;
  // {…, agenda[], attendance[], quorum {members, expected, present, quorate},
  // me (the caller's seat and answer, if a member)}.
  boost::json::object meeting(const api::Principal& p, std::int64_t id, Lang lang) const;
  // The caller's answer as a member: {reply: attending|absent|proxy,
  // reason?, proxy_id?}: 403 council.not_member, 409 council.meeting_closed,
  // 422 council.bad_reply, council.reason_required, council.no_proxies,
  // council.bad_proxy.
  boost::json::object reply(const api::Principal& p, const api::Actor& actor, std::int64_t meeting_id,
                            const std::string& body, Lang lang) const;

 private:
  storage::Database& db_;
  const api::EventBus& events_;
};

}  // namespace xh::councils
