// Contribution points (PTS-1 … PTS-4) over real HTTP on both engines: the
// ledger never oversells stock nor lets a balance go negative under
// concurrent redemptions, a retried key pays once, reversals, caps at their
// edges, public notice and objection, oldest-first expiry as scheduled work,
// provider-only fulfilment, and tamper detection by `xinghuo ledger verify`.
#include <atomic>
#include <chrono>
#include <fstream>
#include <thread>

#include "api_test.h"
#include "core/time.h"

namespace xh::test {

namespace {

HttpResponse put(HttpClient& c, const std::string& target, const std::string& body) {
  return c.request("PUT", target, body, {{"Content-Type", "application/json"}, {"X-CSRF-Token", c.csrf}});
}

std::int64_t num(const json::value& v, const char* key) { return v.at(key).as_int64(); }

}  // namespace

class Points : public ApiTest {
 protected:
  static void SetUpTestSuite() {
    server_ = std::make_unique<TestServer>(std::vector<std::string>{"--scheduler-interval-ms", "200"});
  }

  static std::int64_t qx() { return place_id("NC-QX"); }

  static std::int64_t balance(HttpClient& c) {
    auto r = c.get("/api/points/me");
    EXPECT_EQ(r.status, 200) << r.body;
    return num(r.json(), "balance");
  }

  // A second resident of 泉星花园 with a login of their own (household `code`).
  static HttpClient resident_of(const std::string& code, const std::string& username) {
    auto admin = as("sys_admin"), security = as("security_admin");
    auto u = admin.post("/api/users", R"({"username":")" + username +
                                          R"(","display_name":"居民","password":"Resi@2026x"})");
    EXPECT_EQ(u.status, 201) << u.body;
    auto uid = num(u.json(), "id");
    EXPECT_EQ(security.post("/api/users/" + std::to_string(uid) + "/roles",
                            R"({"role":"resident","place_id":)" + std::to_string(place_id(code)) + "}")
                  .status,
              201);
    auto db = server_->open_db();
    db->write([&](storage::Tx& tx) {
      tx.exec("UPDATE residents SET user_id = $1 WHERE id = (SELECT m.resident_id FROM "
              "household_members m JOIN places p ON p.id = m.household_id WHERE p.code = $2 "
              "ORDER BY m.id LIMIT 1)",
              uid, code);
    });
    HttpClient c = anonymous();
    EXPECT_EQ(c.login(username, "Resi@2026x").status, 200);
    return c;
  }

  static std::int64_t resident_id_of(HttpClient& c) {
    auto me = c.get("/api/points/me").json();
    auto db = server_->open_db();
    return db->read([&](storage::Tx& tx) {
      return tx.query_one("SELECT owner_id FROM point_accounts WHERE id = $1", num(me, "account_id"))
          ->i64(0);
    });
  }

  static void rule(const std::string& kind, std::int64_t points, const std::string& extra = "") {
    auto c = as("community_admin");
    auto r = put(c, "/api/points/rules", R"({"community_id":)" + std::to_string(qx()) +
                                             R"(,"event_kind":")" + kind + R"(","points":)" +
                                             std::to_string(points) + extra + "}");
    ASSERT_EQ(r.status, 200) << r.body;
  }

  static HttpResponse award(std::int64_t resident, std::int64_t points, const std::string& key) {
    auto c = as("community_admin");
    return c.post("/api/points/awards", R"({"resident_id":)" + std::to_string(resident) +
                                            R"(,"points":)" + std::to_string(points) +
                                            R"(,"reason":"测试奖励","idempotency_key":")" + key + "\"}");
  }

  static std::int64_t item(const std::string& title, std::int64_t price, std::int64_t stock,
                           const std::string& extra = "") {
    auto c = as("community_admin");
    auto ruixing = [&] {
      auto db = server_->open_db();
      return db->read([](storage::Tx& tx) {
        return tx.query_one("SELECT id FROM orgs WHERE name = '睿星教育'")->i64(0);
      });
    }();
    auto r = c.post("/api/points/items", R"({"org_id":)" + std::to_string(ruixing) +
                                             R"(,"community_id":)" + std::to_string(qx()) +
                                             R"(,"title":")" + title + R"(","kind":"service","price":)" +
                                             std::to_string(price) + R"(,"stock":)" +
                                             std::to_string(stock) + extra + "}");
    EXPECT_EQ(r.status, 201) << r.body;
    return num(r.json(), "id");
  }

  static HttpResponse redeem(HttpClient& c, std::int64_t item_id, const std::string& key) {
    return c.post("/api/points/items/" + std::to_string(item_id) + "/redeem",
                  R"({"idempotency_key":")" + key + "\"}");
  }
};

TEST_F(Points, AVerifiedReportPaysItsReporterOnceAndCapsHoldAtTheirEdges) {
  auto resident = as("resident"), community = as("community_admin"), grid = as("grid_worker");
  auto before = balance(resident);  // the demo: 60 for the river clean-up, 5 for a verified report
  EXPECT_EQ(before, 65);
  auto verify_new_order = [&](const std::string& text) {
    auto r = resident.post("/api/work-orders", R"({"category":"clutter","place_id":)" +
                                                   std::to_string(place_id("NC-QX-C1-B1")) +
                                                   R"(,"text":")" + text + "\"}");
    auto id = std::to_string(num(r.json(), "id"));
    for (auto* s : {"accept", "dispatch", "start", "resolve"})
      community.post("/api/work-orders/" + id + "/actions/" + s, "{}");
    EXPECT_EQ(grid.post("/api/work-orders/" + id + "/actions/verify", "{}").status, 200);
    return id;
  };
  // Daily cap 10: the demo's 5 plus these 5 reach it exactly; the next is capped.
  auto first = verify_new_order("楼道杂物一");
  EXPECT_EQ(balance(resident), before + 5);
  verify_new_order("楼道杂物二");
  EXPECT_EQ(balance(resident), before + 5);
  auto awards = community.get("/api/points/awards?status=capped").json();
  EXPECT_GE(num(awards, "total"), 1);
  // Reopened and verified again: still paid once.
  community.post("/api/work-orders/" + first + "/actions/reopen", "{}");
  for (auto* s : {"dispatch", "start", "resolve"})
    community.post("/api/work-orders/" + first + "/actions/" + s, "{}");
  grid.post("/api/work-orders/" + first + "/actions/verify", "{}");
  EXPECT_EQ(balance(resident), before + 5);
}

TEST_F(Points, ConcurrentRedemptionsNeverOversellTheLastStock) {
  auto a = resident_of("NC-QX-C1-B1-U1-102", "r102"), b = resident_of("NC-QX-C1-B1-U1-201", "r201");
  rule("manual", 100);
  ASSERT_EQ(award(resident_id_of(a), 100, "stock-a").status, 201);
  ASSERT_EQ(award(resident_id_of(b), 100, "stock-b").status, 201);
  auto last = item("最后一份辅导", 10, 1);
  std::atomic<int> ok{0}, sold_out{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&, i] {
      HttpClient c = i % 2 ? a : b;
      auto r = redeem(c, last, "last-stock-" + std::to_string(i));
      if (r.status == 201) ++ok;
      else if (r.error_code() == "points.out_of_stock") ++sold_out;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(sold_out.load(), 7);
  auto items = as("community_admin").get("/api/points/items?limit=500").json();
  for (const auto& it : items.at("items").as_array())
    if (num(it, "id") == last) EXPECT_EQ(num(it, "stock"), 0);
  EXPECT_EQ(balance(a) + balance(b), 190);
}

TEST_F(Points, ConcurrentRedemptionsNeverSpendPointsTwice) {
  auto c = resident_of("NC-QX-C1-B1-U1-202", "r202");
  rule("manual", 100);
  ASSERT_EQ(award(resident_id_of(c), 35, "last-points").status, 201);
  auto plenty = item("辅导（多份）", 10, 100);
  std::atomic<int> ok{0}, short_of{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&, i] {
      HttpClient mine = c;
      auto r = redeem(mine, plenty, "last-points-" + std::to_string(i));
      if (r.status == 201) ++ok;
      else if (r.error_code() == "points.insufficient") ++short_of;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 3);  // 35 points buy three at 10
  EXPECT_EQ(short_of.load(), 5);
  EXPECT_EQ(balance(c), 5);
  EXPECT_EQ(server_->cli({"ledger", "verify"}), 0);
}

TEST_F(Points, ARetriedRequestReturnsTheFirstResultAndPaysOnce) {
  auto c = resident_of("NC-QX-C1-B1-U1-301", "r301");
  rule("manual", 100);
  auto first = award(resident_id_of(c), 40, "retry-award");
  auto again = award(resident_id_of(c), 40, "retry-award");
  ASSERT_EQ(first.status, 201);
  EXPECT_EQ(num(first.json(), "id"), num(again.json(), "id"));
  EXPECT_EQ(balance(c), 40);
  auto it = item("重试辅导", 15, 10);
  std::vector<std::thread> threads;
  std::vector<std::int64_t> vouchers(4);
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&, i] {
      HttpClient mine = c;
      auto r = redeem(mine, it, "same-key");
      if (r.status == 201) vouchers[i] = num(r.json(), "id");
    });
  for (auto& t : threads) t.join();
  for (auto v : vouchers) EXPECT_EQ(v, vouchers[0]);
  EXPECT_GT(vouchers[0], 0);
  EXPECT_EQ(balance(c), 25);
  EXPECT_EQ(redeem(c, it, "").status, 422);
}

TEST_F(Points, AReversalTakesBackAnAwardOnce) {
  auto c = resident_of("NC-QX-C1-B1-U1-302", "r302");
  rule("manual", 100);
  auto a = award(resident_id_of(c), 20, "to-reverse");
  ASSERT_EQ(a.status, 201);
  EXPECT_EQ(balance(c), 20);
  auto community = as("community_admin");
  auto txs = community.get("/api/points/transactions?kind=award&limit=1").json();
  auto tx = std::to_string(num(txs.at("items").at(0), "id"));
  auto rev = community.post("/api/points/transactions/" + tx + "/reverse",
                            R"({"reason":"重复录入","idempotency_key":"rev-1"})");
  ASSERT_EQ(rev.status, 201) << rev.body;
  EXPECT_EQ(balance(c), 0);
  EXPECT_EQ(community.post("/api/points/transactions/" + tx + "/reverse",
                           R"({"reason":"again","idempotency_key":"rev-2"})").error_code(),
            "points.already_reversed");
  auto repeat = community.post("/api/points/transactions/" + tx + "/reverse",
                               R"({"reason":"重复录入","idempotency_key":"rev-1"})");
  EXPECT_TRUE(repeat.json().at("repeated").as_bool());
  auto statement = c.get("/api/points/accounts/" + std::to_string(num(c.get("/api/points/me").json(), "account_id")) + "/statement").json();
  EXPECT_EQ(num(statement.at("items").at(0), "amount"), -20);
  EXPECT_EQ(str(statement.at("items").at(0), "kind"), "reversal");
  EXPECT_EQ(num(statement.at("items").at(0), "balance_after"), 0);
}

TEST_F(Points, NoticeAndObjection) {
  auto c = resident_of("NC-QX-C1-B1-U1-401", "r401");
  auto neighbour = as("resident"), community = as("community_admin");
  rule("manual", 100, R"(,"notice_days":3)");
  auto held = award(resident_id_of(c), 30, "notice-1");
  ASSERT_EQ(held.status, 201) << held.body;
  EXPECT_EQ(str(held.json(), "status"), "notice");
  EXPECT_EQ(balance(c), 0);
  // Neighbours see it (name masked) and may object, once.
  auto seen = neighbour.get("/api/points/awards").json();
  bool listed = false;
  for (const auto& a : seen.at("items").as_array())
    if (num(a, "id") == num(held.json(), "id")) {
      listed = true;
      EXPECT_NE(str(a, "name").find("**"), std::string::npos);
    }
  EXPECT_TRUE(listed);
  auto award_id = std::to_string(num(held.json(), "id"));
  auto objection = neighbour.post("/api/points/awards/" + award_id + "/objections",
                                  R"({"reason":"当天并未参加"})");
  ASSERT_EQ(objection.status, 201) << objection.body;
  EXPECT_EQ(neighbour.post("/api/points/awards/" + award_id + "/objections", R"({"reason":"x"})").status, 409);
  // The notice ends while the objection is open: nothing is paid.
  auto db = server_->open_db();
  auto end_notice = [&](const std::string& id) {
    db->write([&](storage::Tx& tx) {
      tx.exec("UPDATE point_awards SET notice_until = $1 WHERE id = $2", now_ms() - 1000, static_cast<std::int64_t>(std::stoll(id)));
      tx.exec("UPDATE scheduled_jobs SET due_at = $1 WHERE kind = 'points.notice_end' AND ref_id = $2",
              now_ms() - 1000, static_cast<std::int64_t>(std::stoll(id)));
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(800));
  };
  end_notice(award_id);
  EXPECT_EQ(balance(c), 0);
  // Dismissed: paid at once, the notice being over.
  auto decided = community.post("/api/points/objections/" + std::to_string(num(objection.json(), "id")) +
                                    "/decide", R"({"upheld":false})");
  ASSERT_EQ(decided.status, 200) << decided.body;
  EXPECT_EQ(str(decided.json(), "status"), "paid");
  EXPECT_EQ(balance(c), 30);
  // Another award, an upheld objection: rejected, never paid.
  auto second = award(resident_id_of(c), 20, "notice-2");
  auto second_id = std::to_string(num(second.json(), "id"));
  auto o2 = neighbour.post("/api/points/awards/" + second_id + "/objections", R"({"reason":"不属实"})");
  auto upheld = community.post("/api/points/objections/" + std::to_string(num(o2.json(), "id")) + "/decide",
                               R"({"upheld":true})");
  EXPECT_EQ(str(upheld.json(), "status"), "rejected");
  end_notice(second_id);
  EXPECT_EQ(balance(c), 30);
  // Without objection the notice's end pays.
  auto third = award(resident_id_of(c), 10, "notice-3");
  end_notice(std::to_string(num(third.json(), "id")));
  EXPECT_EQ(balance(c), 40);
  rule("manual", 100, R"(,"notice_days":0)");
}

TEST_F(Points, PointsLapseOldestFirst) {
  auto c = resident_of("NC-QX-C1-B1-U1-402", "r402");
  auto community = as("community_admin");
  rule("manual", 100, R"(,"notice_days":0)");
  ASSERT_EQ(put(community, "/api/points/settings", R"({"community_id":)" + std::to_string(qx()) +
                                                       R"(,"expiry_enabled":true})").status, 200);
  auto rid = resident_id_of(c);
  ASSERT_EQ(award(rid, 20, "lot-old").status, 201);
  ASSERT_EQ(award(rid, 30, "lot-new").status, 201);
  auto me = c.get("/api/points/me").json();
  EXPECT_EQ(me.at("expiring").as_array().size(), 2u);
  // Spending takes from the oldest lot: 10 of the 20.
  ASSERT_EQ(redeem(c, item("过期测试辅导", 10, 5), "spend-oldest").status, 201);
  EXPECT_EQ(balance(c), 40);
  // A year passes for the older lot only: its remaining 10 lapse, the 30 stay.
  auto account = num(me, "account_id");
  auto db = server_->open_db();
  db->write([&](storage::Tx& tx) {
    auto lot = tx.query_one("SELECT id FROM point_lots WHERE account_id = $1 ORDER BY earned_at, id LIMIT 1",
                            account)->i64(0);
    tx.exec("UPDATE point_lots SET expires_at = $1 WHERE id = $2", now_ms() - 1000, lot);
    tx.exec("UPDATE scheduled_jobs SET due_at = $1 WHERE kind = 'points.expire_lot' AND ref_id = $2",
            now_ms() - 1000, lot);
  });
  std::int64_t now_balance = 40;
  for (int i = 0; i < 50 && now_balance == 40; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    now_balance = balance(c);
  }
  EXPECT_EQ(now_balance, 30);
  auto statement = c.get("/api/points/accounts/" + std::to_string(account) + "/statement").json();
  EXPECT_EQ(str(statement.at("items").at(0), "kind"), "expiry");
  EXPECT_EQ(num(statement.at("items").at(0), "amount"), -10);
  put(community, "/api/points/settings", R"({"community_id":)" + std::to_string(qx()) + R"(,"expiry_enabled":false})");
}

TEST_F(Points, OnlyTheProviderFulfilsAVoucherOnceAndCancellingRefunds) {
  auto resident = as("resident"), community = as("community_admin"), provider = as("partner_admin");
  rule("manual", 100, R"(,"notice_days":0)");
  ASSERT_EQ(award(resident_id_of(resident), 100, "provider-topup").status, 201);
  auto start = balance(resident);
  auto items = resident.get("/api/points/items").json();
  std::int64_t tutoring = 0;
  for (const auto& it : items.at("items").as_array())
    if (str(it, "title") == "周六课业辅导（一次）") tutoring = num(it, "id");
  ASSERT_GT(tutoring, 0);
  auto v = redeem(resident, tutoring, "fulfil-1");
  ASSERT_EQ(v.status, 201) << v.body;
  auto code = str(v.json(), "code");
  EXPECT_EQ(balance(resident), start - 50);
  auto qr = resident.get(str(v.json(), "qr_url"));
  EXPECT_EQ(qr.status, 200);
  EXPECT_EQ(qr.header("content-type"), "image/svg+xml");
  EXPECT_EQ(as("building_leader").get(str(v.json(), "qr_url")).status, 403);

  auto not_provider = community.post("/api/points/vouchers/fulfil", R"({"code":")" + code + "\"}");
  EXPECT_EQ(not_provider.status, 403);
  EXPECT_EQ(not_provider.error_code(), "points.not_provider");
  // Typed with a space and in lower case, as people do.
  std::string typed = code.substr(0, 5) + " " + code.substr(5);
  for (auto& ch : typed) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  auto done = provider.post("/api/points/vouchers/fulfil", R"({"code":")" + typed + "\"}");
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(str(done.json(), "status"), "fulfilled");
  auto twice = provider.post("/api/points/vouchers/fulfil", R"({"code":")" + code + "\"}");
  EXPECT_EQ(twice.status, 409);
  EXPECT_EQ(twice.error_code(), "points.voucher_not_issued");
  EXPECT_EQ(resident.post("/api/points/vouchers/" + std::to_string(num(v.json(), "id")) + "/cancel", "{}").status, 409);

  // Cancelling before fulfilment gives points and stock back.
  auto w = redeem(resident, tutoring, "cancel-1");
  ASSERT_EQ(w.status, 201) << w.body;
  auto stock = [&] {
    auto doc = resident.get("/api/points/items").json();
    for (const auto& it : doc.at("items").as_array())
      if (num(it, "id") == tutoring) return num(it, "stock");
    return std::int64_t{-1};
  };
  auto stock_before = stock();
  auto cancelled = resident.post("/api/points/vouchers/" + std::to_string(num(w.json(), "id")) + "/cancel", "{}");
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;
  EXPECT_EQ(str(cancelled.json(), "status"), "cancelled");
  EXPECT_EQ(balance(resident), start - 50);
  EXPECT_EQ(stock(), stock_before + 1);
  EXPECT_EQ(provider.post("/api/points/vouchers/fulfil", R"({"code":")" + str(w.json(), "code") + "\"}").status, 409);
}

TEST_F(Points, BadInputAndScope) {
  auto resident = as("resident"), community = as("community_admin"), other = as("street_admin");
  EXPECT_EQ(redeem(resident, 999999, "x").status, 404);
  EXPECT_EQ(put(community, "/api/points/rules", R"({"community_id":)" + std::to_string(qx()) +
                                                    R"(,"event_kind":"flying","points":5})").status, 422);
  EXPECT_EQ(put(community, "/api/points/rules", R"({"community_id":)" + std::to_string(qx()) +
                                                    R"(,"event_kind":"manual","points":0})").status, 422);
  EXPECT_EQ(put(community, "/api/points/rules", R"({"community_id":)" + std::to_string(place_id("NC-GSH")) +
                                                    R"(,"event_kind":"manual","points":5})").status, 403);
  EXPECT_EQ(award(1, 1000, "too-many").status, 422);  // more than the manual rule's 100
  EXPECT_EQ(resident.get("/api/points/accounts").status, 403);
  auto mine = resident.get("/api/points/me").json();
  // Another resident's statement is out of reach; staff of the community see it.
  auto r2 = resident_of("NC-QX-C1-B1-U1-501", "r501");
  auto theirs = std::to_string(num(r2.get("/api/points/me").json(), "account_id"));
  EXPECT_EQ(resident.get("/api/points/accounts/" + theirs + "/statement").status, 403);
  EXPECT_EQ(community.get("/api/points/accounts/" + theirs + "/statement").status, 200);
  EXPECT_EQ(as("sys_admin").get("/api/points/me").error_code(), "points.no_account");
  (void)mine;
  (void)other;
}

TEST_F(Points, LeaderboardMasksNamesUnlessConsented) {
  auto resident = as("resident");
  auto board = resident.get("/api/points/leaderboard?community_id=" + std::to_string(qx()) + "&period=month");
  ASSERT_EQ(board.status, 200) << board.body;
  auto items = board.json().at("items").as_array();
  ASSERT_FALSE(items.empty());
  for (const auto& row : items) EXPECT_NE(str(row, "name").find("**"), std::string::npos);
  EXPECT_EQ(resident.get("/api/points/leaderboard?community_id=" + std::to_string(place_id("NC-GSH"))).status, 403);
  // Once the resident consents to showing their name, the board shows it.
  auto rid = resident_id_of(resident);
  auto consent = as("community_admin").post("/api/residents/" + std::to_string(rid) + "/consents",
                                            R"({"kind":"public_name","granted":true})");
  ASSERT_LT(consent.status, 300) << consent.body;
  auto named = resident.get("/api/points/leaderboard?community_id=" + std::to_string(qx()) + "&period=year").json();
  auto db = server_->open_db();
  auto name = db->read([&](storage::Tx& tx) {
    return tx.query_one("SELECT name FROM residents WHERE id = $1", rid)->str(0);
  });
  bool shown = false;
  for (const auto& row : named.at("items").as_array()) shown = shown || str(row, "name") == name;
  EXPECT_TRUE(shown) << name;
  EXPECT_EQ(resident.get("/api/points/leaderboard?community_id=" + std::to_string(qx()) + "&period=decade").status, 400);
}

// Tampering: the database refuses edits of postings; with the guard removed
// by someone with direct access, `ledger verify` names the transaction, and
// a digest signed earlier no longer matches a rewritten chain.
TEST(PointsLedger, TamperingIsDetected) {
  TestServer server;
  HttpClient c = server.client();
  ASSERT_EQ(c.login("resident", kDemoPassword).status, 200);
  ASSERT_EQ(c.get("/api/points/me").status, 200);
  std::string out;
  ASSERT_EQ(server.cli({"ledger", "verify"}, &out), 0) << out;
  ASSERT_EQ(server.cli({"ledger", "digest"}, &out), 0) << out;
  auto digest_path = server.data_dir() + "/digest.json";
  {
    std::ofstream f(digest_path);
    f << out;
  }
  auto db = server.open_db();
  bool postgres = db->dialect() == storage::Dialect::postgres;
  EXPECT_ANY_THROW(db->write([](storage::Tx& tx) {
    tx.exec("UPDATE point_postings SET amount = amount + 100 WHERE id = 2");
  }));
  EXPECT_ANY_THROW(db->write([](storage::Tx& tx) { tx.exec("DELETE FROM point_transactions WHERE id = 1"); }));
  db->write([&](storage::Tx& tx) {
    if (postgres)
      tx.exec("ALTER TABLE point_postings DISABLE TRIGGER point_postings_no_change");
    else
      tx.exec("DROP TRIGGER point_postings_no_update");
    tx.exec("UPDATE point_postings SET amount = amount + 100, balance_after = balance_after + 100 "
            "WHERE id = 2");
  });
  EXPECT_EQ(server.cli({"ledger", "verify"}, &out), 1);
  EXPECT_NE(out.find("transaction 1"), std::string::npos) << out;
  EXPECT_EQ(server.cli({"ledger", "verify", "--digest", digest_path}, &out), 1);
}

}  // namespace xh::test
