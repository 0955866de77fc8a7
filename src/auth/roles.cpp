#include "auth/roles.h"

#include <algorithm>

#include "core/error.h"

namespace xh::auth {

const std::vector<RoleDef>& roles() {
  // sys_admin, security_admin and audit_admin are separate by design (三权分立):
  // the one who manages accounts cannot grant roles, neither can read the audit.
  static const std::vector<RoleDef> all = {
      {"street_admin", "街道管理员", "Street administrator", true,
       {"place.read", "place.write", "user.read", "resident.read", "partner.read", "partner.write",
        "import.run", "workorder.read", "workorder.file", "workorder.on_behalf", "workorder.accept",
        "workorder.dispatch", "workorder.handle", "workorder.verify", "workorder.close",
        "workorder.consult", "workorder.inspect", "workorder.configure", "points.read",
        "points.manage"}},
      {"community_admin", "社区管理员", "Community administrator", true,
       {"place.read", "place.write", "user.read", "resident.read", "resident.write",
        "resident.phone", "resident.id_number", "resident.care", "partner.read", "partner.write",
        "import.run", "workorder.read", "workorder.file", "workorder.on_behalf", "workorder.accept",
        "workorder.dispatch", "workorder.handle", "workorder.verify", "workorder.close",
        "workorder.consult", "workorder.inspect", "points.read", "points.manage"}},
      {"grid_worker", "网格员", "Grid worker", true,
       {"place.read", "resident.read", "resident.phone", "resident.care", "workorder.read",
        "workorder.file", "workorder.on_behalf", "workorder.verify", "workorder.inspect",
        "points.read"}},
      {"building_leader", "楼院组长", "Building leader", true,
       {"place.read", "resident.read", "workorder.read", "workorder.file"}},
      // Within the compounds their company serves; they act only on orders routed
      // to the property company (see workorders).
      {"property_staff", "物业人员", "Property company staff", true,
       {"place.read", "workorder.read", "workorder.file", "workorder.accept", "workorder.dispatch",
        "workorder.handle"}},
      {"partner_admin", "合伙人管理员", "Partner administrator", true, {"partner.read"}},
      {"volunteer", "志愿者", "Volunteer", false, {"workorder.file"}},
      // A resident's role is held over their own household.
      {"resident", "居民", "Resident", false, {"place.read", "resident.read", "workorder.file"}},
      {"sys_admin", "系统管理员", "System administrator", true,
       {"user.read", "user.manage", "place.read", "place.write"}},
      {"security_admin", "安全管理员", "Security administrator", true,
       {"user.read", "role.manage", "security.manage"}},
      {"audit_admin", "审计管理员", "Audit administrator", true, {"audit.read"}},
  };
  return all;
}

const RoleDef* find_role(std::string_view name) {
  for (const auto& r : roles())
    if (r.name == name) return &r;
  return nullptr;
}

namespace {
bool role_has(std::string_view role, std::string_view permission) {
  const RoleDef* def = find_role(role);
  return def && std::find(def->permissions.begin(), def->permissions.end(), permission) !=
                    def->permissions.end();
}
}  // namespace

bool grant_has(const Grant& g, std::string_view permission) { return role_has(g.role, permission); }

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

std::vector<std::string> scope_paths(const Principal& p, std::string_view permission) {
  std::vector<std::string> out;
  for (const auto& g : p.grants)
    if (role_has(g.role, permission)) out.push_back(g.place_path);
  // Drop paths already covered by a shorter one.
  std::sort(out.begin(), out.end());
  std::vector<std::string> minimal;
  for (auto& path : out)
    if (minimal.empty() || path.rfind(minimal.back(), 0) != 0) minimal.push_back(path);
  return minimal;
}

bool in_scope(const Principal& p, std::string_view permission, std::string_view target_path) {
  for (const auto& g : p.grants)
    if (role_has(g.role, permission) && target_path.substr(0, g.place_path.size()) == g.place_path)
      return true;
  return false;
}

void require(const Principal& p, std::string_view permission) {
  if (!p.has_permission(permission))
    throw forbidden("auth.permission_denied", std::string(permission));
}

void require_in_scope(const Principal& p, std::string_view permission,
                      std::string_view target_path) {
  require(p, permission);
  if (!in_scope(p, permission, target_path))
    throw forbidden("auth.scope_denied", std::string(permission));
}

bool in_scope_any(const Principal& p, std::string_view permission,
                  std::initializer_list<std::string_view> paths) {
  for (auto path : paths)
    if (!path.empty() && in_scope(p, permission, path)) return true;
  return false;
}

void require_in_scope_any(const Principal& p, std::string_view permission,
                          std::initializer_list<std::string_view> paths) {
  require(p, permission);
  if (!in_scope_any(p, permission, paths))
    throw forbidden("auth.scope_denied", std::string(permission));
}

std::vector<std::string> ancestor_paths(const Principal& p, std::string_view permission) {
  auto scopes = scope_paths(p, permission);
  std::vector<std::string> out;
  for (const auto& path : scopes)
    for (std::size_t i = 1; i + 1 < path.size(); ++i)
      if (path[i] == '/') {
        std::string above = path.substr(0, i + 1);
        bool covered = std::any_of(scopes.begin(), scopes.end(),
                                   [&](const std::string& s) { return above.rfind(s, 0) == 0; });
        if (!covered && std::find(out.begin(), out.end(), above) == out.end()) out.push_back(above);
      }
  return out;
}

std::string scope_condition(const Principal& p, std::string_view permission,
                            std::initializer_list<std::string_view> path_columns,
                            std::vector<storage::Param>& params) {
  std::string sql;
  append_scope_condition(p, permission, path_columns, sql, params);
  return sql.substr(5);  // without the leading " AND "
}

void append_scope_condition(const Principal& p, std::string_view permission,
                            std::initializer_list<std::string_view> path_columns,
                            std::string& sql, std::vector<storage::Param>& params) {
  auto paths = scope_paths(p, permission);
  if (paths.empty()) throw forbidden("auth.permission_denied", std::string(permission));
  std::vector<std::string> numbers;
  for (const auto& path : paths) {
    // Everything with the prefix "/1/4/" sorts in ["/1/4/", "/1/40"): '0' follows '/'.
    std::string upper = path;
    upper.back() = '0';
    params.push_back(path);
    params.push_back(upper);
    numbers.push_back(std::to_string(params.size() - 1));
  }
  sql += " AND (";
  bool first = true;
  bool primary = true;
  for (auto column : path_columns) {
    for (std::size_t k = 0; k < numbers.size(); ++k) {
      const auto& n = numbers[k];
      if (!primary && std::count(paths[k].begin(), paths[k].end(), '/') <= 3) continue;
      if (!first) sql += " OR ";
      first = false;
      std::string col(column);
      sql += "(" + col + " >= $" + n + " AND " + col + " < $" + std::to_string(std::stoi(n) + 1) + ")";
    }
    primary = false;
  }
  sql += ")";
}

void append_scope_condition(const Principal& p, std::string_view permission,
                            std::string_view path_column, std::string& sql,
                            std::vector<storage::Param>& params) {
  append_scope_condition(p, permission, {path_column}, sql, params);
}

std::vector<Grant> load_grants(storage::Tx& tx, std::int64_t user_id) {
  std::vector<Grant> out;
  for (const auto& r : tx.query(
           "SELECT ra.id, ra.role, ra.place_id, p.path FROM role_assignments ra "
           "JOIN places p ON p.id = ra.place_id WHERE ra.user_id = $1 ORDER BY ra.id",
           user_id))
    out.push_back({r.i64(0), r.str(1), r.i64(2), r.str(3)});
  return out;
}

}  // namespace xh::auth
