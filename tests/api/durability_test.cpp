// Crashes and shutdowns: acknowledged writes survive kill -9, nothing is
// half-written, and SIGTERM lets in-flight requests finish.
#include <sys/wait.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
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
