#include "auth/accounts.h"

#include <boost/json.hpp>

#include <regex>

#include "auth/passwords.h"
#include "auth/totp.h"
#include "core/error.h"
#include "core/text.h"

namespace xh::auth {

namespace json = boost::json;
using storage::Row;
using storage::Tx;

namespace {

constexpr const char* kUserColumns =
    "u.id, u.username, u.display_name, u.disabled, u.locked_until, u.totp_enabled, u.created_at";

std::vector<Grant> load_grants_of(storage::Tx& tx, std::int64_t user_id) {
  std::vector<Grant> out;
  for (const auto& r : tx.query(
           "SELECT ra.id, ra.role, ra.place_id, p.path FROM role_assignments ra "
           "JOIN places p ON p.id = ra.place_id WHERE ra.user_id = $1 ORDER BY ra.id",
           user_id))
    out.push_back({r.i64(0), r.str(1), r.i64(2), r.str(3)});
  return out;
}

UserView user_from_row(Tx& tx, const Row& r) {
  UserView v{r.i64(0), r.str(1), r.str(2), r.i64(3) != 0, r.i64(4) > now_ms(), r.i64(5) != 0,
             r.i64(6), {}};
  v.grants = load_grants_of(tx, v.id);
  return v;
}

std::optional<UserView> find_user(Tx& tx, std::int64_t id) {
  auto r = tx.query_one(std::string("SELECT ") + kUserColumns + " FROM users u WHERE u.id = $1", id);
  if (!r) return std::nullopt;
  return user_from_row(tx, *r);
}

// A root place (the street) is the widest scope there is.
bool holds_at_root(const Principal& p, std::string_view permission) {
  for (const auto& path : scope_paths(p, permission))
    if (std::count(path.begin(), path.end(), '/') == 2) return true;
  return false;
}

// A user is within the caller's scope when one of the user's roles is held
// over a place the caller covers; users without roles only for street-wide
// callers.
bool user_in_scope(const Principal& p, std::string_view permission, const UserView& u) {
  if (u.grants.empty()) return holds_at_root(p, permission);
  for (const auto& g : u.grants)
    if (in_scope(p, permission, g.place_path)) return true;
  return false;
}

UserView load_user_in_scope(Tx& tx, const Principal& p, std::string_view permission,
                            std::int64_t id) {
  require(p, permission);
  auto u = find_user(tx, id);
  if (!u) throw not_found("user.not_found");
  if (!user_in_scope(p, permission, *u)) throw forbidden("auth.scope_denied", std::string(permission));
  return *u;
}

}  // namespace

json::object user_to_json(const UserView& u) {
  json::array roles;
  for (const auto& g : u.grants)
    roles.push_back({{"id", g.assignment_id}, {"role", g.role}, {"place_id", g.place_id}});
  return {{"id", u.id},
          {"username", u.username},
          {"display_name", u.display_name},
          {"disabled", u.disabled},
          {"locked", u.locked},
          {"totp_enabled", u.totp_enabled},
          {"created_at", u.created_at},
          {"roles", roles}};
}

namespace {

std::string user_audit_json(const UserView& u) { return json::serialize(user_to_json(u)); }

void check_username(const std::string& username) {
  static const std::regex re("[a-z0-9_.-]{3,32}");
  if (!std::regex_match(username, re)) throw unprocessable("user.bad_username", "username");
}

void check_display_name(const std::string& name) {
  std::size_t chars = utf8_length(name);
  if (chars == 0 || chars > 50) throw unprocessable("request.invalid_field", "display_name");
}

struct PasswordRow {
  std::int64_t id;
  std::string hash;
  bool disabled;
  std::int64_t locked_until;
  std::optional<std::string> totp_secret;
  bool totp_enabled;
  std::int64_t totp_last_step;
  std::int64_t password_changed_at;
};

std::optional<PasswordRow> password_row(Tx& tx, const std::string& username) {
  auto r = tx.query_one(
      "SELECT id, password_hash, disabled, locked_until, totp_secret, totp_enabled, "
      "totp_last_step, password_changed_at FROM users WHERE username = $1",
      username);
  if (!r) return std::nullopt;
  return PasswordRow{r->i64(0), r->str(1), r->i64(2) != 0, r->i64(3), r->opt_str(4),
                     r->i64(5) != 0, r->i64(6), r->i64(7)};
}

// Counts a failed attempt; locks the account when the threshold is reached.
void record_failure(const Services& s, std::int64_t user_id, const api::Actor& actor,
                    const std::string& reason) {
  s.db.write([&](Tx& tx) {
    tx.exec("UPDATE users SET failed_logins = failed_logins + 1 WHERE id = $1", user_id);
    auto r = tx.query_one("SELECT failed_logins FROM users WHERE id = $1", user_id);
    bool lock = r && r->i64(0) >= s.settings.lockout_threshold;
    if (lock)
      tx.exec("UPDATE users SET failed_logins = 0, locked_until = $2 WHERE id = $1", user_id,
              now_ms() + s.settings.lockout_ms);
    audit::append(tx, actor, {"auth.login_failed", "user", std::to_string(user_id), std::nullopt,
                              json::serialize(json::object{{"reason", reason}, {"locked", lock}})});
  });
}

bool password_expired(const Settings& st, std::int64_t changed_at) {
  return st.password_max_age_days > 0 &&
         now_ms() - changed_at > static_cast<Millis>(st.password_max_age_days) * 86400000;
}

Principal principal_for(Tx& tx, std::int64_t user_id) {
  auto r = tx.query_one(
      "SELECT id, username, display_name, disabled FROM users WHERE id = $1", user_id);
  if (!r || r->i64(3) != 0) throw unauthorized("auth.unauthenticated");
  Principal p;
  p.user_id = r->i64(0);
  p.username = r->str(1);
  p.display_name = r->str(2);
  p.grants = load_grants_of(tx, p.user_id);
  return p;
}

}  // namespace

Principal principal_of(Tx& tx, const std::string& username) {
  auto r = tx.query_one("SELECT id FROM users WHERE username = $1", username);
  if (!r) throw not_found("user.not_found");
  return principal_for(tx, r->i64(0));
}

LoginResult login(const Services& s, const LoginInput& in) {
  api::Actor actor{std::nullopt, in.username.substr(0, 64), in.ip};
  auto row = s.db.read([&](Tx& tx) { return password_row(tx, in.username); });
  if (!row) {
    // Unknown user: same answer as a wrong password, and the same work, so
    // neither the answer nor its timing tells which usernames exist.
    verify_password(in.password, hash_password("timing-equaliser"));
    audit::append_now(s.db, actor, {"auth.login_failed", "user", "-", std::nullopt,
                                    R"({"reason":"unknown_user"})"});
    throw unauthorized("auth.bad_credentials");
  }
  actor.user_id = row->id;
  bool password_ok = verify_password(in.password, row->hash);
  if (row->locked_until > now_ms()) {
    audit::append_now(s.db, actor, {"auth.login_failed", "user", std::to_string(row->id),
                                    std::nullopt, R"({"reason":"locked"})"});
    throw Error(423, "auth.locked");
  }
  if (!password_ok) {
    record_failure(s, row->id, actor, "bad_password");
    throw unauthorized("auth.bad_credentials");
  }
  if (row->disabled) {
    audit::append_now(s.db, actor, {"auth.login_failed", "user", std::to_string(row->id),
                                    std::nullopt, R"({"reason":"disabled"})"});
    throw unauthorized("auth.bad_credentials");
  }
  std::int64_t totp_step = 0;
  if (row->totp_enabled) {
    if (!in.totp || in.totp->empty()) throw unauthorized("auth.totp_required");
    auto step = totp_match(s.cipher.decrypt(*row->totp_secret), *in.totp, now_ms() / 1000);
    if (!step || *step <= row->totp_last_step) {  // a code is good once
      record_failure(s, row->id, actor, "bad_totp");
      throw unauthorized("auth.bad_totp");
    }
    totp_step = *step;
  }
  LoginResult out;
  out.session_token = random_token();
  out.csrf_token = random_token();
  out.password_expired = password_expired(s.settings, row->password_changed_at);
  out.user = s.db.write([&](Tx& tx) {
    Millis now = now_ms();
    tx.exec("UPDATE users SET failed_logins = 0, locked_until = 0 WHERE id = $1", row->id);
    if (totp_step)
      tx.exec("UPDATE users SET totp_last_step = $2 WHERE id = $1", row->id, totp_step);
    tx.exec(
        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, ip) "
        "VALUES ($1, $2, $3, $4, $4, $5)",
        sha256_hex(out.session_token), row->id, out.csrf_token, now, in.ip);
    audit::append(tx, actor, {"auth.login", "user", std::to_string(row->id), std::nullopt,
                              std::nullopt});
    return *find_user(tx, row->id);
  });
  return out;
}

void logout(const Services& s, const Principal& p, const api::Actor& actor) {
  s.db.write([&](Tx& tx) {
    if (!p.session_hash.empty())
      tx.exec("UPDATE sessions SET revoked_at = $2 WHERE token_hash = $1", p.session_hash, now_ms());
    audit::append(tx, actor, {"auth.logout", "user", std::to_string(p.user_id), std::nullopt,
                              std::nullopt});
  });
}

Principal authenticate_session(const Services& s, const std::string& token) {
  std::string hash = sha256_hex(token);
  Millis now = now_ms();
  struct Found {
    Principal p;
    Millis last_seen;
  };
  // Every request passes here: one statement, no transaction, one round trip.
  auto found = s.db.read_once([&](Tx& tx) -> Found {
    auto rows = tx.query(
        "SELECT s.user_id, s.csrf_token, s.last_seen_at, s.revoked_at, u.password_changed_at, "
        "u.username, u.display_name, u.disabled, ra.id, ra.role, ra.place_id, pl.path "
        "FROM sessions s JOIN users u ON u.id = s.user_id "
        "LEFT JOIN role_assignments ra ON ra.user_id = u.id "
        "LEFT JOIN places pl ON pl.id = ra.place_id WHERE s.token_hash = $1 ORDER BY ra.id",
        hash);
    if (rows.empty() || !rows[0].is_null(3) || rows[0].i64(7) != 0)
      throw unauthorized("auth.unauthenticated");
    const auto& r = rows[0];
    if (now - r.i64(2) > s.settings.idle_timeout_ms) throw unauthorized("auth.session_expired");
    Found f{{}, r.i64(2)};
    f.p.user_id = r.i64(0);
    f.p.username = r.str(5);
    f.p.display_name = r.str(6);
    for (const auto& g : rows)
      if (!g.is_null(8)) f.p.grants.push_back({g.i64(8), g.str(9), g.i64(10), g.str(11)});
    f.p.session_hash = hash;
    f.p.csrf_token = r.str(1);
    f.p.password_expired = password_expired(s.settings, r.i64(4));
    return f;
  });
  if (now - found.last_seen > 60 * 1000)  // keep writes off the hot path
    s.db.write([&](Tx& tx) {
      tx.exec("UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1", hash, now);
    });
  return found.p;
}

Principal authenticate_bearer(const Services& s, const std::string& token) {
  std::string hash = sha256_hex(token);
  auto [p, last_used] = s.db.read([&](Tx& tx) {
    auto r = tx.query_one(
        "SELECT t.user_id, t.revoked_at, t.last_used_at, u.password_changed_at FROM api_tokens t "
        "JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1",
        hash);
    if (!r || !r->is_null(1)) throw unauthorized("auth.unauthenticated");
    Principal p = principal_for(tx, r->i64(0));
    p.via_token = true;
    p.password_expired = password_expired(s.settings, r->i64(3));
    return std::make_pair(p, r->opt_i64(2).value_or(0));
  });
  Millis now = now_ms();
  if (now - last_used > 60 * 1000)
    s.db.write([&](Tx& tx) {
      tx.exec("UPDATE api_tokens SET last_used_at = $2 WHERE token_hash = $1", hash, now);
    });
  return p;
}

UserView get_user(const Services& s, const Principal& p, std::int64_t id) {
  return s.db.read([&](Tx& tx) { return load_user_in_scope(tx, p, "user.read", id); });
}

UserList list_users(const Services& s, const Principal& p, std::optional<std::string> q, int limit,
                    int offset) {
  require(p, "user.read");
  return s.db.read([&](Tx& tx) {
    std::string where = " FROM users u WHERE (EXISTS (SELECT 1 FROM role_assignments ra JOIN "
                        "places pl ON pl.id = ra.place_id WHERE ra.user_id = u.id";
    std::vector<storage::Param> params;
    append_scope_condition(p, "user.read", "pl.path", where, params);
    where += ")";
    if (holds_at_root(p, "user.read"))
      where += " OR NOT EXISTS (SELECT 1 FROM role_assignments ra2 WHERE ra2.user_id = u.id)";
    where += ")";
    if (q && !q->empty()) {
      params.push_back("%" + storage::escape_like(*q) + "%");
      where += " AND (u.username LIKE $" + std::to_string(params.size()) +
               " ESCAPE '\\' OR u.display_name LIKE $" + std::to_string(params.size()) + " ESCAPE '\\')";
    }
    UserList out{{}, tx.query_one_v("SELECT COUNT(*)" + where, params)->i64(0)};
    params.push_back(static_cast<std::int64_t>(limit));
    params.push_back(static_cast<std::int64_t>(offset));
    std::string sql = std::string("SELECT ") + kUserColumns + where + " ORDER BY u.id LIMIT $" +
                      std::to_string(params.size() - 1) + " OFFSET $" + std::to_string(params.size());
    for (const auto& r : tx.query_v(sql, params)) out.items.push_back(user_from_row(tx, r));
    return out;
  });
}

std::int64_t create_user_unchecked(Tx& tx, const api::Actor& actor, const NewUser& u) {
  check_username(u.username);
  check_display_name(u.display_name);
  check_password_rules(u.password, u.username);
  Millis now = now_ms();
  std::int64_t id;
  try {
    id = tx.query_one(
               "INSERT INTO users (username, display_name, password_hash, password_changed_at, "
               "created_at, updated_at) VALUES ($1, $2, $3, $4, $4, $4) RETURNING id",
               u.username, u.display_name, hash_password(u.password), now)
             ->i64(0);
  } catch (const storage::UniqueViolation&) {
    throw conflict("user.exists", u.username);
  }
  audit::append(tx, actor, {"user.create", "user", std::to_string(id), std::nullopt,
                            user_audit_json(*find_user(tx, id))});
  return id;
}

std::int64_t assign_role_unchecked(Tx& tx, const api::Actor& actor, std::int64_t user_id,
                                   const std::string& role, std::int64_t place_id) {
  if (!api::find_role(role)) throw unprocessable("role.unknown", role);
  if (!tx.query_one("SELECT 1 FROM places WHERE id = $1 AND archived_at IS NULL", place_id))
    throw unprocessable("place.not_found", std::to_string(place_id));
  std::int64_t id;
  try {
    id = tx.query_one(
               "INSERT INTO role_assignments (user_id, role, place_id, granted_by, granted_at) "
               "VALUES ($1, $2, $3, $4, $5) RETURNING id",
               user_id, role, place_id, actor.user_id, now_ms())
             ->i64(0);
  } catch (const storage::UniqueViolation&) {
    throw conflict("role.already_assigned", role);
  }
  audit::append(tx, actor, {"role.assign", "user", std::to_string(user_id), std::nullopt,
                            json::serialize(json::object{
                                {"assignment_id", id}, {"role", role}, {"place_id", place_id}})});
  return id;
}

UserView create_user(const Services& s, const Principal& p, const api::Actor& actor, const NewUser& u) {
  require(p, "user.manage");
  return s.db.write([&](Tx& tx) { return *find_user(tx, create_user_unchecked(tx, actor, u)); });
}

UserView update_user(const Services& s, const Principal& p, const api::Actor& actor, std::int64_t id,
                     const UserPatch& patch) {
  return s.db.write([&](Tx& tx) {
    UserView before = load_user_in_scope(tx, p, "user.manage", id);
    if (patch.display_name) {
      check_display_name(*patch.display_name);
      tx.exec("UPDATE users SET display_name = $2, updated_at = $3 WHERE id = $1", id,
              *patch.display_name, now_ms());
    }
    if (patch.disabled) {
      if (*patch.disabled && id == p.user_id) throw unprocessable("user.cannot_disable_self");
      // The system administrator cannot silence the ones who watch them.
      for (const auto& g : before.grants)
        if (const auto* def = api::find_role(g.role); *patch.disabled && def && def->protected_account)
          throw forbidden("user.cannot_disable_admin", g.role);
      tx.exec("UPDATE users SET disabled = $2, updated_at = $3 WHERE id = $1", id,
              static_cast<std::int64_t>(*patch.disabled), now_ms());
      if (*patch.disabled)
        tx.exec("UPDATE sessions SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL", id,
                now_ms());
    }
    UserView after = *find_user(tx, id);
    audit::append(tx, actor, {"user.update", "user", std::to_string(id), user_audit_json(before),
                              user_audit_json(after)});
    return after;
  });
}

UserView assign_role(const Services& s, const Principal& p, const api::Actor& actor,
                     std::int64_t user_id, const std::string& role, std::int64_t place_id) {
  return s.db.write([&](Tx& tx) {
    require(p, "role.manage");
    if (!find_user(tx, user_id)) throw not_found("user.not_found");
    auto place = tx.query_one("SELECT path FROM places WHERE id = $1", place_id);
    if (!place) throw unprocessable("place.not_found", std::to_string(place_id));
    require_in_scope(p, "role.manage", place->str(0));
    if (user_id == p.user_id) throw forbidden("role.cannot_grant_self");
    // The three administrators (三权分立) are appointed by the operator through
    // the CLI, never by one of them through the API.
    if (const auto* def = api::find_role(role); def && def->operator_appointed)
      throw forbidden("role.admin_by_operator_only", role);
    assign_role_unchecked(tx, actor, user_id, role, place_id);
    return *find_user(tx, user_id);
  });
}

UserView revoke_role(const Services& s, const Principal& p, const api::Actor& actor,
                     std::int64_t user_id, std::int64_t assignment_id) {
  return s.db.write([&](Tx& tx) {
    require(p, "role.manage");
    auto r = tx.query_one(
        "SELECT ra.role, ra.place_id, pl.path FROM role_assignments ra JOIN places pl ON "
        "pl.id = ra.place_id WHERE ra.id = $1 AND ra.user_id = $2",
        assignment_id, user_id);
    if (!r) throw not_found("role.assignment_not_found");
    require_in_scope(p, "role.manage", r->str(2));
    tx.exec("DELETE FROM role_assignments WHERE id = $1", assignment_id);
    audit::append(tx, actor, {"role.revoke", "user", std::to_string(user_id),
                              json::serialize(json::object{{"assignment_id", assignment_id},
                                                           {"role", r->str(0)},
                                                           {"place_id", r->i64(1)}}),
                              std::nullopt});
    return *find_user(tx, user_id);
  });
}

UserView unlock_user(const Services& s, const Principal& p, const api::Actor& actor, std::int64_t id) {
  return s.db.write([&](Tx& tx) {
    load_user_in_scope(tx, p, "security.manage", id);
    tx.exec("UPDATE users SET failed_logins = 0, locked_until = 0 WHERE id = $1", id);
    audit::append(tx, actor, {"user.unlock", "user", std::to_string(id), std::nullopt, std::nullopt});
    return *find_user(tx, id);
  });
}

UserView reset_totp(const Services& s, const Principal& p, const api::Actor& actor, std::int64_t id) {
  return s.db.write([&](Tx& tx) {
    load_user_in_scope(tx, p, "security.manage", id);
    tx.exec("UPDATE users SET totp_secret = NULL, totp_enabled = 0 WHERE id = $1", id);
    audit::append(tx, actor, {"user.totp_reset", "user", std::to_string(id), std::nullopt,
                              std::nullopt});
    return *find_user(tx, id);
  });
}

void change_password(const Services& s, const Principal& p, const api::Actor& actor,
                     const std::string& current, const std::string& next) {
  auto hash = s.db.read([&](Tx& tx) {
    return tx.query_one("SELECT password_hash FROM users WHERE id = $1", p.user_id)->str(0);
  });
  if (!verify_password(current, hash)) throw unprocessable("auth.bad_current_password");
  check_password_rules(next, p.username);
  if (current == next) throw unprocessable("auth.password_reused");
  std::string new_hash = hash_password(next);
  s.db.write([&](Tx& tx) {
    tx.exec("UPDATE users SET password_hash = $2, password_changed_at = $3, updated_at = $3 "
            "WHERE id = $1",
            p.user_id, new_hash, now_ms());
    // Every other session ends: whoever knew the old password is signed out.
    tx.exec("UPDATE sessions SET revoked_at = $3 WHERE user_id = $1 AND token_hash <> $2 AND "
            "revoked_at IS NULL",
            p.user_id, p.session_hash, now_ms());
    audit::append(tx, actor, {"auth.password_change", "user", std::to_string(p.user_id),
                              std::nullopt, std::nullopt});
  });
}

TotpSetup begin_totp(const Services& s, const Principal& p, const api::Actor& actor) {
  if (!p.is_staff()) throw forbidden("auth.totp_staff_only");
  TotpSetup out{new_totp_secret(), ""};
  out.uri = totp_uri(out.secret, p.username);
  s.db.write([&](Tx& tx) {
    auto r = tx.query_one("SELECT totp_enabled FROM users WHERE id = $1", p.user_id);
    if (r->i64(0) != 0) throw conflict("auth.totp_already_enabled");
    tx.exec("UPDATE users SET totp_secret = $2 WHERE id = $1", p.user_id, s.cipher.encrypt(out.secret));
    audit::append(tx, actor, {"auth.totp_begin", "user", std::to_string(p.user_id), std::nullopt,
                              std::nullopt});
  });
  return out;
}

void confirm_totp(const Services& s, const Principal& p, const api::Actor& actor,
                  const std::string& code) {
  s.db.write([&](Tx& tx) {
    auto r = tx.query_one("SELECT totp_secret, totp_enabled FROM users WHERE id = $1", p.user_id);
    if (r->i64(1) != 0) throw conflict("auth.totp_already_enabled");
    if (r->is_null(0)) throw conflict("auth.totp_not_started");
    auto step = totp_match(s.cipher.decrypt(r->str(0)), code, now_ms() / 1000);
    if (!step) throw unprocessable("auth.bad_totp");
    tx.exec("UPDATE users SET totp_enabled = 1, totp_last_step = $2 WHERE id = $1", p.user_id, *step);
    audit::append(tx, actor, {"auth.totp_enable", "user", std::to_string(p.user_id), std::nullopt,
                              std::nullopt});
  });
}

ApiToken create_token(const Services& s, const Principal& p, const api::Actor& actor,
                      const std::string& name) {
  if (name.empty()) throw unprocessable("request.missing_field", "name");
  ApiToken t{0, name, now_ms(), std::nullopt, "xh_" + random_token()};
  t.id = s.db.write([&](Tx& tx) {
    auto id = tx.query_one(
                    "INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1, "
                    "$2, $3, $4) RETURNING id",
                    p.user_id, name, sha256_hex(t.token), t.created_at)
                  ->i64(0);
    audit::append(tx, actor, {"auth.token_create", "api_token", std::to_string(id), std::nullopt,
                              json::serialize(json::object{{"name", name}})});
    return id;
  });
  return t;
}

std::vector<ApiToken> list_tokens(const Services& s, const Principal& p) {
  return s.db.read([&](Tx& tx) {
    std::vector<ApiToken> out;
    for (const auto& r : tx.query(
             "SELECT id, name, created_at, last_used_at FROM api_tokens WHERE user_id = $1 AND "
             "revoked_at IS NULL ORDER BY id",
             p.user_id))
      out.push_back({r.i64(0), r.str(1), r.i64(2), r.opt_i64(3), ""});
    return out;
  });
}

void revoke_token(const Services& s, const Principal& p, const api::Actor& actor, std::int64_t id) {
  s.db.write([&](Tx& tx) {
    // Only one's own tokens: another user's id is simply not found.
    if (tx.exec("UPDATE api_tokens SET revoked_at = $3 WHERE id = $1 AND user_id = $2 AND "
                "revoked_at IS NULL",
                id, p.user_id, now_ms()) == 0)
      throw not_found("auth.token_not_found");
    audit::append(tx, actor, {"auth.token_revoke", "api_token", std::to_string(id), std::nullopt,
                              std::nullopt});
  });
}

}  // namespace xh::auth
