#include "points/store.h"

#include <algorithm>
#include <cctype>

#include "api/scope.h"

namespace xh::points::store {

using storage::Param;
using storage::Row;
using storage::Tx;

namespace {

using api::Clause;

// The caller's scope for `permission` over `column`.
Clause scope_clause(const api::Principal& p, std::string_view permission, std::string_view column) {
  return api::scope_clause(p, permission, {column});
}

// Reads the rows of `select` whose `id_column` is one of `ids`, in the order
// of `ids`: for lists that page by id from an index, then read the page's
// rows. `key` is the id's name in the result.
template <class F>
auto by_ids(Tx& tx, const std::string& select, std::string_view id_column,
            const std::vector<std::int64_t>& ids, std::string_view key, F of)
    -> std::vector<decltype(of(std::declval<const Row&>()))> {
  using T = decltype(of(std::declval<const Row&>()));
  std::vector<T> out;
  if (ids.empty()) return out;
  std::vector<Param> params;
  std::string list;
  for (auto id : ids) {
    params.push_back(id);
    list += (list.empty() ? "$" : ", $") + std::to_string(params.size());
  }
  std::map<std::int64_t, T> found;
  for (const auto& r :
       tx.query_v(select + " WHERE " + std::string(id_column) + " IN (" + list + ")", params))
    found.emplace(r.i64(key), of(r));
  for (auto id : ids)
    if (auto it = found.find(id); it != found.end()) out.push_back(std::move(it->second));
  return out;
}

// Appends `more` as an alternative (" OR …") to `c`.
void add_alternative(Clause& c, const std::string& sql, std::vector<Param> values) {
  c.or_else(sql, std::move(values));
}

// The name of an account as people read it, and the joins it needs.
constexpr const char* kAccountName =
    "CASE a.kind WHEN 'resident' THEN res.name WHEN 'org' THEN o.name ELSE c.name END";
constexpr const char* kAccountJoins =
    " LEFT JOIN residents res ON a.kind = 'resident' AND res.id = a.owner_id LEFT JOIN orgs o ON "
    "a.kind = 'org' AND o.id = a.owner_id JOIN places c ON c.id = a.community_id";

std::string account_summary_columns() {
  return std::string("a.id, a.kind, ") + kAccountName +
         " AS name, a.balance, c.name AS community_name";
}

AccountSummary account_summary_of(const Row& r) {
  return {r.i64("id"), r.str("kind"), r.opt_str("name").value_or(""), r.i64("balance"),
          r.str("community_name")};
}

Entry entry_of(const Row& r) {
  return {r.i64("tx_id"),  r.i64("created_at"),    r.str("kind"),
          r.str("memo"),   r.i64("amount"),        r.i64("balance_after"),
          r.opt_str("memo_key"), r.opt_str("memo_params")};
}

constexpr const char* kEntrySelect =
    "SELECT pp.id, t.id AS tx_id, t.created_at, t.kind, t.memo, t.memo_key, t.memo_params, "
    "pp.amount, pp.balance_after FROM "
    "point_postings pp JOIN point_transactions t ON t.id = pp.tx_id";

Lot lot_of_row(const Row& r) {
  return {r.i64("id"), r.i64("account_id"), r.i64("remaining"), r.opt_i64("expires_at"),
          r.i64("community_id")};
}

constexpr const char* kLotSelect =
    "SELECT l.id, l.account_id, l.remaining, l.expires_at, a.community_id FROM point_lots l JOIN "
    "point_accounts a ON a.id = l.account_id ";

constexpr const char* kRuleSelect =
    "SELECT r.id, r.community_id, pl.name AS community_name, r.event_kind, r.points, r.daily_cap, "
    "r.monthly_cap, r.needs_approval, r.notice_days, r.active FROM point_rules r JOIN places pl "
    "ON pl.id = r.community_id ";

Rule rule_of(const Row& r) {
  return {r.i64("id"),
          r.i64("community_id"),
          r.str("community_name"),
          r.str("event_kind"),
          r.i64("points"),
          r.opt_i64("daily_cap"),
          r.opt_i64("monthly_cap"),
          r.flag("needs_approval"),
          r.i64("notice_days"),
          r.flag("active")};
}

constexpr const char* kAwardFrom =
    "point_awards a JOIN point_accounts acc ON acc.id = a.account_id LEFT JOIN residents res ON "
    "acc.kind = 'resident' AND res.id = acc.owner_id LEFT JOIN orgs o ON acc.kind = 'org' AND "
    "o.id = acc.owner_id";
constexpr const char* kAwardColumns =
    "a.id, a.event_kind, a.event_id, a.rule_id, a.account_id, a.community_id, a.path, a.points, "
    "a.reason, a.reason_key, a.reason_params, a.status, a.notice_until, a.created_by, a.created_at, a.private_event, "
    "a.requested_points, "
    "acc.kind AS account_kind, "
    "acc.owner_id, COALESCE(res.name, o.name) AS name, (SELECT COUNT(*) FROM point_objections x "
    "WHERE x.award_id = a.id AND x.status = 'open') AS open_objections";

Award award_of(const Row& r) {
  Award a;
  a.id = r.i64("id");
  a.event_kind = r.str("event_kind");
  a.event_id = r.str("event_id");
  a.rule_id = r.opt_i64("rule_id");
  a.account_id = r.i64("account_id");
  a.community_id = r.i64("community_id");
  a.path = r.str("path");
  a.points = r.i64("points");
  a.reason = r.opt_str("reason");
  a.reason_key = r.opt_str("reason_key");
  a.reason_params = r.opt_str("reason_params");
  a.status = r.str("status");
  a.notice_until = r.opt_i64("notice_until");
  a.created_by = r.opt_i64("created_by");
  a.created_at = r.i64("created_at");
  a.private_event = r.flag("private_event");
  a.requested_points = r.opt_i64("requested_points");
  a.account_kind = r.str("account_kind");
  a.owner_id = r.i64("owner_id");
  a.name = r.opt_str("name").value_or("");
  a.open_objections = r.i64("open_objections");
  return a;
}

constexpr const char* kItemFrom =
    "point_items i JOIN orgs o ON o.id = i.org_id JOIN places pl ON pl.id = i.community_id";
constexpr const char* kItemColumns =
    "i.id, i.org_id, o.name AS org_name, i.community_id, pl.name AS community_name, i.path, "
    "i.title, i.description, i.kind, i.price, i.stock, i.per_day, i.per_month, i.per_person, "
    "i.active";

Item item_of(const Row& r) {
  Item it;
  it.id = r.i64("id");
  it.org_id = r.i64("org_id");
  it.org_name = r.str("org_name");
  it.community_id = r.i64("community_id");
  it.community_name = r.str("community_name");
  it.path = r.str("path");
  it.title = r.str("title");
  it.description = r.opt_str("description");
  it.kind = r.str("kind");
  it.price = r.i64("price");
  it.stock = r.i64("stock");
  it.per_day = r.opt_i64("per_day");
  it.per_month = r.opt_i64("per_month");
  it.per_person = r.opt_i64("per_person");
  it.active = r.flag("active");
  return it;
}

// A voucher's holder is the resident of its account (vouchers are bought
// from residents' accounts only).
constexpr const char* kVoucherFrom =
    "point_vouchers v JOIN point_items i ON i.id = v.item_id JOIN orgs o ON o.id = i.org_id JOIN "
    "point_accounts a ON a.id = v.account_id LEFT JOIN residents res ON res.id = a.owner_id";
constexpr const char* kVoucherColumns =
    "v.id, v.code, v.item_id, i.title AS item_title, i.org_id, o.name AS org_name, v.account_id, "
    "v.price, v.status, v.redeem_tx_id, v.created_at, v.fulfilled_at, v.cancelled_at, res.name "
    "AS holder_name";

Voucher voucher_of(const Row& r) {
  Voucher v;
  v.id = r.i64("id");
  v.code = r.str("code");
  v.item_id = r.i64("item_id");
  v.item_title = r.str("item_title");
  v.org_id = r.i64("org_id");
  v.org_name = r.str("org_name");
  v.account_id = r.i64("account_id");
  v.price = r.i64("price");
  v.status = r.str("status");
  v.redeem_tx_id = r.i64("redeem_tx_id");
  v.created_at = r.i64("created_at");
  v.fulfilled_at = r.opt_i64("fulfilled_at");
  v.cancelled_at = r.opt_i64("cancelled_at");
  v.holder_name = r.opt_str("holder_name").value_or("");
  return v;
}

std::optional<Voucher> voucher_where(Tx& tx, const std::string& condition, Param value) {
  auto r = tx.query_one_v(
      std::string("SELECT ") + kVoucherColumns + " FROM " + kVoucherFrom + " WHERE " + condition,
      {std::move(value)});
  if (!r) return std::nullopt;
  return voucher_of(*r);
}

}  // namespace

// ---- people and organisations ------------------------------------------------

std::optional<std::int64_t> resident_of_user(Tx& tx, std::int64_t user_id) {
  auto r = tx.query_one("SELECT id FROM residents WHERE user_id = $1", user_id);
  if (!r) return std::nullopt;
  return r->i64("id");
}

bool is_login_of(Tx& tx, std::int64_t user_id, std::int64_t resident_id) {
  return tx
      .query_one("SELECT 1 FROM residents WHERE id = $1 AND user_id = $2", resident_id, user_id)
      .has_value();
}

bool is_contact(Tx& tx, std::int64_t user_id, std::int64_t org_id) {
  return tx
      .query_one("SELECT 1 FROM org_contacts WHERE user_id = $1 AND org_id = $2", user_id, org_id)
      .has_value();
}

std::optional<std::string> org_path(Tx& tx, std::int64_t org_id) {
  auto r = tx.query_one("SELECT path FROM orgs WHERE id = $1", org_id);
  if (!r) return std::nullopt;
  return r->str("path");
}

// ---- accounts -------------------------------------------------------------------

std::optional<Account> find_account(Tx& tx, std::int64_t id) {
  auto r = tx.query_one(
      "SELECT id, kind, owner_id, community_id, path, balance FROM point_accounts WHERE id = $1",
      id);
  if (!r) return std::nullopt;
  return Account{r->i64("id"),           r->str("kind"), r->i64("owner_id"),
                 r->i64("community_id"), r->str("path"), r->i64("balance")};
}

bool has_resident_account(Tx& tx, std::int64_t user_id) {
  return tx
      .query_one(
          "SELECT 1 FROM point_accounts a JOIN residents r ON r.id = a.owner_id "
          "WHERE a.kind = 'resident' AND r.user_id = $1",
          user_id)
      .has_value();
}

std::optional<AccountSummary> account_summary(Tx& tx, std::int64_t id) {
  auto r = tx.query_one("SELECT " + account_summary_columns() + " FROM point_accounts a" +
                            kAccountJoins + " WHERE a.id = $1",
                        id);
  if (!r) return std::nullopt;
  return account_summary_of(*r);
}

std::pair<std::vector<AccountSummary>, std::int64_t> accounts(Tx& tx, const api::Principal& p,
                                                              const AccountQuery& q) {
  api::ListQuery l(std::string("point_accounts a") + kAccountJoins);
  l.scope(p, "points.read", {"a.path"})
      .where_if("a.community_id = ?", q.community_id)
      .where_if("a.kind = ?", q.kind);
  if (q.q && !q.q->empty())
    l.where(std::string(kAccountName) + " LIKE ? ESCAPE '\\'",
            {"%" + storage::escape_like(*q.q) + "%"});
  l.sort({{"balance", "a.balance DESC, a.id"}}, std::nullopt, "balance").page(q.page);
  // The total, then the page's ids (a window count would carry every row's
  // names through the sort), then their rows.
  auto total = l.count(tx);
  return {
      by_ids(tx, "SELECT " + account_summary_columns() + " FROM point_accounts a" + kAccountJoins,
             "a.id", l.page_ids(tx, "a.id"), "id", account_summary_of),
      total};
}

Holder holder(Tx& tx, std::int64_t resident_id, std::int64_t community_id) {
  auto r = tx.query_one(
      "SELECT r.name AS resident_name, c.name AS community_name FROM residents "
      "r, places c WHERE r.id = $1 AND c.id = $2",
      resident_id, community_id);
  return {r->str("resident_name"), r->str("community_name")};
}

void count_earned(Tx& tx, const Account& a, std::int64_t points, int month) {
  if (a.kind != "resident") return;
  tx.exec(
      "INSERT INTO point_earned_monthly (account_id, community_id, month, points) VALUES ($1, "
      "$2, $3, $4) ON CONFLICT (account_id, month) DO UPDATE SET points = "
      "point_earned_monthly.points + excluded.points",
      a.id, a.community_id, std::int64_t{month}, points);
}

// ---- the ledger, read --------------------------------------------------------------

std::vector<Entry> recent_entries(Tx& tx, std::int64_t account_id, int n) {
  std::vector<Entry> out;
  for (const auto& r : tx.query(
           std::string(kEntrySelect) + " WHERE pp.account_id = $1 ORDER BY pp.id DESC LIMIT $2",
           account_id, std::int64_t{n}))
    out.push_back(entry_of(r));
  return out;
}

std::pair<std::vector<Entry>, std::int64_t> statement(Tx& tx, std::int64_t account_id,
                                                      api::Page page) {
  // The total and the page's postings from the account's index alone.
  api::ListQuery l("point_postings pp");
  l.where("pp.account_id = ?", {account_id})
      .sort({{"id", "pp.id"}}, std::nullopt, "-id")
      .page(page);
  auto total = l.count(tx);
  return {by_ids(tx, kEntrySelect, "pp.id", l.page_ids(tx, "pp.id"), "id", entry_of), total};
}

std::pair<std::vector<Transaction>, std::int64_t> transactions(Tx& tx, const api::Principal& p,
                                                               const TransactionQuery& q) {
  // A transaction is in scope when one of its postings is.
  Clause touched = scope_clause(p, "points.read", "a.path");
  std::string sql =
      "t.id IN (SELECT pp.tx_id FROM point_postings pp JOIN point_accounts a ON "
      "a.id = pp.account_id WHERE " +
      touched.sql;
  if (q.account_id) {
    sql += " AND a.id = ?";
    touched.values.push_back(*q.account_id);
  }
  api::ListQuery l("point_transactions t");
  l.where(sql + ")", std::move(touched.values))
      .where_if("t.kind = ?", q.kind)
      .sort({{"id", "t.id"}}, std::nullopt, "-id")
      .page(q.page);
  auto total = l.count(tx);
  auto out = by_ids(
      tx,
      "SELECT t.id, t.created_at, t.kind, t.memo, t.memo_key, t.memo_params, u.display_name AS "
      "created_by_name, t.hash, t.reverses_id FROM point_transactions t LEFT JOIN users u ON u.id "
      "= t.created_by",
      "t.id", l.page_ids(tx, "t.id"), "id", [](const Row& r) {
        return Transaction{r.i64("id"),
                           r.i64("created_at"),
                           r.str("kind"),
                           r.str("memo"),
                           r.opt_str("created_by_name"),
                           r.str("hash"),
                           r.opt_i64("reverses_id"),
                           {},
                           r.opt_str("memo_key"),
                           r.opt_str("memo_params")};
      });
  for (auto& t : out) {
    for (const auto& pp : tx.query(std::string("SELECT pp.account_id, ") + kAccountName +
                                       " AS account_name, pp.amount, pp.balance_after, a.kind AS "
                                       "account_kind FROM point_postings pp JOIN point_accounts a "
                                       "ON a.id = pp.account_id" +
                                       kAccountJoins + " WHERE pp.tx_id = $1 ORDER BY pp.id",
                                   t.id))
      t.postings.push_back({pp.i64("account_id"), pp.opt_str("account_name").value_or(""),
                            pp.str("account_kind"), pp.i64("amount"), pp.i64("balance_after")});
  }
  return {std::move(out), total};
}

std::optional<TransactionHead> find_transaction(Tx& tx, std::int64_t id) {
  auto r =
      tx.query_one("SELECT kind, reverses_id, memo FROM point_transactions WHERE id = $1", id);
  if (!r) return std::nullopt;
  return TransactionHead{r->str("kind"), r->opt_i64("reverses_id"), r->str("memo")};
}

bool is_reversed(Tx& tx, std::int64_t tx_id) {
  return tx.query_one("SELECT 1 FROM point_transactions WHERE reverses_id = $1", tx_id).has_value();
}

std::vector<std::pair<std::int64_t, std::int64_t>> postings_of(Tx& tx, std::int64_t tx_id) {
  std::vector<std::pair<std::int64_t, std::int64_t>> out;
  for (const auto& r : tx.query("SELECT account_id, amount FROM point_postings WHERE tx_id = $1 "
                                "ORDER BY id",
                                tx_id))
    out.emplace_back(r.i64("account_id"), r.i64("amount"));
  return out;
}

// ---- lots ----------------------------------------------------------------------------

std::int64_t insert_lot(Tx& tx, std::int64_t account_id, std::int64_t tx_id, std::int64_t amount,
                        Millis earned_at, std::optional<Millis> expires_at) {
  return tx
      .query_one(
          "INSERT INTO point_lots (account_id, tx_id, amount, remaining, earned_at, "
          "expires_at) VALUES ($1, $2, $3, $3, $4, $5) RETURNING id",
          account_id, tx_id, amount, earned_at, expires_at)
      ->i64("id");
}

std::optional<Lot> find_lot(Tx& tx, std::int64_t id) {
  auto r = tx.query_one(std::string(kLotSelect) + "WHERE l.id = $1", id);
  if (!r) return std::nullopt;
  return lot_of_row(*r);
}

std::optional<Lot> lot_of(Tx& tx, std::int64_t tx_id, std::int64_t account_id) {
  auto r = tx.query_one(std::string(kLotSelect) + "WHERE l.tx_id = $1 AND l.account_id = $2", tx_id,
                        account_id);
  if (!r) return std::nullopt;
  return lot_of_row(*r);
}

std::vector<Lot> unspent_lots(Tx& tx, std::int64_t account_id) {
  std::vector<Lot> out;
  for (const auto& r :
       tx.query(std::string(kLotSelect) + "WHERE l.account_id = $1 AND l.remaining > 0 ORDER BY "
                                          "l.earned_at, l.id",
                account_id))
    out.push_back(lot_of_row(r));
  return out;
}

std::vector<Lot> expiring_lots(Tx& tx, std::int64_t account_id, int n) {
  std::vector<Lot> out;
  for (const auto& r : tx.query(std::string(kLotSelect) +
                                    "WHERE l.account_id = $1 AND l.remaining > 0 AND l.expires_at "
                                    "IS NOT NULL ORDER BY l.expires_at LIMIT $2",
                                account_id, std::int64_t{n}))
    out.push_back(lot_of_row(r));
  return out;
}

void take_from_lot(Tx& tx, std::int64_t lot_id, std::int64_t tx_id, std::int64_t amount) {
  tx.exec("UPDATE point_lots SET remaining = remaining - $2 WHERE id = $1", lot_id, amount);
  tx.exec("INSERT INTO point_lot_uses (lot_id, tx_id, amount) VALUES ($1, $2, $3)", lot_id, tx_id,
          amount);
}

void spend_lots(Tx& tx, std::int64_t account_id, std::int64_t amount, std::int64_t tx_id) {
  for (const auto& lot : unspent_lots(tx, account_id)) {
    if (amount <= 0) break;
    std::int64_t take = std::min(amount, lot.remaining);
    take_from_lot(tx, lot.id, tx_id, take);
    amount -= take;
  }
}

std::vector<LotUse> lot_uses(Tx& tx, std::int64_t tx_id) {
  std::vector<LotUse> out;
  for (const auto& r : tx.query("SELECT u.lot_id, u.amount, l.expires_at FROM point_lot_uses u "
                                "JOIN point_lots l ON l.id = u.lot_id WHERE u.tx_id = $1",
                                tx_id))
    out.push_back({r.i64("lot_id"), r.i64("amount"), r.opt_i64("expires_at")});
  return out;
}

void return_to_lot(Tx& tx, std::int64_t lot_id, std::int64_t amount) {
  tx.exec("UPDATE point_lots SET remaining = remaining + $2 WHERE id = $1", lot_id, amount);
}

// ---- earning rules and settings ------------------------------------------------

std::optional<Rule> active_rule(Tx& tx, std::int64_t community_id, std::string_view event_kind) {
  auto r = tx.query_one(
      std::string(kRuleSelect) + "WHERE r.community_id = $1 AND r.event_kind = $2 AND r.active = 1",
      community_id, event_kind);
  if (!r) return std::nullopt;
  return rule_of(*r);
}

std::optional<std::int64_t> notice_days_of(Tx& tx, std::int64_t rule_id) {
  auto r = tx.query_one("SELECT notice_days FROM point_rules WHERE id = $1", rule_id);
  if (!r) return std::nullopt;
  return r->i64("notice_days");
}

std::vector<Rule> rules_in(Tx& tx, std::int64_t community_id) {
  std::vector<Rule> out;
  for (const auto& r :
       tx.query(std::string(kRuleSelect) + "WHERE r.community_id = $1 ORDER BY r.id", community_id))
    out.push_back(rule_of(r));
  return out;
}

std::vector<std::int64_t> rule_communities(Tx& tx, const api::Principal& p) {
  std::string where = " WHERE 1=1";
  std::vector<Param> params;
  api::append_scope_condition(p, "points.read", "r.path", where, params);
  std::vector<std::int64_t> out;
  for (const auto& r :
       tx.query_v("SELECT DISTINCT r.community_id FROM point_rules r" + where, params))
    out.push_back(r.i64("community_id"));
  return out;
}

void set_rule(Tx& tx, const RuleInput& in, const std::string& path, Millis now) {
  if (tx.exec("UPDATE point_rules SET points = $3, daily_cap = $4, monthly_cap = $5, "
              "needs_approval = $6, notice_days = $7, active = $8, updated_at = $9 WHERE "
              "community_id = $1 AND event_kind = $2",
              in.community_id, in.event_kind, in.points, in.daily_cap, in.monthly_cap,
              in.needs_approval, in.notice_days, in.active, now) == 0)
    tx.exec(
        "INSERT INTO point_rules (community_id, path, event_kind, points, daily_cap, "
        "monthly_cap, needs_approval, notice_days, active, updated_at) VALUES ($1, $2, $3, "
        "$4, $5, $6, $7, $8, $9, $10)",
        in.community_id, path, in.event_kind, in.points, in.daily_cap, in.monthly_cap,
        in.needs_approval, in.notice_days, in.active, now);
}

Settings settings(Tx& tx, std::int64_t community_id) {
  Settings s;
  if (auto r = tx.query_one("SELECT expiry_enabled FROM point_settings WHERE community_id = $1",
                            community_id))
    s.expiry_enabled = r->flag("expiry_enabled");
  return s;
}

void set_settings(Tx& tx, std::int64_t community_id, const Settings& s) {
  if (tx.exec("UPDATE point_settings SET expiry_enabled = $2 WHERE community_id = $1", community_id,
              s.expiry_enabled) == 0)
    tx.exec("INSERT INTO point_settings (community_id, expiry_enabled) VALUES ($1, $2)",
            community_id, s.expiry_enabled);
}

// ---- awards and objections -----------------------------------------------------------

std::optional<Award> find_award(Tx& tx, std::int64_t id) {
  auto r = tx.query_one(
      std::string("SELECT ") + kAwardColumns + " FROM " + kAwardFrom + " WHERE a.id = $1", id);
  if (!r) return std::nullopt;
  return award_of(*r);
}

std::optional<std::int64_t> award_of_event(Tx& tx, const std::string& event_key) {
  auto r = tx.query_one("SELECT id FROM point_awards WHERE event_key = $1", event_key);
  if (!r) return std::nullopt;
  return r->i64("id");
}

std::int64_t awarded_since(Tx& tx, std::int64_t account_id, std::string_view event_kind,
                           Millis since) {
  return tx
      .query_one(
          "SELECT COALESCE(SUM(points), 0) AS points FROM point_awards WHERE "
          "account_id = $1 AND event_kind = $2 AND status IN " +
              award_statuses_sql(&AwardStatus::counts) + " AND created_at >= $3",
          account_id, event_kind, since)
      ->i64("points");
}

std::int64_t insert_award(Tx& tx, const NewAward& a) {
  return tx
      .query_one(
          "INSERT INTO point_awards (event_key, event_kind, event_id, rule_id, account_id, "
          "community_id, path, points, reason, status, notice_until, created_by, "
          "created_at, private_event, requested_points, reason_key, reason_params) VALUES ($1, $2, "
          "$3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id",
          a.event_key, a.event_kind, a.event_id, a.rule_id, a.account->id, a.account->community_id,
          a.account->path, a.points, a.reason, a.status, a.notice_until, a.created_by, a.created_at,
          a.private_event, a.requested_points, a.reason_key, a.reason_params)
      ->i64("id");
}

void mark_paid(Tx& tx, std::int64_t id, std::int64_t tx_id) {
  tx.exec("UPDATE point_awards SET status = 'paid', tx_id = $2 WHERE id = $1", id, tx_id);
}

void mark_decided(Tx& tx, std::int64_t id, std::int64_t user_id, Millis now) {
  tx.exec("UPDATE point_awards SET decided_by = $2, decided_at = $3 WHERE id = $1", id, user_id,
          now);
}

void start_notice(Tx& tx, std::int64_t id, Millis until) {
  tx.exec("UPDATE point_awards SET status = 'notice', notice_until = $2 WHERE id = $1", id, until);
}

bool reject_award(Tx& tx, std::int64_t id, std::int64_t user_id, Millis now,
                  const std::optional<std::string>& reason) {
  return tx.exec(
             "UPDATE point_awards SET status = 'rejected', decided_by = $2, decided_at = $3, "
             "reason = COALESCE($4, reason) WHERE id = $1 AND status IN " +
                 award_statuses_sql(&AwardStatus::rejectable),
             id, user_id, now, reason) == 1;
}

void reject_outright(Tx& tx, std::int64_t id, std::int64_t user_id, Millis now) {
  tx.exec(
      "UPDATE point_awards SET status = 'rejected', decided_by = $2, decided_at = $3 WHERE "
      "id = $1",
      id, user_id, now);
}

std::pair<std::vector<Award>, std::int64_t> awards(Tx& tx, const api::Principal& p, bool staff,
                                                   const AwardQuery& q) {
  api::ListQuery l("point_awards a");
  if (staff) {
    l.scope(p, "points.read", {"a.path"});
  } else {
    // Residents see the awards in public notice in their own community.
    Clause mine{"1=0", {}};
    for (const auto& g : p.grants)
      if (api::path_ids(g.place_path).size() >= 2)
        add_alternative(mine, "a.path = ?", {api::community_path(g.place_path)});
    l.where("a.status = 'notice'").where(mine.sql, std::move(mine.values));
  }
  l.where_if("a.status = ?", q.status)
      .where_if("a.community_id = ?", q.community_id)
      .sort({{"id", "a.id"}}, std::nullopt, "-id")
      .page(q.page);
  auto total = l.count(tx);
  return {by_ids(tx, std::string("SELECT ") + kAwardColumns + " FROM " + kAwardFrom, "a.id",
                 l.page_ids(tx, "a.id"), "id", award_of),
          total};
}

std::optional<Objection> find_objection(Tx& tx, std::int64_t id) {
  auto r = tx.query_one(
      "SELECT x.id, x.award_id, x.reason, x.status, u.display_name AS by_name, x.created_at FROM "
      "point_objections x JOIN users u ON u.id = x.user_id WHERE x.id = $1",
      id);
  if (!r) return std::nullopt;
  return Objection{r->i64("id"),     r->i64("award_id"), r->str("reason"),
                   r->str("status"), r->str("by_name"),  r->i64("created_at")};
}

bool has_open_objection(Tx& tx, std::int64_t award_id) {
  return tx
      .query_one("SELECT 1 FROM point_objections WHERE award_id = $1 AND status = 'open'", award_id)
      .has_value();
}

bool has_objected(Tx& tx, std::int64_t award_id, std::int64_t user_id) {
  return tx
      .query_one("SELECT 1 FROM point_objections WHERE award_id = $1 AND user_id = $2", award_id,
                 user_id)
      .has_value();
}

std::int64_t insert_objection(Tx& tx, std::int64_t award_id, std::int64_t user_id,
                              const std::string& reason, Millis now) {
  return tx
      .query_one(
          "INSERT INTO point_objections (award_id, user_id, reason, created_at) "
          "VALUES ($1, $2, $3, $4) RETURNING id",
          award_id, user_id, reason, now)
      ->i64("id");
}

void decide_objection(Tx& tx, std::int64_t id, std::string_view status, std::int64_t user_id,
                      Millis now) {
  tx.exec("UPDATE point_objections SET status = $2, decided_by = $3, decided_at = $4 WHERE id = $1",
          id, status, user_id, now);
}

std::vector<Objection> objections_of(Tx& tx, std::int64_t award_id) {
  std::vector<Objection> out;
  for (const auto& r : tx.query("SELECT x.id, x.award_id, x.reason, x.status, u.display_name AS "
                                "by_name, x.created_at FROM point_objections x JOIN users u ON "
                                "u.id = x.user_id WHERE x.award_id = $1 ORDER BY x.id",
                                award_id))
    out.push_back({r.i64("id"), r.i64("award_id"), r.str("reason"), r.str("status"),
                   r.str("by_name"), r.i64("created_at")});
  return out;
}

// ---- the exchange ---------------------------------------------------------------------

std::optional<Item> find_item(Tx& tx, std::int64_t id) {
  auto r = tx.query_one(
      std::string("SELECT ") + kItemColumns + " FROM " + kItemFrom + " WHERE i.id = $1", id);
  if (!r) return std::nullopt;
  return item_of(*r);
}

std::int64_t insert_item(Tx& tx, const ItemFields& in, const std::string& path, Millis now) {
  return tx
      .query_one(
          "INSERT INTO point_items (org_id, community_id, path, title, description, "
          "kind, price, stock, per_day, per_month, per_person, active, created_at, "
          "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
          "$13) RETURNING id",
          *in.org_id, *in.community_id, path, *in.title, in.description, *in.kind, *in.price,
          *in.stock, in.per_day, in.per_month, in.per_person, in.active.value_or(true), now)
      ->i64("id");
}

void update_item(Tx& tx, std::int64_t id, const ItemFields& in, Millis now) {
  tx.exec(
      "UPDATE point_items SET title = COALESCE($2, title), description = COALESCE($3, "
      "description), kind = COALESCE($4, kind), price = COALESCE($5, price), stock = "
      "COALESCE($6, stock), per_day = COALESCE($7, per_day), per_month = COALESCE($8, "
      "per_month), per_person = COALESCE($9, per_person), active = COALESCE($10, active), "
      "updated_at = $11 WHERE id = $1",
      id, in.title, in.description, in.kind, in.price, in.stock, in.per_day, in.per_month,
      in.per_person, in.active, now);
}

bool take_stock(Tx& tx, std::int64_t item_id) {
  return tx.exec("UPDATE point_items SET stock = stock - 1 WHERE id = $1 AND stock > 0", item_id) ==
         1;
}

std::int64_t deactivate_items_of(Tx& tx, std::int64_t org_id, Millis now) {
  return tx.exec("UPDATE point_items SET active = 0, updated_at = $2 WHERE org_id = $1 AND active = 1",
                 org_id, now);
}

void return_stock(Tx& tx, std::int64_t item_id) {
  tx.exec("UPDATE point_items SET stock = stock + 1 WHERE id = $1", item_id);
}

std::pair<std::vector<Item>, std::int64_t> items(Tx& tx, const api::Principal& p,
                                                 const ItemQuery& q) {
  Clause seen{"1=0", {}};
  if (p.has_permission("points.read")) {
    Clause scope = scope_clause(p, "points.read", "i.path");
    add_alternative(seen, scope.sql, std::move(scope.values));
  }
  // Residents: what serves their community or the whole street.
  for (const auto& g : p.grants) {
    auto ids = api::path_ids(g.place_path);
    if (ids.empty()) continue;
    add_alternative(seen, "i.path = ?", {"/" + std::to_string(ids[0]) + "/"});
    if (ids.size() >= 2) add_alternative(seen, "i.path = ?", {api::community_path(g.place_path)});
  }
  add_alternative(seen, "i.org_id IN (SELECT org_id FROM org_contacts WHERE user_id = ?)",
                  {p.user_id});
  api::ListQuery l("point_items i");
  l.where(seen.sql, std::move(seen.values)).where_if("i.community_id = ?", q.community_id);
  if (q.active_only) l.where("i.active = 1");
  l.sort({{"id", "i.id"}}, std::nullopt, "id").page(q.page);
  auto total = l.count(tx);
  return {by_ids(tx, std::string("SELECT ") + kItemColumns + " FROM " + kItemFrom, "i.id",
                 l.page_ids(tx, "i.id"), "id", item_of),
          total};
}

std::optional<Voucher> find_voucher(Tx& tx, std::int64_t id) {
  return voucher_where(tx, "v.id = $1", id);
}

std::optional<Voucher> voucher_by_code(Tx& tx, const std::string& code) {
  return voucher_where(tx, "v.code = $1", code);
}

std::optional<Voucher> voucher_by_key(Tx& tx, const std::string& idem_key) {
  return voucher_where(tx, "v.idem_key = $1", idem_key);
}

std::int64_t vouchers_taken_since(Tx& tx, std::int64_t account_id, std::int64_t item_id,
                                  Millis since) {
  return tx
      .query_one(
          "SELECT COUNT(*) AS n FROM point_vouchers WHERE account_id = $1 AND item_id "
          "= $2 AND status IN " +
              voucher_statuses_sql(&VoucherStatus::counts) + " AND created_at >= $3",
          account_id, item_id, since)
      ->i64("n");
}

std::int64_t insert_voucher(Tx& tx, const std::string& code, const Item& item,
                            std::int64_t account_id, const std::string& idem_key,
                            std::int64_t redeem_tx_id, Millis now) {
  return tx
      .query_one(
          "INSERT INTO point_vouchers (code, item_id, account_id, price, status, "
          "idem_key, redeem_tx_id, created_at) VALUES ($1, $2, $3, $4, 'issued', $5, "
          "$6, $7) RETURNING id",
          code, item.id, account_id, item.price, idem_key, redeem_tx_id, now)
      ->i64("id");
}

bool fulfil_voucher(Tx& tx, std::int64_t id, std::int64_t user_id, Millis now) {
  return tx.exec(
             "UPDATE point_vouchers SET status = 'fulfilled', fulfilled_at = $2, fulfilled_by "
             "= $3 WHERE id = $1 AND status IN " +
                 voucher_statuses_sql(&VoucherStatus::usable),
             id, now, user_id) == 1;
}

bool cancel_voucher(Tx& tx, std::int64_t id, Millis now) {
  return tx.exec(
             "UPDATE point_vouchers SET status = 'cancelled', cancelled_at = $2 WHERE id = $1 "
             "AND status IN " +
                 voucher_statuses_sql(&VoucherStatus::usable),
             id, now) == 1;
}

void set_refund(Tx& tx, std::int64_t id, std::int64_t refund_tx_id) {
  tx.exec("UPDATE point_vouchers SET refund_tx_id = $2 WHERE id = $1", id, refund_tx_id);
}

std::pair<std::vector<Voucher>, std::int64_t> vouchers(Tx& tx, const api::Principal& p,
                                                       const VoucherQuery& q) {
  api::ListQuery l(
      "point_vouchers v JOIN point_items i ON i.id = v.item_id JOIN point_accounts a ON a.id = "
      "v.account_id");
  if (q.mine) {
    l.where("a.kind = 'resident' AND a.owner_id IN (SELECT id FROM residents WHERE user_id = ?)",
            {p.user_id});
  } else {
    // What the caller's organisation provides, and what they oversee.
    Clause seen{"i.org_id IN (SELECT org_id FROM org_contacts WHERE user_id = ?)", {p.user_id}};
    if (p.has_permission("points.read")) {
      Clause scope = scope_clause(p, "points.read", "a.path");
      add_alternative(seen, scope.sql, std::move(scope.values));
    }
    l.where(seen.sql, std::move(seen.values));
  }
  l.where_if("v.status = ?", q.status)
      .where_if("v.code = ?", q.code)
      .sort({{"id", "v.id"}}, std::nullopt, "-id")
      .page(q.page);
  auto total = l.count(tx);
  return {by_ids(tx, std::string("SELECT ") + kVoucherColumns + " FROM " + kVoucherFrom, "v.id",
                 l.page_ids(tx, "v.id"), "id", voucher_of),
          total};
}

// ---- the leaderboard ---------------------------------------------------------------------

std::vector<Leader> leaders(Tx& tx, std::int64_t community_id, std::int64_t first_month, int n) {
  std::vector<Leader> out;
  for (const auto& r : tx.query(
           "SELECT a.owner_id, res.name, SUM(m.points) AS earned, (SELECT c.granted FROM "
           "consents c WHERE c.resident_id = a.owner_id AND c.kind = 'public_name' ORDER BY c.id "
           "DESC LIMIT 1) AS public_name FROM point_earned_monthly m JOIN point_accounts a ON a.id "
           "= m.account_id JOIN residents res ON res.id = a.owner_id WHERE m.community_id = $1 AND "
           "m.month >= $2 GROUP BY a.owner_id, res.name HAVING SUM(m.points) > 0 ORDER BY earned "
           "DESC, a.owner_id LIMIT $3",
           community_id, first_month, std::int64_t{n}))
    out.push_back({r.str("name"), r.i64("earned"), r.opt_i64("public_name").value_or(0) != 0});
  return out;
}

}  // namespace xh::points::store
