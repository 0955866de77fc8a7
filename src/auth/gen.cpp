// The benchmark logins (`xinghuo gen`), made with the first generated street:
// bench_street, street administrator of it, and bench_community, community
// administrator of its first community (password api::kBenchPassword).
#include "api/module.h"
#include "auth/accounts.h"

namespace xh::auth {

api::GenCounts gen_street(storage::Tx& tx, api::Context&, api::GenStreet& street) {
  if (street.number != 1) return {};
  auto community = tx.query_one(
      "SELECT id FROM places WHERE parent_id = $1 AND kind = 'community' ORDER BY id LIMIT 1",
      street.id);
  auto system = api::Actor::system("gen");
  auto admin = create_user_unchecked(tx, system, {"bench_street", "压测街道管理员", api::kBenchPassword});
  assign_role_unchecked(tx, system, admin, "street_admin", street.id);
  auto manager =
      create_user_unchecked(tx, system, {"bench_community", "压测社区管理员", api::kBenchPassword});
  assign_role_unchecked(tx, system, manager, "community_admin", community->i64("id"));
  return {};
}

std::vector<std::string> gen_notes() {
  return {std::string("压测账号 / benchmark logins: bench_street, bench_community (") +
          api::kBenchPassword + ")"};
}

}  // namespace xh::auth
