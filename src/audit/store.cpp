#include "audit/store.h"

#include "api/list.h"

namespace xh::audit::store {

using storage::Tx;

namespace {
constexpr const char* kColumns =
    "seq, at, actor_id, actor_name, action, target_type, target_id, ip, before_json, after_json, "
    "prev_hash, hash";

Row row_of(const storage::Row& r) {
  return {r.i64("seq"),          r.i64("at"),          r.opt_i64("actor_id"),
          r.str("actor_name"),   r.str("action"),      r.str("target_type"),
          r.str("target_id"),    r.str("ip"),          r.opt_str("before_json"),
          r.opt_str("after_json"), r.str("prev_hash"), r.str("hash")};
}
}  // namespace

std::pair<std::int64_t, std::string> advance_head(Tx& tx) {
  auto h = tx.query_one("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash");
  return {h->i64("seq"), h->str("hash")};
}

void set_head_hash(Tx& tx, const std::string& hash) {
  tx.exec("UPDATE audit_head SET hash = $1 WHERE id = 1", hash);
}

std::pair<std::int64_t, std::string> head(Tx& tx) {
  auto h = tx.query_one("SELECT seq, hash FROM audit_head WHERE id = 1");
  return {h->i64("seq"), h->str("hash")};
}

void insert(Tx& tx, const Row& r) {
  tx.exec(
      "INSERT INTO audit_log (seq, at, actor_id, actor_name, action, target_type, target_id, ip, "
      "before_json, after_json, prev_hash, hash) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)",
      r.seq, r.at, r.actor_id, r.actor_name, r.action, r.target_type, r.target_id, r.ip,
      r.before_json, r.after_json, r.prev_hash, r.hash);
  if (r.actor_id)
    tx.exec(
        "INSERT INTO audit_actors (actor_id, actor_name, last_at) VALUES ($1, $2, $3) "
        "ON CONFLICT (actor_id) DO UPDATE SET actor_name = excluded.actor_name, "
        "last_at = excluded.last_at",
        *r.actor_id, r.actor_name, r.at);
}

std::vector<std::pair<std::int64_t, std::string>> actors(Tx& tx, const std::optional<std::string>& q,
                                                         int limit) {
  api::ListQuery l("audit_actors");
  if (q && !q->empty()) l.where("actor_name LIKE ? ESCAPE '\\'", {"%" + storage::escape_like(*q) + "%"});
  l.sort({{"last_at", "last_at"}}, std::nullopt, "-last_at").page({limit, 0});
  std::vector<std::pair<std::int64_t, std::string>> out;
  for (const auto& r : l.page_rows(tx, "actor_id, actor_name"))
    out.emplace_back(r.i64("actor_id"), r.str("actor_name"));
  return out;
}

std::vector<Row> after(Tx& tx, std::int64_t after_seq, std::int64_t limit) {
  std::vector<Row> out;
  for (const auto& r :
       tx.query(std::string("SELECT ") + kColumns + " FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2",
                after_seq, limit))
    out.push_back(row_of(r));
  return out;
}

std::vector<Row> matching(Tx& tx, const Query& q) {
  api::ListQuery l("audit_log");
  l.where_if("action = ?", q.action)
      .where_if("actor_id = ?", q.actor_id)
      .where_if("seq < ?", q.before_seq)
      .where_if("at >= ?", q.from)
      .where_if("at < ?", q.to)
      .sort({{"seq", "seq"}}, std::nullopt, "-seq")
      .page({q.limit, 0});
  std::vector<Row> out;
  for (const auto& r : l.page_rows(tx, kColumns)) out.push_back(row_of(r));
  return out;
}

}  // namespace xh::audit::store
