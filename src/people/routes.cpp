// HTTP ↔ the resident commands: /api/residents, /api/care-tags.
#include <boost/json.hpp>

#include "api/export.h"
#include "api/module.h"
#include "core/error.h"
#include "core/json_input.h"
#include "people/people.h"

namespace xh::people {

namespace json = boost::json;
using api::Call;
using http::Access;

const std::vector<api::ExportColumn>& resident_columns() {
  static const std::vector<api::ExportColumn> cols = {
      {"id", "编号", "ID"},
      {"name", "姓名", "Name"},
      {"gender", "性别", "Gender", &gender_labels()},
      {"birth_date", "出生日期", "Date of birth"},
      {"id_number", "身份证号", "National ID"},
      {"phone", "手机号", "Phone"},
      {"household_names", "所在户", "Households"},
      {"tags", "特殊关怀", "Special care"}};
  return cols;
}

void add_routes(api::Router& r, std::shared_ptr<const People> people) {
  r.add("GET", "/api/care-tags", Access::authenticated, [](Call&) {
    return api::ok(json::object{{"items", json::array(care_tags().begin(), care_tags().end())}});
  });

  r.add("GET", "/api/residents", Access::authenticated, [people](Call& c) {
    ResidentQuery q;
    q.household_id = c.query_id("household_id");
    q.under_id = c.query_id("under_id");
    q.q = c.query("q");
    q.tag = c.query("tag");
    q.sort = c.query("sort");
    q.archived = c.query("archived").value_or("") == "true";
    return list_response(c, [&](const api::Page& page) {
      q.page = page;
      return people->list(c.who(), q);
    }, resident_columns(), "residents");
  }, {.exports = api::Export::yes});

  r.add("POST", "/api/residents", Access::authenticated, [people](Call& c) {
    JsonInput in(c.req.body, {"name", "id_number", "phone", "household_id", "relation", "tags"});
    NewResident n{{in.str("name", 50), in.opt_str("id_number", 18), in.opt_str("phone", 20)},
                  in.i64("household_id"),
                  in.str("relation", 10),
                  in.opt_str_array("tags", 10, 20).value_or(std::vector<std::string>{})};
    return api::created(people->create(c.who(), c.actor(), n));
  });

  r.add("GET", "/api/residents/{id}", Access::authenticated, [people](Call& c) {
    return api::ok(people->get(c.who(), c.id_param("id")));
  });

  r.add("PATCH", "/api/residents/{id}", Access::authenticated, [people](Call& c) {
    JsonInput in(c.req.body, {"name", "id_number", "phone"});
    return api::ok(people->update(c.who(), c.actor(), c.id_param("id"),
                                  {in.opt_str("name", 50), in.opt_str("id_number", 18),
                                   in.opt_str("phone", 20)}));
  });

  r.add("PUT", "/api/residents/{id}/tags", Access::authenticated, [people](Call& c) {
    JsonInput in(c.req.body, {"tags"});
    auto tags = in.opt_str_array("tags", 10, 20);
    if (!tags) throw unprocessable("request.missing_field", "tags");
    return api::ok(people->set_tags(c.who(), c.actor(), c.id_param("id"), *tags));
  });

  r.add("POST", "/api/residents/{id}/households", Access::authenticated, [people](Call& c) {
    JsonInput in(c.req.body, {"household_id", "relation"});
    return api::ok(people->add_membership(c.who(), c.actor(), c.id_param("id"),
                                          in.i64("household_id"), in.str("relation", 10)));
  });

  r.add("DELETE", "/api/residents/{id}/households/{household_id}", Access::authenticated,
        [people](Call& c) {
          return api::ok(people->remove_membership(c.who(), c.actor(), c.id_param("id"),
                                                   c.id_param("household_id")));
        });

  r.add("POST", "/api/residents/{id}/archive", Access::authenticated, [people](Call& c) {
    return api::ok(people->archive(c.who(), c.actor(), c.id_param("id")));
  });

  r.add("POST", "/api/residents/{id}/restore", Access::authenticated, [people](Call& c) {
    return api::ok(people->restore(c.who(), c.actor(), c.id_param("id")));
  });

  // One route for both: the body says whether consent is given or withdrawn.
  r.add("POST", "/api/residents/{id}/consents", Access::authenticated, [people](Call& c) {
    JsonInput in(c.req.body, {"kind", "granted"});
    auto kind = in.str("kind", 40);
    bool granted = in.boolean("granted");
    auto id = c.id_param("id");
    return api::ok(granted ? people->grant_consent(c.who(), c.actor(), id, kind)
                           : people->withdraw_consent(c.who(), c.actor(), id, kind));
  });

  r.add("POST", "/api/residents/{id}/helpers", Access::authenticated, [people](Call& c) {
    JsonInput in(c.req.body, {"user_id"});
    return api::ok(people->add_helper(c.who(), c.actor(), c.id_param("id"), in.i64("user_id")));
  });
}

}  // namespace xh::people
