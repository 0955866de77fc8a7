// Routes that belong to no module: liveness, the OpenAPI document, the roles,
// what the web app must know of the server (labels, permissions, limits), and
// the dashboard, which gathers every module's figures, and the caller's to-do
// list (待办), which gathers every module's tasks.
#include "app/system_routes.h"

#include "api/pipeline.h"

#include <boost/json.hpp>

namespace xh::embedded {
std::string_view openapi_json();
}

namespace xh::app {

namespace json = boost::json;
using api::Call;
using api::ok;
using http::Access;
using http::Response;

void add_system_routes(api::Router& r, api::Context& ctx, const api::Modules& modules) {
  r.add("GET", "/hello", Access::public_route, [](Call&) { return api::hello(); });

  // /healthz is answered on the network thread by the health monitor
  // (app/health.h), never queued behind requests waiting on the database.

  r.add("GET", "/api/openapi.json", Access::public_route, [](Call&) {
    return Response::text(200, std::string(embedded::openapi_json()),
                          "application/json; charset=utf-8");
  });

  auto meta = std::make_shared<std::string>(json::serialize(api::meta(modules)));
  r.add("GET", "/api/meta", Access::public_route, [meta](Call&) {
    return Response::text(200, *meta, "application/json; charset=utf-8");
  });

  r.add("GET", "/api/roles", Access::authenticated, [](Call& c) {
    json::array out;
    for (const auto& role : api::roles()) {
      json::array perms;
      for (const auto& p : api::role_permissions(role.name)) perms.emplace_back(p);
      out.push_back({{"name", role.name},
                     {"label", c.lang == Lang::en ? role.en : role.zh},
                     {"staff", role.staff},
                     {"operator_appointed", role.operator_appointed},
                     {"permissions", perms}});
    }
    return ok(json::object{{"items", out}});
  });

  r.add("GET", "/api/tasks", Access::authenticated, [&ctx, &modules](Call& c) {
    return ok(ctx.db.read([&](storage::Tx& tx) {
      json::array items;
      Millis now = now_ms();
      for (const api::Module* m : modules)
        if (m->tasks) m->tasks(tx, c.who(), now, items);
      std::int64_t total = 0;
      for (const auto& t : items) total += t.at("count").as_int64();
      return json::value(json::object{{"items", std::move(items)}, {"total", total}});
    }));
  });

  r.add("GET", "/api/dashboard/summary", Access::authenticated, [&ctx, &modules](Call& c) {
    return ok(ctx.db.read([&](storage::Tx& tx) {
      json::object out;
      for (const api::Module* m : modules)
        if (m->figures) m->figures(tx, c.who(), out);
      return json::value(out);
    }));
  });
}

}  // namespace xh::app
