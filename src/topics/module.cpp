// The topics module's declaration (GOV-4): topics raised by residents and
// partners, supported, reviewed onto councils' agendas, decided in meetings
// or by owners' votes and followed until done.
#include "api/module.h"

#include <boost/json.hpp>
#include <memory>

#include "topics/topics.h"

namespace xh::topics {

void add_routes(api::Router& r, std::shared_ptr<const Topics> topics);
void load_demo(api::Context& ctx);

namespace {

void start(api::Setup& s) {
  auto& ctx = s.context();
  add_routes(s.router(), std::make_shared<const Topics>(ctx.db, ctx.events));
}

std::map<std::string, std::string> topic_names(storage::Tx& tx,
                                               const std::vector<std::string>& ids) {
  return api::names_by_id(tx, "SELECT id, title AS name FROM topics", "id", ids);
}

void tasks(storage::Tx& tx, const api::Principal& p, Millis, boost::json::array& out) {
  if (!p.has_permission("topic.review")) return;
  out.push_back({{"key", "topic.review"}, {"count", waiting_review(tx, p)}, {"overdue", 0}});
}

const std::vector<Label>& statuses() {
  static const std::vector<Label> all = {{"raised", "待审核", "To review"},
                                         {"accepted", "已列入议程", "On an agenda"},
                                         {"merged", "已合并", "Merged"},
                                         {"declined", "未予采纳", "Declined"},
                                         {"decided", "落实中", "Being carried out"},
                                         {"rejected", "未通过", "Not adopted"},
                                         {"done", "已办结", "Done"}};
  return all;
}

const std::vector<Label>& update_kinds() {
  static const std::vector<Label> all = {
      {"accepted", "列入议程", "Put on an agenda"},
      {"merged", "与相似议题合并", "Merged with a similar topic"},
      {"declined", "未予采纳", "Declined"},
      {"decided", "作出决定", "Decided"},
      {"rejected", "未通过", "Not adopted"},
      {"progress", "落实进展", "Progress"},
      {"done", "办结", "Done"}};
  return all;
}

const std::vector<Label>& audit_actions() {
  static const std::vector<Label> all = {{"topic.raise", "提出议题", "Topic raised"},
                                         {"topic.review", "审核议题", "Topic reviewed"},
                                         {"topic.decide", "议题作出决定", "Topic decided"},
                                         {"topic.progress", "议题落实进展", "Topic progress"},
                                         {"topic.done", "议题办结", "Topic done"}};
  return all;
}

const std::vector<Label>& audit_targets() {
  static const std::vector<Label> all = {{"topic", "议题", "Topic"}};
  return all;
}

const std::vector<Label>& notice_kinds() {
  static const std::vector<Label> all = {{"topic.reviewed", "议题审核结果", "Topic reviews"},
                                         {"topic.decided", "议题决定", "Topic decisions"},
                                         {"topic.done", "议题办结", "Topics done"}};
  return all;
}

const std::vector<Label>& task_keys() {
  static const std::vector<Label> all = {{"topic.review", "待审核议题", "Topics to review"}};
  return all;
}

}  // namespace

const api::Module& module() {
  static const api::Module m{
      .name = "topics",
      .permissions =
          {
              // Reach a topic: over its place, its grid, or a place under it (one's household).
              {"topic.read",
               {"street_admin", "community_admin", "grid_worker", "building_leader",
                "partner_admin", "volunteer", "resident"}},
              {"topic.raise",
               {"street_admin", "community_admin", "grid_worker", "building_leader",
                "partner_admin", "volunteer", "resident"}},
              {"topic.support",
               {"street_admin", "community_admin", "grid_worker", "building_leader",
                "partner_admin", "volunteer", "resident"}},
              // Review, decide, report progress.
              {"topic.review", {"street_admin", "community_admin"}},
          },
      .messages =
          {
              {"topic.not_found", "议题不存在", "No such topic"},
              {"topic.bad_place", "议题须提在您所在的社区、小区或楼栋上",
               "Raise a topic on your community, compound or building"},
              {"topic.bad_org", "合伙人单位不存在，或您不是它的联系人",
               "No such partner, or you are not its contact"},
              {"topic.bad_carrier", "落实单位不是登记的合伙人单位", "No such partner organisation"},
              {"topic.own", "不能附议自己提出的议题", "You cannot support your own topic"},
              {"topic.closed", "议题已审核完毕，不再附议",
               "The topic is no longer open for support"},
              {"topic.supported", "您已附议过该议题", "You support this topic already"},
              {"topic.not_supported", "您没有附议该议题", "You do not support this topic"},
              {"topic.bad_action", "审核结果须为列入议程、合并或不予采纳",
               "Accept, merge or decline"},
              {"topic.not_raised", "议题已审核过", "The topic has been reviewed"},
              {"topic.bad_council", "请选择该地的议事组织", "Choose a council of this place"},
              {"topic.bad_meeting", "请选择该议事组织的会议", "Choose a meeting of this council"},
              {"topic.bad_minutes", "议程时长须为 1 至 240 分钟",
               "An agenda item takes 1 to 240 minutes"},
              {"topic.bad_merge", "只能合并到同一地点尚未决定的另一议题",
               "Merge into another open topic of the same place"},
              {"topic.reason_required", "不予采纳须说明理由，提出人会看到",
               "Say why: the raiser will see it"},
              {"topic.bad_outcome", "决定须为通过或不通过", "Adopted or rejected"},
              {"topic.bad_forum", "请选择作出决定的会议或业主表决（二选一）",
               "Name the meeting or the owners' vote that decided (one of them)"},
              {"topic.meeting_not_held", "会议结束后才能据此决定",
               "Decide once the meeting has closed"},
              {"topic.bad_vote", "请选择该地的业主表决", "Choose an owners' vote of this place"},
              {"topic.vote_not_closed", "业主表决结束后才能据此决定",
               "Decide once the owners' vote has closed"},
              {"topic.vote_outcome", "决定须与业主表决结果一致",
               "The outcome must be the owners' vote's result"},
              {"topic.carrier_required", "请填写落实单位或负责人", "Say who carries it out"},
              {"topic.not_open", "议题已决定或已关闭", "The topic has been decided or closed"},
              {"topic.not_decided", "议题通过后才能报告落实进展",
               "Progress is reported on an adopted topic"},
              {"topic.bad_progress", "进度须为 0 至 100，且不低于上次；办结时为 100",
               "Progress is 0 to 100, not below the last; 100 when done"},
              {"topic.notice.accepted", "议题「{title}」已列入{council}的议程",
               "Topic \"{title}\" is on {council}'s agenda"},
              {"topic.notice.merged", "议题「{title}」已与「{into}」合并",
               "Topic \"{title}\" was merged into \"{into}\""},
              {"topic.notice.declined", "议题「{title}」未予采纳：{reason}",
               "Topic \"{title}\" was declined: {reason}"},
              {"topic.notice.adopted", "议题「{title}」已通过：{decision}",
               "Topic \"{title}\" was adopted: {decision}"},
              {"topic.notice.rejected", "议题「{title}」未通过：{decision}",
               "Topic \"{title}\" was not adopted: {decision}"},
              {"topic.notice.done", "议题「{title}」已办结：{text}",
               "Topic \"{title}\" is done: {text}"},
          },
      .labels = {{"topic.status", statuses},
                 {"topic.update", update_kinds},
                 {"notice.kind", notice_kinds},
                 {"task", task_keys},
                 {"audit.action", audit_actions},
                 {"audit.target", audit_targets}},
      .emits = {"topic.changed"},
      .live = {{"topic", require_topic, {"topic.changed"}}},
      .audit_names = {{"topic", topic_names}},
      .start = start,
      .demo = {{95, load_demo}},
      .tasks = tasks,
  };
  return m;
}

}  // namespace xh::topics
