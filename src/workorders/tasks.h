#pragma once
// What waits on a person (待办) in the work-order module: orders to accept,
// to dispatch, to handle, to verify and to close, and re-inspections due.
// The same conditions count the tasks (GET /api/tasks) and filter the list
// (GET /api/work-orders?todo=…), so a count always opens its orders.
#include <boost/json/array.hpp>

#include <string_view>

#include "api/list.h"
#include "api/principal.h"
#include "core/time.h"
#include "storage/database.h"

namespace xh::workorders {

// Whether `todo` names one of the lists: accept, dispatch, handle, verify, close.
bool todo_known(std::string_view todo);
// The orders (`w`) waiting on `p` for `todo`: in the step's statuses, where
// one of p's grants carries the step's permission over the order's place or
// grid — a company's staff only for orders routed to their company — and,
// for handling, given to p or to nobody yet.
api::Clause todo_clause(const api::Principal& p, std::string_view todo);
// The module's tasks for GET /api/tasks: {key, count, overdue} for each list
// the caller's permissions give them, and re-inspections due within a day.
void tasks(storage::Tx& tx, const api::Principal& p, Millis now, boost::json::array& out);

}  // namespace xh::workorders
