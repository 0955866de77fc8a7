// The people module's declaration: residents and their households: permissions, messages,
// labels, exports, routes and the place events it answers.
#include <boost/json.hpp>

#include "api/module.h"
#include "core/error.h"
#include "people/people.h"
#include "people/store.h"

namespace xh::people {

void load_demo(api::Context& ctx);

void add_routes(api::Router& r, std::shared_ptr<const People> people);
const std::vector<api::ExportColumn>& resident_columns();
api::GenCounts gen_street(storage::Tx& tx, api::Context& ctx, api::GenStreet& street);

namespace {

const std::vector<Label>& audit_actions() {
  static const std::vector<Label> all = {
      {"resident.create", "登记居民", "Resident registered"},
      {"resident.update", "修改居民", "Resident changed"},
      {"resident.tags", "设置关怀类别", "Care tags set"},
      {"resident.add_membership", "添加所属户", "Household added"},
      {"resident.remove_membership", "移除所属户", "Household removed"},
      {"resident.consent", "记录授权", "Consent recorded"},
      {"resident.archive", "注销居民", "Resident archived"},
      {"resident.restore", "恢复居民", "Resident restored"},
      {"resident.add_helper", "指派帮扶人", "Helper assigned"},
  };
  return all;
}

void figures(storage::Tx& tx, const api::Principal& p, boost::json::object& out) {
  if (p.has_permission("resident.read")) out["residents"] = store::count_in_scope(tx, p);
}

void start(api::Setup& s) {
  add_routes(s.router(), std::make_shared<const People>(s.context().db, s.context().cipher));
  // A household is archived only when nobody is registered in it.
  s.subscribe("place.archiving", [](storage::Tx& tx, const api::Event& e) {
    if (store::household_has_members(tx, e.subject_id)) throw conflict("place.has_members");
  });
  // Memberships follow their building to its new grid.
  s.subscribe("place.regridded", [](storage::Tx& tx, const api::Event& e) {
    const auto& grid = e.data.at("grid_path");
    store::regrid_memberships(
        tx, e.place_path,
        grid.is_null() ? std::optional<std::string>() : std::string(grid.as_string()));
  });
}

// Residents are named by number only: their names are personal data.
const std::vector<Label>& audit_targets() {
  static const std::vector<Label> all = {{"resident", "居民", "Resident"}};
  return all;
}

}  // namespace

const api::Module& module() {
  static const api::Module m{
      .name = "people",
      .permissions =
          {
              {"resident.read", {"street_admin", "community_admin", "grid_worker", "building_leader", "resident"}},
              {"resident.write", {"community_admin"}},
              {"resident.phone", {"community_admin", "grid_worker"}},
              {"resident.id_number", {"community_admin"}},
              {"resident.care", {"community_admin", "grid_worker"}},
          },
      .messages =
          {
              {"resident.not_found", "居民不存在", "No such resident"},
              {"resident.exists", "该身份证号已登记", "A resident with this national ID is already registered"},
              {"resident.exists_archived", "该身份证号属于已注销的居民，请在“已注销”名单中恢复", "This national ID belongs to an archived resident; restore them instead"},
              {"resident.archived", "该居民已注销", "This resident is archived already"},
              {"resident.not_archived", "该居民未注销", "This resident is not archived"},
              {"resident.bad_name", "姓名须为 1 至 50 个字", "Names have 1 to 50 characters"},
              {"resident.bad_id_number", "身份证号无效（须为 18 位，出生日期和校验位正确）", "The national ID is not valid (18 characters, a real birth date, a correct check character)"},
              {"resident.bad_phone", "电话号码无效", "The phone number is not valid"},
              {"resident.bad_relation", "与户关系须为：业主、租户或家庭成员", "The relation must be owner, tenant or family member"},
              {"resident.bad_tag", "特殊关怀类别不在可选范围内", "This special-care tag is not one of the allowed tags"},
              {"resident.bad_household", "所选地点不是有效的户", "The place is not a household"},
              {"resident.bad_consent", "不支持的授权类型", "Unknown kind of consent"},
              {"resident.last_household", "居民至少须属于一户", "A resident must belong to at least one household"},
              {"resident.membership_not_found", "该居民不属于此户", "The resident is not a member of this household"},
          },
      .labels = {{"resident.gender", gender_labels},
                  {"resident.relation", relation_labels},
                  {"resident.consent", consent_labels},
                  {"audit.action", audit_actions},
                  {"audit.target", audit_targets}},
      .exports = {{"residents", resident_columns}},
      .sealed = {{"residents", "id_number_enc"}, {"residents", "phone_enc"}},
      .start = start,
      .demo = {{20, load_demo}},  // the residents of its homes
      // In the households the places step made.
      .gen = {{20, gen_street}},
      .figures = figures,
  };
  return m;
}

}  // namespace xh::people
