// The places module's declaration: the street's hierarchy: its permissions, messages, labels and routes.
#include <boost/json.hpp>

#include "api/module.h"
#include "api/scope.h"
#include "core/error.h"
#include "places/places.h"
#include "places/store.h"

namespace xh::places {

void load_demo(api::Context& ctx);

void add_routes(api::Router& r, std::shared_ptr<const Places> places);
const std::vector<api::ExportColumn>& place_columns();
api::GenCounts gen_street(storage::Tx& tx, api::Context& ctx, api::GenStreet& street);

namespace {

const std::vector<Label>& audit_actions() {
  static const std::vector<Label> all = {
      {"place.create", "新建地点", "Place created"},
      {"place.update", "修改地点", "Place changed"},
      {"place.archive", "归档地点", "Place archived"},
  };
  return all;
}

void figures(storage::Tx& tx, const api::Principal& p, boost::json::object& out) {
  if (p.has_permission("place.read"))
    out["places"] = api::count_by(tx, p, "place.read", "places", "kind", {"path", "grid_path"});
}

void start(api::Setup& s) {
  add_routes(s.router(), std::make_shared<const Places>(s.context().db, s.context().events));
  // A property company stays while it manages a live place: the place is
  // given another company first.
  s.subscribe("partner.archiving", [](storage::Tx& tx, const api::Event& e) {
    if (store::manages_live_place(tx, e.subject_id)) throw conflict("partner.serves_places");
  });
}

const std::vector<Label>& audit_targets() {
  static const std::vector<Label> all = {{"place", "地点", "Place"}};
  return all;
}

std::map<std::string, std::string> place_names(storage::Tx& tx, const std::vector<std::string>& ids) {
  return api::names_by_id(tx, "SELECT id, name FROM places", "id", ids);
}

}  // namespace

const api::Module& module() {
  static const api::Module m{
      .name = "places",
      .permissions =
          {
              // The security administrator grants roles over places, so picks them by name.
              {"place.read", {"street_admin", "community_admin", "grid_worker", "building_leader", "property_staff", "resident", "sys_admin", "security_admin"}},
              {"place.write", {"street_admin", "community_admin", "sys_admin"}},
          },
      .messages =
          {
              {"place.not_found", "地点不存在", "No such place"},
              {"place.parent_not_found", "上级地点不存在", "The parent place does not exist"},
              {"place.bad_kind", "该类型的地点不能放在此上级之下", "A place of this kind cannot sit under that parent"},
              {"place.bad_name", "名称须为 1 至 100 个字", "Names have 1 to 100 characters"},
              {"place.bad_code", "编码须为 1 至 64 个字符", "Codes have 1 to 64 characters"},
              {"place.code_taken", "该编码已被使用", "This code is already used"},
              {"place.bad_point", "坐标须同时给出纬度和经度，且在有效范围内", "A map point needs both latitude and longitude within range"},
              {"place.field_not_for_kind", "该类型的地点没有此项", "This field does not apply to this kind of place"},
              {"place.bad_grid", "所属网格须为同一社区内的网格", "The grid must be a grid of the same community"},
              {"place.bad_property_org", "服务企业须为已登记的物业服务企业", "The property company must be a registered property management company"},
              {"place.bad_area", "面积须为数字，最多两位小数，例如 89.50", "The area must be a number with at most two decimals, e.g. 89.50"},
              {"place.has_children", "该地点下还有未归档的地点，不能归档", "Archive the places under it first"},
              {"partner.serves_places", "该单位仍是在管小区的物业服务企业，请先为小区更换物业", "This company still manages live places; give them another property company first"},
              {"place.has_members", "该户还有登记的居民，不能归档", "Residents are still registered in this household"},
              {"place.tree_too_large", "层级过多，请缩小展开层数", "Too many places: ask for fewer levels"},
          },
      .labels = {{"place.kind", kind_labels}, {"audit.action", audit_actions}, {"audit.target", audit_targets}},
      .exports = {{"places", place_columns}},
      .emits = {"place.archiving", "place.regridded", "place.company"},
      .audit_names = {{"place", place_names}},
      .start = start,
      .demo = {{10, load_demo}},  // the street and its places
      .gen = {{10, gen_street}},
      .figures = figures,
  };
  return m;
}

}  // namespace xh::places
