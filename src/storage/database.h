#pragma once
// The storage interface: one API over SQLite and PostgreSQL. SQL is written in
// PostgreSQL's placeholder style ($1, $2 …) and is always parameterised; the
// SQLite backend binds the same names. A Database is a pool of connections and
// is safe to use from many threads; a Tx belongs to one thread for its life.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace xh::storage {

enum class Dialect { sqlite, postgres };

// A statement broke a UNIQUE constraint (both engines report it alike), so a
// command can answer 409 instead of 500.
struct UniqueViolation : std::runtime_error {
  using std::runtime_error::runtime_error;
};
// Any other database failure.
struct DatabaseError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The database did not answer in time, or cannot be reached: the request can
// be tried again later (the API answers 503), nothing of it was committed.
struct DatabaseUnavailable : DatabaseError {
  using DatabaseError::DatabaseError;
};
// …because it did not answer within the timeout (never tried again at once).
struct DatabaseTimeout : DatabaseUnavailable {
  using DatabaseUnavailable::DatabaseUnavailable;
};

// How long the server waits on its database before giving up on a request:
// to connect, for one statement's answer (PostgreSQL; the server is told the
// same limit as its statement_timeout), for SQLite's write lock, and for a
// free connection of the pool. A database that is frozen or gone then makes
// requests fail with DatabaseUnavailable instead of hanging.
struct Timeouts {
  std::chrono::milliseconds connect{5000};
  std::chrono::milliseconds statement{15000};
};

// A bound parameter. Strings are bound as text, integers as 64-bit integers.
using Param = std::variant<std::nullptr_t, std::int64_t, double, std::string>;

// The names of a result's columns, as the statement selected them (the
// column's name, or its alias).
using ColumnNames = std::shared_ptr<const std::vector<std::string>>;

// One result row. Columns are read by name ("status", or the alias given in
// the statement); reading by position is for one-column results
// ("SELECT COUNT(*)"). Reading a column the statement did not select, NULL
// as a value, or a non-integer as an integer throws std::logic_error: a bug,
// never bad input.
class Row {
 public:
  Row(ColumnNames names, std::vector<std::optional<std::string>> cols)
      : names_(std::move(names)), cols_(std::move(cols)) {}
  bool is_null(std::size_t i) const { return !cols_.at(i).has_value(); }
  const std::string& str(std::size_t i) const;  // throws on NULL
  std::optional<std::string> opt_str(std::size_t i) const { return cols_.at(i); }
  std::int64_t i64(std::size_t i) const;  // throws on NULL or non-integer
  std::optional<std::int64_t> opt_i64(std::size_t i) const;
  bool flag(std::size_t i) const { return i64(i) != 0; }

  bool is_null(std::string_view name) const { return is_null(index(name)); }
  const std::string& str(std::string_view name) const { return str(index(name)); }
  std::optional<std::string> opt_str(std::string_view name) const { return opt_str(index(name)); }
  std::int64_t i64(std::string_view name) const { return i64(index(name)); }
  std::optional<std::int64_t> opt_i64(std::string_view name) const { return opt_i64(index(name)); }
  // A stored boolean (0/1 on both engines).
  bool flag(std::string_view name) const { return i64(index(name)) != 0; }
  std::optional<bool> opt_flag(std::string_view name) const {
    auto v = opt_i64(name);
    if (!v) return std::nullopt;
    return *v != 0;
  }

  std::size_t size() const { return cols_.size(); }
  // The position of column `name`; throws std::logic_error when not selected.
  std::size_t index(std::string_view name) const;

 private:
  ColumnNames names_;
  std::vector<std::optional<std::string>> cols_;
};
using Rows = std::vector<Row>;

// A live connection to one database. Not thread-safe; owned by the pool.
class Connection {
 public:
  virtual ~Connection() = default;
  virtual Dialect dialect() const = 0;
  // Runs one parameterised statement and returns its rows (if any).
  virtual Rows query(std::string_view sql, const std::vector<Param>& params) = 0;
  // Runs one parameterised statement and returns the number of rows changed.
  virtual std::int64_t exec(std::string_view sql, const std::vector<Param>& params) = 0;
  // Runs a script of several statements without parameters (migrations only).
  virtual void exec_script(std::string_view sql) = 0;
  // False once the connection has failed and must be replaced.
  virtual bool healthy() const = 0;
};

// A transaction in progress. Every statement goes through here.
class Tx {
 public:
  explicit Tx(Connection& c) : c_(c) {}
  Dialect dialect() const { return c_.dialect(); }

  template <class... A>
  Rows query(std::string_view sql, A&&... args) {
    return c_.query(sql, params(std::forward<A>(args)...));
  }
  // The single row of a query; nullopt when there is none.
  template <class... A>
  std::optional<Row> query_one(std::string_view sql, A&&... args) {
    Rows rows = c_.query(sql, params(std::forward<A>(args)...));
    if (rows.empty()) return std::nullopt;
    return std::move(rows.front());
  }
  template <class... A>
  std::int64_t exec(std::string_view sql, A&&... args) {
    return c_.exec(sql, params(std::forward<A>(args)...));
  }
  // Runs `f` once this transaction has committed (never if it rolls back):
  // telling another thread to look for what it wrote.
  void after_commit(std::function<void()> f) { after_.push_back(std::move(f)); }
  // The transaction committed: the callbacks run (one that throws is ignored).
  void committed() noexcept {
    for (auto& f : after_) try {
        f();
      } catch (...) {
      }
    after_.clear();
  }

  Rows query_v(std::string_view sql, const std::vector<Param>& p) { return c_.query(sql, p); }
  std::optional<Row> query_one_v(std::string_view sql, const std::vector<Param>& p) {
    Rows rows = c_.query(sql, p);
    if (rows.empty()) return std::nullopt;
    return std::move(rows.front());
  }
  std::int64_t exec_v(std::string_view sql, const std::vector<Param>& p) { return c_.exec(sql, p); }
  Connection& connection() { return c_; }

  // The statement parameters of `args`, as query and exec take them (an empty
  // optional is NULL, a bool 0 or 1).
  template <class... A>
  static std::vector<Param> params(A&&... args) {
    std::vector<Param> out;
    out.reserve(sizeof...(A));
    (out.push_back(to_param(std::forward<A>(args))), ...);
    return out;
  }

 private:
  std::vector<std::function<void()>> after_;
  static Param to_param(std::nullptr_t) { return nullptr; }
  static Param to_param(std::int64_t v) { return v; }
  static Param to_param(int v) { return static_cast<std::int64_t>(v); }
  static Param to_param(bool v) { return static_cast<std::int64_t>(v ? 1 : 0); }
  static Param to_param(double v) { return v; }
  static Param to_param(std::string v) { return Param(std::move(v)); }
  static Param to_param(std::string_view v) { return Param(std::string(v)); }
  static Param to_param(const char* v) { return Param(std::string(v)); }
  template <class T>
  static Param to_param(const std::optional<T>& v) {
    return v ? to_param(*v) : Param(nullptr);
  }
  static Param to_param(Param v) { return v; }
  Connection& c_;
};

// `text` with LIKE's wildcards (% and _) and the escape character (\\)
// escaped, for use with `LIKE $n ESCAPE '\\'`.
std::string escape_like(std::string_view text);

// Where the data lives: "sqlite:PATH" or a "postgresql://" URI.
struct DatabaseUri {
  Dialect dialect;
  std::string target;  // file path for SQLite, the URI itself for PostgreSQL
  static DatabaseUri parse(const std::string& uri);  // throws std::invalid_argument
};

// A pool of connections with transactions that commit whole or not at all.
// Thread-safe. SQLite writers are serialised in-process (one writer at a
// time is all SQLite allows); readers run concurrently in WAL mode.
class Database {
 public:
  // Opens the pool (one connection at once, so that a bad URI fails here).
  // Throws DatabaseError, DatabaseUnavailable when it cannot be reached.
  static std::unique_ptr<Database> open(const std::string& uri, int pool_size,
                                        Timeouts timeouts = {});
  ~Database();

  Dialect dialect() const { return uri_.dialect; }
  const DatabaseUri& uri() const { return uri_; }

  // Runs `f(Tx&)` in a write transaction and commits it; on an exception
  // rolls back and rethrows. Acknowledged (returned) writes are durable.
  template <class F>
  auto write(F&& f) -> decltype(f(std::declval<Tx&>())) {
    return run(true, std::forward<F>(f));
  }
  // Runs `f(Tx&)` in a read transaction (a consistent snapshot). A read
  // inside a read of the same database on the same thread joins it: one
  // snapshot, one connection (an export reads its pages so).
  template <class F>
  auto read(F&& f) -> decltype(f(std::declval<Tx&>())) {
    if (OpenRead* open = open_read_; open && open->db == this) return f(*open->tx);
    return run(false, std::forward<F>(f));
  }

  // Runs `f(Tx&)` without BEGIN/COMMIT: for reads of one statement, which is
  // atomic by itself; saves two round trips on PostgreSQL.
  // A statement that fails on a connection found dead (the database was
  // restarted while it sat in the pool) is run again on a fresh one.
  template <class F>
  auto read_once(F&& f) -> decltype(f(std::declval<Tx&>())) {
    if (OpenRead* open = open_read_; open && open->db == this) return f(*open->tx);
    for (int attempt = 0;; ++attempt) {
      Lease lease(*this, false);
      Tx tx(*lease.conn);
      try {
        return f(tx);
      } catch (const DatabaseTimeout&) {
        throw;
      } catch (const DatabaseError&) {
        if (lease.conn->healthy() || attempt >= kStaleRetries) throw;
      }
    }
  }

  // Runs `f(Tx&)` in a write transaction on a connection of its own, outside
  // the pool, under `within` for connecting and for each statement: whether
  // the database answers and accepts writes now (read-only file, full disk,
  // frozen server, a lock held too long all fail it). Throws what the write
  // threw. For one caller at a time (the health monitor).
  void probe(std::chrono::milliseconds within, const std::function<void(Tx&)>& f);

  // A connection outside any transaction, for migrations and tools.
  template <class F>
  void with_connection(F&& f) {
    Lease lease(*this, false);
    f(*lease.conn);
  }

 private:
  // The read transaction open on this thread, if any (innermost first).
  struct OpenRead {
    const Database* db;
    Tx* tx;
    OpenRead* outer;
  };
  static inline thread_local OpenRead* open_read_ = nullptr;
  struct ReadScope {
    OpenRead entry;
    ReadScope(const Database* db, Tx* tx) : entry{db, tx, open_read_} { open_read_ = &entry; }
    ~ReadScope() { open_read_ = entry.outer; }
    ReadScope(const ReadScope&) = delete;
    ReadScope& operator=(const ReadScope&) = delete;
  };

  struct Lease {
    Lease(Database& db, bool writer);
    ~Lease();
    Database& db;
    std::unique_ptr<Connection> conn;
    bool writer;
  };
  Database(DatabaseUri uri, int pool_size, Timeouts timeouts);
  std::unique_ptr<Connection> connect(const Timeouts& t) const;
  void begin(Connection& c, bool writer);
  void commit(Connection& c);
  void rollback(Connection& c) noexcept;

  // How many times a transaction whose BEGIN met a dead connection, or a
  // single read that did, is tried again on another: at most every pooled
  // connection can have died with the database's restart.
  static constexpr int kStaleRetries = 64;

  template <class F>
  auto run(bool writer, F&& f) -> decltype(f(std::declval<Tx&>())) {
    for (int attempt = 0;; ++attempt) {
      Lease lease(*this, writer);
      // A connection that died while idle in the pool (the database was
      // restarted) fails its BEGIN before anything of the caller's was sent:
      // it is dropped and the transaction starts on a fresh one.
      try {
        begin(*lease.conn, writer);
      } catch (const DatabaseTimeout&) {
        throw;
      } catch (const DatabaseError&) {
        if (lease.conn->healthy() || attempt >= kStaleRetries) throw;
        continue;
      }
      Tx tx(*lease.conn);
      std::optional<ReadScope> scope;
      if (!writer) scope.emplace(this, &tx);
      try {
        if constexpr (std::is_void_v<decltype(f(tx))>) {
          f(tx);
          commit(*lease.conn);
          tx.committed();
          return;
        } else {
          auto result = f(tx);
          commit(*lease.conn);
          tx.committed();
          return result;
        }
      } catch (...) {
        rollback(*lease.conn);
        throw;
      }
    }
  }

  struct Pool;
  DatabaseUri uri_;
  Timeouts timeouts_;
  std::unique_ptr<Pool> pool_;
};

// `lock_wait`: how long a statement waits for another connection's lock.
std::unique_ptr<Connection> open_sqlite(const std::string& path,
                                        std::chrono::milliseconds lock_wait = std::chrono::seconds(10));
// Throws DatabaseUnavailable when the server does not answer within
// `t.connect`; each statement then waits at most `t.statement`.
std::unique_ptr<Connection> open_postgres(const std::string& uri, const Timeouts& t = {});

// Refreshes the planners' statistics after a bulk load. On SQLite the
// statistics of tables still small (under 1,000 rows) are dropped again, so
// that the planner keeps assuming they are large and uses their indexes as
// they grow: stale "1 row" statistics would make it scan them instead.
void refresh_statistics(Database& db);

}  // namespace xh::storage
