#pragma once
// People (FND-2): residents and their memberships of households (owner,
// tenant, family member). Phone and national ID are sealed at rest and shown
// in full only to roles that need them (resident.phone, resident.id_number);
// everyone else sees them masked, in lists, details and exports alike.
// Special-care tags are seen only by community staff (resident.care) and the
// helpers assigned to the resident.
#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit.h"
#include "auth/accounts.h"
#include "core/crypto.h"
#include "core/labels.h"
#include "core/time.h"
#include "storage/database.h"

namespace xh::people {

// The special-care tags a street office keeps (configuration, not branches).
const std::vector<std::string>& care_tags();
// How stored genders and household relations read.
const std::vector<Label>& gender_labels();
const std::vector<Label>& relation_labels();

// The consent kinds a resident may give or withdraw.
const std::vector<std::string>& consent_kinds();

struct Membership {
  std::int64_t household_id;
  std::string relation;  // owner | tenant | family
  std::string household_name;
  std::string path;
  std::optional<std::string> grid_path;
};

struct Resident {
  std::int64_t id;
  std::string name;
  std::optional<std::string> gender, birth_date;
  std::optional<std::string> id_number, phone;  // decrypted
  std::vector<Membership> memberships;
  std::vector<std::string> tags;
  std::vector<std::string> consents;  // kinds currently granted
  Millis created_at, updated_at;
};

// The resident as `viewer` may see them: masked fields, tags only for care staff.
boost::json::object to_json(const Resident& r, const api::Principal& viewer,
                            const std::vector<std::int64_t>& helper_of);

struct ResidentInput {
  std::optional<std::string> name, id_number, phone;
};

// Validates and normalises; 422 resident.bad_id_number / resident.bad_phone.
struct CleanIdentity {
  std::optional<std::string> id_number, birth_date, gender, phone;
};
CleanIdentity clean_identity(const ResidentInput& in);

struct NewResident {
  ResidentInput fields;  // name required
  std::int64_t household_id;
  std::string relation;
  std::vector<std::string> tags;
};

// For the importer and the demo: no permission check. Returns the new id.
// Throws 409 resident.exists when the national ID is already registered.
std::int64_t create_unchecked(storage::Tx& tx, const FieldCipher& cipher,
                              const api::Actor& actor, const NewResident& in);
// Adds a membership (idempotent: an existing one keeps its relation).
void add_membership_unchecked(storage::Tx& tx, std::int64_t resident_id, std::int64_t household_id,
                              const std::string& relation);
// The resident with this national ID, if registered.
std::optional<std::int64_t> find_by_id_number(storage::Tx& tx, const FieldCipher& cipher,
                                              const std::string& id_number);

struct Services {
  storage::Database& db;
  const FieldCipher& cipher;
};

Resident create(Services& s, const api::Principal& p, const api::Actor& actor,
                const NewResident& in);
Resident get(Services& s, const api::Principal& p, std::int64_t id);
Resident update(Services& s, const api::Principal& p, const api::Actor& actor, std::int64_t id,
                const ResidentInput& patch);
Resident set_tags(Services& s, const api::Principal& p, const api::Actor& actor,
                  std::int64_t id, const std::vector<std::string>& tags);
Resident add_membership(Services& s, const api::Principal& p, const api::Actor& actor,
                        std::int64_t id, std::int64_t household_id, const std::string& relation);
Resident remove_membership(Services& s, const api::Principal& p, const api::Actor& actor,
                           std::int64_t id, std::int64_t household_id);
Resident record_consent(Services& s, const api::Principal& p, const api::Actor& actor,
                        std::int64_t id, const std::string& kind, bool granted);
Resident add_helper(Services& s, const api::Principal& p, const api::Actor& actor,
                    std::int64_t id, std::int64_t user_id);

struct ListQuery {
  std::optional<std::int64_t> household_id;
  std::optional<std::int64_t> under_id;  // residents of households under this place
  std::optional<std::string> q;          // Chinese substring of the name
  std::optional<std::string> tag;        // needs resident.care
  std::string sort = "id";               // id | name | created_at, "-" for descending
  int limit = 50;
  int offset = 0;
};
struct ListResult {
  std::vector<Resident> items;
  std::int64_t total;
};
ListResult list(Services& s, const api::Principal& p, const ListQuery& q);

// The residents the caller is an assigned helper of (they see their tags);
// empty without a query when the caller sees tags wherever they may read.
std::vector<std::int64_t> helper_of(storage::Database& db, const api::Principal& p);

}  // namespace xh::people
