// HTTP ↔ points commands: /api/points/…
#include <boost/json.hpp>

#include "api/export.h"
#include "api/module.h"
#include "api/scope.h"
#include "core/error.h"
#include "core/json_input.h"
#include "core/text.h"
#include "points/points.h"

namespace xh::points {

namespace json = boost::json;
using api::Call;
using api::created;
using api::ExportColumn;
using api::label_list;
using api::list_response;
using api::ok;
using http::Access;
namespace pts = points;

namespace {

// The key that makes a retried request harmless: the body's
// `idempotency_key`, else the Idempotency-Key header.
std::string idempotency_key(Call& c, const JsonInput& in) {
  std::string key;
  if (auto k = in.opt_str("idempotency_key", 100)) key = *k;
  else if (auto h = c.req.header("idempotency-key")) key = std::string(*h);
  if (!clean_utf8(key) || utf8_length(key) > 100)
    throw unprocessable("request.invalid_field", "idempotency_key");
  return key;
}

}  // namespace

void add_points_routes(api::Router& r, api::Context& s) {
  auto ps = std::make_shared<pts::Services>(pts::Services{s.db, s.data_dir + "/ledger.key"});

  r.add("GET", "/api/points/event-kinds", Access::authenticated, [](Call& c) {
    return ok(json::object{{"items", label_list(pts::event_kinds(), c.lang)}});
  });
  r.add("GET", "/api/points/me", Access::authenticated, [ps](Call& c) {
    return ok(pts::my_points(*ps, c.who(), c.lang));
  });
  r.add("GET", "/api/points/accounts", Access::authenticated, [ps](Call& c) {
    pts::AccountQuery q{c.query_id("community_id"), c.query("kind"), c.query("q"),
                        c.page().limit,
                        c.page().offset};
    auto [items, total] = pts::list_accounts(*ps, c.who(), q, c.lang);
    static const std::vector<ExportColumn> cols = {
        {"id", "账户", "Account"}, {"kind", "类型", "Kind", &pts::account_kinds()},
        {"name", "名称", "Name"}, {"community_name", "社区", "Community"},
        {"balance", "余额", "Balance"}};
    return list_response(c, std::move(items), total, cols, "point-accounts");
  }, {.exports = api::Export::yes});
  r.add("GET", "/api/points/accounts/{id}/statement", Access::authenticated, [ps](Call& c) {
    auto [doc, total] = pts::statement(*ps, c.who(), c.id_param("id"),
                                       c.page().limit,
                                       c.page().offset, c.lang);
    if (c.query("format")) {
      static const std::vector<ExportColumn> cols = {
          {"tx_id", "流水号", "Transaction"}, {"at", "时间", "Time"},
          {"kind", "类型", "Kind", &pts::transaction_kinds()}, {"memo", "摘要", "Memo"},
          {"amount", "积分", "Points"}, {"balance_after", "余额", "Balance"}};
      return list_response(c, doc.at("items").as_array(), total, cols, "point-statement");
    }
    doc["total"] = total;
    return ok(doc);
  }, {.exports = api::Export::yes});
  r.add("GET", "/api/points/transactions", Access::authenticated, [ps](Call& c) {
    auto [items, total] = pts::list_transactions(*ps, c.who(), c.query_id("account_id"),
                                                 c.query("kind"), c.page().limit,
                                                 c.page().offset, c.lang);
    return ok(json::object{{"items", std::move(items)}, {"total", total}});
  });
  r.add("POST", "/api/points/transactions/{id}/reverse", Access::authenticated, [ps](Call& c) {
    JsonInput in(c.req.body, {"reason", "idempotency_key"});
    return created(pts::reverse(*ps, c.who(), c.actor(), c.id_param("id"), in.str("reason", 200),
                                idempotency_key(c, in)));
  });

  r.add("GET", "/api/points/rules", Access::authenticated, [ps](Call& c) {
    return ok(json::object{{"items", pts::list_rules(*ps, c.who(), c.query_id("community_id"), c.lang)}});
  });
  r.add("PUT", "/api/points/rules", Access::authenticated, [ps](Call& c) {
    JsonInput in(c.req.body, {"community_id", "event_kind", "points", "daily_cap", "monthly_cap",
                              "needs_approval", "notice_days", "active"});
    return ok(pts::save_rule(*ps, c.who(), c.actor(),
                             {in.i64("community_id"), in.str("event_kind", 30), in.i64("points"),
                              in.opt_i64("daily_cap"), in.opt_i64("monthly_cap"),
                              in.opt_bool("needs_approval").value_or(false),
                              in.opt_i64("notice_days").value_or(0),
                              in.opt_bool("active").value_or(true)},
                             c.lang));
  });
  r.add("GET", "/api/points/settings", Access::authenticated, [ps](Call& c) {
    auto community = c.query_id("community_id");
    if (!community) throw bad_request("request.bad_query", "community_id");
    return ok(pts::get_settings(*ps, c.who(), *community));
  });
  r.add("PUT", "/api/points/settings", Access::authenticated, [ps](Call& c) {
    JsonInput in(c.req.body, {"community_id", "expiry_enabled"});
    return ok(pts::save_settings(*ps, c.who(), c.actor(), in.i64("community_id"),
                                 in.boolean("expiry_enabled")));
  });

  r.add("GET", "/api/points/awards", Access::authenticated, [ps](Call& c) {
    auto [items, total] = pts::list_awards(
        *ps, c.who(),
        {c.query("status"), c.query_id("community_id"), c.page().limit,
         c.page().offset},
        c.lang);
    return ok(json::object{{"items", std::move(items)}, {"total", total}});
  });
  r.add("POST", "/api/points/awards", Access::authenticated, [ps](Call& c) {
    JsonInput in(c.req.body, {"resident_id", "org_id", "points", "reason", "idempotency_key"});
    return created(pts::manual_award(*ps, c.who(), c.actor(), in.opt_i64("resident_id"),
                                     in.opt_i64("org_id"), in.i64("points"), in.str("reason", 200),
                                     idempotency_key(c, in), c.lang));
  });
  r.add("POST", "/api/points/awards/{id}/approve", Access::authenticated, [ps](Call& c) {
    return ok(pts::approve_award(*ps, c.who(), c.actor(), c.id_param("id"), true, std::nullopt, c.lang));
  });
  r.add("POST", "/api/points/awards/{id}/reject", Access::authenticated, [ps](Call& c) {
    JsonInput in(c.req.body, {"reason"});
    return ok(pts::approve_award(*ps, c.who(), c.actor(), c.id_param("id"), false,
                                 in.opt_str("reason", 200), c.lang));
  });
  r.add("POST", "/api/points/awards/{id}/objections", Access::authenticated, [ps](Call& c) {
    JsonInput in(c.req.body, {"reason"});
    return created(pts::object_to_award(*ps, c.who(), c.actor(), c.id_param("id"), in.str("reason", 500)));
  });
  r.add("POST", "/api/points/objections/{id}/decide", Access::authenticated, [ps](Call& c) {
    JsonInput in(c.req.body, {"upheld", "note"});
    return ok(pts::decide_objection(*ps, c.who(), c.actor(), c.id_param("id"), in.boolean("upheld"), c.lang));
  });

  r.add("GET", "/api/points/items", Access::authenticated, [ps](Call& c) {
    auto [items, total] = pts::list_items(*ps, c.who(), c.query_id("community_id"),
                                          c.query_bool("active", false),
                                          c.page().limit,
                                          c.page().offset);
    return ok(json::object{{"items", std::move(items)}, {"total", total}});
  });
  auto item_input = [](const JsonInput& in) {
    return pts::ItemInput{in.opt_i64("org_id"),     in.opt_i64("community_id"),
                          in.opt_str("title", 100), in.opt_str("description", 1000),
                          in.opt_str("kind", 20),   in.opt_i64("price"),
                          in.opt_i64("stock"),      in.opt_i64("per_day"),
                          in.opt_i64("per_month"),  in.opt_i64("per_person"),
                          in.opt_bool("active")};
  };
  r.add("POST", "/api/points/items", Access::authenticated, [ps, item_input](Call& c) {
    JsonInput in(c.req.body, {"org_id", "community_id", "title", "description", "kind", "price",
                              "stock", "per_day", "per_month", "per_person", "active"});
    return created(pts::save_item(*ps, c.who(), c.actor(), std::nullopt, item_input(in)));
  });
  r.add("PATCH", "/api/points/items/{id}", Access::authenticated, [ps, item_input](Call& c) {
    JsonInput in(c.req.body, {"title", "description", "kind", "price", "stock", "per_day",
                              "per_month", "per_person", "active"});
    return ok(pts::save_item(*ps, c.who(), c.actor(), c.id_param("id"), item_input(in)));
  });
  r.add("POST", "/api/points/items/{id}/redeem", Access::authenticated, [ps](Call& c) {
    JsonInput in(c.req.body.empty() ? std::string_view("{}") : std::string_view(c.req.body),
                 {"idempotency_key"});
    return created(pts::redeem(*ps, c.who(), c.actor(), c.id_param("id"), idempotency_key(c, in), c.lang));
  });

  r.add("GET", "/api/points/vouchers", Access::authenticated, [ps](Call& c) {
    auto [items, total] = pts::list_vouchers(*ps, c.who(), c.query_bool("mine", false),
                                             c.query("status"), c.query("code"),
                                             c.page().limit,
                                             c.page().offset, c.lang);
    return ok(json::object{{"items", std::move(items)}, {"total", total}});
  });
  r.add("GET", "/api/points/vouchers/{id}/qr.svg", Access::authenticated, [ps](Call& c) {
    return http::Response::text(200, pts::voucher_qr_svg(*ps, c.who(), c.id_param("id")),
                                "image/svg+xml");
  });
  r.add("POST", "/api/points/vouchers/fulfil", Access::authenticated, [ps](Call& c) {
    JsonInput in(c.req.body, {"code"});
    return ok(pts::fulfil(*ps, c.who(), c.actor(), in.str("code", 40), c.lang));
  });
  r.add("POST", "/api/points/vouchers/{id}/cancel", Access::authenticated, [ps](Call& c) {
    return ok(pts::cancel_voucher(*ps, c.who(), c.actor(), c.id_param("id"), c.lang));
  });

  r.add("GET", "/api/points/leaderboard", Access::authenticated, [ps](Call& c) {
    auto community = c.query_id("community_id");
    if (!community) throw bad_request("request.bad_query", "community_id");
    return ok(json::object{{"items", pts::leaderboard(*ps, c.who(), *community,
                                                      c.query("period").value_or("month"))}});
  });
  r.add("GET", "/api/points/digest", Access::authenticated, [ps](Call& c) {
    return ok(pts::digest(*ps, c.who()));
  });
}

}  // namespace xh::points
