// HTTP ↔ the renovation projects: /api/renovations, /api/renovation-notices.
#include <boost/json.hpp>

#include "api/module.h"
#include "renovation/renovations.h"

namespace xh::renovation {

using api::Call;
using http::Access;

void add_routes(api::Router& r, std::shared_ptr<const Renovations> rn) {
  r.add("GET", "/api/renovations/vocabulary", Access::authenticated,
        [rn](Call& c) { return api::ok(rn->vocabulary(c.lang)); });
  r.add("GET", "/api/renovations", Access::authenticated, [rn](Call& c) {
    api::Page page{c.query_int("limit", 100, 1, 100), c.query_int("offset", 0, 0, 1000000)};
    return api::ok(rn->list(c.who(), page, c.lang));
  });
  r.add("POST", "/api/renovations", Access::authenticated,
        [rn](Call& c) { return api::created(rn->create(c.who(), c.actor(), c.req.body, c.lang)); });
  r.add("GET", "/api/renovations/{id}", Access::authenticated,
        [rn](Call& c) { return api::ok(rn->get(c.who(), c.id_param("id"), c.lang)); });
  r.add("POST", "/api/renovations/{id}/advance", Access::authenticated, [rn](Call& c) {
    return api::ok(rn->advance(c.who(), c.actor(), c.id_param("id"), c.req.body, c.lang));
  });
  r.add("POST", "/api/renovations/{id}/votes", Access::authenticated, [rn](Call& c) {
    return api::ok(rn->link_vote(c.who(), c.actor(), c.id_param("id"), c.req.body, c.lang));
  });
  r.add("POST", "/api/renovations/{id}/options", Access::authenticated, [rn](Call& c) {
    return api::created(rn->add_option(c.who(), c.actor(), c.id_param("id"), c.req.body, c.lang));
  });
  r.add("POST", "/api/renovations/{id}/options/{option}/choose", Access::authenticated,
        [rn](Call& c) {
          return api::ok(rn->choose_option(c.who(), c.actor(), c.id_param("id"),
                                           c.id_param("option"), c.lang));
        });
  r.add("POST", "/api/renovations/{id}/notices", Access::authenticated, [rn](Call& c) {
    return api::created(rn->notify(c.who(), c.actor(), c.id_param("id"), c.req.body, c.lang));
  });
  r.add("POST", "/api/renovations/{id}/supervisors", Access::authenticated, [rn](Call& c) {
    return api::created(
        rn->add_supervisor(c.who(), c.actor(), c.id_param("id"), c.req.body, c.lang));
  });
  r.add("POST", "/api/renovations/{id}/inspections", Access::authenticated, [rn](Call& c) {
    return api::created(rn->inspect(c.who(), c.actor(), c.id_param("id"), c.req.body, c.lang));
  });
  r.add("POST", "/api/renovations/{id}/upkeep", Access::authenticated, [rn](Call& c) {
    return api::created(rn->add_upkeep(c.who(), c.actor(), c.id_param("id"), c.req.body, c.lang));
  });
  r.add("GET", "/api/renovation-notices/{id}", Access::authenticated,
        [rn](Call& c) { return api::ok(rn->notice(c.who(), c.id_param("id"))); });
}

}  // namespace xh::renovation
