#pragma once
// The household roster import (FND-5): the table a street office keeps of its
// compounds, households and residents, imported into one community. A dry run
// reports every bad row and writes nothing; a real run refuses a file with any
// bad row, and otherwise writes it all in one transaction. Re-importing the
// same file changes nothing. The columns are documented in docs/import.md.
#include <boost/json/object.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "audit/audit.h"
#include "api/events.h"
#include "api/scope.h"
#include "core/crypto.h"
#include "core/messages.h"
#include "storage/database.h"

namespace xh::imports {

struct RowError {
  std::size_t row;       // as numbered in the file: the header is row 1
  std::string column;    // the column's header, e.g. "身份证号"
  std::string code;      // message key, e.g. "resident.bad_id_number"
};

struct Counts {
  std::int64_t rows = 0, compounds = 0, buildings = 0, units = 0, households = 0, residents = 0,
               memberships = 0, updated = 0;
};

struct RosterResult {
  bool dry_run;
  bool imported;  // false for a dry run and for a refused file
  std::vector<RowError> errors;
  Counts created;
};

struct Services {
  storage::Database& db;
  const FieldCipher& cipher;
  const api::EventBus& events;
};

// `format` is "csv" or "xlsx". Needs import.run over the community.
RosterResult import_roster(Services& s, const api::Principal& p, const api::Actor& actor,
                           std::int64_t community_id, const std::string& format,
                           std::string_view file, bool dry_run);

boost::json::object to_json(const RosterResult& r, Lang lang);

// The expected header, in order (for the template and the docs).
const std::vector<std::string>& roster_columns();

}  // namespace xh::imports
