#pragma once
// Shared fixture for the API suite: one server per test suite on a fresh
// database of the engine under test, with the demo street loaded.
#include <gtest/gtest.h>

#include <boost/json.hpp>

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

  static inline std::unique_ptr<TestServer> server_;
};

inline std::string str(const json::value& v, const char* key) {
  return std::string(v.at(key).as_string());
}

}  // namespace xh::test
