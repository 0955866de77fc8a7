#include "storage/database.h"

#include <charconv>
#include <condition_variable>
#include <mutex>
#include <stdexcept>

namespace xh::storage {

const std::string& Row::str(std::size_t i) const {
  const auto& c = cols_.at(i);
  if (!c) throw std::logic_error("column " + std::to_string(i) + " is NULL");
  return *c;
}

std::int64_t Row::i64(std::size_t i) const {
  const std::string& s = str(i);
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size())
    throw std::logic_error("column " + std::to_string(i) + " is not an integer: " + s);
  return v;
}

std::optional<std::int64_t> Row::opt_i64(std::size_t i) const {
  if (is_null(i)) return std::nullopt;
  return i64(i);
}

std::size_t Row::index(std::string_view name) const {
  if (names_)
    for (std::size_t i = 0; i < names_->size(); ++i)
      if ((*names_)[i] == name) return i;
  throw std::logic_error("no column " + std::string(name) + " in this row");
}

std::string escape_like(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

DatabaseUri DatabaseUri::parse(const std::string& uri) {
  if (uri.rfind("sqlite:", 0) == 0) {
    std::string path = uri.substr(7);
    if (path.rfind("//", 0) == 0) path = path.substr(2);
    if (path.empty()) throw std::invalid_argument("sqlite: URI needs a file path");
    return {Dialect::sqlite, path};
  }
  if (uri.rfind("postgresql://", 0) == 0 || uri.rfind("postgres://", 0) == 0)
    return {Dialect::postgres, uri};
  throw std::invalid_argument("database URI must start with sqlite: or postgresql://");
}

struct Database::Pool {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::unique_ptr<Connection>> idle;
  int free_slots = 0;  // connections that may still be opened
  std::timed_mutex writer;  // SQLite: one writer at a time
  std::mutex probe_mu;      // the health probe's own connection
  std::unique_ptr<Connection> probe;
};

Database::Database(DatabaseUri uri, int pool_size, Timeouts timeouts)
    : uri_(std::move(uri)), timeouts_(timeouts), pool_(std::make_unique<Pool>()) {
  pool_->free_slots = pool_size < 1 ? 1 : pool_size;
}

Database::~Database() = default;

std::unique_ptr<Database> Database::open(const std::string& uri, int pool_size, Timeouts timeouts) {
  std::unique_ptr<Database> db(new Database(DatabaseUri::parse(uri), pool_size, timeouts));
  // Open one connection now so that a bad URI fails at start, not on first use.
  db->pool_->idle.push_back(db->connect(timeouts));
  db->pool_->free_slots--;
  return db;
}

std::unique_ptr<Connection> Database::connect(const Timeouts& t) const {
  return uri_.dialect == Dialect::sqlite ? open_sqlite(uri_.target, t.statement)
                                         : open_postgres(uri_.target, t);
}

void Database::probe(std::chrono::milliseconds within, const std::function<void(Tx&)>& f) {
  std::lock_guard lock(pool_->probe_mu);
  Timeouts t{within, within};
  try {
    if (!pool_->probe || !pool_->probe->healthy()) pool_->probe = connect(t);
    Connection& c = *pool_->probe;
    begin(c, true);
    try {
      Tx tx(c);
      f(tx);
      commit(c);
    } catch (...) {
      rollback(c);
      throw;
    }
  } catch (...) {
    pool_->probe.reset();  // connect afresh next time
    throw;
  }
}

Database::Lease::Lease(Database& d, bool w) : db(d), writer(w) {
  // Neither the write lock nor a free connection is waited for longer than a
  // statement may take: a database that stopped answering fails requests
  // instead of queueing them for ever.
  auto deadline = std::chrono::steady_clock::now() + db.timeouts_.statement;
  if (writer && db.uri_.dialect == Dialect::sqlite && !db.pool_->writer.try_lock_until(deadline))
    throw DatabaseTimeout("the database's write lock was not free in time");
  try {
    std::unique_lock lock(db.pool_->mu);
    if (!db.pool_->cv.wait_until(lock, deadline, [&] {
          return !db.pool_->idle.empty() || db.pool_->free_slots > 0;
        }))
      throw DatabaseTimeout("no database connection was free in time");
    if (!db.pool_->idle.empty()) {
      conn = std::move(db.pool_->idle.back());
      db.pool_->idle.pop_back();
    } else {
      db.pool_->free_slots--;
      lock.unlock();
      try {
        conn = db.connect(db.timeouts_);
      } catch (...) {
        std::lock_guard relock(db.pool_->mu);
        db.pool_->free_slots++;
        db.pool_->cv.notify_one();
        throw;
      }
    }
  } catch (...) {
    if (writer && db.uri_.dialect == Dialect::sqlite) db.pool_->writer.unlock();
    throw;
  }
}

Database::Lease::~Lease() {
  {
    std::lock_guard lock(db.pool_->mu);
    if (conn && conn->healthy())
      db.pool_->idle.push_back(std::move(conn));
    else
      db.pool_->free_slots++;  // a broken connection is dropped and reopened later
  }
  db.pool_->cv.notify_one();
  if (writer && db.uri_.dialect == Dialect::sqlite) db.pool_->writer.unlock();
}

void Database::begin(Connection& c, bool writer) {
  if (c.dialect() == Dialect::sqlite)
    c.exec(writer ? "BEGIN IMMEDIATE" : "BEGIN", {});
  else
    c.exec(writer ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", {});
}

void Database::commit(Connection& c) { c.exec("COMMIT", {}); }

void Database::rollback(Connection& c) noexcept {
  try {
    if (c.healthy()) c.exec("ROLLBACK", {});
  } catch (...) {
  }
}

void refresh_statistics(Database& db) {
  db.with_connection([](Connection& c) {
    c.exec_script("ANALYZE");
    if (c.dialect() != Dialect::sqlite) return;
    c.exec("DELETE FROM sqlite_stat1 WHERE CAST(stat AS INTEGER) < 1000", {});
    c.exec_script("ANALYZE sqlite_schema");  // reloads what is left
  });
}

}  // namespace xh::storage
