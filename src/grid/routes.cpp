// HTTP ↔ grid work and campaigns: /api/grids, /api/grid-patrols,
// /api/grid-events, /api/campaigns.
#include <boost/json.hpp>

#include "api/export.h"
#include "api/module.h"
#include "core/error.h"
#include "grid/grid.h"

namespace xh::grid {

namespace json = boost::json;
using api::Call;
using http::Access;

namespace {

const std::vector<api::ExportColumn>& household_columns() {
  static const std::vector<api::ExportColumn> cols = {
      {"code", "户编码", "Code"},
      {"household", "住户", "Household"},
      {"building", "楼栋", "Building"},
      {"grid", "网格", "Grid"},
      {"outcome", "走访结果", "Outcome", &outcomes()},
      {"note", "备注", "Note"},
      {"visitor", "走访人", "Visited by"},
      {"visited_at", "走访时间", "Visited"}};
  return cols;
}

}  // namespace

void add_routes(api::Router& r, std::shared_ptr<const GridWork> gw,
                std::shared_ptr<const Campaigns> cs) {
  r.add("GET", "/api/grids", Access::authenticated,
        [gw](Call& c) { return api::ok(gw->grids(c.who())); });
  r.add("GET", "/api/grid/overview", Access::authenticated, [gw](Call& c) {
    return api::ok(gw->overview(c.who(), c.query_id("grid_id"), c.lang));
  });
  r.add("GET", "/api/grids/{id}/coverage", Access::authenticated, [gw](Call& c) {
    return api::ok(gw->coverage(c.who(), c.id_param("id"), c.query("week")));
  });

  // ---- patrols ----
  r.add("GET", "/api/grid-patrols", Access::authenticated, [gw](Call& c) {
    auto page = gw->patrols(c.who(), c.query_id("grid_id"), c.query_bool("mine"), c.page());
    return api::list(std::move(page.items), page.total);
  });
  r.add("POST", "/api/grid-patrols", Access::authenticated,
        [gw](Call& c) { return api::created(gw->start(c.who(), c.actor(), c.req.body)); });
  r.add("GET", "/api/grid-patrols/{id}", Access::authenticated,
        [gw](Call& c) { return api::ok(gw->patrol(c.who(), c.id_param("id"))); });
  r.add("POST", "/api/grid-patrols/{id}/track", Access::authenticated,
        [gw](Call& c) { return api::ok(gw->track(c.who(), c.id_param("id"), c.req.body)); });
  r.add("POST", "/api/grid-patrols/{id}/visits", Access::authenticated,
        [gw](Call& c) { return api::ok(gw->visit(c.who(), c.id_param("id"), c.req.body)); });
  r.add("POST", "/api/grid-patrols/{id}/finish", Access::authenticated, [gw](Call& c) {
    return api::ok(gw->finish(c.who(), c.actor(), c.id_param("id"), c.req.body));
  });

  // ---- events ----
  r.add("GET", "/api/grid-events", Access::authenticated, [gw](Call& c) {
    auto page = gw->events(c.who(), c.query_id("grid_id"), c.query("status"), c.page());
    return api::list(std::move(page.items), page.total);
  });
  r.add("POST", "/api/grid-events", Access::authenticated,
        [gw](Call& c) { return api::created(gw->report(c.who(), c.actor(), c.req.body)); });
  r.add("POST", "/api/grid-events/{id}/order", Access::authenticated, [gw](Call& c) {
    return api::ok(gw->order(c.who(), c.actor(), c.id_param("id"), c.req.body));
  });
  r.add("POST", "/api/grid-events/{id}/resolve", Access::authenticated, [gw](Call& c) {
    return api::ok(gw->resolve(c.who(), c.actor(), c.id_param("id")));
  });

  // ---- campaigns ----
  r.add("GET", "/api/campaigns", Access::authenticated, [cs](Call& c) {
    auto page = cs->list(c.who(), c.query("status"), c.page());
    return api::list(std::move(page.items), page.total);
  });
  r.add("POST", "/api/campaigns", Access::authenticated,
        [cs](Call& c) { return api::created(cs->create(c.who(), c.actor(), c.req.body)); });
  r.add("GET", "/api/campaigns/{id}", Access::authenticated,
        [cs](Call& c) { return api::ok(cs->get(c.who(), c.id_param("id"))); });
  r.add("POST", "/api/campaigns/{id}/close", Access::authenticated,
        [cs](Call& c) { return api::ok(cs->close(c.who(), c.actor(), c.id_param("id"))); });
  r.add("GET", "/api/campaigns/{id}/households", Access::authenticated,
        [cs](Call& c) {
          auto id = c.id_param("id");
          auto grid = c.query_id("grid_id"), building = c.query_id("building_id");
          auto outcome = c.query("outcome");
          return api::list_response(
              c,
              [&](const api::Page& page) {
                return cs->households(c.who(), id, grid, building, outcome, page);
              },
              household_columns(), "campaign-households");
        },
        {.exports = api::Export::yes});
  r.add("PUT", "/api/campaigns/{id}/households/{household_id}", Access::authenticated,
        [cs](Call& c) {
          return api::ok(cs->record(c.who(), c.actor(), c.id_param("id"),
                                    c.id_param("household_id"), c.req.body));
        });
}

}  // namespace xh::grid
