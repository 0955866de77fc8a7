// The demo street's logins (FND-6): one a role, each named after its role and
// held over the place a person in that role would hold it over, and the
// contacts of the two volunteer teams whose services residents redeem points
// for (so that their vouchers can be fulfilled); every password is
// api::kDemoPassword.
#include <string>
#include <vector>

#include "api/module.h"
#include "auth/accounts.h"
#include "auth/store.h"

namespace xh::auth {

namespace {

struct DemoLogin {
  const char* role;
  const char* place_code;
  const char* place_name;
  const char* username = nullptr;      // the role's name when none
  const char* display_name = nullptr;  // the role's label（演示）when none
};

const std::vector<DemoLogin>& demo_logins() {
  static const std::vector<DemoLogin> all = {
      {"street_admin", "NC", "南村街道"},
      {"community_admin", "NC-QX", "泉星社区"},
      {"grid_worker", "NC-QX-G1", "泉星社区第一网格"},
      {"building_leader", "NC-QX-C1-B1", "泉星花园1号楼"},
      {"property_staff", "NC-QX-C1", "泉星花园"},
      {"partner_admin", "NC-QX", "泉星社区"},
      {"volunteer", "NC-QX", "泉星社区"},
      {"resident", "NC-QX-C1-B1-U1-101", "泉星花园1号楼1单元101室"},
      {"sys_admin", "NC", "南村街道"},
      {"security_admin", "NC", "南村街道"},
      {"audit_admin", "NC", "南村街道"},
      {"partner_admin", "NC", "南村街道", "modao", "朝乐磨刀队队长（演示）"},
      {"partner_admin", "NC", "南村街道", "lifa", "花剪子理发队队长（演示）"},
  };
  return all;
}

}  // namespace

void load_demo(api::Context& ctx) {
  auto system = api::Actor::system();
  ctx.db.write([&](storage::Tx& tx) {
    for (const auto& login : demo_logins()) {
      auto uid = create_user_unchecked(
          tx, system,
          {login.username ? login.username : login.role,
           login.display_name ? login.display_name : std::string(api::find_role(login.role)->zh) + "（演示）",
           api::kDemoPassword});
      auto place = tx.query_one("SELECT id FROM places WHERE code = $1", login.place_code);
      assign_role_unchecked(tx, system, uid, login.role, place->i64("id"));
    }
  });
}

std::vector<std::string> demo_notes() {
  std::vector<std::string> out = {std::string("演示账号 / demo logins (密码 / password: ") +
                                  api::kDemoPassword + ")"};
  for (const auto& l : demo_logins()) {
    std::string name = l.username ? l.username : l.role;
    std::string who = l.display_name ? l.display_name : std::string(api::find_role(l.role)->zh);
    out.push_back("  " + name + std::string(18 - std::min<std::size_t>(17, name.size()), ' ') + who +
                  " · " + l.place_name);
  }
  return out;
}

}  // namespace xh::auth
