// The grid module's declaration (GRD-1, GRD-4): a grid worker's patrols,
// events and coverage, the grid at hand, and door-to-door campaigns.
#include "api/module.h"

#include <boost/json.hpp>
#include <memory>

#include "api/scope.h"
#include "grid/grid.h"

namespace xh::grid {

void add_routes(api::Router& r, std::shared_ptr<const GridWork> gw,
                std::shared_ptr<const Campaigns> cs);
void load_demo(api::Context& ctx);

const std::vector<Label>& event_kinds() {
  static const std::vector<Label> all = {
      {"hazard", "安全隐患", "Safety hazard"},     {"environment", "环境卫生", "Sanitation"},
      {"facility", "设施损坏", "Broken facility"},  {"dispute", "矛盾纠纷", "Dispute"},
      {"care", "困难群众", "Resident in need"},     {"security", "治安情况", "Public order"},
      {"other", "其他", "Other"}};
  return all;
}

const std::vector<Label>& event_statuses() {
  static const std::vector<Label> all = {{"open", "待处理", "Open"},
                                         {"ordered", "已转工单", "Work order filed"},
                                         {"resolved", "已现场处置", "Resolved on the spot"}};
  return all;
}

const std::vector<Label>& outcomes() {
  static const std::vector<Label> all = {{"visited", "已走访", "Visited"},
                                         {"not_home", "不在家", "Not at home"},
                                         {"refused", "拒绝", "Refused"},
                                         {"follow_up", "需跟进", "Needs follow-up"}};
  return all;
}

const std::vector<Label>& campaign_statuses() {
  static const std::vector<Label> all = {{"active", "进行中", "Under way"},
                                         {"closed", "已结束", "Closed"}};
  return all;
}

namespace {

void start(api::Setup& s) {
  auto& ctx = s.context();
  add_routes(s.router(), std::make_shared<const GridWork>(ctx.db, ctx.cipher, ctx.events),
             std::make_shared<const Campaigns>(ctx.db, ctx.events));
}

void tasks(storage::Tx& tx, const api::Principal& p, Millis, boost::json::array& out) {
  // Households still to visit in one's grid (grid workers).
  if (!p.has_role("grid_worker")) return;
  std::vector<storage::Param> params;
  auto cond = api::scope_condition(p, "campaign.visit", {"h.grid_path"}, params);
  auto r = tx.query_one_v(
      "SELECT COUNT(*) AS n FROM campaign_households h JOIN campaigns c ON c.id = h.campaign_id "
      "WHERE c.status = 'active' AND h.outcome IS NULL AND " + cond,
      params);
  out.push_back({{"key", "campaign.visit"}, {"count", r->i64("n")}, {"overdue", 0}});
}

std::map<std::string, std::string> campaign_names(storage::Tx& tx,
                                                  const std::vector<std::string>& ids) {
  return api::names_by_id(tx, "SELECT id, title AS name FROM campaigns", "id", ids);
}

const std::vector<Label>& audit_actions() {
  static const std::vector<Label> all = {
      {"grid.patrol_start", "开始网格巡查", "Grid patrol started"},
      {"grid.patrol_finish", "结束网格巡查", "Grid patrol ended"},
      {"grid.event", "网格事件上报", "Grid event reported"},
      {"grid.event_order", "网格事件转工单", "Grid event filed as a work order"},
      {"grid.event_resolve", "网格事件现场处置", "Grid event resolved"},
      {"campaign.create", "发起入户走访", "Campaign started"},
      {"campaign.close", "结束入户走访", "Campaign closed"},
      {"campaign.record", "登记走访结果", "Visit recorded"}};
  return all;
}

const std::vector<Label>& audit_targets() {
  static const std::vector<Label> all = {{"grid_patrol", "网格巡查", "Grid patrol"},
                                         {"grid_event", "网格事件", "Grid event"},
                                         {"campaign", "入户走访", "Campaign"}};
  return all;
}

const std::vector<Label>& task_keys() {
  static const std::vector<Label> all = {
      {"campaign.visit", "待走访住户", "Households to visit"}};
  return all;
}

}  // namespace

const api::Module& module() {
  static const api::Module m{
      .name = "grid",
      .permissions =
          {
              // A grid's patrols, events, coverage and campaign households.
              {"grid.read", {"street_admin", "community_admin", "grid_worker"}},
              // Patrol a grid, report its events.
              {"grid.work", {"street_admin", "community_admin", "grid_worker"}},
              // Start and close door-to-door campaigns.
              {"campaign.manage", {"street_admin", "community_admin"}},
              // Record a household's outcome.
              {"campaign.visit", {"street_admin", "community_admin", "grid_worker"}},
          },
      .messages =
          {
              {"grid.not_found", "网格不存在", "No such grid"},
              {"grid.choose_grid", "请选择网格", "Choose a grid"},
              {"grid.patrol_not_found", "巡查记录不存在", "No such patrol"},
              {"grid.patrol_ongoing", "您有进行中的巡查，请先结束", "You have a patrol under way: end it first"},
              {"grid.patrol_ended", "巡查已结束", "The patrol has ended"},
              {"grid.not_walker", "只有巡查人本人可以操作", "Only the one on patrol may do this"},
              {"grid.bad_points", "位置须为有效的经纬度（每次至多 500 个点）",
               "Valid coordinates, at most 500 points at a time"},
              {"grid.track_full", "本次巡查的轨迹点已达上限", "This patrol's track is full"},
              {"grid.bad_place", "请选择本网格内的地点", "Choose a place in the grid"},
              {"grid.bad_kind", "事件类型不在可选范围内", "Unknown kind of event"},
              {"grid.event_not_found", "网格事件不存在", "No such event"},
              {"grid.event_closed", "该事件已转工单或已处置", "The event is filed or resolved already"},
              {"campaign.not_found", "走访任务不存在", "No such campaign"},
              {"campaign.bad_place", "请选择街道或社区", "Choose a street or a community"},
              {"campaign.bad_form", "问卷须为至多 10 题，每题有唯一编号、题目和类型（文本、单选、是否）",
               "At most 10 questions, each with its own key, a label and a type (text, choice, yes/no)"},
              {"campaign.bad_select", "请按地点、关怀类别或户编码清单选择住户（三选一）",
               "Choose households by places, a care tag or a list of codes (one of them)"},
              {"campaign.bad_codes", "以下户编码不是本辖区的住户：", "These codes are not households here: "},
              {"campaign.empty", "所选范围内没有住户", "The selection holds no household"},
              {"campaign.closed", "走访任务已结束", "The campaign is closed"},
              {"campaign.household_not_found", "该住户不在此次走访范围内", "Not a household of this campaign"},
              {"campaign.bad_outcome", "走访结果须为已走访、不在家、拒绝或需跟进",
               "Visited, not at home, refused or needs follow-up"},
              {"campaign.note_required", "需跟进的请写明跟进事项", "Say what to follow up"},
              {"campaign.bad_answers", "问卷回答与题目不符", "The answers do not fit the form"},
          },
      .labels = {{"grid.event_kind", event_kinds},
                 {"grid.event_status", event_statuses},
                 {"campaign.outcome", outcomes},
                 {"campaign.status", campaign_statuses},
                 {"task", task_keys},
                 {"audit.action", audit_actions},
                 {"audit.target", audit_targets}},
      .emits = {"grid.event_changed", "campaign.changed"},
      .live = {{"campaign", require_campaign, {"campaign.changed"}},
               {"grid_event", require_event, {}}},
      .audit_names = {{"campaign", campaign_names}},
      .start = start,
      .demo = {{100, load_demo}},
      .tasks = tasks,
  };
  return m;
}

}  // namespace xh::grid
