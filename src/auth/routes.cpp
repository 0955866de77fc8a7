// HTTP ↔ account commands: /api/auth/* (the caller's own account) and
// /api/users/* (managing others).
#include <boost/json.hpp>

#include "api/export.h"
#include "api/module.h"
#include "api/scope.h"
#include "auth/accounts.h"
#include "core/error.h"
#include "core/json_input.h"

namespace xh::auth {

namespace json = boost::json;
using api::Call;
using api::created;
using api::ExportColumn;
using api::label_list;
using api::list_response;
using api::ok;
using http::Access;
using http::Response;

namespace {

std::string session_cookie(const auth::Settings& st, const std::string& value, bool clear) {
  std::string c = "xh_session=" + value + "; Path=/; HttpOnly; SameSite=Strict";
  if (st.secure_cookies) c += "; Secure";
  if (clear) c += "; Max-Age=0";
  return c;
}

json::object me_json(const api::Principal& p) {
  json::array roles;
  for (const auto& g : p.grants)
    roles.push_back({{"id", g.assignment_id}, {"role", g.role}, {"place_id", g.place_id}});
  json::object o{{"id", p.user_id},
                 {"username", p.username},
                 {"display_name", p.display_name},
                 {"roles", roles},
                 {"staff", p.is_staff()},
                 {"password_expired", p.password_expired}};
  if (!p.via_token) o["csrf_token"] = p.csrf_token;
  return o;
}

json::object token_json(const auth::ApiToken& t) {
  json::object o{{"id", t.id}, {"name", t.name}, {"created_at", t.created_at}};
  o["last_used_at"] = t.last_used_at ? json::value(*t.last_used_at) : json::value(nullptr);
  if (!t.token.empty()) o["token"] = t.token;
  return o;
}

}  // namespace

void add_auth_routes(api::Router& r, api::Context& ctx) {
  Services s{ctx.db, ctx.cipher, ctx.security};
  r.add("POST", "/api/auth/login", Access::public_route, [s](Call& c) {
    JsonInput in(c.req.body, {"username", "password", "totp"});
    auth::LoginResult res = auth::login(
        s, {in.str("username", 64), in.str("password", 200), in.opt_str("totp", 16), c.req.remote_ip});
    Response out = ok(json::object{{"user", auth::user_to_json(res.user)},
                                   {"csrf_token", res.csrf_token},
                                   {"password_expired", res.password_expired}});
    out.headers.emplace_back("Set-Cookie", session_cookie(s.settings, res.session_token, false));
    return out;
  });

  r.add("POST", "/api/auth/logout", Access::authenticated, [s](Call& c) {
    auth::logout(s, c.who(), c.actor());
    Response out = ok(json::object{{"ok", true}});
    out.headers.emplace_back("Set-Cookie", session_cookie(s.settings, "", true));
    return out;
  });

  r.add("GET", "/api/auth/me", Access::authenticated, [](Call& c) { return ok(me_json(c.who())); });

  r.add("POST", "/api/auth/password", Access::authenticated, [s](Call& c) {
    JsonInput in(c.req.body, {"current_password", "new_password"});
    auth::change_password(s, c.who(), c.actor(), in.str("current_password", 200),
                          in.str("new_password", 200));
    return ok(json::object{{"ok", true}});
  });

  r.add("POST", "/api/auth/totp/setup", Access::authenticated, [s](Call& c) {
    JsonInput in(c.req.body.empty() ? "{}" : c.req.body, {});
    auto setup = auth::begin_totp(s, c.who(), c.actor());
    return ok(json::object{{"secret", setup.secret}, {"otpauth_uri", setup.uri}});
  });

  r.add("POST", "/api/auth/totp/confirm", Access::authenticated, [s](Call& c) {
    JsonInput in(c.req.body, {"code"});
    auth::confirm_totp(s, c.who(), c.actor(), in.str("code", 16));
    return ok(json::object{{"totp_enabled", true}});
  });

  r.add("GET", "/api/auth/tokens", Access::authenticated, [s](Call& c) {
    json::array items;
    for (const auto& t : auth::list_tokens(s, c.who())) items.push_back(token_json(t));
    return ok(json::object{{"items", items}});
  });

  r.add("POST", "/api/auth/tokens", Access::authenticated, [s](Call& c) {
    JsonInput in(c.req.body, {"name"});
    return created(token_json(auth::create_token(s, c.who(), c.actor(), in.str("name", 100))));
  });

  r.add("DELETE", "/api/auth/tokens/{id}", Access::authenticated, [s](Call& c) {
    auth::revoke_token(s, c.who(), c.actor(), c.id_param("id"));
    return ok(json::object{{"ok", true}});
  });
}

void add_user_routes(api::Router& r, api::Context& ctx) {
  Services s{ctx.db, ctx.cipher, ctx.security};
  r.add("GET", "/api/users", Access::authenticated, [s](Call& c) {
    auto list = auth::list_users(s, c.who(), c.query("q"), c.page().limit,
                                 c.page().offset);
    json::array items;
    for (const auto& u : list.items) {
      auto o = auth::user_to_json(u);
      json::array roles;
      for (const auto& g : u.grants) roles.emplace_back(g.role);
      o["role_names"] = roles;
      items.push_back(std::move(o));
    }
    static const std::vector<Label> role_labels = [] {
      std::vector<Label> out;
      for (const auto& role : api::roles()) out.push_back({role.name, role.zh, role.en});
      return out;
    }();
    static const std::vector<ExportColumn> cols = {
        {"id", "编号", "ID"}, {"username", "登录名", "Username"}, {"display_name", "姓名", "Name"},
        {"role_names", "角色", "Roles", &role_labels}, {"disabled", "已停用", "Disabled"}, {"locked", "已锁定", "Locked"}};
    return list_response(c, std::move(items), list.total, cols, "users");
  }, {.exports = api::Export::yes});

  r.add("POST", "/api/users", Access::authenticated, [s](Call& c) {
    JsonInput in(c.req.body, {"username", "display_name", "password"});
    auto u = auth::create_user(s, c.who(), c.actor(),
                               {in.str("username", 64), in.str("display_name", 50),
                                in.str("password", 200)});
    return created(auth::user_to_json(u));
  });

  r.add("GET", "/api/users/{id}", Access::authenticated, [s](Call& c) {
    return ok(auth::user_to_json(auth::get_user(s, c.who(), c.id_param("id"))));
  });

  r.add("PATCH", "/api/users/{id}", Access::authenticated, [s](Call& c) {
    JsonInput in(c.req.body, {"display_name", "disabled"});
    auto u = auth::update_user(s, c.who(), c.actor(), c.id_param("id"),
                               {in.opt_str("display_name", 50), in.opt_bool("disabled")});
    return ok(auth::user_to_json(u));
  });

  r.add("POST", "/api/users/{id}/roles", Access::authenticated, [s](Call& c) {
    JsonInput in(c.req.body, {"role", "place_id"});
    auto u = auth::assign_role(s, c.who(), c.actor(), c.id_param("id"), in.str("role", 40),
                               in.i64("place_id"));
    return created(auth::user_to_json(u));
  });

  r.add("DELETE", "/api/users/{id}/roles/{assignment_id}", Access::authenticated, [s](Call& c) {
    auto u = auth::revoke_role(s, c.who(), c.actor(), c.id_param("id"), c.id_param("assignment_id"));
    return ok(auth::user_to_json(u));
  });

  r.add("POST", "/api/users/{id}/unlock", Access::authenticated, [s](Call& c) {
    return ok(auth::user_to_json(auth::unlock_user(s, c.who(), c.actor(), c.id_param("id"))));
  });

  r.add("POST", "/api/users/{id}/totp/reset", Access::authenticated, [s](Call& c) {
    return ok(auth::user_to_json(auth::reset_totp(s, c.who(), c.actor(), c.id_param("id"))));
  });
}

}  // namespace xh::auth
