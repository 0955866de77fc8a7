#pragma once
// Topics (议题, GOV-4). A resident, a partner's administrator or staff raise a
// topic on a place they reach (their building, compound or community), with
// text and photos; others who reach it support it, once each. The place's
// staff (topic.review) review it: accepted onto a council's agenda (and, when
// named, onto a meeting still to come), merged into a similar topic (its
// supporters follow), or declined with a reason the raiser sees. It is
// decided in a closed meeting or by a closed owners' vote (adopted or
// rejected; a vote's outcome is the vote's result), and an adopted topic is
// followed — who carries it out, progress updates with photos — until done.
//
// Who sees a topic: as places::reaches says for topic.read — the residents of
// its place and of the places under it, staff over it, and the grid workers
// of a grid governing it or a building under it. Live topic "topic:<id>" (topic.changed); the
// raiser and the supporters are told of its review, its decision and its end.
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "api/call.h"
#include "api/events.h"
#include "api/principal.h"
#include "core/messages.h"
#include "storage/database.h"

namespace xh::topics {

// A list's filters.
struct TopicQuery {
  std::optional<std::string> status;  // one of the statuses, or "open" (raised or accepted)
  std::optional<std::int64_t> place_id;
  std::optional<std::string> q;     // in the title or text
  bool mine = false;                // raised or supported by the caller
  std::optional<std::string> sort;  // created_at | supports (prefix - for descending)
  api::Page page;
};

class Topics {
 public:
  Topics(storage::Database& db, const api::EventBus& events) : db_(db), events_(events) {}

  // {place_id, title, body, photos?, org_id?}: 201 the topic. 422
  // topic.bad_place (a community, compound or building the caller reaches),
  // topic.bad_org (org_id: a partner the caller administers), photo.not_yours.
  boost::json::object raise(const api::Principal& p, const api::Actor& actor,
                            const std::string& body, Lang lang) const;
  // {items: [{id, place_id, place, title, status, supports, supported, raised_at, photos}], total}.
  boost::json::object list(const api::Principal& p, const TopicQuery& q, Lang lang) const;
  // The topic with its photos, review, decision, updates and what the caller
  // may do (may_support, may_review, may_decide, may_update); 404
  // topic.not_found outside the caller's reach.
  boost::json::object get(const api::Principal& p, std::int64_t id, Lang lang) const;
  // Supports it (once: 409 topic.supported), or withdraws one's support
  // (409 topic.not_supported). 409 topic.own for one's own topic,
  // topic.closed once it is no longer open.
  boost::json::object support(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                              bool on, Lang lang) const;
  // {action: accept, council_id, meeting_id?, minutes?} | {action: merge,
  // into_id, reason?} | {action: decline, reason}. 409 topic.not_raised once
  // reviewed (also when another review won the race); 409
  // council.meeting_not_scheduled; 422 topic.bad_council, topic.bad_meeting,
  // topic.bad_merge (into itself, a topic elsewhere or closed),
  // topic.reason_required.
  boost::json::object review(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                             const std::string& body, Lang lang) const;
  // {outcome: adopted|rejected, text, meeting_id? | owner_vote_id?, carrier?,
  // carrier_org_id?}: exactly one of meeting_id (a closed meeting of a
  // council at, over or under the place) or owner_vote_id (a closed owners'
  // vote held at the place or over it, whose result is the outcome: 422
  // topic.vote_outcome). An adopted topic names who carries it out
  // (topic.carrier_required); a rejected one keeps no carrier. 409
  // topic.not_open.
  boost::json::object decide(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                             const std::string& body, Lang lang) const;
  // {text, progress (0–100, not below the last), photos?, done?}: the
  // progress of an adopted topic; done ends it (progress 100). 409
  // topic.not_decided.
  boost::json::object update(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                             const std::string& body, Lang lang) const;

 private:
  storage::Database& db_;
  const api::EventBus& events_;
};

// The live topic's check: the caller reaches the topic (404 otherwise).
void require_topic(storage::Tx& tx, const api::Principal& p, std::int64_t id);

// The topics waiting for the caller's review, for the to-do list.
std::int64_t waiting_review(storage::Tx& tx, const api::Principal& p);

}  // namespace xh::topics
