#pragma once
// Persisted scheduled work: escalations of overdue work orders, follow-up
// questions, later the expiry of points. A job is a row (kind, ref_id, due_at)
// written in the transaction of the change that makes it necessary, so it
// survives a restart and is never lost with an acknowledged write. Each job is
// done exactly once: its handler runs in the transaction that marks it done,
// and on PostgreSQL concurrent server processes skip jobs another one holds.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "core/time.h"
#include "storage/database.h"

namespace xh::schedule {

// Adds a job within `tx`: `kind` names its handler, `ref_id` the object it
// concerns.
void add(storage::Tx& tx, std::string_view kind, std::int64_t ref_id, Millis due_at);

// Runs due jobs on a thread of its own. Thread-safe; handlers must be
// registered before start().
class Scheduler {
 public:
  // Does the work of one job inside the transaction that marks it done. A
  // handler that throws leaves the job pending; it is tried again later.
  using Handler = std::function<void(storage::Tx& tx, std::int64_t ref_id, Millis now)>;

  explicit Scheduler(storage::Database& db) : db_(db) {}
  ~Scheduler() { stop(); }

  void on(std::string kind, Handler h) { handlers_[std::move(kind)] = std::move(h); }

  // Polls for due jobs every `interval_ms` until stop().
  void start(int interval_ms);
  void stop();

  // Runs every job due at `now` (also used by tests and the CLI); returns how
  // many were done.
  int run_due(Millis now);

 private:
  bool run_one(std::int64_t job_id, const std::string& kind, Millis now);

  storage::Database& db_;
  std::map<std::string, Handler, std::less<>> handlers_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
};

}  // namespace xh::schedule
