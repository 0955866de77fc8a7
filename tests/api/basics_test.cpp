// The server itself: health, hello, OpenAPI, unknown routes, headers, language.
#include "api_test.h"

namespace xh::test {

class Basics : public ApiTest {};

TEST_F(Basics, HealthAndHello) {
  auto c = anonymous();
  auto h = c.get("/healthz");
  EXPECT_EQ(h.status, 200);
  EXPECT_EQ(str(h.json(), "database"), testing_postgres() ? "postgresql" : "sqlite");
  auto hello = c.get("/hello");
  EXPECT_EQ(hello.status, 200);
  EXPECT_EQ(str(hello.json(), "status"), "ok");
}

TEST_F(Basics, ServesItsOpenApiDocument) {
  auto r = anonymous().get("/api/openapi.json");
  ASSERT_EQ(r.status, 200);
  auto doc = r.json();
  EXPECT_EQ(str(doc, "openapi").substr(0, 2), "3.");
  EXPECT_TRUE(doc.at("paths").as_object().contains("/api/places/{id}"));
}

TEST_F(Basics, UnknownRouteAndWrongMethodAreTranslatedErrors) {
  auto c = anonymous();
  auto r = c.get("/api/nothing-here");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.error_code(), "request.not_found");
  EXPECT_EQ(str(r.json().at("error"), "message"), "请求的地址不存在");
  c.accept_language = "en-GB,en;q=0.9";
  auto en = c.request("DELETE", "/api/places");
  EXPECT_EQ(en.status, 405);
  EXPECT_EQ(str(en.json().at("error"), "message"), "This method is not allowed here");
}

TEST_F(Basics, SecurityHeadersOnApiAnswers) {
  auto r = anonymous().get("/api/auth/me");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.error_code(), "auth.unauthenticated");
  EXPECT_EQ(r.header("x-content-type-options"), "nosniff");
  EXPECT_NE(r.header("content-security-policy").find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_EQ(r.header("content-security-policy").find("script-src 'unsafe-inline'"), std::string::npos);
  EXPECT_EQ(r.header("referrer-policy"), "no-referrer");
  EXPECT_EQ(r.header("cache-control"), "no-store");
}

TEST_F(Basics, AuditChainOfTheDemoStreetVerifies) {
  std::string out;
  EXPECT_EQ(server_->cli({"audit", "verify"}, &out), 0) << out;
  EXPECT_NE(out.find("intact"), std::string::npos);
}

// The reference lists the console and phones read to fill their pickers and
// labels answer every signed-in role that uses them (and, through the answer
// log, are checked against the OpenAPI document like every other answer).
TEST_F(Basics, ReferenceListsAnswerTheRolesThatUseThem) {
  auto community = place_id("NC-QX");
  auto admin = as("community_admin");
  for (const std::string target :
       {"/api/roles", "/api/care-tags", "/api/partner-kinds", "/api/partner-categories",
        "/api/work-order-statuses", "/api/work-order-categories", "/api/work-order-bodies",
        "/api/work-order-settings", "/api/points/event-kinds",
        "/api/points/vouchers"}) {
    auto r = admin.get(target);
    EXPECT_EQ(r.status, 200) << target << ": " << r.body;
  }
  auto rules = admin.get("/api/points/rules?community_id=" + std::to_string(community));
  ASSERT_EQ(rules.status, 200) << rules.body;
  EXPECT_FALSE(rules.json().at("items").as_array().empty());
  auto settings = admin.get("/api/points/settings?community_id=" + std::to_string(community));
  EXPECT_EQ(settings.status, 200) << settings.body;
  EXPECT_EQ(admin.get("/api/points/settings").error_code(), "request.bad_query");
  // Escalation rules are the street's to configure.
  EXPECT_EQ(admin.get("/api/work-order-rules").error_code(), "auth.permission_denied");
  EXPECT_EQ(as("street_admin").get("/api/work-order-rules").status, 200);
  auto resident = as("resident");
  EXPECT_EQ(resident.get("/api/work-order-categories").status, 200);
  EXPECT_EQ(resident.get("/api/points/vouchers").status, 200);
}

}  // namespace xh::test

