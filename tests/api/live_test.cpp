// Live updates and the inbox (PRODUCT §8): the WebSocket at /api/live, its
// subscriptions checked as GETs are, heartbeats that end what may no longer
// be seen, resume, limits, the inbox, and events across two processes.
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "api_test.h"
#include "support/ws_client.h"

namespace xh::test {

namespace {

using namespace std::chrono_literals;

json::value parse(const std::optional<std::string>& m) { return m ? json::parse(*m) : json::value(); }

}  // namespace

class Live : public ::testing::Test {
 protected:
  // Heartbeats every 300 ms, three connections a user at most.
  static void SetUpTestSuite() {
    server_ = std::make_unique<TestServer>(
        std::vector<std::string>{"--live-ping-ms", "300", "--live-per-user", "3", "--live-message-bytes", "4096"});
  }
  static void TearDownTestSuite() { server_.reset(); }

  static HttpClient as(const std::string& username) {
    HttpClient c = server_->client();
    auto r = c.login(username, kDemoPassword);
    EXPECT_EQ(r.status, 200) << username << ": " << r.body;
    return c;
  }
  static std::unique_ptr<WsClient> connect(HttpClient& c, const std::string& origin = "") {
    auto ws = std::make_unique<WsClient>(server_->port(), "/api/live",
                                         live_headers(server_->port(), c.cookies["xh_session"], origin));
    return ws;
  }
  static std::int64_t place_id(const std::string& code) {
    auto db = server_->open_db();
    return db->read([&](storage::Tx& tx) {
      return tx.query_one("SELECT id FROM places WHERE code = $1", code)->i64(0);
    });
  }
  // A report filed by `who` at the demo place `code`; its id.
  static std::string file(HttpClient& who, const std::string& code) {
    auto r = who.post("/api/work-orders",
                      json::serialize(json::object{{"category", "clutter"}, {"place_id", place_id(code)},
                                                   {"text", "楼道里堆满了杂物"}}));
    EXPECT_EQ(r.status, 201) << r.body;
    return std::to_string(r.json().at("id").as_int64());
  }
  static int step(HttpClient& who, const std::string& id, const std::string& action) {
    return who.post("/api/work-orders/" + id + "/actions/" + action, "{}").status;
  }
  // Subscribes; the answer (subscribed or error).
  static json::value subscribe(WsClient& ws, const std::string& topic, std::optional<std::int64_t> since = {}) {
    json::object m{{"op", "subscribe"}, {"topic", topic}};
    if (since) m["since"] = *since;
    ws.send_text(json::serialize(m));
    return parse(ws.until("\"topic\":\"" + topic + "\""));
  }

  static inline std::unique_ptr<TestServer> server_;
};

TEST_F(Live, OnlyTheServersOwnPagesAndSignedInCallersConnect) {
  auto resident = as("resident");
  auto elsewhere = connect(resident, "https://evil.example");
  EXPECT_EQ(elsewhere->status(), 403);
  EXPECT_NE(elsewhere->body().find("live.origin_denied"), std::string::npos) << elsewhere->body();
  HttpClient nobody = server_->client();
  auto anonymous = connect(nobody);
  EXPECT_EQ(anonymous->status(), 401);
  auto ok = connect(resident);
  ASSERT_EQ(ok->status(), 101);
  auto welcome = parse(ok->next());
  EXPECT_EQ(str(welcome, "op"), "welcome");
  EXPECT_TRUE(welcome.at("last_id").is_int64());
  // A bearer token needs no Origin (a program, not a page).
  auto token = resident.post("/api/auth/tokens", R"({"name":"live"})");
  ASSERT_EQ(token.status, 201) << token.body;
  WsClient program(server_->port(), "/api/live",
                   {{"Authorization", "Bearer " + str(token.json(), "token")}});
  EXPECT_EQ(program.status(), 101);
}

TEST_F(Live, ASubscriptionIsAllowedExactlyWhenTheGetIs) {
  auto resident = as("resident");
  auto own = file(resident, "NC-QX-C1-B1");
  // An order of another community, filed by its own staff.
  auto street = as("street_admin");
  auto theirs_r = street.post("/api/work-orders",
                              json::serialize(json::object{{"category", "clutter"},
                                                           {"place_id", place_id("NC-GSH-C1-B1")},
                                                           {"text", "路灯不亮"},
                                                           {"on_behalf", {{"name", "王阿姨"}, {"phone", "13900001111"}, {"channel", "phone"}}}}));
  ASSERT_EQ(theirs_r.status, 201) << theirs_r.body;
  auto theirs = std::to_string(theirs_r.json().at("id").as_int64());
  for (const char* user : {"resident", "grid_worker", "building_leader", "property_staff", "partner_admin",
                           "community_admin", "street_admin", "audit_admin"}) {
    auto c = as(user);
    auto ws = connect(c);
    ASSERT_EQ(ws->status(), 101) << user;
    for (const auto& id : {own, theirs, std::string("999999")}) {
      auto get = c.get("/api/work-orders/" + id);
      auto answer = subscribe(*ws, "work_order:" + id);
      if (get.status == 200) {
        EXPECT_EQ(str(answer, "op"), "subscribed") << user << " " << id;
      } else {
        EXPECT_EQ(str(answer, "op"), "error") << user << " " << id;
        EXPECT_EQ(str(answer, "code"), get.error_code()) << user << " " << id;
        EXPECT_FALSE(str(answer, "message").empty());
      }
    }
  }
  auto c = as("resident");
  auto ws = connect(c);
  EXPECT_EQ(str(subscribe(*ws, "meeting:1"), "code"), "live.unknown_topic");
  EXPECT_EQ(str(subscribe(*ws, "work_order:abc"), "code"), "live.unknown_topic");
  ws->send_text("not json");
  EXPECT_TRUE(ws->until("live.bad_message").has_value());
}

TEST_F(Live, AStepReachesItsSubscribersAndTheReportersInbox) {
  auto resident = as("resident"), community = as("community_admin");
  auto id = file(resident, "NC-QX-C1-B1");
  auto phone = connect(resident);
  auto desk = connect(community);
  ASSERT_EQ(str(subscribe(*phone, "inbox"), "op"), "subscribed");
  ASSERT_EQ(str(subscribe(*phone, "work_order:" + id), "op"), "subscribed");
  ASSERT_EQ(str(subscribe(*desk, "work_order:" + id), "op"), "subscribed");
  auto unread_before = resident.get("/api/inbox").json().at("unread").as_int64();
  ASSERT_EQ(step(community, id, "accept"), 200);
  auto seen = parse(phone->until("workorder.changed", 3s));
  ASSERT_TRUE(seen.is_object()) << "no live event on the reporter's phone";
  EXPECT_EQ(str(seen.at("data"), "status"), "accepted");
  EXPECT_FALSE(seen.at("data").as_object().contains("notify"));
  EXPECT_TRUE(desk->until("workorder.changed", 3s).has_value());
  EXPECT_TRUE(phone->until("inbox.new", 3s).has_value());
  // The notice, in the reader's language; the one who took the step is not told.
  auto inbox = resident.get("/api/inbox").json();
  EXPECT_EQ(inbox.at("unread").as_int64(), unread_before + 1);
  auto first = inbox.at("items").at(0);
  EXPECT_EQ(str(first, "text"), "诉求 #" + id + " 状态更新：已受理");
  EXPECT_EQ(first.at("subject_id").as_int64(), std::stoll(id));
  auto en = resident.get("/api/inbox?lang=en").json();
  EXPECT_EQ(str(en.at("items").at(0), "text"), "Report #" + id + " is now: Accepted");
  EXPECT_EQ(community.get("/api/inbox?unread=true").json().at("unread").as_int64(), 0);
  // Read one, then all; another's notice is nobody else's to read.
  auto notice = std::to_string(first.at("id").as_int64());
  EXPECT_EQ(community.post("/api/inbox/" + notice + "/read", "{}").status, 404);
  auto read = resident.post("/api/inbox/" + notice + "/read", "{}");
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(read.json().at("unread").as_int64(), unread_before);
  EXPECT_EQ(resident.post("/api/inbox/read-all", "{}").json().at("unread").as_int64(), 0);
}

TEST_F(Live, AClientThatReconnectsReceivesWhatItMissed) {
  auto resident = as("resident"), community = as("community_admin");
  auto id = file(resident, "NC-QX-C1-B1");
  std::int64_t last = 0;
  {
    auto ws = connect(resident);
    last = parse(ws->next()).at("last_id").as_int64();
  }
  ASSERT_EQ(step(community, id, "accept"), 200);
  ASSERT_EQ(step(community, id, "dispatch"), 200);
  auto ws = connect(resident);
  ws->next();  // welcome
  ASSERT_EQ(str(subscribe(*ws, "work_order:" + id, last), "op"), "subscribed");
  auto a = parse(ws->until("workorder.changed"));
  auto b = parse(ws->until("workorder.changed"));
  ASSERT_TRUE(a.is_object() && b.is_object());
  EXPECT_EQ(str(a.at("data"), "status"), "accepted");
  EXPECT_EQ(str(b.at("data"), "status"), "dispatched");
  EXPECT_LT(a.at("id").as_int64(), b.at("id").as_int64());
}

TEST_F(Live, AnEndedSessionClosesItsSocketAndAnIdleOneIsNotKeptAlive) {
  auto resident = as("resident");
  auto ws = connect(resident);
  ASSERT_EQ(ws->status(), 101);
  ws->next();
  ASSERT_EQ(resident.post("/api/auth/logout", "").status, 200);
  auto m = ws->next(3s);
  while (m) m = ws->next(3s);
  ASSERT_TRUE(ws->close_code().has_value()) << "the socket stayed open after logout";
  EXPECT_EQ(*ws->close_code(), 4401);
}

TEST_F(Live, ARevokedRoleEndsWhatItAllowedToFollow) {
  auto admin = as("sys_admin"), security = as("security_admin");
  auto u = admin.post("/api/users", json::serialize(json::object{
                                        {"username", "live_grid"}, {"display_name", "网格员（测试）"}, {"password", "Grid@2026x"}}));
  ASSERT_EQ(u.status, 201) << u.body;
  auto uid = std::to_string(u.json().at("id").as_int64());
  auto granted = security.post("/api/users/" + uid + "/roles",
                               json::serialize(json::object{{"role", "grid_worker"}, {"place_id", place_id("NC-QX-G1")}}));
  ASSERT_EQ(granted.status, 201) << granted.body;
  auto granted_doc = granted.json();
  std::string assignment;
  for (const auto& r : granted_doc.at("roles").as_array())
    if (str(r, "role") == "grid_worker") assignment = std::to_string(r.at("id").as_int64());
  ASSERT_FALSE(assignment.empty());
  auto resident = as("resident");
  auto id = file(resident, "NC-QX-C1-B1");
  HttpClient grid = server_->client();
  ASSERT_EQ(grid.login("live_grid", "Grid@2026x").status, 200);
  ASSERT_EQ(grid.get("/api/work-orders/" + id).status, 200);
  auto ws = connect(grid);
  ASSERT_EQ(str(subscribe(*ws, "work_order:" + id), "op"), "subscribed");
  ASSERT_EQ(security.del("/api/users/" + uid + "/roles/" + assignment).status, 200);
  // At the next heartbeat the subscription is checked again, as a GET would be now.
  auto revoked = parse(ws->until("\"op\":\"revoked\"", 3s));
  ASSERT_TRUE(revoked.is_object()) << "the subscription outlived the role";
  EXPECT_EQ(str(revoked, "topic"), "work_order:" + id);
  EXPECT_EQ(str(revoked, "code"), grid.get("/api/work-orders/" + id).error_code());
}

TEST_F(Live, LimitsHold) {
  auto resident = as("resident");
  std::vector<std::unique_ptr<WsClient>> open;
  for (int i = 0; i < 3; ++i) {
    open.push_back(connect(resident));
    ASSERT_EQ(open.back()->status(), 101);
  }
  auto fourth = connect(resident);
  EXPECT_EQ(fourth->status(), 429);
  EXPECT_NE(fourth->body().find("live.too_many_connections"), std::string::npos);
  open.pop_back();  // one closes: another may open
  std::this_thread::sleep_for(300ms);
  auto again = connect(resident);
  EXPECT_EQ(again->status(), 101);
  // A message over the limit ends the connection (1009: too big).
  again->next();
  again->send_raw_text(8192);
  auto m = again->next(3s);
  while (m) m = again->next(3s);
  ASSERT_TRUE(again->close_code().has_value());
  EXPECT_EQ(*again->close_code(), 1009);
}

TEST_F(Live, AStepThroughOneProcessReachesClientsOfAnother) {
  TestServer second(*server_, {"--live-ping-ms", "300"});
  auto resident = as("resident"), community = as("community_admin");
  auto id = file(resident, "NC-QX-C1-B1");
  // The phone is connected to the second process; the step goes through the first.
  HttpClient phone_http = second.client();
  ASSERT_EQ(phone_http.login("resident", kDemoPassword).status, 200);
  WsClient phone(second.port(), "/api/live", live_headers(second.port(), phone_http.cookies["xh_session"]));
  ASSERT_EQ(phone.status(), 101);
  ASSERT_EQ(str(subscribe(phone, "work_order:" + id), "op"), "subscribed");
  ASSERT_EQ(step(community, id, "accept"), 200);
  auto seen = parse(phone.until("workorder.changed", 3s));
  ASSERT_TRUE(seen.is_object()) << "the event did not cross processes";
  EXPECT_EQ(str(seen.at("data"), "status"), "accepted");
  // On PostgreSQL the second process was woken by the first one's NOTIFY.
  if (server_->db_uri().rfind("postgresql", 0) == 0) {
    std::ifstream log(second.data_dir() + "/server.log");
    std::stringstream text;
    text << log.rdbuf();
    EXPECT_NE(text.str().find("LISTEN xh_live"), std::string::npos);
  }
}

}  // namespace xh::test
