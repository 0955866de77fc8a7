#pragma once
// Who reaches what is held at a place — a topic, a renovation project: the
// residents of the place and of the places under it, and those who govern it.
// A caller reaches a place (its path, and the grid governing it) for a
// permission when a grant with that permission is over it, over its grid,
// over a place under it (a resident's household, a building leader's
// building), or over a grid governing a place under it (a compound's grid
// workers).
#include <optional>
#include <string>
#include <string_view>

#include "api/list.h"
#include "api/principal.h"
#include "storage/database.h"

namespace xh::places {

bool reaches(storage::Tx& tx, const api::Principal& p, std::string_view permission,
             const std::string& path, const std::optional<std::string>& grid_path);

// The same as a list's condition on the rows' `path_column` and
// `grid_column` (column names written in code; none: the rows keep no grid). 403 when the caller holds
// `permission` nowhere.
api::Clause reach_clause(const api::Principal& p, std::string_view permission,
                         std::string_view path_column, std::string_view grid_column);

}  // namespace xh::places
