// HTTP ↔ the points commands: /api/points/…
#include <boost/json.hpp>

#include "api/export.h"
#include "api/module.h"
#include "core/error.h"
#include "core/json_input.h"
#include "core/text.h"
#include "points/points.h"

namespace xh::points {

namespace json = boost::json;
using api::Call;
using api::created;
using api::ok;
using http::Access;
using Module = std::shared_ptr<const Points>;

const std::vector<api::ExportColumn>& account_columns();
const std::vector<api::ExportColumn>& statement_columns();

namespace {

// The key that makes a retried request harmless: the body's
// `idempotency_key`, else the Idempotency-Key header.
std::string idempotency_key(Call& c, const JsonInput& in) {
  std::string key;
  if (auto k = in.opt_str("idempotency_key", 100))
    key = *k;
  else if (auto h = c.req.header("idempotency-key"))
    key = std::string(*h);
  if (!clean_utf8(key) || utf8_length(key) > 100)
    throw unprocessable("request.invalid_field", "idempotency_key");
  return key;
}

http::Response listed(api::Listed l) { return api::list(std::move(l.items), l.total); }

ItemFields item_fields(const JsonInput& in) {
  return {in.opt_i64("org_id"),     in.opt_i64("community_id"),
          in.opt_str("title", 100), in.opt_str("description", 1000),
          in.opt_str("kind", 20),   in.opt_i64("price"),
          in.opt_i64("stock"),      in.opt_i64("per_day"),
          in.opt_i64("per_month"),  in.opt_i64("per_person"),
          in.opt_bool("active")};
}

void add_ledger_routes(api::Router& r, Module pts) {
  r.add("GET", "/api/points/me", Access::authenticated,
        [pts](Call& c) { return ok(pts->my_points(c.who(), c.lang)); });
  r.add("GET", "/api/points/accounts", Access::authenticated,
        [pts](Call& c) {
          auto community = c.query_id("community_id");
          auto kind = c.query("kind"), q = c.query("q");
          return list_response(c, [&](const api::Page& page) {
            return pts->list_accounts(c.who(), {community, kind, q, page}, c.lang);
          }, account_columns(), "point-accounts");
        },
        {.exports = api::Export::yes});
  r.add("GET", "/api/points/accounts/{id}/statement", Access::authenticated,
        [pts](Call& c) {
          auto doc = pts->statement(c.who(), c.id_param("id"), c.page(), c.lang);
          if (c.query("format"))
            return list_response(c, doc.at("items").as_array(), doc.at("total").as_int64(),
                                 statement_columns(), "point-statement");
          return ok(doc);
        },
        {.exports = api::Export::yes});
  r.add("GET", "/api/points/transactions", Access::authenticated, [pts](Call& c) {
    return listed(pts->list_transactions(
        c.who(), {c.query_id("account_id"), c.query("kind"), c.page()}, c.lang));
  });
  r.add("POST", "/api/points/transactions/{id}/reverse", Access::authenticated, [pts](Call& c) {
    JsonInput in(c.req.body, {"reason", "idempotency_key"});
    return created(pts->reverse(c.who(), c.actor(), c.id_param("id"), in.str("reason", 200),
                                idempotency_key(c, in)));
  });
  r.add("GET", "/api/points/leaderboard", Access::authenticated, [pts](Call& c) {
    auto community = c.query_id("community_id");
    if (!community) throw bad_request("request.bad_query", "community_id");
    return ok(json::object{
        {"items", pts->leaderboard(c.who(), *community, c.query("period").value_or("month"))}});
  });
  r.add("GET", "/api/points/digest", Access::authenticated,
        [pts](Call& c) { return ok(pts->digest(c.who())); });
}

void add_configuration_routes(api::Router& r, Module pts) {
  r.add("GET", "/api/points/event-kinds", Access::authenticated, [](Call& c) {
    return ok(json::object{{"items", api::label_list(event_kind_labels(), c.lang)}});
  });
  r.add("GET", "/api/points/rules", Access::authenticated, [pts](Call& c) {
    return ok(json::object{{"items", pts->rules(c.who(), c.query_id("community_id"), c.lang)}});
  });
  r.add("PUT", "/api/points/rules", Access::authenticated, [pts](Call& c) {
    JsonInput in(c.req.body, {"community_id", "event_kind", "points", "daily_cap", "monthly_cap",
                              "needs_approval", "notice_days", "active"});
    return ok(
        pts->set_rule(c.who(), c.actor(),
                      {in.i64("community_id"), in.str("event_kind", 30), in.i64("points"),
                       in.opt_i64("daily_cap"), in.opt_i64("monthly_cap"),
                       in.opt_bool("needs_approval").value_or(false),
                       in.opt_i64("notice_days").value_or(0), in.opt_bool("active").value_or(true)},
                      c.lang));
  });
  r.add("GET", "/api/points/settings", Access::authenticated, [pts](Call& c) {
    auto community = c.query_id("community_id");
    if (!community) throw bad_request("request.bad_query", "community_id");
    return ok(pts->settings(c.who(), *community));
  });
  r.add("PUT", "/api/points/settings", Access::authenticated, [pts](Call& c) {
    JsonInput in(c.req.body, {"community_id", "expiry_enabled"});
    return ok(pts->set_settings(c.who(), c.actor(), in.i64("community_id"),
                                in.boolean("expiry_enabled")));
  });
  r.add("POST", "/api/points/items", Access::authenticated, [pts](Call& c) {
    JsonInput in(c.req.body, {"org_id", "community_id", "title", "description", "kind", "price",
                              "stock", "per_day", "per_month", "per_person", "active"});
    return created(pts->create_item(c.who(), c.actor(), item_fields(in)));
  });
  r.add("PATCH", "/api/points/items/{id}", Access::authenticated, [pts](Call& c) {
    JsonInput in(c.req.body, {"title", "description", "kind", "price", "stock", "per_day",
                              "per_month", "per_person", "active"});
    return ok(pts->update_item(c.who(), c.actor(), c.id_param("id"), item_fields(in)));
  });
}

void add_award_routes(api::Router& r, Module pts) {
  r.add("GET", "/api/points/awards", Access::authenticated, [pts](Call& c) {
    return listed(pts->list_awards(
        c.who(), {c.query("status"), c.query_id("community_id"), c.page()}, c.lang));
  });
  r.add("POST", "/api/points/awards", Access::authenticated, [pts](Call& c) {
    JsonInput in(c.req.body, {"resident_id", "org_id", "points", "reason", "idempotency_key"});
    return created(
        pts->manual_award(c.who(), c.actor(),
                          {in.opt_i64("resident_id"), in.opt_i64("org_id"), in.i64("points"),
                           in.str("reason", 200), idempotency_key(c, in)},
                          c.lang));
  });
  r.add("POST", "/api/points/awards/{id}/approve", Access::authenticated, [pts](Call& c) {
    return ok(pts->approve_award(c.who(), c.actor(), c.id_param("id"), c.lang));
  });
  r.add("POST", "/api/points/awards/{id}/reject", Access::authenticated, [pts](Call& c) {
    JsonInput in(c.req.body, {"reason"});
    return ok(
        pts->reject_award(c.who(), c.actor(), c.id_param("id"), in.opt_str("reason", 200), c.lang));
  });
  r.add("POST", "/api/points/awards/{id}/objections", Access::authenticated, [pts](Call& c) {
    JsonInput in(c.req.body, {"reason"});
    return created(
        pts->object_to_award(c.who(), c.actor(), c.id_param("id"), in.str("reason", 500)));
  });
  r.add("POST", "/api/points/objections/{id}/decide", Access::authenticated, [pts](Call& c) {
    JsonInput in(c.req.body, {"upheld", "note"});
    auto id = c.id_param("id");
    return ok(in.boolean("upheld") ? pts->uphold_objection(c.who(), c.actor(), id, c.lang)
                                   : pts->dismiss_objection(c.who(), c.actor(), id, c.lang));
  });
}

void add_exchange_routes(api::Router& r, Module pts) {
  r.add("GET", "/api/points/items", Access::authenticated, [pts](Call& c) {
    return listed(pts->list_items(
        c.who(), {c.query_id("community_id"), c.query_bool("active", false), c.page()}));
  });
  r.add("POST", "/api/points/items/{id}/redeem", Access::authenticated, [pts](Call& c) {
    JsonInput in(c.req.body.empty() ? std::string_view("{}") : std::string_view(c.req.body),
                 {"idempotency_key"});
    return created(
        pts->redeem(c.who(), c.actor(), c.id_param("id"), idempotency_key(c, in), c.lang));
  });
  r.add("GET", "/api/points/vouchers", Access::authenticated, [pts](Call& c) {
    return listed(pts->list_vouchers(
        c.who(), {c.query_bool("mine", false), c.query("status"), c.query("code"), c.page()},
        c.lang));
  });
  r.add("GET", "/api/points/vouchers/{id}/qr.svg", Access::authenticated, [pts](Call& c) {
    return http::Response::text(200, pts->voucher_qr_svg(c.who(), c.id_param("id")),
                                "image/svg+xml");
  });
  r.add("POST", "/api/points/vouchers/fulfil", Access::authenticated, [pts](Call& c) {
    JsonInput in(c.req.body, {"code"});
    return ok(pts->fulfil(c.who(), c.actor(), in.str("code", 40), c.lang));
  });
  r.add("POST", "/api/points/vouchers/{id}/cancel", Access::authenticated, [pts](Call& c) {
    return ok(pts->cancel_voucher(c.who(), c.actor(), c.id_param("id"), c.lang));
  });
}

}  // namespace

const std::vector<api::ExportColumn>& account_columns() {
  static const std::vector<api::ExportColumn> cols = {
      {"id", "账户", "Account"},
      {"kind", "类型", "Kind", &account_kind_labels()},
      {"name", "名称", "Name"},
      {"community_name", "社区", "Community"},
      {"balance", "余额", "Balance"}};
  return cols;
}

const std::vector<api::ExportColumn>& statement_columns() {
  static const std::vector<api::ExportColumn> cols = {
      {"tx_id", "流水号", "Transaction"},
      {"at", "时间", "Time"},
      {"kind", "类型", "Kind", &transaction_kind_labels()},
      {"memo", "摘要", "Memo"},
      {"amount", "积分", "Points"},
      {"balance_after", "余额", "Balance"}};
  return cols;
}

void add_routes(api::Router& r, Module pts) {
  add_ledger_routes(r, pts);
  add_configuration_routes(r, pts);
  add_award_routes(r, pts);
  add_exchange_routes(r, pts);
}

}  // namespace xh::points
