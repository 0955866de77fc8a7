#pragma once
// How orders and topics read in the API, for the module's source files: each
// view shows what its caller may see.
#include <boost/json/object.hpp>

#include <cstdint>

#include "api/principal.h"
#include "core/crypto.h"
#include "core/messages.h"
#include "core/time.h"
#include "storage/database.h"

namespace xh::workorders::views {

// One row of store::summary_select().
boost::json::object summary(const storage::Row& r, Lang lang, Millis now);
// What a neighbour may see of an open order they could follow but not read:
// what, where, how far along — no text, no body, no reporter.
boost::json::object public_summary(const storage::Row& r, Lang lang);
// The detail of one order as the caller may see it; 404 workorder.not_found,
// 403 when the caller may not read it.
boost::json::object order_detail(storage::Tx& tx, const FieldCipher& cipher,
                                 const api::Principal& p, std::int64_t id, Lang lang);
// One consultation topic; 404 consultation.not_found, 403 out of scope.
boost::json::object consultation(storage::Tx& tx, const api::Principal& p, std::int64_t id);

}  // namespace xh::workorders::views
