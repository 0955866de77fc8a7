#pragma once
// The audit log (等保2.0 安全审计): every login, failed login, permission
// denial and change, append-only and hash-chained. Entries are written inside
// the transaction of the change they record, so a change and its entry commit
// or vanish together; every module appends through append(). Only
// audit_admin reads it (三权分立).
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/principal.h"
#include "core/time.h"
#include "storage/database.h"

namespace xh::audit {

struct Entry {
  std::string action;       // "place.update", "auth.login_failed" …
  std::string target_type;  // "place", "user" …
  std::string target_id;
  std::optional<std::string> before_json;
  std::optional<std::string> after_json;
};

// Appends `e` to the chain within `tx`. Serialises with other appenders on the
// chain head row (a row lock on PostgreSQL). Safe from every thread.
void append(storage::Tx& tx, const api::Actor& actor, const Entry& e);
// Appends in a transaction of its own (for denials and failed logins, which
// must be recorded although the request itself changes nothing).
void append_now(storage::Database& db, const api::Actor& actor, const Entry& e);

struct VerifyResult {
  bool ok = true;
  std::int64_t entries = 0;
  std::int64_t first_bad_seq = 0;  // 0 when ok
  std::string reason;
};
// Recomputes every hash from the first entry and compares it with the stored
// chain and head (the operator's `xinghuo audit verify`).
VerifyResult verify(storage::Database& db);

struct Query {
  std::optional<std::string> action;
  std::optional<std::int64_t> actor_id;
  std::optional<std::int64_t> before_seq;  // paging: entries older than this
  std::optional<Millis> from, to;          // at >= from, at < to
  int limit = 50;
};

// The log as its reader sees it. Thread-safe: holds the database only.
class AuditLog {
 public:
  explicit AuditLog(storage::Database& db) : db_(db) {}
  // audit.read (403 otherwise). The entries matching `q`, newest first, with
  // their before/after as JSON.
  boost::json::array list(const api::Principal& p, const Query& q) const;
  // audit.read. Everyone who has acted whose name contains `q`, the most
  // recent first: [{id, name}].
  boost::json::array actors(const api::Principal& p, const std::optional<std::string>& q) const;
  // audit.read. {ok, entries, first_bad_seq, reason}.
  boost::json::object verify(const api::Principal& p) const;

 private:
  storage::Database& db_;
};

}  // namespace xh::audit
