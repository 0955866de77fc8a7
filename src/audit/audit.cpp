#include "audit/audit.h"

#include "core/crypto.h"
#include "core/time.h"

namespace xh::audit {

namespace {
// Length-prefixed fields, so no choice of field contents can make two
// different entries hash alike.
void field(std::string& out, const std::string& v) {
  out += std::to_string(v.size());
  out += ':';
  out += v;
}

std::string entry_hash(const std::string& prev, std::int64_t seq, std::int64_t at,
                       const std::optional<std::int64_t>& actor_id, const std::string& actor_name,
                       const std::string& action, const std::string& target_type,
                       const std::string& target_id, const std::string& ip,
                       const std::optional<std::string>& before,
                       const std::optional<std::string>& after) {
  std::string c;
  field(c, prev);
  field(c, std::to_string(seq));
  field(c, std::to_string(at));
  field(c, actor_id ? std::to_string(*actor_id) : "-");
  field(c, actor_name);
  field(c, action);
  field(c, target_type);
  field(c, target_id);
  field(c, ip);
  field(c, before ? "+" + *before : "-");
  field(c, after ? "+" + *after : "-");
  return sha256_hex(c);
}
}  // namespace

void append(storage::Tx& tx, const api::Actor& actor, const Entry& e) {
  // Taking the head with an UPDATE locks it (PostgreSQL row lock; SQLite
  // already holds the write lock), so appends are strictly sequential; the
  // hash it returns is still the previous entry's.
  auto head = tx.query_one("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash");
  std::int64_t seq = head->i64(0);
  std::string prev = head->str(1);
  std::int64_t at = now_ms();
  std::string hash = entry_hash(prev, seq, at, actor.user_id, actor.name, e.action, e.target_type,
                                e.target_id, actor.ip, e.before_json, e.after_json);
  tx.exec(
      "INSERT INTO audit_log (seq, at, actor_id, actor_name, action, target_type, target_id, ip, "
      "before_json, after_json, prev_hash, hash) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)",
      seq, at, actor.user_id, actor.name, e.action, e.target_type, e.target_id, actor.ip,
      e.before_json, e.after_json, prev, hash);
  tx.exec("UPDATE audit_head SET hash = $1 WHERE id = 1", hash);
}

void append_now(storage::Database& db, const api::Actor& actor, const Entry& e) {
  db.write([&](storage::Tx& tx) { append(tx, actor, e); });
}

VerifyResult verify(storage::Database& db) {
  return db.read([](storage::Tx& tx) {
    VerifyResult r;
    std::string prev(64, '0');
    std::int64_t expected_seq = 1;
    const std::int64_t batch = 5000;
    for (std::int64_t from = 0;;) {
      auto rows = tx.query(
          "SELECT seq, at, actor_id, actor_name, action, target_type, target_id, ip, before_json, "
          "after_json, prev_hash, hash FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2",
          from, batch);
      for (const auto& row : rows) {
        std::int64_t seq = row.i64(0);
        auto fail = [&](std::string why) {
          r.ok = false;
          r.first_bad_seq = seq;
          r.reason = std::move(why);
        };
        if (seq != expected_seq) fail("sequence gap: expected " + std::to_string(expected_seq));
        else if (row.str(10) != prev) fail("prev_hash does not match the previous entry");
        else if (entry_hash(prev, seq, row.i64(1), row.opt_i64(2), row.str(3), row.str(4),
                            row.str(5), row.str(6), row.str(7), row.opt_str(8),
                            row.opt_str(9)) != row.str(11))
          fail("entry content does not match its hash");
        if (!r.ok) return r;
        prev = row.str(11);
        ++expected_seq;
        ++r.entries;
        from = seq;
      }
      if (static_cast<std::int64_t>(rows.size()) < batch) break;
    }
    auto head = tx.query_one("SELECT seq, hash FROM audit_head WHERE id = 1");
    if (head->i64(0) != r.entries || head->str(1) != prev) {
      r.ok = false;
      r.first_bad_seq = r.entries + 1;
      r.reason = "chain head does not match the last entry (entries removed at the end?)";
    }
    return r;
  });
}

std::vector<Record> list(storage::Tx& tx, const Query& q) {
  std::string sql =
      "SELECT seq, at, actor_id, actor_name, action, target_type, target_id, ip, before_json, "
      "after_json, hash FROM audit_log WHERE 1=1";
  std::vector<storage::Param> p;
  auto add = [&](const std::string& cond, storage::Param v) {
    p.push_back(std::move(v));
    sql += " AND " + cond + " $" + std::to_string(p.size());
  };
  if (q.action) add("action =", *q.action);
  if (q.actor_id) add("actor_id =", *q.actor_id);
  if (q.before_seq) add("seq <", *q.before_seq);
  p.push_back(static_cast<std::int64_t>(q.limit));
  sql += " ORDER BY seq DESC LIMIT $" + std::to_string(p.size());
  std::vector<Record> out;
  for (const auto& row : tx.query_v(sql, p))
    out.push_back({row.i64(0), row.i64(1), row.opt_i64(2), row.str(3), row.str(4), row.str(5),
                   row.str(6), row.str(7), row.opt_str(8), row.opt_str(9), row.str(10)});
  return out;
}

}  // namespace xh::audit
