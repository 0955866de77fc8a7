// The councils module's declaration: councils, their members and rule sets,
// meetings with their agenda and answers — permissions, messages, labels,
// routes, the live topic of a meeting, the consultation it adopts, the demo.
#include <boost/json.hpp>

#include "api/module.h"
#include "api/scope.h"
#include "core/error.h"
#include "councils/councils.h"

namespace xh::councils {

void add_routes(api::Router& r, std::shared_ptr<const Councils> councils);
void load_demo(api::Context& ctx);

namespace {

namespace json = boost::json;

const std::vector<Label>& audit_actions() {
  static const std::vector<Label> all = {
      {"council.create", "成立议事组织", "Council formed"},
      {"council.update", "修改议事组织", "Council changed"},
      {"council.member_add", "增补议事成员", "Member seated"},
      {"council.member_remove", "议事成员离任", "Member left"},
      {"council.rule_set", "制定议事规则", "Rule set made"},
      {"council.meeting_call", "召集会议", "Meeting called"},
      {"council.reply", "答复会议通知", "Meeting notice answered"},
  };
  return all;
}

const std::vector<Label>& audit_targets() {
  static const std::vector<Label> all = {{"council", "议事组织", "Council"},
                                         {"meeting", "议事会议", "Meeting"},
                                         {"rule_set", "议事规则", "Rule set"}};
  return all;
}

const std::vector<Label>& notice_kinds() {
  static const std::vector<Label> all = {{"council.meeting_called", "会议通知", "Meeting notices"}};
  return all;
}

const std::vector<Label>& meeting_statuses() {
  static const std::vector<Label> all = {{"scheduled", "待召开", "Scheduled"},
                                         {"open", "进行中", "In session"},
                                         {"closed", "已结束", "Closed"},
                                         {"cancelled", "已取消", "Cancelled"}};
  return all;
}

const std::vector<Label>& replies() {
  static const std::vector<Label> all = {{"invited", "未答复", "Not answered"},
                                         {"attending", "参加", "Attending"},
                                         {"absent", "请假", "Absent"},
                                         {"proxy", "委托他人", "By proxy"}};
  return all;
}

std::map<std::string, std::string> council_names(storage::Tx& tx, const std::vector<std::string>& ids) {
  return api::names_by_id(tx, "SELECT id, name FROM councils", "id", ids);
}
std::map<std::string, std::string> meeting_names(storage::Tx& tx, const std::vector<std::string>& ids) {
  return api::names_by_id(tx, "SELECT id, title AS name FROM meetings", "id", ids);
}
std::map<std::string, std::string> rule_set_names(storage::Tx& tx, const std::vector<std::string>& ids) {
  return api::names_by_id(tx, "SELECT id, name FROM rule_sets", "id", ids);
}

void authorize_meeting(storage::Tx& tx, const api::Principal& p, std::int64_t id) { require_meeting(tx, p, id); }

void start(api::Setup& s) {
  auto& ctx = s.context();
  add_routes(s.router(), std::make_shared<const Councils>(ctx.db, ctx.events));
  // A work order's 三方协商 becomes a council with its first meeting.
  s.subscribe("workorder.consultation_opened", [&events = ctx.events](storage::Tx& tx, const api::Event& e) {
    Consultation c;
    c.id = e.subject_id;
    c.place_id = e.data.at("place_id").as_int64();
    c.path = e.place_path;
    c.title = std::string(e.data.at("title").as_string());
    if (const auto* org = e.data.if_contains("property_org_id"); org && org->is_int64()) c.property_org_id = org->as_int64();
    c.created_by = e.actor.user_id;
    for (const auto& r : e.data.at("resident_reps").as_array()) c.resident_reps.emplace_back(r.as_string());
    c.created_at = now_ms();
    adopt_consultation(tx, events, c);
  });
}

}  // namespace

const api::Module& module() {
  static const api::Module m{
      .name = "councils",
      .permissions =
          {
              {"council.read", {"street_admin", "community_admin", "grid_worker"}},
              {"council.manage", {"street_admin", "community_admin"}},
          },
      .messages =
          {
              {"council.not_found", "议事组织不存在", "No such council"},
              {"council.meeting_not_found", "会议不存在", "No such meeting"},
              {"council.member_not_found", "该成员不在此议事组织中", "No such member of this council"},
              {"council.bad_kind", "议事组织类型不在可选范围内", "Unknown kind of council"},
              {"council.bad_place", "这类议事组织不能设在该地点", "This kind of council does not sit at this kind of place"},
              {"council.bad_term", "任期日期须为 YYYY-MM-DD，且结束不早于开始", "Terms are YYYY-MM-DD and cannot end before they start"},
              {"council.rule_set_not_found", "议事规则不存在", "No such rule set"},
              {"council.bad_rules", "议事规则参数不正确", "A rule's parameter is not valid"},
              {"council.bad_seat", "席位不在可选范围内", "Unknown seat"},
              {"council.bad_user", "账号不存在或已停用", "No such active account"},
              {"council.bad_resident", "该居民不在本议事组织所在地", "This resident does not live where the council sits"},
              {"council.bad_org", "合伙人单位不存在", "No such partner organisation"},
              {"council.member_exists", "该账号已在此议事组织中", "This account already has a seat"},
              {"council.bad_time", "会议时间格式不正确", "The meeting's time is not valid"},
              {"council.bad_agenda", "议程须有 1 至 30 项，每项为动议或讨论，时长 1 至 240 分钟", "An agenda has 1 to 30 items, each a motion or a discussion of 1 to 240 minutes"},
              {"council.bad_presenter", "汇报人须为本议事组织成员", "A presenter must be a member"},
              {"council.not_member", "您不是该议事组织的成员", "You are not a member of this council"},
              {"council.meeting_closed", "会议已开始或已结束，不能再答复", "The meeting has begun or ended"},
              {"council.bad_reply", "答复须为参加、请假或委托", "Answer attending, absent or by proxy"},
              {"council.reason_required", "请假或委托须说明原因", "Give a reason for being absent"},
              {"council.no_proxies", "本议事规则不允许委托", "These rules allow no proxies"},
              {"council.bad_proxy", "受托人须为本次会议的其他成员", "A proxy must be another member called to the meeting"},
              {"council.notice.called", "{council} 召开会议：{title}（{at}）", "{council} meets: {title} ({at})"},
          },
      .labels = {{"audit.action", audit_actions},
                 {"audit.target", audit_targets},
                 {"notice.kind", notice_kinds},
                 {"meeting.status", meeting_statuses},
                 {"meeting.reply", replies}},
      .emits = {"council.meeting_called", "council.attendance"},
      .live = {{"meeting", authorize_meeting, {"council.meeting_called", "council.attendance"}}},
      .audit_names = {{"council", council_names}, {"meeting", meeting_names}, {"rule_set", rule_set_names}},
      .start = start,
      .demo = {{80, load_demo}},  // after the partners and the work orders
  };
  return m;
}

}  // namespace xh::councils
