// HTTP ↔ the volunteers: /api/volunteers, /api/volunteer-teams,
// /api/party-branches, /api/activities, /api/activity-occurrences,
// /api/activity-signups, /api/calendar-feeds and the feeds themselves.
#include <boost/json.hpp>

#include "api/export.h"
#include "api/module.h"
#include "core/error.h"
#include "volunteers/activities.h"
#include "volunteers/care.h"
#include "volunteers/patrols.h"
#include "volunteers/rules.h"
#include "volunteers/volunteers.h"

namespace xh::volunteers {

namespace json = boost::json;
using api::Call;
using http::Access;

namespace {

const std::vector<api::ExportColumn>& volunteer_columns() {
  static const std::vector<api::ExportColumn> cols = {
      {"id", "编号", "ID"},
      {"name", "姓名", "Name"},
      {"status", "状态", "Status", &volunteer_statuses()},
      {"availability", "可服务时间", "Availability"},
      {"confirmed_minutes", "已确认服务时长（分钟）", "Confirmed minutes"},
      {"registered_at", "报到时间", "Registered"}};
  return cols;
}

const std::vector<api::ExportColumn>& report_columns() {
  static const std::vector<api::ExportColumn> cols = {
      {"name", "党组织", "Party branch"},
      {"org", "合伙人单位", "Partner"},
      {"community", "报到社区", "Community"},
      {"members", "报到党员", "Members"},
      {"serving", "参与服务党员", "Members serving"},
      {"activities", "参与活动", "Activities"},
      {"minutes", "服务时长（分钟）", "Minutes"}};
  return cols;
}

http::Response file_response(File f, bool attachment) {
  auto res = http::Response::text(200, std::move(f.bytes), f.type);
  res.headers.emplace_back(
      "Content-Disposition",
      std::string(attachment ? "attachment" : "inline") + "; filename=\"" + f.name + "\"");
  res.headers.emplace_back("Cache-Control", "no-store");
  return res;
}

}  // namespace

void add_routes(api::Router& r, std::shared_ptr<const Volunteers> vs,
                std::shared_ptr<const Activities> as) {
  // ---- volunteers ----
  r.add("POST", "/api/volunteers", Access::authenticated, [vs](Call& c) {
    return api::created(vs->register_self(c.who(), c.actor(), c.req.body, c.lang));
  });
  r.add("GET", "/api/volunteers/me", Access::authenticated,
        [vs](Call& c) { return api::ok(vs->mine(c.who(), c.lang)); });
  r.add("GET", "/api/volunteers/me/signups", Access::authenticated,
        [as](Call& c) { return api::ok(as->my_signups(c.who(), c.lang)); });
  r.add("GET", "/api/volunteers", Access::authenticated,
        [vs](Call& c) {
          VolunteerQuery q{c.query("status"),     c.query_id("community_id"),
                           c.query_id("team_id"), c.query_id("branch_id"),
                           c.query("q"),          {}};
          return list_response(
              c,
              [&](const api::Page& page) {
                q.page = page;
                return vs->list(c.who(), q, c.lang);
              },
              volunteer_columns(), "volunteers");
        },
        {.exports = api::Export::yes});
  r.add("GET", "/api/volunteers/{id}", Access::authenticated,
        [vs](Call& c) { return api::ok(vs->get(c.who(), c.id_param("id"), c.lang)); });
  r.add("POST", "/api/volunteers/{id}/review", Access::authenticated, [vs](Call& c) {
    return api::ok(vs->review(c.who(), c.actor(), c.id_param("id"), c.req.body, c.lang));
  });
  r.add("GET", "/api/volunteers/{id}/record", Access::authenticated,
        [as](Call& c) { return api::ok(as->record(c.who(), c.id_param("id"), c.lang)); });
  r.add("GET", "/api/volunteers/{id}/certificate.pdf", Access::authenticated,
        [as](Call& c) { return file_response(as->certificate(c.who(), c.id_param("id")), true); });

  // ---- teams ----
  r.add("GET", "/api/volunteer-teams", Access::authenticated, [vs](Call& c) {
    auto page = vs->teams(c.who(), c.query_id("place_id"), c.page(), c.lang);
    return api::list(std::move(page.items), page.total);
  });
  r.add("POST", "/api/volunteer-teams", Access::authenticated, [vs](Call& c) {
    return api::created(vs->create_team(c.who(), c.actor(), c.req.body, c.lang));
  });
  r.add("GET", "/api/volunteer-teams/{id}", Access::authenticated,
        [vs](Call& c) { return api::ok(vs->team(c.who(), c.id_param("id"), c.lang)); });
  r.add("PATCH", "/api/volunteer-teams/{id}", Access::authenticated, [vs](Call& c) {
    return api::ok(vs->update_team(c.who(), c.actor(), c.id_param("id"), c.req.body, c.lang));
  });
  r.add("POST", "/api/volunteer-teams/{id}/members", Access::authenticated, [vs](Call& c) {
    return api::ok(vs->add_member(c.who(), c.actor(), c.id_param("id"), c.req.body, c.lang));
  });
  r.add("DELETE", "/api/volunteer-teams/{id}/members/{volunteer}", Access::authenticated,
        [vs](Call& c) {
          return api::ok(vs->remove_member(c.who(), c.actor(), c.id_param("id"),
                                           c.id_param("volunteer"), c.lang));
        });

  // ---- 双报到 ----
  r.add("GET", "/api/party-branches", Access::authenticated, [vs](Call& c) {
    auto page = vs->branches(c.who(), c.page(), c.lang);
    return api::list(std::move(page.items), page.total);
  });
  r.add("POST", "/api/party-branches", Access::authenticated, [vs](Call& c) {
    return api::created(vs->register_branch(c.who(), c.actor(), c.req.body, c.lang));
  });
  r.add(
      "GET", "/api/party-branches/report", Access::authenticated,
      [vs](Call& c) {
        auto month = c.query("month");
        if (!month) throw bad_request("request.bad_query", "month");
        return list_response(
            c,
            [&](const api::Page& page) { return vs->branch_report(c.who(), *month, page, c.lang); },
            report_columns(), "party-branches");
      },
      {.exports = api::Export::yes});

  // ---- activities ----
  r.add("GET", "/api/activities", Access::authenticated, [as](Call& c) {
    auto page =
        as->list(c.who(), {c.query_id("place_id"), c.query_id("team_id"), c.page()}, c.lang);
    return api::list(std::move(page.items), page.total);
  });
  r.add("POST", "/api/activities", Access::authenticated,
        [as](Call& c) { return api::created(as->create(c.who(), c.actor(), c.req.body, c.lang)); });
  r.add("GET", "/api/activities/{id}", Access::authenticated,
        [as](Call& c) { return api::ok(as->get(c.who(), c.id_param("id"), c.lang)); });
  r.add("POST", "/api/activities/{id}/cancel", Access::authenticated, [as](Call& c) {
    return api::ok(as->cancel(c.who(), c.actor(), c.id_param("id"), c.req.body, c.lang));
  });
  r.add("POST", "/api/activities/{id}/signups", Access::authenticated, [as](Call& c) {
    return api::created(as->sign_up(c.who(), c.actor(), c.id_param("id"), c.req.body, c.lang));
  });
  r.add("GET", "/api/activity-occurrences", Access::authenticated, [as](Call& c) {
    Millis now = now_ms();
    auto from = c.query_time("from").value_or(now - kDay);
    auto to = c.query_time("to").value_or(from + 14 * kDay);
    return api::ok(json::object{{"items", as->occurrences(c.who(), from, to, c.query_bool("mine"),
                                                          c.query_id("team_id"), c.lang)}});
  });
  r.add("GET", "/api/activity-occurrences/{id}", Access::authenticated,
        [as](Call& c) { return api::ok(as->occurrence(c.who(), c.id_param("id"), c.lang)); });
  r.add("GET", "/api/activity-occurrences/{id}/code", Access::authenticated,
        [as](Call& c) { return api::ok(as->leader_code(c.who(), c.id_param("id"))); });
  r.add("POST", "/api/activity-occurrences/{id}/check", Access::authenticated, [as](Call& c) {
    return api::ok(as->check(c.who(), c.actor(), c.id_param("id"), c.req.body, c.lang));
  });
  r.add("POST", "/api/activity-occurrences/{id}/scan", Access::authenticated, [as](Call& c) {
    return api::ok(as->scan(c.who(), c.actor(), c.id_param("id"), c.req.body, c.lang));
  });
  r.add("DELETE", "/api/activity-signups/{id}", Access::authenticated, [as](Call& c) {
    return api::ok(as->withdraw(c.who(), c.actor(), c.id_param("id"), c.lang));
  });
  r.add("GET", "/api/activity-signups/{id}/token", Access::authenticated,
        [as](Call& c) { return api::ok(as->my_code(c.who(), c.id_param("id"))); });
  r.add("POST", "/api/activity-signups/{id}/close", Access::authenticated, [as](Call& c) {
    return api::ok(as->close(c.who(), c.actor(), c.id_param("id"), c.req.body, c.lang));
  });
  r.add("POST", "/api/activity-signups/{id}/confirm", Access::authenticated, [as](Call& c) {
    return api::ok(as->confirm(c.who(), c.actor(), c.id_param("id"), c.req.body, c.lang));
  });

  // ---- calendars ----
  r.add("GET", "/api/calendar-feeds", Access::authenticated,
        [as](Call& c) { return api::ok(as->feeds(c.who())); });
  r.add("POST", "/api/calendar-feeds", Access::authenticated,
        [as](Call& c) { return api::created(as->create_feed(c.who(), c.actor(), c.req.body)); });
  r.add("DELETE", "/api/calendar-feeds/{id}", Access::authenticated, [as](Call& c) {
    as->revoke_feed(c.who(), c.actor(), c.id_param("id"));
    return api::ok(json::object{{"ok", true}});
  });
  // The calendar app's request carries no session: the secret token is the
  // credential.
  r.add("GET", "/api/calendars/{token}/calendar.ics", Access::public_route,
        [as](Call& c) { return file_response(as->feed(c.params.get("token")), false); });
}

void add_patrol_routes(api::Router& r, std::shared_ptr<const Patrols> ps) {
  r.add("GET", "/api/patrol-routes", Access::authenticated, [ps](Call& c) {
    auto page = ps->routes(c.who(), c.query_id("team_id"), c.page(), c.lang);
    return api::list(std::move(page.items), page.total);
  });
  r.add("POST", "/api/patrol-routes", Access::authenticated, [ps](Call& c) {
    return api::created(ps->create_route(c.who(), c.actor(), c.req.body, c.lang));
  });
  r.add("GET", "/api/patrol-routes/{id}", Access::authenticated,
        [ps](Call& c) { return api::ok(ps->route(c.who(), c.id_param("id"), c.lang)); });
  r.add("PATCH", "/api/patrol-routes/{id}", Access::authenticated, [ps](Call& c) {
    return api::ok(ps->update_route(c.who(), c.actor(), c.id_param("id"), c.req.body, c.lang));
  });
  r.add("GET", "/api/patrol-routes/{id}/plates.pdf", Access::authenticated, [ps](Call& c) {
    return file_response(ps->plates(c.who(), c.id_param("id")), true);
  });
  r.add("POST", "/api/patrols", Access::authenticated,
        [ps](Call& c) { return api::created(ps->start(c.who(), c.actor(), c.req.body, c.lang)); });
  r.add("GET", "/api/patrols/{id}", Access::authenticated,
        [ps](Call& c) { return api::ok(ps->patrol(c.who(), c.id_param("id"), c.lang)); });
  r.add("POST", "/api/patrols/{id}/scans", Access::authenticated, [ps](Call& c) {
    return api::ok(ps->scan(c.who(), c.actor(), c.id_param("id"), c.req.body, c.lang));
  });
  r.add("POST", "/api/patrols/{id}/finish", Access::authenticated, [ps](Call& c) {
    return api::ok(ps->finish(c.who(), c.actor(), c.id_param("id"), c.lang));
  });
  r.add("POST", "/api/patrols/{id}/findings", Access::authenticated, [ps](Call& c) {
    return api::created(ps->find(c.who(), c.actor(), c.id_param("id"), c.req.body, c.lang));
  });
}

void add_care_routes(api::Router& r, std::shared_ptr<const Wishes> ws,
                     std::shared_ptr<const HomeServices> hs, std::shared_ptr<const Stewards> ss) {
  // ---- micro-wishes ----
  r.add("GET", "/api/wishes", Access::authenticated, [ws](Call& c) {
    auto page = ws->list(c.who(), c.query("status"), c.query_bool("mine"), c.page(), c.lang);
    return api::list(std::move(page.items), page.total);
  });
  r.add("POST", "/api/wishes", Access::authenticated,
        [ws](Call& c) { return api::created(ws->post(c.who(), c.actor(), c.req.body, c.lang)); });
  r.add("GET", "/api/wishes/{id}", Access::authenticated,
        [ws](Call& c) { return api::ok(ws->get(c.who(), c.id_param("id"), c.lang)); });
  r.add("POST", "/api/wishes/{id}/review", Access::authenticated, [ws](Call& c) {
    return api::ok(ws->review(c.who(), c.actor(), c.id_param("id"), c.req.body, c.lang));
  });
  r.add("POST", "/api/wishes/{id}/claim", Access::authenticated, [ws](Call& c) {
    return api::ok(ws->claim(c.who(), c.actor(), c.id_param("id"), c.req.body, c.lang));
  });
  r.add("POST", "/api/wishes/{id}/release", Access::authenticated, [ws](Call& c) {
    return api::ok(ws->release(c.who(), c.actor(), c.id_param("id"), c.lang));
  });
  r.add("POST", "/api/wishes/{id}/fulfil", Access::authenticated, [ws](Call& c) {
    return api::ok(ws->fulfil(c.who(), c.actor(), c.id_param("id"), c.req.body, c.lang));
  });
  r.add("POST", "/api/wishes/{id}/confirm", Access::authenticated, [ws](Call& c) {
    return api::ok(ws->confirm(c.who(), c.actor(), c.id_param("id"), c.lang));
  });
  r.add("POST", "/api/wishes/{id}/thanks", Access::authenticated, [ws](Call& c) {
    return api::ok(ws->thank(c.who(), c.actor(), c.id_param("id"), c.req.body, c.lang));
  });

  // ---- home services ----
  r.add("GET", "/api/home-services", Access::authenticated, [hs](Call& c) {
    auto page = hs->list(c.who(), c.query("status"), c.page(), c.lang);
    return api::list(std::move(page.items), page.total);
  });
  r.add("POST", "/api/home-services", Access::authenticated,
        [hs](Call& c) { return api::created(hs->request(c.who(), c.actor(), c.req.body, c.lang)); });
  r.add("GET", "/api/home-services/{id}", Access::authenticated,
        [hs](Call& c) { return api::ok(hs->get(c.who(), c.id_param("id"), c.lang)); });
  r.add("POST", "/api/home-services/{id}/assign", Access::authenticated, [hs](Call& c) {
    return api::ok(hs->assign(c.who(), c.actor(), c.id_param("id"), c.req.body, c.lang));
  });
  r.add("POST", "/api/home-services/{id}/done", Access::authenticated, [hs](Call& c) {
    return api::ok(hs->done(c.who(), c.actor(), c.id_param("id"), c.req.body, c.lang));
  });
  r.add("POST", "/api/home-services/{id}/rating", Access::authenticated, [hs](Call& c) {
    return api::ok(hs->rate(c.who(), c.actor(), c.id_param("id"), c.req.body, c.lang));
  });
  r.add("POST", "/api/home-services/{id}/cancel", Access::authenticated, [hs](Call& c) {
    return api::ok(hs->cancel(c.who(), c.actor(), c.id_param("id"), c.req.body, c.lang));
  });
  r.add("GET", "/api/home-visit-plans", Access::authenticated,
        [hs](Call& c) { return api::ok(hs->plans(c.who(), c.lang)); });
  r.add("POST", "/api/home-visit-plans", Access::authenticated,
        [hs](Call& c) { return api::created(hs->plan(c.who(), c.actor(), c.req.body, c.lang)); });

  // ---- stewards ----
  r.add("GET", "/api/stewards", Access::authenticated, [ss](Call& c) {
    auto page = ss->list(c.who(), c.query_id("place_id"), c.page(), c.lang);
    return api::list(std::move(page.items), page.total);
  });
  r.add("POST", "/api/stewards", Access::authenticated,
        [ss](Call& c) { return api::created(ss->assign(c.who(), c.actor(), c.req.body, c.lang)); });
  r.add("DELETE", "/api/stewards/{id}", Access::authenticated, [ss](Call& c) {
    ss->remove(c.who(), c.actor(), c.id_param("id"));
    return api::ok(json::object{{"ok", true}});
  });
  r.add("GET", "/api/stewards/mine", Access::authenticated,
        [ss](Call& c) { return api::ok(ss->mine(c.who(), c.lang)); });
  r.add("GET", "/api/stewards/work", Access::authenticated,
        [ss](Call& c) { return api::ok(ss->work(c.who(), c.lang)); });
  r.add("POST", "/api/stewards/{id}/messages", Access::authenticated, [ss](Call& c) {
    return api::created(ss->message(c.who(), c.actor(), c.id_param("id"), c.req.body, c.lang));
  });
}

}  // namespace xh::volunteers
