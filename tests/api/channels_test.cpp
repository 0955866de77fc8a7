// Outbound channels: a community's staff group robot (企业微信 / 钉钉) hears of
// the notices it chose, through an outbox retried until the robot accepts;
// tested against a robot on loopback.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "api_test.h"
#include "core/time.h"

namespace xh::test {

namespace {

using namespace std::chrono_literals;

// A group robot on loopback: records what it is sent and answers as the real
// ones do ({"errcode":0} when it takes the message; a refusal when told to).
class Robot {
 public:
  Robot() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t n = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &n);
    port_ = ntohs(a.sin_port);
    ::listen(fd_, 16);
    thread_ = std::thread([this] { serve(); });
  }
  ~Robot() {
    stop_ = true;
    thread_.join();
    ::close(fd_);
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/cgi-bin/webhook/send?key=secret-key"; }
  void refuse(bool r) { refusing_ = r; }
  std::vector<std::string> bodies() {
    std::lock_guard lock(mu_);
    return bodies_;
  }
  // The bodies received, once at least `n` came (or after 10 s).
  std::vector<std::string> wait_for(std::size_t n) {
    for (int i = 0; i < 200 && bodies().size() < n; ++i) std::this_thread::sleep_for(50ms);
    return bodies();
  }

 private:
  void serve() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) continue;
      std::string in;
      char buf[4096];
      std::size_t want = std::string::npos;
      while (true) {
        auto r = ::recv(c, buf, sizeof buf, 0);
        if (r <= 0) break;
        in.append(buf, static_cast<std::size_t>(r));
        auto end = in.find("\r\n\r\n");
        if (end != std::string::npos && want == std::string::npos) {
          std::string head = in.substr(0, end);
          for (auto& ch : head) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
          auto at = head.find("content-length:");
          want = end + 4 + (at == std::string::npos ? 0 : std::stoul(head.substr(at + 15)));
        }
        if (want != std::string::npos && in.size() >= want) break;
      }
      bool refused = refusing_;
      {
        std::lock_guard lock(mu_);
        bodies_.push_back(in.substr(in.find("\r\n\r\n") + 4));
      }
      std::string answer = refused ? R"({"errcode":93000,"errmsg":"invalid webhook url"})"
                                   : R"({"errcode":0,"errmsg":"ok"})";
      std::string out = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                        std::to_string(answer.size()) + "\r\nConnection: close\r\n\r\n" + answer;
      ::send(c, out.data(), out.size(), MSG_NOSIGNAL);
      ::close(c);
    }
  }
  int fd_ = -1, port_ = 0;
  std::thread thread_;
  std::atomic<bool> stop_{false}, refusing_{false};
  std::mutex mu_;
  std::vector<std::string> bodies_;
};

}  // namespace

class Channels : public ApiTest {
 protected:
  // Scheduled work (the daily digest) within a fifth of a second when due.
  static void SetUpTestSuite() {
    server_ = std::make_unique<TestServer>(
        std::vector<std::string>{"--scheduler-interval-ms", "200", "--channel-host", "127.0.0.1"});
  }
};

TEST_F(Channels, AStaffGroupRobotHearsOfTheNoticesItChoseAndFailuresAreRetried) {
  Robot robot;
  auto community = as("community_admin");
  // Checked like any input, and only within the caller's scope.
  auto bad = community.post("/api/channels", json::serialize(json::object{
      {"place_id", place_id("NC-QX")}, {"kind", "telegram"}, {"name", "x"}, {"url", robot.url()},
      {"notice_kinds", json::array{"workorder.status"}}}));
  EXPECT_EQ(bad.error_code(), "channel.bad_kind");
  auto inside = community.post("/api/channels", json::serialize(json::object{
      {"place_id", place_id("NC-QX")}, {"kind", "wecom"}, {"name", "x"},
      {"url", "http://127.0.0.1@10.0.0.8:8080/cgi-bin/webhook/send?key=k"}, {"notice_kinds", json::array{"workorder.status"}}}));
  EXPECT_EQ(inside.error_code(), "channel.host_not_allowed") << "an address inside the network";
  auto nameless = community.post("/api/channels", json::serialize(json::object{
      {"place_id", place_id("NC-QX")}, {"kind", "wecom"}, {"name", ""}, {"url", robot.url()},
      {"notice_kinds", json::array{"workorder.status"}}}));
  EXPECT_EQ(nameless.error_code(), "request.missing_field");
  auto elsewhere = community.post("/api/channels", json::serialize(json::object{
      {"place_id", place_id("NC-GSH")}, {"kind", "wecom"}, {"name", "x"}, {"url", robot.url()},
      {"notice_kinds", json::array{"workorder.status"}}}));
  EXPECT_EQ(elsewhere.status, 403);
  EXPECT_EQ(as("grid_worker").get("/api/channels").status, 403);
  auto made = community.post("/api/channels", json::serialize(json::object{
      {"place_id", place_id("NC-QX")}, {"kind", "wecom"}, {"name", "泉星社区工作群"}, {"url", robot.url()},
      {"notice_kinds", json::array{"workorder.status"}}}));
  ASSERT_EQ(made.status, 201) << made.body;
  auto channel = made.json();
  // The robot's key is never shown again.
  EXPECT_EQ(str(channel, "url").find("secret-key"), std::string::npos);
  auto db = server_->open_db();
  auto sealed = db->read([](storage::Tx& tx) { return tx.query_one("SELECT url_enc FROM channels")->str("url_enc"); });
  EXPECT_EQ(sealed.find("secret-key"), std::string::npos);

  // A step on a report of the community: the group hears of it once, as markdown.
  auto resident = as("resident");
  auto filed = resident.post("/api/work-orders", json::serialize(json::object{
      {"category", "clutter"}, {"place_id", place_id("NC-QX-C1-B1")}, {"text", "楼道里的旧家具"}}));
  ASSERT_EQ(filed.status, 201) << filed.body;
  auto id = std::to_string(filed.json().at("id").as_int64());
  ASSERT_EQ(community.post("/api/work-orders/" + id + "/actions/accept", "{}").status, 200);
  auto got = robot.wait_for(1);
  ASSERT_EQ(got.size(), 1u) << "the robot heard nothing";
  auto body = json::parse(got[0]);
  EXPECT_EQ(str(body, "msgtype"), "markdown");
  EXPECT_NE(str(body.at("markdown"), "content").find("诉求 #" + id + " 状态更新：已受理"), std::string::npos);

  // Refused: tried again later, then given up after six attempts; sent again by hand.
  robot.refuse(true);
  ASSERT_EQ(community.post("/api/work-orders/" + id + "/actions/dispatch", "{}").status, 200);
  robot.wait_for(2);
  std::int64_t message = 0;
  for (int i = 0; i < 100 && !message; ++i) {
    auto pending = community.get("/api/channels/outbox?status=pending").json();
    for (const auto& m : pending.at("items").as_array())
      if (m.at("attempts").as_int64() >= 1) message = m.at("id").as_int64();
    if (!message) std::this_thread::sleep_for(50ms);
  }
  ASSERT_TRUE(message) << "the refused message is not waiting for another attempt";
  // (The next attempts would come minutes and hours later: brought forward.)
  db->write([&](storage::Tx& tx) {
    tx.exec("UPDATE channel_outbox SET attempts = 5, next_at = $2 WHERE id = $1", message, now_ms());
  });
  ASSERT_EQ(community.post("/api/work-orders/" + id + "/actions/start", "{}").status, 200);  // wakes the sender
  std::string status;
  for (int i = 0; i < 100 && status != "dead"; ++i) {
    auto dead = community.get("/api/channels/outbox?status=dead").json();
    for (const auto& m : dead.at("items").as_array())
      if (m.at("id").as_int64() == message) status = str(m, "status");
    if (status != "dead") std::this_thread::sleep_for(50ms);
  }
  ASSERT_EQ(status, "dead");
  robot.refuse(false);
  auto retried = community.post("/api/channels/outbox/" + std::to_string(message) + "/retry", "");
  ASSERT_EQ(retried.status, 200) << retried.body;
  for (int i = 0; i < 100 && status != "sent"; ++i) {
    auto sent = community.get("/api/channels/outbox?status=sent").json();
    for (const auto& m : sent.at("items").as_array())
      if (m.at("id").as_int64() == message) status = str(m, "status");
    if (status != "sent") std::this_thread::sleep_for(50ms);
  }
  EXPECT_EQ(status, "sent");
  EXPECT_EQ(community.post("/api/channels/outbox/" + std::to_string(message) + "/retry", "").error_code(),
            "channel.not_dead");
  // Switched off, it hears nothing more.
  auto off = community.patch("/api/channels/" + std::to_string(channel.at("id").as_int64()), R"({"enabled":false})");
  ASSERT_EQ(off.status, 200) << off.body;
  auto before = robot.bodies().size();
  ASSERT_EQ(community.post("/api/work-orders/" + id + "/actions/resolve", "{}").status, 200);
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(robot.bodies().size(), before);
}


TEST_F(Channels, AStaffGroupThatAskedForTheDigestHearsOfItsDay) {
  Robot robot;
  auto community = as("community_admin");
  auto unknown = community.post("/api/channels", json::serialize(json::object{
      {"place_id", place_id("NC-QX")}, {"kind", "dingtalk"}, {"name", "x"}, {"url", robot.url()},
      {"notice_kinds", json::array{"workorder.nothing"}}}));
  EXPECT_EQ(unknown.error_code(), "channel.bad_notice_kind");
  auto made = community.post("/api/channels", json::serialize(json::object{
      {"place_id", place_id("NC-QX")}, {"kind", "dingtalk"}, {"name", "泉星社区日报群"}, {"url", robot.url()},
      {"notice_kinds", json::array{"digest.daily"}}}));
  ASSERT_EQ(made.status, 201) << made.body;
  auto resident = as("resident");
  auto filed = resident.post("/api/work-orders", json::serialize(json::object{
      {"category", "clutter"}, {"place_id", place_id("NC-QX-C1-B1")}, {"text", "楼道里的纸箱"}}));
  ASSERT_EQ(filed.status, 201) << filed.body;
  auto id = std::to_string(filed.json().at("id").as_int64());
  ASSERT_EQ(community.post("/api/work-orders/" + id + "/actions/accept", "{}").status, 200);
  std::this_thread::sleep_for(300ms);
  EXPECT_TRUE(robot.bodies().empty()) << "a digest-only group heard of a single notice";
  auto db = server_->open_db();
  db->write([](storage::Tx& tx) {
    tx.exec("UPDATE scheduled_jobs SET due_at = 0 WHERE kind = 'live.digest' AND done_at IS NULL");
  });
  auto got = robot.wait_for(1);
  ASSERT_EQ(got.size(), 1u) << "no digest";
  auto body = json::parse(got[0]);
  EXPECT_EQ(str(body, "msgtype"), "markdown");
  EXPECT_EQ(str(body.at("markdown"), "title"), "星火 · 每日摘要");
  auto text = str(body.at("markdown"), "text");
  EXPECT_NE(text.find("每日摘要"), std::string::npos) << text;
  EXPECT_NE(text.find("诉求进展"), std::string::npos) << text;
}

}  // namespace xh::test
