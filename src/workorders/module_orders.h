#pragma once
// Work orders other modules file for their own work, inside their own
// transaction, their checks done: a renovation project's construction defect
// for its contractor, a recurring maintenance task. Each is an ordinary order
// from then on — the closed loop, escalation at its deadline, the handler's
// and the verifier's steps — routed to the organisation named (its contacts
// handle it as a property company's staff handle theirs).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/principal.h"
#include "core/time.h"
#include "storage/database.h"

namespace xh::workorders {

struct ModuleOrder {
  std::string category;       // an active category (422 workorder.bad_category)
  std::int64_t place_id = 0;  // a community, grid, compound, building or unit
  std::string text;
  std::vector<std::string> photos;       // uploaded by `filed_by`
  std::optional<std::int64_t> org_id;    // who handles it; none: the category's routing
  std::optional<Millis> deadline_at;     // none: the category's deadline
  std::optional<std::int64_t> filed_by;  // the staff member filing it (console); none: the system
};
// Files it; its id.
std::int64_t file_for_module(storage::Tx& tx, const api::Actor& actor, const ModuleOrder& o);

// An order's status as a module waiting on it reads it (none: no such order),
// and whether it is settled: its result checked (verified) or closed — a
// rejection (by the handler's own company, perhaps) settles nothing.
std::optional<std::string> order_status(storage::Tx& tx, std::int64_t id);
bool settled(std::string_view status);

}  // namespace xh::workorders
