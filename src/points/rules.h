#pragma once
// What varies in the points module is data, not branches: the kinds of event
// that earn points and which domain event pays by which kind, the statuses of
// an award with what each means, the kinds of account and of transaction, the
// statuses of a voucher, the kinds of item, the leaderboard's periods, and the
// module's limits and windows. Earning rules, settings and the catalogue are
// configuration rows (store.h). Constant tables: safe from every thread.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/labels.h"
#include "core/time.h"

namespace xh::points {

// ---- earning ------------------------------------------------------------------

// A kind of event that earns points: what an earning rule (point_rules) is
// for.
struct EventKind {
  std::string_view key, zh, en;
  // Awarded by staff: a community without a rule for it refuses the award
  // (points.no_rule) instead of paying nothing.
  bool by_hand;
};
const std::vector<EventKind>& event_kinds();
const EventKind* find_event_kind(std::string_view key);
const std::vector<Label>& event_kind_labels();
// The kind staff award by hand (POST /api/points/awards).
inline constexpr std::string_view kManualKind = "manual";

// The domain events points pays for, and the earning kind (the rules' event
// kind) each pays by; `reason` is the message key of the award's reason, with
// {id} for the subject's id.
struct Earning {
  std::string_view event;   // "workorder.verified"
  std::string_view kind;    // "verified_report"
  std::string_view reason;  // "points.reason.verified_report": 诉求 #{id} 已核实
  // The reason when the act was anonymous (the event's data says
  // "anonymous"): nothing in it names the act.
  std::string_view private_reason;  // 诉求已核实
};
const std::vector<Earning>& earnings();

// A status of an award (pending → notice → paid, or rejected; capped when a
// cap left nothing to pay).
struct AwardStatus {
  std::string_view key, zh, en;
  bool counts;      // counts towards the rule's daily and monthly caps
  bool rejectable;  // not paid yet: staff may still reject it
};
const std::vector<AwardStatus>& award_statuses();
const std::vector<Label>& award_status_labels();
// The statuses with `attribute` as an SQL list ("('pending','notice')"),
// from the table.
std::string award_statuses_sql(bool AwardStatus::*attribute);

// ---- the ledger ------------------------------------------------------------------

// A kind of account.
struct AccountKind {
  std::string_view key, zh, en;
  // Held by a person or an organisation: its balance never goes below zero.
  // The community's own accounts (issuing, redemption, expiry) may.
  bool owned;
};
const std::vector<AccountKind>& account_kinds();
bool is_owned(std::string_view account_kind);
// The kinds that are not owned, as an SQL list, from the table.
const std::string& community_account_kinds_sql();
const std::vector<Label>& account_kind_labels();

// A kind of ledger transaction.
struct TransactionKind {
  std::string_view key, zh, en;
  bool reversible;  // staff may take it back with a reversal (awards only)
};
const std::vector<TransactionKind>& transaction_kinds();
bool is_reversible(std::string_view transaction_kind);
const std::vector<Label>& transaction_kind_labels();

// ---- the exchange ------------------------------------------------------------------

const std::vector<Label>& item_kinds();  // service | goods

// A status of a voucher.
struct VoucherStatus {
  std::string_view key, zh, en;
  bool usable;  // may still be fulfilled or cancelled
  bool counts;  // counts towards the item's per-day, per-month and per-person limits
};
const std::vector<VoucherStatus>& voucher_statuses();
const std::vector<Label>& voucher_status_labels();
// The statuses with `attribute` as an SQL list, from the table.
std::string voucher_statuses_sql(bool VoucherStatus::*attribute);

// Voucher codes: 10 characters without 0/O and 1/I, which people confuse.
inline constexpr std::string_view kVoucherAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
inline constexpr int kVoucherCodeLength = 10;
// A voucher code as typed or scanned: spaces and dashes dropped, upper case.
std::string normalise_code(std::string_view code);

// ---- the leaderboard ------------------------------------------------------------------

// A period of the leaderboard: the months it sums, the current one included
// (0: all time).
struct Period {
  std::string_view key;
  int months;
};
const std::vector<Period>& leaderboard_periods();  // month | year | all
// The first month (YYYYMM) of `period` as of `now` (Beijing time); 0 for all
// time; -1 for no such period.
std::int64_t first_month(std::string_view period, Millis now);

// ---- limits and windows ------------------------------------------------------------------

inline constexpr std::int64_t kMaxRulePoints = 100000;  // points one event may earn
inline constexpr std::int64_t kMaxNoticeDays = 30;      // public notice (公示)
// Price, stock and the per-day, per-month and per-person limits of an item.
inline constexpr std::int64_t kMaxItemNumber = 1000000;
// Unspent points lapse this long after they were earned, where a community
// has switched expiry on.
inline constexpr Millis kLotLifetime = 365 * kDay;
inline constexpr int kLeaderboardSize = 20;
inline constexpr int kExpiringShown = 5;  // lots about to lapse, on "my points"
inline constexpr int kRecentShown = 10;   // latest movements, on "my points"

// A community's settings (point_settings).
struct Settings {
  bool expiry_enabled = false;  // unspent points lapse kLotLifetime after earning
};

}  // namespace xh::points
