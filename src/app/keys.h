#pragma once
// The field key (data/field.key) and the database it belongs to: a server
// starts only with the key that opens the personal data its database holds.
#include <string>

#include "api/module.h"
#include "core/crypto.h"
#include "storage/database.h"

namespace xh::app {

// Opens `<data_dir>/field.key` for `db`:
// - the database knows its key's check value: the key must match it;
// - it does not yet (a new database, or one from before the check): the key
//   file must exist if any module's sealed column holds a value, and must
//   open such a value; it is created only for a database that seals nothing.
// The check value is then stored. Throws std::runtime_error naming the file.
FieldCipher open_field_key(storage::Database& db, const std::string& data_dir,
                           const api::Modules& modules);

}  // namespace xh::app
