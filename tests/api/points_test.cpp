// Contribution points (PTS-1 … PTS-4) over real HTTP on both engines: the
// ledger never oversells stock nor lets a balance go negative under
// concurrent redemptions, a retried key pays once, reversals, caps at their
// edges, approval, public notice and objection, oldest-first expiry as
// scheduled work, an item's limits, provider-only fulfilment, and tamper
// detection by `xinghuo ledger verify`.
#include <atomic>
#include <chrono>
#include <fstream>
#include <functional>
#include <set>
#include <thread>

#include <algorithm>

#include "api_test.h"
#include "core/time.h"

namespace xh::test {

namespace {

HttpResponse put(HttpClient& c, const std::string& target, const json::object& body) {
  return c.request("PUT", target, json::serialize(body),
                   {{"Content-Type", "application/json"}, {"X-CSRF-Token", c.csrf}});
}

HttpResponse post(HttpClient& c, const std::string& target, const json::object& body) {
  return c.post(target, json::serialize(body));
}

std::int64_t num(const json::value& v, const char* key) { return v.at(key).as_int64(); }

// `base` with the fields of `more` added.
json::object with(json::object base, const json::object& more) {
  for (const auto& [k, v] : more) base[k] = v;
  return base;
}

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
    auto u = post(admin, "/api/users",
                  {{"username", username}, {"display_name", "居民"}, {"password", "Resi@2026x"}});
    EXPECT_EQ(u.status, 201) << u.body;
    auto uid = num(u.json(), "id");
    EXPECT_EQ(post(security, "/api/users/" + std::to_string(uid) + "/roles",
                   {{"role", "resident"}, {"place_id", place_id(code)}})
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

  static json::object rule_body(std::int64_t community, const std::string& kind,
                                std::int64_t points) {
    return {{"community_id", community}, {"event_kind", kind}, {"points", points}};
  }

  // Sets 泉星社区's rule for `kind` (what `extra` does not say: no caps, no
  // approval, no notice).
  static void rule(const std::string& kind, std::int64_t points, const json::object& extra = {}) {
    auto c = as("community_admin");
    auto r = put(c, "/api/points/rules", with(rule_body(qx(), kind, points), extra));
    ASSERT_EQ(r.status, 200) << r.body;
  }

  static HttpResponse award(std::int64_t resident, std::int64_t points, const std::string& key) {
    auto c = as("community_admin");
    return post(c, "/api/points/awards",
                {{"resident_id", resident},
                 {"points", points},
                 {"reason", "测试奖励"},
                 {"idempotency_key", key}});
  }

  static std::int64_t item(const std::string& title, std::int64_t price, std::int64_t stock,
                           const json::object& extra = {}) {
    auto c = as("community_admin");
    auto ruixing = [&] {
      auto db = server_->open_db();
      return db->read([](storage::Tx& tx) {
        return tx.query_one("SELECT id FROM orgs WHERE name = '睿星教育'")->i64(0);
      });
    }();
    auto r = post(c, "/api/points/items",
                  with({{"org_id", ruixing},
                        {"community_id", qx()},
                        {"title", title},
                        {"kind", "service"},
                        {"price", price},
                        {"stock", stock}},
                       extra));
    EXPECT_EQ(r.status, 201) << r.body;
    return num(r.json(), "id");
  }

  static HttpResponse redeem(HttpClient& c, std::int64_t item_id, const std::string& key) {
    return post(c, "/api/points/items/" + std::to_string(item_id) + "/redeem",
                {{"idempotency_key", key}});
  }
};

TEST_F(Points, AVerifiedReportPaysItsReporterOnceAndCapsHoldAtTheirEdges) {
  auto resident = as("resident"), community = as("community_admin"), grid = as("grid_worker");
  // The demo: 60 for the river clean-up, 5 for a verified report, 13 for an
  // hour and a quarter's river patrol (10 an hour).
  auto before = balance(resident);
  EXPECT_EQ(before, 78);
  auto verify_new_order = [&](const std::string& text) {
    auto r = post(resident, "/api/work-orders",
                  {{"category", "clutter"}, {"place_id", place_id("NC-QX-C1-B1")}, {"text", text}});
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

// What the server writes (an award's reason, a ledger memo) is kept as a key
// with its parameters and read in the reader's language; the Chinese words
// stay in the hashed chain.
TEST_F(Points, ServerWrittenMemosAndReasonsReadInTheReadersLanguage) {
  // A resident of their own, below the day's cap whatever ran before.
  auto resident = resident_of("NC-QX-C1-B1-U2-402", "memo402");
  auto community = as("community_admin"), grid = as("grid_worker");
  auto r = post(resident, "/api/work-orders",
                {{"category", "clutter"}, {"place_id", place_id("NC-QX-C1-B1")}, {"text", "楼道里的纸箱"}});
  auto id = std::to_string(num(r.json(), "id"));
  for (auto* s : {"accept", "dispatch", "start", "resolve"})
    community.post("/api/work-orders/" + id + "/actions/" + s, "{}");
  ASSERT_EQ(grid.post("/api/work-orders/" + id + "/actions/verify", "{}").status, 200);
  auto reason_in = [&](const char* lang) {
    auto awards = community.get(std::string("/api/points/awards?limit=100&lang=") + lang).json();
    for (const auto& a : awards.at("items").as_array())
      if (str(a, "event_kind") == "verified_report" && a.at("event_id").is_string() && str(a, "event_id") == id)
        return str(a, "reason");
    return std::string("(none)");
  };
  EXPECT_EQ(reason_in("zh-CN"), "诉求 #" + id + " 已核实");
  EXPECT_EQ(reason_in("en"), "Report #" + id + " verified");
  auto account = std::to_string(num(resident.get("/api/points/me").json(), "account_id"));
  auto memo_in = [&](const char* lang) {
    auto statement = resident.get("/api/points/accounts/" + account + "/statement?lang=" + lang).json();
    for (const auto& e : statement.at("items").as_array())
      if (str(e, "kind") == "award") return str(e, "memo");
    return std::string("(none)");
  };
  EXPECT_EQ(memo_in("zh-CN"), "诉求核实：诉求 #" + id + " 已核实");
  EXPECT_EQ(memo_in("en"), "Verified report: Report #" + id + " verified");
  // The chain hashed the Chinese words, and still verifies.
  auto db = server_->open_db();
  auto stored = db->read([&](storage::Tx& tx) {
    return tx.query_one("SELECT memo FROM point_transactions WHERE kind = 'award' ORDER BY id DESC LIMIT 1")->str("memo");
  });
  EXPECT_EQ(stored, "诉求核实：诉求 #" + id + " 已核实");
  std::string out;
  EXPECT_EQ(server_->cli({"ledger", "verify"}, &out), 0) << out;
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
    if (num(it, "id") == last) {
      EXPECT_EQ(num(it, "stock"), 0);
    }
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
  // The same key with another request is a conflict, not the first answer.
  EXPECT_EQ(award(resident_id_of(c), 30, "retry-award").error_code(), "request.conflict");
  auto staff = as("community_admin");
  auto other_reason = post(staff, "/api/points/awards",
                           {{"resident_id", resident_id_of(c)},
                            {"points", 40},
                            {"reason", "另一件事"},
                            {"idempotency_key", "retry-award"}});
  EXPECT_EQ(other_reason.status, 409) << other_reason.body;
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
  auto other_item = item("另一项辅导", 5, 10);
  EXPECT_EQ(redeem(c, other_item, "same-key").status, 409);
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
  auto reverse = [&](const char* reason, const char* key) {
    return post(community, "/api/points/transactions/" + tx + "/reverse",
                {{"reason", reason}, {"idempotency_key", key}});
  };
  auto rev = reverse("重复录入", "rev-1");
  ASSERT_EQ(rev.status, 201) << rev.body;
  EXPECT_EQ(balance(c), 0);
  EXPECT_EQ(reverse("again", "rev-2").error_code(), "points.already_reversed");
  auto earned_this_month = [&] {
    auto db = server_->open_db();
    return db->read([&](storage::Tx& tx) {
      return tx.query_one("SELECT points FROM point_earned_monthly WHERE account_id = $1 AND "
                          "month = $2",
                          num(c.get("/api/points/me").json(), "account_id"),
                          std::int64_t{beijing_month(now_ms())})
          ->i64(0);
    });
  };
  EXPECT_EQ(earned_this_month(), 0);
  // Retried, the reversal changes nothing more: not the balance, not the
  // month's total the leaderboard reads.
  for (int i = 0; i < 3; ++i) {
    auto repeat = reverse("重复录入", "rev-1");
    EXPECT_EQ(repeat.status, 201) << repeat.body;
    EXPECT_TRUE(repeat.json().at("repeated").as_bool());
  }
  EXPECT_EQ(earned_this_month(), 0);
  EXPECT_EQ(balance(c), 0);
  EXPECT_EQ(reverse("另一个理由", "rev-1").error_code(), "request.conflict");
  std::string out;
  EXPECT_EQ(server_->cli({"ledger", "verify"}, &out), 0) << out;
  auto statement = c.get("/api/points/accounts/" + std::to_string(num(c.get("/api/points/me").json(), "account_id")) + "/statement").json();
  EXPECT_EQ(num(statement.at("items").at(0), "amount"), -20);
  EXPECT_EQ(str(statement.at("items").at(0), "kind"), "reversal");
  EXPECT_EQ(num(statement.at("items").at(0), "balance_after"), 0);
}

TEST_F(Points, NoticeAndObjection) {
  auto c = resident_of("NC-QX-C1-B1-U1-401", "r401");
  auto neighbour = as("resident"), community = as("community_admin");
  rule("manual", 100, {{"notice_days", 3}});
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
  auto object = [&](const std::string& id, const char* reason) {
    return post(neighbour, "/api/points/awards/" + id + "/objections", {{"reason", reason}});
  };
  auto decide = [&](const HttpResponse& objection, bool upheld) {
    return post(community,
                "/api/points/objections/" + std::to_string(num(objection.json(), "id")) + "/decide",
                {{"upheld", upheld}});
  };
  // The three administrators hold no business role: they cannot stop awards.
  for (const char* admin : {"audit_admin", "security_admin", "sys_admin"}) {
    auto a = as(admin);
    EXPECT_EQ(post(a, "/api/points/awards/" + award_id + "/objections", {{"reason", "x"}}).status,
              403)
        << admin;
  }
  auto objection = object(award_id, "当天并未参加");
  ASSERT_EQ(objection.status, 201) << objection.body;
  EXPECT_EQ(object(award_id, "x").status, 409);
  // The community's staff are told of it, in their inbox.
  bool told = false;
  auto inbox = community.get("/api/inbox?limit=100").json();
  for (const auto& n : inbox.at("items").as_array())
    told = told || (str(n, "kind") == "points.objection_raised" &&
                    n.at("subject_id").as_int64() == std::stoll(award_id));
  EXPECT_TRUE(told);
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
  auto decided = decide(objection, false);
  ASSERT_EQ(decided.status, 200) << decided.body;
  EXPECT_EQ(str(decided.json(), "status"), "paid");
  EXPECT_EQ(balance(c), 30);
  // Another award, an upheld objection: rejected, never paid.
  auto second = award(resident_id_of(c), 20, "notice-2");
  auto second_id = std::to_string(num(second.json(), "id"));
  auto o2 = object(second_id, "不属实");
  auto upheld = decide(o2, true);
  EXPECT_EQ(str(upheld.json(), "status"), "rejected");
  // Decided once: a second decision is refused.
  EXPECT_EQ(decide(o2, false).error_code(), "points.objection_decided");
  end_notice(second_id);
  EXPECT_EQ(balance(c), 30);
  // Without objection the notice's end pays.
  auto third = award(resident_id_of(c), 10, "notice-3");
  end_notice(std::to_string(num(third.json(), "id")));
  EXPECT_EQ(balance(c), 40);
  rule("manual", 100);
}

TEST_F(Points, PointsLapseOldestFirst) {
  auto c = resident_of("NC-QX-C1-B1-U1-402", "r402");
  auto community = as("community_admin");
  rule("manual", 100);
  auto expiry = [&](bool enabled) {
    return put(community, "/api/points/settings",
               {{"community_id", qx()}, {"expiry_enabled", enabled}});
  };
  ASSERT_EQ(expiry(true).status, 200);
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
  EXPECT_EQ(expiry(false).status, 200);
}

// Every offer of the demo street has someone to honour it: each providing
// organisation has a contact with a login, and the volunteer teams' contacts
// fulfil their own vouchers (and no one else's).
TEST_F(Points, EveryDemoOfferHasAProviderWhoCanFulfilIt) {
  auto db = server_->open_db();
  auto without = db->read([](storage::Tx& tx) {
    return tx.query_one(
        "SELECT COUNT(DISTINCT i.org_id) FROM point_items i WHERE NOT EXISTS (SELECT 1 FROM "
        "org_contacts c WHERE c.org_id = i.org_id AND c.user_id IS NOT NULL)")->i64(0);
  });
  EXPECT_EQ(without, 0) << "offers whose organisation has no contact login";

  auto resident = as("resident");
  rule("manual", 100);
  ASSERT_EQ(award(resident_id_of(resident), 100, "knives-topup").status, 201);
  std::int64_t knives = 0;
  auto items = resident.get("/api/points/items").json();
  for (const auto& it : items.at("items").as_array())
    if (str(it, "title") == "磨刀一次") knives = num(it, "id");
  ASSERT_GT(knives, 0);
  auto v = redeem(resident, knives, "knives-1");
  ASSERT_EQ(v.status, 201) << v.body;
  auto fulfil = [&](const char* who) {
    auto c = as(who);
    return post(c, "/api/points/vouchers/fulfil", {{"code", str(v.json(), "code")}});
  };
  EXPECT_EQ(fulfil("lifa").error_code(), "points.not_provider");  // the barbers are not the knife team
  auto done = fulfil("modao");
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(str(done.json(), "status"), "fulfilled");
}

TEST_F(Points, OnlyTheProviderFulfilsAVoucherOnceAndCancellingRefunds) {
  auto resident = as("resident"), community = as("community_admin"), provider = as("partner_admin");
  rule("manual", 100);
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

  auto fulfil = [](HttpClient& who, const std::string& code) {
    return post(who, "/api/points/vouchers/fulfil", {{"code", code}});
  };
  auto not_provider = fulfil(community, code);
  EXPECT_EQ(not_provider.status, 403);
  EXPECT_EQ(not_provider.error_code(), "points.not_provider");
  // Typed with a space and in lower case, as people do.
  std::string typed = code.substr(0, 5) + " " + code.substr(5);
  for (auto& ch : typed) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  auto done = fulfil(provider, typed);
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(str(done.json(), "status"), "fulfilled");
  auto twice = fulfil(provider, code);
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
  EXPECT_EQ(fulfil(provider, str(w.json(), "code")).status, 409);
}

TEST_F(Points, BadInputAndScope) {
  auto resident = as("resident"), community = as("community_admin");
  // Another resident's statement is out of reach; staff of the community see it.
  auto r2 = resident_of("NC-QX-C1-B1-U1-501", "r501");
  auto theirs = std::to_string(num(r2.get("/api/points/me").json(), "account_id"));
  struct Case {
    const char* what;
    std::function<HttpResponse()> request;
    int status;
    const char* code = nullptr;
  };
  const std::vector<Case> cases = {
      {"redeeming no item", [&] { return redeem(resident, 999999, "x"); }, 404},
      {"a rule for no kind of event",
       [&] { return put(community, "/api/points/rules", rule_body(qx(), "flying", 5)); }, 422},
      {"a rule paying nothing",
       [&] { return put(community, "/api/points/rules", rule_body(qx(), "manual", 0)); }, 422},
      {"a rule for another community",
       [&] { return put(community, "/api/points/rules", rule_body(place_id("NC-GSH"), "manual", 5)); },
       403},
      {"more than the manual rule's 100", [&] { return award(1, 1000, "too-many"); }, 422},
      {"a resident browsing the accounts", [&] { return resident.get("/api/points/accounts"); }, 403},
      {"a resident reading another's statement",
       [&] { return resident.get("/api/points/accounts/" + theirs + "/statement"); }, 403},
      {"staff of the community reading it",
       [&] { return community.get("/api/points/accounts/" + theirs + "/statement"); }, 200},
      {"a login linked to no resident", [&] { return as("sys_admin").get("/api/points/me"); }, 404,
       "points.no_account"},
  };
  for (const auto& c : cases) {
    auto r = c.request();
    EXPECT_EQ(r.status, c.status) << c.what << ": " << r.body;
    if (c.code) {
      EXPECT_EQ(r.error_code(), c.code) << c.what;
    }
  }
}

TEST_F(Points, AnAwardNeedingApprovalWaitsForStaffWhoDecideItOnce) {
  auto c = resident_of("NC-QX-C1-B1-U1-502", "r502");
  auto community = as("community_admin");
  rule("manual", 100, {{"needs_approval", true}});
  auto rid = resident_id_of(c);
  auto decide = [&](const HttpResponse& award, const char* how, json::object body = {}) {
    return post(community, "/api/points/awards/" + std::to_string(num(award.json(), "id")) + "/" + how,
                body);
  };
  auto held = award(rid, 25, "approval-1");
  ASSERT_EQ(held.status, 201) << held.body;
  EXPECT_EQ(str(held.json(), "status"), "pending");
  EXPECT_EQ(balance(c), 0);
  // Whoever else may decide it is told, in their inbox; not the one who asked.
  auto notices_of = [&](HttpClient who) {
    std::vector<std::int64_t> ids;
    auto inbox = who.get("/api/inbox?limit=100").json();
    for (const auto& n : inbox.at("items").as_array())
      if (str(n, "kind") == "points.award_pending") ids.push_back(n.at("subject_id").as_int64());
    return ids;
  };
  auto street_notices = notices_of(as("street_admin"));
  EXPECT_NE(std::find(street_notices.begin(), street_notices.end(), num(held.json(), "id")), street_notices.end());
  auto own_notices = notices_of(community);
  EXPECT_EQ(std::find(own_notices.begin(), own_notices.end(), num(held.json(), "id")), own_notices.end());
  // Approved under a rule without notice: paid at once, and decided for good.
  auto approved = decide(held, "approve");
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(str(approved.json(), "status"), "paid");
  EXPECT_EQ(balance(c), 25);
  EXPECT_EQ(decide(held, "approve").error_code(), "points.award_decided");
  EXPECT_EQ(decide(held, "reject").error_code(), "points.award_decided");
  // Rejected with a reason: never paid, the reason kept.
  auto second = award(rid, 15, "approval-2");
  auto rejected = decide(second, "reject", {{"reason", "重复申报"}});
  ASSERT_EQ(rejected.status, 200) << rejected.body;
  EXPECT_EQ(str(rejected.json(), "status"), "rejected");
  EXPECT_EQ(str(rejected.json(), "reason"), "重复申报");
  EXPECT_EQ(decide(second, "approve").error_code(), "points.award_decided");
  EXPECT_EQ(balance(c), 25);
  // Approved under a rule with notice: in notice, not paid yet; the resident
  // may not decide.
  rule("manual", 100, {{"needs_approval", true}, {"notice_days", 2}});
  auto third = award(rid, 10, "approval-3");
  auto in_notice = decide(third, "approve");
  ASSERT_EQ(in_notice.status, 200) << in_notice.body;
  EXPECT_EQ(str(in_notice.json(), "status"), "notice");
  EXPECT_FALSE(in_notice.json().at("notice_until").is_null());
  EXPECT_EQ(balance(c), 25);
  EXPECT_EQ(post(c, "/api/points/awards/" + std::to_string(num(third.json(), "id")) + "/reject", {})
                .status,
            403);
  // Staff may still reject it during its notice.
  EXPECT_EQ(str(decide(third, "reject").json(), "status"), "rejected");
  rule("manual", 100);
}

TEST_F(Points, AnItemsLimitsAndItsWithdrawalHold) {
  auto c = resident_of("NC-QX-C1-B1-U1-601", "r601");
  auto community = as("community_admin");
  rule("manual", 100);
  ASSERT_EQ(award(resident_id_of(c), 100, "limits-topup").status, 201);
  auto once = item("每人一次的辅导", 10, 10, {{"per_person", 1}});
  auto first = redeem(c, once, "limit-1");
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(redeem(c, once, "limit-2").error_code(), "points.limit_reached");
  // A cancelled voucher no longer counts towards the limit.
  ASSERT_EQ(c.post("/api/points/vouchers/" + std::to_string(num(first.json(), "id")) + "/cancel", "{}")
                .status,
            200);
  EXPECT_EQ(redeem(c, once, "limit-3").status, 201);
  EXPECT_EQ(balance(c), 90);

  // An update changes the fields given, and only the provider or staff may.
  auto target = "/api/points/items/" + std::to_string(once);
  auto renamed = c.patch(target, json::serialize(json::object{{"title", "x"}}));
  EXPECT_EQ(renamed.status, 403) << renamed.body;
  auto changed = community.patch(target, json::serialize(json::object{{"title", "辅导（每人一次）"}}));
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(str(changed.json(), "title"), "辅导（每人一次）");
  EXPECT_EQ(num(changed.json(), "price"), 10);
  EXPECT_EQ(num(changed.json(), "per_person"), 1);
  // Withdrawn: nobody redeems it any more.
  auto off = community.patch(target, json::serialize(json::object{{"active", false}}));
  ASSERT_EQ(off.status, 200) << off.body;
  EXPECT_FALSE(off.json().at("active").as_bool());
  auto other = resident_of("NC-QX-C1-B1-U1-602", "r602");
  EXPECT_EQ(redeem(other, once, "withdrawn-1").error_code(), "points.item_inactive");

  // What an offer must say.
  auto offer = [&](const json::object& fields) {
    return post(community, "/api/points/items",
                with({{"org_id", num(changed.json(), "org_id")},
                      {"community_id", qx()},
                      {"title", "坏的项目"},
                      {"kind", "service"},
                      {"price", 10},
                      {"stock", 1}},
                     fields));
  };
  EXPECT_EQ(offer({{"price", 0}}).error_code(), "points.bad_item");
  EXPECT_EQ(offer({{"kind", "magic"}}).error_code(), "points.bad_item");
  EXPECT_EQ(offer({{"per_day", 0}}).error_code(), "points.bad_item");
  EXPECT_EQ(offer({{"title", " "}}).error_code(), "request.missing_field");
  EXPECT_EQ(offer({{"community_id", place_id("NC-QX-C1")}}).error_code(), "points.bad_community");
}

TEST_F(Points, AccountsAndStatementsExport) {
  auto community = as("community_admin");
  auto csv = community.get("/api/points/accounts?format=csv");
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_NE(csv.body.find("余额"), std::string::npos);
  auto account = std::to_string(num(as("resident").get("/api/points/me").json(), "account_id"));
  auto statement = community.get("/api/points/accounts/" + account + "/statement?format=csv");
  ASSERT_EQ(statement.status, 200) << statement.body;
  EXPECT_NE(statement.body.find("人工奖励：参加西工商河清理志愿服务"), std::string::npos);
  // The meta endpoint names both exports, with the module's columns.
  auto meta = anonymous().get("/api/meta").json();
  std::set<std::string> exports;
  for (const auto& e : meta.at("exports").as_array())
    if (str(e, "module") == "points") exports.insert(str(e, "name"));
  EXPECT_EQ(exports, (std::set<std::string>{"point-accounts", "point-statement"}));
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
  auto community = as("community_admin");
  auto consent = post(community, "/api/residents/" + std::to_string(rid) + "/consents",
                      {{"kind", "public_name"}, {"granted", true}});
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

// Staff who are residents too cannot award or approve their own points.
TEST_F(Points, StaffDecideNothingAboutTheirOwnPoints) {
  auto db = server_->open_db();
  auto link = [&](const char* username, const char* household) {
    db->write([&](storage::Tx& tx) {
      tx.exec("UPDATE residents SET user_id = (SELECT id FROM users WHERE username = $1) WHERE id = "
              "(SELECT m.resident_id FROM household_members m JOIN places p ON p.id = "
              "m.household_id WHERE p.code = $2 ORDER BY m.id LIMIT 1)",
              std::string(username), std::string(household));
    });
  };
  link("community_admin", "NC-QX-C1-B1-U3-601");
  auto community = as("community_admin"), street = as("street_admin");
  auto own = num(community.get("/api/points/me").json(), "account_id");
  auto own_resident = db->read([&](storage::Tx& tx) {
    return tx.query_one("SELECT owner_id FROM point_accounts WHERE id = $1", own)->i64(0);
  });
  rule("manual", 100, {{"needs_approval", true}});
  auto self = post(community, "/api/points/awards",
                   {{"resident_id", own_resident}, {"points", 10}, {"reason", "自己给自己"},
                    {"idempotency_key", "self-1"}});
  EXPECT_EQ(self.status, 403) << self.body;
  EXPECT_EQ(self.error_code(), "points.own_award");
  // Awarded by another, it waits; its holder cannot approve it, another can.
  auto pending = post(street, "/api/points/awards",
                      {{"resident_id", own_resident}, {"points", 10}, {"reason", "值守"},
                       {"idempotency_key", "other-1"}});
  ASSERT_EQ(pending.status, 201) << pending.body;
  EXPECT_EQ(str(pending.json(), "status"), "pending");
  auto id = std::to_string(num(pending.json(), "id"));
  EXPECT_EQ(community.post("/api/points/awards/" + id + "/approve", "{}").error_code(),
            "points.own_award");
  EXPECT_EQ(street.post("/api/points/awards/" + id + "/approve", "{}").status, 200);
  rule("manual", 100);
  db->write([](storage::Tx& tx) {
    tx.exec("UPDATE residents SET user_id = NULL WHERE user_id = (SELECT id FROM users WHERE "
            "username = 'community_admin')");
  });
}

// An anonymous report's award is in public notice without a link to the
// report or the person's record; a reporter who verifies their own report
// earns nothing for it.
TEST_F(Points, AnonymousActsAreNotLinkedAndNobodyEarnsByTheirOwnHand) {
  auto reporter = resident_of("NC-QX-C1-B1-U3-502", "r3502");
  auto community = as("community_admin"), grid = as("grid_worker"), neighbour = as("resident");
  rule("verified_report", 5, {{"notice_days", 3}});
  auto walk = [&](HttpClient& by, bool anonymous, HttpClient& verifier) {
    auto r = post(by, "/api/work-orders",
                  {{"category", "clutter"}, {"place_id", place_id("NC-QX-C1-B1")},
                   {"text", "楼道堆放杂物"}, {"anonymous", anonymous}});
    EXPECT_EQ(r.status, 201) << r.body;
    auto id = std::to_string(num(r.json(), "id"));
    for (auto* s : {"accept", "dispatch", "start", "resolve"})
      community.post("/api/work-orders/" + id + "/actions/" + s, "{}");
    EXPECT_EQ(verifier.post("/api/work-orders/" + id + "/actions/verify", "{}").status, 200);
    return id;
  };
  auto find = [](const json::value& list, const std::string& event_id) -> const json::object* {
    for (const auto& a : list.at("items").as_array())
      if (a.at("event_kind") == "verified_report" && a.at("event_id").is_string() &&
          a.at("event_id").as_string() == event_id)
        return &a.as_object();
    return nullptr;
  };
  auto order = walk(reporter, true, grid);
  auto staff_view = community.get("/api/points/awards?status=notice&limit=100").json();
  const json::object* held = find(staff_view, order);
  ASSERT_NE(held, nullptr);
  EXPECT_TRUE(held->at("resident_id").is_int64());
  auto public_view = neighbour.get("/api/points/awards?limit=100").json();
  bool listed = false;
  for (const auto& a : public_view.at("items").as_array()) {
    if (a.at("id") != held->at("id")) continue;
    listed = true;
    EXPECT_TRUE(a.at("event_id").is_null()) << json::serialize(a);
    EXPECT_TRUE(a.at("resident_id").is_null()) << json::serialize(a);
    // No text names the order: neither its id as a value nor a text citing it ("#12").
    for (const auto& [key, value] : a.as_object()) {
      EXPECT_FALSE(value.is_string() && value.as_string() == order) << key;
      EXPECT_FALSE(value.is_string() && std::string(value.as_string()).find("#" + order) != std::string::npos)
          << key << ": " << value;
    }
  }
  EXPECT_TRUE(listed);

  // The grid worker is a resident of 泉星花园 too, and verifies their own report.
  auto db = server_->open_db();
  db->write([](storage::Tx& tx) {
    tx.exec("UPDATE residents SET user_id = (SELECT id FROM users WHERE username = 'grid_worker') "
            "WHERE id = (SELECT m.resident_id FROM household_members m JOIN places p ON p.id = "
            "m.household_id WHERE p.code = 'NC-QX-C1-B1-U3-503' ORDER BY m.id LIMIT 1)");
  });
  auto own = walk(grid, false, grid);
  auto all = community.get("/api/points/awards?limit=100").json();
  EXPECT_EQ(find(all, own), nullptr) << "an award for verifying one's own report";
  db->write([](storage::Tx& tx) {
    tx.exec("UPDATE residents SET user_id = NULL WHERE user_id = (SELECT id FROM users WHERE "
            "username = 'grid_worker')");
  });
  rule("verified_report", 5, {{"daily_cap", 10}, {"monthly_cap", 50}});
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
  // The digest the API answers (its time in ISO 8601, like every API time)
  // verifies too: the time is written to the millisecond it was signed at.
  HttpClient auditor = server.client();
  ASSERT_EQ(auditor.login("audit_admin", kDemoPassword).status, 200);
  auto api_digest = auditor.get("/api/points/digest");
  ASSERT_EQ(api_digest.status, 200) << api_digest.body;
  EXPECT_TRUE(parse_w3c(api_digest.json().at("at").as_string())) << api_digest.body;
  auto api_digest_path = server.data_dir() + "/api-digest.json";
  {
    std::ofstream f(api_digest_path);
    f << api_digest.body;
  }
  EXPECT_EQ(server.cli({"ledger", "verify", "--digest", api_digest_path}, &out), 0) << out;
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
  EXPECT_EQ(server.cli({"ledger", "verify", "--digest", api_digest_path}, &out), 1);
}

// The totals derived from the postings outside the chain are checked too: a
// month's earned total (the leaderboard's) and the lots points are spent from.
TEST(PointsLedger, DerivedTotalsAreChecked) {
  TestServer server;
  std::string out;
  ASSERT_EQ(server.cli({"ledger", "verify"}, &out), 0) << out;
  auto db = server.open_db();
  auto change = [&](const char* sql) { db->write([&](storage::Tx& tx) { tx.exec(sql); }); };
  change("UPDATE point_earned_monthly SET points = points - 20 WHERE account_id = (SELECT "
         "MIN(account_id) FROM point_earned_monthly)");
  EXPECT_EQ(server.cli({"ledger", "verify"}, &out), 1);
  EXPECT_NE(out.find("earned total"), std::string::npos) << out;
  change("UPDATE point_earned_monthly SET points = points + 20 WHERE account_id = (SELECT "
         "MIN(account_id) FROM point_earned_monthly)");
  ASSERT_EQ(server.cli({"ledger", "verify"}, &out), 0) << out;
  change("UPDATE point_lots SET remaining = remaining - 1 WHERE id = (SELECT MIN(id) FROM "
         "point_lots WHERE remaining > 0)");
  EXPECT_EQ(server.cli({"ledger", "verify"}, &out), 1);
  EXPECT_NE(out.find("lots of account"), std::string::npos) << out;
}

}  // namespace xh::test
