// The councils module's declaration: councils, their members and rule sets,
// meetings with their agenda and answers — permissions, messages, labels,
// routes, the live topic of a meeting, the consultation it adopts, the demo.
#include <boost/json.hpp>

#include "api/module.h"
#include "api/scope.h"
#include "core/error.h"
#include "councils/councils.h"
#include "councils/minutes.h"
#include "councils/session.h"

namespace xh::councils {

void add_routes(api::Router& r, std::shared_ptr<const Councils> councils);
void add_session_routes(api::Router& r, std::shared_ptr<const MeetingRoom> room);
void add_minutes_routes(api::Router& r, std::shared_ptr<const Minutes> minutes);
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
      {"council.meeting_open", "宣布开会", "Meeting opened"},
      {"council.meeting_close", "宣布散会", "Meeting closed"},
      {"council.check_in", "代为签到", "Member checked in by the chair"},
      {"council.grant", "准许发言", "Floor given"},
      {"council.extend", "延长发言", "Speech extended"},
      {"council.speech_end", "结束发言", "Speech ended"},
      {"council.item", "进入下一议程", "Agenda item taken up"},
      {"council.vote", "发起表决", "Vote taken"},
      {"council.ballot", "投票", "Ballot cast"},
      {"council.vote_close", "结束表决", "Vote closed"},
      {"council.violation", "记录违规", "Violation recorded"},
      {"council.point_of_order", "记录秩序问题", "Point of order recorded"},
      {"council.minutes_edit", "编辑会议纪要", "Minutes edited"},
      {"council.minutes_sign", "签发会议纪要", "Minutes signed"},
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

const std::vector<Label>& choices() {
  static const std::vector<Label> all = {{"for", "赞成", "For"}, {"against", "反对", "Against"}, {"abstain", "弃权", "Abstain"}};
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
  add_session_routes(s.router(), std::make_shared<const MeetingRoom>(ctx.db, ctx.events));
  add_minutes_routes(s.router(), std::make_shared<const Minutes>(ctx.db, ctx.events));
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
              {"council.meeting_not_scheduled", "会议已开始或已结束", "The meeting has begun or ended"},
              {"council.meeting_not_open", "会议不在进行中", "The meeting is not in session"},
              {"council.bad_item", "议程中没有此项", "No such item on the agenda"},
              {"council.floor_taken", "有人正在发言，请先结束当前发言", "Someone has the floor: end that speech first"},
              {"council.queue_empty", "没有人申请发言", "Nobody asked for the floor"},
              {"council.request_not_found", "该发言申请不存在或已处理", "No such waiting request"},
              {"council.override_reason", "不按规则顺序安排发言须说明理由", "Giving the floor out of order needs a reason"},
              {"council.no_speech", "当前没有人发言", "Nobody has the floor"},
              {"council.no_extension", "本次发言已不能再延时", "This speech cannot be extended again"},
              {"council.bad_code", "签到码不正确或已过期，请扫描大屏上的最新二维码", "The check-in code is wrong or old: scan the screen's latest code"},
              {"council.not_checked_in", "请先签到", "Check in first"},
              {"council.already_waiting", "您已在发言队列中", "You are already waiting for the floor"},
              {"council.bad_side", "发言立场须为赞成、反对或中立", "Speak for, against or neutral"},
              {"council.speech_limit", "您在本议题上的发言次数已达上限", "You have spoken on this item as often as the rules allow"},
              {"council.not_waiting", "您不在发言队列中", "You are not waiting for the floor"},
              {"council.no_item", "当前没有进行中的议程", "No agenda item is under way"},
              {"council.not_motion", "只有动议才能表决", "Only a motion is put to the vote"},
              {"council.bad_method", "表决方式须为举手表决或手机表决", "Vote by show of hands or on the phones"},
              {"council.bad_count", "票数须为非负整数，且合计不超过出席人数", "Counts are whole numbers that add up to no more than those present"},
              {"council.vote_open", "已有表决正在进行", "A vote is under way"},
              {"council.vote_not_found", "表决不存在", "No such vote"},
              {"council.vote_closed", "表决已结束", "The vote has closed"},
              {"council.already_voted", "您已投票", "You have voted"},
              {"council.bad_choice", "请选择赞成、反对或弃权", "Vote for, against or abstain"},
              {"council.bad_rule", "请选择议事规则中的一条", "Choose one of the ten rules"},
              {"council.text_required", "请填写秩序问题的内容", "Say what the point of order is"},
              {"council.meeting_not_closed", "会议结束后才有纪要", "Minutes come once the meeting has closed"},
              {"council.minutes_not_found", "没有这一版纪要", "No such version of the minutes"},
              {"council.minutes_signed", "纪要已签发，修改后会成为新的一版", "The minutes are signed: a change makes a new version"},
              {"council.bad_minutes", "纪要的小结或决定事项不正确（决定事项最多 30 条，每条须有内容）", "The summary or a decision is not valid (at most 30 decisions, each with its text)"},
              {"council.notice.called", "{council} 召开会议：{title}（{at}）", "{council} meets: {title} ({at})"},
          },
      .labels = {{"audit.action", audit_actions},
                 {"audit.target", audit_targets},
                 {"notice.kind", notice_kinds},
                 {"meeting.status", meeting_statuses},
                 {"meeting.reply", replies},
                 {"vote.choice", choices}},
      .emits = {"council.meeting_called", "council.attendance", "council.session", "council.meeting_attended"},
      .live = {{"meeting", authorize_meeting, {"council.meeting_called", "council.attendance", "council.session"},
                screen_view}},
      .audit_names = {{"council", council_names}, {"meeting", meeting_names}, {"rule_set", rule_set_names}},
      .start = start,
      .demo = {{80, load_demo}},  // after the partners and the work orders
  };
  return m;
}

}  // namespace xh::councils
