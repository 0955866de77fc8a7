#pragma once
// Patrols (VOL-3). A team's leader or staff lay out a route: its checkpoints
// in order, each with a QR plate printed from the console (plates.pdf), how
// often it is walked (every N hours: the emergencies module raises it) and
// how long a walk may take. A member starts a patrol and scans the plates
// as they pass them: a plate counts once per patrol; one scanned before an
// earlier one is flagged out of order, one after the route's time late; the
// checkpoints not scanned when it ends are counted missed. What a patrol
// finds at a checkpoint becomes a work order there, of the category chosen,
// with its photos, followed by the patroller like their own report.
//
// Who sees what: a route and its patrols to the team's members and leader
// and staff over its place (volunteer.read); walking it to its members.
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "api/events.h"
#include "api/list.h"
#include "api/principal.h"
#include "core/messages.h"
#include "storage/database.h"
#include "volunteers/activities.h"

namespace xh::volunteers {

class Patrols {
 public:
  Patrols(storage::Database& db, const api::EventBus& events) : db_(db), events_(events) {}

  // {team_id, name, place_id, every_hours (1–168), window_minutes (10–480),
  // checkpoints: [{name, place_id}] (2–30)}: 201. The leader or
  // volunteer.manage over the team's place; 422 patrol.bad_place (outside
  // the team's places), patrol.bad_checkpoints, patrol.bad_setting.
  boost::json::object create_route(const api::Principal& p, const api::Actor& actor,
                                   const std::string& body, Lang lang) const;
  api::Listed routes(const api::Principal& p, std::optional<std::int64_t> team_id,
                     const api::Page& page, Lang lang) const;
  // The route, its checkpoints (without their secrets), when it is next due
  // and its latest patrols; 404 patrol.route_not_found.
  boost::json::object route(const api::Principal& p, std::int64_t id, Lang lang) const;
  // {every_hours?, window_minutes?, active?}: the leader or staff.
  boost::json::object update_route(const api::Principal& p, const api::Actor& actor,
                                   std::int64_t id, const std::string& body, Lang lang) const;
  // The plates, one a page, for printing: the leader or staff.
  File plates(const api::Principal& p, std::int64_t id) const;

  // {route_id}: a member starts a patrol; 409 patrol.ongoing (theirs on
  // that route), 409 patrol.inactive; 403 patrol.not_member.
  boost::json::object start(const api::Principal& p, const api::Actor& actor,
                            const std::string& body, Lang lang) const;
  boost::json::object patrol(const api::Principal& p, std::int64_t id, Lang lang) const;
  // {code}: the patroller scans a plate: {result: counted | already,
  // in_order, late, patrol}; 422 patrol.bad_code (not this route's plate);
  // 409 patrol.ended.
  boost::json::object scan(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                           const std::string& body, Lang lang) const;
  // The patroller ends it: the checkpoints not scanned are missed.
  boost::json::object finish(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                             Lang lang) const;
  // {checkpoint_id, category, text, photos?}: the patroller files a work
  // order at the checkpoint; 201 {work_order_id, patrol}.
  boost::json::object find(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                           const std::string& body, Lang lang) const;

 private:
  storage::Database& db_;
  const api::EventBus& events_;
};

void require_patrol(storage::Tx& tx, const api::Principal& p, std::int64_t id);

}  // namespace xh::volunteers
