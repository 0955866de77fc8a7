#pragma once
// Places (FND-1): the street's hierarchy, street → community → grid →
// micro-grid and community → compound → building → unit → household. A place's
// materialised path is the data scope that role assignments refer to; a
// building, its units and households are also reachable through the path of
// the grid that governs the building (`grid_path`).
#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit.h"
#include "api/scope.h"
#include "core/labels.h"
#include "core/time.h"
#include "storage/database.h"

namespace xh::places {

struct Place {
  std::int64_t id;
  std::optional<std::int64_t> parent_id;
  std::string kind, name;
  std::optional<std::string> code, address;
  std::string path;
  std::optional<std::int64_t> lat_e6, lng_e6;      // micro-degrees
  std::optional<std::int64_t> area_centi_m2;       // households: 0.01 m²
  std::optional<std::int64_t> grid_id;             // buildings
  std::optional<std::string> grid_path;
  std::optional<std::int64_t> property_org_id;     // compounds
  Millis created_at, updated_at;
  std::optional<Millis> archived_at;
};

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

// Loads a place (archived ones too); nullopt when there is none.
std::optional<Place> find(storage::Tx& tx, std::int64_t id);

// For the CLI, importer and demo loader: no permission check, audited as `actor`.
Place create_unchecked(storage::Tx& tx, const api::Actor& actor, const NewPlace& in);

// Needs place.write over the parent. Throws 422 on bad fields, 409
// place.code_taken, 403 outside the caller's scope.
Place create(storage::Database& db, const api::Principal& p, const api::Actor& actor,
             const NewPlace& in);

Place get(storage::Database& db, const api::Principal& p, std::int64_t id);

struct ListQuery {
  std::optional<std::int64_t> parent_id;
  std::optional<std::int64_t> under_id;   // the whole subtree of this place
  std::optional<std::string> kind;
  std::optional<std::string> q;           // Chinese substring of name, address or code
  bool include_archived = false;
  std::string sort = "id";                // id | name | code | created_at, "-" prefix: descending
  int limit = 50;
  int offset = 0;
};
struct ListResult {
  std::vector<Place> items;
  std::int64_t total;
};
// Only places inside the caller's place.read scope.
ListResult list(storage::Database& db, const api::Principal& p, const ListQuery& q);

// The place and its descendants to `depth` levels, nested under "children".
boost::json::object tree(storage::Database& db, const api::Principal& p, std::int64_t id,
                         int depth);

Place update(storage::Database& db, const api::Principal& p, const api::Actor& actor,
             std::int64_t id, const PlaceFields& patch);

// Archives a place (nothing is ever deleted). Refuses 409 place.has_children
// while it has places that are not archived.
Place archive(storage::Database& db, const api::Principal& p, const api::Actor& actor,
              std::int64_t id);

}  // namespace xh::places
