// Bad input of every kind is answered 4xx with a translated error and changes
// nothing; hostile strings are stored and returned literally.
#include <thread>

#include "api_test.h"
#include "core/text.h"

namespace xh::test {

class Input : public ApiTest {
 protected:
  static std::int64_t place_count() {
    auto db = server_->open_db();
    return db->read([](storage::Tx& tx) { return tx.query_one("SELECT COUNT(*) FROM places")->i64(0); });
  }
  static std::string grid_path() { return "/api/places/" + std::to_string(place_id("NC-QX-G2")); }
  // A new building's body with `fields` besides the parent and the kind.
  static std::string new_building(json::object fields = {}) {
    fields["parent_id"] = place_id("NC-QX-C1");
    fields["kind"] = "building";
    return json::serialize(fields);
  }
};

TEST_F(Input, MalformedJsonWrongTypesMissingAndUnknownFields) {
  auto c = as("street_admin");
  auto before = place_count();
  struct Case {
    std::string body;
    int status;
    std::string code;
  } cases[] = {
      {"{not json", 400, "request.bad_json"},
      {"[]", 400, "request.bad_json"},
      {new_building({{"name", 42}}), 422, "request.invalid_field"},
      {new_building(), 422, "request.missing_field"},
      {new_building({{"name", "楼"}, {"is_admin", true}}), 422, "request.unknown_field"},
      {new_building({{"name", ""}}), 422, "place.bad_name"},
      {new_building({{"name", std::string(101 * 3, 'x')}}), 422, "request.field_too_long"},
      {R"({"parent_id":"1","kind":"building","name":"楼"})", 422, "request.invalid_field"},
      {R"({"parent_id":999999,"kind":"building","name":"楼"})", 422, "place.parent_not_found"},
  };
  for (const auto& k : cases) {
    auto r = c.post("/api/places", k.body);
    EXPECT_EQ(r.status, k.status) << k.body << " → " << r.body;
    EXPECT_EQ(r.error_code(), k.code) << k.body;
    EXPECT_FALSE(str(r.json().at("error"), "message").empty());
  }
  auto field = c.post("/api/places", new_building({{"name", "楼"}, {"bogus", 1}}));
  EXPECT_EQ(str(field.json().at("error"), "field"), "bogus");
  EXPECT_EQ(place_count(), before);
}

// One text rule for every stored text: what XML, XLSX and a terminal cannot
// carry is refused with the field, and nothing is written.
TEST_F(Input, ControlCharactersAndNoncharactersAreRefusedEverywhere) {
  auto c = as("street_admin");
  auto before = place_count();
  for (const std::string& bad : {std::string("楼\0栋", 7), std::string("响铃\a"), std::string("\x1b[31m红"),
                                 std::string("删除\x7f"), std::string("\xef\xbf\xbf"),
                                 std::string("\xef\xbf\xbe"), std::string("\xc2\x85")}) {
    auto r = c.post("/api/places", new_building({{"name", bad}}));
    EXPECT_EQ(r.status, 422) << r.body;
    EXPECT_EQ(r.error_code(), "request.bad_text");
    EXPECT_EQ(str(r.json().at("error"), "field"), "name");
    auto partner = c.post("/api/partners", json::serialize(json::object{
                                               {"name", bad}, {"kind", "company"}, {"place_id", place_id("NC")}}));
    EXPECT_EQ(partner.error_code(), "request.bad_text");
  }
  EXPECT_EQ(place_count(), before);
  // A search with a NUL (long or short) is a bad query, never a 500 or a dropped filter.
  for (const char* list : {"/api/places", "/api/residents", "/api/partners"})
    for (const char* q : {"%E6%B3%89%00%E6%98%9F%E8%8A%B1", "a%00"}) {
      auto r = c.get(std::string(list) + "?q=" + q);
      EXPECT_EQ(r.status, 400) << list << " " << q << ": " << r.body;
      EXPECT_EQ(r.error_code(), "request.bad_query");
    }
}

TEST_F(Input, MediaTypesAreCaseInsensitiveAndExact) {
  auto c = as("street_admin");
  auto body = json::serialize(json::object{{"name", "泉星社区第二网格"}});
  auto upper = c.request("PATCH", grid_path(), body,
                         {{"Content-Type", "APPLICATION/JSON; Charset=UTF-8"}, {"X-CSRF-Token", c.csrf}});
  EXPECT_EQ(upper.status, 200) << upper.body;
  auto jsonx = c.request("PATCH", grid_path(), body,
                         {{"Content-Type", "application/jsonx"}, {"X-CSRF-Token", c.csrf}});
  EXPECT_EQ(jsonx.status, 415);
}

TEST_F(Input, UnknownFilterValuesAreBadQueriesAndAnswersStayUtf8) {
  auto c = as("street_admin");
  for (const char* q : {"/api/places?kind=bogus", "/api/partners?kind=bogus",
                        "/api/needs?status=bogus", "/api/work-orders?body=army",
                        "/api/work-orders?category=rockets", "/api/work-orders?status=lost"}) {
    auto r = c.get(q);
    EXPECT_EQ(r.status, 400) << q << ": " << r.body;
    EXPECT_EQ(r.error_code(), "request.bad_query") << q;
  }
  // An error never echoes bytes that are not text.
  auto r = c.post("/api/work-orders/1/actions/%FF%FE", "{}");
  EXPECT_EQ(r.status, 404);
  EXPECT_TRUE(clean_utf8(r.body)) << r.body;
}

TEST_F(Input, DatesAreStrictEverywhere) {
  auto c = as("street_admin");
  for (const char* from : {"2026-%2B1-01", "2026-02-30", "-999-01-01"})
    EXPECT_EQ(c.get(std::string("/api/work-orders/scorecard?to=2026-11-30&from=") + from).status, 422)
        << from;
  for (const char* start : {"2026-11-01T00:00:00%2B25:00", "2026-11-01T00:00:00%2B08:99", "2026-02-30"})
    EXPECT_EQ(anonymous().get(std::string("/open311/v2/requests.json?start_date=") + start).status, 400)
        << start;
}

TEST_F(Input, WrongContentTypeIsRefused) {
  auto c = as("street_admin");
  auto r = c.request("PATCH", grid_path(), R"({"name":"x"})",
                     {{"Content-Type", "text/plain"}, {"X-CSRF-Token", c.csrf}});
  EXPECT_EQ(r.status, 415);
  EXPECT_EQ(r.error_code(), "request.unsupported_media_type");
}

TEST_F(Input, OversizeBodyIs413AndWritesNothing) {
  auto c = as("street_admin");
  auto before = place_count();
  std::string huge = new_building({{"name", std::string(2 * 1024 * 1024, 'a')}});
  auto r = c.post("/api/places", huge);
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.error_code(), "request.too_large");
  EXPECT_EQ(place_count(), before);
  EXPECT_EQ(anonymous().get("/healthz").status, 200);  // and the server lives on
}

TEST_F(Input, OversizeHeadersAre431) {
  std::string req = "GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(64 * 1024, 'h') +
                    "\r\n\r\n";
  auto raw = raw_exchange(server_->port(), req);
  EXPECT_EQ(raw.substr(0, 12), "HTTP/1.1 431") << raw.substr(0, 200);
}

TEST_F(Input, GarbageRequestLineIs400) {
  auto raw = raw_exchange(server_->port(), "HELLO THERE\r\n\r\n");
  EXPECT_EQ(raw.substr(0, 12), "HTTP/1.1 400") << raw.substr(0, 200);
}

TEST_F(Input, InjectionStringsAreStoredLiterally) {
  auto c = as("street_admin");
  const std::string hostile[] = {
      "'; DROP TABLE places; --",
      "Robert'); DELETE FROM users WHERE ('1'='1",
      "<script>alert('x')</script>",
      "泉星社区 \\\" \\\\ 🚩 $1 %_",
  };
  for (const auto& name : hostile) {
    json::object body{{"parent_id", place_id("NC-QX-C1")}, {"kind", "building"}, {"name", name}};
    auto r = c.post("/api/places", json::serialize(body));
    ASSERT_EQ(r.status, 201) << r.body;
    auto back = c.get("/api/places/" + std::to_string(r.json().at("id").as_int64()));
    EXPECT_EQ(str(back.json(), "name"), name);
  }
  EXPECT_EQ(c.get("/api/users").status, 200);  // the users table is still there
  auto found = c.get("/api/places?q=%25_");  // LIKE wildcards are data too: one match
  ASSERT_EQ(found.status, 200);
  EXPECT_EQ(found.json().at("total").as_int64(), 1);
}

// A separate server with a short request timeout.
TEST(InputSlow, SlowClientsGet408) {
  TestServer server({"--request-timeout-ms", "600"});
  auto raw = raw_exchange(server.port(), "GET /hello HTTP/1.1\r\nHost: x\r\n", 3000);
  EXPECT_EQ(raw.substr(0, 12), "HTTP/1.1 408") << raw;
  EXPECT_EQ(server.client().get("/hello").status, 200);
}

}  // namespace xh::test
