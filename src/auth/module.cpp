// The auth module's declaration: the roles (FND-4) and the accounts'
// permissions, messages, routes and the authenticator the pipeline uses.
#include <CLI/CLI.hpp>

#include <cstdlib>
#include <iostream>

#include "api/module.h"
#include "auth/accounts.h"
#include "auth/store.h"
#include "core/error.h"

namespace xh::auth {

void load_demo(api::Context& ctx);
std::vector<std::string> demo_notes();

void add_routes(api::Router& r, std::shared_ptr<const Accounts> accounts, const Settings& settings);
const std::vector<api::ExportColumn>& user_columns();
api::GenCounts gen_street(storage::Tx& tx, api::Context& ctx, api::GenStreet& street);
std::vector<std::string> gen_notes();

namespace {

// Sessions and API tokens, as the pipeline asks for them.
class SessionAuthenticator : public api::Authenticator {
 public:
  explicit SessionAuthenticator(std::shared_ptr<const Accounts> accounts)
      : accounts_(std::move(accounts)) {}
  Principal from_session(const std::string& token) const override {
    return accounts_->authenticate_session(token);
  }
  Principal from_bearer(const std::string& token) const override {
    return accounts_->authenticate_bearer(token);
  }
  Principal recheck_session(const std::string& token) const override {
    return accounts_->authenticate_session(token, /*touch=*/false);
  }

 private:
  std::shared_ptr<const Accounts> accounts_;
};

const std::vector<Label>& role_labels() {
  static const std::vector<Label> all = [] {
    std::vector<Label> out;
    for (const auto& r : api::roles()) out.push_back({r.name, r.zh, r.en});
    return out;
  }();
  return all;
}

const std::vector<Label>& audit_actions() {
  static const std::vector<Label> all = {
      {"auth.login", "登录", "Sign-in"},
      {"auth.login_failed", "登录失败", "Failed sign-in"},
      {"auth.logout", "退出登录", "Sign-out"},
      {"auth.denied", "越权访问被拒", "Access refused"},
      {"auth.password_change", "修改密码", "Password change"},
      {"auth.totp_begin", "开始绑定动态码", "Authenticator set-up"},
      {"auth.totp_enable", "启用动态码", "Authenticator enabled"},
      {"auth.token_create", "创建访问令牌", "API token created"},
      {"auth.token_revoke", "吊销访问令牌", "API token revoked"},
      {"user.create", "创建账号", "Account created"},
      {"user.update", "修改账号", "Account changed"},
      {"user.unlock", "解除锁定", "Account unlocked"},
      {"user.totp_reset", "重置动态码", "Authenticator reset"},
      {"user.password_reset", "重置密码", "Password reset"},
      {"role.assign", "授予角色", "Role granted"},
      {"role.revoke", "撤销角色", "Role revoked"},
  };
  return all;
}

// The password a command sets, from XINGHUO_PASSWORD (never on the command
// line, where `ps` would show it); none, with exit code 2, when it is unset.
const char* password_from_env(int& exit_code) {
  const char* pw = std::getenv("XINGHUO_PASSWORD");
  if (!pw) {
    std::cerr << "请设置 XINGHUO_PASSWORD / set XINGHUO_PASSWORD to the new password\n";
    exit_code = 2;
  }
  return pw;
}

// `xinghuo user create`: the operator's way to appoint the first accounts,
// the three separated administrators among them.
void commands(api::CommandSetup& c) {
  auto* user = c.root.add_subcommand("user", "账号管理 / manage accounts");
  user->require_subcommand(1);
  auto* create = user->add_subcommand("create", "创建账号 / create an account");
  c.storage_options(*create);
  struct Options {
    std::string username, display_name, role, place_code;
  };
  auto o = std::make_shared<Options>();
  create->add_option("--username", o->username, "登录名 / login name")->required();
  create->add_option("--display-name", o->display_name, "姓名 / display name");
  create->add_option("--role", o->role, "角色 / role, e.g. sys_admin");
  create->add_option("--place", o->place_code, "角色范围的地点编码 / place code of the role's scope");
  create->footer("密码从环境变量 XINGHUO_PASSWORD 读取 / the password is read from XINGHUO_PASSWORD");
  create->callback([o, open = c.open, &exit_code = c.exit_code] {
    const char* pw = password_from_env(exit_code);
    if (!pw) return;
    auto& ctx = open();
    auto operator_actor = api::Actor::system("cli");
    ctx.db.write([&](storage::Tx& tx) {
      auto uid = create_user_unchecked(
          tx, operator_actor, {o->username, o->display_name.empty() ? o->username : o->display_name, pw});
      if (!o->role.empty()) {
        auto place = tx.query_one("SELECT id FROM places WHERE code = $1", o->place_code);
        if (!place) throw std::runtime_error("no place with code '" + o->place_code + "'");
        assign_role_unchecked(tx, operator_actor, uid, o->role, place->i64(0));
      }
    });
    std::cout << "已创建账号 / created user " << o->username << "\n";
  });

  // `xinghuo user password`: a temporary password, to be changed at the next
  // sign-in (the only way for the three administrators).
  auto* password = user->add_subcommand("password", "重置密码 / set a temporary password");
  c.storage_options(*password);
  auto who = std::make_shared<std::string>();
  password->add_option("--username", *who, "登录名 / login name")->required();
  password->footer("新密码从环境变量 XINGHUO_PASSWORD 读取，下次登录须修改 / read from XINGHUO_PASSWORD; to be changed at the next sign-in");
  password->callback([who, open = c.open, &exit_code = c.exit_code] {
    const char* pw = password_from_env(exit_code);
    if (!pw) return;
    auto& ctx = open();
    ctx.db.write([&](storage::Tx& tx) {
      auto id = store::user_id_of(tx, *who);
      if (!id) throw not_found("user.not_found");
      reset_password_unchecked(tx, api::Actor::system("cli"), *id, pw);
    });
    std::cout << "已重置密码，下次登录须修改 / password reset for " << *who
              << "; it must be changed at the next sign-in\n";
  });

  auto* revoke = user->add_subcommand("revoke", "撤销角色 / remove a role from an account");
  c.storage_options(*revoke);
  struct Revoke {
    std::string username, role, place_code;
  };
  auto r = std::make_shared<Revoke>();
  revoke->add_option("--username", r->username, "登录名 / login name")->required();
  revoke->add_option("--role", r->role, "角色 / role")->required();
  revoke->add_option("--place", r->place_code, "地点编码（省略：该角色的全部授权）/ place code (omitted: every grant of the role)");
  revoke->callback([r, open = c.open, &exit_code = c.exit_code] {
    auto& ctx = open();
    auto n = ctx.db.write([&](storage::Tx& tx) {
      return revoke_role_unchecked(tx, api::Actor::system("cli"), r->username, r->role,
                                   r->place_code.empty() ? std::nullopt
                                                         : std::optional(r->place_code));
    });
    if (n == 0) {
      std::cerr << "没有这样的授权 / no such grant\n";
      exit_code = 1;
      return;
    }
    std::cout << "已撤销 / revoked " << n << " grant(s) of " << r->role << " from " << r->username
              << "\n";
  });
}

void start(api::Setup& s) {
  auto& ctx = s.context();
  auto accounts = std::make_shared<const Accounts>(ctx.db, ctx.cipher, ctx.security);
  add_routes(s.router(), accounts, ctx.security);
  s.provide(std::make_unique<SessionAuthenticator>(accounts));
}

const std::vector<Label>& audit_targets() {
  static const std::vector<Label> all = {{"user", "账号", "Account"},
                                         {"api_token", "访问令牌", "API token"},
                                         {"request", "请求", "Request"}};
  return all;
}

std::map<std::string, std::string> user_names(storage::Tx& tx, const std::vector<std::string>& ids) {
  return api::names_by_id(tx, "SELECT id, display_name || '（' || username || '）' AS name FROM users", "id", ids);
}

std::map<std::string, std::string> token_names(storage::Tx& tx, const std::vector<std::string>& ids) {
  return api::names_by_id(tx, "SELECT id, name FROM api_tokens", "id", ids);
}

}  // namespace

const api::Module& module() {
  static const api::Module m{
      .name = "auth",
      // sys_admin, security_admin and audit_admin are separate by design
      // (三权分立): the one who manages accounts cannot grant roles, neither
      // can read the audit log.
      .roles =
          {
              {"street_admin", "街道管理员", "Street administrator", true},
              {"community_admin", "社区管理员", "Community administrator", true},
              {"grid_worker", "网格员", "Grid worker", true},
              {"building_leader", "楼院组长", "Building leader", true},
              {"property_staff", "物业人员", "Property company staff", true, true},
              {"partner_admin", "合伙人管理员", "Partner administrator", true},
              {"volunteer", "志愿者", "Volunteer", false},
              // A resident's role is held over their own household.
              {"resident", "居民", "Resident", false},
              {"sys_admin", "系统管理员", "System administrator", true, false, true},
              {"security_admin", "安全管理员", "Security administrator", true, false,
               true, true},
              {"audit_admin", "审计管理员", "Audit administrator", true, false, true,
               true},
          },
      .permissions =
          {
              {"user.read", {"street_admin", "community_admin", "sys_admin", "security_admin"}},
              {"user.manage", {"sys_admin"}},
              {"role.manage", {"security_admin"}},
              {"security.manage", {"security_admin"}},
          },
      .messages =
          {
  {"auth.bad_credentials", "用户名或密码错误；连续输错多次后账号将暂时锁定",
   "Wrong username or password; after repeated failures the account is locked for a while"},
  {"auth.locked", "登录失败次数过多，账号已暂时锁定，请稍后再试或联系安全管理员", "Too many failed logins: the account is locked for a while; try later or ask the security administrator"},
  {"auth.totp_required", "请输入动态验证码", "Enter the code from your authenticator app"},
  {"auth.bad_totp", "动态验证码错误或已使用", "The authenticator code is wrong or already used"},
  {"auth.weak_password", "密码须为 8 位以上，至少包含大写字母、小写字母、数字、符号中的三类，且不能包含用户名", "Passwords need 8 or more characters, three of: upper case, lower case, digits, symbols, and must not contain the username"},
  {"auth.bad_current_password", "当前密码不正确", "The current password is wrong"},
  {"auth.password_reused", "新密码不能与当前密码相同", "The new password must differ from the current one"},
  {"auth.totp_staff_only", "仅工作人员需要启用动态验证码", "Only staff accounts use authenticator codes"},
  {"auth.totp_already_enabled", "动态验证码已启用", "Authenticator codes are already enabled"},
  {"auth.totp_not_started", "请先开始绑定动态验证码", "Start the authenticator set-up first"},
  {"auth.token_not_found", "访问令牌不存在", "No such API token"},
  {"user.not_found", "账号不存在", "No such user"},
  {"user.exists", "该登录名已被使用", "This username is taken"},
  {"user.bad_username", "登录名须为 3 至 32 位小写字母、数字或 _ . -", "Usernames have 3 to 32 lower-case letters, digits, or _ . -"},
  {"user.cannot_disable_self", "不能停用自己的账号", "You cannot disable your own account"},
  {"user.cannot_disable_admin", "不能停用安全管理员或审计管理员", "The security and audit administrators cannot be disabled here", "role"},
  {"user.admin_password_by_operator", "系统、安全、审计管理员的密码只能由运维人员通过命令行重置（xinghuo user password）", "The system, security and audit administrators' passwords are reset by the operator on the command line (xinghuo user password)", "role"},
  {"role.unknown", "角色不存在", "No such role", "role"},
  {"role.already_assigned", "该账号已拥有此角色", "The user already holds this role there"},
  {"role.assignment_not_found", "角色授权不存在", "No such role assignment"},
  {"role.admin_by_operator_only", "系统、安全、审计管理员只能由运维人员通过命令行任命和撤销", "The system, security and audit administrators are appointed and removed by the operator on the command line", "role"},
  {"role.admin_and_business", "一个账号不能同时担任管理员角色和业务角色",
   "An account cannot hold an administrator role together with a business role", "role"},
  {"role.cannot_grant_self", "不能给自己授予角色", "You cannot grant roles to yourself"},
          },
      .labels = {{"role", role_labels}, {"audit.action", audit_actions}, {"audit.target", audit_targets}},
      .exports = {{"users", user_columns}},
      .sealed = {{"users", "totp_secret"}},
      .audit_names = {{"user", user_names}, {"api_token", token_names}},
      .start = start,
      .demo = {{30, load_demo}},  // the logins, over the places
      .demo_notes = demo_notes,
      // Over the places the places step made.
      .gen = {{50, gen_street}},
      .gen_notes = gen_notes,
      .commands = commands,
  };
  return m;
}

}  // namespace xh::auth
