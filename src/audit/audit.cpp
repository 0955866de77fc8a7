#include "audit/audit.h"

#include <boost/json.hpp>

#include <map>

#include "api/module.h"
#include "api/scope.h"
#include "audit/store.h"
#include "core/crypto.h"
#include "core/json_output.h"
#include "core/time.h"

namespace xh::audit {

namespace json = boost::json;

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
  // Taking the head locks it (PostgreSQL row lock; SQLite already holds the
  // write lock), so appends are strictly sequential; the hash it returns is
  // still the previous entry's.
  auto [seq, prev] = store::advance_head(tx);
  std::int64_t at = now_ms();
  std::string hash = entry_hash(prev, seq, at, actor.user_id, actor.name, e.action, e.target_type,
                                e.target_id, actor.ip, e.before_json, e.after_json);
  store::insert(tx, {seq, at, actor.user_id, actor.name, e.action, e.target_type, e.target_id,
                     actor.ip, e.before_json, e.after_json, prev, hash});
  store::set_head_hash(tx, hash);
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
      auto rows = store::after(tx, from, batch);
      for (const auto& row : rows) {
        auto fail = [&](std::string why) {
          r.ok = false;
          r.first_bad_seq = row.seq;
          r.reason = std::move(why);
        };
        if (row.seq != expected_seq) fail("sequence gap: expected " + std::to_string(expected_seq));
        else if (row.prev_hash != prev) fail("prev_hash does not match the previous entry");
        else if (entry_hash(prev, row.seq, row.at, row.actor_id, row.actor_name, row.action,
                            row.target_type, row.target_id, row.ip, row.before_json,
                            row.after_json) != row.hash)
          fail("entry content does not match its hash");
        if (!r.ok) return r;
        prev = row.hash;
        ++expected_seq;
        ++r.entries;
        from = row.seq;
      }
      if (static_cast<std::int64_t>(rows.size()) < batch) break;
    }
    auto [head_seq, head_hash] = store::head(tx);
    if (head_seq != r.entries || head_hash != prev) {
      r.ok = false;
      r.first_bad_seq = r.entries + 1;
      r.reason = "chain head does not match the last entry (entries removed at the end?)";
    }
    return r;
  });
}

json::array AuditLog::list(const api::Principal& p, const Query& q) const {
  api::require(p, "audit.read");
  return db_.read([&](storage::Tx& tx) {
    auto rows = store::matching(tx, q);
    // The objects named, one lookup per kind of object on the page.
    std::map<std::string, std::vector<std::string>> ids;
    for (const auto& e : rows)
      if (!e.target_id.empty()) ids[e.target_type].push_back(e.target_id);
    std::map<std::string, std::map<std::string, std::string>> names;
    for (auto& [type, of_type] : ids) names[type] = api::audit_target_names(tx, type, of_type);
    json::array items;
    for (const auto& e : rows) {
      const auto& of_type = names[e.target_type];
      auto name = of_type.find(e.target_id);
      items.push_back({{"seq", e.seq},
                       {"at", iso8601(e.at)},
                       {"actor_id", nullable(e.actor_id)},
                       {"actor_name", e.actor_name},
                       {"action", e.action},
                       {"target_type", e.target_type},
                       {"target_id", e.target_id},
                       {"target_name", name == of_type.end() ? json::value(nullptr) : json::value(name->second)},
                       {"ip", e.ip},
                       {"hash", e.hash},
                       {"before", e.before_json ? json::parse(*e.before_json) : json::value(nullptr)},
                       {"after", e.after_json ? json::parse(*e.after_json) : json::value(nullptr)}});
    }
    return items;
  });
}

json::array AuditLog::actors(const api::Principal& p, const std::optional<std::string>& q) const {
  api::require(p, "audit.read");
  return db_.read([&](storage::Tx& tx) {
    json::array items;
    for (const auto& [id, name] : store::actors(tx, q, 20)) items.push_back({{"id", id}, {"name", name}});
    return items;
  });
}

json::object AuditLog::verify(const api::Principal& p) const {
  api::require(p, "audit.read");
  auto v = audit::verify(db_);
  return {{"ok", v.ok}, {"entries", v.entries}, {"first_bad_seq", v.first_bad_seq}, {"reason", v.reason}};
}

}  // namespace xh::audit
