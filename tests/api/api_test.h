#pragma once
// Shared fixture for the API suite: one server per test suite on a fresh
// database of the engine under test, with the demo street loaded.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <thread>

#include <memory>
#include <string>

#include "support/http_client.h"
#include "support/test_server.h"

namespace xh::test {

namespace json = boost::json;

class ApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = std::make_unique<TestServer>(); }
  static void TearDownTestSuite() { server_.reset(); }

  static HttpClient as(const std::string& username) {
    HttpClient c = server_->client();
    auto r = c.login(username, kDemoPassword);
    EXPECT_EQ(r.status, 200) << username << ": " << r.body;
    return c;
  }
  static HttpClient anonymous() { return server_->client(); }

  // A community_admin of 工商河社区 (made on first use on this suite's
  // server): staff of another community than the demo logins'.
  static HttpClient elsewhere() {
    HttpClient c = server_->client();
    if (c.login("gsh_admin", "Gsh@2026xx").status == 200) return c;
    auto admin = as("sys_admin"), security = as("security_admin");
    auto u = admin.post("/api/users", json::serialize(json::object{
                                          {"username", "gsh_admin"}, {"display_name", "工商河社区管理员"}, {"password", "Gsh@2026xx"}}));
    EXPECT_EQ(u.status, 201) << u.body;
    auto granted = security.post("/api/users/" + std::to_string(u.json().at("id").as_int64()) + "/roles",
                                 json::serialize(json::object{{"role", "community_admin"}, {"place_id", place_id("NC-GSH")}}));
    EXPECT_EQ(granted.status, 201) << granted.body;
    EXPECT_EQ(c.login("gsh_admin", "Gsh@2026xx").status, 200);
    return c;
  }

  // The id of the demo place with this code.
  static std::int64_t place_id(const std::string& code) {
    auto db = server_->open_db();
    return db->read([&](storage::Tx& tx) {
      return tx.query_one("SELECT id FROM places WHERE code = $1", code)->i64(0);
    });
  }

  // How many audit entries have this action.
  static std::int64_t audit_count(const std::string& action) {
    auto db = server_->open_db();
    return db->read([&](storage::Tx& tx) {
      return tx.query_one("SELECT COUNT(*) FROM audit_log WHERE action = $1", action)->i64(0);
    });
  }

  // How many notices of `kind` are in the inbox of `who` (its latest 100).
  static std::int64_t inbox_count(HttpClient who, const std::string& kind) {
    auto inbox = who.get("/api/inbox?limit=100").json();
    std::int64_t n = 0;
    for (const auto& x : inbox.at("items").as_array())
      if (x.at("kind").as_string() == kind) ++n;
    return n;
  }
  // True once `done()` is, checked every 100 ms for 10 s (scheduled work on
  // a server polling every 200 ms).
  template <class F>
  static bool eventually(F done) {
    for (int i = 0; i < 100; ++i) {
      if (done()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }
  static inline std::unique_ptr<TestServer> server_;
};

inline std::string str(const json::value& v, const char* key) {
  return std::string(v.at(key).as_string());
}

}  // namespace xh::test
