#pragma once
// Roles and permissions as data (FND-4). The auth module declares the roles
// (their names and what kind of role each is); every module declares its own
// permissions and which roles get them (see module.h). install() gathers
// them once at start; after that the table is read-only and safe to read
// from every thread.
#include <string>
#include <string_view>
#include <vector>

namespace xh::api {

// A role, with the attributes that change how code treats its holders; code
// asks for an attribute, never for a role's name.
struct RoleDef {
  std::string_view name;  // "community_admin"
  std::string_view zh;    // "社区管理员"
  std::string_view en;    // "Community administrator"
  bool staff = false;     // staff accounts may enrol TOTP and see reporters
  // Holders act only on what is routed to the organisation they are a contact
  // of (property staff act for their property company); they still read all
  // that happens in their scope.
  bool acts_for_company = false;
  // Appointed by the operator on the command line only, never through the API
  // (the three separated administrators, 三权分立).
  bool operator_appointed = false;
  // Cannot be disabled by the system administrator.
  bool protected_account = false;
};

// A permission a module defines, and the roles that hold it.
struct PermissionDef {
  std::string_view name;  // "workorder.read"
  std::vector<std::string_view> roles;
};

// Replaces the table (called by install(); tests may call it with their own).
// Throws std::logic_error for a permission given to an undeclared role or
// defined twice.
void set_access_table(std::vector<RoleDef> roles, std::vector<PermissionDef> permissions);

// Every role, in display order.
const std::vector<RoleDef>& roles();
const RoleDef* find_role(std::string_view name);
// Every permission defined, in module order.
const std::vector<PermissionDef>& permissions();
// The permissions `role` holds, sorted.
const std::vector<std::string>& role_permissions(std::string_view role);
// True when `role` holds `permission`.
bool role_has(std::string_view role, std::string_view permission);

}  // namespace xh::api
