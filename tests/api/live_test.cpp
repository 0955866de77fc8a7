// Live updates and the inbox (PRODUCT §8): the WebSocket at /api/live, its
// subscriptions checked as GETs are, heartbeats that end what may no longer
// be seen, resume, limits, the inbox, and events across two processes.
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "api_test.h"
#include "core/time.h"
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
        std::vector<std::string>{"--live-ping-ms", "300", "--live-per-user", "3", "--live-message-bytes", "4096",
                                 "--scheduler-interval-ms", "200"});
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

  // Brings the jobs of `kind` (all, or the one for `ref_id`) due now; the
  // scheduler runs them within a fifth of a second.
  static void bring_forward(const std::string& kind, std::optional<std::int64_t> ref_id = {}) {
    auto db = server_->open_db();
    db->write([&](storage::Tx& tx) {
      if (ref_id)
        tx.exec("UPDATE scheduled_jobs SET due_at = 0 WHERE kind = $1 AND ref_id = $2 AND done_at IS NULL",
                kind, *ref_id);
      else
        tx.exec("UPDATE scheduled_jobs SET due_at = 0 WHERE kind = $1 AND done_at IS NULL", kind);
    });
  }
  // The caller's newest notice of `kind`, once one comes (or null after 5 s).
  static json::value newest(HttpClient& who, const std::string& kind) {
    for (int i = 0; i < 100; ++i) {
      auto items = who.get("/api/inbox?limit=20").json().at("items").as_array();
      for (const auto& n : items)
        if (str(n, "kind") == kind) return n;
      std::this_thread::sleep_for(50ms);
    }
    return nullptr;
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
  EXPECT_EQ(str(subscribe(*ws, "parliament:1"), "code"), "live.unknown_topic");
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
  auto staff_unread = community.get("/api/inbox").json().at("unread").as_int64();
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
  EXPECT_EQ(community.get("/api/inbox?unread=true").json().at("unread").as_int64(), staff_unread);
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


TEST_F(Live, ReadingANoticeTellsTheReadersOtherPages) {
  auto resident = as("resident"), community = as("community_admin");
  auto id = file(resident, "NC-QX-C1-B1");
  ASSERT_EQ(step(community, id, "accept"), 200);
  auto notice = newest(resident, "workorder.status");
  ASSERT_TRUE(notice.is_object());
  auto other_tab = connect(resident);
  ASSERT_EQ(str(subscribe(*other_tab, "inbox"), "op"), "subscribed");
  auto read = resident.post("/api/inbox/" + std::to_string(notice.at("id").as_int64()) + "/read", "{}");
  ASSERT_EQ(read.status, 200) << read.body;
  auto heard = parse(other_tab->until("inbox.read", 3s));
  ASSERT_TRUE(heard.is_object()) << "the other page was not told";
  EXPECT_EQ(heard.at("data").at("unread").as_int64(), read.json().at("unread").as_int64());
}

TEST_F(Live, ANoticeKindChosenForTheDigestArrivesQuietlyAndIsGatheredOnceADay) {
  auto resident = as("resident"), community = as("community_admin");
  // Every kind of notice, each immediate until chosen otherwise; checked.
  auto prefs = resident.get("/api/inbox/preferences");
  ASSERT_EQ(prefs.status, 200) << prefs.body;
  bool listed = false;
  auto prefs_doc = prefs.json();
  for (const auto& k : prefs_doc.at("items").as_array())
    if (str(k, "kind") == "workorder.status") {
      listed = true;
      EXPECT_EQ(str(k, "mode"), "immediate");
      EXPECT_EQ(str(k, "label"), "诉求进展");
    }
  EXPECT_TRUE(listed);
  EXPECT_EQ(resident.put("/api/inbox/preferences", R"({"kind":"workorder.nothing","mode":"digest"})").error_code(),
            "inbox.unknown_kind");
  EXPECT_EQ(resident.put("/api/inbox/preferences", R"({"kind":"digest.daily","mode":"digest"})").error_code(),
            "inbox.unknown_kind");
  auto bad = resident.put("/api/inbox/preferences", R"({"kind":"workorder.status","mode":"weekly"})");
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(bad.error_code(), "inbox.bad_mode");
  auto set = resident.put("/api/inbox/preferences", R"({"kind":"workorder.status","mode":"digest"})");
  ASSERT_EQ(set.status, 200) << set.body;
  // Another user's choice is theirs alone.
  auto theirs = community.get("/api/inbox/preferences").json();
  for (const auto& k : theirs.at("items").as_array())
    EXPECT_EQ(str(k, "mode"), "immediate");

  resident.post("/api/inbox/read-all", "{}");
  auto id = file(resident, "NC-QX-C1-B1");
  ASSERT_EQ(step(community, id, "accept"), 200);
  ASSERT_EQ(step(community, id, "dispatch"), 200);
  // Listed, not counted, not pushed as news.
  auto inbox = resident.get("/api/inbox").json();
  EXPECT_EQ(inbox.at("unread").as_int64(), 0);
  ASSERT_EQ(str(inbox.at("items").at(0), "kind"), "workorder.status");
  EXPECT_TRUE(inbox.at("items").at(0).at("quiet").as_bool());
  EXPECT_FALSE(inbox.at("items").at(0).at("read").as_bool());

  // At the day's end: one digest notice, counted; once, whatever runs it twice.
  std::int64_t day = 0;
  {
    auto db = server_->open_db();
    day = db->read([](storage::Tx& tx) {
      return tx.query_one("SELECT ref_id FROM scheduled_jobs WHERE kind = 'live.digest' AND done_at IS NULL")
          ->i64("ref_id");
    });
    db->write([&](storage::Tx& tx) {  // a second process planned the same day
      tx.exec("INSERT INTO scheduled_jobs (kind, ref_id, due_at, created_at) VALUES ('live.digest', $1, 0, 0)", day);
    });
  }
  bring_forward("live.digest", day);
  auto digest = newest(resident, "digest.daily");
  ASSERT_TRUE(digest.is_object()) << "no digest";
  EXPECT_NE(str(digest, "text").find("共 2 条（诉求进展 2）"), std::string::npos) << str(digest, "text");
  EXPECT_FALSE(digest.at("quiet").as_bool());
  EXPECT_EQ(resident.get("/api/inbox").json().at("unread").as_int64(), 1);
  auto en = resident.get("/api/inbox?lang=en&limit=1").json();
  EXPECT_NE(str(en.at("items").at(0), "text").find("2 notices (Report progress 2)"), std::string::npos);
  std::this_thread::sleep_for(600ms);
  auto db = server_->open_db();
  db->read([&](storage::Tx& tx) {
    EXPECT_EQ(tx.query_one("SELECT COUNT(*) AS n FROM notifications WHERE kind = 'digest.daily' AND user_id = "
                           "(SELECT id FROM users WHERE username = 'resident')")->i64("n"), 1);
    EXPECT_EQ(tx.query_one("SELECT COUNT(*) AS n FROM scheduled_jobs WHERE kind = 'live.digest' AND done_at IS "
                           "NULL")->i64("n"), 1);  // the next day's, planned once
    EXPECT_EQ(tx.query_one("SELECT COUNT(*) AS n FROM notifications WHERE quiet = 1 AND digest_id IS NULL AND "
                           "read_at IS NULL")->i64("n"), 0);
  });
  ASSERT_EQ(resident.put("/api/inbox/preferences", R"({"kind":"workorder.status","mode":"immediate"})").status, 200);
}

TEST_F(Live, TheGridsWorkersHearOfAReinspectionTheDayBeforeItIsDue) {
  auto resident = as("resident"), grid = as("grid_worker"), community = as("community_admin");
  auto id = file(resident, "NC-QX-C1-B1");
  auto db = server_->open_db();
  auto inspection = db->write([&](storage::Tx& tx) -> std::int64_t {
    auto o = tx.query_one("SELECT place_id, path, grid_path FROM work_orders WHERE id = $1", static_cast<std::int64_t>(std::stoll(id)));
    auto i = tx.query_one("INSERT INTO wo_inspections (place_id, path, grid_path, category, due_at, created_at) "
                          "VALUES ($1, $2, $3, 'clutter', $4, $4) RETURNING id",
                          o->i64("place_id"), o->str("path"), o->opt_str("grid_path"),
                          std::int64_t{1} << 50)->i64("id");
    tx.exec("INSERT INTO scheduled_jobs (kind, ref_id, due_at, created_at) VALUES "
            "('workorder.inspection_due', $1, 0, 0)", i);
    return i;
  });
  auto notice = newest(grid, "workorder.inspection_due");
  ASSERT_TRUE(notice.is_object()) << "the grid worker was not told: " << db->read([&](storage::Tx& tx) {
    auto j = tx.query_one("SELECT last_error FROM scheduled_jobs WHERE kind = 'workorder.inspection_due' AND "
                          "ref_id = $1", inspection);
    return j ? j->opt_str("last_error").value_or("(no error)") : std::string("(no job)");
  });
  EXPECT_EQ(notice.at("subject_id").as_int64(), inspection);
  EXPECT_EQ(str(notice, "subject_type"), "inspection");
  EXPECT_NE(str(notice, "text").find("复查"), std::string::npos) << str(notice, "text");
  // The grid's own worker is told; the community's staff only when the grid has none.
  auto mine = community.get("/api/inbox?limit=50").json().at("items").as_array();  // a copy
  for (const auto& n : mine)
    if (str(n, "kind") == "workorder.inspection_due") EXPECT_NE(n.at("subject_id").as_int64(), inspection);
  // A re-inspection done before its reminder is not announced.
  auto done = db->write([&](storage::Tx& tx) -> std::int64_t {
    auto i = tx.query_one("INSERT INTO wo_inspections (place_id, path, grid_path, category, due_at, created_at, "
                          "done_at) SELECT place_id, path, grid_path, category, due_at, created_at, 1 FROM "
                          "wo_inspections WHERE id = $1 RETURNING id", inspection)->i64("id");
    tx.exec("INSERT INTO scheduled_jobs (kind, ref_id, due_at, created_at) VALUES "
            "('workorder.inspection_due', $1, 0, 0)", i);
    return i;
  });
  std::this_thread::sleep_for(800ms);
  auto later = grid.get("/api/inbox?limit=50").json();
  for (const auto& n : later.at("items").as_array())
    if (str(n, "kind") == "workorder.inspection_due") EXPECT_NE(n.at("subject_id").as_int64(), done);
}

TEST_F(Live, ARoomScreenPairsByCodeShowsOneTopicAndIsLetGoWhenRevoked) {
  auto resident = as("resident"), community = as("community_admin");
  auto id = file(resident, "NC-QX-C1-B1");
  auto topic = "work_order:" + id;
  auto make = [&](HttpClient& who, const std::string& t) {
    return who.post("/api/displays", json::serialize(json::object{
        {"name", "社区大厅公示屏"}, {"place_id", place_id("NC-QX")}, {"topic", t}}));
  };
  EXPECT_EQ(make(community, "inbox").error_code(), "display.bad_topic");
  EXPECT_EQ(make(community, "work_order:999999").status, 404);  // as a GET of it would
  EXPECT_EQ(make(resident, topic).status, 403);
  auto made = make(community, topic);
  ASSERT_EQ(made.status, 201) << made.body;
  auto display = std::to_string(made.json().at("id").as_int64());
  EXPECT_FALSE(made.json().at("paired").as_bool());

  // The screen: a token of its own, a code to show.
  HttpClient screen = server_->client();
  const std::string token = "screen-token-abcdefghijklmnopqrstuvwxyz0123456789";
  EXPECT_EQ(screen.post("/api/display/pairing", R"({"token":"short"})").error_code(), "display.bad_token");
  auto pairing = screen.post("/api/display/pairing", json::serialize(json::object{{"token", token}}));
  ASSERT_EQ(pairing.status, 201) << pairing.body;
  auto code = str(pairing.json(), "code");
  EXPECT_EQ(code.size(), 6u);
  auto early = screen.post("/api/display/session", json::serialize(json::object{{"token", token}}));
  ASSERT_EQ(early.status, 200) << early.body;  // waiting: the screen asks again
  EXPECT_FALSE(early.json().at("paired").as_bool());
  EXPECT_EQ(str(early.json(), "code"), code);
  EXPECT_FALSE(screen.cookies.count("xh_display"));
  const std::string stranger = "someone-elses-token-abcdefghijklmnopqrstuvwxyz0123";
  EXPECT_EQ(screen.post("/api/display/session", json::serialize(json::object{{"token", stranger}})).error_code(),
            "display.not_paired");
  // Staff confirm the code from their phone.
  std::string wrong = code == "000000" ? "111111" : "000000";
  EXPECT_EQ(community.post("/api/displays/" + display + "/pair", json::serialize(json::object{{"code", wrong}}))
                .error_code(), "display.bad_code");
  auto paired = community.post("/api/displays/" + display + "/pair", json::serialize(json::object{{"code", code}}));
  ASSERT_EQ(paired.status, 200) << paired.body;
  EXPECT_TRUE(paired.json().at("paired").as_bool());
  EXPECT_EQ(community.post("/api/displays/" + display + "/pair", json::serialize(json::object{{"code", code}}))
                .error_code(), "display.bad_code");  // used up

  auto session = screen.post("/api/display/session", json::serialize(json::object{{"token", token}}));
  ASSERT_EQ(session.status, 200) << session.body;
  EXPECT_EQ(str(session.json(), "topic"), topic);
  EXPECT_EQ(str(session.json().at("view"), "status"), "submitted");
  EXPECT_EQ(session.body.find("楼道里堆满了杂物"), std::string::npos) << "a screen shows no one's words";
  ASSERT_TRUE(screen.cookies.count("xh_display"));
  EXPECT_EQ(screen.get("/api/display/session").status, 200);
  // Read-only: the cookie opens no API.
  EXPECT_EQ(screen.get("/api/work-orders/" + id).status, 401);

  // The screen's browser may also hold a staff member's session: ?screen=1 makes it the screen.
  std::vector<std::pair<std::string, std::string>> headers{
      {"Cookie", "xh_session=" + community.cookies["xh_session"] + "; xh_display=" + token},
      {"Origin", "http://127.0.0.1:" + std::to_string(server_->port())}};
  auto ws = std::make_unique<WsClient>(server_->port(), "/api/live?screen=1", headers);
  ASSERT_EQ(ws->status(), 101);
  ws->next();  // welcome
  EXPECT_EQ(str(subscribe(*ws, "inbox"), "code"), "display.topic_only");
  ASSERT_EQ(str(subscribe(*ws, "display"), "op"), "subscribed");
  auto other = file(resident, "NC-QX-C1-B1");
  EXPECT_EQ(str(subscribe(*ws, "work_order:" + other), "code"), "display.topic_only");
  ASSERT_EQ(str(subscribe(*ws, topic), "op"), "subscribed");
  ASSERT_EQ(step(community, id, "accept"), 200);
  auto seen = parse(ws->until("workorder.changed", 3s));
  ASSERT_TRUE(seen.is_object()) << "the screen did not see the step";
  auto listed = community.get("/api/displays").json();
  bool found = false;
  for (const auto& d : listed.at("items").as_array())
    if (std::to_string(d.at("id").as_int64()) == display) found = true;
  EXPECT_TRUE(found);
  EXPECT_EQ(as("grid_worker").get("/api/displays").status, 403);

  // Revoked: the screen is let go at its next heartbeat, and stays out.
  auto revoked = community.post("/api/displays/" + display + "/revoke", "{}");
  ASSERT_EQ(revoked.status, 200) << revoked.body;
  EXPECT_TRUE(revoked.json().at("revoked").as_bool());
  EXPECT_TRUE(ws->until("display.revoked", 3s).has_value()) << "the screen was not told at once";
  auto m = ws->next(3s);
  while (m) m = ws->next(3s);
  ASSERT_TRUE(ws->close_code().has_value()) << "the screen stayed connected";
  EXPECT_EQ(*ws->close_code(), 4401);
  EXPECT_EQ(screen.get("/api/display/session").status, 404);
  auto again = std::make_unique<WsClient>(server_->port(), "/api/live?screen=1", headers);
  EXPECT_EQ(again->status(), 401);
  EXPECT_EQ(community.post("/api/displays/" + display + "/pair", json::serialize(json::object{{"code", code}}))
                .error_code(), "display.revoked");
}

TEST_F(Live, ASlowConsumerIsDroppedRatherThanGrowingTheServersMemory) {
  // Pings rarely (this client is slow, not silent); at most 64 KiB waiting per connection.
  TestServer server(*server_, {"--live-ping-ms", "60000", "--live-queue-bytes", "65536"});
  HttpClient resident = server.client();
  ASSERT_EQ(resident.login("resident", kDemoPassword).status, 200);
  auto id = file(resident, "NC-QX-C1-B1");
  WsClient slow(server.port(), "/api/live", live_headers(server.port(), resident.cookies["xh_session"]), 4096);
  ASSERT_EQ(slow.status(), 101);
  slow.next();  // welcome
  ASSERT_EQ(str(subscribe(slow, "work_order:" + id), "op"), "subscribed");
  // 4 MiB of events on its topic, which the client does not read for now.
  const int count = 4096;
  auto db = server.open_db();
  db->write([&](storage::Tx& tx) {
    std::string padding(1000, 'x');
    for (int i = 0; i < count; ++i)
      tx.exec("INSERT INTO live_events (topic, kind, data, created_at) VALUES ($1, 'workorder.changed', $2, $3)",
              "work_order:" + id, "{\"status\":\"accepted\",\"pad\":\"" + padding + "\"}", now_ms());
  });
  std::this_thread::sleep_for(2s);
  // The server keeps working for everyone else meanwhile.
  EXPECT_EQ(resident.get("/api/work-orders/" + id).status, 200);
  // What was on its way arrives, then the end: 1008, too slow; far less than was sent.
  int received = 0;
  while (slow.next(3s)) ++received;
  ASSERT_TRUE(slow.close_code().has_value()) << "the slow client was kept (" << received << " received)";
  EXPECT_EQ(*slow.close_code(), 1008);
  EXPECT_LT(received, count / 2) << "the server held on to what it could not send";
  EXPECT_GT(received, 0) << "nothing arrived at all";
  auto fresh = std::make_unique<WsClient>(server.port(), "/api/live", live_headers(server.port(), resident.cookies["xh_session"]));
  EXPECT_EQ(fresh->status(), 101);
}

}  // namespace xh::test
