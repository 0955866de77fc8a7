// HTTP ↔ risk points and emergencies: /api/emergency-catalog,
// /api/risk-points, /api/patrol-frequencies, /api/callup-lists,
// /api/emergencies (board, summary), /api/emergency-tasks, /api/callups,
// /api/warehouses, /api/supply-movements.
#include <boost/json.hpp>

#include "api/module.h"
#include "core/error.h"
#include "emergencies/emergencies.h"

namespace xh::emergencies {

namespace json = boost::json;
using api::Call;
using http::Access;

namespace {

http::Response file_response(File f) {
  auto res = http::Response::text(200, std::move(f.bytes), f.type);
  res.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + f.name + "\"");
  res.headers.emplace_back("Cache-Control", "no-store");
  return res;
}

}  // namespace

void add_routes(api::Router& r, std::shared_ptr<const RiskPoints> rp,
                std::shared_ptr<const Emergencies> es, std::shared_ptr<const Supplies> ss) {
  r.add("GET", "/api/emergency-catalog", Access::authenticated,
        [rp](Call& c) { return api::ok(rp->catalog(c.lang)); });

  // ---- risk points ----
  r.add("GET", "/api/risk-points", Access::authenticated, [rp](Call& c) {
    auto page = rp->list(c.who(), c.query("kind"), c.query_id("place_id"), c.query("q"), c.page(),
                         c.lang);
    return api::list(std::move(page.items), page.total);
  });
  r.add("POST", "/api/risk-points", Access::authenticated,
        [rp](Call& c) { return api::created(rp->create(c.who(), c.actor(), c.req.body, c.lang)); });
  r.add("GET", "/api/risk-points/{id}", Access::authenticated,
        [rp](Call& c) { return api::ok(rp->get(c.who(), c.id_param("id"), c.lang)); });
  r.add("PATCH", "/api/risk-points/{id}", Access::authenticated, [rp](Call& c) {
    return api::ok(rp->update(c.who(), c.actor(), c.id_param("id"), c.req.body, c.lang));
  });
  r.add("GET", "/api/patrol-frequencies/{street_id}", Access::authenticated,
        [rp](Call& c) { return api::ok(rp->frequencies(c.who(), c.id_param("street_id"))); });
  r.add("PUT", "/api/patrol-frequencies/{street_id}", Access::authenticated, [rp](Call& c) {
    return api::ok(rp->set_frequencies(c.who(), c.actor(), c.id_param("street_id"), c.req.body));
  });
  r.add("GET", "/api/callup-lists", Access::authenticated,
        [rp](Call& c) { return api::ok(rp->callup_lists(c.who(), c.query_id("place_id"))); });
  r.add("POST", "/api/callup-lists", Access::authenticated,
        [rp](Call& c) { return api::created(rp->add_callup(c.who(), c.actor(), c.req.body)); });
  r.add("DELETE", "/api/callup-lists/{id}", Access::authenticated, [rp](Call& c) {
    rp->remove_callup(c.who(), c.actor(), c.id_param("id"));
    return api::ok(json::object{{"ok", true}});
  });

  // ---- emergencies ----
  r.add("GET", "/api/emergencies", Access::authenticated, [es](Call& c) {
    auto page = es->list(c.who(), c.query("status"), c.page(), c.lang);
    return api::list(std::move(page.items), page.total);
  });
  r.add("POST", "/api/emergencies", Access::authenticated,
        [es](Call& c) { return api::created(es->declare(c.who(), c.actor(), c.req.body, c.lang)); });
  r.add("GET", "/api/emergencies/{id}", Access::authenticated,
        [es](Call& c) { return api::ok(es->get(c.who(), c.id_param("id"), c.lang)); });
  r.add("POST", "/api/emergencies/{id}/level", Access::authenticated, [es](Call& c) {
    return api::ok(es->set_level(c.who(), c.actor(), c.id_param("id"), c.req.body, c.lang));
  });
  r.add("POST", "/api/emergencies/{id}/end", Access::authenticated, [es](Call& c) {
    return api::ok(es->end(c.who(), c.actor(), c.id_param("id"), c.req.body, c.lang));
  });
  r.add("GET", "/api/emergencies/{id}/board", Access::authenticated,
        [es](Call& c) {
          http::Response res;
          res.status = 200;
          res.body = es->board(c.who(), c.id_param("id"), c.lang);
          return res;
        });
  r.add("GET", "/api/emergencies/{id}/summary", Access::authenticated,
        [es](Call& c) { return api::ok(es->summary(c.who(), c.id_param("id"), c.lang)); });
  r.add("GET", "/api/emergencies/{id}/summary.pdf", Access::authenticated,
        [es](Call& c) { return file_response(es->summary_pdf(c.who(), c.id_param("id"))); });
  r.add("GET", "/api/emergencies/{id}/callups", Access::authenticated,
        [es](Call& c) { return api::ok(es->callups(c.who(), c.id_param("id"), c.lang)); });

  // ---- tasks and call-ups ----
  r.add("GET", "/api/emergency-tasks", Access::authenticated, [es](Call& c) {
    auto page =
        es->tasks(c.who(), c.query_id("emergency_id"), c.query("status"), c.page(), c.lang);
    return api::list(std::move(page.items), page.total);
  });
  r.add("POST", "/api/emergency-tasks/{id}/done", Access::authenticated, [es](Call& c) {
    return api::ok(es->task_done(c.who(), c.actor(), c.id_param("id"), c.req.body, c.lang));
  });
  r.add("GET", "/api/callups/mine", Access::authenticated,
        [es](Call& c) { return api::ok(es->callups(c.who(), std::nullopt, c.lang)); });
  r.add("POST", "/api/callups/{id}/acknowledge", Access::authenticated, [es](Call& c) {
    return api::ok(es->acknowledge(c.who(), c.actor(), c.id_param("id"), c.req.body, c.lang));
  });
  r.add("POST", "/api/callups/{id}/arrive", Access::authenticated, [es](Call& c) {
    return api::ok(es->arrive(c.who(), c.actor(), c.id_param("id"), c.req.body, c.lang));
  });

  // ---- supplies ----
  r.add("GET", "/api/warehouses", Access::authenticated,
        [ss](Call& c) { return api::ok(ss->warehouses(c.who(), c.lang)); });
  r.add("POST", "/api/warehouses", Access::authenticated, [ss](Call& c) {
    return api::created(ss->create_warehouse(c.who(), c.actor(), c.req.body));
  });
  r.add("PUT", "/api/warehouses/{id}/thresholds/{item}", Access::authenticated, [ss](Call& c) {
    return api::ok(ss->set_threshold(c.who(), c.actor(), c.id_param("id"),
                                     std::string(c.params.get("item")), c.req.body));
  });
  r.add("GET", "/api/warehouses/{id}/movements", Access::authenticated, [ss](Call& c) {
    auto page = ss->movements(c.who(), c.id_param("id"), c.query("item"), c.page(), c.lang);
    return api::list(std::move(page.items), page.total);
  });
  r.add("POST", "/api/supply-movements", Access::authenticated,
        [ss](Call& c) { return api::created(ss->move(c.who(), c.actor(), c.req.body, c.lang)); });
}

}  // namespace xh::emergencies
