#pragma once
// Shared by the work-order module's source files only: the order as the
// commands see it, and the checks of who may do what with it.
#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "api/scope.h"
#include "core/time.h"
#include "storage/database.h"
#include "workorders/workorders.h"

namespace xh::workorders::detail {

constexpr Millis kHour = 3600LL * 1000;
constexpr Millis kDay = 24 * kHour;

struct Order {
  std::int64_t id = 0;
  std::string category;
  std::int64_t place_id = 0;
  std::string path;
  std::optional<std::string> grid_path;
  std::optional<std::int64_t> compound_id;
  std::string status, body;
  std::optional<std::int64_t> body_org_id;
  int escalation_level = 0;
  int deadline_hours = 0;
  Millis deadline_at = 0;
  std::optional<std::int64_t> reporter_id;
  bool anonymous = false;
  Millis created_at = 0;
  std::optional<std::int64_t> rating, followup_asked_at, followup_answer;
};

// Throws 404 workorder.not_found.
Order load_order(storage::Tx& tx, std::int64_t id);

// A staff permission over the order: a grant carrying it covers the order's
// place or governing grid; property staff see what happens in their compounds
// but act only on orders routed to their own company.
bool staff_may(storage::Tx& tx, const api::Principal& p, std::string_view permission,
               const Order& o);
bool is_reporter(const api::Principal& p, const Order& o);
bool is_follower(storage::Tx& tx, const api::Principal& p, std::int64_t order_id);
bool can_read(storage::Tx& tx, const api::Principal& p, const Order& o);
// Throws 403 auth.scope_denied / auth.permission_denied.
void require_read(storage::Tx& tx, const api::Principal& p, const Order& o);

// May file reports at `place_path`: `permission` held anywhere in the same
// community (a resident's role is held over their household).
bool may_file_at(const api::Principal& p, std::string_view permission,
                 std::string_view place_path);
// May see and follow open reports at `place_path` without reading the orders
// in full: residents and volunteers anywhere in their community, staff only
// where they may read orders.
bool may_look_at(const api::Principal& p, std::string_view place_path);

// The detail of one order as the caller may see it.
boost::json::object order_detail(Services& s, storage::Tx& tx, const api::Principal& p,
                                 std::int64_t id, Lang lang);

// One consultation topic; 404 consultation.not_found, 403 out of scope.
boost::json::object get_consultation_tx(storage::Tx& tx, const api::Principal& p, std::int64_t id);

// Appends a timeline entry.
void add_event(storage::Tx& tx, std::int64_t order_id, const api::Actor& actor,
               std::string_view action, const std::optional<std::string>& from,
               const std::optional<std::string>& to, const std::optional<std::string>& note);

// Attaches uploaded photos (uploaded by `uploader`, or by anyone when unset).
// Throws 422 workorder.bad_photo for an unknown id.
void attach_photos(storage::Tx& tx, std::int64_t order_id, const std::vector<std::string>& ids,
                   std::string_view stage, std::optional<std::int64_t> uploader);

// "/1/4/9/" → "/1/4/" (its community), "/1/" → "/1/".
std::string community_prefix(std::string_view path);
// The ids along a path, top first.
std::vector<std::int64_t> path_ids(std::string_view path);
// The upper bound of the prefix range of `path` ("/1/4/" → "/1/40").
std::string prefix_upper(std::string path);

// Great-circle distance in metres between two points in micro-degrees.
double distance_m(std::int64_t lat1, std::int64_t lng1, std::int64_t lat2, std::int64_t lng2);

}  // namespace xh::workorders::detail
