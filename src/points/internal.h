#pragma once
// Shared by the points module's source files only.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <cstdint>
#include <string>

#include "api/scope.h"
#include "core/messages.h"
#include "core/time.h"
#include "storage/database.h"

namespace xh::points {

// A voucher code as typed or scanned: spaces and dashes dropped, upper case.
std::string normalise_code(const std::string& code);

// "王桂兰" → "王**": names on public boards, unless the person consented.
std::string mask_name(const std::string& name);

namespace detail {

constexpr Millis kHour = 3600LL * 1000;
constexpr Millis kDay = 24 * kHour;

struct Account {
  std::int64_t id;
  std::string kind;
  std::int64_t owner_id, community_id;
  std::string path;
  std::int64_t balance;
};
Account load_account(storage::Tx& tx, std::int64_t id);  // 404 points.no_account
// The caller's own account: their resident record's, or an organisation they are a contact of.
bool owns_account(storage::Tx& tx, const api::Principal& p, const Account& a);
bool is_contact(storage::Tx& tx, std::int64_t user_id, std::int64_t org_id);
// Some grant of `p` lies in or above the community at `community_path`.
bool in_community(const api::Principal& p, std::string_view community_path);
bool starts_with(std::string_view s, std::string_view prefix);

Millis beijing_day_start(Millis now);
Millis beijing_month_start(Millis now);

// 202611 for a time in November 2026, Beijing time.
int beijing_month(Millis at);
// Adds `points` to what a resident's account earned in the month of `at` (the leaderboard's source).
void count_earned(storage::Tx& tx, const Account& a, std::int64_t points, Millis at);

// Takes `amount` from the account's oldest unspent lots for transaction `tx_id`.
void consume_lots(storage::Tx& tx, std::int64_t account_id, std::int64_t amount, std::int64_t tx_id);

// An award as the API shows it; names masked for non-staff.
boost::json::object award_json(storage::Tx& tx, std::int64_t id, bool staff, Lang lang);
boost::json::array rules_in(storage::Tx& tx, std::int64_t community_id, Lang lang);
boost::json::object item_json(storage::Tx& tx, std::int64_t id);
// The code (and its QR link) only for the voucher's holder: it is their proof.
boost::json::object voucher_json(storage::Tx& tx, std::int64_t id, Lang lang, bool holder);

}  // namespace detail
}  // namespace xh::points
