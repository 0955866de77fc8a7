#pragma once
// Who may do what with an order: shared by the module's source files.
#include <string_view>

#include "api/principal.h"
#include "storage/database.h"
#include "workorders/store.h"

namespace xh::workorders::access {

// A staff permission over the order: a grant carrying it covers the order's
// place or governing grid; holders of a role that acts for a company act only
// on orders routed to the company they are a contact of (they still read all
// that happens in their scope).
bool staff_may(storage::Tx& tx, const api::Principal& p, std::string_view permission,
               const store::Order& o);
bool is_reporter(const api::Principal& p, const store::Order& o);
bool can_read(storage::Tx& tx, const api::Principal& p, const store::Order& o);
// Throws 403 auth.scope_denied / auth.permission_denied (workorder.read).
void require_read(storage::Tx& tx, const api::Principal& p, const store::Order& o);
// Throws 403 when the caller may not read it, else 403 with `permission`.
[[noreturn]] void refuse(storage::Tx& tx, const api::Principal& p, const store::Order& o,
                         std::string_view permission);

// May file reports at `place_path`: `permission` held anywhere in the same
// community (a resident's role is held over their household).
bool may_file_at(const api::Principal& p, std::string_view permission, std::string_view place_path);
// May see and follow open reports at `place_path` without reading the orders
// in full: non-staff filers anywhere in their community, staff only where
// they may read orders.
bool may_look_at(const api::Principal& p, std::string_view place_path);

}  // namespace xh::workorders::access
