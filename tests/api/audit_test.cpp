// The audit log: what is recorded, who may read it, and tamper evidence.
#include <set>

#include "api_test.h"
#include "core/time.h"

namespace xh::test {

class Audit : public ApiTest {};

TEST_F(Audit, RecordsLoginsFailuresDenialsAndChangesWithBeforeAndAfter) {
  anonymous().login("street_admin", "Wrong@2026");
  auto c = as("street_admin");
  auto id = std::to_string(place_id("NC-GSH-G1"));
  ASSERT_EQ(c.patch("/api/places/" + id, R"({"name":"工商河第一网格"})").status, 200);
  as("resident").get("/api/places/" + id);

  auto a = as("audit_admin");
  auto failed = a.get("/api/audit?action=auth.login_failed");
  ASSERT_EQ(failed.status, 200);
  EXPECT_GE(failed.json().at("items").as_array().size(), 1u);
  auto denied = a.get("/api/audit?action=auth.denied");
  EXPECT_EQ(str(denied.json().at("items").at(0), "actor_name"), "resident");
  auto change = a.get("/api/audit?action=place.update&limit=1");
  auto change_doc = change.json();
  const auto& e = change_doc.at("items").at(0);
  EXPECT_EQ(str(e, "actor_name"), "street_admin");
  EXPECT_EQ(str(e, "target_id"), id);
  EXPECT_EQ(str(e.at("before"), "name"), "工商河社区第一网格");
  EXPECT_EQ(str(e.at("after"), "name"), "工商河第一网格");
  EXPECT_EQ(str(e, "ip"), "127.0.0.1");
  auto logins = a.get("/api/audit?action=auth.login");
  EXPECT_GE(logins.json().at("items").as_array().size(), 3u);
  auto v = a.get("/api/audit/verify");
  EXPECT_TRUE(v.json().at("ok").as_bool()) << v.body;
}

// An auditor reads words, not codes: every action and kind of object in the
// log (the demo street's history of orders, points, partners and logins, and
// this test's) has a label, and objects are named where they can be.
TEST_F(Audit, EveryEntryReadsAsWordsWithItsObjectNamed) {
  auto c = as("street_admin");
  auto place = std::to_string(place_id("NC-QX-C1"));
  ASSERT_EQ(c.patch("/api/places/" + place, R"({"address":"济南市天桥区泉星花园"})").status, 200);
  as("resident").get("/api/places/" + std::to_string(place_id("NC-GSH-G1")));  // refused: auth.denied

  auto a = as("audit_admin");
  auto meta = a.get("/api/meta").json();
  auto labelled = [&](const char* set) {
    std::set<std::string> keys;
    for (const auto& l : meta.at("labels").at(set).as_array()) keys.insert(str(l, "key"));
    return keys;
  };
  auto actions = labelled("audit.action"), targets = labelled("audit.target");
  std::set<std::string> named_types;
  std::string page = "/api/audit?limit=500";
  for (int pages = 0; pages < 100; ++pages) {
    auto r = a.get(page);
    ASSERT_EQ(r.status, 200) << r.body;
    auto doc = r.json();
    const auto& items = doc.at("items").as_array();
    for (const auto& e : items) {
      EXPECT_TRUE(actions.count(str(e, "action"))) << "no label for action " << str(e, "action");
      EXPECT_TRUE(targets.count(str(e, "target_type")) || str(e, "action") == "export" ||
                  str(e, "action") == "gen")
          << "no label for object " << str(e, "target_type");
      if (!e.at("target_name").is_null()) named_types.insert(str(e, "target_type"));
    }
    if (items.size() < 500) break;
    page = "/api/audit?limit=500&before_seq=" + std::to_string(items.back().at("seq").as_int64());
  }
  for (const char* type : {"place", "user", "work_order", "org"})
    EXPECT_TRUE(named_types.count(type)) << "no " << type << " named";
  // Residents are never named: their names are personal data.
  EXPECT_FALSE(named_types.count("resident"));

  auto change = a.get("/api/audit?action=place.update&limit=1").json().at("items").at(0);
  EXPECT_EQ(str(change, "target_name"), "泉星花园");
  auto order = a.get("/api/audit?action=workorder.file&limit=1").json().at("items").at(0);
  EXPECT_NE(str(order, "target_name").find(" · "), std::string::npos) << str(order, "target_name");
}

// The person and time filters: whom to pick from, and entries between two times.
TEST_F(Audit, FiltersByPersonAndTime) {
  auto c = as("community_admin");
  ASSERT_EQ(c.patch("/api/places/" + std::to_string(place_id("NC-QX-C2")), R"({"address":"泉星小区"})").status, 200);
  auto a = as("audit_admin");
  auto picked = a.get("/api/audit/actors?q=community");
  ASSERT_EQ(picked.status, 200) << picked.body;
  auto picked_doc = picked.json();
  const auto& people = picked_doc.at("items").as_array();
  ASSERT_FALSE(people.empty());
  EXPECT_EQ(str(people.at(0), "name"), "community_admin");
  auto actor = people.at(0).at("id").as_int64();
  auto theirs = a.get("/api/audit?actor_id=" + std::to_string(actor)).json();
  ASSERT_FALSE(theirs.at("items").as_array().empty());
  for (const auto& e : theirs.at("items").as_array()) EXPECT_EQ(e.at("actor_id").as_int64(), actor);
  EXPECT_EQ(as("security_admin").get("/api/audit/actors").status, 403);

  auto newest = theirs.at("items").at(0);
  auto at = str(newest, "at");
  // [at, at + 1 ms) holds the newest entry; from a minute later, nothing.
  auto exact = a.get("/api/audit?actor_id=" + std::to_string(actor) + "&from=" + at +
                     "&to=" + iso8601(*parse_w3c(at) + 1)).json();
  ASSERT_FALSE(exact.at("items").as_array().empty());
  EXPECT_EQ(exact.at("items").at(0).at("seq"), newest.at("seq"));
  auto later = a.get("/api/audit?from=" + iso8601(*parse_w3c(at) + 60000)).json();
  EXPECT_TRUE(later.at("items").as_array().empty());
  EXPECT_EQ(a.get("/api/audit?from=yesterday").error_code(), "request.bad_query");
  // The export is exactly that selection, with the words.
  auto csv = a.get("/api/audit?format=csv&actor_id=" + std::to_string(actor) + "&from=" + at);
  ASSERT_EQ(csv.status, 200);
  EXPECT_NE(csv.body.find("修改地点"), std::string::npos) << csv.body;
  EXPECT_NE(csv.body.find("泉星小区"), std::string::npos) << csv.body;
}

TEST_F(Audit, TheDatabaseRefusesToEditEntries) {
  auto db = server_->open_db();
  EXPECT_THROW(db->write([](storage::Tx& tx) { tx.exec("UPDATE audit_log SET actor_name = 'x'"); }),
               std::exception);
  EXPECT_THROW(db->write([](storage::Tx& tx) { tx.exec("DELETE FROM audit_log"); }), std::exception);
}

TEST_F(Audit, VerifyFindsTheFirstTamperedEntry) {
  std::string out;
  ASSERT_EQ(server_->cli({"audit", "verify"}, &out), 0) << out;
  // An attacker with database access drops the guard and rewrites history.
  auto db = server_->open_db();
  db->write([](storage::Tx& tx) {
    if (tx.dialect() == storage::Dialect::sqlite) {
      tx.exec("DROP TRIGGER audit_log_no_update");
    } else {
      tx.exec("DROP TRIGGER audit_log_no_change ON audit_log");
    }
    tx.exec("UPDATE audit_log SET actor_name = 'nobody' WHERE seq = 3");
  });
  EXPECT_EQ(server_->cli({"audit", "verify"}, &out), 1);
  EXPECT_NE(out.find("seq 3"), std::string::npos) << out;
  auto v = as("audit_admin").get("/api/audit/verify");
  EXPECT_FALSE(v.json().at("ok").as_bool());
  EXPECT_EQ(v.json().at("first_bad_seq").as_int64(), 3);
}

}  // namespace xh::test
