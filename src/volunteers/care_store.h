#pragma once
// The SQL of micro-wishes, home services and stewards.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/time.h"
#include "storage/database.h"

namespace xh::volunteers::store {

using storage::Row;
using storage::Rows;
using storage::Tx;

// A resident's first household: its id, name, path, grid path, and the
// path of the compound (or community) it lies in.
std::optional<Row> household_of(Tx& tx, std::int64_t resident_id);
std::optional<std::int64_t> resident_of_user(Tx& tx, std::int64_t user_id);
std::optional<std::string> resident_name(Tx& tx, std::int64_t resident_id);
bool has_care_tag(Tx& tx, std::int64_t resident_id);
// True when the user's resident lives in `household_id`.
bool lives_in(Tx& tx, std::int64_t user_id, std::int64_t household_id);
// The name of a household as an address ("泉星花园1号楼1单元101室": it holds
// its compound's, building's and unit's).
std::string address_of(Tx& tx, std::int64_t place_id);

// ---- wishes ----
std::int64_t insert_wish(Tx& tx, std::int64_t resident_id, const Row& household,
                         const std::string& public_path, const std::string& title,
                         const std::string& body, std::int64_t posted_by, Millis now);
std::optional<Row> wish(Tx& tx, std::int64_t id);  // with org and claimant names
// Moves a wish from `from` to `to` with the columns set by `sets` (SQL
// fragment "col = $2, …", written in code) and its values; false when it
// was not in `from`.
bool move_wish(Tx& tx, std::int64_t id, const char* from, const char* to, const std::string& sets,
               std::vector<storage::Param> values);

// ---- home services ----
std::int64_t insert_service(Tx& tx, std::int64_t resident_id, const Row& household,
                            const std::string& kind, const std::string& need,
                            std::int64_t requested_by, std::optional<std::int64_t> plan_id,
                            std::optional<std::int64_t> team_id,
                            std::optional<std::int64_t> volunteer_id, std::optional<Millis> due_at,
                            Millis now);
std::optional<Row> service(Tx& tx, std::int64_t id);  // with team and volunteer names
std::optional<Row> plan(Tx& tx, std::int64_t id);

// ---- stewards ----
std::optional<Row> steward(Tx& tx, std::int64_t id);  // with the user's and building's names
bool is_building_leader(Tx& tx, std::int64_t user_id);
bool is_org_contact(Tx& tx, std::int64_t user_id);

}  // namespace xh::volunteers::store
