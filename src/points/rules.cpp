#include "points/rules.h"

#include <cctype>

namespace xh::points {

namespace {

template <class T>
std::vector<Label> labels_of(const std::vector<T>& all) {
  std::vector<Label> out;
  for (const auto& x : all) out.push_back({x.key, x.zh, x.en});
  return out;
}

// "('a','b')" of the keys of `all` whose `attribute` is `value`.
template <class T>
std::string sql_list(const std::vector<T>& all, bool T::*attribute, bool value) {
  std::string out = "(";
  for (const auto& x : all)
    if (x.*attribute == value) out += (out.size() > 1 ? ",'" : "'") + std::string(x.key) + "'";
  return out + ")";
}

template <class T>
const T* find_key(const std::vector<T>& all, std::string_view key) {
  for (const auto& x : all)
    if (x.key == key) return &x;
  return nullptr;
}

}  // namespace

const std::vector<EventKind>& event_kinds() {
  static const std::vector<EventKind> all = {
      {"verified_report", "诉求核实", "Verified report", false},
      {"volunteer_hour", "志愿服务（每小时）", "Volunteer hour", false},
      {"meeting_attended", "参加议事", "Attended a meeting", false},
      {"wish_fulfilled", "认领微心愿", "Fulfilled a micro-wish", false},
      {kManualKind, "人工奖励", "Manual award", true}};
  return all;
}

const EventKind* find_event_kind(std::string_view key) { return find_key(event_kinds(), key); }

const std::vector<Label>& event_kind_labels() {
  static const std::vector<Label> all = labels_of(event_kinds());
  return all;
}

const std::vector<Earning>& earnings() {
  static const std::vector<Earning> all = {
      {"workorder.verified", "verified_report", "points.reason.verified_report",
       "points.reason.verified_report_private"},
      {"council.meeting_attended", "meeting_attended", "points.reason.meeting_attended",
       "points.reason.meeting_attended_private"},
      {"volunteer.hours_confirmed", "volunteer_hour", "points.reason.volunteer_hour",
       "points.reason.volunteer_hour_private"},
      {"wish.fulfilled", "wish_fulfilled", "points.reason.wish_fulfilled",
       "points.reason.wish_fulfilled_private"},
  };
  return all;
}

const std::vector<AwardStatus>& award_statuses() {
  static const std::vector<AwardStatus> all = {
      {"pending", "待审核", "Awaiting approval", true, true},
      {"notice", "公示中", "In public notice", true, true},
      {"paid", "已发放", "Paid", true, false},
      {"rejected", "未通过", "Rejected", false, false},
      {"capped", "超出上限", "Over the cap", false, false}};
  return all;
}

const std::vector<Label>& award_status_labels() {
  static const std::vector<Label> all = labels_of(award_statuses());
  return all;
}

std::string award_statuses_sql(bool AwardStatus::*attribute) {
  return sql_list(award_statuses(), attribute, true);
}

const std::vector<AccountKind>& account_kinds() {
  static const std::vector<AccountKind> all = {
      {"resident", "居民", "Resident", true},
      {"org", "团队/单位", "Team or organisation", true},
      {"issuing", "社区发放账户", "Community issuing", false},
      {"redemption", "兑换收入账户", "Redemptions", false},
      {"expiry", "过期账户", "Expired points", false}};
  return all;
}

bool is_owned(std::string_view account_kind) {
  const AccountKind* k = find_key(account_kinds(), account_kind);
  return k && k->owned;
}

const std::string& community_account_kinds_sql() {
  static const std::string sql = sql_list(account_kinds(), &AccountKind::owned, false);
  return sql;
}

const std::vector<Label>& account_kind_labels() {
  static const std::vector<Label> all = labels_of(account_kinds());
  return all;
}

const std::vector<TransactionKind>& transaction_kinds() {
  static const std::vector<TransactionKind> all = {{"award", "获得积分", "Earned", true},
                                                   {"redeem", "兑换", "Redeemed", false},
                                                   {"refund", "退还", "Refunded", false},
                                                   {"reversal", "冲正", "Reversal", false},
                                                   {"expiry", "过期", "Expired", false}};
  return all;
}

bool is_reversible(std::string_view transaction_kind) {
  const TransactionKind* k = find_key(transaction_kinds(), transaction_kind);
  return k && k->reversible;
}

const std::vector<Label>& transaction_kind_labels() {
  static const std::vector<Label> all = labels_of(transaction_kinds());
  return all;
}

const std::vector<Label>& item_kinds() {
  static const std::vector<Label> all = {{"service", "服务", "Service"},
                                         {"goods", "物品", "Goods"}};
  return all;
}

const std::vector<VoucherStatus>& voucher_statuses() {
  static const std::vector<VoucherStatus> all = {
      {"issued", "待使用", "To be used", true, true},
      {"fulfilled", "已核销", "Fulfilled", false, true},
      {"cancelled", "已取消", "Cancelled", false, false}};
  return all;
}

const std::vector<Label>& voucher_status_labels() {
  static const std::vector<Label> all = labels_of(voucher_statuses());
  return all;
}

std::string voucher_statuses_sql(bool VoucherStatus::*attribute) {
  return sql_list(voucher_statuses(), attribute, true);
}

std::string normalise_code(std::string_view code) {
  std::string out;
  for (char c : code) {
    if (c == '-' || c == ' ') continue;
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

const std::vector<Period>& leaderboard_periods() {
  static const std::vector<Period> all = {{"month", 1}, {"year", 12}, {"all", 0}};
  return all;
}

std::int64_t first_month(std::string_view period, Millis now) {
  const Period* p = find_key(leaderboard_periods(), period);
  if (!p) return -1;
  if (p->months == 0) return 0;
  // Months since year 0, so that going back crosses years.
  int month = beijing_month(now);
  int index = (month / 100) * 12 + (month % 100 - 1) - (p->months - 1);
  return static_cast<std::int64_t>(index / 12) * 100 + index % 12 + 1;
}

}  // namespace xh::points
