#include "places/reach.h"

#include "api/scope.h"

namespace xh::places {

namespace {

bool is_grid(const api::Grant& g) { return g.place_kind == "grid" || g.place_kind == "micro_grid"; }

}  // namespace

bool reaches(storage::Tx& tx, const api::Principal& p, std::string_view permission,
             const std::string& path, const std::optional<std::string>& grid_path) {
  if (api::in_scope_any(p, permission, {path, grid_path.value_or("")})) return true;
  for (const auto& g : p.grants) {
    if (!api::grant_has(g, permission)) continue;
    if (g.place_path.starts_with(path)) return true;
    if (is_grid(g) &&
        tx.query_one(
            "SELECT 1 FROM places WHERE path >= $1 AND path < $2 AND grid_path LIKE $3 LIMIT 1",
            path, api::subtree_end(path), g.place_path + "%"))
      return true;
  }
  return false;
}

api::Clause reach_clause(const api::Principal& p, std::string_view permission,
                         std::string_view path_column, std::string_view grid_column) {
  std::string path(path_column);
  auto clause = grid_column.empty() ? api::scope_clause(p, permission, {path_column})
                                    : api::scope_clause(p, permission, {path_column, grid_column});
  // Above the caller's places: what is held at their building, compound and community.
  std::vector<storage::Param> above;
  for (const auto& g : p.grants)
    if (api::grant_has(g, permission))
      for (std::size_t i = 1; i + 1 < g.place_path.size(); ++i)
        if (g.place_path[i] == '/') above.push_back(g.place_path.substr(0, i + 1));
  if (!above.empty()) {
    std::string in = path + " IN (";
    for (std::size_t i = 0; i < above.size(); ++i) in += i ? ", ?" : "?";
    clause.or_else(in + ")", above);
  }
  // A compound's grid workers: a grid governing a place under it.
  for (const auto& g : p.grants)
    if (api::grant_has(g, permission) && is_grid(g))
      clause.or_else("EXISTS (SELECT 1 FROM places gp WHERE gp.path >= " + path +
                         " AND gp.path < SUBSTR(" + path + ", 1, LENGTH(" + path +
                         ") - 1) || '0' AND gp.grid_path LIKE ?)",
                     {g.place_path + "%"});
  return clause;
}

}  // namespace xh::places
