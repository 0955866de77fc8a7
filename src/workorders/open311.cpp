// Open311 GeoReport v2 (WO-6) under /open311/v2/, in JSON and XML, so that
// existing civic-reporting clients can list services, file requests (with an
// API key) and follow them. Field names, formats, status values (open /
// closed), date-times (W3C, with offset) and error bodies follow the
// published specification. Public: the reporter of a request is never shown.
#include <boost/json.hpp>

#include <cstdio>
#include <ctime>

#include "api/export.h"
#include "api/module.h"
#include "api/scope.h"
#include "core/error.h"
#include "core/json_input.h"
#include "core/text.h"
#include "workorders/workorders.h"

namespace xh::workorders {

namespace json = boost::json;
using api::Call;
using http::Access;
using http::Body;
using http::Response;
namespace wo = workorders;

namespace {

enum class Format { json, xml };

std::string xml_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        // XML 1.0 has no place for other control characters.
        if (static_cast<unsigned char>(c) >= 0x20 || c == '\t' || c == '\n' || c == '\r') out += c;
    }
  }
  return out;
}

// One level of XML from a JSON object: each field an element, null empty.
void xml_fields(std::string& out, const json::object& o) {
  for (const auto& [k, v] : o) {
    std::string key(k);
    if (v.is_null()) {
      out += "<" + key + "/>";
      continue;
    }
    out += "<" + key + ">";
    if (v.is_string())
      out += xml_escape(v.as_string());
    else if (v.is_bool())
      out += v.as_bool() ? "true" : "false";
    else if (v.is_array())  // service attributes: none are defined
      ;
    else if (v.is_double()) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.6f", v.as_double());
      out += buf;
    }
    else
      out += json::serialize(v);
    out += "</" + key + ">";
  }
}

Response render(Format f, int status, const json::array& items, const char* root,
                const char* element) {
  if (f == Format::json) return Response::json(status, items);
  std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<" + std::string(root) + ">";
  for (const auto& item : items) {
    out += "<" + std::string(element) + ">";
    xml_fields(out, item.as_object());
    out += "</" + std::string(element) + ">";
  }
  out += "</" + std::string(root) + ">";
  return Response::text(status, std::move(out), "text/xml; charset=utf-8");
}

Response error(Format f, int status, const std::string& description) {
  json::array errors{json::object{{"code", status}, {"description", description}}};
  return render(f, status, errors, "errors", "error");
}

// "requests.json" → ("requests", json); throws on an unknown format.
std::pair<std::string, Format> split_format(const std::string& file) {
  auto dot = file.rfind('.');
  if (dot == std::string::npos) throw not_found("request.not_found");
  std::string ext = file.substr(dot + 1);
  if (ext != "json" && ext != "xml") throw not_found("request.not_found");
  return {file.substr(0, dot), ext == "json" ? Format::json : Format::xml};
}

Format format_of(const std::string& path) {
  return path.size() > 4 && path.compare(path.size() - 4, 4, ".xml") == 0 ? Format::xml
                                                                          : Format::json;
}

// A refusal in GeoReport's format (JSON or XML, by the path's suffix): the
// pipeline writes every error of these routes through it, so they are
// recorded and translated like every other.
http::Response georeport_error(const http::Request& req, int status, const std::string& message) {
  return error(format_of(req.path), status, message);
}

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    auto comma = s.find(',', start);
    if (comma == std::string::npos) comma = s.size();
    std::string part = s.substr(start, comma - start);
    if (!part.empty()) out.push_back(part);
    start = comma + 1;
  }
  return out;
}

json::object service_json(const json::object& category) {
  return {{"service_code", category.at("key")},
          {"service_name", category.at("label")},
          {"description", category.at("label")},
          {"metadata", false},
          {"type", "realtime"},
          {"keywords", category.at("key")},
          {"group", category.at("body_label")}};
}

json::object request_json(const wo::PublicOrder& o, Lang lang) {
  bool open = wo::is_open(o.status);
  std::string notes;
  if (o.status == "rejected" && o.reject_reason) notes = *o.reject_reason;
  auto num = [](const std::optional<double>& v) { return v ? json::value(*v) : json::value(nullptr); };
  return {{"service_request_id", std::to_string(o.id)},
          {"status", open ? "open" : "closed"},
          {"status_notes", notes.empty() ? json::value(nullptr) : json::value(notes)},
          {"service_name", lang == Lang::en ? o.category : o.category_zh},
          {"service_code", o.category},
          {"description", o.text ? json::value(*o.text) : json::value(nullptr)},
          {"agency_responsible",
           o.body_name ? *o.body_name : std::string(label_of(wo::bodies(), o.body, lang))},
          {"service_notice", nullptr},
          {"requested_datetime", w3c_beijing(o.created_at)},
          {"updated_datetime", w3c_beijing(o.updated_at)},
          {"expected_datetime", w3c_beijing(o.deadline_at)},
          {"address", o.address ? json::value(*o.address + " " + o.place_name)
                                : json::value(o.place_name)},
          {"address_id", o.place_code ? json::value(*o.place_code) : json::value(nullptr)},
          {"zipcode", nullptr},
          {"lat", num(o.lat)},
          {"long", num(o.lng)},
          {"media_url", nullptr}};
}

std::optional<double> form_number(const std::optional<std::string>& v, const char* name) {
  if (!v) return std::nullopt;
  auto d = parse_finite(*v);
  if (!d) throw bad_request("open311.bad_parameter", name);
  return d;
}

}  // namespace

void add_open311_routes(api::Router& r, std::shared_ptr<const WorkOrders> ws) {

  auto services = [ws](Call& c) {
    Format f = format_of(c.req.path);
    json::array items;
    for (const auto& cat : ws->categories(c.lang))
      if (cat.as_object().at("active").as_bool()) items.push_back(service_json(cat.as_object()));
    return render(f, 200, items, "services", "service");
  };
  r.add("GET", "/open311/v2/services.json", Access::public_route, services, {.errors = georeport_error});
  r.add("GET", "/open311/v2/services.xml", Access::public_route, services, {.errors = georeport_error});

  r.add("GET", "/open311/v2/services/{service_code}", Access::public_route, [ws](Call& c) {
    auto [code, f] = split_format(c.params.get("service_code"));
    for (const auto& cat : ws->categories(c.lang))
      if (cat.as_object().at("key").as_string() == code && cat.as_object().at("active").as_bool()) {
        json::object def{{"service_code", code}, {"attributes", json::array{}}};
        if (f == Format::json) return Response::json(200, def);
        std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<service_definition>";
        out += "<service_code>" + xml_escape(code) + "</service_code><attributes></attributes>";
        out += "</service_definition>";
        return Response::text(200, std::move(out), "text/xml; charset=utf-8");
      }
    throw not_found("open311.unknown_service", "service_code");
  }, {.errors = georeport_error});

  auto list = [ws](Call& c) {
    Format f = format_of(c.req.path);
    wo::PublicQuery q;
    // An empty parameter counts as absent.
    auto param = [&](std::string_view name) -> std::optional<std::string> {
      auto v = c.query(name);
      if (v && v->empty()) return std::nullopt;
      return v;
    };
    if (auto ids = param("service_request_id")) {
      // With ids, the other filters are ignored (GeoReport v2).
      for (const auto& id : split_commas(*ids)) {
        try {
          q.ids.push_back(parse_id(id));
        } catch (const Error&) {
          throw bad_request("open311.bad_parameter", "service_request_id");
        }
      }
    } else {
      if (auto codes = param("service_code")) q.service_codes = split_commas(*codes);
      if (auto st = param("status")) {
        q.statuses = split_commas(*st);
        for (const auto& v : q.statuses)
          if (v != "open" && v != "closed") throw bad_request("open311.bad_parameter", "status");
      }
      Millis now = now_ms();
      if (auto v = param("start_date")) {
        q.start = parse_w3c(*v);
        if (!q.start) throw bad_request("open311.bad_parameter", "start_date");
      }
      if (auto v = param("end_date")) {
        q.end = parse_w3c(*v);
        if (!q.end) throw bad_request("open311.bad_parameter", "end_date");
      }
      constexpr Millis k90 = 90LL * 24 * 3600 * 1000;
      // At most 90 days: the last 90 by default, else 90 from the bound given.
      if (!q.start && !q.end) q.start = now - k90;
      if (!q.start) q.start = *q.end - k90;
      if (!q.end) q.end = *q.start + k90;
      if (q.start && q.end && (*q.end < *q.start || *q.end - *q.start > k90))
        throw bad_request("open311.bad_date_range", "end_date");
    }
    q.limit = c.query_int("limit", 1000, 1, 1000);
    json::array items;
    for (const auto& o : ws->public_orders(q)) items.push_back(request_json(o, c.lang));
    return render(f, 200, items, "service_requests", "request");
  };
  r.add("GET", "/open311/v2/requests.json", Access::public_route, list, {.errors = georeport_error});
  r.add("GET", "/open311/v2/requests.xml", Access::public_route, list, {.errors = georeport_error});

  auto create = [ws](Call& c) {
    Format f = format_of(c.req.path);
    auto ct = c.req.header("content-type").value_or("");
    if (ct.rfind("application/x-www-form-urlencoded", 0) != 0)
      throw Error(415, "request.unsupported_media_type");
    auto form = http::parse_form(c.req.body);
    for (const auto& [k, v] : form) {
      std::size_t limit = k == "description" ? 2000 : 200;
      if (!clean_utf8(k) || !clean_utf8(v) || utf8_length(v) > limit)
        throw bad_request("open311.bad_parameter", clean_utf8(k) ? k : "");
    }
    auto get = [&](std::string_view name) -> std::optional<std::string> {
      for (const auto& [k, v] : form)
        if (k == name && !v.empty()) return v;
      return std::nullopt;
    };
    auto key = get("api_key");
    if (!key) throw forbidden("open311.bad_key");
    auto code = get("service_code");
    if (!code) throw bad_request("open311.missing_parameter", "service_code");
    wo::Open311Report rep;
    rep.service_code = *code;
    rep.lat = form_number(get("lat"), "lat");
    rep.lng = form_number(get("long"), "long");
    rep.address_string = get("address_string");
    rep.address_id = get("address_id");
    rep.description = get("description").value_or("");
    rep.first_name = get("first_name");
    rep.last_name = get("last_name");
    rep.phone = get("phone");
    rep.email = get("email");
    // GeoReport's service attribute: the reporter's consent to publish the text.
    if (auto consent = get("attribute[public_text]")) {
      if (*consent != "true" && *consent != "false")
        throw bad_request("open311.bad_parameter", "attribute[public_text]");
      rep.public_text = *consent == "true";
    }
    if (rep.lat.has_value() != rep.lng.has_value())
      throw bad_request("open311.bad_parameter", rep.lat ? "long" : "lat");
    auto filed = ws->file_open311(*key, c.req.remote_ip, rep);
    json::array items{json::object{{"service_request_id", std::to_string(filed.id)},
                                   {"token", filed.token},
                                   {"service_notice", nullptr},
                                   {"account_id", nullptr}}};
    return render(f, 201, items, "service_requests", "request");
  };
  r.add("POST", "/open311/v2/requests.json", Access::public_route, create,
        {.body = Body::file, .errors = georeport_error});
  r.add("POST", "/open311/v2/requests.xml", Access::public_route, create,
        {.body = Body::file, .errors = georeport_error});

  r.add("GET", "/open311/v2/requests/{service_request_id}", Access::public_route, [ws](Call& c) {
    auto [id_text, f] = split_format(c.params.get("service_request_id"));
    std::int64_t id = 0;
    try {
      id = parse_id(id_text);
    } catch (const Error&) {
      throw not_found("open311.request_not_found");
    }
    wo::PublicQuery q;
    q.ids = {id};
    auto found = ws->public_orders(q);
    if (found.empty()) throw not_found("open311.request_not_found");
    json::array items{request_json(found.front(), c.lang)};
    return render(f, 200, items, "service_requests", "request");
  }, {.errors = georeport_error});

  r.add("GET", "/open311/v2/tokens/{token}", Access::public_route, [ws](Call& c) {
    auto [token, f] = split_format(c.params.get("token"));
    auto id = ws->order_of_token(token);
    if (!id) throw not_found("open311.token_not_found");
    json::array items{json::object{{"service_request_id", std::to_string(*id)}, {"token", token}}};
    return render(f, 200, items, "service_requests", "request");
  }, {.errors = georeport_error});
}

}  // namespace xh::workorders
