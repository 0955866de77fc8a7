// SQLite backend: WAL journal, synchronous=FULL (a commit is on disk before it
// returns), foreign keys on, prepared statements cached per connection.
#include <sqlite3.h>

#include <cstdlib>
#include <string>
#include <unordered_map>

#include "storage/database.h"

namespace xh::storage {
namespace {

class SqliteConnection final : public Connection {
 public:
  SqliteConnection(const std::string& path, std::chrono::milliseconds lock_wait) {
    int rc = sqlite3_open_v2(path.c_str(), &db_,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                             nullptr);
    if (rc != SQLITE_OK) {
      std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      throw DatabaseError("cannot open SQLite database " + path + ": " + msg);
    }
    sqlite3_busy_timeout(db_, static_cast<int>(lock_wait.count()));
    exec_script(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
        "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-16000;");
  }
  ~SqliteConnection() override {
    for (auto& [sql, prepared] : cache_) sqlite3_finalize(prepared.stmt);
    sqlite3_close(db_);
  }

  Dialect dialect() const override { return Dialect::sqlite; }
  bool healthy() const override { return true; }

  Rows query(std::string_view sql, const std::vector<Param>& params) override {
    sqlite3_stmt* st = prepare(sql, params);
    Rows rows;
    int ncols = sqlite3_column_count(st);
    auto names = std::make_shared<std::vector<std::string>>();
    for (int i = 0; i < ncols; ++i) names->emplace_back(sqlite3_column_name(st, i));
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      std::vector<std::optional<std::string>> cols;
      cols.reserve(ncols);
      for (int i = 0; i < ncols; ++i) {
        if (sqlite3_column_type(st, i) == SQLITE_NULL) {
          cols.emplace_back(std::nullopt);
        } else {
          const char* text = reinterpret_cast<const char*>(sqlite3_column_text(st, i));
          cols.emplace_back(std::string(text, sqlite3_column_bytes(st, i)));
        }
      }
      rows.emplace_back(names, std::move(cols));
    }
    finish(st, rc);
    return rows;
  }

  std::int64_t exec(std::string_view sql, const std::vector<Param>& params) override {
    sqlite3_stmt* st = prepare(sql, params);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    }
    finish(st, rc);
    return sqlite3_changes64(db_);
  }

  void exec_script(std::string_view sql) override {
    char* err = nullptr;
    std::string s(sql);
    if (sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "unknown error";
      sqlite3_free(err);
      fail(sqlite3_extended_errcode(db_), msg);
    }
  }

 private:
  sqlite3_stmt* prepare(std::string_view sql, const std::vector<Param>& params) {
    auto it = cache_.find(std::string(sql));
    if (it == cache_.end()) {
      sqlite3_stmt* fresh = nullptr;
      if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                             SQLITE_PREPARE_PERSISTENT, &fresh, nullptr) != SQLITE_OK)
        throw DatabaseError(std::string("SQLite prepare: ") + sqlite3_errmsg(db_) + " in: " +
                            std::string(sql));
      // Map each $N to SQLite's slot once; looking names up per bind is O(n).
      Prepared prepared{fresh, {}};
      int count = sqlite3_bind_parameter_count(fresh);
      for (int slot = 1; slot <= count; ++slot) {
        const char* name = sqlite3_bind_parameter_name(fresh, slot);
        if (!name || name[0] != '$') continue;
        std::size_t n = static_cast<std::size_t>(std::atol(name + 1));
        if (n == 0) continue;
        if (prepared.slot_of.size() < n) prepared.slot_of.resize(n, 0);
        prepared.slot_of[n - 1] = slot;
      }
      it = cache_.emplace(std::string(sql), std::move(prepared)).first;
    }
    sqlite3_stmt* st = it->second.stmt;
    const auto& slot_of = it->second.slot_of;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    for (std::size_t i = 0; i < params.size(); ++i) {
      int idx = i < slot_of.size() ? slot_of[i] : 0;
      if (idx == 0) continue;  // parameter not used by this statement
      const Param& p = params[i];
      int rc = SQLITE_OK;
      if (std::holds_alternative<std::nullptr_t>(p))
        rc = sqlite3_bind_null(st, idx);
      else if (auto* v = std::get_if<std::int64_t>(&p))
        rc = sqlite3_bind_int64(st, idx, *v);
      else if (auto* d = std::get_if<double>(&p))
        rc = sqlite3_bind_double(st, idx, *d);
      else {
        const auto& s = std::get<std::string>(p);
        rc = sqlite3_bind_text64(st, idx, s.data(), s.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
      }
      if (rc != SQLITE_OK) throw DatabaseError(std::string("SQLite bind: ") + sqlite3_errmsg(db_));
    }
    return st;
  }

  void finish(sqlite3_stmt* st, int rc) {
    if (rc == SQLITE_DONE) {
      sqlite3_reset(st);
      return;
    }
    int ext = sqlite3_extended_errcode(db_);
    std::string msg = sqlite3_errmsg(db_);
    sqlite3_reset(st);
    if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
      throw UniqueViolation(msg);
    fail(ext, msg);
  }

  // Writes that cannot succeed now (the lock not free in time, a full disk, a
  // read-only or failing file) are the database being unavailable: the
  // request may be tried again later. Everything else is an error.
  [[noreturn]] static void fail(int ext, const std::string& msg) {
    switch (ext & 0xff) {
      case SQLITE_BUSY:
      case SQLITE_LOCKED:
        throw DatabaseTimeout("SQLite: " + msg);
      case SQLITE_FULL:
      case SQLITE_READONLY:
      case SQLITE_IOERR:
      case SQLITE_CANTOPEN:
        throw DatabaseUnavailable("SQLite: " + msg);
      default:
        throw DatabaseError("SQLite: " + msg);
    }
  }

  struct Prepared {
    sqlite3_stmt* stmt;
    std::vector<int> slot_of;  // $N → SQLite's parameter slot
  };
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, Prepared> cache_;
};

}  // namespace

std::unique_ptr<Connection> open_sqlite(const std::string& path, std::chrono::milliseconds lock_wait) {
  return std::make_unique<SqliteConnection>(path, lock_wait);
}

}  // namespace xh::storage
