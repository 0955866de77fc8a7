#pragma once
// Grid work and door-to-door campaigns (GRD-1, GRD-4).
//
// A grid worker's day on the phone: they start a patrol of their grid, send
// GPS points as they walk (optional), mark the buildings they visit (the
// week's coverage is those marks) and log the events they find — with a
// photo, a place and a kind; one that needs fixing becomes a work order in
// the same step, linked to it. At hand: the grid's households and residents,
// its special-care residents (as resident.care allows), its open work
// orders, its due re-inspections and its campaigns.
//
// A campaign (the seed's epidemic work, door to door) is a set of households
// chosen by place, by a special-care tag or by an imported list of household
// codes, with an optional short form; every household gets an outcome
// (visited, not at home, refused, needs follow-up) from the grid worker of
// its grid, with notes and answers; progress is counted per grid and per
// building, live, and the unfinished households export.
//
// Who sees what: a grid's patrols, events and households to its grid workers
// and the staff over it (grid.read); a campaign to the staff over its place
// and the grid workers of its grids, each grid worker only their grid's
// households.
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

namespace xh::grid {

const std::vector<Label>& event_kinds();     // hazard, environment, facility, …
const std::vector<Label>& event_statuses();  // open | ordered | resolved
const std::vector<Label>& outcomes();        // visited | not_home | refused | follow_up
const std::vector<Label>& campaign_statuses();

inline constexpr std::size_t kMaxTrackPoints = 5000;

class GridWork {
 public:
  GridWork(storage::Database& db, const FieldCipher& cipher, const api::EventBus& events)
      : db_(db), cipher_(cipher), events_(events) {}

  // {grid_id?}: starts the caller's patrol of a grid they work (grid.work
  // over it; the grid of their grant when they have one); 409
  // grid.patrol_ongoing when one is under way.
  boost::json::object start(const api::Principal& p, const api::Actor& actor,
                            const std::string& body) const;
  // {points: [{lat, lng, at?}]}: appended to the track (at most 500 a call).
  boost::json::object track(const api::Principal& p, std::int64_t id, const std::string& body) const;
  // {place_id}: a building of the grid visited (a unit counts for its
  // building); once a patrol.
  boost::json::object visit(const api::Principal& p, std::int64_t id, const std::string& body) const;
  // {note?}: ends it.
  boost::json::object finish(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                             const std::string& body) const;
  boost::json::object patrol(const api::Principal& p, std::int64_t id) const;
  api::Listed patrols(const api::Principal& p, std::optional<std::int64_t> grid_id,
                      bool mine, const api::Page& page) const;

  // {place_id, kind, text, photos?, patrol_id?, lat?, lng?, category?,
  // grid_id?}: 201. The grid is the patrol's, else the place's own (a
  // building's, unit's or household's), else the one named or the caller's.
  // With a work-order category, the order is filed in the same step, in the
  // reporter's name (whose photos they are).
  boost::json::object report(const api::Principal& p, const api::Actor& actor,
                             const std::string& body) const;
  // {category}: an open event becomes a work order; 409 grid.event_closed.
  boost::json::object order(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                            const std::string& body) const;
  boost::json::object resolve(const api::Principal& p, const api::Actor& actor, std::int64_t id) const;
  api::Listed events(const api::Principal& p, std::optional<std::int64_t> grid_id,
                     const std::optional<std::string>& status, const api::Page& page) const;

  // The grid at hand: households, residents, special-care residents (as
  // resident.care allows), open orders, due re-inspections, campaigns.
  boost::json::object overview(const api::Principal& p, std::optional<std::int64_t> grid_id,
                               Lang lang) const;
  // The grid's buildings, each with its last visit and whether it falls in
  // the seven days from `week` (a Beijing date; this week, from Monday,
  // when absent).
  boost::json::object coverage(const api::Principal& p, std::int64_t grid_id,
                               const std::optional<std::string>& week) const;
  // The grids the caller works or oversees.
  boost::json::object grids(const api::Principal& p) const;

 private:
  storage::Database& db_;
  const FieldCipher& cipher_;
  const api::EventBus& events_;
};

class Campaigns {
 public:
  Campaigns(storage::Database& db, const api::EventBus& events) : db_(db), events_(events) {}

  // {title, description?, place_id, form?, select: {place_ids? | tag? |
  // household_codes?}}: 201 with how many households it holds; 422
  // campaign.empty when the selection holds none, campaign.bad_codes naming
  // the codes that are not households within the place.
  boost::json::object create(const api::Principal& p, const api::Actor& actor,
                             const std::string& body) const;
  api::Listed list(const api::Principal& p, const std::optional<std::string>& status,
                   const api::Page& page) const;
  // The campaign with its progress per grid and per building (the caller's).
  boost::json::object get(const api::Principal& p, std::int64_t id) const;
  boost::json::object close(const api::Principal& p, const api::Actor& actor, std::int64_t id) const;
  // Its households in the caller's scope, by grid, building and outcome
  // ("pending" for none yet).
  api::Listed households(const api::Principal& p, std::int64_t id,
                         std::optional<std::int64_t> grid_id,
                         std::optional<std::int64_t> building_id,
                         const std::optional<std::string>& outcome, const api::Page& page) const;
  // {outcome, note?, answers?}: the grid worker over the household records
  // (or corrects) it; 409 campaign.closed.
  boost::json::object record(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                             std::int64_t household_id, const std::string& body) const;

 private:
  storage::Database& db_;
  const api::EventBus& events_;
};

void require_campaign(storage::Tx& tx, const api::Principal& p, std::int64_t id);
void require_event(storage::Tx& tx, const api::Principal& p, std::int64_t id);

}  // namespace xh::grid
