// Core building blocks: crypto, TOTP, passwords, JSON input, messages.
#include <gtest/gtest.h>

#include "auth/passwords.h"
#include "auth/totp.h"
#include "core/crypto.h"
#include "core/error.h"
#include "core/json_input.h"
#include "core/messages.h"

using namespace xh;

namespace {
struct CryptoInit : ::testing::Environment {
  void SetUp() override { crypto_init(); }
};
const auto* env = ::testing::AddGlobalTestEnvironment(new CryptoInit);

int status_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.status();
  }
  return 0;
}
std::string code_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.code();
  }
  return "";
}
}  // namespace

TEST(Totp, MatchesRfc6238Sha1Vectors) {
  // RFC 6238 appendix B, secret "12345678901234567890"; apps use the last 6 digits.
  std::string secret = base32_encode("12345678901234567890");
  EXPECT_EQ(auth::totp_code(secret, 59 / 30), "287082");
  EXPECT_EQ(auth::totp_code(secret, 1111111109 / 30), "081804");
  EXPECT_EQ(auth::totp_code(secret, 1234567890 / 30), "005924");
  EXPECT_EQ(auth::totp_code(secret, 2000000000 / 30), "279037");
}

TEST(Totp, AcceptsOneStepOfDriftOnly) {
  std::string secret = auth::new_totp_secret();
  std::int64_t t = 1800000000;
  EXPECT_EQ(auth::totp_match(secret, auth::totp_code(secret, t / 30 - 1), t), t / 30 - 1);
  EXPECT_EQ(auth::totp_match(secret, auth::totp_code(secret, t / 30 + 1), t), t / 30 + 1);
  EXPECT_FALSE(auth::totp_match(secret, auth::totp_code(secret, t / 30 - 2), t));
  EXPECT_FALSE(auth::totp_match(secret, "12345", t));
  EXPECT_NE(auth::totp_uri(secret, "grid_worker").find("secret=" + secret), std::string::npos);
}

TEST(Base32, RoundTripsAndRejectsGarbage) {
  EXPECT_EQ(base32_encode("foobar"), "MZXW6YTBOI");
  EXPECT_EQ(base32_decode("MZXW6YTBOI"), "foobar");
  EXPECT_THROW(base32_decode("not base32!"), std::invalid_argument);
}

TEST(FieldCipher, RoundTripsAndDetectsTampering) {
  FieldCipher c(std::string(32, 'k'));
  std::string sealed = c.encrypt("370102199003071234");
  EXPECT_EQ(sealed.substr(0, 3), "v1:");
  EXPECT_EQ(c.decrypt(sealed), "370102199003071234");
  EXPECT_NE(c.encrypt("same"), c.encrypt("same"));  // fresh nonce every time
  std::string bad = sealed;
  bad[10] = bad[10] == 'A' ? 'B' : 'A';
  EXPECT_THROW(c.decrypt(bad), std::invalid_argument);
  FieldCipher other(std::string(32, 'x'));
  EXPECT_THROW(other.decrypt(sealed), std::invalid_argument);
}

TEST(Passwords, HashVerifiesOnlyTheSamePassword) {
  std::string h = auth::hash_password("Demo@2026");
  EXPECT_EQ(h.rfind("$argon2id$", 0), 0u);
  EXPECT_TRUE(auth::verify_password("Demo@2026", h));
  EXPECT_FALSE(auth::verify_password("Demo@2027", h));
}

TEST(Passwords, RulesAtTheirEdges) {
  EXPECT_EQ(code_of([] { auth::check_password_rules("Ab1@xyz", "u"); }), "auth.weak_password");
  EXPECT_EQ(code_of([] { auth::check_password_rules("Ab1@xyzw", "u"); }), "");  // 8, four classes
  EXPECT_EQ(code_of([] { auth::check_password_rules("abcdefgh1", "u"); }), "auth.weak_password");
  EXPECT_EQ(code_of([] { auth::check_password_rules("abcdefG1", "u"); }), "");  // three classes
  EXPECT_EQ(code_of([] { auth::check_password_rules("Grid_Worker1", "grid_worker"); }),
            "auth.weak_password");
}

TEST(JsonInput, RejectsBadBodiesBeforeAnythingHappens) {
  EXPECT_EQ(code_of([] { JsonInput("{", {"a"}); }), "request.bad_json");
  EXPECT_EQ(code_of([] { JsonInput("[1]", {"a"}); }), "request.bad_json");
  EXPECT_EQ(code_of([] { JsonInput(R"({"a":1,"b":2})", {"a"}); }), "request.unknown_field");
  EXPECT_EQ(code_of([] { JsonInput(R"({})", {"a"}).str("a"); }), "request.missing_field");
  EXPECT_EQ(code_of([] { JsonInput(R"({"a":5})", {"a"}).str("a"); }), "request.invalid_field");
  EXPECT_EQ(code_of([] { JsonInput(R"({"a":"x"})", {"a"}).i64("a"); }), "request.invalid_field");
  EXPECT_EQ(code_of([] { JsonInput(R"({"a":1.5})", {"a"}).i64("a"); }), "request.invalid_field");
  EXPECT_EQ(code_of([] { JsonInput(R"({"a":"泉星社区"})", {"a"}).str("a", 3); }),
            "request.field_too_long");
  EXPECT_EQ(JsonInput(R"({"a":"泉星社区"})", {"a"}).str("a", 4), "泉星社区");
  EXPECT_EQ(status_of([] { JsonInput("{", {}); }), 400);
  EXPECT_EQ(status_of([] { JsonInput(R"({"x":1})", {}); }), 422);
  EXPECT_FALSE(JsonInput(R"({"a":null})", {"a"}).opt_str("a"));
}

TEST(JsonInput, ParsesIdsStrictly) {
  EXPECT_EQ(parse_id("42"), 42);
  EXPECT_EQ(code_of([] { parse_id("0"); }), "request.bad_id");
  EXPECT_EQ(code_of([] { parse_id("4x"); }), "request.bad_id");
  EXPECT_EQ(code_of([] { parse_id("1 OR 1=1"); }), "request.bad_id");
  EXPECT_EQ(code_of([] { parse_id("99999999999999999999"); }), "request.bad_id");
}

TEST(Messages, ChineseFirstEnglishOnRequest) {
  EXPECT_EQ(lang_from_accept_language(""), Lang::zh_CN);
  EXPECT_EQ(lang_from_accept_language("zh-CN,zh;q=0.9,en;q=0.8"), Lang::zh_CN);
  EXPECT_EQ(lang_from_accept_language("en-US,en;q=0.9"), Lang::en);
  EXPECT_EQ(message("auth.locked", Lang::zh_CN).find("锁定") != std::string::npos, true);
  EXPECT_EQ(message("no.such.code", Lang::zh_CN), "请求未能完成");
}
