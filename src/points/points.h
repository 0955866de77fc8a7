#pragma once
// Contribution points (贡献积分, PTS-1 … PTS-4): residents and teams earn
// points for what they do (a verified report, a volunteer hour, a meeting, a
// fulfilled micro-wish, a staff award), by per-community rules with caps,
// approval and public notice (公示) during which anyone may object; they
// spend them in the exchange (积分兑换) on partners' services and goods,
// receiving a voucher the provider fulfils; unspent points may lapse a year
// after they were earned, oldest first. Every movement is a ledger
// transaction (ledger.h).
//
// One function per user action, each in one transaction that checks
// permission and scope, validates, writes and audits. Thread-safe.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit.h"
#include "api/scope.h"
#include "core/labels.h"
#include "core/messages.h"
#include "api/module.h"
#include "schedule/schedule.h"
#include "storage/database.h"

namespace xh::points {

const std::vector<Label>& event_kinds();
const std::vector<Label>& award_statuses();
const std::vector<Label>& account_kinds();
const std::vector<Label>& transaction_kinds();
const std::vector<Label>& voucher_statuses();
const std::vector<Label>& item_kinds();  // service | goods

struct Services {
  storage::Database& db;
  std::string key_file;  // the ledger's signing key (<data-dir>/ledger.key)
};

// ---- earning (PTS-1) -------------------------------------------------------

// The one way modules pay points for what happened: `event_kind` and
// `event_id` name the event (and make the award idempotent: the same event
// never pays twice). Applies the community's rule for the kind: nothing when
// there is none; capped, held for approval or put in public notice as the
// rule says. Runs inside the caller's transaction. Returns the award's id.
struct Event {
  std::string kind;      // verified_report | volunteer_hour | meeting_attended | wish_fulfilled | manual
  std::string event_id;  // unique within the kind
  std::optional<std::int64_t> resident_id, org_id;
  std::optional<std::int64_t> points;  // manual awards only: at most the rule's points
  std::string reason;
  std::optional<std::int64_t> created_by;
};
std::optional<std::int64_t> award_for_event(storage::Tx& tx, const Event& e,
                                            const api::Actor& actor);

// The domain events points pays for, and the earning kind (the rules' event
// kind) each pays by; `memo` is the award's reason, with {id} for the
// subject's id.
struct Earning {
  std::string_view event;  // "workorder.verified"
  std::string_view kind;   // "verified_report"
  std::string_view memo;   // "诉求 #{id} 已核实"
};
const std::vector<Earning>& earnings();

// Pays the beneficiary of `e` by the community's rule for `earning`, inside
// the emitting transaction: nothing when the event names nobody, the person
// has no resident record or household (no account to pay into), or the
// community has no rule for the kind. Idempotent per event.
void pay_for_event(storage::Tx& tx, const api::Event& e, const Earning& earning);

// The resident whose login is `user_id`, if any.
std::optional<std::int64_t> resident_of_user(storage::Tx& tx, std::int64_t user_id);

boost::json::object manual_award(Services& s, const api::Principal& p, const api::Actor& actor,
                                 std::optional<std::int64_t> resident_id,
                                 std::optional<std::int64_t> org_id, std::int64_t points,
                                 const std::string& reason, const std::string& idem_key, Lang lang);
boost::json::object approve_award(Services& s, const api::Principal& p, const api::Actor& actor,
                                  std::int64_t id, bool approve, const std::optional<std::string>& reason,
                                  Lang lang);
boost::json::object object_to_award(Services& s, const api::Principal& p,
                                    const api::Actor& actor, std::int64_t award_id,
                                    const std::string& reason);
boost::json::object decide_objection(Services& s, const api::Principal& p,
                                     const api::Actor& actor, std::int64_t id, bool upheld,
                                     Lang lang);

struct AwardQuery {
  std::optional<std::string> status;
  std::optional<std::int64_t> community_id;
  int limit = 50, offset = 0;
};
std::pair<boost::json::array, std::int64_t> list_awards(Services& s, const api::Principal& p,
                                                        const AwardQuery& q, Lang lang);

struct RuleInput {
  std::int64_t community_id;
  std::string event_kind;
  std::int64_t points;
  std::optional<std::int64_t> daily_cap, monthly_cap;
  bool needs_approval = false;
  std::int64_t notice_days = 0;
  bool active = true;
};
boost::json::object save_rule(Services& s, const api::Principal& p, const api::Actor& actor,
                              const RuleInput& in, Lang lang);
boost::json::array list_rules(Services& s, const api::Principal& p,
                              std::optional<std::int64_t> community_id, Lang lang);
boost::json::object get_settings(Services& s, const api::Principal& p, std::int64_t community_id);
boost::json::object save_settings(Services& s, const api::Principal& p, const api::Actor& actor,
                                  std::int64_t community_id, bool expiry_enabled);

// ---- the ledger, read and corrected (PTS-2, PTS-4) -------------------------

boost::json::object my_points(Services& s, const api::Principal& p, Lang lang);
std::pair<boost::json::object, std::int64_t> statement(Services& s, const api::Principal& p,
                                                       std::int64_t account_id, int limit,
                                                       int offset, Lang lang);
struct AccountQuery {
  std::optional<std::int64_t> community_id;
  std::optional<std::string> kind, q;
  int limit = 50, offset = 0;
};
std::pair<boost::json::array, std::int64_t> list_accounts(Services& s, const api::Principal& p,
                                                          const AccountQuery& q, Lang lang);
std::pair<boost::json::array, std::int64_t> list_transactions(
    Services& s, const api::Principal& p, std::optional<std::int64_t> account_id,
    std::optional<std::string> kind, int limit, int offset, Lang lang);
// A correcting transaction with every posting of award `tx_id` negated.
boost::json::object reverse(Services& s, const api::Principal& p, const api::Actor& actor,
                            std::int64_t tx_id, const std::string& reason,
                            const std::string& idem_key);
boost::json::array leaderboard(Services& s, const api::Principal& p, std::int64_t community_id,
                               const std::string& period);
boost::json::object digest(Services& s, const api::Principal& p);

// ---- the exchange (PTS-3) ----------------------------------------------------

struct ItemInput {
  std::optional<std::int64_t> org_id, community_id;
  std::optional<std::string> title, description, kind;
  std::optional<std::int64_t> price, stock, per_day, per_month, per_person;
  std::optional<bool> active;
};
boost::json::object save_item(Services& s, const api::Principal& p, const api::Actor& actor,
                              std::optional<std::int64_t> id, const ItemInput& in);
std::pair<boost::json::array, std::int64_t> list_items(Services& s, const api::Principal& p,
                                                       std::optional<std::int64_t> community_id,
                                                       bool active_only, int limit, int offset);
// The signed-in resident redeems one of `item_id`: points and stock in one
// transaction, a voucher back. The same key returns the same voucher.
boost::json::object redeem(Services& s, const api::Principal& p, const api::Actor& actor,
                           std::int64_t item_id, const std::string& idem_key, Lang lang);
boost::json::object fulfil(Services& s, const api::Principal& p, const api::Actor& actor,
                           const std::string& code, Lang lang);
boost::json::object cancel_voucher(Services& s, const api::Principal& p,
                                   const api::Actor& actor, std::int64_t id, Lang lang);
// `code`: the voucher with that code (what a provider's scanner reads), shown
// with its code since the caller holds it.
std::pair<boost::json::array, std::int64_t> list_vouchers(Services& s, const api::Principal& p,
                                                          bool mine, std::optional<std::string> status,
                                                          std::optional<std::string> code,
                                                          int limit, int offset, Lang lang);
// The voucher's code as a QR image (SVG); its owner or provider only.
std::string voucher_qr_svg(Services& s, const api::Principal& p, std::int64_t id);

// ---- scheduled work ------------------------------------------------------------

// Pays awards whose notice ended without objection; lets lots lapse.
void register_jobs(api::Setup& s);

}  // namespace xh::points
