// HTTP ↔ the inbox: /api/inbox (the WebSocket, /api/live, is the pipeline's
// door to the hub).
#include <boost/json.hpp>

#include "api/module.h"
#include "live/live.h"

namespace xh::live {

namespace json = boost::json;
using api::Call;
using http::Access;

void add_routes(api::Router& r, std::shared_ptr<const Inbox> inbox) {
  r.add("GET", "/api/inbox", Access::authenticated, [inbox](Call& c) {
    return api::ok(inbox->list(c.who(), c.query("unread").value_or("") == "true", c.page(), c.lang));
  });
  r.add("POST", "/api/inbox/{id}/read", Access::authenticated,
        [inbox](Call& c) { return api::ok(inbox->read(c.who(), c.id_param("id"))); });
  r.add("POST", "/api/inbox/read-all", Access::authenticated,
        [inbox](Call& c) { return api::ok(inbox->read_all(c.who())); });
}

}  // namespace xh::live
