// HTTP ↔ the partner commands: /api/partners, /api/needs, /api/resources, /api/projects.
#include <boost/json.hpp>

#include "api/export.h"
#include "api/module.h"
#include "core/json_input.h"
#include "partners/partners.h"

namespace xh::partners {

namespace json = boost::json;
using api::Call;
using api::ExportColumn;
using http::Access;

namespace {

OrgFields org_fields(const JsonInput& in) {
  return {in.opt_str("name", 100),        in.opt_str("kind", 30),         in.opt_str("credit_code", 18),
          in.opt_str("address", 200),     in.opt_str("party_branch", 100), in.opt_str("description", 2000),
          in.opt_i64("place_id")};
}

ListQuery list_query(Call& c) {
  ListQuery q;
  q.category = c.query("category");
  q.status = c.query("status");
  q.org_id = c.query_id("org_id");
  q.page = c.page();
  return q;
}

AgreementFields agreement_fields(Call& c) {
  JsonInput in(c.req.body, {"title", "signed_on", "term_start", "term_end", "commitments"});
  return {in.str("title", 100), in.str("signed_on", 10), in.str("term_start", 10),
          in.str("term_end", 10), in.str("commitments", 5000)};
}

ContactFields contact_fields(Call& c) {
  JsonInput in(c.req.body, {"name", "title", "phone", "user_id"});
  return {in.str("name", 50), in.opt_str("title", 50), in.opt_str("phone", 20),
          in.opt_i64("user_id")};
}

#define XH_ORG_FIELDS \
  "name", "kind", "credit_code", "address", "party_branch", "description", "place_id"

}  // namespace

const std::vector<ExportColumn>& partner_columns() {
  static const std::vector<ExportColumn> cols = {
      {"id", "编号", "ID"}, {"name", "名称", "Name"}, {"kind", "类型", "Kind", &org_kinds()},
      {"credit_code", "统一社会信用代码", "Credit code"}, {"address", "地址", "Address"},
      {"party_branch", "党组织", "Party branch"}};
  return cols;
}

const std::vector<ExportColumn>& need_columns() {
  static const std::vector<ExportColumn> cols = {
      {"id", "编号", "ID"}, {"place_name", "地点", "Place"},
      {"category", "类别", "Category", &categories()},
      {"title", "需求", "Need"}, {"status", "状态", "Status", &need_statuses()}};
  return cols;
}

const std::vector<ExportColumn>& resource_columns() {
  static const std::vector<ExportColumn> cols = {
      {"id", "编号", "ID"}, {"org_name", "合伙人", "Partner"},
      {"category", "类别", "Category", &categories()},
      {"title", "资源", "Resource"}, {"capacity", "数量/频次", "Capacity"},
      {"place_name", "服务范围", "Serves"}, {"status", "状态", "Status", &resource_statuses()}};
  return cols;
}

const std::vector<ExportColumn>& project_columns() {
  static const std::vector<ExportColumn> cols = {
      {"id", "编号", "ID"}, {"title", "项目", "Project"}, {"need_title", "对应需求", "Need"},
      {"status", "状态", "Status", &project_statuses()}};
  return cols;
}

void add_routes(api::Router& r, std::shared_ptr<const Partners> partners) {
  r.add("GET", "/api/partner-kinds", Access::authenticated, [](Call& c) {
    return api::ok(json::object{{"items", api::label_list(org_kinds(), c.lang)}});
  });
  r.add("GET", "/api/partner-categories", Access::authenticated, [](Call& c) {
    return api::ok(json::object{{"items", api::label_list(categories(), c.lang)}});
  });

  r.add("GET", "/api/partners", Access::authenticated, [partners](Call& c) {
    auto kind = c.query("kind"), q = c.query("q");
    return list_response(c, [&](const api::Page& page) { return partners->list_orgs(c.who(), {kind, q, page}); },
                         partner_columns(), "partners");
  }, {.exports = api::Export::yes});

  r.add("POST", "/api/partners", Access::authenticated, [partners](Call& c) {
    JsonInput in(c.req.body, {XH_ORG_FIELDS});
    return api::created(partners->create_org(c.who(), c.actor(), org_fields(in)));
  });

  r.add("GET", "/api/partners/mine", Access::authenticated, [partners](Call& c) {
    return api::ok(json::object{{"items", partners->mine(c.who())}});
  });

  r.add("GET", "/api/partners/{id}", Access::authenticated, [partners](Call& c) {
    return api::ok(partners->get_org(c.who(), c.id_param("id")));
  });

  r.add("PATCH", "/api/partners/{id}", Access::authenticated, [partners](Call& c) {
    JsonInput in(c.req.body, {XH_ORG_FIELDS});
    return api::ok(partners->update_org(c.who(), c.actor(), c.id_param("id"), org_fields(in)));
  });

  r.add("POST", "/api/partners/{id}/archive", Access::authenticated, [partners](Call& c) {
    return api::ok(partners->archive_org(c.who(), c.actor(), c.id_param("id")));
  });

  r.add("POST", "/api/partners/{id}/agreements", Access::authenticated, [partners](Call& c) {
    return api::created(
        partners->add_agreement(c.who(), c.actor(), c.id_param("id"), agreement_fields(c)));
  });

  r.add("PUT", "/api/partners/{id}/agreements/{agreement_id}", Access::authenticated,
        [partners](Call& c) {
          return api::ok(partners->update_agreement(c.who(), c.actor(), c.id_param("id"),
                                                    c.id_param("agreement_id"), agreement_fields(c)));
        });

  r.add("DELETE", "/api/partners/{id}/agreements/{agreement_id}", Access::authenticated,
        [partners](Call& c) {
          return api::ok(partners->remove_agreement(c.who(), c.actor(), c.id_param("id"),
                                                    c.id_param("agreement_id")));
        });

  r.add("POST", "/api/partners/{id}/contacts", Access::authenticated, [partners](Call& c) {
    return api::created(
        partners->add_contact(c.who(), c.actor(), c.id_param("id"), contact_fields(c)));
  });

  r.add("PUT", "/api/partners/{id}/contacts/{contact_id}", Access::authenticated,
        [partners](Call& c) {
          return api::ok(partners->update_contact(c.who(), c.actor(), c.id_param("id"),
                                                  c.id_param("contact_id"), contact_fields(c)));
        });

  r.add("DELETE", "/api/partners/{id}/contacts/{contact_id}", Access::authenticated,
        [partners](Call& c) {
          return api::ok(partners->remove_contact(c.who(), c.actor(), c.id_param("id"),
                                                  c.id_param("contact_id")));
        });

  r.add("GET", "/api/needs", Access::authenticated, [partners](Call& c) {
    auto q = list_query(c);
    return list_response(c, [&](const api::Page& page) {
      q.page = page;
      return partners->list_needs(c.who(), q);
    }, need_columns(), "needs");
  }, {.exports = api::Export::yes});

  r.add("POST", "/api/needs", Access::authenticated, [partners](Call& c) {
    JsonInput in(c.req.body, {"place_id", "category", "title", "description"});
    return api::created(partners->create_need(
        c.who(), c.actor(),
        {in.i64("place_id"), in.str("category", 30), in.str("title", 100),
         in.opt_str("description", 2000)}));
  });

  r.add("PATCH", "/api/needs/{id}", Access::authenticated, [partners](Call& c) {
    JsonInput in(c.req.body, {"category", "title", "description", "status"});
    return api::ok(partners->update_need(
        c.who(), c.actor(), c.id_param("id"),
        {in.opt_str("category", 30), in.opt_str("title", 100), in.opt_str("description", 2000),
         in.opt_str("status", 20)}));
  });

  r.add("GET", "/api/needs/{id}/suggestions", Access::authenticated, [partners](Call& c) {
    return api::ok(json::object{{"items", partners->suggest_resources(c.who(), c.id_param("id"))}});
  });

  r.add("GET", "/api/resources", Access::authenticated, [partners](Call& c) {
    auto q = list_query(c);
    return list_response(c, [&](const api::Page& page) {
      q.page = page;
      return partners->list_resources(c.who(), q);
    }, resource_columns(), "resources");
  }, {.exports = api::Export::yes});

  r.add("POST", "/api/resources", Access::authenticated, [partners](Call& c) {
    JsonInput in(c.req.body,
                 {"org_id", "place_id", "category", "title", "description", "capacity"});
    return api::created(partners->create_resource(
        c.who(), c.actor(),
        {in.i64("org_id"), in.i64("place_id"), in.str("category", 30), in.str("title", 100),
         in.opt_str("description", 2000), in.opt_str("capacity", 100)}));
  });

  r.add("PATCH", "/api/resources/{id}", Access::authenticated, [partners](Call& c) {
    JsonInput in(c.req.body, {"place_id", "category", "title", "description", "capacity", "status"});
    return api::ok(partners->update_resource(
        c.who(), c.actor(), c.id_param("id"),
        {in.opt_i64("place_id"), in.opt_str("category", 30), in.opt_str("title", 100),
         in.opt_str("description", 2000), in.opt_str("capacity", 100), in.opt_str("status", 20)}));
  });

  r.add("GET", "/api/projects", Access::authenticated, [partners](Call& c) {
    auto q = list_query(c);
    return list_response(c, [&](const api::Page& page) {
      q.page = page;
      return partners->list_projects(c.who(), q);
    }, project_columns(), "projects");
  }, {.exports = api::Export::yes});

  r.add("POST", "/api/projects", Access::authenticated, [partners](Call& c) {
    JsonInput in(c.req.body, {"need_id", "title", "resource_ids"});
    auto ids = in.opt_id_array("resource_ids", 20).value_or(std::vector<std::int64_t>{});
    return api::created(partners->create_project(c.who(), c.actor(),
                                                 {in.i64("need_id"), in.str("title", 100), ids}));
  });

  r.add("PATCH", "/api/projects/{id}", Access::authenticated, [partners](Call& c) {
    JsonInput in(c.req.body, {"status"});
    return api::ok(
        partners->set_project_status(c.who(), c.actor(), c.id_param("id"), in.str("status", 20)));
  });
}

}  // namespace xh::partners
