#pragma once
// The live meeting (GOV-3): the chair (council.manage over the council's
// place) opens it, moves through the agenda one item at a time, checks
// members in by hand, and gives the floor — in the order the rules give it
// (councils/queue.h), or out of it with a reason that is recorded — with a
// time limit the server keeps (a speech's start and limit are sent; every
// screen counts down alike) and extensions as the rules allow. Members check
// in by the code the room's screen shows, which changes every 30 s (a photo
// sent home does not work), and ask for the floor (pro, con, neutral) or
// withdraw. Every change is the domain event council.session on the live
// topic "meeting:<id>" ({what, …}); the session's view is read again.
//
// One speech at a time: a second grant while one is under way is 409
// council.floor_taken, also when two chairs press at once (a unique index).
#include <boost/json/object.hpp>

#include <cstdint>
#include <string>

#include "api/events.h"
#include "api/principal.h"
#include "core/messages.h"
#include "core/time.h"
#include "storage/database.h"

namespace xh::councils {

// The check-in code of `secret` for the 30-second window holding `at`.
std::string checkin_code(const std::string& secret, Millis at);
inline constexpr Millis kCodeWindow = 30000;

// What a room's screen (投屏) shows of a meeting (api::LiveTopic::display):
// {title, council, status, item, speaker {name, side, started_at_ms, limit_ms}
// | null, queue [{name, side}], quorum, checkin {code, changes_at_ms} (in
// session) | null, vote {cast, present, secret} | null, last_vote {item_title,
// for, against, abstain, passed, pass} | null, server_now_ms}. The screen reads it again at each event
// and when the code changes.
boost::json::object screen_view(storage::Tx& tx, std::int64_t meeting_id, Lang lang);

class MeetingRoom {
 public:
  MeetingRoom(storage::Database& db, const api::EventBus& events) : db_(db), events_(events) {}

  // What every screen shows: {status, server_now, item, speaker {…,
  // started_at, limit_ms, extensions, extensions_left} | null, queue [{request_id,
  // member_id, name, side}] in the rules' order, spoken [{member_id, speeches}],
  // quorum, me {member_id, checked_in, request, place, speeches, may_request}
  // | null, chair (may the caller chair it), vote (the open one, with me
  // {voted, may_vote}) | null, last_vote | null, records [the latest first]}.
  boost::json::object view(const api::Principal& p, std::int64_t meeting_id) const;

  // ---- the chair ----
  // 409 council.meeting_not_scheduled.
  boost::json::object open(const api::Principal& p, const api::Actor& actor, std::int64_t id) const;
  // 409 council.meeting_not_open. A speech under way ends; waiting requests
  // lapse; each member checked in attended (council.meeting_attended, which
  // points pays for by the community's meeting_attended rule).
  boost::json::object close(const api::Principal& p, const api::Actor& actor, std::int64_t id) const;
  // {code, changes_at}: for the room's screen.
  boost::json::object code(const api::Principal& p, std::int64_t id) const;
  // {item_id}: 422 council.bad_item; 409 council.floor_taken while someone speaks,
  // council.vote_open while a vote is taken; the
  // current item: nothing changes.
  boost::json::object move_to(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                              const std::string& body) const;
  // A member checked in by the chair; 404 council.member_not_found.
  boost::json::object check_in_member(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                                      std::int64_t member_id) const;
  // {request_id?, reason?}: the next in the rules' order, or the request
  // named (out of order: 422 council.override_reason without a reason);
  // 409 council.floor_taken, council.vote_open, council.queue_empty; 404
  // council.request_not_found.
  boost::json::object grant(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                            const std::string& body) const;
  // 409 council.no_speech.
  boost::json::object end_speech(const api::Principal& p, const api::Actor& actor, std::int64_t id) const;
  // 409 council.no_speech, council.no_extension (none left by the rules).
  boost::json::object extend(const api::Principal& p, const api::Actor& actor, std::int64_t id) const;

  // ---- a member ----
  // {code}: 409 council.meeting_not_open, 403 council.not_member, 422 council.bad_code (in
  // that order).
  boost::json::object check_in(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                               const std::string& body) const;
  // {side: pro|con|neutral}: 409 council.not_checked_in, council.already_waiting, 422
  // council.bad_side, council.speech_limit (as many speeches on the item as the rules allow).
  boost::json::object request_floor(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                                    const std::string& body) const;
  // 409 council.not_waiting.
  boost::json::object withdraw(const api::Principal& p, const api::Actor& actor, std::int64_t id) const;

  // ---- votes (councils/votes.cpp) ----
  // The chair, on the motion under way: {method: "hands", for, against,
  // abstain} counted and decided at once (422 council.bad_count: negative, or
  // more than present), or {method: "phones"}: open until closed, secret when
  // the rules say so. 409 council.no_item, council.floor_taken,
  // council.vote_open; 422 council.not_motion, council.bad_method.
  boost::json::object open_vote(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                                const std::string& body) const;
  // A member checked in: {choice: for|against|abstain}, with the weight of the
  // proxies they hold. 404 council.vote_not_found; 409 council.vote_closed,
  // council.not_checked_in, council.already_voted; 422 council.bad_choice.
  boost::json::object ballot(const api::Principal& p, const api::Actor& actor, std::int64_t id, std::int64_t vote_id,
                             const std::string& body) const;
  // Counted and decided by the rules' threshold. 409 council.vote_closed.
  boost::json::object close_vote(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                                 std::int64_t vote_id) const;
  // {items: [vote]}, the latest first (room::vote_json).
  boost::json::object votes(const api::Principal& p, std::int64_t id) const;

  // ---- what the chair records ----
  // {member_id, rule (a key of the ten rules), note?}: 404 council.member_not_found, 422 council.bad_rule.
  boost::json::object violation(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                                const std::string& body) const;
  // {member_id?, text, ruling?}: 422 council.text_required.
  boost::json::object point_of_order(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                                     const std::string& body) const;

 private:
  storage::Database& db_;
  const api::EventBus& events_;
};

}  // namespace xh::councils
