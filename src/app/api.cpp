#include "app/api.h"

#include "app/static_site.h"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include <charconv>

#include "core/crypto.h"
#include "core/error.h"
#include "core/json_input.h"
#include "storage/database.h"

namespace xh::app {

namespace json = boost::json;
using http::Request;
using http::Response;

audit::Actor Call::actor() const {
  if (principal) return {principal->user_id, principal->username, req.remote_ip};
  return {std::nullopt, "anonymous", req.remote_ip};
}

std::int64_t Call::id_param(std::string_view name) const { return parse_id(params.get(name)); }

int Call::query_int(std::string_view name, int fallback, int lo, int hi) const {
  auto v = req.query_param(name);
  if (!v) return fallback;
  int out = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || p != v->data() + v->size() || out < lo || out > hi)
    throw bad_request("request.bad_query", std::string(name));
  return out;
}

bool Call::query_bool(std::string_view name, bool fallback) const {
  auto v = req.query_param(name);
  if (!v) return fallback;
  if (*v == "true" || *v == "1") return true;
  if (*v == "false" || *v == "0") return false;
  throw bad_request("request.bad_query", std::string(name));
}

json::array label_list(const std::vector<Label>& all, Lang lang) {
  json::array out;
  for (const auto& l : all) out.push_back({{"key", l.key}, {"label", lang == Lang::en ? l.en : l.zh}});
  return out;
}

std::optional<std::int64_t> Call::query_id(std::string_view name) const {
  auto v = req.query_param(name);
  if (!v) return std::nullopt;
  try {
    return parse_id(*v);
  } catch (const Error&) {
    throw bad_request("request.bad_query", std::string(name));
  }
}

Response error_response(int status, const std::string& code, const std::string& detail, Lang lang) {
  json::object err{{"code", code}, {"message", message(code, lang)}};
  if (!detail.empty()) err[status == 403 ? "permission" : "field"] = detail;
  return Response::json(status, json::object{{"error", err}});
}

namespace {

bool unsafe_method(const std::string& m) {
  return m == "POST" || m == "PUT" || m == "PATCH" || m == "DELETE";
}

Lang request_lang(const Request& req) {
  if (auto l = req.query_param("lang")) return *l == "en" ? Lang::en : Lang::zh_CN;
  if (auto c = req.cookie("xh_lang")) return *c == "en" ? Lang::en : Lang::zh_CN;
  return lang_from_accept_language(req.header("accept-language").value_or(""));
}

}  // namespace

Api::Api(auth::Services& services, const StaticSite* site, const std::string& data_dir)
    : s_(services), site_(site) {
  add_system_routes(router_, s_);
  add_auth_routes(router_, s_);
  add_user_routes(router_, s_);
  add_place_routes(router_, s_);
  add_audit_routes(router_, s_);
  add_resident_routes(router_, s_);
  add_partner_routes(router_, s_);
  add_import_routes(router_, s_);
  add_dashboard_routes(router_, s_);
  add_workorder_routes(router_, s_, data_dir);
  add_open311_routes(router_, s_, data_dir);
  add_points_routes(router_, s_, data_dir);
}

std::optional<Response> Api::fast(const Request& req) const {
  if (req.path == "/hello" && (req.method == "GET" || req.method == "HEAD"))
    return Response::text(200, R"({"message":"你好，星火","status":"ok"})",
                          "application/json; charset=utf-8");
  if (site_) return site_->serve(req);
  return std::nullopt;
}

Response Api::handle(const Request& req) const {
  Lang lang = request_lang(req);
  Response r = dispatch(req, lang);
  add_security_headers(r);
  if (req.path.rfind("/api/", 0) == 0) r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

Response Api::dispatch(const Request& req, Lang lang) const {
  auto match = router_.find(req.method, req.path);
  if (!match.route)
    return error_response(match.path_known ? 405 : 404,
                          match.path_known ? "request.method_not_allowed" : "request.not_found",
                          "", lang);
  std::optional<auth::Principal> principal;
  Call call{req, match.params, lang, nullptr};
  try {
    if (match.route->access == http::Access::authenticated) {
      auto authz = req.header("authorization");
      if (authz && authz->rfind("Bearer ", 0) == 0) {
        principal = auth::authenticate_bearer(s_, std::string(authz->substr(7)));
      } else if (auto token = req.cookie("xh_session")) {
        principal = auth::authenticate_session(s_, *token);
        if (unsafe_method(req.method)) {
          auto sent = req.header("x-csrf-token");
          if (!sent || !equal_ct(*sent, principal->csrf_token)) {
            call.principal = &*principal;
            throw forbidden("auth.csrf_failed");
          }
        }
      } else {
        throw unauthorized("auth.unauthenticated");
      }
      call.principal = &*principal;
      // An expired password leaves only what is needed to change it.
      if (principal->password_expired && req.path != "/api/auth/me" &&
          req.path != "/api/auth/password" && req.path != "/api/auth/logout")
        throw forbidden("auth.password_expired");
    }
    if (unsafe_method(req.method) && !req.body.empty() && match.route->body == http::Body::json) {
      auto ct = req.header("content-type").value_or("");
      if (ct.rfind("application/json", 0) != 0) throw Error(415, "request.unsupported_media_type");
    }
    return match.route->handler(call);
  } catch (const Error& e) {
    if (e.status() == 403) {
      // Every refusal is recorded, whichever handler refused.
      try {
        audit::append_now(s_.db, call.actor(),
                          {"auth.denied", "request", req.method + " " + req.path, std::nullopt,
                           json::serialize(json::object{{"code", e.code()}, {"detail", e.detail()}})});
      } catch (const std::exception& ae) {
        spdlog::error("could not audit a denial: {}", ae.what());
      }
    }
    return error_response(e.status(), e.code(), e.detail(), lang);
  } catch (const storage::UniqueViolation& e) {
    return error_response(409, "request.conflict", "", lang);
  } catch (const std::exception& e) {
    spdlog::error("{} {}: {}", req.method, req.path, e.what());
    return error_response(500, "server.internal", "", lang);
  }
}

}  // namespace xh::app
