#include "app/demo.h"

#include <map>

#include "auth/accounts.h"
#include "places/places.h"

namespace xh::app {

using storage::Tx;

std::vector<DemoLogin> demo_logins() {
  return {
      {"street_admin", "street_admin", "南村街道"},
      {"community_admin", "community_admin", "泉星社区"},
      {"grid_worker", "grid_worker", "泉星社区第一网格"},
      {"building_leader", "building_leader", "泉星花园1号楼"},
      {"property_staff", "property_staff", "泉星花园"},
      {"partner_admin", "partner_admin", "泉星社区"},
      {"volunteer", "volunteer", "泉星社区"},
      {"resident", "resident", "泉星花园1号楼1单元101室"},
      {"sys_admin", "sys_admin", "南村街道"},
      {"security_admin", "security_admin", "南村街道"},
      {"audit_admin", "audit_admin", "南村街道"},
  };
}

bool load_demo(storage::Database& db) {
  audit::Actor system{std::nullopt, "system", "local"};
  return db.write([&](Tx& tx) {
    if (tx.query_one("SELECT 1 FROM places WHERE code = $1", "NC")) return false;
    std::map<std::string, std::int64_t> ids;
    auto place = [&](const char* parent, const char* kind, const char* name, const char* code) {
      places::NewPlace p{std::nullopt, kind, name, std::string(code)};
      if (parent) p.parent_id = ids.at(parent);
      ids[name] = places::create_unchecked(tx, system, p).id;
    };
    place(nullptr, "street", "南村街道", "NC");
    place("南村街道", "community", "泉星社区", "NC-QX");
    place("南村街道", "community", "工商河社区", "NC-GSH");
    place("泉星社区", "grid", "泉星社区第一网格", "NC-QX-G1");
    place("泉星社区", "grid", "泉星社区第二网格", "NC-QX-G2");
    place("泉星社区第一网格", "micro_grid", "巧智", "NC-QX-G1-QZ");
    place("工商河社区", "grid", "工商河社区第一网格", "NC-GSH-G1");
    place("泉星社区", "compound", "泉星花园", "NC-QX-C1");
    place("泉星花园", "building", "泉星花园1号楼", "NC-QX-C1-B1");
    place("泉星花园1号楼", "unit", "泉星花园1号楼1单元", "NC-QX-C1-B1-U1");
    place("泉星花园1号楼1单元", "household", "泉星花园1号楼1单元101室", "NC-QX-C1-B1-U1-101");
    place("工商河社区", "compound", "工商河小区", "NC-GSH-C1");
    place("工商河小区", "building", "工商河小区3号楼", "NC-GSH-C1-B3");
    for (const auto& login : demo_logins()) {
      auto uid = auth::create_user_unchecked(
          tx, system,
          {login.username, std::string(auth::find_role(login.role)->zh_name) + "（演示）", kDemoPassword});
      auth::assign_role_unchecked(tx, system, uid, login.role, ids.at(login.place));
    }
    return true;
  });
}

}  // namespace xh::app
