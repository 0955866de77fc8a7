// HTTP ↔ the councils' commands: /api/councils, /api/rule-sets, /api/meetings.
#include <boost/json.hpp>

#include "api/module.h"
#include "councils/councils.h"
#include "councils/minutes.h"
#include "councils/session.h"

namespace xh::councils {

namespace json = boost::json;
using api::Call;
using http::Access;

void add_session_routes(api::Router& r, std::shared_ptr<const MeetingRoom> room) {
  r.add("GET", "/api/meetings/{id}/session", Access::authenticated,
        [room](Call& c) { return api::ok(room->view(c.who(), c.id_param("id"))); });
  r.add("POST", "/api/meetings/{id}/open", Access::authenticated,
        [room](Call& c) { return api::ok(room->open(c.who(), c.actor(), c.id_param("id"))); });
  r.add("POST", "/api/meetings/{id}/close", Access::authenticated,
        [room](Call& c) { return api::ok(room->close(c.who(), c.actor(), c.id_param("id"))); });
  r.add("GET", "/api/meetings/{id}/checkin-code", Access::authenticated,
        [room](Call& c) { return api::ok(room->code(c.who(), c.id_param("id"))); });
  r.add("POST", "/api/meetings/{id}/checkin", Access::authenticated,
        [room](Call& c) { return api::ok(room->check_in(c.who(), c.actor(), c.id_param("id"), c.req.body)); });
  r.add("POST", "/api/meetings/{id}/attendance/{member}/checkin", Access::authenticated, [room](Call& c) {
    return api::ok(room->check_in_member(c.who(), c.actor(), c.id_param("id"), c.id_param("member")));
  });
  r.add("POST", "/api/meetings/{id}/item", Access::authenticated,
        [room](Call& c) { return api::ok(room->move_to(c.who(), c.actor(), c.id_param("id"), c.req.body)); });
  r.add("POST", "/api/meetings/{id}/floor", Access::authenticated,
        [room](Call& c) { return api::ok(room->request_floor(c.who(), c.actor(), c.id_param("id"), c.req.body)); });
  r.add("POST", "/api/meetings/{id}/floor/withdraw", Access::authenticated,
        [room](Call& c) { return api::ok(room->withdraw(c.who(), c.actor(), c.id_param("id"))); });
  r.add("POST", "/api/meetings/{id}/floor/grant", Access::authenticated,
        [room](Call& c) { return api::ok(room->grant(c.who(), c.actor(), c.id_param("id"), c.req.body)); });
  r.add("POST", "/api/meetings/{id}/floor/end", Access::authenticated,
        [room](Call& c) { return api::ok(room->end_speech(c.who(), c.actor(), c.id_param("id"))); });
  r.add("POST", "/api/meetings/{id}/floor/extend", Access::authenticated,
        [room](Call& c) { return api::ok(room->extend(c.who(), c.actor(), c.id_param("id"))); });
  r.add("GET", "/api/meetings/{id}/votes", Access::authenticated,
        [room](Call& c) { return api::ok(room->votes(c.who(), c.id_param("id"))); });
  r.add("POST", "/api/meetings/{id}/votes", Access::authenticated,
        [room](Call& c) { return api::ok(room->open_vote(c.who(), c.actor(), c.id_param("id"), c.req.body)); });
  r.add("POST", "/api/meetings/{id}/votes/{vote}/ballot", Access::authenticated, [room](Call& c) {
    return api::ok(room->ballot(c.who(), c.actor(), c.id_param("id"), c.id_param("vote"), c.req.body));
  });
  r.add("POST", "/api/meetings/{id}/votes/{vote}/close", Access::authenticated, [room](Call& c) {
    return api::ok(room->close_vote(c.who(), c.actor(), c.id_param("id"), c.id_param("vote")));
  });
  r.add("POST", "/api/meetings/{id}/violations", Access::authenticated,
        [room](Call& c) { return api::ok(room->violation(c.who(), c.actor(), c.id_param("id"), c.req.body)); });
  r.add("POST", "/api/meetings/{id}/points-of-order", Access::authenticated,
        [room](Call& c) { return api::ok(room->point_of_order(c.who(), c.actor(), c.id_param("id"), c.req.body)); });
}

void add_minutes_routes(api::Router& r, std::shared_ptr<const Minutes> minutes) {
  r.add("GET", "/api/meetings/{id}/minutes", Access::authenticated, [minutes](Call& c) {
    return api::ok(minutes->get(c.who(), c.id_param("id"), c.query_id("version"), c.lang));
  });
  r.add("PUT", "/api/meetings/{id}/minutes", Access::authenticated, [minutes](Call& c) {
    return api::ok(minutes->edit(c.who(), c.actor(), c.id_param("id"), c.req.body, c.lang));
  });
  r.add("POST", "/api/meetings/{id}/minutes/sign", Access::authenticated,
        [minutes](Call& c) { return api::ok(minutes->sign(c.who(), c.actor(), c.id_param("id"), c.lang)); });
  r.add("GET", "/api/meetings/{id}/minutes.pdf", Access::authenticated, [minutes](Call& c) {
    auto file = minutes->pdf(c.who(), c.id_param("id"), c.query_id("version"));
    auto res = http::Response::text(200, std::move(file.bytes), "application/pdf");
    res.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + file.name + "\"");
    return res;
  });
}

void add_routes(api::Router& r, std::shared_ptr<const Councils> councils) {
  r.add("GET", "/api/councils/vocabulary", Access::authenticated,
        [councils](Call& c) { return api::ok(councils->vocabulary(c.lang)); });
  r.add("GET", "/api/councils", Access::authenticated, [councils](Call& c) {
    auto page = councils->list(c.who(), c.query_id("place_id"), c.page(), c.lang);
    return api::list(std::move(page.items), page.total);
  });
  r.add("POST", "/api/councils", Access::authenticated, [councils](Call& c) {
    return api::created(councils->create(c.who(), c.actor(), c.req.body, c.lang));
  });
  r.add("GET", "/api/councils/{id}", Access::authenticated,
        [councils](Call& c) { return api::ok(councils->get(c.who(), c.id_param("id"), c.lang)); });
  r.add("PATCH", "/api/councils/{id}", Access::authenticated, [councils](Call& c) {
    return api::ok(councils->update(c.who(), c.actor(), c.id_param("id"), c.req.body, c.lang));
  });
  r.add("POST", "/api/councils/{id}/members", Access::authenticated, [councils](Call& c) {
    return api::created(councils->add_member(c.who(), c.actor(), c.id_param("id"), c.req.body, c.lang));
  });
  r.add("DELETE", "/api/councils/{id}/members/{member}", Access::authenticated, [councils](Call& c) {
    return api::ok(councils->remove_member(c.who(), c.actor(), c.id_param("id"), c.id_param("member"), c.lang));
  });
  r.add("POST", "/api/councils/{id}/meetings", Access::authenticated, [councils](Call& c) {
    return api::created(councils->call_meeting(c.who(), c.actor(), c.id_param("id"), c.req.body, c.lang));
  });
  r.add("GET", "/api/rule-sets", Access::authenticated,
        [councils](Call& c) { return api::ok(json::object{{"items", councils->rule_sets(c.who())}}); });
  r.add("POST", "/api/rule-sets", Access::authenticated,
        [councils](Call& c) { return api::created(councils->create_rule_set(c.who(), c.actor(), c.req.body)); });
  r.add("GET", "/api/meetings", Access::authenticated, [councils](Call& c) {
    auto page = councils->meetings(c.who(), c.query_id("council_id"), c.query("when"), c.query_bool("mine"), c.page(),
                                   c.lang);
    return api::list(std::move(page.items), page.total);
  });
  r.add("GET", "/api/meetings/{id}", Access::authenticated,
        [councils](Call& c) { return api::ok(councils->meeting(c.who(), c.id_param("id"), c.lang)); });
  r.add("POST", "/api/meetings/{id}/reply", Access::authenticated, [councils](Call& c) {
    return api::ok(councils->reply(c.who(), c.actor(), c.id_param("id"), c.req.body, c.lang));
  });
}

}  // namespace xh::councils
