#pragma once
// The household roster import (FND-5): the table a street office keeps of its
// compounds, households and residents, imported into one community. A check
// reports every bad row and writes nothing; an import refuses a file with any
// bad row, and otherwise writes it all in one transaction, through the places
// and people modules. Re-importing the same file changes nothing. The columns
// are documented in docs/import.md.
#include <boost/json/object.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "api/events.h"
#include "api/principal.h"
#include "core/crypto.h"
#include "core/messages.h"
#include "storage/database.h"

namespace xh::imports {

// The expected header, in order (for the template and the docs).
const std::vector<std::string>& roster_columns();

// Imports the rosters street offices keep. Thread-safe: holds the database,
// the field cipher and the event bus; each method runs in one transaction of
// its own.
//
// Both methods read `file` as `format` ("csv": UTF-8 or GB18030; "xlsx": the
// first worksheet), need import.run, place.write and resident.write over the
// community (an import does what its caller could do row by row; 403
// auth.permission_denied or auth.scope_denied), report a row with
// special-care tags as import.care_not_permitted unless the caller holds
// resident.care there, and answer 400
// request.bad_format, 422 import.empty_file, import.bad_csv, import.bad_xlsx
// and import.bad_community (not a live community). They return the report:
// {dry_run, imported, valid, errors: [{row, column, code, message}] (the
// first 200), error_count, created: {rows, compounds, buildings, units,
// households, residents, memberships, updated}, matched: {compounds,
// buildings, units, households, residents}}, messages in `lang`. Places are
// matched by code, by name as registered, or by the short name within their
// parent ("1号楼" in 泉星花园 is 泉星花园1号楼); new ones get the full name.
class Imports {
 public:
  Imports(storage::Database& db, const FieldCipher& cipher, const api::EventBus& events)
      : db_(db), cipher_(cipher), events_(events) {}

  // Checks the roster and writes nothing (a dry run): the report counts the
  // good rows and, for a clean roster, what the import would create and what
  // it matched, found by reads alone (memberships: those of new residents and
  // of new homes).
  boost::json::object check_roster(const api::Principal& p, std::int64_t community_id,
                                   const std::string& format, std::string_view file,
                                   Lang lang) const;

  // Imports the roster when every row is good, audited as `actor`: the report
  // says "imported": true and counts what was created and updated. A roster
  // with a bad row writes nothing; its report says "imported": false.
  boost::json::object import_roster(const api::Principal& p, const api::Actor& actor,
                                    std::int64_t community_id, const std::string& format,
                                    std::string_view file, Lang lang) const;

 private:
  storage::Database& db_;
  const FieldCipher& cipher_;
  const api::EventBus& events_;
};

}  // namespace xh::imports
