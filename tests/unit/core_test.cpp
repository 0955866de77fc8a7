// Core building blocks: crypto, TOTP, passwords, JSON input, messages.
#include <gtest/gtest.h>

#include "auth/passwords.h"
#include "auth/totp.h"
#include "core/crypto.h"
#include "core/error.h"
#include "support/error_code.h"
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
std::string code_of(const std::function<void()>& f) { return xh::test::error_code_of(f); }
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

#include "imports/tabular.h"
#include "people/identity.h"
#include "places/places.h"

TEST(Identity, NationalIdsFollowGb11643) {
  auto id = people::parse_national_id("11010519491231002X");
  ASSERT_TRUE(id);
  EXPECT_EQ(id->birth_date, "1949-12-31");
  EXPECT_EQ(id->gender, "female");
  EXPECT_TRUE(people::parse_national_id("11010519491231002x"));     // lower-case x
  EXPECT_FALSE(people::parse_national_id("110105194912310021"));    // check character
  EXPECT_FALSE(people::parse_national_id("110105190002290028"));    // 1900 was no leap year
  EXPECT_FALSE(people::parse_national_id("110105209901010011"));    // born in the future
  EXPECT_FALSE(people::parse_national_id("01010519491231002X"));    // no such province
  EXPECT_EQ(people::mask_national_id("11010519491231002X"), "1101**********002X");
}

TEST(Identity, PhonesAndTheirMasks) {
  EXPECT_TRUE(people::parse_phone("13812341234"));
  EXPECT_TRUE(people::parse_phone("0531-88123456"));
  EXPECT_FALSE(people::parse_phone("12812341234"));
  EXPECT_FALSE(people::parse_phone("1381234123"));
  EXPECT_FALSE(people::parse_phone("138-1234-1234"));
  EXPECT_EQ(people::mask_phone("13812341234"), "138****1234");
}

TEST(Places, AreasAreExactDecimals) {
  EXPECT_EQ(places::parse_area("89.5"), 8950);
  EXPECT_EQ(places::parse_area("89.50"), 8950);
  EXPECT_EQ(places::parse_area("120"), 12000);
  EXPECT_FALSE(places::parse_area("89.505"));
  EXPECT_FALSE(places::parse_area("-1"));
  EXPECT_FALSE(places::parse_area("8e2"));
  EXPECT_FALSE(places::parse_area("89."));
  EXPECT_EQ(places::format_area(8905), "89.05");
}

TEST(Tabular, CsvQuotesBlankLinesAndBom) {
  auto t = imports::read_csv("\xEF\xBB\xBF姓名,备注\r\n\"张三\",\"说\"\"你好\"\",再见\"\r\n\r\n李四,\n");
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(t[0][0], "姓名");
  EXPECT_EQ(t[1][1], "说\"你好\",再见");
  EXPECT_TRUE(t[2].empty());
  EXPECT_EQ(t[3][0], "李四");
  EXPECT_THROW(imports::read_csv("\"never closed"), std::invalid_argument);
  EXPECT_THROW(imports::read_xlsx("not a zip"), std::invalid_argument);
}

#include "api/export.h"
#include "core/text.h"

TEST(Text, OneRuleForStoredText) {
  EXPECT_TRUE(xh::clean_utf8("泉星花园 1号楼\t\r\n"));
  for (std::string bad : {std::string("a\0b", 3), std::string("\x07"), std::string("\x1b"),
                          std::string("\x7f"), std::string("\xc2\x85"), std::string("\xef\xbf\xbe"),
                          std::string("\xef\xbf\xbf"), std::string("\xff"), std::string("\xe6\xb3")})
    EXPECT_FALSE(xh::clean_utf8(bad)) << bad.size();
  // Cut on a character boundary, never inside one.
  EXPECT_EQ(xh::utf8_prefix("泉星花园", 7), "泉星");
  EXPECT_EQ(xh::utf8_prefix("泉星花园", 6), "泉星");
  EXPECT_EQ(xh::utf8_prefix("ab", 5), "ab");
}

TEST(Export, CsvNeutralisesFormulasButNotNumbers) {
  auto csv = xh::api::to_csv({{"=1+1", "@x", "\tx", "\rx", "+cmd", "-30", "-3.5", "+7", "-x"}});
  EXPECT_EQ(csv, "\xEF\xBB\xBF'=1+1,'@x,'\tx,\"'\rx\",'+cmd,-30,-3.5,+7,'-x\r\n");
}

TEST(Time, DatesAndDateTimesAreParsedStrictly) {
  using xh::parse_beijing_date;
  using xh::parse_w3c;
  ASSERT_TRUE(parse_beijing_date("2026-02-28"));
  for (const char* bad : {"2026-+1-01", "2026-02-30", "2026-2-01", " 2026-02-01", "-999-01-01",
                          "2026-13-01", "２０２６-01-01"})
    EXPECT_FALSE(parse_beijing_date(bad)) << bad;
  auto z = parse_w3c("2026-11-01T00:00:00Z");
  auto bj = parse_w3c("2026-11-01T08:00:00+08:00");
  ASSERT_TRUE(z && bj);
  EXPECT_EQ(*z, *bj);
  EXPECT_EQ(*parse_w3c("2026-11-01"), *parse_w3c("2026-11-01T00:00:00+08:00"));
  // Milliseconds are kept (the API's own times round-trip); finer digits are dropped.
  EXPECT_EQ(*parse_w3c("2026-11-01T00:00:00.250Z"), *z + 250);
  EXPECT_EQ(*parse_w3c("2026-11-01T00:00:00.5Z"), *z + 500);
  EXPECT_EQ(*parse_w3c("2026-11-01T00:00:00.123456+08:00"), *z - 8 * 3600 * 1000 + 123);
  EXPECT_EQ(*parse_w3c(xh::iso8601(1764554415523)), 1764554415523);
  for (const char* bad : {"2026-11-01T00:00:00+25:00", "2026-11-01T00:00:00+08:99",
                          "2026-11-01T24:00:00Z", "2026-11-01T00:00:60Z", "2026-11-01T00:00Z",
                          "2026-11-01T00:00:00", "2026-11-01T00:00:00.Z", "2026-02-30T00:00:00Z"})
    EXPECT_FALSE(parse_w3c(bad)) << bad;
}

#include "http/message.h"

namespace xh {

// Accept-Encoding as RFC 9110 §12.5.3 reads it: names are case-insensitive,
// q=0 refuses, "*" covers what is not named.
TEST(AcceptEncoding, ReadsNamesQualitiesAndTheWildcard) {
  struct Case {
    const char* header;
    const char* coding;
    bool accepted;
  };
  const std::vector<Case> cases = {
      {"gzip, deflate, br", "br", true},   {"gzip, deflate, br", "gzip", true},
      {"GZIP", "gzip", true},              {"deflate", "gzip", false},
      {"gzip;q=0", "gzip", false},         {"gzip; q=0.000", "gzip", false},
      {"gzip;q=0.5", "gzip", true},        {"*", "br", true},
      {"*;q=0, gzip", "br", false},        {"*, br;q=0", "br", false},
      {"", "gzip", false},                 {"identity", "gzip", false},
  };
  for (const auto& c : cases)
    EXPECT_EQ(http::accepts_encoding(c.header, c.coding), c.accepted) << c.header << " / " << c.coding;
}

}  // namespace xh
