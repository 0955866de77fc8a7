// HTTP ↔ the inbox: /api/inbox (the WebSocket, /api/live, is the pipeline's
// door to the hub).
#include <boost/json.hpp>

#include "api/module.h"
#include "core/json_input.h"
#include "live/channels.h"
#include "live/live.h"

namespace xh::live {

namespace json = boost::json;
using api::Call;
using http::Access;

void add_channel_routes(api::Router& r, std::shared_ptr<const Channels> channels,
                        std::function<void()> nudge) {
  r.add("GET", "/api/channels", Access::authenticated,
        [channels](Call& c) { return api::ok(json::object{{"items", channels->list(c.who())}}); });
  r.add("POST", "/api/channels", Access::authenticated,
        [channels](Call& c) { return api::created(channels->create(c.who(), c.actor(), c.req.body)); });
  r.add("PATCH", "/api/channels/{id}", Access::authenticated, [channels](Call& c) {
    JsonInput in(c.req.body, {"enabled"});
    return api::ok(channels->set_enabled(c.who(), c.actor(), c.id_param("id"), in.boolean("enabled")));
  });
  r.add("GET", "/api/channels/outbox", Access::authenticated, [channels](Call& c) {
    return api::ok(channels->outbox(c.who(), c.query("status"), c.page()));
  });
  r.add("POST", "/api/channels/outbox/{id}/retry", Access::authenticated, [channels, nudge](Call& c) {
    auto out = channels->retry(c.who(), c.actor(), c.id_param("id"));
    nudge();
    return api::ok(out);
  });
}

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
