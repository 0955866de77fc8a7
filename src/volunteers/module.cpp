// The volunteers module's declaration (VOL-1, VOL-2): volunteers registered
// with their community, teams, 双报到 Party branches, and the teams'
// activities with sign-ups, check-in by rotating code, confirmed hours (paid
// as points through volunteer.hours_confirmed), certificates and calendar
// feeds.
#include "api/module.h"

#include <boost/json.hpp>
#include <memory>

#include "volunteers/activities.h"
#include "volunteers/rules.h"
#include "volunteers/volunteers.h"

namespace xh::volunteers {

void add_routes(api::Router& r, std::shared_ptr<const Volunteers> vs,
                std::shared_ptr<const Activities> as);
void load_demo(api::Context& ctx);
api::GenCounts gen_street(storage::Tx& tx, api::Context& ctx, api::GenStreet& street);

namespace {

void start(api::Setup& s) {
  auto& ctx = s.context();
  add_routes(s.router(), std::make_shared<const Volunteers>(ctx.db, ctx.cipher, ctx.events),
             std::make_shared<const Activities>(ctx.db, ctx.cipher, ctx.events));
}

std::map<std::string, std::string> volunteer_names(storage::Tx& tx,
                                                   const std::vector<std::string>& ids) {
  return api::names_by_id(
      tx, "SELECT v.id, u.display_name AS name FROM volunteers v JOIN users u ON u.id = v.user_id",
      "v.id", ids);
}

std::map<std::string, std::string> team_names(storage::Tx& tx,
                                              const std::vector<std::string>& ids) {
  return api::names_by_id(
      tx, "SELECT t.id, o.name FROM volunteer_teams t JOIN orgs o ON o.id = t.org_id", "t.id", ids);
}

std::map<std::string, std::string> activity_names(storage::Tx& tx,
                                                  const std::vector<std::string>& ids) {
  return api::names_by_id(tx, "SELECT id, title AS name FROM activities", "id", ids);
}

void tasks(storage::Tx& tx, const api::Principal& p, Millis, boost::json::array& out) {
  if (p.has_permission("volunteer.manage"))
    out.push_back({{"key", "volunteer.review"}, {"count", waiting_review(tx, p)}, {"overdue", 0}});
  if (auto n = hours_to_confirm(tx, p); n > 0 || p.has_permission("volunteer.manage"))
    out.push_back({{"key", "activity.hours"}, {"count", n}, {"overdue", 0}});
}

const std::vector<Label>& audit_actions() {
  static const std::vector<Label> all = {
      {"volunteer.register", "志愿者报到", "Volunteer registered"},
      {"volunteer.review", "审核志愿者", "Volunteer reviewed"},
      {"team.create", "成立志愿服务队", "Team created"},
      {"team.update", "修改志愿服务队", "Team changed"},
      {"team.member_add", "加入志愿服务队", "Team member added"},
      {"team.member_remove", "退出志愿服务队", "Team member removed"},
      {"branch.register", "党组织双报到", "Party branch registered"},
      {"activity.create", "发布志愿活动", "Activity created"},
      {"activity.cancel", "取消志愿活动", "Activity cancelled"},
      {"activity.sign_up", "报名志愿活动", "Signed up"},
      {"activity.withdraw", "取消报名", "Sign-up withdrawn"},
      {"activity.close", "补签退", "Check-out closed"},
      {"activity.confirm_hours", "确认服务时长", "Hours confirmed"},
      {"calendar.create", "创建日历订阅", "Calendar feed created"},
      {"calendar.revoke", "撤销日历订阅", "Calendar feed revoked"}};
  return all;
}

const std::vector<Label>& audit_targets() {
  static const std::vector<Label> all = {
      {"volunteer", "志愿者", "Volunteer"},       {"team", "志愿服务队", "Team"},
      {"party_branch", "党组织", "Party branch"}, {"activity", "志愿活动", "Activity"},
      {"activity_signup", "活动报名", "Sign-up"}, {"calendar_feed", "日历订阅", "Calendar feed"}};
  return all;
}

const std::vector<Label>& notice_kinds() {
  static const std::vector<Label> all = {
      {"volunteer.reviewed", "志愿者报到审核", "Volunteer registration"},
      {"team.joined", "加入服务队", "Joined a team"},
      {"activity.cancelled", "活动取消", "Activities cancelled"},
      {"activity.promoted", "候补转正", "Places from the waitlist"},
      {"activity.confirmed", "服务时长确认", "Hours confirmed"}};
  return all;
}

const std::vector<Label>& task_keys() {
  static const std::vector<Label> all = {
      {"volunteer.review", "待确认志愿者", "Volunteers to confirm"},
      {"activity.hours", "待确认服务时长", "Hours to confirm"}};
  return all;
}

}  // namespace

const api::Module& module() {
  static const api::Module m{
      .name = "volunteers",
      .permissions =
          {
              // The volunteers, teams, activities and branches of the places in scope.
              {"volunteer.read", {"street_admin", "community_admin"}},
              // Confirm volunteers, set up teams, manage any activity in scope.
              {"volunteer.manage", {"street_admin", "community_admin"}},
              // See the teams whose place one reaches.
              {"team.read",
               {"street_admin", "community_admin", "grid_worker", "building_leader",
                "property_staff", "partner_admin", "volunteer", "resident"}},
              // Register as a volunteer, see open activities, sign up once confirmed.
              {"activity.join",
               {"street_admin", "community_admin", "grid_worker", "building_leader",
                "property_staff", "partner_admin", "volunteer", "resident"}},
              // Register one's partner's Party branch with a community (双报到).
              {"branch.register", {"partner_admin"}},
          },
      .messages =
          {
              {"volunteer.not_registered", "您还没有报到成为志愿者",
               "You have not registered as a volunteer"},
              {"volunteer.not_found", "志愿者不存在", "No such volunteer"},
              {"volunteer.exists", "您已报到，无需重复报到", "You have registered already"},
              {"volunteer.bad_community", "请选择您居住的社区（居民须在本人住户所在社区报到）",
               "Choose your community (residents register where their household is)"},
              {"volunteer.bad_serves", "服务小区须为报到社区内的小区",
               "Serve in compounds of your community"},
              {"volunteer.bad_branch", "党组织不存在", "No such Party branch"},
              {"volunteer.bad_action", "审核结果须为确认或不通过", "Confirm or decline"},
              {"volunteer.reason_required", "不通过须说明理由，申请人会看到",
               "Say why: the applicant will see it"},
              {"volunteer.reviewed", "该报到已审核过", "This registration has been reviewed"},
              {"team.not_found", "志愿服务队不存在", "No such team"},
              {"team.bad_org", "请选择尚未建队的志愿服务队合伙人",
               "Choose a volunteer-team partner without a team"},
              {"team.bad_place", "地点不存在", "No such place"},
              {"team.bad_service", "服务类别不在可选范围内", "Unknown kind of service"},
              {"team.bad_places", "服务地点须在服务队所在地范围内",
               "Served places lie under the team's place"},
              {"team.bad_leader", "队长须为已确认的志愿者",
               "The leader must be a confirmed volunteer"},
              {"team.bad_member", "队员须为已确认的志愿者", "Members must be confirmed volunteers"},
              {"team.member_exists", "该志愿者已是队员", "This volunteer is a member already"},
              {"team.not_member", "该志愿者不是队员", "This volunteer is not a member"},
              {"team.leader_stays", "队长不能退出，请先更换队长", "Change the leader first"},
              {"branch.bad_org", "合伙人单位不存在", "No such partner"},
              {"branch.bad_community", "请选择报到的社区", "Choose the community to register with"},
              {"branch.exists", "该党组织已在此社区报到",
               "This branch has registered with this community already"},
              {"activity.not_found", "活动不存在", "No such activity"},
              {"activity.occurrence_not_found", "活动场次不存在", "No such occurrence"},
              {"activity.not_leader", "只有服务队队长或社区工作人员可以操作",
               "Only the team's leader or staff may do this"},
              {"activity.signup_not_found", "报名记录不存在", "No such sign-up"},
              {"activity.bad_team", "服务队不存在", "No such team"},
              {"activity.bad_place", "活动地点须在服务队的服务范围内",
               "Hold it where the team serves"},
              {"activity.bad_date", "开始日期格式应为 YYYY-MM-DD", "The first date is YYYY-MM-DD"},
              {"activity.bad_time", "活动时间须为 1 至 6 个 HH:MM，按先后排列",
               "1 to 6 times of day as HH:MM, in order"},
              {"activity.bad_duration", "活动时长须为 15 分钟至 12 小时",
               "An activity lasts 15 minutes to 12 hours"},
              {"activity.bad_rrule", "重复规则无效（支持按天、按周、按月，时间请在活动时间中填写）",
               "Invalid recurrence rule (daily, weekly or monthly; times of day go in times)"},
              {"activity.bad_capacity", "名额须为 1 至 5000", "Capacity is 1 to 5,000"},
              {"activity.bad_setting", "取消截止或签到时间窗超出范围", "A setting is out of range"},
              {"activity.reason_required", "请说明理由", "Give a reason"},
              {"activity.cancelled", "活动已取消", "The activity is cancelled"},
              {"activity.bad_start", "该时间没有可报名的活动场次",
               "No occurrence open at that time"},
              {"activity.not_volunteer", "请先报到成为志愿者，经社区确认后即可报名",
               "Register as a volunteer; once the community confirms you, you can sign up"},
              {"activity.not_open", "该活动仅限本队队员报名",
               "Only the team's members can sign up"},
              {"activity.signed_up", "您已报名该场次", "You are signed up already"},
              {"activity.cutoff", "已过取消报名截止时间", "Too late to cancel"},
              {"activity.not_signed", "您没有该场次的有效报名",
               "You hold no place in this occurrence"},
              {"activity.window_closed", "不在签到/签退时间内",
               "Check-in or check-out is not open now"},
              {"activity.bad_code", "签到码无效或已过期", "The code is wrong or has expired"},
              {"activity.bad_direction", "请选择签到或签退", "Check in or out"},
              {"activity.not_checked_in", "尚未签到", "Not checked in"},
              {"activity.checked_out", "已签退", "Checked out already"},
              {"activity.bad_checkout", "签退时间须在签到之后、签退截止之前",
               "The check-out falls after the check-in and before the window closes"},
              {"activity.own_hours", "队长本人的服务时长由社区工作人员确认",
               "A leader's own hours are confirmed by staff"},
              {"activity.confirmed", "服务时长已确认", "The hours are confirmed already"},
              {"activity.not_checked_out", "签退后才能确认时长", "Confirm after check-out"},
              {"activity.bad_minutes", "服务时长须为 0 至 1440 分钟", "0 to 1,440 minutes"},
              {"calendar.bad_kind", "订阅类型须为服务队或个人", "A team's or one's own"},
              {"calendar.not_found", "日历订阅不存在或已撤销",
               "No such calendar feed, or it was revoked"},
              {"volunteer.notice.confirmed", "您已成为{community}的志愿者，可以报名参加志愿活动了",
               "You are a volunteer of {community}: you can sign up for activities"},
              {"volunteer.notice.declined", "您在{community}的志愿者报到未通过：{reason}",
               "Your registration with {community} was declined: {reason}"},
              {"team.notice.joined", "您已加入{team}", "You joined {team}"},
              {"activity.notice.cancelled", "活动「{title}」（{when}）取消：{reason}",
               "\"{title}\" ({when}) is cancelled: {reason}"},
              {"activity.notice.promoted", "候补成功：您已获得活动「{title}」（{when}）的名额",
               "From the waitlist: you have a place in \"{title}\" ({when})"},
              {"activity.notice.confirmed", "活动「{title}」的服务时长已确认：{hours} 小时",
               "Your hours for \"{title}\" are confirmed: {hours} h"},
          },
      .labels = {{"volunteer.status", volunteer_statuses},
                 {"volunteer.service", team_services},
                 {"activity.signup", signup_statuses},
                 {"activity.status", activity_statuses},
                 {"notice.kind", notice_kinds},
                 {"task", task_keys},
                 {"audit.action", audit_actions},
                 {"audit.target", audit_targets}},
      .emits = {"volunteer.changed", "activity.changed", "volunteer.hours_confirmed"},
      .live = {{"activity_occurrence", require_occurrence, {"activity.changed"}},
               {"volunteer", require_volunteer, {"volunteer.changed"}}},
      .audit_names = {{"volunteer", volunteer_names},
                      {"team", team_names},
                      {"activity", activity_names}},
      .limits = {{"activity_capacity_max", kMaxCapacity},
                 {"activity_window_minutes_default", kDefaultWindowMinutes},
                 {"activity_cutoff_minutes_default", kDefaultCutoffMinutes}},
      .start = start,
      .demo = {{98, load_demo}},
      .gen = {{70, gen_street}},  // after the partners (30) and the logins (50)
      .tasks = tasks,
  };
  return m;
}

}  // namespace xh::volunteers
