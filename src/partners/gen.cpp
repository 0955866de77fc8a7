// The partners of a generated street (`xinghuo gen`): four organisations in
// each of its communities, a company, a school, a social organisation and a
// volunteer team.
#include "api/module.h"
#include "storage/bulk.h"

namespace xh::partners {

api::GenCounts gen_street(storage::Tx& tx, api::Context&, api::GenStreet& street) {
  constexpr const char* kKinds[] = {"company", "school", "social_org", "volunteer_team"};
  Millis now = now_ms();
  std::int64_t org = storage::next_id(tx, "orgs"), first = org;
  auto communities = tx.query(
      "SELECT id, path FROM places WHERE parent_id = $1 AND kind = 'community' ORDER BY id",
      street.id);
  {
    storage::BulkInsert orgs(tx, "orgs",
                             {"id", "name", "kind", "place_id", "path", "created_at", "updated_at"});
    int c = 0;
    for (const auto& community : communities) {
      ++c;
      for (int o = 1; o <= 4; ++o)
        orgs.add(org++,
                 "生成街道" + std::to_string(street.number) + "社区" + std::to_string(c) +
                     "合伙单位" + std::to_string(o),
                 kKinds[o - 1], community.i64("id"), community.str("path"), now, now);
    }
  }
  storage::advance_id_sequence(tx, "orgs");
  return {{"partners", org - first}};
}

}  // namespace xh::partners
