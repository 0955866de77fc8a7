// HTTP ↔ the owners' votes: /api/owner-votes, /api/roll-marks.
#include <boost/json.hpp>

#include "api/export.h"
#include "api/module.h"
#include "core/error.h"
#include "votes/owner_votes.h"

namespace xh::votes {

using api::Call;
using http::Access;

// The units not yet voted, as a building leader prints them to knock on doors.
const std::vector<api::ExportColumn>& pending_columns() {
  static const std::vector<api::ExportColumn> cols = {{"building", "楼栋", "Building"},
                                                      {"unit", "单元", "Unit"},
                                                      {"household", "房屋", "Household"},
                                                      {"owners", "业主", "Owners"}};
  return cols;
}

void add_routes(api::Router& r, std::shared_ptr<const OwnerVotes> votes) {
  r.add("GET", "/api/owner-votes", Access::authenticated, [votes](Call& c) {
    VoteQuery q{c.query_id("place_id"), c.query("status"),
                {c.query_int("limit", 100, 1, 100), c.query_int("offset", 0, 0, 1000000)}};
    if (q.status && *q.status != "draft" && *q.status != "open" && *q.status != "closed")
      throw bad_request("request.bad_query", "status");
    return api::ok(votes->list(c.who(), q, c.lang));
  });
  r.add("POST", "/api/owner-votes", Access::authenticated,
        [votes](Call& c) { return api::created(votes->create(c.who(), c.actor(), c.req.body, c.lang)); });
  r.add("GET", "/api/owner-votes/{id}", Access::authenticated,
        [votes](Call& c) { return api::ok(votes->get(c.who(), c.id_param("id"), c.lang)); });
  r.add("POST", "/api/owner-votes/{id}/open", Access::authenticated,
        [votes](Call& c) { return api::ok(votes->open(c.who(), c.actor(), c.id_param("id"), c.lang)); });
  r.add("POST", "/api/owner-votes/{id}/ballot", Access::authenticated, [votes](Call& c) {
    return api::ok(votes->ballot(c.who(), c.actor(), c.id_param("id"), c.req.body, c.lang));
  });
  r.add("POST", "/api/owner-votes/{id}/close", Access::authenticated,
        [votes](Call& c) { return api::ok(votes->close(c.who(), c.actor(), c.id_param("id"), c.lang)); });
  r.add("GET", "/api/owner-votes/{id}/pending", Access::authenticated, [votes](Call& c) {
    auto id = c.id_param("id");
    auto building = c.query_id("building_id");
    return api::list_response(c, [&](const api::Page& page) { return votes->pending(c.who(), id, building, page); },
                              pending_columns(), "owner-vote-pending");
  }, {.exports = api::Export::yes});
  r.add("GET", "/api/owner-votes/{id}/receipts", Access::authenticated,
        [votes](Call& c) { return api::ok(votes->receipts(c.who(), c.id_param("id"))); });
  r.add("GET", "/api/owner-votes/{id}/result.pdf", Access::authenticated, [votes](Call& c) {
    auto file = votes->result_pdf(c.who(), c.id_param("id"));
    auto res = http::Response::text(200, std::move(file.bytes), "application/pdf");
    res.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + file.name + "\"");
    return res;
  });
  r.add("GET", "/api/owner-votes/{id}/paper", Access::authenticated,
        [votes](Call& c) { return api::ok(votes->entries(c.who(), c.id_param("id"))); });
  r.add("POST", "/api/owner-votes/{id}/paper", Access::authenticated,
        [votes](Call& c) { return api::created(votes->enter(c.who(), c.actor(), c.id_param("id"), c.req.body)); });
  r.add("POST", "/api/owner-votes/{id}/paper/{entry}/confirm", Access::authenticated, [votes](Call& c) {
    return api::ok(votes->confirm(c.who(), c.actor(), c.id_param("id"), c.id_param("entry"), c.req.body));
  });
  r.add("PUT", "/api/roll-marks/{household}", Access::authenticated, [votes](Call& c) {
    return api::ok(votes->mark(c.who(), c.actor(), c.id_param("household"), c.req.body));
  });
}

}  // namespace xh::votes
