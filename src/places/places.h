#pragma once
// Places (FND-1): the street's hierarchy, street → community → grid →
// micro-grid and community → compound → building → unit → household. A place's
// materialised path is the data scope that role assignments refer to; a
// building, its units and households are also reachable through the path of
// the grid that governs the building (`grid_path`). Nothing is deleted: a
// place is archived.
//
// Events emitted (inside the transaction, so a subscriber may refuse by
// throwing): place.archiving (before a place is archived), place.regridded (a
// building moved to another grid, data: path, grid_path), place.company
// (a compound names its property company, data: org_id).
#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/events.h"
#include "api/list.h"
#include "api/principal.h"
#include "core/labels.h"
#include "core/time.h"
#include "storage/database.h"

namespace xh::places {

// A stored place.
struct Place {
  std::int64_t id = 0;
  std::optional<std::int64_t> parent_id;
  std::string kind, name;
  std::optional<std::string> code, address;
  std::string path;
  std::optional<std::int64_t> lat_e6, lng_e6;   // micro-degrees
  std::optional<std::int64_t> area_centi_m2;    // households: 0.01 m²
  std::optional<std::int64_t> grid_id;          // buildings
  std::optional<std::string> grid_path;
  std::optional<std::int64_t> property_org_id;  // compounds
  Millis created_at = 0, updated_at = 0;
  std::optional<Millis> archived_at;
};

// The place as the API shows it.
boost::json::object to_json(const Place& p);

// "85.20" for 8520; the exact decimal, never a float.
std::string format_area(std::int64_t centi_m2);
// Parses "85", "85.2" or "85.20" (at most two decimals, at most 100000 m²);
// nullopt otherwise.
std::optional<std::int64_t> parse_area(std::string_view text);

// How each kind of place reads (社区, 楼栋 …).
const std::vector<Label>& kind_labels();

// True when a place of kind `child` may sit under one of kind `parent`.
bool kind_allowed_under(const std::string& parent, const std::string& child);

struct PlaceFields {
  std::optional<std::string> name, code, address;
  std::optional<std::int64_t> lat_e6, lng_e6;
  std::optional<std::int64_t> area_centi_m2;
  std::optional<std::int64_t> grid_id;
  std::optional<std::int64_t> property_org_id;
};

struct NewPlace {
  std::optional<std::int64_t> parent_id;  // none: a new root (a street)
  std::string kind;
  PlaceFields fields;                     // name required
};

struct PlaceQuery {
  std::optional<std::int64_t> parent_id;
  std::optional<std::int64_t> under_id;  // the whole subtree of this place
  std::optional<std::string> kind;
  std::optional<std::string> q;  // Chinese substring of name, address or code
  bool include_archived = false;
  std::optional<std::string> sort;  // id | name | code | created_at, "-" prefix: descending
  api::Page page;
};

// Creates a place without a caller to check, inside `tx`: for the roster
// import, the demo loader and the command line. Validates and audits (as
// `actor`) like Places::create; returns the stored place.
Place create_unchecked(storage::Tx& tx, const api::EventBus& events, const api::Actor& actor,
                       const NewPlace& in);

// Changes a live place without a caller to check, inside `tx` (the roster
// import gives a building its grid). Validates, emits and audits like
// Places::update; 404 place.not_found. Returns the place after.
Place update_unchecked(storage::Tx& tx, const api::EventBus& events, const api::Actor& actor,
                       std::int64_t id, const PlaceFields& patch);

// A stored place (archived too), for the modules above; nullopt when none.
std::optional<Place> find(storage::Tx& tx, std::int64_t id);
// The place with this code (archived too), if any.
std::optional<Place> find_by_code(storage::Tx& tx, const std::string& code);
// The live place of `kind` named `name` under `parent_id`, if any.
std::optional<Place> find_child(storage::Tx& tx, std::int64_t parent_id, const std::string& kind,
                                const std::string& name);

// The hierarchy as its users read and keep it. Thread-safe: holds the
// database and the event bus; every method runs in one transaction of its own.
class Places {
 public:
  Places(storage::Database& db, const api::EventBus& events) : db_(db), events_(events) {}

  // Needs place.write over the parent (403 auth.permission_denied or
  // auth.scope_denied). 422 request.missing_field (parent_id, name),
  // place.parent_not_found, place.bad_kind, place.bad_name, place.bad_code,
  // place.bad_point, place.bad_area, place.field_not_for_kind, place.bad_grid,
  // place.bad_property_org; 409 place.code_taken. Returns the new place.
  boost::json::object create(const api::Principal& p, const api::Actor& actor,
                             const NewPlace& in) const;

  // Needs place.read over it; 404 place.not_found. Archived places too.
  boost::json::object get(const api::Principal& p, std::int64_t id) const;

  // The places the caller's roles are held over, each named, with the places
  // above it from the street down ({items: [{assignment_id, role, place,
  // ancestors}]}, each place {id, kind, name}): what a console shows instead
  // of place ids, and where a grid worker's community is found. Any signed-in
  // caller; only their own roles' places and what contains them.
  boost::json::object mine(const api::Principal& p) const;

  // The places in the caller's place.read scope that match; 400
  // request.bad_sort, 404 place.not_found for an unknown under_id.
  api::Listed list(const api::Principal& p, const PlaceQuery& q) const;

  // The place and its descendants to `depth` levels, nested under "children";
  // 422 place.tree_too_large past 5,000 places.
  boost::json::object tree(const api::Principal& p, std::int64_t id, int depth) const;

  // Needs place.write over it; 404 place.not_found (archived too); the field
  // errors of create. A building given another grid takes its units and
  // households along. Returns the place after.
  boost::json::object update(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                             const PlaceFields& patch) const;

  // Needs place.write over it; 404 place.not_found; 409 place.has_children
  // while places below it are not archived, 409 place.has_members (from the
  // people module) while residents are registered in a household. Returns
  // the archived place.
  boost::json::object archive(const api::Principal& p, const api::Actor& actor,
                              std::int64_t id) const;

 private:
  storage::Database& db_;
  const api::EventBus& events_;
};

}  // namespace xh::places
