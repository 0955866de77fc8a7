// The points of the benchmark data (`xinghuo gen`). With the first generated
// street: an earning rule and an offer in its first community, and plenty of
// points for the benchmark resident bench_resident. With
// `--ledger-transactions N`: N awards (two postings each) appended to the
// ledger of that community, with a valid hash chain and balances, for
// measuring `xinghuo ledger verify`.
#include <algorithm>
#include <map>
#include <stdexcept>
#include <tuple>

#include "api/list.h"
#include "api/module.h"
#include "points/ledger.h"
#include "storage/bulk.h"

namespace xh::points {

api::GenCounts gen_street(storage::Tx& tx, api::Context&, api::GenStreet& street) {
  if (street.number != 1) return {};
  Millis now = now_ms();
  auto community = tx.query_one(
      "SELECT id, path FROM places WHERE parent_id = $1 AND kind = 'community' ORDER BY id LIMIT 1",
      street.id);
  std::int64_t community_id = community->i64("id");
  const std::string& path = community->str("path");
  tx.exec("INSERT INTO point_rules (community_id, path, event_kind, points, notice_days, "
          "updated_at) VALUES ($1, $2, 'manual', 100, 0, $3)",
          community_id, path, now);
  auto org = tx.query_one("SELECT id FROM orgs WHERE path = $1 ORDER BY id LIMIT 1", path);
  tx.exec("INSERT INTO point_items (org_id, community_id, path, title, kind, price, stock, "
          "created_at, updated_at) VALUES ($1, $2, $3, '压测兑换项目', 'goods', 1, 100000000, "
          "$4, $4)",
          org->i64("id"), community_id, path, now);
  auto resident = tx.query_one(
      "SELECT r.id FROM residents r JOIN users u ON u.id = r.user_id WHERE u.username = "
      "'bench_resident'");
  std::int64_t account = resident_account(tx, resident->i64("id"));
  auto posted = post(tx, {"gen:bench-resident", "award", "压测初始积分",
                          {{community_account(tx, "issuing", community_id), -100000000},
                           {account, 100000000}},
                          std::nullopt, std::nullopt});
  // What the ledger's derived totals hold for an award (see ledger verify).
  tx.exec("INSERT INTO point_lots (account_id, tx_id, amount, remaining, earned_at) VALUES ($1, "
          "$2, $3, $3, $4)",
          account, posted.tx_id, std::int64_t{100000000}, posted.created_at);
  tx.exec("INSERT INTO point_earned_monthly (account_id, community_id, month, points) VALUES ($1, "
          "$2, $3, $4)",
          account, community_id, std::int64_t{beijing_month(posted.created_at)},
          std::int64_t{100000000});
  return {};
}

void gen_ledger(api::Context& ctx, std::int64_t transactions,
                const std::function<void(const std::string&)>& say) {
  using storage::Tx;
  // The accounts: the first generated community's issuing account and up to
  // 20,000 of its residents.
  auto [issuing, issuing_owner, residents] = ctx.db.write([](Tx& tx) {
    auto community = tx.query_one("SELECT id, path FROM places WHERE code = 'GEN-S001-C01'");
    if (!community) throw std::runtime_error("generate streets first (xinghuo gen --scale street)");
    auto issuing = community_account(tx, "issuing", community->i64("id"));
    std::vector<std::pair<std::int64_t, std::int64_t>> accounts;  // (account, resident)
    const std::string& path = community->str("path");
    for (const auto& r : tx.query("SELECT DISTINCT resident_id FROM household_members WHERE path "
                                  ">= $1 AND path < $2 ORDER BY resident_id LIMIT 20000",
                                  path, api::subtree_end(path)))
      accounts.emplace_back(resident_account(tx, r.i64("resident_id")), r.i64("resident_id"));
    auto owner =
        tx.query_one("SELECT owner_id FROM point_accounts WHERE id = $1", issuing)->i64("owner_id");
    return std::make_tuple(issuing, owner, accounts);
  });
  SplitMix64 rng(7);
  std::int64_t written = 0;
  constexpr std::int64_t kChunk = 50000;
  while (written < transactions) {
    ctx.db.write([&](Tx& tx) {
      auto head = tx.query_one(
          "UPDATE point_chain_head SET tx_id = tx_id WHERE id = 1 RETURNING tx_id, hash");
      std::int64_t id = head->i64("tx_id"), posting = storage::next_id(tx, "point_postings");
      std::string prev = head->str("hash");
      std::map<std::int64_t, std::int64_t> balances;
      auto balance = [&](std::int64_t account) -> std::int64_t& {
        auto it = balances.find(account);
        if (it == balances.end())
          it = balances
                   .emplace(account, tx.query_one("SELECT balance FROM point_accounts WHERE id = $1",
                                                  account)
                                         ->i64("balance"))
                   .first;
        return it->second;
      };
      storage::BulkInsert txs(tx, "point_transactions",
                              {"id", "idem_key", "kind", "memo", "created_at", "prev_hash", "hash"});
      storage::BulkInsert postings(tx, "point_postings",
                                   {"id", "tx_id", "account_id", "amount", "balance_after"});
      postings.depends_on(txs);
      // Each award is a lot of its resident's, and counts in the month's total.
      storage::BulkInsert lots(tx, "point_lots",
                               {"account_id", "tx_id", "amount", "remaining", "earned_at"});
      lots.depends_on(txs);
      std::map<std::int64_t, std::int64_t> earned;  // account → points this chunk
      Millis at = now_ms();
      std::int64_t n = std::min(kChunk, transactions - written);
      for (std::int64_t i = 0; i < n; ++i) {
        ++id;
        std::int64_t amount = 1 + rng.below(20);
        auto [to, owner] = residents[rng.below(static_cast<int>(residents.size()))];
        std::vector<PostingRow> rows = {
            {issuing, "issuing", issuing_owner, -amount, balance(issuing) -= amount},
            {to, "resident", owner, amount, balance(to) += amount}};
        std::string key = "gen:ledger:" + std::to_string(id);
        std::string hash = transaction_hash(prev, key, "award", "压测奖励", std::nullopt,
                                            std::nullopt, at, rows);
        txs.add(id, key, "award", "压测奖励", at, prev, hash);
        for (const auto& r : rows) postings.add(posting++, id, r.account_id, r.amount, r.balance_after);
        lots.add(to, id, amount, amount, at);
        earned[to] += amount;
        prev = hash;
      }
      txs.flush();
      postings.flush();
      lots.flush();
      for (const auto& [account, points] : earned)
        tx.exec("INSERT INTO point_earned_monthly (account_id, community_id, month, points) "
                "SELECT id, community_id, $2, $3 FROM point_accounts WHERE id = $1 ON CONFLICT "
                "(account_id, month) DO UPDATE SET points = point_earned_monthly.points + "
                "excluded.points",
                account, std::int64_t{beijing_month(at)}, points);
      for (const auto& [account, b] : balances)
        tx.exec("UPDATE point_accounts SET balance = $2 WHERE id = $1", account, b);
      tx.exec("UPDATE point_chain_head SET tx_id = $1, hash = $2 WHERE id = 1", id, prev);
      storage::advance_id_sequence(tx, "point_transactions");
      storage::advance_id_sequence(tx, "point_postings");
      written += n;
    });
    if (written % 1000000 == 0 || written == transactions)
      say("积分流水 / ledger transactions " + std::to_string(written));
  }
  say("积分分录 / postings written: " + std::to_string(written * 2));
}

}  // namespace xh::points
