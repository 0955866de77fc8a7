// The demo street's logins (FND-6): one a role, each named after its role and
// held over the place a person in that role would hold it over; every
// password is api::kDemoPassword.
#include <string>
#include <vector>

#include "api/module.h"
#include "auth/accounts.h"
#include "auth/store.h"

namespace xh::auth {

namespace {

struct DemoLogin {
  const char* role;  // also the username
  const char* place_code;
  const char* place_name;
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
  };
  return all;
}

}  // namespace

void load_demo(api::Context& ctx) {
  auto system = api::Actor::system();
  ctx.db.write([&](storage::Tx& tx) {
    for (const auto& login : demo_logins()) {
      auto uid = create_user_unchecked(
          tx, system, {login.role, std::string(api::find_role(login.role)->zh) + "（演示）", api::kDemoPassword});
      auto place = tx.query_one("SELECT id FROM places WHERE code = $1", login.place_code);
      assign_role_unchecked(tx, system, uid, login.role, place->i64("id"));
    }
  });
}

std::vector<std::string> demo_notes() {
  std::vector<std::string> out = {std::string("演示账号 / demo logins (密码 / password: ") +
                                  api::kDemoPassword + ")"};
  for (const auto& l : demo_logins()) {
    std::string name = l.role;
    out.push_back("  " + name + std::string(18 - std::min<std::size_t>(17, name.size()), ' ') +
                  std::string(api::find_role(l.role)->zh) + " · " + l.place_name);
  }
  return out;
}

}  // namespace xh::auth
