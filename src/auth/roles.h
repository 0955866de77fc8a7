#pragma once
// Roles, their permissions and their data scope (FND-4). Which role may do
// what is data (the table in roles.cpp), not branches in handlers. Every role
// a user holds is bound to a place; the role's permissions apply to that place
// and everything below it.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "storage/database.h"

namespace xh::auth {

struct RoleDef {
  std::string_view name;     // "community_admin"
  std::string_view zh_name;  // "社区管理员"
  std::string_view en_name;  // "Community administrator"
  bool staff;                // staff must be able to enrol TOTP
  std::vector<std::string_view> permissions;
};

// Every role, in display order.
const std::vector<RoleDef>& roles();
const RoleDef* find_role(std::string_view name);

// One role held over one place.
struct Grant {
  std::int64_t assignment_id;
  std::string role;
  std::int64_t place_id;
  std::string place_path;  // "/1/4/"
};

// The authenticated caller of a request.
struct Principal {
  std::int64_t user_id = 0;
  std::string username;
  std::string display_name;
  std::vector<Grant> grants;
  bool via_token = false;         // bearer token: no CSRF check
  std::string session_hash;       // cookie sessions only
  std::string csrf_token;         // cookie sessions only
  bool password_expired = false;

  bool has_role(std::string_view role) const;
  bool has_permission(std::string_view permission) const;
  bool is_staff() const;
};

// True when the role of `g` carries `permission`.
bool grant_has(const Grant& g, std::string_view permission);

// The place paths under which `p` holds `permission` (empty: nowhere).
std::vector<std::string> scope_paths(const Principal& p, std::string_view permission);

// True when some grant of `p` with `permission` covers `target_path`.
bool in_scope(const Principal& p, std::string_view permission, std::string_view target_path);

// Throws 403 auth.permission_denied when `p` lacks `permission` anywhere, and
// 403 auth.scope_denied when it holds it but not over `target_path`. The HTTP
// layer audits every 403.
void require(const Principal& p, std::string_view permission);
void require_in_scope(const Principal& p, std::string_view permission,
                      std::string_view target_path);
// For objects reachable by several paths (a household sits under its compound
// and is governed by its grid): in scope when any non-empty path is.
bool in_scope_any(const Principal& p, std::string_view permission,
                  std::initializer_list<std::string_view> paths);
void require_in_scope_any(const Principal& p, std::string_view permission,
                          std::initializer_list<std::string_view> paths);

// Appends to `sql` a condition restricting `path_column` (a column name written
// in code, never caller input) to the caller's scope for `permission`, as
// parameterised prefix ranges. Throws 403 when the caller has no scope at all.
void append_scope_condition(const Principal& p, std::string_view permission,
                            std::string_view path_column, std::string& sql,
                            std::vector<storage::Param>& params);
// The same over several path columns: a row is in scope when any column is.
// The columns after the first are grid paths: they only widen scopes below
// the community level, since a grid governs buildings of its own community
// only (so for a street or community scope the first column says it all).
void append_scope_condition(const Principal& p, std::string_view permission,
                            std::initializer_list<std::string_view> path_columns,
                            std::string& sql, std::vector<storage::Param>& params);

// The same condition as a parenthesised SQL expression, to combine with OR.
std::string scope_condition(const Principal& p, std::string_view permission,
                            std::initializer_list<std::string_view> path_columns,
                            std::vector<storage::Param>& params);

// The places above the caller's scope for `permission` (the street above a
// community): what is registered there serves the caller's area too.
std::vector<std::string> ancestor_paths(const Principal& p, std::string_view permission);

// Loads the grants of `user_id` with their places' paths.
std::vector<Grant> load_grants(storage::Tx& tx, std::int64_t user_id);

}  // namespace xh::auth
