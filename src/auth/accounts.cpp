// The account commands: each checks permission and scope, validates, writes
// through the store and audits, in one transaction.
#include "auth/accounts.h"

#include <boost/json.hpp>

#include <algorithm>
#include <regex>

#include "api/scope.h"
#include "audit/audit.h"
#include "auth/passwords.h"
#include "auth/store.h"
#include "auth/totp.h"
#include "core/error.h"
#include "core/json_output.h"
#include "core/text.h"

namespace xh::auth {

namespace json = boost::json;
using storage::Tx;
using store::User;

namespace {

// The password change time of a temporary password, which must be changed.
constexpr Millis kMustChange = 0;

json::object user_json(const User& u) {
  json::array roles;
  for (const auto& g : u.grants)
    roles.push_back({{"id", g.assignment_id},
                     {"role", g.role},
                     {"place_id", g.place_id},
                     {"place", {{"id", g.place_id}, {"kind", g.place_kind}, {"name", g.place_name}}}});
  return {{"id", u.id},
          {"username", u.username},
          {"display_name", u.display_name},
          {"disabled", u.disabled},
          {"locked", u.locked_until > now_ms()},
          {"totp_enabled", u.totp_enabled},
          {"created_at", iso8601(u.created_at)},
          {"roles", roles}};
}

std::string audit_json(const User& u) { return json::serialize(user_json(u)); }

// A root place (the street) is the widest scope there is.
bool holds_at_root(const Principal& p, std::string_view permission) {
  auto paths = api::scope_paths(p, permission);
  return std::any_of(paths.begin(), paths.end(),
                     [](const std::string& path) { return api::path_ids(path).size() == 1; });
}

// A user is within the caller's scope when one of the user's roles is held
// over a place the caller covers; users without roles only for street-wide
// callers.
bool user_in_scope(const Principal& p, std::string_view permission, const User& u) {
  if (u.grants.empty()) return holds_at_root(p, permission);
  return std::any_of(u.grants.begin(), u.grants.end(),
                     [&](const Grant& g) { return api::in_scope(p, permission, g.place_path); });
}

User user_in_scope(Tx& tx, const Principal& p, std::string_view permission, std::int64_t id) {
  api::require(p, permission);
  auto u = store::find_user(tx, id);
  if (!u) throw not_found("user.not_found");
  if (!user_in_scope(p, permission, *u))
    throw forbidden("auth.scope_denied", std::string(permission));
  return *u;
}

void check_username(const std::string& username) {
  static const std::regex re("[a-z0-9_.-]{3,32}");
  if (!std::regex_match(username, re)) throw unprocessable("user.bad_username", "username");
}

void check_display_name(const std::string& name) {
  std::size_t chars = utf8_length(name);
  if (chars == 0 || chars > 50) throw unprocessable("request.invalid_field", "display_name");
}

Principal principal_for(Tx& tx, std::int64_t user_id) {
  auto u = store::find_user(tx, user_id);
  if (!u || u->disabled) throw unauthorized("auth.unauthenticated");
  Principal p;
  p.user_id = u->id;
  p.username = u->username;
  p.display_name = u->display_name;
  p.grants = u->grants;
  return p;
}

}  // namespace

std::int64_t create_user_unchecked(Tx& tx, const api::Actor& actor, const NewUser& u) {
  check_username(u.username);
  check_display_name(u.display_name);
  check_password_rules(u.password, u.username);
  std::int64_t id;
  try {
    id = store::insert_user(tx, u.username, u.display_name, hash_password(u.password), now_ms());
  } catch (const storage::UniqueViolation&) {
    throw conflict("user.exists", u.username);
  }
  audit::append(tx, actor, {"user.create", "user", std::to_string(id), std::nullopt,
                            audit_json(*store::find_user(tx, id))});
  return id;
}

std::int64_t assign_role_unchecked(Tx& tx, const api::Actor& actor, std::int64_t user_id,
                                   const std::string& role, std::int64_t place_id) {
  const auto* def = api::find_role(role);
  if (!def) throw unprocessable("role.unknown", role);
  // An account holds administrator roles or business roles, never both: the
  // one who manages accounts, grants roles or reads the audit log does not
  // also act in the street's business.
  if (auto user = store::find_user(tx, user_id))
    for (const auto& g : user->grants)
      if (const auto* held = api::find_role(g.role); held && held->operator_appointed != def->operator_appointed)
        throw conflict("role.admin_and_business", role);
  if (!store::live_place_path(tx, place_id))
    throw unprocessable("place.not_found", std::to_string(place_id));
  std::int64_t id;
  try {
    id = store::insert_grant(tx, user_id, role, place_id, actor.user_id, now_ms());
  } catch (const storage::UniqueViolation&) {
    throw conflict("role.already_assigned", role);
  }
  audit::append(tx, actor, {"role.assign", "user", std::to_string(user_id), std::nullopt,
                            json::serialize(json::object{
                                {"assignment_id", id}, {"role", role}, {"place_id", place_id}})});
  return id;
}

int revoke_role_unchecked(Tx& tx, const api::Actor& actor, const std::string& username,
                          const std::string& role, const std::optional<std::string>& place_code) {
  auto id = store::user_id_of(tx, username);
  if (!id) throw not_found("user.not_found");
  int removed = 0;
  for (const auto& g : store::grants_of(tx, *id)) {
    if (g.role != role) continue;
    if (place_code && store::place_code(tx, g.place_id) != place_code) continue;
    store::delete_grant(tx, g.assignment_id);
    audit::append(tx, actor, {"role.revoke", "user", std::to_string(*id),
                              json::serialize(json::object{{"assignment_id", g.assignment_id},
                                                           {"role", g.role},
                                                           {"place_id", g.place_id}}),
                              std::nullopt});
    ++removed;
  }
  return removed;
}

Principal principal_of(Tx& tx, const std::string& username) {
  auto id = store::user_id_of(tx, username);
  if (!id) throw not_found("user.not_found");
  return principal_for(tx, *id);
}

bool Accounts::password_expired(Millis changed_at) const {
  // 0: a temporary password, set by a reset, to be changed at once.
  if (changed_at == kMustChange) return true;
  return settings_.password_max_age_days > 0 &&
         now_ms() - changed_at > settings_.password_max_age_days * kDay;
}

bool Accounts::record_failure(std::int64_t user_id, const api::Actor& actor,
                              const std::string& reason) const {
  return db_.write([&](Tx& tx) {
    Millis now = now_ms();
    auto f = store::count_failure(tx, user_id, settings_.lockout_threshold, now,
                                  now + settings_.lockout_ms);
    audit::append(tx, actor, {"auth.login_failed", "user", std::to_string(user_id), std::nullopt,
                              json::serialize(json::object{{"reason", reason}, {"locked", f.locked}})});
    return f.locked;
  });
}

LoginResult Accounts::login(const LoginInput& in) const {
  api::Actor actor{std::nullopt, std::string(utf8_prefix(in.username, 64)), in.ip};
  auto failed = [&](const std::string& target, const char* reason) {
    audit::append_now(db_, actor, {"auth.login_failed", "user", target, std::nullopt,
                                   json::serialize(json::object{{"reason", reason}})});
  };
  auto row = db_.read([&](Tx& tx) { return store::credentials(tx, in.username); });
  if (!row) {
    // Unknown user: same answer as a wrong password, and the same work, so
    // neither the answer nor its timing tells which usernames exist.
    verify_password(in.password, hash_password("timing-equaliser"));
    failed("-", "unknown_user");
    throw unauthorized("auth.bad_credentials");
  }
  actor.user_id = row->id;
  bool password_ok = verify_password(in.password, row->password_hash);
  // The answer is decided after the attempt is counted, atomically: failures
  // in parallel each count and the lock falls at the threshold; once it has
  // fallen, even the right password gets the answer a wrong one gets — so no
  // guess past the threshold tells anything, and no answer tells which
  // usernames exist (the holder learns of the lock from the message, the
  // security administrator from the account list).
  if (!password_ok) {
    record_failure(row->id, actor, "bad_password");
    throw unauthorized("auth.bad_credentials");
  }
  auto refuse_locked = [&] {
    failed(std::to_string(row->id), "locked");
    throw unauthorized("auth.bad_credentials");
  };
  if (row->locked_until > now_ms()) refuse_locked();
  if (row->disabled) {
    failed(std::to_string(row->id), "disabled");
    throw unauthorized("auth.bad_credentials");
  }
  if (row->totp_enabled) {
    if (!in.totp || in.totp->empty()) throw unauthorized("auth.totp_required");
    auto step = totp_match(cipher_.decrypt(*row->totp_secret_enc), *in.totp, now_ms() / 1000);
    // A code is good once: its step is claimed atomically, so racing logins
    // with the same code let one through at most.
    bool claimed = step && db_.write([&](Tx& tx) { return store::claim_totp_step(tx, row->id, *step); });
    if (!claimed) {
      record_failure(row->id, actor, "bad_totp");
      throw unauthorized("auth.bad_totp");
    }
  }
  // Only a login that passed every check forgets the failures (a TOTP guess
  // counts like a password guess); a lock that fell meanwhile still holds.
  if (!db_.write([&](Tx& tx) { return store::clear_failures_unless_locked(tx, row->id, now_ms()); }))
    refuse_locked();
  LoginResult out;
  out.session_token = random_token();
  out.csrf_token = random_token();
  out.password_expired = password_expired(row->password_changed_at);
  out.staff = db_.read([&](Tx& tx) { return principal_for(tx, row->id).is_staff(); });
  out.user = db_.write([&](Tx& tx) {
    Millis now = now_ms();
    store::insert_session(tx, sha256_hex(out.session_token), row->id, out.csrf_token, in.ip, now);
    audit::append(tx, actor, {"auth.login", "user", std::to_string(row->id), std::nullopt,
                              std::nullopt});
    return user_json(*store::find_user(tx, row->id));
  });
  return out;
}

void Accounts::logout(const Principal& p, const api::Actor& actor) const {
  db_.write([&](Tx& tx) {
    if (!p.session_hash.empty()) store::end_session(tx, p.session_hash, now_ms());
    audit::append(tx, actor, {"auth.logout", "user", std::to_string(p.user_id), std::nullopt,
                              std::nullopt});
  });
}

Principal Accounts::authenticate_session(const std::string& token, bool touch) const {
  std::string hash = sha256_hex(token);
  Millis now = now_ms();
  auto found = db_.read_once([&](Tx& tx) { return store::session(tx, hash); });
  if (!found || found->revoked || found->disabled) throw unauthorized("auth.unauthenticated");
  if (now - found->last_seen_at > idle_timeout_ms(found->principal))
    throw unauthorized("auth.session_expired");
  found->principal.password_expired = password_expired(found->password_changed_at);
  if (touch && now - found->last_seen_at > kMinute)  // keep writes off the hot path
    db_.write([&](Tx& tx) { store::touch_session(tx, hash, now); });
  return found->principal;
}

Principal Accounts::authenticate_bearer(const std::string& token) const {
  std::string hash = sha256_hex(token);
  auto [p, last_used] = db_.read([&](Tx& tx) {
    auto owner = store::token_owner(tx, hash);
    if (!owner || owner->revoked || (owner->expires_at && *owner->expires_at <= now_ms()))
      throw unauthorized("auth.unauthenticated");
    Principal p = principal_for(tx, owner->user_id);
    p.via_token = true;
    p.password_expired = password_expired(owner->password_changed_at);
    return std::make_pair(p, owner->last_used_at.value_or(0));
  });
  Millis now = now_ms();
  if (now - last_used > kMinute) db_.write([&](Tx& tx) { store::touch_token(tx, hash, now); });
  return p;
}

json::object Accounts::get_user(const Principal& p, std::int64_t id) const {
  return db_.read([&](Tx& tx) { return user_json(user_in_scope(tx, p, "user.read", id)); });
}

api::Listed Accounts::list_users(const Principal& p, const std::optional<std::string>& q,
                                 api::Page page) const {
  api::require(p, "user.read");
  return db_.read([&](Tx& tx) {
    auto [users, total] = store::users(tx, p, "user.read", holds_at_root(p, "user.read"), q, page);
    api::Listed out{{}, total};
    for (const auto& u : users) {
      auto o = user_json(u);
      json::array names;
      for (const auto& g : u.grants) names.emplace_back(g.role);
      o["role_names"] = std::move(names);
      out.items.push_back(std::move(o));
    }
    return out;
  });
}

json::object Accounts::create_user(const Principal& p, const api::Actor& actor,
                                   const NewUser& u) const {
  api::require(p, "user.manage");
  return db_.write(
      [&](Tx& tx) { return user_json(*store::find_user(tx, create_user_unchecked(tx, actor, u))); });
}

json::object Accounts::update_user(const Principal& p, const api::Actor& actor, std::int64_t id,
                                   const UserPatch& patch) const {
  return db_.write([&](Tx& tx) {
    User before = user_in_scope(tx, p, "user.manage", id);
    Millis now = now_ms();
    if (patch.display_name) {
      check_display_name(*patch.display_name);
      store::set_display_name(tx, id, *patch.display_name, now);
    }
    if (patch.disabled) {
      if (*patch.disabled && id == p.user_id) throw unprocessable("user.cannot_disable_self");
      // The system administrator cannot silence the ones who watch them.
      for (const auto& g : before.grants)
        if (const auto* def = api::find_role(g.role); *patch.disabled && def && def->protected_account)
          throw forbidden("user.cannot_disable_admin", g.role);
      store::set_disabled(tx, id, *patch.disabled, now);
      // A disabled account keeps nothing to come back with: sessions and
      // tokens end.
      if (*patch.disabled) {
        store::end_sessions(tx, id, "", now);
        store::revoke_tokens(tx, id, now);
      }
    }
    User after = *store::find_user(tx, id);
    audit::append(tx, actor, {"user.update", "user", std::to_string(id), audit_json(before),
                              audit_json(after)});
    return user_json(after);
  });
}

json::object Accounts::assign_role(const Principal& p, const api::Actor& actor,
                                   std::int64_t user_id, const std::string& role,
                                   std::int64_t place_id) const {
  return db_.write([&](Tx& tx) {
    api::require(p, "role.manage");
    if (!store::find_user(tx, user_id)) throw not_found("user.not_found");
    auto path = store::place_path(tx, place_id);
    if (!path) throw unprocessable("place.not_found", std::to_string(place_id));
    api::require_in_scope(p, "role.manage", *path);
    if (user_id == p.user_id) throw forbidden("role.cannot_grant_self");
    // The three administrators (三权分立) are appointed by the operator through
    // the CLI, never by one of them through the API.
    if (const auto* def = api::find_role(role); def && def->operator_appointed)
      throw forbidden("role.admin_by_operator_only", role);
    assign_role_unchecked(tx, actor, user_id, role, place_id);
    return user_json(*store::find_user(tx, user_id));
  });
}

json::object Accounts::revoke_role(const Principal& p, const api::Actor& actor,
                                   std::int64_t user_id, std::int64_t assignment_id) const {
  return db_.write([&](Tx& tx) {
    api::require(p, "role.manage");
    auto g = store::find_grant(tx, assignment_id, user_id);
    if (!g) throw not_found("role.assignment_not_found");
    api::require_in_scope(p, "role.manage", g->path);
    // Who appoints the three administrators on the command line alone also
    // removes them there.
    if (const auto* def = api::find_role(g->role); def && def->operator_appointed)
      throw forbidden("role.admin_by_operator_only", g->role);
    store::delete_grant(tx, assignment_id);
    audit::append(tx, actor, {"role.revoke", "user", std::to_string(user_id),
                              json::serialize(json::object{{"assignment_id", assignment_id},
                                                           {"role", g->role},
                                                           {"place_id", g->place_id}}),
                              std::nullopt});
    return user_json(*store::find_user(tx, user_id));
  });
}

json::object Accounts::unlock_user(const Principal& p, const api::Actor& actor,
                                   std::int64_t id) const {
  return db_.write([&](Tx& tx) {
    user_in_scope(tx, p, "security.manage", id);
    store::clear_failures(tx, id);
    audit::append(tx, actor, {"user.unlock", "user", std::to_string(id), std::nullopt, std::nullopt});
    return user_json(*store::find_user(tx, id));
  });
}

void reset_password_unchecked(Tx& tx, const api::Actor& actor, std::int64_t user_id,
                              const std::string& temporary) {
  auto u = store::find_user(tx, user_id);
  if (!u) throw not_found("user.not_found");
  check_password_rules(temporary, u->username);
  Millis now = now_ms();
  store::set_password(tx, user_id, hash_password(temporary), kMustChange, now);
  store::clear_failures(tx, user_id);
  store::end_sessions(tx, user_id, "", now);
  store::revoke_tokens(tx, user_id, now);
  audit::append(tx, actor, {"user.password_reset", "user", std::to_string(user_id), std::nullopt,
                            std::nullopt});
}

json::object Accounts::reset_password(const Principal& p, const api::Actor& actor, std::int64_t id,
                                      const std::string& temporary) const {
  return db_.write([&](Tx& tx) {
    auto u = user_in_scope(tx, p, "security.manage", id);
    for (const auto& g : u.grants)
      if (const auto* def = api::find_role(g.role); def && def->operator_appointed)
        throw forbidden("user.admin_password_by_operator", g.role);
    reset_password_unchecked(tx, actor, id, temporary);
    return user_json(*store::find_user(tx, id));
  });
}

json::object Accounts::reset_totp(const Principal& p, const api::Actor& actor,
                                  std::int64_t id) const {
  return db_.write([&](Tx& tx) {
    user_in_scope(tx, p, "security.manage", id);
    store::set_totp_secret(tx, id, std::nullopt);
    audit::append(tx, actor, {"user.totp_reset", "user", std::to_string(id), std::nullopt,
                              std::nullopt});
    return user_json(*store::find_user(tx, id));
  });
}

void Accounts::change_password(const Principal& p, const api::Actor& actor,
                               const std::string& current, const std::string& next) const {
  auto row = db_.read([&](Tx& tx) { return store::credentials(tx, p.user_id); });
  // Guessing the current password counts like a failed login.
  if (!row || !verify_password(current, row->password_hash)) {
    if (record_failure(p.user_id, actor, "bad_current_password")) throw Error(423, "auth.locked");
    throw unprocessable("auth.bad_current_password");
  }
  if (!db_.write([&](Tx& tx) { return store::clear_failures_unless_locked(tx, p.user_id, now_ms()); }))
    throw Error(423, "auth.locked");
  check_password_rules(next, p.username);
  if (current == next) throw unprocessable("auth.password_reused");
  std::string hash = hash_password(next);
  db_.write([&](Tx& tx) {
    Millis now = now_ms();
    store::set_password(tx, p.user_id, hash, now, now);
    // Every other session and every token ends: whoever knew the old
    // password is signed out.
    store::end_sessions(tx, p.user_id, p.session_hash, now);
    store::revoke_tokens(tx, p.user_id, now);
    audit::append(tx, actor, {"auth.password_change", "user", std::to_string(p.user_id),
                              std::nullopt, std::nullopt});
  });
}

Millis Accounts::idle_timeout_ms(const Principal& p) const {
  return p.is_staff() ? settings_.idle_timeout_ms : settings_.resident_idle_timeout_ms;
}

bool Accounts::totp_enabled(std::int64_t user_id) const {
  return db_.read([&](Tx& tx) {
    auto u = store::find_user(tx, user_id);
    return u && u->totp_enabled;
  });
}

TotpSetup Accounts::begin_totp(const Principal& p, const api::Actor& actor) const {
  if (!p.is_staff()) throw forbidden("auth.totp_staff_only");
  TotpSetup out{new_totp_secret(), ""};
  out.uri = totp_uri(out.secret, p.username);
  db_.write([&](Tx& tx) {
    if (store::credentials(tx, p.user_id)->totp_enabled) throw conflict("auth.totp_already_enabled");
    store::set_totp_secret(tx, p.user_id, cipher_.encrypt(out.secret));
    audit::append(tx, actor, {"auth.totp_begin", "user", std::to_string(p.user_id), std::nullopt,
                              std::nullopt});
  });
  return out;
}

void Accounts::confirm_totp(const Principal& p, const api::Actor& actor,
                            const std::string& code) const {
  db_.write([&](Tx& tx) {
    auto row = store::credentials(tx, p.user_id);
    if (row->totp_enabled) throw conflict("auth.totp_already_enabled");
    if (!row->totp_secret_enc) throw conflict("auth.totp_not_started");
    auto step = totp_match(cipher_.decrypt(*row->totp_secret_enc), code, now_ms() / 1000);
    if (!step) throw unprocessable("auth.bad_totp");
    store::enable_totp(tx, p.user_id, *step);
    audit::append(tx, actor, {"auth.totp_enable", "user", std::to_string(p.user_id), std::nullopt,
                              std::nullopt});
  });
}

json::object Accounts::create_token(const Principal& p, const api::Actor& actor,
                                    const std::string& name) const {
  if (name.empty()) throw unprocessable("request.missing_field", "name");
  std::string token = "xh_" + random_token();
  Millis now = now_ms();
  Millis expires = now + settings_.token_max_age_ms;
  auto id = db_.write([&](Tx& tx) {
    auto id = store::insert_token(tx, p.user_id, name, sha256_hex(token), now, expires);
    audit::append(tx, actor, {"auth.token_create", "api_token", std::to_string(id), std::nullopt,
                              json::serialize(json::object{{"name", name}})});
    return id;
  });
  return {{"id", id},           {"name", name},           {"created_at", iso8601(now)},
          {"expires_at", iso8601(expires)}, {"last_used_at", nullptr}, {"token", token}};
}

json::array Accounts::list_tokens(const Principal& p) const {
  return db_.read([&](Tx& tx) {
    json::array out;
    for (const auto& t : store::live_tokens(tx, p.user_id))
      out.push_back({{"id", t.id},
                     {"name", t.name},
                     {"created_at", iso8601(t.created_at)},
                     {"last_used_at", nullable_time(t.last_used_at)},
                     {"expires_at", nullable_time(t.expires_at)}});
    return out;
  });
}

void Accounts::revoke_token(const Principal& p, const api::Actor& actor, std::int64_t id) const {
  db_.write([&](Tx& tx) {
    // Only one's own tokens: another user's id is simply not found.
    if (!store::revoke_token(tx, id, p.user_id, now_ms())) throw not_found("auth.token_not_found");
    audit::append(tx, actor, {"auth.token_revoke", "api_token", std::to_string(id), std::nullopt,
                              std::nullopt});
  });
}

}  // namespace xh::auth
