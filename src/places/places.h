#pragma once
// Places (FND-1): the street's hierarchy, street → community → grid →
// micro-grid and community → compound → building → unit → household. A place's
// materialised path is the data scope that role assignments refer to.
#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit.h"
#include "auth/roles.h"
#include "core/time.h"
#include "storage/database.h"

namespace xh::places {

struct Place {
  std::int64_t id;
  std::optional<std::int64_t> parent_id;
  std::string kind, name;
  std::optional<std::string> code;
  std::string path;
  Millis created_at, updated_at;
};

boost::json::object to_json(const Place& p);

// True when a place of kind `child` may sit under one of kind `parent`.
bool kind_allowed_under(const std::string& parent, const std::string& child);

struct NewPlace {
  std::optional<std::int64_t> parent_id;  // none: a new root (a street)
  std::string kind, name;
  std::optional<std::string> code;
};

// For the CLI and the demo loader: no permission check, audited as `actor`.
Place create_unchecked(storage::Tx& tx, const audit::Actor& actor, const NewPlace& in);

// Needs place.write over the parent. Throws 422 on a bad kind or name, 409
// place.code_taken, 403 outside the caller's scope.
Place create(storage::Database& db, const auth::Principal& p, const audit::Actor& actor,
             const NewPlace& in);

Place get(storage::Database& db, const auth::Principal& p, std::int64_t id);

struct ListQuery {
  std::optional<std::int64_t> parent_id;
  std::optional<std::string> kind;
  std::optional<std::string> q;     // substring of name or code
  std::string sort = "id";          // id | name | code | created_at, "-" prefix: descending
  int limit = 50;
  int offset = 0;
};
struct ListResult {
  std::vector<Place> items;
  std::int64_t total;
};
// Only places inside the caller's place.read scope.
ListResult list(storage::Database& db, const auth::Principal& p, const ListQuery& q);

struct PlacePatch {
  std::optional<std::string> name, code;
};
Place update(storage::Database& db, const auth::Principal& p, const audit::Actor& actor,
             std::int64_t id, const PlacePatch& patch);

}  // namespace xh::places
