#pragma once
// The points module's SQL, but the ledger's own (ledger.h writes the
// transactions, postings, chain head and balances): accounts as the commands
// and statements read them, earning rules and settings, awards and
// objections, lots, the exchange's items and vouchers, the leaderboard's
// monthly sums. Rows are read by column name; lists are built with
// api::ListQuery. For the module's own source files.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "api/list.h"
#include "api/principal.h"
#include "core/time.h"
#include "points/points.h"
#include "points/rules.h"
#include "storage/database.h"

namespace xh::points::store {

// ---- people and organisations ------------------------------------------------

// The resident whose login is `user_id`, if any.
std::optional<std::int64_t> resident_of_user(storage::Tx& tx, std::int64_t user_id);
// True when `user_id` is the login of resident `resident_id`.
bool is_login_of(storage::Tx& tx, std::int64_t user_id, std::int64_t resident_id);
// True when `user_id` is a contact of organisation `org_id`.
bool is_contact(storage::Tx& tx, std::int64_t user_id, std::int64_t org_id);
// The path an organisation is registered at; nullopt for no such one.
std::optional<std::string> org_path(storage::Tx& tx, std::int64_t org_id);

// ---- accounts -------------------------------------------------------------------

// An account as the commands see it.
struct Account {
  std::int64_t id = 0;
  std::string kind;
  std::int64_t owner_id = 0, community_id = 0;
  std::string path;  // its community's
  std::int64_t balance = 0;
};
std::optional<Account> find_account(storage::Tx& tx, std::int64_t id);
// True when the resident whose login is `user_id` has an account.
bool has_resident_account(storage::Tx& tx, std::int64_t user_id);

// An account as lists and statements show it.
struct AccountSummary {
  std::int64_t id = 0;
  std::string kind;
  std::string name;  // the resident's, the team's or the community's
  std::int64_t balance = 0;
  std::string community_name;
};
std::optional<AccountSummary> account_summary(storage::Tx& tx, std::int64_t id);
// Accounts in the caller's points.read scope, richest first.
std::pair<std::vector<AccountSummary>, std::int64_t> accounts(storage::Tx& tx,
                                                              const api::Principal& p,
                                                              const AccountQuery& q);

// The names "my points" shows: the resident's and their community's.
struct Holder {
  std::string resident_name, community_name;
};
Holder holder(storage::Tx& tx, std::int64_t resident_id, std::int64_t community_id);

// Adds `points` to what the account earned in `month` (YYYYMM): the
// leaderboard's source.
void count_earned(storage::Tx& tx, const Account& a, std::int64_t points, int month);

// ---- the ledger, read --------------------------------------------------------------

// One posting of an account, with its transaction.
struct Entry {
  std::int64_t tx_id = 0;
  Millis at = 0;
  std::string kind, memo;
  std::int64_t amount = 0, balance_after = 0;
  std::optional<std::string> memo_key, memo_params;
};
// The account's latest `n` postings, newest first.
std::vector<Entry> recent_entries(storage::Tx& tx, std::int64_t account_id, int n);
// A page of the account's postings, newest first, and their total.
std::pair<std::vector<Entry>, std::int64_t> statement(storage::Tx& tx, std::int64_t account_id,
                                                      api::Page page);

struct TransactionPosting {
  std::int64_t account_id = 0;
  std::string account_name, account_kind;
  std::int64_t amount = 0, balance_after = 0;
};
struct Transaction {
  std::int64_t id = 0;
  Millis at = 0;
  std::string kind, memo;
  std::optional<std::string> created_by;  // the display name
  std::string hash;
  std::optional<std::int64_t> reverses_id;
  std::vector<TransactionPosting> postings;
  std::optional<std::string> memo_key, memo_params;
};
// Transactions touching an account in the caller's points.read scope,
// newest first, with their postings.
std::pair<std::vector<Transaction>, std::int64_t> transactions(storage::Tx& tx,
                                                               const api::Principal& p,
                                                               const TransactionQuery& q);

// A transaction's kind, and the one it reverses.
struct TransactionHead {
  std::string kind;
  std::optional<std::int64_t> reverses_id;
  std::string memo;
};
std::optional<TransactionHead> find_transaction(storage::Tx& tx, std::int64_t id);
bool is_reversed(storage::Tx& tx, std::int64_t tx_id);
// The postings of a transaction, in order: (account, amount).
std::vector<std::pair<std::int64_t, std::int64_t>> postings_of(storage::Tx& tx, std::int64_t tx_id);

// ---- lots: what a resident earned, and when it lapses ------------------------

struct Lot {
  std::int64_t id = 0, account_id = 0, remaining = 0;
  std::optional<Millis> expires_at;
  std::int64_t community_id = 0;  // the account's
};
std::int64_t insert_lot(storage::Tx& tx, std::int64_t account_id, std::int64_t tx_id,
                        std::int64_t amount, Millis earned_at, std::optional<Millis> expires_at);
std::optional<Lot> find_lot(storage::Tx& tx, std::int64_t id);
// The lot an award's transaction made for `account_id`.
std::optional<Lot> lot_of(storage::Tx& tx, std::int64_t tx_id, std::int64_t account_id);
// The account's lots with points left, oldest first.
std::vector<Lot> unspent_lots(storage::Tx& tx, std::int64_t account_id);
// The account's lots with points left and an expiry, soonest first, at most `n`.
std::vector<Lot> expiring_lots(storage::Tx& tx, std::int64_t account_id, int n);
// Takes `amount` from lot `lot_id` for transaction `tx_id`, recording the use.
void take_from_lot(storage::Tx& tx, std::int64_t lot_id, std::int64_t tx_id, std::int64_t amount);
// Takes `amount` from the account's lots with points left, oldest first, for
// transaction `tx_id` (what is spent is what would lapse first).
void spend_lots(storage::Tx& tx, std::int64_t account_id, std::int64_t amount, std::int64_t tx_id);
// What transaction `tx_id` took from each lot.
struct LotUse {
  std::int64_t lot_id = 0, amount = 0;
  std::optional<Millis> expires_at;
};
std::vector<LotUse> lot_uses(storage::Tx& tx, std::int64_t tx_id);
void return_to_lot(storage::Tx& tx, std::int64_t lot_id, std::int64_t amount);

// ---- earning rules and settings ------------------------------------------------

struct Rule {
  std::int64_t id = 0, community_id = 0;
  std::string community_name, event_kind;
  std::int64_t points = 0;
  std::optional<std::int64_t> daily_cap, monthly_cap;
  bool needs_approval = false;
  std::int64_t notice_days = 0;
  bool active = true;
};
// The community's active rule for `event_kind`.
std::optional<Rule> active_rule(storage::Tx& tx, std::int64_t community_id,
                                std::string_view event_kind);
// The notice days of rule `id`; nullopt for no such rule.
std::optional<std::int64_t> notice_days_of(storage::Tx& tx, std::int64_t rule_id);
// The community's rules, in the order they were first set.
std::vector<Rule> rules_in(storage::Tx& tx, std::int64_t community_id);
// The communities with rules in the caller's points.read scope.
std::vector<std::int64_t> rule_communities(storage::Tx& tx, const api::Principal& p);
// Sets the community's rule for the kind (`path`: the community's).
void set_rule(storage::Tx& tx, const RuleInput& in, const std::string& path, Millis now);

Settings settings(storage::Tx& tx, std::int64_t community_id);
void set_settings(storage::Tx& tx, std::int64_t community_id, const Settings& s);

// ---- awards and objections -----------------------------------------------------------

struct Award {
  std::int64_t id = 0;
  std::string event_kind, event_id;
  std::optional<std::int64_t> rule_id;
  std::int64_t account_id = 0, community_id = 0;
  std::string path;
  std::int64_t points = 0;
  std::optional<std::string> reason;
  std::optional<std::string> reason_key, reason_params;  // the reason as a message
  std::string status;
  std::optional<Millis> notice_until;
  std::optional<std::int64_t> created_by;
  Millis created_at = 0;
  bool private_event = false;  // the act was anonymous: not linked in public
  std::optional<std::int64_t> requested_points;  // by hand: what was asked for
  std::string account_kind;  // resident | org
  std::int64_t owner_id = 0;
  std::string name;  // the resident's or the team's
  std::int64_t open_objections = 0;
};
std::optional<Award> find_award(storage::Tx& tx, std::int64_t id);
// The award for event `event_key` ("verified_report:42").
std::optional<std::int64_t> award_of_event(storage::Tx& tx, const std::string& event_key);
// Points awarded to the account for `event_kind` since `since`, in statuses
// that count towards caps.
std::int64_t awarded_since(storage::Tx& tx, std::int64_t account_id, std::string_view event_kind,
                           Millis since);

struct NewAward {
  std::string event_key, event_kind, event_id;
  std::int64_t rule_id = 0;
  const Account* account = nullptr;
  std::int64_t points = 0;
  std::string reason, status;
  std::optional<Millis> notice_until;
  std::optional<std::int64_t> created_by;
  Millis created_at = 0;
  bool private_event = false;
  std::optional<std::int64_t> requested_points;
  std::optional<std::string> reason_key, reason_params;
};
std::int64_t insert_award(storage::Tx& tx, const NewAward& a);
void mark_paid(storage::Tx& tx, std::int64_t id, std::int64_t tx_id);
void mark_decided(storage::Tx& tx, std::int64_t id, std::int64_t user_id, Millis now);
void start_notice(storage::Tx& tx, std::int64_t id, Millis until);
// Rejects an award not yet paid (`reason`, when given, replaces its own);
// false when it was paid, rejected or capped already.
bool reject_award(storage::Tx& tx, std::int64_t id, std::int64_t user_id, Millis now,
                  const std::optional<std::string>& reason);
// Rejects it whatever its status (an upheld objection).
void reject_outright(storage::Tx& tx, std::int64_t id, std::int64_t user_id, Millis now);
// Awards in the caller's points.read scope (`staff`), or in notice in the
// caller's communities, newest first.
std::pair<std::vector<Award>, std::int64_t> awards(storage::Tx& tx, const api::Principal& p,
                                                   bool staff, const AwardQuery& q);

struct Objection {
  std::int64_t id = 0, award_id = 0;
  std::string reason, status;  // open | upheld | dismissed
  std::string by;              // the objector's display name
  Millis created_at = 0;
};
std::optional<Objection> find_objection(storage::Tx& tx, std::int64_t id);
bool has_open_objection(storage::Tx& tx, std::int64_t award_id);
bool has_objected(storage::Tx& tx, std::int64_t award_id, std::int64_t user_id);
std::int64_t insert_objection(storage::Tx& tx, std::int64_t award_id, std::int64_t user_id,
                              const std::string& reason, Millis now);
void decide_objection(storage::Tx& tx, std::int64_t id, std::string_view status,
                      std::int64_t user_id, Millis now);
std::vector<Objection> objections_of(storage::Tx& tx, std::int64_t award_id);

// ---- the exchange ---------------------------------------------------------------------

struct Item {
  std::int64_t id = 0, org_id = 0;
  std::string org_name;
  std::int64_t community_id = 0;
  std::string community_name, path, title;
  std::optional<std::string> description;
  std::string kind;
  std::int64_t price = 0, stock = 0;
  std::optional<std::int64_t> per_day, per_month, per_person;
  bool active = true;
};
std::optional<Item> find_item(storage::Tx& tx, std::int64_t id);
// Stores a new item (every field of `in` the item needs is set) at `path`.
std::int64_t insert_item(storage::Tx& tx, const ItemFields& in, const std::string& path,
                         Millis now);
// Changes the fields `in` sets.
void update_item(storage::Tx& tx, std::int64_t id, const ItemFields& in, Millis now);
// Takes every item of the organisation off the catalogue (vouchers already
// issued stay valid); returns how many were on it.
std::int64_t deactivate_items_of(storage::Tx& tx, std::int64_t org_id, Millis now);
// Takes one from the stock; false when none is left.
bool take_stock(storage::Tx& tx, std::int64_t item_id);
void return_stock(storage::Tx& tx, std::int64_t item_id);
// Items the caller may see (see Points::list_items), by id.
std::pair<std::vector<Item>, std::int64_t> items(storage::Tx& tx, const api::Principal& p,
                                                 const ItemQuery& q);

struct Voucher {
  std::int64_t id = 0;
  std::string code;
  std::int64_t item_id = 0;
  std::string item_title;
  std::int64_t org_id = 0;
  std::string org_name;
  std::int64_t account_id = 0, price = 0;
  std::string status;
  std::int64_t redeem_tx_id = 0;
  Millis created_at = 0;
  std::optional<Millis> fulfilled_at, cancelled_at;
  std::string holder_name;  // the resident's
};
std::optional<Voucher> find_voucher(storage::Tx& tx, std::int64_t id);
std::optional<Voucher> voucher_by_code(storage::Tx& tx, const std::string& code);
std::optional<Voucher> voucher_by_key(storage::Tx& tx, const std::string& idem_key);
// Vouchers of the item the account took since `since`, in statuses that
// count towards the item's limits.
std::int64_t vouchers_taken_since(storage::Tx& tx, std::int64_t account_id, std::int64_t item_id,
                                  Millis since);
std::int64_t insert_voucher(storage::Tx& tx, const std::string& code, const Item& item,
                            std::int64_t account_id, const std::string& idem_key,
                            std::int64_t redeem_tx_id, Millis now);
// False when the voucher is no longer usable.
bool fulfil_voucher(storage::Tx& tx, std::int64_t id, std::int64_t user_id, Millis now);
bool cancel_voucher(storage::Tx& tx, std::int64_t id, Millis now);
void set_refund(storage::Tx& tx, std::int64_t id, std::int64_t refund_tx_id);
// The vouchers of VoucherQuery, newest first (`code` already normalised).
std::pair<std::vector<Voucher>, std::int64_t> vouchers(storage::Tx& tx, const api::Principal& p,
                                                       const VoucherQuery& q);

// ---- the leaderboard ---------------------------------------------------------------------

struct Leader {
  std::string name;
  std::int64_t points = 0;
  bool public_name = false;  // the resident consented to showing their name
};
// The `n` residents of the community who earned most since `first_month`.
std::vector<Leader> leaders(storage::Tx& tx, std::int64_t community_id, std::int64_t first_month,
                            int n);

}  // namespace xh::points::store
