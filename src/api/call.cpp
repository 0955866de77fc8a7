#include "api/call.h"

#include <boost/json.hpp>

#include <charconv>

#include "core/error.h"
#include "core/json_input.h"
#include "core/text.h"

namespace xh::api {

namespace json = boost::json;

Actor Call::actor() const {
  if (principal) return {principal->user_id, principal->username, req.remote_ip};
  return {std::nullopt, "anonymous", req.remote_ip};
}

std::optional<std::string> Call::query(std::string_view name) const {
  auto v = req.query_param(name);
  if (v && !clean_utf8(*v)) throw bad_request("request.bad_query", std::string(name));
  return v;
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

std::optional<std::int64_t> Call::query_id(std::string_view name) const {
  auto v = req.query_param(name);
  if (!v) return std::nullopt;
  try {
    return parse_id(*v);
  } catch (const Error&) {
    throw bad_request("request.bad_query", std::string(name));
  }
}

std::optional<double> Call::query_number(std::string_view name) const {
  auto v = req.query_param(name);
  if (!v) return std::nullopt;
  auto d = parse_finite(*v);
  if (!d) throw bad_request("request.bad_query", std::string(name));
  return d;
}

std::optional<Millis> Call::query_time(std::string_view name) const {
  auto v = req.query_param(name);
  if (!v) return std::nullopt;
  auto t = parse_w3c(*v);
  if (!t) throw bad_request("request.bad_query", std::string(name));
  return t;
}

std::string Call::format() const {
  if (!route || route->exports != Export::yes) return "json";
  auto f = query("format");
  if (!f || *f == "json") return "json";
  if (*f == "csv" || *f == "xlsx") return *f;
  throw bad_request("request.bad_format", *f);
}

Page Call::page() const {
  // An export is the whole list (up to kExportMax rows), never one page,
  // unless the caller asks for a page.
  bool json = format() == "json";
  return {query_int("limit", json ? kPageDefault : kExportMax, 1, json ? kPageMax : kExportMax),
          query_int("offset", 0, 0, 1000000000)};
}

json::array label_list(const std::vector<Label>& all, Lang lang) {
  json::array out;
  for (const auto& l : all) out.push_back({{"key", l.key}, {"label", lang == Lang::en ? l.en : l.zh}});
  return out;
}

http::Response list(json::array items, std::optional<std::int64_t> total) {
  json::object o{{"items", std::move(items)}};
  if (total) o["total"] = *total;
  return ok(o);
}

http::Response error_response(int status, const std::string& code, const std::string& detail,
                              Lang lang) {
  json::object err{{"code", code}, {"message", message(code, lang)}};
  // A detail echoes what the caller sent: only when it is text every answer
  // may carry (answers are valid UTF-8).
  if (!detail.empty() && clean_utf8(detail)) err[status == 403 ? std::string_view("permission") : detail_kind(code)] = detail;
  return http::Response::json(status, json::object{{"error", err}});
}

}  // namespace xh::api
