#pragma once
// Accounts (FND-4): login and logout, users, role assignments, passwords,
// TOTP and API tokens, and the caller of each request (the authenticator the
// pipeline uses). The roles themselves are declared in module.cpp; the data
// scope they give is api/scope.h.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/list.h"
#include "api/module.h"
#include "api/principal.h"
#include "api/scope.h"
#include "core/crypto.h"
#include "storage/database.h"

namespace xh::auth {

using api::Grant;
using api::Principal;
using Settings = api::SecuritySettings;

struct LoginInput {
  std::string username, password;
  std::optional<std::string> totp;
  std::string ip;
};

struct LoginResult {
  std::string session_token;  // goes into the HttpOnly cookie, never stored
  std::string csrf_token;
  boost::json::object user;
  bool password_expired;
  bool staff;  // the session's idle timeout, and so its cookie, follow this
};

struct NewUser {
  std::string username, display_name, password;
};

struct UserPatch {
  std::optional<std::string> display_name;
  std::optional<bool> disabled;
};

struct TotpSetup {
  std::string secret, uri;
};

// For the command line and the demo loader, inside `tx`: no caller, audited
// as `actor`. 422 user.bad_username, request.invalid_field (display_name),
// auth.weak_password; 409 user.exists. Returns the new id.
std::int64_t create_user_unchecked(storage::Tx& tx, const api::Actor& actor, const NewUser& u);
// Sets a temporary password the user must change at their next sign-in
// (the account is unlocked; its sessions and tokens end). 422
// auth.weak_password; 404 user.not_found.
void reset_password_unchecked(storage::Tx& tx, const api::Actor& actor, std::int64_t user_id,
                              const std::string& temporary);
// 422 role.unknown, place.not_found; 409 role.already_assigned. Returns the
// assignment's id.
std::int64_t assign_role_unchecked(storage::Tx& tx, const api::Actor& actor,
                                   std::int64_t user_id, const std::string& role,
                                   std::int64_t place_id);
// For the command line: removes `username`'s grants of `role` (over the
// place with `place_code`, or all of them), audited as `actor`. Returns how
// many were removed; 404 user.not_found.
int revoke_role_unchecked(storage::Tx& tx, const api::Actor& actor, const std::string& username,
                          const std::string& role, const std::optional<std::string>& place_code);

// The account `username` as the commands see a caller (for the demo loader
// and tests); 404 user.not_found, 401 auth.unauthenticated when disabled.
Principal principal_of(storage::Tx& tx, const std::string& username);

// The accounts of the server. Thread-safe: holds the database, the field
// cipher (TOTP secrets are sealed) and the security settings; every method
// runs in its own transactions.
class Accounts {
 public:
  Accounts(storage::Database& db, const FieldCipher& cipher, const Settings& settings)
      : db_(db), cipher_(cipher), settings_(settings) {}

  // Checks the password (and TOTP when enrolled) and opens a session.
  // Failures count towards the lock-out and are audited. 401
  // auth.bad_credentials, auth.totp_required, auth.bad_totp; 423 auth.locked.
  LoginResult login(const LoginInput& in) const;
  // Ends the caller's session.
  void logout(const Principal& p, const api::Actor& actor) const;
  // Resolves a session cookie or bearer token to its caller: 401
  // auth.unauthenticated or auth.session_expired. Refreshes the last-seen
  // time at most once a minute, unless `touch` is false (a check that is not
  // the user's activity: a live connection's heartbeat).
  Principal authenticate_session(const std::string& token, bool touch = true) const;
  Principal authenticate_bearer(const std::string& token) const;

  // user.read over one of the user's roles (users without roles: at the
  // street); 404 user.not_found. Returns the user.
  boost::json::object get_user(const Principal& p, std::int64_t id) const;
  // The users the caller may read; each with `role_names`.
  api::Listed list_users(const Principal& p, const std::optional<std::string>& q,
                         api::Page page) const;
  // user.manage. Errors as create_user_unchecked. Returns the user.
  boost::json::object create_user(const Principal& p, const api::Actor& actor,
                                  const NewUser& u) const;
  // user.manage over the user. 422 user.cannot_disable_self,
  // request.invalid_field; 403 user.cannot_disable_admin (a protected
  // account). Disabling ends the user's sessions. Returns the user.
  boost::json::object update_user(const Principal& p, const api::Actor& actor, std::int64_t id,
                                  const UserPatch& patch) const;
  // role.manage over the place; 404 user.not_found, 422 place.not_found,
  // role.unknown; 403 role.cannot_grant_self, role.admin_by_operator_only; 409
  // role.already_assigned. Returns the user.
  boost::json::object assign_role(const Principal& p, const api::Actor& actor,
                                  std::int64_t user_id, const std::string& role,
                                  std::int64_t place_id) const;
  // role.manage over the grant's place; 404 role.assignment_not_found.
  boost::json::object revoke_role(const Principal& p, const api::Actor& actor,
                                  std::int64_t user_id, std::int64_t assignment_id) const;
  // security.manage over the user. Returns the user.
  boost::json::object unlock_user(const Principal& p, const api::Actor& actor,
                                  std::int64_t id) const;
  // security.manage over the user: a forgotten password replaced by a
  // temporary one (see reset_password_unchecked). 403
  // user.admin_password_by_operator for the three administrators (the
  // operator resets theirs on the command line). Returns the user.
  boost::json::object reset_password(const Principal& p, const api::Actor& actor, std::int64_t id,
                                     const std::string& temporary) const;
  boost::json::object reset_totp(const Principal& p, const api::Actor& actor,
                                 std::int64_t id) const;

  // The caller changes their own password; their other sessions end. 422
  // auth.bad_current_password, auth.weak_password, auth.password_reused.
  void change_password(const Principal& p, const api::Actor& actor, const std::string& current,
                       const std::string& next) const;
  // Starts TOTP enrolment (a new secret, not yet required at login), staff
  // only: 403 auth.totp_staff_only, 409 auth.totp_already_enabled.
  TotpSetup begin_totp(const Principal& p, const api::Actor& actor) const;
  // Confirms it with a first code: 409 auth.totp_already_enabled,
  // auth.totp_not_started; 422 auth.bad_totp.
  void confirm_totp(const Principal& p, const api::Actor& actor, const std::string& code) const;

  // How long a session of `p` lasts without use (staff: short; residents and
  // volunteers: long, renewed on use).
  Millis idle_timeout_ms(const Principal& p) const;
  // Whether the user signs in with an authenticator code.
  bool totp_enabled(std::int64_t user_id) const;

  // The caller's API tokens; the token itself is returned once, on creation.
  boost::json::object create_token(const Principal& p, const api::Actor& actor,
                                   const std::string& name) const;
  boost::json::array list_tokens(const Principal& p) const;
  // 404 auth.token_not_found (another user's token is simply not found).
  void revoke_token(const Principal& p, const api::Actor& actor, std::int64_t id) const;

 private:
  // Counts a failed attempt (locking the account at the threshold) and
  // audits it; true when the account is locked now.
  bool record_failure(std::int64_t user_id, const api::Actor& actor,
                      const std::string& reason) const;
  bool password_expired(Millis changed_at) const;

  storage::Database& db_;
  const FieldCipher& cipher_;
  const Settings& settings_;
};

}  // namespace xh::auth
