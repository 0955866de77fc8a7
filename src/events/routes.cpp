// HTTP ↔ events, queues, stations and honours: /api/events, /api/event-dates,
// /api/event-registrations, /api/event-queues, /api/event-stations,
// /api/honour-rounds, /api/honour-nominees.
#include <boost/json.hpp>

#include "api/export.h"
#include "api/module.h"
#include "core/error.h"
#include "events/events.h"

namespace xh::events {

namespace json = boost::json;
using api::Call;
using http::Access;

namespace {

json::object items(json::array a) { return {{"items", std::move(a)}}; }

const std::vector<api::ExportColumn>& registration_columns() {
  static const std::vector<api::ExportColumn> cols = {
      {"name", "姓名/单位", "Name"},
      {"phone", "手机号", "Phone"},
      {"party", "人数", "People"},
      {"status", "状态", "Status", &registration_statuses()},
      {"checked_in_at", "签到时间", "Checked in"},
      {"checked_out_at", "签退时间", "Checked out"},
      {"completed_at", "闯关完成", "Card completed"}};
  return cols;
}

}  // namespace

void add_routes(api::Router& r, std::shared_ptr<const Events> ev, std::shared_ptr<const Honours> hs) {
  // ---- events and dates ----
  r.add("GET", "/api/events", Access::authenticated, [ev](Call& c) {
    auto page = ev->list(c.who(), c.query("status"), c.query("kind"), c.page());
    return api::list(std::move(page.items), page.total);
  });
  r.add("POST", "/api/events", Access::authenticated,
        [ev](Call& c) { return api::created(ev->create(c.who(), c.actor(), c.req.body)); });
  r.add("GET", "/api/events/open", Access::authenticated,
        [ev](Call& c) { return api::ok(items(ev->open_events(c.who(), c.lang))); });
  r.add("GET", "/api/events/{id}", Access::authenticated,
        [ev](Call& c) { return api::ok(ev->get(c.who(), c.id_param("id"), c.lang)); });
  r.add("PATCH", "/api/events/{id}", Access::authenticated, [ev](Call& c) {
    return api::ok(ev->update(c.who(), c.actor(), c.id_param("id"), c.req.body));
  });
  r.add("POST", "/api/events/{id}/dates", Access::authenticated, [ev](Call& c) {
    return api::created(ev->add_date(c.who(), c.actor(), c.id_param("id"), c.req.body));
  });
  r.add("PATCH", "/api/event-dates/{id}", Access::authenticated, [ev](Call& c) {
    return api::ok(ev->update_date(c.who(), c.actor(), c.id_param("id"), c.req.body));
  });

  // ---- registration, tickets, check-in ----
  r.add("POST", "/api/event-dates/{id}/registrations", Access::authenticated, [ev](Call& c) {
    return api::created(ev->register_self(c.who(), c.actor(), c.id_param("id"), c.req.body));
  });
  r.add("GET", "/api/event-dates/{id}/registrations", Access::authenticated,
        [ev](Call& c) {
          auto id = c.id_param("id");
          auto q = c.query("q"), status = c.query("status");
          return api::list_response(
              c, [&](const api::Page& page) { return ev->registrations(c.who(), id, q, status, page); },
              registration_columns(), "event-registrations");
        },
        {.exports = api::Export::yes});
  r.add("POST", "/api/event-dates/{id}/invitations", Access::authenticated, [ev](Call& c) {
    return api::ok(ev->invite(c.who(), c.actor(), c.id_param("id"), c.req.body));
  });
  r.add("POST", "/api/event-dates/{id}/check-ins", Access::authenticated, [ev](Call& c) {
    return api::ok(ev->check_in(c.who(), c.actor(), c.id_param("id"), c.req.body));
  });
  r.add("POST", "/api/event-dates/{id}/walk-ins", Access::authenticated, [ev](Call& c) {
    return api::created(ev->walk_in(c.who(), c.actor(), c.id_param("id"), c.req.body));
  });
  r.add("GET", "/api/event-tickets", Access::authenticated,
        [ev](Call& c) { return api::ok(items(ev->my_tickets(c.who(), c.lang))); });
  r.add("GET", "/api/event-registrations/{id}", Access::authenticated,
        [ev](Call& c) { return api::ok(ev->ticket(c.who(), c.id_param("id"), c.lang)); });
  r.add("POST", "/api/event-registrations/{id}/cancel", Access::authenticated,
        [ev](Call& c) { return api::ok(ev->cancel(c.who(), c.actor(), c.id_param("id"))); });
  r.add("POST", "/api/event-registrations/{id}/rsvp", Access::authenticated, [ev](Call& c) {
    return api::ok(ev->rsvp(c.who(), c.actor(), c.id_param("id"), c.req.body));
  });

  // ---- queues ----
  r.add("GET", "/api/event-dates/{id}/queues", Access::authenticated,
        [ev](Call& c) { return api::ok(items(ev->queues(c.who(), c.id_param("id")))); });
  r.add("POST", "/api/event-dates/{id}/queues", Access::authenticated, [ev](Call& c) {
    return api::created(ev->create_queue(c.who(), c.actor(), c.id_param("id"), c.req.body));
  });
  r.add("GET", "/api/event-queues/{id}", Access::authenticated,
        [ev](Call& c) { return api::ok(ev->queue(c.who(), c.id_param("id"))); });
  r.add("POST", "/api/event-queues/{id}/numbers", Access::authenticated, [ev](Call& c) {
    return api::created(ev->take_number(c.who(), c.actor(), c.id_param("id"), c.req.body));
  });
  r.add("PATCH", "/api/event-queues/{id}", Access::authenticated, [ev](Call& c) {
    return api::ok(ev->set_queue_open(c.who(), c.actor(), c.id_param("id"), c.req.body));
  });
  r.add("POST", "/api/event-queues/{id}/next", Access::authenticated,
        [ev](Call& c) { return api::ok(ev->call_next(c.who(), c.actor(), c.id_param("id"))); });
  r.add("GET", "/api/event-numbers", Access::authenticated,
        [ev](Call& c) { return api::ok(items(ev->my_numbers(c.who()))); });
  r.add("POST", "/api/event-numbers/{id}/skip", Access::authenticated,
        [ev](Call& c) { return api::ok(ev->skip(c.who(), c.actor(), c.id_param("id"))); });
  r.add("POST", "/api/event-numbers/{id}/recall", Access::authenticated,
        [ev](Call& c) { return api::ok(ev->recall(c.who(), c.actor(), c.id_param("id"))); });

  // ---- stations, scores, prizes ----
  r.add("GET", "/api/event-score-types", Access::authenticated,
        [ev](Call& c) { return api::ok(items(ev->score_types(c.lang))); });
  r.add("POST", "/api/events/{id}/stations", Access::authenticated, [ev](Call& c) {
    return api::created(ev->add_station(c.who(), c.actor(), c.id_param("id"), c.req.body, c.lang));
  });
  r.add("PATCH", "/api/event-stations/{id}", Access::authenticated, [ev](Call& c) {
    return api::ok(ev->update_station(c.who(), c.actor(), c.id_param("id"), c.req.body, c.lang));
  });
  r.add("GET", "/api/event-stations/mine", Access::authenticated,
        [ev](Call& c) { return api::ok(items(ev->my_stations(c.who(), c.lang))); });
  r.add("POST", "/api/event-stations/{id}/scores", Access::authenticated, [ev](Call& c) {
    return api::created(ev->score(c.who(), c.actor(), c.id_param("id"), c.req.body, c.lang));
  });
  r.add("GET", "/api/event-stations/{id}/scores", Access::authenticated, [ev](Call& c) {
    auto page = ev->results(c.who(), c.id_param("id"), c.query_id("date_id"), c.page());
    return api::list(std::move(page.items), page.total);
  });
  r.add("GET", "/api/event-stations/{id}/leaderboard", Access::authenticated, [ev](Call& c) {
    return api::ok(ev->leaderboard(c.who(), c.id_param("id"), c.query_id("date_id"), c.lang));
  });
  r.add("POST", "/api/events/{id}/prizes", Access::authenticated, [ev](Call& c) {
    return api::created(ev->add_prize(c.who(), c.actor(), c.id_param("id"), c.req.body));
  });
  r.add("PATCH", "/api/event-prizes/{id}", Access::authenticated, [ev](Call& c) {
    return api::ok(ev->update_prize(c.who(), c.actor(), c.id_param("id"), c.req.body));
  });
  r.add("POST", "/api/events/{id}/prize-awards", Access::authenticated, [ev](Call& c) {
    return api::created(ev->hand_prize(c.who(), c.actor(), c.id_param("id"), c.req.body));
  });

  // ---- honours ----
  r.add("GET", "/api/honour-rounds", Access::authenticated,
        [hs](Call& c) { return api::ok(items(hs->list(c.who(), c.lang))); });
  r.add("POST", "/api/honour-rounds", Access::authenticated,
        [hs](Call& c) { return api::created(hs->create(c.who(), c.actor(), c.req.body)); });
  r.add("GET", "/api/honour-rounds/{id}", Access::authenticated,
        [hs](Call& c) { return api::ok(hs->get(c.who(), c.id_param("id"), c.lang)); });
  r.add("POST", "/api/honour-rounds/{id}/status", Access::authenticated, [hs](Call& c) {
    return api::ok(hs->set_status(c.who(), c.actor(), c.id_param("id"), c.req.body));
  });
  r.add("POST", "/api/honour-rounds/{id}/nominees", Access::authenticated, [hs](Call& c) {
    return api::created(hs->nominate(c.who(), c.actor(), c.id_param("id"), c.req.body));
  });
  r.add("POST", "/api/honour-nominees/{id}/review", Access::authenticated, [hs](Call& c) {
    return api::ok(hs->review(c.who(), c.actor(), c.id_param("id"), c.req.body));
  });
  r.add("PUT", "/api/honour-nominees/{id}/scores", Access::authenticated, [hs](Call& c) {
    return api::ok(hs->set_scores(c.who(), c.actor(), c.id_param("id"), c.req.body));
  });
  r.add("POST", "/api/honour-rounds/{id}/votes", Access::authenticated, [hs](Call& c) {
    return api::created(hs->vote(c.who(), c.actor(), c.id_param("id"), c.req.body));
  });
  r.add("GET", "/api/honour-rounds/{id}/anomalies", Access::authenticated,
        [hs](Call& c) { return api::ok(hs->anomalies(c.who(), c.id_param("id"))); });
  r.add("POST", "/api/honour-rounds/{id}/void", Access::authenticated, [hs](Call& c) {
    return api::ok(hs->void_votes(c.who(), c.actor(), c.id_param("id"), c.req.body));
  });
}

}  // namespace xh::events
