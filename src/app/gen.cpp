#include "app/gen.h"

#include <array>
#include <map>
#include <tuple>

#include <stdexcept>

#include "audit/audit.h"
#include "auth/accounts.h"
#include "points/ledger.h"
#include "core/random.h"
#include "people/identity.h"
#include "core/time.h"
#include "storage/bulk.h"

namespace xh::app {

using storage::BulkInsert;
using storage::Param;
using storage::Tx;

int streets_for_scale(const std::string& scale) {
  if (scale == "none") return 0;
  if (scale == "street") return 1;
  if (scale == "district") return 10;
  if (scale == "city") return 40;
  throw std::invalid_argument("scale must be street, district or city");
}

namespace {

using Rng = SplitMix64;

const char* kSurnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙",
                           "胡", "朱", "高", "林", "何", "郭", "马", "罗", "梁", "宋", "郑", "谢"};
const char* kGiven[] = {"桂兰", "秀英", "建国", "淑珍", "志强", "海燕", "玉梅", "明", "伟", "静",
                        "磊", "洋", "婷", "丽", "强", "军", "敏", "杰", "红", "霞", "子涵", "浩然"};

// 35 work orders a building: a million at city scale (40 streets).
constexpr int kOrdersPerBuilding = 35;
const char* kCategories[] = {"tangled_cables", "clutter", "dirty_hallway", "small_ads",
                             "broken_structure", "blocked_drain", "lighting", "greenery",
                             "parking", "noise", "water_leak", "lift"};
const char* kStatuses[] = {"closed", "closed", "closed", "closed", "closed", "verified",
                           "resolved", "in_progress", "dispatched", "accepted", "submitted",
                           "rejected"};

constexpr int kCommunities = 8, kGridsPerCommunity = 4, kCompoundsPerCommunity = 9,
              kBuildingsPerCompound = 10, kUnitsPerBuilding = 3, kHomesPerUnit = 12;

std::string id_number(std::int64_t serial, int year) {
  // Unique by construction: the serial fills the order code and the region.
  char buf[32];
  std::snprintf(buf, sizeof buf, "37%04d%04d%02d%02d%03d", static_cast<int>(serial / 1000 % 10000),
                year, 1 + static_cast<int>(serial % 12), 1 + static_cast<int>(serial / 12 % 28),
                static_cast<int>(serial % 1000));
  return std::string(buf) + people::national_id_check(buf);
}

std::int64_t next_id(Tx& tx, const char* table) {
  return tx.query_one(std::string("SELECT COALESCE(MAX(id), 0) + 1 FROM ") + table)->i64(0);
}

struct Ids {
  std::int64_t place, resident, member, org, order, event;
};

void generate_street(Tx& tx, const FieldCipher& cipher, int number, Rng& rng, Ids& ids,
                     GenCounts& counts, std::int64_t& serial) {
  Millis now = now_ms();
  BulkInsert places(tx, "places",
                    {"id", "parent_id", "kind", "name", "code", "path", "area_centi_m2", "grid_id",
                     "grid_path", "created_at", "updated_at"});
  BulkInsert residents(tx, "residents",
                       {"id", "name", "gender", "birth_date", "id_number_enc", "id_number_index",
                        "phone_enc", "created_at", "updated_at"});
  BulkInsert members(tx, "household_members",
                     {"id", "household_id", "resident_id", "relation", "path", "grid_path", "created_at"});
  BulkInsert orgs(tx, "orgs", {"id", "name", "kind", "place_id", "path", "created_at", "updated_at"});
  BulkInsert orders(tx, "work_orders",
                    {"id", "category", "place_id", "path", "grid_path", "compound_id", "text",
                     "status", "urgent", "body", "deadline_hours", "deadline_at", "channel",
                     "accepted_at", "resolved_at", "closed_at", "rating", "created_at",
                     "updated_at"});
  BulkInsert events(tx, "wo_events", {"id", "order_id", "at", "actor_name", "action", "to_status"});
  orders.depends_on(places);
  events.depends_on(orders);
  members.depends_on(places);
  members.depends_on(residents);
  orgs.depends_on(places);
  char code[64];
  auto add_place = [&](std::optional<std::int64_t> parent, const std::string& parent_path,
                       const char* kind, const std::string& name, std::optional<std::string> c,
                       std::optional<std::int64_t> area = std::nullopt,
                       std::optional<std::int64_t> grid = std::nullopt,
                       std::optional<std::string> grid_path = std::nullopt) {
    std::int64_t id = ids.place;
    std::string path = parent_path + std::to_string(id) + "/";
    ++ids.place;
    places.add({id, parent ? Param(*parent) : Param(nullptr), kind, name,
                c ? Param(*c) : Param(nullptr), path, area ? Param(*area) : Param(nullptr),
                grid ? Param(*grid) : Param(nullptr), grid_path ? Param(*grid_path) : Param(nullptr),
                now, now});
    ++counts.places;
    return std::make_pair(id, path);
  };

  std::snprintf(code, sizeof code, "GEN-S%03d", number);
  std::string street_code = code;
  auto [street, street_path] =
      add_place(std::nullopt, "/", "street", "生成街道" + std::to_string(number), street_code);
  for (int c = 1; c <= kCommunities; ++c) {
    std::snprintf(code, sizeof code, "%s-C%02d", street_code.c_str(), c);
    std::string community_code = code;
    auto [community, community_path] = add_place(
        street, street_path, "community", "生成街道" + std::to_string(number) + "第" + std::to_string(c) + "社区",
        community_code);
    std::vector<std::pair<std::int64_t, std::string>> grids;
    for (int g = 1; g <= kGridsPerCommunity; ++g) {
      std::snprintf(code, sizeof code, "%s-G%d", community_code.c_str(), g);
      grids.push_back(add_place(community, community_path, "grid", "第" + std::to_string(g) + "网格", std::string(code)));
    }
    for (int k = 1; k <= kCompoundsPerCommunity; ++k) {
      std::snprintf(code, sizeof code, "%s-K%02d", community_code.c_str(), k);
      std::string compound_name = std::string(kSurnames[rng.below(24)]) + "家" + std::to_string(k) + "号院";
      auto [compound, compound_path] = add_place(community, community_path, "compound", compound_name, std::string(code));
      for (int b = 1; b <= kBuildingsPerCompound; ++b) {
        const auto& grid = grids[static_cast<std::size_t>((b - 1) % kGridsPerCommunity)];
        auto [building, building_path] = add_place(compound, compound_path, "building",
                                                   std::to_string(b) + "号楼", std::nullopt,
                                                   std::nullopt, grid.first, grid.second);
        // A year of reports, at every stage of the closed loop.
        for (int w = 0; w < kOrdersPerBuilding; ++w) {
          constexpr Millis kHourMs = 3600LL * 1000;
          std::string category = kCategories[rng.below(12)];
          std::string status = kStatuses[rng.below(12)];
          Millis created = now - static_cast<Millis>(rng.below(365 * 24)) * kHourMs -
                           static_cast<Millis>(rng.below(3600)) * 1000;
          int hours = 24 + 24 * rng.below(3);
          bool accepted = status != "submitted";
          bool resolved = status == "resolved" || status == "verified" || status == "closed";
          Millis accepted_at = created + (1 + rng.below(8)) * kHourMs;
          Millis resolved_at = accepted_at + (1 + rng.below(hours + 24)) * kHourMs;
          Millis closed_at = resolved_at + (1 + rng.below(48)) * kHourMs;
          auto opt_ms = [](bool on, Millis v) { return on ? Param(v) : Param(nullptr); };
          std::int64_t oid = ids.order++;
          orders.add({oid, category, building, building_path, grid.second, compound,
                      std::string(kSurnames[rng.below(24)]) + "女士反映：" + std::to_string(b) +
                          "号楼" + (w % 2 ? "楼道" : "门前") + "问题，请尽快处理",
                      status, std::int64_t{rng.below(10) == 0}, "community", std::int64_t{hours},
                      created + hours * kHourMs, "console", opt_ms(accepted, accepted_at),
                      opt_ms(resolved, resolved_at), opt_ms(status == "closed", closed_at),
                      status == "closed" && rng.below(2) ? Param(std::int64_t{3 + rng.below(3)})
                                                         : Param(nullptr),
                      created, resolved ? closed_at : created});
          events.add({ids.event++, oid, created, "gen", "file", "submitted"});
          ++counts.work_orders;
        }
        for (int u = 1; u <= kUnitsPerBuilding; ++u) {
          auto [unit, unit_path] = add_place(building, building_path, "unit", std::to_string(u) + "单元",
                                             std::nullopt, std::nullopt, std::nullopt, grid.second);
          for (int h = 0; h < kHomesPerUnit; ++h) {
            int room = (h / 2 + 1) * 100 + h % 2 + 1;
            auto [home, home_path] = add_place(unit, unit_path, "household", std::to_string(room) + "室",
                                               std::nullopt, 4500 + rng.below(9500), std::nullopt,
                                               grid.second);
            ++counts.households;
            int people = 1 + rng.below(4);  // 2.5 on average
            for (int i = 0; i < people; ++i) {
              int year = 1940 + rng.below(80);
              std::string id_no = id_number(serial++, year);
              std::string name = std::string(kSurnames[rng.below(24)]) + kGiven[rng.below(22)];
              std::int64_t rid = ids.resident++;
              char phone[16];
              std::snprintf(phone, sizeof phone, "13%d%08d", 5 + rng.below(5), rng.below(100000000));
              residents.add({rid, name, (id_no[16] - '0') % 2 ? "male" : "female",
                             id_no.substr(6, 4) + "-" + id_no.substr(10, 2) + "-" + id_no.substr(12, 2),
                             cipher.encrypt(id_no), cipher.blind_index("national-id", id_no),
                             cipher.encrypt(phone), now, now});
              members.add({ids.member++, home, rid, i == 0 ? "owner" : "family", home_path, grid.second, now});
              ++counts.residents;
            }
          }
        }
      }
    }
    for (int o = 1; o <= 4; ++o) {
      orgs.add({ids.org++, "生成街道" + std::to_string(number) + "社区" + std::to_string(c) + "合伙单位" + std::to_string(o),
                o == 1 ? "company" : o == 2 ? "school" : o == 3 ? "social_org" : "volunteer_team", community,
                community_path, now, now});
      ++counts.partners;
    }
  }
  ++counts.streets;
}

}  // namespace

GenCounts generate(storage::Database& db, const FieldCipher& cipher, int streets, std::uint64_t seed,
                   const std::function<void(int, int)>& progress) {
  GenCounts counts;
  Rng rng(seed);
  int first = db.read([](Tx& tx) {
    return static_cast<int>(
        tx.query_one("SELECT COUNT(*) FROM places WHERE kind = 'street' AND code LIKE 'GEN-S%'")->i64(0));
  });
  std::int64_t serial = static_cast<std::int64_t>(first) * 100000;
  for (int s = 0; s < streets; ++s) {
    db.write([&](Tx& tx) {
      Ids ids{next_id(tx, "places"), next_id(tx, "residents"), next_id(tx, "household_members"),
              next_id(tx, "orgs"), next_id(tx, "work_orders"), next_id(tx, "wo_events")};
      generate_street(tx, cipher, first + s + 1, rng, ids, counts, serial);
      if (tx.dialect() == storage::Dialect::postgres)
        for (const char* t : {"places", "residents", "household_members", "orgs", "work_orders",
                              "wo_events"})
          tx.query(std::string("SELECT setval(pg_get_serial_sequence('") + t + "', 'id'), (SELECT MAX(id) FROM " + t + "))");
    });
    if (progress) progress(s + 1, streets);
  }
  db.write([&](Tx& tx) {
    api::Actor system{std::nullopt, "gen", "local"};
    if (!tx.query_one("SELECT 1 FROM users WHERE username = 'bench_street'")) {
      auto street = tx.query_one("SELECT id FROM places WHERE code = 'GEN-S001'")->i64(0);
      auto community = tx.query_one("SELECT id FROM places WHERE code = 'GEN-S001-C01'")->i64(0);
      auto a = auth::create_user_unchecked(tx, system, {"bench_street", "压测街道管理员", kBenchPassword});
      auth::assign_role_unchecked(tx, system, a, "street_admin", street);
      auto b = auth::create_user_unchecked(tx, system, {"bench_community", "压测社区管理员", kBenchPassword});
      auth::assign_role_unchecked(tx, system, b, "community_admin", community);
      // A resident with a login and plenty of points, an earning rule and an
      // offer in the community, for the points scenarios.
      auto c = auth::create_user_unchecked(tx, system, {"bench_resident", "压测居民", kBenchPassword});
      auto member = tx.query_one(
          "SELECT m.resident_id, m.household_id FROM household_members m WHERE m.path >= $1 AND "
          "m.path < $2 ORDER BY m.id LIMIT 1",
          "/" + std::to_string(street) + "/" + std::to_string(community) + "/",
          "/" + std::to_string(street) + "/" + std::to_string(community) + "0");
      auth::assign_role_unchecked(tx, system, c, "resident", member->i64(1));
      tx.exec("UPDATE residents SET user_id = $1 WHERE id = $2", c, member->i64(0));
      auto path = tx.query_one("SELECT path FROM places WHERE id = $1", community)->str(0);
      tx.exec("INSERT INTO point_rules (community_id, path, event_kind, points, notice_days, "
              "updated_at) VALUES ($1, $2, 'manual', 100, 0, $3)",
              community, path, now_ms());
      auto org = tx.query_one("SELECT id FROM orgs WHERE path = $1 ORDER BY id LIMIT 1", path)->i64(0);
      tx.exec("INSERT INTO point_items (org_id, community_id, path, title, kind, price, stock, "
              "created_at, updated_at) VALUES ($1, $2, $3, '压测兑换项目', 'goods', 1, 100000000, "
              "$4, $4)",
              org, community, path, now_ms());
      auto account = points::resident_account(tx, member->i64(0));
      points::post(tx, {"gen:bench-resident", "award", "压测初始积分",
                        {{points::community_account(tx, "issuing", community), -100000000},
                         {account, 100000000}},
                        std::nullopt, std::nullopt});
    }
    audit::append(tx, system, {"gen", "database", "-", std::nullopt,
                               "{\"streets\":" + std::to_string(counts.streets) +
                                   ",\"residents\":" + std::to_string(counts.residents) +
                                   ",\"work_orders\":" + std::to_string(counts.work_orders) + "}"});
  });
  // Fresh statistics, so the planners pick the selective indexes.
  storage::refresh_statistics(db);
  return counts;
}

std::int64_t generate_ledger(storage::Database& db, std::int64_t transactions,
                             const std::function<void(std::int64_t done)>& progress) {
  // The accounts: the first generated community's issuing account and up to
  // 20,000 of its residents.
  auto [issuing, issuing_owner, residents] = db.write([](Tx& tx) {
    auto community = tx.query_one("SELECT id, path FROM places WHERE code = 'GEN-S001-C01'");
    if (!community) throw std::runtime_error("generate streets first (xinghuo gen --scale street)");
    auto issuing = points::community_account(tx, "issuing", community->i64(0));
    std::vector<std::pair<std::int64_t, std::int64_t>> accounts;  // (account, resident)
    std::string path = community->str(1), upper = path;
    upper.back() = '0';
    for (const auto& r : tx.query("SELECT DISTINCT resident_id FROM household_members WHERE path "
                                  ">= $1 AND path < $2 ORDER BY resident_id LIMIT 20000",
                                  path, upper))
      accounts.emplace_back(points::resident_account(tx, r.i64(0)), r.i64(0));
    auto owner = tx.query_one("SELECT owner_id FROM point_accounts WHERE id = $1", issuing)->i64(0);
    return std::make_tuple(issuing, owner, accounts);
  });
  Rng rng(7);
  std::int64_t written = 0;
  constexpr std::int64_t kChunk = 50000;
  while (written < transactions) {
    db.write([&](Tx& tx) {
      auto head = tx.query_one("UPDATE point_chain_head SET tx_id = tx_id WHERE id = 1 RETURNING tx_id, hash");
      std::int64_t id = head->i64(0), posting = next_id(tx, "point_postings");
      std::string prev = head->str(1);
      std::map<std::int64_t, std::int64_t> balances;
      auto balance = [&](std::int64_t account) -> std::int64_t& {
        auto it = balances.find(account);
        if (it == balances.end())
          it = balances.emplace(account, tx.query_one("SELECT balance FROM point_accounts WHERE id = $1",
                                                      account)->i64(0)).first;
        return it->second;
      };
      BulkInsert txs(tx, "point_transactions",
                     {"id", "idem_key", "kind", "memo", "created_at", "prev_hash", "hash"});
      BulkInsert postings(tx, "point_postings", {"id", "tx_id", "account_id", "amount", "balance_after"});
      postings.depends_on(txs);
      Millis at = now_ms();
      std::int64_t n = std::min(kChunk, transactions - written);
      for (std::int64_t i = 0; i < n; ++i) {
        ++id;
        std::int64_t amount = 1 + rng.below(20);
        auto [to, owner] = residents[rng.below(static_cast<int>(residents.size()))];
        std::vector<points::PostingRow> rows = {
            {issuing, "issuing", issuing_owner, -amount, balance(issuing) -= amount},
            {to, "resident", owner, amount, balance(to) += amount}};
        std::string key = "gen:ledger:" + std::to_string(id);
        std::string hash = points::transaction_hash(prev, key, "award", "压测奖励", std::nullopt,
                                                    std::nullopt, at, rows);
        txs.add({id, key, "award", "压测奖励", at, prev, hash});
        for (const auto& r : rows) postings.add({posting++, id, r.account_id, r.amount, r.balance_after});
        prev = hash;
      }
      txs.flush();
      postings.flush();
      for (const auto& [account, b] : balances)
        tx.exec("UPDATE point_accounts SET balance = $2 WHERE id = $1", account, b);
      tx.exec("UPDATE point_chain_head SET tx_id = $1, hash = $2 WHERE id = 1", id, prev);
      if (tx.dialect() == storage::Dialect::postgres)
        for (const char* t : {"point_transactions", "point_postings"})
          tx.query(std::string("SELECT setval(pg_get_serial_sequence('") + t +
                   "', 'id'), (SELECT MAX(id) FROM " + t + "))");
      written += n;
    });
    if (progress) progress(written);
  }
  return written * 2;
}

}  // namespace xh::app
