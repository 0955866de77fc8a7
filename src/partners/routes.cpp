// HTTP ↔ partner commands: /api/partners, /api/needs, /api/resources, /api/projects.
#include <boost/json.hpp>

#include "api/export.h"
#include "api/module.h"
#include "api/scope.h"
#include "core/error.h"
#include "core/json_input.h"
#include "partners/partners.h"

namespace xh::partners {

namespace json = boost::json;
using api::Call;
using api::created;
using api::ExportColumn;
using api::label_list;
using api::list_response;
using api::ok;
using http::Access;

namespace {

partners::OrgFields org_fields(const JsonInput& in) {
  return {in.opt_str("name", 100),        in.opt_str("kind", 30),         in.opt_str("credit_code", 18),
          in.opt_str("address", 200),     in.opt_str("party_branch", 100), in.opt_str("description", 2000),
          in.opt_i64("place_id")};
}

partners::ListQuery list_query(Call& c) {
  partners::ListQuery q;
  q.category = c.query("category");
  q.status = c.query("status");
  q.org_id = c.query_id("org_id");
  q.limit = c.page().limit;
  q.offset = c.page().offset;
  return q;
}

}  // namespace

void add_partner_routes(api::Router& r, api::Context& s) {
  auto ps = std::make_shared<partners::Services>(partners::Services{s.db, s.cipher});

  r.add("GET", "/api/partner-kinds", Access::authenticated, [](Call& c) {
    return ok(json::object{{"items", label_list(partners::org_kinds(), c.lang)}});
  });
  r.add("GET", "/api/partner-categories", Access::authenticated, [](Call& c) {
    return ok(json::object{{"items", label_list(partners::categories(), c.lang)}});
  });

  r.add("GET", "/api/partners", Access::authenticated, [ps](Call& c) {
    partners::OrgQuery q{c.query("kind"), c.query("q"), c.page().limit,
                         c.page().offset};
    auto [items, total] = partners::list_orgs(*ps, c.who(), q);
    static const std::vector<ExportColumn> cols = {
        {"id", "编号", "ID"}, {"name", "名称", "Name"}, {"kind", "类型", "Kind", &partners::org_kinds()},
        {"credit_code", "统一社会信用代码", "Credit code"}, {"address", "地址", "Address"},
        {"party_branch", "党组织", "Party branch"}};
    return list_response(c, std::move(items), total, cols, "partners");
  }, {.exports = api::Export::yes});

  r.add("POST", "/api/partners", Access::authenticated, [ps](Call& c) {
    JsonInput in(c.req.body, {"name", "kind", "credit_code", "address", "party_branch",
                              "description", "place_id"});
    return created(partners::create_org(*ps, c.who(), c.actor(), org_fields(in)));
  });

  r.add("GET", "/api/partners/{id}", Access::authenticated, [ps](Call& c) {
    return ok(partners::get_org(*ps, c.who(), c.id_param("id")));
  });

  r.add("PATCH", "/api/partners/{id}", Access::authenticated, [ps](Call& c) {
    JsonInput in(c.req.body, {"name", "kind", "credit_code", "address", "party_branch",
                              "description", "place_id"});
    return ok(partners::update_org(*ps, c.who(), c.actor(), c.id_param("id"), org_fields(in)));
  });

  r.add("POST", "/api/partners/{id}/agreements", Access::authenticated, [ps](Call& c) {
    JsonInput in(c.req.body, {"title", "signed_on", "term_start", "term_end", "commitments"});
    return created(partners::add_agreement(
        *ps, c.who(), c.actor(), c.id_param("id"),
        {in.str("title", 100), in.str("signed_on", 10), in.str("term_start", 10),
         in.str("term_end", 10), in.str("commitments", 5000)}));
  });

  r.add("POST", "/api/partners/{id}/contacts", Access::authenticated, [ps](Call& c) {
    JsonInput in(c.req.body, {"name", "title", "phone", "user_id"});
    return created(partners::add_contact(*ps, c.who(), c.actor(), c.id_param("id"),
                                         {in.str("name", 50), in.opt_str("title", 50),
                                          in.opt_str("phone", 20), in.opt_i64("user_id")}));
  });

  r.add("GET", "/api/needs", Access::authenticated, [ps](Call& c) {
    auto [items, total] = partners::list_needs(*ps, c.who(), list_query(c));
    static const std::vector<ExportColumn> cols = {
        {"id", "编号", "ID"}, {"place_name", "地点", "Place"},
        {"category", "类别", "Category", &partners::categories()},
        {"title", "需求", "Need"}, {"status", "状态", "Status", &partners::need_statuses()}};
    return list_response(c, std::move(items), total, cols, "needs");
  }, {.exports = api::Export::yes});

  r.add("POST", "/api/needs", Access::authenticated, [ps](Call& c) {
    JsonInput in(c.req.body, {"place_id", "category", "title", "description"});
    return created(partners::create_need(*ps, c.who(), c.actor(),
                                         {in.i64("place_id"), in.str("category", 30),
                                          in.str("title", 100), in.opt_str("description", 2000)}));
  });

  r.add("GET", "/api/needs/{id}/suggestions", Access::authenticated, [ps](Call& c) {
    return ok(json::object{{"items", partners::suggest_resources(*ps, c.who(), c.id_param("id"))}});
  });

  r.add("GET", "/api/resources", Access::authenticated, [ps](Call& c) {
    auto [items, total] = partners::list_resources(*ps, c.who(), list_query(c));
    static const std::vector<ExportColumn> cols = {
        {"id", "编号", "ID"}, {"org_name", "合伙人", "Partner"},
        {"category", "类别", "Category", &partners::categories()},
        {"title", "资源", "Resource"}, {"capacity", "数量/频次", "Capacity"},
        {"place_name", "服务范围", "Serves"}, {"status", "状态", "Status", &partners::resource_statuses()}};
    return list_response(c, std::move(items), total, cols, "resources");
  }, {.exports = api::Export::yes});

  r.add("POST", "/api/resources", Access::authenticated, [ps](Call& c) {
    JsonInput in(c.req.body, {"org_id", "place_id", "category", "title", "description", "capacity"});
    return created(partners::create_resource(
        *ps, c.who(), c.actor(),
        {in.i64("org_id"), in.i64("place_id"), in.str("category", 30), in.str("title", 100),
         in.opt_str("description", 2000), in.opt_str("capacity", 100)}));
  });

  r.add("GET", "/api/projects", Access::authenticated, [ps](Call& c) {
    auto [items, total] = partners::list_projects(*ps, c.who(), list_query(c));
    static const std::vector<ExportColumn> cols = {
        {"id", "编号", "ID"}, {"title", "项目", "Project"}, {"need_title", "对应需求", "Need"},
        {"status", "状态", "Status", &partners::project_statuses()}};
    return list_response(c, std::move(items), total, cols, "projects");
  }, {.exports = api::Export::yes});

  r.add("POST", "/api/projects", Access::authenticated, [ps](Call& c) {
    JsonInput in(c.req.body, {"need_id", "title", "resource_ids"});
    auto ids = in.opt_id_array("resource_ids", 20).value_or(std::vector<std::int64_t>{});
    return created(partners::create_project(*ps, c.who(), c.actor(),
                                            {in.i64("need_id"), in.str("title", 100), ids}));
  });

  r.add("PATCH", "/api/projects/{id}", Access::authenticated, [ps](Call& c) {
    JsonInput in(c.req.body, {"status"});
    return ok(partners::set_project_status(*ps, c.who(), c.actor(), c.id_param("id"),
                                           in.str("status", 20)));
  });
}

}  // namespace xh::partners
