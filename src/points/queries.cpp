// Reading points: my points, statements, the ledger browser, awards, the
// catalogue, vouchers, the leaderboard and the ledger's signed digest.
#include <boost/json.hpp>

#include "api/scope.h"
#include "core/error.h"
#include "places/places.h"
#include "points/access.h"
#include "points/ledger.h"
#include "points/points.h"
#include "points/store.h"
#include "points/views.h"

namespace xh::points {

namespace json = boost::json;
using storage::Tx;

json::object Points::my_points(const api::Principal& p, Lang lang) const {
  // The account is opened on the first visit; every later one only reads.
  bool exists = db_.read_once([&](Tx& tx) { return store::has_resident_account(tx, p.user_id); });
  if (!exists)
    db_.write([&](Tx& tx) {
      if (auto resident = store::resident_of_user(tx, p.user_id)) resident_account(tx, *resident);
    });
  return db_.read([&](Tx& tx) {
    auto resident = store::resident_of_user(tx, p.user_id);
    if (!resident) throw not_found("points.no_account");
    store::Account a = store::find_account(tx, resident_account(tx, *resident)).value();
    store::Holder who = store::holder(tx, *resident, a.community_id);
    json::array expiring;
    for (const auto& lot : store::expiring_lots(tx, a.id, kExpiringShown))
      expiring.push_back({{"points", lot.remaining}, {"expires_at", iso8601(*lot.expires_at)}});
    json::array recent;
    for (const auto& e : store::recent_entries(tx, a.id, kRecentShown))
      recent.push_back(views::entry(e, lang));
    return json::object{{"account_id", a.id},
                        {"balance", a.balance},
                        {"resident_name", who.resident_name},
                        {"community_id", a.community_id},
                        {"community_name", who.community_name},
                        {"expiring", expiring},
                        {"recent", recent}};
  });
}

json::object Points::statement(const api::Principal& p, std::int64_t account_id, api::Page page,
                               Lang lang) const {
  return db_.read([&](Tx& tx) {
    auto a = store::find_account(tx, account_id);
    if (!a) throw not_found("points.no_account");
    access::require_account(tx, p, *a);
    auto head = store::account_summary(tx, account_id).value();
    auto [entries, total] = store::statement(tx, account_id, page);
    json::array items;
    for (const auto& e : entries) items.push_back(views::entry(e, lang));
    return json::object{
        {"account", views::account(head, lang)}, {"items", std::move(items)}, {"total", total}};
  });
}

api::Listed Points::list_accounts(const api::Principal& p, const AccountQuery& q, Lang lang) const {
  return db_.read([&](Tx& tx) {
    auto [accounts, total] = store::accounts(tx, p, q);
    api::Listed out{{}, total};
    for (const auto& a : accounts) out.items.push_back(views::account(a, lang));
    return out;
  });
}

api::Listed Points::list_transactions(const api::Principal& p, const TransactionQuery& q,
                                      Lang lang) const {
  return db_.read([&](Tx& tx) {
    auto [transactions, total] = store::transactions(tx, p, q);
    api::Listed out{{}, total};
    for (const auto& t : transactions) out.items.push_back(views::transaction(t, lang));
    return out;
  });
}

api::Listed Points::list_awards(const api::Principal& p, const AwardQuery& q, Lang lang) const {
  return db_.read([&](Tx& tx) {
    bool staff = p.has_permission("points.read");
    auto [awards, total] = store::awards(tx, p, staff, q);
    api::Listed out{{}, total};
    for (const auto& a : awards) {
      json::object o = views::award(a, staff, lang);
      if (staff) {
        json::array objections;
        for (const auto& x : store::objections_of(tx, a.id))
          objections.push_back(views::objection(x));
        o["objection_list"] = std::move(objections);
      }
      out.items.push_back(std::move(o));
    }
    return out;
  });
}

json::array Points::leaderboard(const api::Principal& p, std::int64_t community_id,
                                const std::string& period) const {
  std::int64_t from = first_month(period, now_ms());
  if (from < 0) throw bad_request("request.bad_query", "period");
  return db_.read([&](Tx& tx) {
    auto place = places::find(tx, community_id);
    if (!place) throw bad_request("request.bad_query", "community_id");
    if (!access::in_community(p, place->path)) api::require_in_scope(p, "points.read", place->path);
    json::array out;
    int rank = 0;
    for (const auto& l : store::leaders(tx, community_id, from, kLeaderboardSize))
      out.push_back({{"rank", ++rank},
                     {"name", l.public_name ? l.name : views::mask_name(l.name)},
                     {"points", l.points}});
    return out;
  });
}

json::object Points::digest(const api::Principal& p) const {
  if (!p.has_permission("audit.read")) api::require(p, "points.manage");
  Digest d = sign_head(db_, key_file_);
  return {{"tx_id", d.tx_id},
          {"hash", d.hash},
          {"at", iso8601(d.at)},
          {"public_key", d.public_key},
          {"signature", d.signature}};
}

api::Listed Points::list_items(const api::Principal& p, const ItemQuery& q) const {
  return db_.read([&](Tx& tx) {
    auto [items, total] = store::items(tx, p, q);
    api::Listed out{{}, total};
    for (const auto& it : items) out.items.push_back(views::item(it));
    return out;
  });
}

api::Listed Points::list_vouchers(const api::Principal& p, const VoucherQuery& q, Lang lang) const {
  VoucherQuery normalised = q;
  if (q.code) normalised.code = normalise_code(*q.code);
  return db_.read([&](Tx& tx) {
    auto [vouchers, total] = store::vouchers(tx, p, normalised);
    api::Listed out{{}, total};
    for (const auto& v : vouchers)
      out.items.push_back(views::voucher(v, lang, q.mine || q.code.has_value()));
    return out;
  });
}

}  // namespace xh::points
