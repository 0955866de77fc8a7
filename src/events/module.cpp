// The events module's declaration (EVT-1 … EVT-3): events and their dates,
// registration and check-in, queue numbers, scored stations and prizes, and
// honours with their public vote.
#include "api/module.h"

#include <boost/json.hpp>
#include <memory>

#include "api/scope.h"
#include "events/events.h"
#include "events/shared.h"

namespace xh::events {

void add_routes(api::Router& r, std::shared_ptr<const Events> ev, std::shared_ptr<const Honours> hs);
void load_demo(api::Context& ctx);

const std::vector<Label>& event_kinds() {
  static const std::vector<Label> all = {{"festival", "巡回活动", "Festival"},
                                         {"ceremony", "仪式", "Ceremony"},
                                         {"activity", "社区活动", "Community activity"}};
  return all;
}

const std::vector<Label>& event_statuses() {
  static const std::vector<Label> all = {{"draft", "草稿", "Draft"},
                                         {"published", "报名中", "Open"},
                                         {"cancelled", "已取消", "Cancelled"},
                                         {"finished", "已结束", "Finished"}};
  return all;
}

const std::vector<Label>& audiences() {
  static const std::vector<Label> all = {{"residents", "居民报名", "Residents register"},
                                         {"organisations", "邀请单位", "Invited organisations"}};
  return all;
}

const std::vector<Label>& registration_statuses() {
  static const std::vector<Label> all = {{"registered", "已报名", "Registered"},
                                         {"waiting", "候补中", "On the waitlist"},
                                         {"cancelled", "已取消", "Cancelled"},
                                         {"invited", "待回复", "Invited"},
                                         {"declined", "已婉拒", "Declined"}};
  return all;
}

const std::vector<Label>& queue_statuses() {
  static const std::vector<Label> all = {{"waiting", "等候中", "Waiting"},
                                         {"called", "请就位", "Called"},
                                         {"served", "已服务", "Served"},
                                         {"skipped", "已过号", "Skipped"}};
  return all;
}

const std::vector<Label>& honour_kinds() {
  static const std::vector<Label> all = {{"collective", "集体", "Collective"},
                                         {"individual", "个人", "Individual"},
                                         {"partner", "红色合伙人", "Red Partner"},
                                         {"grid", "网格评选", "Grid evaluation"}};
  return all;
}

const std::vector<Label>& honour_statuses() {
  static const std::vector<Label> all = {{"nominating", "推荐中", "Taking nominations"},
                                         {"voting", "投票中", "Voting"},
                                         {"closed", "计票中", "Counting"},
                                         {"published", "已公示", "Published"}};
  return all;
}

const std::vector<Label>& nominee_statuses() {
  static const std::vector<Label> all = {{"pending", "待审核", "To review"},
                                         {"approved", "已通过", "Approved"},
                                         {"rejected", "未通过", "Rejected"}};
  return all;
}

namespace {

void start(api::Setup& s) {
  auto& ctx = s.context();
  add_routes(s.router(), std::make_shared<const Events>(ctx.db, ctx.cipher, ctx.events),
             std::make_shared<const Honours>(ctx.db, ctx.events));
}

void tasks(storage::Tx& tx, const api::Principal& p, Millis, boost::json::array& out) {
  // Nominations waiting for review (staff of the round's place).
  if (!p.has_permission("honour.manage")) return;
  std::vector<storage::Param> params;
  auto cond = api::scope_condition(p, "honour.manage", {"r.path"}, params);
  auto n = tx.query_one_v(
      "SELECT COUNT(*) AS n FROM honour_nominees n JOIN honour_rounds r ON r.id = n.round_id "
      "WHERE n.status = 'pending' AND r.status = 'nominating' AND " + cond,
      params);
  out.push_back({{"key", "honour.review"}, {"count", n->i64("n")}, {"overdue", 0}});
}

std::map<std::string, std::string> event_names(storage::Tx& tx, const std::vector<std::string>& ids) {
  return api::names_by_id(tx, "SELECT id, title AS name FROM events", "id", ids);
}
std::map<std::string, std::string> round_names(storage::Tx& tx, const std::vector<std::string>& ids) {
  return api::names_by_id(tx, "SELECT id, title AS name FROM honour_rounds", "id", ids);
}
std::map<std::string, std::string> station_names(storage::Tx& tx, const std::vector<std::string>& ids) {
  return api::names_by_id(tx, "SELECT id, name FROM event_stations", "id", ids);
}
std::map<std::string, std::string> prize_names(storage::Tx& tx, const std::vector<std::string>& ids) {
  return api::names_by_id(tx, "SELECT id, name FROM event_prizes", "id", ids);
}
std::map<std::string, std::string> queue_names(storage::Tx& tx, const std::vector<std::string>& ids) {
  return api::names_by_id(tx, "SELECT id, name FROM event_queues", "id", ids);
}

const std::vector<Label>& audit_actions() {
  static const std::vector<Label> all = {
      {"event.create", "创建活动", "Event created"},
      {"event.update", "修改活动", "Event changed"},
      {"event.add_date", "增加活动场次", "Event date added"},
      {"event.update_date", "修改活动场次", "Event date changed"},
      {"event.cancel_registration", "取消报名", "Registration cancelled"},
      {"event.invite", "邀请单位", "Organisations invited"},
      {"event.accept", "接受邀请", "Invitation accepted"},
      {"event.decline", "婉拒邀请", "Invitation declined"},
      {"event.walk_in", "现场登记", "Walk-in registered"},
      {"event.queue_create", "设置取号队列", "Queue set up"},
      {"event.station_create", "设置活动站点", "Station set up"},
      {"event.station_update", "修改活动站点", "Station changed"},
      {"event.score", "登记成绩", "Score recorded"},
      {"event.prize_create", "设置奖品", "Prize set up"},
      {"event.prize_stock", "调整奖品库存", "Prize stock changed"},
      {"event.prize_hand", "发放奖品", "Prize handed out"},
      {"honour.create", "发起评选", "Honours round started"},
      {"honour.status", "评选阶段变更", "Honours round moved on"},
      {"honour.nominate", "推荐候选", "Nomination"},
      {"honour.approve", "候选审核通过", "Nomination approved"},
      {"honour.reject", "候选审核未通过", "Nomination rejected"},
      {"honour.score", "候选评分", "Nominee scored"},
      {"honour.void", "作废异常投票", "Votes voided"}};
  return all;
}

const std::vector<Label>& audit_targets() {
  static const std::vector<Label> all = {{"event", "活动", "Event"},
                                         {"event_date", "活动场次", "Event date"},
                                         {"event_registration", "活动报名", "Registration"},
                                         {"event_queue", "取号队列", "Queue"},
                                         {"event_station", "活动站点", "Station"},
                                         {"event_prize", "奖品", "Prize"},
                                         {"honour_round", "评选", "Honours round"},
                                         {"honour_nominee", "评选候选", "Nominee"}};
  return all;
}

const std::vector<Label>& task_keys() {
  static const std::vector<Label> all = {{"honour.review", "待审核的评选推荐", "Nominations to review"}};
  return all;
}

const std::vector<Label>& notice_kinds() {
  static const std::vector<Label> all = {{"event.promoted", "活动候补转正", "Waitlist place freed"},
                                         {"event.cancelled", "活动取消", "Event cancelled"},
                                         {"event.invited", "活动邀请", "Event invitation"},
                                         {"event.called", "叫号提醒", "Your number is called"},
                                         {"event.completed", "闯关完成", "Score card completed"},
                                         {"honour.reviewed", "评选推荐审核", "Nomination reviewed"}};
  return all;
}

}  // namespace

const api::Module& module() {
  static const api::Module m{
      .name = "events",
      .permissions =
          {
              // The events of one's places, their registrations and results.
              {"event.read", {"street_admin", "community_admin", "grid_worker"}},
              // Create events, dates, stations, queues and prizes.
              {"event.manage", {"street_admin", "community_admin"}},
              // The door: check-in, walk-ins, calling numbers, handing prizes.
              {"event.checkin", {"street_admin", "community_admin", "grid_worker"}},
              // Register on the phone, take a number (residents of the place).
              {"event.join", {"resident", "volunteer", "building_leader"}},
              // Run honours rounds: review, scores, the anomaly report, the result.
              {"honour.manage", {"street_admin", "community_admin"}},
              // Nominate and vote: verified residents (the resident role over a household).
              {"honour.vote", {"resident"}},
          },
      .messages =
          {
              {"event.not_found", "活动不存在", "No such event"},
              {"event.date_not_found", "活动场次不存在", "No such event date"},
              {"event.ticket_not_found", "票券不存在或不属于本活动", "No such ticket for this event"},
              {"event.bad_place", "请选择本活动所在街道或社区内的地点", "Choose a place within the event's street or community"},
              {"event.bad_kind", "活动类型须为巡回活动、仪式或社区活动", "A festival, a ceremony or a community activity"},
              {"event.bad_audience", "报名方式须为居民报名或邀请单位", "Residents register, or organisations are invited"},
              {"event.bad_status", "活动状态不在可选范围内", "Unknown event status"},
              {"event.bad_transition", "活动当前状态下不能这样变更", "The event cannot move to that status from where it is"},
              {"event.no_dates", "请先为活动添加场次", "Add a date first"},
              {"event.bad_dates", "场次须为数组，至多 100 个", "Dates are an array of at most 100"},
              {"event.bad_time", "请填写有效的开始和结束时间（结束晚于开始，不超过 31 天）", "Valid start and end times: the end after the start, at most 31 days"},
              {"event.bad_capacity", "名额须为 1 至 100000", "Capacity from 1 to 100,000"},
              {"event.capacity_below_taken", "名额不能少于已报名人数", "The capacity cannot be below the places taken"},
              {"event.bad_phone", "手机号格式不正确", "Not a valid phone number"},
              {"event.not_open", "活动未开放或已结束", "The event is not open"},
              {"event.date_cancelled", "该场次已取消", "This date is cancelled"},
              {"event.date_over", "该场次已结束", "This date is over"},
              {"event.full", "名额已满", "No places left"},
              {"event.already_registered", "您已报名该场次", "You are registered for this date already"},
              {"event.invitation_only", "本活动仅限受邀单位参加", "This event is by invitation"},
              {"event.not_for_organisations", "本活动由居民报名，不邀请单位", "Residents register for this event; organisations are not invited"},
              {"event.bad_org", "单位不存在", "No such organisation"},
              {"event.bad_party", "参加人数须为 1 至 50", "From 1 to 50 people"},
              {"event.not_registered", "该票券未报名成功（候补、已取消或未接受邀请）", "This ticket holds no place (waiting, cancelled or not accepted)"},
              {"event.checked_in", "已签到，不能取消", "Checked in already: it cannot be cancelled"},
              {"event.wrong_date", "该票券属于本活动的其他场次", "This ticket is for another date of the event"},
              {"event.door_closed", "不在签到时间内（开始前 2 小时至结束后 2 小时）", "Outside the door's hours (from 2 hours before the start to 2 hours after the end)"},
              {"event.bad_direction", "签到方向须为入场或离场", "In or out"},
              {"event.no_exit_scan", "本场次不需要离场签退", "This date scans no exit"},
              {"event.not_checked_in", "尚未入场签到", "Not checked in yet"},
              {"event.bad_prefix", "号码前缀须为 1 至 2 个大写字母", "A prefix of one or two capital letters"},
              {"event.bad_station", "站点不属于本活动", "Not a station of this event"},
              {"event.queue_not_found", "取号队列不存在", "No such queue"},
              {"event.queue_closed", "该队列未开放取号", "This queue gives no numbers now"},
              {"event.has_number", "您已在该队列取号", "You hold a number in this queue already"},
              {"event.number_not_found", "号码不存在", "No such number"},
              {"event.number_not_called", "该号码不在叫号中", "This number is not being called"},
              {"event.number_not_skipped", "只能重呼已过号的号码", "Only a skipped number can be recalled"},
              {"event.station_not_found", "站点不存在", "No such station"},
              {"event.bad_score_type", "计分方式不在可选范围内", "Unknown way of scoring"},
              {"event.bad_operator", "工作人员账号不存在或已停用", "No such active user"},
              {"event.bad_value", "成绩不符合该站点的计分方式", "The result does not fit the station's scoring"},
              {"event.already_scored", "该参与者已在本站点登记成绩", "This participant is scored at this station already"},
              {"event.bad_stock", "库存须为 0 至 1000000", "Stock from 0 to 1,000,000"},
              {"event.prize_not_found", "奖品不存在", "No such prize"},
              {"event.bad_prize", "奖品不属于本活动", "Not a prize of this event"},
              {"event.card_incomplete", "尚未完成全部必闯站点", "The required stations are not all scored"},
              {"event.prize_handed", "该参与者已领取奖品", "This participant has had their prize"},
              {"event.out_of_stock", "该奖品已发完", "This prize has run out"},
              {"event.notice.promoted", "{title}：候补转正，您已报名成功", "{title}: a place came free and is yours"},
              {"event.notice.cancelled", "{title} 已取消", "{title} is cancelled"},
              {"event.notice.invited", "{org}受邀参加{title}，请回复", "{org} is invited to {title}: please reply"},
              {"event.notice.called", "{queue}：请 {number} 号就位", "{queue}: number {number}, please come forward"},
              {"event.notice.completed", "{title}：您已完成全部闯关，请到领奖处领奖", "{title}: every station done — collect your prize"},
              {"honour.not_found", "评选不存在", "No such honours round"},
              {"honour.nominee_not_found", "候选不存在", "No such nominee"},
              {"honour.bad_place", "请选择街道或社区", "Choose a street or a community"},
              {"honour.bad_kind", "评选类别不在可选范围内", "Unknown kind of honour"},
              {"honour.bad_limits", "投票规则超出范围（每人 1–20 票，每户 1–100 票，每地址每分钟 1–10000 票）", "Limits out of range (1–20 votes a voter, 1–100 a household, 1–10,000 a minute from one address)"},
              {"honour.bad_criteria", "评分标准须为至多 10 项，每项有唯一编号、名称和满分（1–100）", "At most 10 criteria, each with its own key, a label and a maximum (1–100)"},
              {"honour.bad_transition", "评选须依次经过推荐、投票、计票、公示", "A round moves from nominations to voting, counting, then publication"},
              {"honour.no_nominees", "尚无审核通过的候选", "No nominee is approved yet"},
              {"honour.not_nominating", "评选不在推荐阶段", "The round takes no nominations now"},
              {"honour.bad_org", "单位不存在", "No such organisation"},
              {"honour.bad_grid", "请选择本辖区的网格", "Choose a grid of this place"},
              {"honour.reason_required", "请填写理由", "Give a reason"},
              {"honour.published", "结果已公示，不能再改", "The result is published: nothing can change"},
              {"honour.no_criteria", "本评选没有评分标准", "This round has no criteria"},
              {"honour.bad_scores", "评分须为各项标准的 0 至满分", "Scores from 0 to each criterion's maximum"},
              {"honour.not_voter", "只有本辖区经认证的居民可以投票", "Only verified residents of the place may vote"},
              {"honour.not_voting", "评选不在投票阶段", "The round is not voting"},
              {"honour.bad_nominee", "候选不属于本评选或未通过审核", "Not an approved nominee of this round"},
              {"honour.rate_limited", "投票过于频繁，请稍后再试", "Too many votes from here: try again later"},
              {"honour.no_votes_left", "您的票数已用完", "You have no votes left"},
              {"honour.household_cap", "您家庭的投票数已达上限", "Your household has used all its votes"},
              {"honour.already_voted", "您已为该候选投过票", "You have voted for this nominee"},
              {"honour.bad_votes", "投票不属于本评选", "Not votes of this round"},
              {"honour.notice.approved", "您在“{round}”推荐的{name}已通过审核", "Your nomination of {name} in {round} is approved"},
              {"honour.notice.rejected", "您在“{round}”推荐的{name}未通过审核", "Your nomination of {name} in {round} was not approved"},
          },
      .labels = {{"event.kind", event_kinds},
                 {"event.status", event_statuses},
                 {"event.audience", audiences},
                 {"event.registration_status", registration_statuses},
                 {"event.number_status", queue_statuses},
                 {"honour.kind", honour_kinds},
                 {"honour.status", honour_statuses},
                 {"honour.nominee_status", nominee_statuses},
                 {"task", task_keys},
                 {"notice.kind", notice_kinds},
                 {"audit.action", audit_actions},
                 {"audit.target", audit_targets}},
      .emits = {"event.changed", "event.date_changed", "event.queue_changed", "event.scored",
                "event.ticket_changed", "honour.changed"},
      .live = {{"event_date", require_date, {"event.date_changed"}},
               {"event_queue", require_queue, {"event.queue_changed"}, queue_screen},
               {"event_station", require_station, {"event.scored"}, station_screen},
               {"event_ticket", require_ticket, {"event.ticket_changed"}},
               {"honour_nominee", require_nominee, {}}},
      .audit_names = {{"event", event_names},
                      {"honour_round", round_names},
                      {"event_station", station_names},
                      {"event_prize", prize_names},
                      {"event_queue", queue_names}},
      .start = start,
      .demo = {{101, load_demo}},
      .tasks = tasks,
  };
  return m;
}

}  // namespace xh::events
