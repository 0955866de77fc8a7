#pragma once
// Contribution points (贡献积分, PTS-1 … PTS-4): residents and teams earn
// points for what they do (a verified report, a volunteer hour, a meeting, a
// fulfilled micro-wish, a staff award), by per-community earning rules with
// daily and monthly caps, approval and public notice (公示) during which
// residents of the community may object; they spend them in the exchange
// (积分兑换) on partners' services and goods, receiving a voucher the
// provider fulfils; where a community switches expiry on, unspent points
// lapse a year after they were earned, oldest first. A leaderboard shows who
// earned most, names masked unless the person consented.
//
// Every movement of points is a transaction of the hash-chained double-entry
// ledger (ledger.h), which `xinghuo ledger verify` recomputes. What varies —
// event kinds, which domain event pays by which kind, award and voucher
// statuses, limits — is data (rules.h).
//
// Data scope: an account, award and earning rule belong to a community (a
// team registered at the street, to the street); an item to the community or
// street it serves. points.read and points.manage apply over those places;
// residents see their own account and vouchers, and the awards in notice in
// their community.
//
// Events handled: workorder.verified pays its reporter (pay_for_event, by the
// earnings table of rules.h).
//
// Events emitted: points.award_pending (an award waits for approval) and
// points.objection_raised (an award in notice was objected to), each telling
// the staff who may decide it (points.manage over its place, not whoever
// caused it) through a notice in their inbox.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "api/events.h"
#include "api/list.h"
#include "api/principal.h"
#include "core/messages.h"
#include "core/time.h"
#include "points/rules.h"
#include "storage/database.h"

namespace xh::points {

// ---- inputs ------------------------------------------------------------------

// A staff award (manual kind) to a resident or to a team: exactly one of the
// two.
struct ManualAward {
  std::optional<std::int64_t> resident_id, org_id;
  std::int64_t points = 0;  // at most the community's manual rule allows
  std::string reason;
  std::string idempotency_key;  // the caller's own: a retry returns the first award
};

struct AwardQuery {
  std::optional<std::string> status;
  std::optional<std::int64_t> community_id;
  api::Page page;
};

// An earning rule, set by its community and event kind.
struct RuleInput {
  std::int64_t community_id = 0;
  std::string event_kind;
  std::int64_t points = 0;
  std::optional<std::int64_t> daily_cap, monthly_cap;
  bool needs_approval = false;
  std::int64_t notice_days = 0;
  bool active = true;
};

struct AccountQuery {
  std::optional<std::int64_t> community_id;
  std::optional<std::string> kind, q;  // q: part of the account's name
  api::Page page;
};

struct TransactionQuery {
  std::optional<std::int64_t> account_id;
  std::optional<std::string> kind;
  api::Page page;
};

// An item of the exchange. Creating one needs org_id (the provider),
// community_id (the community or street it serves), title, kind, price and
// stock; an update changes what it gives and never the provider or place.
struct ItemFields {
  std::optional<std::int64_t> org_id, community_id;
  std::optional<std::string> title, description, kind;
  std::optional<std::int64_t> price, stock, per_day, per_month, per_person;
  std::optional<bool> active;
};

struct ItemQuery {
  std::optional<std::int64_t> community_id;
  bool active_only = false;
  api::Page page;
};

struct VoucherQuery {
  bool mine = false;  // the caller's own vouchers; otherwise those they provide or oversee
  std::optional<std::string> status;
  std::optional<std::string> code;  // as typed or scanned
  api::Page page;
};

// ---- the module -----------------------------------------------------------------

// The points module. Thread-safe: holds the database and the path of the
// ledger's signing key; every method runs in one transaction of its own,
// except the scheduled work, which runs in its job's. Errors are xh::Error
// with the status and code given; 403 auth.permission_denied or
// auth.scope_denied (the permission as detail) when the caller may not.
class Points {
 public:
  // `key_file`: the ledger's signing key (<data-dir>/ledger.key), created on
  // first use.
  Points(storage::Database& db, std::string key_file, const api::EventBus& events)
      : db_(db), key_file_(std::move(key_file)), events_(events) {}

  // ---- earning (PTS-1) ----

  // A staff award: points.manage over the account's community; by the
  // community's manual rule, so capped, held for approval or put in notice
  // as it says. 422 request.missing_field (resident_id when not exactly one
  // of resident and team, reason, idempotency_key), points.no_household,
  // points.no_account, points.no_rule, points.bad_points (more than the rule
  // allows); 403 points.own_award (the caller's own account, or their team's);
  // 409 request.conflict when the key was used for another account, reason or
  // number of points. Returns the award (a retried key: the first one).
  boost::json::object manual_award(const api::Principal& p, const api::Actor& actor,
                                   const ManualAward& in, Lang lang) const;
  // Approves an award awaiting approval: points.manage over it; it goes into
  // notice when its rule has one, else is paid. 403 points.own_award (the
  // caller's own points); 404 points.award_not_found, 409
  // points.award_decided. Returns the award.
  boost::json::object approve_award(const api::Principal& p, const api::Actor& actor,
                                    std::int64_t id, Lang lang) const;
  // Rejects an award awaiting approval or in notice (points.manage over it),
  // with an optional reason that replaces its own. 404
  // points.award_not_found, 409 points.award_decided. Returns the award.
  boost::json::object reject_award(const api::Principal& p, const api::Actor& actor,
                                   std::int64_t id, const std::optional<std::string>& reason,
                                   Lang lang) const;
  // Objects to an award in public notice: anyone with a business role in or
  // above its community (not the three administrators), once. 422 request.missing_field (reason); 403
  // auth.scope_denied (points.object); 404 points.award_not_found; 409
  // points.not_in_notice, points.already_objected. Returns {id, award_id,
  // status}.
  boost::json::object object_to_award(const api::Principal& p, const api::Actor& actor,
                                      std::int64_t award_id, const std::string& reason) const;
  // Upholds an open objection (points.manage over the award): an award still
  // in notice is rejected. 403 points.own_award; 404
  // points.objection_not_found, 409
  // points.objection_decided. Returns the award.
  boost::json::object uphold_objection(const api::Principal& p, const api::Actor& actor,
                                       std::int64_t id, Lang lang) const;
  // Dismisses an open objection (points.manage over the award): an award
  // whose notice is over and that has no other open objection is paid. 403
  // points.own_award; 404
  // points.objection_not_found, 409 points.objection_decided. Returns the
  // award.
  boost::json::object dismiss_objection(const api::Principal& p, const api::Actor& actor,
                                        std::int64_t id, Lang lang) const;
  // Staff (points.read) see the awards in their scope with their objections;
  // residents the awards in notice in their own community, names masked.
  // Newest first.
  api::Listed list_awards(const api::Principal& p, const AwardQuery& q, Lang lang) const;

  // ---- configuration (config.cpp) ----

  // Sets the community's rule for the event kind (points.manage over the
  // community, or over the street for the rules paying teams registered
  // there). 422 points.bad_event_kind, points.bad_points, points.bad_cap,
  // points.bad_notice, points.bad_community. Returns the rule.
  boost::json::object set_rule(const api::Principal& p, const api::Actor& actor,
                               const RuleInput& in, Lang lang) const;
  // The rules of `community_id` (anyone with a role in or above it, or
  // points.read over it; 400 request.bad_query for no such place), or of
  // every community in the caller's points.read scope.
  boost::json::array rules(const api::Principal& p, std::optional<std::int64_t> community_id,
                           Lang lang) const;
  // Anyone with a role in or above the community, or points.read over it
  // (as the rules); 400 request.bad_query for no such place.
  // Returns {community_id, expiry_enabled}.
  boost::json::object settings(const api::Principal& p, std::int64_t community_id) const;
  // points.manage over the community; 422 points.bad_community. Returns
  // {community_id, expiry_enabled}.
  boost::json::object set_settings(const api::Principal& p, const api::Actor& actor,
                                   std::int64_t community_id, bool expiry_enabled) const;
  // Offers an item: a contact of the provider where the provider is
  // registered or below, otherwise points.manage over the place. 422
  // points.bad_item (the field), request.missing_field, points.bad_community.
  // Returns the item.
  boost::json::object create_item(const api::Principal& p, const api::Actor& actor,
                                  const ItemFields& in) const;
  // Changes the fields given: a contact of the provider, or points.manage
  // over the item's place. 404 points.item_not_found; 422 as create_item.
  // Returns the item.
  boost::json::object update_item(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                                  const ItemFields& in) const;

  // ---- the ledger, read and corrected (PTS-2, PTS-4) ----

  // The signed-in resident's account (opened on the first visit): balance,
  // lots about to lapse, latest movements. 404 points.no_account for a login
  // linked to no resident; 422 points.no_household.
  boost::json::object my_points(const api::Principal& p, Lang lang) const;
  // An account's postings, newest first: its owner (the resident, or a
  // contact of the team) or points.read over it. 404 points.no_account.
  // Returns {account, items, total}.
  boost::json::object statement(const api::Principal& p, std::int64_t account_id, api::Page page,
                                Lang lang) const;
  // Accounts in the caller's points.read scope, richest first.
  api::Listed list_accounts(const api::Principal& p, const AccountQuery& q, Lang lang) const;
  // Transactions touching an account in the caller's points.read scope, with
  // their postings, newest first.
  api::Listed list_transactions(const api::Principal& p, const TransactionQuery& q,
                                Lang lang) const;
  // A correcting transaction with every posting of award transaction `tx_id`
  // negated, taken from the award's own lot first (points.manage over every
  // account it touched). 422 request.missing_field (reason,
  // idempotency_key); 404 points.transaction_not_found; 409
  // points.not_reversible, points.already_reversed, points.insufficient,
  // request.conflict (the key reversed another transaction, or for another
  // reason). A retry changes nothing (no derived total twice). Returns
  // {tx_id, reverses_id, repeated}.
  boost::json::object reverse(const api::Principal& p, const api::Actor& actor, std::int64_t tx_id,
                              const std::string& reason, const std::string& idem_key) const;
  // The 20 residents of the community who earned most in `period` (month |
  // year | all): anyone with a role in or above it, or points.read over it.
  // 400 request.bad_query (period, or community_id for no such place).
  // Names masked unless consented (public_name).
  boost::json::array leaderboard(const api::Principal& p, std::int64_t community_id,
                                 const std::string& period) const;
  // The chain head signed with the ledger key: audit.read or points.manage.
  // Returns {tx_id, hash, at, public_key, signature}.
  boost::json::object digest(const api::Principal& p) const;

  // ---- the exchange (PTS-3) ----

  // Items the caller may see: in their points.read scope, serving their
  // community or the whole street, or provided by their organisation.
  api::Listed list_items(const api::Principal& p, const ItemQuery& q) const;
  // The signed-in resident redeems one of `item_id`: points and stock in one
  // transaction, a voucher back. 422 request.missing_field
  // (idempotency_key), points.no_household; 404 points.no_account,
  // points.item_not_found; 403 auth.scope_denied (points.redeem) for an item
  // not serving their community; 409 points.item_inactive,
  // points.limit_reached, points.out_of_stock, points.insufficient,
  // request.conflict (the key is another's). The same key returns the same
  // voucher. Returns the voucher with its code.
  boost::json::object redeem(const api::Principal& p, const api::Actor& actor, std::int64_t item_id,
                             const std::string& idem_key, Lang lang) const;
  // The provider fulfils a voucher by its code (as typed or scanned). 404
  // points.voucher_not_found, 403 points.not_provider, 409
  // points.voucher_not_issued. Returns the voucher, without its code.
  boost::json::object fulfil(const api::Principal& p, const api::Actor& actor,
                             const std::string& code, Lang lang) const;
  // Cancels an unused voucher (its holder, or points.manage over the
  // account): points back to the lots they came from (lapsed ones lapse
  // again) and the stock back. 404 points.voucher_not_found, 409
  // points.voucher_not_issued. Returns the voucher.
  boost::json::object cancel_voucher(const api::Principal& p, const api::Actor& actor,
                                     std::int64_t id, Lang lang) const;
  // The caller's own vouchers (`mine`, with their codes), or those of their
  // organisation's items and in their points.read scope; with `code`, the
  // one voucher with that code, shown with it (what a provider's scanner
  // reads). Newest first.
  api::Listed list_vouchers(const api::Principal& p, const VoucherQuery& q, Lang lang) const;
  // The voucher's code as a QR image (SVG): its holder only (403
  // auth.scope_denied, points.voucher); 404 points.voucher_not_found.
  std::string voucher_qr_svg(const api::Principal& p, std::int64_t id) const;

  // ---- scheduled work (run inside the job's transaction) ----

  // The notice of award `award_id` ended: paid unless an objection is open
  // (or it was decided meanwhile).
  void end_notice(storage::Tx& tx, std::int64_t award_id, Millis now) const;
  // Lot `lot_id` reached its expiry: what remains of it lapses to the
  // community's expiry account.
  void expire_lot(storage::Tx& tx, std::int64_t lot_id, Millis now) const;

 private:
  storage::Database& db_;
  std::string key_file_;
  const api::EventBus& events_;
};

// Pays the beneficiary of domain event `e` by the community's rule for
// `earning`, inside the emitting transaction: nothing when the event names
// nobody, the person has no resident record or household (no account to pay
// into), or the community has no rule for the kind. Idempotent per event: a
// subject pays once, however often the event recurs.
void pay_for_event(storage::Tx& tx, const api::Event& e, const Earning& earning,
                   const api::EventBus& events);

}  // namespace xh::points
