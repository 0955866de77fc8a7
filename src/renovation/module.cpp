// The renovation module's declaration (GOV-4): old-compound renovation
// projects moving through their stages, with their notices, votes, plan
// options, inspections, defects and upkeep.
#include "api/module.h"

#include <boost/json.hpp>
#include <memory>

#include "renovation/renovations.h"

namespace xh::renovation {

void add_routes(api::Router& r, std::shared_ptr<const Renovations> rn);
void load_demo(api::Context& ctx);

namespace {

void start(api::Setup& s) {
  auto& ctx = s.context();
  add_routes(s.router(), std::make_shared<const Renovations>(ctx.db, ctx.events));
  s.job("renovation.upkeep", [&events = ctx.events](storage::Tx& tx, std::int64_t id, Millis now) {
    upkeep_due(tx, events, id, now);
  });
}

std::map<std::string, std::string> project_names(storage::Tx& tx,
                                                 const std::vector<std::string>& ids) {
  return api::names_by_id(tx, "SELECT id, title AS name FROM renovation_projects", "id", ids);
}

const std::vector<Label>& audit_actions() {
  static const std::vector<Label> all = {
      {"renovation.create", "创建改造项目", "Renovation project opened"},
      {"renovation.advance", "改造项目进入下一阶段", "Renovation stage closed"},
      {"renovation.vote", "关联业主表决", "Owners' vote linked"},
      {"renovation.option", "添加改造方案", "Plan option added"},
      {"renovation.choose", "选定改造方案", "Plan option chosen"},
      {"renovation.notice", "发布改造宣传通知", "Publicity notice sent"},
      {"renovation.supervisor", "增加居民监督员", "Resident supervisor added"},
      {"renovation.inspect", "施工巡查记录", "Construction inspected"},
      {"renovation.upkeep", "设置长效管理任务", "Upkeep task set"}};
  return all;
}

const std::vector<Label>& audit_targets() {
  static const std::vector<Label> all = {{"renovation", "改造项目", "Renovation project"}};
  return all;
}

const std::vector<Label>& notice_kinds() {
  static const std::vector<Label> all = {
      {"renovation.notice", "改造宣传通知", "Renovation notices"}};
  return all;
}

}  // namespace

const api::Module& module() {
  static const api::Module m{
      .name = "renovation",
      .permissions =
          {
              // Follow a project: over its place, its grid, or a place under it (one's household).
              {"renovation.read",
               {"street_admin", "community_admin", "grid_worker", "building_leader",
                "property_staff", "partner_admin", "volunteer", "resident"}},
              {"renovation.manage", {"street_admin", "community_admin"}},
              // Log inspections during construction (as do the project's resident supervisors).
              {"renovation.inspect",
               {"street_admin", "community_admin", "grid_worker", "building_leader"}},
          },
      .messages =
          {
              {"renovation.not_found", "改造项目不存在", "No such renovation project"},
              {"renovation.bad_place", "改造项目须设在小区或楼栋上",
               "A renovation project is on a compound or a building"},
              {"renovation.bad_item", "改造内容不在可选范围内", "Unknown renovation item"},
              {"renovation.bad_org", "合伙人单位不存在", "No such partner organisation"},
              {"renovation.needs_notice", "宣传发动阶段须先发布宣传通知",
               "Send a publicity notice first"},
              {"renovation.needs_vote", "本阶段须先关联业主表决",
               "Link this stage's owners' vote first"},
              {"renovation.vote_open", "本阶段的业主表决尚未结束",
               "This stage's owners' vote has not closed"},
              {"renovation.vote_failed", "本阶段的业主表决未通过",
               "This stage's owners' vote did not pass"},
              {"renovation.needs_option", "须先选定改造方案", "Choose the plan first"},
              {"renovation.defects_open", "仍有问题未整改复查销项",
               "Defects are still open or unchecked"},
              {"renovation.last_stage", "已是最后阶段（长效管理）",
               "This is the last stage (long-term management)"},
              {"renovation.bad_stage", "只有意愿征集和方案确定阶段关联业主表决",
               "Votes decide the intention and plan stages"},
              {"renovation.stage_passed", "该阶段已结束", "That stage has closed"},
              {"renovation.bad_vote", "请选择本小区或本楼栋的业主表决",
               "Choose an owners' vote of this place"},
              {"renovation.moved", "项目刚被他人推进，请刷新后再试",
               "Someone else has just moved the project: reload"},
              {"renovation.vote_used", "该表决已用于另一阶段", "That vote decides the other stage"},
              {"renovation.option_not_found", "改造方案不存在", "No such plan option"},
              {"renovation.bad_supervisor", "监督员须为本项目范围内登记的居民账号",
               "A supervisor is a resident account registered here"},
              {"renovation.not_construction", "施工阶段才能记录巡查",
               "Inspections are logged during construction"},
              {"renovation.no_contractor", "项目未指定施工单位，无法派发整改",
               "The project has no contractor to send defects to"},
              {"renovation.bad_deadline", "整改期限须为将来的时间",
               "The deadline must be in the future"},
              {"renovation.bad_interval", "周期须为 1 至 366 天", "Every 1 to 366 days"},
              {"renovation.too_early", "施工阶段起才能设置长效管理任务",
               "Upkeep is set from construction on"},
              {"renovation.notice_not_found", "通知不存在", "No such notice"},
              {"renovation.notice.text", "【{title}】{text}", "[{title}] {text}"},
          },
      .labels = {{"notice.kind", notice_kinds},
                 {"audit.action", audit_actions},
                 {"audit.target", audit_targets}},
      .emits = {"renovation.changed"},
      .live = {{"renovation", require_project, {"renovation.changed"}}},
      .audit_names = {{"renovation", project_names}},
      .start = start,
      .demo = {{97, load_demo}},
  };
  return m;
}

}  // namespace xh::renovation
