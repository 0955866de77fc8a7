#pragma once
// The data scope of a caller (FND-4): every role a user holds is bound to a
// place, and the role's permissions apply to that place and everything below
// it. Which role may do what is data (each module's declaration, gathered in
// api/access.h), not branches in handlers. Pure functions of the caller.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "api/access.h"
#include "api/principal.h"
#include "storage/database.h"

namespace xh::api {

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
// True when some grant of `p` with `permission` lies on the line of
// `target_path`: at it, above it, or within it — what is held for a street
// concerns each of its communities (a community's staff see the street's
// emergency; a resident reaches the street's festival).
bool on_line(const Principal& p, std::string_view permission, std::string_view target_path);
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

// The ids along a materialised path, top first ("/1/4/9/" → 1, 4, 9).
std::vector<std::int64_t> path_ids(std::string_view path);

// The active users holding `permission` over `path` (a role that has it,
// assigned at that place or above it), by id: whom to tell of work waiting
// there.
// With `within`, only those whose role is assigned at `within` or below it
// (the community's own staff, not the street's).
std::vector<std::int64_t> holders(storage::Tx& tx, std::string_view permission,
                                  const std::string& path, const std::string& within = "");
// The path of the community a path lies in ("/1/4/9/" → "/1/4/"); the street
// itself ("/1/") for a street's path.
std::string community_path(std::string_view path);

// Counts the rows of `from` in the caller's scope for `permission`, grouped by
// `group_column` ({key: count}); column names are written in code, never
// caller input. For the dashboards' figures.
boost::json::object count_by(storage::Tx& tx, const Principal& p, std::string_view permission,
                             std::string_view from, std::string_view group_column,
                             std::initializer_list<std::string_view> path_columns);

}  // namespace xh::api
