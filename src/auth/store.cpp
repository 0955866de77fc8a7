#include "auth/store.h"

#include "api/scope.h"

namespace xh::auth::store {

using storage::Row;
using storage::Tx;

namespace {

constexpr const char* kUserColumns =
    "u.id, u.username, u.display_name, u.disabled, u.locked_until, u.totp_enabled, u.created_at";

User user_of(Tx& tx, const Row& r) {
  User u{r.i64("id"),           r.str("username"),     r.str("display_name"),
         r.flag("disabled"),     r.i64("locked_until"), r.flag("totp_enabled"),
         r.i64("created_at"),    {}};
  u.grants = grants_of(tx, u.id);
  return u;
}

Credentials credentials_of(const Row& r) {
  return {r.i64("id"),           r.str("password_hash"),     r.flag("disabled"),
          r.i64("locked_until"), r.opt_str("totp_secret"),    r.flag("totp_enabled"),
          r.i64("totp_last_step"), r.i64("password_changed_at")};
}

constexpr const char* kCredentials =
    "SELECT id, password_hash, disabled, locked_until, totp_secret, totp_enabled, totp_last_step, "
    "password_changed_at FROM users ";

}  // namespace

std::vector<api::Grant> grants_of(Tx& tx, std::int64_t user_id) {
  std::vector<api::Grant> out;
  for (const auto& r : tx.query(
           "SELECT ra.id, ra.role, ra.place_id, p.path, p.kind, p.name FROM role_assignments ra "
           "JOIN places p ON p.id = ra.place_id WHERE ra.user_id = $1 ORDER BY ra.id",
           user_id))
    out.push_back({r.i64("id"), r.str("role"), r.i64("place_id"), r.str("path"), r.str("kind"),
                   r.str("name")});
  return out;
}

std::optional<User> find_user(Tx& tx, std::int64_t id) {
  auto r = tx.query_one(std::string("SELECT ") + kUserColumns + " FROM users u WHERE u.id = $1", id);
  if (!r) return std::nullopt;
  return user_of(tx, *r);
}

std::optional<std::int64_t> user_id_of(Tx& tx, const std::string& username) {
  auto r = tx.query_one("SELECT id FROM users WHERE username = $1", username);
  if (!r) return std::nullopt;
  return r->i64("id");
}

std::optional<Credentials> credentials(Tx& tx, const std::string& username) {
  auto r = tx.query_one(std::string(kCredentials) + "WHERE username = $1", username);
  if (!r) return std::nullopt;
  return credentials_of(*r);
}

std::optional<Credentials> credentials(Tx& tx, std::int64_t user_id) {
  auto r = tx.query_one(std::string(kCredentials) + "WHERE id = $1", user_id);
  if (!r) return std::nullopt;
  return credentials_of(*r);
}

Failures count_failure(Tx& tx, std::int64_t user_id, int threshold, Millis now, Millis lock_until) {
  auto r = tx.query_one(
      "UPDATE users SET failed_logins = CASE WHEN failed_logins + 1 >= $2 THEN 0 ELSE "
      "failed_logins + 1 END, locked_until = CASE WHEN locked_until > $3 THEN locked_until WHEN "
      "failed_logins + 1 >= $2 THEN $4 ELSE locked_until END WHERE id = $1 RETURNING "
      "failed_logins, locked_until",
      user_id, threshold, now, lock_until);
  bool locked = r->i64("locked_until") > now;
  return {locked ? threshold : r->i64("failed_logins"), locked};
}

bool clear_failures_unless_locked(Tx& tx, std::int64_t user_id, Millis now) {
  return tx.exec("UPDATE users SET failed_logins = 0 WHERE id = $1 AND locked_until <= $2", user_id,
                 now) == 1;
}

void lock(Tx& tx, std::int64_t user_id, Millis until) {
  tx.exec("UPDATE users SET failed_logins = 0, locked_until = $2 WHERE id = $1", user_id, until);
}

void clear_failures(Tx& tx, std::int64_t user_id) {
  tx.exec("UPDATE users SET failed_logins = 0, locked_until = 0 WHERE id = $1", user_id);
}

bool claim_totp_step(Tx& tx, std::int64_t user_id, std::int64_t step) {
  return tx.exec("UPDATE users SET totp_last_step = $2 WHERE id = $1 AND totp_last_step < $2",
                 user_id, step) == 1;
}

void set_totp_secret(Tx& tx, std::int64_t user_id, const std::optional<std::string>& secret_enc) {
  if (secret_enc)
    tx.exec("UPDATE users SET totp_secret = $2 WHERE id = $1", user_id, *secret_enc);
  else
    tx.exec("UPDATE users SET totp_secret = NULL, totp_enabled = 0 WHERE id = $1", user_id);
}

void enable_totp(Tx& tx, std::int64_t user_id, std::int64_t step) {
  tx.exec("UPDATE users SET totp_enabled = 1, totp_last_step = $2 WHERE id = $1", user_id, step);
}

std::int64_t insert_user(Tx& tx, const std::string& username, const std::string& display_name,
                         const std::string& password_hash, Millis now) {
  return tx.query_one(
               "INSERT INTO users (username, display_name, password_hash, password_changed_at, "
               "created_at, updated_at) VALUES ($1, $2, $3, $4, $4, $4) RETURNING id",
               username, display_name, password_hash, now)
      ->i64("id");
}

void set_display_name(Tx& tx, std::int64_t id, const std::string& name, Millis now) {
  tx.exec("UPDATE users SET display_name = $2, updated_at = $3 WHERE id = $1", id, name, now);
}

void set_disabled(Tx& tx, std::int64_t id, bool disabled, Millis now) {
  tx.exec("UPDATE users SET disabled = $2, updated_at = $3 WHERE id = $1", id, disabled, now);
}

void set_password(Tx& tx, std::int64_t id, const std::string& hash, Millis changed_at, Millis now) {
  tx.exec("UPDATE users SET password_hash = $2, password_changed_at = $3, updated_at = $4 "
          "WHERE id = $1",
          id, hash, changed_at, now);
}

std::pair<std::vector<User>, std::int64_t> users(Tx& tx, const api::Principal& p,
                                                 std::string_view permission, bool with_roleless,
                                                 const std::optional<std::string>& q,
                                                 api::Page page) {
  // A user is in scope when one of their roles is held over a place the
  // caller covers.
  api::ListQuery l("users u");
  l.scope_within(
      "EXISTS (SELECT 1 FROM role_assignments ra JOIN places pl ON pl.id = ra.place_id WHERE "
      "ra.user_id = u.id AND ",
      p, permission, {"pl.path"},
      with_roleless ? ") OR NOT EXISTS (SELECT 1 FROM role_assignments ra2 WHERE ra2.user_id = u.id)"
                    : ")");
  if (q && !q->empty()) {
    std::string like = "%" + storage::escape_like(*q) + "%";
    l.where("u.username LIKE ? ESCAPE '\\' OR u.display_name LIKE ? ESCAPE '\\'", {like, like});
  }
  l.sort({{"id", "u.id"}}, std::nullopt, "id").page(page);
  auto total = l.count(tx);
  std::vector<User> out;
  for (auto id : l.page_ids(tx, "u.id")) out.push_back(*find_user(tx, id));
  return {std::move(out), total};
}

std::int64_t insert_grant(Tx& tx, std::int64_t user_id, const std::string& role,
                          std::int64_t place_id, std::optional<std::int64_t> granted_by,
                          Millis now) {
  return tx.query_one(
               "INSERT INTO role_assignments (user_id, role, place_id, granted_by, granted_at) "
               "VALUES ($1, $2, $3, $4, $5) RETURNING id",
               user_id, role, place_id, granted_by, now)
      ->i64("id");
}

std::optional<GrantRow> find_grant(Tx& tx, std::int64_t assignment_id, std::int64_t user_id) {
  auto r = tx.query_one(
      "SELECT ra.role, ra.place_id, pl.path FROM role_assignments ra JOIN places pl ON pl.id = "
      "ra.place_id WHERE ra.id = $1 AND ra.user_id = $2",
      assignment_id, user_id);
  if (!r) return std::nullopt;
  return GrantRow{r->str("role"), r->i64("place_id"), r->str("path")};
}

void delete_grant(Tx& tx, std::int64_t assignment_id) {
  tx.exec("DELETE FROM role_assignments WHERE id = $1", assignment_id);
}

std::optional<std::string> live_place_path(Tx& tx, std::int64_t place_id) {
  auto r = tx.query_one("SELECT path FROM places WHERE id = $1 AND archived_at IS NULL", place_id);
  if (!r) return std::nullopt;
  return r->str("path");
}

std::optional<std::string> place_path(Tx& tx, std::int64_t place_id) {
  auto r = tx.query_one("SELECT path FROM places WHERE id = $1", place_id);
  if (!r) return std::nullopt;
  return r->str("path");
}

std::optional<std::string> place_code(Tx& tx, std::int64_t place_id) {
  auto r = tx.query_one("SELECT code FROM places WHERE id = $1", place_id);
  if (!r) return std::nullopt;
  return r->opt_str("code");
}

void insert_session(Tx& tx, const std::string& token_hash, std::int64_t user_id,
                    const std::string& csrf_token, const std::string& ip, Millis now) {
  tx.exec("INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, ip) "
          "VALUES ($1, $2, $3, $4, $4, $5)",
          token_hash, user_id, csrf_token, now, ip);
}

std::optional<Session> session(Tx& tx, const std::string& token_hash) {
  // Every request passes here: one statement, no transaction, one round trip.
  auto rows = tx.query(
      "SELECT s.user_id, s.csrf_token, s.last_seen_at, s.revoked_at, u.password_changed_at, "
      "u.username, u.display_name, u.disabled, ra.id AS grant_id, ra.role, ra.place_id, "
      "pl.path AS place_path, pl.kind AS place_kind, pl.name AS place_name FROM sessions s JOIN users u ON u.id = s.user_id "
      "LEFT JOIN role_assignments ra ON ra.user_id = u.id "
      "LEFT JOIN places pl ON pl.id = ra.place_id WHERE s.token_hash = $1 ORDER BY ra.id",
      token_hash);
  if (rows.empty()) return std::nullopt;
  const auto& r = rows.front();
  Session s;
  s.principal.user_id = r.i64("user_id");
  s.principal.username = r.str("username");
  s.principal.display_name = r.str("display_name");
  s.principal.session_hash = token_hash;
  s.principal.csrf_token = r.str("csrf_token");
  for (const auto& g : rows)
    if (!g.is_null("grant_id"))
      s.principal.grants.push_back(
          {g.i64("grant_id"), g.str("role"), g.i64("place_id"), g.str("place_path"),
           g.str("place_kind"), g.str("place_name")});
  s.last_seen_at = r.i64("last_seen_at");
  s.revoked = !r.is_null("revoked_at");
  s.disabled = r.flag("disabled");
  s.password_changed_at = r.i64("password_changed_at");
  return s;
}

void touch_session(Tx& tx, const std::string& token_hash, Millis now) {
  tx.exec("UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1", token_hash, now);
}

void end_session(Tx& tx, const std::string& token_hash, Millis now) {
  tx.exec("UPDATE sessions SET revoked_at = $2 WHERE token_hash = $1", token_hash, now);
}

void end_sessions(Tx& tx, std::int64_t user_id, const std::string& keep, Millis now) {
  tx.exec("UPDATE sessions SET revoked_at = $3 WHERE user_id = $1 AND token_hash <> $2 AND "
          "revoked_at IS NULL",
          user_id, keep, now);
}

std::int64_t insert_token(Tx& tx, std::int64_t user_id, const std::string& name,
                          const std::string& token_hash, Millis now, Millis expires_at) {
  return tx.query_one("INSERT INTO api_tokens (user_id, name, token_hash, created_at, expires_at) "
                      "VALUES ($1, $2, $3, $4, $5) RETURNING id",
                      user_id, name, token_hash, now, expires_at)
      ->i64("id");
}

void revoke_tokens(Tx& tx, std::int64_t user_id, Millis now) {
  tx.exec("UPDATE api_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL", user_id,
          now);
}

std::optional<TokenOwner> token_owner(Tx& tx, const std::string& token_hash) {
  auto r = tx.query_one(
      "SELECT t.user_id, t.revoked_at, t.expires_at, t.last_used_at, u.password_changed_at FROM "
      "api_tokens t "
      "JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1",
      token_hash);
  if (!r) return std::nullopt;
  return TokenOwner{r->i64("user_id"), !r->is_null("revoked_at"), r->opt_i64("expires_at"),
                    r->opt_i64("last_used_at"), r->i64("password_changed_at")};
}

void touch_token(Tx& tx, const std::string& token_hash, Millis now) {
  tx.exec("UPDATE api_tokens SET last_used_at = $2 WHERE token_hash = $1", token_hash, now);
}

std::vector<Token> live_tokens(Tx& tx, std::int64_t user_id) {
  std::vector<Token> out;
  for (const auto& r : tx.query("SELECT id, name, created_at, last_used_at, expires_at FROM "
                                "api_tokens WHERE user_id = $1 AND revoked_at IS NULL ORDER BY id",
                                user_id))
    out.push_back({r.i64("id"), r.str("name"), r.i64("created_at"), r.opt_i64("last_used_at"),
                   r.opt_i64("expires_at")});
  return out;
}

bool revoke_token(Tx& tx, std::int64_t id, std::int64_t user_id, Millis now) {
  return tx.exec("UPDATE api_tokens SET revoked_at = $3 WHERE id = $1 AND user_id = $2 AND "
                 "revoked_at IS NULL",
                 id, user_id, now) == 1;
}

}  // namespace xh::auth::store
