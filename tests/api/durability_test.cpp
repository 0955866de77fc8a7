// Crashes and shutdowns: acknowledged writes survive kill -9, nothing is
// half-written, and SIGTERM lets in-flight requests finish.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <signal.h>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "api_test.h"

namespace xh::test {

TEST(Durability, KillNineDuringAWriteBurstLosesNoAcknowledgedWrite) {
  TestServer server;
  auto parent = [&] {
    auto db = server.open_db();
    return db->read([](storage::Tx& tx) {
      return tx.query_one("SELECT id FROM places WHERE code = 'NC-QX-C1'")->i64(0);
    });
  }();
  std::mutex mu;
  std::set<std::int64_t> acknowledged;
  std::atomic<bool> stop{false};
  std::vector<std::thread> writers;
  for (int w = 0; w < 4; ++w) {
    writers.emplace_back([&, w] {
      HttpClient c = server.client();
      if (c.login("street_admin", kDemoPassword).status != 200) return;
      for (int i = 0; !stop && i < 100000; ++i) {
        json::object body{{"parent_id", parent},
                          {"kind", "building"},
                          {"name", "压力楼 " + std::to_string(w) + "-" + std::to_string(i)}};
        try {
          auto r = c.post("/api/places", json::serialize(body));
          if (r.status != 201) continue;
          std::lock_guard lock(mu);
          acknowledged.insert(r.json().at("id").as_int64());
        } catch (const std::exception&) {
          return;  // the server is gone
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  server.kill9();
  stop = true;
  for (auto& t : writers) t.join();
  ASSERT_GT(acknowledged.size(), 20u) << "the burst wrote too little to prove anything";

  server.start();  // recovers from the crash (SQLite WAL replay / PostgreSQL recovery)
  auto db = server.open_db();
  db->read([&](storage::Tx& tx) {
    for (auto id : acknowledged) {
      auto row = tx.query_one("SELECT path FROM places WHERE id = $1", id);
      ASSERT_TRUE(row) << "acknowledged place " << id << " was lost";
      EXPECT_NE(row->str(0), "") << "place " << id << " is half-written";
    }
    // Every place that exists has its audit entry: the two commit together.
    auto orphans = tx.query_one(
        "SELECT COUNT(*) FROM places p WHERE NOT EXISTS (SELECT 1 FROM audit_log a WHERE "
        "a.action = 'place.create' AND a.target_id = CAST(p.id AS TEXT))");
    EXPECT_EQ(orphans->i64(0), 0);
    auto blank = tx.query_one("SELECT COUNT(*) FROM places WHERE path = ''");
    EXPECT_EQ(blank->i64(0), 0);
  });
  std::string out;
  EXPECT_EQ(server.cli({"audit", "verify"}, &out), 0) << out;
}

TEST(Durability, SigtermFinishesInFlightRequests) {
  TestServer server;
  // Logins take tens of milliseconds each (argon2id) and queue for the worker
  // pool: six sent together are still in flight when SIGTERM arrives.
  std::atomic<int> ok{0}, broken{0};
  std::vector<std::thread> clients;
  for (int i = 0; i < 6; ++i) {
    clients.emplace_back([&] {
      try {
        auto r = server.client().login("grid_worker", kDemoPassword);
        (r.status == 200 ? ok : broken)++;
      } catch (const std::exception&) {
        broken++;
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  server.stop();
  for (auto& t : clients) t.join();
  int status = server.wait_exit();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  EXPECT_EQ(ok.load(), 6);
  EXPECT_EQ(broken.load(), 0) << "a request was cut off by the shutdown";
  // And nothing new is accepted once it has stopped.
  EXPECT_THROW(server.client().get("/healthz"), std::runtime_error);
}

}  // namespace xh::test

namespace xh::test {

// A server opens its database only with the key that sealed its personal
// data: a missing, foreign or broken field.key is refused at start, naming
// the file, and never replaced behind the operator's back.
TEST(FieldKey, OnlyTheKeyThatSealedTheDataOpensIt) {
  TestServer server;
  server.stop();
  std::string path = server.data_dir() + "/field.key";
  std::string original;
  {
    std::ifstream in(path);
    std::getline(in, original);
  }
  auto write_key = [&](const std::string& text) { std::ofstream(path, std::ios::trunc) << text; };
  std::string out;

  write_key(std::string(64, 'a') + "\n");  // a valid key, but another one
  EXPECT_NE(server.cli({"demo"}, &out), 0);
  EXPECT_NE(out.find("field.key"), std::string::npos) << out;
  EXPECT_THROW(server.start(), std::exception);

  std::filesystem::remove(path);  // missing: not silently made anew
  EXPECT_NE(server.cli({"demo"}, &out), 0);
  EXPECT_NE(out.find("field.key"), std::string::npos) << out;
  EXPECT_FALSE(std::filesystem::exists(path));

  write_key("not hex at all, not hex at all, not hex at all, not hex at all!!\n");
  EXPECT_NE(server.cli({"demo"}, &out), 0);
  EXPECT_NE(out.find("field.key"), std::string::npos) << out;

  write_key(original + "\n");
  server.start();
  auto c = server.client();
  ASSERT_EQ(c.login("community_admin", kDemoPassword).status, 200);
  EXPECT_EQ(c.get("/api/residents?limit=1").status, 200);
}

}  // namespace xh::test

namespace xh::test {

// PostgreSQL restarted (here: every connection of the server's ended by the
// database) while the server sits idle: the pool's dead connections are
// replaced before anything is sent on them, and no request fails.
TEST(Durability, ADatabaseRestartFailsNoLaterRequest) {
  if (!testing_postgres()) GTEST_SKIP() << "PostgreSQL only";
  TestServer server;
  HttpClient c = server.client();
  ASSERT_EQ(c.login("community_admin", kDemoPassword).status, 200);
  // Several requests at once, so that the pool holds several connections.
  std::vector<std::thread> warm;
  for (int i = 0; i < 6; ++i)
    warm.emplace_back([&] { EXPECT_EQ(server.client().get("/healthz").status, 200); });
  for (auto& t : warm) t.join();
  auto db = server.open_db();
  auto ended = db->read_once([](storage::Tx& tx) {
    return tx.query_one("SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE "
                        "datname = current_database() AND pid <> pg_backend_pid()")
        ->i64(0);
  });
  EXPECT_GE(ended, 1);
  for (int i = 0; i < 12; ++i) {
    auto r = i % 2 ? c.get("/api/places?limit=1") : server.client().get("/healthz");
    EXPECT_EQ(r.status, 200) << i << ": " << r.body;
  }
}

// A photo or thumbnail write a crash cut short (`<id>.tmp…`,
// `<id>.thumb.jpg.tmp…`) is removed when the server starts; complete files stay.
TEST(Durability, HalfWrittenPhotosAreRemovedAtStart) {
  TestServer server;
  HttpClient c = server.client();
  ASSERT_EQ(c.login("resident", kDemoPassword).status, 200);
  auto dir = server.data_dir() + "/photos/ab";
  std::filesystem::create_directories(dir);
  std::string id(64, 'a');
  id[0] = 'a';
  id[1] = 'b';
  auto half = dir + "/" + id + ".tmpx1y2";
  auto whole = dir + "/" + id;
  auto half_thumb = dir + "/" + id + ".thumb.jpg.tmpz3w4";
  auto whole_thumb = dir + "/" + id + ".thumb.jpg";
  std::ofstream(half) << "half";
  std::ofstream(whole) << "whole";
  std::ofstream(half_thumb) << "half";
  std::ofstream(whole_thumb) << "whole";
  server.stop();
  server.wait_exit();
  server.start();
  EXPECT_FALSE(std::filesystem::exists(half));
  EXPECT_TRUE(std::filesystem::exists(whole));
  EXPECT_FALSE(std::filesystem::exists(half_thumb));
  EXPECT_TRUE(std::filesystem::exists(whole_thumb));
}

}  // namespace xh::test

namespace xh::test {

// SIGTERM while a request's body is still arriving (a slow photo upload on a
// phone): the request is read to its end and answered, not cut off.
TEST(Durability, SigtermLetsARequestStillArrivingFinish) {
  TestServer server;
  std::string body = json::serialize(json::object{{"username", "resident"}, {"password", kDemoPassword}});
  std::string head = "POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                     "Content-Type: application/json\r\nContent-Length: " +
                     std::to_string(body.size()) + "\r\n\r\n";
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(server.port()));
  ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  auto send = [&](const std::string& s) {
    ASSERT_EQ(::send(fd, s.data(), s.size(), MSG_NOSIGNAL), static_cast<ssize_t>(s.size()));
  };
  send(head + body.substr(0, 10));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  std::thread stopping([&] { server.stop(); });
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  send(body.substr(10));
  std::string answer;
  char buf[4096];
  for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) answer.append(buf, static_cast<std::size_t>(n));
  ::close(fd);
  stopping.join();
  EXPECT_EQ(answer.substr(0, 12), "HTTP/1.1 200") << answer;
  int status = server.wait_exit();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
}

}  // namespace xh::test

namespace xh::test {

namespace {
// Asks /healthz until it answers `status` (it follows the database within a
// second); false if it never does within 10 s.
bool health_becomes(TestServer& server, int status) {
  for (int i = 0; i < 100; ++i) {
    if (server.client().get("/healthz").status == status) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}
}  // namespace

// Health says when writes cannot succeed: while another holds the write lock
// the probe cannot write, /healthz answers 503 (at once, not after the lock),
// and 200 again once the lock is gone. Requests that need the lock answer 503
// after --db-timeout-ms instead of hanging.
TEST(Durability, HealthSaysWhenWritesCannotSucceed) {
  TestServer server({"--db-timeout-ms", "1500"});
  ASSERT_TRUE(health_becomes(server, 200));
  HttpClient c = server.client();
  ASSERT_EQ(c.login("community_admin", kDemoPassword).status, 200);
  auto db = server.open_db();
  std::mutex mu;
  std::condition_variable cv;
  bool locked = false, release = false;
  std::thread holder([&] {
    db->write([&](storage::Tx& tx) {
      tx.exec("UPDATE server_facts SET value = value WHERE key = 'health_probe'");
      tx.exec("UPDATE places SET name = name WHERE code = 'NC-QX'");
      std::unique_lock lock(mu);
      locked = true;
      cv.notify_all();
      cv.wait(lock, [&] { return release; });
    });
  });
  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return locked; });
  }
  EXPECT_TRUE(health_becomes(server, 503));
  auto h = server.client().get("/healthz");
  EXPECT_EQ(h.json().at("status").as_string(), "unavailable") << h.body;
  // A write that needs the held row waits no longer than the timeout.
  auto nc = std::to_string(server.open_db()->read([](storage::Tx& tx) {
    return tx.query_one("SELECT id FROM places WHERE code = 'NC-QX'")->i64(0);
  }));
  auto stuck = c.request("PATCH", "/api/places/" + nc, R"({"name":"泉星社区"})",
                         {{"Content-Type", "application/json"}, {"X-CSRF-Token", c.csrf}});
  EXPECT_EQ(stuck.status, 503) << stuck.body;
  EXPECT_EQ(stuck.error_code(), "server.unavailable");
  {
    std::lock_guard lock(mu);
    release = true;
  }
  cv.notify_all();
  holder.join();
  EXPECT_TRUE(health_becomes(server, 200));
  EXPECT_EQ(c.get("/api/places?limit=1").status, 200);
}

// PostgreSQL frozen (its backends stopped with SIGSTOP): requests answer 503
// after --db-timeout-ms instead of hanging, /healthz says 503 at once, and
// once it runs again everything answers (the given-up connections replaced).
TEST(Durability, AFrozenDatabaseFailsRequestsInsteadOfHangingThem) {
  if (!testing_postgres()) GTEST_SKIP() << "PostgreSQL only";
  TestServer server({"--db-timeout-ms", "1500"});
  HttpClient c = server.client();
  ASSERT_EQ(c.login("community_admin", kDemoPassword).status, 200);
  ASSERT_TRUE(health_becomes(server, 200));
  auto db = server.open_db();
  auto backends = db->read_once([](storage::Tx& tx) {
    std::vector<int> pids;
    for (const auto& r : tx.query("SELECT pid FROM pg_stat_activity WHERE datname = "
                                  "current_database() AND pid <> pg_backend_pid()"))
      pids.push_back(static_cast<int>(r.i64(0)));
    return pids;
  });
  ASSERT_FALSE(backends.empty());
  // The postmaster too (a backend's parent), so that no new connection is
  // answered either; continued whatever happens.
  int postmaster = 0;
  {
    std::ifstream stat("/proc/" + std::to_string(backends.front()) + "/stat");
    std::string line;
    std::getline(stat, line);
    std::istringstream fields(line.substr(line.rfind(')') + 2));
    std::string state;
    fields >> state >> postmaster;
  }
  ASSERT_GT(postmaster, 1);
  backends.push_back(postmaster);
  struct Thaw {
    std::vector<int>& pids;
    ~Thaw() {
      for (int pid : pids) ::kill(pid, SIGCONT);
    }
  } thaw{backends};
  for (int pid : backends) ::kill(pid, SIGSTOP);
  EXPECT_TRUE(health_becomes(server, 503));
  auto r = c.get("/api/places?limit=1");
  EXPECT_EQ(r.status, 503) << r.body;
  for (int pid : backends) ::kill(pid, SIGCONT);
  EXPECT_TRUE(health_becomes(server, 200));
  for (int i = 0; i < 6; ++i) EXPECT_EQ(c.get("/api/places?limit=1").status, 200) << i;
}

}  // namespace xh::test
