#include "storage/bulk.h"

#include <exception>
#include <stdexcept>

namespace xh::storage {

BulkInsert::BulkInsert(Tx& tx, std::string table, std::vector<std::string> columns, std::size_t batch)
    : tx_(tx), table_(std::move(table)), columns_(std::move(columns)), batch_(batch) {
  full_sql_ = statement(batch_);
  pending_.reserve(batch_ * columns_.size());
}

BulkInsert::~BulkInsert() noexcept(false) {
  if (std::uncaught_exceptions() == 0) flush();
}

std::string BulkInsert::statement(std::size_t rows) const {
  std::string sql = "INSERT INTO " + table_ + " (";
  for (std::size_t i = 0; i < columns_.size(); ++i) sql += (i ? ", " : "") + columns_[i];
  sql += ") VALUES ";
  std::size_t n = 0;
  for (std::size_t r = 0; r < rows; ++r) {
    sql += r ? ",(" : "(";
    for (std::size_t c = 0; c < columns_.size(); ++c) sql += (c ? ",$" : "$") + std::to_string(++n);
    sql += ")";
  }
  return sql;
}

void BulkInsert::add(std::vector<Param> row) {
  if (row.size() != columns_.size()) throw std::logic_error("bulk insert: wrong number of values");
  for (auto& v : row) pending_.push_back(std::move(v));
  if (++rows_ == batch_) flush();
}

void BulkInsert::flush() {
  if (rows_ == 0) return;
  for (auto* d : deps_) d->flush();
  tx_.exec_v(rows_ == batch_ ? full_sql_ : statement(rows_), pending_);
  written_ += rows_;
  rows_ = 0;
  pending_.clear();
}

std::int64_t next_id(Tx& tx, std::string_view table) {
  std::string t(table);
  return tx.query_one("SELECT COALESCE(MAX(id), 0) + 1 AS next FROM " + t)->i64("next");
}

void advance_id_sequence(Tx& tx, std::string_view table) {
  if (tx.dialect() != Dialect::postgres) return;
  std::string t(table);
  tx.query("SELECT setval(pg_get_serial_sequence('" + t + "', 'id'), (SELECT MAX(id) FROM " + t + "))");
}

}  // namespace xh::storage
