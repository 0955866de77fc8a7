// Reading points: my points, statements, the ledger browser, rules, awards,
// the catalogue, vouchers (with their QR image), the leaderboard, the digest.
#include <boost/json.hpp>
#include <qrencode.h>

#include <map>

#include "core/error.h"
#include "points/internal.h"
#include "points/ledger.h"
#include "points/points.h"

namespace xh::points {

namespace json = boost::json;
using namespace detail;
using storage::Param;
using storage::Tx;

namespace {

std::string label(const std::vector<Label>& labels, std::string_view key, Lang lang) {
  return std::string(label_of(labels, key, lang));
}

std::string add_param(std::vector<Param>& params, Param v) {
  params.push_back(std::move(v));
  return "$" + std::to_string(params.size());
}

json::value opt(const std::optional<std::int64_t>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

// The name of an account as people read it.
constexpr const char* kAccountName =
    "CASE a.kind WHEN 'resident' THEN res.name WHEN 'org' THEN o.name ELSE c.name END";
constexpr const char* kAccountJoins =
    " LEFT JOIN residents res ON a.kind = 'resident' AND res.id = a.owner_id LEFT JOIN orgs o ON "
    "a.kind = 'org' AND o.id = a.owner_id JOIN places c ON c.id = a.community_id";

json::object account_json(const storage::Row& r, Lang lang) {
  // id, kind, name, balance, community name
  return {{"id", r.i64(0)},
          {"kind", r.str(1)},
          {"kind_label", label(account_kinds(), r.str(1), lang)},
          {"name", r.opt_str(2).value_or("")},
          {"balance", r.i64(3)},
          {"community_name", r.str(4)}};
}

// May see account `a` and its history: its owner, or points.read over it.
void require_account(Tx& tx, const api::Principal& p, const Account& a) {
  if (owns_account(tx, p, a)) return;
  api::require_in_scope(p, "points.read", a.path);
}

}  // namespace

namespace detail {

json::array rules_in(Tx& tx, std::int64_t community_id, Lang lang) {
  json::array out;
  for (const auto& r : tx.query(
           "SELECT r.id, r.community_id, pl.name, r.event_kind, r.points, r.daily_cap, "
           "r.monthly_cap, r.needs_approval, r.notice_days, r.active FROM point_rules r JOIN "
           "places pl ON pl.id = r.community_id WHERE r.community_id = $1 ORDER BY r.id",
           community_id))
    out.push_back({{"id", r.i64(0)},
                   {"community_id", r.i64(1)},
                   {"community_name", r.str(2)},
                   {"event_kind", r.str(3)},
                   {"event_label", label(event_kinds(), r.str(3), lang)},
                   {"points", r.i64(4)},
                   {"daily_cap", opt(r.opt_i64(5))},
                   {"monthly_cap", opt(r.opt_i64(6))},
                   {"needs_approval", r.i64(7) != 0},
                   {"notice_days", r.i64(8)},
                   {"active", r.i64(9) != 0}});
  return out;
}

json::object item_json(Tx& tx, std::int64_t id) {
  auto r = tx.query_one(
      "SELECT i.id, i.org_id, o.name, i.community_id, pl.name, i.title, i.description, i.kind, "
      "i.price, i.stock, i.per_day, i.per_month, i.per_person, i.active FROM point_items i JOIN "
      "orgs o ON o.id = i.org_id JOIN places pl ON pl.id = i.community_id WHERE i.id = $1",
      id);
  if (!r) throw not_found("points.item_not_found");
  return {{"id", r->i64(0)},           {"org_id", r->i64(1)},
          {"org_name", r->str(2)},     {"community_id", r->i64(3)},
          {"community_name", r->str(4)}, {"title", r->str(5)},
          {"description", r->opt_str(6) ? json::value(*r->opt_str(6)) : json::value(nullptr)},
          {"kind", r->str(7)},         {"price", r->i64(8)},
          {"stock", r->i64(9)},        {"per_day", opt(r->opt_i64(10))},
          {"per_month", opt(r->opt_i64(11))}, {"per_person", opt(r->opt_i64(12))},
          {"active", r->i64(13) != 0}};
}

json::object voucher_json(Tx& tx, std::int64_t id, Lang lang, bool holder) {
  auto r = tx.query_one(
      "SELECT v.id, v.code, v.item_id, i.title, o.name, v.price, v.status, v.created_at, "
      "v.fulfilled_at, v.cancelled_at, res.name FROM point_vouchers v JOIN point_items i ON i.id = "
      "v.item_id JOIN orgs o ON o.id = i.org_id JOIN point_accounts a ON a.id = v.account_id LEFT "
      "JOIN residents res ON res.id = a.owner_id WHERE v.id = $1",
      id);
  if (!r) throw not_found("points.voucher_not_found");
  auto t = [](const std::optional<std::int64_t>& ms) {
    return ms ? json::value(iso8601(*ms)) : json::value(nullptr);
  };
  json::object o{{"id", r->i64(0)},
          {"item_id", r->i64(2)},
          {"item_title", r->str(3)},
          {"org_name", r->str(4)},
          {"price", r->i64(5)},
          {"status", r->str(6)},
          {"status_label", label(voucher_statuses(), r->str(6), lang)},
          {"created_at", iso8601(r->i64(7))},
          {"fulfilled_at", t(r->opt_i64(8))},
          {"cancelled_at", t(r->opt_i64(9))},
          {"holder", mask_name(r->opt_str(10).value_or(""))}};
  if (holder) {
    o["code"] = r->str(1);
    o["qr_url"] = "/api/points/vouchers/" + std::to_string(r->i64(0)) + "/qr.svg";
  }
  return o;
}

}  // namespace detail

json::array list_rules(Services& s, const api::Principal& p,
                       std::optional<std::int64_t> community_id, Lang lang) {
  return s.db.read([&](Tx& tx) {
    json::array out;
    std::vector<std::int64_t> communities;
    if (community_id) {
      auto place = tx.query_one("SELECT path FROM places WHERE id = $1", *community_id);
      if (!place) throw bad_request("request.bad_query", "community_id");
      if (!in_community(p, place->str(0))) api::require_in_scope(p, "points.read", place->str(0));
      communities.push_back(*community_id);
    } else {
      std::string where = " WHERE 1=1";
      std::vector<Param> params;
      api::append_scope_condition(p, "points.read", "r.path", where, params);
      for (const auto& r : tx.query_v("SELECT DISTINCT r.community_id FROM point_rules r" + where, params))
        communities.push_back(r.i64(0));
    }
    for (auto c : communities)
      for (auto& r : rules_in(tx, c, lang)) out.push_back(std::move(r));
    return out;
  });
}

json::object get_settings(Services& s, const api::Principal& p, std::int64_t community_id) {
  return s.db.read([&](Tx& tx) {
    auto place = tx.query_one("SELECT path FROM places WHERE id = $1", community_id);
    if (!place) throw bad_request("request.bad_query", "community_id");
    api::require_in_scope(p, "points.read", place->str(0));
    auto r = tx.query_one("SELECT expiry_enabled FROM point_settings WHERE community_id = $1",
                          community_id);
    return json::object{{"community_id", community_id}, {"expiry_enabled", r && r->i64(0) != 0}};
  });
}

json::object my_points(Services& s, const api::Principal& p, Lang lang) {
  // The account is made on the first visit; every later one only reads.
  bool exists = s.db.read_once([&](Tx& tx) {
    return tx.query_one("SELECT 1 FROM point_accounts a JOIN residents r ON r.id = a.owner_id "
                        "WHERE a.kind = 'resident' AND r.user_id = $1",
                        p.user_id)
        .has_value();
  });
  if (!exists)
    s.db.write([&](Tx& tx) {
      if (auto resident = resident_of_user(tx, p.user_id)) resident_account(tx, *resident);
    });
  return s.db.read([&](Tx& tx) {
    auto resident = resident_of_user(tx, p.user_id);
    if (!resident) throw not_found("points.no_account");
    Account a = load_account(tx, resident_account(tx, *resident));
    auto who = tx.query_one("SELECT r.name, c.name FROM residents r, places c WHERE r.id = $1 AND "
                            "c.id = $2",
                            *resident, a.community_id);
    json::array expiring;
    for (const auto& r : tx.query("SELECT remaining, expires_at FROM point_lots WHERE account_id = "
                                  "$1 AND remaining > 0 AND expires_at IS NOT NULL ORDER BY "
                                  "expires_at LIMIT 5",
                                  a.id))
      expiring.push_back({{"points", r.i64(0)}, {"expires_at", iso8601(r.i64(1))}});
    json::array recent;
    for (const auto& r : tx.query(
             "SELECT t.id, t.created_at, t.kind, t.memo, pp.amount, pp.balance_after FROM "
             "point_postings pp JOIN point_transactions t ON t.id = pp.tx_id WHERE pp.account_id = "
             "$1 ORDER BY pp.id DESC LIMIT 10",
             a.id))
      recent.push_back({{"tx_id", r.i64(0)},
                        {"at", iso8601(r.i64(1))},
                        {"kind", r.str(2)},
                        {"kind_label", label(transaction_kinds(), r.str(2), lang)},
                        {"memo", r.str(3)},
                        {"amount", r.i64(4)},
                        {"balance_after", r.i64(5)}});
    return json::object{{"account_id", a.id},
                        {"balance", a.balance},
                        {"resident_name", who->str(0)},
                        {"community_id", a.community_id},
                        {"community_name", who->str(1)},
                        {"expiring", expiring},
                        {"recent", recent}};
  });
}

std::pair<json::object, std::int64_t> statement(Services& s, const api::Principal& p,
                                                std::int64_t account_id, int limit, int offset,
                                                Lang lang) {
  return s.db.read([&](Tx& tx) {
    Account a = load_account(tx, account_id);
    require_account(tx, p, a);
    auto head = tx.query_one(std::string("SELECT a.id, a.kind, ") + kAccountName +
                                 ", a.balance, c.name FROM point_accounts a" + kAccountJoins +
                                 " WHERE a.id = $1",
                             account_id);
    auto total = tx.query_one("SELECT COUNT(*) FROM point_postings WHERE account_id = $1", account_id)
                     ->i64(0);
    json::array items;
    for (const auto& r : tx.query(
             "SELECT t.id, t.created_at, t.kind, t.memo, pp.amount, pp.balance_after FROM "
             "point_postings pp JOIN point_transactions t ON t.id = pp.tx_id WHERE pp.account_id = "
             "$1 ORDER BY pp.id DESC LIMIT $2 OFFSET $3",
             account_id, std::int64_t{limit}, std::int64_t{offset}))
      items.push_back({{"tx_id", r.i64(0)},
                       {"at", iso8601(r.i64(1))},
                       {"kind", r.str(2)},
                       {"kind_label", label(transaction_kinds(), r.str(2), lang)},
                       {"memo", r.str(3)},
                       {"amount", r.i64(4)},
                       {"balance_after", r.i64(5)}});
    return std::make_pair(json::object{{"account", account_json(*head, lang)}, {"items", items}},
                          total);
  });
}

std::pair<json::array, std::int64_t> list_accounts(Services& s, const api::Principal& p,
                                                   const AccountQuery& q, Lang lang) {
  return s.db.read([&](Tx& tx) {
    std::string where = " WHERE 1=1";
    std::vector<Param> params;
    api::append_scope_condition(p, "points.read", "a.path", where, params);
    if (q.community_id) where += " AND a.community_id = " + add_param(params, *q.community_id);
    if (q.kind) where += " AND a.kind = " + add_param(params, *q.kind);
    if (q.q && !q.q->empty())
      where += std::string(" AND ") + kAccountName + " LIKE " +
               add_param(params, "%" + storage::escape_like(*q.q) + "%") + " ESCAPE '\\'";
    std::string from = std::string(" FROM point_accounts a") + kAccountJoins;
    auto total = tx.query_one_v("SELECT COUNT(*)" + from + where, params)->i64(0);
    json::array items;
    for (const auto& r : tx.query_v(std::string("SELECT a.id, a.kind, ") + kAccountName +
                                        ", a.balance, c.name" + from + where +
                                        " ORDER BY a.balance DESC, a.id LIMIT " +
                                        add_param(params, std::int64_t{q.limit}) + " OFFSET " +
                                        add_param(params, std::int64_t{q.offset}),
                                    params))
      items.push_back(account_json(r, lang));
    return std::make_pair(std::move(items), total);
  });
}

std::pair<json::array, std::int64_t> list_transactions(Services& s, const api::Principal& p,
                                                       std::optional<std::int64_t> account_id,
                                                       std::optional<std::string> kind, int limit,
                                                       int offset, Lang lang) {
  return s.db.read([&](Tx& tx) {
    std::string where = " WHERE t.id IN (SELECT pp.tx_id FROM point_postings pp JOIN "
                        "point_accounts a ON a.id = pp.account_id WHERE 1=1";
    std::vector<Param> params;
    api::append_scope_condition(p, "points.read", "a.path", where, params);
    if (account_id) where += " AND a.id = " + add_param(params, *account_id);
    where += ")";
    if (kind) where += " AND t.kind = " + add_param(params, *kind);
    auto total = tx.query_one_v("SELECT COUNT(*) FROM point_transactions t" + where, params)->i64(0);
    json::array items;
    auto rows = tx.query_v("SELECT t.id, t.created_at, t.kind, t.memo, u.display_name, t.hash, "
                           "t.reverses_id FROM point_transactions t LEFT JOIN users u ON u.id = "
                           "t.created_by" + where + " ORDER BY t.id DESC LIMIT " +
                               add_param(params, std::int64_t{limit}) + " OFFSET " +
                               add_param(params, std::int64_t{offset}),
                           params);
    for (const auto& r : rows) {
      json::array postings;
      for (const auto& pp : tx.query(std::string("SELECT pp.account_id, ") + kAccountName +
                                         ", pp.amount, pp.balance_after, a.kind FROM point_postings "
                                         "pp JOIN point_accounts a ON a.id = pp.account_id" +
                                         kAccountJoins + " WHERE pp.tx_id = $1 ORDER BY pp.id",
                                     r.i64(0)))
        postings.push_back({{"account_id", pp.i64(0)},
                            {"account_name", pp.opt_str(1).value_or("")},
                            {"account_kind", pp.str(4)},
                            {"amount", pp.i64(2)},
                            {"balance_after", pp.i64(3)}});
      items.push_back({{"id", r.i64(0)},
                       {"at", iso8601(r.i64(1))},
                       {"kind", r.str(2)},
                       {"kind_label", label(transaction_kinds(), r.str(2), lang)},
                       {"memo", r.str(3)},
                       {"created_by", r.opt_str(4) ? json::value(*r.opt_str(4)) : json::value(nullptr)},
                       {"hash", r.str(5)},
                       {"reverses_id", opt(r.opt_i64(6))},
                       {"postings", postings}});
    }
    return std::make_pair(std::move(items), total);
  });
}

std::pair<json::array, std::int64_t> list_awards(Services& s, const api::Principal& p,
                                                 const AwardQuery& q, Lang lang) {
  return s.db.read([&](Tx& tx) {
    std::string where = " WHERE 1=1";
    std::vector<Param> params;
    bool staff = p.has_permission("points.read");
    if (staff) {
      api::append_scope_condition(p, "points.read", "a.path", where, params);
    } else {
      // Residents see the awards in public notice in their own community.
      where += " AND a.status = 'notice' AND (1=0";
      for (const auto& g : p.grants) {
        std::string path = g.place_path;
        auto second = path.find('/', path.find('/', 1) + 1);
        if (second == std::string::npos) continue;
        where += " OR a.path = " + add_param(params, path.substr(0, second + 1));
      }
      where += ")";
    }
    if (q.status) where += " AND a.status = " + add_param(params, *q.status);
    if (q.community_id) where += " AND a.community_id = " + add_param(params, *q.community_id);
    auto total = tx.query_one_v("SELECT COUNT(*) FROM point_awards a" + where, params)->i64(0);
    json::array items;
    for (const auto& r : tx.query_v("SELECT a.id FROM point_awards a" + where +
                                        " ORDER BY a.id DESC LIMIT " +
                                        add_param(params, std::int64_t{q.limit}) + " OFFSET " +
                                        add_param(params, std::int64_t{q.offset}),
                                    params)) {
      auto id = r.i64(0);
      json::object o = award_json(tx, id, staff, lang);
      if (staff) {
        json::array objections;
        for (const auto& x : tx.query("SELECT x.id, x.reason, x.status, u.display_name, "
                                      "x.created_at FROM point_objections x JOIN users u ON u.id "
                                      "= x.user_id WHERE x.award_id = $1 ORDER BY x.id",
                                      id))
          objections.push_back({{"id", x.i64(0)},
                                {"reason", x.str(1)},
                                {"status", x.str(2)},
                                {"by", x.str(3)},
                                {"created_at", iso8601(x.i64(4))}});
        o["objection_list"] = objections;
      }
      items.push_back(std::move(o));
    }
    return std::make_pair(std::move(items), total);
  });
}

json::array leaderboard(Services& s, const api::Principal& p, std::int64_t community_id,
                        const std::string& period) {
  Millis now = now_ms();
  int month = beijing_month(now);
  // year: this month and the eleven before it.
  std::int64_t from = period == "month" ? month
                      : period == "year" ? (month / 100 - 1) * 100 + month % 100 + 1
                      : period == "all"  ? 0
                                         : -1;
  if (from < 0) throw bad_request("request.bad_query", "period");
  if (from % 100 == 13) from += 100 - 12;  // December's year-ago start is January
  return s.db.read([&](Tx& tx) {
    auto place = tx.query_one("SELECT path FROM places WHERE id = $1", community_id);
    if (!place) throw bad_request("request.bad_query", "community_id");
    if (!in_community(p, place->str(0))) api::require_in_scope(p, "points.read", place->str(0));
    json::array out;
    int rank = 0;
    for (const auto& r : tx.query(
             "SELECT a.owner_id, res.name, SUM(m.points) AS earned, (SELECT c.granted FROM "
             "consents c WHERE c.resident_id = a.owner_id AND c.kind = 'public_name' ORDER BY c.id "
             "DESC LIMIT 1) FROM point_earned_monthly m JOIN point_accounts a ON a.id = "
             "m.account_id JOIN residents res ON res.id = a.owner_id WHERE m.community_id = $1 AND "
             "m.month >= $2 GROUP BY a.owner_id, res.name HAVING SUM(m.points) > 0 ORDER BY earned "
             "DESC, a.owner_id LIMIT 20",
             community_id, from)) {
      bool public_name = r.opt_i64(3).value_or(0) != 0;
      out.push_back({{"rank", ++rank},
                     {"name", public_name ? r.str(1) : mask_name(r.str(1))},
                     {"points", r.i64(2)}});
    }
    return out;
  });
}

json::object digest(Services& s, const api::Principal& p) {
  if (!p.has_permission("audit.read")) api::require(p, "points.manage");
  Digest d = sign_head(s.db, s.key_file);
  return {{"tx_id", d.tx_id},
          {"hash", d.hash},
          {"at", d.at},
          {"public_key", d.public_key},
          {"signature", d.signature}};
}

std::pair<json::array, std::int64_t> list_items(Services& s, const api::Principal& p,
                                                std::optional<std::int64_t> community_id,
                                                bool active_only, int limit, int offset) {
  return s.db.read([&](Tx& tx) {
    std::string where = " WHERE (1=0";
    std::vector<Param> params;
    if (p.has_permission("points.read"))
      where += " OR " + api::scope_condition(p, "points.read", {"i.path"}, params);
    // Residents: what serves their community or the whole street.
    for (const auto& g : p.grants) {
      std::string path = g.place_path;
      auto first = path.find('/', 1);
      auto second = first == std::string::npos ? first : path.find('/', first + 1);
      where += " OR i.path = " + add_param(params, path.substr(0, first + 1));
      if (second != std::string::npos) where += " OR i.path = " + add_param(params, path.substr(0, second + 1));
    }
    where += " OR i.org_id IN (SELECT org_id FROM org_contacts WHERE user_id = " +
             add_param(params, p.user_id) + "))";
    if (community_id) where += " AND i.community_id = " + add_param(params, *community_id);
    if (active_only) where += " AND i.active = 1";
    auto total = tx.query_one_v("SELECT COUNT(*) FROM point_items i" + where, params)->i64(0);
    json::array items;
    for (const auto& r : tx.query_v("SELECT i.id FROM point_items i" + where + " ORDER BY i.id LIMIT " +
                                        add_param(params, std::int64_t{limit}) + " OFFSET " +
                                        add_param(params, std::int64_t{offset}),
                                    params))
      items.push_back(item_json(tx, r.i64(0)));
    return std::make_pair(std::move(items), total);
  });
}

std::pair<json::array, std::int64_t> list_vouchers(Services& s, const api::Principal& p, bool mine,
                                                   std::optional<std::string> status,
                                                   std::optional<std::string> code, int limit,
                                                   int offset, Lang lang) {
  return s.db.read([&](Tx& tx) {
    std::string where;
    std::vector<Param> params;
    auto me = add_param(params, p.user_id);
    if (mine)
      where = " WHERE a.kind = 'resident' AND a.owner_id IN (SELECT id FROM residents WHERE user_id = " + me + ")";
    else
      where = " WHERE (i.org_id IN (SELECT org_id FROM org_contacts WHERE user_id = " + me + ")" +
              (p.has_permission("points.read")
                   ? " OR " + api::scope_condition(p, "points.read", {"a.path"}, params)
                   : std::string()) +
              ")";
    if (status) where += " AND v.status = " + add_param(params, *status);
    if (code) where += " AND v.code = " + add_param(params, normalise_code(*code));
    std::string from = " FROM point_vouchers v JOIN point_items i ON i.id = v.item_id JOIN "
                       "point_accounts a ON a.id = v.account_id";
    auto total = tx.query_one_v("SELECT COUNT(*)" + from + where, params)->i64(0);
    json::array items;
    for (const auto& r : tx.query_v("SELECT v.id" + from + where + " ORDER BY v.id DESC LIMIT " +
                                        add_param(params, std::int64_t{limit}) + " OFFSET " +
                                        add_param(params, std::int64_t{offset}),
                                    params))
      items.push_back(voucher_json(tx, r.i64(0), lang, mine || code.has_value()));
    return std::make_pair(std::move(items), total);
  });
}

std::string voucher_qr_svg(Services& s, const api::Principal& p, std::int64_t id) {
  std::string code = s.db.read([&](Tx& tx) {
    auto v = tx.query_one("SELECT v.code, v.account_id, i.org_id FROM point_vouchers v JOIN "
                          "point_items i ON i.id = v.item_id WHERE v.id = $1",
                          id);
    if (!v) throw not_found("points.voucher_not_found");
    // The code is the holder's proof of presence: nobody else sees it.
    if (!owns_account(tx, p, load_account(tx, v->i64(1))))
      throw forbidden("auth.scope_denied", "points.voucher");
    return v->str(0);
  });
  QRcode* qr = QRcode_encodeString(code.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (!qr) throw std::runtime_error("QR encoding failed");
  int n = qr->width, margin = 4, size = n + 2 * margin;
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " +
                    std::to_string(size) + " " + std::to_string(size) +
                    "\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" "
                    "fill=\"#fff\"/><path fill=\"#000\" d=\"";
  for (int y = 0; y < n; ++y)
    for (int x = 0; x < n; ++x)
      if (qr->data[y * n + x] & 1)
        svg += "M" + std::to_string(x + margin) + " " + std::to_string(y + margin) + "h1v1h-1z";
  svg += "\"/></svg>";
  QRcode_free(qr);
  return svg;
}

}  // namespace xh::points
