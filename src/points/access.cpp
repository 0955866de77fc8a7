#include "points/access.h"

#include "api/access.h"
#include "api/scope.h"
#include "core/error.h"

namespace xh::points::access {

using storage::Tx;

bool owns_account(Tx& tx, const api::Principal& p, const store::Account& a) {
  if (a.kind == "resident") return store::is_login_of(tx, p.user_id, a.owner_id);
  if (a.kind == "org") return store::is_contact(tx, p.user_id, a.owner_id);
  return false;
}

void require_account(Tx& tx, const api::Principal& p, const store::Account& a) {
  if (owns_account(tx, p, a)) return;
  api::require_in_scope(p, "points.read", a.path);
}

bool in_community(const api::Principal& p, std::string_view community_path) {
  for (const auto& g : p.grants) {
    // The three administrators (三权分立) hold no business role anywhere.
    const api::RoleDef* role = api::find_role(g.role);
    if (!role || role->operator_appointed) continue;
    if (std::string_view(g.place_path).starts_with(community_path) ||
        community_path.starts_with(g.place_path))
      return true;
  }
  return false;
}

void require_may_offer(Tx& tx, const api::Principal& p, std::int64_t org_id,
                       std::string_view place_path) {
  auto org_path = store::org_path(tx, org_id);
  if (!org_path) throw unprocessable("points.bad_item", "org_id");
  if (!store::is_contact(tx, p.user_id, org_id) || !place_path.starts_with(*org_path))
    api::require_in_scope(p, "points.manage", place_path);
}

}  // namespace xh::points::access
