#pragma once
// Multi-row INSERTs for bulk loads (the data generator): rows are buffered and
// written `batch` at a time with one parameterised statement, which both
// engines prepare once and reuse.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "storage/database.h"

namespace xh::storage {

class BulkInsert {
 public:
  BulkInsert(Tx& tx, std::string table, std::vector<std::string> columns, std::size_t batch = 400);
  ~BulkInsert() noexcept(false);  // flushes what is left

  // Rows here reference rows buffered in `other` (a foreign key): flush it first.
  void depends_on(BulkInsert& other) { deps_.push_back(&other); }
  void add(std::vector<Param> row);  // one value per column
  // The same, each value converted as Tx::exec converts its arguments.
  template <class... A>
  void add(A&&... values) {
    add(Tx::params(std::forward<A>(values)...));
  }
  void flush();
  std::size_t written() const { return written_; }

 private:
  std::string statement(std::size_t rows) const;
  Tx& tx_;
  std::string table_;
  std::vector<std::string> columns_;
  std::size_t batch_;
  std::vector<Param> pending_;
  std::size_t rows_ = 0, written_ = 0;
  std::string full_sql_;
  std::vector<BulkInsert*> deps_;
};

// Bulk loads choose their rows' ids themselves: the id after the largest in
// `table` (its column `id`)…
std::int64_t next_id(Tx& tx, std::string_view table);
// …and, once the rows are in, PostgreSQL's sequence of `table`.id moved past
// them so that later inserts do not collide (nothing to do on SQLite).
void advance_id_sequence(Tx& tx, std::string_view table);

}  // namespace xh::storage
