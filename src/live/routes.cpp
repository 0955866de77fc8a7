// HTTP ↔ the inbox: /api/inbox (the WebSocket, /api/live, is the pipeline's
// door to the hub).
#include <boost/json.hpp>

#include "api/module.h"
#include "core/error.h"
#include "core/json_input.h"
#include "live/channels.h"
#include "live/displays.h"
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

void add_display_routes(api::Router& r, std::shared_ptr<const Displays> displays, bool secure_cookies) {
  r.add("GET", "/api/displays", Access::authenticated,
        [displays](Call& c) { return api::ok(json::object{{"items", displays->list(c.who())}}); });
  r.add("POST", "/api/displays", Access::authenticated,
        [displays](Call& c) { return api::created(displays->create(c.who(), c.actor(), c.req.body)); });
  r.add("POST", "/api/displays/{id}/pair", Access::authenticated, [displays](Call& c) {
    return api::ok(displays->pair(c.who(), c.actor(), c.id_param("id"), c.req.body));
  });
  r.add("POST", "/api/displays/{id}/revoke", Access::authenticated, [displays](Call& c) {
    return api::ok(displays->revoke(c.who(), c.actor(), c.id_param("id")));
  });
  // The screen's own: no one is signed in on it.
  r.add("POST", "/api/display/pairing", Access::public_route, [displays](Call& c) {
    return api::created(displays->start_pairing(c.req.body, c.req.remote_ip));
  });
  r.add("POST", "/api/display/session", Access::public_route, [displays, secure_cookies](Call& c) {
    JsonInput in(c.req.body, {"token"});
    auto token = in.str("token", 128);
    auto session = displays->session(token, c.lang);
    http::Response out = api::ok(session);
    if (!session.at("paired").as_bool()) return out;
    std::string cookie = "xh_display=" + token + "; Path=/api; HttpOnly; SameSite=Strict; Max-Age=34560000";
    if (secure_cookies) cookie += "; Secure";
    out.headers.emplace_back("Set-Cookie", cookie);
    return out;
  });
  r.add("GET", "/api/display/session", Access::public_route, [displays](Call& c) {
    auto token = c.req.cookie("xh_display");
    if (!token) throw not_found("display.not_paired");
    return api::ok(displays->session(*token, c.lang));
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
  r.add("GET", "/api/inbox/preferences", Access::authenticated,
        [inbox](Call& c) { return api::ok(inbox->preferences(c.who(), c.lang)); });
  r.add("PUT", "/api/inbox/preferences", Access::authenticated, [inbox](Call& c) {
    JsonInput in(c.req.body, {"kind", "mode"});
    auto kind = in.str("kind", 60);
    return api::ok(inbox->set_preference(c.who(), kind, in.str("mode", 20), c.lang));
  });
}

}  // namespace xh::live
