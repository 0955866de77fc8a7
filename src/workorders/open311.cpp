// Open311 GeoReport v2 (WO-6) under /open311/v2/, in JSON and XML, so that
// existing civic-reporting clients can list services, file requests (with an
// API key) and follow them. Field names, formats, status values (open /
// closed), date-times (W3C, with offset) and error bodies follow the
// published specification. Public: the reporter of a request is never shown.
#include <boost/json.hpp>

#include <cctype>
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
    else if (v.is_array()) {
      // A list of objects (service attributes, their values): one element
      // each, named by the list's singular.
      std::string one = key.size() > 1 && key.back() == 's' ? key.substr(0, key.size() - 1) : key;
      for (const auto& e : v.as_array()) {
        out += "<" + one + ">";
        if (e.is_object()) xml_fields(out, e.as_object());
        else if (e.is_string()) out += xml_escape(e.as_string());
        out += "</" + one + ">";
      }
    }
    else if (v.is_double())
      out += plain_decimal(v.as_double());
    else
      out += json::serialize(v);
    out += "</" + key + ">";
  }
}

// JSON as GeoReport clients read it: numbers in plain decimals (36.700651,
// never 3.6700651E1), the rest as Boost.JSON writes it.
void plain_json(std::string& out, const json::value& v) {
  switch (v.kind()) {
    case json::kind::object: {
      out += '{';
      bool first = true;
      for (const auto& [k, e] : v.as_object()) {
        if (!first) out += ',';
        first = false;
        out += json::serialize(json::string(k));
        out += ':';
        plain_json(out, e);
      }
      out += '}';
      break;
    }
    case json::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& e : v.as_array()) {
        if (!first) out += ',';
        first = false;
        plain_json(out, e);
      }
      out += ']';
      break;
    }
    case json::kind::double_:
      out += plain_decimal(v.as_double());
      break;
    default:
      out += json::serialize(v);
  }
}

Response json_answer(int status, const json::value& v) {
  std::string out;
  plain_json(out, v);
  return Response::text(status, std::move(out), "application/json; charset=utf-8");
}

Response render(Format f, int status, const json::array& items, const char* root,
                const char* element) {
  if (f == Format::json) return json_answer(status, items);
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

// The attributes every service takes (GeoReport's service definition): the
// reporter's consent to publish the description.
json::array service_attributes(Lang lang) {
  return {json::object{
      {"variable", true},
      {"code", "public_text"},
      {"datatype", "singlevaluelist"},
      {"required", false},
      {"datatype_description", message("open311.public_text_type", lang)},
      {"order", 1},
      {"description", message("open311.public_text", lang)},
      {"values", json::array{json::object{{"key", "true"}, {"name", message("open311.publish", lang)}},
                             json::object{{"key", "false"}, {"name", message("open311.keep_private", lang)}}}}}};
}

json::object service_json(const json::object& category) {
  return {{"service_code", category.at("key")},
          {"service_name", category.at("label")},
          {"description", category.at("label")},
          {"metadata", true},
          {"type", "realtime"},
          {"keywords", category.at("key")},
          {"group", category.at("body_label")}};
}

// Where the request is, as people read it: what the client wrote, else the
// place's address and name (the name once, when the address holds it).
std::string address_of(const wo::PublicOrder& o) {
  if (o.address_text) return *o.address_text;
  if (!o.address) return o.place_name;
  if (o.address->find(o.place_name) != std::string::npos) return *o.address;
  return *o.address + " " + o.place_name;
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
          {"address", json::value(address_of(o))},
          {"address_id", o.place_code ? json::value(*o.place_code) : json::value(nullptr)},
          {"zipcode", nullptr},
          {"lat", num(o.lat)},
          {"long", num(o.lng)},
          {"media_url", o.media_url ? json::value(*o.media_url) : json::value(nullptr)}};
}

std::optional<double> form_number(const std::optional<std::string>& v, const char* name) {
  if (!v) return std::nullopt;
  auto d = parse_finite(*v);
  if (!d) throw bad_request("open311.bad_parameter", name);
  return d;
}

}  // namespace

void add_open311_routes(api::Router& r, std::shared_ptr<const WorkOrders> ws) {
  // Whatever refuses a request under /open311/v2/ answers in GeoReport's form.
  r.errors_under("/open311/v2/", georeport_error);

  // Service discovery (GeoReport v2): where the endpoint is, what it speaks.
  auto discovery = [](Call& c) {
    Format f = format_of(c.req.path);
    std::string host(c.req.header("host").value_or("localhost"));
    bool https = c.req.header("x-forwarded-proto").value_or("") == "https";
    const char* changeset = "2026-12-06T00:00:00+08:00";  // when this endpoint last changed
    json::object d{
        {"changeset", changeset},
        {"contact", message("open311.contact", c.lang)},
        {"key_service", message("open311.key_service", c.lang)},
        {"endpoints",
         json::array{json::object{{"specification", "http://wiki.open311.org/GeoReport_v2"},
                                  {"url", std::string(https ? "https://" : "http://") + host + "/open311/v2"},
                                  {"changeset", changeset},
                                  {"type", "production"},
                                  {"formats", json::array{"application/json", "text/xml"}}}}}};
    if (f == Format::json) return json_answer(200, d);
    std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<discovery>";
    xml_fields(out, d);
    out += "</discovery>";
    return Response::text(200, std::move(out), "text/xml; charset=utf-8");
  };
  r.add("GET", "/open311/discovery.json", Access::public_route, discovery, {.errors = georeport_error});
  r.add("GET", "/open311/discovery.xml", Access::public_route, discovery, {.errors = georeport_error});

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
        json::object def{{"service_code", code}, {"attributes", service_attributes(c.lang)}};
        if (f == Format::json) return json_answer(200, def);
        std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<service_definition>";
        xml_fields(out, def);
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
    std::string type(ct.substr(0, ct.find(';')));
    for (auto& ch : type) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (type != "application/x-www-form-urlencoded") throw Error(415, "open311.form_required");
    auto form = http::parse_form(c.req.body);
    for (const auto& [k, v] : form) {
      std::size_t limit = k == "description" ? 4000 : k == "media_url" ? 2000 : 200;
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
    if (rep.lat && (*rep.lat < -90 || *rep.lat > 90)) throw bad_request("open311.bad_parameter", "lat");
    if (rep.lng && (*rep.lng < -180 || *rep.lng > 180)) throw bad_request("open311.bad_parameter", "long");
    if (auto url = get("media_url")) {
      // A link to the client's own copy of a photo: http(s) only, kept as given.
      if (url->rfind("https://", 0) != 0 && url->rfind("http://", 0) != 0)
        throw bad_request("open311.bad_parameter", "media_url");
      rep.media_url = *url;
    }
    auto filed = ws->file_open311(*key, c.req.remote_ip, rep);
    // A realtime service answers the request's id (GeoReport: the id or a
    // token, not both).
    json::array items{json::object{{"service_request_id", std::to_string(filed.id)},
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
