#pragma once
// Risk points and emergencies (GRD-2, GRD-3).
//
// Risk points are the places that flood or fail first (kinds as data), each
// with the grid answering for it and, optionally, a volunteer team and the
// plate of a patrol route's checkpoint. Staff declare a warning level of a
// hazard (levels IV 蓝 … I 红) for a street or a community; declaring it and
// every change of level reconcile the patrol tasks with the frequency table
// (level × kind → every N hours, the street's own or the defaults): a risk
// point whose kind the new level patrols at another pace gets a new task and
// loses its open one, one the level no longer patrols loses its open task.
// A task is due `every_hours` after it starts; when it falls due the next
// round starts, and one not done by then is missed and escalated to the
// community's staff. A grid worker of its grid or a member of its team
// reports it done, or walks the route and scans the checkpoint's plate.
//
// Raising the level calls up the partners on the call-up lists of the
// place, its street and its communities (those listed at that level or a
// lower one); their contacts are told and acknowledge on the phone; who has
// not acknowledged in the list's minutes is escalated to staff, by a
// persisted job (a restart loses none). Ending the emergency cancels the
// open tasks and keeps a summary.
//
// Who sees what: the emergency and its board to staff whose scope holds the
// place or lies within it (emergency.read; the counts within their scope);
// tasks to those who may do them; a call-up to its organisation's contacts.
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

namespace xh::emergencies {

// A file the API answers as it is.
struct File {
  std::string bytes, name, type;
};

const std::vector<Label>& levels();              // 1 I级（红色） … 4 IV级（蓝色）
const std::vector<Label>& task_statuses();       // open | done | missed | cancelled
const std::vector<Label>& movement_kinds();      // receive | issue | transfer_out | …
const std::vector<Label>& emergency_statuses();  // active | ended

class RiskPoints {
 public:
  RiskPoints(storage::Database& db, const FieldCipher& cipher) : db_(db), cipher_(cipher) {}

  // The hazards, kinds of risk point and supply items, with their names.
  boost::json::object catalog(Lang lang) const;

  // {kind, name, place_id, grid_id?, team_id?, checkpoint_id?, lat?, lng?,
  // contact_name?, contact_phone?, note?}: 201. emergency.manage over the
  // place; the grid must govern the place's community, the team serve it.
  boost::json::object create(const api::Principal& p, const api::Actor& actor,
                             const std::string& body, Lang lang) const;
  // The same fields, any of them, and active.
  boost::json::object update(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                             const std::string& body, Lang lang) const;
  // Those in the caller's scope (emergency.read, or emergency.task over their
  // grid), by kind, under a place; with coordinates for the plan.
  api::Listed list(const api::Principal& p, const std::optional<std::string>& kind,
                   std::optional<std::int64_t> place_id, const std::optional<std::string>& q,
                   const api::Page& page, Lang lang) const;
  boost::json::object get(const api::Principal& p, std::int64_t id, Lang lang) const;

  // The frequency table a street uses (its own rows, else the defaults).
  boost::json::object frequencies(const api::Principal& p, std::int64_t street_id) const;
  // {hazard, rows: [{level, kind, every_hours}]}: replaces the street's table
  // for that hazard (emergency.manage over the street).
  boost::json::object set_frequencies(const api::Principal& p, const api::Actor& actor,
                                      std::int64_t street_id, const std::string& body) const;

  // The call-up lists over the caller's places.
  boost::json::object callup_lists(const api::Principal& p, std::optional<std::int64_t> place_id) const;
  // {place_id, hazard, level, org_id, minutes?}: 201; 409 when the partner is
  // on the place's list for the hazard already.
  boost::json::object add_callup(const api::Principal& p, const api::Actor& actor,
                                 const std::string& body) const;
  void remove_callup(const api::Principal& p, const api::Actor& actor, std::int64_t id) const;

 private:
  storage::Database& db_;
  const FieldCipher& cipher_;
};

class Emergencies {
 public:
  Emergencies(storage::Database& db, const api::EventBus& events) : db_(db), events_(events) {}

  // {hazard, level, place_id, reason}: 201, with its tasks and call-ups made;
  // 409 emergency.active when the place has one of that hazard already.
  boost::json::object declare(const api::Principal& p, const api::Actor& actor,
                              const std::string& body, Lang lang) const;
  // {level, reason}: raise or lower; 409 emergency.same_level, emergency.ended.
  boost::json::object set_level(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                                const std::string& body, Lang lang) const;
  // {reason?}: the open tasks cancelled, the summary kept.
  boost::json::object end(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                          const std::string& body, Lang lang) const;
  api::Listed list(const api::Principal& p, const std::optional<std::string>& status,
                   const api::Page& page, Lang lang) const;
  boost::json::object get(const api::Principal& p, std::int64_t id, Lang lang) const;

  // The situation: level, tasks per risk point, call-ups, supplies, reports
  // — as JSON text (served from a cache while nothing changed; see board.cpp).
  std::string board(const api::Principal& p, std::int64_t id, Lang lang) const;
  // What the summary holds (the ended emergency's kept one).
  boost::json::object summary(const api::Principal& p, std::int64_t id, Lang lang) const;
  File summary_pdf(const api::Principal& p, std::int64_t id) const;

  // The caller's tasks to do (grid worker, team member) or, for staff, those
  // of an emergency: by due time.
  api::Listed tasks(const api::Principal& p, std::optional<std::int64_t> emergency_id,
                    const std::optional<std::string>& status, const api::Page& page,
                    Lang lang) const;
  // {note?, photos?}: the task done; 409 emergency.task_closed.
  boost::json::object task_done(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                                const std::string& body, Lang lang) const;

  // The call-ups of the caller's organisations (or, for staff, an emergency's).
  boost::json::object callups(const api::Principal& p, std::optional<std::int64_t> emergency_id,
                              Lang lang) const;
  // {people?, note?}: the organisation's contact acknowledges, then arrives.
  boost::json::object acknowledge(const api::Principal& p, const api::Actor& actor,
                                  std::int64_t id, const std::string& body, Lang lang) const;
  boost::json::object arrive(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                             const std::string& body, Lang lang) const;

 private:
  storage::Database& db_;
  const api::EventBus& events_;
};

// The persisted jobs.
void task_due(storage::Tx& tx, const api::EventBus& events, std::int64_t task_id, Millis now);
void callup_due(storage::Tx& tx, const api::EventBus& events, std::int64_t callup_id, Millis now);
// A patrol's scan of a checkpoint: the open tasks of the risk points on that
// plate are done.
void scanned(storage::Tx& tx, const api::EventBus& events, const api::Event& e);

// Live topic authorisation: the emergency as a GET of it.
void require_emergency(storage::Tx& tx, const api::Principal& p, std::int64_t id);
// What a room's screen shows of it: level and counts, no names of people.
boost::json::object display_emergency(storage::Tx& tx, std::int64_t id, Lang lang);

class Supplies {
 public:
  Supplies(storage::Database& db, const api::EventBus& events) : db_(db), events_(events) {}

  // Warehouses in or above the caller's scope, with their stock.
  boost::json::object warehouses(const api::Principal& p, Lang lang) const;
  // {place_id, name, address?, lat?, lng?}: 201; supply.manage over the place.
  boost::json::object create_warehouse(const api::Principal& p, const api::Actor& actor,
                                       const std::string& body) const;
  // {kind, warehouse_id, item, quantity > 0, to_warehouse_id? (transfer),
  // counterpart?, risk_point_id?, emergency_id?, note?}: 201 with the
  // movements written; 409 supply.insufficient when the stock would go below
  // zero (nothing written), 422 for a bad kind, item or quantity.
  boost::json::object move(const api::Principal& p, const api::Actor& actor,
                           const std::string& body, Lang lang) const;
  api::Listed movements(const api::Principal& p, std::int64_t warehouse_id,
                        const std::optional<std::string>& item, const api::Page& page,
                        Lang lang) const;
  // {low_at}: the threshold under which the stock alerts.
  boost::json::object set_threshold(const api::Principal& p, const api::Actor& actor,
                                    std::int64_t warehouse_id, const std::string& item,
                                    const std::string& body) const;

 private:
  storage::Database& db_;
  const api::EventBus& events_;
};

// Replays every movement: each balance the one before plus its quantity, the
// last balance the stock, every transfer both sides; the faults found (none:
// the ledger holds).
struct Verified {
  std::int64_t movements = 0, stocks = 0;
  std::vector<std::string> faults;
};
Verified verify_supplies(storage::Tx& tx);

}  // namespace xh::emergencies
