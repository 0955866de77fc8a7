// PostgreSQL backend over libpq: parameters sent as text, statements prepared
// once per connection and cached by their SQL text. Every exchange with the
// server runs under a deadline (libpq's asynchronous calls and poll): a server
// that stops answering — frozen, or gone without closing the connection —
// fails the statement with DatabaseUnavailable, and the connection is dropped.
#include <libpq-fe.h>
#include <poll.h>

#include <cerrno>
#include <chrono>
#include <string>
#include <unordered_map>

#include "storage/database.h"
#include "storage/listen.h"

namespace xh::storage {
namespace {

using Clock = std::chrono::steady_clock;

class PgConnection final : public Connection {
 public:
  PgConnection(const std::string& uri, const Timeouts& t) : timeouts_(t) {
    const char* keys[] = {"dbname", nullptr};
    const char* values[] = {uri.c_str(), nullptr};
    conn_ = PQconnectStartParams(keys, values, 1);
    if (!conn_ || PQstatus(conn_) == CONNECTION_BAD) fail_connect("");
    auto deadline = Clock::now() + t.connect;
    for (PostgresPollingStatusType st = PGRES_POLLING_WRITING;;) {
      if (st == PGRES_POLLING_OK) break;
      if (st == PGRES_POLLING_FAILED) fail_connect("");
      if (!wait(st == PGRES_POLLING_READING ? POLLIN : POLLOUT, deadline))
        fail_connect("no answer within " + std::to_string(t.connect.count()) + " ms");
      st = PQconnectPoll(conn_);
    }
    PQsetnonblocking(conn_, 1);
    exec_script("SET client_min_messages TO warning; SET TIME ZONE 'UTC'; SET statement_timeout = " +
                std::to_string(t.statement.count()));
  }
  ~PgConnection() override { PQfinish(conn_); }

  Dialect dialect() const override { return Dialect::postgres; }
  bool healthy() const override { return !broken_ && PQstatus(conn_) == CONNECTION_OK; }

  Rows query(std::string_view sql, const std::vector<Param>& params) override {
    PGresult* r = run(sql, params);
    Rows rows;
    int n = PQntuples(r), m = PQnfields(r);
    rows.reserve(n);
    auto names = std::make_shared<std::vector<std::string>>();
    for (int j = 0; j < m; ++j) names->emplace_back(PQfname(r, j));
    for (int i = 0; i < n; ++i) {
      std::vector<std::optional<std::string>> cols;
      cols.reserve(m);
      for (int j = 0; j < m; ++j) {
        if (PQgetisnull(r, i, j))
          cols.emplace_back(std::nullopt);
        else
          cols.emplace_back(std::string(PQgetvalue(r, i, j), PQgetlength(r, i, j)));
      }
      rows.emplace_back(names, std::move(cols));
    }
    PQclear(r);
    return rows;
  }

  std::int64_t exec(std::string_view sql, const std::vector<Param>& params) override {
    PGresult* r = run(sql, params);
    const char* n = PQcmdTuples(r);
    std::int64_t changed = (n && *n) ? std::stoll(n) : 0;
    PQclear(r);
    return changed;
  }

  void exec_script(std::string_view sql) override {
    // Migrations may take long: only a server that stops answering fails them.
    bool sent = PQsendQuery(conn_, std::string(sql).c_str()) == 1;
    PGresult* r = await(sent, Clock::now() + std::max(timeouts_.statement, std::chrono::milliseconds(600000)));
    check(r);
    PQclear(r);
  }

 private:
  PGresult* run(std::string_view sql, const std::vector<Param>& params) {
    std::vector<std::string> text(params.size());
    std::vector<const char*> values(params.size());
    for (std::size_t i = 0; i < params.size(); ++i) {
      const Param& p = params[i];
      if (std::holds_alternative<std::nullptr_t>(p)) {
        values[i] = nullptr;
        continue;
      }
      if (auto* v = std::get_if<std::int64_t>(&p))
        text[i] = std::to_string(*v);
      else if (auto* d = std::get_if<double>(&p))
        text[i] = std::to_string(*d);
      else
        text[i] = std::get<std::string>(p);
      values[i] = text[i].c_str();
    }
    // Transaction control is sent as plain text; everything else is prepared.
    auto deadline = Clock::now() + timeouts_.statement;
    if (params.empty() && (sql == "BEGIN" || sql == "COMMIT" || sql == "ROLLBACK" ||
                           sql.rfind("BEGIN ", 0) == 0)) {
      PGresult* r = await(PQsendQuery(conn_, std::string(sql).c_str()) == 1, deadline);
      check(r);
      return r;
    }
    std::string key(sql);
    auto it = prepared_.find(key);
    if (it == prepared_.end()) {
      std::string name = "s" + std::to_string(prepared_.size());
      PGresult* pr =
          await(PQsendPrepare(conn_, name.c_str(), key.c_str(), 0, nullptr) == 1, deadline);
      check(pr);
      PQclear(pr);
      it = prepared_.emplace(key, name).first;
    }
    PGresult* r = await(PQsendQueryPrepared(conn_, it->second.c_str(), static_cast<int>(params.size()),
                                            values.data(), nullptr, nullptr, 0) == 1,
                        deadline);
    check(r);
    return r;
  }

  // Waits until the socket is ready for `events`, or the deadline passes.
  bool wait(short events, Clock::time_point deadline) {
    for (;;) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0) return false;
      pollfd p{PQsocket(conn_), events, 0};
      int n = ::poll(&p, 1, static_cast<int>(left.count()));
      if (n > 0) return true;
      if (n < 0 && errno != EINTR) return false;
    }
  }

  // The result of the query just sent (`sent`: libpq accepted it), read
  // under `deadline`; what follows it is drained. Past the deadline the
  // connection is given up (the server may answer it still, to nobody).
  PGresult* await(bool sent, Clock::time_point deadline) {
    if (!sent) return nullptr;  // check() reports the connection's error
    auto give_up = [&]() -> PGresult* {
      broken_ = true;
      prepared_.clear();
      throw DatabaseTimeout("PostgreSQL did not answer within " +
                                std::to_string(timeouts_.statement.count()) + " ms");
    };
    for (int f; (f = PQflush(conn_)) != 0;) {
      if (f < 0) return nullptr;
      if (!wait(POLLIN | POLLOUT, deadline)) return give_up();
      if (PQconsumeInput(conn_) == 0) return nullptr;
    }
    // Every result of what was sent (a script has one a statement): the
    // first error counts, else the last result.
    PGresult* kept = nullptr;
    for (;;) {
      while (PQisBusy(conn_)) {
        if (!wait(POLLIN, deadline)) {
          if (kept) PQclear(kept);
          return give_up();
        }
        if (PQconsumeInput(conn_) == 0) {  // the connection broke
          if (kept) PQclear(kept);
          return nullptr;
        }
      }
      PGresult* r = PQgetResult(conn_);
      if (!r) return kept;
      if (!kept || PQresultStatus(kept) != PGRES_FATAL_ERROR) {
        if (kept) PQclear(kept);
        kept = r;
      } else {
        PQclear(r);
      }
    }
  }

  [[noreturn]] void fail_connect(const std::string& why) {
    std::string msg = why.empty() && conn_ ? PQerrorMessage(conn_) : why;
    if (conn_) PQfinish(conn_);
    conn_ = nullptr;
    throw DatabaseUnavailable("cannot connect to PostgreSQL: " + msg);
  }

  void check(PGresult* r) {
    auto st = PQresultStatus(r);
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return;
    const char* state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    std::string msg = r ? PQresultErrorMessage(r) : PQerrorMessage(conn_);
    std::string sqlstate = state ? state : "";
    PQclear(r);
    bool lost = PQstatus(conn_) != CONNECTION_OK;
    if (lost) prepared_.clear();
    if (sqlstate == "23505") throw UniqueViolation(msg);
    // A lost connection, a server shutting down (57P…) or a statement
    // cancelled by its timeout (57014): the request may be tried again later.
    if (lost || sqlstate.rfind("08", 0) == 0 || sqlstate.rfind("57", 0) == 0)
      throw DatabaseUnavailable("PostgreSQL: " + msg);
    throw DatabaseError("PostgreSQL: " + msg);
  }

  Timeouts timeouts_;
  PGconn* conn_ = nullptr;
  bool broken_ = false;  // given up on: an answer may still be on its way
  std::unordered_map<std::string, std::string> prepared_;
};

}  // namespace

std::unique_ptr<Connection> open_postgres(const std::string& uri, const Timeouts& t) {
  return std::make_unique<PgConnection>(uri, t);
}

namespace {

class PgListener final : public Listener {
 public:
  PgListener(const std::string& uri, const std::string& channel, const Timeouts& t) {
    std::string timeout = std::to_string(std::max<std::int64_t>(1, t.connect.count() / 1000));
    const char* keys[] = {"dbname", "connect_timeout", nullptr};
    const char* values[] = {uri.c_str(), timeout.c_str(), nullptr};
    conn_ = PQconnectdbParams(keys, values, 1);
    if (!conn_ || PQstatus(conn_) != CONNECTION_OK)
      throw DatabaseUnavailable(std::string("PostgreSQL listener: ") + (conn_ ? PQerrorMessage(conn_) : "no memory"));
    PGresult* r = PQexec(conn_, ("LISTEN " + channel).c_str());
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    if (!ok) throw DatabaseUnavailable(std::string("PostgreSQL LISTEN: ") + PQerrorMessage(conn_));
  }
  ~PgListener() override { PQfinish(conn_); }

  bool wait(std::chrono::milliseconds timeout) override {
    if (drain()) return true;
    pollfd p{PQsocket(conn_), POLLIN, 0};
    int n = ::poll(&p, 1, static_cast<int>(timeout.count()));
    if (n < 0 && errno != EINTR) throw DatabaseUnavailable("PostgreSQL listener: poll failed");
    if (n > 0 && PQconsumeInput(conn_) != 1)
      throw DatabaseUnavailable(std::string("PostgreSQL listener: ") + PQerrorMessage(conn_));
    if (PQstatus(conn_) != CONNECTION_OK) throw DatabaseUnavailable("PostgreSQL listener: connection lost");
    return drain();
  }

 private:
  bool drain() {
    bool any = false;
    while (PGnotify* n = PQnotifies(conn_)) {
      any = true;
      PQfreemem(n);
    }
    return any;
  }
  PGconn* conn_ = nullptr;
};

}  // namespace

std::unique_ptr<Listener> listen_postgres(const std::string& uri, const std::string& channel,
                                          const Timeouts& t) {
  return std::make_unique<PgListener>(uri, channel, t);
}

}  // namespace xh::storage
