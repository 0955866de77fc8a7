#include "api/pipeline.h"

#include <zlib.h>

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>

#include "core/crypto.h"
#include "core/error.h"
#include "core/text.h"
#include "storage/database.h"

namespace xh::api {

namespace json = boost::json;
using http::Request;
using http::Response;

namespace {

// application/json, in any case, with or without parameters ("; charset=utf-8").
bool is_json(std::string_view content_type) {
  constexpr std::string_view kJson = "application/json";
  if (content_type.size() < kJson.size()) return false;
  for (std::size_t i = 0; i < kJson.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(content_type[i])) != kJson[i]) return false;
  auto rest = content_type.substr(kJson.size());
  return rest.empty() || rest.front() == ';' || rest.front() == ' ';
}

bool unsafe_method(const std::string& m) {
  return m == "POST" || m == "PUT" || m == "PATCH" || m == "DELETE";
}

Lang request_lang(const Request& req) {
  if (auto l = req.query_param("lang")) return *l == "en" ? Lang::en : Lang::zh_CN;
  if (auto c = req.cookie("xh_lang")) return *c == "en" ? Lang::en : Lang::zh_CN;
  return lang_from_accept_language(req.header("accept-language").value_or(""));
}

// A refusal in the route's format: the API's error body, or the route's own.
Response refusal(const Request& req, http::ErrorWriter writer, int status, const std::string& code,
                 const std::string& detail, Lang lang) {
  if (!writer) return error_response(status, code, detail, lang);
  std::string text = message(code, lang);
  if (!detail.empty() && clean_utf8(detail)) text += " (" + detail + ")";
  return writer(req, status, text);
}

}  // namespace

Response hello() {
  return Response::text(200, R"({"message":"你好，星火","status":"ok"})",
                        "application/json; charset=utf-8");
}

void add_security_headers(Response& r) {
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("X-Frame-Options", "DENY");
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
  r.headers.emplace_back("Content-Security-Policy",
                         "default-src 'self'; script-src 'self'; img-src 'self' data: blob:; "
                         "style-src 'self' 'unsafe-inline'; font-src 'self' data:; connect-src "
                         "'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; "
                         "form-action 'self'");
}

Pipeline::Pipeline(Router router, std::unique_ptr<Authenticator> authenticator,
                   std::unique_ptr<Recorder> recorder, Fast static_files, Exports exports)
    : router_(std::move(router)),
      authenticator_(std::move(authenticator)),
      recorder_(std::move(recorder)),
      static_files_(std::move(static_files)),
      exports_(exports) {
  if (!authenticator_ || !recorder_)
    throw std::logic_error("the pipeline needs an authenticator and a recorder");
}

std::optional<Response> Pipeline::fast(const Request& req) const {
  if (req.path == "/hello" && (req.method == "GET" || req.method == "HEAD")) return hello();
  if (static_files_) return static_files_(req);
  return std::nullopt;
}

Response Pipeline::handle(const Request& req) const {
  Lang lang = request_lang(req);
  Response r = dispatch(req, lang);
  add_security_headers(r);
  // API answers may carry personal data and follow the caller's language:
  // never stored, and marked as varying.
  if (req.path.rfind("/api/", 0) == 0 || req.path.rfind("/open311/", 0) == 0) {
    r.headers.emplace_back("Cache-Control", "no-store");
    r.headers.emplace_back("Vary", "Accept-Language, Accept-Encoding, Cookie, Authorization");
  }
  compress(req, r);
  return r;
}

void compress(const Request& req, Response& r) {
  constexpr std::size_t kWorthIt = 4096;  // smaller answers fit a few packets anyway
  if (r.body.size() < kWorthIt || req.method == "HEAD") return;
  const std::string& type = r.content_type;
  bool text = type.rfind("application/json", 0) == 0 || type.rfind("text/", 0) == 0 ||
              type.rfind("application/xml", 0) == 0 || type.rfind("image/svg+xml", 0) == 0;
  if (!text) return;
  for (const auto& [k, v] : r.headers)
    if (k == "Content-Encoding") return;
  if (!http::accepts_encoding(req.header("accept-encoding").value_or(""), "gzip")) return;
  z_stream z{};
  // 15 window bits + 16: a gzip wrapper; level 5 trades little ratio for speed.
  if (deflateInit2(&z, 5, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return;
  std::string out(deflateBound(&z, r.body.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(r.body.data());
  z.avail_in = static_cast<uInt>(r.body.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) return;
  r.body = std::move(out);
  r.headers.emplace_back("Content-Encoding", "gzip");
}

namespace {
// "https://host:port" → "host:port" (the scheme's default port left out as
// browsers do, so it compares with the Host header).
std::string origin_authority(std::string_view origin) {
  auto at = origin.find("://");
  if (at == std::string_view::npos) return "";
  std::string_view scheme = origin.substr(0, at), rest = origin.substr(at + 3);
  rest = rest.substr(0, rest.find('/'));
  std::string out(rest);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if ((scheme == "http" && out.ends_with(":80")) || (scheme == "https" && out.ends_with(":443")))
    out.erase(out.rfind(':'));
  return out;
}
}  // namespace

Pipeline::~Pipeline() {
  for (auto it = stops_.rbegin(); it != stops_.rend(); ++it) (*it)();
}

http::Upgrade Pipeline::upgrade(const Request& req) const {
  Lang lang = request_lang(req);
  auto refuse = [&](int status, const std::string& code) {
    Response r = error_response(status, code, "", lang);
    add_security_headers(r);
    return http::Upgrade{std::move(r), nullptr};
  };
  if (!live_door_) return refuse(404, "request.not_found");
  Actor actor{std::nullopt, "anonymous", req.remote_ip};
  try {
    // Browsers always send Origin on a WebSocket; it must be this server's.
    if (auto origin = req.header("origin")) {
      std::string host(req.header("host").value_or(""));
      for (auto& c : host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (host.ends_with(":80")) host.erase(host.rfind(':'));
      if (origin_authority(*origin) != host) throw forbidden("live.origin_denied");
    }
    std::function<Principal()> recheck;
    Principal principal;
    auto authz = req.header("authorization");
    auto display = req.cookie("xh_display");
    // A room's screen (?screen=1) is the screen even in a browser where
    // someone is signed in: the live module checks its token.
    if (display && req.query_param("screen") == "1") {
      LiveCaller screen{Principal{}, {std::nullopt, "display", req.remote_ip}, lang, [] { return Principal{}; }};
      screen.display_token = *display;
      return live_door_(req, screen);
    }
    if (authz && authz->rfind("Bearer ", 0) == 0) {
      std::string token(authz->substr(7));
      principal = authenticator_->from_bearer(token);
      recheck = [this, token] { return authenticator_->from_bearer(token); };
    } else if (auto token = req.cookie("xh_session")) {
      principal = authenticator_->from_session(*token);
      recheck = [this, t = *token] { return authenticator_->recheck_session(t); };
    } else if (display) {
      LiveCaller screen{Principal{}, {std::nullopt, "display", req.remote_ip}, lang, [] { return Principal{}; }};
      screen.display_token = *display;
      return live_door_(req, screen);
    } else {
      throw unauthorized("auth.unauthenticated");
    }
    actor = {principal.user_id, principal.username, req.remote_ip};
    if (principal.password_expired) throw forbidden("auth.password_expired");
    return live_door_(req, LiveCaller{std::move(principal), actor, lang, std::move(recheck)});
  } catch (const Error& e) {
    if (e.status() == 403) {
      try {
        recorder_->record(actor, {"auth.denied", "request", "GET " + req.path,
                                  json::serialize(json::object{{"code", e.code()}})});
      } catch (const std::exception& ae) {
        spdlog::error("could not record a denial: {}", ae.what());
      }
    }
    return refuse(e.status(), e.code());
  }
}

std::optional<Response> Pipeline::early_error(const Request& head, int status,
                                              std::string_view code) const {
  http::ErrorWriter w = router_.errors_for(head.path);
  if (!w) return std::nullopt;
  Response r = w(head, status, message(code, request_lang(head)));
  add_security_headers(r);
  return r;
}

Response Pipeline::dispatch(const Request& req, Lang lang) const {
  static const std::vector<std::string_view> kKnown = {"GET", "HEAD", "POST", "PUT", "PATCH",
                                                       "DELETE", "OPTIONS"};
  if (std::find(kKnown.begin(), kKnown.end(), req.method) == kKnown.end())
    return refusal(req, router_.errors_for(req.path), 501, "request.not_implemented", "", lang);
  auto match = router_.find(req.method, req.path);
  if (!match.errors) match.errors = router_.errors_for(req.path);
  if (!match.route) {
    std::string allow;
    for (const auto& m : match.methods) allow += (allow.empty() ? "" : ", ") + m;
    if (match.path_known) allow += ", OPTIONS";
    if (match.path_known && req.method == "OPTIONS") {
      Response r;
      r.status = 204;
      r.headers.emplace_back("Allow", allow);
      return r;
    }
    Response r = refusal(req, match.errors, match.path_known ? 405 : 404,
                         match.path_known ? "request.method_not_allowed" : "request.not_found", "",
                         lang);
    if (match.path_known) r.headers.emplace_back("Allow", allow);
    return r;
  }
  const auto& options = match.route->options;
  std::optional<Principal> principal;
  Call call{req, match.params, lang, nullptr, &options, recorder_.get(), &exports_};
  try {
    if (match.route->access == http::Access::authenticated) {
      auto authz = req.header("authorization");
      if (authz && authz->rfind("Bearer ", 0) == 0) {
        principal = authenticator_->from_bearer(std::string(authz->substr(7)));
      } else if (auto token = req.cookie("xh_session")) {
        principal = authenticator_->from_session(*token);
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
    if (unsafe_method(req.method) && !req.body.empty() && options.body == http::Body::json) {
      if (!is_json(req.header("content-type").value_or("")))
        throw Error(415, "request.unsupported_media_type");
    }
    return match.route->handler(call);
  } catch (const Error& e) {
    if (e.status() == 403) {
      // Every refusal is recorded, whichever handler refused.
      try {
        recorder_->record(call.actor(),
                          {"auth.denied", "request", req.method + " " + req.path,
                           json::serialize(json::object{{"code", e.code()}, {"detail", e.detail()}})});
      } catch (const std::exception& ae) {
        spdlog::error("could not record a denial: {}", ae.what());
      }
    }
    return refusal(req, options.errors, e.status(), e.code(), e.detail(), lang);
  } catch (const storage::UniqueViolation&) {
    return refusal(req, options.errors, 409, "request.conflict", "", lang);
  } catch (const storage::DatabaseUnavailable& e) {
    // Nothing was committed; the client may try again shortly.
    spdlog::warn("{} {}: {}", req.method, req.path, e.what());
    Response r = refusal(req, options.errors, 503, "server.unavailable", "", lang);
    r.headers.emplace_back("Retry-After", "5");
    return r;
  } catch (const std::exception& e) {
    spdlog::error("{} {}: {}", req.method, req.path, e.what());
    return refusal(req, options.errors, 500, "server.internal", "", lang);
  }
}

}  // namespace xh::api
