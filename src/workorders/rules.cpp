#include "workorders/rules.h"

#include <algorithm>

namespace xh::workorders {

using storage::Tx;

const std::vector<Label>& statuses() {
  static const std::vector<Label> all = {
      {"submitted", "已提交", "Submitted"},   {"accepted", "已受理", "Accepted"},
      {"dispatched", "已派单", "Dispatched"}, {"in_progress", "处理中", "In progress"},
      {"resolved", "已办结", "Resolved"},     {"verified", "已核实", "Verified"},
      {"closed", "已关闭", "Closed"},         {"rejected", "已驳回", "Rejected"},
      {"reopened", "已重新打开", "Reopened"}};
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

bool is_open(std::string_view s) {
  return s == "submitted" || s == "accepted" || s == "dispatched" || s == "in_progress" ||
         s == "reopened";
}

const std::vector<Transition>& transitions() {
  static const std::vector<Transition> all = {
      {"accept", {"submitted"}, "accepted", "workorder.accept", {}},
      {"reject", {"submitted", "accepted"}, "rejected", "workorder.accept", {}, true},
      {"dispatch", {"accepted", "reopened"}, "dispatched", "workorder.dispatch", {}},
      {"start", {"dispatched"}, "in_progress", "workorder.handle", {}},
      {"resolve", {"in_progress"}, "resolved", "workorder.handle", {}},
      {"verify", {"resolved"}, "verified", "workorder.verify", {"resolved"}},
      {"close", {"verified"}, "closed", "workorder.close", {}},
      {"reopen", {"resolved", "verified", "closed", "rejected"}, "reopened", "workorder.close",
       {"resolved", "verified"}},
  };
  return all;
}

const Transition* find_transition(std::string_view action) {
  for (const auto& t : transitions())
    if (t.action == action) return &t;
  return nullptr;
}

namespace {
Category category_of(const storage::Row& r) {
  return {r.str(0), r.str(1), r.str(2), r.str(3), static_cast<int>(r.i64(4)), r.i64(5) != 0,
          r.i64(6) != 0, static_cast<int>(r.i64(7))};
}
constexpr const char* kCategoryColumns =
    "SELECT key, zh, en, body, deadline_hours, urgent, active, sort FROM wo_categories ";
}  // namespace

std::vector<Category> load_categories(Tx& tx) {
  std::vector<Category> out;
  for (const auto& r : tx.query(std::string(kCategoryColumns) + "ORDER BY sort, key"))
    out.push_back(category_of(r));
  return out;
}

std::optional<Category> find_category(Tx& tx, std::string_view key) {
  auto r = tx.query_one(std::string(kCategoryColumns) + "WHERE key = $1", key);
  if (!r) return std::nullopt;
  return category_of(*r);
}

std::string category_label(const Category& c, Lang lang) { return lang == Lang::en ? c.en : c.zh; }

Routing route(Tx& tx, const Category& c, std::string_view place_path) {
  Routing out{c.body, c.deadline_hours, c.urgent};
  auto rule = tx.query_one(
      "SELECT body, deadline_hours, urgent FROM wo_rules WHERE category = $1 "
      "AND substr($2, 1, length(path)) = path ORDER BY length(path) DESC LIMIT 1",
      c.key, place_path);
  if (rule) {
    out.body = rule->str(0);
    if (auto h = rule->opt_i64(1)) out.deadline_hours = static_cast<int>(*h);
    if (auto u = rule->opt_i64(2)) out.urgent = *u != 0;
  }
  return out;
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

Settings load_settings(Tx& tx) {
  Settings s;
  for (const auto& r : tx.query("SELECT key, value FROM wo_settings"))
    for (const auto& d : setting_defs())
      if (d.key == r.str(0)) s.*(d.field) = static_cast<int>(r.i64(1));
  return s;
}

}  // namespace xh::workorders
