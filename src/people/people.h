#pragma once
// People (FND-2): residents and their memberships of households (owner,
// tenant, family member). Phone and national ID are sealed at rest and shown
// in full only to roles that need them (resident.phone, resident.id_number);
// everyone else sees them masked, in lists, details and exports alike.
// Special-care tags are seen only by community staff (resident.care) and the
// helpers assigned to the resident.
//
// Events handled (inside the emitting transaction): place.archiving (refused
// with 409 place.has_members while residents are registered in the
// household), place.regridded (memberships follow their building to its new
// grid).
#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/list.h"
#include "api/principal.h"
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
// How the consent kinds read.
const std::vector<Label>& consent_labels();

struct Membership {
  std::int64_t household_id;
  std::string relation;  // owner | tenant | family
  std::string household_name;
  std::string path;
  std::optional<std::string> grid_path;
};

// A stored resident, with personal fields decrypted.
struct Resident {
  std::int64_t id;
  std::string name;
  std::optional<std::string> gender, birth_date;
  std::optional<std::string> id_number, phone;
  std::vector<Membership> memberships;
  std::vector<std::string> tags;
  std::vector<std::string> consents;  // kinds currently granted
  Millis created_at, updated_at;
  std::optional<Millis> archived_at;  // moved away or deceased (注销)
};

// The resident as `viewer` may see them: phone and national ID masked
// outside the viewer's resident.phone and resident.id_number scopes (and the
// birth date cut to its year with the ID), tags only within resident.care or
// for a resident in `helper_of` (those the viewer is an assigned helper of).
boost::json::object to_json(const Resident& r, const api::Principal& viewer,
                            const std::vector<std::int64_t>& helper_of);

struct ResidentInput {
  std::optional<std::string> name, id_number, phone;
};

struct NewResident {
  ResidentInput fields;  // name required
  std::int64_t household_id;
  std::string relation;
  std::vector<std::string> tags;
};

struct ResidentQuery {
  std::optional<std::int64_t> household_id;
  std::optional<std::int64_t> under_id;  // residents of households under this place
  std::optional<std::string> q;          // Chinese substring of the name
  std::optional<std::string> tag;        // needs resident.care
  std::optional<std::string> sort;       // id | name | created_at, "-" prefix: descending
  bool archived = false;                 // the archived residents instead of the live ones
  api::Page page;
};

// Registers a resident in a household without a caller to check, inside
// `tx`: for the roster import and the demo loader. Validates and audits (as
// `actor`) like People::create; returns the new resident's id.
std::int64_t create_unchecked(storage::Tx& tx, const FieldCipher& cipher,
                              const api::Actor& actor, const NewResident& in);
// Adds a membership without a caller to check: 422 resident.bad_relation,
// resident.bad_household. True when added; false when the resident is
// already a member (the membership keeps its relation).
bool add_membership_unchecked(storage::Tx& tx, std::int64_t resident_id,
                              std::int64_t household_id, const std::string& relation);
// Gives a resident a special-care tag without a caller to check: 422
// resident.bad_tag. True when added; false when the resident has it.
bool add_tag_unchecked(storage::Tx& tx, std::int64_t resident_id, const std::string& tag);

// The resident with this (normalised) national ID, if registered.
std::optional<std::int64_t> find_by_id_number(storage::Tx& tx, const FieldCipher& cipher,
                                              const std::string& id_number);
// The resident named `name` registered in `household_id` without a national
// ID, if any: without one, the same name in the same household is the same
// person.
std::optional<std::int64_t> find_unidentified(storage::Tx& tx, std::int64_t household_id,
                                              const std::string& name);
// True when the resident is a member of some household under `path`.
bool registered_under(storage::Tx& tx, std::int64_t resident_id, const std::string& path);

// The residents as community staff keep them. Thread-safe: holds the database
// and the field cipher; every method runs in one transaction of its own and
// returns the resident as the caller may see them (see to_json).
//
// Every method on one resident needs its permission over one of the
// resident's households (403 auth.permission_denied or auth.scope_denied) and
// answers 404 resident.not_found for an unknown id.
class People {
 public:
  People(storage::Database& db, const FieldCipher& cipher) : db_(db), cipher_(cipher) {}

  // Needs resident.write over the household, and resident.care when tags are
  // given. 422 resident.bad_name, resident.bad_id_number, resident.bad_phone,
  // resident.bad_tag, resident.bad_relation, resident.bad_household; 409
  // resident.exists for a national ID already registered
  // (resident.exists_archived when its resident is archived: restore them
  // instead). Returns the new resident.
  boost::json::object create(const api::Principal& p, const api::Actor& actor,
                             const NewResident& in) const;

  // Needs resident.read.
  boost::json::object get(const api::Principal& p, std::int64_t id) const;

  // The residents in the caller's resident.read scope (resident.care with a
  // tag) that match, each with "household_names" besides; 400
  // request.bad_sort, 403 without resident.read (or resident.care for a
  // tag), 404 place.not_found for an unknown household_id or under_id.
  api::Listed list(const api::Principal& p, const ResidentQuery& q) const;

  // Needs resident.write. Changes the fields given; a new national ID sets
  // the gender and birth date it records. 422 resident.bad_name,
  // resident.bad_id_number, resident.bad_phone; 409 resident.exists.
  boost::json::object update(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                             const ResidentInput& patch) const;

  // Needs resident.care. Replaces the resident's special-care tags; 422
  // resident.bad_tag.
  boost::json::object set_tags(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                               const std::vector<std::string>& tags) const;

  // Needs resident.write over the resident and the household. 422
  // resident.bad_household, resident.bad_relation. A household the resident
  // already belongs to keeps its relation.
  boost::json::object add_membership(const api::Principal& p, const api::Actor& actor,
                                     std::int64_t id, std::int64_t household_id,
                                     const std::string& relation) const;

  // Needs resident.write over the resident and the household. 422
  // resident.bad_household; 409 resident.last_household for the only one;
  // 404 resident.membership_not_found when the resident is not a member.
  boost::json::object remove_membership(const api::Principal& p, const api::Actor& actor,
                                        std::int64_t id, std::int64_t household_id) const;

  // Need resident.write. Record that the resident gives, or withdraws, the
  // consent of `kind` (one of consent_kinds(), else 422
  // resident.bad_consent); the latest record of a kind decides.
  boost::json::object grant_consent(const api::Principal& p, const api::Actor& actor,
                                    std::int64_t id, const std::string& kind) const;
  boost::json::object withdraw_consent(const api::Principal& p, const api::Actor& actor,
                                       std::int64_t id, const std::string& kind) const;

  // Needs resident.write. Archives the resident (moved away, deceased: 注销):
  // off the lists and the household's count, the record and its history kept
  // (GET still answers, "archived": true); restore() brings them back. 409
  // resident.archived, resident.not_archived when already so.
  boost::json::object archive(const api::Principal& p, const api::Actor& actor,
                              std::int64_t id) const;
  boost::json::object restore(const api::Principal& p, const api::Actor& actor,
                              std::int64_t id) const;

  // Needs resident.care. Makes the active user `user_id` a helper of the
  // resident, who then sees their tags (once is enough); 422 user.not_found.
  boost::json::object add_helper(const api::Principal& p, const api::Actor& actor,
                                 std::int64_t id, std::int64_t user_id) const;

 private:
  storage::Database& db_;
  const FieldCipher& cipher_;
};

}  // namespace xh::people
