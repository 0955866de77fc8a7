// HTTP ↔ resident commands: /api/residents.
#include <boost/json.hpp>

#include "api/export.h"
#include "api/module.h"
#include "api/scope.h"
#include "core/error.h"
#include "core/json_input.h"
#include "people/people.h"

namespace xh::people {

namespace json = boost::json;
using api::Call;
using api::created;
using api::ExportColumn;
using api::label_list;
using api::list_response;
using api::ok;
using http::Access;

namespace {

const std::vector<ExportColumn>& resident_columns() {
  static const std::vector<ExportColumn> cols = {
      {"id", "编号", "ID"},
      {"name", "姓名", "Name"},
      {"gender", "性别", "Gender", &people::gender_labels()},
      {"birth_date", "出生日期", "Date of birth"},
      {"id_number", "身份证号", "National ID"},
      {"phone", "手机号", "Phone"},
      {"household_names", "所在户", "Households"},
      {"tags", "特殊关怀", "Special care"}};
  return cols;
}

http::Response one(people::Services& ps, Call& c, const people::Resident& r) {
  return ok(people::to_json(r, c.who(), people::helper_of(ps.db, c.who())));
}

}  // namespace

void add_resident_routes(api::Router& r, api::Context& s) {
  auto ps = std::make_shared<people::Services>(people::Services{s.db, s.cipher});

  r.add("GET", "/api/care-tags", Access::authenticated, [](Call&) {
    return ok(json::object{{"items", json::array(people::care_tags().begin(), people::care_tags().end())}});
  });

  r.add("GET", "/api/residents", Access::authenticated, [ps](Call& c) {
    people::ListQuery q;
    q.household_id = c.query_id("household_id");
    q.under_id = c.query_id("under_id");
    q.q = c.query("q");
    q.tag = c.query("tag");
    q.sort = c.query("sort").value_or("id");
    q.limit = c.page().limit;
    q.offset = c.page().offset;
    auto res = people::list(*ps, c.who(), q);
    auto helpers = people::helper_of(ps->db, c.who());
    json::array items;
    for (const auto& res_item : res.items) {
      auto o = people::to_json(res_item, c.who(), helpers);
      json::array names;
      for (const auto& h : o["households"].as_array()) names.push_back(h.at("household_name"));
      o["household_names"] = names;
      items.push_back(std::move(o));
    }
    return list_response(c, std::move(items), res.total, resident_columns(), "residents");
  }, {.exports = api::Export::yes});

  r.add("POST", "/api/residents", Access::authenticated, [ps](Call& c) {
    JsonInput in(c.req.body, {"name", "id_number", "phone", "household_id", "relation", "tags"});
    people::NewResident n{{in.str("name", 50), in.opt_str("id_number", 18), in.opt_str("phone", 20)},
                          in.i64("household_id"),
                          in.str("relation", 10),
                          in.opt_str_array("tags", 10, 20).value_or(std::vector<std::string>{})};
    auto res = people::create(*ps, c.who(), c.actor(), n);
    auto out = one(*ps, c, res);
    out.status = 201;
    return out;
  });

  r.add("GET", "/api/residents/{id}", Access::authenticated, [ps](Call& c) {
    return one(*ps, c, people::get(*ps, c.who(), c.id_param("id")));
  });

  r.add("PATCH", "/api/residents/{id}", Access::authenticated, [ps](Call& c) {
    JsonInput in(c.req.body, {"name", "id_number", "phone"});
    return one(*ps, c, people::update(*ps, c.who(), c.actor(), c.id_param("id"),
                                      {in.opt_str("name", 50), in.opt_str("id_number", 18),
                                       in.opt_str("phone", 20)}));
  });

  r.add("PUT", "/api/residents/{id}/tags", Access::authenticated, [ps](Call& c) {
    JsonInput in(c.req.body, {"tags"});
    auto tags = in.opt_str_array("tags", 10, 20);
    if (!tags) throw unprocessable("request.missing_field", "tags");
    return one(*ps, c, people::set_tags(*ps, c.who(), c.actor(), c.id_param("id"), *tags));
  });

  r.add("POST", "/api/residents/{id}/households", Access::authenticated, [ps](Call& c) {
    JsonInput in(c.req.body, {"household_id", "relation"});
    return one(*ps, c, people::add_membership(*ps, c.who(), c.actor(), c.id_param("id"),
                                              in.i64("household_id"), in.str("relation", 10)));
  });

  r.add("DELETE", "/api/residents/{id}/households/{household_id}", Access::authenticated,
        [ps](Call& c) {
          return one(*ps, c, people::remove_membership(*ps, c.who(), c.actor(), c.id_param("id"),
                                                       c.id_param("household_id")));
        });

  r.add("POST", "/api/residents/{id}/consents", Access::authenticated, [ps](Call& c) {
    JsonInput in(c.req.body, {"kind", "granted"});
    return one(*ps, c, people::record_consent(*ps, c.who(), c.actor(), c.id_param("id"),
                                              in.str("kind", 40), in.boolean("granted")));
  });

  r.add("POST", "/api/residents/{id}/helpers", Access::authenticated, [ps](Call& c) {
    JsonInput in(c.req.body, {"user_id"});
    return one(*ps, c, people::add_helper(*ps, c.who(), c.actor(), c.id_param("id"), in.i64("user_id")));
  });
}

}  // namespace xh::people
