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

}  // namespace xh::test
