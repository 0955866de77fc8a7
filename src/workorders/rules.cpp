#include "workorders/rules.h"

#include <algorithm>

namespace xh::workorders {

const std::vector<Status>& statuses() {
  static const std::vector<Status> all = {
      {"submitted", "已提交", "Submitted", true, false},
      {"accepted", "已受理", "Accepted", true, false},
      {"dispatched", "已派单", "Dispatched", true, false},
      {"in_progress", "处理中", "In progress", true, false},
      {"resolved", "已办结", "Resolved", false, true},
      {"verified", "已核实", "Verified", false, true},
      {"closed", "已关闭", "Closed", false, true},
      {"rejected", "已驳回", "Rejected", false, false},
      {"reopened", "已重新打开", "Reopened", true, false}};
  return all;
}

const Status* find_status(std::string_view key) {
  for (const auto& s : statuses())
    if (s.key == key) return &s;
  return nullptr;
}

bool is_open(std::string_view status) {
  const Status* s = find_status(status);
  return s && s->open;
}

bool is_rateable(std::string_view status) {
  const Status* s = find_status(status);
  return s && s->rateable;
}

const std::string& open_statuses_sql() {
  static const std::string sql = [] {
    std::string out = "(";
    for (const auto& s : statuses())
      if (s.open) out += (out.size() > 1 ? ",'" : "'") + std::string(s.key) + "'";
    return out + ")";
  }();
  return sql;
}

const std::vector<Label>& status_labels() {
  static const std::vector<Label> all = [] {
    std::vector<Label> out;
    for (const auto& s : statuses()) out.push_back({s.key, s.zh, s.en});
    return out;
  }();
  return all;
}

const std::vector<Label>& bodies() {
  static const std::vector<Label> all = {{"property", "物业服务企业", "Property company"},
                                         {"sanitation", "环卫", "Sanitation"},
                                         {"community", "社区", "Community"},
                                         {"street", "街道", "Street office"}};
  return all;
}

const std::vector<Label>& channels() {
  static const std::vector<Label> all = {{"mobile", "手机随手拍", "Mobile"},
                                         {"console", "工作台", "Console"},
                                         {"phone", "电话代报", "Phone (on behalf)"},
                                         {"walk_in", "来访代报", "Walk-in (on behalf)"},
                                         {"open311", "Open311", "Open311"}};
  return all;
}

const std::vector<Label>& event_labels() {
  static const std::vector<Label> all = {
      {"file", "提交诉求", "Filed"},
      {"accept", "受理", "Accepted"},
      {"reject", "驳回", "Rejected"},
      {"dispatch", "派单", "Dispatched"},
      {"assign", "指派处理人", "Handed to a handler"},
      {"start", "开始处理", "Work started"},
      {"resolve", "办结", "Resolved"},
      {"verify", "核实", "Verified"},
      {"close", "关闭", "Closed"},
      {"reopen", "重新打开", "Reopened"},
      {"escalate_community", "超时未办，升级至社区", "Overdue: escalated to the community"},
      {"escalate_street", "超时未办，升级至街道", "Overdue: escalated to the street office"},
      {"followup_asked", "回访：问题是否已彻底解决", "Follow-up: did it stay fixed?"},
      {"followup_fixed", "回访答复：已彻底解决", "Follow-up: stayed fixed"},
      {"followup_not_fixed", "回访答复：问题反弹", "Follow-up: came back"},
      {"rate", "评价", "Rated"},
      {"consult", "转三方协商", "Escalated to a three-party consultation"}};
  return all;
}

const std::vector<Transition>& transitions() {
  static const std::vector<Transition> all = {
      {.action = "accept", .from = {"submitted"}, .to = "accepted",
       .permission = "workorder.accept", .stamps_first = "accepted_at"},
      {.action = "reject", .from = {"submitted", "accepted"}, .to = "rejected",
       .permission = "workorder.accept", .needs_reason = true, .stamps_first = "accepted_at"},
      {.action = "dispatch", .from = {"accepted", "reopened"}, .to = "dispatched",
       .permission = "workorder.dispatch"},
      {.action = "start", .from = {"dispatched"}, .to = "in_progress",
       .permission = "workorder.handle"},
      {.action = "resolve", .from = {"in_progress"}, .to = "resolved",
       .permission = "workorder.handle", .stamps_first = "resolved_at",
       .photo_stage = "resolution"},
      // The reporter may confirm the result too.
      {.action = "verify", .from = {"resolved"}, .to = "verified",
       .permission = "workorder.verify", .reporter_from = {"resolved"},
       .announces = "workorder.verified"},
      {.action = "close", .from = {"verified"}, .to = "closed", .permission = "workorder.close",
       .stamps = "closed_at", .asks_followup = true},
      // The reporter may reopen what is not yet closed for good.
      {.action = "reopen", .from = {"resolved", "verified", "closed", "rejected"},
       .to = "reopened", .permission = "workorder.close",
       .reporter_from = {"resolved", "verified"}, .restarts_clock = true},
  };
  return all;
}

const Transition* find_transition(std::string_view action) {
  for (const auto& t : transitions())
    if (t.action == action) return &t;
  return nullptr;
}

const std::vector<SettingDef>& setting_defs() {
  static const std::vector<SettingDef> all = {
      {"recurrence_window_days", &Settings::recurrence_window_days, 1, 365},
      {"followup_days", &Settings::followup_days, 0, 180},
      {"hotspot_threshold", &Settings::hotspot_threshold, 1, 100},
      {"hotspot_window_days", &Settings::hotspot_window_days, 1, 730},
      {"reinspection_interval_days", &Settings::reinspection_interval_days, 1, 90},
      {"reinspection_count", &Settings::reinspection_count, 0, 12}};
  return all;
}

}  // namespace xh::workorders
