// HTTP ↔ place commands: /api/places.
#include <boost/json.hpp>

#include "app/call.h"
#include "core/json_input.h"
#include "places/places.h"

namespace xh::app {

namespace json = boost::json;
using http::Access;

void add_place_routes(ApiRouter& r, auth::Services& s) {
  r.add("GET", "/api/places", Access::authenticated, [&s](Call& c) {
    places::ListQuery q;
    q.parent_id = c.query_id("parent_id");
    q.kind = c.query("kind");
    q.q = c.query("q");
    q.sort = c.query("sort").value_or("id");
    q.limit = c.query_int("limit", 50, 1, 500);
    q.offset = c.query_int("offset", 0, 0, 1000000000);
    auto res = places::list(s.db, c.who(), q);
    json::array items;
    for (const auto& p : res.items) items.push_back(places::to_json(p));
    return ok(json::object{{"items", items}, {"total", res.total}});
  });

  r.add("POST", "/api/places", Access::authenticated, [&s](Call& c) {
    JsonInput in(c.req.body, {"parent_id", "kind", "name", "code"});
    auto p = places::create(s.db, c.who(), c.actor(),
                            {in.opt_i64("parent_id"), in.str("kind", 20), in.str("name", 100),
                             in.opt_str("code", 64)});
    return created(places::to_json(p));
  });

  r.add("GET", "/api/places/{id}", Access::authenticated, [&s](Call& c) {
    return ok(places::to_json(places::get(s.db, c.who(), c.id_param("id"))));
  });

  r.add("PATCH", "/api/places/{id}", Access::authenticated, [&s](Call& c) {
    JsonInput in(c.req.body, {"name", "code"});
    auto p = places::update(s.db, c.who(), c.actor(), c.id_param("id"),
                            {in.opt_str("name", 100), in.opt_str("code", 64)});
    return ok(places::to_json(p));
  });
}

}  // namespace xh::app
