#include "app/health.h"

#include <boost/json.hpp>

#include "core/time.h"

namespace xh::app {

namespace {
constexpr std::chrono::milliseconds kEvery{500};     // how often the database is probed
constexpr std::chrono::milliseconds kWithin{700};    // how long a probe may take
constexpr std::int64_t kFreshMs = 1500;              // how old a good probe may be
}  // namespace

Health::Health(storage::Database& db) : db_(db) {
  probe_once();
  thread_ = std::thread([this] {
    std::unique_lock lock(mu_);
    while (!stop_cv_.wait_for(lock, kEvery, [this] { return stopping_; })) {
      lock.unlock();
      probe_once();
      lock.lock();
    }
  });
}

Health::~Health() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Health::probe_once() {
  std::string error;
  try {
    std::string at = std::to_string(now_ms());
    db_.probe(kWithin, [&](storage::Tx& tx) {
      tx.exec("INSERT INTO server_facts (key, value) VALUES ('health_probe', $1) ON CONFLICT (key) "
              "DO UPDATE SET value = excluded.value",
              at);
    });
    last_ok_ms_ = now_ms();
  } catch (const std::exception& e) {
    error = e.what();
  }
  std::lock_guard lock(mu_);
  last_error_ = error;
}

http::Response Health::answer() const {
  namespace json = boost::json;
  std::string engine = db_.dialect() == storage::Dialect::sqlite ? "sqlite" : "postgresql";
  if (now_ms() - last_ok_ms_.load() <= kFreshMs)
    return http::Response::json(200, json::object{{"status", "ok"}, {"database", engine}});
  std::string why;
  {
    std::lock_guard lock(mu_);
    why = last_error_.empty() ? "the database does not answer" : last_error_;
  }
  // Operators read why; it names no data, only the failure.
  return http::Response::json(
      503, json::object{{"status", "unavailable"}, {"database", engine}, {"reason", why}});
}

}  // namespace xh::app
