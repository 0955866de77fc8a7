#pragma once
// Owners' votes in the app (GOV-5): staff (owner_vote.manage over the place)
// call a vote on a compound or a building on one of Article 278's matters,
// open it — the roll of its households is frozen then, with their exclusive
// areas and their owners as the count sees them (roll marks: the developer's
// units are one owner, one buyer's units are one) — and close it, when the
// sums are decided by votes::decide and explained. An owner votes in the app
// from the account registered for their household (the resident role over
// it): one ballot per owner, with a receipt code whose hash the result lists.
// A secret vote keeps who voted and never how: the ballot holds no choice,
// only the vote's sums add it. Turnout by building is live on
// owner_vote:<id>; the units not yet voted are listed for the building
// leaders and grid workers over them, the owners' names masked.
#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "api/call.h"
#include "api/events.h"
#include "api/list.h"
#include "api/principal.h"
#include "core/messages.h"
#include "storage/database.h"

namespace xh::votes {

// A list's filters.
struct VoteQuery {
  std::optional<std::int64_t> place_id;
  std::optional<std::string> status;  // draft | open | closed
  api::Page page{100, 0};
};

class OwnerVotes {
 public:
  OwnerVotes(storage::Database& db, const api::EventBus& events) : db_(db), events_(events) {}

  // {place_id, title, matter, secret?, closes_at}: a draft. 422 vote.bad_place
  // (a compound or a building), vote.bad_matter, vote.bad_time.
  boost::json::object create(const api::Principal& p, const api::Actor& actor, const std::string& body,
                             Lang lang) const;
  // The votes the caller reaches, the latest first (drafts: the staff's
  // only), a page at a time ({items, total}); with `place_id`, those that
  // bind the place (held at it or over it); with `status`, in that status.
  // 400 request.bad_query for an unknown place or status.
  boost::json::object list(const api::Principal& p, const VoteQuery& q, Lang lang) const;
  // {id, place, title, matter, matter_label, kind, secret, status, closes_at,
  // roll {total_area, total_owners, households, missing_area} (a draft: as it
  // would be frozen now), turnout [{building_id, building, units, voted_units,
  // area, voted_area}], participating {area, owners}, me {household_id, voted,
  // may_vote, choice (a named vote's)} | null, result (closed: the count and
  // its explanation in `lang`) | null, may_manage}.
  boost::json::object get(const api::Principal& p, std::int64_t id, Lang lang) const;
  // Freezes the roll. 409 vote.not_draft, vote.past_deadline, vote.roll_empty,
  // vote.roll_incomplete (a household without its area: the draft's view says
  // how many).
  boost::json::object open(const api::Principal& p, const api::Actor& actor, std::int64_t id, Lang lang) const;
  // {choice, household_id?}: the owner's ballot → {receipt, vote}. 403
  // vote.not_owner; 409 vote.not_open, vote.past_deadline, vote.already_voted;
  // 422 vote.bad_choice.
  boost::json::object ballot(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                             const std::string& body, Lang lang) const;
  // Decides it. 409 vote.not_open.
  boost::json::object close(const api::Principal& p, const api::Actor& actor, std::int64_t id, Lang lang) const;
  // The units whose owners have not voted, in the caller's scope
  // (owner_vote.doors): {household_id, household, unit, building, owners
  // (masked)}, by building and unit.
  api::Listed pending(const api::Principal& p, std::int64_t id, std::optional<std::int64_t> building_id,
                      api::Page page) const;
  // {receipts: [sha256 of each receipt code, sorted]}: once closed.
  boost::json::object receipts(const api::Principal& p, std::int64_t id) const;
  // ---- paper ballots and written proxies (staff: owner_vote.manage) ----
  // {household_id, kind: paper|proxy, choice, proxy_name (a proxy's)}: entered
  // once, waiting for a second person. 404 vote.not_on_roll; 409 vote.not_open,
  // vote.past_deadline, vote.owner_voted (the owner's own ballot wins),
  // vote.entry_waiting; 422
  // vote.bad_choice, vote.bad_kind, vote.proxy_name.
  boost::json::object enter(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                            const std::string& body) const;
  // {choice}: a second staff member reads the same paper. The same choice: a
  // paper ballot counts now, a proxy at the close (unless the owner votes
  // first) — with a receipt for the owner; another: disputed. 404
  // vote.entry_not_found; 409 vote.same_person, vote.entry_settled,
  // vote.not_open, vote.past_deadline; 422 vote.bad_choice. → {entry, receipt | null}.
  boost::json::object confirm(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                              std::int64_t entry_id, const std::string& body) const;
  // {items: [entry]}: the latest first; the choice is gone once a secret vote's
  // entry counts, and from every superseded or refused entry.
  boost::json::object entries(const api::Principal& p, std::int64_t id) const;

  struct File {
    std::string name, bytes;
  };
  // The result sheet, once closed: the figures, each threshold, the
  // explanation, turnout by building, the receipts' count (in Chinese, the
  // street's record). 409 vote.not_closed.
  File result_pdf(const api::Principal& p, std::int64_t id) const;

  // {developer, buyer?}: how the roll counts a household's owner.
  boost::json::object mark(const api::Principal& p, const api::Actor& actor, std::int64_t household_id,
                           const std::string& body) const;

 private:
  storage::Database& db_;
  const api::EventBus& events_;
};

// The job owner_vote.close, scheduled at the opening for the deadline: the
// vote closes as staff would close it (by the system), if it is still open.
void close_at_deadline(storage::Tx& tx, const api::EventBus& events, std::int64_t id, Millis now);

// The live topic's check: the caller reaches the vote (404 otherwise).
void require_vote(storage::Tx& tx, const api::Principal& p, std::int64_t id);

// Who may see the photos of a vote's paper ballots and proxy documents: the
// staff who run it (owner_vote.manage over its place; 404/403 otherwise).
void require_paper_reader(storage::Tx& tx, const api::Principal& p, std::int64_t id);

// A vote the demo street held (FND-6), in one transaction, as staff would
// have run it: called and opened on `place_id` (its roll as it stands), the
// first `ballots` owners of the roll voting on paper entered by `clerk` and
// checked by `checker` — the first `disagree` of them against, the last
// `proxies` of them by written proxy — and closed (counted) unless not
// `close`. Its id.
struct DemoVote {
  std::int64_t place_id = 0;
  std::string title, matter;
  Millis opened_at = 0, closes_at = 0;
  int ballots = 0, disagree = 0, proxies = 0;
  std::int64_t clerk = 0, checker = 0;
  bool close = true;
};
std::int64_t demo_vote(storage::Tx& tx, const api::EventBus& events, const DemoVote& d);

// What another module cites of a vote (a topic decided by it), as the caller
// may read it (404 vote.not_found otherwise).
struct VoteFacts {
  std::string title, path, status;  // status: draft | open | closed
  std::optional<bool> passed;       // once closed
};
VoteFacts vote_facts(storage::Tx& tx, const api::Principal& p, std::int64_t id);
// The same, unchecked (the caller checked who may see it); none: no such vote.
std::optional<VoteFacts> vote_facts(storage::Tx& tx, std::int64_t id);

}  // namespace xh::votes
