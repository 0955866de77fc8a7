// The emergencies module's declaration (GRD-2, GRD-3): risk points with the
// grid answering for each, warning levels that make patrol tasks by the
// frequency table and call up partners, supplies in an append-only ledger,
// the situation board and the summary kept at the end.
#include "api/module.h"

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <iostream>
#include <memory>

#include "api/scope.h"
#include "core/error.h"
#include "emergencies/emergencies.h"
#include "emergencies/shared.h"

namespace xh::emergencies {

void add_routes(api::Router& r, std::shared_ptr<const RiskPoints> rp,
                std::shared_ptr<const Emergencies> es, std::shared_ptr<const Supplies> ss);
void load_demo(api::Context& ctx);
api::GenCounts gen_street(storage::Tx& tx, api::Context& ctx, api::GenStreet& street);

namespace {

void start(api::Setup& s) {
  auto& ctx = s.context();
  add_routes(s.router(), std::make_shared<const RiskPoints>(ctx.db, ctx.cipher),
             std::make_shared<const Emergencies>(ctx.db, ctx.events),
             std::make_shared<const Supplies>(ctx.db, ctx.events));
  auto& events = ctx.events;
  s.job("emergency.task_due", [&events](storage::Tx& tx, std::int64_t id, Millis now) {
    task_due(tx, events, id, now);
  });
  s.job("emergency.callup_due", [&events](storage::Tx& tx, std::int64_t id, Millis now) {
    callup_due(tx, events, id, now);
  });
  s.subscribe("patrol.changed", [&events](storage::Tx& tx, const api::Event& e) {
    scanned(tx, events, e);
  });
}

// A task's photos: to whoever may do it or sees its emergency.
void require_task(storage::Tx& tx, const api::Principal& p, std::int64_t id) {
  auto t = tx.query_one("SELECT path, grid_path, team_id, emergency_id FROM emergency_tasks WHERE id = $1", id);
  if (!t) throw not_found("emergency.task_not_found");
  if (api::in_scope_any(p, "emergency.task", {t->str("path"), t->opt_str("grid_path").value_or("")}))
    return;
  if (auto team = t->opt_i64("team_id");
      team && tx.query_one("SELECT 1 AS x FROM team_members m JOIN volunteers v ON v.id = "
                           "m.volunteer_id WHERE m.team_id = $1 AND v.user_id = $2",
                           *team, p.user_id))
    return;
  load_emergency(tx, p, t->i64("emergency_id"));
}

std::map<std::string, std::string> emergency_names(storage::Tx& tx,
                                                   const std::vector<std::string>& ids) {
  return api::names_by_id(
      tx,
      "SELECT e.id, pl.name || h.name_zh AS name FROM emergencies e JOIN places pl ON pl.id = "
      "e.place_id JOIN hazards h ON h.code = e.hazard",
      "e.id", ids);
}

std::map<std::string, std::string> risk_names(storage::Tx& tx, const std::vector<std::string>& ids) {
  return api::names_by_id(tx, "SELECT id, name FROM risk_points", "id", ids);
}

std::map<std::string, std::string> warehouse_names(storage::Tx& tx,
                                                   const std::vector<std::string>& ids) {
  return api::names_by_id(tx, "SELECT id, name FROM warehouses", "id", ids);
}

void tasks(storage::Tx& tx, const api::Principal& p, Millis now, boost::json::array& out) {
  // Patrols to do: one's grid's or team's open tasks of active emergencies.
  std::string sql =
      "SELECT COUNT(*) AS n, SUM(CASE WHEN t.due_at <= $1 THEN 1 ELSE 0 END) AS overdue FROM "
      "emergency_tasks t WHERE t.status = 'open' AND (t.team_id IN (SELECT m.team_id FROM "
      "team_members m JOIN volunteers v ON v.id = m.volunteer_id WHERE v.user_id = $2)";
  std::vector<storage::Param> params{now, p.user_id};
  if (p.has_permission("emergency.task") && !p.has_permission("emergency.manage")) {
    sql += " OR " + api::scope_condition(p, "emergency.task", {"t.path", "t.grid_path"}, params);
  }
  sql += ")";
  auto r = tx.query_one_v(sql, params);
  if (auto n = r->i64("n"); n > 0 || p.has_role("grid_worker"))
    out.push_back({{"key", "emergency.patrol"}, {"count", n},
                   {"overdue", r->opt_i64("overdue").value_or(0)}});
  // Call-ups to acknowledge.
  auto c = tx.query_one(
      "SELECT COUNT(*) AS n, SUM(CASE WHEN c.due_at <= $2 THEN 1 ELSE 0 END) AS overdue FROM "
      "callups c JOIN emergencies e ON e.id = c.emergency_id WHERE e.status = 'active' AND "
      "c.acknowledged_at IS NULL AND c.org_id IN (SELECT org_id FROM org_contacts WHERE user_id = "
      "$1 UNION SELECT t.org_id FROM volunteer_teams t JOIN volunteers v ON v.id = t.leader_id "
      "WHERE v.user_id = $1)",
      p.user_id, now);
  if (auto n = c->i64("n"); n > 0)
    out.push_back({{"key", "emergency.callup"}, {"count", n},
                   {"overdue", c->opt_i64("overdue").value_or(0)}});
}

void commands(api::CommandSetup& c) {
  auto* supplies = c.root.add_subcommand("supplies", "应急物资 / emergency supplies");
  supplies->require_subcommand(1);
  auto* check = supplies->add_subcommand(
      "verify", "重放全部出入库记录并核对库存 / replay every movement and check the stock");
  c.storage_options(*check);
  check->callback([open = c.open, &exit_code = c.exit_code] {
    auto& ctx = open();
    auto v = ctx.db.read([](storage::Tx& tx) { return verify_supplies(tx); });
    for (const auto& f : v.faults) std::cout << "FAULT " << f << "\n";
    std::cout << (v.faults.empty() ? "ok" : "FAILED") << ": " << v.movements << " movements, "
              << v.stocks << " stocks\n";
    if (!v.faults.empty()) exit_code = 1;
  });
}

const std::vector<Label>& audit_actions() {
  static const std::vector<Label> all = {
      {"emergency.declare", "启动应急响应", "Emergency declared"},
      {"emergency.level", "调整响应等级", "Level changed"},
      {"emergency.end", "结束应急响应", "Emergency ended"},
      {"emergency.task_done", "完成巡查任务", "Patrol task done"},
      {"emergency.acknowledge", "响应调度", "Call-up acknowledged"},
      {"emergency.arrive", "调度到岗", "Arrived"},
      {"risk.create", "新增风险点", "Risk point added"},
      {"risk.update", "修改风险点", "Risk point changed"},
      {"risk.frequencies", "修改巡查频次表", "Patrol frequencies changed"},
      {"risk.callup_add", "加入调度名单", "Added to a call-up list"},
      {"risk.callup_remove", "移出调度名单", "Removed from a call-up list"},
      {"supply.warehouse", "新建物资仓库", "Warehouse added"},
      {"supply.receive", "物资入库", "Supplies received"},
      {"supply.issue", "物资发放", "Supplies issued"},
      {"supply.transfer", "物资调拨", "Supplies transferred"},
      {"supply.return", "物资归还", "Supplies returned"},
      {"supply.write_off", "物资报损", "Supplies written off"},
      {"supply.threshold", "设置库存预警", "Stock alert set"}};
  return all;
}

const std::vector<Label>& audit_targets() {
  static const std::vector<Label> all = {{"emergency", "应急响应", "Emergency"},
                                         {"emergency_task", "巡查任务", "Patrol task"},
                                         {"callup", "调度", "Call-up"},
                                         {"callup_list", "调度名单", "Call-up list"},
                                         {"risk_point", "风险点", "Risk point"},
                                         {"warehouse", "物资仓库", "Warehouse"}};
  return all;
}

const std::vector<Label>& notice_kinds() {
  static const std::vector<Label> all = {
      {"emergency.tasks", "应急巡查任务", "Emergency patrol tasks"},
      {"emergency.callup", "应急调度", "Call-ups"},
      {"emergency.missed", "巡查超时", "Missed patrols"},
      {"emergency.not_acknowledged", "调度未响应", "Call-ups not acknowledged"},
      {"supply.low", "物资库存不足", "Low stock"}};
  return all;
}

const std::vector<Label>& task_keys() {
  static const std::vector<Label> all = {
      {"emergency.patrol", "应急巡查任务", "Emergency patrols"},
      {"emergency.callup", "待响应的应急调度", "Call-ups to acknowledge"}};
  return all;
}

}  // namespace

const api::Module& module() {
  static const api::Module m{
      .name = "emergencies",
      .permissions =
          {
              // Risk points, emergencies, boards, warehouses of the places in scope.
              {"emergency.read", {"street_admin", "community_admin"}},
              // Declare, raise, lower and end; risk points, frequencies, call-up lists.
              {"emergency.manage", {"street_admin", "community_admin"}},
              // Do the patrol tasks of one's grid (or place).
              {"emergency.task", {"street_admin", "community_admin", "grid_worker"}},
              // Receive, issue, transfer, return and write off supplies.
              {"supply.manage", {"street_admin", "community_admin"}},
          },
      .messages =
          {
              {"emergency.not_found", "应急响应不存在", "No such emergency"},
              {"emergency.bad_hazard", "灾种不在可选范围内", "Unknown hazard"},
              {"emergency.bad_level", "响应等级须为 I 至 IV 级", "The level is I to IV"},
              {"emergency.bad_place", "请选择街道或社区", "Choose a street or a community"},
              {"emergency.active", "该地已有同一灾种的应急响应在进行，请调整其等级",
               "This place has an active emergency of this hazard: change its level"},
              {"emergency.same_level", "已是该等级", "It is at this level already"},
              {"emergency.ended", "应急响应已结束", "The emergency has ended"},
              {"emergency.task_not_found", "巡查任务不存在", "No such patrol task"},
              {"emergency.not_assignee", "只有本网格的网格员或责任服务队队员可以完成此任务",
               "Only the grid's workers or the team's members do this task"},
              {"emergency.task_closed", "该巡查任务已完成、已超时或已取消",
               "The task is done, missed or cancelled"},
              {"emergency.callup_not_found", "调度不存在", "No such call-up"},
              {"emergency.not_contact", "只有被调度单位的联系人可以响应",
               "Only the called-up partner's contacts respond"},
              {"emergency.acknowledged", "已响应过此调度", "Acknowledged already"},
              {"emergency.arrived", "已登记到岗", "Arrival recorded already"},
              {"emergency.bad_people", "人数须为 0 至 10000", "0 to 10,000 people"},
              {"risk.not_found", "风险点不存在", "No such risk point"},
              {"risk.bad_kind", "风险点类型不在可选范围内", "Unknown kind of risk point"},
              {"risk.bad_place", "请选择社区或其下的地点", "Choose a community or a place in one"},
              {"risk.bad_grid", "责任网格须为该社区的网格", "The grid must be one of the community's"},
              {"risk.bad_team", "服务队须服务该社区", "The team must serve the community"},
              {"risk.bad_checkpoint", "巡逻点须为本社区巡逻路线上的点",
               "A checkpoint of a route in the community"},
              {"risk.bad_location", "坐标超出范围", "The coordinates are out of range"},
              {"risk.bad_phone", "联系电话格式不正确", "Not a valid phone number"},
              {"risk.bad_street", "街道不存在", "No such street"},
              {"risk.bad_frequencies", "频次表每行须为等级（1-4）、风险点类型、间隔小时（1-168），且不重复",
               "Each row: a level (1–4), a kind and every 1–168 hours, once each"},
              {"risk.bad_minutes", "响应时限须为 5 至 1440 分钟", "5 to 1,440 minutes"},
              {"risk.bad_org", "请选择本街道的合伙人单位", "Choose a partner of the street"},
              {"risk.callup_exists", "该单位已在此调度名单中", "The partner is on this list already"},
              {"risk.callup_not_found", "调度名单条目不存在", "No such call-up list entry"},
              {"supply.no_warehouse", "物资仓库不存在", "No such warehouse"},
              {"supply.bad_place", "请选择仓库所在地点", "Choose where the warehouse is"},
              {"supply.bad_kind", "出入库类型须为入库、发放、调拨、归还或报损",
               "Receive, issue, transfer, return or write off"},
              {"supply.bad_item", "物资不在可选范围内", "Unknown item"},
              {"supply.bad_quantity", "数量须为 1 至 1000000", "1 to 1,000,000"},
              {"supply.bad_transfer", "调拨须选择另一个您管理的仓库",
               "A transfer goes to another warehouse you manage"},
              {"supply.counterpart_required", "请填写领用/归还人或地点",
               "Say who or where it goes to or comes from"},
              {"supply.reason_required", "报损须说明原因", "Say why it is written off"},
              {"supply.bad_risk_point", "风险点不存在", "No such risk point"},
              {"supply.bad_emergency", "应急响应不存在", "No such emergency"},
              {"supply.insufficient", "库存不足，未出库", "Not enough in stock: nothing was moved"},
              {"emergency.notice.tasks", "{place}{level}应急响应：您有 {count} 项巡查任务",
               "{place}, {level}: you have {count} patrol tasks"},
              {"emergency.notice.callup",
               "{place}启动{hazard}{level}应急响应，请{org}在 {minutes} 分钟内响应",
               "{place} declared {hazard} {level}: {org}, acknowledge within {minutes} minutes"},
              {"emergency.notice.missed", "巡查超时：{point}（{grid}）",
               "Patrol missed: {point} ({grid})"},
              {"emergency.notice.not_acknowledged", "{org}未按时响应应急调度",
               "{org} has not acknowledged the call-up"},
              {"supply.notice.low", "{warehouse}的{item}库存不足：剩 {quantity}",
               "{warehouse}: {item} running low ({quantity} left)"},
          },
      .labels = {{"emergency.level", levels},
                 {"emergency.status", emergency_statuses},
                 {"emergency.task_status", task_statuses},
                 {"supply.movement", movement_kinds},
                 {"notice.kind", notice_kinds},
                 {"task", task_keys},
                 {"audit.action", audit_actions},
                 {"audit.target", audit_targets}},
      .emits = {"emergency.changed", "supply.moved"},
      .live = {{"emergency", require_emergency, {"emergency.changed"}, display_emergency},
               {"emergency_task", require_task, {}}},
      .sealed = {{"risk_points", "contact_phone_enc"}},
      .audit_names = {{"emergency", emergency_names},
                      {"risk_point", risk_names},
                      {"warehouse", warehouse_names}},
      .start = start,
      .demo = {{99, load_demo}},
      .gen = {{75, gen_street}},
      .tasks = tasks,
      .commands = commands,
  };
  return m;
}

}  // namespace xh::emergencies
