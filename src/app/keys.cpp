#include "app/keys.h"

#include <stdexcept>

namespace xh::app {

namespace {

std::optional<std::string> stored_check(storage::Tx& tx) {
  auto r = tx.query_one("SELECT value FROM server_facts WHERE key = 'field_key_check'");
  if (!r) return std::nullopt;
  return r->str("value");
}

// One sealed value of some module, if the database holds any.
std::optional<std::string> a_sealed_value(storage::Tx& tx, const api::Modules& modules) {
  for (const api::Module* m : modules)
    for (const auto& [table, column] : m->sealed) {
      // Table and column names come from the declarations, never from input.
      std::string c(column);
      auto r = tx.query_one("SELECT " + c + " AS v FROM " + std::string(table) + " WHERE " + c +
                            " IS NOT NULL LIMIT 1");
      if (r) return r->str("v");
    }
  return std::nullopt;
}

}  // namespace

FieldCipher open_field_key(storage::Database& db, const std::string& data_dir,
                           const api::Modules& modules) {
  std::string path = data_dir + "/field.key";
  auto [check, sample] = db.read([&](storage::Tx& tx) {
    return std::make_pair(stored_check(tx), a_sealed_value(tx, modules));
  });
  bool fresh = !check && !sample;
  FieldCipher cipher = FieldCipher::from_key_file(path, fresh);
  if (check) {
    if (*check != cipher.check_value())
      throw std::runtime_error("key file " + path +
                               " does not open this database's personal data (another key?)");
    return cipher;
  }
  if (sample) {
    try {
      cipher.decrypt(*sample);
    } catch (const std::exception&) {
      throw std::runtime_error("key file " + path +
                               " does not open this database's personal data (another key?)");
    }
  }
  db.write([&](storage::Tx& tx) {
    tx.exec("INSERT INTO server_facts (key, value) VALUES ('field_key_check', $1) "
            "ON CONFLICT DO NOTHING",
            cipher.check_value());
  });
  return cipher;
}

}  // namespace xh::app
