#pragma once
// Chinese substring search, index-backed on both engines: SQLite's FTS5
// trigram tables and PostgreSQL's pg_trgm GIN indexes. Queries shorter than
// three characters cannot use a trigram index and fall back to a scan.
#include <string>
#include <string_view>
#include <vector>

#include "storage/database.h"

namespace xh::storage {

struct SearchSpec {
  std::string_view id_column;            // "p.id"
  std::string_view fts_table;            // SQLite: "places_fts" (rowid = id)
  std::vector<std::string_view> columns; // in the order of the PostgreSQL index expression
};

// Appends " AND (…)" restricting rows to those whose columns contain `q`.
void append_search(Dialect dialect, const SearchSpec& spec, std::string_view q, std::string& sql,
                   std::vector<Param>& params);

}  // namespace xh::storage
