// PostgreSQL backend over libpq: parameters sent as text, statements prepared
// once per connection and cached by their SQL text.
#include <libpq-fe.h>

#include <string>
#include <unordered_map>

#include "storage/database.h"

namespace xh::storage {
namespace {

class PgConnection final : public Connection {
 public:
  explicit PgConnection(const std::string& uri) {
    conn_ = PQconnectdb(uri.c_str());
    if (PQstatus(conn_) != CONNECTION_OK) {
      std::string msg = PQerrorMessage(conn_);
      PQfinish(conn_);
      throw DatabaseError("cannot connect to PostgreSQL: " + msg);
    }
    exec_script("SET client_min_messages TO warning; SET TIME ZONE 'UTC'");
  }
  ~PgConnection() override { PQfinish(conn_); }

  Dialect dialect() const override { return Dialect::postgres; }
  bool healthy() const override { return PQstatus(conn_) == CONNECTION_OK; }

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
    PGresult* r = PQexec(conn_, std::string(sql).c_str());
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
    if (params.empty() && (sql == "BEGIN" || sql == "COMMIT" || sql == "ROLLBACK" ||
                           sql.rfind("BEGIN ", 0) == 0)) {
      PGresult* r = PQexec(conn_, std::string(sql).c_str());
      check(r);
      return r;
    }
    std::string key(sql);
    auto it = prepared_.find(key);
    if (it == prepared_.end()) {
      std::string name = "s" + std::to_string(prepared_.size());
      PGresult* pr = PQprepare(conn_, name.c_str(), key.c_str(), 0, nullptr);
      check(pr);
      PQclear(pr);
      it = prepared_.emplace(key, name).first;
    }
    PGresult* r = PQexecPrepared(conn_, it->second.c_str(), static_cast<int>(params.size()),
                                 values.data(), nullptr, nullptr, 0);
    check(r);
    return r;
  }

  void check(PGresult* r) {
    auto st = PQresultStatus(r);
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return;
    const char* state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    std::string msg = r ? PQresultErrorMessage(r) : PQerrorMessage(conn_);
    bool unique = state && std::string(state) == "23505";
    PQclear(r);
    if (PQstatus(conn_) != CONNECTION_OK) prepared_.clear();
    if (unique) throw UniqueViolation(msg);
    throw DatabaseError("PostgreSQL: " + msg);
  }

  PGconn* conn_ = nullptr;
  std::unordered_map<std::string, std::string> prepared_;
};

}  // namespace

std::unique_ptr<Connection> open_postgres(const std::string& uri) {
  return std::make_unique<PgConnection>(uri);
}

}  // namespace xh::storage
