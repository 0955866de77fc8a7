#include "live/reads.h"

#include <string>

namespace xh::live {

Reads reads_of(storage::Tx& tx, std::string_view subject_type, std::int64_t subject_id) {
  auto r = tx.query_one(
      "SELECT COUNT(*) AS sent, COUNT(read_at) AS n_read FROM notifications WHERE subject_type = "
      "$1 "
      "AND subject_id = $2",
      std::string(subject_type), subject_id);
  return {r->i64("sent"), r->i64("n_read")};
}

}  // namespace xh::live
