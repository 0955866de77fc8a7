// The exchange (积分兑换): redeeming points for an item's voucher, its
// fulfilment by the provider, its cancellation, and its code as a QR image.
#include <qrencode.h>
#include <sodium.h>

#include <boost/json.hpp>

#include "api/scope.h"
#include "audit/audit.h"
#include "core/error.h"
#include "points/access.h"
#include "points/ledger.h"
#include "points/points.h"
#include "points/store.h"
#include "points/views.h"

namespace xh::points {

namespace json = boost::json;
using storage::Tx;

namespace {

std::string new_voucher_code() {
  std::string code;
  for (int i = 0; i < kVoucherCodeLength; ++i)
    code +=
        kVoucherAlphabet[randombytes_uniform(static_cast<std::uint32_t>(kVoucherAlphabet.size()))];
  return code;
}

store::Item load_item(Tx& tx, std::int64_t id) {
  auto it = store::find_item(tx, id);
  if (!it) throw not_found("points.item_not_found");
  return *it;
}

}  // namespace

json::object Points::redeem(const api::Principal& p, const api::Actor& actor, std::int64_t item_id,
                            const std::string& idem_key, Lang lang) const {
  if (idem_key.empty()) throw unprocessable("request.missing_field", "idempotency_key");
  return db_.write([&](Tx& tx) {
    auto resident = store::resident_of_user(tx, p.user_id);
    if (!resident) throw not_found("points.no_account");
    std::int64_t account_id = resident_account(tx, *resident);
    lock(tx);
    if (auto v = store::voucher_by_key(tx, idem_key)) {
      // The same key for another person or another item is another request.
      if (v->account_id != account_id || v->item_id != item_id)
        throw conflict("request.conflict", "idempotency_key");
      return views::voucher(*v, lang, true);  // a retried request: the first answer
    }
    store::Item it = load_item(tx, item_id);
    store::Account account = store::find_account(tx, account_id).value();
    if (!it.active) throw conflict("points.item_inactive");
    if (!std::string_view(account.path).starts_with(it.path))
      throw forbidden("auth.scope_denied", "points.redeem");
    Millis now = now_ms();
    auto taken_since = [&](Millis since) {
      return store::vouchers_taken_since(tx, account_id, it.id, since);
    };
    if ((it.per_person && taken_since(0) >= *it.per_person) ||
        (it.per_month && taken_since(beijing_month_start(now)) >= *it.per_month) ||
        (it.per_day && taken_since(beijing_day_start(now)) >= *it.per_day))
      throw conflict("points.limit_reached");
    if (!store::take_stock(tx, it.id)) throw conflict("points.out_of_stock");
    std::string item = json::serialize(json::object{{"item", it.title}});
    auto posted = post(tx, {"redeem:" + idem_key,
                            "redeem",
                            views::text("", "points.memo.redeem", item, Lang::zh_CN),
                            {{account_id, -it.price},
                             {community_account(tx, "redemption", it.community_id), it.price}},
                            std::nullopt,
                            p.user_id,
                            "points.memo.redeem",
                            item});
    store::spend_lots(tx, account_id, it.price, posted.tx_id);
    auto id =
        store::insert_voucher(tx, new_voucher_code(), it, account_id, idem_key, posted.tx_id, now);
    audit::append(tx, actor,
                  {"points.redeem", "point_voucher", std::to_string(id), std::nullopt,
                   json::serialize(json::object{{"item_id", it.id}, {"price", it.price}})});
    return views::voucher(store::find_voucher(tx, id).value(), lang, true);
  });
}

json::object Points::fulfil(const api::Principal& p, const api::Actor& actor,
                            const std::string& code, Lang lang) const {
  std::string c = normalise_code(code);
  return db_.write([&](Tx& tx) {
    auto v = store::voucher_by_code(tx, c);
    if (!v) throw not_found("points.voucher_not_found");
    if (!store::is_contact(tx, p.user_id, v->org_id)) throw forbidden("points.not_provider");
    if (!store::fulfil_voucher(tx, v->id, p.user_id, now_ms()))
      throw conflict("points.voucher_not_issued");
    audit::append(
        tx, actor,
        {"points.fulfil", "point_voucher", std::to_string(v->id), std::nullopt, std::nullopt});
    return views::voucher(store::find_voucher(tx, v->id).value(), lang, false);
  });
}

json::object Points::cancel_voucher(const api::Principal& p, const api::Actor& actor,
                                    std::int64_t id, Lang lang) const {
  return db_.write([&](Tx& tx) {
    lock(tx);
    auto v = store::find_voucher(tx, id);
    if (!v) throw not_found("points.voucher_not_found");
    store::Account account = store::find_account(tx, v->account_id).value();
    if (!access::owns_account(tx, p, account))
      api::require_in_scope(p, "points.manage", account.path);
    Millis now = now_ms();
    if (!store::cancel_voucher(tx, id, now)) throw conflict("points.voucher_not_issued");
    store::Item it = load_item(tx, v->item_id);
    std::string item = json::serialize(json::object{{"item", it.title}});
    auto posted = post(tx, {"refund:voucher:" + std::to_string(id),
                            "refund",
                            views::text("", "points.memo.refund", item, Lang::zh_CN),
                            {{community_account(tx, "redemption", it.community_id), -v->price},
                             {account.id, v->price}},
                            std::nullopt,
                            p.user_id,
                            "points.memo.refund",
                            item});
    store::set_refund(tx, id, posted.tx_id);
    store::return_stock(tx, it.id);
    // The points go back to the lots they came from; lapsed ones lapse again.
    for (const auto& use : store::lot_uses(tx, v->redeem_tx_id)) {
      store::return_to_lot(tx, use.lot_id, use.amount);
      if (use.expires_at && *use.expires_at <= now) expire_lot(tx, use.lot_id, now);
    }
    audit::append(tx, actor,
                  {"points.cancel", "point_voucher", std::to_string(id), std::nullopt,
                   json::serialize(json::object{{"refund_tx_id", posted.tx_id}})});
    return views::voucher(store::find_voucher(tx, id).value(), lang,
                          access::owns_account(tx, p, account));
  });
}

std::string Points::voucher_qr_svg(const api::Principal& p, std::int64_t id) const {
  std::string code = db_.read([&](Tx& tx) {
    auto v = store::find_voucher(tx, id);
    if (!v) throw not_found("points.voucher_not_found");
    // The code is the holder's proof of presence: nobody else sees it.
    if (!access::owns_account(tx, p, store::find_account(tx, v->account_id).value()))
      throw forbidden("auth.scope_denied", "points.voucher");
    return v->code;
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
