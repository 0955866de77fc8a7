#include "api/access.h"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "api/principal.h"

namespace xh::api {

namespace {

struct Table {
  std::vector<RoleDef> roles;
  std::vector<PermissionDef> permissions;
  std::map<std::string, std::vector<std::string>, std::less<>> by_role;  // sorted permissions
};

Table& table() {
  static Table t;
  return t;
}

const std::vector<std::string> kNone;

}  // namespace

void set_access_table(std::vector<RoleDef> roles, std::vector<PermissionDef> permissions) {
  Table t;
  t.roles = std::move(roles);
  for (const auto& r : t.roles) t.by_role[std::string(r.name)];
  for (const auto& p : permissions) {
    if (std::count_if(permissions.begin(), permissions.end(),
                      [&](const PermissionDef& q) { return q.name == p.name; }) > 1)
      throw std::logic_error("permission defined twice: " + std::string(p.name));
    for (auto role : p.roles) {
      auto it = t.by_role.find(role);
      if (it == t.by_role.end())
        throw std::logic_error("permission " + std::string(p.name) + " given to unknown role " +
                               std::string(role));
      it->second.emplace_back(p.name);
    }
  }
  for (auto& [role, perms] : t.by_role) std::sort(perms.begin(), perms.end());
  t.permissions = std::move(permissions);
  table() = std::move(t);
}

const std::vector<RoleDef>& roles() { return table().roles; }

const RoleDef* find_role(std::string_view name) {
  for (const auto& r : table().roles)
    if (r.name == name) return &r;
  return nullptr;
}

const std::vector<PermissionDef>& permissions() { return table().permissions; }

const std::vector<std::string>& role_permissions(std::string_view role) {
  auto it = table().by_role.find(role);
  return it == table().by_role.end() ? kNone : it->second;
}

bool role_has(std::string_view role, std::string_view permission) {
  const auto& perms = role_permissions(role);
  return std::binary_search(perms.begin(), perms.end(), permission,
                            [](const auto& a, const auto& b) { return std::string_view(a) < std::string_view(b); });
}

bool Principal::has_role(std::string_view role) const {
  return std::any_of(grants.begin(), grants.end(), [&](const Grant& g) { return g.role == role; });
}

bool Principal::has_permission(std::string_view permission) const {
  return std::any_of(grants.begin(), grants.end(),
                     [&](const Grant& g) { return role_has(g.role, permission); });
}

bool Principal::is_staff() const {
  return std::any_of(grants.begin(), grants.end(), [](const Grant& g) {
    const RoleDef* def = find_role(g.role);
    return def && def->staff;
  });
}

}  // namespace xh::api
