#pragma once
// What /healthz answers: whether the database answers and accepts writes,
// known without waiting on it. A thread of its own writes one row of
// server_facts every half second through the database's probe (a connection
// outside the pool, under a deadline of its own); /healthz reads the last
// outcome on the network thread, so it answers at once even while the
// database is frozen and every worker waits on it. Thread-safe.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "http/message.h"
#include "storage/database.h"

namespace xh::app {

class Health {
 public:
  // Starts probing `db` at once; the first answer is known before this returns.
  explicit Health(storage::Database& db);
  ~Health();  // stops the probing thread
  Health(const Health&) = delete;
  Health& operator=(const Health&) = delete;

  // 200 {"status":"ok","database":…} when the last probe wrote within the
  // last 1.5 s; otherwise 503 {"status":"unavailable","reason":…}.
  http::Response answer() const;

 private:
  void probe_once();
  storage::Database& db_;
  std::atomic<std::int64_t> last_ok_ms_{0};
  mutable std::mutex mu_;
  std::string last_error_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace xh::app
