#include "api/scope.h"

#include <boost/json.hpp>

#include <algorithm>

#include "core/error.h"

namespace xh::api {

bool grant_has(const Grant& g, std::string_view permission) { return role_has(g.role, permission); }

std::vector<std::int64_t> holders(storage::Tx& tx, std::string_view permission,
                                  const std::string& path, const std::string& within) {
  // The places on the line of `path` (it and those above it), at or below
  // `within`: the assignments there, by the index on (place_id, role) — no
  // scan of the places.
  std::vector<storage::Param> params;
  std::string places;
  std::string prefix = "/";
  for (auto id : path_ids(path)) {
    prefix += std::to_string(id) + "/";
    if (prefix.rfind(within, 0) != 0) continue;
    params.emplace_back(id);
    places += (places.empty() ? "$" : ", $") + std::to_string(params.size());
  }
  std::string roles;
  for (const auto& role : api::roles()) {
    if (!role_has(role.name, permission)) continue;
    params.emplace_back(std::string(role.name));
    roles += (roles.empty() ? "$" : ", $") + std::to_string(params.size());
  }
  if (roles.empty() || places.empty()) return {};
  std::vector<std::int64_t> out;
  for (const auto& r : tx.query_v(
           "SELECT DISTINCT u.id FROM role_assignments ra JOIN users u ON u.id = ra.user_id WHERE "
           "ra.place_id IN (" + places + ") AND ra.role IN (" + roles +
               ") AND u.disabled = 0 ORDER BY u.id",
           params))
    out.push_back(r.i64("id"));
  return out;
}

std::vector<std::string> scope_paths(const Principal& p, std::string_view permission) {
  std::vector<std::string> out;
  for (const auto& g : p.grants)
    if (role_has(g.role, permission)) out.push_back(g.place_path);
  // Drop paths already covered by a shorter one.
  std::sort(out.begin(), out.end());
  std::vector<std::string> minimal;
  for (auto& path : out)
    if (minimal.empty() || path.rfind(minimal.back(), 0) != 0) minimal.push_back(path);
  return minimal;
}

bool in_scope(const Principal& p, std::string_view permission, std::string_view target_path) {
  for (const auto& g : p.grants)
    if (role_has(g.role, permission) && target_path.substr(0, g.place_path.size()) == g.place_path)
      return true;
  return false;
}

void require(const Principal& p, std::string_view permission) {
  if (!p.has_permission(permission))
    throw forbidden("auth.permission_denied", std::string(permission));
}

void require_in_scope(const Principal& p, std::string_view permission,
                      std::string_view target_path) {
  require(p, permission);
  if (!in_scope(p, permission, target_path))
    throw forbidden("auth.scope_denied", std::string(permission));
}

bool on_line(const Principal& p, std::string_view permission, std::string_view target_path) {
  for (const auto& g : p.grants) {
    if (!grant_has(g, permission)) continue;
    if (target_path.rfind(g.place_path, 0) == 0 ||
        std::string_view(g.place_path).rfind(target_path, 0) == 0)
      return true;
  }
  return false;
}

bool in_scope_any(const Principal& p, std::string_view permission,
                  std::initializer_list<std::string_view> paths) {
  for (auto path : paths)
    if (!path.empty() && in_scope(p, permission, path)) return true;
  return false;
}

void require_in_scope_any(const Principal& p, std::string_view permission,
                          std::initializer_list<std::string_view> paths) {
  require(p, permission);
  if (!in_scope_any(p, permission, paths))
    throw forbidden("auth.scope_denied", std::string(permission));
}

std::vector<std::string> ancestor_paths(const Principal& p, std::string_view permission) {
  auto scopes = scope_paths(p, permission);
  std::vector<std::string> out;
  for (const auto& path : scopes)
    for (std::size_t i = 1; i + 1 < path.size(); ++i)
      if (path[i] == '/') {
        std::string above = path.substr(0, i + 1);
        bool covered = std::any_of(scopes.begin(), scopes.end(),
                                   [&](const std::string& s) { return above.rfind(s, 0) == 0; });
        if (!covered && std::find(out.begin(), out.end(), above) == out.end()) out.push_back(above);
      }
  return out;
}

std::string scope_condition(const Principal& p, std::string_view permission,
                            std::initializer_list<std::string_view> path_columns,
                            std::vector<storage::Param>& params) {
  std::string sql;
  append_scope_condition(p, permission, path_columns, sql, params);
  return sql.substr(5);  // without the leading " AND "
}

void append_scope_condition(const Principal& p, std::string_view permission,
                            std::initializer_list<std::string_view> path_columns,
                            std::string& sql, std::vector<storage::Param>& params) {
  auto paths = scope_paths(p, permission);
  if (paths.empty()) throw forbidden("auth.permission_denied", std::string(permission));
  std::vector<std::string> numbers;
  for (const auto& path : paths) {
    // Everything with the prefix "/1/4/" sorts in ["/1/4/", "/1/40"): '0' follows '/'.
    std::string upper = path;
    upper.back() = '0';
    params.push_back(path);
    params.push_back(upper);
    numbers.push_back(std::to_string(params.size() - 1));
  }
  sql += " AND (";
  bool first = true;
  bool primary = true;
  for (auto column : path_columns) {
    for (std::size_t k = 0; k < numbers.size(); ++k) {
      const auto& n = numbers[k];
      if (!primary && std::count(paths[k].begin(), paths[k].end(), '/') <= 3) continue;
      if (!first) sql += " OR ";
      first = false;
      std::string col(column);
      sql += "(" + col + " >= $" + n + " AND " + col + " < $" + std::to_string(std::stoi(n) + 1) + ")";
    }
    primary = false;
  }
  sql += ")";
}

void append_scope_condition(const Principal& p, std::string_view permission,
                            std::string_view path_column, std::string& sql,
                            std::vector<storage::Param>& params) {
  append_scope_condition(p, permission, {path_column}, sql, params);
}

std::vector<std::int64_t> path_ids(std::string_view path) {
  std::vector<std::int64_t> out;
  std::int64_t cur = 0;
  bool any = false;
  for (char ch : path) {
    if (ch == '/') {
      if (any) out.push_back(cur);
      cur = 0;
      any = false;
    } else if (ch >= '0' && ch <= '9') {
      cur = cur * 10 + (ch - '0');
      any = true;
    }
  }
  return out;
}

std::string community_path(std::string_view path) {
  auto ids = path_ids(path);
  std::string out = "/";
  for (std::size_t i = 0; i < ids.size() && i < 2; ++i) out += std::to_string(ids[i]) + "/";
  return out;
}

boost::json::object count_by(storage::Tx& tx, const Principal& p, std::string_view permission,
                             std::string_view from, std::string_view group_column,
                             std::initializer_list<std::string_view> path_columns) {
  std::vector<storage::Param> params;
  std::string column(group_column);
  std::string sql = "SELECT " + column + ", COUNT(*) FROM " + std::string(from) + " WHERE 1=1";
  append_scope_condition(p, permission, path_columns, sql, params);
  sql += " GROUP BY " + column;
  boost::json::object out;
  for (const auto& r : tx.query_v(sql, params)) out[r.str(0)] = r.i64(1);
  return out;
}

}  // namespace xh::api
