// The points commands: earning (rules, awards, approval, notice, objection),
// correction, the exchange (items, redemption, fulfilment, cancellation), and
// the scheduled work (notice end, expiry).
#include "points/points.h"

#include <boost/json.hpp>
#include <sodium.h>

#include <algorithm>

#include "core/error.h"
#include "points/internal.h"
#include "points/ledger.h"

namespace xh::points {

namespace json = boost::json;
using namespace detail;
using storage::Tx;

const std::vector<Label>& event_kinds() {
  static const std::vector<Label> all = {{"verified_report", "诉求核实", "Verified report"},
                                         {"volunteer_hour", "志愿服务（每小时）", "Volunteer hour"},
                                         {"meeting_attended", "参加议事", "Attended a meeting"},
                                         {"wish_fulfilled", "认领微心愿", "Fulfilled a micro-wish"},
                                         {"manual", "人工奖励", "Manual award"}};
  return all;
}
const std::vector<Label>& award_statuses() {
  static const std::vector<Label> all = {{"pending", "待审核", "Awaiting approval"},
                                         {"notice", "公示中", "In public notice"},
                                         {"paid", "已发放", "Paid"},
                                         {"rejected", "未通过", "Rejected"},
                                         {"capped", "超出上限", "Over the cap"}};
  return all;
}
const std::vector<Label>& account_kinds() {
  static const std::vector<Label> all = {{"resident", "居民", "Resident"},
                                         {"org", "团队/单位", "Team or organisation"},
                                         {"issuing", "社区发放账户", "Community issuing"},
                                         {"redemption", "兑换收入账户", "Redemptions"},
                                         {"expiry", "过期账户", "Expired points"}};
  return all;
}
const std::vector<Label>& transaction_kinds() {
  static const std::vector<Label> all = {{"award", "获得积分", "Earned"},
                                         {"redeem", "兑换", "Redeemed"},
                                         {"refund", "退还", "Refunded"},
                                         {"reversal", "冲正", "Reversal"},
                                         {"expiry", "过期", "Expired"}};
  return all;
}
const std::vector<Label>& item_kinds() {
  static const std::vector<Label> all = {{"service", "服务", "Service"}, {"goods", "物品", "Goods"}};
  return all;
}

const std::vector<Label>& voucher_statuses() {
  static const std::vector<Label> all = {{"issued", "待使用", "To be used"},
                                         {"fulfilled", "已核销", "Fulfilled"},
                                         {"cancelled", "已取消", "Cancelled"}};
  return all;
}

namespace detail {

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

Millis beijing_day_start(Millis now) {
  constexpr Millis k8h = 8 * kHour;
  return (now + k8h) / kDay * kDay - k8h;
}

Millis beijing_month_start(Millis now) {
  std::time_t t = static_cast<std::time_t>((now + 8 * kHour) / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  tm.tm_mday = 1;
  tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
  return static_cast<Millis>(timegm(&tm)) * 1000 - 8 * kHour;
}

bool in_community(const api::Principal& p, std::string_view community_path) {
  for (const auto& g : p.grants)
    if (starts_with(g.place_path, community_path) || starts_with(community_path, g.place_path))
      return true;
  return false;
}

bool is_contact(Tx& tx, std::int64_t user_id, std::int64_t org_id) {
  return tx.query_one("SELECT 1 FROM org_contacts WHERE user_id = $1 AND org_id = $2", user_id,
                      org_id)
      .has_value();
}

Account load_account(Tx& tx, std::int64_t id) {
  auto r = tx.query_one(
      "SELECT id, kind, owner_id, community_id, path, balance FROM point_accounts WHERE id = $1", id);
  if (!r) throw not_found("points.no_account");
  return {r->i64(0), r->str(1), r->i64(2), r->i64(3), r->str(4), r->i64(5)};
}

bool owns_account(Tx& tx, const api::Principal& p, const Account& a) {
  if (a.kind == "resident")
    return tx.query_one("SELECT 1 FROM residents WHERE id = $1 AND user_id = $2", a.owner_id,
                        p.user_id)
        .has_value();
  if (a.kind == "org") return is_contact(tx, p.user_id, a.owner_id);
  return false;
}

int beijing_month(Millis at) {
  std::time_t t = static_cast<std::time_t>((at + 8 * kHour) / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return (tm.tm_year + 1900) * 100 + tm.tm_mon + 1;
}

void count_earned(Tx& tx, const Account& a, std::int64_t points, Millis at) {
  if (a.kind != "resident") return;
  tx.exec("INSERT INTO point_earned_monthly (account_id, community_id, month, points) VALUES ($1, "
          "$2, $3, $4) ON CONFLICT (account_id, month) DO UPDATE SET points = "
          "point_earned_monthly.points + excluded.points",
          a.id, a.community_id, std::int64_t{beijing_month(at)}, points);
}

void consume_lots(Tx& tx, std::int64_t account_id, std::int64_t amount, std::int64_t tx_id) {
  for (const auto& lot : tx.query("SELECT id, remaining FROM point_lots WHERE account_id = $1 AND "
                                  "remaining > 0 ORDER BY earned_at, id",
                                  account_id)) {
    if (amount <= 0) break;
    std::int64_t take = std::min(amount, lot.i64(1));
    tx.exec("UPDATE point_lots SET remaining = remaining - $2 WHERE id = $1", lot.i64(0), take);
    tx.exec("INSERT INTO point_lot_uses (lot_id, tx_id, amount) VALUES ($1, $2, $3)", lot.i64(0),
            tx_id, take);
    amount -= take;
  }
}

json::object award_json(Tx& tx, std::int64_t id, bool staff, Lang lang) {
  auto r = tx.query_one(
      "SELECT a.id, a.event_kind, a.event_id, a.points, a.status, a.reason, a.notice_until, "
      "a.created_at, acc.kind, acc.owner_id, COALESCE(res.name, o.name), a.community_id, "
      "(SELECT COUNT(*) FROM point_objections x WHERE x.award_id = a.id AND x.status = 'open') "
      "FROM point_awards a JOIN point_accounts acc ON acc.id = a.account_id LEFT JOIN residents "
      "res ON acc.kind = 'resident' AND res.id = acc.owner_id LEFT JOIN orgs o ON acc.kind = 'org' "
      "AND o.id = acc.owner_id WHERE a.id = $1",
      id);
  std::string name = r->opt_str(10).value_or("");
  json::object o{{"id", r->i64(0)},
                 {"event_kind", r->str(1)},
                 {"event_label", std::string(label_of(event_kinds(), r->str(1), lang))},
                 {"event_id", r->str(2)},
                 {"points", r->i64(3)},
                 {"status", r->str(4)},
                 {"status_label", std::string(label_of(award_statuses(), r->str(4), lang))},
                 {"reason", r->opt_str(5) ? json::value(*r->opt_str(5)) : json::value(nullptr)},
                 {"notice_until", r->opt_i64(6) ? json::value(iso8601(*r->opt_i64(6))) : json::value(nullptr)},
                 {"created_at", iso8601(r->i64(7))},
                 {"account_kind", r->str(8)},
                 {"name", staff || r->str(8) == "org" ? name : mask_name(name)},
                 {"community_id", r->i64(11)},
                 {"objections", r->i64(12)}};
  if (r->str(8) == "resident") o["resident_id"] = r->i64(9);
  else o["org_id"] = r->i64(9);
  return o;
}

}  // namespace detail

namespace {

const api::Actor kSystem{std::nullopt, "system", "127.0.0.1"};

std::string label(const std::vector<Label>& labels, std::string_view key, Lang lang) {
  return std::string(label_of(labels, key, lang));
}

// Pays award `id` (status notice or pending, or new): the community issues
// the points to the account; a resident's points become a lot that may lapse.
void pay(Tx& tx, std::int64_t id, const api::Actor& actor) {
  auto a = tx.query_one(
      "SELECT account_id, community_id, points, event_kind, reason, created_by FROM point_awards "
      "WHERE id = $1",
      id);
  std::int64_t account = a->i64(0), community = a->i64(1), points = a->i64(2);
  std::string memo = label(event_kinds(), a->str(3), Lang::zh_CN);
  if (auto reason = a->opt_str(4); reason && !reason->empty()) memo += "：" + *reason;
  auto posted = post(tx, {"award:" + std::to_string(id), "award", memo,
                          {{community_account(tx, "issuing", community), -points}, {account, points}},
                          std::nullopt, a->opt_i64(5)});
  if (posted.repeated) return;  // paid already, by whoever got here first
  tx.exec("UPDATE point_awards SET status = 'paid', tx_id = $2 WHERE id = $1", id, posted.tx_id);
  count_earned(tx, load_account(tx, account), points, now_ms());
  if (load_account(tx, account).kind == "resident") {
    Millis now = now_ms();
    auto expiry = tx.query_one("SELECT expiry_enabled FROM point_settings WHERE community_id = $1",
                               community);
    std::optional<Millis> expires;
    if (expiry && expiry->i64(0) != 0) expires = now + 365 * kDay;
    auto lot = tx.query_one(
                     "INSERT INTO point_lots (account_id, tx_id, amount, remaining, earned_at, "
                     "expires_at) VALUES ($1, $2, $3, $3, $4, $5) RETURNING id",
                     account, posted.tx_id, points, now, expires)
                   ->i64(0);
    if (expires) schedule::add(tx, "points.expire_lot", lot, *expires);
  }
  audit::append(tx, actor,
                {"points.pay", "point_award", std::to_string(id), std::nullopt,
                 json::serialize(json::object{{"tx_id", posted.tx_id}, {"points", points}})});
}

bool has_open_objection(Tx& tx, std::int64_t award_id) {
  return tx.query_one("SELECT 1 FROM point_objections WHERE award_id = $1 AND status = 'open'",
                      award_id)
      .has_value();
}

void end_notice(Tx& tx, std::int64_t award_id, Millis now) {
  lock(tx);
  auto a = tx.query_one("SELECT status, notice_until FROM point_awards WHERE id = $1", award_id);
  if (!a || a->str(0) != "notice" || now < a->i64(1) || has_open_objection(tx, award_id)) return;
  pay(tx, award_id, kSystem);
}

void expire_lot(Tx& tx, std::int64_t lot_id, Millis now) {
  lock(tx);  // read the lot only once no redemption or refund can change it
  auto lot = tx.query_one(
      "SELECT l.account_id, l.remaining, l.expires_at, a.community_id FROM point_lots l JOIN "
      "point_accounts a ON a.id = l.account_id WHERE l.id = $1",
      lot_id);
  if (!lot || lot->i64(1) <= 0 || lot->is_null(2) || now < lot->i64(2)) return;
  std::int64_t account = lot->i64(0), remaining = lot->i64(1);
  auto posted = post(tx, {"expiry:lot:" + std::to_string(lot_id) + ":" + std::to_string(remaining) +
                              ":" + std::to_string(now),
                          "expiry", "积分到期（获得满一年）",
                          {{account, -remaining},
                           {community_account(tx, "expiry", lot->i64(3)), remaining}},
                          std::nullopt, std::nullopt});
  tx.exec("UPDATE point_lots SET remaining = 0 WHERE id = $1", lot_id);
  tx.exec("INSERT INTO point_lot_uses (lot_id, tx_id, amount) VALUES ($1, $2, $3)", lot_id,
          posted.tx_id, remaining);
}

struct Award {
  std::int64_t id, account_id, community_id;
  std::string status, path;
  std::optional<std::int64_t> rule_id;
};

Award load_award(Tx& tx, std::int64_t id) {
  auto r = tx.query_one("SELECT id, account_id, community_id, status, path, rule_id FROM "
                        "point_awards WHERE id = $1",
                        id);
  if (!r) throw not_found("points.award_not_found");
  return {r->i64(0), r->i64(1), r->i64(2), r->str(3), r->str(4), r->opt_i64(5)};
}

}  // namespace

std::string mask_name(const std::string& name) {
  if (name.empty()) return name;
  std::size_t first = 1;
  while (first < name.size() && (static_cast<unsigned char>(name[first]) & 0xC0) == 0x80) ++first;
  return name.substr(0, first) + "**";
}

std::optional<std::int64_t> resident_of_user(Tx& tx, std::int64_t user_id) {
  auto r = tx.query_one("SELECT id FROM residents WHERE user_id = $1", user_id);
  if (!r) return std::nullopt;
  return r->i64(0);
}

const std::vector<Earning>& earnings() {
  static const std::vector<Earning> all = {
      {"workorder.verified", "verified_report", "诉求 #{id} 已核实"},
  };
  return all;
}

void pay_for_event(Tx& tx, const api::Event& e, const Earning& earning) {
  if (!e.beneficiary_user_id) return;
  auto resident = resident_of_user(tx, *e.beneficiary_user_id);
  if (!resident || !has_household(tx, *resident)) return;
  std::string memo(earning.memo);
  if (auto at = memo.find("{id}"); at != std::string::npos)
    memo.replace(at, 4, std::to_string(e.subject_id));
  award_for_event(tx,
                  {std::string(earning.kind), std::to_string(e.subject_id), *resident, std::nullopt,
                   std::nullopt, memo, std::nullopt},
                  e.actor);
}

std::optional<std::int64_t> award_for_event(Tx& tx, const Event& e, const api::Actor& actor) {
  std::string key = e.kind + ":" + e.event_id;
  lock(tx);
  if (auto existing = tx.query_one("SELECT id FROM point_awards WHERE event_key = $1", key))
    return existing->i64(0);
  std::int64_t account = e.resident_id ? resident_account(tx, *e.resident_id) : org_account(tx, *e.org_id);
  Account acc = load_account(tx, account);
  auto rule = tx.query_one(
      "SELECT id, points, daily_cap, monthly_cap, needs_approval, notice_days FROM point_rules "
      "WHERE community_id = $1 AND event_kind = $2 AND active = 1",
      acc.community_id, e.kind);
  if (!rule) {
    if (e.kind == "manual") throw unprocessable("points.no_rule", "event_kind");
    return std::nullopt;  // this community pays nothing for it
  }
  std::int64_t points = rule->i64(1);
  if (e.points) {
    if (*e.points < 1 || *e.points > points) throw unprocessable("points.bad_points", "points");
    points = *e.points;
  }
  // Caps per person and kind of event, by Beijing day and month.
  Millis now = now_ms();
  auto sum_since = [&](Millis since) {
    return tx.query_one("SELECT COALESCE(SUM(points), 0) FROM point_awards WHERE account_id = $1 "
                        "AND event_kind = $2 AND status IN ('pending','notice','paid') AND "
                        "created_at >= $3",
                        account, e.kind, since)
        ->i64(0);
  };
  if (auto cap = rule->opt_i64(2)) points = std::min(points, *cap - sum_since(beijing_day_start(now)));
  if (auto cap = rule->opt_i64(3)) points = std::min(points, *cap - sum_since(beijing_month_start(now)));
  std::string status = points <= 0 ? "capped"
                       : rule->i64(4) != 0 ? "pending"
                       : rule->i64(5) > 0  ? "notice"
                                           : "paid";
  std::optional<Millis> notice_until;
  if (status == "notice") notice_until = now + rule->i64(5) * kDay;
  auto id = tx.query_one(
                  "INSERT INTO point_awards (event_key, event_kind, event_id, rule_id, account_id, "
                  "community_id, path, points, reason, status, notice_until, created_by, "
                  "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) "
                  "RETURNING id",
                  key, e.kind, e.event_id, rule->i64(0), account, acc.community_id, acc.path,
                  std::max<std::int64_t>(points, 0), e.reason, status == "paid" ? "notice" : status,
                  notice_until, e.created_by, now)
                ->i64(0);
  audit::append(tx, actor,
                {"points.award", "point_award", std::to_string(id), std::nullopt,
                 json::serialize(json::object{{"event", key}, {"points", points}, {"status", status}})});
  if (status == "paid") pay(tx, id, actor);
  if (notice_until) schedule::add(tx, "points.notice_end", id, *notice_until);
  return id;
}

json::object manual_award(Services& s, const api::Principal& p, const api::Actor& actor,
                          std::optional<std::int64_t> resident_id,
                          std::optional<std::int64_t> org_id, std::int64_t points,
                          const std::string& reason, const std::string& idem_key, Lang lang) {
  if (resident_id.has_value() == org_id.has_value())
    throw unprocessable("request.missing_field", "resident_id");
  if (reason.empty()) throw unprocessable("request.missing_field", "reason");
  if (idem_key.empty()) throw unprocessable("request.missing_field", "idempotency_key");
  return s.db.write([&](Tx& tx) {
    std::int64_t account = resident_id ? resident_account(tx, *resident_id) : org_account(tx, *org_id);
    api::require_in_scope(p, "points.manage", load_account(tx, account).path);
    // Keys are the caller's own: another person's key names another award.
    auto id = award_for_event(
        tx, {"manual", std::to_string(p.user_id) + ":" + idem_key, resident_id, org_id, points, reason,
             p.user_id},
        actor);
    auto same = tx.query_one("SELECT account_id FROM point_awards WHERE id = $1", *id);
    if (same->i64(0) != account) throw conflict("request.conflict", "idempotency_key");
    return award_json(tx, *id, true, lang);
  });
}

json::object approve_award(Services& s, const api::Principal& p, const api::Actor& actor,
                           std::int64_t id, bool approve, const std::optional<std::string>& reason,
                           Lang lang) {
  return s.db.write([&](Tx& tx) {
    lock(tx);
    Award a = load_award(tx, id);
    api::require_in_scope(p, "points.manage", a.path);
    Millis now = now_ms();
    if (!approve) {
      if (tx.exec("UPDATE point_awards SET status = 'rejected', decided_by = $2, decided_at = $3, "
                  "reason = COALESCE($4, reason) WHERE id = $1 AND status IN ('pending','notice')",
                  id, p.user_id, now, reason) != 1)
        throw conflict("points.award_decided");
    } else {
      if (a.status != "pending") throw conflict("points.award_decided");
      auto notice = tx.query_one("SELECT notice_days FROM point_rules WHERE id = $1",
                                 a.rule_id.value_or(0));
      std::int64_t days = notice ? notice->i64(0) : 0;
      tx.exec("UPDATE point_awards SET decided_by = $2, decided_at = $3 WHERE id = $1", id,
              p.user_id, now);
      if (days > 0) {
        tx.exec("UPDATE point_awards SET status = 'notice', notice_until = $2 WHERE id = $1", id,
                now + days * kDay);
        schedule::add(tx, "points.notice_end", id, now + days * kDay);
      } else {
        pay(tx, id, actor);
      }
    }
    audit::append(tx, actor,
                  {approve ? "points.approve" : "points.reject", "point_award", std::to_string(id),
                   json::serialize(json::object{{"status", a.status}}), std::nullopt});
    return award_json(tx, id, true, lang);
  });
}

json::object object_to_award(Services& s, const api::Principal& p, const api::Actor& actor,
                             std::int64_t award_id, const std::string& reason) {
  if (reason.empty()) throw unprocessable("request.missing_field", "reason");
  return s.db.write([&](Tx& tx) {
    Award a = load_award(tx, award_id);
    if (!in_community(p, a.path)) throw forbidden("auth.scope_denied", "points.object");
    auto until = tx.query_one("SELECT notice_until FROM point_awards WHERE id = $1", award_id);
    if (a.status != "notice" || now_ms() >= until->i64(0)) throw conflict("points.not_in_notice");
    if (tx.query_one("SELECT 1 FROM point_objections WHERE award_id = $1 AND user_id = $2",
                     award_id, p.user_id))
      throw conflict("points.already_objected");
    auto id = tx.query_one("INSERT INTO point_objections (award_id, user_id, reason, created_at) "
                           "VALUES ($1, $2, $3, $4) RETURNING id",
                           award_id, p.user_id, reason, now_ms())
                  ->i64(0);
    audit::append(tx, actor,
                  {"points.object", "point_award", std::to_string(award_id), std::nullopt,
                   json::serialize(json::object{{"objection_id", id}})});
    return json::object{{"id", id}, {"award_id", award_id}, {"status", "open"}};
  });
}

json::object decide_objection(Services& s, const api::Principal& p, const api::Actor& actor,
                              std::int64_t id, bool upheld, Lang lang) {
  return s.db.write([&](Tx& tx) {
    lock(tx);
    auto o = tx.query_one("SELECT award_id, status FROM point_objections WHERE id = $1", id);
    if (!o) throw not_found("points.objection_not_found");
    Award a = load_award(tx, o->i64(0));
    api::require_in_scope(p, "points.manage", a.path);
    if (o->str(1) != "open") throw conflict("points.objection_decided");
    Millis now = now_ms();
    tx.exec("UPDATE point_objections SET status = $2, decided_by = $3, decided_at = $4 WHERE id = $1",
            id, upheld ? "upheld" : "dismissed", p.user_id, now);
    if (upheld && a.status == "notice")
      tx.exec("UPDATE point_awards SET status = 'rejected', decided_by = $2, decided_at = $3 WHERE "
              "id = $1",
              a.id, p.user_id, now);
    else
      end_notice(tx, a.id, now);  // the last objection dismissed after the notice: pay
    audit::append(tx, actor,
                  {"points.objection_decide", "point_objection", std::to_string(id), std::nullopt,
                   json::serialize(json::object{{"upheld", upheld}})});
    return award_json(tx, a.id, true, lang);
  });
}

json::object save_rule(Services& s, const api::Principal& p, const api::Actor& actor,
                       const RuleInput& in, Lang lang) {
  if (std::none_of(event_kinds().begin(), event_kinds().end(),
                   [&](const Label& l) { return l.key == in.event_kind; }))
    throw unprocessable("points.bad_event_kind", "event_kind");
  if (in.points < 1 || in.points > 100000) throw unprocessable("points.bad_points", "points");
  if ((in.daily_cap && *in.daily_cap < 1) || (in.monthly_cap && *in.monthly_cap < 1))
    throw unprocessable("points.bad_cap", "daily_cap");
  if (in.notice_days < 0 || in.notice_days > 30) throw unprocessable("points.bad_notice", "notice_days");
  return s.db.write([&](Tx& tx) {
    auto place = tx.query_one("SELECT path, kind FROM places WHERE id = $1", in.community_id);
    // A street's rules pay the teams and organisations registered at the street.
    if (!place || (place->str(1) != "community" && place->str(1) != "street"))
      throw unprocessable("points.bad_community", "community_id");
    api::require_in_scope(p, "points.manage", place->str(0));
    Millis now = now_ms();
    if (tx.exec("UPDATE point_rules SET points = $3, daily_cap = $4, monthly_cap = $5, "
                "needs_approval = $6, notice_days = $7, active = $8, updated_at = $9 WHERE "
                "community_id = $1 AND event_kind = $2",
                in.community_id, in.event_kind, in.points, in.daily_cap, in.monthly_cap,
                in.needs_approval, in.notice_days, in.active, now) == 0)
      tx.exec("INSERT INTO point_rules (community_id, path, event_kind, points, daily_cap, "
              "monthly_cap, needs_approval, notice_days, active, updated_at) VALUES ($1, $2, $3, "
              "$4, $5, $6, $7, $8, $9, $10)",
              in.community_id, place->str(0), in.event_kind, in.points, in.daily_cap,
              in.monthly_cap, in.needs_approval, in.notice_days, in.active, now);
    json::object after{{"community_id", in.community_id}, {"event_kind", in.event_kind},
                       {"points", in.points}, {"needs_approval", in.needs_approval},
                       {"notice_days", in.notice_days}, {"active", in.active}};
    audit::append(tx, actor,
                  {"points.rule_save", "point_rule", in.event_kind + "@" + std::to_string(in.community_id),
                   std::nullopt, json::serialize(after)});
    for (const auto& r : rules_in(tx, in.community_id, lang))
      if (r.as_object().at("event_kind").as_string() == in.event_kind) return r.as_object();
    return after;
  });
}

json::object save_settings(Services& s, const api::Principal& p, const api::Actor& actor,
                           std::int64_t community_id, bool expiry_enabled) {
  return s.db.write([&](Tx& tx) {
    auto place = tx.query_one("SELECT path, kind FROM places WHERE id = $1", community_id);
    if (!place || place->str(1) != "community") throw unprocessable("points.bad_community", "community_id");
    api::require_in_scope(p, "points.manage", place->str(0));
    if (tx.exec("UPDATE point_settings SET expiry_enabled = $2 WHERE community_id = $1",
                community_id, expiry_enabled) == 0)
      tx.exec("INSERT INTO point_settings (community_id, expiry_enabled) VALUES ($1, $2)",
              community_id, expiry_enabled);
    audit::append(tx, actor,
                  {"points.settings", "point_settings", std::to_string(community_id), std::nullopt,
                   json::serialize(json::object{{"expiry_enabled", expiry_enabled}})});
    return json::object{{"community_id", community_id}, {"expiry_enabled", expiry_enabled}};
  });
}

json::object reverse(Services& s, const api::Principal& p, const api::Actor& actor,
                     std::int64_t tx_id, const std::string& reason, const std::string& idem_key) {
  if (reason.empty()) throw unprocessable("request.missing_field", "reason");
  if (idem_key.empty()) throw unprocessable("request.missing_field", "idempotency_key");
  return s.db.write([&](Tx& tx) {
    lock(tx);
    auto t = tx.query_one("SELECT kind FROM point_transactions WHERE id = $1", tx_id);
    if (!t) throw not_found("points.transaction_not_found");
    std::vector<Posting> negated;
    std::vector<std::pair<std::int64_t, std::int64_t>> resident_debits;
    for (const auto& r : tx.query("SELECT account_id, amount FROM point_postings WHERE tx_id = $1 "
                                  "ORDER BY id",
                                  tx_id)) {
      Account a = load_account(tx, r.i64(0));
      api::require_in_scope(p, "points.manage", a.path);
      negated.push_back({a.id, -r.i64(1)});
      if (a.kind == "resident") count_earned(tx, a, -r.i64(1), now_ms());
      if (a.kind == "resident" && r.i64(1) > 0) resident_debits.emplace_back(a.id, r.i64(1));
    }
    std::string key = "reversal:" + std::to_string(p.user_id) + ":" + idem_key;
    if (auto existing = find_by_key(tx, key)) {
      auto of = tx.query_one("SELECT reverses_id FROM point_transactions WHERE id = $1", *existing);
      if (of->opt_i64(0) != tx_id) throw conflict("request.conflict", "idempotency_key");
      return json::object{{"tx_id", *existing}, {"reverses_id", tx_id}, {"repeated", true}};
    }
    if (t->str(0) != "award") throw conflict("points.not_reversible");
    if (tx.query_one("SELECT 1 FROM point_transactions WHERE reverses_id = $1", tx_id))
      throw conflict("points.already_reversed");
    auto posted = post(tx, {key, "reversal", "冲正：" + reason, negated, tx_id,
                            p.user_id});
    // The award's own lot goes first, then the oldest.
    for (const auto& [account, amount] : resident_debits) {
      auto own = tx.query_one("SELECT id, remaining FROM point_lots WHERE tx_id = $1 AND account_id = $2",
                              tx_id, account);
      std::int64_t left = amount;
      if (own && own->i64(1) > 0) {
        std::int64_t take = std::min(left, own->i64(1));
        tx.exec("UPDATE point_lots SET remaining = remaining - $2 WHERE id = $1", own->i64(0), take);
        tx.exec("INSERT INTO point_lot_uses (lot_id, tx_id, amount) VALUES ($1, $2, $3)",
                own->i64(0), posted.tx_id, take);
        left -= take;
      }
      consume_lots(tx, account, left, posted.tx_id);
    }
    audit::append(tx, actor,
                  {"points.reverse", "point_transaction", std::to_string(tx_id), std::nullopt,
                   json::serialize(json::object{{"reversal_tx_id", posted.tx_id}, {"reason", reason}})});
    return json::object{{"tx_id", posted.tx_id}, {"reverses_id", tx_id}, {"repeated", false}};
  });
}

// ---- the exchange ----------------------------------------------------------------

namespace {

std::string new_voucher_code() {
  static const char kAlphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";  // no 0/O, 1/I
  std::string code;
  for (int i = 0; i < 10; ++i) code += kAlphabet[randombytes_uniform(sizeof kAlphabet - 1)];
  return code;
}

}  // namespace

std::string normalise_code(const std::string& code) {
  std::string out;
  for (char c : code) {
    if (c == '-' || c == ' ') continue;
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

namespace {

struct Item {
  std::int64_t id, org_id, community_id;
  std::string path, title;
  std::int64_t price, stock;
  std::optional<std::int64_t> per_day, per_month, per_person;
  bool active;
};

Item load_item(Tx& tx, std::int64_t id) {
  auto r = tx.query_one("SELECT id, org_id, community_id, path, title, price, stock, per_day, "
                        "per_month, per_person, active FROM point_items WHERE id = $1",
                        id);
  if (!r) throw not_found("points.item_not_found");
  return {r->i64(0), r->i64(1), r->i64(2), r->str(3), r->str(4), r->i64(5), r->i64(6),
          r->opt_i64(7), r->opt_i64(8), r->opt_i64(9), r->i64(10) != 0};
}

}  // namespace

json::object save_item(Services& s, const api::Principal& p, const api::Actor& actor,
                       std::optional<std::int64_t> id, const ItemInput& in) {
  if (in.kind && !has_key(item_kinds(), *in.kind))
    throw unprocessable("points.bad_item", "kind");
  if (in.price && (*in.price < 1 || *in.price > 1000000)) throw unprocessable("points.bad_item", "price");
  if (in.stock && (*in.stock < 0 || *in.stock > 1000000)) throw unprocessable("points.bad_item", "stock");
  for (const auto* lim : {&in.per_day, &in.per_month, &in.per_person})
    if (*lim && (**lim < 1 || **lim > 1000000)) throw unprocessable("points.bad_item", "per_person");
  if (in.title && in.title->find_first_not_of(" \t") == std::string::npos)
    throw unprocessable("request.missing_field", "title");
  return s.db.write([&](Tx& tx) {
    std::int64_t item_id;
    Millis now = now_ms();
    if (!id) {
      for (auto [present, name] : {std::pair{in.org_id.has_value(), "org_id"},
                                   {in.community_id.has_value(), "community_id"},
                                   {in.title.has_value(), "title"}, {in.kind.has_value(), "kind"},
                                   {in.price.has_value(), "price"}, {in.stock.has_value(), "stock"}})
        if (!present) throw unprocessable("request.missing_field", name);
      auto place = tx.query_one("SELECT path, kind FROM places WHERE id = $1", *in.community_id);
      if (!place || (place->str(1) != "community" && place->str(1) != "street"))
        throw unprocessable("points.bad_community", "community_id");
      if (!tx.query_one("SELECT 1 FROM orgs WHERE id = $1", *in.org_id))
        throw unprocessable("points.bad_item", "org_id");
      // A provider offers where it is registered and below; staff in their scope.
      auto org_path = tx.query_one("SELECT path FROM orgs WHERE id = $1", *in.org_id)->str(0);
      if (!is_contact(tx, p.user_id, *in.org_id) || !starts_with(place->str(0), org_path))
        api::require_in_scope(p, "points.manage", place->str(0));
      item_id = tx.query_one(
                      "INSERT INTO point_items (org_id, community_id, path, title, description, "
                      "kind, price, stock, per_day, per_month, per_person, active, created_at, "
                      "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
                      "$13) RETURNING id",
                      *in.org_id, *in.community_id, place->str(0), *in.title, in.description,
                      *in.kind, *in.price, *in.stock, in.per_day, in.per_month, in.per_person,
                      in.active.value_or(true), now)
                    ->i64(0);
    } else {
      Item it = load_item(tx, *id);
      if (!is_contact(tx, p.user_id, it.org_id)) api::require_in_scope(p, "points.manage", it.path);
      item_id = it.id;
      tx.exec("UPDATE point_items SET title = COALESCE($2, title), description = COALESCE($3, "
              "description), kind = COALESCE($4, kind), price = COALESCE($5, price), stock = "
              "COALESCE($6, stock), per_day = COALESCE($7, per_day), per_month = COALESCE($8, "
              "per_month), per_person = COALESCE($9, per_person), active = COALESCE($10, active), "
              "updated_at = $11 WHERE id = $1",
              item_id, in.title, in.description, in.kind, in.price, in.stock, in.per_day,
              in.per_month, in.per_person,
              in.active ? std::optional<std::int64_t>(*in.active ? 1 : 0) : std::nullopt, now);
    }
    auto out = item_json(tx, item_id);
    audit::append(tx, actor,
                  {id ? "points.item_update" : "points.item_create", "point_item",
                   std::to_string(item_id), std::nullopt, json::serialize(out)});
    return out;
  });
}

json::object redeem(Services& s, const api::Principal& p, const api::Actor& actor,
                    std::int64_t item_id, const std::string& idem_key, Lang lang) {
  if (idem_key.empty()) throw unprocessable("request.missing_field", "idempotency_key");
  return s.db.write([&](Tx& tx) {
    auto resident = resident_of_user(tx, p.user_id);
    if (!resident) throw not_found("points.no_account");
    std::int64_t account = resident_account(tx, *resident);
    lock(tx);
    if (auto v = tx.query_one("SELECT id, account_id FROM point_vouchers WHERE idem_key = $1", idem_key)) {
      if (v->i64(1) != account) throw conflict("request.conflict");
      return voucher_json(tx, v->i64(0), lang, true);  // a retried request: the first answer
    }
    Item it = load_item(tx, item_id);
    Account acc = load_account(tx, account);
    if (!it.active) throw conflict("points.item_inactive");
    if (!starts_with(acc.path, it.path)) throw forbidden("auth.scope_denied", "points.redeem");
    Millis now = now_ms();
    auto taken_since = [&](Millis since) {
      return tx.query_one("SELECT COUNT(*) FROM point_vouchers WHERE account_id = $1 AND item_id = "
                          "$2 AND status <> 'cancelled' AND created_at >= $3",
                          account, it.id, since)
          ->i64(0);
    };
    if ((it.per_person && taken_since(0) >= *it.per_person) ||
        (it.per_month && taken_since(beijing_month_start(now)) >= *it.per_month) ||
        (it.per_day && taken_since(beijing_day_start(now)) >= *it.per_day))
      throw conflict("points.limit_reached");
    if (tx.exec("UPDATE point_items SET stock = stock - 1 WHERE id = $1 AND stock > 0", it.id) != 1)
      throw conflict("points.out_of_stock");
    auto posted = post(tx, {"redeem:" + idem_key, "redeem", "兑换：" + it.title,
                            {{account, -it.price},
                             {community_account(tx, "redemption", it.community_id), it.price}},
                            std::nullopt, p.user_id});
    consume_lots(tx, account, it.price, posted.tx_id);
    std::string code = new_voucher_code();
    auto id = tx.query_one(
                    "INSERT INTO point_vouchers (code, item_id, account_id, price, status, "
                    "idem_key, redeem_tx_id, created_at) VALUES ($1, $2, $3, $4, 'issued', $5, $6, "
                    "$7) RETURNING id",
                    code, it.id, account, it.price, idem_key, posted.tx_id, now)
                  ->i64(0);
    audit::append(tx, actor,
                  {"points.redeem", "point_voucher", std::to_string(id), std::nullopt,
                   json::serialize(json::object{{"item_id", it.id}, {"price", it.price}})});
    return voucher_json(tx, id, lang, true);
  });
}

json::object fulfil(Services& s, const api::Principal& p, const api::Actor& actor,
                    const std::string& code, Lang lang) {
  std::string c = normalise_code(code);
  return s.db.write([&](Tx& tx) {
    auto v = tx.query_one("SELECT v.id, i.org_id FROM point_vouchers v JOIN point_items i ON i.id "
                          "= v.item_id WHERE v.code = $1",
                          c);
    if (!v) throw not_found("points.voucher_not_found");
    if (!is_contact(tx, p.user_id, v->i64(1))) throw forbidden("points.not_provider");
    if (tx.exec("UPDATE point_vouchers SET status = 'fulfilled', fulfilled_at = $2, fulfilled_by = "
                "$3 WHERE id = $1 AND status = 'issued'",
                v->i64(0), now_ms(), p.user_id) != 1)
      throw conflict("points.voucher_not_issued");
    audit::append(tx, actor,
                  {"points.fulfil", "point_voucher", std::to_string(v->i64(0)), std::nullopt,
                   std::nullopt});
    return voucher_json(tx, v->i64(0), lang, false);
  });
}

json::object cancel_voucher(Services& s, const api::Principal& p, const api::Actor& actor,
                            std::int64_t id, Lang lang) {
  return s.db.write([&](Tx& tx) {
    lock(tx);
    auto v = tx.query_one("SELECT account_id, item_id, price, redeem_tx_id FROM point_vouchers "
                          "WHERE id = $1",
                          id);
    if (!v) throw not_found("points.voucher_not_found");
    Account acc = load_account(tx, v->i64(0));
    if (!owns_account(tx, p, acc)) api::require_in_scope(p, "points.manage", acc.path);
    Millis now = now_ms();
    if (tx.exec("UPDATE point_vouchers SET status = 'cancelled', cancelled_at = $2 WHERE id = $1 "
                "AND status = 'issued'",
                id, now) != 1)
      throw conflict("points.voucher_not_issued");
    Item it = load_item(tx, v->i64(1));
    std::int64_t price = v->i64(2);
    auto posted = post(tx, {"refund:voucher:" + std::to_string(id), "refund", "取消兑换：" + it.title,
                            {{community_account(tx, "redemption", it.community_id), -price},
                             {acc.id, price}},
                            std::nullopt, p.user_id});
    tx.exec("UPDATE point_vouchers SET refund_tx_id = $2 WHERE id = $1", id, posted.tx_id);
    tx.exec("UPDATE point_items SET stock = stock + 1 WHERE id = $1", it.id);
    // The points go back to the lots they came from; lapsed ones lapse again.
    for (const auto& use : tx.query("SELECT u.lot_id, u.amount, l.expires_at FROM point_lot_uses u "
                                    "JOIN point_lots l ON l.id = u.lot_id WHERE u.tx_id = $1",
                                    v->i64(3))) {
      tx.exec("UPDATE point_lots SET remaining = remaining + $2 WHERE id = $1", use.i64(0), use.i64(1));
      if (auto exp = use.opt_i64(2); exp && *exp <= now) expire_lot(tx, use.i64(0), now);
    }
    audit::append(tx, actor,
                  {"points.cancel", "point_voucher", std::to_string(id), std::nullopt,
                   json::serialize(json::object{{"refund_tx_id", posted.tx_id}})});
    return voucher_json(tx, id, lang, owns_account(tx, p, acc));
  });
}

void register_jobs(api::Setup& s) {
  s.job("points.notice_end", end_notice);
  s.job("points.expire_lot", expire_lot);
}

}  // namespace xh::points
