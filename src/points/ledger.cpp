#include "points/ledger.h"

#include <array>
#include <map>
#include <unordered_map>

#include "api/scope.h"
#include "core/crypto.h"
#include "core/error.h"
#include "points/rules.h"

namespace xh::points {

using storage::Tx;

namespace {

// What the hash covers: the previous hash and everything the transaction says,
// each field length-prefixed so no boundary can move; each posting with its
// account's kind and owner, so swapping owners breaks the chain too.
std::string canonical(const std::string& prev_hash, const std::string& idem_key,
                      const std::string& kind, const std::string& memo,
                      std::optional<std::int64_t> reverses_id,
                      std::optional<std::int64_t> created_by, Millis created_at,
                      const std::vector<PostingRow>& postings) {
  std::string s;
  auto field = [&](const std::string& v) { s += std::to_string(v.size()) + ":" + v + ";"; };
  field(prev_hash);
  field(idem_key);
  field(kind);
  field(memo);
  field(reverses_id ? std::to_string(*reverses_id) : "");
  field(created_by ? std::to_string(*created_by) : "");
  field(std::to_string(created_at));
  for (const auto& p : postings)
    field(std::to_string(p.account_id) + "," + p.account_kind + "," + std::to_string(p.owner_id) +
          "," + std::to_string(p.amount) + "," + std::to_string(p.balance_after));
  return s;
}

std::int64_t ensure_account(Tx& tx, std::string_view kind, std::int64_t owner,
                            std::int64_t community_id, const std::string& path) {
  if (auto r = tx.query_one("SELECT id FROM point_accounts WHERE kind = $1 AND owner_id = $2",
                            kind, owner))
    return r->i64("id");
  tx.exec("INSERT INTO point_accounts (kind, owner_id, community_id, path, created_at) VALUES "
          "($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
          kind, owner, community_id, path, now_ms());
  return tx.query_one("SELECT id FROM point_accounts WHERE kind = $1 AND owner_id = $2", kind,
                      owner)
      ->i64("id");
}

}  // namespace

void lock(Tx& tx) { tx.exec("UPDATE point_chain_head SET tx_id = tx_id WHERE id = 1"); }

std::string transaction_hash(const std::string& prev_hash, const std::string& idem_key,
                             const std::string& kind, const std::string& memo,
                             std::optional<std::int64_t> reverses_id,
                             std::optional<std::int64_t> created_by, Millis created_at,
                             const std::vector<PostingRow>& postings) {
  return sha256_hex(
      canonical(prev_hash, idem_key, kind, memo, reverses_id, created_by, created_at, postings));
}

std::optional<std::int64_t> find_by_key(Tx& tx, const std::string& idem_key) {
  auto r = tx.query_one("SELECT id FROM point_transactions WHERE idem_key = $1", idem_key);
  if (!r) return std::nullopt;
  return r->i64("id");
}

Posted post(Tx& tx, const NewTransaction& t) {
  std::int64_t sum = 0;
  for (const auto& p : t.postings) {
    if (p.amount == 0) throw unprocessable("points.unbalanced");
    sum += p.amount;
  }
  if (t.postings.size() < 2 || sum != 0) throw unprocessable("points.unbalanced");
  // Take the chain head first: it serialises every writer, so the key check
  // below sees any transaction committed before us.
  auto head = tx.query_one("UPDATE point_chain_head SET tx_id = tx_id WHERE id = 1 RETURNING hash");
  if (auto existing = find_by_key(tx, t.idem_key)) return {*existing, true};
  std::vector<PostingRow> rows;
  for (const auto& p : t.postings) {
    // One statement checks and moves the balance.
    auto r = tx.query_one(
        "UPDATE point_accounts SET balance = balance + $2 WHERE id = $1 AND (kind IN " +
            community_account_kinds_sql() +
            " OR balance + $2 >= 0) RETURNING balance, kind, owner_id",
        p.account_id, p.amount);
    if (!r) {
      if (!tx.query_one("SELECT 1 FROM point_accounts WHERE id = $1", p.account_id))
        throw unprocessable("points.no_account");
      throw conflict("points.insufficient");
    }
    rows.push_back(
        {p.account_id, r->str("kind"), r->i64("owner_id"), p.amount, r->i64("balance")});
  }
  Millis now = now_ms();
  std::string prev = head->str("hash");
  std::string hash =
      sha256_hex(canonical(prev, t.idem_key, t.kind, t.memo, t.reverses_id, t.created_by, now, rows));
  auto id = tx.query_one(
                  "INSERT INTO point_transactions (idem_key, kind, memo, reverses_id, created_by, "
                  "created_at, prev_hash, hash, memo_key, memo_params) VALUES ($1, $2, $3, $4, $5, "
                  "$6, $7, $8, $9, $10) RETURNING id",
                  t.idem_key, t.kind, t.memo, t.reverses_id, t.created_by, now, prev, hash,
                  t.memo_key, t.memo_params)
                ->i64("id");
  for (const auto& r : rows)
    tx.exec("INSERT INTO point_postings (tx_id, account_id, amount, balance_after) VALUES ($1, $2, "
            "$3, $4)",
            id, r.account_id, r.amount, r.balance_after);
  tx.exec("UPDATE point_chain_head SET tx_id = $1, hash = $2 WHERE id = 1", id, hash);
  return {id, false, now};
}

std::int64_t resident_account(Tx& tx, std::int64_t resident_id) {
  auto m = tx.query_one(
      "SELECT path FROM household_members WHERE resident_id = $1 ORDER BY id LIMIT 1", resident_id);
  if (!m) throw unprocessable("points.no_household");
  // The account belongs to the community the household lies in.
  auto ids = api::path_ids(m->str("path"));
  if (ids.size() < 2) throw unprocessable("points.no_household");
  return ensure_account(tx, "resident", resident_id, ids[1], api::community_path(m->str("path")));
}

bool has_household(Tx& tx, std::int64_t resident_id) {
  return tx.query_one("SELECT 1 FROM household_members WHERE resident_id = $1", resident_id)
      .has_value();
}

std::int64_t org_account(Tx& tx, std::int64_t org_id) {
  auto o = tx.query_one("SELECT path FROM orgs WHERE id = $1", org_id);
  if (!o) throw unprocessable("points.no_account");
  // The community it is registered in; one registered at the street has its
  // account at the street.
  auto ids = api::path_ids(o->str("path"));
  std::int64_t community = ids.size() >= 2 ? ids[1] : ids.at(0);
  return ensure_account(tx, "org", org_id, community, api::community_path(o->str("path")));
}

std::int64_t community_account(Tx& tx, std::string_view kind, std::int64_t community_id) {
  auto p = tx.query_one("SELECT path FROM places WHERE id = $1", community_id);
  if (!p) throw unprocessable("points.no_account");
  return ensure_account(tx, kind, community_id, community_id, p->str("path"));
}

VerifyResult verify(storage::Database& db) {
  VerifyResult out;
  struct Running {
    std::int64_t balance = 0;
    std::string kind;
    std::int64_t owner = 0;
  };
  std::unordered_map<std::int64_t, Running> balances;
  // What residents earned per (account, Beijing month): awards and reversals.
  std::map<std::pair<std::int64_t, int>, std::int64_t> earned;
  db.read([&](Tx& tx) {
    for (const auto& r : tx.query("SELECT id, kind, owner_id FROM point_accounts"))
      balances[r.i64("id")] = {0, r.str("kind"), r.i64("owner_id")};
    std::string prev(64, '0');
    std::int64_t after = 0;
    auto fail = [&](std::int64_t id, std::string why) {
      out.ok = false;
      out.first_bad_tx = id;
      out.reason = std::move(why);
    };
    constexpr int kBatch = 5000;
    while (out.ok) {
      auto txs = tx.query(
          "SELECT id, idem_key, kind, memo, reverses_id, created_by, created_at, prev_hash, hash "
          "FROM point_transactions WHERE id > $1 ORDER BY id LIMIT $2",
          after, std::int64_t{kBatch});
      if (txs.empty()) break;
      std::int64_t first = txs.front().i64("id"), last = txs.back().i64("id");
      std::map<std::int64_t, std::vector<PostingRow>> postings;
      for (const auto& p : tx.query("SELECT tx_id, account_id, amount, balance_after FROM "
                                    "point_postings WHERE tx_id BETWEEN $1 AND $2 ORDER BY tx_id, id",
                                    first, last)) {
        auto it = balances.find(p.i64("account_id"));
        if (it == balances.end()) {
          out.ok = false;
          out.first_bad_tx = p.i64("tx_id");
          out.reason = "posting to an unknown account";
          return;
        }
        postings[p.i64("tx_id")].push_back({p.i64("account_id"), it->second.kind,
                                            it->second.owner, p.i64("amount"),
                                            p.i64("balance_after")});
        ++out.postings;
      }
      for (const auto& t : txs) {
        std::int64_t id = t.i64("id");
        const auto& rows = postings[id];
        if (t.str("prev_hash") != prev) return fail(id, "prev_hash does not follow the chain");
        std::string hash = sha256_hex(canonical(prev, t.str("idem_key"), t.str("kind"),
                                                t.str("memo"), t.opt_i64("reverses_id"),
                                                t.opt_i64("created_by"), t.i64("created_at"), rows));
        if (hash != t.str("hash")) return fail(id, "hash does not match the transaction");
        std::int64_t sum = 0;
        for (const auto& r : rows) {
          sum += r.amount;
          auto& acc = balances[r.account_id];
          acc.balance += r.amount;
          if (acc.balance != r.balance_after) return fail(id, "running balance does not match");
          if (is_owned(acc.kind) && acc.balance < 0) return fail(id, "balance below zero");
        }
        if (rows.size() < 2 || sum != 0) return fail(id, "postings do not balance");
        if (const auto& kind = t.str("kind"); kind == "award" || kind == "reversal")
          for (const auto& r : rows)
            if (r.account_kind == "resident")
              earned[{r.account_id, beijing_month(t.i64("created_at"))}] += r.amount;
        prev = hash;
        ++out.transactions;
      }
      after = last;
    }
    if (!out.ok) return;
    auto head = tx.query_one("SELECT tx_id, hash FROM point_chain_head WHERE id = 1");
    if (head->str("hash") != prev || head->i64("tx_id") != after) {
      out.ok = false;
      out.reason = "the chain head does not match the last transaction";
      return;
    }
    for (const auto& r : tx.query("SELECT id, balance FROM point_accounts ORDER BY id")) {
      ++out.accounts;
      if (balances[r.i64("id")].balance != r.i64("balance")) {
        out.ok = false;
        out.reason =
            "balance of account " + std::to_string(r.i64("id")) + " does not match its postings";
        return;
      }
    }
    // The monthly totals: every stored one equals its postings, and every
    // month with postings has one (a month that nets to zero may lack it).
    for (const auto& r :
         tx.query("SELECT account_id, month, points FROM point_earned_monthly")) {
      std::pair<std::int64_t, int> at{r.i64("account_id"), static_cast<int>(r.i64("month"))};
      auto it = earned.find(at);
      std::int64_t expected = it == earned.end() ? 0 : it->second;
      if (r.i64("points") != expected) {
        out.ok = false;
        out.reason = "earned total of account " + std::to_string(at.first) + " in " +
                     std::to_string(at.second) + " is " + std::to_string(r.i64("points")) +
                     ", its postings say " + std::to_string(expected);
        return;
      }
      if (it != earned.end()) earned.erase(it);
    }
    for (const auto& [at, points] : earned)
      if (points != 0) {
        out.ok = false;
        out.reason = "no earned total of account " + std::to_string(at.first) + " in " +
                     std::to_string(at.second) + ", its postings say " + std::to_string(points);
        return;
      }
    // The lots: none holds more than it was given, and a resident's unspent
    // lots add up to the balance.
    if (auto bad = tx.query_one("SELECT id FROM point_lots WHERE remaining > amount OR remaining "
                                "< 0 ORDER BY id LIMIT 1")) {
      out.ok = false;
      out.reason = "lot " + std::to_string(bad->i64("id")) + " holds more than it was given";
      return;
    }
    std::unordered_map<std::int64_t, std::int64_t> in_lots;
    for (const auto& r : tx.query("SELECT account_id, SUM(remaining) AS remaining FROM point_lots "
                                  "GROUP BY account_id"))
      in_lots[r.i64("account_id")] = r.i64("remaining");
    for (const auto& [id, acc] : balances) {
      if (acc.kind != "resident") continue;
      std::int64_t lots = in_lots.count(id) ? in_lots[id] : 0;
      if (lots != acc.balance) {
        out.ok = false;
        out.reason = "the lots of account " + std::to_string(id) + " hold " + std::to_string(lots) +
                     ", its balance is " + std::to_string(acc.balance);
        return;
      }
    }
  });
  return out;
}

namespace {
std::string digest_message(const Digest& d) {
  return "xinghuo-ledger-head\n" + std::to_string(d.tx_id) + "\n" + d.hash + "\n" +
         std::to_string(d.at);
}
}  // namespace

Digest sign_head(storage::Database& db, const std::string& key_file) {
  auto key = SigningKey::from_key_file(key_file);
  Digest d = db.read_once([](Tx& tx) {
    auto head = tx.query_one("SELECT tx_id, hash FROM point_chain_head WHERE id = 1");
    return Digest{head->i64("tx_id"), head->str("hash"), now_ms(), "", ""};
  });
  d.public_key = key.public_key_hex();
  d.signature = key.sign_hex(digest_message(d));
  return d;
}

bool check_digest(storage::Database& db, const Digest& d, const std::string& key_file,
                  std::string* reason) {
  if (d.public_key != SigningKey::from_key_file(key_file).public_key_hex()) {
    if (reason) *reason = "the digest was not signed with this ledger's key";
    return false;
  }
  if (!SigningKey::verify_hex(d.public_key, digest_message(d), d.signature)) {
    if (reason) *reason = "the signature does not match";
    return false;
  }
  if (d.tx_id == 0) return true;
  auto hash = db.read_once([&](Tx& tx) {
    return tx.query_one("SELECT hash FROM point_transactions WHERE id = $1", d.tx_id);
  });
  if (!hash || hash->str("hash") != d.hash) {
    if (reason) *reason = "the ledger no longer holds that head: history was rewritten";
    return false;
  }
  return true;
}

}  // namespace xh::points
