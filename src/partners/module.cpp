// The partners module's declaration: partner organisations and the three lists: permissions,
// messages, labels, exports, routes and the place event it answers.
#include <boost/json.hpp>

#include "api/module.h"
#include "api/scope.h"
#include "core/error.h"
#include "partners/partners.h"
#include "partners/store.h"

namespace xh::partners {

void load_demo(api::Context& ctx);

void add_routes(api::Router& r, std::shared_ptr<const Partners> partners);
const std::vector<api::ExportColumn>& partner_columns();
const std::vector<api::ExportColumn>& need_columns();
const std::vector<api::ExportColumn>& resource_columns();
const std::vector<api::ExportColumn>& project_columns();
api::GenCounts gen_street(storage::Tx& tx, api::Context& ctx, api::GenStreet& street);

namespace {

const std::vector<Label>& audit_actions() {
  static const std::vector<Label> all = {
      {"partner.create", "登记合伙人", "Partner registered"},
      {"partner.update", "修改合伙人", "Partner changed"},
      {"partner.agreement", "登记合作意向书", "Agreement recorded"},
      {"partner.archive", "停用合伙人", "Partner archived"},
      {"partner.agreement_update", "修改合作意向书", "Agreement changed"},
      {"partner.agreement_remove", "删除合作意向书", "Agreement removed"},
      {"partner.contact", "添加联系人", "Contact added"},
      {"partner.contact_update", "修改联系人", "Contact changed"},
      {"partner.contact_remove", "移除联系人", "Contact removed"},
      {"need.update", "修改需求", "Need changed"},
      {"resource.update", "修改资源", "Resource changed"},
      {"need.create", "登记需求", "Need recorded"},
      {"resource.create", "登记资源", "Resource recorded"},
      {"project.create", "创建项目", "Project created"},
      {"project.status", "更新项目状态", "Project status changed"},
  };
  return all;
}

void figures(storage::Tx& tx, const api::Principal& p, boost::json::object& out) {
  if (!p.has_permission("partner.read")) return;
  out["partners"] = api::count_by(tx, p, "partner.read", "orgs", "kind", {"path"});
  out["needs"] = api::count_by(tx, p, "partner.read", "needs", "status", {"path"});
}

void start(api::Setup& s) {
  add_routes(s.router(), std::make_shared<const Partners>(s.context().db, s.context().cipher, s.context().events));
  // A compound's property company must be a registered property company.
  s.subscribe("place.company", [](storage::Tx& tx, const api::Event& e) {
    auto org = store::find_org(tx, e.data.at("org_id").as_int64());
    if (!org || org->kind != "property_company")
      throw unprocessable("place.bad_property_org", "property_org_id");
  });
}

const std::vector<Label>& audit_targets() {
  static const std::vector<Label> all = {{"org", "合伙人", "Partner"},
                                         {"need", "需求", "Need"},
                                         {"resource", "资源", "Resource"},
                                         {"project", "项目", "Project"}};
  return all;
}

std::map<std::string, std::string> org_names(storage::Tx& tx, const std::vector<std::string>& ids) {
  return api::names_by_id(tx, "SELECT id, name FROM orgs", "id", ids);
}
std::map<std::string, std::string> need_names(storage::Tx& tx, const std::vector<std::string>& ids) {
  return api::names_by_id(tx, "SELECT id, title AS name FROM needs", "id", ids);
}
std::map<std::string, std::string> resource_names(storage::Tx& tx, const std::vector<std::string>& ids) {
  return api::names_by_id(tx, "SELECT id, title AS name FROM resources", "id", ids);
}
std::map<std::string, std::string> project_names(storage::Tx& tx, const std::vector<std::string>& ids) {
  return api::names_by_id(tx, "SELECT id, title AS name FROM projects", "id", ids);
}

}  // namespace

const api::Module& module() {
  static const api::Module m{
      .name = "partners",
      .permissions =
          {
              {"partner.read", {"street_admin", "community_admin", "partner_admin"}},
              {"partner.write", {"street_admin", "community_admin"}},
          },
      .messages =
          {
              {"partner.not_found", "合伙人单位不存在", "No such partner organisation"},
              {"partner.exists", "同名合伙人单位已存在", "A partner with this name already exists"},
              {"partner.bad_kind", "单位类型不在可选范围内", "Unknown kind of organisation"},
              {"partner.bad_date", "日期格式须为 YYYY-MM-DD", "Dates are written YYYY-MM-DD"},
              {"partner.bad_term", "合作期限的结束日期不能早于开始日期", "The term cannot end before it starts"},
              {"partner.bad_category", "类别不在可选范围内", "Unknown category"},
              {"partner.contact_exists", "该账号已是此单位的联系人", "This user is already a contact of the organisation"},
              {"partner.agreement_not_found", "合作意向书不存在", "No such agreement"},
              {"partner.contact_not_found", "联系人不存在", "No such contact"},
              {"need.bad_status", "需求状态只能改为待认领或已关闭", "A need can only be opened or closed"},
              {"need.matched", "该需求正由进行中的项目承接，不能重新开放", "A planned or active project meets this need; it cannot be opened again"},
              {"resource.not_found", "资源不存在", "No such resource"},
              {"resource.bad_status", "资源状态只能改为可用或已撤回", "A resource can only be offered or withdrawn"},
              {"need.not_found", "需求不存在", "No such need"},
              {"need.closed", "该需求已关闭", "This need is closed"},
              {"resource.not_available", "所选资源不可用", "A chosen resource is not available"},
              {"project.not_found", "项目不存在", "No such project"},
              {"project.bad_status", "项目状态不正确", "Unknown project status"},
          },
      .labels = {{"partner.org_kind", org_kinds},
                  {"partner.category", categories},
                  {"need.status", need_statuses},
                  {"resource.status", resource_statuses},
                  {"project.status", project_statuses},
                  {"audit.action", audit_actions},
                  {"audit.target", audit_targets}},
      .exports = {{"partners", partner_columns},
                  {"needs", need_columns},
                  {"resources", resource_columns},
                  {"projects", project_columns}},
      .emits = {"partner.archiving"},
      .sealed = {{"org_contacts", "phone_enc"}},
      .audit_names = {{"org", org_names},
                      {"need", need_names},
                      {"resource", resource_names},
                      {"project", project_names}},
      .start = start,
      .demo = {{40, load_demo}},  // the partners, the contacts of the demo logins
      // In the communities the places step made.
      .gen = {{30, gen_street}},
      .figures = figures,
  };
  return m;
}

}  // namespace xh::partners
