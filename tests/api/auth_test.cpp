// Accounts: login, lock-out, CSRF, sessions, bearer tokens, TOTP, passwords.
#include <atomic>
#include <thread>

#include "api_test.h"
#include "auth/totp.h"
#include "core/time.h"

namespace xh::test {

class Auth : public ApiTest {};

TEST_F(Auth, LoginSetsAnHttpOnlySameSiteCookieAndReturnsCsrf) {
  auto c = anonymous();
  auto r = c.login("grid_worker", kDemoPassword);
  ASSERT_EQ(r.status, 200) << r.body;
  std::string cookie = r.header("set-cookie");
  EXPECT_NE(cookie.find("xh_session="), std::string::npos);
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_FALSE(c.csrf.empty());
  auto me = c.get("/api/auth/me");
  ASSERT_EQ(me.status, 200);
  EXPECT_EQ(str(me.json(), "username"), "grid_worker");
  EXPECT_EQ(str(me.json(), "csrf_token"), c.csrf);
  EXPECT_EQ(str(me.json().at("roles").at(0), "role"), "grid_worker");
  // Each role names its place, so no screen shows a bare number.
  EXPECT_EQ(str(me.json().at("roles").at(0).at("place"), "kind"), "grid");
  EXPECT_EQ(str(me.json().at("roles").at(0).at("place"), "name"), "泉星社区第一网格");
}

TEST_F(Auth, WrongPasswordAndUnknownUserLookAlike) {
  auto a = anonymous().login("grid_worker", "Wrong@2026");
  auto b = anonymous().login("nobody_here", "Wrong@2026");
  EXPECT_EQ(a.status, 401);
  EXPECT_EQ(b.status, 401);
  EXPECT_EQ(a.error_code(), "auth.bad_credentials");
  EXPECT_EQ(a.body, b.body);
}

TEST_F(Auth, FiveFailuresLockTheAccountUntilASecurityAdminUnlocksIt) {
  auto before = audit_count("auth.login_failed");
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(anonymous().login("volunteer", "Wrong@2026").status, 401);
  // Locked, the right password is refused with the answer a wrong one gets:
  // no answer tells which usernames exist.
  auto locked = anonymous().login("volunteer", kDemoPassword);
  EXPECT_EQ(locked.status, 401);
  EXPECT_EQ(locked.body, anonymous().login("nobody_here", "Wrong@2026").body);
  EXPECT_GE(audit_count("auth.login_failed"), before + 6);

  auto users = as("security_admin").get("/api/users?q=volunteer");
  ASSERT_EQ(users.status, 200) << users.body;
  auto id = users.json().at("items").at(0).at("id").as_int64();
  auto sec = as("security_admin");
  EXPECT_EQ(sec.post("/api/users/" + std::to_string(id) + "/unlock", "").status, 200);
  EXPECT_EQ(anonymous().login("volunteer", kDemoPassword).status, 200);
}

// Check-and-set under load: parallel guesses each count, the lock falls at
// the threshold, and once it has fallen no answer tells a right password from
// a wrong one; parallel right logins all get in.
TEST_F(Auth, ParallelGuessesCountEveryFailureAndParallelLoginsAllSucceed) {
  auto before = audit_count("auth.login_failed");
  std::vector<std::thread> threads;
  for (int i = 0; i < 16; ++i)
    threads.emplace_back(
        [&] { EXPECT_EQ(anonymous().login("partner_admin", "Wrong@2026").status, 401); });
  for (auto& t : threads) t.join();
  EXPECT_EQ(audit_count("auth.login_failed"), before + 16);  // none lost
  auto locked = anonymous().login("partner_admin", kDemoPassword);
  EXPECT_EQ(locked.status, 401);
  EXPECT_EQ(locked.body, anonymous().login("nobody_here", "Wrong@2026").body);
  auto sec = as("security_admin");
  auto id = sec.get("/api/users?q=partner_admin").json().at("items").at(0).at("id").as_int64();
  ASSERT_EQ(sec.post("/api/users/" + std::to_string(id) + "/unlock", "").status, 200);

  std::vector<std::thread> logins;
  std::atomic<int> in{0};
  for (int i = 0; i < 8; ++i)
    logins.emplace_back([&] {
      if (anonymous().login("partner_admin", kDemoPassword).status == 200) ++in;
    });
  for (auto& t : logins) t.join();
  EXPECT_EQ(in.load(), 8);
}

// A token is not forever: it expires, and a password change or disabling the
// account ends it for good.
TEST_F(Auth, TokensExpireAndEndWithAPasswordChangeOrADisabledAccount) {
  auto sys = as("sys_admin");
  auto made = sys.post("/api/users", json::serialize(json::object{
                                         {"username", "token.owner"}, {"display_name", "令牌用户"},
                                         {"password", "Token#2026a"}}));
  ASSERT_EQ(made.status, 201) << made.body;
  auto uid = std::to_string(made.json().at("id").as_int64());
  auto owner = anonymous();
  ASSERT_EQ(owner.login("token.owner", "Token#2026a").status, 200);
  auto new_token = [&] {
    auto t = owner.post("/api/auth/tokens", json::serialize(json::object{{"name", "脚本"}}));
    EXPECT_EQ(t.status, 201) << t.body;
    // Times are ISO 8601 in UTC, like every time the API writes.
    auto expires = parse_w3c(str(t.json(), "expires_at"));
    EXPECT_TRUE(expires && *expires > now_ms()) << t.body;
    HttpClient program = anonymous();
    program.bearer = str(t.json(), "token");
    return program;
  };
  auto me = [](HttpClient& c) { return c.get("/api/auth/me").status; };

  auto expiring = new_token();
  EXPECT_EQ(me(expiring), 200);
  auto db = server_->open_db();
  db->write([&](storage::Tx& tx) {
    tx.exec("UPDATE api_tokens SET expires_at = $1 WHERE user_id = $2", now_ms() - 1,
            static_cast<std::int64_t>(std::stoll(uid)));
  });
  EXPECT_EQ(me(expiring), 401);

  auto before_change = new_token();
  ASSERT_EQ(me(before_change), 200);
  ASSERT_EQ(owner.post("/api/auth/password",
                       json::serialize(json::object{{"current_password", "Token#2026a"},
                                                    {"new_password", "Token#2026b"}}))
                .status,
            200);
  EXPECT_EQ(me(before_change), 401);

  auto before_disable = new_token();
  ASSERT_EQ(me(before_disable), 200);
  ASSERT_EQ(sys.patch("/api/users/" + uid, R"({"disabled":true})").status, 200);
  ASSERT_EQ(sys.patch("/api/users/" + uid, R"({"disabled":false})").status, 200);
  EXPECT_EQ(me(before_disable), 401);
}

// Guessing the current password through a session counts like failed logins.
TEST_F(Auth, GuessingTheCurrentPasswordLocksTheAccount) {
  auto sys = as("sys_admin");
  ASSERT_EQ(sys.post("/api/users", json::serialize(json::object{{"username", "guess.target"},
                                                               {"display_name", "被猜者"},
                                                               {"password", "Guess#2026a"}}))
                .status,
            201);
  auto c = anonymous();
  ASSERT_EQ(c.login("guess.target", "Guess#2026a").status, 200);
  auto guess = [&](const char* current) {
    return c.post("/api/auth/password", json::serialize(json::object{
                                            {"current_password", current}, {"new_password", "Guess#2026z"}}));
  };
  for (int i = 0; i < 4; ++i) EXPECT_EQ(guess("Wrong#2026x").error_code(), "auth.bad_current_password");
  EXPECT_EQ(guess("Wrong#2026x").status, 423);  // the fifth locks the account
  EXPECT_EQ(guess("Guess#2026a").status, 423);  // even the right one, now
  EXPECT_EQ(anonymous().login("guess.target", "Guess#2026a").status, 401);
}

TEST_F(Auth, UnsafeRequestsWithoutTheCsrfTokenAreRefused) {
  auto c = as("community_admin");
  auto id = place_id("NC-QX-G2");
  std::string csrf = c.csrf;
  c.csrf.clear();
  auto r = c.patch("/api/places/" + std::to_string(id), R"({"name":"改名"})");
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.error_code(), "auth.csrf_failed");
  c.csrf = "forged-token";
  EXPECT_EQ(c.patch("/api/places/" + std::to_string(id), R"({"name":"改名"})").status, 403);
  c.csrf = csrf;
  auto after = c.get("/api/places/" + std::to_string(id));
  EXPECT_EQ(str(after.json(), "name"), "泉星社区第二网格");  // nothing changed
}

TEST_F(Auth, LogoutEndsTheSession) {
  auto c = as("grid_worker");
  auto cookies = c.cookies;
  EXPECT_EQ(c.post("/api/auth/logout", "").status, 200);
  c.cookies = cookies;  // replaying the old cookie does not help
  EXPECT_EQ(c.get("/api/auth/me").status, 401);
}

TEST_F(Auth, BearerTokensWorkWithoutCsrfAndCanBeRevoked) {
  auto c = as("street_admin");
  auto t = c.post("/api/auth/tokens", R"({"name":"统计脚本"})");
  ASSERT_EQ(t.status, 201) << t.body;
  std::string token = str(t.json(), "token");
  auto id = t.json().at("id").as_int64();

  HttpClient program = anonymous();
  program.bearer = token;
  EXPECT_EQ(program.get("/api/places?limit=1").status, 200);
  auto created = program.post("/api/places", json::serialize(json::object{{"parent_id", place_id("NC-GSH")},
                                                                        {"kind", "grid"},
                                                                        {"name", "工商河社区第二网格"}}));
  EXPECT_EQ(created.status, 201) << created.body;
  // The listing never shows the secret again.
  auto list = c.get("/api/auth/tokens");
  EXPECT_FALSE(list.json().at("items").at(0).as_object().contains("token"));
  EXPECT_EQ(c.del("/api/auth/tokens/" + std::to_string(id)).status, 200);
  EXPECT_EQ(program.get("/api/places?limit=1").status, 401);
  program.bearer = "xh_not-a-real-token";
  EXPECT_EQ(program.get("/api/places?limit=1").status, 401);
}

TEST_F(Auth, TotpEnrolmentThenLoginNeedsTheCode) {
  auto c = as("building_leader");
  EXPECT_FALSE(c.get("/api/auth/me").json().at("totp_enabled").as_bool());
  auto setup = c.post("/api/auth/totp/setup", "");
  ASSERT_EQ(setup.status, 200) << setup.body;
  std::string secret = str(setup.json(), "secret");
  EXPECT_EQ(str(setup.json(), "otpauth_uri").rfind("otpauth://totp/", 0), 0u);
  EXPECT_EQ(c.post("/api/auth/totp/confirm", R"({"code":"000000"})").status, 422);
  std::int64_t now = now_ms() / 1000;
  auto code = auth::totp_code(secret, now / 30);
  ASSERT_EQ(c.post("/api/auth/totp/confirm", json::serialize(json::object{{"code", code}})).status, 200);
  EXPECT_TRUE(c.get("/api/auth/me").json().at("totp_enabled").as_bool());

  auto without = anonymous().login("building_leader", kDemoPassword);
  EXPECT_EQ(without.status, 401);
  EXPECT_EQ(without.error_code(), "auth.totp_required");
  // The code used to confirm cannot be replayed; the next step's code (within
  // the allowed drift) works.
  auto replay = anonymous().login("building_leader", kDemoPassword, code);
  EXPECT_EQ(replay.error_code(), "auth.bad_totp");
  // Eight logins racing with the same fresh code: one gets in.
  auto next = auth::totp_code(secret, now / 30 + 1);
  std::vector<std::thread> racers;
  std::atomic<int> admitted{0};
  for (int i = 0; i < 4; ++i)
    racers.emplace_back([&] {
      if (anonymous().login("building_leader", kDemoPassword, next).status == 200) ++admitted;
    });
  for (auto& t : racers) t.join();
  EXPECT_EQ(admitted.load(), 1);

  auto residents = as("resident").post("/api/auth/totp/setup", "");
  EXPECT_EQ(residents.status, 403);

  // A lost phone: the security administrator resets the second factor, and
  // the password alone signs in again (a resident cannot do that).
  auto sec = as("security_admin");
  auto uid = std::to_string(
      sec.get("/api/users?q=building_leader").json().at("items").at(0).at("id").as_int64());
  EXPECT_EQ(as("resident").post("/api/users/" + uid + "/totp/reset", "").status, 403);
  auto reset = sec.post("/api/users/" + uid + "/totp/reset", "");
  ASSERT_EQ(reset.status, 200) << reset.body;
  EXPECT_FALSE(reset.json().at("totp_enabled").as_bool());
  EXPECT_EQ(anonymous().login("building_leader", kDemoPassword).status, 200);
}

TEST_F(Auth, PasswordChangeFollowsTheRules) {
  auto sys = as("sys_admin");
  auto u = sys.post("/api/users", R"({"username":"wang.fang","display_name":"王芳","password":"Start@2026"})");
  ASSERT_EQ(u.status, 201) << u.body;
  auto c = anonymous();
  ASSERT_EQ(c.login("wang.fang", "Start@2026").status, 200);
  auto weak = c.post("/api/auth/password", R"({"current_password":"Start@2026","new_password":"12345678"})");
  EXPECT_EQ(weak.status, 422);
  EXPECT_EQ(weak.error_code(), "auth.weak_password");
  auto wrong = c.post("/api/auth/password", R"({"current_password":"Nope@2026","new_password":"Better#2026x"})");
  EXPECT_EQ(wrong.error_code(), "auth.bad_current_password");
  EXPECT_EQ(c.post("/api/auth/password", R"({"current_password":"Start@2026","new_password":"Better#2026x"})").status, 200);
  EXPECT_EQ(anonymous().login("wang.fang", "Start@2026").status, 401);
  EXPECT_EQ(anonymous().login("wang.fang", "Better#2026x").status, 200);
  EXPECT_EQ(c.get("/api/auth/me").status, 200);  // the session that changed it stays
}

TEST_F(Auth, APasswordChangeEndsTheOtherSessions) {
  auto elsewhere = as("property_staff");
  auto here = as("property_staff");
  ASSERT_EQ(here.post("/api/auth/password", R"({"current_password":"Demo@2026","new_password":"Other#2026pw"})").status, 200);
  EXPECT_EQ(elsewhere.get("/api/auth/me").status, 401);
  EXPECT_EQ(here.get("/api/auth/me").status, 200);
}

// A forgotten password: the security administrator sets a temporary one,
// which ends every session and token of the account and must be changed at
// the next sign-in; the three administrators' passwords only the operator
// resets, on the command line.
TEST_F(Auth, TheSecurityAdministratorResetsAForgottenPassword) {
  auto sys = as("sys_admin");
  auto made = sys.post("/api/users", R"({"username":"wang.wu","display_name":"王五","password":"Wang#2026wu"})");
  ASSERT_EQ(made.status, 201) << made.body;
  auto path = "/api/users/" + std::to_string(made.json().at("id").as_int64()) + "/password";
  auto before = anonymous();
  ASSERT_EQ(before.login("wang.wu", "Wang#2026wu").status, 200);

  auto sec = as("security_admin");
  EXPECT_EQ(sec.post(path, R"({"password":"short"})").error_code(), "auth.weak_password");
  EXPECT_EQ(as("community_admin").post(path, R"({"password":"Temp#2026ab"})").status, 403);
  EXPECT_EQ(sys.post(path, R"({"password":"Temp#2026ab"})").status, 403);  // 三权分立
  ASSERT_EQ(sec.post(path, R"({"password":"Temp#2026ab"})").status, 200);
  EXPECT_EQ(before.get("/api/auth/me").status, 401);  // whoever was signed in is out
  EXPECT_EQ(anonymous().login("wang.wu", "Wang#2026wu").status, 401);

  auto after = anonymous();
  auto in = after.login("wang.wu", "Temp#2026ab");
  ASSERT_EQ(in.status, 200);
  EXPECT_TRUE(in.json().at("password_expired").as_bool());
  EXPECT_EQ(after.get("/api/places").error_code(), "auth.password_expired");
  ASSERT_EQ(after.post("/api/auth/password",
                       R"({"current_password":"Temp#2026ab","new_password":"Mine#2026wu"})").status, 200);
  EXPECT_EQ(after.get("/api/auth/me").status, 200);
  EXPECT_FALSE(after.get("/api/auth/me").json().at("password_expired").as_bool());

  auto auditor = sec.get("/api/users?q=audit_admin").json().at("items").at(0).at("id").as_int64();
  auto refused = sec.post("/api/users/" + std::to_string(auditor) + "/password", R"({"password":"Temp#2026ab"})");
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.error_code(), "user.admin_password_by_operator");
  EXPECT_GE(audit_count("user.password_reset"), 1);
}

TEST(AuthOperator, TheOperatorResetsAnAdministratorsPassword) {
  TestServer server;
  setenv("XINGHUO_PASSWORD", "Audit#2026new", 1);
  std::string out;
  EXPECT_EQ(server.cli({"user", "password", "--username", "audit_admin"}, &out), 0) << out;
  EXPECT_NE(server.cli({"user", "password", "--username", "nobody.here"}, &out), 0);
  unsetenv("XINGHUO_PASSWORD");
  auto a = server.client();
  auto fresh = a.login("audit_admin", "Audit#2026new");
  ASSERT_EQ(fresh.status, 200) << fresh.body;
  EXPECT_TRUE(fresh.json().at("password_expired").as_bool());
  EXPECT_EQ(server.client().login("audit_admin", kDemoPassword).status, 401);
}

// A separate server with a 2-second idle timeout.
TEST(AuthIdle, IdleSessionsExpire) {
  TestServer server({"--session-idle-seconds", "2"});
  auto c = server.client();
  ASSERT_EQ(c.login("grid_worker", kDemoPassword).status, 200);
  EXPECT_EQ(c.get("/api/auth/me").status, 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(3200));
  auto r = c.get("/api/auth/me");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.error_code(), "auth.session_expired");
}

// The session policy is per role: staff keep the short idle timeout (等保),
// residents and volunteers on their own phones stay signed in (a lasting
// cookie; the server ends the session after 30 idle days, renewed on use).
TEST(AuthIdle, ResidentsStaySignedInWhileStaffSessionsExpire) {
  TestServer server({"--session-idle-seconds", "2"});
  auto staff = server.client(), resident = server.client(), volunteer = server.client();
  auto s = staff.login("grid_worker", kDemoPassword);
  auto r = resident.login("resident", kDemoPassword);
  ASSERT_EQ(volunteer.login("volunteer", kDemoPassword).status, 200);
  ASSERT_EQ(s.status, 200);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(s.header("set-cookie").find("Max-Age"), std::string::npos) << s.header("set-cookie");
  EXPECT_NE(r.header("set-cookie").find("Max-Age=34560000"), std::string::npos) << r.header("set-cookie");
  EXPECT_EQ(staff.get("/api/auth/me").json().at("session_idle_seconds").as_int64(), 2);
  EXPECT_EQ(resident.get("/api/auth/me").json().at("session_idle_seconds").as_int64(), 30 * 24 * 3600);
  std::this_thread::sleep_for(std::chrono::milliseconds(3200));
  EXPECT_EQ(staff.get("/api/auth/me").error_code(), "auth.session_expired");
  EXPECT_EQ(resident.get("/api/auth/me").status, 200);
  EXPECT_EQ(volunteer.get("/api/work-order-categories").status, 200);
  // Signing out still ends it at once.
  ASSERT_EQ(resident.post("/api/auth/logout", "").status, 200);
  EXPECT_EQ(resident.get("/api/auth/me").status, 401);
}

TEST(AuthExpiry, AnExpiredPasswordMustBeChangedFirst) {
  TestServer server({"--password-max-age-days", "90"});
  auto db = server.open_db();
  db->write([](storage::Tx& tx) {
    tx.exec("UPDATE users SET password_changed_at = 0 WHERE username = 'grid_worker'");
  });
  auto c = server.client();
  auto r = c.login("grid_worker", kDemoPassword);
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(r.json().at("password_expired").as_bool());
  EXPECT_EQ(c.get("/api/places").error_code(), "auth.password_expired");
  // No way around it through an API token either.
  EXPECT_EQ(c.post("/api/auth/tokens", R"({"name":"绕过"})").error_code(), "auth.password_expired");
  ASSERT_EQ(c.post("/api/auth/password",
                   R"({"current_password":"Demo@2026","new_password":"Fresh#2026q"})").status, 200);
  EXPECT_EQ(c.get("/api/places").status, 200);
}

}  // namespace xh::test
