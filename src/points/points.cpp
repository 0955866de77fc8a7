// Earning points: awards by the communities' rules (for domain events and by
// hand), approval, public notice and objection, the correction of an award,
// and the scheduled work (a notice's end, a lot's expiry).
#include "points/points.h"

#include <cmath>

#include <algorithm>
#include <boost/json.hpp>

#include "api/scope.h"
#include "audit/audit.h"
#include "core/error.h"
#include "points/access.h"
#include "points/ledger.h"
#include "points/store.h"
#include "points/views.h"
#include "schedule/schedule.h"

namespace xh::points {

namespace json = boost::json;
using storage::Tx;

namespace {

const api::Actor kSystem = api::Actor::system();

store::Account load_account(Tx& tx, std::int64_t id) {
  auto a = store::find_account(tx, id);
  if (!a) throw not_found("points.no_account");
  return *a;
}

store::Award load_award(Tx& tx, std::int64_t id) {
  auto a = store::find_award(tx, id);
  if (!a) throw not_found("points.award_not_found");
  return *a;
}

// Staff who are residents (or a team's contacts) too decide nothing about
// their own points: 403 points.own_award.
void require_not_own(Tx& tx, const api::Principal& p, const store::Award& a) {
  if (access::owns_account(tx, p, load_account(tx, a.account_id)))
    throw forbidden("points.own_award");
}

// What earns an award: `kind` and `event_id` name the event (and make the
// award idempotent: the same event never pays twice).
struct Occasion {
  std::string kind;      // an event kind of rules.h
  std::string event_id;  // unique within the kind
  std::optional<std::int64_t> resident_id, org_id;
  std::optional<std::int64_t> points;  // by hand only: at most the rule's points
  std::string reason;
  std::optional<std::int64_t> created_by;
  bool private_event = false;  // anonymous: the public notice does not link it
  // The reason as a message (the server's words), `reason` its Chinese text.
  std::optional<std::string> reason_key, reason_params;
  double units = 1;  // the rule's points are per unit (an hour served)
};

// Pays award `id` (in notice or pending, or new): the community issues the
// points to the account; a resident's points become a lot that may lapse.
void pay(Tx& tx, std::int64_t id, const api::Actor& actor) {
  store::Award a = load_award(tx, id);
  // The memo is hashed into the ledger's chain in its Chinese words; readers
  // see it in their language, from its key.
  json::object params{{"event", a.event_kind}};
  bool reasoned = a.reason && !a.reason->empty();
  if (a.reason_key) {
    params["reason_key"] = *a.reason_key;
    if (a.reason_params) params["reason_params"] = json::parse(*a.reason_params);
  } else if (reasoned) {
    params["reason"] = *a.reason;
  }
  std::string memo_key = reasoned ? "points.memo.award_reason" : "points.memo.award";
  std::string memo_params = json::serialize(params);
  auto posted = post(tx, {"award:" + std::to_string(id),
                          "award",
                          views::text("", memo_key, memo_params, Lang::zh_CN),
                          {{community_account(tx, "issuing", a.community_id), -a.points},
                           {a.account_id, a.points}},
                          std::nullopt,
                          a.created_by,
                          memo_key,
                          memo_params});
  if (posted.repeated) return;  // paid already, by whoever got here first
  store::mark_paid(tx, id, posted.tx_id);
  store::Account account = load_account(tx, a.account_id);
  Millis now = posted.created_at;
  store::count_earned(tx, account, a.points, beijing_month(now));
  if (account.kind == "resident") {
    std::optional<Millis> expires;
    if (store::settings(tx, a.community_id).expiry_enabled) expires = now + kLotLifetime;
    auto lot = store::insert_lot(tx, account.id, posted.tx_id, a.points, now, expires);
    if (expires) schedule::add(tx, "points.expire_lot", lot, *expires);
  }
  audit::append(tx, actor,
                {"points.pay", "point_award", std::to_string(id), std::nullopt,
                 json::serialize(json::object{{"tx_id", posted.tx_id}, {"points", a.points}})});
}

// Applies the community's rule for `o.kind`: nothing when there is none (a
// by-hand award: 422 points.no_rule); capped, held for approval, put in
// public notice or paid as the rule says. Inside the caller's transaction.
// The award's id, new or the one the occasion made before.
// Tells the community's staff who decide awards (points.manage over its
// place, not the one who caused it) that `award` waits on them: a notice in
// their inboxes, through a domain event (points.award_pending,
// points.objection_raised).
void tell_deciders(Tx& tx, const api::EventBus& events, const api::Actor& actor,
                   const std::string& kind, const std::string& text, std::int64_t award_id) {
  store::Award a = load_award(tx, award_id);
  json::array notify;
  for (auto user : api::holders(tx, "points.manage", a.path)) {
    if (actor.user_id && *actor.user_id == user) continue;
    notify.push_back({{"user_id", user},
                      {"kind", kind},
                      {"text", text},
                      {"params", {{"points", std::to_string(a.points)},
                                  {"event", {{"label", "points.event_kind"}, {"key", a.event_kind}}}}},
                      {"subject_type", "point_award"},
                      {"subject_id", award_id}});
  }
  events.emit(tx, {kind, "point_award", award_id, actor, a.path, std::nullopt,
                   {{"notify", std::move(notify)}}});
}

std::optional<std::int64_t> award_for(Tx& tx, const Occasion& o, const api::Actor& actor,
                                      const api::EventBus& events) {
  std::string key = o.kind + ":" + o.event_id;
  lock(tx);
  if (auto existing = store::award_of_event(tx, key)) return existing;
  std::int64_t account_id =
      o.resident_id ? resident_account(tx, *o.resident_id) : org_account(tx, *o.org_id);
  store::Account account = load_account(tx, account_id);
  auto rule = store::active_rule(tx, account.community_id, o.kind);
  if (!rule) {
    const EventKind* kind = find_event_kind(o.kind);
    if (kind && kind->by_hand) throw unprocessable("points.no_rule", "event_kind");
    return std::nullopt;  // this community pays nothing for it
  }
  std::int64_t points = o.units == 1 ? rule->points : std::llround(rule->points * o.units);
  if (o.points) {
    if (*o.points < 1 || *o.points > points) throw unprocessable("points.bad_points", "points");
    points = *o.points;
  }
  // Caps per person and kind of event, by Beijing day and month.
  Millis now = now_ms();
  auto awarded_since = [&](Millis since) {
    return store::awarded_since(tx, account_id, o.kind, since);
  };
  if (rule->daily_cap)
    points = std::min(points, *rule->daily_cap - awarded_since(beijing_day_start(now)));
  if (rule->monthly_cap)
    points = std::min(points, *rule->monthly_cap - awarded_since(beijing_month_start(now)));
  std::string status = points <= 0             ? "capped"
                       : rule->needs_approval  ? "pending"
                       : rule->notice_days > 0 ? "notice"
                                               : "paid";
  std::optional<Millis> notice_until;
  if (status == "notice") notice_until = now + rule->notice_days * kDay;
  // One paid at once is stored as in notice, then paid like any other.
  auto id = store::insert_award(
      tx, {key, o.kind, o.event_id, rule->id, &account, std::max<std::int64_t>(points, 0), o.reason,
           status == "paid" ? "notice" : status, notice_until, o.created_by, now, o.private_event,
           o.points, o.reason_key, o.reason_params});
  audit::append(
      tx, actor,
      {"points.award", "point_award", std::to_string(id), std::nullopt,
       json::serialize(json::object{{"event", key}, {"points", points}, {"status", status}})});
  if (status == "paid") pay(tx, id, actor);
  if (status == "pending")
    tell_deciders(tx, events, actor, "points.award_pending", "points.notice.approve", id);
  if (notice_until) schedule::add(tx, "points.notice_end", id, *notice_until);
  return id;
}

}  // namespace

void pay_for_event(Tx& tx, const api::Event& e, const Earning& earning, const api::EventBus& events) {
  if (!e.beneficiary_user_id) return;
  // Nobody earns by their own hand (a reporter who verifies their own report).
  if (e.actor.user_id == e.beneficiary_user_id) return;
  auto resident = store::resident_of_user(tx, *e.beneficiary_user_id);
  if (!resident || !has_household(tx, *resident)) return;
  auto anonymous = e.data.if_contains("anonymous");
  bool private_event = anonymous && anonymous->is_bool() && anonymous->as_bool();
  std::string key(private_event ? earning.private_reason : earning.reason);
  std::string params = json::serialize(
      private_event ? json::object{} : json::object{{"id", std::to_string(e.subject_id)}});
  // One award per occasion: the subject, unless the event names a finer one
  // (one member's attendance of a meeting).
  const json::value* occasion = e.data.if_contains("occasion");
  std::string event_id = occasion && occasion->is_string() ? std::string(occasion->as_string())
                                                           : std::to_string(e.subject_id);
  // Points per unit (per hour served) when the event counts units.
  const json::value* units = e.data.if_contains("units");
  double count = units && units->is_number() ? units->to_number<double>() : 1.0;
  if (count <= 0) return;
  award_for(tx,
            {std::string(earning.kind), event_id, *resident, std::nullopt, std::nullopt,
             views::text("", key, params, Lang::zh_CN), std::nullopt, private_event, key, params,
             count},
            e.actor, events);
}

// ---- awards, approval, notice and objection ----------------------------------

json::object Points::manual_award(const api::Principal& p, const api::Actor& actor,
                                  const ManualAward& in, Lang lang) const {
  if (in.resident_id.has_value() == in.org_id.has_value())
    throw unprocessable("request.missing_field", "resident_id");
  if (in.reason.empty()) throw unprocessable("request.missing_field", "reason");
  if (in.idempotency_key.empty()) throw unprocessable("request.missing_field", "idempotency_key");
  return db_.write([&](Tx& tx) {
    std::int64_t account =
        in.resident_id ? resident_account(tx, *in.resident_id) : org_account(tx, *in.org_id);
    store::Account to = load_account(tx, account);
    api::require_in_scope(p, "points.manage", to.path);
    if (access::owns_account(tx, p, to)) throw forbidden("points.own_award");
    // Keys are the caller's own: another person's key names another award.
    auto id =
        award_for(tx,
                  {std::string(kManualKind), std::to_string(p.user_id) + ":" + in.idempotency_key,
                   in.resident_id, in.org_id, in.points, in.reason, p.user_id},
                  actor, events_);
    store::Award a = load_award(tx, *id);
    // A retry answers the first award; the same key with another request is
    // a conflict, not the first award's answer.
    if (a.account_id != account || a.reason.value_or("") != in.reason ||
        (in.points && a.requested_points != in.points))
      throw conflict("request.conflict", "idempotency_key");
    return views::award(a, true, lang);
  });
}

json::object Points::approve_award(const api::Principal& p, const api::Actor& actor,
                                   std::int64_t id, Lang lang) const {
  return db_.write([&](Tx& tx) {
    lock(tx);
    store::Award a = load_award(tx, id);
    api::require_in_scope(p, "points.manage", a.path);
    require_not_own(tx, p, a);
    if (a.status != "pending") throw conflict("points.award_decided");
    Millis now = now_ms();
    std::int64_t days = store::notice_days_of(tx, a.rule_id.value_or(0)).value_or(0);
    store::mark_decided(tx, id, p.user_id, now);
    if (days > 0) {
      store::start_notice(tx, id, now + days * kDay);
      schedule::add(tx, "points.notice_end", id, now + days * kDay);
    } else {
      pay(tx, id, actor);
    }
    audit::append(tx, actor,
                  {"points.approve", "point_award", std::to_string(id),
                   json::serialize(json::object{{"status", a.status}}), std::nullopt});
    return views::award(load_award(tx, id), true, lang);
  });
}

json::object Points::reject_award(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                                  const std::optional<std::string>& reason, Lang lang) const {
  return db_.write([&](Tx& tx) {
    lock(tx);
    store::Award a = load_award(tx, id);
    api::require_in_scope(p, "points.manage", a.path);
    if (!store::reject_award(tx, id, p.user_id, now_ms(), reason))
      throw conflict("points.award_decided");
    audit::append(tx, actor,
                  {"points.reject", "point_award", std::to_string(id),
                   json::serialize(json::object{{"status", a.status}}), std::nullopt});
    return views::award(load_award(tx, id), true, lang);
  });
}

json::object Points::object_to_award(const api::Principal& p, const api::Actor& actor,
                                     std::int64_t award_id, const std::string& reason) const {
  if (reason.empty()) throw unprocessable("request.missing_field", "reason");
  return db_.write([&](Tx& tx) {
    store::Award a = load_award(tx, award_id);
    if (!access::in_community(p, a.path)) throw forbidden("auth.scope_denied", "points.object");
    if (a.status != "notice" || !a.notice_until || now_ms() >= *a.notice_until)
      throw conflict("points.not_in_notice");
    if (store::has_objected(tx, award_id, p.user_id)) throw conflict("points.already_objected");
    auto id = store::insert_objection(tx, award_id, p.user_id, reason, now_ms());
    tell_deciders(tx, events_, actor, "points.objection_raised", "points.notice.objection", award_id);
    audit::append(tx, actor,
                  {"points.object", "point_award", std::to_string(award_id), std::nullopt,
                   json::serialize(json::object{{"objection_id", id}})});
    return json::object{{"id", id}, {"award_id", award_id}, {"status", "open"}};
  });
}

namespace {

// An open objection decided (points.manage over its award): upheld, an award
// still in notice is rejected; otherwise the notice's end is checked again
// (the last objection dismissed after the notice: paid).
json::object decide(Tx& tx, const Points& points, const api::Principal& p, const api::Actor& actor,
                    std::int64_t id, bool upheld, Lang lang) {
  lock(tx);
  auto o = store::find_objection(tx, id);
  if (!o) throw not_found("points.objection_not_found");
  store::Award a = load_award(tx, o->award_id);
  api::require_in_scope(p, "points.manage", a.path);
  require_not_own(tx, p, a);
  if (o->status != "open") throw conflict("points.objection_decided");
  Millis now = now_ms();
  store::decide_objection(tx, id, upheld ? "upheld" : "dismissed", p.user_id, now);
  if (upheld && a.status == "notice")
    store::reject_outright(tx, a.id, p.user_id, now);
  else
    points.end_notice(tx, a.id, now);
  audit::append(tx, actor,
                {"points.objection_decide", "point_objection", std::to_string(id), std::nullopt,
                 json::serialize(json::object{{"upheld", upheld}})});
  return views::award(load_award(tx, a.id), true, lang);
}

}  // namespace

json::object Points::uphold_objection(const api::Principal& p, const api::Actor& actor,
                                      std::int64_t id, Lang lang) const {
  return db_.write([&](Tx& tx) { return decide(tx, *this, p, actor, id, true, lang); });
}

json::object Points::dismiss_objection(const api::Principal& p, const api::Actor& actor,
                                       std::int64_t id, Lang lang) const {
  return db_.write([&](Tx& tx) { return decide(tx, *this, p, actor, id, false, lang); });
}

// ---- correction ----------------------------------------------------------------

json::object Points::reverse(const api::Principal& p, const api::Actor& actor, std::int64_t tx_id,
                             const std::string& reason, const std::string& idem_key) const {
  if (reason.empty()) throw unprocessable("request.missing_field", "reason");
  if (idem_key.empty()) throw unprocessable("request.missing_field", "idempotency_key");
  return db_.write([&](Tx& tx) {
    lock(tx);
    auto t = store::find_transaction(tx, tx_id);
    if (!t) throw not_found("points.transaction_not_found");
    std::vector<store::Account> accounts;
    std::vector<Posting> negated;
    for (const auto& [account_id, amount] : store::postings_of(tx, tx_id)) {
      accounts.push_back(load_account(tx, account_id));
      api::require_in_scope(p, "points.manage", accounts.back().path);
      negated.push_back({account_id, -amount});
    }
    // A retry with the same key answers the first reversal and changes
    // nothing else (no derived total is touched twice); the key used for
    // another transaction or another reason is a conflict.
    std::string key = "reversal:" + std::to_string(p.user_id) + ":" + idem_key;
    std::string memo = views::text("", "points.memo.reversal",
                                   json::serialize(json::object{{"reason", reason}}), Lang::zh_CN);
    if (auto existing = find_by_key(tx, key)) {
      auto first = store::find_transaction(tx, *existing);
      if (first->reverses_id != tx_id || first->memo != memo)
        throw conflict("request.conflict", "idempotency_key");
      return json::object{{"tx_id", *existing}, {"reverses_id", tx_id}, {"repeated", true}};
    }
    if (!is_reversible(t->kind)) throw conflict("points.not_reversible");
    if (store::is_reversed(tx, tx_id)) throw conflict("points.already_reversed");
    auto posted = post(tx, {key, "reversal", memo, negated, tx_id, p.user_id, "points.memo.reversal",
                            json::serialize(json::object{{"reason", reason}})});
    std::vector<std::pair<std::int64_t, std::int64_t>> resident_debits;
    for (std::size_t i = 0; i < accounts.size(); ++i) {
      std::int64_t amount = -negated[i].amount;
      store::count_earned(tx, accounts[i], -amount, beijing_month(posted.created_at));
      if (accounts[i].kind == "resident" && amount > 0)
        resident_debits.emplace_back(accounts[i].id, amount);
    }
    // The award's own lot goes first, then the oldest.
    for (const auto& [account, amount] : resident_debits) {
      std::int64_t left = amount;
      auto own = store::lot_of(tx, tx_id, account);
      if (own && own->remaining > 0) {
        std::int64_t take = std::min(left, own->remaining);
        store::take_from_lot(tx, own->id, posted.tx_id, take);
        left -= take;
      }
      store::spend_lots(tx, account, left, posted.tx_id);
    }
    audit::append(
        tx, actor,
        {"points.reverse", "point_transaction", std::to_string(tx_id), std::nullopt,
         json::serialize(json::object{{"reversal_tx_id", posted.tx_id}, {"reason", reason}})});
    return json::object{{"tx_id", posted.tx_id}, {"reverses_id", tx_id}, {"repeated", false}};
  });
}

// ---- scheduled work ----------------------------------------------------------------

void Points::end_notice(Tx& tx, std::int64_t award_id, Millis now) const {
  lock(tx);
  auto a = store::find_award(tx, award_id);
  if (!a || a->status != "notice" || now < a->notice_until.value() ||
      store::has_open_objection(tx, award_id))
    return;
  pay(tx, award_id, kSystem);
}

void Points::expire_lot(Tx& tx, std::int64_t lot_id, Millis now) const {
  lock(tx);  // read the lot only once no redemption or refund can change it
  auto lot = store::find_lot(tx, lot_id);
  if (!lot || lot->remaining <= 0 || !lot->expires_at || now < *lot->expires_at) return;
  auto posted = post(tx, {"expiry:lot:" + std::to_string(lot_id) + ":" +
                              std::to_string(lot->remaining) + ":" + std::to_string(now),
                          "expiry",
                          message("points.memo.expiry", Lang::zh_CN),
                          {{lot->account_id, -lot->remaining},
                           {community_account(tx, "expiry", lot->community_id), lot->remaining}},
                          std::nullopt,
                          std::nullopt,
                          "points.memo.expiry",
                          std::nullopt});
  store::take_from_lot(tx, lot_id, posted.tx_id, lot->remaining);
}

}  // namespace xh::points
