#pragma once
// Accounts (FND-4): login and logout, users, role assignments, passwords,
// TOTP and API tokens. One function per user action; each runs in one
// transaction, checks permission and scope, validates, writes and audits.
#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/module.h"
#include "audit/audit.h"
#include "api/scope.h"
#include "core/crypto.h"
#include "core/time.h"
#include "storage/database.h"

namespace xh::auth {

using api::Grant;
using api::Principal;

using Settings = api::SecuritySettings;

// What the account commands need from the running server.
struct Services {
  storage::Database& db;
  const FieldCipher& cipher;
  const Settings& settings;
};

struct UserView {
  std::int64_t id;
  std::string username, display_name;
  bool disabled, locked, totp_enabled;
  Millis created_at;
  std::vector<Grant> grants;
};

// The public shape of a user in the API (no secrets).
boost::json::object user_to_json(const UserView& u);

struct LoginInput {
  std::string username, password;
  std::optional<std::string> totp;
  std::string ip;
};

struct LoginResult {
  std::string session_token;  // goes into the HttpOnly cookie, never stored
  std::string csrf_token;
  UserView user;
  bool password_expired;
};

// Checks the password (and TOTP when enrolled) and opens a session. Failures
// count towards the lock-out and are audited. Throws 401 auth.bad_credentials,
// 401 auth.totp_required, 401 auth.bad_totp or 423 auth.locked.
LoginResult login(const Services& s, const LoginInput& in);

// Ends the caller's session.
void logout(const Services& s, const Principal& p, const api::Actor& actor);

// Resolves a session cookie or bearer token to its user; throws 401
// auth.unauthenticated or auth.session_expired. Refreshes the session's
// last-seen time at most once a minute.
Principal authenticate_session(const Services& s, const std::string& token);
Principal authenticate_bearer(const Services& s, const std::string& token);

// The account `username` as the commands see a caller (for the demo loader
// and tests); 404 user.not_found, 401 when it is disabled.
Principal principal_of(storage::Tx& tx, const std::string& username);

UserView get_user(const Services& s, const Principal& p, std::int64_t id);
struct UserList {
  std::vector<UserView> items;
  std::int64_t total;
};
UserList list_users(const Services& s, const Principal& p, std::optional<std::string> q, int limit,
                    int offset);

struct NewUser {
  std::string username, display_name, password;
};
// sys_admin only. Throws 409 user.exists, 422 on bad fields.
UserView create_user(const Services& s, const Principal& p, const api::Actor& actor, const NewUser& u);

// Used by the CLI and the demo loader: no caller, audited as "system".
std::int64_t create_user_unchecked(storage::Tx& tx, const api::Actor& actor, const NewUser& u);
std::int64_t assign_role_unchecked(storage::Tx& tx, const api::Actor& actor,
                                   std::int64_t user_id, const std::string& role,
                                   std::int64_t place_id);

struct UserPatch {
  std::optional<std::string> display_name;
  std::optional<bool> disabled;
};
UserView update_user(const Services& s, const Principal& p, const api::Actor& actor, std::int64_t id,
                     const UserPatch& patch);

// security_admin, over places in their scope.
UserView assign_role(const Services& s, const Principal& p, const api::Actor& actor,
                     std::int64_t user_id, const std::string& role, std::int64_t place_id);
UserView revoke_role(const Services& s, const Principal& p, const api::Actor& actor,
                     std::int64_t user_id, std::int64_t assignment_id);
UserView unlock_user(const Services& s, const Principal& p, const api::Actor& actor, std::int64_t id);
UserView reset_totp(const Services& s, const Principal& p, const api::Actor& actor, std::int64_t id);

// The caller changes their own password; other sessions stay open.
void change_password(const Services& s, const Principal& p, const api::Actor& actor,
                     const std::string& current, const std::string& next);

struct TotpSetup {
  std::string secret, uri;
};
// Starts enrolment (a new secret, not yet required at login) and confirms it
// with a first code. Staff only.
TotpSetup begin_totp(const Services& s, const Principal& p, const api::Actor& actor);
void confirm_totp(const Services& s, const Principal& p, const api::Actor& actor,
                  const std::string& code);

struct ApiToken {
  std::int64_t id;
  std::string name;
  Millis created_at;
  std::optional<Millis> last_used_at;
  std::string token;  // only when just created
};
ApiToken create_token(const Services& s, const Principal& p, const api::Actor& actor,
                      const std::string& name);
std::vector<ApiToken> list_tokens(const Services& s, const Principal& p);
void revoke_token(const Services& s, const Principal& p, const api::Actor& actor, std::int64_t id);

}  // namespace xh::auth
