// The audit log: what is recorded, who may read it, and tamper evidence.
#include "api_test.h"

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
