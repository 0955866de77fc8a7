#pragma once
// What the meeting-in-session commands share (session.cpp, votes.cpp,
// minutes.cpp): the meeting as the caller may read or chair it, the caller's
// seat, the event every change announces. Internal to the module.
#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "api/events.h"
#include "api/principal.h"
#include "core/time.h"
#include "councils/rules.h"
#include "storage/database.h"

namespace xh::councils::room {

struct Meeting {
  std::int64_t id = 0, council_id = 0;
  std::string path, status;
  RuleSet rules;
  std::optional<std::string> secret;
  std::optional<std::int64_t> item;
};

// The meeting as the caller may read it (404 council.meeting_not_found otherwise).
Meeting load(storage::Tx& tx, const api::Principal& p, std::int64_t id);
// …and the caller chairs it (council.manage over its place).
Meeting chaired(storage::Tx& tx, const api::Principal& p, std::int64_t id);
// …and it is in session (409 council.meeting_not_open).
Meeting in_session(storage::Tx& tx, const api::Principal& p, std::int64_t id, bool chair);
// The caller's seat on the meeting's council (id, seat, name); 403 council.not_member.
storage::Row seat(storage::Tx& tx, const api::Principal& p, const Meeting& m);
// council.session on meeting:<id>: {what, …}.
void announce(storage::Tx& tx, const api::EventBus& events, const api::Actor& actor, const Meeting& m,
              boost::json::object data);

// A vote as answered: {id, item_id, item_title, method, secret, status, for,
// against, abstain (null while open), cast, present, members, pass, passed,
// opened_at, closed_at, ballots [{member_id, name, choice}]} — a choice only
// once a named vote has closed; a secret vote's never (it is not kept).
boost::json::object vote_json(storage::Tx& tx, const storage::Row& vote);
// The open vote closed and decided by the meeting's rules (no ballot counts
// after it closes); its row as decided, or nullopt when it was not open.
std::optional<storage::Row> count_vote(storage::Tx& tx, const Meeting& m, std::int64_t vote_id, Millis now);
// A violation or point of order: {id, kind, item_id, member_id, name, rule, note, text, ruling, at}.
boost::json::object record_json(const storage::Row& record);

}  // namespace xh::councils::room
