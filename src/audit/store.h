#pragma once
// The audit module's SQL: the audit_log table and its one-row head.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "audit/audit.h"
#include "storage/database.h"

namespace xh::audit::store {

// Advances the head and returns the new sequence number with the previous
// entry's hash; the UPDATE locks the head until the transaction ends.
std::pair<std::int64_t, std::string> advance_head(storage::Tx& tx);
void set_head_hash(storage::Tx& tx, const std::string& hash);
std::pair<std::int64_t, std::string> head(storage::Tx& tx);

struct Row {
  std::int64_t seq, at;
  std::optional<std::int64_t> actor_id;
  std::string actor_name, action, target_type, target_id, ip;
  std::optional<std::string> before_json, after_json;
  std::string prev_hash, hash;
};
void insert(storage::Tx& tx, const Row& r);
// The entries after `after_seq`, oldest first, at most `limit`.
std::vector<Row> after(storage::Tx& tx, std::int64_t after_seq, std::int64_t limit);
// Who has acted (whose name contains `q`), the most recent first.
std::vector<std::pair<std::int64_t, std::string>> actors(storage::Tx& tx,
                                                         const std::optional<std::string>& q, int limit);
// The entries matching `q`, newest first.
std::vector<Row> matching(storage::Tx& tx, const Query& q);

}  // namespace xh::audit::store
