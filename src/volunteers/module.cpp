// The volunteers module's declaration (VOL-1, VOL-2): volunteers registered
// with their community, teams, 双报到 Party branches, and the teams'
// activities with sign-ups, check-in by rotating code, confirmed hours (paid
// as points through volunteer.hours_confirmed), certificates and calendar
// feeds.
#include "api/module.h"

#include <boost/json.hpp>
#include <memory>

#include "volunteers/activities.h"
#include "volunteers/care.h"
#include "volunteers/patrols.h"
#include "volunteers/rules.h"
#include "volunteers/volunteers.h"

namespace xh::volunteers {

void add_routes(api::Router& r, std::shared_ptr<const Volunteers> vs,
                std::shared_ptr<const Activities> as);
void add_care_routes(api::Router& r, std::shared_ptr<const Wishes> ws,
                     std::shared_ptr<const HomeServices> hs, std::shared_ptr<const Stewards> ss);
void add_patrol_routes(api::Router& r, std::shared_ptr<const Patrols> ps);
void load_demo(api::Context& ctx);
api::GenCounts gen_street(storage::Tx& tx, api::Context& ctx, api::GenStreet& street);

namespace {

void start(api::Setup& s) {
  auto& ctx = s.context();
  add_routes(s.router(), std::make_shared<const Volunteers>(ctx.db, ctx.cipher, ctx.events),
             std::make_shared<const Activities>(ctx.db, ctx.cipher, ctx.events));
  add_care_routes(s.router(), std::make_shared<const Wishes>(ctx.db, ctx.events),
                  std::make_shared<const HomeServices>(ctx.db, ctx.events),
                  std::make_shared<const Stewards>(ctx.db, ctx.events));
  add_patrol_routes(s.router(), std::make_shared<const Patrols>(ctx.db, ctx.events));
  auto& events = ctx.events;
  s.job("wish.release", [&events](storage::Tx& tx, std::int64_t id, Millis now) {
    release_wish(tx, events, id, now);
  });
  s.job("homeservice.visit", [&events](storage::Tx& tx, std::int64_t id, Millis now) {
    make_planned_visit(tx, events, id, now);
  });
  s.job("homeservice.overdue", [&events](storage::Tx& tx, std::int64_t id, Millis now) {
    visit_overdue(tx, events, id, now);
  });
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
  if (p.has_permission("wish.manage"))
    out.push_back({{"key", "wish.review"}, {"count", wishes_to_review(tx, p)}, {"overdue", 0}});
  if (p.has_permission("homeservice.manage")) {
    std::int64_t overdue = 0;
    auto n = services_waiting(tx, p, &overdue);
    out.push_back({{"key", "homeservice.waiting"}, {"count", n}, {"overdue", overdue}});
  }
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
      {"calendar.revoke", "撤销日历订阅", "Calendar feed revoked"},
      {"wish.post", "发布微心愿", "Micro-wish posted"},
      {"wish.review", "审核微心愿", "Micro-wish reviewed"},
      {"wish.claim", "认领微心愿", "Micro-wish claimed"},
      {"wish.release", "微心愿释放", "Micro-wish released"},
      {"wish.fulfil", "微心愿完成", "Micro-wish fulfilled"},
      {"wish.confirm", "确认微心愿", "Micro-wish confirmed"},
      {"wish.thank", "微心愿致谢", "Micro-wish thanked"},
      {"homeservice.request", "申请上门服务", "Home service requested"},
      {"homeservice.assign", "派单上门服务", "Home service assigned"},
      {"homeservice.done", "完成上门服务", "Home service done"},
      {"homeservice.rate", "评价上门服务", "Home service rated"},
      {"homeservice.cancel", "取消上门服务", "Home service cancelled"},
      {"homeservice.missed", "上门探访逾期", "Home visit missed"},
      {"homeservice.plan", "定期探访计划", "Visit plan made"},
      {"steward.assign", "指定红管家", "Steward assigned"},
      {"steward.remove", "撤销红管家", "Steward removed"},
      {"steward.message", "给红管家留言", "Message to a steward"},
      {"patrol.route_create", "设置巡逻路线", "Patrol route laid out"},
      {"patrol.route_update", "修改巡逻路线", "Patrol route changed"},
      {"patrol.start", "开始巡逻", "Patrol started"},
      {"patrol.finish", "结束巡逻", "Patrol ended"},
      {"patrol.finding", "巡逻发现问题", "Patrol finding"}};
  return all;
}

const std::vector<Label>& audit_targets() {
  static const std::vector<Label> all = {
      {"volunteer", "志愿者", "Volunteer"},       {"team", "志愿服务队", "Team"},
      {"party_branch", "党组织", "Party branch"}, {"activity", "志愿活动", "Activity"},
      {"activity_signup", "活动报名", "Sign-up"}, {"calendar_feed", "日历订阅", "Calendar feed"},
      {"wish", "微心愿", "Micro-wish"}, {"home_service", "上门服务", "Home service"},
      {"home_visit_plan", "探访计划", "Visit plan"}, {"steward", "红管家", "Steward"},
      {"patrol_route", "巡逻路线", "Patrol route"}, {"patrol", "巡逻", "Patrol"}};
  return all;
}

const std::vector<Label>& notice_kinds() {
  static const std::vector<Label> all = {
      {"volunteer.reviewed", "志愿者报到审核", "Volunteer registration"},
      {"team.joined", "加入服务队", "Joined a team"},
      {"activity.cancelled", "活动取消", "Activities cancelled"},
      {"activity.promoted", "候补转正", "Places from the waitlist"},
      {"activity.confirmed", "服务时长确认", "Hours confirmed"},
      {"wish.reviewed", "微心愿审核", "Micro-wish reviews"},
      {"wish.claimed", "微心愿被认领", "Micro-wishes claimed"},
      {"wish.fulfilled", "微心愿待确认", "Micro-wishes to confirm"},
      {"wish.confirmed", "微心愿圆梦", "Micro-wishes done"},
      {"wish.thanked", "微心愿致谢", "Thanks for micro-wishes"},
      {"wish.released", "微心愿认领超时释放", "Micro-wish claims released"},
      {"homeservice.requested", "上门服务申请", "Home service requests"},
      {"homeservice.assigned", "上门服务派单", "Home services assigned"},
      {"homeservice.missed", "上门探访逾期", "Home visits missed"},
      {"steward.assigned", "担任红管家", "Steward assignments"},
      {"steward.message", "居民留言", "Messages from residents"}};
  return all;
}

const std::vector<Label>& task_keys() {
  static const std::vector<Label> all = {
      {"volunteer.review", "待确认志愿者", "Volunteers to confirm"},
      {"activity.hours", "待确认服务时长", "Hours to confirm"},
      {"wish.review", "待审核/确认的微心愿", "Micro-wishes to review or confirm"},
      {"homeservice.waiting", "待派单/逾期的上门服务", "Home services to assign or overdue"}};
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
              // Post micro-wishes for residents, review, confirm.
              {"wish.manage", {"street_admin", "community_admin"}},
              // See the published micro-wishes of the places one reaches.
              {"wish.read",
               {"street_admin", "community_admin", "grid_worker", "building_leader",
                "partner_admin", "volunteer", "resident"}},
              // Request home services for residents, assign, rate; visit plans.
              {"homeservice.manage", {"street_admin", "community_admin"}},
              // Appoint the 红管家 stewards of buildings.
              {"steward.manage", {"street_admin", "community_admin"}},
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
              {"wish.not_found", "微心愿不存在", "No such micro-wish"},
              {"wish.bad_resident", "请选择社区登记的居民", "Choose a registered resident"},
              {"wish.bad_action", "审核结果须为发布或不通过", "Publish or reject"},
              {"wish.reason_required", "不通过须说明理由", "Say why"},
              {"wish.bad_status", "微心愿当前状态不能进行此操作", "Not possible in the wish's present state"},
              {"wish.not_claimant", "只有已确认的志愿者、合伙人联系人或认领人可以操作",
               "Only confirmed volunteers, partners' contacts or the claimant may do this"},
              {"wish.own", "不能认领为自己发布的微心愿", "You cannot claim a wish for yourself"},
              {"wish.taken", "该微心愿已被认领", "Someone has claimed this wish already"},
              {"wish.evidence_required", "请上传圆梦照片", "Add a photo as evidence"},
              {"homeservice.not_found", "上门服务不存在", "No such home service"},
              {"homeservice.bad_resident", "请选择社区登记的居民", "Choose a registered resident"},
              {"homeservice.not_eligible", "上门服务面向有特殊关爱标签的居民（独居老人、残疾人等）",
               "Home services are for residents with a special-care tag"},
              {"homeservice.bad_kind", "服务类型不在可选范围内", "Unknown kind of service"},
              {"homeservice.bad_assignee", "请指派一支服务队或一名已确认的志愿者（二选一）",
               "Assign one team or one confirmed volunteer"},
              {"homeservice.bad_status", "上门服务当前状态不能进行此操作",
               "Not possible in the service's present state"},
              {"homeservice.not_assigned", "只有被指派的志愿者或服务队成员可以操作",
               "Only the assigned volunteer or team may do this"},
              {"homeservice.evidence_required", "请填写服务记录或上传照片", "Add a note or a photo"},
              {"homeservice.bad_rating", "评分须为 1 至 5", "Rate 1 to 5"},
              {"homeservice.reason_required", "请说明取消理由", "Say why"},
              {"homeservice.bad_every", "探访间隔须为 1 至 90 天", "Every 1 to 90 days"},
              {"steward.not_found", "红管家不存在", "No such steward"},
              {"steward.bad_building", "请选择楼栋", "Choose a building"},
              {"steward.bad_user", "红管家须为楼院组长或合伙人联系人",
               "A steward is a building leader or a partner's contact"},
              {"steward.exists", "该账号已是此楼栋的红管家", "Already this building's steward"},
              {"wish.notice.published", "您的微心愿「{title}」已发布，等待爱心认领",
               "Your wish \"{title}\" is published"},
              {"wish.notice.rejected", "微心愿「{title}」未通过：{reason}",
               "The wish \"{title}\" was not published: {reason}"},
              {"wish.notice.claimed", "微心愿「{title}」已有人认领", "Someone claimed the wish \"{title}\""},
              {"wish.notice.fulfilled", "微心愿「{title}」已完成，请确认",
               "The wish \"{title}\" is fulfilled: confirm it"},
              {"wish.notice.done", "微心愿「{title}」已圆梦，可以向认领人致谢",
               "The wish \"{title}\" came true: you can thank them"},
              {"wish.notice.confirmed", "您认领的微心愿「{title}」已确认圆梦，感谢您的爱心",
               "The wish \"{title}\" you claimed is confirmed: thank you"},
              {"wish.notice.thanked", "「{title}」的受助居民向您致谢：{text}",
               "Thanks for \"{title}\": {text}"},
              {"wish.notice.released", "微心愿「{title}」认领超时，已重新开放认领",
               "Your claim on \"{title}\" lapsed: it is open again"},
              {"homeservice.notice.requested", "有新的{kind}申请待派单",
               "A {kind} request waits to be assigned"},
              {"homeservice.notice.assigned", "请上门服务：{kind}，{address}",
               "Home service: {kind}, {address}"},
              {"homeservice.notice.cancelled", "上门服务已取消：{kind}，{address}",
               "Home service cancelled: {kind}, {address}"},
              {"homeservice.notice.missed", "定期探访逾期未完成：{resident}，{address}",
               "A planned visit was missed: {resident}, {address}"},
              {"steward.notice.assigned", "您已担任{building}的红管家", "You are the steward of {building}"},
              {"steward.notice.message", "{address}的{from}给您留言：{text}",
               "{from} of {address} writes: {text}"},
              {"patrol.route_not_found", "巡逻路线不存在", "No such patrol route"},
              {"patrol.not_found", "巡逻记录不存在", "No such patrol"},
              {"patrol.bad_team", "服务队不存在", "No such team"},
              {"patrol.bad_place", "巡逻地点须在服务队的服务范围内", "Patrol where the team serves"},
              {"patrol.bad_checkpoints", "巡逻点须为 2 至 30 个，各有名称，且在服务范围内",
               "2 to 30 named checkpoints where the team serves"},
              {"patrol.bad_setting", "巡逻频次须为 1 至 168 小时，单次时限 10 至 480 分钟",
               "Every 1 to 168 hours, 10 to 480 minutes a patrol"},
              {"patrol.not_member", "只有本队队员可以巡逻", "Only the team's members patrol it"},
              {"patrol.inactive", "该巡逻路线已停用", "The route is not in use"},
              {"patrol.ongoing", "您在这条路线上有进行中的巡逻", "You have a patrol under way on this route"},
              {"patrol.not_walker", "只有巡逻人本人可以操作", "Only the one on patrol may do this"},
              {"patrol.bad_code", "不是这条路线的巡逻点位码", "Not a checkpoint of this route"},
              {"patrol.ended", "巡逻已结束", "The patrol has ended"},
              {"patrol.bad_checkpoint", "请选择这条路线的巡逻点", "Choose a checkpoint of this route"},
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
                 {"wish.status", wish_statuses},
                 {"homeservice.kind", home_service_kinds},
                 {"homeservice.status", home_service_statuses},
                 {"notice.kind", notice_kinds},
                 {"task", task_keys},
                 {"audit.action", audit_actions},
                 {"audit.target", audit_targets}},
      .emits = {"volunteer.changed", "activity.changed", "volunteer.hours_confirmed",
                "wish.changed", "wish.fulfilled", "homeservice.changed", "steward.changed",
                "patrol.changed"},
      .live = {{"activity_occurrence", require_occurrence, {"activity.changed"}},
               {"volunteer", require_volunteer, {"volunteer.changed"}},
               {"wish", require_wish, {"wish.changed"}},
               {"home_service", require_home_service, {"homeservice.changed"}},
               {"patrol", require_patrol, {"patrol.changed"}}},
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
