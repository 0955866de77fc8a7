// 红管家 stewards (VOL-6): see care.h.
#include <boost/json.hpp>

#include "api/list.h"
#include "api/scope.h"
#include "audit/audit.h"
#include "core/error.h"
#include "core/json_input.h"
#include "core/json_output.h"
#include "volunteers/care.h"
#include "volunteers/care_store.h"
#include "volunteers/store.h"

namespace xh::volunteers {

namespace json = boost::json;
using storage::Row;
using storage::Tx;

namespace {

json::object steward_view(const Row& s) {
  return {{"id", s.i64("id")},
          {"user_id", s.i64("user_id")},
          {"name", s.str("name")},
          {"building", {{"id", s.i64("building_id")}, {"name", s.str("building_name")}}},
          {"assigned_at", iso8601(s.i64("created_at"))}};
}

// The stewards of the buildings the user lives in.
storage::Rows stewards_of_resident(Tx& tx, std::int64_t user_id) {
  return tx.query(
      "SELECT DISTINCT s.id FROM stewards s JOIN places b ON b.id = s.building_id JOIN "
      "household_members m ON m.path LIKE b.path || '%' JOIN residents r ON r.id = m.resident_id "
      "WHERE r.user_id = $1 ORDER BY s.id",
      user_id);
}

}  // namespace

json::object Stewards::assign(const api::Principal& p, const api::Actor& actor,
                              const std::string& body, Lang) const {
  JsonInput in(body, {"building_id", "user_id"});
  auto building_id = in.i64("building_id");
  auto user_id = in.i64("user_id");
  return db_.write([&](Tx& tx) {
    auto b = store::place(tx, building_id);
    if (!b || b->str("kind") != "building")
      throw unprocessable("steward.bad_building", "building_id");
    api::require_in_scope(p, "steward.manage", b->str("path"));
    if (!store::is_building_leader(tx, user_id) && !store::is_org_contact(tx, user_id))
      throw unprocessable("steward.bad_user", "user_id");
    auto r = tx.query_one(
        "INSERT INTO stewards (building_id, path, user_id, assigned_by, created_at) VALUES ($1, "
        "$2, $3, $4, $5) ON CONFLICT (building_id, user_id) DO NOTHING RETURNING id",
        building_id, b->str("path"), user_id, p.user_id, now_ms());
    if (!r) throw conflict("steward.exists");
    audit::append(
        tx, actor,
        {"steward.assign", "steward", std::to_string(r->i64("id")), std::nullopt,
         json::serialize(json::object{{"building_id", building_id}, {"user_id", user_id}})});
    Row s = *store::steward(tx, r->i64("id"));
    events_.emit(
        tx,
        {"steward.changed", "steward", s.i64("id"), actor, s.str("path"), std::nullopt,
         json::object{{"what", "assigned"},
                      {"notify", json::array{{{"user_id", user_id},
                                              {"kind", "steward.assigned"},
                                              {"text", "steward.notice.assigned"},
                                              {"params", {{"building", s.str("building_name")}}},
                                              {"subject_type", "steward"},
                                              {"subject_id", s.i64("id")}}}}}});
    return steward_view(s);
  });
}

void Stewards::remove(const api::Principal& p, const api::Actor& actor, std::int64_t id) const {
  db_.write([&](Tx& tx) {
    auto s = store::steward(tx, id);
    if (!s || !api::in_scope(p, "steward.manage", s->str("path")))
      throw not_found("steward.not_found");
    tx.exec("DELETE FROM stewards WHERE id = $1", id);
    audit::append(tx, actor, {"steward.remove", "steward", std::to_string(id), std::nullopt, "{}"});
  });
}

api::Listed Stewards::list(const api::Principal& p, std::optional<std::int64_t> place_id,
                           const api::Page& page, Lang) const {
  return db_.read([&](Tx& tx) {
    api::ListQuery l("stewards s");
    l.scope(p, "steward.manage", {"s.path"});
    if (place_id) {
      auto pl = store::place(tx, *place_id);
      if (!pl) throw bad_request("request.bad_query", "place_id");
      l.under("s.path", pl->str("path"));
    }
    l.sort({{"id", "s.id"}}, std::nullopt, "id").page(page);
    auto found = l.rows(tx, "s.id");
    json::array items;
    for (const auto& r : found.rows)
      items.push_back(steward_view(*store::steward(tx, r.i64("id"))));
    return api::Listed{std::move(items), found.total};
  });
}

json::object Stewards::mine(const api::Principal& p, Lang) const {
  return db_.read([&](Tx& tx) {
    json::array items;
    for (const auto& r : stewards_of_resident(tx, p.user_id))
      items.push_back(steward_view(*store::steward(tx, r.i64("id"))));
    return json::object{{"items", std::move(items)}};
  });
}

json::object Stewards::message(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                               const std::string& body, Lang) const {
  JsonInput in(body, {"text"});
  auto text = in.str("text", 500);
  if (text.empty()) throw unprocessable("request.missing_field", "text");
  return db_.write([&](Tx& tx) {
    bool mine = false;
    for (const auto& r : stewards_of_resident(tx, p.user_id)) mine = mine || r.i64("id") == id;
    if (!mine) throw not_found("steward.not_found");
    Row s = *store::steward(tx, id);
    // Who writes, and from which home: the steward answers in person.
    auto home = tx.query_one(
        "SELECT h.id FROM household_members m JOIN residents r ON r.id = m.resident_id JOIN "
        "places h ON h.id = m.household_id WHERE r.user_id = $1 AND h.path LIKE $2 || '%' ORDER "
        "BY m.id LIMIT 1",
        p.user_id, s.str("path"));
    std::string from = p.display_name;
    std::string address = home ? store::address_of(tx, home->i64("id")) : s.str("building_name");
    audit::append(tx, actor,
                  {"steward.message", "steward", std::to_string(id), std::nullopt, "{}"});
    events_.emit(
        tx, {"steward.changed", "steward", id, actor, s.str("path"), std::nullopt,
             json::object{
                 {"what", "message"},
                 {"notify",
                  json::array{{{"user_id", s.i64("user_id")},
                               {"kind", "steward.message"},
                               {"text", "steward.notice.message"},
                               {"params", {{"from", from}, {"address", address}, {"text", text}}},
                               {"subject_type", "steward"},
                               {"subject_id", id}}}}}});
    return json::object{{"sent", true}};
  });
}

json::object Stewards::work(const api::Principal& p, Lang) const {
  return db_.read([&](Tx& tx) {
    json::array buildings, orders, services;
    for (const auto& b : tx.query(
             "SELECT s.id, b.id AS building_id, b.name, b.path FROM stewards s JOIN places b ON "
             "b.id = s.building_id WHERE s.user_id = $1 ORDER BY b.id",
             p.user_id)) {
      buildings.push_back({{"id", b.i64("building_id")}, {"name", b.str("name")}});
      std::string end = api::subtree_end(b.str("path"));
      for (const auto& o : tx.query(
               "SELECT id, category, status, text, created_at, deadline_at FROM work_orders WHERE "
               "path >= $1 AND path < $2 AND status NOT IN ('verified','closed','rejected') ORDER "
               "BY id DESC LIMIT 50",
               b.str("path"), end))
        orders.push_back({{"id", o.i64("id")},
                          {"building", b.str("name")},
                          {"category", o.str("category")},
                          {"status", o.str("status")},
                          {"text", o.str("text")},
                          {"created_at", iso8601(o.i64("created_at"))},
                          {"deadline_at", iso8601(o.i64("deadline_at"))}});
      for (const auto& h : tx.query(
               "SELECT id, kind, status, household_id, created_at FROM home_services WHERE path >= "
               "$1 AND path < $2 AND status IN ('requested','assigned') ORDER BY id DESC LIMIT 50",
               b.str("path"), end))
        services.push_back({{"id", h.i64("id")},
                            {"building", b.str("name")},
                            {"kind", h.str("kind")},
                            {"status", h.str("status")},
                            {"address", store::address_of(tx, h.i64("household_id"))},
                            {"created_at", iso8601(h.i64("created_at"))}});
    }
    return json::object{{"buildings", std::move(buildings)},
                        {"orders", std::move(orders)},
                        {"services", std::move(services)}};
  });
}

}  // namespace xh::volunteers
