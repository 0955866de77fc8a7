// HTTP ↔ the topics: /api/topics.
#include <boost/json.hpp>

#include "api/module.h"
#include "topics/topics.h"

namespace xh::topics {

using api::Call;
using http::Access;

void add_routes(api::Router& r, std::shared_ptr<const Topics> topics) {
  r.add("GET", "/api/topics", Access::authenticated, [topics](Call& c) {
    TopicQuery q{c.query("status"),    c.query_id("place_id"), c.query("q"),
                 c.query_bool("mine"), c.query("sort"),        c.page()};
    return api::ok(topics->list(c.who(), q, c.lang));
  });
  r.add("POST", "/api/topics", Access::authenticated, [topics](Call& c) {
    return api::created(topics->raise(c.who(), c.actor(), c.req.body, c.lang));
  });
  r.add("GET", "/api/topics/{id}", Access::authenticated,
        [topics](Call& c) { return api::ok(topics->get(c.who(), c.id_param("id"), c.lang)); });
  r.add("POST", "/api/topics/{id}/support", Access::authenticated, [topics](Call& c) {
    return api::ok(topics->support(c.who(), c.actor(), c.id_param("id"), true, c.lang));
  });
  r.add("DELETE", "/api/topics/{id}/support", Access::authenticated, [topics](Call& c) {
    return api::ok(topics->support(c.who(), c.actor(), c.id_param("id"), false, c.lang));
  });
  r.add("POST", "/api/topics/{id}/review", Access::authenticated, [topics](Call& c) {
    return api::ok(topics->review(c.who(), c.actor(), c.id_param("id"), c.req.body, c.lang));
  });
  r.add("POST", "/api/topics/{id}/decision", Access::authenticated, [topics](Call& c) {
    return api::ok(topics->decide(c.who(), c.actor(), c.id_param("id"), c.req.body, c.lang));
  });
  r.add("POST", "/api/topics/{id}/updates", Access::authenticated, [topics](Call& c) {
    return api::created(topics->update(c.who(), c.actor(), c.id_param("id"), c.req.body, c.lang));
  });
}

}  // namespace xh::topics
