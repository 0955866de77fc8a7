// Routes that belong to no module: liveness, the OpenAPI document, roles.
#include <boost/json.hpp>

#include "app/call.h"
#include "auth/roles.h"

namespace xh::embedded {
std::string_view openapi_json();
}

namespace xh::app {

namespace json = boost::json;
using http::Access;
using http::Response;

void add_system_routes(ApiRouter& r, auth::Services& s) {
  r.add("GET", "/hello", Access::public_route, [](Call&) {
    return Response::text(200, R"({"message":"你好，星火","status":"ok"})",
                          "application/json; charset=utf-8");
  });

  r.add("GET", "/healthz", Access::public_route, [&s](Call&) {
    try {
      s.db.read([](storage::Tx& tx) { tx.query("SELECT 1"); });
      return ok(json::object{{"status", "ok"},
                             {"database", s.db.dialect() == storage::Dialect::sqlite ? "sqlite"
                                                                                     : "postgresql"}});
    } catch (const std::exception&) {
      return Response::json(503, json::object{{"status", "unavailable"}});
    }
  });

  r.add("GET", "/api/openapi.json", Access::public_route, [](Call&) {
    return Response::text(200, std::string(embedded::openapi_json()),
                          "application/json; charset=utf-8");
  });

  r.add("GET", "/api/roles", Access::authenticated, [](Call& c) {
    json::array out;
    for (const auto& role : auth::roles()) {
      json::array perms;
      for (auto p : role.permissions) perms.emplace_back(p);
      out.push_back({{"name", role.name},
                     {"label", c.lang == Lang::en ? json::value(role.en_name) : json::value(role.zh_name)},
                     {"staff", role.staff},
                     {"permissions", perms}});
    }
    return ok(json::object{{"items", out}});
  });
}

}  // namespace xh::app
