#pragma once
// The auth module's SQL: users, role assignments, sessions and API tokens,
// read by column name. A grant names a place: its path (the places table,
// the one upward read of this module) is the scope the grant covers.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/list.h"
#include "api/principal.h"
#include "core/time.h"
#include "storage/database.h"

namespace xh::auth::store {

struct User {
  std::int64_t id = 0;
  std::string username, display_name;
  bool disabled = false;
  Millis locked_until = 0;
  bool totp_enabled = false;
  Millis created_at = 0;
  std::vector<api::Grant> grants;
};
std::optional<User> find_user(storage::Tx& tx, std::int64_t id);
std::optional<std::int64_t> user_id_of(storage::Tx& tx, const std::string& username);
std::vector<api::Grant> grants_of(storage::Tx& tx, std::int64_t user_id);

// What login needs of an account.
struct Credentials {
  std::int64_t id;
  std::string password_hash;
  bool disabled;
  Millis locked_until;
  std::optional<std::string> totp_secret_enc;
  bool totp_enabled;
  std::int64_t totp_last_step;
  Millis password_changed_at;
};
std::optional<Credentials> credentials(storage::Tx& tx, const std::string& username);
std::optional<Credentials> credentials(storage::Tx& tx, std::int64_t user_id);

// Counts a failed attempt atomically and, when it is the `threshold`th, locks
// the account until `lock_until` in the same statement. Returns the count
// after and whether the account is locked now; parallel failures each count,
// and the lock falls exactly at the threshold.
struct Failures {
  std::int64_t count;
  bool locked;
};
Failures count_failure(storage::Tx& tx, std::int64_t user_id, int threshold, Millis now,
                       Millis lock_until);
// A right password: the failures are forgotten unless the account is locked
// (by failures counted meanwhile, too); false when it is.
bool clear_failures_unless_locked(storage::Tx& tx, std::int64_t user_id, Millis now);
void lock(storage::Tx& tx, std::int64_t user_id, Millis until);
void clear_failures(storage::Tx& tx, std::int64_t user_id);
// Claims the TOTP step `step` atomically: false when it, or a later one, was
// used already (a replayed code).
bool claim_totp_step(storage::Tx& tx, std::int64_t user_id, std::int64_t step);
void set_totp_secret(storage::Tx& tx, std::int64_t user_id,
                     const std::optional<std::string>& secret_enc);
void enable_totp(storage::Tx& tx, std::int64_t user_id, std::int64_t step);

std::int64_t insert_user(storage::Tx& tx, const std::string& username,
                         const std::string& display_name, const std::string& password_hash,
                         Millis now);
void set_display_name(storage::Tx& tx, std::int64_t id, const std::string& name, Millis now);
void set_disabled(storage::Tx& tx, std::int64_t id, bool disabled, Millis now);
// `changed_at` 0 marks a temporary password (see Accounts::reset_password).
void set_password(storage::Tx& tx, std::int64_t id, const std::string& hash, Millis changed_at,
                  Millis now);

// The page of users the caller may see: those holding a role in the caller's
// `permission` scope, and users without roles when `with_roleless`.
std::pair<std::vector<User>, std::int64_t> users(storage::Tx& tx, const api::Principal& p,
                                                 std::string_view permission, bool with_roleless,
                                                 const std::optional<std::string>& q,
                                                 api::Page page);

std::int64_t insert_grant(storage::Tx& tx, std::int64_t user_id, const std::string& role,
                          std::int64_t place_id, std::optional<std::int64_t> granted_by, Millis now);
struct GrantRow {
  std::string role;
  std::int64_t place_id;
  std::string path;
};
std::optional<GrantRow> find_grant(storage::Tx& tx, std::int64_t assignment_id,
                                   std::int64_t user_id);
void delete_grant(storage::Tx& tx, std::int64_t assignment_id);
// The live place's path, if there is one.
std::optional<std::string> live_place_path(storage::Tx& tx, std::int64_t place_id);
std::optional<std::string> place_path(storage::Tx& tx, std::int64_t place_id);
std::optional<std::string> place_code(storage::Tx& tx, std::int64_t place_id);

void insert_session(storage::Tx& tx, const std::string& token_hash, std::int64_t user_id,
                    const std::string& csrf_token, const std::string& ip, Millis now);
// The session's caller with grants, in one statement; nullopt when unknown.
struct Session {
  api::Principal principal;
  Millis last_seen_at;
  bool revoked, disabled;
  Millis password_changed_at;
};
std::optional<Session> session(storage::Tx& tx, const std::string& token_hash);
void touch_session(storage::Tx& tx, const std::string& token_hash, Millis now);
void end_session(storage::Tx& tx, const std::string& token_hash, Millis now);
// Ends every live session of the user but `keep` (a token hash, or "").
void end_sessions(storage::Tx& tx, std::int64_t user_id, const std::string& keep, Millis now);

struct Token {
  std::int64_t id = 0;
  std::string name;
  Millis created_at = 0;
  std::optional<Millis> last_used_at, expires_at;
};
std::int64_t insert_token(storage::Tx& tx, std::int64_t user_id, const std::string& name,
                          const std::string& token_hash, Millis now, Millis expires_at);
// Revokes every live token of the user (a password change, a disabled account).
void revoke_tokens(storage::Tx& tx, std::int64_t user_id, Millis now);
struct TokenOwner {
  std::int64_t user_id;
  bool revoked;
  std::optional<Millis> expires_at;
  std::optional<Millis> last_used_at;
  Millis password_changed_at;
};
std::optional<TokenOwner> token_owner(storage::Tx& tx, const std::string& token_hash);
void touch_token(storage::Tx& tx, const std::string& token_hash, Millis now);
std::vector<Token> live_tokens(storage::Tx& tx, std::int64_t user_id);
// False when the user has no such live token.
bool revoke_token(storage::Tx& tx, std::int64_t id, std::int64_t user_id, Millis now);

}  // namespace xh::auth::store
