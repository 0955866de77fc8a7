#pragma once
// The places module's SQL: the `places` table, read by column name.
#include <cstdint>
#include <optional>
#include <string>

#include "places/places.h"
#include "storage/database.h"

namespace xh::places::store {

// The columns a Place is read from.
extern const char* const kColumns;
Place from_row(const storage::Row& r);

// Archived places too; nullopt when there is none.
std::optional<Place> find(storage::Tx& tx, std::int64_t id);

// Inserts and sets the path under `parent_path`; returns the new id. Throws
// storage::UniqueViolation for a code already used.
std::int64_t insert(storage::Tx& tx, const NewPlace& in, const std::string& parent_path,
                    const std::optional<std::string>& grid_path, Millis now);

// Writes every field of `p` (name, code, address, point, area, grid, company).
void update(storage::Tx& tx, const Place& p, Millis now);

// Gives the places below `building_path` the building's new grid path.
void regrid_below(storage::Tx& tx, const std::string& building_path,
                  const std::optional<std::string>& grid_path);

// The page of places matching `q` in the caller's scope; `under`, when set,
// is the subtree asked for, and `under_in_scope` says the subtree lies in the
// caller's scope (then it alone bounds the rows, and its index range is the
// narrower one).
api::ListQuery::Result list(storage::Tx& tx, const api::Principal& p, const PlaceQuery& q,
                            const std::optional<Place>& under, bool under_in_scope);

// The live places below `root` down to `depth` levels, in the caller's
// place.read scope, ordered by path; at most `limit`.
std::vector<Place> subtree(storage::Tx& tx, const api::Principal& p, const Place& root, int depth,
                           int limit);

std::optional<Place> find_by_code(storage::Tx& tx, const std::string& code);
std::optional<Place> find_child(storage::Tx& tx, std::int64_t parent_id, const std::string& kind,
                                const std::string& name);

bool has_live_children(storage::Tx& tx, std::int64_t id);
// True when the organisation is the property company of a live place.
bool manages_live_place(storage::Tx& tx, std::int64_t org_id);
void archive(storage::Tx& tx, std::int64_t id, Millis now);

}  // namespace xh::places::store
