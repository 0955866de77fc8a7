#pragma once
// The people module's SQL: residents, their memberships of households, tags,
// consents and helpers, read by column name. Personal fields are sealed and
// unsealed here, with the field cipher.
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "api/list.h"
#include "core/crypto.h"
#include "people/people.h"
#include "places/places.h"
#include "storage/database.h"

namespace xh::people::store {

// The blind index of national IDs: finds a person without decrypting anyone.
inline constexpr std::string_view kIdPurpose = "national-id";

// A resident's identity as it is written: normalised, not yet sealed.
struct Identity {
  std::optional<std::string> id_number, birth_date, gender, phone;
};

// The residents of `ids` with their memberships, tags and consents, in `ids`
// order; unknown ids are left out.
std::vector<Resident> load(storage::Tx& tx, const FieldCipher& cipher,
                           const std::vector<std::int64_t>& ids);
std::optional<Resident> find(storage::Tx& tx, const FieldCipher& cipher, std::int64_t id);

// Archives the resident at `at`, or restores them (nullopt).
void set_archived(storage::Tx& tx, std::int64_t id, std::optional<Millis> at);
// True when the resident `id` is archived.
bool archived(storage::Tx& tx, std::int64_t id);

// Inserts a resident; returns the new id. Throws storage::UniqueViolation for
// a national ID already registered.
std::int64_t insert(storage::Tx& tx, const FieldCipher& cipher, const std::string& name,
                    const Identity& id, Millis now);
// Sets the name, and those parts of the identity that are given (a national
// ID with its gender and birth date). Throws storage::UniqueViolation as
// insert does.
void update(storage::Tx& tx, const FieldCipher& cipher, std::int64_t id, const std::string& name,
            const Identity& changed, Millis now);

std::optional<std::int64_t> find_by_id_number(storage::Tx& tx, const FieldCipher& cipher,
                                              const std::string& id_number);
std::optional<std::int64_t> find_unidentified(storage::Tx& tx, std::int64_t household_id,
                                              const std::string& name);

bool is_member(storage::Tx& tx, std::int64_t resident_id, std::int64_t household_id);
// The membership keeps the household's path and grid path, for scope.
void insert_membership(storage::Tx& tx, std::int64_t resident_id, const places::Place& household,
                       const std::string& relation, Millis now);
// False when there was no such membership.
bool delete_membership(storage::Tx& tx, std::int64_t resident_id, std::int64_t household_id);
bool registered_under(storage::Tx& tx, std::int64_t resident_id, const std::string& path);
bool household_has_members(storage::Tx& tx, std::int64_t household_id);
// Gives the memberships of households under `path` the grid path `grid_path`.
void regrid_memberships(storage::Tx& tx, const std::string& path,
                        const std::optional<std::string>& grid_path);

bool has_tag(storage::Tx& tx, std::int64_t resident_id, const std::string& tag);
void insert_tag(storage::Tx& tx, std::int64_t resident_id, const std::string& tag, Millis now);
void replace_tags(storage::Tx& tx, std::int64_t resident_id, const std::set<std::string>& tags,
                  Millis now);

void insert_consent(storage::Tx& tx, std::int64_t resident_id, const std::string& kind,
                    bool granted, std::int64_t recorded_by, Millis now);

// True when `user_id` is an account that is not disabled (the auth module's
// table, read only).
bool active_user(storage::Tx& tx, std::int64_t user_id);
bool is_helper(storage::Tx& tx, std::int64_t resident_id, std::int64_t user_id);
void insert_helper(storage::Tx& tx, std::int64_t resident_id, std::int64_t user_id, Millis now);
// The residents `user_id` is an assigned helper of.
std::vector<std::int64_t> helped_by(storage::Tx& tx, std::int64_t user_id);

// 400 request.bad_sort unless `sort` is one the resident list offers.
void check_sort(const std::optional<std::string>& sort);

// The page of residents (their ids, as "id") matching `q`, in the caller's
// scope for `permission` unless `narrowed` (the place asked for lies in it);
// `under`, when set, is the subtree asked for.
api::ListQuery::Result list(storage::Tx& tx, const api::Principal& p, const ResidentQuery& q,
                            std::string_view permission, const std::optional<places::Place>& under,
                            bool narrowed);

// How many residents are registered in the caller's resident.read scope.
std::int64_t count_in_scope(storage::Tx& tx, const api::Principal& p);

}  // namespace xh::people::store
