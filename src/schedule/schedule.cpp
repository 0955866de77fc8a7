#include "schedule/schedule.h"

#include <spdlog/spdlog.h>

#include "core/text.h"

#include <vector>

namespace xh::schedule {

using storage::Dialect;
using storage::Tx;

namespace {
constexpr int kMaxAttempts = 10;
}  // namespace

void add(Tx& tx, std::string_view kind, std::int64_t ref_id, Millis due_at) {
  tx.exec("INSERT INTO scheduled_jobs (kind, ref_id, due_at, created_at) VALUES ($1, $2, $3, $4)",
          kind, ref_id, due_at, now_ms());
}

void Scheduler::start(int interval_ms) {
  thread_ = std::thread([this, interval_ms] {
    std::unique_lock lock(mu_);
    while (!stopping_) {
      lock.unlock();
      try {
        run_due(now_ms());
      } catch (const std::exception& e) {
        spdlog::error("scheduled work: {}", e.what());
      }
      lock.lock();
      cv_.wait_for(lock, std::chrono::milliseconds(interval_ms), [this] { return stopping_; });
    }
  });
}

void Scheduler::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

int Scheduler::run_due(Millis now) {
  // Small batches, oldest first; each job in a transaction of its own.
  int done = 0;
  for (;;) {
    auto due = db_.read_once([&](Tx& tx) {
      return tx.query(
          "SELECT id, kind FROM scheduled_jobs WHERE done_at IS NULL AND due_at <= $1 "
          "ORDER BY due_at, id LIMIT 100",
          now);
    });
    int ran = 0;
    for (const auto& row : due)
      if (run_one(row.i64("id"), row.str("kind"), now)) ++ran;
    done += ran;
    if (due.size() < 100 || ran == 0) return done;
  }
}

bool Scheduler::run_one(std::int64_t job_id, const std::string& kind, Millis now) {
  auto handler = handlers_.find(kind);
  try {
    return db_.write([&](Tx& tx) {
      // Claim it: another process may have done it meanwhile, or hold it now.
      const char* claim = tx.dialect() == Dialect::postgres
                              ? "SELECT ref_id FROM scheduled_jobs WHERE id = $1 AND done_at IS "
                                "NULL AND due_at <= $2 FOR UPDATE SKIP LOCKED"
                              : "SELECT ref_id FROM scheduled_jobs WHERE id = $1 AND done_at IS "
                                "NULL AND due_at <= $2";
      auto job = tx.query_one(claim, job_id, now);
      if (!job) return false;
      if (handler == handlers_.end()) {
        tx.exec("UPDATE scheduled_jobs SET done_at = $2, last_error = $3 WHERE id = $1", job_id,
                now, "no handler for " + kind);
        return false;
      }
      handler->second(tx, job->i64("ref_id"), now);
      tx.exec("UPDATE scheduled_jobs SET done_at = $2, attempts = attempts + 1 WHERE id = $1",
              job_id, now);
      return true;
    });
  } catch (const std::exception& e) {
    spdlog::error("job {} ({}) failed: {}", job_id, kind, e.what());
    // Try again later, backing off a minute per attempt; give up after
    // kMaxAttempts, keeping the error for the operator.
    db_.write([&](Tx& tx) {
      tx.exec(
          "UPDATE scheduled_jobs SET attempts = attempts + 1, last_error = $2, "
          "due_at = $3 + 60000 * (attempts + 1), "
          "done_at = CASE WHEN attempts + 1 >= $4 THEN $3 ELSE NULL END WHERE id = $1",
          job_id, std::string(utf8_prefix(e.what(), 500)), now, std::int64_t{kMaxAttempts});
    });
    return false;
  }
}

}  // namespace xh::schedule
