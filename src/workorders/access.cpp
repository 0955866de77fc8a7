#include "workorders/access.h"

#include "api/scope.h"
#include "core/error.h"

namespace xh::workorders::access {

using storage::Tx;

namespace {
bool is_contact(Tx& tx, std::int64_t user_id, std::int64_t org_id) {
  return tx.query_one("SELECT 1 FROM org_contacts WHERE user_id = $1 AND org_id = $2", user_id,
                      org_id)
      .has_value();
}
}  // namespace

bool staff_may(Tx& tx, const api::Principal& p, std::string_view permission,
               const store::Order& o) {
  for (const auto& g : p.grants) {
    if (!api::grant_has(g, permission)) continue;
    if (!o.path.starts_with(g.place_path) &&
        !(o.grid_path && o.grid_path->starts_with(g.place_path)))
      continue;
    const auto* role = api::find_role(g.role);
    if (role && role->acts_for_company && permission != "workorder.read") {
      if (o.body != "property" || !o.body_org_id) continue;
      if (!is_contact(tx, p.user_id, *o.body_org_id)) continue;
    }
    return true;
  }
  return false;
}

bool is_reporter(const api::Principal& p, const store::Order& o) {
  return o.reporter_id && *o.reporter_id == p.user_id;
}

bool can_read(Tx& tx, const api::Principal& p, const store::Order& o) {
  return staff_may(tx, p, "workorder.read", o) || is_reporter(p, o) ||
         store::is_follower(tx, o.id, p.user_id);
}

void require_read(Tx& tx, const api::Principal& p, const store::Order& o) {
  if (can_read(tx, p, o)) return;
  if (p.has_permission("workorder.read")) throw forbidden("auth.scope_denied", "workorder.read");
  throw forbidden("auth.permission_denied", "workorder.read");
}

void refuse(Tx& tx, const api::Principal& p, const store::Order& o, std::string_view permission) {
  require_read(tx, p, o);
  throw forbidden("auth.permission_denied", std::string(permission));
}

bool may_file_at(const api::Principal& p, std::string_view permission, std::string_view place_path) {
  for (const auto& g : p.grants)
    if (api::grant_has(g, permission) && place_path.starts_with(api::community_path(g.place_path)))
      return true;
  return false;
}

bool may_look_at(const api::Principal& p, std::string_view place_path) {
  for (const auto& g : p.grants) {
    const auto* role = api::find_role(g.role);
    if (role && !role->staff && api::grant_has(g, "workorder.file") &&
        place_path.starts_with(api::community_path(g.place_path)))
      return true;
  }
  return api::in_scope(p, "workorder.read", place_path);
}

}  // namespace xh::workorders::access
