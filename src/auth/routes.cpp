// HTTP ↔ the account commands: /api/auth/* (the caller's own account) and
// /api/users/* (managing others).
#include <boost/json.hpp>

#include "api/export.h"
#include "api/module.h"
#include "auth/accounts.h"
#include "core/json_input.h"

namespace xh::auth {

namespace json = boost::json;
using api::Call;
using api::created;
using api::ok;
using http::Access;
using http::Response;
using Module = std::shared_ptr<const Accounts>;

namespace {

// Staff sessions end with the browser (and after their short idle timeout);
// residents' and volunteers' cookies outlive the browser — 400 days, the
// longest a browser keeps one — while the server ends the session after its
// idle timeout, renewed on use.
std::string session_cookie(const Settings& st, const std::string& value, bool clear,
                           bool lasting = false) {
  std::string c = "xh_session=" + value + "; Path=/; HttpOnly; SameSite=Strict";
  if (st.secure_cookies) c += "; Secure";
  if (clear) c += "; Max-Age=0";
  else if (lasting) c += "; Max-Age=34560000";
  return c;
}

json::object me_json(const Principal& p) {
  json::array roles;
  for (const auto& g : p.grants)
    roles.push_back({{"id", g.assignment_id},
                     {"role", g.role},
                     {"place_id", g.place_id},
                     {"place", {{"id", g.place_id}, {"kind", g.place_kind}, {"name", g.place_name}}}});
  json::object o{{"id", p.user_id},
                 {"username", p.username},
                 {"display_name", p.display_name},
                 {"roles", roles},
                 {"staff", p.is_staff()},
                 {"password_expired", p.password_expired}};
  if (!p.via_token) o["csrf_token"] = p.csrf_token;
  return o;
}

const std::vector<Label>& role_labels() {
  static const std::vector<Label> all = [] {
    std::vector<Label> out;
    for (const auto& role : api::roles()) out.push_back({role.name, role.zh, role.en});
    return out;
  }();
  return all;
}

}  // namespace

const std::vector<api::ExportColumn>& user_columns() {
  static const std::vector<api::ExportColumn> cols = {
      {"id", "编号", "ID"},
      {"username", "登录名", "Username"},
      {"display_name", "姓名", "Name"},
      {"role_names", "角色", "Roles", &role_labels()},
      {"disabled", "已停用", "Disabled"},
      {"locked", "已锁定", "Locked"}};
  return cols;
}

void add_routes(api::Router& r, Module accounts, const Settings& settings) {
  r.add("POST", "/api/auth/login", Access::public_route, [accounts, &settings](Call& c) {
    JsonInput in(c.req.body, {"username", "password", "totp"});
    auto res = accounts->login(
        {in.str("username", 64), in.str("password", 200), in.opt_str("totp", 16), c.req.remote_ip});
    Response out = ok(json::object{{"user", res.user},
                                   {"csrf_token", res.csrf_token},
                                   {"password_expired", res.password_expired}});
    out.headers.emplace_back("Set-Cookie",
                             session_cookie(settings, res.session_token, false, !res.staff));
    return out;
  });
  r.add("POST", "/api/auth/logout", Access::authenticated, [accounts, &settings](Call& c) {
    accounts->logout(c.who(), c.actor());
    Response out = ok(json::object{{"ok", true}});
    out.headers.emplace_back("Set-Cookie", session_cookie(settings, "", true));
    return out;
  });
  r.add("GET", "/api/auth/me", Access::authenticated, [accounts](Call& c) {
    auto me = me_json(c.who());
    me["totp_enabled"] = accounts->totp_enabled(c.who().user_id);
    me["session_idle_seconds"] = accounts->idle_timeout_ms(c.who()) / 1000;
    return ok(me);
  });
  r.add("POST", "/api/auth/password", Access::authenticated, [accounts](Call& c) {
    JsonInput in(c.req.body, {"current_password", "new_password"});
    accounts->change_password(c.who(), c.actor(), in.str("current_password", 200),
                              in.str("new_password", 200));
    return ok(json::object{{"ok", true}});
  });
  r.add("POST", "/api/auth/totp/setup", Access::authenticated, [accounts](Call& c) {
    JsonInput in(c.req.body.empty() ? "{}" : c.req.body, {});
    auto setup = accounts->begin_totp(c.who(), c.actor());
    return ok(json::object{{"secret", setup.secret}, {"otpauth_uri", setup.uri}});
  });
  r.add("POST", "/api/auth/totp/confirm", Access::authenticated, [accounts](Call& c) {
    JsonInput in(c.req.body, {"code"});
    accounts->confirm_totp(c.who(), c.actor(), in.str("code", 16));
    return ok(json::object{{"totp_enabled", true}});
  });
  r.add("GET", "/api/auth/tokens", Access::authenticated, [accounts](Call& c) {
    return ok(json::object{{"items", accounts->list_tokens(c.who())}});
  });
  r.add("POST", "/api/auth/tokens", Access::authenticated, [accounts](Call& c) {
    JsonInput in(c.req.body, {"name"});
    return created(accounts->create_token(c.who(), c.actor(), in.str("name", 100)));
  });
  r.add("DELETE", "/api/auth/tokens/{id}", Access::authenticated, [accounts](Call& c) {
    accounts->revoke_token(c.who(), c.actor(), c.id_param("id"));
    return ok(json::object{{"ok", true}});
  });

  r.add("GET", "/api/users", Access::authenticated, [accounts](Call& c) {
    auto q = c.query("q");
    return list_response(c, [&](const api::Page& page) { return accounts->list_users(c.who(), q, page); },
                         user_columns(), "users");
  }, {.exports = api::Export::yes});
  r.add("POST", "/api/users", Access::authenticated, [accounts](Call& c) {
    JsonInput in(c.req.body, {"username", "display_name", "password"});
    return created(accounts->create_user(
        c.who(), c.actor(),
        {in.str("username", 64), in.str("display_name", 50), in.str("password", 200)}));
  });
  r.add("GET", "/api/users/{id}", Access::authenticated,
        [accounts](Call& c) { return ok(accounts->get_user(c.who(), c.id_param("id"))); });
  r.add("PATCH", "/api/users/{id}", Access::authenticated, [accounts](Call& c) {
    JsonInput in(c.req.body, {"display_name", "disabled"});
    return ok(accounts->update_user(c.who(), c.actor(), c.id_param("id"),
                                    {in.opt_str("display_name", 50), in.opt_bool("disabled")}));
  });
  r.add("POST", "/api/users/{id}/roles", Access::authenticated, [accounts](Call& c) {
    JsonInput in(c.req.body, {"role", "place_id"});
    return created(accounts->assign_role(c.who(), c.actor(), c.id_param("id"), in.str("role", 40),
                                         in.i64("place_id")));
  });
  r.add("DELETE", "/api/users/{id}/roles/{assignment_id}", Access::authenticated,
        [accounts](Call& c) {
          return ok(accounts->revoke_role(c.who(), c.actor(), c.id_param("id"),
                                          c.id_param("assignment_id")));
        });
  r.add("POST", "/api/users/{id}/unlock", Access::authenticated, [accounts](Call& c) {
    return ok(accounts->unlock_user(c.who(), c.actor(), c.id_param("id")));
  });
  r.add("POST", "/api/users/{id}/password", Access::authenticated, [accounts](Call& c) {
    JsonInput in(c.req.body, {"password"});
    return ok(accounts->reset_password(c.who(), c.actor(), c.id_param("id"), in.str("password", 200)));
  });
  r.add("POST", "/api/users/{id}/totp/reset", Access::authenticated, [accounts](Call& c) {
    return ok(accounts->reset_totp(c.who(), c.actor(), c.id_param("id")));
  });
}

}  // namespace xh::auth
