#pragma once
// Numbered schema migrations (migrations/NNNN_name.sql, compiled into the
// binary). A file may hold sections for one engine only, opened by a line
// "-- @sqlite" or "-- @postgres" and ended by "-- @all"; the token {{id}}
// becomes each engine's auto-increment 64-bit primary key.
#include <string>
#include <vector>

#include "storage/database.h"

namespace xh::storage {

struct MigrationSource {
  const char* name;  // "0001_foundation.sql"
  const char* sql;
};

// The SQL of `source` as `dialect` runs it.
std::string render_migration(const std::string& sql, Dialect dialect);

// Applies every migration not yet recorded in schema_migrations, each in its
// own transaction, in order. Safe to run from several processes at once.
// Returns the names of the migrations applied.
std::vector<std::string> migrate(Database& db, const std::vector<MigrationSource>& all);

}  // namespace xh::storage

namespace xh::embedded {
const std::vector<xh::storage::MigrationSource>& migrations();
}
